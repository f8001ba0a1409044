package ranking

import (
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
)

// adoptionCatalog knows the OpenRouter author slugs of the test day, so
// that these tests do not move when the embedded catalog grows.
func adoptionCatalog(t *testing.T) *Catalog {
	t.Helper()
	return mustParse(t, `version: "adoption-test.1"
organizations:
  - {name: DeepSeek, country: CN, aliases: [deepseek]}
  - {name: Z.ai, country: CN, aliases: [z-ai]}
  - {name: Alibaba, country: CN, aliases: [qwen]}
  - {name: Google, country: US, aliases: [google]}
  - {name: OpenAI, country: US, aliases: [openai]}
  - {name: Anthropic, country: US, aliases: [anthropic]}
  - {name: Prime Intellect, country: US, aliases: [prime-intellect]}
models:
  - {match: "qwen3-max*", open: false, reason: "API only, whatever the source flag says"}
  - {match: "intellect-3*", base: GLM-4.5-Air, base_org: Z.ai, reason: "post-train of GLM-4.5-Air"}
`)
}

type usage struct {
	model, org string // org "" = absent
	open       *bool  // nil = the source says nothing
	tokens     float64
	rank       int
}

func usageSnap(rows ...usage) *arenawatch.Snapshot {
	s := &arenawatch.Snapshot{Board: "openrouter-daily-tokens", URL: "https://openrouter.ai/x/latest.manifest.json", Origin: arenawatch.OriginReplayed,
		FetchedAt: time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC), AsOf: time.Date(2026, 10, 7, 0, 0, 0, 0, time.UTC)}
	for _, u := range rows {
		r := arenawatch.Row{Model: u.model, Score: u.tokens, Rank: u.rank, Open: u.open}
		if u.org != "" {
			r.Organization = arenawatch.Str(u.org)
		}
		s.Rows = append(s.Rows, r)
	}
	return s
}

var (
	yes = arenawatch.Bool(true)
	no  = arenawatch.Bool(false)
)

// adoptionDay has 1500 tokens; the expected shares below are worked out
// by hand from it.
func adoptionDay() *arenawatch.Snapshot {
	return usageSnap(
		usage{"deepseek/deepseek-v4-pro-20260813", "deepseek", yes, 500, 1},
		usage{"openai/gpt-6-luna-20260922", "openai", no, 300, 2},
		usage{"z-ai/glm-5-20260211", "z-ai", yes, 200, 3},
		usage{"google/gemma-4-31b-it-20260402", "google", yes, 100, 4},
		usage{"qwen/qwen3-max-20260101", "qwen", yes, 60, 5},                         // a catalog rule says closed
		usage{"mystery/open-1", "mystery", yes, 50, 6},                               // open, origin unknown
		usage{"anthropic/claude-opus-5.5-20260921", "anthropic", nil, 40, 7},         // openness unknown
		usage{"prime-intellect/intellect-3-20251127", "prime-intellect", yes, 30, 8}, // US post-train of a CN base
		usage{"stealth/ghost", "stealth", no, 10, 9},                                 // closed, origin unknown
		usage{"other", "", nil, 210, 0},                                              // the aggregate row
	)
}

func TestAdoption(t *testing.T) {
	c := adoptionCatalog(t)
	type want struct {
		tokens int64
		share  float64
		models []string
	}
	tests := []struct {
		view                       View
		cn, nonCN, closed, unknown want
		topCN, topNonCN            string
	}{
		{ViewDeveloper,
			want{700, 700.0 / 1500, []string{"deepseek/deepseek-v4-pro-20260813", "z-ai/glm-5-20260211"}},
			want{130, 130.0 / 1500, []string{"google/gemma-4-31b-it-20260402", "prime-intellect/intellect-3-20251127"}},
			want{360, 360.0 / 1500, []string{"openai/gpt-6-luna-20260922", "qwen/qwen3-max-20260101"}},
			want{310, 310.0 / 1500, []string{"other", "mystery/open-1", "anthropic/claude-opus-5.5-20260921", "stealth/ghost"}},
			"deepseek/deepseek-v4-pro-20260813", "google/gemma-4-31b-it-20260402"},
		{ViewLineage,
			want{730, 730.0 / 1500, []string{"deepseek/deepseek-v4-pro-20260813", "z-ai/glm-5-20260211", "prime-intellect/intellect-3-20251127"}},
			want{100, 100.0 / 1500, []string{"google/gemma-4-31b-it-20260402"}},
			want{360, 360.0 / 1500, []string{"openai/gpt-6-luna-20260922", "qwen/qwen3-max-20260101"}},
			want{310, 310.0 / 1500, []string{"other", "mystery/open-1", "anthropic/claude-opus-5.5-20260921", "stealth/ghost"}},
			"deepseek/deepseek-v4-pro-20260813", "google/gemma-4-31b-it-20260402"},
	}
	for _, tt := range tests {
		t.Run(string(tt.view), func(t *testing.T) {
			rep := Adoption(adoptionDay(), c, tt.view)
			if rep.TotalTokens != 1500 || rep.OtherTokens != 210 || rep.Rows != 10 || rep.OriginView != tt.view || rep.CatalogVersion != "adoption-test.1" {
				t.Fatalf("total %d other %d rows %d view %s catalog %s", rep.TotalTokens, rep.OtherTokens, rep.Rows, rep.OriginView, rep.CatalogVersion)
			}
			if rep.Board != "openrouter-daily-tokens" || rep.AsOf.Format(time.DateOnly) != "2026-10-07" || rep.Origin != arenawatch.OriginReplayed {
				t.Errorf("snapshot fields %+v", rep)
			}
			for name, pair := range map[string]struct {
				got  AdoptionShare
				want want
			}{"chinese_open": {rep.ChineseOpen, tt.cn}, "non_chinese_open": {rep.NonChineseOpen, tt.nonCN},
				"closed": {rep.Closed, tt.closed}, "unclassified": {rep.Unclassified, tt.unknown}} {
				g, w := pair.got, pair.want
				if g.Tokens != w.tokens || math.Abs(g.Share-w.share) > 1e-12 || g.Count != len(w.models) || !reflect.DeepEqual(g.Models, w.models) {
					t.Errorf("%s: %+v, want %+v", name, g, w)
				}
			}
			sum := rep.ChineseOpen.Share + rep.NonChineseOpen.Share + rep.Closed.Share + rep.Unclassified.Share
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("shares sum to %v", sum)
			}
			if rep.TopChineseOpen == nil || rep.TopChineseOpen.Model != tt.topCN || math.Abs(rep.TopChineseOpen.Share-500.0/1500) > 1e-12 ||
				rep.TopChineseOpen.Organization != "DeepSeek" || rep.TopChineseOpen.Country != "CN" || rep.TopChineseOpen.Rank != 1 {
				t.Errorf("top Chinese open %+v", rep.TopChineseOpen)
			}
			if rep.TopNonChineseOpen == nil || rep.TopNonChineseOpen.Model != tt.topNonCN || math.Abs(rep.TopNonChineseOpen.Share-100.0/1500) > 1e-12 ||
				rep.TopNonChineseOpen.Country != "US" || rep.TopNonChineseOpen.Rank != 4 || rep.TopNonChineseOpen.OpenPosition != 3 {
				t.Errorf("top non-Chinese open %+v", rep.TopNonChineseOpen)
			}
		})
	}
}

