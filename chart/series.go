package chart

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/sanitize"
)

// Lengths, in runes, at which text from the web is cut on a chart: a
// model's or board's name, and a caption's source list.
const (
	maxLabel  = 40
	maxSource = 120
)

// label makes text from the web fit to draw: escapes for control and
// bidi characters (they would reorder or hide the text around them, and
// are not allowed in XML), and a length cut.
func label(s string, max int) string { return sanitize.Text(s, max) }

// rowTime is where a history row sits on the time axis: the source's own
// date for the data, else its fetch time. A page scraped today that
// states last week's data belongs to last week.
func rowTime(asOf, fetched time.Time) time.Time {
	if !asOf.IsZero() {
		return asOf.UTC()
	}
	return fetched.UTC()
}

// timed is one history row with its place on the axis.
type timed[T any] struct {
	t time.Time
	v T
}

// byTime orders items by their time and keeps, of items at the same time
// (several fetches of data with one as-of date), the last one given: the
// latest answer about that data.
func byTime[T any](items []T, at func(T) time.Time) []timed[T] {
	out := make([]timed[T], 0, len(items))
	for _, it := range items {
		out = append(out, timed[T]{at(it), it})
	}
	slices.SortStableFunc(out, func(a, b timed[T]) int { return a.t.Compare(b.t) })
	kept := out[:0]
	for i, x := range out {
		if i+1 < len(out) && out[i+1].t.Equal(x.t) {
			continue
		}
		kept = append(kept, x)
	}
	return kept
}

func historyTime(r history.Row) time.Time { return rowTime(r.AsOf, r.FetchedAt) }

// viewNote says how the answers were counted when that is not the default.
func viewNote(m Meta) string {
	var parts []string
	if m.View == ranking.ViewLineage {
		parts = append(parts, "origin by lineage (a fine-tune of a Chinese base counts as Chinese)")
	}
	if m.ByFamily {
		parts = append(parts, "each model family counted once")
	}
	return strings.Join(parts, "; ")
}

// finish fills what every chart states the same way: the as-of date (the
// latest point unless m overrides it), the caption and the view note.
func finish(c *Chart, m Meta, latest time.Time) {
	c.AsOf = latest
	if !m.AsOf.IsZero() {
		c.AsOf = m.AsOf.UTC()
	}
	if v := viewNote(m); v != "" {
		c.Subtitle = strings.TrimPrefix(c.Subtitle+"; "+v, "; ")
	}
	parts := []string{}
	if m.Source != "" {
		parts = append(parts, "Source: "+label(m.Source, maxSource))
	}
	if !c.AsOf.IsZero() {
		parts = append(parts, "data as of "+c.AsOf.Format("2006-01-02"))
	} else {
		parts = append(parts, "no data")
	}
	if m.Catalog != "" {
		parts = append(parts, "catalog "+label(m.Catalog, maxLabel))
	}
	parts = append(parts, "drawn by arenawatch")
	c.Caption = strings.Join(parts, " · ")
}

// latestOf returns the latest time of any point.
func latestOf(ss []Series) time.Time {
	var t time.Time
	for _, s := range ss {
		for _, p := range s.Points {
			if p.T.After(t) {
				t = p.T
			}
		}
	}
	return t
}

// boardColours are the line colours of boards, in order: every Okabe–Ito
// colour but yellow (too light for a thin line on white), vermillion
// (Chinese, on the other charts) last.
var boardColours = []int{colBlue, colGreen, colOrange, colSky, colPurple, colBlack, colVermillion}

// PositionSeries is the position chart: for each board (keyed by board
// id; lines in id order), the best non-Chinese open model's position
// among open models per history row. Rows without such a model are left
// out and noted.
func PositionSeries(boards map[string][]history.Row, m Meta) Chart {
	c := Chart{Kind: KindPosition, InvertY: true,
		Title:    "Where the best open model not from a Chinese lab places",
		Subtitle: "its position among open-weight models (1 = best), one line per board",
		XLabel:   "date of the data (UTC)", YLabel: "position among open models (1 = best)"}
	ids := make([]string, 0, len(boards))
	for id := range boards {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		s := Series{Name: label(id, maxLabel), Colour: boardColours[i%len(boardColours)], Points: []Point{}}
		none := 0
		for _, x := range byTime(boards[id], historyTime) {
			if x.v.BestOpenNonCN == nil {
				none++
				continue
			}
			s.Points = append(s.Points, Point{T: x.t, Y: float64(x.v.BestOpenNonCN.OpenPosition)})
		}
		if none > 0 {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: %d of its dates have no open non-Chinese model and are left out", s.Name, none))
		}
		c.Series = append(c.Series, s)
	}
	finish(&c, m, latestOf(c.Series))
	return c
}

