package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/consensus"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/sanitize"
)

const summaryLong = `One answer across boards. First every board's answer side by side, each
exactly what 'report' answers for it (the latest snapshot, or the latest
fetched at or before --at); then the consensus over the quality boards:

  best open, not Chinese   the median of its position among open models
                           (boards without such a model are left out and
                           named; with an even count, the mean of the two
                           middle positions, so 7.5 is possible)
  leading open model       on how many boards it is Chinese, of the boards
                           that have an open model (unknown origin is
                           counted apart, never as either)
  best on most boards      the open non-Chinese model that is the best one
                           on the most boards; a tie lists every model tied,
                           by identity. One model is one identity across boards
                           ("gpt-oss-120b (high)" is gpt-oss-120b); with
                           --by family, one family

Each board counts once. Usage boards (OpenRouter's daily tokens: the shares
of Chinese open, non-Chinese open, closed and unclassified models) are listed
apart and never counted in the consensus.

Groups (--group): arena (boards ranked by votes: arena.ai, its Hugging Face
dataset, Design Arena, openlm.ai, SciArena), benchmarks (SWE-bench, Aider,
LiveBench, BFCL, Artificial Analysis), usage (OpenRouter), other (boards of
your config), or all (the default).

Which time. --at selects each board's snapshot by fetch time, as 'report
--at' does (a date or month means its end, UTC); without it, the latest.
Staleness then reads, by default, the snapshot's as-of date (the source's
own date for its data; the fetch time when the source states none) and
measures its age to --at, or to now: data scraped today but dated three
weeks ago is three weeks old. --stale-time fetched reads the fetch time
instead. An unchanged re-scrape is not stored again, so the fetch time is
when arenawatch first saw that content.

A board is stale when its age exceeds its group's threshold: arena 14 days
(LMArena's published history never went more than 12 days without an
update), benchmarks 60 days (they change in batches months apart), usage 3
days (OpenRouter exports daily), other 30 days. --stale-after 30d sets every group,
--stale-after usage=7d one group (repeatable; spans in d, w or h). Stale
boards are marked, and left out of the consensus unless --include-stale.

Origin view (--origin), counting (--by) and the catalog (--catalog) work as
for 'report'.`

// summaryJSON is the 'summary --json' document.
type summaryJSON struct {
	// At is --at, when given.
	At *time.Time `json:"at,omitempty"`
	// AgesAt is the time ages are measured to: --at, or now.
	AgesAt         time.Time    `json:"ages_at"`
	Group          string       `json:"group"`
	CatalogVersion string       `json:"catalog_version"`
	OriginView     ranking.View `json:"origin_view"`
	ByFamily       bool         `json:"by_family"`
	// StaleTime is what the ages read: asof or fetched.
	StaleTime      history.Basis               `json:"stale_time"`
	StaleAfterDays map[consensus.Group]float64 `json:"stale_after_days"`
	IncludeStale   bool                        `json:"include_stale"`
	consensus.Summary
	Missing []missingJSON `json:"missing"`
}

// summaryFlags are the flags of 'summary' beyond the shared query flags.
type summaryFlags struct {
	group, staleTime string
	staleAfter       []string
	includeStale     bool
	asJSON           bool
}

