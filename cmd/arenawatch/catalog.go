package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

const catalogCheckLong = `List every organization string and model in the stored snapshots that the
catalog cannot classify: origin (the organization is unknown or missing) or
openness (no flag, no licence, no rule). For each: the boards where it
appears, its best rank, and whether it scores above the board's best
non-Chinese open model in the latest snapshot, i.e. whether it could change
an answer.

Exit code 0 when everything is classified, 4 when something is not, so a
cron job can alert:

  arenawatch catalog check --quiet || mail -s "arenawatch: classify new models" me

Fix what it lists in a --catalog override file (see the README).`

const catalogShowLong = `Show how a name is classified: as an organization string (which
organization and country, or a serving provider, or deliberately unknown) and
as a model name (identity, family, brand prefix, the catalog rules for
openness and lineage with their reasons, and the line whose openness
applies when the source states none). When a database exists, the rows of
the latest snapshots with the same model identity are listed with the labels
their source gave and the resulting classification.`

type catalogCheckJSON struct {
	CatalogVersion string              `json:"catalog_version"`
	Snapshots      int                 `json:"snapshots"`
	Rows           int                 `json:"rows"`
	Unclassified   []ranking.AuditItem `json:"unclassified"`
	// Unreadable lists damaged snapshots that were skipped (the others
	// were checked): "board @ fetch time: error".
	Unreadable []string `json:"unreadable,omitempty"`
}

func (e *env) catalogCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Inspect the model catalog: what it cannot classify, and why it classifies as it does",
		Long: `The catalog maps organizations to countries and decides open weights; it is
built into arenawatch (ranking/catalog.yaml) and can be extended with
--catalog FILE. These commands show where it falls short and how it decides.`,
	}
	cmd.AddCommand(e.catalogCheckCommand(), e.catalogShowCommand())
	return cmd
}