// ShareSeries is the share chart of one board: the Chinese, non-Chinese
// and unknown shares (in %) of the open top N per history row. Rows with
// no open model are left out and noted.
func ShareSeries(board string, rows []history.Row, m Meta) Chart {
	n := history.DefaultTop
	if len(rows) > 0 {
		n = rows[0].TopOpen.N
	}
	c := Chart{Kind: KindShare, Stacked: true,
		Title:    fmt.Sprintf("Origins of the top %d open models on %s", n, label(board, maxLabel)),
		Subtitle: "developer's country; unknown = the catalog cannot place it",
		XLabel:   "date of the data (UTC)", YLabel: fmt.Sprintf("share of the open top %d (%%)", n)}
	cn := Series{Name: "Chinese", Colour: colVermillion, Points: []Point{}}
	non := Series{Name: "not Chinese", Colour: colBlue, Points: []Point{}}
	unk := Series{Name: "unknown origin", Colour: colGrey, Points: []Point{}}
	empty, short := 0, 0
	for _, x := range byTime(rows, historyTime) {
		top := x.v.TopOpen
		if top.Models == 0 {
			empty++
			continue
		}
		if top.Models < top.N {
			short++
		}
		cn.Points = append(cn.Points, Point{T: x.t, Y: pct(top.ChineseShare)})
		non.Points = append(non.Points, Point{T: x.t, Y: pct(top.NonChineseShare)})
		unk.Points = append(unk.Points, Point{T: x.t, Y: pct(top.UnknownShare)})
	}
	c.Series = []Series{cn, non, unk}
	if empty > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d dates with no open model are left out", empty))
	}
	if short > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("on %d dates the board had fewer than %d open models: shares are of those it had", short, n))
	}
	finish(&c, m, latestOf(c.Series))
	return c
}

// pct turns a share into a percentage, rounded to 0.01 so that golden
// files do not carry binary noise.
func pct(share float64) float64 { return roundTo(share*100, 100) }

func roundTo(x, scale float64) float64 {
	if x < 0 {
		return -roundTo(-x, scale)
	}
	return float64(int64(x*scale+0.5)) / scale
}

// CIFunc looks up a model's published interval in the snapshot fetched
// at t; ok is false when there is none. GapSeries takes one because a
// history row carries the gap's interval, not each model's.
type CIFunc func(t time.Time, model string) (lower, upper float64, ok bool)

// SnapshotCI is a CIFunc over snapshots read by at (for example
// func(t time.Time) (*arenawatch.Snapshot, error) { return db.At(board, t) }),
// reading each snapshot once. A snapshot that cannot be read has no
// intervals: the chart then draws the lines without bands.
func SnapshotCI(at func(time.Time) (*arenawatch.Snapshot, error)) CIFunc {
	type interval struct{ lo, hi float64 }
	seen := map[time.Time]map[string]interval{}
	return func(t time.Time, model string) (float64, float64, bool) {
		key := t.UTC()
		ivs, ok := seen[key]
		if !ok {
			ivs = map[string]interval{}
			if s, err := at(t); err == nil && s != nil {
				for _, r := range s.Rows {
					if r.ScoreLower != nil && r.ScoreUpper != nil {
						ivs[r.Model] = interval{*r.ScoreLower, *r.ScoreUpper}
					}
				}
			}
			seen[key] = ivs
		}
		iv, ok := ivs[model]
		return iv.lo, iv.hi, ok
	}
}

// GapSeries is the gap chart of one board: the leading open model's and
// the best non-Chinese open model's scores per history row, with each
// model's interval from ci where it has one (nil ci: no bands).
func GapSeries(board string, rows []history.Row, ci CIFunc, m Meta) Chart {
	score := cmp.Or(m.ScoreName, "score")
	c := Chart{Kind: KindGap,
		Title:  fmt.Sprintf("Leading open model vs best open model not from a Chinese lab, %s", label(board, maxLabel)),
		XLabel: "date of the data (UTC)", YLabel: label(score, maxLabel)}
	lead := Series{Name: "leading open model", Colour: colBlack, Points: []Point{}}
	best := Series{Name: "best open model not from a Chinese lab", Colour: colBlue, Points: []Point{}}
	bands, missing := 0, 0
	for _, x := range byTime(rows, historyTime) {
		for _, pair := range []struct {
			ref *ranking.ModelRef
			s   *Series
		}{{x.v.LeadingOpen, &lead}, {x.v.BestOpenNonCN, &best}} {
			if pair.ref == nil {
				missing++
				continue
			}
			p := Point{T: x.t, Y: pair.ref.Score}
			if ci != nil {
				if lo, hi, ok := ci(x.v.FetchedAt, pair.ref.Model); ok {
					p.Lower, p.Upper = &lo, &hi
					bands++
				}
			}
			pair.s.Points = append(pair.s.Points, p)
		}
	}
	c.Series = []Series{lead, best}
	if n := len(rows); n > 0 {
		last := rows[len(rows)-1]
		if last.Gap != nil {
			c.Subtitle = "latest gap: " + formatGap(*last.Gap, score)
		}
	}
	if bands == 0 {
		c.Notes = append(c.Notes, "no confidence intervals: the board publishes none for these models")
	} else {
		c.Notes = append(c.Notes, "bands: each model's published confidence interval")
	}
	if missing > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d points left out: no such model on that date", missing))
	}
	finish(&c, m, latestOf(c.Series))
	return c
}

// formatGap writes a gap as "77 (Arena score; intervals' extremes 64
// to 90)".
func formatGap(g history.Gap, score string) string {
	s := fmt.Sprintf("%s (%s", trimFloat(g.Score), label(score, maxLabel))
	if g.Lower != nil && g.Upper != nil {
		s += fmt.Sprintf("; intervals' extremes %s to %s", trimFloat(*g.Lower), trimFloat(*g.Upper))
	}
	return s + ")"
}

// trimFloat writes x with at most two decimals and no trailing zeros.
func trimFloat(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}
