package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/sanitize"
)

const rankLong = `Print a board's ranked table from its latest snapshot (or the latest at or
before --at), classified with the catalog: organization, country, open or
closed, licence, score and rank.

Filters keep only rows whose classification is known: --open drops models of
unknown openness, --country and --not-country drop models of unknown origin.
The rows dropped that way (above the --limit cut) are counted at the end, so
a filter never hides that it could not decide.

RANK is the board's own rank where it publishes one, else 1 + the number of
models with a strictly higher score. OPEN# is the place among open models.
On boards that publish score intervals or rank spreads, RANGE is the ranks a
model plausibly holds (the board's own spread, or from the intervals: best =
1 + the models whose lower bound is above its upper bound, worst = 1 + the
other models whose upper bound reaches its lower bound), and TIED the models
whose interval overlaps its interval, with how many of them are Chinese open
models; both are "-" for a row without an interval, and absent on boards
without any. --json gives them per row as rank_range and statistical_ties,
and lists models with exactly the same score in exact_ties.
With --by family each family appears once (its best row) and ranks count
families. With --origin lineage, --country and --not-country also look at the
base model of derivatives (see 'arenawatch report --help').`

// rankJSON is the 'rank --json' document.
type rankJSON struct {
	Board          string             `json:"board"`
	FetchedAt      time.Time          `json:"fetched_at"`
	AsOf           *time.Time         `json:"as_of,omitempty"`
	URL            string             `json:"url"`
	RankRule       string             `json:"rank_rule"`
	CatalogVersion string             `json:"catalog_version"`
	Filter         rankFilterJSON     `json:"filter"`
	Rows           []ranking.ModelRef `json:"rows"`
	// Unclassified lists the rows a filter dropped because their
	// openness or origin is unknown.
	Unclassified []ranking.ModelRef `json:"unclassified"`
}

type rankFilterJSON struct {
	Open       bool   `json:"open"`
	Closed     bool   `json:"closed"`
	Country    string `json:"country,omitempty"`
	NotCountry string `json:"not_country,omitempty"`
	Limit      int    `json:"limit,omitempty"`
	OriginView string `json:"origin_view"`
	ByFamily   bool   `json:"by_family"`
}

func (e *env) rankCommand() *cobra.Command {
	var (
		f      ranking.Filter
		qf     queryFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "rank BOARD",
		Short: "A board's ranked table with origin and openness",
		Long:  rankLong,
		Example: `  arenawatch rank arena-text --open --limit 20
  arenawatch rank arena-text --open --not-country CN --limit 5
  arenawatch rank designarena-website --country CN --at 2026-07-31 --json`,
		Args: oneBoard,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Limit < 0 {
				return &usageError{fmt.Errorf("--limit must not be negative")}
			}
			for _, cc := range []*string{&f.Country, &f.NotCountry} {
				*cc = strings.ToUpper(strings.TrimSpace(*cc))
				if *cc != "" && !ranking.ValidCountry(*cc) {
					return &usageError{fmt.Errorf("country %q: want an ISO 3166-1 alpha-2 code such as CN or US", *cc)}
				}
			}
			switch {
			case f.Open && f.Closed:
				return &usageError{fmt.Errorf("--open and --closed together select nothing: give one of them")}
			case f.Country != "" && f.NotCountry != "":
				// Cobra's own flag groups fail with exit 1; this is a usage error.
				return &usageError{fmt.Errorf("--country %s and --not-country %s: give one of them (the same code twice selects nothing)", f.Country, f.NotCountry)}
			}
			q, err := e.query(qf, args)
			if err != nil {
				return err
			}
			b, cat := q.boards[0], q.cat
			db, err := e.openStore(true)
			if err != nil {
				return err
			}
			snap, err := snapshotFor(db, b.ID, q.at)
			db.Close()
			if err != nil {
				return err
			}
			f.View = q.opt.View
			all := ranking.Entries(snap, b.Rank, cat, q.opt)
			kept, excluded := ranking.Apply(all, f)
			out := rankJSON{
				Board: b.ID, FetchedAt: snap.FetchedAt.UTC(), URL: snap.URL, RankRule: b.Rank.String(),
				CatalogVersion: cat.Version(),
				Filter:         rankFilterJSON{f.Open, f.Closed, f.Country, f.NotCountry, f.Limit, string(q.opt.View), q.opt.ByFamily},
				Rows:           ranking.ConfidentRefs(all, kept, b.Rank, q.opt),
				Unclassified:   ranking.ConfidentRefs(all, excluded, b.Rank, q.opt),
			}
			if !snap.AsOf.IsZero() {
				out.AsOf = timePtr(snap.AsOf)
			}
			if asJSON {
				return e.writeJSON(out)
			}
			return e.printRank(b, snap, out)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.Open, "open", false, "only models with open weights")
	fl.BoolVar(&f.Closed, "closed", false, "only models with closed weights")
	fl.StringVar(&f.Country, "country", "", "only models whose developer is based in this country (ISO code, e.g. CN)")
	fl.StringVar(&f.NotCountry, "not-country", "", "only models whose developer is known to be based elsewhere (e.g. CN)")
	fl.IntVar(&f.Limit, "limit", 0, "at most this many rows (0: all)")
	fl.BoolVar(&asJSON, "json", false, "print one JSON document")
	qf.add(fl, true, true)
	return cmd
}

func (e *env) printRank(b arenawatch.Board, snap *arenawatch.Snapshot, out rankJSON) error {
	head := fmt.Sprintf("%s — %s; fetched %s", b.ID, b.Title, snap.FetchedAt.UTC().Format("2006-01-02 15:04 UTC"))
	if out.AsOf != nil {
		head += ", as of " + out.AsOf.Format("2006-01-02")
	}
	fmt.Fprintln(e.stdout, head)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	score := b.ScoreName
	if score == "" {
		score = "SCORE"
	}
	// RANGE and TIED only where the board publishes intervals or spreads.
	sure := false
	for _, m := range out.Rows {
		sure = sure || m.RankRange != nil || m.StatTies != nil
	}
	head = "RANK\tOPEN#\tMODEL\tORGANIZATION\tCOUNTRY\tOPEN\tLICENSE\t" + strings.ToUpper(score)
	if sure {
		head += "\tRANGE\tTIED"
	}
	fmt.Fprintln(tw, head)
	for _, m := range out.Rows {
		openPos := "-"
		if m.OpenPosition > 0 {
			openPos = fmt.Sprint(m.OpenPosition)
		}
		line := fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s", m.Rank, openPos, cell(m.Name), orUnknown(cell(m.Organization)),
			orUnknown(m.Country), m.Open, orDash(cell(m.License)), formatScore(m.Score))
		if sure {
			rng, tied := "-", "-"
			if m.RankRange != nil {
				rng = rankSpan(m.RankRange)
			}
			if t := m.StatTies; t != nil {
				tied = fmt.Sprintf("%d (%d CN open)", t.Models, t.ChineseOpen)
			}
			line += "\t" + rng + "\t" + tied
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(out.Rows) == 0 {
		fmt.Fprintln(e.stdout, "(no rows match)")
	}
	if n := len(out.Unclassified); n > 0 {
		var names []string
		for _, m := range out.Unclassified {
			names = append(names, m.Name)
		}
		fmt.Fprintf(e.stdout, "%d rows left out because their origin or openness is unknown: %s\n", n, listModels(names, 8))
	}
	return nil
}

// cell returns text from a page fit for one cell of a table or one name in
// a sentence: escaped and cut (see sanitize.Text).
func cell(s string) string { return sanitize.Text(s, maxName) }

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func formatScore(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprint(int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}
