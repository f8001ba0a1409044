package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch"
)

// BFCLParserVersion names the Berkeley Function Calling Leaderboard
// extractor.
const BFCLParserVersion = "bfcl-csv/1"

// bfclSite declares the bfcl extractor and its boards (see site).
var bfclSite = site{
	extractors: map[string]Extractor{"bfcl": {
		Version:  BFCLParserVersion,
		Requests: []string{"page"},
		Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractBFCL(docs["page"], docs["overall"], b.Params["score"])
		},
	}},
	boards: bfclBoards,
}

// bfclBoards returns the overall BFCL board and the four category boards
// whose CSV has its own Rank and an "… Overall Acc" column. The category
// CSVs have no Organization or License columns: those are joined from
// data_overall.csv by model name (fetched once per run). Format
// sensitivity is left out: its main number is a spread where lower is
// better, its Rank puts the largest spread first, and most models have
// none (N/A).
func bfclBoards() arenawatch.Boards {
	spec := func(id, file, score, title string) arenawatch.Board {
		b := arenawatch.Board{
			ID:        id,
			Title:     title,
			Site:      "gorilla.cs.berkeley.edu",
			Extractor: "bfcl",
			Requests:  []arenawatch.Request{{Name: "page", URL: "https://gorilla.cs.berkeley.edu/" + file}},
			Params:    map[string]string{"score": score},
			Rank:      arenawatch.RankOwn,
			Limits:    arenawatch.Limits{MinRows: 50},
			ScoreName: strings.ToLower(score) + " (%)",
			// The overall board is the default; the category boards
			// (sub-scores of it) are optional.
			Optional: file != "data_overall.csv",
		}
		if file != "data_overall.csv" {
			b.Requests = append(b.Requests, arenawatch.Request{Name: "overall", URL: "data_overall.csv"})
		}
		return b
	}
	overall := spec("bfcl", "data_overall.csv", "Overall Acc",
		"Berkeley Function Calling Leaderboard (BFCL) overall; one row per model and mode (FC or Prompt)")
	overall.Limits.RequireOrganization, overall.Limits.RequireLicense = true, true
	return arenawatch.Boards{
		overall,
		spec("bfcl-live", "data_live.csv", "Live Overall Acc",
			"BFCL live (user-contributed function calls); one row per model and mode"),
		spec("bfcl-non-live", "data_non_live.csv", "Non-Live Overall Acc",
			"BFCL non-live (AST-checked single, multiple and parallel calls); one row per model and mode"),
		spec("bfcl-multi-turn", "data_multi_turn.csv", "Multi Turn Overall Acc",
			"BFCL multi-turn; one row per model and mode"),
		spec("bfcl-agentic", "data_agentic.csv", "Agentic Overall Acc",
			"BFCL agentic (web search and memory); one row per model and mode"),
	}
}

// bfclText are the columns read as text; every other column is a number.
var bfclText = map[string]string{
	"model link":   "link",
	"organization": "",
	"license":      "",
	"model":        "",
}

// ExtractBFCL reads one of the CSVs behind gorilla.cs.berkeley.edu's
// leaderboard: a Rank column (the site's own, by the file's main score),
// the main score column named by scoreColumn ("Overall Acc", "Live Overall
// Acc", …), Model, and further numbers ("77.47%" percentages, "$" costs,
// "N/A" when missing). Every column is found by its header, in any order.
// Organization and License come from the file itself, or, when it has
// none (the category files), from overall (data_overall.csv) by model
// name. Models appear once per mode, "(FC)" for native function calling
// and "(Prompt)", sometimes with more ("(FC thinking)", "(Prompt +
// Thinking)"); the mode is kept in extra "mode". The CSV states no date.
//
//   - Needed (a missing column fails the board naming it; a malformed
//     value fails it naming line and column): Rank, the score column,
//     Model; Organization and License from the file when overall is nil
//     (the overall board), else from the file or from data_overall.csv's
//     Model, Organization and License.
//   - Kept when readable, never needed: Model Link (extra "link") and every
//     other column as a metric named after its header ("Total Cost ($)" →
//     total_cost_usd). A malformed value is left out and counted in a
//     note; a removed or renamed column just drops or renames its metric.
//   - A score of "N/A" skips the model (noted), as the site shows no rank
//     for it either.
func ExtractBFCL(table, overall []byte, scoreColumn string) (*Extract, error) {
	if scoreColumn == "" {
		scoreColumn = "Overall Acc"
	}
	header, records, err := bfclCSV(table, "the CSV")
	if err != nil {
		return nil, err
	}
	rd, err := newBFCLReader(header, overall, scoreColumn)
	if err != nil {
		return nil, err
	}
	ex := &Extract{}
	for i, rec := range records {
		r, ok, err := rd.row(i+2, rec)
		if err != nil {
			return nil, err
		}
		if ok {
			ex.Rows = append(ex.Rows, r)
		}
	}
	ex.Notes = rd.notes()
	return ex, nil
}

