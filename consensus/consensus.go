package consensus

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
)

// Board is one board's answer at the time asked about. Exactly one of
// Report (a quality board) and Adoption (a usage board) is set.
type Board struct {
	ID, Title string
	Group     Group
	Report    *ranking.BoardReport
	Adoption  *ranking.AdoptionReport
}

// Options say how old is too old and whether stale boards count.
type Options struct {
	// Now is the time ages are measured to: the time asked about.
	Now time.Time
	// Time is what a board's age reads: ByAsOf (the default; the fetch
	// time when the source states no date) or ByFetch.
	Time history.Basis
	// StaleAfter overrides the groups' default thresholds.
	StaleAfter Thresholds
	// IncludeStale counts stale boards in the consensus too.
	IncludeStale bool
}

// Freshness says how old a board's data is at the time asked about. Its
// JSON field names are a documented contract (README, "summary --json").
type Freshness struct {
	// AgedBy is the time the age reads: "asof" (the source's date) or
	// "fetched" (asked for, or the source states no date).
	AgedBy history.Basis `json:"aged_by"`
	// AgedFrom is that time.
	AgedFrom time.Time `json:"aged_from"`
	// AgeDays is Now minus AgedFrom in days (two decimals; never below 0).
	AgeDays float64 `json:"age_days"`
	// StaleAfterDays is the board's threshold in days.
	StaleAfterDays float64 `json:"stale_after_days"`
	// Stale is true when the age exceeds the threshold.
	Stale bool `json:"stale"`
}

// Origin says whether a model counts as Chinese.
type Origin string

// The answers to "is it Chinese?"; OriginNone when there is no model.
const (
	OriginChinese    Origin = "chinese"
	OriginNonChinese Origin = "non_chinese"
	OriginUnknown    Origin = "unknown"
	OriginNone       Origin = "none"
)

// BoardLine is one quality board's answer, side by side with the others.
type BoardLine struct {
	Board string `json:"board"`
	Title string `json:"title"`
	Group Group  `json:"group"`
	Freshness
	// Counted is true when the board counts in the consensus.
	Counted bool `json:"counted"`
	// LeadingOpenOrigin says whether the leading open model is Chinese.
	LeadingOpenOrigin Origin `json:"leading_open_origin"`
	// Report is the board's answer, exactly as 'report --json' gives it.
	Report ranking.BoardReport `json:"report"`
}

// UsageLine is one usage board's token shares, kept apart.
type UsageLine struct {
	Board string `json:"board"`
	Title string `json:"title"`
	Group Group  `json:"group"`
	Freshness
	// Adoption is the board's answer, exactly as 'report --json' gives it
	// under "adoption".
	Adoption ranking.AdoptionReport `json:"adoption"`
}

// Summary is the side-by-side answer and the consensus.
type Summary struct {
	Boards    []BoardLine `json:"boards"`
	Usage     []UsageLine `json:"usage"`
	Consensus Consensus   `json:"consensus"`
}

// Summarize marks each board's freshness and counts the consensus over
// the quality boards that count (see the package documentation). Boards
// are listed by group, in the order of Groups, and in the order given
// within a group.
func Summarize(boards []Board, opt Options) Summary {
	s := Summary{Boards: []BoardLine{}, Usage: []UsageLine{}}
	boards = slices.Clone(boards)
	slices.SortStableFunc(boards, func(a, b Board) int { return cmp.Compare(groupOrder(a.Group), groupOrder(b.Group)) })
	for _, b := range boards {
		switch {
		case b.Report != nil:
			f := freshness(b.Report.SnapshotHeader, b.Group, opt)
			line := BoardLine{Board: b.ID, Title: b.Title, Group: b.Group, Freshness: f, Report: *b.Report,
				Counted: !f.Stale || opt.IncludeStale, LeadingOpenOrigin: originOf(b.Report.LeadingOpen, b.Report.OriginView)}
			s.Boards = append(s.Boards, line)
		case b.Adoption != nil:
			f := freshness(b.Adoption.SnapshotHeader, b.Group, opt)
			s.Usage = append(s.Usage, UsageLine{Board: b.ID, Title: b.Title, Group: b.Group, Freshness: f, Adoption: *b.Adoption})
		}
	}
	s.Consensus = consensusOf(s.Boards)
	return s
}

