package source

import (
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

// hfColumns are the columns every row of the dataset has. A parquet file
// without one of them is drift: the dataset changed its schema. The rows
// API pages need only hfNeeded.
var hfColumns = []string{"model_name", "organization", "license", "rating", "rating_lower", "rating_upper",
	"variance", "vote_count", "rank", "category", "leaderboard_publish_date"}

// hfDatasetSite declares the hf-leaderboard extractor and its boards (see site).
var hfDatasetSite = site{
	extractors: map[string]Extractor{"hf-leaderboard": {
		Version:  HFParserVersion,
		Requests: []string{"page-0"},
		Next:     hfNext,
		Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractHFPages(hfPageList(docs), b.Params["category"])
		},
	}},
	boards: hfDatasetBoards,
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
		// The dataset duplicates the arena.ai boards and can take many
		// paged requests per board: opt in by name or config.
		Optional: true,
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
// without rows) and the page's num_rows_total. It reads only those two
// members (and the rows array that holds the first).
func hfCovered(name string, page []byte) (covered, total int64, err error) {
	p, err := decodeObject(page, name)
	if err != nil {
		return 0, 0, err
	}
	total, err = hfWhole(p, "num_rows_total")
	if err != nil {
		return 0, 0, err
	}
	if !p.has("rows") {
		return 0, 0, driftf("%s has no \"rows\" array", name)
	}
	rows, err := decodeArray(p.raw("rows"), p.path("rows"))
	if err != nil {
		return 0, 0, err
	}
	if len(rows) == 0 {
		return 0, total, nil
	}
	last, err := decodeObject(rows[len(rows)-1], fmt.Sprintf("%s.rows[%d]", name, len(rows)-1))
	if err != nil {
		return 0, 0, err
	}
	end, err := hfWhole(last, "row_idx")
	if err != nil {
		return 0, 0, err
	}
	return end + 1, total, nil
}

// hfWhole reads a needed whole, non-negative number (row_idx,
// num_rows_total).
func hfWhole(o jsonObject, name string) (int64, error) {
	f, err := o.needNum(name)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || f < 0 || f > 1<<53 {
		return 0, driftf("%s: %v is not a whole number", o.path(name), f)
	}
	return int64(f), nil
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
	bad                    int   // malformed optional values left out (rows API only)
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
// kept twice, for arenawatch.Seal to settle like any source's repeat.
func hfRows(recs []*hfRecord) ([]arenawatch.Row, error) {
	rows := make([]arenawatch.Row, 0, len(recs))
	for _, rec := range recs {
		row, err := rec.row()
		if err != nil {
			return nil, err
		}
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

// hfNeeded are the columns of a row that the answer needs: a row without
// one of them is drift, named by the column. organization and license may
// be null (the dataset has rows without them) but must be there: without
// them every row would be classified by name alone. The other columns
// (rating_lower, rating_upper, variance, vote_count) are read when they
// are numbers and otherwise left out. hfColumns, the parquet import's
// list, stays stricter: a backfill reads whole files once.
var hfNeeded = []string{"model_name", "organization", "license", "rating", "rank", "category", "leaderboard_publish_date"}

// ExtractHFPages reads the pages of the rows API for one split (in order,
// together covering every row) and keeps the rows of category on the
// newest publish date that category has. Rank is the dataset's own; old
// rows state it as a float (1.0), which is read when it is whole.
//
// Each page is read with the tolerant reader (jsonObject):
//   - Needed: the page's "rows" and "num_rows_total"; each entry's
//     "row_idx" and "row"; in each row the columns of hfNeeded. A kept row
//     also needs a model_name, a number rating and a whole rank.
//   - Kept when readable, never needed: rating_lower, rating_upper (the
//     CI), variance (a metric), vote_count; a malformed value is left out
//     and counted in a note.
//   - Checked when readable, otherwise ignored: "error" (an API error
//     message), "partial" (true fails: the API serves part of the split),
//     "truncated_cells" (a truncated cell fails) and "features" (the
//     declared columns must include hfNeeded).
//   - Ignored: "num_rows_per_page", each feature's "feature_idx" and
//     "type", and any new member.
//
// Drift: a page that is not a JSON object, a missing needed member, pages
// that do not join up or do not cover num_rows_total, truncated cells, a
// partial split, a kept row without a model, rating or whole rank, or a
// model listed twice. Pages that disagree on num_rows_total mean the
// split changed while it was read: transient.
func ExtractHFPages(pages [][]byte, category string) (*Extract, error) {
	if category == "" {
		return nil, arenawatch.Errorf(arenawatch.KindInvalid, "the board names no category (Params[\"category\"])")
	}
	if len(pages) == 0 {
		return nil, driftf("no pages")
	}
	rd := &hfPagesReader{category: category, catCounts: map[string]int{}}
	for i, body := range pages {
		if err := rd.page(i, body); err != nil {
			return nil, err
		}
	}
	if rd.next != rd.total {
		return nil, driftf("the pages hold %d rows, but num_rows_total is %d", rd.next, rd.total)
	}
	if len(rd.kept) == 0 {
		var cats []string
		for c := range rd.catCounts {
			cats = append(cats, c)
		}
		sort.Strings(cats)
		return nil, driftf("no rows of category %q among %d rows (categories: %s)", category, rd.total, strings.Join(quoteAll(cats), ", "))
	}
	return rd.extract(len(pages))
}

// hfPagesReader holds what ExtractHFPages gathers across the pages: the
// split's size, where the next row must start, and the rows of the
// category with the newest date among them.
type hfPagesReader struct {
	category  string
	total     int64 // num_rows_total of page-0
	next      int64 // the row_idx the next row must have
	kept      []*hfRecord
	newest    time.Time
	other     int            // rows of other categories
	catCounts map[string]int // rows per category, for the error when none is kept
}

// page reads page i: its envelope, then each of its rows.
func (rd *hfPagesReader) page(i int, body []byte) error {
	name := hfPageName(i)
	entries, err := rd.pageEnvelope(i, name, body)
	if err != nil {
		return err
	}
	for j, raw := range entries {
		if err := rd.entry(name, j, raw); err != nil {
			return err
		}
	}
	return nil
}

// pageEnvelope checks a page's members other than its rows ("error",
// "num_rows_total", "partial", and on page-0 "features") and returns its
// "rows" entries.
func (rd *hfPagesReader) pageEnvelope(i int, name string, body []byte) ([]json.RawMessage, error) {
	p, err := decodeObject(body, name)
	if err != nil {
		return nil, err
	}
	if p.has("error") {
		msg, _, err := p.str("error")
		if err != nil {
			msg = string(head(p.raw("error"), 200))
		}
		return nil, driftf("%s: the API answered with an error: %s", name, msg)
	}
	if !p.has("rows") {
		return nil, driftf("%s has no \"rows\" array", name)
	}
	entries, err := decodeArray(p.raw("rows"), p.path("rows"))
	if err != nil {
		return nil, err
	}
	n, err := hfWhole(p, "num_rows_total")
	if err != nil {
		return nil, err
	}
	// A guard, not data: read when it is a boolean.
	if partial, err := p.boolean("partial"); err == nil && partial != nil && *partial {
		return nil, driftf("%s: the API serves only part of the split (\"partial\": true)", name)
	}
	if i == 0 {
		rd.total = n
		if err := checkHFFeatures(p); err != nil {
			return nil, err
		}
	} else if n != rd.total {
		return nil, arenawatch.Errorf(arenawatch.KindTransient,
			"the split changed while it was read: num_rows_total is %d on page-0 and %d on %s", rd.total, n, name)
	}
	return entries, nil
}

// entry reads rows[j] of page name: it must be the next row_idx, with no
// truncated cells; a row of the category is kept.
func (rd *hfPagesReader) entry(name string, j int, raw json.RawMessage) error {
	e, err := decodeObject(raw, fmt.Sprintf("%s.rows[%d]", name, j))
	if err != nil {
		return err
	}
	idx, err := hfWhole(e, "row_idx")
	if err != nil {
		return err
	}
	where := fmt.Sprintf("%s, row_idx %d", name, idx)
	if idx != rd.next {
		return driftf("%s: expected row_idx %d; the pages do not join up", where, rd.next)
	}
	rd.next++
	if cells := hfTruncated(e); len(cells) > 0 {
		return driftf("%s: cells truncated by the API: %s", where, strings.Join(cells, ", "))
	}
	if !e.has("row") {
		return driftf("%s has no \"row\" object", where)
	}
	row, err := decodeObject(e.raw("row"), where+" row")
	if err != nil {
		return err
	}
	rec, err := hfJSONRecord(where, row)
	if err != nil {
		return err
	}
	rd.catCounts[rec.category]++
	if rec.category != rd.category {
		rd.other++
		return nil
	}
	if rec.date.After(rd.newest) {
		rd.newest = rec.date
	}
	rd.kept = append(rd.kept, rec)
	return nil
}

// extract is the last step: it keeps the rows of the newest date, turns
// them into rows and says what was read and skipped.
func (rd *hfPagesReader) extract(npages int) (*Extract, error) {
	latest := rd.kept[:0:0]
	older, bad := 0, 0
	for _, rec := range rd.kept {
		if rec.date.Equal(rd.newest) {
			latest = append(latest, rec)
			bad += rec.bad
		} else {
			older++
		}
	}
	rows, err := hfRows(latest)
	if err != nil {
		return nil, err
	}
	pl := "pages"
	if npages == 1 {
		pl = "page"
	}
	note := fmt.Sprintf("read %d rows in %d %s; kept category %q, published %s", rd.total, npages, pl, rd.category, rd.newest.Format(time.DateOnly))
	if rd.other > 0 || older > 0 {
		note += fmt.Sprintf("; skipped %d rows of other categories and %d of older dates", rd.other, older)
	}
	notes := []string{note}
	if bad > 0 {
		notes = append(notes, badFieldsNote(bad))
	}
	return &Extract{
		Rows:   rows,
		AsOf:   rd.newest,
		Totals: arenawatch.Totals{Models: len(rows)},
		Notes:  notes,
	}, nil
}

// hfTruncated returns the names an entry's truncated_cells lists; an
// absent or malformed list is taken as none (the cells are short texts
// and numbers, far below the API's limit).
func hfTruncated(e jsonObject) []string {
	raws, err := decodeArray(e.raw("truncated_cells"), e.path("truncated_cells"))
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range raws {
		var s string
		if json.Unmarshal(r, &s) != nil {
			s = string(r)
		}
		out = append(out, s)
	}
	return out
}

// checkHFFeatures checks the column list a page declares, when it declares
// a readable one: it must name every needed column.
func checkHFFeatures(p jsonObject) error {
	raws, err := decodeArray(p.raw("features"), p.path("features"))
	if err != nil || len(raws) == 0 {
		return nil
	}
	have := map[string]bool{}
	var names []string
	for _, r := range raws {
		f, err := decodeObject(r, p.path("features"))
		if err != nil {
			return nil
		}
		if name, ok := f.optStr("name", nil); ok {
			have[name] = true
			names = append(names, name)
		}
	}
	for _, c := range hfNeeded {
		if !have[c] {
			return driftf("%s: the split has no column %q (columns: %s)", p.at, c, strings.Join(names, ", "))
		}
	}
	return nil
}

// hfJSONRecord decodes one row of the rows API. Every needed column must
// be there; category and date must have values, the rest are checked only
// for rows that are kept.
func hfJSONRecord(where string, row jsonObject) (*hfRecord, error) {
	for _, c := range hfNeeded {
		if _, ok := row.members[c]; !ok {
			return nil, driftf("%s has no %q", where, c)
		}
	}
	rec := &hfRecord{where: where}
	var err error
	if rec.category, err = hfText(row, "category"); err != nil {
		return nil, driftf("%s: %v", where, err)
	}
	date, err := hfText(row, "leaderboard_publish_date")
	if err != nil {
		return nil, driftf("%s: %v", where, err)
	}
	if rec.date, err = parseHFDate(date); err != nil {
		return nil, driftf("%s: %v", where, err)
	}
	model, _, err := row.str("model_name")
	if err != nil {
		rec.err = fmt.Errorf("model_name: not a string")
		return rec, nil
	}
	rec.model = model
	for _, f := range []struct {
		col string
		dst **string
	}{{"organization", &rec.organization}, {"license", &rec.license}} {
		s, ok, err := row.str(f.col)
		if err != nil {
			rec.err = fmt.Errorf("%s: not a string", f.col)
			return rec, nil
		}
		if ok {
			*f.dst = &s
		}
	}
	for _, f := range []struct {
		col string
		dst **float64
	}{{"rating", &rec.rating}, {"rank", &rec.rank}} {
		x, ok, err := row.num(f.col)
		if err != nil {
			rec.err = fmt.Errorf("%s: not a number", f.col)
			return rec, nil
		}
		if ok {
			*f.dst = &x
		}
	}
	for _, f := range []struct {
		col string
		dst **float64
	}{{"rating_lower", &rec.lower}, {"rating_upper", &rec.upper}, {"variance", &rec.variance}, {"vote_count", &rec.votes}} {
		if x, ok := row.optNum(f.col, &rec.bad); ok {
			*f.dst = &x
		}
	}
	return rec, nil
}

// hfText reads a needed, non-empty string column; the error names it.
func hfText(row jsonObject, col string) (string, error) {
	s, ok, err := row.str(col)
	switch {
	case err != nil:
		return "", fmt.Errorf("%s: not a string", col)
	case !ok:
		return "", fmt.Errorf("%s: null", col)
	case s == "":
		return "", fmt.Errorf("%s: empty", col)
	}
	return s, nil
}