func (e *env) summaryCommand() *cobra.Command {
	var (
		qf queryFlags
		sf summaryFlags
	)
	cmd := &cobra.Command{
		Use:   "summary [BOARD...]",
		Short: "Every board's answer side by side, and one answer across them",
		Long:  summaryLong,
		Example: `  arenawatch summary
  arenawatch summary --group arena --at 2026-03      # as it stood at the end of March 2026
  arenawatch summary --include-stale --stale-after usage=7d
  arenawatch summary --json | jq '.consensus.best_non_chinese_position.median'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.summary(qf, sf, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&sf.group, "group", "all", "which boards: arena, benchmarks, usage, other or all")
	f.StringArrayVar(&sf.staleAfter, "stale-after", nil, "stale above this age: 30d (every group) or GROUP=SPAN like usage=7d; repeatable")
	f.StringVar(&sf.staleTime, "stale-time", "asof", "what a board's age reads: asof (the source's date; fetch time if none) or fetched")
	f.BoolVar(&sf.includeStale, "include-stale", false, "count stale boards in the consensus too (they are marked either way)")
	f.BoolVar(&sf.asJSON, "json", false, "print one JSON document (fields documented in the README)")
	qf.add(f, true, true)
	return cmd
}

// summaryOptions reads the flags beyond the query's.
func summaryOptions(sf summaryFlags) (consensus.Group, consensus.Options, error) {
	var opt consensus.Options
	g, ok := consensus.ParseGroup(sf.group)
	if !ok {
		return g, opt, &usageError{fmt.Errorf("--group %q: want arena, benchmarks, usage, other or all", sf.group)}
	}
	if opt.Time, ok = history.ParseBasis(sf.staleTime); !ok {
		return g, opt, &usageError{fmt.Errorf("--stale-time %q: want asof or fetched", sf.staleTime)}
	}
	th, err := consensus.ParseStaleAfter(sf.staleAfter)
	if err != nil {
		return g, opt, &usageError{err}
	}
	opt.StaleAfter, opt.IncludeStale = th, sf.includeStale
	return g, opt, nil
}

// summary answers every board of the group and the consensus across them.
func (e *env) summary(qf queryFlags, sf summaryFlags, args []string) error {
	q, err := e.query(qf, args)
	if err != nil {
		return err
	}
	group, opt, err := summaryOptions(sf)
	if err != nil {
		return err
	}
	bs, err := inGroup(q.boards, group, len(args) > 0)
	if err != nil {
		return err
	}
	in, missing, missed, err := e.summaryAnswers(q, bs, group, len(args) == 0)
	if err != nil {
		return err
	}
	opt.Now = q.at
	if opt.Now.IsZero() {
		opt.Now = e.now().UTC().Truncate(time.Second)
	}
	out := summaryJSON{AgesAt: opt.Now, Group: cmpOr(string(group), "all"), CatalogVersion: q.cat.Version(),
		OriginView: q.opt.View, ByFamily: q.opt.ByFamily, StaleTime: opt.Time, IncludeStale: opt.IncludeStale,
		StaleAfterDays: map[consensus.Group]float64{}, Summary: consensus.Summarize(in, opt), Missing: missed}
	if !q.at.IsZero() {
		out.At = timePtr(q.at)
	}
	for _, g := range consensus.Groups {
		out.StaleAfterDays[g] = opt.StaleAfter.For(g).Hours() / 24
	}
	if sf.asJSON {
		err = e.writeJSON(out)
	} else {
		printSummary(e.stdout, out)
	}
	if err != nil {
		return err
	}
	return missingBoards(e, missing, len(out.Boards)+len(out.Usage) == 0 || len(args) > 0)
}

// inGroup keeps the boards of group g (every board when g is ""). A board
// named on the command line outside the group is a usage error.
func inGroup(bs arenawatch.Boards, g consensus.Group, named bool) (arenawatch.Boards, error) {
	if g == "" {
		return bs, nil
	}
	var out arenawatch.Boards
	for _, b := range bs {
		switch bg := consensus.GroupOf(b); {
		case bg == g:
			out = append(out, b)
		case named:
			return nil, &usageError{fmt.Errorf("board %s is in group %s, not %s", b.ID, bg, g)}
		}
	}
	return out, nil
}

// summaryAnswers answers each board at q.at, as 'report' does; all asks
// for every board with data. Boards without a snapshot then (or with a
// damaged one) are returned in missing, and named in missed.
func (e *env) summaryAnswers(q queryArgs, bs arenawatch.Boards, g consensus.Group, all bool) (in []consensus.Board, missing []error, missed []missingJSON, err error) {
	missed = []missingJSON{}
	db, err := e.openStore(true)
	if err != nil {
		return nil, nil, nil, err
	}
	// Closed before printing: a reader blocks writers (cron scrapes).
	defer db.Close()
	if all {
		if bs, err = withSnapshots(db, bs); err != nil {
			return nil, nil, nil, err
		}
		if len(bs) == 0 {
			return nil, nil, nil, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(),
				Err:  fmt.Errorf("no snapshot of any board in group %s", cmpOr(string(g), "all")),
				Hint: "run 'arenawatch scrape'; 'arenawatch db stats' lists what the file holds"}
		}
	}
	for _, b := range bs {
		snap, err := snapshotFor(db, b.ID, q.at)
		if err != nil {
			if !answerable(err) {
				return nil, nil, nil, err
			}
			missing = append(missing, err)
			missed = append(missed, missingJSON{Board: b.ID, Reason: err.Error()})
			continue
		}
		cb := consensus.Board{ID: b.ID, Title: b.Title, Group: consensus.GroupOf(b)}
		if b.Usage {
			a := ranking.Adoption(snap, q.cat, q.opt.View)
			cb.Adoption = &a
		} else {
			r := ranking.Report(snap, b.Rank, q.cat, q.opt)
			cb.Report = &r
		}
		in = append(in, cb)
	}
	return in, missing, missed, nil
}

// printSummary writes the boards as an aligned table, the consensus in a
// few lines, and the usage boards apart.
func printSummary(w io.Writer, s summaryJSON) {
	when := "latest snapshots"
	if s.At != nil {
		when = "snapshots fetched by " + s.At.Format("2006-01-02 15:04 UTC")
	}
	counting := map[bool]string{false: "each model", true: "each family once"}[s.ByFamily]
	fmt.Fprintf(w, "summary of %s boards, %s; origin by %s, counting %s; catalog %s\n", s.Group, when, s.OriginView, counting, s.CatalogVersion)
	fmt.Fprintf(w, "ages to %s, from %s; stale after %s\n", s.AgesAt.Format("2006-01-02 15:04 UTC"), agedFrom(s.StaleTime), thresholds(s.StaleAfterDays))
	if len(s.Boards) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "BOARD\tGROUP\tAS OF\tFETCHED\tAGE\tSTATUS\tLEADING OPEN\tBEST OPEN, NOT CHINESE\tRANK\tOPEN#\tCN ABOVE")
		for _, l := range s.Boards {
			r := l.Report
			rank, pos := "-", "-"
			if b := r.BestOpenNonCN; b != nil {
				rank, pos = fmt.Sprint(b.Rank), fmt.Sprint(b.OpenPosition)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", l.Board, l.Group, dateOrDash(r.AsOf),
				r.FetchedAt.UTC().Format("2006-01-02 15:04"), age(l.AgeDays), status(l.Freshness, l.Counted),
				shortModel(r.LeadingOpen), shortModel(r.BestOpenNonCN), rank, pos, r.ChineseOpenAbove)
		}
		tw.Flush()
		fmt.Fprintln(w)
		printConsensus(w, s.Consensus, len(s.Boards))
	}
	if len(s.Usage) > 0 {
		fmt.Fprintln(w)
		printUsage(w, s.Usage)
	}
}

// printConsensus writes the consensus lines.
func printConsensus(w io.Writer, c consensus.Consensus, boards int) {
	head := fmt.Sprintf("consensus over %d of %d quality boards", len(c.Counted), boards)
	switch {
	case len(c.StaleLeftOut) > 0:
		head += fmt.Sprintf(" (%d stale left out; --include-stale counts them)", len(c.StaleLeftOut))
	case len(c.StaleCounted) > 0:
		head += fmt.Sprintf(" (%d of them stale)", len(c.StaleCounted))
	}
	fmt.Fprintln(w, head)
	if len(c.Counted) == 0 {
		return
	}
	p := c.BestNonChinese
	line := "none on any board"
	if p.Median != nil {
		line = fmt.Sprintf("median position %s among open models, over %d of %d boards", trimFloat(*p.Median), p.Boards, p.Of)
	}
	if len(p.None) > 0 && p.Median != nil {
		line += fmt.Sprintf("; none on %s", strings.Join(p.None, ", "))
	}
	fmt.Fprintf(w, "  %-28s %s\n", "best open, not Chinese", line)
	if len(p.CouldChange) > 0 {
		fmt.Fprintf(w, "  %-28s unclassified rows score above the answer on %s\n", "", strings.Join(p.CouldChange, ", "))
	}
	l := c.LeadingOpen
	line = fmt.Sprintf("Chinese on %d of %d boards", l.Chinese, l.Of)
	if l.Unknown > 0 {
		line += fmt.Sprintf(" (origin unknown on %d)", l.Unknown)
	}
	if len(l.None) > 0 {
		line += fmt.Sprintf("; no open model on %s", strings.Join(l.None, ", "))
	}
	fmt.Fprintf(w, "  %-28s %s\n", "leading open model", line)
	fmt.Fprintf(w, "  %-28s %s\n", "best non-Chinese, most often", mostLine(c.MostBoards))
}

// mostLine names the model best on the most boards, or the tie.
func mostLine(m consensus.Most) string {
	if len(m.Leaders) == 0 {
		return "none"
	}
	var names []string
	for _, c := range m.Leaders {
		names = append(names, fmt.Sprintf("%s (%s)", cell(c.Key), strings.Join(c.Boards, ", ")))
	}
	if len(names) == 1 {
		return fmt.Sprintf("%s: best on %d of %d boards", names[0], m.Boards, m.Of)
	}
	return fmt.Sprintf("tie, each best on %d of %d boards: %s", m.Boards, m.Of, strings.Join(names, "; "))
}

// printUsage writes the usage boards' token shares.
func printUsage(w io.Writer, us []consensus.UsageLine) {
	fmt.Fprintln(w, "usage boards: shares of the day's tokens (kept apart, not in the consensus)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "BOARD\tTOKENS OF\tFETCHED\tAGE\tSTATUS\tCHINESE OPEN\tOPEN, NOT CN\tCLOSED\tUNCLASSIFIED\tMOST USED CHINESE OPEN\tMOST USED OPEN, NOT CN")
	pct := func(s ranking.AdoptionShare) string { return fmt.Sprintf("%.1f%%", 100*s.Share) }
	used := func(m *ranking.AdoptionModel) string {
		if m == nil {
			return "none"
		}
		return fmt.Sprintf("%s (%.1f%%)", sanitize.Text(m.Name, maxCell+8), 100*m.Share)
	}
	for _, u := range us {
		a := u.Adoption
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Board, dateOrDash(a.AsOf), a.FetchedAt.UTC().Format("2006-01-02 15:04"),
			age(u.AgeDays), map[bool]string{false: "fresh", true: "STALE"}[u.Stale], pct(a.ChineseOpen), pct(a.NonChineseOpen), pct(a.Closed), pct(a.Unclassified),
			used(a.TopChineseOpen), used(a.TopNonChineseOpen))
	}
	tw.Flush()
}

// status is a board's freshness in a word or three.
func status(f consensus.Freshness, counted bool) string {
	switch {
	case !f.Stale:
		return "fresh"
	case counted:
		return "stale, counted"
	}
	return "STALE, left out"
}

// age writes an age in days: "387d", or hours under a day ("5h").
func age(days float64) string {
	if days < 1 {
		return fmt.Sprintf("%dh", int(days*24))
	}
	return fmt.Sprintf("%dd", int(days))
}

func agedFrom(b history.Basis) string {
	if b == history.ByFetch {
		return "the fetch time"
	}
	return "the as-of date (the fetch time where the source states none)"
}

func thresholds(m map[consensus.Group]float64) string {
	var parts []string
	for _, g := range consensus.Groups {
		parts = append(parts, fmt.Sprintf("%s %sd", g, trimFloat(m[g])))
	}
	return strings.Join(parts, ", ")
}

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}

// shortModel names a model and its country for a table cell, cut so
// that one long system name does not widen the whole table.
func shortModel(m *ranking.ModelRef) string {
	if m == nil {
		return "none"
	}
	return fmt.Sprintf("%s (%s)", sanitize.Text(m.Name, maxCell), orUnknown(m.Country))
}

// maxCell is the length, in runes, at which a model name is cut in the
// summary's tables.
const maxCell = 32

// trimFloat writes 7.5 as 7.5 and 11 as 11.
func trimFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
