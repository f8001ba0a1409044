package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/arenawatch/arenawatch"
)

// LiveBenchParserVersion names the LiveBench extractor.
const LiveBenchParserVersion = "livebench-csv/2"

var (
	liveBenchScripts = cascadia.MustCompile("script[src]")
	// liveBenchBundle matches the app bundle a Create React App page loads
	// (the deployed page writes it relative: "./static/js/main.b0448181.js").
	liveBenchBundle = regexp.MustCompile(`(^|/)static/js/main\.[0-9A-Za-z_-]+\.js$`)

	// Where the bundle names releases. The deployed bundle (gh-pages
	// 2026-06-30) builds the file names at run time,
	// fetch(`./table_${r}.csv`) with r = the date with "-" → "_", and names
	// the dates only in the release selector: its initial state,
	// useState("2026-01-08"), and two chains of comparisons between the
	// slider position and the date ("2024-06-24"===e?"0":… and
	// "0"===t?"2024-06-24":…:"8"===t?"2025-12-23":"2026-01-08"). Older
	// bundles spelled "table_2024_06_24" or listed the dates in an array.
	// Each pattern needs the date in a release context, because the model
	// list carries dates too (version:"2026-06-09", newer than any release).
	liveBenchStateDate = regexp.MustCompile("useState\\)?\\(\\s*[\"'`](20\\d\\d-\\d\\d-\\d\\d)[\"'`]\\s*\\)")
	liveBenchCmpDate   = regexp.MustCompile("[\"'`](20\\d\\d[-_]\\d\\d[-_]\\d\\d)[\"'`]\\s*===|===\\s*[\"'`](20\\d\\d[-_]\\d\\d[-_]\\d\\d)[\"'`]")
	liveBenchThenDate  = regexp.MustCompile("===\\s*[\\w$.]+\\s*\\?\\s*[\"'`](20\\d\\d[-_]\\d\\d[-_]\\d\\d)[\"'`]")
	liveBenchElseDate  = regexp.MustCompile("\\?\\s*[\"'`]20\\d\\d[-_]\\d\\d[-_]\\d\\d[\"'`]\\s*:\\s*[\"'`](20\\d\\d[-_]\\d\\d[-_]\\d\\d)[\"'`]")
	liveBenchFileDate  = regexp.MustCompile(`(?:table|categories)_(20\d\d[-_]\d\d[-_]\d\d)`)
	liveBenchDateArray = regexp.MustCompile("\\[\\s*(?:[\"'`]20\\d\\d[-_]\\d\\d[-_]\\d\\d[\"'`]\\s*,\\s*)*[\"'`]20\\d\\d[-_]\\d\\d[-_]\\d\\d[\"'`]\\s*,?\\s*\\]")
	liveBenchDate      = regexp.MustCompile(`20\d\d[-_]\d\d[-_]\d\d`)

	// liveBenchObjectOfObjects finds where an object literal whose first
	// value is itself an object starts: where the model list can begin.
	liveBenchObjectOfObjects = regexp.MustCompile("\\{\\s*(?:\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*'|[A-Za-z_$][\\w$]*)\\s*:\\s*\\{")
)

// liveBenchSite declares the livebench extractor and its boards (see site).
var liveBenchSite = site{
	extractors: map[string]Extractor{"livebench": {
		Version:  LiveBenchParserVersion,
		Requests: []string{"page"},
		Next:     liveBenchNext,
		Run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractLiveBench(docs["bundle"], docs["table"], docs["categories"])
		},
	}},
	boards: liveBenchBoards,
}

// liveBenchBoards returns the LiveBench board.
func liveBenchBoards() arenawatch.Boards {
	return arenawatch.Boards{{
		ID:        "livebench",
		Title:     "LiveBench (livebench.ai), newest release, all categories: global average",
		Site:      "livebench.ai",
		Extractor: "livebench",
		Requests:  []arenawatch.Request{{Name: "page", URL: "https://livebench.ai/"}},
		Rank:      arenawatch.RankByScore,
		Limits:    arenawatch.Limits{MinRows: 50},
		ScoreName: "global average",
	}}
}

