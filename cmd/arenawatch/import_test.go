package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/store"
)

// hfFull is the fixture of the text config's full split: ten publish
// dates of LMArena's text leaderboard (raw scores), 2024-06-19 …
// 2025-08-04, 1,858 rows (fixtures/huggingface.co/SOURCES.md).
var hfFull = filepath.Join(fixtures, "huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main/text/full-00000-of-00001.parquet")

// TestImportThenReportAt imports the fixture, imports it again (nothing
// new is stored), and answers 'report --at' from the imported history.
func TestImportThenReportAt(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()

	sum := decode[importJSON](t, c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--json").stdout)
	if !sum.OK || len(sum.Boards) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	b := sum.Boards[0]
	if b.Board != "hf-text-raw" || b.Dates != 10 || b.Stored != 10 || b.Unchanged != 0 || b.Failed != 0 ||
		b.First != "2024-06-19" || b.Last != "2025-08-04" || b.Rows != 1858 || !strings.HasPrefix(b.URL, "file://") || len(b.SHA256) != 64 {
		t.Fatalf("first import: %+v", b)
	}
	again := decode[importJSON](t, c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--json").stdout)
	if b := again.Boards[0]; b.Stored != 0 || b.Unchanged != 10 {
		t.Fatalf("second import stored %d, unchanged %d; want 0 and 10", b.Stored, b.Unchanged)
	}
	if r := c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet"); r.stderr != "" || r.stdout != "" {
		t.Errorf("--quiet printed %q, %q", r.stdout, r.stderr)
	}
	human := c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull).stderr
	if !strings.Contains(human, "10 publish dates, 2024-06-19 … 2025-08-04, 1858 rows") || !strings.Contains(human, "0 stored, 10 unchanged, 0 failed") {
		t.Errorf("human summary:\n%s", human)
	}

	db, err := store.Open(c.db, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	infos, err := db.Snapshots("hf-text-raw")
	db.Close()
	if err != nil || len(infos) != 10 {
		t.Fatalf("%d snapshots (%v), want 10", len(infos), err)
	}
	for _, in := range infos {
		if in.Origin != arenawatch.OriginImported || !in.FetchedAt.Equal(in.AsOf) || in.FetchedAt.Hour() != 0 {
			t.Errorf("snapshot %+v", in)
		}
	}

	// At the end of March 2025 the latest publish date is 2025-02-18 (170
	// rows). From the source CSV of that date: the best-scoring open model
	// is DeepSeek-R1 (MIT, 1361, rank 5); the best open model not from a
	// Chinese lab is Athene-v2-Chat-72B (NexusFlow, US; 1275, rank 22).
	rep := decode[reportJSON](t, c.must("report", "hf-text-raw", "--at", "2025-03", "--json").stdout)
	if len(rep.Boards) != 1 {
		t.Fatalf("report: %+v", rep)
	}
	r := rep.Boards[0]
	if r.AsOf.Format(time.DateOnly) != "2025-02-18" || r.Rows != 170 || r.Origin != arenawatch.OriginImported {
		t.Fatalf("report --at 2025-03 answered from %s (%d rows, %s)", r.AsOf.Format(time.DateOnly), r.Rows, r.Origin)
	}
	if r.LeadingOpen == nil || r.LeadingOpen.Model != "DeepSeek-R1" || r.LeadingOpen.Rank != 5 {
		t.Errorf("leading open %+v", r.LeadingOpen)
	}
	if r.BestOpenNonCN == nil || r.BestOpenNonCN.Model != "Athene-v2-Chat-72B" || r.BestOpenNonCN.Rank != 22 || r.BestOpenNonCN.Country != "US" {
		t.Errorf("best open non-Chinese %+v", r.BestOpenNonCN)
	}
	if r := c.run("report", "hf-text-raw", "--at", "2024-06-18"); r.code != exitNoData {
		t.Errorf("before the first publish date: exit %d, want %d", r.code, exitNoData)
	}
}

// TestImportURL downloads the split through the polite fetcher, from a
// mirror, and refuses a file over the size cap.
func TestImportURL(t *testing.T) {
	body, err := os.ReadFile(hfFull)
	if err != nil {
		t.Fatal(err)
	}
	var uas []string
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		uas = append(uas, r.Header.Get("User-Agent"))
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(body)
	}))
	u := srv + "/text/full-00000-of-00001.parquet"
	c := newCLI(t)
	defer c.checkDB()

	sum := decode[importJSON](t, c.must("import", "hf-leaderboard", "hf-text-raw", "--url", u, "--json").stdout)
	if b := sum.Boards[0]; b.Stored != 10 || b.URL != u || b.Size != len(body) {
		t.Fatalf("import from %s: %+v", u, b)
	}
	if len(uas) != 1 || uas[0] != "arenawatch/"+version+" (+https://github.com/arenawatch/arenawatch)" {
		t.Errorf("requests %d, User-Agent %q", len(uas), uas)
	}

	r := c.run("import", "hf-leaderboard", "hf-text-raw", "--url", u, "--max-body-size", "1000")
	if r.code != exitFailure || !strings.Contains(r.stderr, "hf-text-raw") || !strings.Contains(r.stderr, "size cap") || r.stdout != "" {
		t.Fatalf("over the cap: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
}

type pqTestRow struct {
	ModelName    string   `parquet:"model_name,optional"`
	Organization *string  `parquet:"organization,optional"`
	License      *string  `parquet:"license,optional"`
	Rating       float64  `parquet:"rating,optional"`
	RatingLower  *float64 `parquet:"rating_lower,optional"`
	RatingUpper  *float64 `parquet:"rating_upper,optional"`
	Variance     *float64 `parquet:"variance,optional"`
	VoteCount    *int64   `parquet:"vote_count,optional"`
	Rank         float64  `parquet:"rank,optional"`
	Category     string   `parquet:"category,optional"`
	Date         string   `parquet:"leaderboard_publish_date,optional"`
}

// TestImportFailedDate: a date with a row no date may store (rank 9.5) fails alone; the
// other dates are stored, and the exit code says something failed.
func TestImportFailedDate(t *testing.T) {
	var rows []pqTestRow
	for _, date := range []string{"2024-01-10", "2024-02-10", "2024-03-10"} {
		for i := range 25 {
			name := fmt.Sprintf("model-%d", i)
			rank := float64(i + 1)
			if date == "2024-02-10" && i == 9 {
				rank = 9.5 // a row no date may store
			}
			rows = append(rows, pqTestRow{ModelName: name, Organization: arenawatch.Str("Mistral"), License: arenawatch.Str("Apache 2.0"),
				Rating: float64(1500 - i), Rank: rank, Category: "overall", Date: date})
		}
	}
	buf := writeTestParquet(t, rows)
	c := newCLI(t)
	defer c.checkDB()
	file := filepath.Join(c.home, "full.parquet")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	r := c.run("import", "hf-leaderboard", "hf-text-raw", "--from", file)
	want := `failed 2024-02-10: row 34 of the file: model "model-9" has rank 9.5, not a whole number from 1`
	if r.code != exitFailure || !strings.Contains(r.stderr, "2 stored, 0 unchanged, 1 failed") || !strings.Contains(r.stderr, want) || r.stdout != "" {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	sum := decode[importJSON](t, c.run("import", "hf-leaderboard", "hf-text-raw", "--from", file, "--json").stdout)
	got := map[string]string{}
	for _, d := range sum.Boards[0].Results {
		got[d.Date] = d.Status
	}
	if sum.OK || got["2024-01-10"] != "unchanged" || got["2024-02-10"] != "failed" || got["2024-03-10"] != "unchanged" {
		t.Fatalf("second import: ok %v, %v", sum.OK, got)
	}
}

func TestImportUsage(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"NoSource", []string{"import"}, exitUsage, "name the source"},
		{"UnknownSource", []string{"import", "kaggle"}, exitUsage, `unknown source "kaggle"`},
		{"UnknownBoard", []string{"import", "hf-leaderboard", "arena-text"}, exitUsage, `unknown board "arena-text"`},
		{"FromNeedsOneBoard", []string{"import", "hf-leaderboard", "--from", hfFull}, exitUsage, "name exactly one board"},
		{"FromAndURL", []string{"import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--url", "https://example.org/x"}, exitUsage, "exclude each other"},
		{"NoSuchFile", []string{"import", "hf-leaderboard", "hf-text-raw", "--from", "/nonexistent/full.parquet"}, exitUsage, "/nonexistent/full.parquet"},
		{"NotParquet", []string{"import", "hf-leaderboard", "hf-text-raw", "--from", filepath.Join(fixtures, "README.md")}, exitFailure, "not a parquet file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr+r.stdout, tt.wantErr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", r.code, r.stdout, r.stderr, tt.code, tt.wantErr)
			}
		})
	}
}

