package source

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/arenawatch/arenawatch"
)

// AiderParserVersion names the Aider leaderboard extractor.
const AiderParserVersion = "aider-table/1"

var (
	aiderTables   = cascadia.MustCompile("table")
	aiderPostDate = cascadia.MustCompile("p.post-date")
	aiderItems    = cascadia.MustCompile("li")
	aiderLabel    = cascadia.MustCompile("strong")
	// aiderUpdated finds "last updated November 20, 2025." in the byline.
	aiderUpdated = regexp.MustCompile(`(?i)last updated\s+([A-Z][a-z]+ \d{1,2}, \d{4})`)
)

// aiderColumns maps the polyglot table's header texts (normalised by
// headerKey) to fields.
var aiderColumns = map[string]string{
	"model":               "model",
	"percent correct":     "score",
	"cost":                "cost",
	"command":             "command",
	"correct edit format": "well_formed",
	"edit format":         "edit_format",
}

// aiderDetailMetrics and aiderDetailExtras are the fields read from the
// hidden details row under each model row (label → name).
var (
	aiderDetailMetrics = map[string]string{
		"pass rate 1":      "pass_rate_1",
		"seconds per case": "seconds_per_case",
		"test cases":       "test_cases",
	}
	aiderDetailExtras = map[string]string{
		"date":             "date",
		"dirname":          "dirname",
		"reasoning effort": "reasoning_effort",
		"thinking tokens":  "thinking_tokens",
		"editor model":     "editor_model",
		"versions":         "versions",
	}
)

// aiderSite declares the aider extractor and its boards (see site).
var aiderSite = site{
	extractors: map[string]Extractor{"aider": {
		Version:  AiderParserVersion,
		Requests: []string{"page"},
		Run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractAider(docs["page"])
		},
	}},
	boards: aiderBoards,
}

// aiderBoards returns the Aider polyglot board.
func aiderBoards() arenawatch.Boards {
	return arenawatch.Boards{{
		ID:        "aider-polyglot",
		Title:     "Aider polyglot coding leaderboard (225 Exercism exercises, 6 languages); one row per model configuration",
		Site:      "aider.chat",
		Extractor: "aider",
		Requests:  []arenawatch.Request{{Name: "page", URL: "https://aider.chat/docs/leaderboards/"}},
		Rank:      arenawatch.RankByScore,
		Limits:    arenawatch.Limits{MinRows: 30},
		ScoreName: "percent correct",
	}}
}

// ExtractAider reads aider.chat's polyglot leaderboard: a server-rendered
// table in which every model row is followed by a hidden tr.details-row
// listing the run's fields ("Dirname", "Pass rate 1", "Date", …). The page
// has no rank. A model listed more than once (one row per configuration,
// e.g. two providers of Qwen2.5-Coder-32B-Instruct) keeps all its rows: the
// later ones are keyed "name [2]", "name [3]". The as-of date is the
// byline's "last updated" date.
//
// Columns are found by their header text, in any order.
//   - Needed (missing, or a cell that is not a percentage, fails the board
//     naming the column): Model, Percent correct.
//   - Kept when readable, never needed: Cost, Correct edit format (metrics),
//     Command, Edit Format (extras), and the details row's Pass rate 1,
//     Seconds per case, Test cases, Date, Dirname, Reasoning effort,
//     Thinking tokens, Editor model, Versions. A malformed value is left
//     out and counted in a note; a missing column or details row is simply
//     absent.
//   - Ignored: the untitled toggle/checkbox column, every other details
//     field, the bar widths and data-cost attributes, and any new column.
func ExtractAider(page []byte) (*Extract, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, driftf("parse HTML: %v", err)
	}
	table, cols, err := aiderTable(doc)
	if err != nil {
		return nil, err
	}
	rd := &aiderReader{cols: cols, ex: &Extract{}}
	if err := rd.rows(table); err != nil {
		return nil, err
	}
	ex := rd.ex
	if m := aiderUpdated.FindStringSubmatch(cleanText(doc.FindMatcher(aiderPostDate).Text())); m != nil {
		t, err := time.Parse("January 2, 2006", m[1])
		if err != nil {
			return nil, driftf("last updated date %q: %v", m[1], err)
		}
		ex.AsOf = t.UTC()
	}
	return ex, nil
}

// aiderTable finds the leaderboard: the first table whose headers include
// Model and Percent correct (the page may hold other tables). The error
// quotes the first table's headers to show what the page has instead.
func aiderTable(doc *goquery.Document) (*goquery.Selection, map[string]int, error) {
	tables := doc.FindMatcher(aiderTables)
	if tables.Length() == 0 {
		return nil, nil, driftf("no <table> in the page")
	}
	var table *goquery.Selection
	var cols map[string]int
	var seenHeaders []string
	tables.EachWithBreak(func(_ int, t *goquery.Selection) bool {
		h := tableHeaders(t)
		c := headerIndex(h, aiderColumns)
		_, hasModel := c["model"]
		_, hasScore := c["score"]
		if hasModel && hasScore {
			table, cols = t, c
			return false
		}
		if seenHeaders == nil {
			seenHeaders = h
		}
		return true
	})
	if table == nil {
		return nil, nil, driftf("no table with Model and Percent correct columns (headers: %s)", strings.Join(quoteAll(seenHeaders), ", "))
	}
	return table, cols, nil
}

