package export

import (
	"fmt"
	"io"
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// RowGroupRows is the number of rows in a Parquet row group: DuckDB's own
// row group size, which lets a reader split a big file across threads
// while a group stays a few megabytes (the writer holds one in memory).
const RowGroupRows = 122_880

// parquetBatch is the number of rows handed to the parquet writer at once.
const parquetBatch = 512

// parquetTable writes a Parquet file: strings dictionary-encoded
// (RLE_DICTIONARY), times as TIMESTAMP(MICROS, UTC), nullable columns
// OPTIONAL, pages compressed with zstd.
type parquetTable struct {
	w     *parquet.Writer
	specs []Spec
	rows  []parquet.Row
	n     int
}

func newParquetTable(w io.Writer, specs []Spec, meta map[string]string, groupRows int) (*parquetTable, error) {
	if groupRows <= 0 {
		groupRows = RowGroupRows
	}
	opts := []parquet.WriterOption{
		parquet.NewSchema("arenawatch", orderedGroup(specs)),
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(int64(groupRows)),
		parquet.CreatedBy("arenawatch", meta["arenawatch_version"], ""),
	}
	for _, k := range []string{"arenawatch_version", "catalog_version"} { // in a fixed order
		opts = append(opts, parquet.KeyValueMetadata(k, meta[k]))
	}
	cfg, err := parquet.NewWriterConfig(opts...)
	if err != nil {
		return nil, err
	}
	t := &parquetTable{w: parquet.NewWriter(w, cfg), specs: specs, rows: make([]parquet.Row, parquetBatch)}
	return t, nil
}

func (t *parquetTable) write(vals []Value, _ any) error {
	row := t.rows[t.n][:0]
	for i, s := range t.specs {
		row = append(row, parquetValue(s, vals[i], i))
	}
	t.rows[t.n] = row
	t.n++
	if t.n == len(t.rows) {
		return t.flush()
	}
	return nil
}

func (t *parquetTable) flush() error {
	_, err := t.w.WriteRows(t.rows[:t.n])
	t.n = 0
	return err
}

func (t *parquetTable) close() error {
	if err := t.flush(); err != nil {
		return err
	}
	return t.w.Close()
}

// parquetValue is v as the value of column i: definition level 1 for a
// value of an optional column, 0 for its null and for required columns.
func parquetValue(s Spec, v Value, i int) parquet.Value {
	if v.Null {
		return parquet.NullValue().Level(0, 0, i)
	}
	var pv parquet.Value
	switch s.Kind {
	case Int:
		pv = parquet.Int64Value(v.I)
	case Float:
		pv = parquet.DoubleValue(v.F)
	case Bool:
		pv = parquet.BooleanValue(v.B)
	case Time:
		pv = parquet.Int64Value(v.T.UnixMicro())
	default:
		pv = parquet.ByteArrayValue([]byte(v.S))
	}
	def := 0
	if s.Nullable {
		def = 1
	}
	return pv.Level(0, def, i)
}

// leafNode is the Parquet node of a column.
func leafNode(s Spec) parquet.Node {
	var n parquet.Node
	switch s.Kind {
	case Int:
		n = parquet.Leaf(parquet.Int64Type)
	case Float:
		n = parquet.Leaf(parquet.DoubleType)
	case Bool:
		n = parquet.Leaf(parquet.BooleanType)
	case Time:
		n = parquet.Timestamp(parquet.Microsecond)
	default:
		// Board, model, organization, licence … repeat across rows and
		// snapshots: a dictionary stores each once per row group.
		n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
	}
	if s.Nullable {
		return parquet.Optional(n)
	}
	return parquet.Required(n)
}

// group is a Parquet group whose fields keep the order of the specs
// (parquet.Group, a map, sorts them by name).
type group struct {
	fields []parquet.Field
}

func orderedGroup(specs []Spec) *group {
	g := &group{}
	for _, s := range specs {
		g.fields = append(g.fields, &field{Node: leafNode(s), name: s.Name, index: len(g.fields)})
	}
	return g
}

func (g *group) ID() int                     { return 0 }
func (g *group) String() string              { return fmt.Sprintf("group of %d fields", len(g.fields)) }
func (g *group) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g *group) Optional() bool              { return false }
func (g *group) Repeated() bool              { return false }
func (g *group) Required() bool              { return true }
func (g *group) Leaf() bool                  { return false }
func (g *group) Fields() []parquet.Field     { return g.fields }
func (g *group) Encoding() encoding.Encoding { return nil }
func (g *group) Compression() compress.Codec { return nil }

// GoType is a struct of the fields' Go types; rows are written as
// parquet.Row values, so it serves only descriptions of the schema.
func (g *group) GoType() reflect.Type {
	fs := make([]reflect.StructField, len(g.fields))
	for i, f := range g.fields {
		fs[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: f.GoType(),
			Tag: reflect.StructTag(fmt.Sprintf(`parquet:%q`, f.Name()))}
	}
	return reflect.StructOf(fs)
}

// field names a node within a group.
type field struct {
	parquet.Node
	name  string
	index int // in the group, and in its GoType struct
}

func (f *field) Name() string { return f.name }

// Value reads the field from a value of the group's GoType (rows are
// written as parquet.Row values, so the writer does not call it).
func (f *field) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Struct && f.index < base.NumField() {
		return base.Field(f.index)
	}
	return reflect.Value{}
}
