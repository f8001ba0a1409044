package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch/history"
)

const streaksLong = `How long the current answer has held on one board, read from every stored
snapshot of BOARD in order (the rows of 'arenawatch history BOARD'):

  leading open model  the open model that leads in the latest snapshot, and
                      since when it has led: the first snapshot of the
                      unbroken run of snapshots in which it led
  its country         the same for the leader's country, whichever model
                      led for it
  longest runs        the longest such runs in the history (--longest)
  best open, not CN   whether the best open model not from a Chinese lab
                      is below position K among open models (--below, an
                      open position above K, or no such model at all), and
                      since when it has been without a break

A run ends at the first snapshot that shows another leader (or none): its
length in days is from its first snapshot to that one; the current run's is
to the latest snapshot, the last time anyone looked. Days are whole days;
"snapshots" counts the run's snapshots. With --by family a run is of the
leading family (its best model may change within it).

Which time. --time fetched (the default) dates each snapshot by its fetch
time (for an imported dataset, its publish date), as 'history' does;
--time asof by the source's own date for the data (a snapshot whose source
states none keeps its fetch time). Times are UTC.

Origin view (--origin), counting (--by) and the catalog (--catalog) work as
for 'report'.`

// streaksJSON is the 'streaks --json' document.
type streaksJSON struct {
	storyJSON
	history.Streaks
}

// streaksFlags are the flags of 'streaks' beyond the shared query flags.
type streaksFlags struct {
	time           string
	below, longest int
	asJSON         bool
}

func (e *env) streaksCommand() *cobra.Command {
	var (
		qf queryFlags
		sf streaksFlags
	)
	cmd := &cobra.Command{
		Use:   "streaks BOARD",
		Short: "How long the leading open model and its country have held the top open spot",
		Long:  streaksLong,
		Example: `  arenawatch streaks hf-text-raw
  arenawatch streaks arena-text --below 5 --longest 10
  arenawatch streaks arena-text --time asof --origin lineage
  arenawatch streaks hf-text-raw --json | jq '.leading_open_model'`,
		Args: oneBoard,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.streaks(qf, sf, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&sf.time, "time", "fetched", "the time that dates each snapshot: fetched (when arenawatch fetched it) or asof (the source's date)")
	f.IntVar(&sf.below, "below", history.DefaultTop, "K: say since when the best non-Chinese open model has placed below position K among open models")
	f.IntVar(&sf.longest, "longest", history.DefaultLongest, "list this many longest runs")
	f.BoolVar(&sf.asJSON, "json", false, "print one JSON document (fields documented in the README)")
	qf.add(f, false, true)
	return cmd
}

// streaks prints the board's current and longest runs.
func (e *env) streaks(qf queryFlags, sf streaksFlags, board string) error {
	q, basis, err := e.rankedBoard(qf, board, sf.time)
	if err != nil {
		return err
	}
	if sf.below < 1 || sf.longest < 1 {
		return &usageError{fmt.Errorf("--below %d, --longest %d: want 1 or more", sf.below, sf.longest)}
	}
	b := q.boards[0]
	opt := history.Options{Time: basis, Rule: b.Rank, Catalog: q.cat, Ranking: q.opt}
	db, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, _, err := e.historyRows(db, b.ID, opt)
	if err != nil {
		return err
	}
	db.Close() // before printing: a reader blocks writers
	out := streaksJSON{storyJSON: storyOf(b.ID, q, basis), Streaks: history.StreaksOf(rows, opt, sf.below, sf.longest)}
	if sf.asJSON {
		return e.writeJSON(out)
	}
	printStreaks(e.stdout, b.Title, out)
	return nil
}

// printStreaks writes the streaks for people.
func printStreaks(w io.Writer, title string, s streaksJSON) {
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
	fmt.Fprintf(w, "%s — %s\n", s.Board, title)
	fmt.Fprintf(w, "%d snapshots from %s to %s (by %s), times UTC, origin by %s, counting %s, catalog %s\n\n",
		s.Snapshots, day(s.First), day(s.Last), map[history.Basis]string{history.ByFetch: "fetch time", history.ByAsOf: "as-of date"}[s.Time],
		s.OriginView, map[bool]string{false: "each model", true: "each family once"}[s.ByFamily], s.CatalogVersion)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	held := func(r *history.Run, what string) string {
		if r == nil {
			return "none in the latest snapshot"
		}
		return fmt.Sprintf("%s since %s: %d days, %s", what, day(r.Since), r.Days, plural(r.Snapshots, "snapshot"))
	}
	var model, country string
	if r := s.Model; r != nil {
		model = held(r, fmt.Sprintf("%s (%s, %s)", cell(r.Name), orUnknown(cell(r.Organization)), orUnknown(r.Country)))
	} else {
		model = held(nil, "")
	}
	if r := s.Country; r != nil {
		country = held(r, r.Country)
	} else {
		country = held(nil, "")
	}
	fmt.Fprintf(tw, "leading open model:\t%s\n", model)
	fmt.Fprintf(tw, "its country:\t%s\n", country)
	fmt.Fprintf(tw, "best open, not Chinese:\t%s\n", describeBelow(s.Below, day))
	tw.Flush()
	for _, k := range []struct {
		heading string
		runs    []history.Run
	}{{"\nLONGEST RUNS OF ONE LEADING OPEN MODEL", s.LongestModels}, {"\nLONGEST RUNS OF ONE COUNTRY (with the model that began it)", s.LongestCountries}} {
		var rows [][]string
		for _, r := range k.runs {
			until := day(r.Until)
			if r.Current {
				until += " (current)"
			}
			rows = append(rows, []string{orUnknown(r.Country), fmt.Sprintf("%s (%s)", cell(r.Name), orUnknown(cell(r.Organization))),
				day(r.Since), until, fmt.Sprint(r.Days), fmt.Sprint(r.Snapshots)})
		}
		sectionTable(w, k.heading, []string{"COUNTRY", "MODEL", "SINCE", "UNTIL", "DAYS", "SNAPSHOTS"}, rows)
	}
}

// describeBelow says where the best non-Chinese open model stands against K.
func describeBelow(b history.Below, day func(time.Time) string) string {
	now := "none"
	if m := b.Now; m != nil {
		now = fmt.Sprintf("%s (%s, %s), open #%d", cell(m.Name), orUnknown(cell(m.Organization)), orUnknown(m.Country), m.OpenPosition)
	}
	if !b.IsBelow {
		return fmt.Sprintf("%s: within the top %d open models", now, b.K)
	}
	s := fmt.Sprintf("%s: below open #%d since %s (%d days, %s)", now, b.K, day(*b.Since), b.Days, plural(b.Snapshots, "snapshot"))
	if b.LastWithin != nil {
		return s + "; last within: " + day(*b.LastWithin)
	}
	return s + "; never within in this history"
}

// plural is "1 snapshot", "2 snapshots".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
