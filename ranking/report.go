package ranking

import (
	"sort"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// Entry is one classified, ranked row of a snapshot.
type Entry struct {
	Row   arenawatch.Row
	Class Class
	// Rank is the row's overall rank under the board's rank rule.
	Rank int
	// OpenPosition is the row's place among open models (1 + the number of
	// open rows with a strictly higher score); 0 if the row is not open.
	OpenPosition int
	// Page is the row's position in the snapshot's list, from 1: the
	// source's order, which breaks ties and tells rows apart.
	Page int
}

// Options tune Entries and Report.
type Options struct {
	// View is the origin view for the Chinese / non-Chinese question;
	// ViewDeveloper when empty.
	View View
	// ByFamily counts each model family once: only the best-scoring row of
	// each family (Class.Family) is kept, and ranks become family
	// positions: 1 + the number of families with a strictly higher score.
	ByFamily bool
}

func (o Options) view() View {
	if o.View == "" {
		return ViewDeveloper
	}
	return o.View
}

// Entries classifies every row of s with c and orders the rows.
//
// Rank is the row's own Rank when rule is RankOwn and the row has one
// (Rank > 0); otherwise 1 + the number of rows with a strictly higher score,
// so tied scores share a rank. OpenPosition is 1 + the number of open rows
// with a strictly higher score, for open rows only. With opt.ByFamily both
// count families instead of rows (see Options). The result is sorted by
// Rank, then score (higher first), then page order. A nil snapshot gives nil.
func Entries(s *arenawatch.Snapshot, rule arenawatch.RankRule, c *Catalog, opt Options) []Entry {
	return entries(s, rule, c, opt)
}

func entries(s *arenawatch.Snapshot, rule arenawatch.RankRule, c *Catalog, opt Options) []Entry {
	if s == nil {
		return nil
	}
	es := make([]Entry, 0, len(s.Rows))
	for i, r := range s.Rows {
		if r.Aggregate() {
			continue // many models in one row: no rank, no class, no answer
		}
		es = append(es, Entry{Row: r, Class: c.Classify(r), Page: i + 1})
	}
	if opt.ByFamily {
		es = bestPerFamily(es)
		rule = arenawatch.RankByScore // ranks count families, not rows
	}
	var all, open []float64
	for _, e := range es {
		all = append(all, e.Row.Score)
		if e.Class.Open == Open {
			open = append(open, e.Row.Score)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(all)))
	sort.Sort(sort.Reverse(sort.Float64Slice(open)))
	for i := range es {
		e := &es[i]
		if rule == arenawatch.RankOwn && e.Row.Rank > 0 {
			e.Rank = e.Row.Rank
		} else {
			e.Rank = 1 + higher(all, e.Row.Score)
		}
		if e.Class.Open == Open {
			e.OpenPosition = 1 + higher(open, e.Row.Score)
		}
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Rank != es[j].Rank {
			return es[i].Rank < es[j].Rank
		}
		return es[i].Row.Score > es[j].Row.Score
	})
	return es
}

// bestPerFamily keeps, for each family, the row with the highest score
// (the earliest on the page among equals), in page order.
func bestPerFamily(es []Entry) []Entry {
	best := map[string]int{}
	for i, e := range es {
		j, seen := best[e.Class.Family]
		if !seen || e.Row.Score > es[j].Row.Score {
			best[e.Class.Family] = i
		}
	}
	out := es[:0:0]
	for i, e := range es {
		if best[e.Class.Family] == i {
			out = append(out, e)
		}
	}
	return out
}

// higher returns how many scores in desc (sorted high to low) are strictly
// greater than x.
func higher(desc []float64, x float64) int {
	return sort.Search(len(desc), func(i int) bool { return desc[i] <= x })
}

// Filter selects entries. Zero fields do not filter.
type Filter struct {
	// Open and Closed keep open and closed models; setting both keeps both
	// but still drops models whose openness is unknown.
	Open, Closed bool
	// Country keeps models whose origin includes this ISO code; NotCountry
	// keeps those whose origin is fully known and does not include it.
	// Case-insensitive. The origin is the developer's country, and in the
	// lineage view also the base model's (see View).
	Country, NotCountry string
	// View is the origin view Country and NotCountry use; ViewDeveloper
	// when empty.
	View View
	// Limit keeps at most this many entries (0: no limit).
	Limit int
}

