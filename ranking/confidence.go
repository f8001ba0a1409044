package ranking

import (
	"strings"

	"github.com/arenawatch/arenawatch"
)

// How sure an answer is: a model's rank range, the models statistically
// tied with it, and the models with exactly its score. The rules, one per
// kind of board:
//
//   - A board that publishes a rank spread (arena.ai's rankUpper and
//     rankLower) gives the rank range itself, when ranks are the board's own
//     (rank rule "source rank", not --by family).
//   - A board that publishes score intervals (LMArena's dataset, arena.ai)
//     gives a range computed from them, for a model with both bounds:
//     best = 1 + the models whose lower bound is above this model's upper
//     bound (LMArena's "upper-bound rank"), worst = 1 + the other models
//     whose upper bound is at or above this model's lower bound (every
//     model that is not certainly below it).
//   - Two models are statistically tied when their intervals overlap
//     (touching counts: lower ≤ the other's upper and upper ≥ the other's
//     lower). A row without both bounds is compared by its score alone and
//     counted in without_interval. So worst − best = the number tied.
//   - Exact ties (the same score) are listed on every board, intervals or
//     not, with the source's order.
//
// A model without both bounds has no computed range and no tie counts: the
// fields are absent, never zero.

// Rank-range bases, RankRange.Basis.
const (
	// BasisSource: the board's own rank spread.
	BasisSource = "source"
	// BasisIntervals: computed from the published score intervals.
	BasisIntervals = "intervals"
)

// RankRange is the ranks a model plausibly holds, Best ≤ Worst.
type RankRange struct {
	Best  int `json:"best"`
	Worst int `json:"worst"`
	// Basis is BasisSource or BasisIntervals.
	Basis string `json:"basis"`
}

// StatTies counts the other models statistically tied with a model: those
// whose score interval overlaps its interval (see the rules above), among
// all models of the board (with --by family, families).
type StatTies struct {
	// Models counts every tied model, open or not.
	Models int `json:"models"`
	// Open counts the open ones among them, and ChineseOpen the open ones
	// whose origin is Chinese in the report's origin view.
	Open        int `json:"open"`
	ChineseOpen int `json:"chinese_open"`
	// WithoutInterval counts the rows compared by their score alone, since
	// the board published no interval (or only one bound) for them.
	WithoutInterval int `json:"without_interval,omitempty"`
}

// ExactTie is another model with exactly the same score, and where the
// source puts it.
type ExactTie struct {
	Model        string   `json:"model"`
	Name         string   `json:"name"`
	Organization string   `json:"organization"`
	Country      string   `json:"country"`
	Open         Openness `json:"open"`
	// ChineseOpen is true for an open model of Chinese origin in the
	// report's origin view.
	ChineseOpen bool `json:"chinese_open"`
	// Rank is its overall rank, as ModelRef.Rank.
	Rank int `json:"rank"`
	// Page is its position in the source's list, from 1.
	Page int `json:"page"`
	// Ahead is true when the source puts it before the model: a better
	// rank, or the same rank and earlier on the page.
	Ahead bool `json:"ahead"`
}

// interval returns a row's published score interval; ok is false unless
// both bounds are there.
func interval(r *arenawatch.Row) (lo, hi float64, ok bool) {
	if r.ScoreLower == nil || r.ScoreUpper == nil {
		return 0, 0, false
	}
	return *r.ScoreLower, *r.ScoreUpper, true
}

// tally accumulates one subject's confidence over a pass of a snapshot's
// entries, so that a report counts ties in the passes it makes anyway.
type tally struct {
	subj   *Entry
	view   View
	lo, hi float64
	hasCI  bool
	above  int // certainly above: lower bound over the subject's upper
	ties   StatTies
	// cnAbove counts tied Chinese open models scoring strictly higher.
	cnAbove int
	// cnSame counts Chinese open models with exactly the subject's score.
	cnSame int
	exact  []ExactTie
}

func newTally(subj *Entry, v View) *tally {
	t := &tally{subj: subj, view: v}
	if subj != nil {
		t.lo, t.hi, t.hasCI = interval(&subj.Row)
	}
	return t
}

