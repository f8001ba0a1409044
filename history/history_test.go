package history

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// keys is a board's snapshots: two scrapes on Sunday 2026-11-29 whose data
// is as of the previous week, one on Monday 2026-11-30, a re-parse of it
// (same fetch time), one on 2026-12-01, and one without an as-of date.
var keys = []Key{
	{FetchedAt: ts("2026-11-29T08:00:00Z"), AsOf: ts("2026-11-20T00:00:00Z")},
	{FetchedAt: ts("2026-11-29T20:00:00Z"), AsOf: ts("2026-11-24T00:00:00Z")},
	{FetchedAt: ts("2026-11-30T06:00:00Z"), AsOf: ts("2026-11-24T00:00:00Z")},
	{FetchedAt: ts("2026-11-30T06:00:00Z"), AsOf: ts("2026-11-30T00:00:00Z")}, // the re-parse
	{FetchedAt: ts("2026-12-01T06:00:00Z"), AsOf: ts("2026-11-30T00:00:00Z")},
	{FetchedAt: ts("2026-12-02T06:00:00Z")},
}

func TestSelect(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		// want lists the picked snapshots by fetch time ("29T08" is
		// 2026-11-29T08:00Z) and their periods.
		want    []string
		periods []string
	}{
		{"EverySnapshot", Options{}, []string{"11-29T08", "11-29T20", "11-30T06", "12-01T06", "12-02T06"}, nil},
		{"SinceUntilFetch", Options{Since: ts("2026-11-29T12:00:00Z"), Until: ts("2026-12-01T06:00:00Z")},
			[]string{"11-29T20", "11-30T06", "12-01T06"}, nil},
		// By the source's date: only the re-parse of 11-30 and 12-01's
		// data are as of 11-30; the one without a date keeps its fetch time.
		{"SinceAsOf", Options{Time: ByAsOf, Since: ts("2026-11-25T00:00:00Z")}, []string{"11-30T06", "12-01T06", "12-02T06"}, nil},
		{"UntilAsOf", Options{Time: ByAsOf, Until: ts("2026-11-24T23:59:59Z")}, []string{"11-29T08", "11-29T20"}, nil},
		{"EveryDay", Options{Every: EveryDay}, []string{"11-29T20", "11-30T06", "12-01T06", "12-02T06"},
			[]string{"2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"}},
		// 11-29 is a Sunday: ISO week 48 ends there.
		{"EveryWeek", Options{Every: EveryWeek}, []string{"11-29T20", "12-02T06"}, []string{"2026-W48", "2026-W49"}},
		{"EveryMonth", Options{Every: EveryMonth}, []string{"11-30T06", "12-02T06"}, []string{"2026-11", "2026-12"}},
		// Data as of November fetched on December 1st is November's.
		{"EveryMonthAsOf", Options{Every: EveryMonth, Time: ByAsOf}, []string{"12-01T06", "12-02T06"}, []string{"2026-11", "2026-12"}},
		{"EveryDayAsOf", Options{Every: EveryDay, Time: ByAsOf}, []string{"11-29T08", "11-29T20", "12-01T06", "12-02T06"},
			[]string{"2026-11-20", "2026-11-24", "2026-11-30", "2026-12-02"}},
		{"NoneInWindow", Options{Since: ts("2027-01-01T00:00:00Z")}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, periods []string
			for _, p := range Select(keys, tt.opt) {
				got = append(got, p.FetchedAt.Format("01-02T15"))
				if p.Period != "" {
					periods = append(periods, p.Period)
				}
			}
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(periods, tt.periods) {
				t.Errorf("picked %v %v, want %v %v", got, periods, tt.want, tt.periods)
			}
		})
	}
	// The re-parse, listed after the snapshot it re-reads, stands for it.
	for _, p := range Select(keys, Options{}) {
		if p.FetchedAt.Equal(ts("2026-11-30T06:00:00Z")) && !p.AsOf.Equal(ts("2026-11-30T00:00:00Z")) {
			t.Errorf("the re-parse was not kept: %+v", p)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in    string
		basis Basis
		every Every
		ok    bool
	}{{"", ByFetch, EverySnapshot, true}, {"asof", ByAsOf, "", false}, {"week", "", EveryWeek, false}, {"hourly", "", "", false}} {
		b, okB := ParseBasis(tt.in)
		e, okE := ParseEvery(tt.in)
		if b != tt.basis || e != tt.every || (okB && okE) != tt.ok {
			t.Errorf("%q: %q %v, %q %v", tt.in, b, okB, e, okE)
		}
	}
}

// golden reads a real page's snapshot as the source's parser reads it.
func golden(t testing.TB, board string) *arenawatch.Snapshot {
	t.Helper()
	data, err := os.ReadFile("../source/testdata/golden/" + board + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Rows []arenawatch.Row
		AsOf time.Time
	}
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return &arenawatch.Snapshot{Board: board, FetchedAt: ts("2026-11-30T18:00:00Z"), AsOf: g.AsOf,
		Origin: arenawatch.OriginScraped, Rows: g.Rows}
}