// Apply keeps the entries that pass f, in order. An entry that fails a
// criterion it is known to fail is simply dropped. An entry that could pass
// but whose openness (for Open/Closed) or origin (for Country/NotCountry) is
// unknown is not kept: it is returned in excluded, so that a caller can say
// how many rows a list may be missing. With a Limit, Apply stops at the
// Limit-th kept entry, so excluded holds only entries ranked above that cut.
func Apply(entries []Entry, f Filter) (kept []Entry, excluded []Entry) {
	byOpen := f.Open || f.Closed
	country := strings.TrimSpace(f.Country)
	notCountry := strings.TrimSpace(f.NotCountry)
	byOrigin := country != "" || notCountry != ""
	for _, e := range entries {
		if f.Limit > 0 && len(kept) >= f.Limit {
			break
		}
		unknown := false
		if byOpen {
			switch e.Class.Open {
			case Open:
				if !f.Open {
					continue
				}
			case Closed:
				if !f.Closed {
					continue
				}
			default:
				unknown = true
			}
		}
		if byOrigin {
			ccs, known := e.Class.Countries(Options{View: f.View}.view())
			has := func(want string) bool {
				for _, cc := range ccs {
					if strings.EqualFold(cc, want) {
						return true
					}
				}
				return false
			}
			switch {
			case country != "" && has(country):
				// a known match, even if part of the lineage is unknown
			case country != "" && known:
				continue
			case notCountry != "" && has(notCountry):
				continue
			case !known:
				unknown = true
			}
		}
		if unknown {
			excluded = append(excluded, e)
			continue
		}
		kept = append(kept, e)
	}
	return kept, excluded
}

// ModelRef is one model as a report names it. Its JSON field names are part
// of the documented output contract (see the package documentation).
type ModelRef struct {
	Model string `json:"model"`
	Name  string `json:"name"`
	// Organization is the canonical organization, or the source's text when
	// the catalog does not know it.
	Organization string   `json:"organization"`
	Country      string   `json:"country"`
	OrgBasis     string   `json:"org_basis"`
	License      string   `json:"license"`
	Tier         string   `json:"tier"`
	Open         Openness `json:"open"`
	OpenBasis    string   `json:"open_basis"`
	Score        float64  `json:"score"`
	Rank         int      `json:"rank"`
	OpenPosition int      `json:"open_position"`
	Votes        int64    `json:"votes"`
	// Family is the model's family key.
	Family string `json:"family"`
	// Base, BaseOrganization and BaseCountry describe the base model of a
	// derivative (empty for original models).
	Base             string `json:"base,omitempty"`
	BaseOrganization string `json:"base_organization,omitempty"`
	BaseCountry      string `json:"base_country,omitempty"`
	// ScoreLower and ScoreUpper are the score interval the board
	// publishes for the row, each absent when not published.
	ScoreLower *float64 `json:"score_lower,omitempty"`
	ScoreUpper *float64 `json:"score_upper,omitempty"`
	// RankRange is the ranks the model plausibly holds: the board's rank
	// spread, or computed from score intervals; absent when the board
	// publishes neither for it, and on lists that do not compute it.
	RankRange *RankRange `json:"rank_range,omitempty"`
	// StatTies counts the models whose score interval overlaps this one's;
	// absent when the row has no interval, or the list does not compute it.
	StatTies *StatTies `json:"statistical_ties,omitempty"`
	// ExactTies lists the other models with exactly this score, in the
	// source's order; absent when none (or not computed).
	ExactTies []ExactTie `json:"exact_ties,omitempty"`
}

// NewModelRef describes an entry for a report.
func NewModelRef(e Entry) ModelRef {
	return ModelRef{
		Model:            e.Row.Model,
		Name:             e.Row.DisplayName(),
		Organization:     orgOf(e),
		Country:          e.Class.Country,
		OrgBasis:         e.Class.OrgBasis,
		License:          e.Class.License,
		Tier:             e.Class.Tier,
		Open:             e.Class.Open,
		OpenBasis:        e.Class.OpenBasis,
		Score:            e.Row.Score,
		Rank:             e.Rank,
		OpenPosition:     e.OpenPosition,
		Votes:            e.Row.Votes,
		Family:           e.Class.Family,
		Base:             e.Class.Base,
		BaseOrganization: e.Class.BaseOrg,
		BaseCountry:      e.Class.BaseCountry,
		ScoreLower:       e.Row.ScoreLower,
		ScoreUpper:       e.Row.ScoreUpper,
	}
}