// liveBenchNext walks the single-page app to its data: the page names the
// JS bundle, the bundle names the releases, and the newest release's table
// and categories are fetched (relative to the page, as the app does).
func liveBenchNext(_ arenawatch.Board, docs map[string][]byte) ([]arenawatch.Request, error) {
	if _, ok := docs["bundle"]; !ok {
		src, err := liveBenchBundleURL(docs["page"])
		if err != nil {
			return nil, err
		}
		return []arenawatch.Request{{Name: "bundle", URL: src}}, nil
	}
	if _, ok := docs["table"]; ok {
		return nil, nil
	}
	release, err := liveBenchRelease(docs["bundle"])
	if err != nil {
		return nil, err
	}
	stamp := release.Format("2006_01_02")
	return []arenawatch.Request{
		{Name: "table", URL: "table_" + stamp + ".csv"},
		{Name: "categories", URL: "categories_" + stamp + ".json"},
	}, nil
}

// liveBenchBundleURL returns the src of the page's main bundle.
func liveBenchBundleURL(page []byte) (string, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return "", driftf("parse HTML: %v", err)
	}
	var found string
	doc.FindMatcher(liveBenchScripts).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		src := strings.TrimSpace(s.AttrOr("src", ""))
		path, _, _ := strings.Cut(src, "?")
		if liveBenchBundle.MatchString(path) {
			found = src
			return false
		}
		return true
	})
	if found == "" {
		return "", driftf(`no app bundle (<script src="/static/js/main.….js">) in the page`)
	}
	return found, nil
}

// liveBenchReleases is what the bundle says about releases: the newest
// one it names and the release selector's initial state (zero when the
// bundle has none).
type liveBenchReleases struct {
	newest, initial time.Time
}

// liveBenchRelease returns the release to read: the newest date the bundle
// names as a release. The newest, not only the selector's initial state:
// the two have always been equal, and if a deploy ever lags in updating
// the initial state, the newest release is still the current leaderboard
// (its files are deployed with the bundle that names it; a missing file
// fails the board loudly with a 404).
func liveBenchRelease(bundle []byte) (time.Time, error) {
	r, err := liveBenchReleaseInfo(bundle)
	return r.newest, err
}

// liveBenchReleaseInfo finds every date the bundle names in a release
// context (see liveBenchStateDate and its siblings).
func liveBenchReleaseInfo(bundle []byte) (liveBenchReleases, error) {
	var out liveBenchReleases
	parse := func(c []byte) (time.Time, bool) {
		t, err := time.Parse("2006-01-02", strings.ReplaceAll(string(c), "_", "-"))
		return t, err == nil // not a calendar date: not a release
	}
	take := func(c []byte) {
		if t, ok := parse(c); ok && t.After(out.newest) {
			out.newest = t
		}
	}
	for _, m := range liveBenchStateDate.FindAllSubmatch(bundle, -1) {
		if t, ok := parse(m[1]); ok {
			take(m[1])
			if t.After(out.initial) {
				out.initial = t
			}
		}
	}
	for _, re := range []*regexp.Regexp{liveBenchCmpDate, liveBenchThenDate, liveBenchElseDate, liveBenchFileDate} {
		for _, m := range re.FindAllSubmatch(bundle, -1) {
			for _, g := range m[1:] {
				if g != nil {
					take(g)
				}
			}
		}
	}
	for _, arr := range liveBenchDateArray.FindAll(bundle, -1) {
		for _, d := range liveBenchDate.FindAll(arr, -1) {
			take(d)
		}
	}
	if out.newest.IsZero() {
		return out, driftf(`the app bundle names no release: looked for the release selector's useState("YYYY-MM-DD"), ` +
			`a comparison chain ("N"===x?"YYYY-MM-DD":…, "YYYY-MM-DD"===x?"N":…), "table_YYYY_MM_DD" and an array of release dates`)
	}
	return out, nil
}

