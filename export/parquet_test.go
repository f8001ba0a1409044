package export

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil/storetest"
)

// writeParquet exports items as one Parquet file with row groups of
// groupRows rows (0: the default).
func writeParquet(t *testing.T, items []Item, load Loader, groupRows int) []byte {
	t.Helper()
	opt := Options{Format: Parquet, Converter: converter(), RowGroupRows: groupRows}
	var err error
	if opt.Metrics, err = MetricNames(context.Background(), items, load); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := Write(context.Background(), &out, items, load, opt); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The file read back with parquet-go has the columns in order, with their
// types, repetition, dictionary encoding and zstd, and the values.
func TestParquetReadBack(t *testing.T) {
	db, _ := storetest.Open(t)
	s := snap("b", t0,
		arenawatch.Row{Model: "glm-4.6", Rank: 1, Score: 1400.5, Organization: arenawatch.Str("Z.ai"), License: arenawatch.Str("MIT"),
			Votes: 7, Metrics: map[string]float64{"coding": 3}},
		arenawatch.Row{Model: "mystery", Rank: 2, Score: 1300})
	s.AsOf = t0.Add(-24 * time.Hour)
	save(t, db, s)
	items, err := Plan(db, Selection{Boards: []BoardRule{{ID: "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	data := writeParquet(t, items, StoreLoader(db), 0)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	fields := f.Schema().Fields()
	if len(fields) != len(Columns)+1 || fields[len(fields)-1].Name() != "metric_coding" {
		t.Fatalf("%d fields, last %s; want the %d columns then metric_coding", len(fields), fields[len(fields)-1].Name(), len(Columns))
	}
	for i, c := range Columns {
		t.Run(c.Name, func(t *testing.T) {
			fl := fields[i]
			if fl.Name() != c.Name || fl.Optional() != c.Nullable {
				t.Errorf("field %d: %s optional=%v; want %s optional=%v", i, fl.Name(), fl.Optional(), c.Name, c.Nullable)
			}
			lt := fl.Type().LogicalType()
			switch c.Kind {
			case Time:
				ts, ok := lt.Value.(*format.TimestampType)
				if _, micros := ts.Unit.Value.(*format.MicroSeconds); !ok || !ts.IsAdjustedToUTC || !micros {
					t.Errorf("logical type %v, want TIMESTAMP(MICROS, UTC)", lt)
				}
			case String:
				if _, ok := lt.Value.(*format.StringType); !ok {
					t.Errorf("logical type %v, want STRING", lt)
				}
			case Float:
				if fl.Type().Kind() != parquet.Double {
					t.Errorf("kind %v, want DOUBLE", fl.Type().Kind())
				}
			}
		})
	}
	for _, cc := range f.Metadata().RowGroups[0].Columns {
		md := cc.MetaData
		if md.Codec != format.Zstd {
			t.Errorf("column %v: codec %v, want ZSTD", md.PathInSchema, md.Codec)
		}
		if md.Type == format.ByteArray && !hasEncoding(md.Encoding, format.RLEDictionary) {
			t.Errorf("string column %v: encodings %v, want RLE_DICTIONARY", md.PathInSchema, md.Encoding)
		}
	}
	rows := readRows(t, f)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	idx := func(name string) int {
		for i, fl := range fields {
			if fl.Name() == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	first, second := rows[0], rows[1]
	checks := []struct {
		name string
		ok   bool
	}{
		{"fetched_at micros", first[idx("fetched_at")].Int64() == t0.UnixMicro()},
		{"as_of micros", first[idx("as_of")].Int64() == t0.Add(-24*time.Hour).UnixMicro()},
		{"score", first[idx("score")].Double() == 1400.5},
		{"country", first[idx("country")].String() == "CN"},
		{"open", first[idx("open")].Boolean()},
		{"votes", first[idx("votes")].Int64() == 7},
		{"metric", first[idx("metric_coding")].Double() == 3},
		{"unknown organization is null", second[idx("organization")].IsNull()},
		{"unknown openness is null", second[idx("open")].IsNull()},
		{"missing metric is null", second[idx("metric_coding")].IsNull()},
		{"no votes is null", second[idx("votes")].IsNull()},
		{"model", second[idx("model")].String() == "mystery"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: wrong value (row 1: %v; row 2: %v)", c.name, first, second)
		}
	}
}

func hasEncoding(list []format.Encoding, e format.Encoding) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// readRows reads every row of f.
func readRows(t *testing.T, f *parquet.File) []parquet.Row {
	t.Helper()
	r := parquet.NewReader(f)
	defer r.Close()
	var out []parquet.Row
	buf := make([]parquet.Row, 64)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			out = append(out, row.Clone())
		}
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A long export fills row groups of Options.RowGroupRows rows.
func TestParquetRowGroups(t *testing.T) {
	db, _ := storetest.Open(t)
	const perSnap, groupRows = 20, 100
	n := groupRows/perSnap + 2
	for i := range n {
		save(t, db, snap("big", t0.Add(time.Duration(i)*time.Hour), filler(perSnap, string(rune('a'+i%26)))...))
	}
	items, err := Plan(db, Selection{Boards: []BoardRule{{ID: "big"}}})
	if err != nil {
		t.Fatal(err)
	}
	data := writeParquet(t, items, StoreLoader(db), groupRows)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	groups := f.Metadata().RowGroups
	if len(groups) != 2 || groups[0].NumRows != groupRows || f.NumRows() != int64(n*perSnap) {
		t.Errorf("%d row groups (first %d rows), %d rows; want 2 groups, the first of %d, %d rows",
			len(groups), groups[0].NumRows, f.NumRows(), groupRows, n*perSnap)
	}
}
