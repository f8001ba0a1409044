package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
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
	URLs      []string `json:"urls"`
}

func (e *env) sourcesCommand() *cobra.Command {
	var urls []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the boards arenawatch reads, with their URLs",
		Long: `List every board: its id (used by scrape, report and rank), what it is, how it
ranks models, and the URLs it fetches after --url and config overrides.`,
		Example: `  arenawatch sources
  arenawatch sources --json | jq -r '.[].board'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bs, err := e.boards(urls)
			if err != nil {
				return err
			}
			var out []sourceJSON
			for _, b := range bs {
				reqs, err := b.ResolvedRequests()
				if err != nil {
					return err
				}
				s := sourceJSON{Board: b.ID, Title: b.Title, Site: b.Site, Extractor: b.Extractor,
					RankBy: rankByName(b.Rank), Score: b.ScoreName, MinRows: b.Limits.MinRows}
				for _, r := range reqs {
					s.URLs = append(s.URLs, requestLabel(r))
				}
				out = append(out, s)
			}
			if asJSON {
				return e.writeJSON(out)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "BOARD\tSITE\tRANK BY\tURL")
			for _, s := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Board, s.Site, s.RankBy, strings.Join(s.URLs, " + "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringArrayVar(&urls, "url", nil, "override a board's URL: BOARD=URL (repeatable)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func rankByName(r arenawatch.RankRule) string {
	if r == arenawatch.RankOwn {
		return "source rank"
	}
	return "score"
}

func requestLabel(r arenawatch.Request) string {
	if r.Method != "" && r.Method != "GET" {
		return r.Method + " " + r.URL
	}
	return r.URL
}