// liveBenchLink is one entry of the bundle's modelLinks object.
type liveBenchLink struct {
	organization, displayName, version, note string
	openweight, reasoner                     *bool
	variantOf                                string // the base entry, for a variant
}

// ExtractLiveBench computes the LiveBench leaderboard of the newest release
// named in the app bundle, as the site does: the table (one row per model,
// one column per task, scores 0–100) is averaged per category (the mean of
// the category's tasks that have a score) and the global average is the
// mean of the category averages, both rounded to two decimals like the
// site shows them. Score is the global average; Metrics hold the category
// averages under snake_case names. The as-of date is the release date.
//
// Every table model is stored, all variants included: the site's default
// view keeps one row per variant group (the best) and hides models missing
// from its model list; arenawatch keeps them all, so that no model goes
// missing, and says so in the notes.
//
// Fields the answer needs, each failing the board by name when missing or
// malformed:
//   - bundle: a release date (see liveBenchRelease) and the model list
//     (see liveBenchModelLinks: organization, openweight, variants[].rawName);
//   - categories_<release>.json: an object of category → list of task names;
//   - table_<release>.csv: the model column and every task column a
//     category names, each cell a number or empty.
//
// Read when present, left out when malformed: displayName (Name), version,
// reasoner, note (Extra), and the variant a model belongs to (Extra
// variant_of). A listed model without openweight: true is closed, as the
// site's open-weights filter reads it; a model missing from the list keeps
// no organization and no open flag, and the catalog classifies it by name.
// Ignored: table columns no category names (listed in a note), url,
// highUnseenBias and every other key of the model list.
func ExtractLiveBench(bundle, table, categories []byte) (*Extract, error) {
	rel, err := liveBenchReleaseInfo(bundle)
	if err != nil {
		return nil, err
	}
	links, badLinks, err := liveBenchModelLinks(bundle)
	if err != nil {
		return nil, err
	}
	cats, err := liveBenchCategories(categories)
	if err != nil {
		return nil, err
	}
	records, err := liveBenchCSV(table)
	if err != nil {
		return nil, err
	}
	r := &liveBenchReader{rel: rel, links: links, badLinks: badLinks, cats: cats}
	if err := r.columns(records[0]); err != nil {
		return nil, err
	}
	if err := r.categoryColumns(); err != nil {
		return nil, err
	}
	if len(records) == 1 {
		return nil, driftf("table has a header but no models")
	}
	ex := &Extract{AsOf: rel.newest}
	for i, rec := range records[1:] {
		row, ok, err := r.row(i+2, rec)
		if err != nil {
			return nil, err
		}
		if ok {
			ex.Rows = append(ex.Rows, row)
		}
	}
	// The site lists models by global average, best first; ties keep the
	// table's order.
	sort.SliceStable(ex.Rows, func(i, j int) bool { return ex.Rows[i].Score > ex.Rows[j].Score })
	ex.Notes = append(ex.Notes, r.notes(len(records)-1)...)
	return ex, nil
}

// liveBenchReader holds what the steps of ExtractLiveBench share: the
// inputs read from the bundle and the categories file, the table's
// columns, and what reading the rows found for the notes.
type liveBenchReader struct {
	rel      liveBenchReleases
	links    map[string]liveBenchLink
	badLinks int
	cats     map[string][]string // category → task columns

	header   []string          // the table's column names, trimmed
	col      map[string]int    // column name → index
	modelCol int               // index of the model column
	catNames []string          // categories, sorted
	metricOf map[string]string // category → metric name
	unused   []string          // columns no category names

	short, unlinked, skipped []string // models, for the notes
	variantRows              int
}

// columns reads the table's header (trimmed in place, byte-order mark
// dropped): every column once, the model column among them.
func (r *liveBenchReader) columns(header []string) error {
	r.header = header
	r.col = map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if _, dup := r.col[h]; dup {
			return driftf("table has two %q columns", h)
		}
		r.col[h] = i
	}
	modelCol, ok := r.col["model"]
	if !ok {
		return driftf("table has no model column (headers: %s)", strings.Join(quoteAll(header), ", "))
	}
	r.modelCol = modelCol
	return nil
}

