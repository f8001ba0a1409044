package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/arenawatch/arenawatch"
)

// User-defined sources: boards described in the config file, read by one
// of three generic extractors, with no Go code. Their Params hold
//
//	rows            htmltable: CSS selector of the row elements (<tr>);
//	                json: dot path to the rows array ("data.items", "" for a top-level array);
//	                csv: unused
//	field.<name>    where each field comes from: a header text (htmltable, csv)
//	                or a dot path inside a row object (json)
//
// Fields: model and score are required; name, organization, license, open,
// rank, votes, score_lower and score_upper are optional; metric.<x> adds a
// number to Row.Metrics.
//
// What a custom board needs and ignores (the tolerant-reader contract):
//   - Needed: every mapped column (htmltable, csv: a mapped header missing
//     from the table fails the board naming it; json: a mapped path found
//     in no row fails it naming the path). In every row, model and score
//     (a missing or non-numeric one fails the board naming the row and
//     the source), and, when mapped, the answer's labels organization,
//     license, open and rank (a malformed value fails the board).
//   - Kept when readable: votes, score_lower, score_upper and metric.*: a
//     malformed value is left out and counted in a note.
//   - Ignored: every column, and every JSON member, that is not mapped: it
//     may disappear, be renamed or hold anything.

// CustomKinds are the extractor kinds a config-file source may use.
var CustomKinds = []string{"htmltable", "json", "csv"}

// customFields are the fields a custom source may map, besides metric.*.
var customFields = map[string]bool{"model": true, "name": true, "organization": true, "license": true,
	"open": true, "score": true, "rank": true, "votes": true, "score_lower": true, "score_upper": true}

// CustomParserVersion names the generic extractors.
const CustomParserVersion = "custom/1"

// customSite declares the generic extractors a config file's sources use;
// it defines no board of its own.
var customSite = site{extractors: customExtractors()}

func customExtractors() map[string]Extractor {
	es := map[string]Extractor{}
	for _, kind := range CustomKinds {
		es[kind] = Extractor{Version: CustomParserVersion + " " + kind, Requests: []string{"page"},
			Check: checkCustom,
			Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
				return ExtractCustom(b, docs["page"])
			}}
	}
	return es
}

// customMapping is a custom board's field map, from its Params.
func customMapping(b arenawatch.Board) map[string]string {
	m := map[string]string{}
	for k, v := range b.Params {
		if f, ok := strings.CutPrefix(k, "field."); ok {
			m[f] = v
		}
	}
	return m
}

// checkCustom validates a custom board when the config loads: known fields,
// the required ones mapped, and a row selector that compiles (goquery
// would silently match nothing for a bad one).
func checkCustom(b arenawatch.Board) error {
	m := customMapping(b)
	var bad []string
	for f := range m {
		if !customFields[f] && !strings.HasPrefix(f, "metric.") {
			bad = append(bad, f)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		return fmt.Errorf("unknown fields %s (known: model, name, organization, license, open, score, rank, votes, score_lower, score_upper, metric.<name>)", strings.Join(bad, ", "))
	}
	for _, need := range []string{"model", "score"} {
		if strings.TrimSpace(m[need]) == "" {
			return fmt.Errorf("fields: %s is required", need)
		}
	}
	if b.Extractor == "htmltable" {
		if strings.TrimSpace(b.Params["rows"]) == "" {
			return fmt.Errorf("rows: a CSS selector of the table rows is required")
		}
		if _, err := cascadia.Compile(b.Params["rows"]); err != nil {
			return fmt.Errorf("rows selector %q: %v", b.Params["rows"], err)
		}
	}
	return nil
}

// customCell is one mapped source value of a row: its text, or why it
// could not be read (a JSON value of the wrong type).
type customCell struct {
	text string
	err  error
}

// customRecord holds a row's mapped values keyed by the mapping's source
// names; a source the row lacks is absent.
type customRecord map[string]customCell

// ExtractCustom reads a user-defined board's page with its generic
// extractor.
func ExtractCustom(b arenawatch.Board, body []byte) (*Extract, error) {
	var records []customRecord
	var err error
	switch b.Extractor {
	case "htmltable":
		records, err = htmlRecords(b, body)
	case "json":
		records, err = jsonRecords(b, body)
	case "csv":
		records, err = csvRecords(b, body)
	default:
		return nil, driftf("unknown custom kind %q", b.Extractor)
	}
	if err != nil {
		return nil, err
	}
	m := customMapping(b)
	ex := &Extract{}
	bad := 0
	for i, rec := range records {
		row, err := customRow(m, rec, &bad)
		if err != nil {
			return nil, driftf("row %d: %v", i+1, err)
		}
		ex.Rows = append(ex.Rows, row)
	}
	if bad > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(bad))
	}
	return ex, nil
}