// Unclassified counts the rows the catalog could not fully classify.
type Unclassified struct {
	// Rows is the number of rows whose origin or openness is unknown.
	Rows int `json:"rows"`
	// OriginUnknown and OpennessUnknown count each gap separately; a row
	// with both counts in both.
	OriginUnknown   int `json:"origin_unknown"`
	OpennessUnknown int `json:"openness_unknown"`
	// Models lists the model keys of those rows, in rank order.
	Models []string `json:"models"`
}

// SnapshotHeader names the snapshot a report answers from. Reports embed
// it, so its fields appear at the top level of their JSON.
type SnapshotHeader struct {
	Board     string    `json:"board"`
	FetchedAt time.Time `json:"fetched_at"`
	// AsOf is the source's own date; absent when the source states none.
	AsOf time.Time `json:"as_of,omitzero"`
	URL  string    `json:"url"`
	// Origin says how the snapshot was obtained: "scraped", "replayed"
	// (from a --replay directory) or "imported".
	Origin string `json:"origin"`
	// Rows is the number of rows in the snapshot.
	Rows int `json:"rows"`
}

func headerOf(s *arenawatch.Snapshot) SnapshotHeader {
	return SnapshotHeader{Board: s.Board, FetchedAt: s.FetchedAt, AsOf: s.AsOf, URL: s.URL, Origin: s.Origin, Rows: len(s.Rows)}
}

// BoardReport answers the two questions for one snapshot: which open-weight
// model leads, and where the best open model not from a Chinese lab places.
// Its JSON field names are a documented contract (see the package
// documentation).
type BoardReport struct {
	SnapshotHeader
	RankRule string `json:"rank_rule"`
	// Partial is true when the page states more models than it listed.
	Partial bool `json:"partial"`
	// StatedTotal is the page's stated number of models, 0 if not stated.
	StatedTotal int `json:"stated_total"`
	// LeadingOpen is the highest-scoring open model (ties: better rank,
	// then page order); null when no row is known to be open.
	LeadingOpen *ModelRef `json:"leading_open"`
	// BestOpenNonCN is the highest-scoring open model whose country is
	// known and not CN; null when there is none.
	BestOpenNonCN *ModelRef `json:"best_open_non_chinese"`
	// ChineseOpenAbove counts open models from CN with a strictly higher
	// score than BestOpenNonCN (all open CN models when there is none).
	ChineseOpenAbove int `json:"chinese_open_above"`
	// UnknownAbove counts rows with a strictly higher score than
	// BestOpenNonCN (all rows when there is none) that could be the answer
	// but are not classified well enough to tell: openness or origin
	// unknown, and not known to be closed or Chinese.
	UnknownAbove int `json:"unclassified_above"`
	// ChineseOpenAboveTied counts the Chinese open models of
	// ChineseOpenAbove that are statistically tied with BestOpenNonCN
	// (their score intervals overlap); null when it has no interval or
	// there is none.
	ChineseOpenAboveTied *int `json:"chinese_open_above_tied"`
	// ChineseOpenSameScore counts the Chinese open models with exactly
	// BestOpenNonCN's score (not in ChineseOpenAbove; listed with their
	// source order in its exact_ties); null when there is none.
	ChineseOpenSameScore *int `json:"chinese_open_same_score"`
	// Unclassified summarises every row with an unknown origin or openness.
	Unclassified   Unclassified `json:"unclassified"`
	CatalogVersion string       `json:"catalog_version"`
	// OriginView is the view the fields above answer in.
	OriginView View `json:"origin_view"`
	// ByFamily is true when each family was counted once.
	ByFamily bool `json:"by_family"`
	// Views answers the non-Chinese question in both origin views,
	// developer first.
	Views []ViewAnswer `json:"views"`
}

// ViewAnswer is the non-Chinese answer in one origin view.
type ViewAnswer struct {
	View             View      `json:"view"`
	BestOpenNonCN    *ModelRef `json:"best_open_non_chinese"`
	ChineseOpenAbove int       `json:"chinese_open_above"`
	UnknownAbove     int       `json:"unclassified_above"`
	// ChineseOpenAboveTied and ChineseOpenSameScore are as in BoardReport.
	ChineseOpenAboveTied *int `json:"chinese_open_above_tied"`
	ChineseOpenSameScore *int `json:"chinese_open_same_score"`
}

