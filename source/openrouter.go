package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// OpenRouterParserVersion names the OpenRouter daily-rankings extractor.
const OpenRouterParserVersion = "openrouter-daily/1"

// openRouterManifestURL is the keyless CC BY 4.0 export's manifest of the
// daily token rankings. It names one dated, immutable CSV with its sha256.
const openRouterManifestURL = "https://openrouter.ai/api/v1/datasets/exports/rankings-daily/latest.manifest.json"

// openRouterSite declares the openrouter-daily extractor and its boards (see site).
var openRouterSite = site{
	extractors: map[string]Extractor{"openrouter-daily": {
		Version:  OpenRouterParserVersion,
		Requests: []string{"manifest", "models"},
		Next:     openRouterNext,
		Run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractOpenRouter(docs["manifest"], docs["csv"], docs["models"])
		},
	}},
	boards: openRouterBoards,
}

// openRouterBoards returns the OpenRouter boards. Board ids are part of the
// interface: never rename one.
func openRouterBoards() arenawatch.Boards {
	return arenawatch.Boards{{
		ID:        "openrouter-daily-tokens",
		Title:     "OpenRouter daily token share (rankings export, CC BY 4.0)",
		Site:      "openrouter.ai",
		Extractor: "openrouter-daily",
		Requests: []arenawatch.Request{
			{Name: "manifest", URL: openRouterManifestURL},
			{Name: "models", URL: "/api/v1/models"},
		},
		Rank:      arenawatch.RankOwn,
		Limits:    arenawatch.Limits{MinRows: 20},
		ScoreName: "tokens",
		Usage:     true,
	}}
}

// openRouterManifest is what arenawatch reads of an export's
// latest.manifest.json: the CSV file it names, and where it says the
// manifest itself lives (latest.manifest, optional).
type openRouterManifest struct {
	csv  openRouterFileInfo
	self string
}

// openRouterFileInfo is one entry of the manifest's "files".
type openRouterFileInfo struct {
	URL    string
	Bytes  *int64 // nil when the manifest states no (well-formed) size
	SHA256 string
}

// parseOpenRouterManifest reads a manifest with the tolerant reader and
// returns its CSV entry, or a drift error naming the field that is
// missing. Needed: files.csv.url and files.csv.sha256. Read when present
// and well-formed: dataset (a manifest of another dataset is refused),
// files.csv.bytes (checked against the download), latest.manifest.
// Ignored: schema_version, snapshot_date, retrieved_at, row_count,
// update_cadence, license, attribution, readme_url, encoding_format,
// files.json, latest.csv, latest.json and anything else.
func parseOpenRouterManifest(body []byte) (*openRouterManifest, error) {
	o, err := decodeObject(body, "manifest")
	if err != nil {
		return nil, driftf("manifest is not the expected JSON: %v", err)
	}
	if ds, ok := o.optStr("dataset", nil); ok && ds != "" && ds != "rankings-daily" {
		return nil, driftf("manifest is for dataset %q, not rankings-daily", ds)
	}
	files, ok, err := o.object("files")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, driftf("manifest names no files (manifest.files: missing, a field the answer needs)")
	}
	csv, ok, err := files.object("csv")
	if err != nil {
		return nil, err
	}
	if !ok {
		kinds := make([]string, 0, len(files.members))
		for k := range files.members {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		return nil, driftf("manifest names no CSV file (manifest.files.csv: missing; files: %s)", strings.Join(kinds, ", "))
	}
	m := &openRouterManifest{}
	if m.csv.URL, err = csv.needStr("url"); err != nil {
		return nil, err
	}
	m.csv.URL = strings.TrimSpace(m.csv.URL)
	if m.csv.SHA256, err = csv.needStr("sha256"); err != nil {
		return nil, err
	}
	if _, err := hex.DecodeString(m.csv.SHA256); err != nil || len(m.csv.SHA256) != 64 {
		return nil, driftf("manifest.files.csv.sha256 of %s is not a sha256 hex digest (%q)", m.csv.URL, m.csv.SHA256)
	}
	// The size is a second check beside the sha256, not needed for it: a
	// malformed one is left out.
	if n, ok := csv.optNum("bytes", nil); ok && n >= 0 && n == math.Trunc(n) {
		size := int64(n)
		m.csv.Bytes = &size
	}
	if latest, ok, err := o.object("latest"); ok && err == nil {
		m.self, _ = latest.optStr("manifest", nil)
	}
	return m, nil
}

