package site

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/arenawatch/arenawatch/internal/words"
)

// The sparkline's size, in CSS pixels.
const (
	sparkW, sparkH = 160, 36
	sparkPad       = 4
)

// sparkline is the index's small chart of one board: the best non-Chinese
// open model's position among open models over the board's history, the
// better (lower) positions at the top.
type sparkline struct {
	Points string // the polyline's points, "x,y x,y"
	// LastX, LastY mark the latest point.
	LastX, LastY string
	Alt          string
	Top, Bottom  int // the best and worst positions drawn
	// Label says the range under the line.
	Label string
}

// sparkOf draws b's sparkline; nil for a usage board or a board that
// never had a non-Chinese open model.
func sparkOf(b *Board) *sparkline {
	if b.Report == nil {
		return nil
	}
	var pos []int // 0: no answer in that snapshot
	lo, hi := 0, 0
	for _, r := range b.History {
		p := 0
		if r.BestOpenNonCN != nil {
			p = r.BestOpenNonCN.OpenPosition
			if lo == 0 || p < lo {
				lo = p
			}
			hi = max(hi, p)
		}
		pos = append(pos, p)
	}
	if lo == 0 {
		return nil
	}
	sp := &sparkline{Top: lo, Bottom: hi}
	var pts []string
	for i, p := range pos {
		if p == 0 {
			continue
		}
		x := float64(sparkPad)
		if len(pos) > 1 {
			x += float64(i) * float64(sparkW-2*sparkPad) / float64(len(pos)-1)
		}
		y := float64(sparkH) / 2
		if hi > lo {
			y = sparkPad + float64(p-lo)*float64(sparkH-2*sparkPad)/float64(hi-lo)
		}
		sp.LastX, sp.LastY = coord(x), coord(y)
		pts = append(pts, sp.LastX+","+sp.LastY)
	}
	sp.Points = strings.Join(pts, " ")
	switch {
	case len(pos) == 1:
		sp.Label = "one snapshot so far"
	case lo == hi:
		sp.Label = fmt.Sprintf("best non-Chinese open position: %s in all %d snapshots", words.Ordinal(lo), len(pos))
	default:
		sp.Label = fmt.Sprintf("best non-Chinese open position over %d snapshots: %s to %s", len(pos), words.Ordinal(lo), words.Ordinal(hi))
	}
	last := pos[len(pos)-1]
	sp.Alt = fmt.Sprintf("Position of the best open non-Chinese model among open models over %d snapshots: now %s, best %s, worst %s (lower is better, drawn higher).",
		len(pos), posText(last), words.Ordinal(lo), words.Ordinal(hi))
	return sp
}

func posText(p int) string {
	if p == 0 {
		return "none"
	}
	return words.Ordinal(p)
}

// coord writes a coordinate with one decimal, the same on every platform.
func coord(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
