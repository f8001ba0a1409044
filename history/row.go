package history

import (
	"math"
	"sort"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

// Row is one line of a history: what 'report --at' answers for one
// snapshot. Its JSON field names are a documented contract (README,
// "history --json").
type Row struct {
	// Period is the day ("2026-11-30"), ISO week ("2026-W48") or month
	// ("2026-11") the row stands for, in UTC on the history's time basis;
	// absent when every snapshot is a row.
	Period string `json:"period,omitempty"`
	// FetchedAt is when the snapshot was fetched (for an imported one,
	// the dataset's publish date).
	FetchedAt time.Time `json:"fetched_at"`
	// AsOf is the source's own date for the data; absent when it states
	// none.
	AsOf time.Time `json:"as_of,omitzero"`
	// AsOfLag is the number of whole UTC days from AsOf's day to
	// FetchedAt's day: above 0, the data is older than the fetch. 0 when
	// the source states no date.
	AsOfLag int `json:"as_of_lag_days"`
	// Origin is "scraped", "replayed" or "imported".
	Origin string `json:"origin"`
	// LeadingOpen is the highest-scoring open model (as in 'report');
	// null when no row is known to be open.
	LeadingOpen *ranking.ModelRef `json:"leading_open"`
	// BestOpenNonCN is the best open model whose origin is known and not
	// Chinese in the history's origin view, with its overall rank and
	// open_position; null when there is none.
	BestOpenNonCN *ranking.ModelRef `json:"best_open_non_chinese"`
	// ChineseOpenAbove counts the Chinese open models scoring above it.
	ChineseOpenAbove int `json:"chinese_open_above"`
	// ChineseOpenAboveTied counts those of them statistically tied with
	// it (score intervals overlap); null when it has no interval.
	// ChineseOpenSameScore counts the Chinese open models with exactly its
	// score (its exact_ties list them with the source's order); null
	// when there is no best_open_non_chinese. Its rank_range and
	// statistical_ties are in best_open_non_chinese (see ranking.ModelRef).
	ChineseOpenAboveTied *int `json:"chinese_open_above_tied"`
	ChineseOpenSameScore *int `json:"chinese_open_same_score"`
	// TopOpen counts the origins of the open top N.
	TopOpen TopOpen `json:"top_open"`
	// Gap is the leading open model's score minus the best non-Chinese
	// open model's; null when either is missing.
	Gap *Gap `json:"gap"`
	// Rows is the number of rows of the snapshot; Unclassified the rows
	// whose origin or openness the catalog does not know.
	Rows         int `json:"rows"`
	Unclassified int `json:"unclassified_rows"`
}

// TopOpen counts, among the N open models with the highest scores (their
// position among open models; with --by family, families), those whose origin
// is Chinese, known and not Chinese, and unknown (in the history's origin
// view). Shares are of Models, the open models counted (fewer than N when
// the board has fewer); 0 when there are none.
type TopOpen struct {
	N          int `json:"n"`
	Models     int `json:"models"`
	Chinese    int `json:"chinese"`
	NonChinese int `json:"non_chinese"`
	Unknown    int `json:"unknown"`
	// The shares, between 0 and 1.
	ChineseShare    float64 `json:"chinese_share"`
	NonChineseShare float64 `json:"non_chinese_share"`
	UnknownShare    float64 `json:"unknown_share"`
}

// Gap is a score difference. Lower and Upper bound it when the board
// publishes a confidence interval for both models: the leader's lower
// bound minus the other's upper bound, and the leader's upper bound
// minus the other's lower bound (both intervals' extremes, not a test
// of the difference). Absent otherwise, and when both are one model.
type Gap struct {
	Score float64  `json:"score"`
	Lower *float64 `json:"lower,omitempty"`
	Upper *float64 `json:"upper,omitempty"`
}

// RowOf answers one snapshot: ranking.Report for the leader, the best
// non-Chinese open model and the unclassified rows; the open top list
// from the same classes.
func RowOf(s *arenawatch.Snapshot, opt Options) Row {
	rep := ranking.Report(s, opt.Rule, opt.Catalog, opt.Ranking)
	r := Row{
		FetchedAt: s.FetchedAt, AsOf: s.AsOf, AsOfLag: lagDays(s.AsOf, s.FetchedAt), Origin: s.Origin,
		LeadingOpen: rep.LeadingOpen, BestOpenNonCN: rep.BestOpenNonCN, ChineseOpenAbove: rep.ChineseOpenAbove,
		Rows: rep.Rows, Unclassified: rep.Unclassified.Rows,
		ChineseOpenAboveTied: rep.ChineseOpenAboveTied, ChineseOpenSameScore: rep.ChineseOpenSameScore,
	}
	r.TopOpen = topOpen(s, opt, rep.OriginView)
	r.Gap = gap(s, rep.LeadingOpen, rep.BestOpenNonCN)
	return r
}

// lagDays is the number of UTC days from asOf's to fetched's; 0 when
// asOf is zero.
func lagDays(asOf, fetched time.Time) int {
	if asOf.IsZero() {
		return 0
	}
	day := func(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
	return int(day(fetched).Sub(day(asOf)) / (24 * time.Hour))
}

// topOpen counts the origins of the n open models of s with the highest
// scores (ties: page order), in view v: the open models whose position
// among open models is best. With ByFamily each family counts once, by
// its best-scoring row, as ranking.Entries counts it. It classifies the
// rows itself rather than calling ranking.Entries, which would rank every
// row a second time after Report did (a third of a history's time).
func topOpen(s *arenawatch.Snapshot, opt Options, v ranking.View) TopOpen {
	// scored is what the count needs of a row, small: a history answers
	// thousands of snapshots, and copying whole classes cost a third of it.
	type scored struct {
		score           float64
		open, cn, known bool
	}
	rows := make([]scored, 0, len(s.Rows))
	best := map[string]int{} // family → index in rows, with ByFamily
	for _, r := range s.Rows {
		if r.Aggregate() {
			continue
		}
		cl := opt.Catalog.Classify(r)
		cn, known := cl.Chinese(v)
		sc := scored{r.Score, cl.Open == ranking.Open, cn, known}
		if opt.Ranking.ByFamily {
			if i, seen := best[cl.Family]; seen {
				if r.Score > rows[i].score {
					rows[i] = sc
				}
				continue
			}
			best[cl.Family] = len(rows)
		}
		rows = append(rows, sc)
	}
	open := rows[:0] // filtered in place
	for _, r := range rows {
		if r.open {
			open = append(open, r)
		}
	}
	sort.SliceStable(open, func(i, j int) bool { return open[i].score > open[j].score })
	t := TopOpen{N: opt.top()}
	for _, r := range open[:min(len(open), t.N)] {
		t.Models++
		switch {
		case r.cn:
			t.Chinese++
		case r.known:
			t.NonChinese++
		default:
			t.Unknown++
		}
	}
	if t.Models > 0 {
		m := float64(t.Models)
		t.ChineseShare, t.NonChineseShare, t.UnknownShare = float64(t.Chinese)/m, float64(t.NonChinese)/m, float64(t.Unknown)/m
	}
	return t
}

// gap is lead's score minus best's, with the intervals' extremes when the
// snapshot's rows of both carry one.
func gap(s *arenawatch.Snapshot, lead, best *ranking.ModelRef) *Gap {
	if lead == nil || best == nil {
		return nil
	}
	g := &Gap{Score: round(lead.Score - best.Score)}
	if lead.Model == best.Model {
		return g
	}
	var lr, br *arenawatch.Row
	for i := range s.Rows {
		switch s.Rows[i].Model {
		case lead.Model:
			lr = &s.Rows[i]
		case best.Model:
			br = &s.Rows[i]
		}
	}
	if lr == nil || br == nil || lr.ScoreLower == nil || lr.ScoreUpper == nil || br.ScoreLower == nil || br.ScoreUpper == nil {
		return g
	}
	lo, hi := round(*lr.ScoreLower-*br.ScoreUpper), round(*lr.ScoreUpper-*br.ScoreLower)
	g.Lower, g.Upper = &lo, &hi
	return g
}

// round drops the binary noise of a difference of decimal scores
// (65.77999999999997 → 65.78), keeping six decimals.
func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }
