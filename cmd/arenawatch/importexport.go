package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/longform"
	"github.com/arenawatch/arenawatch/sanitize"
	"github.com/arenawatch/arenawatch/store"
)

const importExportLong = `Import what 'arenawatch export' wrote, on this machine or another: a CSV,
JSON Lines or Parquet file (the format comes from the extension: .csv,
.jsonl, .parquet), or a directory, read whole: a Hive-partitioned Parquet
dataset (board=arena-text/date=2026-11-30/part-0.parquet) or a directory of
part files.

Rows are grouped into snapshots by board, snapshot_id and obtained,
wherever they are in the files. Each snapshot keeps its board, its fetch
time (to the nanosecond, from the snapshot id), its as-of date and its
source URL, so 'report --at' answers from it as from the original, and
exporting it again gives its snapshot id again. The import marks it:

  origin     "imported" (the export's obtained column says so), whatever
             it had been; its notes keep how it had been obtained, the
             export's file and row, and the arenawatch and catalog versions
             that wrote it.

Each row gets back what the source stated: rank (on boards ranked by the
source's own rank), rank spread, model, name, underlying model,
organization and licence as the source gave them, the source's own
open-weights flag (where open_basis is "source flag"), score, CI, votes and
metrics. The catalog's columns are not read: the catalog answers again at
query time, as for any snapshot. What an export does not carry is not
restored: the page's stated totals, the raw pages, row extras.

Each snapshot is validated like a scrape (but for the board's minimum
rows, which it passed when it was first stored). A snapshot that fails is
reported and skipped; the others are stored. A snapshot the database holds
already (same board and fetch time) is "unchanged", so running the same
import again stores nothing. The files are read twice, as a stream: memory
holds the snapshots whose rows are not all read yet, not the export. No
raw body is kept.`

func (e *env) importExportCommand() *cobra.Command {
	var asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "export FILE|DIR",
		Short: "Import an arenawatch export (CSV, JSON Lines, Parquet file or dataset)",
		Long:  importExportLong,
		Example: `  arenawatch import export arenawatch-2026-11.parquet
  arenawatch import export ~/exports/dataset/          # board=…/date=…/part-0.parquet
  arenawatch --db colleague.db import export history.jsonl --json`,
		Args: oneFile("FILE|DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.importExport(cmd.Context(), args[0], asJSON, quiet)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&asJSON, "json", false, "print a JSON summary on stdout")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print nothing on stderr unless a snapshot fails (for cron)")
	return cmd
}

// exportImport writes the snapshots of an export, board by board, each
// through the import's writer.
type exportImport struct {
	ctx    context.Context
	db     *store.DB
	silent bool
	e      *env
	order  []string
	lines  map[string]*importBoardJSON
	w      map[string]*importWriter
	held   map[string]map[int64]bool // fetch times already stored, by board
	warm   *answerWarmer             // shared by the boards' writers
}

func (e *env) importExport(ctx context.Context, path string, asJSON, quiet bool) error {
	files, err := longform.ExportFiles(path)
	if err != nil {
		return err
	}
	all, err := e.boards(nil)
	if err != nil {
		return err
	}
	db, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer db.Close()
	started := e.now()
	x := &exportImport{ctx: ctx, db: db, silent: quiet || asJSON, e: e, warm: e.answerWarmer(),
		lines: map[string]*importBoardJSON{}, w: map[string]*importWriter{}, held: map[string]map[int64]bool{}}
	err = longform.ReadExport(files, all.Get, x.add)
	if err == nil {
		err = x.flush()
	}
	for _, b := range x.order {
		x.w[b].bar.done()
		if se := x.w[b].storeErr; se != nil && err == nil {
			err = se
		}
	}
	if err != nil && !arenawatch.IsKind(err, arenawatch.KindInterrupted) {
		// A file that cannot be read fails before any snapshot is
		// written (the first pass reads it all); a database error stops
		// the import with the batches written so far kept.
		return err
	}
	sum := importJSON{OK: true, Source: "export", Database: db.Path(), StartedAt: started.UTC()}
	for _, b := range x.order {
		l := x.lines[b]
		l.URL = path
		l.ElapsedMS = e.now().Sub(started).Milliseconds()
		if l.Failed > 0 {
			sum.OK = false
		}
		sum.Boards = append(sum.Boards, *l)
	}
	sum.ElapsedMS = e.now().Sub(started).Milliseconds()
	if !asJSON && (!quiet || !sum.OK) {
		lines := e.lines(x.order)
		for _, l := range sum.Boards {
			lines.exportImportLine(l)
		}
	}
	return e.finishRun(ctx, asJSON, sum, sum.OK)
}