// see counts e against the subject. Entries are told apart by Page.
func (t *tally) see(e *Entry) {
	s := t.subj
	if s == nil || e.Page == s.Page {
		return
	}
	// Origin is looked up only for the few rows it counts for: a history
	// sees every row of thousands of snapshots.
	cnOpen := func() bool {
		cn, _ := e.Class.Chinese(t.view)
		return cn && e.Class.Open == Open
	}
	if e.Row.Score == s.Row.Score {
		cn := cnOpen()
		t.exact = append(t.exact, exactTie(e, s, cn))
		if cn {
			t.cnSame++
		}
	}
	if !t.hasCI {
		return
	}
	lo, hi, ok := interval(&e.Row)
	if !ok {
		lo, hi = e.Row.Score, e.Row.Score
		t.ties.WithoutInterval++
	}
	switch {
	case lo > t.hi:
		t.above++
	case hi < t.lo:
		// certainly below
	default:
		t.ties.Models++
		if e.Class.Open != Open {
			return
		}
		t.ties.Open++
		if cnOpen() {
			t.ties.ChineseOpen++
			if e.Row.Score > s.Row.Score {
				t.cnAbove++
			}
		}
	}
}

func exactTie(e, s *Entry, cnOpen bool) ExactTie {
	return ExactTie{
		Model: e.Row.Model, Name: e.Row.DisplayName(), Organization: orgOf(*e), Country: e.Class.Country,
		Open: e.Class.Open, ChineseOpen: cnOpen, Rank: e.Rank, Page: e.Page,
		Ahead: e.Rank < s.Rank || (e.Rank == s.Rank && e.Page < s.Page),
	}
}

// apply writes the tally into ref: the rank range (the board's spread when
// spread is true and the row has one, else from intervals), the tie
// counts and the exact ties.
func (t *tally) apply(ref *ModelRef, spread bool) {
	if t.subj == nil || ref == nil {
		return
	}
	ref.ExactTies = t.exact
	r := t.subj.Row
	switch {
	case spread && r.RankUpper > 0 && r.RankLower > 0:
		ref.RankRange = &RankRange{Best: r.RankUpper, Worst: r.RankLower, Basis: BasisSource}
	case t.hasCI:
		ref.RankRange = &RankRange{Best: 1 + t.above, Worst: 1 + t.above + t.ties.Models, Basis: BasisIntervals}
	}
	if rr := ref.RankRange; rr != nil && rr.Basis == BasisIntervals && ref.Rank > rr.Worst {
		// The source ranks the model below every rank its interval allows
		// among these rows: rows are missing (a trimmed archive), and
		// neither the range nor the ties can be told from them.
		ref.RankRange = nil
		t.hasCI = false
	}
	if t.hasCI {
		ties := t.ties
		ref.StatTies = &ties
	}
}

// chineseAboveTied is how many of the Chinese open models scoring above the
// subject are statistically tied with it; nil without an interval.
func (t *tally) chineseAboveTied() *int {
	if t.subj == nil || !t.hasCI {
		return nil
	}
	n := t.cnAbove
	return &n
}

// chineseSame is how many Chinese open models have exactly the subject's
// score; nil without a subject.
func (t *tally) chineseSame() *int {
	if t.subj == nil {
		return nil
	}
	n := t.cnSame
	return &n
}

// spreadApplies reports whether a board's published rank spread describes
// the ranks a report gives: the board's own ranks, rows not folded into
// families.
func spreadApplies(rule arenawatch.RankRule, opt Options) bool {
	return rule == arenawatch.RankOwn && !opt.ByFamily
}

// ConfidentRefs describes the entries of kept, each with its rank range
// and ties among all, the entries of the whole snapshot kept was selected
// from (by Apply), in opt's origin view. rule and opt must be those all
// was ranked with. It costs one pass over all per kept entry.
func ConfidentRefs(all, kept []Entry, rule arenawatch.RankRule, opt Options) []ModelRef {
	out := make([]ModelRef, 0, len(kept))
	spread := spreadApplies(rule, opt)
	for i := range kept {
		t := newTally(&kept[i], opt.view())
		for j := range all {
			t.see(&all[j])
		}
		ref := NewModelRef(kept[i])
		t.apply(&ref, spread)
		out = append(out, ref)
	}
	return out
}

// orgOf is the canonical organization, or the source's text when the
// catalog does not know it.
func orgOf(e Entry) string {
	org := e.Class.Org
	if org == "" && e.Row.Organization != nil {
		org = strings.TrimSpace(*e.Row.Organization)
	}
	return org
}
