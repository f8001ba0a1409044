package ranking

import (
	"testing"

	"github.com/arenawatch/arenawatch"
)

// viewsSnapshot has US post-trains of Chinese bases above the best model
// that is non-Chinese all the way down. Expected answers are worked out by
// hand in TestReportViews.
func viewsSnapshot() *arenawatch.Snapshot {
	return snap(
		rowSpec{"glm-4.6", "Z.ai", "MIT", 1450, 0},
		rowSpec{"athene-v2-chat", "NexusFlow", "NexusFlow", 1440, 0},
		rowSpec{"intellect-3", "prime-intellect", "MIT", 1430, 0},
		rowSpec{"deepseek-v3.1", "DeepSeek", "MIT", 1425, 0},
		rowSpec{"deepseek-v3.1-thinking", "DeepSeek", "MIT", 1424, 0},
		rowSpec{"claude-opus-4-6", "Anthropic", "Proprietary", 1423, 0},
		rowSpec{"gpt-oss-120b", "OpenAI", "Apache 2.0", 1420, 0},
		rowSpec{"gemma-3-27b-it", "Google", "Gemma", 1400, 0},
	)
}

func TestReportViews(t *testing.T) {
	c := Embedded()
	tests := []struct {
		name       string
		opt        Options
		best       string
		rank, pos  int
		cnAbove    int
		familyRows int // rows counted
	}{
		// Developer view: Athene's developer (Nexusflow) is American.
		{"developer", Options{}, "athene-v2-chat", 2, 2, 1, 8},
		// Lineage view: Athene (Qwen base) and INTELLECT-3 (GLM base) count
		// as Chinese, so gpt-oss-120b is the answer with 5 Chinese above.
		{"lineage", Options{View: ViewLineage}, "gpt-oss-120b", 7, 6, 5, 8},
		// By family, the two DeepSeek-V3.1 rows are one family: ranks count
		// families (claude-opus-4.6 is one of them).
		{"lineage by family", Options{View: ViewLineage, ByFamily: true}, "gpt-oss-120b", 6, 5, 4, 7},
		{"developer by family", Options{ByFamily: true}, "athene-v2-chat", 2, 2, 1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Report(viewsSnapshot(), arenawatch.RankByScore, c, tt.opt)
			b := rep.BestOpenNonCN
			if b == nil || b.Model != tt.best || b.Rank != tt.rank || b.OpenPosition != tt.pos || rep.ChineseOpenAbove != tt.cnAbove {
				t.Fatalf("best %+v, chinese above %d; want %s rank %d open #%d, %d above", b, rep.ChineseOpenAbove, tt.best, tt.rank, tt.pos, tt.cnAbove)
			}
			if rep.OriginView != tt.opt.view() || rep.ByFamily != tt.opt.ByFamily || len(rep.Views) != 2 || rep.Views[0].View != ViewDeveloper {
				t.Errorf("view fields: %s %v %+v", rep.OriginView, rep.ByFamily, rep.Views)
			}
			if got := len(Entries(viewsSnapshot(), arenawatch.RankByScore, c, tt.opt)); got != tt.familyRows {
				t.Errorf("%d entries, want %d", got, tt.familyRows)
			}
			// The report carries both views whichever is selected.
			if rep.Views[1].BestOpenNonCN == nil || rep.Views[1].BestOpenNonCN.Model != "gpt-oss-120b" {
				t.Errorf("lineage view answer %+v", rep.Views[1].BestOpenNonCN)
			}
		})
	}
	if b := Report(viewsSnapshot(), arenawatch.RankByScore, c, Options{}).BestOpenNonCN; b.Base != "Qwen2.5-72B" || b.BaseCountry != "CN" {
		t.Errorf("the developer-view answer does not show its Chinese base: %+v", b)
	}
}

func TestApplyLineage(t *testing.T) {
	c := Embedded()
	es := Entries(viewsSnapshot(), arenawatch.RankByScore, c, Options{})
	names := func(es []Entry) (out []string) {
		for _, e := range es {
			out = append(out, e.Row.Model)
		}
		return out
	}
	dev, _ := Apply(es, Filter{Open: true, NotCountry: "CN"})
	lin, _ := Apply(es, Filter{Open: true, NotCountry: "CN", View: ViewLineage})
	if got := names(dev); len(got) != 4 || got[0] != "athene-v2-chat" {
		t.Errorf("developer view, open non-CN: %v", got)
	}
	if got := names(lin); len(got) != 2 || got[0] != "gpt-oss-120b" || got[1] != "gemma-3-27b-it" {
		t.Errorf("lineage view, open non-CN: %v", got)
	}
	cn, _ := Apply(es, Filter{Country: "CN", View: ViewLineage})
	if len(cn) != 5 {
		t.Errorf("lineage view, CN: %v", names(cn))
	}
}
