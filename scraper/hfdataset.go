package scraper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// LMArena publishes its leaderboards as the Hugging Face dataset
// lmarena-ai/leaderboard-dataset (CC BY 4.0): one config per arena (text,
// text_style_control, webdev, vision, ...), each with a "latest" split (the
// current board of every category) and a "full" split (every publish date
// since 2023-05-08). A row is one model in one category on one publish date:
//
//	model_name, organization, license, rating, rating_lower, rating_upper,
//	variance, vote_count, rank, category, leaderboard_publish_date
//
// The boards here read the latest split through the datasets-server rows
// API, 100 rows a page; ImportHFDataset reads the full split's parquet file
// to backfill history.

// HFParserVersion names the extractor of the rows API pages.
const HFParserVersion = "hf-leaderboard-rows/1"

// HFDataset is the dataset the hf-leaderboard boards read.
const HFDataset = "lmarena-ai/leaderboard-dataset"

// hfPageSize is the largest page the rows API serves.
const hfPageSize = 100

// hfColumns are the columns every row of the dataset has. A row or a file
// without one of them is drift: the dataset changed its schema.
var hfColumns = []string{"model_name", "organization", "license", "rating", "rating_lower", "rating_upper",
	"variance", "vote_count", "rank", "category", "leaderboard_publish_date"}

func init() {
	extractors["hf-leaderboard"] = extractorSpec{
		version:  HFParserVersion,
		requests: []string{"page-0"},
		next:     hfNext,
		run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractHFPages(hfPageList(docs), b.Params["category"])
		},
	}
}

// hfRowsURL is the rows API address of one page of a split.
func hfRowsURL(dataset, config, split string, offset int) string {
	return fmt.Sprintf("https://datasets-server.huggingface.co/rows?dataset=%s&config=%s&split=%s&offset=%d&length=%d",
		dataset, url.QueryEscape(config), url.QueryEscape(split), offset, hfPageSize)
}

// hfBoard describes one board of the dataset: the latest split of config,
// rows of category.
func hfBoard(id, title, config, category string, minRows int) arenawatch.Board {
	return arenawatch.Board{
		ID:        id,
		Title:     title,
		Site:      "huggingface.co",
		Extractor: "hf-leaderboard",
		Requests:  []arenawatch.Request{{Name: "page-0", URL: hfRowsURL(HFDataset, config, "latest", 0)}},
		Params:    map[string]string{"dataset": HFDataset, "config": config, "category": category},
		Rank:      arenawatch.RankOwn,
		Limits:    arenawatch.Limits{MinRows: minRows},
		ScoreName: "Arena score",
	}
}

// hfDatasetBoards returns the boards read from LMArena's Hugging Face
// dataset. Board ids are part of the interface: never rename one.
func hfDatasetBoards() arenawatch.Boards {
	return arenawatch.Boards{
		hfBoard("hf-text", "LMArena dataset (Hugging Face) text, overall, style control (the site's default view)",
			"text_style_control", "overall", 20),
		hfBoard("hf-text-raw", "LMArena dataset (Hugging Face) text, overall, without style control",
			"text", "overall", 20),
		// The WebDev arena is smaller than the text arena; 10 still catches
		// an empty or garbled read.
		hfBoard("hf-webdev", "LMArena dataset (Hugging Face) WebDev, overall", "webdev", "overall", 10),
		hfBoard("hf-vision", "LMArena dataset (Hugging Face) vision, overall", "vision", "overall", 20),
	}
}

// HFFullSplitURL returns the address of the parquet file of the board's
// full split (its whole history), or "" when b is not an hf-leaderboard
// board.
func HFFullSplitURL(b arenawatch.Board) string {
	if b.Extractor != "hf-leaderboard" || b.Params["config"] == "" {
		return ""
	}
	dataset := b.Params["dataset"]
	if dataset == "" {
		dataset = HFDataset
	}
	return "https://huggingface.co/datasets/" + dataset + "/resolve/main/" + url.PathEscape(b.Params["config"]) +
		"/full-00000-of-00001.parquet"
}

// hfPageName names the i-th page request.
func hfPageName(i int) string { return "page-" + strconv.Itoa(i) }

// hfPageList returns the pages page-0, page-1, ... present in docs, in
// order, up to the first gap.
func hfPageList(docs map[string][]byte) [][]byte {
	var pages [][]byte
	for i := 0; ; i++ {
		p, ok := docs[hfPageName(i)]
		if !ok {
			return pages
		}
		pages = append(pages, p)
	}
}

// hfPageHead is the part of a page that paging needs.
type hfPageHead struct {
	Rows []struct {
		RowIdx *int64 `json:"row_idx"`
	} `json:"rows"`
	NumRowsTotal *int64 `json:"num_rows_total"`
}