// aiderReader holds the state of reading the leaderboard table's rows:
// the column positions, the rows read so far and the counts the notes
// report.
type aiderReader struct {
	cols    map[string]int
	ex      *Extract
	keys    repeatKeys
	details int // model rows followed by a details row
	bad     int // malformed optional values dropped
	i       int // model rows seen, for messages
}

// rows reads every model row of the table into r.ex, then checks that
// there was one and adds the notes.
func (r *aiderReader) rows(table *goquery.Selection) error {
	var rowErr error
	bodyRows(table).EachWithBreak(func(_ int, tr *goquery.Selection) bool {
		rowErr = r.row(tr)
		return rowErr == nil
	})
	if rowErr != nil {
		return driftf("%v", rowErr)
	}
	ex := r.ex
	if len(ex.Rows) == 0 {
		return driftf("the leaderboard table has no model rows")
	}
	if r.details < len(ex.Rows) {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d of %d rows have no details row (no date, dirname or pass rate 1)", len(ex.Rows)-r.details, len(ex.Rows)))
	}
	if r.keys.renamed > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d rows repeat an earlier model name (another configuration); keyed \"name [n]\"", r.keys.renamed))
	}
	if r.bad > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(r.bad))
	}
	return nil
}

// row reads one body row: details rows and rows without cells are
// skipped (a details row is read with the model row above it).
func (r *aiderReader) row(tr *goquery.Selection) error {
	if tr.HasClass("details-row") {
		return nil
	}
	cells := tr.ChildrenFiltered("td")
	if cells.Length() == 0 {
		return nil
	}
	r.i++
	text := func(f string) (string, bool) { return cellText(cells, r.cols, f) }
	name, _ := text("model")
	if name == "" {
		return fmt.Errorf("model row %d: empty Model cell", r.i)
	}
	scoreText, _ := text("score")
	score, ok, err := ParseNumber(scoreText)
	if err != nil || !ok {
		return fmt.Errorf("model row %d (%s): Percent correct %q is not a number", r.i, name, scoreText)
	}
	if score < 0 || score > 100 {
		return fmt.Errorf("model row %d (%s): Percent correct %g is not a percentage", r.i, name, score)
	}
	row := arenawatch.Row{Score: score}
	r.keys.key(&row, name)
	metrics := map[string]float64{}
	extra := map[string]string{}
	r.optional(text, metrics, extra)
	if next := tr.Next(); next.HasClass("details-row") {
		r.details++
		r.detailsRow(next, metrics, extra)
	}
	if len(metrics) > 0 {
		row.Metrics = metrics
	}
	if len(extra) > 0 {
		row.Extra = extra
	}
	r.ex.Rows = append(r.ex.Rows, row)
	return nil
}

// optional reads the model row's optional cells (Cost, Correct edit
// format, Edit Format, Command) into metrics and extra.
func (r *aiderReader) optional(text func(string) (string, bool), metrics map[string]float64, extra map[string]string) {
	for _, m := range []struct{ field, name string }{{"cost", "cost"}, {"well_formed", "percent_cases_well_formed"}} {
		t, present := text(m.field)
		if !present {
			continue
		}
		// Not needed for the answer: a malformed value is dropped.
		v, ok, err := ParseNumber(t)
		if err != nil {
			r.bad++
		} else if ok {
			metrics[m.name] = v
		}
	}
	for _, f := range []string{"edit_format", "command"} {
		if t, _ := text(f); t != "" {
			extra[f] = t
		}
	}
}

// detailsRow reads the hidden details row under a model row into metrics
// and extra; a malformed number is dropped and counted.
func (r *aiderReader) detailsRow(tr *goquery.Selection, metrics map[string]float64, extra map[string]string) {
	for label, value := range aiderDetails(tr) {
		if m := aiderDetailMetrics[label]; m != "" {
			v, ok, err := ParseNumber(value)
			if err != nil {
				r.bad++
			} else if ok {
				metrics[m] = v
			}
		}
		if e := aiderDetailExtras[label]; e != "" && value != "" {
			extra[e] = value
		}
	}
}

// aiderDetails reads a details row's "<li><strong>Label :</strong> value"
// items, keyed by the lower-case label.
func aiderDetails(tr *goquery.Selection) map[string]string {
	out := map[string]string{}
	tr.FindMatcher(aiderItems).Each(func(_ int, li *goquery.Selection) {
		label := li.FindMatcher(aiderLabel).First()
		if label.Length() == 0 {
			return
		}
		key := strings.ToLower(cleanText(strings.TrimSuffix(cleanText(label.Text()), ":")))
		value := cleanText(strings.TrimPrefix(cleanText(li.Text()), cleanText(label.Text())))
		if key != "" {
			out[key] = value
		}
	})
	return out
}
