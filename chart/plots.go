package chart

import (
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is a chart's legend before it is placed.
type legend struct {
	entries []legendEntry
}

type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

func (l *legend) add(name string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{name, thumbs})
}

// plotLegend is l as gonum's legend in the chart's type.
func (l legend) plotLegend(st style) plot.Legend {
	pl := plot.NewLegend()
	pl.TextStyle = st.text(0.8, false, ink)
	pl.TextStyle.YAlign = draw.YBottom
	pl.ThumbnailWidth = st.fs * 1.8
	pl.Padding = st.fs * 0.25
	pl.Top, pl.Left = true, true
	for _, e := range l.entries {
		pl.Add(e.name, e.thumbs...)
	}
	return pl
}

// placeLegend draws the legend to the right of body when there is room
// (wide canvases), else below it, and returns what is left for the plot.
func placeLegend(body draw.Canvas, l legend, st style, W vg.Length) draw.Canvas {
	pl := l.plotLegend(st)
	rect := pl.Rectangle(body)
	// gonum measures the text without its trailing side bearing: a little
	// slack keeps the last letter off the edge.
	lw, lh := rect.Size().X+st.fs*0.5, rect.Size().Y
	if W >= 700 && lw < body.Size().X*0.34 {
		strip := body
		strip.Min.X = body.Max.X - lw
		strip.Max.X = body.Max.X
		strip.Max.Y -= st.fs * 0.5
		pl.Draw(strip)
		body.Max.X -= lw + st.pad
		return body
	}
	strip := body
	strip.Max.Y = body.Min.Y + lh
	pl.Draw(strip)
	body.Min.Y += lh + st.pad
	return body
}

// newPlot is a plot in the chart's type: labels, ticks, grid.
func newPlot(c Chart, st style) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.Transparent
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = st.text(0.85, false, ink)
		ax.Label.TextStyle.XAlign, ax.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
		ax.Tick.Label = st.text(0.75, false, ink)
		ax.LineStyle.Width = st.line / 2
		ax.Tick.LineStyle.Width = st.line / 2
		ax.Tick.Length = st.fs * 0.3
		ax.Padding = st.fs * 0.2
	}
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Label.Text, p.Y.Label.Text = c.XLabel, c.YLabel
	return p
}

// buildPlot draws the chart's data into a plot and returns its legend.
func buildPlot(c Chart, st style) (*plot.Plot, legend, error) {
	if c.Kind == KindBoard {
		return barPlot(c, st)
	}
	return timePlot(c, st)
}

// unix is a time as the x value of a time chart.
func unix(t time.Time) float64 { return float64(t.Unix()) }

// dashes and glyphs tell lines apart without colour.
var (
	dashes = [][]vg.Length{nil, {6, 3}, {2, 2}, {8, 3, 2, 3}, {4, 4}, {1, 3}, {10, 2}}
	glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.PyramidGlyph{}, draw.BoxGlyph{}, draw.RingGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.SquareGlyph{}}
)

// timePlot draws lines (position, gap) or stacked areas (share, usage)
// over time.
func timePlot(c Chart, st style) (*plot.Plot, legend, error) {
	p := newPlot(c, st)
	p.Add(plotter.NewGrid())
	var leg legend
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, pt := range s.Points {
			lo, hi = math.Min(lo, unix(pt.T)), math.Max(hi, unix(pt.T))
		}
	}
	if math.IsInf(lo, 1) {
		noData(p, st)
		return p, leg, nil
	}
	single := lo == hi
	if single { // one date: show a day either side, so the point has room
		lo, hi = lo-86400, hi+86400
	}
	p.X.Min, p.X.Max = lo, hi
	// A date label is about seven body sizes wide; keep them apart.
	p.X.Tick.Marker = timeTicks{max: max(2, min(8, int(st.width/(st.fs*8))))}
	var err error
	if c.Stacked {
		err = stacked(p, c, st, &leg, single)
	} else {
		err = lines(p, c, st, &leg)
	}
	return p, leg, err
}

// noData marks an empty plot.
func noData(p *plot.Plot, st style) {
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.HideAxes()
	l, _ := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{"no data for this chart"}})
	l.TextStyle[0] = st.text(1, false, softInk)
	l.TextStyle[0].XAlign, l.TextStyle[0].YAlign = draw.XCenter, draw.YCenter
	p.Add(l)
}

// lines draws each series as a line with markers, with its interval as a
// translucent band (or a bar where a single point has one).
func lines(p *plot.Plot, c Chart, st style, leg *legend) error {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i, s := range c.Series {
		col := colour(s.Colour)
		if err := bands(p, s, col, st); err != nil {
			return err
		}
		xys := make(plotter.XYs, len(s.Points))
		for j, pt := range s.Points {
			xys[j] = plotter.XY{X: unix(pt.T), Y: pt.Y}
			ymin, ymax = math.Min(ymin, lowOf(pt)), math.Max(ymax, highOf(pt))
		}
		ln, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		ln.Color, ln.Width, ln.Dashes = col, st.line, scaled(dashes[i%len(dashes)], st.line)
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: st.fs * 0.28, Shape: glyphs[i%len(glyphs)]}
		p.Add(ln, sc)
		leg.add(s.Name, ln, sc)
	}
	if math.IsInf(ymin, 1) {
		ymin, ymax = 0, 1
	}
	if c.InvertY {
		positionAxis(p, ymin, ymax)
		return nil
	}
	pad := math.Max((ymax-ymin)*0.08, 1)
	p.Y.Min, p.Y.Max = ymin-pad, ymax+pad
	p.Y.Tick.Marker = numTicks{}
	return nil
}

