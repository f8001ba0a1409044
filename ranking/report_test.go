package ranking

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
)

// testCatalog is a small catalog so that these tests do not move when the
// embedded one grows.
func testCatalog(t *testing.T) *Catalog {
	t.Helper()
	return mustParse(t, `version: "test.1"
organizations:
  - {name: OpenAI, country: US, brands: [gpt]}
  - {name: Google, country: US}
  - {name: Anthropic, country: US}
  - {name: DeepSeek, country: CN}
  - {name: Alibaba, country: CN, brands: [qwen]}
  - {name: Z.ai, country: CN}
  - {name: Moonshot AI, country: CN, aliases: [Moonshot]}
models:
  - {match: "qwen3-max*", open: false, reason: API only}
`)
}

type rowSpec struct {
	model, org, license string // org/license "" = absent
	score               float64
	rank                int
}

func snap(rows ...rowSpec) *arenawatch.Snapshot {
	s := &arenawatch.Snapshot{Board: "test-board", URL: "https://example.test/board",
		FetchedAt: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	for _, r := range rows {
		row := arenawatch.Row{Model: r.model, Score: r.score, Rank: r.rank}
		if r.org != "" {
			row.Organization = arenawatch.Str(r.org)
		}
		if r.license != "" {
			row.License = arenawatch.Str(r.license)
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

type placed struct {
	model        string
	rank, openAt int
}

func places(es []Entry) []placed {
	out := make([]placed, len(es))
	for i, e := range es {
		out[i] = placed{e.Row.Model, e.Rank, e.OpenPosition}
	}
	return out
}

func TestEntries(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name string
		s    *arenawatch.Snapshot
		rule arenawatch.RankRule
		want []placed
	}{
		{"by score with ties", snap(
			rowSpec{"c", "", "MIT", 90, 0},
			rowSpec{"a", "", "Proprietary", 100, 0},
			rowSpec{"b", "", "MIT", 90, 0},
			rowSpec{"d", "", "MIT", 80, 0},
		), arenawatch.RankByScore, []placed{{"a", 1, 0}, {"c", 2, 1}, {"b", 2, 1}, {"d", 4, 3}}},
		{"by score ignores the source rank", snap(
			rowSpec{"a", "", "", 50, 1},
			rowSpec{"b", "", "", 60, 2},
		), arenawatch.RankByScore, []placed{{"b", 1, 0}, {"a", 2, 0}}},
		{"own ranks, ties kept, order by rank", snap(
			rowSpec{"a", "", "", 1400, 1},
			rowSpec{"b", "", "", 1410, 1},
			rowSpec{"c", "", "", 1390, 3},
			rowSpec{"d", "", "", 1395, 2},
		), arenawatch.RankOwn, []placed{{"b", 1, 0}, {"a", 1, 0}, {"d", 2, 0}, {"c", 3, 0}}},
		{"own rank missing falls back to score", snap(
			rowSpec{"a", "", "", 100, 1},
			rowSpec{"b", "", "", 95, 0},
			rowSpec{"c", "", "", 90, 2},
		), arenawatch.RankOwn, []placed{{"a", 1, 0}, {"b", 2, 0}, {"c", 2, 0}}},
		{"open positions with ties and closed rows between", snap(
			rowSpec{"o1", "", "MIT", 100, 0},
			rowSpec{"c1", "", "Proprietary", 99, 0},
			rowSpec{"o2", "", "Apache 2.0", 95, 0},
			rowSpec{"o3", "", "Gemma", 95, 0},
			rowSpec{"u1", "", "", 94, 0},
			rowSpec{"o4", "", "MIT", 90, 0},
		), arenawatch.RankByScore, []placed{{"o1", 1, 1}, {"c1", 2, 0}, {"o2", 3, 2}, {"o3", 3, 2}, {"u1", 5, 0}, {"o4", 6, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := places(Entries(tt.s, tt.rule, c, Options{}))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %v\nwant %v", got, tt.want)
			}
		})
	}
	if Entries(nil, arenawatch.RankByScore, c, Options{}) != nil {
		t.Error("Entries(nil) should be nil")
	}
}

func TestApply(t *testing.T) {
	c := testCatalog(t)
	s := snap(
		rowSpec{"gpt-5", "OpenAI", "Proprietary", 100, 0},       // closed US
		rowSpec{"deepseek-v3", "DeepSeek", "MIT", 99, 0},        // open CN
		rowSpec{"mystery", "Nowhere Labs", "Apache 2.0", 98, 0}, // open, origin unknown
		rowSpec{"glm-x", "Z.ai", "", 97, 0},                     // openness unknown (licence absent), CN
		rowSpec{"gpt-oss-120b", "OpenAI", "Apache 2.0", 96, 0},  // open US
		rowSpec{"gemini-x", "Google", "", 95, 0},                // openness unknown, US
		rowSpec{"gemma-3", "Google", "Gemma", 94, 0},            // open US
	)
	es := Entries(s, arenawatch.RankByScore, c, Options{})
	tests := []struct {
		name               string
		f                  Filter
		kept, excludedWant []string
	}{
		{"no filter", Filter{}, []string{"gpt-5", "deepseek-v3", "mystery", "glm-x", "gpt-oss-120b", "gemini-x", "gemma-3"}, nil},
		{"open", Filter{Open: true}, []string{"deepseek-v3", "mystery", "gpt-oss-120b", "gemma-3"}, []string{"glm-x", "gemini-x"}},
		{"closed", Filter{Closed: true}, []string{"gpt-5"}, []string{"glm-x", "gemini-x"}},
		{"open and closed", Filter{Open: true, Closed: true}, []string{"gpt-5", "deepseek-v3", "mystery", "gpt-oss-120b", "gemma-3"}, []string{"glm-x", "gemini-x"}},
		{"country", Filter{Country: "cn"}, []string{"deepseek-v3", "glm-x"}, []string{"mystery"}},
		// glm-x is CN: it cannot pass, so it is dropped, not excluded.
		{"open, not CN", Filter{Open: true, NotCountry: "CN"}, []string{"gpt-oss-120b", "gemma-3"}, []string{"mystery", "gemini-x"}},
		{"limit cuts the excluded too", Filter{Open: true, NotCountry: "CN", Limit: 1}, []string{"gpt-oss-120b"}, []string{"mystery"}},
	}
	models := func(es []Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Row.Model)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, excluded := Apply(es, tt.f)
			if got := models(kept); !slices.Equal(got, tt.kept) {
				t.Errorf("kept %v, want %v", got, tt.kept)
			}
			if got := models(excluded); !slices.Equal(got, tt.excludedWant) {
				t.Errorf("excluded %v, want %v", got, tt.excludedWant)
			}
		})
	}
}

