package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
)

const historyLong = `The story of one board over time: for every stored snapshot of BOARD (or
the last snapshot of each day, week or month with --every), what 'report'
answers for it. A row says exactly what 'report BOARD --at <its fetch time>'
says:

  as of / fetched    the source's own date for the data, and when arenawatch
                     fetched it; "+6d" marks data 6 days older than its fetch
  leading open       the highest-scoring open model, organization, country
  best open, not CN  the best open model not from a Chinese lab, its overall
                     rank, its position among open models, and how many
                     Chinese open models score above it; where the board
                     publishes intervals or rank spreads, "44 (36–48)" is
                     the rank and the ranks it plausibly holds, "11 (1
                     tied)" says how many of those above are statistically
                     tied with it, "+1 same score" counts Chinese open
                     models with exactly its score (not counted above)
  top N open         of the N best-ranked open models (--top, default 10),
                     how many are Chinese / not Chinese / of unknown origin
  gap                leading open score minus best non-Chinese open score;
                     where the board publishes confidence intervals, the
                     range from the intervals' extremes follows in brackets
  rows, unclassified the snapshot's rows, and those the catalog cannot place

Which time. A snapshot has two times: its fetch time (when arenawatch read
the page; for a snapshot made by 'arenawatch import', the dataset's publish
date, 00:00 UTC) and its as-of date (the source's own date for the data,
which a page scraped today may state as last week). --time fetched (the
default) makes --since, --until and --every read the fetch time, the time
'report --at' selects by; --time asof makes them read the as-of date (a
snapshot whose source states none keeps its fetch time). Either way each
row shows both. Dates and periods are UTC: --since 2026-03 means from the
start of March 2026, --until 2026-03 to its end; weeks are ISO weeks
(Monday to Sunday) and a period's row is its last snapshot on that time.

Origin view (--origin), counting (--by) and the catalog (--catalog) work as
for 'report'. Usage boards (token counts) have no ranking to tell: use
'report' for them.

Answers are kept in a cache ($XDG_CACHE_HOME/arenawatch/answers.db, else
~/.cache/arenawatch/answers.db; ARENAWATCH_CACHE=FILE moves it,
ARENAWATCH_CACHE=off turns it off), so a long history is answered once.
scrape and import keep the answers of what they store (with this command's
defaults), so even the first history after importing 10,000 dates takes
well under a second; other options are answered on first use, then kept. A
kept answer is used only for the same snapshot, catalog file (its content),
view, counting, --top and arenawatch build; the cache can be deleted at any
time.`

// storyJSON is what the history, diff and streaks documents open with:
// the board, the catalog and view they were answered with, and the time
// their selections read.
type storyJSON struct {
	Board          string        `json:"board"`
	CatalogVersion string        `json:"catalog_version"`
	OriginView     ranking.View  `json:"origin_view"`
	ByFamily       bool          `json:"by_family"`
	Time           history.Basis `json:"time"`
}

// storyOf fills the common part of a document.
func storyOf(board string, q queryArgs, basis history.Basis) storyJSON {
	return storyJSON{Board: board, CatalogVersion: q.cat.Version(), OriginView: q.opt.View, ByFamily: q.opt.ByFamily, Time: basis}
}

// historyJSON is the 'history --json' document.
type historyJSON struct {
	storyJSON
	Every history.Every `json:"every"`
	Top   int           `json:"top"`
	Since *time.Time    `json:"since,omitempty"`
	Until *time.Time    `json:"until,omitempty"`
	// Snapshots is the number of snapshots the board has in all.
	Snapshots int           `json:"snapshots"`
	Rows      []history.Row `json:"rows"`
}

// historyFlags are the flags of 'history' beyond the shared query flags.
type historyFlags struct {
	since, until, time, every string
	top                       int
	asJSON                    bool
}

