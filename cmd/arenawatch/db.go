package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/retention"
	"github.com/arenawatch/arenawatch/store"
)

const dbLong = `Look after the database file: what it holds (stats), whether every record
reads back (check), a consistent copy while scrapes go on (backup), which
snapshots to keep (prune, drop) and giving free space back (compact).

stats, check and backup open the file read-only (a scrape waits for them,
up to its --lock-timeout); prune, drop and compact take it exclusively.
prune and drop keep the run log (every attempt, stored or failed) and
rebase, in the same transaction, any snapshot stored as a delta of one that
goes. They free pages inside the file; compact gives them back to the disk.`

func (e *env) dbCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Database upkeep: stats, check, backup, prune, drop, compact",
		Long:  dbLong,
	}
	cmd.AddCommand(e.dbStatsCommand(), e.dbCheckCommand(), e.dbBackupCommand(),
		e.dbPruneCommand(), e.dbDropCommand(), e.dbCompactCommand())
	return cmd
}

func (e *env) dbStatsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Per board: snapshots, first and last fetch, bytes; raw bodies, free pages, schema",
		Long: `Per board: how many snapshots (and how many are stored as deltas), the
fetch times of the first and last (UTC), their stored size, and their origins
(scraped, replayed, imported); then the raw bodies, the file's size, its free
pages (space a compact would give back) and the schema version. Sizes are
bytes as stored, compressed.`,
		Example: `  arenawatch db stats
  arenawatch db stats --json | jq '.boards[] | {board, snapshots}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := e.openStore(true)
			if err != nil {
				return err
			}
			st, err := db.Stats()
			db.Close()
			if err != nil {
				return err
			}
			if asJSON {
				return e.writeJSON(st)
			}
			printStats(e.stdout, st)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return cmd
}

// printStats writes stats as an aligned table and a summary.
func printStats(w io.Writer, st store.Stats) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "board\tsnapshots\tdeltas\tfirst (UTC)\tlast (UTC)\tbytes\torigins\truns")
	for _, b := range st.Boards {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%d\n", b.Board, b.Snapshots, b.Deltas,
			stamp(b.First), stamp(b.Last), size(b.Bytes), origins(b.Origins), b.Runs)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d snapshots of %d boards, %s; %d raw bodies, %s; %d runs\n",
		st.Snapshots, len(st.Boards), size(st.SnapshotBytes), st.RawBodies, size(st.RawBytes), st.Runs)
	fmt.Fprintf(w, "file %s: %s, %d pages of %d bytes, %d free (%s); schema %d\n",
		st.Path, size(st.FileBytes), st.Pages, st.PageSize, st.FreePages, size(st.FreeBytes), st.SchemaVersion)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// size renders a byte count for people.
func size(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func origins(m map[string]int) string {
	var parts []string
	for _, o := range []string{arenawatch.OriginScraped, arenawatch.OriginReplayed, arenawatch.OriginImported} {
		if m[o] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", o, m[o]))
		}
	}
	for o, n := range m {
		if o != arenawatch.OriginScraped && o != arenawatch.OriginReplayed && o != arenawatch.OriginImported {
			parts = append(parts, fmt.Sprintf("%s %d", cmpOr(o, "none"), n))
		}
	}
	return strings.Join(parts, ", ")
}

func cmpOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// dbCheckJSON is the 'db check --json' document.
type dbCheckJSON struct {
	Path     string          `json:"path"`
	OK       bool            `json:"ok"`
	Problems []store.Problem `json:"problems"`
}

func (e *env) dbCheckCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the file and read back every record; name each bad one (exit 12)",
		Long: `Run bbolt's own consistency check over the file, then read back every
