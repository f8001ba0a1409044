package history

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

// TestRowTies checks that a history row says how sure its answer is, as
// 'report' does, on real pages: arena.ai's text board publishes rank
// spreads and intervals; openlm.ai's table neither.
func TestRowTies(t *testing.T) {
	cat := ranking.Embedded()
	three, zero := 3, 0
	tests := []struct {
		name, board string
		rule        arenawatch.RankRule
		// Read off the page: gemma-3-27b-it's rankUpper–rankLower is
		// 60–68; of the Chinese open models above its 1364.46, glm-4.5-air,
		// qwen3-next-80b-a3b-thinking and minimax-m1 have a lower bound
		// at or below its upper bound 1368.12 (qwen2.5-max too, but it is
		// closed). openlm.ai publishes no interval: null, not 0.
		wantRange *ranking.RankRange
		wantTied  *int
		wantSame  *int
	}{
		{"ArenaText", "arena-text", arenawatch.RankOwn, &ranking.RankRange{Best: 60, Worst: 68, Basis: ranking.BasisSource}, &three, &zero},
		{"OpenLMNoIntervals", "openlm-arena", arenawatch.RankByScore, nil, nil, &zero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := golden(t, tt.board)
			r := RowOf(s, Options{Catalog: cat, Rule: tt.rule})
			rep := ranking.Report(s, tt.rule, cat, ranking.Options{})
			if !reflect.DeepEqual(r.ChineseOpenAboveTied, rep.ChineseOpenAboveTied) || !reflect.DeepEqual(r.ChineseOpenSameScore, rep.ChineseOpenSameScore) {
				t.Errorf("row %v/%v, report %v/%v", r.ChineseOpenAboveTied, r.ChineseOpenSameScore, rep.ChineseOpenAboveTied, rep.ChineseOpenSameScore)
			}
			if r.BestOpenNonCN == nil || !reflect.DeepEqual(r.BestOpenNonCN.RankRange, tt.wantRange) {
				t.Errorf("best %+v: range, want %+v", r.BestOpenNonCN, tt.wantRange)
			}
			if !reflect.DeepEqual(r.ChineseOpenAboveTied, tt.wantTied) || !reflect.DeepEqual(r.ChineseOpenSameScore, tt.wantSame) {
				t.Errorf("chinese_open_above_tied %v, chinese_open_same_score %v; want %v, %v", r.ChineseOpenAboveTied, r.ChineseOpenSameScore, tt.wantTied, tt.wantSame)
			}
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"chinese_open_above_tied", "chinese_open_same_score"} {
				if _, ok := m[k]; !ok {
					t.Errorf("row JSON has no %s", k)
				}
			}
		})
	}
}
