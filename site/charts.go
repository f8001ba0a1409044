package site

import (
	"bytes"
	"fmt"

	"github.com/arenawatch/arenawatch"
)

// chartSlot is one chart on a board page: an <img> of an SVG file beside
// the page, with its alternative text, or a note when there was nothing
// to draw.
type chartSlot struct {
	Kind, Src, Alt, Caption, Note string
	Width, Height                 int
}

// chartCaptions title the chart kinds on the page.
var chartCaptions = map[string]string{
	"position": "Where the best open non-Chinese model places among open models",
	"gap":      "Score of the leading open model and of the best non-Chinese open model",
	"share":    "Origins of the open top 10",
	"board":    "Today's open models by score, coloured by country",
	"usage":    "Token shares by origin and openness",
}

// drawCharts draws b's charts with opt.Chart and returns their slots and
// files (boards/<board>-<kind>.svg).
func drawCharts(s *Site, b *Board, opt Options) ([]chartSlot, []File, error) {
	if opt.Chart == nil {
		return nil, nil, nil
	}
	w, h := opt.ChartWidth, opt.ChartHeight
	if w <= 0 || h <= 0 {
		w, h = 1200, 700
	}
	kinds := RankedCharts
	if b.Usage {
		kinds = UsageCharts
	}
	var slots []chartSlot
	var files []File
	for _, kind := range kinds {
		slot := chartSlot{Kind: kind, Caption: chartCaptions[kind], Width: w, Height: h}
		var buf bytes.Buffer
		alt, err := opt.Chart(&buf, kind, b, s, w, h)
		switch {
		case arenawatch.IsKind(err, arenawatch.KindNotFound):
			slot.Note = "Nothing to draw: " + err.Error()
		case err != nil:
			return nil, nil, fmt.Errorf("%s chart of %s: %w", kind, b.ID, err)
		default:
			name := b.ID + "-" + kind + ".svg"
			slot.Src, slot.Alt = name, cmpOr(alt, altText(kind, b))
			files = append(files, File{"boards/" + name, buf.Bytes()})
		}
		slots = append(slots, slot)
	}
	return slots, files, nil
}

// altText says in words what a chart of b shows, from the data drawn.
func altText(kind string, b *Board) string {
	n := len(b.History)
	span := "in one snapshot"
	if n > 1 {
		span = fmt.Sprintf("over %d snapshots from %s to %s", n, fmtDate(b.History[0].FetchedAt), fmtDate(b.History[n-1].FetchedAt))
	}
	switch kind {
	case "position":
		if sp := sparkOf(b); sp != nil {
			return fmt.Sprintf("Line chart of %s %s: %s", b.ID, span, sp.Alt)
		}
		return fmt.Sprintf("Line chart of %s %s: no open non-Chinese model is ranked.", b.ID, span)
	case "gap":
		return fmt.Sprintf("Line chart of %s %s: the scores of the leading open model and of the best open non-Chinese model. %s", b.ID, span, answerText(b))
	case "share":
		if n == 0 {
			return "Stacked area chart: no data."
		}
		t := b.History[n-1].TopOpen
		return fmt.Sprintf("Stacked area chart of %s %s: among the open top %d now, %d Chinese, %d non-Chinese, %d of unknown origin.", b.ID, span, t.Models, t.Chinese, t.NonChinese, t.Unknown)
	case "board":
		return fmt.Sprintf("Horizontal bar chart of the %d open models of %s by score, coloured by country. %s", len(b.Open), b.ID, answerText(b))
	case "usage":
		if a := b.Adoption; a != nil {
			return fmt.Sprintf("Stacked area chart of token shares on %s: on %s, Chinese open models %.1f%%, non-Chinese open %.1f%%, closed %.1f%%, unclassified %.1f%%.",
				b.ID, fmtDate(a.AsOf), 100*a.ChineseOpen.Share, 100*a.NonChineseOpen.Share, 100*a.Closed.Share, 100*a.Unclassified.Share)
		}
	}
	return "Chart of " + b.ID + "."
}

// answerText is the board's answer in one sentence.
func answerText(b *Board) string {
	r := b.Report
	if r == nil {
		return ""
	}
	return fmt.Sprintf("Leading open model: %s. Best open non-Chinese model: %s, %d Chinese open models above it.", refName(r.LeadingOpen), refName(r.BestOpenNonCN), r.ChineseOpenAbove)
}