// categoryColumns checks every category against the header (each names
// tasks, each task a column, each gets its own metric name) and lists the
// columns no category names.
func (r *liveBenchReader) categoryColumns() error {
	r.catNames = make([]string, 0, len(r.cats))
	for c := range r.cats {
		r.catNames = append(r.catNames, c)
	}
	sort.Strings(r.catNames)
	r.metricOf = map[string]string{}
	used := map[string]bool{}
	taken := map[string]string{}
	for _, c := range r.catNames {
		if len(r.cats[c]) == 0 {
			return driftf("category %q lists no tasks", c)
		}
		for _, task := range r.cats[c] {
			if _, ok := r.col[task]; !ok {
				return driftf("categories file names task %q (category %q) but the table has no such column", task, c)
			}
			used[task] = true
		}
		m := liveBenchMetricName(c)
		if prev, dup := taken[m]; dup || m == "" {
			return driftf("categories %q and %q have the same metric name %q", prev, c, m)
		}
		taken[m], r.metricOf[c] = c, m
	}
	for _, h := range r.header {
		if h != "model" && !used[h] {
			r.unused = append(r.unused, h)
		}
	}
	return nil
}

// row reads table line number line: its category averages and the model
// list's entry for it. ok is false for a model skipped because a category
// has no score (noted, not an error).
func (r *liveBenchReader) row(line int, rec []string) (row arenawatch.Row, ok bool, err error) {
	if len(rec) > len(r.header) {
		return row, false, driftf("table line %d has %d fields, the header %d", line, len(rec), len(r.header))
	}
	model := liveBenchCell(rec, r.modelCol)
	if model == "" {
		return row, false, driftf("table line %d has no model", line)
	}
	if len(rec) < len(r.header) {
		r.short = append(r.short, model)
	}
	metrics, sum, missing, err := r.averages(line, model, rec)
	if err != nil {
		return row, false, err
	}
	if missing != "" {
		r.skipped = append(r.skipped, fmt.Sprintf("%s (no %s score)", model, missing))
		return row, false, nil
	}
	row = arenawatch.Row{Model: model, Score: liveBenchRound(sum / float64(len(r.catNames))), Metrics: metrics}
	link, linked := r.links[model]
	if !linked {
		r.unlinked = append(r.unlinked, model)
	} else if liveBenchApplyLink(&row, link, model) {
		r.variantRows++
	}
	return row, true, nil
}

// liveBenchCell is cell j of a table line, trimmed; a line that ends
// early reads as empty there (as the site's CSV reader pads it).
func liveBenchCell(rec []string, j int) string {
	if j < len(rec) {
		return strings.TrimSpace(rec[j])
	}
	return ""
}

// averages computes a line's category averages (metrics, rounded) and
// their unrounded sum. missing names the first category (in name order)
// without any score, when there is one; the averages are then incomplete.
func (r *liveBenchReader) averages(line int, model string, rec []string) (metrics map[string]float64, sum float64, missing string, err error) {
	metrics = map[string]float64{}
	for _, c := range r.catNames {
		var total float64
		n := 0
		for _, task := range r.cats[c] {
			v, ok, err := ParseNumber(liveBenchCell(rec, r.col[task]))
			if err != nil {
				return nil, 0, "", driftf("table line %d (%s), column %s: %v", line, model, task, err)
			}
			if ok {
				total += v
				n++
			}
		}
		if n == 0 {
			return metrics, sum, c, nil
		}
		avg := total / float64(n)
		sum += avg
		metrics[r.metricOf[c]] = liveBenchRound(avg)
	}
	return metrics, sum, "", nil
}

