package source

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/arenawatch/arenawatch"
)

// HFImportParserVersion names the reader of the dataset's parquet files.
const HFImportParserVersion = "hf-leaderboard-parquet/1"

// DatedSnapshot is one publish date of an imported split: a validated
// snapshot, or the reason that date could not be imported.
type DatedSnapshot struct {
	Date     time.Time            // the publish date, UTC
	Rows     int                  // rows of the board's category on that date in the file
	Snapshot *arenawatch.Snapshot // nil when Err is set
	Err      error                // a KindDrift *arenawatch.Error naming the date and the row
}

// ImportHFDataset reads the parquet file of a split of LMArena's dataset
// (normally the full split, every publish date) and returns one snapshot
// per publish date of the board's category, oldest first. Each snapshot is
// read as the board's extractor reads the latest split, has Origin
// "imported", FetchedAt and AsOf both at the publish date (so that a
// question "as of" a date finds that date's board), one document (doc,
// with the SHA256 and Size of body filled in), and passes
// arenawatch.Validate with the board's limits; its ContentHash is set.
//
// A date whose rows are wrong (a model listed twice, no rating, a rank
// that is not whole, too few rows) fails alone: its DatedSnapshot carries
// the error and the other dates are still returned. A body that is not a
// parquet file, or a file without one of the dataset's columns, fails the
// whole import (KindDrift). The function is pure: it reads only body.
//
// It holds every date at once; ImportHFDatasetStream does not.
func ImportHFDataset(b arenawatch.Board, body []byte, doc arenawatch.Document) ([]DatedSnapshot, error) {
	var out []DatedSnapshot
	err := ImportHFDatasetStream(b, body, doc, func(ds DatedSnapshot) error {
		out = append(out, ds)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// ImportHFDatasetStream reads the file like ImportHFDataset but hands each
// date to emit as soon as its last row has been read, and forgets it: it
// holds the file and the rows of the dates still open, not every date's
// snapshot. A first pass over the file finds where each date's rows end;
// the dataset's files list dates in order, so one date or two are open at
// a time. Dates come in the order their last rows do (oldest first, for
// the dataset's files). An error from emit stops the read and is returned
// as it is; a file that cannot be read fails before emit is called.
func ImportHFDatasetStream(b arenawatch.Board, body []byte, doc arenawatch.Document, emit func(DatedSnapshot) error) error {
	category := b.Params["category"]
	if category == "" {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: b.ID, Err: errors.New("the board names no category")}
	}
	sum := sha256.Sum256(body)
	doc.SHA256 = hex.EncodeToString(sum[:])
	doc.Size = len(body)
	fail := func(err error) error {
		return &arenawatch.Error{Kind: arenawatch.KindOf(err), Board: b.ID, URL: doc.URL, Err: err,
			Hint: "nothing was imported. If the dataset changed its files, the importer needs an update."}
	}
	// Pass 1: the ordinal of each date's last row.
	last := map[time.Time]int{}
	n := 0
	if err := readHFParquet(body, category, func(rec *hfRecord) error {
		last[rec.date] = n
		n++
		return nil
	}); err != nil {
		return fail(err)
	}
	if n == 0 {
		return &arenawatch.Error{Kind: arenawatch.KindDrift, Board: b.ID, URL: doc.URL,
			Err: fmt.Errorf("the file has no rows of category %q", category)}
	}
	// Pass 2: collect each date's rows; emit it at its last. An error
	// from emit stops the read at once (an interrupt, a failed write).
	open := map[time.Time][]*hfRecord{}
	var emitErr error
	i := 0
	err := readHFParquet(body, category, func(rec *hfRecord) error {
		open[rec.date] = append(open[rec.date], rec)
		if last[rec.date] == i {
			emitErr = emit(hfDatedSnapshot(b, doc, rec.date, open[rec.date]))
			delete(open, rec.date)
		}
		i++
		return emitErr
	})
	switch {
	case emitErr != nil:
		return emitErr
	case err != nil:
		return fail(err) // a file that read once and not twice: not expected
	}
	return nil
}

// hfDatedSnapshot builds and seals the snapshot of one publish date from
// its rows, or says why that date cannot be imported.
func hfDatedSnapshot(b arenawatch.Board, doc arenawatch.Document, d time.Time, recs []*hfRecord) DatedSnapshot {
	ds := DatedSnapshot{Date: d, Rows: len(recs)}
	rows, err := hfRows(recs)
	if err != nil {
		ds.Err = &arenawatch.Error{Kind: arenawatch.KindDrift, Board: b.ID, URL: doc.URL,
			Err: fmt.Errorf("%s: %w", d.Format(time.DateOnly), err)}
		return ds
	}
	snap := &arenawatch.Snapshot{
		Board:         b.ID,
		FetchedAt:     d,
		AsOf:          d,
		Origin:        arenawatch.OriginImported,
		URL:           doc.URL,
		Status:        doc.Status,
		SHA256:        doc.SHA256,
		Documents:     []arenawatch.Document{doc},
		ParserVersion: HFImportParserVersion,
		Totals:        arenawatch.Totals{Models: len(rows)},
		Notes: []string{fmt.Sprintf("imported from %s, config %s, category %q, published %s",
			cmp.Or(b.Params["dataset"], HFDataset), b.Params["config"], b.Params["category"], d.Format(time.DateOnly))},
		Rows: rows,
	}
	if err := arenawatch.Seal(snap, b.Limits); err != nil {
		var ae *arenawatch.Error
		if errors.As(err, &ae) {
			e := *ae
			e.Err = fmt.Errorf("%s: %w", d.Format(time.DateOnly), ae.Err)
			err = &e
		}
		ds.Err = err
		return ds
	}
	ds.Snapshot = snap
	return ds
}

// hfColumn is how one of the dataset's columns is stored in a parquet
// file.
type hfColumn struct {
	name    string
	index   int
	kind    parquet.Kind
	logical *format.LogicalType
}

// readHFParquet calls fn with every row of category in the file, in file
// order. A row without a category, or a kept row whose date cannot be
// read, fails the whole read; other bad values are left in the record's
// err, for the row's date to fail.
//
// parquet-go trusts the offsets and lengths a file states and panics (slice
// bounds) on a corrupt one: that panic is turned into a KindDamaged error
// here, where the outside bytes are read.
func readHFParquet(body []byte, category string, fn func(*hfRecord) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = arenawatch.Errorf(arenawatch.KindDamaged, "the parquet file is damaged or not what it claims to be: %v", r)
		}
	}()
	if len(body) < 12 || !bytes.HasPrefix(body, []byte("PAR1")) || !bytes.HasSuffix(body, []byte("PAR1")) {
		return driftf("not a parquet file (%d bytes, starting %q)", len(body), body[:min(len(body), 16)])
	}
	if err := hfCheckParquetLayout(body); err != nil {
		return err
	}
	// The page index and the bloom filters are not needed to read every
	// row, and left unread they are no more ways for a bad file to go wrong.
	f, err := parquet.OpenFile(bytes.NewReader(body), int64(len(body)),
		parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return driftf("not a readable parquet file: %v", err)
	}
	rd, err := newHFParquetReader(f.Schema(), category, fn)
	if err != nil {
		return err
	}
	for _, rg := range f.RowGroups() {
		if err := rd.readRowGroup(rg); err != nil {
			return err
		}
	}
	if rd.n != f.NumRows() {
		return driftf("read %d rows, but the file says it has %d", rd.n, f.NumRows())
	}
	return nil
}