// TestRowOf answers real pages and checks the row against ranking.Report
// and the figures read off the page.
func TestRowOf(t *testing.T) {
	cat := ranking.Embedded()
	tests := []struct {
		name    string
		board   string
		opt     ranking.Options
		top     int
		lag     int
		wantTop TopOpen
		wantGap Gap
	}{
		// The arena.ai text page as of 2025-11-06: the ten best open
		// models are all Chinese; DeepSeek-V3.2-Exp (1430.24, interval
		// 1418.75–1441.73) leads Gemma-3-27B (1364.46, 1357.5–1371.4).
		{"ArenaText", "arena-text", ranking.Options{}, 10, 389,
			TopOpen{N: 10, Models: 10, Chinese: 10, ChineseShare: 1}, Gap{Score: 65.78}},
		{"ArenaTextTop30", "arena-text", ranking.Options{}, 30, 389,
			TopOpen{N: 30, Models: 30, Chinese: 28, NonChinese: 2, ChineseShare: 28.0 / 30, NonChineseShare: 2.0 / 30}, Gap{Score: 65.78}},
		{"ArenaTextByFamily", "arena-text", ranking.Options{ByFamily: true}, 30, 389,
			TopOpen{N: 30, Models: 30, Chinese: 16, NonChinese: 14, ChineseShare: 16.0 / 30, NonChineseShare: 14.0 / 30}, Gap{Score: 65.78}},
		{"HFTextRaw", "hf-text-raw", ranking.Options{View: ranking.ViewLineage}, 10, 483,
			TopOpen{N: 10, Models: 10, Chinese: 10, ChineseShare: 1}, Gap{Score: 77}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := golden(t, tt.board)
			opt := Options{Catalog: cat, Rule: arenawatch.RankOwn, Ranking: tt.opt, Top: tt.top}
			r := RowOf(s, opt)
			rep := ranking.Report(s, arenawatch.RankOwn, cat, tt.opt)
			if !reflect.DeepEqual(r.LeadingOpen, rep.LeadingOpen) || !reflect.DeepEqual(r.BestOpenNonCN, rep.BestOpenNonCN) ||
				r.ChineseOpenAbove != rep.ChineseOpenAbove || r.Rows != len(s.Rows) || r.Unclassified != rep.Unclassified.Rows {
				t.Errorf("row %+v differs from the report %+v", r, rep)
			}
			if r.AsOfLag != tt.lag || !r.AsOf.Equal(s.AsOf) || !r.FetchedAt.Equal(s.FetchedAt) {
				t.Errorf("as of %s, fetched %s, lag %d; want lag %d", r.AsOf, r.FetchedAt, r.AsOfLag, tt.lag)
			}
			// The same count by another path: the open rows ranking.Apply
			// keeps, in rank order.
			open, _ := ranking.Apply(ranking.Entries(s, arenawatch.RankOwn, cat, tt.opt), ranking.Filter{Open: true, Limit: tt.top})
			cn := 0
			for _, e := range open {
				if c, _ := e.Class.Chinese(rep.OriginView); c {
					cn++
				}
			}
			if cn != tt.wantTop.Chinese {
				t.Errorf("ranking.Apply finds %d Chinese among the top %d open; the case says %d", cn, tt.top, tt.wantTop.Chinese)
			}
			if r.TopOpen != tt.wantTop {
				t.Errorf("top open %+v, want %+v", r.TopOpen, tt.wantTop)
			}
			if r.Gap == nil || r.Gap.Score != tt.wantGap.Score || r.Gap.Lower == nil || r.Gap.Upper == nil || *r.Gap.Lower > r.Gap.Score || *r.Gap.Upper < r.Gap.Score {
				t.Errorf("gap %+v, want %v within its interval", r.Gap, tt.wantGap.Score)
			}
		})
	}
}

// BenchmarkBuild10k answers a history of 10,000 snapshots of one real
// page (arena.ai's text board, 214 rows), as 'history' does for a board
// scraped every hour for a year: the same identities again and again.
func BenchmarkBuild10k(b *testing.B) {
	s := golden(b, "arena-text")
	const n = 10000
	ks := make([]Key, n)
	for i := range ks {
		ks[i] = Key{FetchedAt: s.FetchedAt.Add(time.Duration(i) * time.Hour), AsOf: s.AsOf}
	}
	load := func(k Key) (*arenawatch.Snapshot, error) {
		c := *s
		c.FetchedAt = k.FetchedAt
		return &c, nil
	}
	for _, every := range []Every{EverySnapshot, EveryDay} {
		b.Run(string(every), func(b *testing.B) {
			opt := Options{Catalog: ranking.Embedded(), Rule: arenawatch.RankOwn, Every: every}
			for b.Loop() {
				for _, p := range Select(ks, opt) { // as answers.History does, without its cache
					s, err := load(p.Key)
					if err != nil {
						b.Fatal(err)
					}
					RowOf(s, opt)
				}
			}
		})
	}
}
