package chart

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"io"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/arenawatch/arenawatch"
)

// Render draws c as format at width × height pixels (each clamped to
// [MinSize, MaxSize]; 0 means the default) to w. SVG is sized in CSS
// pixels, with a <title> and <desc> for screen readers; PNG is at 72 dpi,
// one pixel per unit. A chart without data draws its titles and a "no
// data" note rather than failing. The same chart gives the same bytes.
func Render(w io.Writer, c Chart, format Format, width, height int) error {
	width, height = size(width, DefaultWidth), size(height, DefaultHeight)
	W, H := vg.Length(width), vg.Length(height)
	var cw vg.CanvasWriterTo
	switch format {
	case FormatSVG:
		cw = vgsvg.New(W, H)
	case FormatPNG:
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(W, H), vgimg.UseDPI(72))}
	default:
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, Err: fmt.Errorf("unknown chart format %q", format), Hint: "svg or png"}
	}
	if err := drawChart(draw.New(cw), c); err != nil {
		return err
	}
	if format == FormatPNG {
		_, err := cw.WriteTo(w)
		return err
	}
	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return err
	}
	_, err := w.Write(fixSVG(buf.Bytes(), c, width, height))
	return err
}

// size clamps a requested size; 0 or less is def.
func size(n, def int) int {
	if n <= 0 {
		return def
	}
	return max(MinSize, min(n, MaxSize))
}

// fixSVG makes the canvas's SVG fit for a web page: its size in CSS
// pixels (the canvas writes points, which a browser draws a third larger),
// and a title and description that screen readers announce.
func fixSVG(b []byte, c Chart, width, height int) []byte {
	old := fmt.Sprintf(`width="%dpt" height="%dpt"`, width, height)
	b = bytes.Replace(b, []byte(old), fmt.Appendf(nil, `width="%d" height="%d" role="img"`, width, height), 1)
	const open = `xmlns:xlink="http://www.w3.org/1999/xlink">`
	i := bytes.Index(b, []byte(open))
	if i < 0 {
		return b
	}
	i += len(open)
	meta := fmt.Sprintf("\n<title>%s</title>\n<desc>%s</desc>", html.EscapeString(c.Title), html.EscapeString(c.AltText()))
	return append(b[:i:i], append([]byte(meta), b[i:]...)...)
}

// AltText describes the chart in one paragraph, for an image's alt text
// and the SVG's description: title, what it shows, the caption.
func (c Chart) AltText() string {
	parts := []string{c.Title}
	if c.Subtitle != "" {
		parts = append(parts, c.Subtitle)
	}
	switch {
	case len(c.Bars) > 0:
		parts = append(parts, fmt.Sprintf("%d models as horizontal bars, best first: %s", len(c.Bars), barNames(c.Bars, 5)))
	case len(c.Series) > 0:
		var names []string
		for _, s := range c.Series {
			names = append(names, fmt.Sprintf("%s (%d points%s)", s.Name, len(s.Points), lastValue(s)))
		}
		parts = append(parts, "Series: "+strings.Join(names, ", "))
	default:
		parts = append(parts, "no data")
	}
	parts = append(parts, c.Caption)
	return strings.Join(parts, ". ")
}

func barNames(bs []Bar, n int) string {
	var names []string
	for _, b := range bs[:min(n, len(bs))] {
		names = append(names, b.Label)
	}
	if len(bs) > n {
		names = append(names, "…")
	}
	return strings.Join(names, ", ")
}

func lastValue(s Series) string {
	if len(s.Points) == 0 {
		return ""
	}
	p := s.Points[len(s.Points)-1]
	return fmt.Sprintf(", latest %s on %s", trimFloat(p.Y), p.T.Format("2006-01-02"))
}

// style is the chart's type: sizes derived from the canvas, so that text
// stays readable on a phone (a small canvas) and on a slide.
type style struct {
	width vg.Length // the canvas's
	fs    vg.Length // body text size
	line  vg.Length // line width
	pad   vg.Length
}

func styleFor(W, H vg.Length) style {
	fs := min(W, H*1.7) / 55
	fs = max(13, min(fs, 40))
	return style{width: W, fs: fs, line: max(1.5, fs/7), pad: fs * 0.8}
}

// textStyle is Liberation Sans (built into gonum/plot) at size × st.fs.
func (st style) text(scale float64, bold bool, c color.Color) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: st.fs * vg.Length(scale)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: c, Font: f, Handler: plot.DefaultTextHandler, XAlign: draw.XLeft, YAlign: draw.YTop}
}

var (
	white    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	ink      = color.NRGBA{0x1a, 0x1a, 0x1a, 0xff} // text: 17:1 on white
	softInk  = color.NRGBA{0x44, 0x44, 0x44, 0xff} // subtitle, caption: 9.7:1
	gridLine = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
)

// drawChart lays the chart out: title and subtitle on top, caption at
// the bottom, the legend on the right (below the plot on a narrow
// canvas), and the plot in what is left.
func drawChart(dc draw.Canvas, c Chart) error {
	r := dc.Rectangle
	W, H := r.Size().X, r.Size().Y
	st := styleFor(W, H)
	dc.SetColor(white)
	dc.Fill(r.Path())
	area := draw.Crop(dc, st.pad, -st.pad, st.pad, -st.pad)
	top := area.Max.Y
	top = drawLines(area, st.text(1.3, true, ink), wrap(st.text(1.3, true, ink), c.Title, area.Size().X), top)
	if c.Subtitle != "" {
		top = drawLines(area, st.text(0.85, false, softInk), wrap(st.text(0.85, false, softInk), c.Subtitle, area.Size().X), top-st.fs*0.2)
	}
	capStyle := st.text(0.72, false, softInk)
	capLines := wrap(capStyle, c.Caption, area.Size().X)
	if len(c.Notes) > 0 {
		capLines = append(capLines, wrap(capStyle, "Note: "+strings.Join(c.Notes, "; "), area.Size().X)...)
	}
	capH := vg.Length(len(capLines)) * capStyle.Height("Ag") * 1.15
	drawLines(area, capStyle, capLines, area.Min.Y+capH)

	body := area
	body.Min.Y += capH + st.fs*0.6
	body.Max.Y = top - st.fs*0.6
	p, leg, err := buildPlot(c, st)
	if err != nil {
		return err
	}
	if len(leg.entries) > 0 {
		body = placeLegend(body, leg, st, W)
	}
	if body.Size().X < st.fs*4 || body.Size().Y < st.fs*4 {
		return nil // a canvas too small for a plot keeps its titles
	}
	p.Draw(body)
	return nil
}

// drawLines draws lines of text from y down and returns the y below them.
func drawLines(c draw.Canvas, sty text.Style, lines []string, y vg.Length) vg.Length {
	h := sty.Height("Ag") * 1.15
	for _, l := range lines {
		c.FillText(sty, vg.Point{X: c.Min.X, Y: y}, l)
		y -= h
	}
	return y
}

// wrap breaks s into lines no wider than w, at spaces; a word longer than
// a line is cut by runes.
func wrap(sty text.Style, s string, w vg.Length) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		try := strings.TrimPrefix(cur+" "+word, " ")
		if sty.Width(try) <= w {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = word
		for sty.Width(cur) > w && len([]rune(cur)) > 1 {
			rs := []rune(cur)
			n := len(rs) - 1
			for n > 1 && sty.Width(string(rs[:n])) > w {
				n--
			}
			lines = append(lines, string(rs[:n]))
			cur = string(rs[n:])
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