// customRow builds a Row from a record of source values keyed by the
// mapping's source names. Malformed values of fields the answer does not
// need are counted in *bad and left out.
func customRow(m map[string]string, rec customRecord, bad *int) (arenawatch.Row, error) {
	var r arenawatch.Row
	c := customRowReader{m: m, rec: rec, bad: bad}
	if err := c.needed(&r); err != nil {
		return r, err
	}
	if err := c.checked(&r); err != nil {
		return r, err
	}
	c.dropped(&r)
	return r, nil
}

// customRowReader reads one record's mapped fields for customRow.
type customRowReader struct {
	m   map[string]string
	rec customRecord
	bad *int
}

// get returns the cleaned text of a mapped field, whether the record has
// its source, and why the source could not be read (naming field and
// source). A field the mapping lacks is absent, not an error.
func (c customRowReader) get(field string) (string, bool, error) {
	src, mapped := c.m[field]
	if !mapped {
		return "", false, nil
	}
	cell, ok := c.rec[src]
	if cell.err != nil {
		return "", true, fmt.Errorf("%s (%q): %v", field, src, cell.err)
	}
	return cleanText(cell.text), ok, nil
}

// needed reads the fields that make the answer: model (with name) and
// score. Any problem fails the row.
func (c customRowReader) needed(r *arenawatch.Row) error {
	model, _, err := c.get("model")
	if err != nil {
		return err
	}
	if model == "" {
		return fmt.Errorf("model (%q): missing or empty", c.m["model"])
	}
	r.Model = model
	if v, ok, err := c.get("name"); err != nil {
		return fmt.Errorf("%s: %v", model, err)
	} else if ok && v != model {
		r.Name = v
	}
	scoreText, _, err := c.get("score")
	if err != nil {
		return fmt.Errorf("%s: %v", model, err)
	}
	score, ok, err := ParseNumber(scoreText)
	if err != nil || !ok {
		return fmt.Errorf("%s: score %q (%q) is not a number", model, scoreText, c.m["score"])
	}
	r.Score = score
	return nil
}

// checked reads organization, license, open and rank: optional, but a
// value that cannot be read fails the row (naming r.Model, set by needed).
func (c customRowReader) checked(r *arenawatch.Row) error {
	model := r.Model
	for _, f := range []struct {
		field string
		dst   **string
	}{{"organization", &r.Organization}, {"license", &r.License}} {
		v, ok, err := c.get(f.field)
		if err != nil {
			return fmt.Errorf("%s: %v", model, err)
		}
		if ok {
			*f.dst = arenawatch.Str(v)
		}
	}
	if v, ok, err := c.get("open"); err != nil {
		return fmt.Errorf("%s: %v", model, err)
	} else if ok && v != "" {
		b, err := parseFlag(v)
		if err != nil {
			return fmt.Errorf("%s: open: %v", model, err)
		}
		r.Open = arenawatch.Bool(b)
	}
	if v, ok, err := c.get("rank"); err != nil {
		return fmt.Errorf("%s: %v", model, err)
	} else if ok && v != "" {
		n, _, err := ParseInt(v)
		if err != nil || n < 1 {
			return fmt.Errorf("%s: rank %q is not a positive whole number", model, v)
		}
		r.Rank = int(n)
	}
	return nil
}

// optional reads a numeric field the answer does not need.
// Not needed for the answer: a malformed value is dropped.
func (c customRowReader) optional(field string) (float64, bool) {
	v, _, err := c.get(field)
	if err != nil {
		*c.bad++
		return 0, false
	}
	x, ok, err := ParseNumber(v)
	if err != nil {
		*c.bad++
		return 0, false
	}
	return x, ok
}