func (e *env) historyCommand() *cobra.Command {
	var (
		qf queryFlags
		hf historyFlags
	)
	cmd := &cobra.Command{
		Use:   "history BOARD",
		Short: "The leading open model and the best non-Chinese open model over time",
		Long:  historyLong,
		Example: `  arenawatch history hf-text-raw --every month
  arenawatch history arena-text --since 2026-01 --every week --top 20
  arenawatch history arena-text --time asof --since 2026-11-01   # by the source's own date
  arenawatch history hf-text-raw --json | jq '.rows[] | [.as_of, .best_open_non_chinese.model]'`,
		Args: oneBoard,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.history(qf, hf, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&hf.since, "since", "", "from this time on (UTC; see --time): 2026-03-14T12:00:00Z, a date or a month (its start)")
	f.StringVar(&hf.until, "until", "", "up to this time (UTC; see --time): a time, a date or a month (its end)")
	f.StringVar(&hf.time, "time", "fetched", "the time --since, --until and --every read: fetched (when arenawatch fetched it) or asof (the source's date)")
	f.StringVar(&hf.every, "every", "snapshot", "one row per snapshot, or per UTC day, week or month (its last snapshot)")
	f.IntVar(&hf.top, "top", history.DefaultTop, "count the origins of this many best-ranked open models")
	f.BoolVar(&hf.asJSON, "json", false, "print one JSON document (fields documented in the README)")
	qf.add(f, false, true)
	return cmd
}

// historyOptions reads the flags into history options.
func historyOptions(hf historyFlags, q queryArgs) (history.Options, error) {
	opt := history.Options{Top: hf.top, Rule: q.boards[0].Rank, Catalog: q.cat, Ranking: q.opt}
	var ok bool
	if opt.Time, ok = history.ParseBasis(hf.time); !ok {
		return opt, &usageError{fmt.Errorf("--time %q: want fetched or asof", hf.time)}
	}
	if opt.Every, ok = history.ParseEvery(hf.every); !ok {
		return opt, &usageError{fmt.Errorf("--every %q: want snapshot, day, week or month", hf.every)}
	}
	if hf.top < 1 {
		return opt, &usageError{fmt.Errorf("--top %d: want 1 or more", hf.top)}
	}
	var err error
	opt.Since, opt.Until, err = parseWindow(hf.since, hf.until)
	return opt, err
}

// parseWindow reads --since and --until (see parseBound); the window
// must not end before it starts.
func parseWindow(since, until string) (from, to time.Time, err error) {
	if from, err = parseBound("--since", since, false); err != nil {
		return from, to, err
	}
	if to, err = parseBound("--until", until, true); err != nil {
		return from, to, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, &usageError{fmt.Errorf("--until %s is before --since %s", until, since)}
	}
	return from, to, nil
}

// history prints the board's history.
func (e *env) history(qf queryFlags, hf historyFlags, board string) error {
	q, _, err := e.rankedBoard(qf, board, hf.time) // historyOptions reads --time with the other flags
	if err != nil {
		return err
	}
	b := q.boards[0]
	opt, err := historyOptions(hf, q)
	if err != nil {
		return err
	}
	db, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, total, err := e.historyRows(db, b.ID, opt)
	if err != nil {
		return err
	}
	db.Close() // before printing: a reader blocks writers
	out := historyJSON{storyJSON: storyOf(b.ID, q, opt.Time), Every: opt.Every, Top: opt.Top, Snapshots: total, Rows: rows}
	if !opt.Since.IsZero() {
		out.Since = timePtr(opt.Since)
	}
	if !opt.Until.IsZero() {
		out.Until = timePtr(opt.Until)
	}
	if hf.asJSON {
		return writeHistoryJSON(e.rawStdout, out)
	}
	printHistory(e.stdout, b.Title, out)
	return nil
}

// writeHistoryJSON writes h as writeJSON would, byte for byte, but
// encodes one row at a time into a buffered writer: a history of 10,000
// snapshots is 20 MB of JSON, and indenting it as one value took half
// the time of a history answered from the cache.
func writeHistoryJSON(w io.Writer, h historyJSON) error {
	rows := h.Rows
	h.Rows = nil
	head, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return err
	}
	// Rows is the document's last field: its null closes the head.
	const tail = "null\n}"
	if !bytes.HasSuffix(head, []byte(tail)) {
		return fmt.Errorf("history JSON: rows are not the last field")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(head[:len(head)-len(tail)])
	if len(rows) == 0 {
		bw.WriteString("[]\n}\n")
		return bw.Flush()
	}
	bw.WriteString("[\n")
	for i, r := range rows {
		b, err := json.MarshalIndent(r, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("    ")
		bw.Write(b)
		if i < len(rows)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("  ]\n}\n")
	return bw.Flush()
}

// printHistory writes the history as an aligned table.
func printHistory(w io.Writer, title string, h historyJSON) {
	fmt.Fprintf(w, "%s — %s\n", h.Board, title)
	fmt.Fprintf(w, "origin by %s, counting %s, %d of %d snapshots (%s), times UTC, catalog %s\n\n",
		h.OriginView, map[bool]string{false: "each model", true: "each family once"}[h.ByFamily],
		len(h.Rows), h.Snapshots, describeSelection(h), h.CatalogVersion)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"AS OF", "FETCHED", "LEADING OPEN", "BEST OPEN, NOT CHINESE", "RANK", "OPEN#", "CN ABOVE",
		fmt.Sprintf("TOP %d OPEN CN/NOT/?", h.Top), "GAP", "ROWS", "UNCLASSIFIED"}
	if h.Every != history.EverySnapshot {
		head = append([]string{strings.ToUpper(string(h.Every))}, head...)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range h.Rows {
		fmt.Fprintln(tw, strings.Join(historyCells(r, h.Every != history.EverySnapshot), "\t"))
	}
	tw.Flush()
}

// describeSelection says which snapshots the rows stand for.
func describeSelection(h historyJSON) string {
	s := "every snapshot"
	if h.Every != history.EverySnapshot {
		s = "the last of each " + string(h.Every)
	}
	return s + " by " + map[history.Basis]string{history.ByFetch: "fetch time", history.ByAsOf: "as-of date"}[h.Time]
}

// historyCells are one row's cells, in printHistory's column order.
func historyCells(r history.Row, period bool) []string {
	asOf, fetched := "-", r.FetchedAt.UTC().Format("2006-01-02 15:04")
	if !r.AsOf.IsZero() {
		asOf = r.AsOf.UTC().Format(time.DateOnly)
	}
	if r.AsOfLag > 0 {
		fetched += fmt.Sprintf(" (+%dd)", r.AsOfLag) // the data is older than its fetch
	}
	name := func(m *ranking.ModelRef) string {
		if m == nil {
			return "none"
		}
		return fmt.Sprintf("%s (%s, %s)", cell(m.Name), orUnknown(cell(m.Organization)), orUnknown(m.Country))
	}
	rank, pos, above := "-", "-", fmt.Sprint(r.ChineseOpenAbove)
	if b := r.BestOpenNonCN; b != nil {
		rank, pos = fmt.Sprint(b.Rank), fmt.Sprint(b.OpenPosition)
		if b.RankRange != nil { // how sure: the ranks it plausibly holds
			rank += " (" + rankSpan(b.RankRange) + ")"
		}
	}
	if n := r.ChineseOpenAboveTied; n != nil && *n > 0 {
		above += fmt.Sprintf(" (%d tied)", *n)
	}
	if n := r.ChineseOpenSameScore; n != nil && *n > 0 {
		above += fmt.Sprintf(" +%d same score", *n)
	}
	t := r.TopOpen
	gap := "-"
	if g := r.Gap; g != nil {
		gap = fmt.Sprintf("%.1f", g.Score)
		if g.Lower != nil && g.Upper != nil {
			gap += fmt.Sprintf(" [%.1f, %.1f]", *g.Lower, *g.Upper)
		}
	}
	cells := []string{asOf, fetched, name(r.LeadingOpen), name(r.BestOpenNonCN), rank, pos, above,
		fmt.Sprintf("%d/%d/%d", t.Chinese, t.NonChinese, t.Unknown), gap, fmt.Sprint(r.Rows), fmt.Sprint(r.Unclassified)}
	if period {
		cells = append([]string{r.Period}, cells...)
	}
	return cells
}
