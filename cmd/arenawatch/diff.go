package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

const diffLong = `What changed on one board between two snapshots:

  leading open / best open, not CN
                  the two answers of 'report' in both snapshots; when one
                  changed, why: "new model" (the new answer was not on the
                  old page), "dropped out" (the old answer is not on the new
                  page), "reclassification" (one of them is open or
                  Chinese in one snapshot and not in the other: its row
                  changed, e.g. its licence), "score change" (both could be
                  the answer in both: the scores reordered them)
  appeared, dropped
                  models on one page only (matched by the source's model
                  key; with --by family, by family), with rank and score
  moved           models that gained or lost --min-move places or more
                  (default 5) among the models on both pages, ranked by the
                  board's rank rule: a model pushed down only by new models
                  above it has not moved; its overall ranks are shown
  score changes   models whose new score lies outside the confidence
                  interval the old snapshot published for them; models
                  whose old row has no interval are counted, not judged

Which snapshots. By default the latest snapshot and, before it, the latest
one whose content differs (a scrape that read the same rows is skipped).
--to T compares the last snapshot at or before T instead of the latest, and
--from T names the older one: the last snapshot at or before T. A date means
its end (2026-03-14 is 2026-03-14T23:59:59.999Z), a month its last moment;
times are UTC. --time fetched (the default) reads each snapshot's fetch time,
as 'report --at' does; --time asof reads the source's own date for the data
(a snapshot whose source states none keeps its fetch time).

Origin view (--origin), counting (--by) and the catalog (--catalog) work as
for 'report'.`

// diffJSON is the 'diff --json' document.
type diffJSON struct {
	storyJSON
	history.Diff
}

// diffFlags are the flags of 'diff' beyond the shared query flags.
type diffFlags struct {
	from, to, time string
	minMove        int
	asJSON         bool
}

func (e *env) diffCommand() *cobra.Command {
	var (
		qf queryFlags
		df diffFlags
	)
	cmd := &cobra.Command{
		Use:   "diff BOARD",
		Short: "What changed on a board between two snapshots, and why the answer changed",
		Long:  diffLong,
		Example: `  arenawatch diff arena-text                       # the last change
  arenawatch diff hf-text-raw --from 2025-02-18 --to 2025-08-04 --min-move 10
  arenawatch diff arena-text --time asof --to 2026-11-01
  arenawatch diff arena-text --json | jq '.leading_open'`,
		Args: oneBoard,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.diff(qf, df, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&df.from, "from", "", "the older snapshot: the last at or before this time (UTC; see --time); default: the last with other content than --to's")
	f.StringVar(&df.to, "to", "", "the newer snapshot: the last at or before this time (UTC; see --time); default: the latest")
	f.StringVar(&df.time, "time", "fetched", "the time --from and --to read: fetched (when arenawatch fetched it) or asof (the source's date)")
	f.IntVar(&df.minMove, "min-move", history.DefaultMinMove, "list models that gained or lost at least this many places among the models in both snapshots")
	f.BoolVar(&df.asJSON, "json", false, "print one JSON document (fields documented in the README)")
	qf.add(f, false, true)
	return cmd
}

// rankedBoard reads the query flags for one board that ranks models (not
// a usage board) and the --time flag.
func (e *env) rankedBoard(qf queryFlags, board, basis string) (queryArgs, history.Basis, error) {
	q, err := e.query(qf, []string{board})
	if err != nil {
		return q, "", err
	}
	if b := q.boards[0]; b.Usage {
		return q, "", &usageError{fmt.Errorf("%s counts tokens, not ranks: 'arenawatch report %s' answers it", b.ID, b.ID)}
	}
	t, ok := history.ParseBasis(basis)
	if !ok {
		return q, "", &usageError{fmt.Errorf("--time %q: want fetched or asof", basis)}
	}
	return q, t, nil
}

// diff prints what changed between two snapshots of the board.
func (e *env) diff(qf queryFlags, df diffFlags, board string) error {
	q, basis, err := e.rankedBoard(qf, board, df.time)
	if err != nil {
		return err
	}
	if df.minMove < 1 {
		return &usageError{fmt.Errorf("--min-move %d: want 1 or more", df.minMove)}
	}
	from, err := parseBound("--from", df.from, true)
	if err != nil {
		return err
	}
	to, err := parseBound("--to", df.to, true)
	if err != nil {
		return err
	}
	b := q.boards[0]
	opt := history.Options{Time: basis, Rule: b.Rank, Catalog: q.cat, Ranking: q.opt}
	db, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer db.Close()
	old, cur, err := loadPair(db, b.ID, basis, from, to)
	if err != nil {
		return err
	}
	db.Close() // before printing: a reader blocks writers
	out := diffJSON{storyJSON: storyOf(b.ID, q, basis), Diff: history.Compare(old, cur, opt, df.minMove)}
	if df.asJSON {
		return e.writeJSON(out)
	}
	printDiff(e.stdout, b.Title, out)
	return nil
}

// loadPair loads the two snapshots a diff compares (see history.Pair).
// A board without snapshots, or without two to compare, is KindNotFound.
func loadPair(db *store.DB, board string, basis history.Basis, from, to time.Time) (old, cur *arenawatch.Snapshot, err error) {
	infos, err := db.Snapshots(board)
	if err != nil {
		return nil, nil, err
	}
	if len(infos) == 0 {
		return nil, nil, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(),
			Err: fmt.Errorf("no snapshots of board %s", board), Hint: "run 'arenawatch scrape " + board + "' (or 'arenawatch import')"}
	}
	stamps := make([]history.Stamp, len(infos))
	for i, in := range infos {
		stamps[i] = history.Stamp{Key: history.Key{FetchedAt: in.FetchedAt, AsOf: in.AsOf}, ContentHash: in.ContentHash}
	}
	ko, kc, err := history.Pair(stamps, basis, from, to)
	if err != nil {
		return nil, nil, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(), Err: fmt.Errorf("%s: %w", board, err),
			Hint: "'arenawatch history " + board + "' lists its snapshots"}
	}
	if old, err = db.At(board, ko.FetchedAt); err != nil {
		return nil, nil, err
	}
	cur, err = db.At(board, kc.FetchedAt)
	return old, cur, err
}

