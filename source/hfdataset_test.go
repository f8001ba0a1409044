package source

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/replay"
)

// hfRowsFixture returns the fixture path of one rows API page of the
// latest split of config, named as replay finds it.
func hfRowsFixture(config string, offset int) string {
	q := fmt.Sprintf("dataset=lmarena-ai/leaderboard-dataset&config=%s&split=latest&offset=%d&length=100", config, offset)
	return "datasets-server.huggingface.co/rows/" + replay.ExchangeKey(q, nil) + ".json"
}

// hfFixturePages are the fixture pages of each board's latest split.
var hfFixturePages = map[string][]string{
	"hf-webdev":   {hfRowsFixture("webdev", 0)},
	"hf-text":     {hfRowsFixture("text_style_control", 0), hfRowsFixture("text_style_control", 100), hfRowsFixture("text_style_control", 200)},
	"hf-text-raw": {hfRowsFixture("text", 0), hfRowsFixture("text", 100), hfRowsFixture("text", 200)},
	"hf-vision":   {hfRowsFixture("vision", 0)},
}

func hfBoardByID(t testing.TB, id string) arenawatch.Board {
	t.Helper()
	b, ok := hfDatasetBoards().Get(id)
	if !ok {
		t.Fatalf("no board %s", id)
	}
	return b
}

func hfDocs(t testing.TB, id string) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for i, p := range hfFixturePages[id] {
		docs[hfPageName(i)] = testutil.Fixture(t, p)
	}
	return docs
}

