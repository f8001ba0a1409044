package chart

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// barPlot draws a board chart: one horizontal bar per model, best at the
// top, interval whiskers, the answers outlined and named.
func barPlot(c Chart, st style) (*plot.Plot, legend, error) {
	p := newPlot(c, st)
	var leg legend
	if len(c.Bars) == 0 {
		noData(p, st)
		return p, leg, nil
	}
	n := len(c.Bars)
	names := make([]string, n)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, b := range c.Bars {
		names[n-1-i] = fmt.Sprintf("%d. %s", b.OpenPosition, b.Label) // NominalY counts from the bottom
		lo, hi = math.Min(lo, lowOf(Point{Y: b.Score, Lower: b.Lower})), math.Max(hi, highOf(Point{Y: b.Score, Upper: b.Upper}))
	}
	base := baseline(lo, hi)
	p.NominalY(names...)
	// Names are the tick labels: smaller on a crowded board.
	p.Y.Tick.Label = st.text(math.Min(0.75, 14/float64(n)), false, ink)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Y.Label.Text = ""
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil // the bars are the rows
	p.Add(grid)
	p.X.Min = base
	p.X.Tick.Marker = numTicks{}
	// Room on the right for the answers' names.
	p.X.Max = hi + (hi-base)*0.45
	p.Add(&bars{c: c, st: st, base: base})
	for _, k := range c.Keys {
		poly, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}})
		if err != nil {
			return nil, leg, err
		}
		poly.Color, poly.LineStyle.Width = colour(k.Colour), 0
		leg.add(k.Name, poly)
	}
	if base != 0 {
		p.X.Label.Text += " (axis does not start at 0)"
	}
	return p, leg, nil
}

// baseline is where bars start: 0 for scores that are naturally compared
// from zero (percentages, small values), else a little below the lowest
// value, so that Elo-like scores (1100–1500) do not all look equal.
func baseline(lo, hi float64) float64 {
	if lo >= 0 && lo <= hi*0.5 {
		return 0
	}
	span := math.Max(hi-lo, math.Abs(hi)*0.01)
	return math.Floor((lo - span*0.08))
}

// bars is the plotter of a board chart.
type bars struct {
	c    Chart
	st   style
	base float64
}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	n := len(b.c.Bars)
	half := (ty(1) - ty(0)) * 0.36
	note := b.st.text(math.Min(0.72, 14/float64(n)), true, ink)
	note.YAlign = draw.YCenter
	for i, bar := range b.c.Bars {
		y := ty(float64(n - 1 - i))
		x0, x1 := tx(b.base), tx(bar.Score)
		rect := []vg.Point{{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half}}
		c.FillPolygon(colour(bar.Colour), c.ClipPolygonXY(rect))
		end := x1
		if bar.Lower != nil && bar.Upper != nil {
			w := draw.LineStyle{Color: ink, Width: b.st.line * 0.6}
			l, u := tx(*bar.Lower), tx(*bar.Upper)
			c.StrokeLines(w, c.ClipLinesXY([]vg.Point{{X: l, Y: y}, {X: u, Y: y}})...)
			c.StrokeLines(w, c.ClipLinesXY([]vg.Point{{X: l, Y: y - half*0.6}, {X: l, Y: y + half*0.6}})...)
			c.StrokeLines(w, c.ClipLinesXY([]vg.Point{{X: u, Y: y - half*0.6}, {X: u, Y: y + half*0.6}})...)
			end = max(end, u)
		}
		if bar.Mark == "" {
			continue
		}
		outline := draw.LineStyle{Color: ink, Width: b.st.line}
		c.StrokeLines(outline, append(rect, rect[0]))
		c.FillText(note, vg.Point{X: end + b.st.fs*0.4, Y: y}, markText(bar.Mark))
	}
}

// markText names a bar's answers.
func markText(mark string) string {
	var parts []string
	for _, m := range strings.Split(mark, "+") {
		switch m {
		case MarkLeading:
			parts = append(parts, "leading open")
		case MarkBest:
			parts = append(parts, "best not Chinese")
		}
	}
	return strings.Join(parts, " = ")
}
