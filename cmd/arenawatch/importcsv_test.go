package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/store"
)

// archiveCSV is a community archive of LMArena's text leaderboard (raw
// scores): three dates, real values (longform/testdata/README.md).
var archiveCSV = filepath.Join("..", "..", "longform", "testdata", "lmarena-text-archive.csv")

// TestImportCSV imports the archive, imports it again (nothing new), and
// answers 'report --at' from it with the answers LMArena's tables of
// those dates give.
func TestImportCSV(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	sum := decode[importCSVJSON](t, c.must("import", "csv", archiveCSV, "--board", "arena-text-raw", "--json").stdout)
	if !sum.OK || sum.Source != "csv" || len(sum.Boards) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	b := sum.Boards[0]
	if b.Board != "arena-text-raw" || b.Dates != 3 || b.Stored != 3 || b.Failed != 0 || b.Rows != 83 ||
		b.First != "2024-06-19" || b.Last != "2025-08-04" || !strings.HasPrefix(b.URL, "file://") || len(b.SHA256) != 64 {
		t.Fatalf("first import: %+v", b)
	}
	if sum.Columns["snapshot_date"] != "date" || sum.Columns["ci95"] != "ci" || len(sum.IgnoredColumns) != 0 ||
		strings.Join(sum.FileQuirks, "; ") != "UTF-8 byte order mark removed; CRLF line ends; 2 blank lines skipped" {
		t.Errorf("columns %v, ignored %v, file %q", sum.Columns, sum.IgnoredColumns, sum.FileQuirks)
	}
	if n := strings.Join(sum.Notes["2025-08-04"], "\n"); !strings.Contains(n, "1 exact duplicate rows dropped: Yi-34B-Chat") {
		t.Errorf("notes of 2025-08-04:\n%s", n)
	}
	again := decode[importCSVJSON](t, c.must("import", "csv", archiveCSV, "--board", "arena-text-raw", "--json").stdout)
	if b := again.Boards[0]; b.Stored != 0 || b.Unchanged != 3 {
		t.Fatalf("second import stored %d, unchanged %d; want 0 and 3", b.Stored, b.Unchanged)
	}
	if r := c.must("import", "csv", archiveCSV, "--board", "arena-text-raw", "--quiet"); r.stdout != "" || r.stderr != "" {
		t.Errorf("--quiet printed %q, %q", r.stdout, r.stderr)
	}
	human := c.must("import", "csv", archiveCSV, "--board", "arena-text-raw").stderr
	for _, want := range []string{"0 stored, 3 unchanged, 0 failed", "read as arena-text-raw (rank: source rank; score: Arena score)",
		`2025-08-04: column "votes": thousands separators removed in 35 rows`, `2025-02-18: column "ci95" read as half-widths`} {
		if !strings.Contains(human, want) {
			t.Errorf("human output lacks %q:\n%s", want, human)
		}
	}

	db, err := store.Open(c.db, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	infos, err := db.Snapshots("arena-text-raw")
	db.Close()
	if err != nil || len(infos) != 3 {
		t.Fatalf("%d snapshots (%v)", len(infos), err)
	}
	for _, in := range infos {
		if in.Origin != arenawatch.OriginImported || !in.FetchedAt.Equal(in.AsOf) || !in.FetchedAt.Equal(in.FetchedAt.Truncate(24*time.Hour)) {
			t.Errorf("snapshot %+v", in)
		}
	}
	// From the archive's rows: on 2025-02-18 the best open model is
	// DeepSeek-R1 (MIT, rank 5) and the best open model not from a Chinese
	// lab Athene-v2-Chat-72B (NexusFlow, rank 22); on 2025-08-04 GLM-4.5
	// (Z.ai, MIT, rank 3) and Gemma-3-27B-it (Google, Gemma, rank 44).
	for _, tt := range []struct {
		at, leader string
		lrank      int
		best       string
		brank      int
	}{
		{"2025-03", "DeepSeek-R1", 5, "Athene-v2-Chat-72B", 22},
		{"2025-08-05", "GLM-4.5", 3, "Gemma-3-27B-it", 44},
	} {
		rep := decode[reportJSON](t, c.must("report", "arena-text-raw", "--at", tt.at, "--json").stdout)
		r := rep.Boards[0]
		if r.Origin != arenawatch.OriginImported || r.LeadingOpen == nil || r.LeadingOpen.Model != tt.leader || r.LeadingOpen.Rank != tt.lrank ||
			r.BestOpenNonCN == nil || r.BestOpenNonCN.Model != tt.best || r.BestOpenNonCN.Rank != tt.brank {
			t.Errorf("report --at %s: leading %+v, best non-CN %+v", tt.at, r.LeadingOpen, r.BestOpenNonCN)
		}
	}
}

// TestImportCSVFailedDate: a date with a malformed score fails alone; the
// other dates are stored, the exit code says something failed, and a
// re-run still stores nothing new.
func TestImportCSVFailedDate(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	var b strings.Builder
	b.WriteString("date,model,score\n")
	for _, d := range []string{"2024-01-10", "2024-02-10", "2024-03-10"} {
		for i := range 20 {
			score := strconv.Itoa(1300 - i)
			if d == "2024-02-10" && i == 7 {
				score = "13OO"
			}
			b.WriteString(d + ",model-" + strconv.Itoa(i) + "," + score + "\n")
		}
	}
	file := filepath.Join(c.home, "history.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r := c.run("import", "csv", file, "--board", "arena-text-raw")
	want := `failed 2024-02-10: line 29, column "score": "13OO" is not a number`
	if r.code != exitFailure || !strings.Contains(r.stderr, "2 stored, 0 unchanged, 1 failed") || !strings.Contains(r.stderr, want) {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	sum := decode[importCSVJSON](t, c.run("import", "csv", file, "--board", "arena-text-raw", "--json").stdout)
	if l := sum.Boards[0]; sum.OK || l.Stored != 0 || l.Unchanged != 2 || l.Failed != 1 || l.Results[1].Status != "failed" {
		t.Fatalf("second import: %+v", l)
	}
}

func TestImportCSVUsage(t *testing.T) {
	c := newCLI(t)
	noModel := filepath.Join(c.home, "nomodel.csv")
	if err := os.WriteFile(noModel, []byte("date,llm,score\n2024-01-01,a,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"NoBoard", []string{"import", "csv", archiveCSV}, exitUsage, "--board BOARD"},
		{"UnknownBoard", []string{"import", "csv", archiveCSV, "--board", "lmarena"}, exitUsage, `unknown board "lmarena"`},
		{"UnknownBoardHint", []string{"import", "csv", archiveCSV, "--board", "lmarena"}, exitUsage, "arena-text-raw"},
		{"NoFile", []string{"import", "csv", "/nonexistent/a.csv", "--board", "arena-text"}, exitUsage, "/nonexistent/a.csv"},
		{"NoArgs", []string{"import", "csv", "--board", "arena-text"}, exitUsage, "name one FILE"},
		{"MissingColumn", []string{"import", "csv", noModel, "--board", "arena-text"}, exitUsage, "no model column"},
		{"MissingColumnHint", []string{"import", "csv", noModel, "--board", "arena-text"}, exitUsage, "--map COLUMN=model"},
		{"BadMap", []string{"import", "csv", noModel, "--board", "arena-text", "--map", "llm"}, exitUsage, "want COLUMN=FIELD"},
		{"UnknownField", []string{"import", "csv", noModel, "--board", "arena-text", "--map", "llm=modle"}, exitUsage, `unknown field "modle"`},
		{"DateColumnClash", []string{"import", "csv", noModel, "--board", "arena-text", "--map", "llm=model", "--date-column", "llm"}, exitUsage, "disagree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr+r.stdout, tt.wantErr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", r.code, r.stdout, r.stderr, tt.code, tt.wantErr)
			}
		})
	}
	// --map fixes the file that failed above.
	r := c.run("import", "csv", noModel, "--board", "arena-text", "--map", "llm=model", "--min-rows", "1", "--json")
	if sum := decode[importCSVJSON](t, r.stdout); r.code != 0 || sum.Boards[0].Stored != 1 {
		t.Fatalf("with --map: exit %d, %+v\n%s", r.code, sum, r.stderr)
	}
}

// TestImportSubcommandsKeepSource: with the csv and export subcommands
// under 'import', 'import SOURCE [BOARD...]' reads its arguments as before.
func TestImportSubcommandsKeepSource(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	sum := decode[importJSON](t, c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--json").stdout)
	if sum.Source != "hf-leaderboard" || sum.Boards[0].Stored != 10 {
		t.Fatalf("import hf-leaderboard: %+v", sum)
	}
	if r := c.run("import", "kaggle"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown source "kaggle"`) {
		t.Fatalf("import kaggle: exit %d, %s", r.code, r.stderr)
	}
	if r := c.must("import", "--help"); !strings.Contains(r.stdout, "csv") || !strings.Contains(r.stdout, "export") {
		t.Errorf("import --help lists no subcommands:\n%s", r.stdout)
	}
}