// liveBenchApplyLink fills a row from its model-list entry: organization,
// open flag, display name and the Extra fields. It reports whether the
// entry is a variant of another.
func liveBenchApplyLink(r *arenawatch.Row, link liveBenchLink, model string) (variant bool) {
	if link.organization != "" {
		r.Organization = arenawatch.Str(link.organization)
	}
	// The site flags open-weight models with openweight: true and
	// leaves the key out for the others; its open-weights filter
	// reads it that way, and so does arenawatch.
	r.Open = arenawatch.Bool(link.openweight != nil && *link.openweight)
	if link.displayName != "" && link.displayName != model {
		r.Name = link.displayName
	}
	extra := map[string]string{}
	if link.version != "" {
		extra["version"] = link.version
	}
	if link.reasoner != nil {
		extra["reasoner"] = strconv.FormatBool(*link.reasoner)
	}
	if link.note != "" {
		extra["note"] = link.note
	}
	if link.variantOf != "" {
		extra["variant_of"] = link.variantOf
		variant = true
	}
	if len(extra) > 0 {
		r.Extra = extra
	}
	return variant
}

// notes says how the leaderboard was computed and what was left out or
// read partly; models is the number of table lines.
func (r *liveBenchReader) notes(models int) []string {
	release := r.rel.newest
	notes := []string{fmt.Sprintf("release %s: global average = mean of %d category averages (%s)",
		release.Format("2006-01-02"), len(r.catNames), strings.Join(r.catNames, ", "))}
	if !r.rel.initial.IsZero() && !r.rel.initial.Equal(release) {
		notes = append(notes, fmt.Sprintf("the site opens on release %s; %s is the newest it names", r.rel.initial.Format("2006-01-02"), release.Format("2006-01-02")))
	}
	if r.variantRows > 0 {
		notes = append(notes, fmt.Sprintf("%d models are variants of a model-list entry (organization and openweight from it; Extra variant_of); the site's default view shows the best of each group, arenawatch stores them all", r.variantRows))
	}
	if r.badLinks > 0 {
		notes = append(notes, "model list: "+badFieldsNote(r.badLinks))
	}
	if len(r.unused) > 0 {
		notes = append(notes, fmt.Sprintf("table columns in no category, ignored: %s", strings.Join(r.unused, ", ")))
	}
	if len(r.short) > 0 {
		notes = append(notes, fmt.Sprintf("%d table lines end early, their last cells read as empty: %s", len(r.short), strings.Join(r.short, ", ")))
	}
	if len(r.skipped) > 0 {
		notes = append(notes, fmt.Sprintf("%d models skipped, a category has no score: %s", len(r.skipped), strings.Join(r.skipped, ", ")))
	}
	if len(r.unlinked) > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d models are not in the bundle's model list (no organization or openweight flag; the site hides them): %s",
			len(r.unlinked), models, strings.Join(r.unlinked, ", ")))
	}
	return notes
}

// liveBenchCategories reads categories_<release>.json: an object of
// category → task names (the table's column names). Every member is a
// category the site averages, so none is ignored.
func liveBenchCategories(body []byte) (map[string][]string, error) {
	obj, err := decodeObject(body, "categories file")
	if err != nil {
		return nil, err
	}
	if len(obj.members) == 0 {
		return nil, driftf("categories file lists no categories")
	}
	cats := make(map[string][]string, len(obj.members))
	for name, raw := range obj.members {
		var tasks []string
		if err := json.Unmarshal(raw, &tasks); err != nil {
			return nil, driftf("categories file: category %q: want a list of task names, got %s", name, head(bytes.TrimSpace(raw), 40))
		}
		for _, t := range tasks {
			if strings.TrimSpace(t) == "" {
				return nil, driftf("categories file: category %q names an empty task", name)
			}
		}
		cats[name] = tasks
	}
	return cats, nil
}

// liveBenchCSV reads the table: a header and at least the header row. Lines
// may be shorter than the header (the site's CSV reader pads them).
func liveBenchCSV(table []byte) ([][]string, error) {
	if !utf8.Valid(table) {
		return nil, driftf("table is not UTF-8")
	}
	rd := csv.NewReader(bytes.NewReader(table))
	rd.FieldsPerRecord = -1
	var out [][]string
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, driftf("table is not CSV: %v", err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, driftf("table is empty")
	}
	return out, nil
}