// bfclReader holds what ExtractBFCL works out from the header once (the
// columns, the labels joined from data_overall.csv) and gathers across
// the rows (the models to note, the count of malformed values).
type bfclReader struct {
	scoreColumn, scoreKey string
	col                   map[string]int // normalised header → column
	columns               []bfclColumn   // what each column holds
	hasOrg, hasLicense    bool           // the file has its own labels
	joined                map[string]bfclOrgLicense

	noScore, notJoined []string
	bad                int // malformed metric values dropped
}

// bfclOrgLicense are the labels of a model in data_overall.csv.
type bfclOrgLicense struct{ org, license string }

// bfclColumn is what a column holds, worked out once: skipped (rank,
// score), a text field (name, or "" to ignore) or a metric.
type bfclColumn struct {
	skip, text bool
	name       string
}

// newBFCLReader is the columns step: it finds the needed columns by
// header, joins the labels from overall when the file lacks them, and
// works out what every column holds.
func newBFCLReader(header []string, overall []byte, scoreColumn string) (*bfclReader, error) {
	rd := &bfclReader{scoreColumn: scoreColumn, scoreKey: headerKey(scoreColumn), col: bfclColumns(header)}
	need := []string{"rank", rd.scoreKey, "model"}
	if overall == nil {
		// The overall file is the only source of the labels.
		need = append(need, "organization", "license")
	}
	for _, n := range need {
		if _, ok := rd.col[n]; !ok {
			return nil, driftf("the CSV has no %q column (headers: %s)", n, strings.Join(quoteAll(header), ", "))
		}
	}
	_, rd.hasOrg = rd.col["organization"]
	_, rd.hasLicense = rd.col["license"]
	if (!rd.hasOrg || !rd.hasLicense) && overall != nil {
		var err error
		if rd.joined, err = bfclOverallLabels(overall); err != nil {
			return nil, err
		}
	}
	rd.columns = bfclPlanColumns(header, rd.scoreKey)
	return rd, nil
}

// bfclOverallLabels reads data_overall.csv's Model, Organization and
// License, by cleaned model name.
func bfclOverallLabels(overall []byte) (map[string]bfclOrgLicense, error) {
	oh, orecs, err := bfclCSV(overall, "data_overall.csv")
	if err != nil {
		return nil, err
	}
	oc := bfclColumns(oh)
	for _, need := range []string{"model", "organization", "license"} {
		if _, ok := oc[need]; !ok {
			return nil, driftf("data_overall.csv has no %q column (headers: %s)", need, strings.Join(quoteAll(oh), ", "))
		}
	}
	joined := map[string]bfclOrgLicense{}
	for _, rec := range orecs {
		joined[cleanText(rec[oc["model"]])] = bfclOrgLicense{cleanText(rec[oc["organization"]]), cleanText(rec[oc["license"]])}
	}
	return joined, nil
}

// bfclPlanColumns works out what each column of header holds.
func bfclPlanColumns(header []string, scoreKey string) []bfclColumn {
	columns := make([]bfclColumn, len(header))
	for j, h := range header {
		k := headerKey(h)
		name, isText := bfclText[k]
		switch {
		case k == "rank" || k == scoreKey:
			columns[j].skip = true
		case isText:
			columns[j] = bfclColumn{text: true, name: name}
		default:
			columns[j].name = bfclMetricName(h)
		}
	}
	return columns
}

// row reads the record on CSV line line. ok is false for a model without
// a score (skipped, and noted).
func (rd *bfclReader) row(line int, rec []string) (r arenawatch.Row, ok bool, err error) {
	model := cleanText(rec[rd.col["model"]])
	if model == "" {
		return r, false, driftf("line %d has no model", line)
	}
	rank, ok, err := ParseInt(rec[rd.col["rank"]])
	if err != nil || !ok || rank < 1 {
		return r, false, driftf("line %d (%s): Rank %q is not a rank", line, model, rec[rd.col["rank"]])
	}
	score, ok, err := ParseNumber(rec[rd.col[rd.scoreKey]])
	if err != nil {
		return r, false, driftf("line %d (%s): %s: %v", line, model, rd.scoreColumn, err)
	}
	if !ok {
		rd.noScore = append(rd.noScore, model)
		return r, false, nil
	}
	r = arenawatch.Row{Model: model, Rank: int(rank), Score: score}
	extra := map[string]string{}
	if mode := bfclMode(model); mode != "" {
		extra["mode"] = mode
	}
	rd.labels(rec, &r)
	if metrics := rd.values(rec, extra); len(metrics) > 0 {
		r.Metrics = metrics
	}
	if len(extra) > 0 {
		r.Extra = extra
	}
	return r, true, nil
}

