package scraper

import (
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
)

const (
	liveBenchPageFixture       = "livebench.ai/index.html"
	liveBenchBundleFixture     = "livebench.ai/static/js/main.5b2f7e1c.js"
	liveBenchTableFixture      = "livebench.ai/table_2026_01_08.csv"
	liveBenchCategoriesFixture = "livebench.ai/categories_2026_01_08.json"
)

func liveBenchFixtures(t testing.TB) (bundle, table, categories []byte) {
	return fixture(t, liveBenchBundleFixture), fixture(t, liveBenchTableFixture), fixture(t, liveBenchCategoriesFixture)
}

func TestLiveBenchGolden(t *testing.T) {
	ex, err := ExtractLiveBench(liveBenchFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "livebench", ex)
}

// TestLiveBenchFacts checks facts computed by hand from the real release
// files (LiveBench/livebench.github.io 4bf96c8: table_2026_01_08.csv,
// categories_2026_01_08.json, modelLinks.js).
func TestLiveBenchFacts(t *testing.T) {
	ex, err := ExtractLiveBench(liveBenchFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 100 {
		t.Fatalf("%d rows, want 100", len(ex.Rows))
	}
	if got := ex.AsOf.Format("2006-01-02"); got != "2026-01-08" {
		t.Errorf("as of %s, want the release date 2026-01-08", got)
	}
	rows := map[string]arenawatch.Row{}
	for _, r := range ex.Rows {
		rows[r.Model] = r
	}
	top := ex.Rows[0]
	if top.Model != "gpt-5.5-xhigh" || top.Score != 80.71 || top.Metrics["mathematics"] != 96.32 ||
		top.Metrics["agentic_coding"] != 56.67 || top.Organization != nil || top.Open != nil {
		t.Errorf("top row %+v (not in modelLinks: no organization, no open flag)", top)
	}
	if r := rows["glm-5.2"]; r.Score != 76.24 || deref(r.Organization) != "Z.AI" || r.Open == nil || !*r.Open ||
		r.Name != "GLM 5.2" || r.Metrics["if"] != 62.29 || r.Extra["reasoner"] != "true" {
		t.Errorf("glm-5.2: %+v", r)
	}
	if r := rows["gemma-4-31b-it"]; r.Score != 61.62 || deref(r.Organization) != "Google" || !*r.Open {
		t.Errorf("gemma-4-31b-it: %+v", r)
	}
	// Listed in modelLinks without an openweight flag: closed, as the
	// site's open-weights filter reads it.
	if r := rows["gemini-3.1-pro-preview-high"]; r.Score != 79.93 || deref(r.Organization) != "Google" || r.Open == nil || *r.Open ||
		r.Extra["note"] != "*5th rank in unseen questions across all categories" {
		t.Errorf("gemini-3.1-pro-preview-high: %+v", r)
	}
	// The one line of the file that ends three cells early.
	if r := rows["nemotron-3-super-120b-a12b"]; r.Score != 32.51 || r.Metrics["agentic_coding"] != 23.0 ||
		deref(r.Organization) != "NVIDIA" || !*r.Open || r.Extra["version"] != "2026-03-11" {
		t.Errorf("nemotron-3-super-120b-a12b: %+v", r)
	}
	notes := strings.Join(ex.Notes, "\n")
	for _, want := range []string{"1 table lines end early", "48 of 100 models are not in the bundle's modelLinks",
		"mean of 7 category averages"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestLiveBenchNext(t *testing.T) {
	b, _ := liveBenchBoards().Get("livebench")
	docs := map[string][]byte{"page": fixture(t, liveBenchPageFixture)}
	reqs, err := liveBenchNext(b, docs)
	if err != nil || len(reqs) != 1 || reqs[0].Name != "bundle" || reqs[0].URL != "/static/js/main.5b2f7e1c.js" {
		t.Fatalf("stage 1: %+v, %v", reqs, err)
	}
	docs["bundle"] = fixture(t, liveBenchBundleFixture)
	reqs, err = liveBenchNext(b, docs)
	if err != nil || len(reqs) != 2 || reqs[0].URL != "table_2026_01_08.csv" || reqs[1].URL != "categories_2026_01_08.json" {
		t.Fatalf("stage 2: %+v, %v", reqs, err)
	}
	docs["table"], docs["categories"] = fixture(t, liveBenchTableFixture), fixture(t, liveBenchCategoriesFixture)
	if reqs, err = liveBenchNext(b, docs); err != nil || len(reqs) != 0 {
		t.Fatalf("stage 3: %+v, %v", reqs, err)
	}
	_, err = liveBenchNext(b, map[string][]byte{"page": []byte(`<!doctype html><html><head><script src="/app.js"></script></head><body><div id="root"></div></body></html>`)})
	checkExtractDrift(t, nil, err, `no app bundle (<script src="/static/js/main.….js">) in the page`, 0)
}

func TestLiveBenchRelease(t *testing.T) {
	tests := []struct{ bundle, want string }{
		{`const r=["2024-06-24","2024-07-26","2026-01-08","2025-04-25"]`, "2026-01-08"},
		{`fetch("/table_2025_11_25.csv");fetch("/categories_2025_11_25.json")`, "2025-11-25"},
		{"var d=['2024_08_31', '2025_04_02' ,];", "2025-04-02"},
		{"x=[`2024-11-25`]", "2024-11-25"},
		// an impossible date does not count
		{`fetch("/table_2026_13_40.csv");var r=["2024-06-24"]`, "2024-06-24"},
	}
	for _, tt := range tests {
		got, err := liveBenchRelease([]byte(tt.bundle))
		if err != nil || got.Format("2006-01-02") != tt.want {
			t.Errorf("%s: %v, %v; want %s", tt.bundle, got, err, tt.want)
		}
	}
	// Dates elsewhere (model versions, copyright lines) are not releases.
	for _, bundle := range []string{
		`const a={"glm-5":{organization:"Z.AI",version:"2026-03-11"}}`,
		`/*! 2026-01-08 */ var t=["2026-01-08",1]`,
		``,
	} {
		_, err := liveBenchRelease([]byte(bundle))
		checkExtractDrift(t, nil, err, "the app bundle names no release", 0)
	}
}

func TestLiveBenchDrift(t *testing.T) {
	bundle, table, categories := liveBenchFixtures(t)
	b, tb, c := string(bundle), string(table), string(categories)
	header, rest, _ := strings.Cut(tb, "\n")
	tests := []struct {
		name, bundle, table, categories, wantErr string
		wantRows                                 int
	}{
		{name: "BundleWithoutReleases", bundle: strings.ReplaceAll(b, `"2026-01-08"`, `"latest"`),
			wantErr: "the app bundle names no release"},
		{name: "OlderReleaseOnly", bundle: strings.Replace(b, `,"2026-01-08"]`, `]`, 1), wantRows: 100},
		{name: "BundleWithoutModelLinks", bundle: strings.ReplaceAll(strings.ReplaceAll(b, "organization:", "org:"), "displayName:", "name:"),
			wantErr: "the app bundle has no modelLinks object"},
		{name: "CategoryTaskMissingFromTable", categories: strings.Replace(c, `"olympiad"`, `"olympiad", "imo_2026"`, 1),
			wantErr: `categories file names task "imo_2026" (category "Mathematics") but the table has no such column`},
		{name: "RenamedTableColumn", table: strings.Replace(tb, ",zebra_puzzle\n", ",zebra\n", 1),
			wantErr: `categories file names task "zebra_puzzle" (category "Reasoning")`},
		{name: "NoModelColumn", table: strings.Replace(tb, "model,", "name,", 1), wantErr: "table has no model column"},
		{name: "EmptyCategories", categories: "{}", wantErr: "categories file lists no categories"},
		{name: "CategoryWithoutTasks", categories: `{"Coding": []}`, wantErr: `category "Coding" lists no tasks`},
		{name: "CategoriesNotJSON", categories: "<html>Not Found</html>", wantErr: "categories file is not a JSON object"},
		{name: "HeaderOnly", table: header + "\n", wantErr: "table has a header but no models"},
		{name: "EmptyTable", table: "\n", wantErr: "table is empty"},
		{name: "MalformedNumber", table: strings.Replace(tb, "claude-4-1-opus-20250805-base,89.0,", "claude-4-1-opus-20250805-base,89.0?,", 1),
			wantErr: "table line 2 (claude-4-1-opus-20250805-base), column AMPS_Hard: not a number"},
		{name: "LineTooLong", table: header + "\n" + strings.Replace(rest, "\n", ",1.0\n", 1),
			wantErr: "table line 2 has 25 fields, the header 24"},
		{name: "ModelTwice", table: tb + strings.SplitAfter(rest, "\n")[0], wantErr: `table lists model "claude-4-1-opus-20250805-base" twice (lines 2 and 102)`},
		{name: "CategoryWithoutScore", table: header + "\n" + "m1,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23\nm2,1,2\n",
			wantRows: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bb, tt2, cc := b, tb, c
			if tt.bundle != "" {
				bb = tt.bundle
			}
			if tt.table != "" {
				tt2 = tt.table
			}
			if tt.categories != "" {
				cc = tt.categories
			}
			ex, err := ExtractLiveBench([]byte(bb), []byte(tt2), []byte(cc))
			checkExtractDrift(t, ex, err, tt.wantErr, tt.wantRows)
		})
	}
}

func TestJSLiteral(t *testing.T) {
	src := `{a:1,"b-c":{url:"https://x.org/?q=1&r=\u00e9",openweight:!0,reasoner:!1,n:null,v:void 0},'d':[1,-2.5,"x",` + "`t`" + `],e:"\ud83d\ude00",}`
	p := &jsLiteral{s: []byte(src)}
	v, err := p.value(0)
	if err != nil {
		t.Fatal(err)
	}
	obj := v.(map[string]any)
	inner := obj["b-c"].(map[string]any)
	if obj["a"] != 1.0 || inner["url"] != "https://x.org/?q=1&r=é" || inner["openweight"] != true || inner["reasoner"] != false ||
		inner["n"] != nil || len(obj["d"].([]any)) != 4 || obj["e"] != "😀" || p.i != len(src) {
		t.Fatalf("parsed %#v (stopped at %d of %d)", obj, p.i, len(src))
	}
	for _, code := range []string{`{a:function(){return 1}}`, `{a:b}`, `{a:"x" + "y"}`, "{a:`${x}`}", `{a:1`, "{a:\"x\ny\"}", `{a:!2}`} {
		if _, err := (&jsLiteral{s: []byte(code)}).value(0); err == nil {
			t.Errorf("%s read as a literal", code)
		}
	}
}

func BenchmarkExtractLiveBench(b *testing.B) {
	bundle, table, categories := liveBenchFixtures(b)
	b.SetBytes(int64(len(bundle) + len(table) + len(categories)))
	for b.Loop() {
		if _, err := ExtractLiveBench(bundle, table, categories); err != nil {
			b.Fatal(err)
		}
	}
}