// Positions of the columns in hfColumns (and in hfParquetReader.vals).
const (
	hfcModel = iota
	hfcOrganization
	hfcLicense
	hfcRating
	hfcLower
	hfcUpper
	hfcVariance
	hfcVotes
	hfcRank
	hfcCategory
	hfcDate
)

// hfParquetReader holds what readHFParquet works out from the schema once
// (where each of hfColumns is, how to read the date) and the state of the
// row loop.
type hfParquetReader struct {
	pos      []int // leaf column index → position in hfColumns, or -1
	dateOf   func(parquet.Value) (time.Time, error)
	category string
	want     []byte // category, as the column stores it
	fn       func(*hfRecord) error

	n    int64 // rows read so far, in file order
	buf  []parquet.Row
	vals []parquet.Value // the current row's values, by position in hfColumns
}

// newHFParquetReader is the columns step: it finds every one of
// hfColumns in the schema and checks its type before any row is read.
func newHFParquetReader(schema *parquet.Schema, category string, fn func(*hfRecord) error) (*hfParquetReader, error) {
	cols, slot, err := hfLookupColumns(schema)
	if err != nil {
		return nil, err
	}
	if err := hfCheckColumnTypes(cols); err != nil {
		return nil, err
	}
	dateOf, _ := hfDateFunc(cols["leaderboard_publish_date"])
	pos := make([]int, len(schema.Columns()))
	for i := range pos {
		pos[i] = -1
		if p, ok := slot[i]; ok {
			pos[i] = p
		}
	}
	return &hfParquetReader{
		pos:      pos,
		dateOf:   dateOf,
		category: category,
		want:     []byte(category),
		fn:       fn,
		buf:      make([]parquet.Row, 256),
		vals:     make([]parquet.Value, len(hfColumns)),
	}, nil
}

