package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/scraper"
)

// sourceJSON is one board in 'sources --json'.
type sourceJSON struct {
	Board     string   `json:"board"`
	Title     string   `json:"title"`
	Site      string   `json:"site"`
	Extractor string   `json:"extractor"`
	RankBy    string   `json:"rank_by"`
	Score     string   `json:"score"`
	MinRows   int      `json:"min_rows"`
	Optional  bool     `json:"optional"`
	URLs      []string `json:"urls"`
	// MovedURLs are the main page's other addresses, tried when it answers
	// not found (the site's URL history).
	MovedURLs []string `json:"moved_urls,omitempty"`
}

// checkJSON is one board in 'sources --check --json'.
type checkJSON struct {
	Board       string     `json:"board"`
	OK          bool       `json:"ok"`
	URL         string     `json:"url"`
	Rows        int        `json:"rows"`
	MinRows     int        `json:"min_rows"`
	StatedTotal int        `json:"stated_total,omitempty"`
	Error       *errorJSON `json:"error,omitempty"`
}

func (e *env) sourcesCommand() *cobra.Command {
	var (
		rf            runFlags
		asJSON, check bool
	)
	cmd := &cobra.Command{
		Use:   "sources [BOARD...]",
		Short: "List the boards arenawatch reads, with their URLs; --check fetches them",
		Long: `List every board: its id (used by scrape, report and rank), what it is, how it
ranks models, whether it is in the default set, and the URLs it fetches after
--url and config overrides. With --json, "moved_urls" lists the addresses a
page had or has elsewhere in the site's URL history: a page that answers 404
is read from the first of them that answers (an override drops them).

--check fetches each board once (the named ones, else the default set)
without storing anything, and reports the rows found against the board's
minimum and the page's stated total: a canary for markup drift. It exits 1
when a board fails.`,
		Example: `  arenawatch sources
  arenawatch sources --json | jq -r '.[] | select(.optional | not) | .board'
  arenawatch sources --check --quiet || echo "a leaderboard changed its layout"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if check {
				return e.checkSources(cmd, &rf, args, asJSON)
			}
			bs, err := e.boards(rf.urls)
			if err != nil {
				return err
			}
			if bs, err = bs.Select(args); err != nil {
				return &usageError{err}
			}
			var out []sourceJSON
			for _, b := range bs {
				reqs, err := b.ResolvedRequests()
				if err != nil {
					return err
				}
				s := sourceJSON{Board: b.ID, Title: b.Title, Site: b.Site, Extractor: b.Extractor,
					RankBy: b.Rank.By(), Score: b.ScoreName, MinRows: b.Limits.MinRows, Optional: b.Optional}
				for _, r := range reqs {
					s.URLs = append(s.URLs, requestLabel(r))
				}
				s.MovedURLs = reqs[0].Alternates
				out = append(out, s)
			}
			if asJSON {
				return e.writeJSON(out)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "BOARD\tSITE\tSET\tRANK BY\tURL")
			for _, s := range out {
				set := "default"
				if s.Optional {
					set = "optional"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Board, s.Site, set, s.RankBy, strings.Join(s.URLs, " + "))
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	addRunFlags(f, &rf)
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&check, "check", false, "fetch each board once without storing, and report rows found vs expected")
	return cmd
}

// checkSources is 'sources --check': the scrape pipeline without the store.
func (e *env) checkSources(cmd *cobra.Command, rf *runFlags, args []string, asJSON bool) error {
	bs, runner, runTimeout, cleanup, err := e.setupRun(cmd, rf, args)
	defer cleanup()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	if runTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, runTimeout)
		defer cancel()
	}
	var out []checkJSON
	failed := false
	lines := e.lines(bs.IDs())
	runner.Run(ctx, bs, func(res scraper.Result) {
		c := checkJSON{Board: res.Board.ID, URL: res.Board.SourceURL(), MinRows: res.Board.Limits.MinRows}
		if res.Err != nil {
			failed = true
			c.Error = &errorJSON{Kind: arenawatch.KindOf(res.Err).Slug(), Message: res.Err.Error(), Hint: arenawatch.HintOf(res.Err)}
		} else {
			c.OK, c.Rows, c.StatedTotal = true, len(res.Snapshot.Rows), res.Snapshot.Totals.Models
		}
		out = append(out, c)
		if asJSON {
			return
		}
		if !c.OK {
			lines.failure(c.Board, c.Error)
			return
		}
		stated := ""
		if c.StatedTotal > 0 {
			stated = fmt.Sprintf(", page states %d", c.StatedTotal)
		}
		lines.status(c.Board, "ok", fmt.Sprintf("%d rows (at least %d expected%s)", c.Rows, c.MinRows, stated))
	})
	return e.finishRun(cmd.Context(), asJSON, out, !failed)
}

func requestLabel(r arenawatch.Request) string {
	if r.Method != "" && r.Method != "GET" {
		return r.Method + " " + r.URL
	}
	return r.URL
}
