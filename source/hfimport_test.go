package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/store"
)

const hfFullFixture = "huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main/text/full-00000-of-00001.parquet"

// The publish dates of the fixture and their rows, counted in the source
// CSV (fixtures/huggingface.co/SOURCES.md).
var hfFullDates = []struct {
	date string
	rows int
}{
	{"2024-06-19", 109}, {"2024-08-14", 128}, {"2024-10-16", 152}, {"2024-12-20", 177}, {"2025-02-18", 170},
	{"2025-04-06", 187}, {"2025-05-23", 202}, {"2025-06-25", 209}, {"2025-07-27", 259}, {"2025-08-04", 265},
}

func hfFullDoc() arenawatch.Document {
	return arenawatch.Document{Name: "full", Method: "GET", Status: 200,
		URL: "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main/text/full-00000-of-00001.parquet"}
}

func TestImportHFDatasetFixture(t *testing.T) {
	body := testutil.Fixture(t, hfFullFixture)
	b := hfBoardByID(t, "hf-text-raw")
	got, err := ImportHFDataset(b, body, hfFullDoc())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(hfFullDates) {
		t.Fatalf("%d dates, want %d", len(got), len(hfFullDates))
	}
	sum := sha256.Sum256(body)
	sha := hex.EncodeToString(sum[:])
	for i, w := range hfFullDates {
		ds := got[i]
		if ds.Err != nil {
			t.Errorf("%s: %v", w.date, ds.Err)
			continue
		}
		s := ds.Snapshot
		day, _ := time.Parse(time.DateOnly, w.date)
		if !ds.Date.Equal(day) || !s.AsOf.Equal(day) || !s.FetchedAt.Equal(day) || ds.Rows != w.rows || len(s.Rows) != w.rows || s.Totals.Models != w.rows {
			t.Errorf("%s: date %v as-of %v fetched %v, %d/%d rows; want %d", w.date, ds.Date, s.AsOf, s.FetchedAt, ds.Rows, len(s.Rows), w.rows)
		}
		if s.Origin != arenawatch.OriginImported || s.Board != "hf-text-raw" || s.ParserVersion != HFImportParserVersion ||
			s.SHA256 != sha || len(s.Documents) != 1 || s.Documents[0].SHA256 != sha || s.Documents[0].Size != len(body) ||
			s.Documents[0].URL != hfFullDoc().URL || s.ContentHash == "" || s.ContentHash != s.ComputeContentHash() {
			t.Errorf("%s: snapshot header %+v", w.date, s)
		}
		if err := arenawatch.Validate(s, b.Limits); err != nil {
			t.Errorf("%s: %v", w.date, err)
		}
	}
	// The first publish date, as LMArena's table shows it (GPT-4o first,
	// 1287 +3/-3, 42,046 votes); ranks were stored as floats (1.0).
	first := got[0].Snapshot.Rows[0]
	want := arenawatch.Row{Rank: 1, Model: "GPT-4o-2024-05-13", Organization: arenawatch.Str("OpenAI"), License: arenawatch.Str("Proprietary"),
		Score: 1287, ScoreLower: arenawatch.Float(1284), ScoreUpper: arenawatch.Float(1290), Votes: 42046}
	if mustJSON(t, first) != mustJSON(t, want) {
		t.Errorf("first row %s\nwant %s", mustJSON(t, first), mustJSON(t, want))
	}
}

// TestImportHFMatchesLatest: the fixture's last publish date is the day
// of the latest-split fixture, so import and scrape must read the same
// content, and a store would take the two for the same snapshot.
func TestImportHFMatchesLatest(t *testing.T) {
	got, err := ImportHFDataset(hfBoardByID(t, "hf-text-raw"), testutil.Fixture(t, hfFullFixture), hfFullDoc())
	if err != nil {
		t.Fatal(err)
	}
	imported := got[len(got)-1].Snapshot
	ex, err := ExtractHFPages(hfPageList(hfDocs(t, "hf-text-raw")), "overall")
	if err != nil {
		t.Fatal(err)
	}
	scraped := &arenawatch.Snapshot{AsOf: ex.AsOf, Totals: ex.Totals, Rows: ex.Rows}
	if scraped.ComputeContentHash() != imported.ContentHash {
		t.Fatalf("the import of %s and the latest split differ", imported.AsOf.Format(time.DateOnly))
	}
}