// TestImportManyDates: more dates than one write takes (importBatch) are
// all stored, listed in date order with a failed one among them, and a
// second import stores nothing.
func TestImportManyDates(t *testing.T) {
	var rows []pqTestRow
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dates := importBatch + 44
	for d := range dates {
		for i := range 20 {
			rank := float64(i + 1)
			if d == importBatch+1 && i == 3 {
				rank = 3.5
			}
			rows = append(rows, pqTestRow{ModelName: fmt.Sprintf("model-%d", i), Rating: float64(1500 - i - d%7), Rank: rank,
				Category: "overall", Date: day.AddDate(0, 0, d).Format(time.DateOnly)})
		}
	}
	buf := writeTestParquet(t, rows)
	c := newCLI(t)
	defer c.checkDB()
	file := filepath.Join(c.home, "full.parquet")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"stored", "unchanged"} {
		sum := decode[importJSON](t, c.run("import", "hf-leaderboard", "hf-text-raw", "--from", file, "--json").stdout)
		b := sum.Boards[0]
		if b.Dates != dates || len(b.Results) != dates || b.Failed != 1 {
			t.Fatalf("import %d: %d dates, %d results, %d failed; want %d, %d, 1", i, b.Dates, len(b.Results), b.Failed, dates, dates)
		}
		for d, r := range b.Results {
			if day := day.AddDate(0, 0, d).Format(time.DateOnly); r.Date != day {
				t.Fatalf("import %d: result %d is %s, want %s (date order)", i, d, r.Date, day)
			}
			if r.Status != want && !(d == importBatch+1 && r.Status == "failed") {
				t.Fatalf("import %d: %s %s, want %s", i, r.Date, r.Status, want)
			}
		}
	}
	if r := c.must("rank", "hf-text-raw", "--at", day.AddDate(0, 0, dates-1).Format(time.DateOnly), "--json"); !strings.Contains(r.stdout, "model-19") {
		t.Errorf("rank at the last date: %.200s", r.stdout)
	}
}

// writeTestParquet returns rows as a parquet file.
func writeTestParquet(t *testing.T, rows []pqTestRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqTestRow](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
