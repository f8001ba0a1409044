package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
)

// samples is one chart of each kind, made by the series functions from
// small hand-made answers, and the hostile names.
func samples() map[string]Chart {
	lo, hi := 1390.0, 1410.0
	rows := []history.Row{row("2026-01-01", "", 3), row("2026-02-01", "", 5), row("2026-03-01", "", 4)}
	ci := func(_ time.Time, model string) (float64, float64, bool) { return lo, hi, model == "lead" }
	es := []ranking.Entry{entry("cn-1", "CN", true, 1, 1, 1450), entry("us-1", "US", true, 2, 2, 1410)}
	es[0].Row.ScoreLower, es[0].Row.ScoreUpper = &lo, &hi
	rep := ranking.BoardReport{SnapshotHeader: ranking.SnapshotHeader{Board: "b", FetchedAt: day("2026-01-01")},
		LeadingOpen: ref("cn-1", 1450, 1), BestOpenNonCN: ref("us-1", 1410, 2), ChineseOpenAbove: 1}
	usage := []ranking.AdoptionReport{{SnapshotHeader: ranking.SnapshotHeader{FetchedAt: day("2026-01-01")}, TotalTokens: 10,
		ChineseOpen: ranking.AdoptionShare{Share: 0.5}, Closed: ranking.AdoptionShare{Share: 0.5}}}
	var hostileEntries []ranking.Entry
	hostileRows := map[string][]history.Row{}
	for i, n := range hostile {
		hostileEntries = append(hostileEntries, entry(n, n, true, i+1, i+1, float64(1400-i)))
		hostileRows[n] = rows
	}
	m := Meta{Source: "arena.ai", Catalog: "2026-11-30.2", ScoreName: "Arena score"}
	return map[string]Chart{
		"position":         PositionSeries(map[string][]history.Row{"arena-text": rows, "hf-text-raw": rows[:1]}, m),
		"share":            ShareSeries("arena-text", rows, m),
		"gap":              GapSeries("arena-text", rows, ci, m),
		"board":            BoardSeries(es, rep, 0, m),
		"usage":            UsageSeries("openrouter-daily-tokens", usage, m),
		"empty":            PositionSeries(nil, m),
		"hostile-board":    BoardSeries(hostileEntries, rep, 0, Meta{Source: hostile[1]}),
		"hostile-position": PositionSeries(hostileRows, Meta{Source: hostile[4]}),
	}
}

// TestRenderPNG decodes every chart at two sizes and checks its size and
// that its middle, where the data is drawn, is not blank.
func TestRenderPNG(t *testing.T) {
	for name, c := range samples() {
		for _, sz := range []struct{ w, h int }{{1200, 700}, {400, 600}} {
			t.Run(fmt.Sprintf("%s-%dx%d", name, sz.w, sz.h), func(t *testing.T) {
				var buf bytes.Buffer
				if err := Render(&buf, c, FormatPNG, sz.w, sz.h); err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(&buf)
				if err != nil {
					t.Fatal(err)
				}
				if b := img.Bounds(); b.Dx() != sz.w || b.Dy() != sz.h {
					t.Fatalf("size %v, want %dx%d", b, sz.w, sz.h)
				}
				colours, inked := paint(img, image.Rect(sz.w/5, sz.h/5, sz.w*4/5, sz.h*4/5))
				// Data draws coloured lines or areas; "no data" only text.
				wantColours, wantInk := 3, 0.01
				if name == "empty" {
					wantColours, wantInk = 1, 0.0005
				}
				if colours < wantColours || inked < wantInk {
					t.Errorf("plot area looks blank: %d distinct colours, %.3f of pixels not white", colours, inked)
				}
			})
		}
	}
}

// paint counts the distinct colours in r and the share of its pixels that
// are not white.
func paint(img image.Image, r image.Rectangle) (int, float64) {
	seen := map[[4]uint32]bool{}
	inked, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			seen[[4]uint32{cr >> 8, cg >> 8, cb >> 8, ca >> 8}] = true
			all++
			if cr>>8 < 0xf0 || cg>>8 < 0xf0 || cb>>8 < 0xf0 {
				inked++
			}
		}
	}
	return len(seen), float64(inked) / float64(all)
}

// TestRenderSVG checks that every chart is well-formed XML, sized in
// pixels, with its title as the document's title and as text.
func TestRenderSVG(t *testing.T) {
	for name, c := range samples() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, c, FormatSVG, 1200, 700); err != nil {
				t.Fatal(err)
			}
			var title, texts []string
			var in string
			dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
			for {
				tok, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed XML: %v", err)
				}
				switch tk := tok.(type) {
				case xml.StartElement:
					in = tk.Name.Local
					if in == "svg" && (attr(tk, "width") != "1200" || attr(tk, "height") != "700") {
						t.Errorf("svg size %q×%q, want 1200×700 pixels", attr(tk, "width"), attr(tk, "height"))
					}
				case xml.EndElement:
					in = ""
				case xml.CharData:
					switch in {
					case "title":
						title = append(title, string(tk))
					case "text":
						texts = append(texts, string(tk))
					}
				}
			}
			if strings.Join(title, "") != c.Title || !strings.Contains(strings.Join(texts, " "), strings.Fields(c.Title)[0]) {
				t.Errorf("title %q, texts %q; want %q", title, texts, c.Title)
			}
		})
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestRenderIsDeterministic(t *testing.T) {
	c := samples()["gap"]
	for _, f := range []Format{FormatSVG, FormatPNG} {
		var a, b bytes.Buffer
		if err := Render(&a, c, f, 800, 500); err != nil {
			t.Fatal(err)
		}
		if err := Render(&b, c, f, 800, 500); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two renderings of one chart differ", f)
		}
	}
}

func TestFormatAndKindErrors(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
	}{
		{"Extension", func() error { _, err := FormatOf("chart.jpg"); return err }},
		{"NoExtension", func() error { _, err := FormatOf("chart"); return err }},
		{"Kind", func() error { _, err := ParseKind("pie"); return err }},
		{"RenderFormat", func() error { return Render(io.Discard, Chart{}, "gif", 100, 100) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.err(); err == nil {
				t.Error("no error")
			}
		})
	}
	if f, err := FormatOf("a/B.PNG"); err != nil || f != FormatPNG {
		t.Errorf("B.PNG: %v %v", f, err)
	}
}

func BenchmarkRender(b *testing.B) {
	for _, name := range []string{"position", "board"} {
		c := samples()[name]
		for _, f := range []Format{FormatSVG, FormatPNG} {
			b.Run(name+"-"+string(f), func(b *testing.B) {
				for b.Loop() {
					if err := Render(io.Discard, c, f, 1200, 700); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
