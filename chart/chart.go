// Package chart draws arenawatch's answers as pictures: SVG for web pages
// and articles, PNG for slides and chats.
//
// Drawing is two steps. A series function (PositionSeries, ShareSeries,
// GapSeries, BoardSeries, UsageSeries) turns answers that were already
// computed (history rows, one snapshot's report and entries, usage
// reports) into a Chart: plain data, JSON-encodable, golden-tested, with
// every label sanitized. Render then draws a Chart with gonum.org/v1/plot.
// The package never opens the store: callers load the data (with
// answers.History, store.DB.Latest, ranking.Report) and pass it in.
//
// Colours are the Okabe–Ito palette (Okabe and Ito, "Color Universal
// Design", 2008), which stays distinguishable with the common forms of
// colour blindness; lines also differ by dash pattern and marker, so a
// chart reads in grey too.
package chart

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

// Kind names a chart.
type Kind string

// The charts arenawatch draws.
const (
	// KindPosition: the best non-Chinese open model's position among open
	// models over time, one line per board (1 = best, axis inverted).
	KindPosition Kind = "position"
	// KindShare: the origins (Chinese, non-Chinese, unknown) of the open
	// top N over time, as a stacked area of shares.
	KindShare Kind = "share"
	// KindGap: the scores of the leading open model and of the best
	// non-Chinese open model over time, with confidence bands where the
	// board publishes intervals.
	KindGap Kind = "gap"
	// KindBoard: one snapshot's open models as horizontal bars coloured by
	// country, with interval whiskers and the two answers highlighted.
	KindBoard Kind = "board"
	// KindUsage: a usage board's token shares by origin × openness over
	// time (Chinese open, non-Chinese open, closed, unclassified).
	KindUsage Kind = "usage"
)

// Kinds lists every kind, in the order the documentation presents them.
var Kinds = []Kind{KindPosition, KindShare, KindGap, KindBoard, KindUsage}

// ParseKind reads a kind's name; an unknown name is a KindInvalid error.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", &arenawatch.Error{Kind: arenawatch.KindInvalid, Err: fmt.Errorf("unknown chart %q", s),
		Hint: "one of: position, share, gap, board, usage"}
}

// Format is an output format.
type Format string

// The formats Render writes.
const (
	FormatSVG Format = "svg"
	FormatPNG Format = "png"
)

// FormatOf picks the format from a file name's extension (.svg or .png,
// any case); any other is a KindInvalid error.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg":
		return FormatSVG, nil
	case ".png":
		return FormatPNG, nil
	}
	return "", &arenawatch.Error{Kind: arenawatch.KindInvalid, Err: fmt.Errorf("cannot tell the format of %q", path),
		Hint: "name the output FILE.svg or FILE.png"}
}

// Default sizes, in pixels (SVG: CSS pixels): a slide or an article
// column. Sizes are clamped to [MinSize, MaxSize].
const (
	DefaultWidth  = 1200
	DefaultHeight = 700
	MinSize       = 200
	MaxSize       = 8000
)

// Meta is what a chart's caption and title say beyond the data: where
// the data comes from and how it was answered.
type Meta struct {
	// Source names the site(s), e.g. "arena.ai"; several boards join them.
	Source string `json:"source"`
	// Catalog is the catalog version the answers were classified with.
	Catalog string `json:"catalog"`
	// View is the origin view ("developer" or "lineage").
	View ranking.View `json:"view"`
	// ByFamily is true when each family counted once.
	ByFamily bool `json:"by_family"`
	// ScoreName names the board's score ("Arena score", "% resolved") on
	// the gap and board charts; "score" when empty.
	ScoreName string `json:"score_name,omitempty"`
	// AsOf overrides the as-of date the caption states; when zero, the
	// latest date in the data is used.
	AsOf time.Time `json:"as_of,omitzero"`
}

// Chart is the data behind one picture: titles, series and caption, all
// labels sanitized. It is JSON-encodable (golden tests, the site).
type Chart struct {
	Kind     Kind   `json:"kind"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	XLabel   string `json:"x_label"`
	YLabel   string `json:"y_label"`
	// Caption states the source, the as-of date and the catalog version.
	Caption string `json:"caption"`
	// AsOf is the latest date the data stands for.
	AsOf time.Time `json:"as_of,omitzero"`
	// InvertY draws the y axis with its smallest value at the top
	// (positions: 1 = best).
	InvertY bool `json:"invert_y,omitempty"`
	// Stacked draws Series as stacked areas (share, usage) rather than
	// lines.
	Stacked bool `json:"stacked,omitempty"`
	// Series are the lines or areas of a time chart (position, share, gap,
	// usage), in legend order.
	Series []Series `json:"series,omitempty"`
	// Bars are the bars of a board chart, best first.
	Bars []Bar `json:"bars,omitempty"`
	// Keys are the legend of a board chart: one per bar colour.
	Keys []Key `json:"keys,omitempty"`
	// Notes say what the chart leaves out (rows without a value, missing
	// intervals), for the caption and the site.
	Notes []string `json:"notes,omitempty"`
}

// Series is one named line or area over time.
type Series struct {
	Name string `json:"name"`
	// Colour is an index into Palette, fixed per meaning (Chinese is always
	// the same colour), so charts side by side agree.
	Colour int     `json:"colour"`
	Points []Point `json:"points"`
}

// Point is one value at one time. Lower and Upper bound it when the data
// has an interval (gap chart).
type Point struct {
	T     time.Time `json:"t"`
	Y     float64   `json:"y"`
	Lower *float64  `json:"lower,omitempty"`
	Upper *float64  `json:"upper,omitempty"`
}

// Key is one legend entry of a board chart.
type Key struct {
	Name   string `json:"name"`
	Colour int    `json:"colour"`
}

// Bar is one model of a board chart.
type Bar struct {
	Label   string   `json:"label"`
	Country string   `json:"country"`
	Colour  int      `json:"colour"`
	Score   float64  `json:"score"`
	Lower   *float64 `json:"lower,omitempty"`
	Upper   *float64 `json:"upper,omitempty"`
	Rank    int      `json:"rank"`
	// OpenPosition is the model's place among open models.
	OpenPosition int `json:"open_position"`
	// Mark is "leading_open", "best_open_non_chinese", both joined by "+",
	// or empty.
	Mark string `json:"mark,omitempty"`
}