// pqRow is a row of the dataset as a parquet writer stores it: every
// column optional, the date a string, the rank a float.
type pqRow struct {
	ModelName    *string  `parquet:"model_name,optional"`
	Organization *string  `parquet:"organization,optional"`
	License      *string  `parquet:"license,optional"`
	Rating       *float64 `parquet:"rating,optional"`
	RatingLower  *float64 `parquet:"rating_lower,optional"`
	RatingUpper  *float64 `parquet:"rating_upper,optional"`
	Variance     *float64 `parquet:"variance,optional"`
	VoteCount    *int64   `parquet:"vote_count,optional"`
	Rank         *float64 `parquet:"rank,optional"`
	Category     *string  `parquet:"category,optional"`
	Date         *string  `parquet:"leaderboard_publish_date,optional"`
}

func pqRowOf(model string, rank float64, category, date string) pqRow {
	votes := int64(1000 + rank)
	return pqRow{ModelName: arenawatch.Str(model), Organization: arenawatch.Str("google"), License: arenawatch.Str("Apache 2.0"),
		Rating: arenawatch.Float(2000 - rank), RatingLower: arenawatch.Float(1990 - rank), RatingUpper: arenawatch.Float(2010 - rank),
		Variance: arenawatch.Float(3.25), VoteCount: &votes, Rank: &rank, Category: arenawatch.Str(category), Date: arenawatch.Str(date)}
}

func writeParquet[T any](t testing.TB, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, parquet.Compression(&parquet.Snappy))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportHFDatasetDates: each bad date fails alone, naming the date,
// the model and the row; other categories are left out.
func TestImportHFDatasetDates(t *testing.T) {
	var rows []pqRow
	add := func(date string, n int, edit func(i int, r *pqRow)) {
		for i := range n {
			r := pqRowOf(fmt.Sprintf("m-%d", i), float64(i+1), "overall", date)
			if edit != nil {
				edit(i, &r)
			}
			rows = append(rows, r)
			rows = append(rows, pqRowOf(fmt.Sprintf("m-%d", i), float64(i+1), "coding", date))
		}
	}
	add("2024-01-10", 25, nil)
	add("2024-02-10", 25, func(i int, r *pqRow) {
		if i == 7 {
			r.ModelName = arenawatch.Str("m-3")
		}
	})
	add("2024-03-10", 25, func(i int, r *pqRow) {
		if i == 4 {
			r.Rank = arenawatch.Float(4.5)
		}
	})
	add("2024-04-10", 5, nil)
	add("2024-05-10", 25, func(i int, r *pqRow) {
		r.RatingLower, r.RatingUpper, r.VoteCount, r.Variance = nil, nil, nil, nil // old rows: no CI, no votes
	})
	got, err := ImportHFDataset(hfBoardByID(t, "hf-text-raw"), writeParquet(t, rows), hfFullDoc())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		date, err string
	}{
		{"2024-01-10", ""},
		{"2024-02-10", ""}, // m-3 twice, with other values: kept apart, see below
		{"2024-03-10", `2024-03-10: row 108 of the file: model "m-4" has rank 4.5, not a whole number from 1`},
		{"2024-04-10", "2024-04-10: snapshot rejected: too few rows: 5, want at least 20"},
		{"2024-05-10", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("%d dates, want %d", len(got), len(want))
	}
	for i, w := range want {
		ds := got[i]
		if ds.Date.Format(time.DateOnly) != w.date {
			t.Errorf("date %d: %s, want %s", i, ds.Date.Format(time.DateOnly), w.date)
		}
		if w.err == "" {
			if ds.Err != nil || ds.Snapshot == nil || len(ds.Snapshot.Rows) != 25 {
				t.Errorf("%s: %v", w.date, ds.Err)
			}
			continue
		}
		if ds.Snapshot != nil || ds.Err == nil || !strings.Contains(ds.Err.Error(), w.err) || arenawatch.KindOf(ds.Err) != arenawatch.KindDrift {
			t.Errorf("%s: snapshot %v, error %v\nwant %q", w.date, ds.Snapshot != nil, ds.Err, w.err)
		}
	}
	if s := got[1].Snapshot; s == nil || !strings.Contains(strings.Join(s.Notes, "\n"), `m-3 kept as "m-3 [2]"`) {
		t.Errorf("2024-02-10: a model listed twice with other values is not kept apart with a note")
	}
	old := got[4].Snapshot.Rows[0]
	if old.ScoreLower != nil || old.ScoreUpper != nil || old.Votes != 0 || old.Metrics != nil {
		t.Errorf("a row without CI and votes read as %+v", old)
	}
}

