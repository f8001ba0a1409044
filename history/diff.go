package history

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

// DefaultMinMove is the number of ranks a model must move for a diff to
// list it when DiffOptions.MinMove is 0.
const DefaultMinMove = 5

// Stamp is a Key with the snapshot's content hash, so that a diff can skip
// snapshots whose rows did not change.
type Stamp struct {
	Key
	ContentHash string
}

// Pair picks the two snapshots a diff compares, ordered on basis b as
// Select orders them. to is the last snapshot at or before to on b (the
// latest when to is zero); from is the last at or before from when from
// is set, else the latest snapshot before to whose content hash differs
// from to's. Its error says why no pair exists.
func Pair(stamps []Stamp, b Basis, from, to time.Time) (old, cur Key, err error) {
	hash := map[int64]string{}
	keys := make([]Key, len(stamps))
	for i, s := range stamps {
		keys[i], hash[s.FetchedAt.UnixNano()] = s.Key, s.ContentHash // the last listed wins, as in Select
	}
	picked := Select(keys, Options{Time: b})
	last := func(t time.Time) int {
		i := len(picked) - 1
		for !t.IsZero() && i >= 0 && picked[i].at(b).After(t) {
			i--
		}
		return i
	}
	ti := last(to)
	if ti < 0 {
		return old, cur, fmt.Errorf("no snapshot at or before %s (--time %s)", to.UTC().Format(time.RFC3339), b)
	}
	fi := ti - 1
	if !from.IsZero() {
		if fi = last(from); fi < 0 {
			return old, cur, fmt.Errorf("no snapshot at or before %s (--time %s)", from.UTC().Format(time.RFC3339), b)
		}
		if fi >= ti {
			return old, cur, fmt.Errorf("--from names the same snapshot as --to or a later one (%s)", picked[fi].FetchedAt.UTC().Format(time.RFC3339))
		}
	} else {
		h := hash[picked[ti].FetchedAt.UnixNano()]
		for fi >= 0 && hash[picked[fi].FetchedAt.UnixNano()] == h {
			fi--
		}
		if fi < 0 {
			return old, cur, fmt.Errorf("no earlier snapshot with other content than the one of %s", picked[ti].FetchedAt.UTC().Format(time.RFC3339))
		}
	}
	return picked[fi].Key, picked[ti].Key, nil
}

// Side names one snapshot of a diff.
type Side struct {
	FetchedAt time.Time `json:"fetched_at"`
	AsOf      time.Time `json:"as_of,omitzero"`
	Origin    string    `json:"origin"`
	Rows      int       `json:"rows"`
}

// Listed is a model found in one of the two snapshots only, with its rank
// and score there.
type Listed struct {
	Model        string           `json:"model"`
	Name         string           `json:"name"`
	Organization string           `json:"organization"`
	Country      string           `json:"country"`
	Open         ranking.Openness `json:"open"`
	Rank         int              `json:"rank"`
	Score        float64          `json:"score"`
}

// Move is a model whose place among the models listed in both snapshots
// changed by MinMove or more. Its overall ranks are given too; a model
// pushed down only by models that arrived above it has not moved.
type Move struct {
	Model    string `json:"model"`
	Name     string `json:"name"`
	FromRank int    `json:"from_rank"`
	ToRank   int    `json:"to_rank"`
	// Up is how many places it gained among the models in both snapshots
	// (below 0: lost).
	Up int `json:"up"`
}

// ScoreChange is a model whose new score lies outside the confidence
// interval the old snapshot published for it.
type ScoreChange struct {
	Model     string  `json:"model"`
	Name      string  `json:"name"`
	From      float64 `json:"from"`
	FromLower float64 `json:"from_lower"`
	FromUpper float64 `json:"from_upper"`
	To        float64 `json:"to"`
	Change    float64 `json:"change"`
}

// The reasons a headline answer changed.
const (
	WhyNewModel = "new model"        // the new answer is not in the old snapshot
	WhyDropped  = "dropped out"      // the old answer is not in the new snapshot
	WhyReclass  = "reclassification" // one of them is classified otherwise in the other snapshot
	WhyScore    = "score change"     // both qualified in both: the scores reordered them
)

