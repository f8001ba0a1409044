package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/sanitize"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// env is the program's world: streams, clock, environment, and the global
// settings once flags, environment and config file are merged.
type env struct {
	stdin io.Reader
	// stdout and stderr are for people: run wraps them in a
	// sanitize.Writer, so that no escape sequence or bidi override from a
	// page reaches the terminal. JSON goes to rawStdout, byte-exact.
	stdout, stderr       io.Writer
	rawStdout, rawStderr io.Writer
	now                  func() time.Time
	getenv               func(string) string

	// global flags
	configFlag  string
	dbFlag      string
	lockTimeout time.Duration

	cfg *config
}

const defaultLockTimeout = 10 * time.Second

// Lengths, in runes, at which text from the web is cut when printed for
// people: a name in a table or a sentence, and a whole error message.
const (
	maxName    = 80
	maxMessage = 2000
)

const rootLong = `arenawatch watches public AI model leaderboards and answers questions about
origin and openness over time: which open-weight model leads a board, and
where the best open model that is not from a Chinese lab places.

Every scrape is validated and kept as a snapshot in one bbolt file; answers are
computed at query time, so a catalog fix re-answers old snapshots too.

Typical use:
  arenawatch scrape                  fetch every board (run it from cron)
  arenawatch report                  the open-model answer for every board
  arenawatch rank arena-text --open --not-country CN --limit 10
  arenawatch scrape --replay fixtures   the whole pipeline offline
  arenawatch catalog check           what the catalog cannot classify yet
  arenawatch history arena-text      the answer over time (also diff, streaks)
  arenawatch summary                 every board side by side, and the consensus
  arenawatch export --format csv     snapshots for spreadsheets, pandas, DuckDB
  arenawatch chart position --out p.svg   the answer as a chart
  arenawatch site --out DIR          a static web report of every board

Settings come from flags, then ARENAWATCH_* environment variables, then the
config file ($XDG_CONFIG_HOME/arenawatch/config.yaml).

Exit codes: 0 ok, 1 a board failed or another error, 2 usage error,
3 no data for what was asked, 4 catalog check found unclassified rows,
11 database locked, 12 damaged data (database, record or import file),
130 interrupted.`

func (e *env) run(ctx context.Context, args []string) int {
	e.rawStdout, e.rawStderr = e.stdout, e.stderr
	e.stdout, e.stderr = sanitize.NewWriter(e.stdout), sanitize.NewWriter(e.stderr)
	root := e.rootCommand()
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		fmt.Fprintln(e.stderr, "arenawatch: interrupted")
		return exitInterrupted
	}
	if !errors.Is(err, errBoardsFailed) && !errors.Is(err, errUnclassified) {
		e.printError(err)
	}
	return exitCode(err)
}

// printError writes an error and its hint to stderr.
func (e *env) printError(err error) {
	// An error can quote a page (a model name, a header): one line, escaped.
	fmt.Fprintf(e.stderr, "arenawatch: %s\n", sanitize.Text(err.Error(), maxMessage))
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(e.stderr, "Run 'arenawatch --help' or 'arenawatch COMMAND --help' for usage.")
		return
	}
	if h := arenawatch.HintOf(err); h != "" {
		fmt.Fprintf(e.stderr, "  hint: %s\n", sanitize.Text(h, maxMessage))
	}
}

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "arenawatch",
		Short:         "Watch AI leaderboards for where open and non-Chinese models place",
		Long:          rootLong,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return e.setup(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&e.configFlag, "config", "", "config file (default $XDG_CONFIG_HOME/arenawatch/config.yaml; env ARENAWATCH_CONFIG)")
	pf.StringVar(&e.dbFlag, "db", "", "database file (default $XDG_DATA_HOME/arenawatch/arenawatch.db; env ARENAWATCH_DB)")
	pf.DurationVar(&e.lockTimeout, "lock-timeout", defaultLockTimeout, "how long to wait for another arenawatch holding the database (env ARENAWATCH_LOCK_TIMEOUT)")
	root.AddCommand(e.sourcesCommand(), e.scrapeCommand(), e.reportCommand(), e.rankCommand(), e.catalogCommand())
	root.AddCommand(e.importCommand())
	root.AddCommand(e.dbCommand())
	root.AddCommand(e.reparseCommand())
	root.AddCommand(e.historyCommand())
	root.AddCommand(e.diffCommand(), e.streaksCommand())
	root.AddCommand(e.summaryCommand())
	root.AddCommand(e.exportCommand())
	root.AddCommand(e.siteCommand())
	root.AddCommand(e.chartCommand())
	return root
}