func lowOf(p Point) float64 {
	if p.Lower != nil {
		return math.Min(*p.Lower, p.Y)
	}
	return p.Y
}

func highOf(p Point) float64 {
	if p.Upper != nil {
		return math.Max(*p.Upper, p.Y)
	}
	return p.Y
}

// scaled multiplies a dash pattern by the line width, so dashes stay
// visible on a thick line.
func scaled(d []vg.Length, w vg.Length) []vg.Length {
	out := make([]vg.Length, len(d))
	for i, x := range d {
		out[i] = x * w
	}
	return out
}

// positionAxis inverts the y axis (1 = best, at the top) with whole-number
// ticks.
func positionAxis(p *plot.Plot, ymin, ymax float64) {
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	p.Y.Min, p.Y.Max = math.Min(0.5, ymin-0.5), ymax+math.Max(1, (ymax-ymin)*0.08)
	p.Y.Tick.Marker = intTicks{}
}

// bands draws each run of consecutive points that carry an interval as a
// translucent band; a run of one point as an interval bar.
func bands(p *plot.Plot, s Series, col color.NRGBA, st style) error {
	fill := col
	fill.A = 0x40
	var run []Point
	flush := func() error {
		defer func() { run = run[:0] }()
		switch len(run) {
		case 0:
			return nil
		case 1:
			bar, err := plotter.NewLine(plotter.XYs{{X: unix(run[0].T), Y: *run[0].Lower}, {X: unix(run[0].T), Y: *run[0].Upper}})
			if err != nil {
				return err
			}
			bar.Color, bar.Width = fill, st.line*2.5
			p.Add(bar)
			return nil
		}
		ring := make(plotter.XYs, 0, 2*len(run))
		for _, pt := range run {
			ring = append(ring, plotter.XY{X: unix(pt.T), Y: *pt.Upper})
		}
		for j := len(run) - 1; j >= 0; j-- {
			ring = append(ring, plotter.XY{X: unix(run[j].T), Y: *run[j].Lower})
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return err
		}
		poly.Color, poly.LineStyle.Width = fill, 0
		p.Add(poly)
		return nil
	}
	for _, pt := range s.Points {
		if pt.Lower == nil || pt.Upper == nil {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		run = append(run, pt)
	}
	return flush()
}

// stacked draws the series as areas stacked in order, each from the sum
// of those before it. With a single date the areas are a day wide.
func stacked(p *plot.Plot, c Chart, st style, leg *legend, single bool) error {
	n := 0
	for _, s := range c.Series {
		n = max(n, len(s.Points))
	}
	base := make([]float64, n)
	xs := make([]float64, n)
	total := 0.0
	for _, s := range c.Series {
		for j, pt := range s.Points {
			xs[j] = unix(pt.T)
		}
	}
	for _, s := range c.Series {
		if len(s.Points) != n {
			continue // a hand-made chart with ragged series: skip what cannot stack
		}
		ring := plotter.XYs{}
		for j, pt := range s.Points {
			ring = append(ring, span(xs[j], base[j]+pt.Y, single, true)...)
		}
		for j := n - 1; j >= 0; j-- {
			ring = append(ring, span(xs[j], base[j], single, false)...)
		}
		for j, pt := range s.Points {
			base[j] += pt.Y
			total = math.Max(total, base[j])
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return err
		}
		poly.Color = colour(s.Colour)
		poly.LineStyle = draw.LineStyle{Color: white, Width: st.line / 2}
		p.Add(poly)
		leg.add(s.Name, poly)
	}
	p.Y.Min, p.Y.Max = 0, math.Max(100, total)
	p.Y.Tick.Marker = plot.ConstantTicks(percentTicks())
	return nil
}

// span is one vertex of an area, or with a single date the two corners of
// a day-wide block (left to right on the top edge, back on the bottom).
func span(x, y float64, single, forward bool) plotter.XYs {
	if !single {
		return plotter.XYs{{X: x, Y: y}}
	}
	if forward {
		return plotter.XYs{{X: x - 43200, Y: y}, {X: x + 43200, Y: y}}
	}
	return plotter.XYs{{X: x + 43200, Y: y}, {X: x - 43200, Y: y}}
}

func percentTicks() []plot.Tick {
	var ts []plot.Tick
	for v := 0; v <= 100; v += 25 {
		ts = append(ts, plot.Tick{Value: float64(v), Label: itoa(v) + "%"})
	}
	return ts
}
