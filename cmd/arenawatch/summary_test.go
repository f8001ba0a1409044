package main

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/consensus"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/source"
)

// staleDays are the documented thresholds, written out again here so that
// a change to the defaults has to change the test too.
var staleDays = map[string]float64{"arena": 14, "benchmarks": 60, "usage": 3, "other": 30}

// groupOfBoard is each built-in board's group, as the README's table of
// boards names them: the vote arenas, the benchmarks, OpenRouter's usage.
func groupOfBoard(t *testing.T, id string) string {
	t.Helper()
	b, ok := source.Builtin().Get(id)
	switch {
	case !ok:
		t.Fatalf("board %s is not built in", id)
	case b.Usage:
		return "usage"
	case strings.HasPrefix(id, "swebench-"), id == "aider-polyglot", id == "livebench", strings.HasPrefix(id, "bfcl"), strings.HasPrefix(id, "aa-"):
		return "benchmarks"
	}
	return "arena"
}

// expectedConsensus works out the consensus from 'report --json' answers by
// the documented rules, independently of package consensus: which boards
// are stale at now (as-of date, else fetch time), then over the boards
// that count, the median open position, the Chinese leaders and the most
// frequent best non-Chinese model.
type expectedConsensus struct {
	stale, counted []string
	median         float64 // -1: none
	chineseLeads   int
	leadsOf        int
	most           []string // identities, sorted
	mostBoards     int
}

func expectConsensus(t *testing.T, rep reportJSON, now time.Time, includeStale bool) expectedConsensus {
	t.Helper()
	x := expectedConsensus{stale: []string{}, counted: []string{}, median: -1}
	var positions []int
	count := map[string]int{}
	for _, b := range rep.Boards {
		from := b.FetchedAt
		if !b.AsOf.IsZero() {
			from = b.AsOf
		}
		if now.Sub(from) > time.Duration(staleDays[groupOfBoard(t, b.Board)]*24)*time.Hour {
			x.stale = append(x.stale, b.Board)
			if !includeStale {
				continue
			}
		}
		x.counted = append(x.counted, b.Board)
		if m := b.LeadingOpen; m != nil {
			x.leadsOf++
			if m.Country == "CN" || (b.OriginView == ranking.ViewLineage && m.BaseCountry == "CN") {
				x.chineseLeads++
			}
		}
		if m := b.BestOpenNonCN; m != nil {
			positions = append(positions, m.OpenPosition)
			key := ranking.Identity(m.Name)
			if b.ByFamily {
				key = m.Family
			}
			count[key]++
		}
	}
	sort.Ints(positions)
	if n := len(positions); n > 0 {
		x.median = float64(positions[(n-1)/2]+positions[n/2]) / 2
	}
	for k, n := range count {
		switch {
		case n > x.mostBoards:
			x.most, x.mostBoards = []string{k}, n
		case n == x.mostBoards:
			x.most = append(x.most, k)
		}
	}
	sort.Strings(x.most)
	return x
}

// TestSummaryAgainstReport: on the replayed fixtures, every board's answer
// in 'summary --json' is the one 'report --json' gives, with the same
// flags, and the consensus is what the documented rules make of those
// answers.
func TestSummaryAgainstReport(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("scrape", "--replay", fixtures, "--quiet")
	c.now = c.now.Add(36 * time.Hour) // ages at 1.5 days for what was just fetched
	tests := []struct {
		name         string
		view         []string // flags given to both report and summary
		extra        []string // flags given to summary only
		includeStale bool
		at           time.Time
	}{
		{"Default", nil, nil, false, time.Time{}},
		{"IncludeStale", nil, []string{"--include-stale"}, true, time.Time{}},
		{"LineageFamily", []string{"--origin", "lineage", "--by", "family"}, []string{"--include-stale"}, true, time.Time{}},
		{"At", []string{"--at", "2026-11-29"}, nil, false, time.Date(2026, 11, 29, 23, 59, 59, 999999999, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := decode[reportJSON](t, c.must(append([]string{"report", "--json"}, tt.view...)...).stdout)
			args := append(append([]string{"summary", "--json"}, tt.view...), tt.extra...)
			sum := decode[summaryJSON](t, c.must(args...).stdout)
			now := c.now
			if !tt.at.IsZero() {
				now = tt.at
			}
			if !sum.AgesAt.Equal(now) || sum.Group != "all" || sum.CatalogVersion != rep.CatalogVersion || len(sum.Missing) != 0 {
				t.Fatalf("ages at %v (want %v), group %s, catalog %s, missing %v", sum.AgesAt, now, sum.Group, sum.CatalogVersion, sum.Missing)
			}
			checkSideBySide(t, rep, sum)
			x := expectConsensus(t, rep, now, tt.includeStale)
			checkConsensus(t, x, sum)
		})
	}
}

