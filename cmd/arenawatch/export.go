package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/export"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/store"
)

const exportLong = `Write stored snapshots for other tools: a spreadsheet, pandas, DuckDB, Spark,
a warehouse. The long format has one row per model per snapshot:

  board, snapshot_id, fetched_at, as_of, obtained (scraped, replayed,
  imported, reparsed), source_url, rank, rank_upper, rank_lower, model,
  name, underlying, organization_source (as the source labels it),
  organization and country (from the catalog), open (true, false, or
  empty/null when unknown), open_basis (source flag, license, catalog rule,
  unknown), license (the source's text), license_tier, family,
  lineage_base, lineage_country, score, score_lower, score_upper, votes,
  the board's other numbers (an object "metrics" in JSON and JSON Lines,
  metric_<name> columns in CSV and Parquet), catalog_version,
  arenawatch_version.

rank is the overall rank 'report' gives: the board's own rank where it
publishes one, else 1 + the number of rows with a higher score. Times are
UTC (RFC 3339 in text formats, TIMESTAMP(MICROS, UTC) in Parquet; the
snapshot_id keeps the exact fetch time). The catalog classifies the rows
now (built in, plus --catalog), so an export with a newer catalog can say
more about the same snapshots. --answers writes instead one row per
snapshot with the headline answer 'history' shows (leading open model,
best open non-Chinese model with rank and open position, Chinese open
models above it, top open shares, gap), in the same formats; --origin and
--by choose its view as for 'report'.

Formats (--format, or from the --out extension):
  csv      UTF-8, a header row, RFC 4180 quoting, LF line ends. Text cells
           that a spreadsheet would run as a formula (starting with = + - @,
           a tab or CR) get a leading ' (OWASP's advice against CSV
           injection); cells that are plain numbers, like -3.5, do not.
           'arenawatch import export' removes the quote again.
  jsonl    one JSON object per line, every key present (null if unknown)
  json     one JSON array of those objects
  parquet  typed, nullable columns, dictionary-encoded strings, zstd,
           row groups of 122,880 rows

--out FILE is written whole or not at all (a temporary file beside it,
renamed when complete); --out - or no --out writes to stdout (csv, jsonl,
json). --partition board or board,date (parquet) writes a Hive-style
dataset directory, board=arena-text/date=2026-11-30/part-0.parquet (the
date is fetched_at's, UTC), that DuckDB, Spark, Trino and pandas read as one
table; the board and date are the directories, not columns of the files.
Re-running into the same directory replaces each file atomically and then
removes the files the previous export wrote that this one did not (listed
in _arenawatch_export.json); files it did not write are left alone.

Memory stays bounded by one snapshot however long the history: snapshots
are read one at a time (csv and parquet read them twice: first for the set
of metric names their columns need). The database is reopened every 2,000
snapshots, so a scrape that wants to write waits for one stretch (well
within its --lock-timeout), not for the whole export.

--since and --until select by fetch time (UTC; a date or month means its
start for --since and its end for --until); --latest keeps each board's
latest snapshot (in that window).`

const exportExample = `  arenawatch export arena-text --format csv --out arena-text.csv
  arenawatch export --latest --format jsonl --out - | jq -c 'select(.open) | [.board, .rank, .name]'
  arenawatch export --format parquet --partition board,date --out ~/arenawatch-data
  arenawatch export --answers --format csv --out answers.csv

  # DuckDB: the dataset as one table
  duckdb -c "SELECT board, name, rank FROM read_parquet('arenawatch-data/**/*.parquet', hive_partitioning = true)
             WHERE open AND country <> 'CN' ORDER BY fetched_at DESC, rank LIMIT 5"
  # pandas (pyarrow): the same
  python3 -c "import pandas as pd; print(pd.read_parquet('arenawatch-data').query('open == True').head())"`

// exportFlags are the flags of 'export' beyond the shared query flags.
type exportFlags struct {
	format, out, since, until, partition string
	latest, answers, quiet               bool
}