func (e *env) catalogCheckCommand() *cobra.Command {
	var (
		asJSON, latest, quiet bool
		qf                    queryFlags
	)
	cmd := &cobra.Command{
		Use:   "check [BOARD...]",
		Short: "List organizations and models in stored snapshots the catalog cannot classify",
		Long:  catalogCheckLong,
		Example: `  arenawatch catalog check
  arenawatch catalog check arena-text --latest --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := e.query(qf, args)
			if err != nil {
				return err
			}
			db, err := e.openStore(true)
			if err != nil {
				return err
			}
			out, err := catalogCheck(db, q.boards, q.cat, latest)
			db.Close()
			if err != nil {
				return err
			}
			switch {
			case asJSON:
				if err := e.writeJSON(out); err != nil {
					return err
				}
			case !quiet || len(out.Unclassified) > 0:
				printCheck(e.stdout, out)
			}
			if len(out.Unreadable) > 0 {
				return &arenawatch.Error{Kind: arenawatch.KindDamaged,
					Err:  fmt.Errorf("%d snapshots could not be read and were not checked: %s", len(out.Unreadable), strings.Join(out.Unreadable, "; ")),
					Hint: "those records are damaged; the other snapshots were checked. Restore the file from a backup to recover them"}
			}
			if out.Snapshots == 0 {
				return &arenawatch.Error{Kind: arenawatch.KindNotFound, Err: errors.New("no snapshots to check"),
					Hint: "run 'arenawatch scrape' first"}
			}
			if len(out.Unclassified) > 0 {
				return errUnclassified
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print one JSON document")
	f.BoolVar(&latest, "latest", false, "check only each board's latest snapshot (default: every stored snapshot)")
	f.BoolVarP(&quiet, "quiet", "q", false, "print nothing when everything is classified")
	qf.add(f, false, false)
	return cmd
}

// catalogCheck reads the boards' snapshots (each board's latest only, with
// latestOnly) and hands them to a ranking.Audit. A damaged snapshot is
// skipped and named; the others are still checked.
func catalogCheck(db *store.DB, bs arenawatch.Boards, cat *ranking.Catalog, latestOnly bool) (catalogCheckJSON, error) {
	out := catalogCheckJSON{CatalogVersion: cat.Version()}
	audit := ranking.NewAudit(cat)
	for _, b := range bs {
		infos, err := db.Snapshots(b.ID)
		if err != nil {
			return out, err
		}
		if latestOnly && len(infos) > 1 {
			infos = infos[len(infos)-1:]
		}
		for i, info := range infos {
			snap, err := db.At(b.ID, info.FetchedAt)
			if arenawatch.IsKind(err, arenawatch.KindDamaged) {
				out.Unreadable = append(out.Unreadable, err.Error())
				continue
			}
			if err != nil {
				return out, err
			}
			audit.Add(snap, b.Rank, i == len(infos)-1)
		}
	}
	out.Snapshots, out.Rows = audit.Counts()
	out.Unclassified = audit.Items()
	return out, nil
}

func printCheck(w io.Writer, out catalogCheckJSON) {
	fmt.Fprintf(w, "checked %d rows in %d snapshots with catalog %s\n", out.Rows, out.Snapshots, out.CatalogVersion)
	if len(out.Unclassified) == 0 {
		fmt.Fprintln(w, "everything is classified")
		return
	}
	above := 0
	for _, it := range out.Unclassified {
		if it.AboveAnswer {
			above++
		}
	}
	fmt.Fprintf(w, "%d unclassified (%d could change an answer):\n", len(out.Unclassified), above)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "UNKNOWN\tNAME\tSOURCE SAYS\tBEST RANK\tABOVE ANSWER\tBOARDS")
	for _, it := range out.Unclassified {
		name := cell(it.Name)
		if len(it.Models) > 0 {
			name += " (" + listModels(it.Models, len(it.Models)) + ")"
		}
		yes := "-"
		if it.AboveAnswer {
			yes = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", it.Kind, name, cell(it.Label), it.BestRank, yes, strings.Join(it.Boards, ","))
	}
	tw.Flush()
}

// showJSON is the 'catalog show --json' document.
type showJSON struct {
	CatalogVersion string              `json:"catalog_version"`
	Organization   ranking.OrgMatch    `json:"organization"`
	Model          ranking.Explanation `json:"model"`
	Rows           []showRowJSON       `json:"rows"`
}

// showRowJSON is a stored row with the same model identity.
type showRowJSON struct {
	Board   string           `json:"board"`
	Model   string           `json:"model"`
	Source  sourceLabelsJSON `json:"source"`
	Classed ranking.ModelRef `json:"classification"`
}

type sourceLabelsJSON struct {
	Organization *string `json:"organization"`
	License      *string `json:"license"`
	Open         *bool   `json:"open"`
}

func (e *env) catalogShowCommand() *cobra.Command {
	var (
		asJSON bool
		qf     queryFlags
	)
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show how a model or organization name is classified, and by which rule",
		Long:  catalogShowLong,
		Example: `  arenawatch catalog show athene-v2-chat
  arenawatch catalog show "Zhipu AI"
  arenawatch catalog show qwen3.8-max --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{fmt.Errorf("catalog show takes exactly one NAME (quote names with spaces)")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := e.catalog(qf.catalogFile)
			if err != nil {
				return err
			}
			name := args[0]
			out := showJSON{CatalogVersion: cat.Version(), Organization: cat.LookupOrg(name), Model: cat.Explain(name), Rows: []showRowJSON{}}
			rows, err := e.storedRows(cat, name)
			if err != nil {
				return err
			}
			out.Rows = rows
			if asJSON {
				return e.writeJSON(out)
			}
			printShow(e.stdout, out)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	qf.add(cmd.Flags(), false, false)
	return cmd
}

// storedRows finds rows with the name's identity in each board's latest
// snapshot. No database is not an error here: show works on the catalog
// alone.
func (e *env) storedRows(cat *ranking.Catalog, name string) ([]showRowJSON, error) {
	out := []showRowJSON{}
	db, err := e.openStore(true)
	if arenawatch.IsKind(err, arenawatch.KindNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer db.Close()
	bs, err := e.boards(nil)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		snap, err := db.Latest(b.ID)
		if arenawatch.IsKind(err, arenawatch.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, en := range ranking.Matching(snap, b.Rank, cat, name) {
			out = append(out, showRowJSON{Board: b.ID, Model: en.Row.Model,
				Source:  sourceLabelsJSON{en.Row.Organization, en.Row.License, en.Row.Open},
				Classed: ranking.NewModelRef(en)})
		}
	}
	return out, nil
}

func printShow(w io.Writer, s showJSON) {
	fmt.Fprintf(w, "%s (catalog %s)\n", cell(strconv.Quote(s.Model.Name)), s.CatalogVersion)
	o := s.Organization
	fmt.Fprint(w, "  as an organization: ")
	switch {
	case o.Known():
		fmt.Fprintf(w, "%s, %s", o.Org, o.Country)
		if len(o.Countries) > 1 {
			fmt.Fprintf(w, " (also %s)", strings.Join(o.Countries[1:], ", "))
		}
		if o.Note != "" {
			fmt.Fprintf(w, "; note: %s", o.Note)
		}
		fmt.Fprintln(w)
	case o.NotDeveloper:
		fmt.Fprintln(w, "a serving provider, never taken for the developer (origin unknown)")
	case o.DeliberatelyUnknown:
		fmt.Fprintln(w, "listed as deliberately unknown (origin unknown)")
	default:
		fmt.Fprintln(w, "not in the catalog (origin unknown)")
	}
	m := s.Model
	fmt.Fprintf(w, "  as a model: identity %s, family %s\n", m.Identity, m.Family)
	if m.Brand != "" {
		fmt.Fprintf(w, "    brand prefix %q → %s (used when a row names no organization)\n", m.Brand, m.BrandOrg)
	}
	if r := m.OpenRule; r != nil {
		state := "closed"
		if *r.Open {
			state = "open"
		}
		if r.License != "" {
			state += ", licence " + r.License
		}
		fmt.Fprintf(w, "    openness rule %q: %s — %s\n", r.Match, state, r.Reason)
	} else if l := m.OpenLine; l != nil {
		state := "closed"
		if l.Open {
			state = "open"
		}
		if l.License != "" {
			state += ", licence " + l.License
		}
		fmt.Fprintf(w, "    openness: no rule; the source's open flag or licence decides, else line %q: %s — %s\n", l.Match, state, l.Reason)
	} else {
		fmt.Fprintln(w, "    openness: no rule, no line; decided by the source's open flag or licence")
	}
	if r := m.LineageRule; r != nil {
		fmt.Fprintf(w, "    lineage rule %q: derivative of %s (%s) — %s\n", r.Match, r.Base, orUnknown(r.BaseOrg), r.Reason)
	} else {
		fmt.Fprintln(w, "    lineage: no rule; an original model of its developer")
	}
	if len(s.Rows) == 0 {
		return
	}
	fmt.Fprintln(w, "  in the latest snapshots:")
	for _, r := range s.Rows {
		c := r.Classed
		fmt.Fprintf(w, "    %-20s %s: source says org %s, licence %s, open flag %s → %s (%s) via %s; %s via %s\n",
			r.Board, cell(r.Model), quoteOrNone(r.Source.Organization), quoteOrNone(r.Source.License), boolOrNone(r.Source.Open),
			orUnknown(c.Organization), orUnknown(c.Country), orDash(c.OrgBasis), c.Open, cell(orDash(c.OpenBasis)))
	}
}

func quoteOrNone(s *string) string {
	if s == nil {
		return "(none)"
	}
	return cell(strconv.Quote(*s))
}

func boolOrNone(b *bool) string {
	if b == nil {
		return "(none)"
	}
	return fmt.Sprint(*b)
}