// TestAdoptionUnknownIsNeverCounted: the most-used rows are open but of
// unknown origin, or of known origin but unknown openness; neither may be
// the top non-Chinese open model nor count as open.
func TestAdoptionUnknownIsNeverCounted(t *testing.T) {
	rep := Adoption(usageSnap(
		usage{"newlab/huge-open", "newlab", yes, 900, 1},
		usage{"openai/mystery", "openai", nil, 800, 2},
		usage{"qwen/qwen3-max-20260101", "qwen", yes, 100, 3},
	), adoptionCatalog(t), "")
	if rep.TopNonChineseOpen != nil || rep.TopChineseOpen != nil || rep.NonChineseOpen.Tokens != 0 || rep.ChineseOpen.Tokens != 0 {
		t.Fatalf("unknown counted as open: %+v", rep)
	}
	if rep.Unclassified.Tokens != 1700 || rep.Unclassified.Share != 1700.0/1800 || rep.Closed.Tokens != 100 || rep.OriginView != ViewDeveloper {
		t.Fatalf("unclassified %+v closed %+v", rep.Unclassified, rep.Closed)
	}
	// A row keyed "other" that names an organization is a model, not the
	// aggregate.
	rep = Adoption(usageSnap(usage{"other", "google", yes, 10, 1}), adoptionCatalog(t), ViewDeveloper)
	if rep.OtherTokens != 0 || rep.NonChineseOpen.Tokens != 10 {
		t.Fatalf("a named 'other' model: %+v", rep)
	}
}

func TestAdoptionEmpty(t *testing.T) {
	rep := Adoption(nil, adoptionCatalog(t), ViewDeveloper)
	if rep.CatalogVersion != "adoption-test.1" || rep.TotalTokens != 0 || rep.Unclassified.Models == nil || rep.TopChineseOpen != nil {
		t.Fatalf("%+v", rep)
	}
	rep = Adoption(usageSnap(usage{"google/x", "google", yes, 0, 1}), adoptionCatalog(t), ViewDeveloper)
	if rep.NonChineseOpen.Count != 1 || rep.NonChineseOpen.Share != 0 {
		t.Fatalf("a day of zero tokens: %+v", rep.NonChineseOpen)
	}
}

// TestAdoptionJSONFields pins the documented JSON field names.
func TestAdoptionJSONFields(t *testing.T) {
	b, err := json.Marshal(Adoption(adoptionDay(), adoptionCatalog(t), ViewDeveloper))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	want := []string{"as_of", "board", "catalog_version", "chinese_open", "closed", "fetched_at", "non_chinese_open", "origin",
		"origin_view", "other_tokens", "rows", "top_chinese_open", "top_non_chinese_open", "total_tokens", "unclassified", "url"}
	if got := keys(m); !reflect.DeepEqual(got, want) {
		t.Errorf("report fields %v, want %v", got, want)
	}
	var cls, top map[string]json.RawMessage
	json.Unmarshal(m["closed"], &cls)
	if got := keys(cls); !reflect.DeepEqual(got, []string{"count", "models", "share", "tokens"}) {
		t.Errorf("class fields %v", got)
	}
	json.Unmarshal(m["top_chinese_open"], &top)
	if _, ok := top["share"]; !ok || top["model"] == nil || top["country"] == nil {
		t.Errorf("top model fields %v", keys(top))
	}
}

// TestAggregateIsNotAModel: the "other" row of a usage board gets no rank
// and no class in Entries and Report (rank listed it second; catalog check
// called it an unclassified model above the answer), while its tokens stay
// in the day's total.
func TestAggregateIsNotAModel(t *testing.T) {
	cat := adoptionCatalog(t)
	day := adoptionDay()
	for _, e := range Entries(day, arenawatch.RankByScore, cat, Options{}) {
		if e.Row.Model == "other" {
			t.Fatalf("the aggregate row is an entry at rank %d", e.Rank)
		}
		if e.Row.Model == "openai/gpt-6-luna-20260922" && e.Rank != 2 {
			t.Errorf("the second model ranks %d: the aggregate row still counts above it", e.Rank)
		}
	}
	rep := Report(day, arenawatch.RankByScore, cat, Options{})
	// mystery/open-1 and stealth/ghost have no known origin, claude no
	// openness in this catalog; the aggregate is none of them.
	if got := strings.Join(rep.Unclassified.Models, " "); got != "mystery/open-1 anthropic/claude-opus-5.5-20260921 stealth/ghost" {
		t.Errorf("unclassified %s", got)
	}
	if a := Adoption(day, cat, ViewDeveloper); a.TotalTokens != 1500 || a.OtherTokens != 210 {
		t.Errorf("tokens %d, other %d; want 1500, 210", a.TotalTokens, a.OtherTokens)
	}
}
