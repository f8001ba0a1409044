package site

import (
	"io"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/chart"
	"github.com/arenawatch/arenawatch/history"
)

// boardBars is the number of open models a board chart shows (the two
// answers are kept even below it).
const boardBars = 30

// Draw is the ChartFunc of package chart: the series step from the
// board's loaded answers, then Render as SVG. The alternative text is the
// chart's own description (the SVG carries it too).
func Draw(w io.Writer, kind string, b *Board, s *Site, width, height int) (string, error) {
	m := chart.Meta{Source: b.Site, Catalog: s.CatalogVersion, View: s.View, ByFamily: s.ByFamily, ScoreName: b.ScoreName}
	var c chart.Chart
	switch chart.Kind(kind) {
	case chart.KindPosition:
		c = chart.PositionSeries(map[string][]history.Row{b.ID: b.History}, m)
	case chart.KindShare:
		c = chart.ShareSeries(b.ID, b.History, m)
	case chart.KindGap:
		c = chart.GapSeries(b.ID, b.History, b.Interval, m)
	case chart.KindBoard:
		if b.Report == nil {
			return "", arenawatch.Errorf(arenawatch.KindNotFound, "%s ranks no models", b.ID)
		}
		c = chart.BoardSeries(b.Open, *b.Report, boardBars, m)
	case chart.KindUsage:
		c = chart.UsageSeries(b.ID, b.Adoptions, m)
	default:
		_, err := chart.ParseKind(kind)
		return "", err
	}
	if err := chart.Render(w, c, chart.FormatSVG, width, height); err != nil {
		return "", err
	}
	return c.AltText(), nil
}
