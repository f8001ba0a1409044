package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"
)

// Format is an output format.
type Format string

// The formats.
const (
	CSV     Format = "csv"     // a header row, then one row per record (RFC 4180 quoting, LF line ends, UTF-8)
	JSONL   Format = "jsonl"   // JSON Lines: one JSON object per line
	JSON    Format = "json"    // one JSON document: an array of objects
	Parquet Format = "parquet" // Apache Parquet, zstd, typed and nullable columns
)

// Formats lists the formats in the order --help names them.
var Formats = []Format{CSV, JSONL, JSON, Parquet}

// ParseFormat reads a format name ("ndjson" is JSONL).
func ParseFormat(s string) (Format, bool) {
	switch f := Format(s); f {
	case CSV, JSONL, JSON, Parquet:
		return f, true
	case "ndjson":
		return JSONL, true
	}
	return "", false
}

// Flat reports whether the format writes columns (CSV, Parquet) rather
// than JSON objects, and so needs every metric name before the first row.
func (f Format) Flat() bool { return f == CSV || f == Parquet }

// Ext is the file name extension of the format, with its dot.
func (f Format) Ext() string { return "." + string(f) }

// Spec is one column of a flat table, as CSV and Parquet write it.
type Spec struct {
	Name     string
	Kind     Kind
	Nullable bool
}

// table writes one output file or stream: flat rows (CSV, Parquet) or
// JSON documents, as its format takes them.
type table interface {
	// write writes one record: vals for a flat format, doc for a JSON one.
	write(vals []Value, doc any) error
	// close finishes the output (a footer, a closing bracket) and flushes
	// it; it does not close the underlying writer.
	close() error
}

// newTable starts a table of the format on w. specs are the columns of a
// flat format; groupRows the rows of a Parquet row group (0: RowGroupRows).
func newTable(f Format, w io.Writer, specs []Spec, meta map[string]string, groupRows int) (table, error) {
	switch f {
	case CSV:
		return newCSVTable(w, specs)
	case JSONL:
		return newJSONTable(w, false), nil
	case JSON:
		return newJSONTable(w, true), nil
	case Parquet:
		return newParquetTable(w, specs, meta, groupRows)
	}
	return nil, errorf("unknown format %q", f)
}

// csvTable writes CSV.
type csvTable struct {
	w     *csv.Writer
	specs []Spec
	cells []string
}

func newCSVTable(w io.Writer, specs []Spec) (*csvTable, error) {
	t := &csvTable{w: csv.NewWriter(w), specs: specs, cells: make([]string, len(specs))}
	for i, s := range specs {
		t.cells[i] = Neutralize(s.Name)
	}
	return t, t.w.Write(t.cells)
}

func (t *csvTable) write(vals []Value, _ any) error {
	for i, s := range t.specs {
		t.cells[i] = csvCell(s.Kind, vals[i])
	}
	return t.w.Write(t.cells)
}

func (t *csvTable) close() error {
	t.w.Flush()
	return t.w.Error()
}

// csvCell writes one value as CSV text: see Kind. Only text is
// neutralised; numbers, booleans and times are written by arenawatch.
func csvCell(k Kind, v Value) string {
	if v.Null {
		return ""
	}
	switch k {
	case Int:
		return strconv.FormatInt(v.I, 10)
	case Float:
		return strconv.FormatFloat(v.F, 'f', -1, 64)
	case Bool:
		return strconv.FormatBool(v.B)
	case Time:
		return v.T.UTC().Format(time.RFC3339Nano)
	}
	return Neutralize(v.S)
}

// jsonTable writes JSON Lines, or one JSON array (an object a line) when
// array is set.
type jsonTable struct {
	bw    *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	array bool
	n     int
}

func newJSONTable(w io.Writer, array bool) *jsonTable {
	t := &jsonTable{bw: bufio.NewWriterSize(w, 64<<10), array: array}
	t.enc = json.NewEncoder(&t.buf)
	t.enc.SetEscapeHTML(false) // "<" in a model name stays "<"
	return t
}

func (t *jsonTable) write(_ []Value, doc any) error {
	t.buf.Reset()
	if err := t.enc.Encode(doc); err != nil {
		return err
	}
	line := t.buf.Bytes() // ends in "\n"
	if t.array {
		sep := ",\n"
		if t.n == 0 {
			sep = "[\n"
		}
		t.bw.WriteString(sep)
		line = line[:len(line)-1]
	}
	t.n++
	_, err := t.bw.Write(line)
	return err
}

func (t *jsonTable) close() error {
	if t.array {
		end := "\n]\n"
		if t.n == 0 {
			end = "[]\n"
		}
		t.bw.WriteString(end)
	}
	return t.bw.Flush()
}
