package longform

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/export"
)

// parquetColumn is a leaf column of an export's Parquet file that is read.
type parquetColumn struct {
	exportColumn
	physical parquet.Kind
	unit     time.Duration // of a TIMESTAMP column
}

// parquetRecords reads an export's Parquet file, one row group at a time.
// parquet-go trusts the offsets a file states and panics on a corrupt
// one: that panic is a KindDamaged error here.
func parquetRecords(f ExportFile, fn func(*exportRecord) error) (err error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return err
	}
	base := filepath.Base(f.Path)
	defer func() {
		if r := recover(); r != nil {
			err = &arenawatch.Error{Kind: arenawatch.KindDamaged, URL: f.Path,
				Err: fmt.Errorf("%s is damaged or not a parquet file: %v", base, r)}
		}
	}()
	pf, err := parquet.OpenFile(fh, fi.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return fmt.Errorf("%s: not a readable parquet file: %v", base, err)
	}
	cols, err := parquetColumns(pf.Schema(), f)
	if err != nil {
		return err
	}
	n := 0
	buf := make([]parquet.Row, 256)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			k, rerr := rows.ReadRows(buf)
			for _, row := range buf[:k] {
				n++
				if err := parquetRecord(row, cols, f, fmt.Sprintf("%s row %d", base, n), fn); err != nil {
					rows.Close()
					return err
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				rows.Close()
				return fmt.Errorf("%s: reading rows after row %d: %v", base, n, rerr)
			}
		}
		rows.Close()
	}
	return nil
}

// parquetColumns finds the columns that are read, by leaf index, and
// checks their physical types once.
func parquetColumns(schema *parquet.Schema, f ExportFile) (map[int]parquetColumn, error) {
	cols := map[int]parquetColumn{}
	have := map[string]bool{}
	for i, path := range schema.Columns() {
		if len(path) != 1 {
			continue // a nested column is none of the contract's
		}
		c, ok := lookupColumn(path[0])
		if !ok {
			continue
		}
		leaf, _ := schema.Lookup(path...)
		t := leaf.Node.Type()
		pc := parquetColumn{exportColumn: c, physical: t.Kind()}
		want := map[export.Kind][]parquet.Kind{
			export.String: {parquet.ByteArray},
			export.Int:    {parquet.Int64, parquet.Int32},
			export.Float:  {parquet.Double, parquet.Float, parquet.Int64, parquet.Int32},
			export.Bool:   {parquet.Boolean},
			export.Time:   {parquet.Int64},
		}[c.kind]
		if !containsKind(want, pc.physical) {
			return nil, fmt.Errorf("%s: column %s is %v, not what an export writes", filepath.Base(f.Path), c.name, pc.physical)
		}
		if c.kind == export.Time {
			lt := t.LogicalType()
			ts, ok := (*format.TimestampType)(nil), false
			if lt != nil {
				ts, ok = lt.Value.(*format.TimestampType)
			}
			if !ok || ts.Unit.Value == nil {
				return nil, fmt.Errorf("%s: column %s is not a timestamp", filepath.Base(f.Path), c.name)
			}
			pc.unit = ts.Unit.Value.Duration()
		}
		cols[i] = pc
		have[c.name] = true
	}
	if err := checkNeeded(have, f); err != nil {
		return nil, err
	}
	return cols, nil
}

func containsKind(ks []parquet.Kind, k parquet.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// parquetRecord turns one row into a record and hands it to fn.
func parquetRecord(row parquet.Row, cols map[int]parquetColumn, f ExportFile, where string, fn func(*exportRecord) error) error {
	r := &exportRecord{where: where}
	for _, v := range row {
		c, ok := cols[v.Column()]
		if !ok {
			continue
		}
		if err := assign(r, c.exportColumn, parquetValue(c, v), nil); err != nil {
			return err
		}
	}
	if err := checkKey(r, f.Board); err != nil {
		return err
	}
	if r.Model == "" && r.err == nil {
		r.err = fmt.Errorf("%s: no model", where)
	}
	return fn(r)
}

// parquetValue reads one value of a column checked by parquetColumns.
func parquetValue(c parquetColumn, v parquet.Value) export.Value {
	if v.IsNull() {
		return export.Value{Null: true}
	}
	switch c.kind {
	case export.String:
		return export.Value{S: strings.Clone(string(v.ByteArray()))}
	case export.Bool:
		return export.Value{B: v.Boolean()}
	case export.Time:
		return export.Value{T: time.Unix(0, 0).Add(time.Duration(v.Int64()) * c.unit).UTC()}
	}
	var i int64
	var f float64
	switch c.physical {
	case parquet.Int32:
		i, f = int64(v.Int32()), float64(v.Int32())
	case parquet.Int64:
		i, f = v.Int64(), float64(v.Int64())
	case parquet.Float:
		f = float64(v.Float())
	case parquet.Double:
		f = v.Double()
	}
	return export.Value{I: i, F: f}
}