// dropped reads votes, the score bounds and the "metric.*" fields, which
// never fail the row: a malformed value is counted and left out.
func (c customRowReader) dropped(r *arenawatch.Row) {
	if x, ok := c.optional("votes"); ok {
		if x != float64(int64(x)) || x < 0 {
			*c.bad++
		} else {
			r.Votes = int64(x)
		}
	}
	for _, f := range []struct {
		field string
		dst   **float64
	}{{"score_lower", &r.ScoreLower}, {"score_upper", &r.ScoreUpper}} {
		if x, ok := c.optional(f.field); ok {
			*f.dst = arenawatch.Float(x)
		}
	}
	for field := range c.m {
		name, ok := strings.CutPrefix(field, "metric.")
		if !ok {
			continue
		}
		if x, ok := c.optional(field); ok {
			if r.Metrics == nil {
				r.Metrics = map[string]float64{}
			}
			r.Metrics[name] = x
		}
	}
}

func parseFlag(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "y", "1", "open", "✓", "✅":
		return true, nil
	case "false", "no", "n", "0", "closed", "✗", "❌":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes/no", v)
}

// htmlRecords reads the rows the selector matches, keyed by the header
// texts of the table they belong to.
func htmlRecords(b arenawatch.Board, body []byte) ([]customRecord, error) {
	sel, err := cascadia.Compile(b.Params["rows"])
	if err != nil {
		return nil, driftf("rows selector %q: %v", b.Params["rows"], err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, driftf("parse HTML: %v", err)
	}
	rows := doc.FindMatcher(sel)
	if rows.Length() == 0 {
		return nil, driftf("the rows selector %q matches nothing", b.Params["rows"])
	}
	headers := tableHeaders(rows.First().Closest("table"))
	if len(headers) == 0 {
		return nil, driftf("the table of the rows has no header row")
	}
	if err := needHeaders(customMapping(b), headers); err != nil {
		return nil, err
	}
	var out []map[string]string
	rows.Each(func(_ int, tr *goquery.Selection) {
		cells := tr.ChildrenFiltered("td")
		if cells.Length() == 0 {
			return // a header row the selector also matched
		}
		rec := map[string]string{}
		cells.Each(func(i int, c *goquery.Selection) {
			if i < len(headers) {
				rec[headerKey(headers[i])] = c.Text()
			}
		})
		out = append(out, rec)
	})
	return keyByMapping(customMapping(b), out), nil
}

// needHeaders checks that every mapped header exists.
func needHeaders(m map[string]string, headers []string) error {
	have := map[string]bool{}
	for _, h := range headers {
		have[headerKey(h)] = true
	}
	var missing []string
	for field, src := range m {
		if !have[headerKey(src)] {
			missing = append(missing, fmt.Sprintf("%s (%q)", field, src))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		return driftf("columns missing: %s (headers: %s)", strings.Join(missing, ", "), strings.Join(quoteAll(headers), ", "))
	}
	return nil
}

// keyByMapping re-keys records from normalised header keys to the
// mapping's source names, so customRow can look values up by them; the
// columns no field maps are left behind unread.
func keyByMapping(m map[string]string, recs []map[string]string) []customRecord {
	out := make([]customRecord, len(recs))
	for i, rec := range recs {
		o := customRecord{}
		for _, src := range m {
			if v, ok := rec[headerKey(src)]; ok {
				o[src] = customCell{text: v}
			}
		}
		out[i] = o
	}
	return out
}

func csvRecords(b arenawatch.Board, body []byte) ([]customRecord, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		return nil, driftf("CSV: %v", err)
	}
	if len(all) < 2 {
		return nil, driftf("CSV has no data rows")
	}
	headers := all[0]
	if err := needHeaders(customMapping(b), headers); err != nil {
		return nil, err
	}
	var out []map[string]string
	for _, line := range all[1:] {
		if len(line) == 1 && strings.TrimSpace(line[0]) == "" {
			continue
		}
		rec := map[string]string{}
		for i, v := range line {
			if i < len(headers) {
				rec[headerKey(headers[i])] = v
			}
		}
		out = append(out, rec)
	}
	return keyByMapping(customMapping(b), out), nil
}

// jsonRecords reads the array at the rows path and, in each of its
// items, the value at each mapped path, with the tolerant reader: members
// that no field maps are never decoded. A mapped path that is absent from
// an item (or null) leaves the field absent in that row; one that is
// absent from every item fails the board, naming the path.
func jsonRecords(b arenawatch.Board, body []byte) ([]customRecord, error) {
	rowsPath := b.Params["rows"]
	raw, at, err := jsonWalk(body, rowsPath, "")
	if err != nil {
		return nil, driftf("rows path %q: %v", rowsPath, err)
	}
	if raw == nil {
		return nil, driftf("rows path %q: missing", rowsPath)
	}
	items, err := decodeArray(raw, orTop(at))
	if err != nil {
		return nil, driftf("rows path %q: %v", rowsPath, err)
	}
	m := customMapping(b)
	found := map[string]bool{}
	out := make([]customRecord, 0, len(items))
	for i, item := range items {
		rec := customRecord{}
		for _, src := range m {
			v, where, err := jsonWalk(item, src, fmt.Sprintf("%s[%d]", at, i))
			switch {
			case err != nil:
				rec[src] = customCell{err: err}
			case v == nil:
				continue // absent here; an optional field, or caught as a missing model or score
			default:
				text, err := jsonScalar(v, where)
				rec[src] = customCell{text: text, err: err}
			}
			found[src] = true
		}
		out = append(out, rec)
	}
	if len(items) > 0 {
		var missing []string
		for field, src := range m {
			if !found[src] {
				missing = append(missing, fmt.Sprintf("%s (%q)", field, src))
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			return nil, driftf("fields in no row: %s", strings.Join(missing, ", "))
		}
	}
	return out, nil
}

func orTop(at string) string {
	if at == "" {
		return "the document"
	}
	return at
}

// jsonWalk follows a dot path ("data.items", "lab.name", "meta.0.name")
// from raw, decoding only the objects and arrays on the way; numeric
// segments index arrays. It returns the value (nil when a step is missing
// or null) and its location for messages (at + the path walked). A step
// into a value that is neither object nor array is an error naming it.
func jsonWalk(raw []byte, path, at string) (json.RawMessage, string, error) {
	v := json.RawMessage(raw)
	if strings.TrimSpace(path) == "" {
		return v, at, nil
	}
	for _, seg := range strings.Split(path, ".") {
		trimmed := bytes.TrimSpace(v)
		switch {
		case len(trimmed) > 0 && trimmed[0] == '{':
			o, err := decodeObject(v, orTop(at))
			if err != nil {
				return nil, at, err
			}
			if at == "" {
				at = seg
			} else {
				at += "." + seg
			}
			if v = o.raw(seg); v == nil {
				return nil, at, nil
			}
		case len(trimmed) > 0 && trimmed[0] == '[':
			arr, err := decodeArray(v, orTop(at))
			if err != nil {
				return nil, at, err
			}
			i, err := strconv.Atoi(seg)
			at = fmt.Sprintf("%s[%s]", at, seg)
			if err != nil || i < 0 {
				return nil, at, fmt.Errorf("%s: %q is not an index of an array", at, seg)
			}
			if i >= len(arr) || string(bytes.TrimSpace(arr[i])) == "null" {
				return nil, at, nil
			}
			v = arr[i]
		default:
			return nil, at, fmt.Errorf("%s: want an object or array to find %q in, got %s", orTop(at), seg, head(trimmed, 40))
		}
	}
	return v, at, nil
}

// jsonScalar turns a mapped value into text: a string as it is, a number
// as written, a boolean as true/false. Objects and arrays are errors.
func jsonScalar(v json.RawMessage, at string) (string, error) {
	var x any
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return "", fmt.Errorf("%s: not JSON: %v", at, err)
	}
	switch t := x.(type) {
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	case bool:
		return strconv.FormatBool(t), nil
	}
	return "", fmt.Errorf("%s: want a string, number or boolean, got %s", at, head(bytes.TrimSpace(v), 40))
}