// reportSnapshot: 16 open Chinese models above gpt-oss-120b, one open model
// of unknown origin above it, and rows that must not count.
func reportSnapshot() *arenawatch.Snapshot {
	rows := []rowSpec{
		{"gemini-3-pro", "Google", "Proprietary", 1500, 0},
		{"claude-opus-4-5", "Anthropic", "Proprietary", 1490, 0},
		{"qwen3-max-preview", "Alibaba", "Apache 2.0", 1485, 0}, // closed by catalog rule
	}
	cn := []struct{ org, license string }{{"DeepSeek", "MIT"}, {"Z.ai", "MIT"}, {"Moonshot", "Modified MIT"}, {"Alibaba", "Apache 2.0"}}
	for i := 0; i < 16; i++ {
		o := cn[i%len(cn)]
		rows = append(rows, rowSpec{fmt.Sprintf("cn-open-%02d", i+1), o.org, o.license, float64(1480 - i), 0})
	}
	rows = append(rows,
		rowSpec{"mystery-open", "Nowhere Labs", "Apache 2.0", 1462, 0}, // could be the answer
		rowSpec{"codename-closed", "", "Proprietary", 1461, 0},         // origin unknown, but closed
		rowSpec{"glm-unlabelled", "Z.ai", "", 1460, 0},                 // openness unknown, but Chinese
		rowSpec{"gpt-oss-120b", "OpenAI", "Apache 2.0", 1455, 0},       // the answer
		rowSpec{"gemma-3-27b", "Google", "Gemma", 1400, 0},             // open US, below
		rowSpec{"qwen3-32b", "Alibaba", "Apache 2.0", 1390, 0},         // open CN, below
		rowSpec{"gpt-oss-tie", "OpenAI", "Apache 2.0", 1455, 0},        // tie with the answer, later on the page
		rowSpec{"anon-below", "", "", 1300, 0},                         // both unknown, below
	)
	s := snap(rows...)
	s.AsOf = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	s.Totals.Models = 410
	return s
}

