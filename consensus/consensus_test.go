package consensus

import (
	"reflect"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/source"
)

var now = time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC)

// model is an open model at an open position (its overall rank, for the
// test, twice that).
func model(name, country string, pos int) *ranking.ModelRef {
	return &ranking.ModelRef{Model: name, Name: name, Country: country, Open: ranking.Open, OpenPosition: pos, Rank: 2 * pos, Family: name}
}

// fresh is a quality board whose data is as of one day before now.
func fresh(id string, lead, best *ranking.ModelRef) Board {
	return aged(id, GroupArena, now.Add(-day), now, lead, best)
}

// aged is a quality board with the given as-of date (zero: none) and
// fetch time.
func aged(id string, g Group, asOf, fetched time.Time, lead, best *ranking.ModelRef) Board {
	r := &ranking.BoardReport{SnapshotHeader: ranking.SnapshotHeader{Board: id, FetchedAt: fetched, AsOf: asOf},
		LeadingOpen: lead, BestOpenNonCN: best, OriginView: ranking.ViewDeveloper}
	return Board{ID: id, Title: id, Group: g, Report: r}
}

func usage(id string, asOf time.Time, cnShare float64) Board {
	a := &ranking.AdoptionReport{SnapshotHeader: ranking.SnapshotHeader{Board: id, FetchedAt: now, AsOf: asOf},
		ChineseOpen: ranking.AdoptionShare{Share: cnShare}}
	return Board{ID: id, Title: id, Group: GroupUsage, Adoption: a}
}

func f64(x float64) *float64 { return &x }

var (
	glm    = model("glm-4.6", "CN", 1)
	kimi   = model("kimi-k3", "CN", 1)
	gemma  = func(pos int) *ranking.ModelRef { return model("gemma-3-27b-it", "US", pos) }
	gptoss = func(name string, pos int) *ranking.ModelRef { return model(name, "US", pos) }
)