// Headline is one answer of 'report' in both snapshots.
type Headline struct {
	From    *ranking.ModelRef `json:"from"`
	To      *ranking.ModelRef `json:"to"`
	Changed bool              `json:"changed"`
	// Why lists the reasons (the Why* constants), empty when unchanged.
	Why []string `json:"why"`
}

// Diff compares two snapshots of a board. Its JSON field names are a
// documented contract ('diff --json').
type Diff struct {
	From         Side          `json:"from"`
	To           Side          `json:"to"`
	MinMove      int           `json:"min_move"`
	Appeared     []Listed      `json:"appeared"`
	Dropped      []Listed      `json:"dropped"`
	Moved        []Move        `json:"moved"`
	ScoreChanges []ScoreChange `json:"score_changes"`
	// NoInterval counts the models in both snapshots whose old row has no
	// confidence interval, so their score change could not be judged.
	NoInterval    int      `json:"no_interval"`
	LeadingOpen   Headline `json:"leading_open"`
	BestOpenNonCN Headline `json:"best_open_non_chinese"`
}

// side is one snapshot's entries by identity, and its report.
type side struct {
	by  map[string]ranking.Entry
	rep ranking.BoardReport
}

func sideOf(s *arenawatch.Snapshot, opt Options) side {
	sd := side{by: map[string]ranking.Entry{}, rep: ranking.Report(s, opt.Rule, opt.Catalog, opt.Ranking)}
	for _, e := range ranking.Entries(s, opt.Rule, opt.Catalog, opt.Ranking) {
		id := identity(e.Row.Model, e.Class.Family, opt)
		if _, taken := sd.by[id]; taken && !opt.Ranking.ByFamily {
			id = "\x00" + e.Row.Model // two keys of one page differ only in case: keep both
		}
		sd.by[id] = e
	}
	return sd
}

// identity is what a history matches a model by across snapshots: the
// source's model key without regard to case, since sources of one board
// spell a model differently (a community archive's "GLM-4.5" is
// arena.ai's "glm-4.5"), or the family when each family counts once.
func identity(model, family string, opt Options) string {
	if opt.Ranking.ByFamily {
		return family
	}
	return strings.ToLower(model)
}

// SameModel reports whether a and b are one answer in a history: both
// none, or the same model as identity matches it.
func SameModel(a, b *ranking.ModelRef, opt Options) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return identity(a.Model, a.Family, opt) == identity(b.Model, b.Family, opt)
}

// Compare diffs snapshot old against cur: models that appeared and dropped
// out, moves of at least minMove places among the models in both
// (DefaultMinMove when 0),
// scores outside the old interval, and the two headline answers.
func Compare(old, cur *arenawatch.Snapshot, opt Options, minMove int) Diff {
	if minMove <= 0 {
		minMove = DefaultMinMove
	}
	a, b := sideOf(old, opt), sideOf(cur, opt)
	d := Diff{From: sideHeader(old), To: sideHeader(cur), MinMove: minMove,
		Appeared: listOnly(b, a), Dropped: listOnly(a, b), Moved: []Move{}, ScoreChanges: []ScoreChange{}}
	placeOld, placeNew := commonPlaces(a, b)
	for id, eb := range b.by {
		ea, ok := a.by[id]
		if !ok {
			continue
		}
		if up := placeOld[id] - placeNew[id]; abs(up) >= minMove {
			d.Moved = append(d.Moved, Move{Model: eb.Row.Model, Name: eb.Row.DisplayName(), FromRank: ea.Rank, ToRank: eb.Rank, Up: up})
		}
		lo, hi := ea.Row.ScoreLower, ea.Row.ScoreUpper
		if lo == nil || hi == nil {
			d.NoInterval++
			continue
		}
		if s := eb.Row.Score; s < *lo || s > *hi {
			d.ScoreChanges = append(d.ScoreChanges, ScoreChange{Model: eb.Row.Model, Name: eb.Row.DisplayName(),
				From: ea.Row.Score, FromLower: *lo, FromUpper: *hi, To: s, Change: round(s - ea.Row.Score)})
		}
	}
	sort.Slice(d.Moved, func(i, j int) bool {
		mi, mj := d.Moved[i], d.Moved[j]
		if abs(mi.Up) != abs(mj.Up) {
			return abs(mi.Up) > abs(mj.Up)
		}
		return mi.ToRank < mj.ToRank || mi.ToRank == mj.ToRank && mi.Model < mj.Model
	})
	sort.Slice(d.ScoreChanges, func(i, j int) bool {
		ci, cj := math.Abs(d.ScoreChanges[i].Change), math.Abs(d.ScoreChanges[j].Change)
		return ci > cj || ci == cj && d.ScoreChanges[i].Model < d.ScoreChanges[j].Model
	})
	v := b.rep.OriginView
	open := func(cl ranking.Class) bool { return cl.Open == ranking.Open }
	nonCN := func(cl ranking.Class) bool { cn, known := cl.Chinese(v); return open(cl) && known && !cn }
	d.LeadingOpen = headline(a, b, a.rep.LeadingOpen, b.rep.LeadingOpen, open, opt)
	d.BestOpenNonCN = headline(a, b, a.rep.BestOpenNonCN, b.rep.BestOpenNonCN, nonCN, opt)
	return d
}