// The publish date may be stored as a DATE or a TIMESTAMP, the rank as an
// integer, the votes as a float: the content read is the same.
type pqDate32 struct {
	ModelName    string   `parquet:"model_name"`
	Organization *string  `parquet:"organization,optional"`
	License      *string  `parquet:"license,optional"`
	Rating       float64  `parquet:"rating"`
	RatingLower  *float64 `parquet:"rating_lower,optional"`
	RatingUpper  *float64 `parquet:"rating_upper,optional"`
	Variance     *float64 `parquet:"variance,optional"`
	VoteCount    *float64 `parquet:"vote_count,optional"`
	Rank         int64    `parquet:"rank"`
	Category     string   `parquet:"category"`
	Date         int32    `parquet:"leaderboard_publish_date,date"`
}

type pqTimestamp struct {
	ModelName    string   `parquet:"model_name"`
	Organization *string  `parquet:"organization,optional"`
	License      *string  `parquet:"license,optional"`
	Rating       float64  `parquet:"rating"`
	RatingLower  *float64 `parquet:"rating_lower,optional"`
	RatingUpper  *float64 `parquet:"rating_upper,optional"`
	Variance     *float64 `parquet:"variance,optional"`
	VoteCount    *int64   `parquet:"vote_count,optional"`
	Rank         int32    `parquet:"rank"`
	Category     string   `parquet:"category"`
	Date         int64    `parquet:"leaderboard_publish_date,timestamp(millisecond)"`
}

func TestImportHFDatasetColumnTypes(t *testing.T) {
	day := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	var str []pqRow
	var d32 []pqDate32
	var ts []pqTimestamp
	for i := range 25 {
		r := pqRowOf(fmt.Sprintf("m-%d", i), float64(i+1), "overall", day.Format(time.DateOnly))
		str = append(str, r)
		votes := float64(*r.VoteCount)
		d32 = append(d32, pqDate32{*r.ModelName, r.Organization, r.License, *r.Rating, r.RatingLower, r.RatingUpper, r.Variance,
			&votes, int64(*r.Rank), "overall", int32(day.Unix() / 86400)})
		ts = append(ts, pqTimestamp{*r.ModelName, r.Organization, r.License, *r.Rating, r.RatingLower, r.RatingUpper, r.Variance,
			r.VoteCount, int32(*r.Rank), "overall", day.UnixMilli()})
	}
	b := hfBoardByID(t, "hf-text-raw")
	var hashes []string
	for name, body := range map[string][]byte{"string": writeParquet(t, str), "date32": writeParquet(t, d32), "timestamp": writeParquet(t, ts)} {
		got, err := ImportHFDataset(b, body, hfFullDoc())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != 1 || got[0].Err != nil || !got[0].Date.Equal(day) {
			t.Fatalf("%s: %+v", name, got)
		}
		hashes = append(hashes, got[0].Snapshot.ContentHash)
	}
	if hashes[0] != hashes[1] || hashes[1] != hashes[2] {
		t.Errorf("the column types changed the content: %v", hashes)
	}
}