// bfclMode returns the mode a model name ends with ("FC", "Prompt",
// "FC thinking", …), or "".
func bfclMode(model string) string {
	if at := strings.LastIndexByte(model, '('); at > 0 && strings.HasSuffix(model, ")") {
		if mode := model[at+1 : len(model)-1]; strings.HasPrefix(mode, "FC") || strings.HasPrefix(mode, "Prompt") {
			return mode
		}
	}
	return ""
}

// labels sets the row's Organization and License: from the file's own
// columns, else from data_overall.csv.
func (rd *bfclReader) labels(rec []string, r *arenawatch.Row) {
	if rd.hasOrg {
		r.Organization = arenawatch.Str(cleanText(rec[rd.col["organization"]]))
	}
	if rd.hasLicense {
		r.License = arenawatch.Str(cleanText(rec[rd.col["license"]]))
	}
	if rd.joined != nil {
		if ol, ok := rd.joined[r.Model]; !ok {
			rd.notJoined = append(rd.notJoined, r.Model)
		} else {
			if !rd.hasOrg {
				r.Organization = arenawatch.Str(ol.org)
			}
			if !rd.hasLicense {
				r.License = arenawatch.Str(ol.license)
			}
		}
	}
}

// values reads the other columns: text fields into extra, numbers into
// the returned metrics.
func (rd *bfclReader) values(rec []string, extra map[string]string) map[string]float64 {
	metrics := map[string]float64{}
	for j, c := range rd.columns {
		switch {
		case c.skip:
		case c.text:
			if v := cleanText(rec[j]); c.name != "" && v != "" {
				extra[c.name] = v
			}
		default:
			// Not needed for the answer: a malformed value is dropped.
			v, ok, err := ParseNumber(rec[j])
			if err != nil {
				rd.bad++
			} else if ok {
				metrics[c.name] = v
			}
		}
	}
	return metrics
}

// notes says which models were skipped or not joined, and how many values
// were dropped; nil when there is nothing to say.
func (rd *bfclReader) notes() []string {
	var notes []string
	if len(rd.noScore) > 0 {
		notes = append(notes, fmt.Sprintf("%d models without a %s skipped: %s", len(rd.noScore), rd.scoreColumn, strings.Join(rd.noScore, ", ")))
	}
	if rd.joined != nil {
		notes = append(notes, "organization and license joined from data_overall.csv by model name")
	}
	if len(rd.notJoined) > 0 {
		notes = append(notes, fmt.Sprintf("%d models not in data_overall.csv (no organization or license): %s", len(rd.notJoined), strings.Join(rd.notJoined, ", ")))
	}
	if rd.bad > 0 {
		notes = append(notes, badFieldsNote(rd.bad))
	}
	return notes
}

// bfclCSV reads a BFCL CSV: a header and at least one record, every record
// as wide as the header.
func bfclCSV(b []byte, what string) ([]string, [][]string, error) {
	if !utf8.Valid(b) {
		return nil, nil, driftf("%s is not UTF-8", what)
	}
	rd := csv.NewReader(bytes.NewReader(b))
	header, err := rd.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, driftf("%s is empty", what)
	}
	if err != nil {
		return nil, nil, driftf("%s is not CSV: %v", what, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	var recs [][]string
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, driftf("%s is not CSV: %v", what, err)
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return nil, nil, driftf("%s has a header but no models", what)
	}
	return header, recs, nil
}

// bfclColumns maps normalised header texts to their first column.
func bfclColumns(header []string) map[string]int {
	col := map[string]int{}
	for i, h := range header {
		if k := headerKey(h); k != "" {
			if _, dup := col[k]; !dup {
				col[k] = i
			}
		}
	}
	return col
}

// bfclMetricName turns a header into a metric name: "Total Cost ($)" →
// "total_cost_usd", "Latency Mean (s)" → "latency_mean_s", "Non-Live AST
// Acc" → "non_live_ast_acc".
func bfclMetricName(h string) string {
	return snakeCase(strings.ReplaceAll(strings.ToLower(h), "$", " usd "))
}