// Report classifies and ranks s with c and answers the board's questions
// in opt.View (both views are in Views). A nil snapshot gives an empty
// report that names only the catalog.
func Report(s *arenawatch.Snapshot, rule arenawatch.RankRule, c *Catalog, opt Options) BoardReport {
	rep := BoardReport{
		RankRule:       rule.String(),
		CatalogVersion: c.Version(),
		Unclassified:   Unclassified{Models: []string{}},
		OriginView:     opt.view(),
		ByFamily:       opt.ByFamily,
		Views:          []ViewAnswer{},
	}
	if s == nil {
		return rep
	}
	rep.SnapshotHeader = headerOf(s)
	rep.Partial, rep.StatedTotal = s.Partial(), s.Totals.Models

	es := entries(s, rule, c, opt)
	var lead *Entry
	for i := range es {
		if e := &es[i]; e.Class.Open == Open && better(e, lead) {
			lead = e
		}
	}
	leadTally := newTally(lead, rep.OriginView)
	rep.Unclassified = unclassified(es, leadTally)
	if lead != nil {
		ref := NewModelRef(*lead)
		leadTally.apply(&ref, spreadApplies(rule, opt))
		rep.LeadingOpen = &ref
	}
	for _, v := range []View{ViewDeveloper, ViewLineage} {
		a := answer(es, v, spreadApplies(rule, opt))
		rep.Views = append(rep.Views, a)
		if v == rep.OriginView {
			rep.BestOpenNonCN, rep.ChineseOpenAbove, rep.UnknownAbove = a.BestOpenNonCN, a.ChineseOpenAbove, a.UnknownAbove
			rep.ChineseOpenAboveTied, rep.ChineseOpenSameScore = a.ChineseOpenAboveTied, a.ChineseOpenSameScore
		}
	}
	return rep
}

// unclassified counts the rows with an unknown origin or openness, and
// shows every row to lead in the same pass.
func unclassified(es []Entry, lead *tally) Unclassified {
	u := Unclassified{Models: []string{}}
	for i := range es {
		e := &es[i]
		lead.see(e)
		cl := e.Class
		if cl.Org == "" || cl.Open == Unknown {
			u.Rows++
			u.Models = append(u.Models, e.Row.Model)
			if cl.Org == "" {
				u.OriginUnknown++
			}
			if cl.Open == Unknown {
				u.OpennessUnknown++
			}
		}
	}
	return u
}

// answer finds the best open non-Chinese model in view v and counts what
// scores above it: open Chinese models, and rows that could be the answer
// but are not classified well enough to tell (openness unknown or origin
// unknown in v, and neither known closed nor known Chinese).
func answer(es []Entry, v View, spread bool) ViewAnswer {
	a := ViewAnswer{View: v}
	var best *Entry
	for i := range es {
		e := &es[i]
		if cn, known := e.Class.Chinese(v); e.Class.Open == Open && known && !cn && better(e, best) {
			best = e
		}
	}
	t := newTally(best, v)
	for i := range es {
		e := &es[i]
		t.see(e) // its ties, in the same pass
		if best != nil && e.Row.Score <= best.Row.Score {
			continue
		}
		cn, known := e.Class.Chinese(v)
		if e.Class.Open == Open && cn {
			a.ChineseOpenAbove++
		}
		if (e.Class.Open == Unknown || !known) && e.Class.Open != Closed && !cn {
			a.UnknownAbove++
		}
	}
	if best != nil {
		ref := NewModelRef(*best)
		t.apply(&ref, spread)
		a.BestOpenNonCN = &ref
	}
	a.ChineseOpenAboveTied, a.ChineseOpenSameScore = t.chineseAboveTied(), t.chineseSame()
	return a
}

// better reports whether e beats cur for "highest score": higher score,
// then better rank, then earlier on the page. Any entry beats nil.
func better(e, cur *Entry) bool {
	switch {
	case cur == nil:
		return true
	case e.Row.Score != cur.Row.Score:
		return e.Row.Score > cur.Row.Score
	case e.Rank != cur.Rank:
		return e.Rank < cur.Rank
	}
	return e.Page < cur.Page
}
