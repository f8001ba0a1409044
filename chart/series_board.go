package chart

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/arenawatch/arenawatch/internal/words"
	"github.com/arenawatch/arenawatch/ranking"
)

// Marks of a board chart's bars.
const (
	MarkLeading = "leading_open"
	MarkBest    = "best_open_non_chinese"
)

// otherCountries are the colours for countries other than CN and US, most
// frequent first; countries beyond them share black ("other").
var otherCountries = []int{colSky, colGreen, colPurple, colOrange}

// BoardSeries is the board chart of one snapshot: its open models (from
// ranking.Entries, in that order), at most top of them (all when top ≤ 0),
// with rep's answers marked; the leading open model and the best
// non-Chinese open model are kept even when they are below the top.
// Bars are coloured by the developer's country.
func BoardSeries(entries []ranking.Entry, rep ranking.BoardReport, top int, m Meta) Chart {
	score := cmp.Or(m.ScoreName, "score")
	c := Chart{Kind: KindBoard, Title: fmt.Sprintf("Open-weight models on %s", label(rep.Board, maxLabel)),
		XLabel: label(score, maxLabel), YLabel: "model (best first)"}
	open := 0
	for _, e := range entries {
		if e.Class.Open != ranking.Open {
			continue
		}
		open++
		mark := markOf(e, rep)
		if top > 0 && len(c.Bars) >= top && mark == "" {
			continue
		}
		c.Bars = append(c.Bars, Bar{Label: label(e.Row.DisplayName(), maxLabel), Country: e.Class.Country,
			Score: e.Row.Score, Lower: e.Row.ScoreLower, Upper: e.Row.ScoreUpper,
			Rank: e.Rank, OpenPosition: e.OpenPosition, Mark: mark})
	}
	if n := len(c.Bars); n < open {
		c.Notes = append(c.Notes, fmt.Sprintf("%d of %d open models shown", n, open))
	}
	c.Keys = colourBars(c.Bars)
	c.Subtitle = answerLine(rep)
	finish(&c, m, rowTime(rep.AsOf, rep.FetchedAt))
	if rep.FetchedAt.IsZero() && m.AsOf.IsZero() {
		finish(&c, m, rep.FetchedAt) // an empty report: "no data"
	}
	return c
}

// markOf says which answers e is.
func markOf(e ranking.Entry, rep ranking.BoardReport) string {
	lead := rep.LeadingOpen != nil && rep.LeadingOpen.Model == e.Row.Model
	best := rep.BestOpenNonCN != nil && rep.BestOpenNonCN.Model == e.Row.Model
	switch {
	case lead && best:
		return MarkLeading + "+" + MarkBest
	case lead:
		return MarkLeading
	case best:
		return MarkBest
	}
	return ""
}

// answerLine states the two answers in words.
func answerLine(rep ranking.BoardReport) string {
	s := "no open model"
	if rep.LeadingOpen != nil {
		s = "leading open: " + label(rep.LeadingOpen.Name, maxLabel)
	}
	if b := rep.BestOpenNonCN; b != nil {
		s += fmt.Sprintf("; best not from a Chinese lab: %s, %s among open models, %d Chinese open above",
			label(b.Name, maxLabel), words.Ordinal(b.OpenPosition), rep.ChineseOpenAbove)
	} else {
		s += "; no open model of known non-Chinese origin"
	}
	return s
}

// colourBars gives each bar its country's colour and returns the legend:
// CN vermillion, US blue, the most frequent other countries the next
// colours, the rest black ("other countries"), unknown grey.
func colourBars(bars []Bar) []Key {
	count := map[string]int{}
	for _, b := range bars {
		count[b.Country]++
	}
	var others []string
	for c := range count {
		if c != "CN" && c != "US" && c != "" {
			others = append(others, c)
		}
	}
	slices.SortFunc(others, func(a, b string) int { return cmp.Or(count[b]-count[a], cmp.Compare(a, b)) })
	col := map[string]int{"CN": colVermillion, "US": colBlue, "": colGrey}
	var keys []Key
	for _, c := range []string{"CN", "US"} {
		if count[c] > 0 {
			keys = append(keys, Key{Name: countryName(c), Colour: col[c]})
		}
	}
	for i, c := range others {
		if i < len(otherCountries) {
			col[c] = otherCountries[i]
			keys = append(keys, Key{Name: countryName(c), Colour: col[c]})
			continue
		}
		col[c] = colBlack
	}
	if len(others) > len(otherCountries) {
		keys = append(keys, Key{Name: "other countries", Colour: colBlack})
	}
	if count[""] > 0 {
		keys = append(keys, Key{Name: "unknown origin", Colour: colGrey})
	}
	for i := range bars {
		bars[i].Colour = col[bars[i].Country]
	}
	return keys
}

// countryNames are the countries open models come from, by ISO code; an
// unlisted code is shown as it is.
var countryNames = map[string]string{
	"CN": "China", "US": "United States", "FR": "France", "DE": "Germany", "GB": "United Kingdom",
	"CA": "Canada", "KR": "South Korea", "JP": "Japan", "AE": "United Arab Emirates", "IL": "Israel",
	"IN": "India", "CH": "Switzerland", "SG": "Singapore", "TW": "Taiwan", "NL": "Netherlands",
}

func countryName(code string) string {
	if n, ok := countryNames[code]; ok {
		return n + " (" + code + ")"
	}
	return label(code, 8)
}

// UsageSeries is the usage chart of one usage board: each report's token
// shares (in %) of Chinese open, non-Chinese open, closed and
// unclassified models (the "other" row included), in time order.
func UsageSeries(board string, reps []ranking.AdoptionReport, m Meta) Chart {
	c := Chart{Kind: KindUsage, Stacked: true,
		Title:    fmt.Sprintf("Who gets the tokens: %s by origin and openness", label(board, maxLabel)),
		Subtitle: "share of each day's tokens; unclassified includes the \"other\" row (models outside the top list)",
		XLabel:   "date of the data (UTC)", YLabel: "share of tokens (%)"}
	s := []Series{
		{Name: "Chinese open", Colour: colVermillion, Points: []Point{}},
		{Name: "non-Chinese open", Colour: colBlue, Points: []Point{}},
		{Name: "closed", Colour: colOrange, Points: []Point{}},
		{Name: "unclassified", Colour: colGrey, Points: []Point{}},
	}
	empty := 0
	for _, x := range byTime(reps, func(r ranking.AdoptionReport) time.Time { return rowTime(r.AsOf, r.FetchedAt) }) {
		r := x.v
		if r.TotalTokens <= 0 {
			empty++
			continue
		}
		for i, sh := range []ranking.AdoptionShare{r.ChineseOpen, r.NonChineseOpen, r.Closed, r.Unclassified} {
			s[i].Points = append(s[i].Points, Point{T: x.t, Y: pct(sh.Share)})
		}
	}
	c.Series = s
	if empty > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d days without tokens are left out", empty))
	}
	finish(&c, m, latestOf(c.Series))
	return c
}