// commonPlaces ranks the models listed in both snapshots among
// themselves, in each: 1 + how many of them rank strictly better (ties
// share a place), so that arrivals and departures move nobody.
func commonPlaces(a, b side) (old, cur map[string]int) {
	var ranksA, ranksB []int
	for id, ea := range a.by {
		if eb, ok := b.by[id]; ok {
			ranksA, ranksB = append(ranksA, ea.Rank), append(ranksB, eb.Rank)
		}
	}
	slices.Sort(ranksA)
	slices.Sort(ranksB)
	place := func(sorted []int, r int) int {
		i, _ := slices.BinarySearch(sorted, r)
		return i + 1
	}
	old, cur = map[string]int{}, map[string]int{}
	for id, ea := range a.by {
		if eb, ok := b.by[id]; ok {
			old[id], cur[id] = place(ranksA, ea.Rank), place(ranksB, eb.Rank)
		}
	}
	return old, cur
}

func sideHeader(s *arenawatch.Snapshot) Side {
	return Side{FetchedAt: s.FetchedAt, AsOf: s.AsOf, Origin: s.Origin, Rows: len(s.Rows)}
}

// listOnly lists the entries of x whose identity y lacks, by rank.
func listOnly(x, y side) []Listed {
	out := []Listed{}
	for id, e := range x.by {
		if _, ok := y.by[id]; ok {
			continue
		}
		ref := ranking.NewModelRef(e)
		out = append(out, Listed{Model: ref.Model, Name: ref.Name, Organization: ref.Organization, Country: ref.Country,
			Open: ref.Open, Rank: ref.Rank, Score: ref.Score})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Rank < out[j].Rank || out[i].Rank == out[j].Rank && out[i].Model < out[j].Model
	})
	return out
}

// headline compares one answer: was (in a) and is (in b). qualifies says
// whether a class can be the answer; a model that qualified in one
// snapshot and not in the other was reclassified (its row changed).
func headline(a, b side, was, is *ranking.ModelRef, qualifies func(ranking.Class) bool, opt Options) Headline {
	h := Headline{From: was, To: is, Why: []string{}}
	id := func(m *ranking.ModelRef) string { return identity(m.Model, m.Family, opt) }
	if was == nil && is == nil || was != nil && is != nil && id(was) == id(is) {
		return h
	}
	h.Changed = true
	add := func(why string) {
		if len(h.Why) == 0 || h.Why[len(h.Why)-1] != why {
			h.Why = append(h.Why, why)
		}
	}
	qualifiedBoth := true
	if is != nil {
		switch e, ok := a.by[id(is)]; {
		case !ok:
			add(WhyNewModel)
			qualifiedBoth = false
		case !qualifies(e.Class):
			add(WhyReclass)
			qualifiedBoth = false
		}
	}
	if was != nil {
		switch e, ok := b.by[id(was)]; {
		case !ok:
			add(WhyDropped)
			qualifiedBoth = false
		case !qualifies(e.Class):
			add(WhyReclass)
			qualifiedBoth = false
		}
	}
	if qualifiedBoth {
		add(WhyScore)
	}
	return h
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
