package source

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/arenawatch/arenawatch"
)

// OpenLMParserVersion names the openlm.ai extractor.
const OpenLMParserVersion = "openlm-table/1"

// openlmTable is compiled once: goquery silently matches nothing for an
// invalid selector, cascadia.MustCompile fails at start-up instead.
var openlmTable = cascadia.MustCompile("table.sortable")

// openlmColumns maps openlm.ai's header texts (normalised by headerKey) to
// fields.
var openlmColumns = map[string]string{
	"rank":         "badge",
	"model":        "model",
	"arena elo":    "score",
	"arena score":  "score",
	"elo":          "score",
	"coding":       "coding",
	"vision":       "vision",
	"aaii":         "aaii",
	"mmlu-pro":     "mmlu_pro",
	"arc-agi":      "arc_agi",
	"organization": "organization",
	"organisation": "organization",
	"org":          "organization",
	"license":      "license",
	"licence":      "license",
}

var openlmMetrics = []string{"coding", "vision", "aaii", "mmlu_pro", "arc_agi"}

// verifiedMark is the check mark openlm.ai appends to some model names; its
// meaning is not documented, so it is kept as an extra, not in the name.
const verifiedMark = "✅"

// ExtractOpenLM reads openlm.ai's "Chatbot Arena+" page: one server-rendered
// table.sortable, ranked by medal icons rather than numbers. Rows without an
// Arena Elo cannot be ranked and are skipped (and counted in a note). A
// model name listed twice keeps all its rows: the later ones get the key
// "name [2]", "name [3]" so that each row stays its own entry.
//
// Columns are found by their header text (aliases in openlmColumns), in
// any order.
//   - Needed (a missing column fails the board naming it; an Arena Elo
//     that is not a number fails it naming the row): Model, Arena Elo,
//     Organization, License.
//   - Kept when readable, never needed: Rank (the medal, extra "badge"),
//     Coding, Vision, AAII, MMLU-Pro, ARC-AGI (metrics). A malformed metric
//     is left out and counted in a note; a missing column is absent.
//   - Ignored: the logo images, the ✅ mark's meaning (kept as extra
//     "mark"), and any new column.
func ExtractOpenLM(body []byte) (*Extract, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, driftf("parse HTML: %v", err)
	}
	table, cols, err := openlmFindTable(doc)
	if err != nil {
		return nil, err
	}
	rd := &openlmReader{cols: cols, ex: &Extract{}}
	var rowErr error
	bodyRows(table).EachWithBreak(func(i int, tr *goquery.Selection) bool {
		rowErr = rd.row(i, tr)
		return rowErr == nil
	})
	if rowErr != nil {
		return nil, driftf("%v", rowErr)
	}
	return rd.finish(), nil
}

// openlmFindTable finds the table.sortable and its columns, failing when
// a needed column (Model, Arena Elo, Organization, License) is missing.
func openlmFindTable(doc *goquery.Document) (*goquery.Selection, map[string]int, error) {
	table := doc.FindMatcher(openlmTable).First()
	if table.Length() == 0 {
		return nil, nil, driftf("no table.sortable in the page")
	}
	headers := tableHeaders(table)
	if len(headers) == 0 {
		return nil, nil, driftf("table.sortable has no header row")
	}
	cols := headerIndex(headers, openlmColumns)
	for _, need := range []struct{ field, header string }{
		{"model", "model"}, {"score", "Arena Elo"}, {"organization", "organization"}, {"license", "license"},
	} {
		if _, ok := cols[need.field]; !ok {
			return nil, nil, driftf("table.sortable has no %s column (headers: %s)", need.header, strings.Join(quoteAll(headers), ", "))
		}
	}
	return table, cols, nil
}

// openlmReader holds the state of reading the table's rows: the column
// positions, the rows read so far and the counts the notes report.
type openlmReader struct {
	cols    map[string]int
	ex      *Extract
	keys    repeatKeys
	skipped int // rows without an Arena Elo
	bad     int // malformed metric values dropped
}

