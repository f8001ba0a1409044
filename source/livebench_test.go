package source

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

const (
	liveBenchPageFixture       = "livebench.ai/index.html"
	liveBenchBundleFixture     = "livebench.ai/static/js/main.b0448181.js"
	liveBenchTableFixture      = "livebench.ai/table_2026_01_08.csv"
	liveBenchCategoriesFixture = "livebench.ai/categories_2026_01_08.json"
)

// liveBenchReleaseDates matches the ten release dates the deployed bundle
// names (2024-06-24 … 2026-01-08).
var liveBenchReleaseDates = regexp.MustCompile(`"(2024-06-24|2024-07-26|2024-08-31|2024-11-25|2025-04-02|2025-04-25|2025-05-30|2025-11-25|2025-12-23|2026-01-08)"`)

func liveBenchFixtures(t testing.TB) (bundle, table, categories []byte) {
	return testutil.Fixture(t, liveBenchBundleFixture), testutil.Fixture(t, liveBenchTableFixture), testutil.Fixture(t, liveBenchCategoriesFixture)
}

// liveBenchCheck expects an error of kind drift containing wantErr, or,
// when wantErr is empty, success with wantRows rows.
func liveBenchCheck(t *testing.T, ex *Extract, err error, wantErr string, wantRows int) {
	t.Helper()
	if wantErr != "" {
		if err == nil {
			t.Fatalf("want an error containing %q, got %d rows", wantErr, len(ex.Rows))
		}
		if !strings.Contains(err.Error(), wantErr) || arenawatch.KindOf(err) != arenawatch.KindDrift {
			t.Fatalf("error %q (kind %v), want markup drift containing %q", err, arenawatch.KindOf(err), wantErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != wantRows {
		t.Fatalf("%d rows, want %d", len(ex.Rows), wantRows)
	}
}

func TestLiveBenchGolden(t *testing.T) {
	ex, err := ExtractLiveBench(liveBenchFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	testutil.Golden(t, "testdata/golden/"+"livebench"+".json", ex)
}

// TestLiveBenchFacts checks facts computed independently (with the site's
// own averaging code, in JavaScript) from the deployed files of
// LiveBench/livebench.github.io gh-pages @ f98ae14c (2026-06-30):
// table_2026_01_08.csv, categories_2026_01_08.json and the model list in
// static/js/main.b0448181.js.
func TestLiveBenchFacts(t *testing.T) {
	ex, err := ExtractLiveBench(liveBenchFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 127 {
		t.Fatalf("%d rows, want all 127 models of the table", len(ex.Rows))
	}
	if got := ex.AsOf.Format("2006-01-02"); got != "2026-01-08" {
		t.Errorf("as of %s, want the release date 2026-01-08", got)
	}
	rows := map[string]arenawatch.Row{}
	pos := map[string]int{}
	for i, r := range ex.Rows {
		rows[r.Model] = r
		pos[r.Model] = i
	}
	// The site's #1: a variant of the model-list entry gpt-5.5, with the
	// entry's organization and no openweight flag (closed).
	top := ex.Rows[0]
	if top.Model != "gpt-5.5-xhigh" || top.Score != 80.71 || top.Metrics["mathematics"] != 96.32 ||
		top.Metrics["agentic_coding"] != 56.67 || deref(top.Organization) != "OpenAI" || top.Open == nil || *top.Open ||
		top.Name != "GPT-5.5 Thinking xHigh Effort" || top.Extra["variant_of"] != "gpt-5.5" || top.Extra["version"] != "2026-04-23" {
		t.Errorf("top row %+v", top)
	}
	if r := rows["glm-5.2"]; r.Score != 76.24 || deref(r.Organization) != "Z.AI" || r.Open == nil || !*r.Open ||
		r.Name != "GLM 5.2" || r.Metrics["if"] != 62.29 || r.Extra["reasoner"] != "true" || r.Extra["variant_of"] != "" {
		t.Errorf("glm-5.2: %+v", r)
	}
	// A tie at two decimals keeps the table's order, as the site's stable
	// sort does: gpt-5.5-high (line 92) before glm-5.2 (line 127).
	if pos["gpt-5.5-high"]+1 != pos["glm-5.2"] {
		t.Errorf("tie order: gpt-5.5-high at %d, glm-5.2 at %d", pos["gpt-5.5-high"], pos["glm-5.2"])
	}
	if r := rows["gemma-4-31b-it"]; r.Score != 61.62 || deref(r.Organization) != "Google" || r.Open == nil || !*r.Open {
		t.Errorf("gemma-4-31b-it: %+v", r)
	}
	// Listed without an openweight flag: closed, as the site's
	// open-weights filter reads it.
	if r := rows["gemini-3.1-pro-preview-high"]; r.Score != 79.93 || deref(r.Organization) != "Google" || r.Open == nil || *r.Open ||
		r.Extra["note"] != "*5th rank in unseen questions across all categories" {
		t.Errorf("gemini-3.1-pro-preview-high: %+v", r)
	}
	// The one line of the file that ends three cells early.
	if r := rows["nemotron-3-super-120b-a12b"]; r.Score != 32.51 || r.Metrics["agentic_coding"] != 23.0 ||
		deref(r.Organization) != "NVIDIA" || !*r.Open || r.Extra["version"] != "2026-03-11" {
		t.Errorf("nemotron-3-super-120b-a12b: %+v", r)
	}
	open := 0
	for _, r := range ex.Rows {
		if r.Organization == nil {
			t.Errorf("%s has no organization", r.Model)
		}
		if r.Open != nil && *r.Open {
			open++
		}
	}
	if open != 31 {
		t.Errorf("%d open-weight rows, want 31", open)
	}
	notes := strings.Join(ex.Notes, "\n")
	for _, want := range []string{"1 table lines end early", "47 models are variants of a model-list entry",
		"mean of 7 category averages"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "not in the bundle's model list") || strings.Contains(notes, "the site opens on") {
		t.Errorf("unexpected notes:\n%s", notes)
	}
}

func TestLiveBenchNext(t *testing.T) {
	b, _ := liveBenchBoards().Get("livebench")
	docs := map[string][]byte{"page": testutil.Fixture(t, liveBenchPageFixture)}
	// The deployed page loads Google's gtag script before the bundle.
	reqs, err := liveBenchNext(b, docs)
	if err != nil || len(reqs) != 1 || reqs[0].Name != "bundle" || reqs[0].URL != "./static/js/main.b0448181.js" {
		t.Fatalf("stage 1: %+v, %v", reqs, err)
	}
	docs["bundle"] = testutil.Fixture(t, liveBenchBundleFixture)
	reqs, err = liveBenchNext(b, docs)
	if err != nil || len(reqs) != 2 || reqs[0].URL != "table_2026_01_08.csv" || reqs[1].URL != "categories_2026_01_08.json" {
		t.Fatalf("stage 2: %+v, %v", reqs, err)
	}
	docs["table"], docs["categories"] = testutil.Fixture(t, liveBenchTableFixture), testutil.Fixture(t, liveBenchCategoriesFixture)
	if reqs, err = liveBenchNext(b, docs); err != nil || len(reqs) != 0 {
		t.Fatalf("stage 3: %+v, %v", reqs, err)
	}
	_, err = liveBenchNext(b, map[string][]byte{"page": []byte(`<!doctype html><html><head><script src="/app.js"></script></head><body><div id="root"></div></body></html>`)})
	liveBenchCheck(t, nil, err, `no app bundle (<script src="/static/js/main.….js">) in the page`, 0)
	_, err = liveBenchNext(b, map[string][]byte{"page": docs["page"], "bundle": []byte(`const a={"glm-5":{organization:"Z.AI"}};fetch("./table.csv")`)})
	liveBenchCheck(t, nil, err, `looked for the release selector's useState("YYYY-MM-DD")`, 0)
}

func TestLiveBenchRelease(t *testing.T) {
	tests := []struct{ name, bundle, want, initial string }{
		{"Deployed2026", `const[e,n]=(0,t.useState)("2026-01-08"),[r,a]=(0,t.useState)(9);value:"2024-06-24"===e?"0":"2025-12-23"===e?"8":"9",` +
			`onChange:e=>{n("0"===t?"2024-06-24":"8"===t?"2025-12-23":"2026-01-08")};fetch(` + "`./table_${r}.csv`)", "2026-01-08", "2026-01-08"},
		// The newest date wins over a lagging initial state.
		{"InitialStateLags", `useState("2025-12-23");n("0"===t?"2025-12-23":"2026-01-08")`, "2026-01-08", "2025-12-23"},
		{"InitialStateOnly", `const[e,n]=React.useState( '2025-11-25' )`, "2025-11-25", "2025-11-25"},
		{"ThenChainOnly", `n("0"===t?"2024-06-24":"1"===t?"2024-07-26":x)`, "2024-07-26", ""},
		{"ReverseChainOnly", `value:"2024-06-24"===e?"0":"2025-04-25"===e?"5":"9"`, "2025-04-25", ""},
		{"StrictEqualAfter", `if(d==="2025-05-30")x()`, "2025-05-30", ""},
		{"OlderFileNames", `fetch("/table_2025_11_25.csv");fetch("/categories_2025_11_25.json")`, "2025-11-25", ""},
		{"OlderArray", `const r=["2024-06-24","2024-07-26","2026-01-08","2025-04-25"]`, "2026-01-08", ""},
		{"ArrayUnderscores", "var d=['2024_08_31', '2025_04_02' ,];", "2025-04-02", ""},
		{"ArrayBackticks", "x=[`2024-11-25`]", "2024-11-25", ""},
		// An impossible date does not count.
		{"ImpossibleDate", `fetch("/table_2026_13_40.csv");var r=["2024-06-24"]`, "2024-06-24", ""},
		// Model versions (newer than any release) and >= comparisons of
		// the column set are not releases.
		{"ModelVersionsIgnored", `Te={"gpt-5.5":{organization:"OpenAI",version:"2026-04-23"}};n>="2025-11-25"&&e.push(1);useState("2026-01-08")`, "2026-01-08", "2026-01-08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := liveBenchReleaseInfo([]byte(tt.bundle))
			if err != nil || got.newest.Format("2006-01-02") != tt.want {
				t.Fatalf("%v, %v; want %s", got.newest, err, tt.want)
			}
			if ini := got.initial.Format("2006-01-02"); (tt.initial == "" && !got.initial.IsZero()) || (tt.initial != "" && ini != tt.initial) {
				t.Errorf("initial %s, want %q", ini, tt.initial)
			}
		})
	}
	for name, bundle := range map[string]string{
		"ModelVersionsOnly": `const a={"glm-5":{organization:"Z.AI",version:"2026-03-11"}}`,
		"Comment":           `/*! 2026-01-08 */ var t=["2026-01-08",1]`,
		"ColumnComparisons": `return n>"2024-11-25"?e.push(a):e.push(b),n>="2025-11-25"&&e.push(c)`,
		"Empty":             ``,
	} {
		t.Run("NoRelease/"+name, func(t *testing.T) {
			_, err := liveBenchRelease([]byte(bundle))
			liveBenchCheck(t, nil, err, `the app bundle names no release: looked for the release selector's useState("YYYY-MM-DD"), a comparison chain`, 0)
		})
	}
}

// TestLiveBenchDrift: every needed part that goes missing or malformed
// fails the board naming it; what the answer does not need does not.
func TestLiveBenchDrift(t *testing.T) {
	bundle, table, categories := liveBenchFixtures(t)
	b, tb, c := string(bundle), string(table), string(categories)
	header, rest, _ := strings.Cut(tb, "\n")
	first := strings.SplitAfter(rest, "\n")[0] // arcee-trinity-large-preview
	// addColumn appends a column to the header and a cell to every line.
	addColumn := func(name, cell string) string {
		var out strings.Builder
		for i, line := range strings.Split(strings.TrimSuffix(tb, "\n"), "\n") {
			if i == 0 {
				out.WriteString(line + "," + name + "\n")
			} else {
				out.WriteString(line + strings.Repeat(",", 23-strings.Count(line, ",")) + "," + cell + "\n")
			}
		}
		return out.String()
	}
	// dropColumn removes the column at index i from every line.
	dropColumn := func(i int) string {
		var out strings.Builder
		for _, line := range strings.Split(strings.TrimSuffix(tb, "\n"), "\n") {
			cells := strings.Split(line, ",")
			if i < len(cells) {
				cells = append(cells[:i], cells[i+1:]...)
			}
			out.WriteString(strings.Join(cells, ",") + "\n")
		}
		return out.String()
	}
	tests := []struct {
		name, bundle, table, categories, wantErr string
		wantRows                                 int
	}{
		{name: "Unchanged", wantRows: 127},
		// bundle
		{name: "BundleWithoutReleases", bundle: liveBenchReleaseDates.ReplaceAllString(b, `"r$1"`), wantErr: "the app bundle names no release"},
		{name: "BundleWithoutModelList", bundle: strings.ReplaceAll(b, "organization:", "org:"),
			wantErr: "the app bundle has no model list (modelLinks: an object of model → {organization"},
		{name: "OrganizationRetyped", bundle: strings.Replace(b, `organization:"Z.AI",displayName:"GLM 5.2"`, `organization:7,displayName:"GLM 5.2"`, 1),
			wantErr: `modelLinks["glm-5.2"].organization: want a string, got a number`},
		{name: "OpenweightRetyped", bundle: strings.Replace(b, `displayName:"GLM 5.2",reasoner:!0,openweight:!0`, `displayName:"GLM 5.2",reasoner:!0,openweight:"yes"`, 1),
			wantErr: `modelLinks["glm-5.2"].openweight: want true or false, got a string`},
		{name: "VariantWithoutRawName", bundle: strings.Replace(b, `{rawName:"gpt-5.5-xhigh",`, `{name:"gpt-5.5-xhigh",`, 1),
			wantErr: `modelLinks["gpt-5.5"].variants[1].rawName: missing`},
		{name: "VariantsRetyped", bundle: strings.Replace(b, `variants:[{rawName:"gpt-5.5-high"`, `variants:"gpt-5.5-high",x:[{rawName:"gpt-5.5-high"`, 1),
			wantErr: `modelLinks["gpt-5.5"].variants: want a list of {rawName, …}, got a string`},
		// categories: every member is a category the average uses
		{name: "CategoryTaskMissingFromTable", categories: strings.Replace(c, `"olympiad"`, `"olympiad", "imo_2026"`, 1),
			wantErr: `categories file names task "imo_2026" (category "Mathematics") but the table has no such column`},
		{name: "CategoryRetyped", categories: strings.Replace(c, `"IF": [`, `"IF": {"tasks": [`, 1) + "}",
			wantErr: `categories file: category "IF": want a list of task names, got {"tasks"`},
		{name: "CategoryNotAList", categories: `{"Coding": "code_generation"}`, wantErr: `categories file: category "Coding": want a list of task names`},
		{name: "EmptyCategories", categories: "{}", wantErr: "categories file lists no categories"},
		{name: "CategoryWithoutTasks", categories: `{"Coding": []}`, wantErr: `category "Coding" lists no tasks`},
		{name: "CategoriesNotJSON", categories: "<html>Not Found</html>", wantErr: "categories file: not a JSON object"},
		// A category the site drops is simply not averaged, as on the site.
		{name: "CategoryDropped", categories: `{"Coding": ["code_generation", "code_completion"]}`, wantRows: 127},
		// table: needed columns
		{name: "NeededColumnMissing", table: dropColumn(23), wantErr: `categories file names task "zebra_puzzle" (category "Reasoning") but the table has no such column`},
		{name: "RenamedTableColumn", table: strings.Replace(tb, ",zebra_puzzle\n", ",zebra\n", 1),
			wantErr: `categories file names task "zebra_puzzle" (category "Reasoning")`},
		{name: "NoModelColumn", table: strings.Replace(tb, "model,", "name,", 1), wantErr: "table has no model column"},
		{name: "MalformedNumber", table: strings.Replace(tb, "arcee-trinity-large-preview,61.0,", "arcee-trinity-large-preview,61.0?,", 1),
			wantErr: "table line 2 (arcee-trinity-large-preview), column AMPS_Hard: not a number"},
		// table: ignored columns
		{name: "UnknownExtraColumn", table: addColumn("web_of_lies_v3", "n/a"), wantRows: 127},
		{name: "HeaderOnly", table: header + "\n", wantErr: "table has a header but no models"},
		{name: "EmptyTable", table: "\n", wantErr: "table is empty"},
		{name: "LineTooLong", table: header + "\n" + strings.Replace(rest, "\n", ",1.0\n", 1),
			wantErr: "table line 2 has 25 fields, the header 24"},
		// A repeated model is kept: Seal settles it (dropped if identical).
		{name: "ModelTwice", table: tb + first, wantRows: 128},
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
			liveBenchCheck(t, ex, err, tt.wantErr, tt.wantRows)
		})
	}
}

// TestLiveBenchIgnoredColumns: a table column no category names may hold
// anything, and the rows and scores stay the same.
func TestLiveBenchIgnoredColumns(t *testing.T) {
	bundle, table, categories := liveBenchFixtures(t)
	want, err := ExtractLiveBench(bundle, table, categories)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(table), "\n"), "\n")
	for i := range lines {
		cell := `"not, a number"`
		if i == 0 {
			cell = "web_of_lies_v2"
		}
		// first column: the column order does not matter either
		lines[i] = cell + "," + lines[i]
	}
	got, err := ExtractLiveBench(bundle, []byte(strings.Join(lines, "\n")+"\n"), categories)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%d rows, want %d", len(got.Rows), len(want.Rows))
	}
	for i := range want.Rows {
		if g, w := got.Rows[i], want.Rows[i]; g.Model != w.Model || g.Score != w.Score {
			t.Errorf("row %d: %s %v, want %s %v", i, g.Model, g.Score, w.Model, w.Score)
		}
	}
	if !strings.Contains(strings.Join(got.Notes, "\n"), "table columns in no category, ignored: web_of_lies_v2") {
		t.Errorf("notes: %q", got.Notes)
	}
}

