package chart

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/sanitize"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ref(model string, score float64, openPos int) *ranking.ModelRef {
	return &ranking.ModelRef{Model: model, Name: model, Score: score, OpenPosition: openPos, Open: ranking.Open}
}

// row is a history row fetched at fetched, about data as of asOf ("" for
// none), whose best non-Chinese open model has open position pos (0: none).
func row(fetched, asOf string, pos int) history.Row {
	r := history.Row{FetchedAt: day(fetched), LeadingOpen: ref("lead", 1400, 1),
		TopOpen: history.TopOpen{N: 10, Models: 10, Chinese: 7, NonChinese: 2, Unknown: 1, ChineseShare: 0.7, NonChineseShare: 0.2, UnknownShare: 0.1}}
	if asOf != "" {
		r.AsOf = day(asOf)
	}
	if pos > 0 {
		r.BestOpenNonCN = ref("best", 1350, pos)
		r.Gap = &history.Gap{Score: 50}
	}
	return r
}

func TestPositionSeries(t *testing.T) {
	tests := []struct {
		name  string
		rows  []history.Row
		want  []float64 // positions, in time order
		times []string
		notes int
		asOf  string
	}{
		{"ByFetchTime", []history.Row{row("2026-01-01", "", 3), row("2026-01-02", "", 5)}, []float64{3, 5}, []string{"2026-01-01", "2026-01-02"}, 0, "2026-01-02"},
		// A page scraped on two days that states the same data date is one
		// point: the later fetch.
		{"SameAsOfKeepsLatestFetch", []history.Row{row("2026-01-05", "2026-01-01", 3), row("2026-01-06", "2026-01-01", 4)}, []float64{4}, []string{"2026-01-01"}, 0, "2026-01-01"},
		{"AsOfOrdersTheAxis", []history.Row{row("2026-01-05", "2026-01-03", 3), row("2026-01-06", "2026-01-02", 4)}, []float64{4, 3}, []string{"2026-01-02", "2026-01-03"}, 0, "2026-01-03"},
		{"NoAnswerLeftOutAndNoted", []history.Row{row("2026-01-01", "", 0), row("2026-01-02", "", 2)}, []float64{2}, []string{"2026-01-02"}, 1, "2026-01-02"},
		{"Empty", nil, nil, nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := PositionSeries(map[string][]history.Row{"b": tt.rows}, Meta{Source: "arena.ai", Catalog: "v1"})
			if !c.InvertY || c.Kind != KindPosition || len(c.Series) != 1 || len(c.Notes) != tt.notes {
				t.Fatalf("chart %+v", c)
			}
			var got []float64
			var times []string
			for _, p := range c.Series[0].Points {
				got, times = append(got, p.Y), append(times, p.T.Format("2006-01-02"))
			}
			if strings.Join(fmtAll(got), ",") != strings.Join(fmtAll(tt.want), ",") || strings.Join(times, ",") != strings.Join(tt.times, ",") {
				t.Errorf("points %v at %v, want %v at %v", got, times, tt.want, tt.times)
			}
			wantCaption := "Source: arena.ai · data as of " + tt.asOf + " · catalog v1 · drawn by arenawatch"
			if tt.asOf == "" {
				wantCaption = "Source: arena.ai · no data · catalog v1 · drawn by arenawatch"
			}
			if c.Caption != wantCaption {
				t.Errorf("caption %q, want %q", c.Caption, wantCaption)
			}
		})
	}
}

func fmtAll(xs []float64) []string {
	var out []string
	for _, x := range xs {
		out = append(out, trimFloat(x))
	}
	return out
}

func TestShareAndUsageStackTo100(t *testing.T) {
	share := ShareSeries("b", []history.Row{row("2026-01-01", "", 3), {FetchedAt: day("2026-01-02")}}, Meta{})
	usage := UsageSeries("u", []ranking.AdoptionReport{
		{SnapshotHeader: ranking.SnapshotHeader{FetchedAt: day("2026-01-01")}, TotalTokens: 100,
			ChineseOpen: ranking.AdoptionShare{Share: 0.4}, NonChineseOpen: ranking.AdoptionShare{Share: 0.1},
			Closed: ranking.AdoptionShare{Share: 0.3}, Unclassified: ranking.AdoptionShare{Share: 0.2}},
		{SnapshotHeader: ranking.SnapshotHeader{FetchedAt: day("2026-01-02")}}, // no tokens: left out
	}, Meta{})
	for _, tt := range []struct {
		name   string
		c      Chart
		series int
	}{{"Share", share, 3}, {"Usage", usage, 4}} {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.c.Stacked || len(tt.c.Series) != tt.series || len(tt.c.Notes) != 1 {
				t.Fatalf("chart %+v", tt.c)
			}
			sum := 0.0
			for _, s := range tt.c.Series {
				if len(s.Points) != 1 {
					t.Fatalf("%s: %d points, want 1 (the empty date left out)", s.Name, len(s.Points))
				}
				sum += s.Points[0].Y
			}
			if sum != 100 {
				t.Errorf("shares sum to %g%%, want 100", sum)
			}
		})
	}
}

