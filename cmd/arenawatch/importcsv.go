package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/longform"
	"github.com/arenawatch/arenawatch/sanitize"
	"github.com/arenawatch/arenawatch/source"
)

const importCSVLong = `Import a board's history that someone kept as a long-format CSV file, one
row per model per date, such as the community archives of the Arena text
leaderboard:

  snapshot_date,rank,model,score,ci95,votes,organization,license
  2024-06-19,1,GPT-4o-2024-05-13,1287,+3/-3,42046,OpenAI,Proprietary

Each date becomes one snapshot of BOARD, marked "imported", whose fetch
time and as-of date are both the date at 00:00 UTC (a column of full RFC
3339 times keeps each time). BOARD must be a board arenawatch knows
('arenawatch sources'): its rank rule and minimum rows apply. Each date is
validated like a scrape; a date that fails is reported and skipped, and the
others are stored. Running the same import again stores nothing: a date
whose content is already stored is "unchanged".

Columns are found by name, case-insensitively, with common synonyms:

  date          snapshot_date, date, leaderboard_publish_date, publish_date, as_of, day
  model         model, model_name, model_key, model_id, key, name
  score         score, arena_score, rating, elo, arena_elo, elo_rating
  rank          rank, ranking, position, place
  ci            ci95, ci, 95% CI, confidence_interval   (half-widths: "±6", "+6/-6", "-6/+7", "6")
  score_lower   score_lower, rating_q025, ci_lower, lower   (a bound, not a half-width)
  score_upper   score_upper, rating_q975, ci_upper, upper
  votes         votes, vote_count, num_votes, num_battles, battles   ("12,345" allowed)
  organization  organization, organisation, org, developer, lab
  license       license, licence
  name          display_name, name, public_name

--map COLUMN=FIELD names a column for a field (repeatable); FIELD may also
be metric:NAME or extra:NAME (kept on the row), or "-" (not read). Other
columns are not read. Date, model and score are needed: a file without one
fails, naming it. A malformed date fails the file (the row could belong to
any date); a malformed model or score fails its date; a malformed rank, CI
or vote count is left out and noted.

What real archives get wrong is set right and said in each snapshot's
notes (and in the output): a byte order mark, CRLF line ends, blank lines
and rows of empty cells; the same row listed twice (dropped; a row that
shares a model but differs is kept apart as "MODEL [2]"); CIs written
"+6/-6", "±6" or "-6/+7" (asymmetric bounds are kept as such); thousands
separators in votes. The file is kept once among the raw bodies.`

// importCSVFlags are the settings of one 'import csv' run.
type importCSVFlags struct {
	board         string
	maps          []string
	dateColumn    string
	asJSON, quiet bool
	minRows       int
}

// importCSVJSON is the 'import csv --json' summary: the import summary
// with how the file was read.
type importCSVJSON struct {
	importJSON
	File string `json:"file"`
	// Columns maps each column read to its field; IgnoredColumns are the rest.
	Columns        map[string]string `json:"columns"`
	IgnoredColumns []string          `json:"ignored_columns"`
	// FileQuirks is what was set right in the file as a whole.
	FileQuirks []string `json:"file_quirks"`
	// Notes lists, per date, what was set right or left out in its rows.
	Notes map[string][]string `json:"notes"`
}