// liveBenchMetricName turns a category name into a metric name:
// "Agentic Coding" → "agentic_coding", "IF" → "if".
func liveBenchMetricName(c string) string { return snakeCase(c) }

// liveBenchRound rounds to two decimals, as the site's toFixed(2) shows scores.
func liveBenchRound(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 2, 64), 64)
	return r
}

// liveBenchModelLinks reads the bundle's model list (modelLinks.js in the
// site's source, a minified object literal in the bundle): the largest
// object literal whose values are mostly objects carrying an
// "organization". Minified JS writes it with bare or quoted keys and !0/!1
// for true/false. An entry may list variants ({rawName, displayName, …}):
// the site resolves a table model that is a variant's rawName to its base
// entry, with the variant's displayName, version, reasoner and openweight
// when it has them, and so does arenawatch (a direct entry wins over a
// variant of the same name, as on the site; among variants, the last).
//
// Read: organization, openweight, displayName, version, reasoner, note,
// variants[].rawName and the variant overrides. A wrong type of
// organization or openweight (the answer's fields), or a variant without
// rawName, fails the board naming the field; a wrong type of the others
// leaves them out (counted in bad). Ignored: url, highUnseenBias and any
// other key.
func liveBenchModelLinks(bundle []byte) (links map[string]liveBenchLink, bad int, err error) {
	best := liveBenchFindModelList(bundle)
	if best == nil {
		return nil, 0, driftf("the app bundle has no model list (modelLinks: an object of model → {organization, displayName, openweight, variants})")
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic order for errors and for variants named twice
	links = make(map[string]liveBenchLink, len(best))
	variants := map[string]liveBenchLink{}
	for _, key := range keys {
		m, ok := best[key].(map[string]any)
		if !ok {
			continue // not an entry (the detector allows a few)
		}
		at := fmt.Sprintf("modelLinks[%q]", key)
		base, err := liveBenchReadLink(m, liveBenchLink{}, at, &bad)
		if err != nil {
			return nil, 0, err
		}
		links[key] = base
		if err := liveBenchReadVariants(m, base, key, at, &bad, variants); err != nil {
			return nil, 0, err
		}
	}
	for raw, v := range variants {
		if _, direct := links[raw]; !direct {
			links[raw] = v
		}
	}
	return links, bad, nil
}

// liveBenchFindModelList finds the model list in the bundle: of the object
// literals whose values are mostly objects with an "organization", the
// largest (the first of equals). nil when there is none.
func liveBenchFindModelList(bundle []byte) map[string]any {
	var best map[string]any
	for pos := 0; pos < len(bundle); {
		loc := liveBenchObjectOfObjects.FindIndex(bundle[pos:])
		if loc == nil {
			break
		}
		start := pos + loc[0]
		p := &jsLiteral{s: bundle, i: start}
		v, err := p.value(0)
		obj, isObj := v.(map[string]any)
		if err != nil || !isObj {
			pos = start + 1
			continue
		}
		linked := 0
		for _, e := range obj {
			if m, ok := e.(map[string]any); ok {
				if _, ok := m["organization"]; ok {
					linked++
				}
			}
		}
		if linked > 0 && linked*2 >= len(obj) && len(obj) > len(best) {
			best = obj
		}
		pos = p.i // skip the literal just read, inner objects included
	}
	return best
}

// liveBenchReadVariants reads the variants of model-list entry m (named
// key, read as base; at names it in messages) into variants, keyed by
// rawName: each is base with the variant's own fields over it.
func liveBenchReadVariants(m map[string]any, base liveBenchLink, key, at string, bad *int, variants map[string]liveBenchLink) error {
	vs, present := m["variants"]
	if !present || vs == nil {
		return nil
	}
	arr, ok := vs.([]any)
	if !ok {
		return driftf("%s.variants: want a list of {rawName, …}, got %s", at, jsKind(vs))
	}
	for i, e := range arr {
		vat := fmt.Sprintf("%s.variants[%d]", at, i)
		vm, ok := e.(map[string]any)
		if !ok {
			return driftf("%s: want an object {rawName, …}, got %s", vat, jsKind(e))
		}
		raw, ok := vm["rawName"].(string)
		if raw = cleanText(raw); !ok || raw == "" {
			return driftf("%s.rawName: missing (the table's name of the variant, a field the answer needs)", vat)
		}
		v := base
		v.variantOf = key
		v, err := liveBenchReadLink(vm, v, vat, bad)
		if err != nil {
			return err
		}
		variants[raw] = v
	}
	return nil
}

// liveBenchReadLink reads the fields of one model-list entry (or variant)
// over base: a field the entry has replaces base's.
func liveBenchReadLink(m map[string]any, base liveBenchLink, at string, bad *int) (liveBenchLink, error) {
	l := base
	if v, ok := m["organization"]; ok && v != nil {
		s, isStr := v.(string)
		if !isStr {
			return l, driftf("%s.organization: want a string, got %s", at, jsKind(v))
		}
		l.organization = cleanText(s)
	}
	if v, ok := m["openweight"]; ok && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			return l, driftf("%s.openweight: want true or false, got %s", at, jsKind(v))
		}
		l.openweight = &b
	}
	optStr := func(k string, dst *string) {
		if v, ok := m[k]; ok && v != nil {
			if s, isStr := v.(string); isStr {
				*dst = cleanText(s)
			} else {
				*bad++
			}
		}
	}
	optStr("displayName", &l.displayName)
	optStr("version", &l.version)
	optStr("note", &l.note)
	if v, ok := m["reasoner"]; ok && v != nil {
		if b, isBool := v.(bool); isBool {
			l.reasoner = &b
		} else {
			*bad++
		}
	}
	return l, nil
}

