package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// Fuzz targets for every extractor that reads outside bytes. Each one
// checks the boundary's promise: whatever arrives, the extractor does not
// panic; a failure is an *arenawatch.Error of a kind the CLI maps to an
// exit code (never KindInternal, which means a bug); and a success gives
// rows with a model key and finite numbers that arenawatch.Seal accepts or
// rejects as drift. Seeds are the real fixtures, cut to a few KB (fuzzing
// slows down with the input's size) and kept well-formed, so that the
// fuzzer starts from inputs that reach the rows; crashers the fuzzer finds
// are kept in testdata/fuzz/<FuzzName>/ and run as regression tests by
// plain `go test`.

// checkFuzzExtract holds an extractor's result to the boundary's promise.
func checkFuzzExtract(t *testing.T, ex *Extract, err error) {
	t.Helper()
	if err != nil {
		checkFuzzError(t, err)
		return
	}
	if ex == nil {
		t.Fatal("nil extract and nil error")
	}
	checkFuzzRows(t, ex.Rows)
	snap := &arenawatch.Snapshot{Board: "fuzz", Rows: ex.Rows, Totals: ex.Totals}
	if err := arenawatch.Seal(snap, arenawatch.Limits{}); err != nil && !arenawatch.IsKind(err, arenawatch.KindDrift) {
		t.Fatalf("Seal: %v (kind %v)", err, arenawatch.KindOf(err))
	}
}

// checkFuzzError: an error at the boundary is an *arenawatch.Error with a
// kind that says what went wrong.
func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var ae *arenawatch.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %T is not an *arenawatch.Error: %v", err, err)
	}
	if k := arenawatch.KindOf(err); k == arenawatch.KindInternal {
		t.Fatalf("error of kind internal: %v", err)
	}
}

// checkFuzzRows: every row an extractor returns has a model key and
// finite numbers; bad input never becomes data.
func checkFuzzRows(t *testing.T, rows []arenawatch.Row) {
	t.Helper()
	fin := func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
	for i, r := range rows {
		if strings.TrimSpace(r.Model) == "" {
			t.Fatalf("row %d has no model: %+v", i+1, r)
		}
		if !fin(r.Score) {
			t.Fatalf("row %d (%s): score %v", i+1, r.Model, r.Score)
		}
		if (r.ScoreLower != nil && !fin(*r.ScoreLower)) || (r.ScoreUpper != nil && !fin(*r.ScoreUpper)) {
			t.Fatalf("row %d (%s): confidence bound is not finite", i+1, r.Model)
		}
		for name, v := range r.Metrics {
			if !fin(v) {
				t.Fatalf("row %d (%s): metric %s = %v", i+1, r.Model, name, v)
			}
		}
	}
}

// Seeds.

