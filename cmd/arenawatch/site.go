package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/site"
)

const siteLong = `Write a static web report into DIR: index.html with one card per board
(the answer, a sparkline of the best non-Chinese open model's position, when
the data last changed, and a status), one page per board under boards/ (the
answer and how sure it is, the charts as SVG, the ranked table of open models
with country and licence, what changed since the previous snapshot, the
source and its terms) and about.html (method, rules, catalog version, what
the catalog cannot classify).

The pages are plain HTML and SVG: they work from file:// and any static host
(GitHub Pages, a web server's directory) and read without JavaScript (a small
sort.js makes tables sortable). The same database gives the same bytes, so a
published site diffs cleanly in git: nothing depends on the wall clock. A
board's status is judged at the database's newest read: failing when its
latest read failed, stale when its data has not changed for three times its
usual interval between changes (at least 3 days; 14 days with fewer than
three snapshots), else fresh.

Without BOARD, every board with data is included, except boards whose terms
forbid republishing (Artificial Analysis), which are included only when
named. Existing files in DIR are replaced, each written whole and renamed
into place; files of boards no longer built are left alone.

From cron, after each scrape:

  arenawatch scrape --quiet; arenawatch site --out /var/www/arenawatch`

// siteJSON is the 'site --json' document.
type siteJSON struct {
	Out            string          `json:"out"`
	CatalogVersion string          `json:"catalog_version"`
	AsOf           string          `json:"as_of"`
	Files          []string        `json:"files"`
	Boards         []siteBoardJSON `json:"boards"`
	Skipped        []string        `json:"skipped"`
	// Damaged are the boards left out because a record cannot be read.
	Damaged []siteDamagedJSON `json:"damaged"`
}

// siteDamagedJSON is a board 'site' left out for a damaged record.
type siteDamagedJSON struct {
	Board string     `json:"board"`
	Error *errorJSON `json:"error"`
}

// siteBoardJSON is one board of 'site --json'.
type siteBoardJSON struct {
	Board  string      `json:"board"`
	Status site.Status `json:"status"`
	Page   string      `json:"page"`
}

func (e *env) siteCommand() *cobra.Command {
	var (
		qf     queryFlags
		out    string
		asJSON bool
		quiet  bool
	)
	cmd := &cobra.Command{
		Use:   "site --out DIR [BOARD...]",
		Short: "Write a static web report (HTML and SVG) of every board into a directory",
		Long:  siteLong,
		Example: `  arenawatch site --out /var/www/arenawatch
  arenawatch site --out site arena-text arena-webdev --origin lineage
  arenawatch scrape --replay fixtures --db /tmp/demo.db && arenawatch site --db /tmp/demo.db --out /tmp/site`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.site(qf, out, args, asJSON, quiet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "directory to write the site into (created if missing; required)")
	f.BoolVar(&asJSON, "json", false, "print one JSON document: the files written and each board's status")
	f.BoolVarP(&quiet, "quiet", "q", false, "print nothing on success")
	qf.add(f, false, true)
	return cmd
}

// site loads the boards and writes the site.
func (e *env) site(qf queryFlags, out string, args []string, asJSON, quiet bool) error {
	if out == "" {
		return &usageError{errors.New("--out DIR is required")}
	}
	q, err := e.query(qf, args)
	if err != nil {
		return err
	}
	db, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer db.Close()
	bs, skipped := q.boards, []string{}
	if len(args) == 0 {
		if bs, err = withSnapshots(db, bs); err != nil {
			return err
		}
		bs, skipped = republishable(bs)
		if len(bs) == 0 {
			return &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(),
				Err:  errors.New("no snapshot of any board to publish"),
				Hint: "run 'arenawatch scrape' first"}
		}
	}
	cache := e.answerCache()
	s, err := site.Load(db, bs, site.LoadOptions{Catalog: q.cat, Ranking: q.opt, Cache: cache})
	cache.Close() // nil-safe; a failed write only costs time next run
	if err != nil {
		return err
	}
	db.Close() // before writing: a reader blocks writers (cron scrapes)
	files, err := site.Build(s, out, site.Options{Chart: site.Draw})
	if err != nil {
		return err
	}
	doc := siteJSON{Out: out, CatalogVersion: s.CatalogVersion, AsOf: s.AsOf.UTC().Format("2006-01-02T15:04:05Z"), Files: []string{}, Boards: []siteBoardJSON{}, Skipped: skipped}
	for _, f := range files {
		doc.Files = append(doc.Files, f.Path)
	}
	for _, b := range s.Boards {
		doc.Boards = append(doc.Boards, siteBoardJSON{Board: b.ID, Status: b.Status, Page: "boards/" + b.ID + ".html"})
	}
	doc.Damaged = []siteDamagedJSON{}
	for _, d := range s.Damaged {
		doc.Damaged = append(doc.Damaged, siteDamagedJSON{Board: d.Board, Error: errorOf(d.Err)})
	}
	switch {
	case asJSON:
		err = e.writeJSON(doc)
	case !quiet:
		printSite(e, doc)
	}
	if err == nil && len(s.Damaged) > 0 {
		return siteDamaged(s.Damaged)
	}
	return err
}

// siteDamaged is the error of a site written without its damaged boards:
// exit 12, each board named with its record on stderr.
func siteDamaged(ds []site.Damaged) error {
	msgs := make([]string, len(ds))
	for i, d := range ds {
		msgs[i] = d.Err.Error()
	}
	return &arenawatch.Error{Kind: arenawatch.KindDamaged,
		Err:  fmt.Errorf("the site was written without %d board(s) whose records cannot be read: %s", len(ds), strings.Join(msgs, "; ")),
		Hint: "'arenawatch db check' lists the damaged records; the other boards are published"}
}

// republishable leaves out the boards whose terms forbid republishing
// their data, and names them.
func republishable(bs arenawatch.Boards) (keep arenawatch.Boards, skipped []string) {
	skipped = []string{}
	for _, b := range bs {
		if site.TermsOf(b.Site).NoRedistribution {
			skipped = append(skipped, b.ID)
			continue
		}
		keep = append(keep, b)
	}
	return keep, skipped
}

// printSite says what was written: one line per board with its status.
func printSite(e *env, doc siteJSON) {
	fmt.Fprintf(e.stdout, "wrote %d files to %s (database as of %s, catalog %s)\n", len(doc.Files), doc.Out, doc.AsOf, doc.CatalogVersion)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, b := range doc.Boards {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", b.Board, b.Status, b.Page)
	}
	tw.Flush()
	for _, id := range doc.Skipped {
		fmt.Fprintf(e.stderr, "arenawatch: %s left out: its terms forbid republishing the data (name it to include it)\n", id)
	}
}