// setup merges config file, environment and flags.
func (e *env) setup(cmd *cobra.Command) error {
	path, required := e.configPath(e.configFlag)
	cfg, err := loadConfig(path, required)
	if err != nil {
		return err
	}
	e.cfg = cfg
	if !cmd.Flags().Changed("lock-timeout") {
		switch v := e.getenv("ARENAWATCH_LOCK_TIMEOUT"); {
		case v != "":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return &usageError{fmt.Errorf("ARENAWATCH_LOCK_TIMEOUT=%q is not a duration like 30s", v)}
			}
			e.lockTimeout = d
		case cfg.LockTimeout.Duration > 0:
			e.lockTimeout = cfg.LockTimeout.Duration
		}
	}
	if e.lockTimeout < 0 {
		return &usageError{fmt.Errorf("--lock-timeout must not be negative")}
	}
	return nil
}

// dbPath resolves the database file: --db, ARENAWATCH_DB, config, default.
func (e *env) dbPath() (string, error) {
	switch {
	case e.dbFlag != "":
		return e.dbFlag, nil
	case e.getenv("ARENAWATCH_DB") != "":
		return e.getenv("ARENAWATCH_DB"), nil
	case e.cfg != nil && e.cfg.DB != "":
		return e.cfg.DB, nil
	}
	return e.defaultDBPath()
}

func (e *env) openStore(readOnly bool) (*store.DB, error) {
	path, err := e.dbPath()
	if err != nil {
		return nil, err
	}
	// A migration of an older file is said once, even under --quiet: it
	// changes the file and leaves a copy next to it.
	notify := func(msg string) { fmt.Fprintln(e.stderr, "arenawatch: "+msg) }
	db, err := store.Open(path, store.Options{Timeout: e.lockTimeout, ReadOnly: readOnly, Now: e.now, Notify: notify})
	if err != nil {
		if readOnly && arenawatch.IsKind(err, arenawatch.KindNotFound) {
			return nil, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: path, Err: errors.New("no database yet"),
				Hint: "run 'arenawatch scrape' first (or 'arenawatch scrape --replay fixtures' offline)"}
		}
		return nil, err
	}
	return db, nil
}

// boards returns the built-in boards and the config's own sources, with
// URL overrides and config limits applied.
func (e *env) boards(urlFlags []string) (arenawatch.Boards, error) {
	builtin := source.Builtin()
	custom, err := customBoards(e.cfg, builtin)
	if err != nil {
		return nil, err
	}
	return applyBoards(append(builtin, custom...), e.cfg, urlFlags)
}

// writeJSON writes one indented JSON document to stdout.
func (e *env) writeJSON(v any) error {
	enc := json.NewEncoder(e.rawStdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// isTerminal reports whether w is a character device (a terminal), so
// progress goes to people and not to cron mail.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// oneBoard is the argument check of the commands about one board.
func oneBoard(_ *cobra.Command, args []string) error {
	if len(args) != 1 {
		return &usageError{fmt.Errorf("name exactly one BOARD (got %d); 'arenawatch sources' lists them", len(args))}
	}
	return nil
}

// parseAt reads --at: a time, a date or a month, UTC (see parseBound);
// a date or month means its end.
func parseAt(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" { // given, but empty: not "latest"
		return time.Time{}, &usageError{fmt.Errorf("--at %q: want a time like 2026-03-14T12:00:00Z, a date 2026-03-14 or a month 2026-03 (UTC)", s)}
	}
	return parseBound("--at", s, true)
}

// parseBound reads a time flag (--at, --since, --until, --from, --to):
// RFC 3339 ("2026-03-14T12:00:00Z"), a time without zone (UTC), a date
// ("2026-03-14") or a month ("2026-03"); a date or month means its start,
// or with end its last nanosecond. An empty value is the zero time.
func parseBound(flag, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }}, {"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }}} {
		if t, err := time.Parse(l.layout, s); err == nil {
			if end {
				return l.next(t).Add(-time.Nanosecond), nil
			}
			return t, nil
		}
	}
	return time.Time{}, &usageError{fmt.Errorf("%s %q: want a time like 2026-03-14T12:00:00Z, a date 2026-03-14 or a month 2026-03 (UTC)", flag, s)}
}