// TestPositions checks the median of the best non-Chinese open model's
// open position; each expected value is worked out in its comment.
func TestPositions(t *testing.T) {
	tests := []struct {
		name   string
		boards []Board
		median *float64
		of     int
		none   []string
	}{
		// positions 27, 4, 11 → sorted 4, 11, 27: the middle one is 11.
		{"Odd", []Board{fresh("a", glm, gemma(27)), fresh("b", glm, gemma(4)), fresh("c", glm, gemma(11))}, f64(11), 3, []string{}},
		// 27, 4, 11, 2 → 2, 4, 11, 27: (4 + 11) / 2 = 7.5.
		{"Even", []Board{fresh("a", glm, gemma(27)), fresh("b", glm, gemma(4)), fresh("c", glm, gemma(11)), fresh("d", glm, gemma(2))}, f64(7.5), 4, []string{}},
		// b has no non-Chinese open model: left out, the median is of
		// 26 and 9: (9 + 26) / 2 = 17.5, and b is named.
		{"MissingAnswer", []Board{fresh("a", glm, gemma(26)), fresh("b", glm, nil), fresh("c", glm, gemma(9))}, f64(17.5), 3, []string{"b"}},
		// No board has one: no median at all, not 0.
		{"NoNonChinese", []Board{fresh("a", glm, nil), fresh("b", kimi, nil)}, nil, 2, []string{"a", "b"}},
		// One board: its own position.
		{"One", []Board{fresh("a", glm, gemma(5))}, f64(5), 1, []string{}},
		// No board at all: nothing to take a median of.
		{"Empty", nil, nil, 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Summarize(tt.boards, Options{Now: now}).Consensus.BestNonChinese
			if !reflect.DeepEqual(p.Median, tt.median) || p.Of != tt.of || !reflect.DeepEqual(p.None, tt.none) {
				t.Fatalf("median %v of %d, none %v; want %v of %d, none %v", deref(p.Median), p.Of, p.None, deref(tt.median), tt.of, tt.none)
			}
			if p.Boards != tt.of-len(tt.none) || len(p.Positions) != p.Boards {
				t.Errorf("boards %d, positions %d; want %d", p.Boards, len(p.Positions), tt.of-len(tt.none))
			}
			for i := 1; i < len(p.Positions); i++ {
				if p.Positions[i-1].OpenPosition > p.Positions[i].OpenPosition {
					t.Errorf("positions not in order: %+v", p.Positions)
				}
			}
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestLeads counts on how many boards the leading open model is Chinese.
func TestLeads(t *testing.T) {
	unknown := model("mystery-1", "", 1) // origin unknown: neither side
	derivative := model("athene-v2", "US", 1)
	derivative.Base, derivative.BaseCountry = "qwen2.5-72b", "CN"
	boards := []Board{
		fresh("cn", glm, nil), fresh("cn2", kimi, gemma(3)), fresh("us", gemma(1), gemma(1)),
		fresh("unknown", unknown, nil), fresh("empty", nil, nil), fresh("derived", derivative, derivative),
	}
	// Developer view: glm, kimi Chinese (2); gemma and athene-v2 (a US
	// developer) not (2); mystery unknown (1); "empty" has no open model:
	// of 5.
	got := Summarize(boards, Options{Now: now}).Consensus.LeadingOpen
	want := Leads{Chinese: 2, NonChinese: 2, Unknown: 1, Of: 5, None: []string{"empty"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("developer view: %+v, want %+v", got, want)
	}
	// Lineage view: athene-v2's base is Chinese, so it is Chinese: 3 / 1.
	for i := range boards {
		boards[i].Report.OriginView = ranking.ViewLineage
	}
	got = Summarize(boards, Options{Now: now}).Consensus.LeadingOpen
	want = Leads{Chinese: 3, NonChinese: 1, Unknown: 1, Of: 5, None: []string{"empty"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lineage view: %+v, want %+v", got, want)
	}
}

// TestMostBoards names the non-Chinese open model best on the most boards.
func TestMostBoards(t *testing.T) {
	type cand struct {
		key    string
		boards []string
	}
	tests := []struct {
		name    string
		boards  []Board
		leaders []cand
		most    int
		of      int
	}{
		// gpt-oss-120b is best on a, c and d (the "(high)" setting is the
		// same model), gemma on b: gpt-oss-120b with 3 of 4.
		{"One", []Board{fresh("a", glm, gptoss("gpt-oss-120b", 26)), fresh("b", glm, gemma(4)),
			fresh("c", glm, gptoss("gpt-oss-120b (high)", 9)), fresh("d", glm, gptoss("GPT-OSS-120B", 2))},
			[]cand{{"gpt-oss-120b", []string{"a", "c", "d"}}}, 3, 4},
		// gemma on b and e, gpt-oss-120b on a and c, inkling on d: a tie
		// of 2 (of 5), listed by key: gemma-3-27b-it before gpt-oss-120b.
		{"Tie", []Board{fresh("a", glm, gptoss("gpt-oss-120b", 26)), fresh("b", glm, gemma(4)),
			fresh("c", glm, gptoss("gpt-oss-120b", 9)), fresh("d", glm, model("inkling", "US", 23)), fresh("e", kimi, gemma(3))},
			[]cand{{"gemma-3-27b-it", []string{"b", "e"}}, {"gpt-oss-120b", []string{"a", "c"}}}, 2, 5},
		// Boards without an answer do not count in "of": 1 of 1.
		{"NoneLeftOut", []Board{fresh("a", glm, nil), fresh("b", glm, gemma(4))},
			[]cand{{"gemma-3-27b-it", []string{"b"}}}, 1, 1},
		// Nobody: no leader.
		{"Nobody", []Board{fresh("a", glm, nil)}, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Summarize(tt.boards, Options{Now: now}).Consensus.MostBoards
			var got []cand
			for _, c := range m.Leaders {
				got = append(got, cand{c.Key, c.Boards})
			}
			if !reflect.DeepEqual(got, tt.leaders) || m.Boards != tt.most || m.Of != tt.of {
				t.Fatalf("leaders %v on %d of %d; want %v on %d of %d", got, m.Boards, m.Of, tt.leaders, tt.most, tt.of)
			}
		})
	}
}

// TestMostBoardsNames keeps every spelling of one model, and families
// group variants with --by family.
func TestMostBoardsNames(t *testing.T) {
	a, b := gptoss("gpt-oss-120b", 26), gptoss("gpt-oss-20b", 30)
	a.Family, b.Family = "gpt-oss", "gpt-oss"
	boards := []Board{fresh("a", glm, a), fresh("b", glm, b), fresh("c", glm, gptoss("gpt-oss-120b (high)", 9))}
	m := Summarize(boards, Options{Now: now}).Consensus.MostBoards
	if len(m.Leaders) != 1 || !reflect.DeepEqual(m.Leaders[0].Names, []string{"gpt-oss-120b", "gpt-oss-120b (high)"}) {
		t.Errorf("by model: %+v", m.Leaders)
	}
	for i := range boards {
		boards[i].Report.ByFamily = true
	}
	// c's model has family "gpt-oss-120b (high)" (as set by model()): a
	// by-family report names the family the catalog gives, so a and b
	// share "gpt-oss", 2 of 3.
	m = Summarize(boards, Options{Now: now}).Consensus.MostBoards
	if len(m.Leaders) != 1 || m.Leaders[0].Key != "gpt-oss" || m.Boards != 2 || m.Of != 3 {
		t.Errorf("by family: %+v", m)
	}
}

// TestStale marks boards older than their group's threshold and leaves
// them out of the consensus unless asked.
func TestStale(t *testing.T) {
	boards := []Board{
		// arena, as of 13 days ago: fresh (14 days).
		aged("arena-fresh", GroupArena, now.Add(-13*day), now, glm, gemma(4)),
		// arena, as of 20 days ago but fetched now: stale by as-of date.
		aged("arena-old", GroupArena, now.Add(-20*day), now, glm, gemma(30)),
		// benchmark, no as-of date, fetched 59 days ago: aged by fetch
		// time, fresh (60 days).
		aged("bench-undated", GroupBenchmarks, time.Time{}, now.Add(-59*day), glm, gemma(10)),
		// benchmark, as of 61 days ago: stale.
		aged("bench-old", GroupBenchmarks, now.Add(-61*day), now.Add(-61*day), kimi, nil),
	}
	tests := []struct {
		name    string
		opt     Options
		stale   []string
		counted []string
		median  float64
	}{
		// Counted: arena-fresh (4) and bench-undated (10): (4+10)/2 = 7.
		{"ByAsOf", Options{Now: now}, []string{"arena-old", "bench-old"}, []string{"arena-fresh", "bench-undated"}, 7},
		// All four count: positions 4, 10, 30 (bench-old has none): 10.
		{"IncludeStale", Options{Now: now, IncludeStale: true}, []string{"arena-old", "bench-old"},
			[]string{"arena-fresh", "arena-old", "bench-undated", "bench-old"}, 10},
		// By fetch time arena-old was fetched now: fresh; 4, 30, 10: 10.
		{"ByFetch", Options{Now: now, Time: history.ByFetch}, []string{"bench-old"},
			[]string{"arena-fresh", "arena-old", "bench-undated"}, 10},
		// 10 days for both groups: 13, 20, 59 and 61 days are all
		// stale, nothing is counted and there is no median.
		{"Override", Options{Now: now, StaleAfter: Thresholds{GroupArena: 10 * day, GroupBenchmarks: 10 * day}},
			[]string{"arena-fresh", "arena-old", "bench-undated", "bench-old"}, []string{}, -1},
		// At a time 30 days earlier every board but bench-old is younger
		// than that time (age clamps to 0), and bench-old is 31 days: fresh.
		{"EarlierNow", Options{Now: now.Add(-30 * day)}, []string{}, []string{"arena-fresh", "arena-old", "bench-undated", "bench-old"}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(boards, tt.opt)
			stale := []string{}
			for _, l := range s.Boards {
				if l.Stale {
					stale = append(stale, l.Board)
				}
			}
			c := s.Consensus
			if !reflect.DeepEqual(stale, tt.stale) || !reflect.DeepEqual(c.Counted, tt.counted) {
				t.Fatalf("stale %v, counted %v; want %v, %v", stale, c.Counted, tt.stale, tt.counted)
			}
			if got := c.BestNonChinese.Median; (tt.median < 0) != (got == nil) || (got != nil && *got != tt.median) {
				t.Errorf("median %v, want %v", deref(got), tt.median)
			}
			if tt.opt.IncludeStale && (len(c.StaleLeftOut) != 0 || !reflect.DeepEqual(c.StaleCounted, tt.stale)) {
				t.Errorf("stale counted %v, left out %v", c.StaleCounted, c.StaleLeftOut)
			}
			if !tt.opt.IncludeStale && (len(c.StaleCounted) != 0 || !reflect.DeepEqual(c.StaleLeftOut, tt.stale)) {
				t.Errorf("stale counted %v, left out %v", c.StaleCounted, c.StaleLeftOut)
			}
		})
	}
}

// TestFreshness checks the ages, the time they read and the thresholds.
func TestFreshness(t *testing.T) {
	b := aged("x", GroupArena, now.Add(-36*time.Hour), now.Add(-12*time.Hour), glm, nil)
	undated := aged("y", GroupBenchmarks, time.Time{}, now.Add(-12*time.Hour), glm, nil)
	tests := []struct {
		name  string
		board Board
		basis history.Basis
		want  Freshness
	}{
		{"AsOf", b, "", Freshness{AgedBy: history.ByAsOf, AgedFrom: now.Add(-36 * time.Hour), AgeDays: 1.5, StaleAfterDays: 14}},
		{"Fetch", b, history.ByFetch, Freshness{AgedBy: history.ByFetch, AgedFrom: now.Add(-12 * time.Hour), AgeDays: 0.5, StaleAfterDays: 14}},
		{"UndatedFallsBackToFetch", undated, history.ByAsOf, Freshness{AgedBy: history.ByFetch, AgedFrom: now.Add(-12 * time.Hour), AgeDays: 0.5, StaleAfterDays: 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize([]Board{tt.board}, Options{Now: now, Time: tt.basis}).Boards[0].Freshness
			if got != tt.want {
				t.Errorf("%+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestUsageKeptApart: usage boards are listed apart and change nothing in
// the consensus, stale or not.
func TestUsageKeptApart(t *testing.T) {
	quality := []Board{fresh("a", glm, gemma(27)), fresh("b", kimi, gemma(4))}
	with := append([]Board{usage("tokens-old", now.Add(-4*day), 0.47)}, quality...)
	with = append(with, usage("tokens", now.Add(-2*day), 0.5))
	for _, include := range []bool{false, true} {
		s := Summarize(with, Options{Now: now, IncludeStale: include})
		base := Summarize(quality, Options{Now: now, IncludeStale: include})
		if !reflect.DeepEqual(s.Consensus, base.Consensus) || len(s.Boards) != 2 {
			t.Errorf("include stale %v: usage changed the consensus: %+v", include, s.Consensus)
		}
		// Usage is 3 days: 4 days old is stale, 2 days is not.
		if len(s.Usage) != 2 || !s.Usage[0].Stale || s.Usage[1].Stale || s.Usage[1].Adoption.ChineseOpen.Share != 0.5 {
			t.Errorf("usage lines: %+v", s.Usage)
		}
	}
}

// TestCouldChange names boards with unclassified rows above the answer.
func TestCouldChange(t *testing.T) {
	a, b := fresh("a", glm, gemma(4)), fresh("b", glm, nil)
	a.Report.UnknownAbove, b.Report.UnknownAbove = 0, 3
	p := Summarize([]Board{a, b}, Options{Now: now}).Consensus.BestNonChinese
	if !reflect.DeepEqual(p.CouldChange, []string{"b"}) {
		t.Errorf("could change %v, want [b]", p.CouldChange)
	}
}

func TestGroupOf(t *testing.T) {
	want := map[string]Group{
		"arena-text": GroupArena, "hf-text": GroupArena, "designarena-website": GroupArena, "openlm-arena": GroupArena,
		"sciarena": GroupArena, "swebench-verified": GroupBenchmarks, "aider-polyglot": GroupBenchmarks,
		"livebench": GroupBenchmarks, "bfcl": GroupBenchmarks, "aa-intelligence": GroupBenchmarks,
		"openrouter-daily-tokens": GroupUsage,
	}
	for _, b := range source.Builtin() {
		g := GroupOf(b)
		if g == GroupOther {
			t.Errorf("%s (extractor %s) has no group: add its extractor to group.go", b.ID, b.Extractor)
		}
		if w, ok := want[b.ID]; ok && g != w {
			t.Errorf("%s: group %s, want %s", b.ID, g, w)
		}
		delete(want, b.ID)
	}
	if len(want) > 0 {
		t.Errorf("boards not built in any more: %v", want)
	}
}

func TestParseStaleAfter(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   Thresholds
		bad    bool
	}{
		{"Days", []string{"30d"}, Thresholds{GroupArena: 30 * day, GroupBenchmarks: 30 * day, GroupUsage: 30 * day, GroupOther: 30 * day}, false},
		{"Group", []string{"usage=36h"}, Thresholds{GroupUsage: 36 * time.Hour}, false},
		{"LaterWins", []string{"usage=1d", "2w"}, Thresholds{GroupArena: 14 * day, GroupBenchmarks: 14 * day, GroupUsage: 14 * day, GroupOther: 14 * day}, false},
		{"AllGroup", []string{"all=5d", "arena=1d"}, Thresholds{GroupArena: day, GroupBenchmarks: 5 * day, GroupUsage: 5 * day, GroupOther: 5 * day}, false},
		{"UnknownGroup", []string{"charts=1d"}, nil, true},
		{"Zero", []string{"0d"}, nil, true},
		{"Negative", []string{"-3h"}, nil, true},
		{"NoUnit", []string{"14"}, nil, true},
		{"Fraction", []string{"1.5d"}, nil, true},
		{"Huge", []string{"99999999999d"}, nil, true},
		{"TooLong", []string{"36501d"}, nil, true},
		{"Empty", []string{""}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStaleAfter(tt.values)
			if (err != nil) != tt.bad || (!tt.bad && !reflect.DeepEqual(got, tt.want)) {
				t.Fatalf("got %v, %v; want %v (error: %v)", got, err, tt.want, tt.bad)
			}
		})
	}
	if d := (Thresholds{GroupUsage: day}).For(GroupArena); d != 14*day {
		t.Errorf("default arena threshold %v", d)
	}
}