// openRouterVerify checks a downloaded CSV against the manifest's sha256
// and size. A mismatch is a damaged or incomplete download (or a file
// replaced after its manifest was written), not a change of format: it is
// transient, nothing is read, and the next run fetches the file again.
func openRouterVerify(file openRouterFileInfo, body []byte) error {
	sum := sha256.Sum256(body)
	got := hex.EncodeToString(sum[:])
	var diffs []string
	if file.Bytes != nil && *file.Bytes != int64(len(body)) {
		diffs = append(diffs, fmt.Sprintf("%d bytes where the manifest says %d", len(body), *file.Bytes))
	}
	if !strings.EqualFold(got, file.SHA256) {
		diffs = append(diffs, fmt.Sprintf("sha256 %s where the manifest says %s", got, strings.ToLower(file.SHA256)))
	}
	if len(diffs) == 0 {
		return nil
	}
	return &arenawatch.Error{Kind: arenawatch.KindTransient,
		Err: fmt.Errorf("the download of %s did not match the manifest's checksum (%s): a damaged or incomplete download, or a file replaced after the manifest was written; nothing was read, and the next run will fetch it again",
			file.URL, strings.Join(diffs, "; ")),
		Hint: "nothing was stored; earlier snapshots are kept. The next run retries the download; if this repeats, the export itself is inconsistent (the file does not match its manifest).",
	}
}

// openRouterNext asks for the dated CSV the manifest names, once, and
// checks the download against the manifest when it is in. A file
// that lives beside the manifest is asked for relative to the board's main
// URL, so that a mirror (--url) or a replay serves it too; a file elsewhere
// on the manifest's host keeps its path; a file on another host is asked for
// as it is.
func openRouterNext(b arenawatch.Board, docs map[string][]byte) ([]arenawatch.Request, error) {
	m, err := parseOpenRouterManifest(docs["manifest"])
	if err != nil {
		return nil, err
	}
	if body, done := docs["csv"]; done {
		// Verified here, where it was downloaded, so that a damaged
		// download fails as transient before the extractor runs.
		return nil, openRouterVerify(m.csv, body)
	}
	self := m.self
	if self == "" && len(b.Requests) > 0 {
		self = b.Requests[0].Canonical
		if self == "" {
			self = b.Requests[0].URL
		}
	}
	return []arenawatch.Request{{Name: "csv", URL: relativeTo(self, m.csv.URL)}}, nil
}

// relativeTo rewrites ref as a reference relative to base when both are on
// the same scheme and host: the bare file name when it is in base's
// directory, else its absolute path. Other refs are returned unchanged.
func relativeTo(base, ref string) string {
	u, err := url.Parse(ref)
	if err != nil || !u.IsAbs() {
		return ref
	}
	bu, err := url.Parse(base)
	if err != nil || !bu.IsAbs() || !strings.EqualFold(bu.Scheme, u.Scheme) || !strings.EqualFold(bu.Host, u.Host) {
		return ref
	}
	rel := &url.URL{Path: u.Path, RawQuery: u.RawQuery}
	if path.Dir(u.Path) == path.Dir(bu.Path) && path.Base(u.Path) != "" {
		rel.Path = path.Base(u.Path)
		if strings.Contains(rel.Path, ":") {
			rel.Path = "./" + rel.Path // not a scheme
		}
	}
	return rel.String()
}

// openRouterModel is one model of GET /api/v1/models: the two keys it
// joins by, read for every model, and the object itself, whose name and
// hugging_face_id are read only when a ranked row joins it.
type openRouterModel struct {
	ID            string
	CanonicalSlug string
	obj           jsonObject
}