func (e *env) exportCommand() *cobra.Command {
	var (
		qf queryFlags
		xf exportFlags
	)
	cmd := &cobra.Command{
		Use:     "export [BOARD...] --format csv|jsonl|json|parquet [--out FILE|DIR|-]",
		Short:   "Write snapshots (one row per model per snapshot) as CSV, JSON Lines, JSON or Parquet",
		Long:    exportLong,
		Example: exportExample,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.export(cmd.Context(), qf, xf, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&xf.format, "format", "", "csv, jsonl, json or parquet (default: from the --out extension)")
	f.StringVarP(&xf.out, "out", "o", "", "output file, dataset directory with --partition, or - for stdout (the default for csv, jsonl, json)")
	f.StringVar(&xf.since, "since", "", "snapshots fetched from this time on (UTC): 2026-03-14T12:00:00Z, a date or a month (its start)")
	f.StringVar(&xf.until, "until", "", "snapshots fetched up to this time (UTC): a time, a date or a month (its end)")
	f.BoolVar(&xf.latest, "latest", false, "only each board's latest snapshot (within --since/--until)")
	f.StringVar(&xf.partition, "partition", "", "write a Hive-style parquet dataset into the --out directory: board or board,date")
	f.BoolVar(&xf.answers, "answers", false, "one row per snapshot with its headline answer (as 'history') instead of one per model")
	f.BoolVarP(&xf.quiet, "quiet", "q", false, "no progress and no summary on stderr")
	qf.add(f, false, true)
	return cmd
}

// exportPlan is what the flags ask for.
type exportPlan struct {
	q            queryArgs
	format       export.Format
	out          string // "" or "-": stdout
	partition    export.Partition
	since, until time.Time
}

// exportArgs checks the flags.
func (e *env) exportArgs(qf queryFlags, xf exportFlags, args []string) (exportPlan, error) {
	var p exportPlan
	q, err := e.query(qf, args)
	if err != nil {
		return p, err
	}
	p.q, p.out = q, xf.out
	if !xf.answers && (q.opt.View != "developer" || q.opt.ByFamily) {
		return p, &usageError{errors.New("--origin and --by choose the view of --answers; the long format carries every row with country and lineage_country, whatever the view")}
	}
	if p.format, err = exportFormat(xf.format, xf.out); err != nil {
		return p, err
	}
	if xf.partition != "" {
		part, ok := export.ParsePartition(xf.partition)
		switch {
		case !ok:
			return p, &usageError{fmt.Errorf("--partition %q: want board or board,date", xf.partition)}
		case p.format != export.Parquet || xf.answers:
			return p, &usageError{errors.New("--partition writes the long format as a parquet dataset: use it with --format parquet, without --answers")}
		case xf.out == "" || xf.out == "-":
			return p, &usageError{errors.New("--partition needs --out DIR, the dataset directory")}
		}
		p.partition = part
	} else if p.format == export.Parquet && xf.out == "" {
		return p, &usageError{errors.New("parquet is binary: name a file with --out FILE (or --out - to pipe it)")}
	}
	p.since, p.until, err = parseWindow(xf.since, xf.until)
	return p, err
}

// exportFormat reads --format, or takes it from the --out extension.
func exportFormat(flag, out string) (export.Format, error) {
	if flag == "" {
		if f, ok := export.ParseFormat(strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")); ok && out != "-" {
			return f, nil
		}
		return "", &usageError{errors.New("say --format csv, jsonl, json or parquet (or name an --out file with one of those extensions)")}
	}
	f, ok := export.ParseFormat(strings.ToLower(flag))
	if !ok {
		return "", &usageError{fmt.Errorf("--format %q: want csv, jsonl, json or parquet", flag)}
	}
	return f, nil
}

// export runs the command.
func (e *env) export(ctx context.Context, qf queryFlags, xf exportFlags, args []string) error {
	p, err := e.exportArgs(qf, xf, args)
	if err != nil {
		return err
	}
	db, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer db.Close()
	bs := p.q.boards
	if len(args) == 0 {
		if bs, err = withSnapshots(db, bs); err != nil {
			return err
		}
	}
	var sum export.Summary
	if xf.answers {
		sum, err = e.exportAnswers(ctx, db, p, xf, bs, len(args) > 0)
	} else {
		sum, err = e.exportRows(ctx, db, p, xf, bs)
	}
	if err != nil {
		return err
	}
	if !xf.quiet && isTerminal(e.rawStderr) {
		what := "rows"
		if xf.answers {
			what = "answers"
		}
		fmt.Fprintf(e.stderr, "arenawatch: exported %d %s of %d snapshots to %s\n", sum.Rows, what, sum.Snapshots, describeOut(p))
		if len(sum.Removed) > 0 {
			fmt.Fprintf(e.stderr, "arenawatch: removed %d files of the previous export that this one did not write\n", len(sum.Removed))
		}
	}
	return nil
}

func describeOut(p exportPlan) string {
	if p.out == "" || p.out == "-" {
		return "stdout"
	}
	return p.out
}

// exportRows writes the long format.
func (e *env) exportRows(ctx context.Context, db *store.DB, p exportPlan, xf exportFlags, bs arenawatch.Boards) (export.Summary, error) {
	var sum export.Summary
	sel := export.Selection{Since: p.since, Until: p.until, Latest: xf.latest}
	for _, b := range bs {
		sel.Boards = append(sel.Boards, export.BoardRule{ID: b.ID, Rule: b.Rank})
	}
	items, err := export.Plan(db, sel)
	if err != nil {
		return sum, err
	}
	if len(items) == 0 {
		return sum, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(), Err: errors.New("no snapshot to export: none of the boards has one in the window asked for"),
			Hint: "'arenawatch db stats' lists what the file holds"}
	}
	db.Close() // reopened per stretch of snapshots by load
	load, closeLoad := e.reopeningLoader()
	defer closeLoad()
	opt := export.Options{Format: p.format, Converter: export.Converter{Catalog: p.q.cat, Version: version}}
	bar := e.progressBar(len(items)*map[bool]int{true: 2, false: 1}[p.format.Flat()], "exporting", "snapshots", xf.quiet)
	defer bar.done()
	if p.format.Flat() {
		counted := func(it export.Item) (*arenawatch.Snapshot, error) { bar.add(1); return load(it) }
		if opt.Metrics, err = export.MetricNames(ctx, items, counted); err != nil {
			return sum, err
		}
	}
	opt.Progress = func(export.Item) { bar.add(1) }
	if p.partition != "" {
		return export.WriteDataset(ctx, p.out, p.partition, items, load, opt)
	}
	return sum, e.writeOut(p.out, func(w io.Writer) error {
		sum, err = export.Write(ctx, w, items, load, opt)
		return err
	})
}