// groupOrder is g's place in Groups; an unknown group goes last.
func groupOrder(g Group) int {
	if i := slices.Index(Groups, g); i >= 0 {
		return i
	}
	return len(Groups)
}

// freshness ages a snapshot's data to opt.Now.
func freshness(h ranking.SnapshotHeader, g Group, opt Options) Freshness {
	f := Freshness{AgedBy: history.ByFetch, AgedFrom: h.FetchedAt}
	if opt.Time != history.ByFetch && !h.AsOf.IsZero() {
		f.AgedBy, f.AgedFrom = history.ByAsOf, h.AsOf
	}
	limit := opt.StaleAfter.For(g)
	age := max(opt.Now.Sub(f.AgedFrom), 0)
	f.AgeDays, f.StaleAfterDays = days(age), days(limit)
	f.Stale = age > limit
	return f
}

// days writes d in days with two decimals.
func days(d time.Duration) float64 { return math.Round(d.Hours()/24*100) / 100 }

// originOf says whether m counts as Chinese in view v, as ranking does.
func originOf(m *ranking.ModelRef, v ranking.View) Origin {
	if m == nil {
		return OriginNone
	}
	cl := ranking.Class{Country: m.Country, Base: m.Base, BaseCountry: m.BaseCountry}
	switch cn, known := cl.Chinese(v); {
	case cn:
		return OriginChinese
	case known:
		return OriginNonChinese
	}
	return OriginUnknown
}

// Consensus is the one answer across the quality boards that count. Its
// JSON field names are a documented contract (README, "summary --json").
type Consensus struct {
	// Counted lists the boards counted, in the summary's order.
	Counted []string `json:"counted"`
	// StaleLeftOut lists the stale boards not counted (none when stale
	// boards count); StaleCounted the stale boards counted anyway.
	StaleLeftOut []string `json:"stale_left_out"`
	StaleCounted []string `json:"stale_counted"`
	// BestNonChinese is where the best open non-Chinese model places.
	BestNonChinese Positions `json:"best_non_chinese_position"`
	// LeadingOpen counts the origins of the leading open models.
	LeadingOpen Leads `json:"leading_open"`
	// MostBoards names the open non-Chinese model that is the best one on
	// the most boards.
	MostBoards Most `json:"best_non_chinese_most_boards"`
}

// Positions is the median position among open models of the best open
// non-Chinese model.
type Positions struct {
	// Median is the median open position over the boards that have such
	// a model (the mean of the two middle ones for an even count); null
	// when none has.
	Median *float64 `json:"median"`
	// Boards is how many counted boards have such a model, Of how many
	// were counted.
	Boards int `json:"boards"`
	Of     int `json:"of"`
	// Positions are those boards' answers, best position first (then by
	// board id).
	Positions []Position `json:"positions"`
	// None lists the counted boards without an open non-Chinese model:
	// not in the median.
	None []string `json:"none"`
	// CouldChange lists the counted boards whose answer unclassified rows
	// could change (they score above it).
	CouldChange []string `json:"could_change"`
}

// Position is one board's best open non-Chinese model.
type Position struct {
	Board            string `json:"board"`
	Model            string `json:"model"`
	Name             string `json:"name"`
	Country          string `json:"country"`
	OpenPosition     int    `json:"open_position"`
	Rank             int    `json:"rank"`
	ChineseOpenAbove int    `json:"chinese_open_above"`
}

// Leads counts, of the counted boards that have a leading open model
// (Of), those where it is Chinese, not Chinese, or of unknown origin.
type Leads struct {
	Chinese    int `json:"chinese"`
	NonChinese int `json:"non_chinese"`
	Unknown    int `json:"unknown"`
	Of         int `json:"of"`
	// None lists the counted boards without any open model.
	None []string `json:"none"`
}

// Most is the open non-Chinese model best on the most boards.
type Most struct {
	// Leaders are the models best on the most boards: one, or every model
	// tied for it, ordered by key.
	Leaders []Candidate `json:"leaders"`
	// Boards is on how many boards each leader is best, Of how many
	// counted boards have an open non-Chinese model.
	Boards int `json:"boards"`
	Of     int `json:"of"`
	// Candidates are every model best on some board: most boards first,
	// then by key.
	Candidates []Candidate `json:"candidates"`
}