// exportImportLine prints one board's part of an 'import export' for
// people.
func (l boardLines) exportImportLine(r importBoardJSON) {
	l.status(r.Board, "imported", fmt.Sprintf("%d snapshots, %s … %s, %d rows", r.Dates, r.First, r.Last, r.Rows))
	l.more(fmt.Sprintf("%d stored, %d unchanged, %d failed (%.1fs)", r.Stored, r.Unchanged, r.Failed, float64(r.ElapsedMS)/1000))
	for _, d := range r.Results {
		if d.Status == "failed" {
			l.more("failed " + sanitize.Text(d.Error.Message, maxMessage))
		}
	}
}

// board returns the line and writer of a board, made at its first
// snapshot; the fetch times it holds already are read then.
func (x *exportImport) board(id string) (*importBoardJSON, *importWriter, error) {
	if l, ok := x.lines[id]; ok {
		return l, x.w[id], nil
	}
	l := &importBoardJSON{Board: id, Status: "ok", Results: []importDateJSON{}}
	// No raw body: the export is not a page a parser could read again.
	w := &importWriter{ctx: x.ctx, db: x.db, line: l, sent: true, warm: x.warm,
		bar: x.e.progressBar(-1, "importing "+id, "snapshots", x.silent)}
	x.order = append(x.order, id)
	x.lines[id], x.w[id] = l, w
	held := map[int64]bool{}
	if arenawatch.ValidBoardID(id) {
		infos, err := x.db.Snapshots(id)
		if err != nil && !arenawatch.IsKind(err, arenawatch.KindNotFound) {
			return nil, nil, err
		}
		for _, in := range infos {
			held[in.FetchedAt.UnixNano()] = true
		}
	}
	x.held[id] = held
	return l, w, nil
}

// add takes one snapshot of the export. One the database holds already
// is unchanged; the others go to the board's writer, and each result
// names the snapshot by its fetch time.
func (x *exportImport) add(es longform.ExportSnapshot) error {
	if err := x.ctx.Err(); err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInterrupted, Err: err}
	}
	l, w, err := x.board(es.Board)
	if err != nil {
		return err
	}
	at := es.Date.UTC().Format(time.RFC3339Nano)
	if es.Err == nil && x.held[es.Board][es.Date.UnixNano()] {
		l.Dates++
		l.Rows += es.Rows
		l.Unchanged++
		l.Results = append(l.Results, importDateJSON{Date: at, Status: string(store.OutcomeUnchanged), Rows: es.Rows})
		x.span(l, es.Date)
		return nil
	}
	n := len(l.Results)
	if err := w.add(es.DatedSnapshot); err != nil {
		return err
	}
	if n < len(l.Results) {
		l.Results[n].Date = at
	}
	return nil
}

// span keeps a line's first and last day up to date for a snapshot that
// did not pass through the writer.
func (x *exportImport) span(l *importBoardJSON, t time.Time) {
	day := t.UTC().Format(time.DateOnly)
	if l.First == "" || day < l.First {
		l.First = day
	}
	if day > l.Last {
		l.Last = day
	}
}

// flush writes what every board's writer still holds.
func (x *exportImport) flush() error {
	var first error
	for _, b := range x.order {
		if err := x.w[b].flush(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
