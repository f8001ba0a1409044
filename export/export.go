// Package export writes stored snapshots for other tools: the long format
// (one row per model per snapshot, see Record) and the per-snapshot
// headline answers (see AnswerRecord), as CSV, JSON Lines, JSON or
// Parquet, to one file or stream or, for Parquet, to a Hive-partitioned
// dataset directory (see WriteDataset) that DuckDB, Spark, Trino and
// pandas read as one table.
//
// Memory is bounded by one snapshot, not by the history: snapshots are
// read from the store one at a time (Plan lists them from the index, a
// few dozen bytes each), converted and written. CSV and Parquet need
// every metric name before their header, so for them MetricNames reads
// the selected snapshots once more first, keeping only the names.
package export

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/store"
)

// errorf is an error of arenawatch itself or of the output (a full disk).
func errorf(format string, args ...any) error {
	return arenawatch.Errorf(arenawatch.KindInternal, format, args...)
}

// BoardRule names a board and the rule it ranks by.
type BoardRule struct {
	ID   string
	Rule arenawatch.RankRule
}

// Selection says which snapshots an export reads.
type Selection struct {
	// Boards in the order they are written.
	Boards []BoardRule
	// Since and Until bound the fetch time, inclusive; zero leaves that
	// end open.
	Since, Until time.Time
	// Latest keeps only each board's latest snapshot in the window.
	Latest bool
}

// Item is one snapshot an export writes.
type Item struct {
	Board     string
	Rule      arenawatch.RankRule
	FetchedAt time.Time
}

// Plan lists the snapshots sel asks for, board by board in sel's order,
// each board's oldest first, from the store's index (no snapshot is
// decoded). The store keeps a re-parse beside the snapshot it re-reads,
// under the same fetch time: such a pair is one item, which loads as the
// re-parse, as 'report --at' answers. A board without snapshots in the
// window has no items.
func Plan(db *store.DB, sel Selection) ([]Item, error) {
	var items []Item
	for _, b := range sel.Boards {
		infos, err := db.Snapshots(b.ID)
		if err != nil {
			return nil, err
		}
		keys := make([]history.Key, len(infos))
		for i, in := range infos {
			keys[i] = history.Key{FetchedAt: in.FetchedAt, AsOf: in.AsOf}
		}
		picked := history.Select(keys, history.Options{Since: sel.Since, Until: sel.Until})
		if sel.Latest && len(picked) > 1 {
			picked = picked[len(picked)-1:]
		}
		for _, p := range picked {
			items = append(items, Item{Board: b.ID, Rule: b.Rule, FetchedAt: p.FetchedAt})
		}
	}
	return items, nil
}

// Loader reads the snapshot an item names.
type Loader func(Item) (*arenawatch.Snapshot, error)

// StoreLoader loads items from db: the board's snapshot at the item's
// fetch time, each in a read transaction of its own, so that a long export
// does not hold up a scrape's write.
func StoreLoader(db *store.DB) Loader {
	return func(it Item) (*arenawatch.Snapshot, error) { return db.At(it.Board, it.FetchedAt) }
}

// Options say how records are written.
type Options struct {
	Format    Format
	Converter Converter
	// Metrics are the metric names of the flat formats' columns, from
	// MetricNames; a metric no column names is an error.
	Metrics []string
	// RowGroupRows is the number of rows of a Parquet row group;
	// RowGroupRows when 0.
	RowGroupRows int
	// Progress, when set, is called after each snapshot is written.
	Progress func(Item)
}

// Summary says what an export wrote.
type Summary struct {
	Snapshots int `json:"snapshots"`
	Rows      int `json:"rows"`
	// Files are the files a dataset export wrote, relative to its
	// directory, and Removed those of the previous export into the same
	// directory that this one did not write again.
	Files   []string `json:"files,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// MetricNames reads the items' snapshots and returns every metric name
// their rows carry, sorted; only the names are kept.
func MetricNames(ctx context.Context, items []Item, load Loader) ([]string, error) {
	seen := map[string]bool{}
	for _, it := range items {
		if err := interrupted(ctx); err != nil {
			return nil, err
		}
		s, err := load(it)
		if err != nil {
			return nil, err
		}
		for _, r := range s.Rows {
			for name := range r.Metrics {
				seen[name] = true
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	return sortedNames(names), nil
}

// Write writes the long-format records of items to w, as one table.
func Write(ctx context.Context, w io.Writer, items []Item, load Loader, opt Options) (Summary, error) {
	var sum Summary
	l := recordLayout(opt.Metrics, false)
	tbl, err := newTable(opt.Format, w, l.specs(), meta(opt.Converter), opt.RowGroupRows)
	if err != nil {
		return sum, err
	}
	err = recordStream(items, load, opt, &sum)(ctx, func(r *Record) error {
		sum.Rows++
		return writeRecord(tbl, &l, r)
	})
	if err != nil {
		return sum, err
	}
	return sum, wrapWrite(tbl.close())
}

// recordStream returns the stream of items' records, counting snapshots
// in sum.
func recordStream(items []Item, load Loader, opt Options, sum *Summary) stream[Record] {
	return func(ctx context.Context, fn func(*Record) error) error {
		for _, it := range items {
			if err := interrupted(ctx); err != nil {
				return err
			}
			s, err := load(it)
			if err != nil {
				return err
			}
			if err := opt.Converter.Records(s, it.Rule, fn); err != nil {
				return err
			}
			sum.Snapshots++
			if opt.Progress != nil {
				opt.Progress(it)
			}
		}
		return nil
	}
}

// stream calls fn with each record to write, in order; fn must not keep
// the record.
type stream[T any] func(ctx context.Context, fn func(*T) error) error

// writeRecord writes one record to tbl in layout l.
func writeRecord[T any](tbl table, l *layout[T], rec *T) error {
	if _, isJSON := tbl.(*jsonTable); isJSON {
		return wrapWrite(tbl.write(nil, rec)) // no columns to fill
	}
	vals, err := l.values(rec)
	if err != nil {
		return err
	}
	return wrapWrite(tbl.write(vals, rec))
}

// wrapWrite makes an output error an *arenawatch.Error.
func wrapWrite(err error) error {
	if err == nil || arenawatch.KindOf(err) != arenawatch.KindInternal {
		return err
	}
	if _, ok := err.(*arenawatch.Error); ok {
		return err
	}
	return errorf("write the export: %w", err)
}

func interrupted(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInterrupted, Err: fmt.Errorf("export stopped: %w", err)}
	}
	return nil
}

// meta is the key/value metadata of a Parquet file.
func meta(c Converter) map[string]string {
	return map[string]string{"arenawatch_version": c.Version, "catalog_version": c.Catalog.Version()}
}