// hfLookupColumns finds each of hfColumns in the schema: a single value,
// not a list. slot maps a leaf column index to its position in hfColumns.
func hfLookupColumns(schema *parquet.Schema) (cols map[string]hfColumn, slot map[int]int, err error) {
	cols = make(map[string]hfColumn, len(hfColumns))
	slot = map[int]int{}
	for _, name := range hfColumns {
		leaf, ok := schema.Lookup(name)
		if !ok {
			var names []string
			for _, p := range schema.Columns() {
				names = append(names, strings.Join(p, "."))
			}
			return nil, nil, driftf("the file has no column %q (columns: %s)", name, strings.Join(names, ", "))
		}
		if leaf.MaxRepetitionLevel > 0 {
			return nil, nil, driftf("column %q is a list, not a single value", name)
		}
		t := leaf.Node.Type()
		cols[name] = hfColumn{name: name, index: leaf.ColumnIndex, kind: t.Kind(), logical: t.LogicalType()}
		slot[leaf.ColumnIndex] = len(slot)
	}
	return cols, slot, nil
}

// hfCheckColumnTypes checks the physical types once, so that a changed
// schema fails with one clear message rather than once per row.
func hfCheckColumnTypes(cols map[string]hfColumn) error {
	for _, name := range hfColumns {
		c := cols[name]
		switch name {
		case "model_name", "organization", "license", "category":
			if c.kind != parquet.ByteArray {
				return driftf("column %q is %v, not a string", name, c.kind)
			}
		case "leaderboard_publish_date":
			if _, err := hfDateFunc(c); err != nil {
				return err
			}
		default:
			switch c.kind {
			case parquet.Int32, parquet.Int64, parquet.Float, parquet.Double:
			default:
				return driftf("column %q is %v, not a number", name, c.kind)
			}
		}
	}
	return nil
}