// hfNext asks for the page after the last one fetched until the rows
// cover num_rows_total. The next offset is one past the last row_idx read,
// so a server that sends shorter pages than asked is still read whole.
func hfNext(b arenawatch.Board, docs map[string][]byte) ([]arenawatch.Request, error) {
	pages := hfPageList(docs)
	if len(pages) == 0 {
		return nil, driftf("no first page")
	}
	last := len(pages) - 1
	name := hfPageName(last)
	covered, total, err := hfCovered(name, pages[last])
	if err != nil {
		return nil, err
	}
	if covered == 0 {
		if last == 0 && total == 0 {
			return nil, nil // an empty split; the extractor says so
		}
		return nil, driftf("%s has no rows, but num_rows_total is %d", name, total)
	}
	if last > 0 {
		// A server that ignores offset would send the same page forever.
		before, _, err := hfCovered(hfPageName(last-1), pages[last-1])
		if err != nil {
			return nil, err
		}
		if covered <= before {
			return nil, driftf("%s ends at row_idx %d, not after the previous page (%d): the API ignores offset", name, covered-1, before-1)
		}
	}
	if covered >= total {
		return nil, nil
	}
	q, err := hfPageQuery(b.URL(), covered)
	if err != nil {
		return nil, err
	}
	// A query-only reference keeps the main URL's path and host, replayed
	// or mirrored alike.
	return []arenawatch.Request{{Name: hfPageName(last + 1), URL: "?" + q}}, nil
}

// hfCovered returns one past the last row_idx of a page (0 for a page
// without rows) and the page's num_rows_total.
func hfCovered(name string, page []byte) (covered, total int64, err error) {
	var head hfPageHead
	if err := json.Unmarshal(page, &head); err != nil {
		return 0, 0, driftf("%s is not the expected JSON: %v", name, err)
	}
	if head.NumRowsTotal == nil {
		return 0, 0, driftf("%s has no \"num_rows_total\"", name)
	}
	if len(head.Rows) == 0 {
		return 0, *head.NumRowsTotal, nil
	}
	end := head.Rows[len(head.Rows)-1].RowIdx
	if end == nil {
		return 0, 0, driftf("%s: the last row has no \"row_idx\"", name)
	}
	return *end + 1, *head.NumRowsTotal, nil
}

// hfPageQuery returns the main URL's query with offset set, keeping the
// order and spelling of the other parameters.
func hfPageQuery(main string, offset int64) (string, error) {
	u, err := url.Parse(main)
	if err != nil {
		return "", arenawatch.Errorf(arenawatch.KindInvalid, "board URL %q: %v", main, err)
	}
	parts := strings.Split(u.RawQuery, "&")
	found := false
	for i, p := range parts {
		if k, _, _ := strings.Cut(p, "="); k == "offset" {
			parts[i] = "offset=" + strconv.FormatInt(offset, 10)
			found = true
		}
	}
	if !found {
		parts = append(parts, "offset="+strconv.FormatInt(offset, 10))
	}
	return strings.TrimPrefix(strings.Join(parts, "&"), "&"), nil
}

// hfRecord is one row of the dataset, decoded but not yet checked beyond
// its category and date (which decide whether it is read at all).
type hfRecord struct {
	where    string // "page-1, row_idx 137" or "row 1234 of the file"
	category string
	date     time.Time

	model                  string
	organization           *string
	license                *string
	rating                 *float64
	lower, upper, variance *float64
	votes, rank            *float64
	err                    error // a value that could not be read; fails the row's date
}

// row checks the record and turns it into a snapshot row.
func (r *hfRecord) row() (arenawatch.Row, error) {
	fail := func(format string, args ...any) (arenawatch.Row, error) {
		return arenawatch.Row{}, driftf("%s: "+format, append([]any{r.where}, args...)...)
	}
	if r.err != nil {
		return fail("%v", r.err)
	}
	switch {
	case strings.TrimSpace(r.model) == "":
		return fail("no model_name")
	case r.rating == nil:
		return fail("model %q has no rating", r.model)
	case r.rank == nil:
		return fail("model %q has no rank", r.model)
	}
	rank := *r.rank
	if rank != math.Trunc(rank) || rank < 1 || rank > 1e6 {
		return fail("model %q has rank %v, not a whole number from 1", r.model, rank)
	}
	row := arenawatch.Row{
		Rank:         int(rank),
		Model:        r.model,
		Organization: r.organization,
		License:      r.license,
		Score:        *r.rating,
		ScoreLower:   r.lower,
		ScoreUpper:   r.upper,
	}
	if r.votes != nil {
		v := *r.votes
		if v != math.Trunc(v) || v < 0 || v > 1<<53 {
			return fail("model %q has vote_count %v, not a whole number", r.model, v)
		}
		row.Votes = int64(v)
	}
	if r.variance != nil {
		row.Metrics = map[string]float64{"variance": *r.variance}
	}
	return row, nil
}