// TestExtractHFGolden reads each fixture split and checks facts taken
// from the source data (fixtures/datasets-server.huggingface.co/SOURCES.md)
// before comparing everything with the golden file.
func TestExtractHFGolden(t *testing.T) {
	tests := []struct {
		board     string
		rows      int
		asOf      string
		first     arenawatch.Row
		lastModel string
	}{
		// The webdev excerpt: 12 of its 21 rows are category overall, all
		// published 2026-10-06; the best of them is rank 11.
		{"hf-webdev", 12, "2026-10-06", arenawatch.Row{Rank: 11, Model: "qwen3.8-max-0902", Organization: arenawatch.Str("alibaba"),
			License: arenawatch.Str("Proprietary"), Score: 1672.04276413774, ScoreLower: arenawatch.Float(1664.422534394691),
			ScoreUpper: arenawatch.Float(1679.6629938807896), Votes: 10549, Metrics: map[string]float64{"variance": 15.116106679066563}}, "mistral-large-3"},
		// lmarena.ai text, style control (the site's default), scraped
		// 2025-11-09: 223 rows, ranks with ties (three models share rank 1).
		{"hf-text", 223, "2025-11-09", arenawatch.Row{Rank: 1, Model: "gemini-2.5-pro", Organization: arenawatch.Str("Google"),
			License: arenawatch.Str("Proprietary"), Score: 1452, ScoreLower: arenawatch.Float(1448), ScoreUpper: arenawatch.Float(1456), Votes: 62764}, "mistral-7b-instruct-v0.2"},
		// LMArena text (raw), 2025-08-04: 266 rows upstream, one duplicate
		// display name dropped.
		{"hf-text-raw", 265, "2025-08-04", arenawatch.Row{Rank: 1, Model: "Gemini-2.5-Pro", Organization: arenawatch.Str("Google"),
			License: arenawatch.Str("Proprietary"), Score: 1470, ScoreLower: arenawatch.Float(1465), ScoreUpper: arenawatch.Float(1475), Votes: 26019}, "LLaMA-13B"},
		{"hf-vision", 86, "2025-08-04", arenawatch.Row{Rank: 1, Model: "Gemini-2.5-Pro", Organization: arenawatch.Str("Google"),
			License: arenawatch.Str("Proprietary"), Score: 1317, ScoreLower: arenawatch.Float(1308), ScoreUpper: arenawatch.Float(1326), Votes: 7681}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.board, func(t *testing.T) {
			b := hfBoardByID(t, tt.board)
			ex, err := extractors[b.Extractor].Run(b, hfDocs(t, tt.board))
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.Rows) != tt.rows || ex.AsOf.Format(time.DateOnly) != tt.asOf || ex.Totals.Models != tt.rows {
				t.Fatalf("%d rows as of %s, totals %+v; want %d as of %s", len(ex.Rows), ex.AsOf.Format(time.DateOnly), ex.Totals, tt.rows, tt.asOf)
			}
			if got, _ := json.Marshal(ex.Rows[0]); string(got) != mustJSON(t, tt.first) {
				t.Errorf("first row %s\nwant %s", got, mustJSON(t, tt.first))
			}
			if tt.lastModel != "" && ex.Rows[len(ex.Rows)-1].Model != tt.lastModel {
				t.Errorf("last row %s, want %s", ex.Rows[len(ex.Rows)-1].Model, tt.lastModel)
			}
			for i := 1; i < len(ex.Rows); i++ {
				if ex.Rows[i].Rank < ex.Rows[i-1].Rank {
					t.Fatalf("rows not in rank order at %d", i)
				}
			}
			testutil.Golden(t, "testdata/golden/"+tt.board+".json", ex)
		})
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// hfSplit serves a synthetic split on the rows API: n rows, category
// overall unless cat says otherwise, pages of at most pageCap rows.
type hfSplit struct {
	n, pageCap int
	cat        func(i int) string
	mu         sync.Mutex
	queries    []string
}

func (s *hfSplit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/rows" {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.queries = append(s.queries, r.URL.RawQuery)
	s.mu.Unlock()
	q := r.URL.Query()
	off, _ := strconv.Atoi(q.Get("offset"))
	length, _ := strconv.Atoi(q.Get("length"))
	end := min(off+min(length, s.pageCap), s.n)
	var rows []string
	for i := off; i < end; i++ {
		cat := "overall"
		if s.cat != nil {
			cat = s.cat(i)
		}
		rows = append(rows, fmt.Sprintf(`{"row_idx":%d,"row":%s,"truncated_cells":[]}`, i, hfRowJSON(fmt.Sprintf("model-%d", i), i+1, cat, "2026-10-06")))
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"features":[],"rows":[%s],"num_rows_total":%d,"num_rows_per_page":100,"partial":false}`, strings.Join(rows, ","), s.n)
}

// hfRowJSON is one row object of the dataset.
func hfRowJSON(model string, rank int, category, date string) string {
	return fmt.Sprintf(`{"model_name":%q,"organization":"google","license":"Apache 2.0","rating":%d.5,"rating_lower":%d.0,"rating_upper":%d.0,`+
		`"variance":3.25,"vote_count":%d,"rank":%d,"category":%q,"leaderboard_publish_date":%q}`,
		model, 2000-rank, 1990-rank, 2010-rank, 1000+rank, rank, category, date)
}

// hfPageJSON builds one rows API page from row objects starting at
// row_idx from.
func hfPageJSON(from, total int, rows ...string) string {
	var rs []string
	for i, r := range rows {
		rs = append(rs, fmt.Sprintf(`{"row_idx":%d,"row":%s,"truncated_cells":[]}`, from+i, r))
	}
	return fmt.Sprintf(`{"features":[],"rows":[%s],"num_rows_total":%d,"num_rows_per_page":100,"partial":false}`, strings.Join(rs, ","), total)
}

// TestHFDrift checks that every broken page fails with drift (or, for a
// split that changed while it was read, transient) naming the page and
// the row.
func TestHFDrift(t *testing.T) {
	good := func(n int) []string {
		var rows []string
		for i := range n {
			rows = append(rows, hfRowJSON(fmt.Sprintf("model-%d", i), i+1, "overall", "2026-10-06"))
		}
		return rows
	}
	rows := good(3)
	replace := func(i int, old, new string) []string {
		out := append([]string(nil), rows...)
		out[i] = strings.Replace(out[i], old, new, 1)
		return out
	}
	tests := []struct {
		name    string
		pages   []string
		kind    arenawatch.Kind
		wantErr string
	}{
		{"html", []string{"<!DOCTYPE html><html><body>Oops</body></html>"}, arenawatch.KindDrift, "page-0: not a JSON object"},
		{"api error", []string{`{"error":"The dataset does not exist."}`}, arenawatch.KindDrift, "page-0: the API answered with an error: The dataset does not exist."},
		{"no rows", []string{`{"num_rows_total":3}`}, arenawatch.KindDrift, `page-0 has no "rows" array`},
		{"no total", []string{`{"rows":[]}`}, arenawatch.KindDrift, `page-0.num_rows_total: missing`},
		{"rows not an array", []string{`{"rows":{},"num_rows_total":3}`}, arenawatch.KindDrift, `page-0.rows: not a JSON array`},
		{"no row_idx", []string{strings.Replace(hfPageJSON(0, 3, rows...), `"row_idx":1,`, "", 1)}, arenawatch.KindDrift, `page-0.rows[1].row_idx: missing`},
		{"missing column", []string{hfPageJSON(0, 3, replace(1, `"license":"Apache 2.0",`, "")...)}, arenawatch.KindDrift, `page-0, row_idx 1 has no "license"`},
		{"half rank", []string{hfPageJSON(0, 3, replace(2, `"rank":3`, `"rank":2.5`)...)}, arenawatch.KindDrift, `page-0, row_idx 2: model "model-2" has rank 2.5`},
		{"float rank accepted", []string{hfPageJSON(0, 3, replace(2, `"rank":3`, `"rank":3.0`)...)}, 0, ""},
		{"rank zero", []string{hfPageJSON(0, 3, replace(0, `"rank":1`, `"rank":0`)...)}, arenawatch.KindDrift, `page-0, row_idx 0: model "model-0" has rank 0`},
		{"rank as a numeric string accepted", []string{hfPageJSON(0, 3, replace(0, `"rank":1`, `"rank":"1"`)...)}, 0, ""},
		{"rank is an object", []string{hfPageJSON(0, 3, replace(0, `"rank":1`, `"rank":{"value":1}`)...)}, arenawatch.KindDrift, `page-0, row_idx 0: rank: not a number`},
		{"organization is a number", []string{hfPageJSON(0, 3, replace(0, `"organization":"google"`, `"organization":7`)...)}, arenawatch.KindDrift, `page-0, row_idx 0: organization: not a string`},
		{"null organization accepted", []string{hfPageJSON(0, 3, replace(0, `"organization":"google"`, `"organization":null`)...)}, 0, ""},
		{"malformed vote_count dropped", []string{hfPageJSON(0, 3, replace(0, `"vote_count":1001`, `"vote_count":"many"`)...)}, 0, ""},
		{"null rating", []string{hfPageJSON(0, 3, replace(0, `"rating":1999.5`, `"rating":null`)...)}, arenawatch.KindDrift, `page-0, row_idx 0: model "model-0" has no rating`},
		// A repeated model is kept: Seal settles it.
		{"duplicate model", []string{hfPageJSON(0, 3, replace(2, `"model-2"`, `"model-0"`)...)}, 0, ""},
		{"duplicate on another date is fine", []string{hfPageJSON(0, 3, rows[0], rows[1],
			strings.NewReplacer(`"model-2"`, `"model-0"`, "2026-10-06", "2026-09-30").Replace(rows[2]))}, 0, ""},
		{"null date", []string{hfPageJSON(0, 3, replace(1, `"2026-10-06"`, `null`)...)}, arenawatch.KindDrift, "page-0, row_idx 1: leaderboard_publish_date: null"},
		{"bad date", []string{hfPageJSON(0, 3, replace(1, `"2026-10-06"`, `"06/10/2026"`)...)}, arenawatch.KindDrift, `page-0, row_idx 1: leaderboard_publish_date "06/10/2026" is not a date`},
		{"truncated", []string{strings.Replace(hfPageJSON(0, 3, rows...), `"truncated_cells":[]`, `"truncated_cells":["model_name"]`, 1)}, arenawatch.KindDrift, "page-0, row_idx 0: cells truncated by the API: model_name"},
		{"partial", []string{strings.Replace(hfPageJSON(0, 3, rows...), `"partial":false`, `"partial":true`, 1)}, arenawatch.KindDrift, `"partial": true`},
		{"short", []string{hfPageJSON(0, 4, rows...)}, arenawatch.KindDrift, "the pages hold 3 rows, but num_rows_total is 4"},
		{"gap", []string{hfPageJSON(0, 5, rows[:2]...), hfPageJSON(3, 5, rows[2])}, arenawatch.KindDrift, "page-1, row_idx 3: expected row_idx 2"},
		{"total changed", []string{hfPageJSON(0, 3, rows[:2]...), hfPageJSON(2, 4, rows[2])}, arenawatch.KindTransient, "the split changed while it was read"},
		{"no such category", []string{hfPageJSON(0, 1, strings.Replace(rows[0], `"overall"`, `"coding"`, 1))}, arenawatch.KindDrift,
			`no rows of category "overall" among 1 rows (categories: "coding")`},
		{"feature missing", []string{strings.Replace(hfPageJSON(0, 3, rows...), `"features":[]`, `"features":[{"feature_idx":0,"name":"model_name","type":{"dtype":"string","_type":"Value"}}]`, 1)},
			arenawatch.KindDrift, `page-0: the split has no column "organization"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pages [][]byte
			for _, p := range tt.pages {
				pages = append(pages, []byte(p))
			}
			ex, err := ExtractHFPages(pages, "overall")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				if len(ex.Rows) == 0 {
					t.Fatal("no rows")
				}
				return
			}
			if err == nil {
				t.Fatalf("want %q, got %d rows", tt.wantErr, len(ex.Rows))
			}
			if !strings.Contains(err.Error(), tt.wantErr) || arenawatch.KindOf(err) != tt.kind {
				t.Fatalf("error %q (%v)\nwant %q (%v)", err, arenawatch.KindOf(err), tt.wantErr, tt.kind)
			}
		})
	}
}

