package scraper

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
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

// OpenRouterOther is the model key of the rankings export's aggregate row:
// every model outside the day's top 50, with an empty rank.
const OpenRouterOther = "other"

// openRouterManifestURL is the keyless CC BY 4.0 export's manifest of the
// daily token rankings. It names one dated, immutable CSV with its sha256.
const openRouterManifestURL = "https://openrouter.ai/api/v1/datasets/exports/rankings-daily/latest.manifest.json"

func init() {
	extractors["openrouter-daily"] = extractorSpec{
		version:  OpenRouterParserVersion,
		requests: []string{"manifest", "models"},
		next:     openRouterNext,
		run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractOpenRouter(docs["manifest"], docs["csv"], docs["models"])
		},
	}
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

// openRouterManifest is latest.manifest.json of an OpenRouter export.
type openRouterManifest struct {
	Dataset      string                        `json:"dataset"`
	SnapshotDate string                        `json:"snapshot_date"`
	RowCount     *int                          `json:"row_count"`
	Files        map[string]openRouterFileInfo `json:"files"`
	Latest       map[string]string             `json:"latest"`
}

type openRouterFileInfo struct {
	URL    string `json:"url"`
	Bytes  *int64 `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// parseOpenRouterManifest reads a manifest and returns its CSV entry, or a
// drift error that says what is missing.
func parseOpenRouterManifest(body []byte) (*openRouterManifest, openRouterFileInfo, error) {
	var m openRouterManifest
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, openRouterFileInfo{}, driftf("manifest is not the expected JSON: %v", err)
	}
	if m.Dataset != "" && m.Dataset != "rankings-daily" {
		return nil, openRouterFileInfo{}, driftf("manifest is for dataset %q, not rankings-daily", m.Dataset)
	}
	if len(m.Files) == 0 {
		return nil, openRouterFileInfo{}, driftf("manifest names no files (no \"files\" object)")
	}
	f, ok := m.Files["csv"]
	if !ok {
		var kinds []string
		for k := range m.Files {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		return nil, openRouterFileInfo{}, driftf("manifest names no CSV file (files: %s)", strings.Join(kinds, ", "))
	}
	if strings.TrimSpace(f.URL) == "" {
		return nil, openRouterFileInfo{}, driftf("manifest's CSV file has no url")
	}
	if _, err := hex.DecodeString(f.SHA256); err != nil || len(f.SHA256) != 64 {
		return nil, openRouterFileInfo{}, driftf("manifest's CSV file %s has no valid sha256 (%q)", f.URL, f.SHA256)
	}
	return &m, f, nil
}

// openRouterNext asks for the dated CSV the manifest names, once. A file
// that lives beside the manifest is asked for relative to the board's main
// URL, so that a mirror (--url) or a replay serves it too; a file elsewhere
// on the manifest's host keeps its path; a file on another host is asked for
// as it is.
func openRouterNext(b arenawatch.Board, docs map[string][]byte) ([]arenawatch.Request, error) {
	if _, done := docs["csv"]; done {
		return nil, nil
	}
	m, f, err := parseOpenRouterManifest(docs["manifest"])
	if err != nil {
		return nil, err
	}
	self := m.Latest["manifest"]
	if self == "" && len(b.Requests) > 0 {
		self = b.Requests[0].Canonical
		if self == "" {
			self = b.Requests[0].URL
		}
	}
	return []arenawatch.Request{{Name: "csv", URL: relativeTo(self, strings.TrimSpace(f.URL))}}, nil
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

// openRouterModels is the response of GET /api/v1/models.
type openRouterModels struct {
	Data []openRouterModel `json:"data"`
}

type openRouterModel struct {
	ID            string  `json:"id"`
	CanonicalSlug string  `json:"canonical_slug"`
	Name          string  `json:"name"`
	HuggingFaceID *string `json:"hugging_face_id"`
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
// is never read as data. Only the rows of the newest date in the CSV are
// kept (one snapshot is one day; AsOf is that date), and their shares must
// sum to 1 within 0.01.
//
// Each row's model key is the permaslug, its organization the author part
// of it ("deepseek" in "deepseek/deepseek-v4-pro-20260813"), its score the
// day's total tokens and its rank the source's. A row joined with
// /api/v1/models gets the listing's name, and an open flag: true when the
// listing names a Hugging Face repository (hugging_face_id), false when
// that is empty. A row that does not join keeps no open flag. The "other"
// row (models outside the top 50) is kept with no organization.
func ExtractOpenRouter(manifest, csvBody, models []byte) (*Extract, error) {
	_, file, err := parseOpenRouterManifest(manifest)
	if err != nil {
		return nil, err
	}
	if csvBody == nil {
		return nil, driftf("the CSV file %s was not fetched", file.URL)
	}
	sum := sha256.Sum256(csvBody)
	if got := hex.EncodeToString(sum[:]); !strings.EqualFold(got, file.SHA256) {
		return nil, driftf("the CSV file %s has sha256 %s, the manifest says %s: the file changed after the manifest was written or arrived damaged; it is not read",
			file.URL, got, strings.ToLower(file.SHA256))
	}
	if file.Bytes != nil && *file.Bytes != int64(len(csvBody)) {
		return nil, driftf("the CSV file %s has %d bytes, the manifest says %d", file.URL, len(csvBody), *file.Bytes)
	}
	recs, err := readOpenRouterCSV(csvBody)
	if err != nil {
		return nil, err
	}
	var list openRouterModels
	if err := json.Unmarshal(models, &list); err != nil {
		return nil, driftf("/api/v1/models is not the expected JSON: %v", err)
	}
	if list.Data == nil {
		return nil, driftf("/api/v1/models has no \"data\" array")
	}
	join := newOpenRouterJoin(list.Data)

	var newest time.Time
	dates := map[time.Time]bool{}
	for _, r := range recs {
		dates[r.date] = true
		if r.date.After(newest) {
			newest = r.date
		}
	}
	ex := &Extract{AsOf: newest}
	var shareSum float64
	var ranked, byCanon, byID int
	var missing []string
	for _, r := range recs {
		if !r.date.Equal(newest) {
			continue
		}
		shareSum += r.share
		row := arenawatch.Row{
			Model:   r.slug,
			Rank:    r.rank,
			Score:   float64(r.tokens),
			Metrics: map[string]float64{"share_of_daily_tokens": r.share},
		}
		if r.slug != OpenRouterOther {
			ranked++
			if author, _, ok := strings.Cut(r.slug, "/"); ok && author != "" {
				row.Organization = arenawatch.Str(author)
			}
			m, how := join.find(r.slug)
			switch how {
			case "canonical_slug":
				byCanon++
			case "id":
				byID++
			default:
				missing = append(missing, r.slug)
			}
			if m != nil {
				if name := cleanText(m.Name); name != "" && name != r.slug {
					row.Name = name
				}
				hf := ""
				if m.HuggingFaceID != nil {
					hf = strings.TrimSpace(*m.HuggingFaceID)
				}
				row.Open = arenawatch.Bool(hf != "")
				row.Extra = map[string]string{"openrouter_id": m.ID}
				if hf != "" {
					row.Extra["hugging_face_id"] = hf
				}
			}
		}
		ex.Rows = append(ex.Rows, row)
	}
	if math.Abs(shareSum-1) > 0.01 {
		return nil, driftf("the shares of %s sum to %.4f, not 1 (±0.01): the day is incomplete or the columns changed meaning",
			newest.Format(time.DateOnly), shareSum)
	}
	days := "1 date"
	if len(dates) != 1 {
		days = fmt.Sprintf("%d dates", len(dates))
	}
	ex.Notes = append(ex.Notes, fmt.Sprintf("rows of %s, the newest date in %s (%s, %d rows; sha256 matches the manifest)",
		newest.Format(time.DateOnly), path.Base(file.URL), days, len(recs)))
	joined := byCanon + byID
	note := fmt.Sprintf("%d of %d ranked models joined with /api/v1/models for name and open flag (%d by canonical_slug, %d by id)",
		joined, ranked, byCanon, byID)
	if len(missing) > 0 {
		note += fmt.Sprintf("; not joined, openness left to the catalog: %s", strings.Join(missing, ", "))
	}
	ex.Notes = append(ex.Notes, note)
	return ex, nil
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
