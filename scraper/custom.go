package scraper

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

// CustomKinds are the extractor kinds a config-file source may use.
var CustomKinds = []string{"htmltable", "json", "csv"}

// customFields are the fields a custom source may map, besides metric.*.
var customFields = map[string]bool{"model": true, "name": true, "organization": true, "license": true,
	"open": true, "score": true, "rank": true, "votes": true, "score_lower": true, "score_upper": true}

// CustomParserVersion names the generic extractors.
const CustomParserVersion = "custom/1"

func init() {
	for _, kind := range CustomKinds {
		extractors[kind] = extractorSpec{version: CustomParserVersion + " " + kind, requests: []string{"page"},
			check: checkCustom,
			run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
				return ExtractCustom(b, docs["page"])
			}}
	}
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

// ExtractCustom reads a user-defined board's page with its generic
// extractor.
func ExtractCustom(b arenawatch.Board, body []byte) (*Extract, error) {
	var records []map[string]string
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
	for i, rec := range records {
		row, err := customRow(m, rec)
		if err != nil {
			return nil, driftf("row %d: %v", i+1, err)
		}
		ex.Rows = append(ex.Rows, row)
	}
	return ex, nil
}

// customRow builds a Row from a record of source values keyed by the
// mapping's source names.
func customRow(m map[string]string, rec map[string]string) (arenawatch.Row, error) {
	var r arenawatch.Row
	get := func(field string) (string, bool) {
		src, mapped := m[field]
		if !mapped {
			return "", false
		}
		v, ok := rec[src]
		return cleanText(v), ok
	}
	model, _ := get("model")
	if model == "" {
		return r, fmt.Errorf("empty model (%q)", m["model"])
	}
	r.Model = model
	if v, ok := get("name"); ok && v != model {
		r.Name = v
	}
	scoreText, _ := get("score")
	score, ok, err := ParseNumber(scoreText)
	if err != nil || !ok {
		return r, fmt.Errorf("%s: score %q (%q) is not a number", model, scoreText, m["score"])
	}
	r.Score = score
	if v, ok := get("organization"); ok {
		r.Organization = arenawatch.Str(v)
	}
	if v, ok := get("license"); ok {
		r.License = arenawatch.Str(v)
	}
	if v, ok := get("open"); ok && v != "" {
		b, err := parseFlag(v)
		if err != nil {
			return r, fmt.Errorf("%s: open: %v", model, err)
		}
		r.Open = arenawatch.Bool(b)
	}
	for _, f := range []struct {
		field string
		dst   *int64
	}{{"votes", &r.Votes}} {
		if v, ok := get(f.field); ok && v != "" {
			n, _, err := ParseInt(v)
			if err != nil {
				return r, fmt.Errorf("%s: %s: %v", model, f.field, err)
			}
			*f.dst = n
		}
	}
	if v, ok := get("rank"); ok && v != "" {
		n, _, err := ParseInt(v)
		if err != nil || n < 1 {
			return r, fmt.Errorf("%s: rank %q is not a positive whole number", model, v)
		}
		r.Rank = int(n)
	}
	for _, f := range []struct {
		field string
		dst   **float64
	}{{"score_lower", &r.ScoreLower}, {"score_upper", &r.ScoreUpper}} {
		if v, ok := get(f.field); ok && v != "" {
			x, ok, err := ParseNumber(v)
			if err != nil {
				return r, fmt.Errorf("%s: %s: %v", model, f.field, err)
			}
			if ok {
				*f.dst = arenawatch.Float(x)
			}
		}
	}
	for field := range m {
		name, ok := strings.CutPrefix(field, "metric.")
		if !ok {
			continue
		}
		if v, _ := get(field); v != "" {
			x, ok, err := ParseNumber(v)
			if err != nil {
				return r, fmt.Errorf("%s: %s: %v", model, field, err)
			}
			if ok {
				if r.Metrics == nil {
					r.Metrics = map[string]float64{}
				}
				r.Metrics[name] = x
			}
		}
	}
	return r, nil
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
func htmlRecords(b arenawatch.Board, body []byte) ([]map[string]string, error) {
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
// mapping's source names, so customRow can look values up by them.
func keyByMapping(m map[string]string, recs []map[string]string) []map[string]string {
	for i, rec := range recs {
		out := map[string]string{}
		for _, src := range m {
			if v, ok := rec[headerKey(src)]; ok {
				out[src] = v
			}
		}
		recs[i] = out
	}
	return recs
}

func csvRecords(b arenawatch.Board, body []byte) ([]map[string]string, error) {
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

func jsonRecords(b arenawatch.Board, body []byte) ([]map[string]string, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, driftf("JSON: %v", err)
	}
	v, err := jsonPath(doc, b.Params["rows"])
	if err != nil {
		return nil, driftf("rows path %q: %v", b.Params["rows"], err)
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, driftf("rows path %q is not an array", b.Params["rows"])
	}
	m := customMapping(b)
	var out []map[string]string
	for i, item := range arr {
		rec := map[string]string{}
		for _, src := range m {
			x, err := jsonPath(item, src)
			if err != nil {
				continue // absent: an optional field, or caught as a missing required one
			}
			switch t := x.(type) {
			case nil:
			case string:
				rec[src] = t
			case json.Number:
				rec[src] = t.String()
			case bool:
				rec[src] = strconv.FormatBool(t)
			default:
				return nil, driftf("row %d: %q is not a string, number or boolean", i+1, src)
			}
		}
		out = append(out, rec)
	}
	return out, nil
}

// jsonPath walks a dot path ("data.items", "meta.0.name") through decoded
// JSON; numeric segments index arrays. An empty path is the value itself.
func jsonPath(v any, p string) (any, error) {
	if strings.TrimSpace(p) == "" {
		return v, nil
	}
	for _, seg := range strings.Split(p, ".") {
		switch t := v.(type) {
		case map[string]any:
			next, ok := t[seg]
			if !ok {
				return nil, fmt.Errorf("no key %q", seg)
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(t) {
				return nil, fmt.Errorf("no index %q", seg)
			}
			v = t[i]
		default:
			return nil, fmt.Errorf("%q: not an object or array", seg)
		}
	}
	return v, nil
}