// fuzzJSONSeed returns a fixture's JSON with every array of more than 2n
// elements cut to its first n, and every map of records (an object whose
// members are all objects) of more than 2n members to its first n by key,
// re-encoded: still the live shape, but a few KB.
func fuzzJSONSeed(tb testing.TB, body []byte, n int) []byte {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		tb.Fatalf("seed is not JSON: %v", err)
	}
	var trim func(v any) any
	trim = func(v any) any {
		switch x := v.(type) {
		case []any:
			if len(x) > 2*n {
				x = x[:n]
			}
			for i := range x {
				x[i] = trim(x[i])
			}
			return x
		case map[string]any:
			if len(x) > 2*n && allObjects(x) {
				keys := make([]string, 0, len(x))
				for k := range x {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys[n:] {
					delete(x, k)
				}
			}
			for k := range x {
				x[k] = trim(x[k])
			}
			return x
		}
		return v
	}
	out, err := json.Marshal(trim(v))
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// allObjects reports whether every member of m is an object: a map of
// records (such as a registry keyed by model id), not a record.
func allObjects(m map[string]any) bool {
	for _, v := range m {
		if _, ok := v.(map[string]any); !ok {
			return false
		}
	}
	return true
}

// fuzzCSVSeed returns a CSV fixture's header and first n records.
func fuzzCSVSeed(tb testing.TB, body []byte, n int) []byte {
	tb.Helper()
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("seed is not CSV: %v", err)
	}
	if len(recs) > n+1 {
		recs = recs[:n+1]
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// fuzzHTMLSeed returns an HTML fixture without scripts, styles and
// images, with each table body cut to its first n rows.
func fuzzHTMLSeed(tb testing.TB, body []byte, n int) []byte {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	doc.Find("script, style, svg, img, noscript, link, meta").Remove()
	doc.Find("tbody").Each(func(_ int, s *goquery.Selection) {
		s.ChildrenFiltered("tr").Slice(min(n, s.ChildrenFiltered("tr").Length()), goquery.ToEnd).Remove()
	})
	// Long texts outside the tables (prose, nav) only slow the fuzzer.
	doc.Find("p, nav, footer, header, ul, ol").Not("table *").Not(":has(table)").Remove()
	h, err := goquery.OuterHtml(doc.Selection.Children())
	if err != nil {
		tb.Fatal(err)
	}
	return []byte("<!DOCTYPE html>" + h)
}

// Targets.

// FuzzDesignArena: the leaderboard and registry bodies of Design Arena.
func FuzzDesignArena(f *testing.F) {
	f.Add(fuzzJSONSeed(f, testutil.Fixture(f, "www.designarena.ai/api/leaderboard/b-422050248ebf.json"), 8),
		fuzzJSONSeed(f, testutil.Fixture(f, "www.designarena.ai/api/registry/index.json"), 8))
	f.Add(fuzzJSONSeed(f, testutil.Fixture(f, "www.designarena.ai/api/leaderboard/b-a9ce8186daf4.json"), 6),
		fuzzJSONSeed(f, testutil.Fixture(f, "www.designarena.ai/api/registry/index.json"), 30))
	f.Add([]byte(`{"success":true,"data":[{"displayName":"A","provider":"x","elo":1300,"battles":3,"winRate":50}]}`),
		[]byte(`{"models":{"a":{"displayName":"A","provider":"x","openSource":true,"arenas":{"models":["website"]}}}}`))
	f.Fuzz(func(t *testing.T, board, registry []byte) {
		for _, sel := range [][2]string{{"models", "website"}, {"agents", "fullstack"}} {
			ex, err := ExtractDesignArena(board, registry, sel[0], sel[1])
			checkFuzzExtract(t, ex, err)
		}
	})
}

// fuzzBoard returns a built-in board by id.
func fuzzBoard(tb testing.TB, id string) arenawatch.Board {
	tb.Helper()
	b, ok := Builtin().Get(id)
	if !ok {
		tb.Fatalf("no built-in board %s", id)
	}
	return b
}

// checkFuzzNext runs a board's next step on docs: no panic, and a failure
// is a kinded error.
func checkFuzzNext(t *testing.T, b arenawatch.Board, docs map[string][]byte) {
	t.Helper()
	if _, err := extractors[b.Extractor].Next(b, docs); err != nil {
		checkFuzzError(t, err)
	}
}

const (
	fuzzLiveBenchBundle = "livebench.ai/static/js/main.b0448181.js"
	fuzzLiveBenchTable  = "livebench.ai/table_2026_01_08.csv"
	fuzzLiveBenchCats   = "livebench.ai/categories_2026_01_08.json"
)

// FuzzLiveBenchBundle: the page that names the app bundle, and the bundle
// (release detection and the JS model list), read with the real table.
func FuzzLiveBenchBundle(f *testing.F) {
	f.Add(testutil.Fixture(f, "livebench.ai/index.html"), testutil.Fixture(f, fuzzLiveBenchBundle))
	f.Add([]byte(`<html><script src="/static/js/main.1.js"></script></html>`),
		[]byte(`useState("2026-01-08");const m={"gpt-x":{organization:"openai",openweight:!1},"qwen":{organization:'alibaba',openweight:!0,variants:[{rawName:"qwen-r",reasoner:!0}]}}`))
	f.Add([]byte(`<html></html>`), []byte(`"2026_01_08"===x?"2":["2025-01-01","2026-01-08",]`))
	b := fuzzBoard(f, "livebench")
	table := fuzzCSVSeed(f, testutil.Fixture(f, fuzzLiveBenchTable), 12)
	cats := testutil.Fixture(f, fuzzLiveBenchCats)
	f.Fuzz(func(t *testing.T, page, bundle []byte) {
		checkFuzzNext(t, b, map[string][]byte{"page": page})
		checkFuzzNext(t, b, map[string][]byte{"page": page, "bundle": bundle})
		ex, err := ExtractLiveBench(bundle, table, cats)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzLiveBenchData: the table CSV and the categories JSON, read with the
// real bundle.
func FuzzLiveBenchData(f *testing.F) {
	f.Add(fuzzCSVSeed(f, testutil.Fixture(f, fuzzLiveBenchTable), 10), testutil.Fixture(f, fuzzLiveBenchCats))
	f.Add([]byte("model,zebra_puzzle,typos\nqwen,50,\n\"a,b\",1e3,-0\n"), []byte(`{"Reasoning":["zebra_puzzle"],"Language":["typos"]}`))
	bundle := testutil.Fixture(f, fuzzLiveBenchBundle)
	f.Fuzz(func(t *testing.T, table, cats []byte) {
		ex, err := ExtractLiveBench(bundle, table, cats)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzSciArena: the SciArena leaderboard JSON.
func FuzzSciArena(f *testing.F) {
	f.Add(fuzzJSONSeed(f, testutil.Fixture(f, "sciarena.allen.ai/api/leaderboard/index.json"), 10))
	f.Add([]byte(`[{"modelId":"o3","rating":1151.3,"rating_q025":1127.1,"rating_q975":1174.4,"num_battles":1076,"rank":1}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ex, err := ExtractSciArena(body)
		checkFuzzExtract(t, ex, err)
	})
}

const fuzzOpenRouterDir = "openrouter.ai/api/v1/"

// FuzzOpenRouter: the export manifest, the daily CSV and the models list.
// The CSV is read twice: as given, checked against the fuzzed manifest
// (so a mismatch is exercised), and under a manifest made for it (so the
// CSV reader is reached whatever the fuzzer writes).
func FuzzOpenRouter(f *testing.F) {
	f.Add(testutil.Fixture(f, fuzzOpenRouterDir+"datasets/exports/rankings-daily/latest.manifest.json/index.json"),
		testutil.Fixture(f, fuzzOpenRouterDir+"datasets/exports/rankings-daily/2026-10-08.csv/index.csv"),
		fuzzJSONSeed(f, testutil.Fixture(f, fuzzOpenRouterDir+"models/index.json"), 12))
	f.Add([]byte(`{"files":{"csv":{"url":"a.csv","sha256":"x"}}}`),
		[]byte("date,model_permaslug,rank,total_tokens,share_of_daily_tokens\n2026-10-07,z/m-1,1,10,1.0\n"),
		[]byte(`{"data":[{"id":"z/m","canonical_slug":"z/m-1","hugging_face_id":"z/m","name":"M"}]}`))
	b := fuzzBoard(f, "openrouter-daily-tokens")
	f.Fuzz(func(t *testing.T, manifest, csvBody, models []byte) {
		checkFuzzNext(t, b, map[string][]byte{"manifest": manifest, "models": models})
		checkFuzzNext(t, b, map[string][]byte{"manifest": manifest, "models": models, "csv": csvBody})
		ex, err := ExtractOpenRouter(manifest, csvBody, models)
		checkFuzzExtract(t, ex, err)
		sum := sha256.Sum256(csvBody)
		own := fmt.Appendf(nil, `{"dataset":"rankings-daily","files":{"csv":{"url":"https://openrouter.ai/x.csv","bytes":%d,"sha256":%q}}}`,
			len(csvBody), hex.EncodeToString(sum[:]))
		ex, err = ExtractOpenRouter(own, csvBody, models)
		checkFuzzExtract(t, ex, err)
	})
}

// sweBenchFuzzPage wraps leaderboard data in a page as swebench.com
// serves it.
func sweBenchFuzzPage(data []byte) []byte {
	return fmt.Appendf(nil, `<!DOCTYPE html><html><head><title>SWE-bench</title></head><body><main></main>`+
		`<script type="application/json" id="leaderboard-data">%s</script></body></html>`, data)
}

// FuzzSWEBench: the JSON inside swebench.com's page, for every split.
func FuzzSWEBench(f *testing.F) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(testutil.Fixture(f, "www.swebench.com/index.html")))
	if err != nil {
		f.Fatal(err)
	}
	data := []byte(doc.FindMatcher(sweBenchData).First().Text())
	f.Add(fuzzJSONSeed(f, data, 6), "Verified")
	f.Add(fuzzJSONSeed(f, data, 3), "bash-only")
	f.Add([]byte(`{"leaderboards":[{"name":"Lite","results":[{"name":"A","resolved":"12.5","os_model":true,"tags":["Model: qwen"]}]}]}`), "Lite")
	f.Fuzz(func(t *testing.T, data []byte, split string) {
		ex, err := ExtractSWEBench(sweBenchFuzzPage(data), split)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzSWEBenchPage: the whole page, HTML included.
func FuzzSWEBenchPage(f *testing.F) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(testutil.Fixture(f, "www.swebench.com/index.html")))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sweBenchFuzzPage(fuzzJSONSeed(f, []byte(doc.FindMatcher(sweBenchData).First().Text()), 4)))
	f.Fuzz(func(t *testing.T, page []byte) {
		ex, err := ExtractSWEBench(page, "Verified")
		checkFuzzExtract(t, ex, err)
	})
}

const fuzzHFPage = "datasets-server.huggingface.co/rows/q-config=webdev,dataset=lmarena-ai_leaderboard-dataset,length=100,offset=0,split=latest.json"

// hfFuzzSeed cuts a rows-API page to its rows [from, to) (columns kept)
// and sets its num_rows_total to total, or, when total is 0, to one past
// the last row_idx kept, so that the seed reads as a whole split.
func hfFuzzSeed(tb testing.TB, rel string, from, to, total int) []byte {
	tb.Helper()
	var page map[string]json.RawMessage
	if err := json.Unmarshal(testutil.Fixture(tb, rel), &page); err != nil {
		tb.Fatal(err)
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(page["rows"], &rows); err != nil {
		tb.Fatal(err)
	}
	rows = rows[from:min(to, len(rows))]
	if total == 0 {
		var last struct {
			RowIdx int `json:"row_idx"`
		}
		if err := json.Unmarshal(rows[len(rows)-1], &last); err != nil {
			tb.Fatal(err)
		}
		total = last.RowIdx + 1
	}
	page["rows"], _ = json.Marshal(rows)
	page["num_rows_total"] = json.RawMessage(fmt.Sprint(total))
	out, err := json.Marshal(page)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// FuzzHFRows: a page of the Hugging Face datasets-server rows API, read as
// the first and as the second page of a board.
func FuzzHFRows(f *testing.F) {
	f.Add(hfFuzzSeed(f, fuzzHFPage, 0, 8, 0))
	f.Add(hfFuzzSeed(f, fuzzHFPage, 4, 8, 8)) // the second page after first
	f.Add(hfFuzzSeed(f, "datasets-server.huggingface.co/rows/q-config=text,dataset=lmarena-ai_leaderboard-dataset,length=100,offset=200,split=latest.json", 0, 5, 0))
	b := fuzzBoard(f, "hf-webdev")
	first := hfFuzzSeed(f, fuzzHFPage, 0, 4, 8)
	f.Fuzz(func(t *testing.T, page []byte) {
		checkFuzzNext(t, b, map[string][]byte{"page-0": page})
		checkFuzzNext(t, b, map[string][]byte{"page-0": first, "page-1": page})
		ex, err := ExtractHFPages([][]byte{page}, "overall")
		checkFuzzExtract(t, ex, err)
		ex, err = ExtractHFPages([][]byte{first, page}, "overall")
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzBFCL: a BFCL category CSV with the overall CSV it joins.
func FuzzBFCL(f *testing.F) {
	overall := fuzzCSVSeed(f, testutil.Fixture(f, "gorilla.cs.berkeley.edu/data_overall.csv"), 12)
	f.Add(fuzzCSVSeed(f, testutil.Fixture(f, "gorilla.cs.berkeley.edu/data_live.csv"), 12), overall, "Live Overall Acc")
	f.Add(overall, []byte(nil), "Overall Acc")
	f.Add(fuzzCSVSeed(f, testutil.Fixture(f, "gorilla.cs.berkeley.edu/data_agentic.csv"), 6), overall, "Agentic Overall Acc")
	f.Fuzz(func(t *testing.T, table, overall []byte, score string) {
		ex, err := ExtractBFCL(table, overall, score)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzArtificialAnalysis: Artificial Analysis's models JSON, for both
// indexes.
func FuzzArtificialAnalysis(f *testing.F) {
	f.Add(fuzzJSONSeed(f, testutil.Fixture(f, "artificialanalysis.ai/api/v2/data/llms/models/index.json"), 10))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, index := range []string{"artificial_analysis_intelligence_index", "artificial_analysis_coding_index"} {
			ex, err := ExtractArtificialAnalysis(body, index)
			checkFuzzExtract(t, ex, err)
		}
	})
}

// fuzzCustomBoard builds a user-defined board from a config's values, or
// reports false when checkCustom refuses the config (the config loader
// then fails with KindInvalid before any fetch).
func fuzzCustomBoard(kind, rows string, fields map[string]string) (arenawatch.Board, bool) {
	b := arenawatch.Board{ID: "my-" + kind, Extractor: kind, Params: map[string]string{}}
	if rows != "" {
		b.Params["rows"] = rows
	}
	for f, src := range fields {
		b.Params["field."+f] = src
	}
	return b, checkCustom(b) == nil
}

// FuzzCustomJSON: a user-defined json source, both its body and the paths
// of its config.
func FuzzCustomJSON(f *testing.F) {
	f.Add(hfFuzzSeed(f, fuzzHFPage, 0, 6, 0), "rows", "row.model_name", "row.rating", "row.vote_count")
	f.Add([]byte(`[{"m":"a","s":1,"v":2},{"m":"b","s":"2.5","v":null}]`), "", "m", "s", "v")
	f.Add([]byte(`{"data":{"items":[{"x":{"y":["a",1]}}]}}`), "data.items", "x.y.0", "x.y.1", "x")
	f.Fuzz(func(t *testing.T, body []byte, rows, model, score, votes string) {
		b, ok := fuzzCustomBoard("json", rows, map[string]string{"model": model, "score": score, "votes": votes,
			"organization": "row.organization", "license": "row.license", "rank": "row.rank",
			"score_lower": "row.rating_lower", "score_upper": "row.rating_upper", "metric.var": "row.variance"})
		if !ok {
			return
		}
		ex, err := ExtractCustom(b, body)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzCustomCSV: a user-defined csv source, body and column names.
func FuzzCustomCSV(f *testing.F) {
	f.Add(fuzzCSVSeed(f, testutil.Fixture(f, "gorilla.cs.berkeley.edu/data_overall.csv"), 10), "Model", "Overall Acc", "Rank")
	f.Add([]byte("m,s,r\na,1,1\nb,\"2,5\",x\n"), "m", "s", "r")
	f.Fuzz(func(t *testing.T, body []byte, model, score, rank string) {
		b, ok := fuzzCustomBoard("csv", "", map[string]string{"model": model, "score": score, "rank": rank,
			"organization": "Organization", "license": "License", "metric.cost": "Total Cost ($)"})
		if !ok {
			return
		}
		ex, err := ExtractCustom(b, body)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzCustomHTML: a user-defined htmltable source, page and selector.
func FuzzCustomHTML(f *testing.F) {
	f.Add(fuzzHTMLSeed(f, testutil.Fixture(f, "aider.chat/docs/leaderboards/index.html"), 8), `table tbody tr[id^="main-row"]`, "Model", "Percent correct")
	f.Add([]byte(`<table><tr><th>M</th><th>S</th></tr><tr><td>a</td><td>1</td></tr></table>`), "tr", "M", "S")
	f.Fuzz(func(t *testing.T, page []byte, rows, model, score string) {
		b, ok := fuzzCustomBoard("htmltable", rows, map[string]string{"model": model, "score": score, "metric.cost": "Cost"})
		if !ok {
			return
		}
		ex, err := ExtractCustom(b, page)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzOpenLM: openlm.ai's HTML table.
func FuzzOpenLM(f *testing.F) {
	f.Add(fuzzHTMLSeed(f, testutil.Fixture(f, "openlm.ai/chatbot-arena/index.html"), 8))
	f.Fuzz(func(t *testing.T, page []byte) {
		ex, err := ExtractOpenLM(page)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzAider: Aider's leaderboard page.
func FuzzAider(f *testing.F) {
	f.Add(fuzzHTMLSeed(f, testutil.Fixture(f, "aider.chat/docs/leaderboards/index.html"), 8))
	f.Fuzz(func(t *testing.T, page []byte) {
		ex, err := ExtractAider(page)
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzArenaTable: arena.ai's HTML table, read when the page has no flight
// payload (FuzzFlightPage covers the payload).
func FuzzArenaTable(f *testing.F) {
	f.Add(fuzzHTMLSeed(f, withoutFlight(testutil.Fixture(f, "arena.ai/leaderboard/text/overall-no-style-control/index.html")), 6))
	f.Fuzz(func(t *testing.T, page []byte) {
		ex, err := ExtractArena(page, ArenaSelector{Arena: "text", Category: "overall"})
		checkFuzzExtract(t, ex, err)
	})
}

// FuzzHFParquet: a parquet file given to `import`. parquet-go trusts the
// offsets a file states and panics on a corrupt one; ImportHFDataset must
// turn that into an error (KindDamaged), never a crash.
func FuzzHFParquet(f *testing.F) {
	f.Add(writeParquet(f, []pqRow{
		pqRowOf("glm-4.6", 1, "overall", "2025-10-01"),
		pqRowOf("gpt-5", 2, "overall", "2025-10-01"),
		pqRowOf("glm-4.6", 1, "coding", "2025-10-02"),
	}))
	b := fuzzBoard(f, "hf-text")
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := ImportHFDataset(b, body, hfFullDoc())
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		for _, ds := range out {
			if ds.Err != nil {
				checkFuzzError(t, ds.Err)
				continue
			}
			checkFuzzRows(t, ds.Snapshot.Rows)
		}
	})
}