// TestHFTolerance changes each member of a real-shaped rows API page that
// the answer does not need (removed, retyped: same rows, paging still
// works) and removes each one it needs (the board fails naming it). See
// ExtractHFPages for the lists.
func TestHFTolerance(t *testing.T) {
	checkTolerance(t, tolerance{
		body: testutil.Fixture(t, hfFixturePages["hf-webdev"][0]),
		extract: func(body []byte) (int, error) {
			if _, _, err := hfCovered("page-0", body); err != nil {
				return 0, err
			}
			ex, err := ExtractHFPages([][]byte{body}, "overall")
			if err != nil {
				return 0, err
			}
			return len(ex.Rows), nil
		},
		needed: []string{"rows", "num_rows_total", "row_idx", "row", "model_name", "organization", "license", "rating", "rank",
			"category", "leaderboard_publish_date"},
		ignored: []string{"features", "feature_idx", "type", "dtype", "_type", "num_rows_per_page", "partial", "truncated_cells",
			"rating_lower", "rating_upper", "variance", "vote_count"},
	})
	// A malformed value of a column the answer does not need is left out
	// and said in a note; the row and its answer stay.
	body, n := mutateJSON(t, testutil.Fixture(t, hfFixturePages["hf-webdev"][0]), "vote_count", retype)
	ex, err := ExtractHFPages([][]byte{body}, "overall")
	if err != nil || n != 21 {
		t.Fatalf("%d changed, %v", n, err)
	}
	if r := ex.Rows[0]; r.Votes != 0 || r.Score != 1672.04276413774 || deref(r.License) != "Proprietary" {
		t.Errorf("first row %+v", r)
	}
	if len(ex.Notes) != 2 || ex.Notes[1] != badFieldsNote(12) {
		t.Errorf("notes %q, want the 12 kept rows' vote counts counted", ex.Notes)
	}
}