// Candidate is one model (one identity across boards) and the boards on
// which it is the best open non-Chinese model.
type Candidate struct {
	// Key is the model's identity (ranking.Identity of its name), or its
	// family when families were counted.
	Key string `json:"key"`
	// Names are the names the boards give it, sorted.
	Names  []string `json:"names"`
	Boards []string `json:"boards"`
}

// consensusOf counts the consensus over the lines that are Counted.
func consensusOf(lines []BoardLine) Consensus {
	c := Consensus{Counted: []string{}, StaleLeftOut: []string{}, StaleCounted: []string{},
		BestNonChinese: Positions{Positions: []Position{}, None: []string{}, CouldChange: []string{}},
		LeadingOpen:    Leads{None: []string{}},
		MostBoards:     Most{Leaders: []Candidate{}, Candidates: []Candidate{}}}
	var counted []BoardLine
	for _, l := range lines {
		switch {
		case !l.Counted:
			c.StaleLeftOut = append(c.StaleLeftOut, l.Board)
			continue
		case l.Stale:
			c.StaleCounted = append(c.StaleCounted, l.Board)
		}
		c.Counted = append(c.Counted, l.Board)
		counted = append(counted, l)
	}
	c.BestNonChinese = positions(counted)
	c.LeadingOpen = leads(counted)
	c.MostBoards = most(counted)
	return c
}

// positions takes the median of the best open non-Chinese models' open
// positions.
func positions(lines []BoardLine) Positions {
	p := Positions{Of: len(lines), Positions: []Position{}, None: []string{}, CouldChange: []string{}}
	for _, l := range lines {
		r := l.Report
		if r.UnknownAbove > 0 {
			p.CouldChange = append(p.CouldChange, l.Board)
		}
		m := r.BestOpenNonCN
		if m == nil {
			p.None = append(p.None, l.Board)
			continue
		}
		p.Positions = append(p.Positions, Position{Board: l.Board, Model: m.Model, Name: m.Name, Country: m.Country,
			OpenPosition: m.OpenPosition, Rank: m.Rank, ChineseOpenAbove: r.ChineseOpenAbove})
	}
	slices.SortStableFunc(p.Positions, func(a, b Position) int {
		return cmp.Or(cmp.Compare(a.OpenPosition, b.OpenPosition), cmp.Compare(a.Board, b.Board))
	})
	p.Boards = len(p.Positions)
	if n := p.Boards; n > 0 {
		m := float64(p.Positions[n/2].OpenPosition)
		if n%2 == 0 {
			m = (float64(p.Positions[n/2-1].OpenPosition) + m) / 2
		}
		p.Median = &m
	}
	return p
}

// leads counts the leading open models' origins.
func leads(lines []BoardLine) Leads {
	l := Leads{None: []string{}}
	for _, b := range lines {
		switch b.LeadingOpenOrigin {
		case OriginNone:
			l.None = append(l.None, b.Board)
			continue
		case OriginChinese:
			l.Chinese++
		case OriginNonChinese:
			l.NonChinese++
		default:
			l.Unknown++
		}
		l.Of++
	}
	return l
}

// most groups the boards' best open non-Chinese models by identity and
// picks those best on the most boards.
func most(lines []BoardLine) Most {
	m := Most{Leaders: []Candidate{}, Candidates: []Candidate{}}
	index := map[string]int{}
	for _, l := range lines {
		best := l.Report.BestOpenNonCN
		if best == nil {
			continue
		}
		m.Of++
		key := ranking.Identity(best.Name)
		if l.Report.ByFamily && best.Family != "" {
			key = best.Family
		}
		i, seen := index[key]
		if !seen {
			i = len(m.Candidates)
			index[key] = i
			m.Candidates = append(m.Candidates, Candidate{Key: key, Names: []string{}, Boards: []string{}})
		}
		c := &m.Candidates[i]
		c.Boards = append(c.Boards, l.Board)
		if !slices.Contains(c.Names, best.Name) {
			c.Names = append(c.Names, best.Name)
		}
	}
	for i := range m.Candidates {
		slices.Sort(m.Candidates[i].Names)
	}
	slices.SortStableFunc(m.Candidates, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(len(b.Boards), len(a.Boards)), cmp.Compare(a.Key, b.Key))
	})
	if len(m.Candidates) > 0 {
		m.Boards = len(m.Candidates[0].Boards)
	}
	for _, c := range m.Candidates {
		if len(c.Boards) == m.Boards {
			m.Leaders = append(m.Leaders, c)
		}
	}
	return m
}