// jsKind names the type of a value read by jsLiteral, for messages.
func jsKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// jsLiteral reads a JavaScript literal as minifiers write data: objects
// with bare or quoted keys, arrays, strings in any quotes, numbers,
// true/false/!0/!1, null and void 0. Anything else (code) is an error.
type jsLiteral struct {
	s []byte
	i int
}

var errJSNotLiteral = errors.New("not a literal")

func (p *jsLiteral) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsLiteral) peek() byte {
	p.space()
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *jsLiteral) has(word string) bool {
	if bytes.HasPrefix(p.s[p.i:], []byte(word)) {
		end := p.i + len(word)
		if end == len(p.s) || !jsIdentByte(p.s[end]) {
			p.i = end
			return true
		}
	}
	return false
}

func jsIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func (p *jsLiteral) value(depth int) (any, error) {
	if depth > 32 {
		return nil, errJSNotLiteral
	}
	switch c := p.peek(); {
	case c == '{':
		p.i++
		return p.object(depth)
	case c == '[':
		p.i++
		return p.array(depth)
	case c == '"' || c == '\'' || c == '`':
		return p.str()
	case c == '!':
		p.i++
		switch {
		case p.has("0"):
			return true, nil
		case p.has("1"):
			return false, nil
		}
		return nil, errJSNotLiteral
	case c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return p.number()
	case p.has("true"):
		return true, nil
	case p.has("false"):
		return false, nil
	case p.has("null"):
		return nil, nil
	case p.has("void"):
		p.space()
		if p.has("0") {
			return nil, nil
		}
	}
	return nil, errJSNotLiteral
}