// parseOpenRouterModels reads /api/v1/models with the tolerant reader.
// Needed: data, and each model's id and canonical_slug (the join keys).
func parseOpenRouterModels(body []byte) ([]openRouterModel, error) {
	o, err := decodeObject(body, "/api/v1/models")
	if err != nil {
		return nil, driftf("/api/v1/models is not the expected JSON: %v", err)
	}
	data := o.raw("data")
	if data == nil {
		return nil, driftf(`/api/v1/models has no "data" array (data: missing, a field the answer needs)`)
	}
	items, err := decodeArray(data, "/api/v1/models data")
	if err != nil {
		return nil, err
	}
	ms := make([]openRouterModel, 0, len(items))
	for i, item := range items {
		mo, err := decodeObject(item, fmt.Sprintf("/api/v1/models data[%d]", i))
		if err != nil {
			return nil, err
		}
		m := openRouterModel{obj: mo}
		if m.ID, err = mo.needStr("id"); err != nil {
			return nil, err
		}
		if m.CanonicalSlug, err = mo.needStr("canonical_slug"); err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// openWeights reads a joined model's hugging_face_id, needed for the open
// flag: a repository id means open weights, "" or null means none. The
// member must be there: a listing without it would silently make every
// model unclassified.
func (m *openRouterModel) openWeights() (hf string, err error) {
	if _, present := m.obj.members["hugging_face_id"]; !present {
		return "", driftf("%s (%s): hugging_face_id: missing (a field the answer needs: it is the open-weights hint)", m.obj.at, m.ID)
	}
	s, _, err := m.obj.str("hugging_face_id")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(s), nil
}

// openRouterJoin finds a permaslug's model in /api/v1/models.
type openRouterJoin struct {
	canon map[string][]int // canonical_slug → indexes into models
	id    map[string]int
	m     []openRouterModel
}

func newOpenRouterJoin(ms []openRouterModel) *openRouterJoin {
	j := &openRouterJoin{canon: map[string][]int{}, id: map[string]int{}, m: ms}
	for i, m := range ms {
		if m.CanonicalSlug != "" {
			j.canon[m.CanonicalSlug] = append(j.canon[m.CanonicalSlug], i)
		}
		if _, dup := j.id[m.ID]; m.ID != "" && !dup {
			j.id[m.ID] = i
		}
	}
	return j
}

// find joins a permaslug (author/model[-date][:variant]) with a model:
// first by canonical_slug, the permaslug without its variant, preferring
// the listing of the same variant (":free") and else the plain one; then
// by id, the permaslug as it is. It returns the model and the key used.
func (j *openRouterJoin) find(slug string) (*openRouterModel, string) {
	base, variant, _ := strings.Cut(slug, ":")
	if is := j.canon[base]; len(is) > 0 {
		pick := -1
		for _, i := range is {
			_, v, _ := strings.Cut(j.m[i].ID, ":")
			if v == variant {
				pick = i
				break
			}
			if v == "" && pick < 0 {
				pick = i
			}
		}
		if pick < 0 {
			pick = is[0]
		}
		return &j.m[pick], "canonical_slug"
	}
	if i, ok := j.id[slug]; ok {
		return &j.m[i], "id"
	}
	return nil, ""
}

var openRouterColumns = []string{"date", "model_permaslug", "rank", "total_tokens", "share_of_daily_tokens"}

// ExtractOpenRouter reads OpenRouter's daily token rankings: the manifest,
// the dated CSV it names, and the /api/v1/models listing. The CSV must
// match the manifest's sha256 (and size, when stated): a file that does not
// is a damaged or incomplete download, reported as transient and never
// read as data. Only the rows of the newest date in the CSV are kept (one
// snapshot is one day; AsOf is that date), and their shares must sum to 1
// within 0.01.
//
// Each row's model key is the permaslug, its organization the author part
// of it ("deepseek" in "deepseek/deepseek-v4-pro-20260813"), its score the
// day's total tokens and its rank the source's. A row joined with
// /api/v1/models gets the listing's name, and an open flag: true when the
// listing names a Hugging Face repository (hugging_face_id), false when
// that is empty or null. A row that does not join keeps no open flag.
// The aggregate row (every model outside the day's top 50) has the model
// key arenawatch.AggregateModel ("other": every model outside the day's top 50), rank 0 (its rank cell is empty), no
// organization, name, open flag or extras; its tokens and share are kept
// like any row's and count in the share sum.
//
// What is read (the tolerant reader; see parseOpenRouterManifest for the
// manifest):
//   - CSV: needed columns date, model_permaslug, rank (empty only on the
//     "other" row), total_tokens, share_of_daily_tokens, found by header
//     name in any order; any other column is ignored.
//   - /api/v1/models: needed data[].id and data[].canonical_slug (the join
//     keys), and hugging_face_id of each joined model (present; a string
//     or null). Read when well-formed: name. Ignored: created,
//     description, context_length, architecture, pricing, top_provider,
//     per_request_limits, supported_parameters, default_parameters,
//     knowledge_cutoff, expiration_date and anything else.
func ExtractOpenRouter(manifest, csvBody, models []byte) (*Extract, error) {
	file, recs, join, err := openRouterInputs(manifest, csvBody, models)
	if err != nil {
		return nil, err
	}
	newest, dates := openRouterNewest(recs)
	rd := &openRouterReader{join: join, ex: &Extract{AsOf: newest}}
	for _, r := range recs {
		if !r.date.Equal(newest) {
			continue
		}
		if err := rd.row(r); err != nil {
			return nil, err
		}
	}
	if math.Abs(rd.shareSum-1) > 0.01 {
		return nil, driftf("the shares of %s sum to %.4f, not 1 (±0.01): the day is incomplete or the columns changed meaning",
			newest.Format(time.DateOnly), rd.shareSum)
	}
	rd.notes(file, newest, dates, len(recs))
	return rd.ex, nil
}

// openRouterInputs reads the three documents: the manifest, the CSV it
// names (checked against the manifest before it is read) and the models
// listing, made ready for joining.
func openRouterInputs(manifest, csvBody, models []byte) (openRouterFileInfo, []openRouterRecord, *openRouterJoin, error) {
	m, err := parseOpenRouterManifest(manifest)
	if err != nil {
		return openRouterFileInfo{}, nil, nil, err
	}
	file := m.csv
	if csvBody == nil {
		return file, nil, nil, driftf("the CSV file %s was not fetched", file.URL)
	}
	if err := openRouterVerify(file, csvBody); err != nil {
		return file, nil, nil, err
	}
	recs, err := readOpenRouterCSV(csvBody)
	if err != nil {
		return file, nil, nil, err
	}
	list, err := parseOpenRouterModels(models)
	if err != nil {
		return file, nil, nil, err
	}
	return file, recs, newOpenRouterJoin(list), nil
}

// openRouterNewest returns the newest date of the records (the snapshot's
// day) and how many distinct dates they hold (for the note).
func openRouterNewest(recs []openRouterRecord) (time.Time, int) {
	var newest time.Time
	dates := map[time.Time]bool{}
	for _, r := range recs {
		dates[r.date] = true
		if r.date.After(newest) {
			newest = r.date
		}
	}
	return newest, len(dates)
}

// openRouterReader holds the state of turning the newest day's records
// into rows: the join, the rows so far, the share sum that is checked at
// the end and the join counts the notes report.
type openRouterReader struct {
	join                            *openRouterJoin
	ex                              *Extract
	shareSum                        float64
	ranked, byCanon, byID, badNames int
	missing                         []string // ranked slugs not joined
}

// row adds one record of the newest day; a ranked model (every row but
// the aggregate "other") gets its organization and is joined.
func (rd *openRouterReader) row(r openRouterRecord) error {
	rd.shareSum += r.share
	row := arenawatch.Row{
		Model:   r.slug,
		Rank:    r.rank,
		Score:   float64(r.tokens),
		Metrics: map[string]float64{"share_of_daily_tokens": r.share},
	}
	if r.slug != arenawatch.AggregateModel {
		rd.ranked++
		if author, _, ok := strings.Cut(r.slug, "/"); ok && author != "" {
			row.Organization = arenawatch.Str(author)
		}
		if err := rd.joinRow(&row, r.slug); err != nil {
			return err
		}
	}
	rd.ex.Rows = append(rd.ex.Rows, row)
	return nil
}

// joinRow finds slug's model in /api/v1/models, counts how it joined, and
// takes the model's name, open flag and ids into row. The
// hugging_face_id of a joined model is needed: its error fails the board.
func (rd *openRouterReader) joinRow(row *arenawatch.Row, slug string) error {
	m, how := rd.join.find(slug)
	switch how {
	case "canonical_slug":
		rd.byCanon++
	case "id":
		rd.byID++
	default:
		rd.missing = append(rd.missing, slug)
	}
	if m == nil {
		return nil
	}
	if name, _ := m.obj.optStr("name", &rd.badNames); cleanText(name) != "" && cleanText(name) != slug {
		row.Name = cleanText(name)
	}
	hf, err := m.openWeights()
	if err != nil {
		return err
	}
	row.Open = arenawatch.Bool(hf != "")
	row.Extra = map[string]string{"openrouter_id": m.ID}
	if hf != "" {
		row.Extra["hugging_face_id"] = hf
	}
	return nil
}

// notes adds the notes on the day read, the join and malformed names.
func (rd *openRouterReader) notes(file openRouterFileInfo, newest time.Time, dates, records int) {
	ex := rd.ex
	days := "1 date"
	if dates != 1 {
		days = fmt.Sprintf("%d dates", dates)
	}
	ex.Notes = append(ex.Notes, fmt.Sprintf("rows of %s, the newest date in %s (%s, %d rows; sha256 matches the manifest)",
		newest.Format(time.DateOnly), path.Base(file.URL), days, records))
	joined := rd.byCanon + rd.byID
	note := fmt.Sprintf("%d of %d ranked models joined with /api/v1/models for name and open flag (%d by canonical_slug, %d by id)",
		joined, rd.ranked, rd.byCanon, rd.byID)
	if len(rd.missing) > 0 {
		note += fmt.Sprintf("; not joined, openness left to the catalog: %s", strings.Join(rd.missing, ", "))
	}
	ex.Notes = append(ex.Notes, note)
	if rd.badNames > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(rd.badNames))
	}
}