record: each snapshot decodes (through its base, for a delta) and has its
index record, each run decodes, each raw body decompresses to its sha256.
Every problem is named with its board and its time (UTC, the record's key).

Exit code 0 when all is well, 12 when anything is damaged: restore the file
from a backup ('arenawatch db backup'), or drop the named snapshots.`,
		Example: `  arenawatch db check
  arenawatch db check --json || mail -s "arenawatch: damaged database" me`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := e.openStore(true)
			if err != nil {
				return err
			}
			out := dbCheckJSON{Path: db.Path(), Problems: []store.Problem{}}
			problems, err := db.Verify()
			db.Close()
			if err != nil && !arenawatch.IsKind(err, arenawatch.KindDamaged) {
				return err
			}
			if err != nil {
				problems = []store.Problem{{Record: "file", Message: err.Error()}}
			}
			out.Problems = append(out.Problems, problems...)
			out.OK = len(problems) == 0
			e.printCheckResult(asJSON, out)
			if !out.OK {
				return &arenawatch.Error{Kind: arenawatch.KindDamaged, URL: out.Path,
					Err:  fmt.Errorf("the check found %d problems", len(problems)),
					Hint: "restore the file from a backup, or remove the named snapshots with 'arenawatch db drop --board B --since T --until T'"}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return cmd
}

func (e *env) printCheckResult(asJSON bool, out dbCheckJSON) {
	if asJSON {
		_ = e.writeJSON(out)
		return
	}
	if out.OK {
		fmt.Fprintf(e.stdout, "%s: ok\n", out.Path)
		return
	}
	for _, p := range out.Problems {
		fmt.Fprintln(e.stdout, p.String())
	}
}

func (e *env) dbBackupCommand() *cobra.Command {
	var force, asJSON bool
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database to FILE while scrapes go on",
		Long: `Copy the database, as one read transaction sees it, to FILE. The copy is
written beside FILE, flushed to disk and then moved into place, so FILE is
never half a copy. A scrape that wants to write meanwhile waits for the copy
(up to its --lock-timeout); the copy is a database like any other, to use
with --db. An existing FILE is refused unless --force.`,
		Example: `  arenawatch db backup ~/backups/arenawatch-$(date +%F).db
  arenawatch --db ~/backups/arenawatch-2026-11-30.db report`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{errors.New("db backup takes one argument, the file to write")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := e.openStore(true)
			if err != nil {
				return err
			}
			n, err := db.Backup(args[0], force)
			db.Close()
			if err != nil {
				return err
			}
			if asJSON {
				return e.writeJSON(map[string]any{"path": args[0], "bytes": n})
			}
			fmt.Fprintf(e.stdout, "%s: %s written\n", args[0], size(n))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return cmd
}

func (e *env) dbCompactCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "compact",
		Short: "Rewrite the file without its free pages (after a prune or drop)",
		Long: `Copy every record into a new file beside the database (FILE.compact.tmp),
check the copy, flush it and rename it over the database: the free pages a
prune, a drop or a migration left are given back to the disk. A kill at any
point leaves the old file or the new one, each whole. It needs room for a
copy of the live data and holds the database exclusively while it runs; an
arenawatch waiting for it then opens the new file.`,
		Example: `  arenawatch db prune --keep-daily 30 --keep-monthly -1 && arenawatch db compact`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := e.openStore(false)
			if err != nil {
				return err
			}
			res, err := db.Compact() // closes db
			if err != nil {
				return err
			}
			if asJSON {
				return e.writeJSON(res)
			}
			fmt.Fprintf(e.stdout, "%s: %s before, %s after\n", res.Path, size(res.BytesBefore), size(res.BytesAfter))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return cmd
}

// printRemoval lists, for a dry run, every snapshot that would go, and
// then one line per board and a total.
// verb is the past tense ("pruned"); for a dry run, would is the
// conditional ("would prune").
func printRemoval(w io.Writer, res store.Removal, verb, would string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if res.DryRun {
		for _, b := range res.Boards {
			for _, s := range b.Removed {
				fmt.Fprintf(tw, "would remove\t%s\t%s\t%s\t%d rows\n", b.Board, s.FetchedAt.UTC().Format(time.RFC3339), cmpOr(s.Origin, "-"), s.Rows)
			}
		}
		verb = would
	}
	for _, b := range res.Boards {
		if len(b.Removed) > 0 {
			fmt.Fprintf(tw, "%s\t%s %d\tleft %d\n", b.Board, verb, len(b.Removed), b.Remaining)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "%s %d snapshots of %d boards (%d left); %d deltas rebased; %d raw bodies (%s) dropped\n",
		verb, res.Removed, len(res.Boards), res.Remaining, res.Rebased, res.Bodies, size(res.BodyBytes))
	if !res.DryRun && res.Removed > 0 {
		fmt.Fprintln(w, "the file keeps its size; 'arenawatch db compact' gives the free pages back")
	}
}

const dbPruneLong = `Remove the snapshots of each board that a retention policy does not keep,
in the manner of restic's forget. Each board is pruned on its own; a snapshot
is kept when any rule keeps it:

  --keep-last N       the N newest snapshots
  --keep-hourly N     the newest snapshot of each of the N newest hours that
                      have one (likewise --keep-daily, --keep-weekly (ISO
                      weeks, Monday to Sunday), --keep-monthly, --keep-yearly;
                      periods are UTC, periods without a snapshot do not count)
  --keep-within SPAN  every snapshot fetched within SPAN before the board's
                      newest one (not before now): 30d, 1y6m, 72h, 4w

A count of -1 means unlimited. The newest snapshot of every board is always
kept, and imported snapshots are kept unless --include-imported. At least
one --keep rule is needed. Raw bodies that no remaining snapshot refers to
are dropped; the run log is kept. --dry-run lists what would go and changes
nothing.`

// pruneFlags are the retention flags of 'db prune'.
type pruneFlags struct {
	last, hourly, daily, weekly, monthly, yearly int
	within                                       string
	includeImported                              bool
}

func (pf pruneFlags) policy() (retention.Policy, error) {
	p := retention.Policy{Last: pf.last, Hourly: pf.hourly, Daily: pf.daily, Weekly: pf.weekly,
		Monthly: pf.monthly, Yearly: pf.yearly, IncludeImported: pf.includeImported}
	if pf.within != "" {
		span, err := retention.ParseSpan(pf.within)
		if err != nil {
			return p, &usageError{fmt.Errorf("--keep-within: %w", err)}
		}
		p.Within = span
	}
	if err := p.Validate(); err != nil {
		return p, &usageError{err}
	}
	if p.Empty() {
		return p, &usageError{fmt.Errorf("no --keep rule given: a prune without one would remove all but the newest and imported snapshots")}
	}
	return p, nil
}

func (e *env) dbPruneCommand() *cobra.Command {
	var (
		pf             pruneFlags
		boards         []string
		dryRun, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "prune --keep-… [--board B]…",
		Short: "Remove the snapshots a retention policy does not keep (like restic forget)",
		Long:  dbPruneLong,
		Example: `  arenawatch db prune --keep-daily 30 --keep-weekly 52 --keep-monthly -1 --dry-run
  arenawatch db prune --keep-within 90d --keep-monthly -1 --board arena-text
  arenawatch db prune --keep-last 1 --include-imported && arenawatch db compact`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			policy, err := pf.policy()
			if err != nil {
				return err
			}
			db, err := e.openStore(false)
			if err != nil {
				return err
			}
			res, err := db.Prune(cmd.Context(), policy, boards, dryRun)
			db.Close()
			return e.finishRemoval(res, err, asJSON, "pruned", "would prune")
		},
	}
	f := cmd.Flags()
	f.IntVar(&pf.last, "keep-last", 0, "keep the N newest snapshots of each board (-1: all)")
	f.IntVar(&pf.hourly, "keep-hourly", 0, "keep the newest snapshot of each of the N newest UTC hours that have one")
	f.IntVar(&pf.daily, "keep-daily", 0, "the same per UTC day")
	f.IntVar(&pf.weekly, "keep-weekly", 0, "the same per ISO week (Monday to Sunday, UTC)")
	f.IntVar(&pf.monthly, "keep-monthly", 0, "the same per calendar month (UTC)")
	f.IntVar(&pf.yearly, "keep-yearly", 0, "the same per calendar year (UTC)")
	f.StringVar(&pf.within, "keep-within", "", "keep every snapshot within SPAN of the board's newest (30d, 1y6m, 72h)")
	f.BoolVar(&pf.includeImported, "include-imported", false, "let the rules remove imported snapshots too (kept by default)")
	f.StringSliceVar(&boards, "board", nil, "prune only this board (repeat or comma-separate; default: every board)")
	f.BoolVar(&dryRun, "dry-run", false, "list what would be removed; change nothing")
	f.BoolVar(&asJSON, "json", false, "print one JSON document")
	return cmd
}

// finishRemoval prints a prune's or drop's result (also what was done
// before an error) and passes the error on.
func (e *env) finishRemoval(res store.Removal, err error, asJSON bool, verb, would string) error {
	if err != nil && len(res.Boards) == 0 {
		return err
	}
	if asJSON {
		if res.Boards == nil {
			res.Boards = []store.BoardRemoval{}
		}
		if jerr := e.writeJSON(res); jerr != nil {
			return jerr
		}
	} else {
		printRemoval(e.stdout, res, verb, would)
	}
	return err
}

const dbDropLong = `Remove the snapshots that should not be in a real history: those of a
replay of the recorded fixtures (--replayed), a board, or a time range. The
filters combine (all must match); at least one is needed. Unlike prune, drop
removes a board's newest snapshot too when it matches. Raw bodies that no
remaining snapshot refers to are dropped; the run log is kept. --dry-run lists
what would go and changes nothing.

Times are UTC: 2026-03-14T12:00:00Z, 2026-03-14 or 2026-03. --since takes
the start of a day or month, --until its end; both bounds are included.`

func (e *env) dbDropCommand() *cobra.Command {
	var (
		boards                   []string
		since, until             string
		replayed, dryRun, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "drop [--replayed] [--board B]… [--since T] [--until T]",
		Short: "Remove replayed snapshots, or those of a board or a time range",
		Long:  dbDropLong,
		Example: `  arenawatch db drop --replayed --dry-run
  arenawatch db drop --board arena-text --since 2026-03-14 --until 2026-03-14`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := store.DropFilter{Boards: boards, Replayed: replayed}
			var err error
			if f.Since, err = parseBound("--since", since, false); err != nil {
				return err
			}
			if f.Until, err = parseBound("--until", until, true); err != nil {
				return err
			}
			if !replayed && len(boards) == 0 && since == "" && until == "" {
				return &usageError{fmt.Errorf("db drop needs --replayed, --board, --since or --until")}
			}
			db, err := e.openStore(false)
			if err != nil {
				return err
			}
			res, err := db.Drop(cmd.Context(), f, dryRun)
			db.Close()
			return e.finishRemoval(res, err, asJSON, "dropped", "would drop")
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&replayed, "replayed", false, "only snapshots replayed from fixtures (origin replayed)")
	fl.StringSliceVar(&boards, "board", nil, "only this board (repeat or comma-separate)")
	fl.StringVar(&since, "since", "", "only snapshots fetched at or after this time (UTC)")
	fl.StringVar(&until, "until", "", "only snapshots fetched at or before this time (UTC)")
	fl.BoolVar(&dryRun, "dry-run", false, "list what would be removed; change nothing")
	fl.BoolVar(&asJSON, "json", false, "print one JSON document")
	return cmd
}