func TestReport(t *testing.T) {
	c := testCatalog(t)
	rep := Report(reportSnapshot(), arenawatch.RankByScore, c, Options{})

	if rep.LeadingOpen == nil || rep.LeadingOpen.Model != "cn-open-01" || rep.LeadingOpen.OpenPosition != 1 ||
		rep.LeadingOpen.Rank != 4 || rep.LeadingOpen.Country != "CN" || rep.LeadingOpen.Organization != "DeepSeek" {
		t.Errorf("leading_open = %+v, want cn-open-01, DeepSeek, CN, rank 4, open position 1", rep.LeadingOpen)
	}
	b := rep.BestOpenNonCN
	// Above gpt-oss-120b: 3 + 16 + 3 = 22 rows; open ones: 16 + mystery = 17.
	if b == nil || b.Model != "gpt-oss-120b" || b.Rank != 23 || b.OpenPosition != 18 ||
		b.Organization != "OpenAI" || b.Country != "US" || b.Tier != TierPermissive || b.Open != Open {
		t.Errorf("best_open_non_chinese = %+v, want gpt-oss-120b, rank 23, open position 18", b)
	}
	if rep.ChineseOpenAbove != 16 {
		t.Errorf("chinese_open_above = %d, want 16", rep.ChineseOpenAbove)
	}
	if rep.UnknownAbove != 1 {
		t.Errorf("unclassified_above = %d, want 1 (mystery-open only)", rep.UnknownAbove)
	}
	wantU := Unclassified{Rows: 4, OriginUnknown: 3, OpennessUnknown: 2,
		Models: []string{"mystery-open", "codename-closed", "glm-unlabelled", "anon-below"}}
	if !reflect.DeepEqual(rep.Unclassified, wantU) {
		t.Errorf("unclassified = %+v, want %+v", rep.Unclassified, wantU)
	}
	if rep.Board != "test-board" || rep.Rows != 27 || !rep.Partial || rep.StatedTotal != 410 ||
		rep.CatalogVersion != "test.1" || rep.RankRule != "by score, higher is better" {
		t.Errorf("snapshot info: %+v", rep)
	}
	// Unknown origin of the mystery row is shown as the source's own text.
	for _, e := range Entries(reportSnapshot(), arenawatch.RankByScore, c, Options{}) {
		if e.Row.Model == "mystery-open" {
			if r := NewModelRef(e); r.Organization != "Nowhere Labs" || r.Country != "" {
				t.Errorf("mystery ref: %+v", r)
			}
		}
	}
}

func TestReportNilSnapshot(t *testing.T) {
	rep := Report(nil, arenawatch.RankOwn, testCatalog(t), Options{})
	if rep.CatalogVersion != "test.1" || rep.Rows != 0 || rep.LeadingOpen != nil || rep.Unclassified.Models == nil {
		t.Errorf("Report(nil) = %+v", rep)
	}
}

func TestReportNoOpenNonChinese(t *testing.T) {
	c := testCatalog(t)
	s := snap(
		rowSpec{"gpt-5", "OpenAI", "Proprietary", 100, 0},
		rowSpec{"deepseek-v3", "DeepSeek", "MIT", 99, 0},
		rowSpec{"anon", "", "", 98, 0},
		rowSpec{"kimi", "Moonshot", "Modified MIT", 97, 0},
	)
	rep := Report(s, arenawatch.RankByScore, c, Options{})
	if rep.BestOpenNonCN != nil {
		t.Errorf("best_open_non_chinese = %+v, want null", rep.BestOpenNonCN)
	}
	if rep.ChineseOpenAbove != 2 || rep.UnknownAbove != 1 {
		t.Errorf("chinese_open_above %d (want 2), unclassified_above %d (want 1)", rep.ChineseOpenAbove, rep.UnknownAbove)
	}
	if rep.LeadingOpen == nil || rep.LeadingOpen.Model != "deepseek-v3" {
		t.Errorf("leading_open = %+v", rep.LeadingOpen)
	}
}