func TestGapSeriesIntervals(t *testing.T) {
	rows := []history.Row{row("2026-01-01", "", 2), row("2026-01-02", "", 0)}
	ci := func(at time.Time, model string) (float64, float64, bool) {
		return 1390, 1410, model == "lead" && at.Equal(day("2026-01-01"))
	}
	tests := []struct {
		name  string
		ci    CIFunc
		bands int
		note  string
	}{
		{"WithIntervals", ci, 1, "bands: each model's published confidence interval"},
		{"NoIntervals", nil, 0, "no confidence intervals: the board publishes none for these models"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := GapSeries("b", rows, tt.ci, Meta{ScoreName: "Arena score"})
			if len(c.Series) != 2 || len(c.Series[0].Points) != 2 || len(c.Series[1].Points) != 1 {
				t.Fatalf("series %+v", c.Series)
			}
			bands := 0
			for _, s := range c.Series {
				for _, p := range s.Points {
					if p.Lower != nil {
						bands++
					}
				}
			}
			if bands != tt.bands || c.Notes[0] != tt.note || !strings.Contains(strings.Join(c.Notes, ";"), "1 points left out") {
				t.Errorf("%d bands, notes %q", bands, c.Notes)
			}
		})
	}
}

func TestSnapshotCIReadsEachSnapshotOnce(t *testing.T) {
	reads := 0
	lo, hi := 1.0, 3.0
	ci := SnapshotCI(func(time.Time) (*arenawatch.Snapshot, error) {
		reads++
		return &arenawatch.Snapshot{Rows: []arenawatch.Row{{Model: "a", Score: 2, ScoreLower: &lo, ScoreUpper: &hi}, {Model: "b", Score: 1}}}, nil
	})
	at := day("2026-01-01")
	if l, h, ok := ci(at, "a"); !ok || l != 1 || h != 3 {
		t.Errorf("a: %g %g %v", l, h, ok)
	}
	if _, _, ok := ci(at, "b"); ok {
		t.Error("b has no interval")
	}
	if reads != 1 {
		t.Errorf("%d reads of one snapshot", reads)
	}
}

// entry is an open (or closed) model of a board chart.
func entry(model, country string, open bool, rank, pos int, score float64) ranking.Entry {
	e := ranking.Entry{Row: arenawatch.Row{Model: model, Score: score}, Class: ranking.Class{Country: country, Open: ranking.Closed}, Rank: rank, OpenPosition: pos}
	if open {
		e.Class.Open = ranking.Open
	}
	return e
}

func TestBoardSeries(t *testing.T) {
	es := []ranking.Entry{
		entry("closed-1", "US", false, 1, 0, 1500), entry("cn-1", "CN", true, 2, 1, 1450), entry("cn-2", "CN", true, 3, 2, 1440),
		entry("fr-1", "FR", true, 4, 3, 1430), entry("cn-3", "CN", true, 5, 4, 1420), entry("us-1", "US", true, 6, 5, 1410),
		entry("x-1", "", true, 7, 6, 1400),
	}
	rep := ranking.BoardReport{SnapshotHeader: ranking.SnapshotHeader{Board: "b", FetchedAt: day("2026-01-01")},
		LeadingOpen: ref("cn-1", 1450, 1), BestOpenNonCN: ref("fr-1", 1430, 3), ChineseOpenAbove: 2}
	tests := []struct {
		name string
		top  int
		want string // labels:colour:mark
	}{
		{"All", 0, "cn-1:6:leading_open cn-2:6: fr-1:2:best_open_non_chinese cn-3:6: us-1:5: x-1:8:"},
		// The best non-Chinese open model stays when it is below the top.
		{"TopKeepsTheAnswers", 1, "cn-1:6:leading_open fr-1:2:best_open_non_chinese"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := BoardSeries(es, rep, tt.top, Meta{})
			var got []string
			for _, b := range c.Bars {
				got = append(got, b.Label+":"+trimFloat(float64(b.Colour))+":"+b.Mark)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("bars\n%s\nwant\n%s", strings.Join(got, " "), tt.want)
			}
			if len(c.Keys) == 0 || c.Keys[0].Name != "China (CN)" || !strings.Contains(c.Subtitle, "3rd among open models, 2 Chinese open above") {
				t.Errorf("keys %v, subtitle %q", c.Keys, c.Subtitle)
			}
		})
	}
}

// hostile are names a page could send.
var hostile = []string{
	"evil\u202emodel",              // bidi override
	"bell\x07\x1b]0;pwned\x07name", // control characters, a terminal title
	strings.Repeat("long", 2500),   // 10,000 characters
	"bad utf8 \xff\xfe",
	"<script>alert(1)</script> & co",
}

func TestHostileNamesAreSanitized(t *testing.T) {
	var es []ranking.Entry
	rows := map[string][]history.Row{}
	for i, n := range hostile {
		es = append(es, entry(n, n, true, i+1, i+1, float64(1400-i)))
		rows[n] = []history.Row{row("2026-01-01", "", 1)}
	}
	rep := ranking.BoardReport{SnapshotHeader: ranking.SnapshotHeader{Board: hostile[0]}, LeadingOpen: ref(hostile[2], 1398, 3)}
	rep.LeadingOpen.Name = hostile[2]
	m := Meta{Source: hostile[1], Catalog: hostile[0], ScoreName: hostile[3]}
	for _, c := range []Chart{BoardSeries(es, rep, 0, m), PositionSeries(rows, m), GapSeries(hostile[2], nil, nil, m)} {
		texts := []string{c.Title, c.Subtitle, c.Caption, c.XLabel, c.YLabel}
		for _, b := range c.Bars {
			texts = append(texts, b.Label)
		}
		for _, k := range c.Keys {
			texts = append(texts, k.Name)
		}
		for _, s := range c.Series {
			texts = append(texts, s.Name)
		}
		for _, s := range texts {
			if !sanitize.Plain(s) || utf8.RuneCountInString(s) > 400 {
				t.Errorf("%s chart: unsafe or unbounded text %q", c.Kind, s)
			}
		}
	}
}