// checkSideBySide compares each board's answer with report's.
func checkSideBySide(t *testing.T, rep reportJSON, sum summaryJSON) {
	t.Helper()
	want := map[string]ranking.BoardReport{}
	for _, b := range rep.Boards {
		want[b.Board] = b
	}
	if len(sum.Boards) != len(rep.Boards) {
		t.Fatalf("%d quality boards, report has %d", len(sum.Boards), len(rep.Boards))
	}
	for _, l := range sum.Boards {
		if !reflect.DeepEqual(l.Report, want[l.Board]) || l.Report.Board != l.Board {
			t.Errorf("%s: summary's answer differs from report's:\n%+v\n%+v", l.Board, l.Report, want[l.Board])
		}
		if l.Group != consensus.Group(groupOfBoard(t, l.Board)) || l.StaleAfterDays != staleDays[string(l.Group)] {
			t.Errorf("%s: group %s, stale after %v", l.Board, l.Group, l.StaleAfterDays)
		}
	}
	if len(sum.Usage) != len(rep.Adoption) || len(sum.Usage) != 1 || !reflect.DeepEqual(sum.Usage[0].Adoption, rep.Adoption[0]) {
		t.Errorf("usage boards %+v, report's adoption %+v", sum.Usage, rep.Adoption)
	}
}