func TestReportLeadTieBreak(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name string
		rule arenawatch.RankRule
		rows []rowSpec
		want string
	}{
		{"page order", arenawatch.RankByScore, []rowSpec{{"first", "", "MIT", 90, 0}, {"second", "", "MIT", 90, 0}}, "first"},
		{"better own rank", arenawatch.RankOwn, []rowSpec{{"first", "", "MIT", 90, 2}, {"second", "", "MIT", 90, 1}}, "second"},
		{"score beats own rank", arenawatch.RankOwn, []rowSpec{{"first", "", "MIT", 80, 1}, {"second", "", "MIT", 90, 2}}, "second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Report(snap(tt.rows...), tt.rule, c, Options{})
			if rep.LeadingOpen == nil || rep.LeadingOpen.Model != tt.want {
				t.Errorf("leading_open = %+v, want %s", rep.LeadingOpen, tt.want)
			}
		})
	}
}

// TestReportJSONContract pins the JSON field names documented in doc.go.
func TestReportJSONContract(t *testing.T) {
	rep := Report(reportSnapshot(), arenawatch.RankByScore, testCatalog(t), Options{})
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		sort.Strings(k)
		return k
	}
	check := func(what string, got map[string]any, want []string) {
		t.Helper()
		sort.Strings(want)
		if g := keys(got); !slices.Equal(g, want) {
			t.Errorf("%s fields\n got %v\nwant %v", what, g, want)
		}
	}
	check("report", m, []string{"board", "fetched_at", "as_of", "url", "origin", "rank_rule", "rows", "partial", "stated_total",
		"leading_open", "best_open_non_chinese", "chinese_open_above", "unclassified_above", "unclassified", "catalog_version",
		"origin_view", "by_family", "views", "chinese_open_above_tied", "chinese_open_same_score"})
	// base, base_organization and base_country appear for derivatives only;
	// score_lower/score_upper, rank_range and statistical_ties where the
	// board publishes intervals (this one does not); exact_ties when
	// another model has the same score (gpt-oss-tie does).
	check("model", m["best_open_non_chinese"].(map[string]any), []string{"model", "name", "organization", "country",
		"org_basis", "license", "tier", "open", "open_basis", "score", "rank", "open_position", "votes", "family", "exact_ties"})
	ties := m["best_open_non_chinese"].(map[string]any)["exact_ties"].([]any)
	check("exact tie", ties[0].(map[string]any), []string{"model", "name", "organization", "country", "open", "chinese_open",
		"rank", "page", "ahead"})
	views := m["views"].([]any)
	if len(views) != 2 {
		t.Fatalf("views: %v", views)
	}
	check("view", views[1].(map[string]any), []string{"view", "best_open_non_chinese", "chinese_open_above", "unclassified_above",
		"chinese_open_above_tied", "chinese_open_same_score"})
	check("unclassified", m["unclassified"].(map[string]any), []string{"rows", "origin_unknown", "openness_unknown", "models"})

	// Nulls and empty lists, not missing fields, when there is nothing.
	empty, _ := json.Marshal(Report(snap(rowSpec{"gpt-5", "OpenAI", "Proprietary", 1, 0}), arenawatch.RankByScore, testCatalog(t), Options{}))
	var e map[string]any
	if err := json.Unmarshal(empty, &e); err != nil {
		t.Fatal(err)
	}
	if v, ok := e["leading_open"]; !ok || v != nil {
		t.Errorf("leading_open = %v (present %v), want null", v, ok)
	}
	if _, ok := e["as_of"]; ok {
		t.Error("as_of should be absent when the source states no date")
	}
	if models := e["unclassified"].(map[string]any)["models"]; models == nil {
		t.Error("unclassified.models should be [] not null")
	}
}