// hfRows turns the records of one category and date into rows, ordered by
// rank, then score (higher first), then model. A model listed twice is
// drift: the dataset keys rows by model, category and date.
func hfRows(recs []*hfRecord) ([]arenawatch.Row, error) {
	seen := make(map[string]*hfRecord, len(recs))
	rows := make([]arenawatch.Row, 0, len(recs))
	for _, rec := range recs {
		row, err := rec.row()
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[rec.model]; dup {
			return nil, driftf("%s: model %q appears twice in category %q on %s (also at %s)",
				rec.where, rec.model, rec.category, rec.date.Format(time.DateOnly), prev.where)
		}
		seen[rec.model] = rec
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Model < b.Model
	})
	return rows, nil
}

// parseHFDate reads leaderboard_publish_date: a date ("2026-10-06"), or a
// date and time as Arrow or pandas print one.
func parseHFDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("leaderboard_publish_date %q is not a date", s)
}

// hfPage is one response of the datasets-server rows API.
type hfPage struct {
	Features []struct {
		Name string `json:"name"`
	} `json:"features"`
	Rows []struct {
		RowIdx         *int64                     `json:"row_idx"`
		Row            map[string]json.RawMessage `json:"row"`
		TruncatedCells []string                   `json:"truncated_cells"`
	} `json:"rows"`
	NumRowsTotal *int64 `json:"num_rows_total"`
	Partial      *bool  `json:"partial"`
	Error        string `json:"error"`
}

// ExtractHFPages reads the pages of the rows API for one split (in order,
// together covering every row) and keeps the rows of category on the
// newest publish date that category has. Rank is the dataset's own; old
// rows state it as a float (1.0), which is read when it is whole.
//
// Drift: a page that is not the rows API's JSON, a row without one of the
// dataset's columns, pages that do not join up or do not cover
// num_rows_total, truncated cells, a partial split, a kept row without a
// model, rating or whole rank, or a model listed twice. Pages that
// disagree on num_rows_total mean the split changed while it was read:
// transient.
func ExtractHFPages(pages [][]byte, category string) (*Extract, error) {
	if category == "" {
		return nil, arenawatch.Errorf(arenawatch.KindInvalid, "the board names no category (Params[\"category\"])")
	}
	if len(pages) == 0 {
		return nil, driftf("no pages")
	}
	var (
		total     int64
		next      int64 // the row_idx the next row must have
		kept      []*hfRecord
		newest    time.Time
		other     int
		catCounts = map[string]int{}
	)
	for i, body := range pages {
		name := hfPageName(i)
		var p hfPage
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, driftf("%s is not the expected JSON: %v", name, err)
		}
		if p.Error != "" {
			return nil, driftf("%s: the API answered with an error: %s", name, p.Error)
		}
		if p.Rows == nil || p.NumRowsTotal == nil {
			return nil, driftf("%s has no \"rows\" array or no \"num_rows_total\"", name)
		}
		if p.Partial != nil && *p.Partial {
			return nil, driftf("%s: the API serves only part of the split (\"partial\": true)", name)
		}
		if i == 0 {
			total = *p.NumRowsTotal
			if err := checkHFFeatures(name, p.Features); err != nil {
				return nil, err
			}
		} else if *p.NumRowsTotal != total {
			return nil, arenawatch.Errorf(arenawatch.KindTransient,
				"the split changed while it was read: num_rows_total is %d on page-0 and %d on %s", total, *p.NumRowsTotal, name)
		}
		for j, r := range p.Rows {
			where := fmt.Sprintf("%s, row %d", name, j)
			if r.RowIdx == nil {
				return nil, driftf("%s has no \"row_idx\"", where)
			}
			where = fmt.Sprintf("%s, row_idx %d", name, *r.RowIdx)
			if *r.RowIdx != next {
				return nil, driftf("%s: expected row_idx %d; the pages do not join up", where, next)
			}
			next++
			if len(r.TruncatedCells) > 0 {
				return nil, driftf("%s: cells truncated by the API: %s", where, strings.Join(r.TruncatedCells, ", "))
			}
			if r.Row == nil {
				return nil, driftf("%s has no \"row\" object", where)
			}
			rec, err := hfJSONRecord(where, r.Row)
			if err != nil {
				return nil, err
			}
			catCounts[rec.category]++
			if rec.category != category {
				other++
				continue
			}
			if rec.date.After(newest) {
				newest = rec.date
			}
			kept = append(kept, rec)
		}
	}
	if next != total {
		return nil, driftf("the pages hold %d rows, but num_rows_total is %d", next, total)
	}
	if len(kept) == 0 {
		var cats []string
		for c := range catCounts {
			cats = append(cats, c)
		}
		sort.Strings(cats)
		return nil, driftf("no rows of category %q among %d rows (categories: %s)", category, total, strings.Join(quoteAll(cats), ", "))
	}
	latest := kept[:0:0]
	older := 0
	for _, rec := range kept {
		if rec.date.Equal(newest) {
			latest = append(latest, rec)
		} else {
			older++
		}
	}
	rows, err := hfRows(latest)
	if err != nil {
		return nil, err
	}
	pl := "pages"
	if len(pages) == 1 {
		pl = "page"
	}
	note := fmt.Sprintf("read %d rows in %d %s; kept category %q, published %s", total, len(pages), pl, category, newest.Format(time.DateOnly))
	if other > 0 || older > 0 {
		note += fmt.Sprintf("; skipped %d rows of other categories and %d of older dates", other, older)
	}
	return &Extract{
		Rows:   rows,
		AsOf:   newest,
		Totals: arenawatch.Totals{Models: len(rows)},
		Notes:  []string{note},
	}, nil
}