// printDiff writes the diff for people: the two answers, then one table
// per kind of change.
func printDiff(w io.Writer, title string, d diffJSON) {
	fmt.Fprintf(w, "%s — %s\n", d.Board, title)
	fmt.Fprintf(w, "from %s\n  to %s\norigin by %s, counting %s, times UTC, catalog %s\n\n", describeSide(d.From), describeSide(d.To),
		d.OriginView, map[bool]string{false: "each model", true: "each family once"}[d.ByFamily], d.CatalogVersion)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "leading open:\t%s\n", describeHeadline(d.LeadingOpen))
	fmt.Fprintf(tw, "best open, not Chinese:\t%s\n", describeHeadline(d.BestOpenNonCN))
	tw.Flush()
	var rows [][]string
	for _, m := range d.Appeared {
		rows = append(rows, listedCells(m))
	}
	sectionTable(w, fmt.Sprintf("\nAPPEARED (%d)", len(d.Appeared)), []string{"RANK", "SCORE", "MODEL", "ORGANIZATION", "COUNTRY", "OPEN"}, rows)
	rows = nil
	for _, m := range d.Dropped {
		rows = append(rows, listedCells(m))
	}
	sectionTable(w, fmt.Sprintf("\nDROPPED OUT (%d; rank and score before)", len(d.Dropped)), []string{"RANK", "SCORE", "MODEL", "ORGANIZATION", "COUNTRY", "OPEN"}, rows)
	rows = nil
	for _, m := range d.Moved {
		rows = append(rows, []string{cell(m.Name), fmt.Sprint(m.FromRank), fmt.Sprint(m.ToRank), fmt.Sprintf("%+d", m.Up)})
	}
	sectionTable(w, fmt.Sprintf("\nMOVED %d PLACES OR MORE AMONG THE MODELS IN BOTH (%d; overall ranks)", d.MinMove, len(d.Moved)), []string{"MODEL", "FROM", "TO", "UP"}, rows)
	rows = nil
	for _, c := range d.ScoreChanges {
		rows = append(rows, []string{cell(c.Name), fmt.Sprintf("%g [%g, %g]", c.From, c.FromLower, c.FromUpper), fmt.Sprintf("%g", c.To), fmt.Sprintf("%+g", c.Change)})
	}
	sectionTable(w, fmt.Sprintf("\nSCORE OUTSIDE ITS OLD INTERVAL (%d; %d without an interval not judged)", len(d.ScoreChanges), d.NoInterval),
		[]string{"MODEL", "FROM [INTERVAL]", "TO", "CHANGE"}, rows)
}

// sectionTable writes a heading and, when there are rows, an aligned table.
func sectionTable(w io.Writer, heading string, head []string, rows [][]string) {
	fmt.Fprintln(w, heading)
	if len(rows) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

func listedCells(m history.Listed) []string {
	return []string{fmt.Sprint(m.Rank), fmt.Sprintf("%g", m.Score), cell(m.Name), orUnknown(cell(m.Organization)), orUnknown(m.Country), orUnknown(string(m.Open))}
}

// describeSide names a snapshot by its fetch time and as-of date.
func describeSide(s history.Side) string {
	out := "snapshot fetched " + s.FetchedAt.UTC().Format("2006-01-02 15:04")
	if !s.AsOf.IsZero() {
		out += ", data as of " + s.AsOf.UTC().Format(time.DateOnly)
	}
	return fmt.Sprintf("%s (%s, %d rows)", out, s.Origin, s.Rows)
}

// describeHeadline says an answer and whether and why it changed.
func describeHeadline(h history.Headline) string {
	name := func(m *ranking.ModelRef) string {
		if m == nil {
			return "none"
		}
		return fmt.Sprintf("%s (%s, %s)", cell(m.Name), orUnknown(cell(m.Organization)), orUnknown(m.Country))
	}
	if !h.Changed {
		return "unchanged: " + name(h.To)
	}
	return fmt.Sprintf("%s → %s: %s", name(h.From), name(h.To), strings.Join(h.Why, ", "))
}