// row reads body row i (0-based, for messages) into r.ex; a row without
// cells is skipped, and one without an Arena Elo is skipped and counted.
func (r *openlmReader) row(i int, tr *goquery.Selection) error {
	cells := tr.ChildrenFiltered("td")
	if cells.Length() == 0 {
		return nil
	}
	text := func(f string) (string, bool) { return cellText(cells, r.cols, f) }
	name, _ := text("model")
	mark := ""
	if strings.HasSuffix(name, verifiedMark) {
		name = cleanText(strings.TrimSuffix(name, verifiedMark))
		mark = verifiedMark
	}
	if name == "" {
		return fmt.Errorf("table row %d: empty model cell", i+1)
	}
	scoreText, _ := text("score")
	score, ok, err := ParseNumber(scoreText)
	if err != nil {
		return fmt.Errorf("table row %d (%s): Arena Elo: %v", i+1, name, err)
	}
	if !ok {
		r.skipped++
		return nil
	}
	row := arenawatch.Row{Score: score}
	r.keys.key(&row, name)
	org, _ := text("organization")
	lic, _ := text("license")
	row.Organization = arenawatch.Str(org)
	row.License = arenawatch.Str(lic)
	r.metrics(&row, text)
	if extra := r.extras(cells, text, mark); len(extra) > 0 {
		row.Extra = extra
	}
	r.ex.Rows = append(r.ex.Rows, row)
	return nil
}

// metrics reads the optional metric columns (openlmMetrics) into row.
func (r *openlmReader) metrics(row *arenawatch.Row, text func(string) (string, bool)) {
	for _, m := range openlmMetrics {
		t, present := text(m)
		if !present {
			continue
		}
		// Not needed for the answer: a malformed value is dropped.
		v, ok, err := ParseNumber(t)
		if err != nil {
			r.bad++
		} else if ok {
			if row.Metrics == nil {
				row.Metrics = map[string]float64{}
			}
			row.Metrics[m] = v
		}
	}
}

// extras returns a row's medal badge and check mark, if any.
func (r *openlmReader) extras(cells *goquery.Selection, text func(string) (string, bool), mark string) map[string]string {
	extra := map[string]string{}
	badge, ok := text("badge")
	if !ok && r.cols["model"] > 0 {
		// The icon column may come without a header text.
		badge = cleanText(cells.First().Text())
	}
	if badge != "" {
		extra["badge"] = badge
	}
	if mark != "" {
		extra["mark"] = mark
	}
	return extra
}

// finish adds the notes on skipped, renamed and malformed rows to the
// extract read so far and returns it.
func (r *openlmReader) finish() *Extract {
	ex := r.ex
	if r.skipped > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d rows without an Arena Elo skipped", r.skipped))
	}
	if r.keys.renamed > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d rows repeat an earlier model name; keyed \"name [n]\"", r.keys.renamed))
	}
	if r.bad > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(r.bad))
	}
	return ex
}

// openLMSite declares the openlm.ai extractor and board (see site).
var openLMSite = site{
	extractors: map[string]Extractor{"openlm": {Version: OpenLMParserVersion, Requests: []string{"page"}, Run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractOpenLM(docs["page"])
	}}},
	boards: func() arenawatch.Boards {
		return arenawatch.Boards{{
			ID:        "openlm-arena",
			Title:     "openlm.ai Chatbot Arena+",
			Site:      "openlm.ai",
			Extractor: "openlm",
			Requests:  []arenawatch.Request{{Name: "page", URL: "https://openlm.ai/chatbot-arena/"}},
			Rank:      arenawatch.RankByScore,
			Limits:    arenawatch.Limits{MinRows: 20, RequireOrganization: true, RequireLicense: true},
			ScoreName: "Arena Elo",
		}}
	},
}
