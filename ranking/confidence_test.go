package ranking

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
)

// confCatalog knows the organizations of the rows below, and no more, so
// that these tests do not move when the embedded catalog grows.
func confCatalog(t *testing.T) *Catalog {
	t.Helper()
	return mustParse(t, `version: "test.conf"
organizations:
  - {name: Google, country: US}
  - {name: OpenAI, country: US}
  - {name: xAI, country: US}
  - {name: Anthropic, country: US}
  - {name: Alibaba, country: CN}
  - {name: DeepSeek, country: CN, aliases: [DeepSeek AI]}
  - {name: Z.ai, country: CN}
  - {name: MiniMax, country: CN}
  - {name: Moonshot AI, country: CN, aliases: [Moonshot]}
`)
}

// ciRow is a real published row: NaN for a bound the source does not give,
// 0 for a rank or rank spread it does not give.
type ciRow struct {
	model, org, license string
	score, lo, hi       float64
	rank, up, down      int
}

func ciSnap(rows ...ciRow) *arenawatch.Snapshot {
	s := &arenawatch.Snapshot{Board: "test-board", FetchedAt: time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC)}
	for _, r := range rows {
		row := arenawatch.Row{Model: r.model, Score: r.score, Rank: r.rank, RankUpper: r.up, RankLower: r.down,
			Organization: arenawatch.Str(r.org), License: arenawatch.Str(r.license)}
		if !math.IsNaN(r.lo) {
			row.ScoreLower = arenawatch.Float(r.lo)
		}
		if !math.IsNaN(r.hi) {
			row.ScoreUpper = arenawatch.Float(r.hi)
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

var none = math.NaN()

// Rows of LMArena's text board (raw scores) published 2025-05-07, as the
// dataset gives them: score, and the bounds score − / + the published
// ci95 halves (fboulnois/llm-leaderboard-csv, csv/lmsys.csv @ 995be190638a).
var (
	may7FlashThinking = ciRow{"Gemini-2.0-Flash-Thinking-Exp-01-21", "Google", "Proprietary", 1380, 1377, 1384, 8, 0, 0}
	may7ProExp        = ciRow{"Gemini-2.0-Pro-Exp-02-05", "Google", "Proprietary", 1380, 1376, 1384, 8, 0, 0}
	may7FlashPreview  = ciRow{"Gemini-2.5-Flash-Preview-04-17", "Google", "Proprietary", 1394, 1386, 1403, 5, 0, 0}
	may7DSV3          = ciRow{"DeepSeek-V3-0324", "DeepSeek", "MIT", 1372, 1366, 1378, 8, 0, 0}
	may7GPT41         = ciRow{"GPT-4.1-2025-04-14", "OpenAI", "Proprietary", 1367, 1359, 1373, 10, 0, 0}
	may7R1            = ciRow{"DeepSeek-R1", "DeepSeek", "MIT", 1359, 1356, 1363, 11, 0, 0}
	may7O4Mini        = ciRow{"o4-mini-2025-04-16", "OpenAI", "Proprietary", 1351, 1343, 1360, 11, 0, 0}
	may7Flash001      = ciRow{"Gemini-2.0-Flash-001", "Google", "Proprietary", 1355, 1351, 1358, 12, 0, 0}
	may7O1            = ciRow{"o1-2024-12-17", "OpenAI", "Proprietary", 1350, 1347, 1353, 13, 0, 0}
	may7Qwen3         = ciRow{"Qwen3-235B-A22B", "Alibaba", "Apache 2.0", 1342, 1333, 1353, 13, 0, 0}
	may7Gemma27       = ciRow{"Gemma-3-27B-it", "Google", "Gemma", 1342, 1337, 1347, 15, 0, 0}
	may7QwenMax       = ciRow{"Qwen2.5-Max", "Alibaba", "Proprietary", 1341, 1338, 1344, 15, 0, 0}
	may7O1Preview     = ciRow{"o1-preview", "OpenAI", "Proprietary", 1335, 1332, 1339, 16, 0, 0}
	may7GPT41Mini     = ciRow{"GPT-4.1-mini-2025-04-14", "OpenAI", "Proprietary", 1324, 1315, 1332, 20, 0, 0}
)

// Rows 58 to 69 of arena.ai's text board (style control on) of the
// fixtures (source/testdata/golden/arena-text.json): rank, rankUpper,
// rankLower, rating, ratingLower, ratingUpper.
var arenaRows = []ciRow{
	{"gemini-2.5-flash-lite-preview-06-17-thinking", "Google", "Proprietary", 1375.44, 1370.93, 1379.95, 58, 51, 62},
	{"qwen3-235b-a22b", "Alibaba", "Apache 2.0", 1373.08, 1368.38, 1377.78, 59, 52, 63},
	{"qwen2.5-max", "Alibaba", "Proprietary", 1372.05, 1368.07, 1376.03, 60, 54, 64},
	{"glm-4.5-air", "Z.ai", "MIT", 1370.55, 1366.03, 1375.06, 61, 56, 66},
	{"qwen3-next-80b-a3b-thinking", "Alibaba", "Apache 2.0", 1367.04, 1361.15, 1372.92, 62, 58, 68},
	{"minimax-m1", "MiniMax", "Apache 2.0", 1365.93, 1361.66, 1370.19, 63, 59, 67},
	{"gemma-3-27b-it", "Google", "Gemma", 1364.46, 1360.81, 1368.12, 64, 60, 68},
	{"grok-3-mini-high", "xAI", "Proprietary", 1362.27, 1356.95, 1367.59, 65, 61, 71},
	{"o3-mini-high", "OpenAI", "Proprietary", 1362.09, 1356.92, 1367.26, 66, 61, 71},
	{"grok-3-mini-beta", "xAI", "Proprietary", 1356.72, 1351.72, 1361.71, 67, 62, 79},
	{"deepseek-v3", "DeepSeek", "DeepSeek", 1356.61, 1351.99, 1361.22, 68, 63, 77},
	{"mistral-small-2506", "Mistral", "Apache 2.0", 1354.04, 1348.84, 1359.24, 69, 65, 85},
}

// Rows 5 to 7 of openlm.ai's arena table (fixtures): one score, no
// intervals, no ranks (the board ranks by score).
var openlmTied = []ciRow{
	{"kimi-k3", "Moonshot", "Kimi K3", 1506, none, none, 0, 0, 0},
	{"claude opus 4.8 thinking", "Anthropic", "Proprietary", 1506, none, none, 0, 0, 0},
	{"qwen3.8-max", "Alibaba", "Qwen3", 1506, none, none, 0, 0, 0},
}

// tie is an exact tie as a case expects it.
type tie struct {
	model       string
	rank, page  int
	ahead, cnOp bool
}

func TestConfidence(t *testing.T) {
	cat := confCatalog(t)
	dropLower := func(r ciRow) ciRow { r.lo = none; return r }
	tests := []struct {
		name    string
		rows    []ciRow
		rule    arenawatch.RankRule
		opt     Options
		subject string
		// Worked out by hand from the rows above.
		wantRange *RankRange
		wantTies  *StatTies
		wantExact []tie
	}{
		{
			// Gemma [1337, 1347]: R1 (lower 1356) and Flash-001 (1351)
			// are above; o1 (lower 1347 = Gemma's upper: touching),
			// Qwen2.5-Max [1338, 1344] and o1-preview [1332, 1339]
			// overlap; GPT-4.1-mini (upper 1332) is below. Best 1 + 2,
			// worst 3 + 3.
			name: "overlapping CIs", rule: arenawatch.RankByScore, subject: "Gemma-3-27B-it",
			rows:      []ciRow{may7R1, may7Flash001, may7O1, may7Gemma27, may7QwenMax, may7O1Preview, may7GPT41Mini},
			wantRange: &RankRange{3, 6, BasisIntervals}, wantTies: &StatTies{Models: 3},
		},
		{
			// DeepSeek-V3-0324 [1366, 1378]: Flash-Preview's lower 1386
			// is above its upper; R1's upper 1363 and Gemma's 1347 are
			// below its lower. Nothing overlaps: a known zero.
			name: "disjoint CIs", rule: arenawatch.RankByScore, subject: "DeepSeek-V3-0324",
			rows:      []ciRow{may7FlashPreview, may7DSV3, may7R1, may7Gemma27},
			wantRange: &RankRange{2, 2, BasisIntervals}, wantTies: &StatTies{},
		},
		{
			// The same rows as the real board: the leader's interval
			// overlaps Flash-Thinking [1377, 1384], Pro-Exp [1376, 1384]
			// and GPT-4.1 [1359, 1373]; R1's upper 1363 is below 1366.
			name: "overlapping CIs, the leading open model", rule: arenawatch.RankByScore, subject: "DeepSeek-V3-0324",
			rows:      []ciRow{may7FlashPreview, may7FlashThinking, may7ProExp, may7DSV3, may7GPT41, may7R1},
			wantRange: &RankRange{2, 5, BasisIntervals}, wantTies: &StatTies{Models: 3},
		},
		{
			// 1342 both; the source ranks Qwen3 13th and Gemma 15th and
			// lists Qwen3 first. Qwen3 [1333, 1353] overlaps Gemma's
			// interval; o4-mini [1343, 1360] overlaps it; o1 touches it.
			// These four rows are an excerpt: the source ranks Gemma
			// 15th, below every rank (1–4) its interval allows among them,
			// so rows are missing and neither a range nor tie counts can be
			// told; the exact tie and the source's order still can.
			name: "exact tie with source order", rule: arenawatch.RankOwn, subject: "Gemma-3-27B-it",
			rows:      []ciRow{may7O4Mini, may7O1, may7Qwen3, may7Gemma27},
			wantExact: []tie{{"Qwen3-235B-A22B", 13, 3, true, true}},
		},
		{
			// The same rows ranked by score, as a whole board: ranks 1–4,
			// three overlapping (one open Chinese); the tie is told apart
			// by page order, both ranked 3rd.
			name: "exact tie, ranked by score", rule: arenawatch.RankByScore, subject: "Gemma-3-27B-it",
			rows:      []ciRow{may7O4Mini, may7O1, may7Qwen3, may7Gemma27},
			wantRange: &RankRange{1, 4, BasisIntervals}, wantTies: &StatTies{Models: 3, Open: 1, ChineseOpen: 1},
			wantExact: []tie{{"Qwen3-235B-A22B", 3, 3, true, true}},
		},
		{
			name: "exact tie seen from the model listed first", rule: arenawatch.RankOwn, subject: "Qwen3-235B-A22B",
			rows:      []ciRow{may7O4Mini, may7O1, may7Qwen3, may7Gemma27},
			wantExact: []tie{{"Gemma-3-27B-it", 15, 4, false, false}},
		},
		{
			// The board's rankUpper–rankLower, 60–68, not the 3–11 the
			// twelve rows' intervals would give. Overlapping gemma's
			// [1360.81, 1368.12]: qwen2.5-max (lower 1368.07), glm-4.5-air,
			// qwen3-next, minimax-m1, grok-3-mini-high, o3-mini-high,
			// grok-3-mini-beta (upper 1361.71), deepseek-v3 (1361.22): 8,
			// of them open and Chinese glm, qwen3-next, minimax, deepseek.
			// qwen3-235b-a22b's lower 1368.38 is just above 1368.12.
			name: "rank spreads from arena.ai", rule: arenawatch.RankOwn, subject: "gemma-3-27b-it",
			rows:      arenaRows,
			wantRange: &RankRange{60, 68, BasisSource}, wantTies: &StatTies{Models: 8, Open: 4, ChineseOpen: 4},
		},
		{
			// Ranks count families: the spread of a row does not apply,
			// the intervals do (2 above, 8 overlapping).
			name: "rank spreads from arena.ai, by family", rule: arenawatch.RankOwn, opt: Options{ByFamily: true}, subject: "gemma-3-27b-it",
			rows:      arenaRows,
			wantRange: &RankRange{3, 11, BasisIntervals}, wantTies: &StatTies{Models: 8, Open: 4, ChineseOpen: 4},
		},
		{
			// No intervals, no rank spread: no range and no tie counts
			// (absent, not zero), but the exact ties, in page order
			// since the board ranks by score.
			name: "no CIs", rule: arenawatch.RankByScore, subject: "claude opus 4.8 thinking",
			rows:      openlmTied,
			wantExact: []tie{{"kimi-k3", 1, 1, true, true}, {"qwen3.8-max", 1, 3, false, true}},
		},
		{
			// Gemma's own lower bound is not published: no interval, so
			// no range and no ties.
			name: "a missing lower bound on the model", rule: arenawatch.RankOwn, subject: "Gemma-3-27B-it",
			rows: []ciRow{may7R1, may7O1, dropLower(may7Gemma27), may7QwenMax},
		},
		{
			// Qwen2.5-Max has no lower bound: it is compared by its score,
			// 1341, inside Gemma's [1337, 1347], and said so.
			name: "a missing lower bound on another row", rule: arenawatch.RankByScore, subject: "Gemma-3-27B-it",
			rows:      []ciRow{may7R1, may7O1, may7Gemma27, dropLower(may7QwenMax), may7GPT41Mini},
			wantRange: &RankRange{2, 4, BasisIntervals}, wantTies: &StatTies{Models: 2, WithoutInterval: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := Entries(ciSnap(tt.rows...), tt.rule, cat, tt.opt)
			var kept []Entry
			for _, e := range all {
				if e.Row.Model == tt.subject {
					kept = append(kept, e)
				}
			}
			if len(kept) != 1 {
				t.Fatalf("subject %s: %d entries", tt.subject, len(kept))
			}
			ref := ConfidentRefs(all, kept, tt.rule, tt.opt)[0]
			if !reflect.DeepEqual(ref.RankRange, tt.wantRange) {
				t.Errorf("rank range %+v, want %+v", ref.RankRange, tt.wantRange)
			}
			if !reflect.DeepEqual(ref.StatTies, tt.wantTies) {
				t.Errorf("statistical ties %+v, want %+v", ref.StatTies, tt.wantTies)
			}
			var got []tie
			for _, x := range ref.ExactTies {
				got = append(got, tie{x.Model, x.Rank, x.Page, x.Ahead, x.ChineseOpen})
			}
			if !reflect.DeepEqual(got, tt.wantExact) {
				t.Errorf("exact ties %+v, want %+v", got, tt.wantExact)
			}
			// The rule's identity: the range spans the tied models.
			if r, s := ref.RankRange, ref.StatTies; r != nil && r.Basis == BasisIntervals && r.Worst-r.Best != s.Models {
				t.Errorf("range %d–%d does not span the %d tied models", r.Best, r.Worst, s.Models)
			}
		})
	}
}

// TestReportMay7 is the case that asked for ties: on LMArena's text board
// of 2025-05-07, Qwen3-235B-A22B and Gemma-3-27B-it share a score of 1342
// and the source ranks Qwen3 first (13 against 15). The rows are the
// board's first 22 of 196, in its order; no row further down reaches
// 1333, the lowest bound the answers below look at.
func TestReportMay7(t *testing.T) {
	s := ciSnap(may7Board()...)
	rep := Report(s, arenawatch.RankOwn, confCatalog(t), Options{})
	lead, best := rep.LeadingOpen, rep.BestOpenNonCN
	if lead == nil || lead.Model != "DeepSeek-V3-0324" || best == nil || best.Model != "Gemma-3-27B-it" {
		t.Fatalf("leading %+v, best %+v", lead, best)
	}
	// Leader [1366, 1378]: 7 rows have a lower bound above 1378 (the
	// source's own rank is 8); Flash-Thinking, Pro-Exp and GPT-4.1
	// overlap.
	if want := (&RankRange{8, 11, BasisIntervals}); !reflect.DeepEqual(lead.RankRange, want) || !reflect.DeepEqual(lead.StatTies, &StatTies{Models: 3}) {
		t.Errorf("leader: range %+v, ties %+v", lead.RankRange, lead.StatTies)
	}
	// Gemma [1337, 1347]: 13 lower bounds above 1347 (rows 1–12 and
	// Flash-001); o4-mini, o1 (touching), Qwen3, Qwen2.5-Max and
	// o1-preview overlap, Qwen3 the one open and Chinese. The source
	// says 15: o1's bound, rounded to 1347, touches.
	if want := (&RankRange{14, 19, BasisIntervals}); !reflect.DeepEqual(best.RankRange, want) ||
		!reflect.DeepEqual(best.StatTies, &StatTies{Models: 5, Open: 1, ChineseOpen: 1}) {
		t.Errorf("best: range %+v, ties %+v", best.RankRange, best.StatTies)
	}
	// DeepSeek-V3-0324 and R1 score above and are not tied; Qwen3 has
	// the same score and is ranked ahead.
	if rep.ChineseOpenAbove != 2 || rep.ChineseOpenAboveTied == nil || *rep.ChineseOpenAboveTied != 0 ||
		rep.ChineseOpenSameScore == nil || *rep.ChineseOpenSameScore != 1 {
		t.Errorf("chinese above %d, tied %v, same score %v", rep.ChineseOpenAbove, rep.ChineseOpenAboveTied, rep.ChineseOpenSameScore)
	}
	want := []ExactTie{{Model: "Qwen3-235B-A22B", Name: "Qwen3-235B-A22B", Organization: "Alibaba", Country: "CN", Open: Open,
		ChineseOpen: true, Rank: 13, Page: 16, Ahead: true}}
	if !reflect.DeepEqual(best.ExactTies, want) {
		t.Errorf("exact ties %+v", best.ExactTies)
	}
	// Report and ConfidentRefs (rank --json) say the same.
	all := Entries(s, arenawatch.RankOwn, confCatalog(t), Options{})
	for _, m := range []*ModelRef{lead, best} {
		for _, e := range all {
			if e.Row.Model == m.Model {
				if r := ConfidentRefs(all, []Entry{e}, arenawatch.RankOwn, Options{})[0]; !reflect.DeepEqual(&r, m) {
					t.Errorf("rank and report disagree on %s:\n%+v\n%+v", m.Model, r, *m)
				}
			}
		}
	}
}

// may7Board is the first 22 rows of the 2025-05-07 board, in its order.
func may7Board() []ciRow {
	return []ciRow{
		{"Gemini-2.5-Pro-Preview-05-06", "Google", "Proprietary", 1448, 1436, 1455, 1, 0, 0},
		{"Gemini-2.5-Pro-Exp-03-25", "Google", "Proprietary", 1437, 1433, 1443, 1, 0, 0},
		{"o3-2025-04-16", "OpenAI", "Proprietary", 1411, 1404, 1422, 3, 0, 0},
		{"ChatGPT-4o-latest (2025-03-26)", "OpenAI", "Proprietary", 1408, 1403, 1414, 3, 0, 0},
		{"Grok-3-Preview-02-24", "xAI", "Proprietary", 1402, 1398, 1407, 3, 0, 0},
		{"GPT-4.5-Preview", "OpenAI", "Proprietary", 1398, 1393, 1402, 5, 0, 0},
		may7FlashPreview, may7FlashThinking, may7ProExp, may7DSV3, may7GPT41, may7R1, may7O4Mini, may7Flash001, may7O1,
		may7Qwen3, may7Gemma27, may7QwenMax, may7O1Preview,
		{"o3-mini-high", "OpenAI", "Proprietary", 1325, 1320, 1329, 20, 0, 0},
		may7GPT41Mini,
		{"Gemma-3-12B-it", "Google", "Gemma", 1322, 1311, 1331, 20, 0, 0},
	}
}

// TestConfidenceJSON pins the new fields' names, and that a board without
// intervals leaves them out or null rather than zero.
func TestConfidenceJSON(t *testing.T) {
	cat := confCatalog(t)
	fields := func(v any) map[string]any {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	with := fields(Report(ciSnap(may7Board()...), arenawatch.RankOwn, cat, Options{}))
	best := with["best_open_non_chinese"].(map[string]any)
	for _, k := range []string{"score_lower", "score_upper", "rank_range", "statistical_ties", "exact_ties"} {
		if _, ok := best[k]; !ok {
			t.Errorf("best_open_non_chinese has no %s", k)
		}
	}
	if r := best["rank_range"].(map[string]any); len(r) != 3 || r["basis"] != "intervals" || r["best"] != 14.0 || r["worst"] != 19.0 {
		t.Errorf("rank_range %v", r)
	}
	if s := best["statistical_ties"].(map[string]any); len(s) != 3 || s["models"] != 5.0 || s["open"] != 1.0 || s["chinese_open"] != 1.0 {
		t.Errorf("statistical_ties %v (without_interval is left out at 0)", s)
	}
	if with["chinese_open_above_tied"] != 0.0 || with["chinese_open_same_score"] != 1.0 {
		t.Errorf("chinese_open_above_tied %v, chinese_open_same_score %v", with["chinese_open_above_tied"], with["chinese_open_same_score"])
	}

	without := fields(Report(ciSnap(append(openlmTied, ciRow{"gemma-3-27b-it", "Google", "Gemma", 1400, none, none, 0, 0, 0})...),
		arenawatch.RankByScore, cat, Options{}))
	best = without["best_open_non_chinese"].(map[string]any)
	for _, k := range []string{"score_lower", "score_upper", "rank_range", "statistical_ties", "exact_ties"} {
		if v, ok := best[k]; ok {
			t.Errorf("without intervals or ties, %s = %v; want it absent", k, v)
		}
	}
	if v, ok := without["chinese_open_above_tied"]; !ok || v != nil {
		t.Errorf("chinese_open_above_tied = %v (present %v), want null", v, ok)
	}
	if without["chinese_open_above"] != 2.0 || without["chinese_open_same_score"] != 0.0 {
		t.Errorf("chinese_open_above %v, chinese_open_same_score %v", without["chinese_open_above"], without["chinese_open_same_score"])
	}
	none := fields(Report(ciSnap(openlmTied[1]), arenawatch.RankByScore, cat, Options{}))
	if v, ok := none["chinese_open_same_score"]; !ok || v != nil {
		t.Errorf("no answer: chinese_open_same_score = %v (present %v), want null", v, ok)
	}
}