func (e *env) importCSVCommand() *cobra.Command {
	var f importCSVFlags
	cmd := &cobra.Command{
		Use:   "csv FILE --board BOARD",
		Short: "Import a board's history from a long-format CSV file (a community archive)",
		Long:  importCSVLong,
		Example: `  arenawatch import csv lmarena_text_history.csv --board arena-text-raw
  arenawatch import csv history.csv --board arena-text --date-column date --map "Arena Score=score"
  arenawatch import csv history.csv --board arena-text --map rank_stylectrl=metric:rank_style_control --json
  arenawatch history arena-text-raw --every month     # the imported dates, one row per month`,
		Args: oneFile("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.board == "" {
				return &usageError{fmt.Errorf("name the board the file holds: --board BOARD (see 'arenawatch sources')")}
			}
			if f.minRows < 0 {
				return &usageError{fmt.Errorf("--min-rows must not be negative")}
			}
			return e.importCSV(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.board, "board", "", "the board the file holds (required; see 'arenawatch sources')")
	fl.StringArrayVar(&f.maps, "map", nil, "COLUMN=FIELD: read COLUMN as FIELD (repeatable; see above)")
	fl.StringVar(&f.dateColumn, "date-column", "", "the column that holds the date (same as --map COLUMN=date)")
	fl.BoolVar(&f.asJSON, "json", false, "print a JSON summary on stdout")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stderr unless a date fails (for cron)")
	fl.IntVar(&f.minRows, "min-rows", 0, "fewest rows a date may have (default: the board's minimum)")
	return cmd
}

// csvMapping turns --map and --date-column into a column → field map.
func csvMapping(f importCSVFlags) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range f.maps {
		i := strings.LastIndex(kv, "=")
		if i <= 0 || i == len(kv)-1 {
			return nil, &usageError{fmt.Errorf("--map %q: want COLUMN=FIELD (fields: %s)", kv, strings.Join(longform.Fields(), ", "))}
		}
		col := kv[:i]
		if _, dup := m[col]; dup {
			return nil, &usageError{fmt.Errorf("--map: column %q is mapped twice", col)}
		}
		m[col] = kv[i+1:]
	}
	if f.dateColumn != "" {
		if prev, dup := m[f.dateColumn]; dup && prev != string(longform.FieldDate) {
			return nil, &usageError{fmt.Errorf("--date-column %s and --map %s=%s disagree", f.dateColumn, f.dateColumn, prev)}
		}
		m[f.dateColumn] = string(longform.FieldDate)
	}
	return m, nil
}

// importBoard returns the known board named by --board, or a usage error
// that lists the known ones.
func (e *env) knownBoard(id string) (arenawatch.Board, error) {
	all, err := e.boards(nil)
	if err != nil {
		return arenawatch.Board{}, err
	}
	b, ok := all.Get(id)
	if !ok {
		ids := all.IDs()
		slices.Sort(ids)
		return b, &arenawatch.Error{Kind: arenawatch.KindInvalid, Err: fmt.Errorf("unknown board %q", id),
			Hint: "the file must hold a board arenawatch knows, for its rank rule and score: one of " + strings.Join(ids, ", ")}
	}
	return b, nil
}

func (e *env) importCSV(cmd *cobra.Command, file string, f importCSVFlags) error {
	ctx := cmd.Context()
	b, err := e.knownBoard(f.board)
	if err != nil {
		return err
	}
	if f.minRows > 0 {
		b.Limits.MinRows = f.minRows
	}
	mapping, err := csvMapping(f)
	if err != nil {
		return err
	}
	dbPath, err := e.dbPath()
	if err != nil {
		return err
	}
	body, doc, err := readImportFile(file, "csv")
	if err != nil {
		return err
	}
	started := e.now()
	res, err := longform.ReadCSV(body, longform.CSVOptions{Board: b, Map: mapping, Doc: doc})
	if err != nil {
		return err
	}
	line := importBoardJSON{Board: b.ID, Status: "ok", URL: doc.URL, SHA256: doc.SHA256, Size: len(body), Results: []importDateJSON{}}
	if err := e.storeDates(ctx, &line, body, res.Dates, f.quiet || f.asJSON); err != nil {
		return err
	}
	sum := importCSVJSON{
		importJSON: importJSON{OK: line.Failed == 0, Source: "csv", Database: dbPath, StartedAt: started.UTC(),
			ElapsedMS: e.now().Sub(started).Milliseconds(), Boards: []importBoardJSON{line}},
		File: file, Columns: map[string]string{}, IgnoredColumns: res.Columns.Ignored, FileQuirks: res.File,
		Notes: dateQuirks(res.Dates),
	}
	for col, field := range res.Columns.Read {
		sum.Columns[col] = string(field)
	}
	if !f.asJSON && (!f.quiet || !sum.OK) {
		e.printImportCSV(b, sum)
	}
	return e.finishRun(ctx, f.asJSON, sum, sum.OK)
}