// TestHFNext checks the paging function on its own: it stops at
// num_rows_total, asks for the next offset with the main URL's other
// parameters unchanged, and refuses an empty page in the middle.
func TestHFNext(t *testing.T) {
	b := hfBoardByID(t, "hf-text-raw")
	rows := []string{hfRowJSON("a", 1, "overall", "2026-10-06"), hfRowJSON("b", 2, "overall", "2026-10-06")}
	more, err := hfNext(b, map[string][]byte{"page-0": []byte(hfPageJSON(0, 5, rows...))})
	if err != nil || len(more) != 1 {
		t.Fatalf("%v %v", more, err)
	}
	if more[0].Name != "page-1" || more[0].URL != "?dataset=lmarena-ai/leaderboard-dataset&config=text&split=latest&offset=2&length=100" {
		t.Fatalf("next request %+v", more[0])
	}
	if more, err := hfNext(b, map[string][]byte{"page-0": []byte(hfPageJSON(0, 2, rows...))}); err != nil || more != nil {
		t.Fatalf("after the last page: %v %v", more, err)
	}
	if _, err := hfNext(b, map[string][]byte{"page-0": []byte(hfPageJSON(0, 5, rows...)), "page-1": []byte(hfPageJSON(2, 5))}); err == nil ||
		!strings.Contains(err.Error(), "page-1 has no rows, but num_rows_total is 5") {
		t.Fatalf("empty middle page: %v", err)
	}
	p0 := []byte(hfPageJSON(0, 5, rows...))
	if _, err := hfNext(b, map[string][]byte{"page-0": p0, "page-1": p0}); err == nil || !strings.Contains(err.Error(), "the API ignores offset") {
		t.Fatalf("the same page twice: %v", err)
	}
	if _, err := hfNext(b, map[string][]byte{"page-0": []byte("<html>")}); arenawatch.KindOf(err) != arenawatch.KindDrift {
		t.Fatalf("not JSON: %v", err)
	}
}

func readFile(t testing.TB, dir, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