// object reads the members of an object literal, after its "{" (at depth
// of the object itself), through its "}".
func (p *jsLiteral) object(depth int) (any, error) {
	obj := map[string]any{}
	for {
		c := p.peek()
		if c == '}' {
			p.i++
			return obj, nil
		}
		key, err := p.key(c)
		if err != nil {
			return nil, err
		}
		if p.peek() != ':' {
			return nil, errJSNotLiteral
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		obj[key] = v
		switch p.peek() {
		case ',':
			p.i++
		case '}':
		default:
			return nil, errJSNotLiteral
		}
	}
}

// key reads an object key at p.i, whose first byte is c: a quoted string
// or a bare name.
func (p *jsLiteral) key(c byte) (string, error) {
	switch {
	case c == '"' || c == '\'':
		return p.str()
	case jsIdentByte(c):
		j := p.i
		for p.i < len(p.s) && jsIdentByte(p.s[p.i]) {
			p.i++
		}
		return string(p.s[j:p.i]), nil
	}
	return "", errJSNotLiteral
}

// array reads the elements of an array literal, after its "[" (at depth
// of the array itself), through its "]".
func (p *jsLiteral) array(depth int) (any, error) {
	var arr []any
	for {
		if p.peek() == ']' {
			p.i++
			return arr, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		switch p.peek() {
		case ',':
			p.i++
		case ']':
		default:
			return nil, errJSNotLiteral
		}
	}
}

// number reads a number literal at p.i: the run of digits, ".", "e",
// signs, x and hex letters there, "_" separators dropped, as ParseFloat
// reads it, else as ParseInt (0x…, 0b…) does.
func (p *jsLiteral) number() (any, error) {
	j := p.i
	p.i++
	for p.i < len(p.s) && strings.IndexByte("0123456789.eE+-xXabcdefABCDEF_", p.s[p.i]) >= 0 {
		p.i++
	}
	t := strings.ReplaceAll(string(p.s[j:p.i]), "_", "")
	if f, err := strconv.ParseFloat(t, 64); err == nil && !math.IsInf(f, 0) {
		return f, nil
	}
	if n, err := strconv.ParseInt(t, 0, 64); err == nil {
		return float64(n), nil
	}
	return nil, errJSNotLiteral
}

// str reads a quoted string at p.i (template strings without ${}).
func (p *jsLiteral) str() (string, error) {
	q := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\n' && q != '`':
			return "", errJSNotLiteral
		case c == '$' && q == '`' && p.i+1 < len(p.s) && p.s[p.i+1] == '{':
			return "", errJSNotLiteral
		case c == '\\':
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", errJSNotLiteral
}

// escape reads the escape sequence at p.i (at its backslash) into b.
func (p *jsLiteral) escape(b *strings.Builder) error {
	if p.i+1 >= len(p.s) {
		return errJSNotLiteral
	}
	e := p.s[p.i+1]
	p.i += 2
	switch e {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case '0':
		b.WriteByte(0)
	case '\n':
		// line continuation
	case 'x', 'u':
		r, err := p.codePoint(e)
		if err != nil {
			return err
		}
		b.WriteRune(r)
	default:
		b.WriteByte(e)
	}
	return nil
}

// codePoint reads the digits of a \x or \u escape (e is the letter) at
// p.i: \xHH, \uHHHH or \u{H…}. A \uHHHH high surrogate followed by a
// \uHHHH low one reads as the pair's code point.
func (p *jsLiteral) codePoint(e byte) (rune, error) {
	n := 2
	if e == 'u' {
		n = 4
		if p.i < len(p.s) && p.s[p.i] == '{' {
			end := bytes.IndexByte(p.s[p.i:], '}')
			if end < 0 {
				return 0, errJSNotLiteral
			}
			v, err := strconv.ParseUint(string(p.s[p.i+1:p.i+end]), 16, 32)
			if err != nil {
				return 0, errJSNotLiteral
			}
			p.i += end + 1
			return rune(v), nil
		}
	}
	if p.i+n > len(p.s) {
		return 0, errJSNotLiteral
	}
	v, err := strconv.ParseUint(string(p.s[p.i:p.i+n]), 16, 32)
	if err != nil {
		return 0, errJSNotLiteral
	}
	p.i += n
	r := rune(v)
	if utf16.IsSurrogate(r) && p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
		if lo, err := strconv.ParseUint(string(p.s[p.i+2:p.i+6]), 16, 32); err == nil {
			if pair := utf16.DecodeRune(r, rune(lo)); pair != utf8.RuneError {
				r = pair
				p.i += 6
			}
		}
	}
	return r, nil
}