// checkHFFeatures checks the column list a page declares, when it declares
// one.
func checkHFFeatures(page string, features []struct {
	Name string `json:"name"`
}) error {
	if len(features) == 0 {
		return nil
	}
	have := map[string]bool{}
	var names []string
	for _, f := range features {
		have[f.Name] = true
		names = append(names, f.Name)
	}
	for _, c := range hfColumns {
		if !have[c] {
			return driftf("%s: the split has no column %q (columns: %s)", page, c, strings.Join(names, ", "))
		}
	}
	return nil
}

// hfJSONRecord decodes one row of the rows API. Every column must be
// there; category and date must have values, the rest are checked only
// for rows that are kept.
func hfJSONRecord(where string, row map[string]json.RawMessage) (*hfRecord, error) {
	for _, c := range hfColumns {
		if _, ok := row[c]; !ok {
			return nil, driftf("%s has no %q", where, c)
		}
	}
	rec := &hfRecord{where: where}
	var date string
	if err := jsonString(row["category"], &rec.category, false); err != nil {
		return nil, driftf("%s: category: %v", where, err)
	}
	if err := jsonString(row["leaderboard_publish_date"], &date, false); err != nil {
		return nil, driftf("%s: leaderboard_publish_date: %v", where, err)
	}
	t, err := parseHFDate(date)
	if err != nil {
		return nil, driftf("%s: %v", where, err)
	}
	rec.date = t
	var model string
	if err := jsonString(row["model_name"], &model, true); err != nil {
		rec.err = fmt.Errorf("model_name: %v", err)
		return rec, nil
	}
	rec.model = model
	for _, f := range []struct {
		col string
		dst **string
	}{{"organization", &rec.organization}, {"license", &rec.license}} {
		if err := jsonOptString(row[f.col], f.dst); err != nil {
			rec.err = fmt.Errorf("%s: %v", f.col, err)
			return rec, nil
		}
	}
	for _, f := range []struct {
		col string
		dst **float64
	}{{"rating", &rec.rating}, {"rating_lower", &rec.lower}, {"rating_upper", &rec.upper},
		{"variance", &rec.variance}, {"vote_count", &rec.votes}, {"rank", &rec.rank}} {
		if err := jsonOptNumber(row[f.col], f.dst); err != nil {
			rec.err = fmt.Errorf("%s: %v", f.col, err)
			return rec, nil
		}
	}
	return rec, nil
}

func isJSONNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// jsonString decodes a string value; null is an error, and so is an empty
// string unless allowEmpty.
func jsonString(raw json.RawMessage, dst *string, allowEmpty bool) error {
	if isJSONNull(raw) {
		return fmt.Errorf("null")
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("not a string: %s", raw)
	}
	if !allowEmpty && *dst == "" {
		return fmt.Errorf("empty")
	}
	return nil
}

func jsonOptString(raw json.RawMessage, dst **string) error {
	if isJSONNull(raw) {
		*dst = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("not a string: %s", raw)
	}
	*dst = &s
	return nil
}

func jsonOptNumber(raw json.RawMessage, dst **float64) error {
	if isJSONNull(raw) {
		*dst = nil
		return nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return fmt.Errorf("not a number: %s", raw)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("not a finite number: %s", raw)
	}
	*dst = &f
	return nil
}