type pqNoVariance struct {
	ModelName    string  `parquet:"model_name"`
	Organization string  `parquet:"organization"`
	License      string  `parquet:"license"`
	Rating       float64 `parquet:"rating"`
	RatingLower  float64 `parquet:"rating_lower"`
	RatingUpper  float64 `parquet:"rating_upper"`
	VoteCount    int64   `parquet:"vote_count"`
	Rank         int64   `parquet:"rank"`
	Category     string  `parquet:"category"`
	Date         string  `parquet:"leaderboard_publish_date"`
}

type pqFloatDate struct {
	ModelName    string  `parquet:"model_name"`
	Organization string  `parquet:"organization"`
	License      string  `parquet:"license"`
	Rating       float64 `parquet:"rating"`
	RatingLower  float64 `parquet:"rating_lower"`
	RatingUpper  float64 `parquet:"rating_upper"`
	Variance     float64 `parquet:"variance"`
	VoteCount    int64   `parquet:"vote_count"`
	Rank         int64   `parquet:"rank"`
	Category     string  `parquet:"category"`
	Date         float64 `parquet:"leaderboard_publish_date"`
}

// TestImportHFDatasetBadFile: a file that is not the dataset fails the
// whole import with drift and says why.
func TestImportHFDatasetBadFile(t *testing.T) {
	b := hfBoardByID(t, "hf-text-raw")
	tests := []struct {
		name    string
		body    []byte
		wantErr string
	}{
		{"html", []byte("<!DOCTYPE html><html><body>Not Found</body></html>"), `not a parquet file (50 bytes, starting "<!DOCTYPE html><"`},
		{"lfs pointer", []byte("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1234\n"), "not a parquet file"},
		{"cut short", testutil.Fixture(t, hfFullFixture)[:30000], "not a parquet file"},
		{"no variance", writeParquet(t, []pqNoVariance{{ModelName: "a", Category: "overall", Date: "2024-01-10", Rank: 1}}), `the file has no column "variance"`},
		{"date is a float", writeParquet(t, []pqFloatDate{{ModelName: "a", Category: "overall", Date: 1.5, Rank: 1}}), `column "leaderboard_publish_date" is DOUBLE (no logical type), not a date`},
		{"bad date text", writeParquet(t, []pqRow{pqRowOf("a", 1, "overall", "10 Jan 2024")}), `row 0 of the file: leaderboard_publish_date "10 Jan 2024" is not a date`},
		{"no such category", writeParquet(t, []pqRow{pqRowOf("a", 1, "coding", "2024-01-10")}), `the file has no rows of category "overall"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ImportHFDataset(b, tt.body, hfFullDoc())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || arenawatch.KindOf(err) != arenawatch.KindDrift {
				t.Fatalf("%d dates, error %v; want drift %q", len(got), err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "hf-text-raw: "+hfFullDoc().URL+": ") {
				t.Errorf("error %q does not name the board and the file", err)
			}
		})
	}
}

// TestImportHFDatasetStore stores the fixture's dates, then imports them
// again: the second import stores nothing, and a time between two publish
// dates finds the earlier one.
func TestImportHFDatasetStore(t *testing.T) {
	body := testutil.Fixture(t, hfFullFixture)
	got, err := ImportHFDataset(hfBoardByID(t, "hf-text-raw"), body, hfFullDoc())
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "aw.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw := map[string][]byte{got[0].Snapshot.SHA256: body}
	ctx := context.Background()
	for round, want := range []store.Outcome{store.OutcomeStored, store.OutcomeUnchanged} {
		for _, ds := range got {
			res, err := db.Save(ctx, ds.Snapshot, raw)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != want || !res.Snapshot.FetchedAt.Equal(ds.Date) {
				t.Fatalf("round %d, %s: %s at %v, want %s", round, ds.Date.Format(time.DateOnly), res.Outcome, res.Snapshot.FetchedAt, want)
			}
		}
	}
	infos, err := db.Snapshots("hf-text-raw")
	if err != nil || len(infos) != len(hfFullDates) {
		t.Fatalf("%d snapshots stored, want %d (%v)", len(infos), len(hfFullDates), err)
	}
	at, err := db.At("hf-text-raw", time.Date(2025, 3, 31, 23, 59, 59, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if at.AsOf.Format(time.DateOnly) != "2025-02-18" || at.Origin != arenawatch.OriginImported || len(at.Rows) != 170 {
		t.Fatalf("at the end of March 2025: as of %s, origin %s, %d rows", at.AsOf.Format(time.DateOnly), at.Origin, len(at.Rows))
	}
	if stored, err := db.Raw(got[0].Snapshot.SHA256); err != nil || !bytes.Equal(stored, body) {
		t.Fatalf("the file is not kept among the raw bodies: %v", err)
	}
}

// TestImportHFDatasetCorrupt: a parquet file damaged inside (its magic
// bytes intact, its offsets and pages not) fails the import with a clear
// error, damaged or drift, never a panic in parquet-go.
func TestImportHFDatasetCorrupt(t *testing.T) {
	b := hfBoardByID(t, "hf-text-raw")
	good := testutil.Fixture(t, hfFullFixture)
	r := rand.New(rand.NewPCG(3, 5))
	failed, damaged := 0, 0
	for i := range 200 {
		body := append([]byte(nil), good...)
		// Damage the footer (metadata, where offsets live) in half the
		// cases, anywhere between the magic bytes in the others.
		lo := 4
		if i%2 == 0 {
			lo = len(body) - 4 - min(600, len(body)-8)
		}
		for range 1 + i%6 {
			body[lo+r.IntN(len(body)-4-lo)] ^= byte(1 + r.IntN(255))
		}
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("variant %d: panic: %v", i, p)
				}
			}()
			_, err = ImportHFDataset(b, body, hfFullDoc())
		}()
		if err == nil {
			continue // the flips hit bytes nobody reads, or values that still parse
		}
		failed++
		switch arenawatch.KindOf(err) {
		case arenawatch.KindDamaged:
			damaged++
		case arenawatch.KindDrift:
		default:
			t.Errorf("variant %d: %v (kind %v)", i, err, arenawatch.KindOf(err))
		}
	}
	if damaged == 0 || failed < 50 {
		t.Errorf("%d of 200 variants failed, %d as damaged: the damage did not reach the reader", failed, damaged)
	}
}

// TestImportHFDatasetStream: each date is handed over once its last row is
// read, whole, even when its rows are split by another date's; an error
// from the receiver stops the read.
func TestImportHFDatasetStream(t *testing.T) {
	var rows []pqRow
	add := func(date string, from, n int) {
		for i := from; i < from+n; i++ {
			rows = append(rows, pqRowOf(fmt.Sprintf("m-%d", i), float64(i+1), "overall", date))
		}
	}
	add("2024-01-10", 0, 25)
	add("2024-02-10", 0, 20) // split: 20 rows, then a March row, then 5 more
	add("2024-03-10", 0, 1)
	add("2024-02-10", 20, 5)
	add("2024-03-10", 1, 24)
	body := writeParquet(t, rows)
	b := hfBoardByID(t, "hf-text-raw")
	var got []string
	err := ImportHFDatasetStream(b, body, hfFullDoc(), func(ds DatedSnapshot) error {
		if ds.Err != nil {
			t.Errorf("%s: %v", ds.Date.Format(time.DateOnly), ds.Err)
			return nil
		}
		got = append(got, fmt.Sprintf("%s:%d", ds.Date.Format(time.DateOnly), len(ds.Snapshot.Rows)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2024-01-10:25", "2024-02-10:25", "2024-03-10:25"}; !slices.Equal(got, want) {
		t.Errorf("dates handed over: %v, want %v", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err = ImportHFDatasetStream(b, body, hfFullDoc(), func(DatedSnapshot) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("a receiver that fails: %d dates, %v; want 1 and its error", n, err)
	}
}