// reopenEvery is the number of snapshots an export reads before it closes
// and reopens the database.
const reopenEvery = 2000

// reopeningLoader loads snapshots from the database, closing and reopening
// it every reopenEvery snapshots. Closing unmaps the file: the pages read
// so far leave the process's resident memory (bbolt reads through mmap,
// and an export reads the whole file once), and a scrape waiting to write
// gets its turn between two stretches instead of after the whole export.
func (e *env) reopeningLoader() (export.Loader, func()) {
	var db *store.DB
	n := 0
	closeDB := func() {
		if db != nil {
			db.Close()
			db = nil
		}
	}
	load := func(it export.Item) (*arenawatch.Snapshot, error) {
		if n++; n%reopenEvery == 0 {
			closeDB()
		}
		if db == nil {
			var err error
			if db, err = e.openStore(true); err != nil {
				return nil, err
			}
		}
		return db.At(it.Board, it.FetchedAt)
	}
	return load, closeDB
}

// exportAnswers writes the headline answers, one board's history at a
// time. Usage boards (token counts) have no ranking to answer: named, they
// are an error; otherwise they are left out.
func (e *env) exportAnswers(ctx context.Context, db *store.DB, p exportPlan, xf exportFlags, bs arenawatch.Boards, named bool) (export.Summary, error) {
	var ranked arenawatch.Boards
	for _, b := range bs {
		if b.Usage && named {
			return export.Summary{}, &usageError{fmt.Errorf("%s counts tokens, not ranks: it has no headline answer to export ('arenawatch export %s' writes its rows)", b.ID, b.ID)}
		}
		if !b.Usage {
			ranked = append(ranked, b)
		}
	}
	i := 0
	next := func() (export.AnswerBoard, bool, error) {
		for ; i < len(ranked); i++ {
			b := ranked[i]
			opt := history.Options{Since: p.since, Until: p.until, Rule: b.Rank, Catalog: p.q.cat, Ranking: p.q.opt}
			rows, _, err := e.historyRows(db, b.ID, opt)
			if arenawatch.IsKind(err, arenawatch.KindNotFound) && !named {
				continue // nothing of this board in the window
			}
			if err != nil {
				return export.AnswerBoard{}, false, err
			}
			if xf.latest {
				rows = rows[len(rows)-1:]
			}
			i++
			return export.AnswerBoard{Board: b.ID, Rows: rows}, true, nil
		}
		return export.AnswerBoard{}, false, nil
	}
	opt := export.AnswerOptions{Format: p.format, Catalog: p.q.cat, Ranking: p.q.opt, Version: version}
	var sum export.Summary
	err := e.writeOut(p.out, func(w io.Writer) error {
		var err error
		sum, err = export.WriteAnswers(ctx, w, next, opt)
		return err
	})
	if err == nil && sum.Snapshots == 0 {
		err = &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(), Err: errors.New("no snapshot to answer in the window asked for")}
	}
	return sum, err
}

// writeOut runs write on stdout ("" or "-") or on a temporary file beside
// out that is renamed over out only when write succeeds, so that a failed
// or interrupted export leaves the old file (or none), never half a file.
func (e *env) writeOut(out string, write func(io.Writer) error) error {
	if out == "" || out == "-" {
		return write(e.rawStdout)
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return &usageError{fmt.Errorf("--out %s is a directory: name a file (or use --partition for a dataset)", out)}
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: out, Err: fmt.Errorf("cannot write the export: %w", err)}
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), out)
	}
	if err != nil {
		os.Remove(f.Name())
		if _, ok := err.(*arenawatch.Error); !ok {
			err = &arenawatch.Error{Kind: arenawatch.KindInternal, URL: out, Err: err}
		}
		return err
	}
	return nil
}