// liveBenchListAsJSON rewrites the bundle's model list (const Te={…}) as
// JSON, still a valid JS literal, so that checkTolerance can change its
// fields; splice puts a changed list back.
func liveBenchListAsJSON(t testing.TB, bundle []byte) (list []byte, splice func([]byte) []byte) {
	t.Helper()
	start := bytes.Index(bundle, []byte(`Te={`))
	if start < 0 {
		t.Fatal("fixture bundle has no Te={")
	}
	start += len("Te=")
	p := &jsLiteral{s: bundle, i: start}
	v, err := p.value(0)
	if err != nil {
		t.Fatal(err)
	}
	end := p.i
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(b.Bytes()), func(list []byte) []byte {
		out := append([]byte{}, bundle[:start]...)
		out = append(out, list...)
		return append(out, bundle[end:]...)
	}
}

// TestLiveBenchModelListTolerance: the model list's fields the answer
// does not need may change type or go away; the ones it needs may not.
// (The categories file has no ignored member: every one is a category the
// average uses, see TestLiveBenchDrift.)
func TestLiveBenchModelListTolerance(t *testing.T) {
	bundle, table, categories := liveBenchFixtures(t)
	list, splice := liveBenchListAsJSON(t, bundle)
	checkTolerance(t, tolerance{
		body: list,
		extract: func(body []byte) (int, error) {
			ex, err := ExtractLiveBench(splice(body), table, categories)
			if err != nil {
				return 0, err
			}
			return len(ex.Rows), nil
		},
		needed:  []string{"organization", "rawName"},
		ignored: []string{"url", "highUnseenBias", "displayName", "version", "reasoner", "note"},
	})
	// The JSON form reads like the minified one.
	want, err := ExtractLiveBench(bundle, table, categories)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ExtractLiveBench(splice(list), table, categories)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(want.Rows)
	b, _ := json.Marshal(got.Rows)
	if !bytes.Equal(a, b) {
		t.Error("the model list rewritten as JSON reads differently")
	}
}