// checkConsensus compares the consensus with the expectation.
func checkConsensus(t *testing.T, x expectedConsensus, sum summaryJSON) {
	t.Helper()
	c := sum.Consensus
	var stale []string
	for _, l := range sum.Boards {
		if l.Stale {
			stale = append(stale, l.Board)
		}
	}
	if !sameSet(stale, x.stale) || !sameSet(c.Counted, x.counted) {
		t.Errorf("stale %v, counted %v; want %v, %v", stale, c.Counted, x.stale, x.counted)
	}
	// The fixtures hold LMArena's data as of 2025-11-06 (stale a year on)
	// and SciArena's undated table fetched 1.5 days before: both kinds
	// must be there, or the test proves nothing.
	if !slices.Contains(stale, "arena-text") || slices.Contains(stale, "sciarena") || len(x.counted) < 5 {
		t.Fatalf("stale %v, counted %v: the fixtures changed?", stale, x.counted)
	}
	p := c.BestNonChinese
	if (x.median < 0) != (p.Median == nil) || (p.Median != nil && *p.Median != x.median) {
		got := "none"
		if p.Median != nil {
			got = trimFloat(*p.Median)
		}
		t.Errorf("median %s, want %v (positions %+v)", got, x.median, p.Positions)
	}
	if c.LeadingOpen.Chinese != x.chineseLeads || c.LeadingOpen.Of != x.leadsOf {
		t.Errorf("Chinese leaders %d of %d, want %d of %d", c.LeadingOpen.Chinese, c.LeadingOpen.Of, x.chineseLeads, x.leadsOf)
	}
	var most []string
	for _, m := range c.MostBoards.Leaders {
		most = append(most, m.Key)
	}
	if !reflect.DeepEqual(most, x.most) || c.MostBoards.Boards != x.mostBoards {
		t.Errorf("best on most boards %v (%d), want %v (%d)", most, c.MostBoards.Boards, x.most, x.mostBoards)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestSummaryHuman checks the table and the consensus lines for people
// against the JSON of the same call.
func TestSummaryHuman(t *testing.T) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet")
	sum := decode[summaryJSON](t, c.must("summary", "--json").stdout)
	out := c.must("summary").stdout
	for _, l := range sum.Boards {
		line := lineOf(out, l.Board+" ")
		want := "fresh"
		if l.Stale {
			want = "STALE, left out"
		}
		if !strings.Contains(line, want) || !strings.Contains(line, string(l.Group)) {
			t.Errorf("%s: line %q, want %q", l.Board, line, want)
		}
	}
	med := trimFloat(*sum.Consensus.BestNonChinese.Median)
	if !strings.Contains(out, "median position "+med+" among open models") {
		t.Errorf("no median %s in:\n%s", med, out)
	}
	if !strings.Contains(out, "usage boards") || !strings.Contains(lineOf(out, "openrouter-daily-tokens"), "STALE") {
		t.Errorf("usage boards not shown apart:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequence in output")
	}
}

func lineOf(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// TestSummaryGroupsAndErrors: --group selects boards, usage stays apart,
// and bad input is a usage error.
func TestSummaryGroupsAndErrors(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("scrape", "--replay", fixtures, "--quiet")
	for _, g := range []string{"arena", "benchmarks", "usage"} {
		sum := decode[summaryJSON](t, c.must("summary", "--json", "--group", g).stdout)
		for _, l := range sum.Boards {
			if string(l.Group) != g {
				t.Errorf("--group %s: %s is %s", g, l.Board, l.Group)
			}
		}
		if (g == "usage") != (len(sum.Usage) == 1) || (g == "usage") != (len(sum.Boards) == 0) {
			t.Errorf("--group %s: %d boards, %d usage", g, len(sum.Boards), len(sum.Usage))
		}
	}
	// --stale-after 1000d: nothing in the fixtures is that old.
	sum := decode[summaryJSON](t, c.must("summary", "--json", "--stale-after", "1000d", "--stale-after", "usage=1d").stdout)
	if len(sum.Consensus.StaleLeftOut) != 0 || len(sum.Consensus.Counted) != len(sum.Boards) || !sum.Usage[0].Stale || sum.StaleAfterDays["usage"] != 1 {
		t.Errorf("--stale-after: left out %v, usage %+v", sum.Consensus.StaleLeftOut, sum.Usage[0].Freshness)
	}
	// --stale-time fetched: everything was fetched at the clock, nothing is stale.
	sum = decode[summaryJSON](t, c.must("summary", "--json", "--stale-time", "fetched").stdout)
	if len(sum.Consensus.StaleLeftOut) != 0 || sum.StaleTime != "fetched" || sum.Boards[0].AgedBy != "fetched" {
		t.Errorf("--stale-time fetched: left out %v", sum.Consensus.StaleLeftOut)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"BadGroup", []string{"--group", "votes"}, exitUsage, "--group"},
		{"BadStaleAfter", []string{"--stale-after", "0d"}, exitUsage, "--stale-after"},
		{"BadStaleGroup", []string{"--stale-after", "charts=3d"}, exitUsage, "unknown group"},
		{"BadStaleTime", []string{"--stale-time", "today"}, exitUsage, "--stale-time"},
		{"BoardOutsideGroup", []string{"arena-text", "--group", "usage"}, exitUsage, "is in group arena"},
		{"UnknownBoard", []string{"no-such-board"}, exitUsage, "unknown board"},
		{"BeforeAnySnapshot", []string{"--at", "2026-01"}, exitNoData, "arena-text"},
		{"NamedWithoutSnapshot", []string{"hf-text"}, exitNoData, "hf-text"},
		{"BadAt", []string{"--at", "yesterday"}, exitUsage, "want a time like"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(append([]string{"summary"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.msg)
			}
		})
	}
}