// readRowGroup reads the rows of one row group, closing its reader on
// every path.
func (rd *hfParquetReader) readRowGroup(rg parquet.RowGroup) error {
	rows := rg.Rows()
	for {
		k, err := rows.ReadRows(rd.buf)
		for _, row := range rd.buf[:k] {
			if err := rd.row(row); err != nil {
				rows.Close()
				return err
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			rows.Close()
			return driftf("reading rows after row %d: %v", rd.n, err)
		}
		if k == 0 {
			rows.Close()
			return driftf("reading rows after row %d: no progress", rd.n)
		}
	}
	if err := rows.Close(); err != nil {
		return driftf("reading rows: %v", err)
	}
	return nil
}

// row reads one row of the file and passes it to fn when it is of the
// category. Its category and, for a kept row, its date are needed.
func (rd *hfParquetReader) row(row parquet.Row) error {
	clear(rd.vals)
	for _, v := range row {
		if c := v.Column(); c >= 0 && c < len(rd.pos) && rd.pos[c] >= 0 {
			rd.vals[rd.pos[c]] = v
		}
	}
	rowNum := rd.n
	rd.n++
	cat := rd.vals[hfcCategory]
	if cat.IsNull() || cat.Kind() != parquet.ByteArray {
		return driftf("row %d of the file has no category", rowNum)
	}
	if !bytes.Equal(cat.ByteArray(), rd.want) {
		return nil
	}
	rec := &hfRecord{where: fmt.Sprintf("row %d of the file", rowNum), category: rd.category}
	dv := rd.vals[hfcDate]
	if dv.IsNull() {
		return driftf("%s has no leaderboard_publish_date", rec.where)
	}
	date, derr := rd.dateOf(dv)
	if derr != nil {
		return driftf("%s: %v", rec.where, derr)
	}
	rec.date = date
	rd.fillRecord(rec)
	return rd.fn(rec)
}

// fillRecord copies the current row's other values into rec; a number
// that is not finite is left in rec.err, for the row's date to fail.
func (rd *hfParquetReader) fillRecord(rec *hfRecord) {
	vals := rd.vals
	if v := vals[hfcModel]; !v.IsNull() {
		rec.model = string(v.ByteArray())
	}
	rec.organization = parquetString(vals[hfcOrganization])
	rec.license = parquetString(vals[hfcLicense])
	rec.rating = parquetNumber(vals[hfcRating])
	rec.lower = parquetNumber(vals[hfcLower])
	rec.upper = parquetNumber(vals[hfcUpper])
	rec.variance = parquetNumber(vals[hfcVariance])
	rec.votes = parquetNumber(vals[hfcVotes])
	rec.rank = parquetNumber(vals[hfcRank])
	for _, p := range []*float64{rec.rating, rec.lower, rec.upper, rec.variance, rec.votes, rec.rank} {
		if p != nil && !finiteNumber(*p) {
			rec.err = fmt.Errorf("model %q: a number is not finite", rec.model)
		}
	}
}

func finiteNumber(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// parquetString reads an optional string value.
func parquetString(v parquet.Value) *string {
	if v.IsNull() || v.Kind() != parquet.ByteArray {
		return nil
	}
	s := string(v.ByteArray())
	return &s
}

// parquetNumber reads an optional number of any numeric physical type.
func parquetNumber(v parquet.Value) *float64 {
	if v.IsNull() {
		return nil
	}
	var f float64
	switch v.Kind() {
	case parquet.Int32:
		f = float64(v.Int32())
	case parquet.Int64:
		f = float64(v.Int64())
	case parquet.Float:
		f = float64(v.Float())
	case parquet.Double:
		f = v.Double()
	default:
		return nil
	}
	return &f
}

// hfDateFunc returns the reader of the publish date column: a string
// ("2026-10-06"), a DATE (days since 1970) or a TIMESTAMP.
func hfDateFunc(c hfColumn) (func(parquet.Value) (time.Time, error), error) {
	switch c.kind {
	case parquet.ByteArray:
		return func(v parquet.Value) (time.Time, error) { return parseHFDate(string(v.ByteArray())) }, nil
	case parquet.Int32:
		if c.logical != nil {
			if _, ok := c.logical.Value.(*format.DateType); ok {
				return func(v parquet.Value) (time.Time, error) {
					return time.Unix(int64(v.Int32())*86400, 0).UTC(), nil
				}, nil
			}
		}
	case parquet.Int64:
		if c.logical != nil {
			if ts, ok := c.logical.Value.(*format.TimestampType); ok && ts.Unit.Value != nil {
				unit := ts.Unit.Value.Duration()
				return func(v parquet.Value) (time.Time, error) {
					return time.Unix(0, 0).Add(time.Duration(v.Int64()) * unit).UTC(), nil
				}, nil
			}
		}
	}
	lt := "no logical type"
	if c.logical != nil {
		lt = c.logical.String()
	}
	return nil, driftf("column %q is %v (%s), not a date", c.name, c.kind, lt)
}

// Bounds on what a parquet file may ask of the reader. parquet-go sizes
// its buffers from what a file states (the footer length, thrift list and
// string lengths, page sizes, value counts) and allocates them before it
// reads a byte of what they should hold: a few changed bytes can make it
// ask for gigabytes, or loop for ever (a damaged LZ4 page). The whole file
// is checked against these bounds before parquet-go reads it. The dataset's
// files are far below every one of them.
const (
	hfMaxFooter     = 64 << 20  // bytes of file metadata
	hfMaxThriftCost = 256 << 20 // estimated bytes of the decoded metadata
	hfMaxDepth      = 64        // nesting of thrift structs and lists
	hfMaxSchema     = 4096      // schema elements
	hfMaxRows       = 1 << 24   // rows in the file
	hfMaxPageBytes  = 64 << 20  // uncompressed bytes of one page
	hfMaxPageValues = 1 << 22   // values in one page
	hfMaxAllPages   = 1 << 30   // uncompressed bytes of all pages
	// values in all data pages (and rows) per byte of the file; the
	// dataset's files hold about 0.5
	hfMaxValuesPerByte = 16
)