func TestLiveBenchModelLinks(t *testing.T) {
	tests := []struct {
		name, bundle string
		want         map[string]liveBenchLink
		bad          int
	}{
		{name: "VariantInherits",
			bundle: `Te={a:{organization:"X",displayName:"A",openweight:!0,note:"n",url:"u",variants:[{rawName:"a-hi",displayName:"A Hi"},{rawName:"a-lo",openweight:!1,version:"2026-01-01"}]}}`,
			want: map[string]liveBenchLink{
				"a":    {organization: "X", displayName: "A", note: "n", openweight: ptr(true)},
				"a-hi": {organization: "X", displayName: "A Hi", note: "n", openweight: ptr(true), variantOf: "a"},
				"a-lo": {organization: "X", displayName: "A", note: "n", openweight: ptr(false), version: "2026-01-01", variantOf: "a"},
			}},
		{name: "DirectEntryWinsOverVariant",
			bundle: `Te={"b":{organization:"Y",variants:[{rawName:"c"}]},"c":{organization:"Z"}}`,
			want:   map[string]liveBenchLink{"b": {organization: "Y"}, "c": {organization: "Z"}}},
		{name: "MalformedOptionalFieldsLeftOut",
			bundle: `Te={d:{organization:"W",displayName:5,reasoner:"yes",highUnseenBias:"x"}}`,
			want:   map[string]liveBenchLink{"d": {organization: "W"}}, bad: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bad, err := liveBenchModelLinks([]byte(tt.bundle))
			if err != nil {
				t.Fatal(err)
			}
			if bad != tt.bad || len(got) != len(tt.want) {
				t.Fatalf("%d links (bad %d), want %d (bad %d): %+v", len(got), bad, len(tt.want), tt.bad, got)
			}
			for k, w := range tt.want {
				g := got[k]
				if g.organization != w.organization || g.displayName != w.displayName || g.note != w.note || g.version != w.version ||
					g.variantOf != w.variantOf || (g.openweight == nil) != (w.openweight == nil) || (g.openweight != nil && *g.openweight != *w.openweight) {
					t.Errorf("%s: %+v, want %+v", k, g, w)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

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