type openRouterRecord struct {
	date   time.Time
	slug   string
	rank   int
	tokens int64
	share  float64
}

// readOpenRouterCSV parses the rankings CSV (CRLF or LF) by header name.
func readOpenRouterCSV(body []byte) ([]openRouterRecord, error) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, driftf("the CSV has no header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[k]; !dup {
			col[k] = i
		}
	}
	var lacking []string
	for _, c := range openRouterColumns {
		if _, ok := col[c]; !ok {
			lacking = append(lacking, c)
		}
	}
	if len(lacking) > 0 {
		return nil, driftf("the CSV lacks the column(s) %s (header: %s)", strings.Join(lacking, ", "), strings.Join(quoteAll(header), ", "))
	}
	var out []openRouterRecord
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, driftf("CSV: %v", err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		field := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		r := openRouterRecord{slug: field("model_permaslug")}
		where := fmt.Sprintf("CSV line %d", line)
		if r.slug == "" {
			return nil, driftf("%s: no model_permaslug", where)
		}
		where += " (" + r.slug + ")"
		if r.date, err = time.Parse(time.DateOnly, field("date")); err != nil {
			return nil, driftf("%s: date %q is not YYYY-MM-DD", where, field("date"))
		}
		if s := field("rank"); s != "" {
			if r.rank, err = strconv.Atoi(s); err != nil || r.rank < 1 {
				return nil, driftf("%s: rank %q is not a positive integer", where, s)
			}
		}
		if r.tokens, err = strconv.ParseInt(field("total_tokens"), 10, 64); err != nil || r.tokens < 0 {
			return nil, driftf("%s: total_tokens %q is not a token count", where, field("total_tokens"))
		}
		if r.share, err = strconv.ParseFloat(field("share_of_daily_tokens"), 64); err != nil || !finiteFloat(r.share) || r.share < 0 || r.share > 1 {
			return nil, driftf("%s: share_of_daily_tokens %q is not a share between 0 and 1", where, field("share_of_daily_tokens"))
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, driftf("the CSV has a header but no rows")
	}
	return out, nil
}

func finiteFloat(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