// readImportFile reads a file given to import and describes it as the
// document its snapshots come from.
func readImportFile(file, name string) ([]byte, arenawatch.Document, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	doc := arenawatch.Document{Name: name, URL: "file://" + filepath.ToSlash(abs)}
	body, err := os.ReadFile(file)
	if err != nil {
		return nil, doc, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: file, Err: err}
	}
	sum := sha256.Sum256(body)
	doc.SHA256, doc.Size = hex.EncodeToString(sum[:]), len(body)
	return body, doc, nil
}

// storeDates writes the dates through the import's writer (the batches,
// the results and the counts of 'import hf-leaderboard'). It returns an
// error only when the database fails.
func (e *env) storeDates(ctx context.Context, line *importBoardJSON, body []byte, dates []source.DatedSnapshot, silent bool) error {
	start := time.Now()
	db, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer db.Close()
	w := &importWriter{ctx: ctx, db: db, line: line, body: body, warm: e.answerWarmer(),
		bar: e.progressBar(len(dates), "importing "+line.Board, "dates", silent)}
	for _, ds := range dates {
		if err = w.add(ds); err != nil || ctx.Err() != nil {
			break
		}
	}
	if err == nil {
		err = w.flush()
	}
	w.bar.done()
	line.ElapsedMS = time.Since(start).Milliseconds()
	if w.storeErr != nil && !arenawatch.IsKind(w.storeErr, arenawatch.KindInterrupted) {
		return w.storeErr
	}
	return nil // an interrupt keeps the dates written so far; finishRun says interrupted
}

// dateQuirks returns, per date that has any, the notes of its snapshot
// that say what was set right or left out.
func dateQuirks(dates []source.DatedSnapshot) map[string][]string {
	out := map[string][]string{}
	for _, ds := range dates {
		if ds.Snapshot == nil {
			continue
		}
		if q := longform.QuirkNotes(ds.Snapshot.Notes); len(q) > 0 {
			out[importDay(ds.Date)] = q
		}
	}
	return out
}

// importDay names a date as the results do: the day, or the whole time
// when it is not midnight.
func importDay(t time.Time) string {
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

// printImportCSV prints the summary for people: the board's line, then
// how the file was read and what was set right in it.
func (e *env) printImportCSV(b arenawatch.Board, sum importCSVJSON) {
	l := e.lines([]string{b.ID})
	l.importLine(sum.Boards[0])
	cols := make([]string, 0, len(sum.Columns))
	for col, field := range sum.Columns {
		cols = append(cols, col+"→"+field)
	}
	slices.Sort(cols)
	l.more(fmt.Sprintf("read as %s (rank: %s; score: %s); columns %s", b.ID, b.Rank, b.ScoreName, strings.Join(cols, ", ")))
	if len(sum.IgnoredColumns) > 0 {
		l.more("not read: " + strings.Join(sum.IgnoredColumns, ", "))
	}
	if len(sum.FileQuirks) > 0 {
		l.more("file: " + strings.Join(sum.FileQuirks, "; "))
	}
	for _, day := range slices.Sorted(maps.Keys(sum.Notes)) {
		for _, n := range sum.Notes[day] {
			l.more(day + ": " + sanitize.Text(n, maxMessage))
		}
	}
}

// oneFile accepts exactly one argument, the file to import; anything else
// is a usage error (exit 2).
func oneFile(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return &usageError{fmt.Errorf("name one %s: arenawatch %s %s (got %d arguments)", what, strings.TrimPrefix(cmd.CommandPath(), "arenawatch "), what, len(args))}
		}
		return nil
	}
}
