package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/words"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

const reportLong = `For each board, from its latest snapshot (or the latest at or before --at):
the leading open-weight model; the best open model that is not from a
Chinese lab, with its organization, country, licence, overall rank and its
position among open models; how many Chinese open models rank above it; and
how many rows the catalog could not classify.

Overall rank is the board's own rank where it publishes one, else 1 + the
number of models with a strictly higher score. The position among open models
is 1 + the number of open models with a strictly higher score. "Open" means
the source flags the weights as open, or its licence is a named licence (not
Proprietary, N/A or empty), or a catalog rule says so. A model whose origin or
openness is unknown is never counted as open or as non-Chinese: it is counted
as unclassified, and "unclassified above" says how many such rows score above
the answer (they could change it).

How sure the answer is: where a board publishes score intervals (LMArena's
dataset, arena.ai) or rank spreads (arena.ai), each answer shows its rank
range (the board's spread; else best = 1 + the models whose lower bound is
above its upper bound, worst = 1 + the other models whose upper bound reaches
its lower bound) and "tied with N (M CN open)": the models whose interval
overlaps its interval. "Chinese open models above" says how many of them are
statistically tied with the answer, and names Chinese open models with
exactly its score, which are not counted as above, with the source's order.
Models with the same score are listed on every board. Boards without
intervals show no range and no tie count.

Origin has two views. --origin developer (the default) takes the organization
that released the ranked checkpoint, as the public datasets do. --origin
lineage also counts the base model: a US post-train of a Chinese base (Athene-V2
on Qwen2.5, INTELLECT-3 on GLM-4.5-Air) counts as Chinese, and a model is
non-Chinese only when its developer and its base are known and neither is.
The report always shows both. --by family counts each model family once (all
DeepSeek-V3.x variants are one entry); ranks are then family positions.

Usage boards (openrouter-daily-tokens: tokens per model per day) are answered
with token shares instead: the day's tokens that went to Chinese open models,
non-Chinese open models, closed models, and unclassified ones (openness or
origin unknown, and the "other" row that sums every model outside the top 50),
with the most used open model of each origin. In --json they are listed under
"adoption", not "boards".

Classification happens now, with the catalog built into this binary (plus
--catalog FILE), so a catalog fix re-answers old snapshots too.`

// reportJSON is the 'report --json' document.
type reportJSON struct {
	At             *time.Time            `json:"at,omitempty"`
	CatalogVersion string                `json:"catalog_version"`
	Boards         []ranking.BoardReport `json:"boards"`
	Missing        []missingJSON         `json:"missing"`
	// Adoption holds the usage boards (OpenRouter's daily tokens), which
	// are answered with token shares instead of an open-model ranking.
	Adoption []ranking.AdoptionReport `json:"adoption"`
}

// missingJSON names a board without a snapshot for the question.
type missingJSON struct {
	Board  string `json:"board"`
	Reason string `json:"reason"`
}

func (e *env) reportCommand() *cobra.Command {
	var (
		qf     queryFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "report [BOARD...]",
		Short: "Which open model leads, and where the best non-Chinese open model places",
		Long:  reportLong,
		Example: `  arenawatch report
  arenawatch report arena-text --at 2026-03      # as it stood at the end of March 2026
  arenawatch report --origin lineage --by family  # a US fine-tune of a Chinese base counts as Chinese
  arenawatch report --json | jq '.boards[] | {board, best: .best_open_non_chinese.model}'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.report(qf, args, asJSON)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print one JSON document (fields documented in the README)")
	qf.add(f, true, true)
	return cmd
}

// report answers for the boards named (every board with data when none
// is), latest or at qf's --at.
func (e *env) report(qf queryFlags, args []string, asJSON bool) error {
	q, err := e.query(qf, args)
	if err != nil {
		return err
	}
	atTime, cat, bs := q.at, q.cat, q.boards
	db, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(args) == 0 {
		// Every board with data, not every board arenawatch knows.
		if bs, err = withSnapshots(db, bs); err != nil {
			return err
		}
		if len(bs) == 0 {
			return &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(),
				Err:  errors.New("no snapshot of any board arenawatch knows (built in or in the config)"),
				Hint: "run 'arenawatch scrape'; 'arenawatch db stats' lists what the file holds"}
		}
	}
	out := reportJSON{CatalogVersion: cat.Version(), Boards: []ranking.BoardReport{}, Missing: []missingJSON{}, Adoption: []ranking.AdoptionReport{}}
	if !atTime.IsZero() {
		out.At = timePtr(atTime)
	}
	var titles, adoptionTitles []string
	var missing []error
	for _, b := range bs {
		snap, err := snapshotFor(db, b.ID, atTime)
		if err != nil {
			if !answerable(err) {
				return err
			}
			out.Missing = append(out.Missing, missingJSON{Board: b.ID, Reason: err.Error()})
			missing = append(missing, err)
			continue
		}
		if b.Usage {
			out.Adoption = append(out.Adoption, ranking.Adoption(snap, cat, q.opt.View))
			adoptionTitles = append(adoptionTitles, b.Title)
			continue
		}
		out.Boards = append(out.Boards, ranking.Report(snap, b.Rank, cat, q.opt))
		titles = append(titles, b.Title)
	}
	// Close before printing: a reader blocks writers (cron scrapes).
	db.Close()
	if asJSON {
		if err := e.writeJSON(out); err != nil {
			return err
		}
	} else {
		for i, r := range out.Boards {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			printReport(e.stdout, titles[i], r)
		}
		printAdoptions(e.stdout, len(out.Boards) > 0, adoptionTitles, out.Adoption)
	}
	return missingBoards(e, missing, len(out.Boards)+len(out.Adoption) == 0 || len(args) > 0)
}

// queryFlags are the flags of the commands that answer from snapshots:
// --catalog always, --at and the view (--origin, --by) where they apply.
// One declaration, so that every command spells and explains them alike.
type queryFlags struct {
	at, catalogFile, origin, by string
}

// add declares the flags on f: --catalog, and --at and --origin/--by when
// asked for.
func (qf *queryFlags) add(f *pflag.FlagSet, at, view bool) {
	if at {
		f.StringVar(&qf.at, "at", "", "answer as of this time: 2026-03-14T12:00:00Z, 2026-03-14 (end of day, UTC) or 2026-03 (end of month)")
	}
	f.StringVar(&qf.catalogFile, "catalog", "", "catalog override file merged over the built-in catalog (also 'catalog:' in the config)")
	if view {
		f.StringVar(&qf.origin, "origin", "developer", "whose country decides origin: developer (who released the checkpoint) or lineage (also its base model's developer)")
		f.StringVar(&qf.by, "by", "model", "count each model, or each model family once: model or family")
	}
}

// answerable reports whether an error reading one board's snapshot leaves
// the other boards to answer: no snapshot at that time, or a damaged
// record, which stays local to its board.
func answerable(err error) bool {
	return arenawatch.IsKind(err, arenawatch.KindNotFound) || arenawatch.IsKind(err, arenawatch.KindDamaged)
}

// missingBoards ends a multi-board query whose boards in missing had no
// answer. A damaged record is an error (exit 12) after the other boards
// answered; boards without a snapshot are an error (exit 3) when strict
// (the boards were named, or none answered) and one line each on stderr
// otherwise. The returned error is printed once, by main.
func missingBoards(e *env, missing []error, strict bool) error {
	var damaged, notFound []error
	for _, err := range missing {
		if arenawatch.IsKind(err, arenawatch.KindDamaged) {
			damaged = append(damaged, err)
		} else {
			notFound = append(notFound, err)
		}
	}
	if !strict || len(damaged) > 0 {
		for _, err := range notFound {
			fmt.Fprintf(e.stderr, "arenawatch: %s\n", err)
		}
		notFound = nil
	}
	switch errs := append(damaged, notFound...); {
	case len(errs) == 0:
		return nil
	case len(errs) == 1:
		return errs[0]
	default:
		var lines []string
		for _, err := range errs[1:] {
			lines = append(lines, err.Error())
		}
		first := errs[0]
		return &arenawatch.Error{Kind: arenawatch.KindOf(first), Err: fmt.Errorf("%w; %s", first, strings.Join(lines, "; ")),
			Hint: arenawatch.HintOf(first)}
	}
}

// queryArgs are what report and rank share: the time asked about (zero:
// latest), the catalog, the boards, and the origin view and counting.
type queryArgs struct {
	at     time.Time
	cat    *ranking.Catalog
	boards arenawatch.Boards
	opt    ranking.Options
}

// query reads the arguments common to report and rank. Boards are the
// selected ones (all when ids is empty), with config overrides applied so
// titles and rank rules match what was scraped.
func (e *env) query(qf queryFlags, ids []string) (queryArgs, error) {
	var q queryArgs
	view, ok := ranking.ParseView(qf.origin)
	if !ok {
		return q, &usageError{fmt.Errorf("--origin %q: want developer or lineage", qf.origin)}
	}
	q.opt.View = view
	switch qf.by {
	case "", "model":
	case "family":
		q.opt.ByFamily = true
	default:
		return q, &usageError{fmt.Errorf("--by %q: want model or family", qf.by)}
	}
	if qf.at != "" {
		t, err := parseAt(qf.at)
		if err != nil {
			return q, err
		}
		q.at = t
	}
	cat, err := e.catalog(qf.catalogFile)
	if err != nil {
		return q, err
	}
	bs, err := e.boards(nil)
	if err != nil {
		return q, err
	}
	sel, err := bs.Select(ids)
	if err != nil {
		return q, &usageError{err}
	}
	q.cat, q.boards = cat, sel
	return q, nil
}

// withSnapshots keeps the boards that have at least one snapshot.
func withSnapshots(db *store.DB, bs arenawatch.Boards) (arenawatch.Boards, error) {
	ids, err := db.Boards()
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	for _, id := range ids {
		has[id] = true
	}
	var out arenawatch.Boards
	for _, b := range bs {
		if has[b.ID] {
			out = append(out, b)
		}
	}
	return out, nil
}

// snapshotFor returns the latest snapshot of a board, or the latest at or
// before at when at is set.
func snapshotFor(db *store.DB, board string, at time.Time) (*arenawatch.Snapshot, error) {
	if at.IsZero() {
		return db.Latest(board)
	}
	return db.At(board, at)
}

// catalog returns the built-in catalog, merged with an override file from
// the flag or the config file.
func (e *env) catalog(flag string) (*ranking.Catalog, error) {
	cat := ranking.Embedded()
	path := flag
	if path == "" {
		path = e.cfg.Catalog
	}
	if path == "" {
		return cat, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: fmt.Errorf("catalog override: %w", err)}
	}
	merged, err := cat.Override(data)
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: fmt.Errorf("catalog override: %w", err)}
	}
	return merged, nil
}

func sameModel(a, b *ranking.ModelRef) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Model == b.Model)
}

func printReport(w io.Writer, title string, r ranking.BoardReport) {
	fmt.Fprintf(w, "%s — %s\n", r.Board, title)
	if r.OriginView != ranking.ViewDeveloper || r.ByFamily {
		counting := "each model"
		if r.ByFamily {
			counting = "each family once"
		}
		fmt.Fprintf(w, "  %-28s origin by %s, counting %s\n", "view", r.OriginView, counting)
	}
	snap := fmt.Sprintf("fetched %s", r.FetchedAt.UTC().Format("2006-01-02 15:04 UTC"))
	if !r.AsOf.IsZero() {
		snap += ", as of " + r.AsOf.UTC().Format("2006-01-02")
	}
	snap += fmt.Sprintf(", %d rows", r.Rows)
	if r.Origin != "" && r.Origin != arenawatch.OriginScraped {
		snap += " (" + r.Origin + ")"
	}
	if r.Partial {
		snap += fmt.Sprintf(" of %d stated (partial list: answers cover the listed rows only)", r.StatedTotal)
	}
	fmt.Fprintf(w, "  %-28s %s\n", "snapshot", snap)
	fmt.Fprintf(w, "  %-28s %s\n", "leading open model", describeModel(r.LeadingOpen))
	printConfidence(w, r.LeadingOpen)
	for _, v := range r.Views {
		if v.View != r.OriginView {
			continue
		}
		fmt.Fprintf(w, "  %-28s %s\n", "best open, not Chinese", describeModel(v.BestOpenNonCN))
		printConfidence(w, v.BestOpenNonCN)
		fmt.Fprintf(w, "  %-28s %s\n", "Chinese open models above", describeAbove(v))
	}
	for _, v := range r.Views {
		if v.View == r.OriginView {
			continue
		}
		// The other origin view, in one line.
		line := "best open, not Chinese: " + describeModel(v.BestOpenNonCN) + fmt.Sprintf("; %d Chinese open above", v.ChineseOpenAbove)
		if sameModel(v.BestOpenNonCN, r.BestOpenNonCN) && v.ChineseOpenAbove == r.ChineseOpenAbove {
			line = "same answer"
		}
		fmt.Fprintf(w, "  %-28s %s\n", "by "+string(v.View)+" origin", line)
	}
	if b := r.BestOpenNonCN; b != nil && b.Base != "" {
		fmt.Fprintf(w, "  %-28s %s is a derivative of %s (%s, %s)\n", "", cell(b.Name), cell(b.Base), orUnknown(b.BaseOrganization), orUnknown(b.BaseCountry))
	}
	u := r.Unclassified
	line := fmt.Sprintf("%d rows", u.Rows)
	if u.Rows > 0 {
		line += fmt.Sprintf(" (origin unknown %d, openness unknown %d): %s", u.OriginUnknown, u.OpennessUnknown, listModels(u.Models, 5))
	}
	fmt.Fprintf(w, "  %-28s %s\n", "unclassified", line)
	if r.UnknownAbove > 0 {
		fmt.Fprintf(w, "  %-28s %d, and they could change the answer: classify them with a --catalog file\n", "unclassified above answer", r.UnknownAbove)
	}
	fmt.Fprintf(w, "  %-28s %s\n", "catalog", r.CatalogVersion)
}

func describeModel(m *ranking.ModelRef) string {
	if m == nil {
		return "none"
	}
	country := m.Country
	if country == "" {
		country = "?"
	}
	lic := m.License
	if lic == "" {
		lic = "licence not stated"
	}
	return fmt.Sprintf("%s (%s, %s, %s) — rank %d, %s among open models", cell(m.Name), orUnknown(cell(m.Organization)), country, cell(lic), m.Rank, words.Ordinal(m.OpenPosition))
}

// printConfidence writes how sure a model's place is, under its line:
// its rank range and statistical ties where the board publishes
// intervals or rank spreads, and the models with exactly its score.
func printConfidence(w io.Writer, m *ranking.ModelRef) {
	if m == nil {
		return
	}
	if line := describeRange(m); line != "" {
		fmt.Fprintf(w, "  %-28s %s\n", "", line)
	}
	if len(m.ExactTies) > 0 {
		fmt.Fprintf(w, "  %-28s same score as %s\n", "", describeExactTies(m.ExactTies, 5))
	}
}

// describeRange is the short confidence marker, "rank 14–19 (score
// intervals), tied with 5 (1 CN open)"; "" when the board says nothing.
func describeRange(m *ranking.ModelRef) string {
	var parts []string
	if r := m.RankRange; r != nil {
		basis := "score intervals"
		if r.Basis == ranking.BasisSource {
			basis = "the board's rank spread"
		}
		parts = append(parts, fmt.Sprintf("rank %s (%s)", rankSpan(r), basis))
	}
	if t := m.StatTies; t != nil {
		tie := fmt.Sprintf("tied with %d (%d CN open", t.Models, t.ChineseOpen)
		if t.WithoutInterval > 0 {
			tie += fmt.Sprintf("; %d rows without an interval compared by score alone", t.WithoutInterval)
		}
		parts = append(parts, tie+")")
	}
	return strings.Join(parts, ", ")
}

// rankSpan writes a range "14–19", or "3" when it is one rank.
func rankSpan(r *ranking.RankRange) string {
	if r.Best == r.Worst {
		return fmt.Sprint(r.Best)
	}
	return fmt.Sprintf("%d–%d", r.Best, r.Worst)
}

// describeExactTies names up to n tied models with their origin and the
// source's order.
func describeExactTies(ts []ranking.ExactTie, n int) string {
	var out []string
	for i, t := range ts {
		if i == n {
			out = append(out, fmt.Sprintf("… (%d more)", len(ts)-n))
			break
		}
		order := "listed after"
		if t.Ahead {
			order = "listed ahead"
		}
		out = append(out, fmt.Sprintf("%s (%s, %s, %s; rank %d, %s)", cell(t.Name), orUnknown(cell(t.Organization)), orUnknown(t.Country), t.Open, t.Rank, order))
	}
	return strings.Join(out, "; ")
}

// describeAbove counts the Chinese open models above the answer, with how
// many of them are statistically tied with it and those with its very
// score, which "above" does not count.
func describeAbove(v ranking.ViewAnswer) string {
	line := fmt.Sprint(v.ChineseOpenAbove)
	if v.ChineseOpenAboveTied != nil && v.ChineseOpenAbove > 0 {
		line += fmt.Sprintf(" (%d of them statistically tied)", *v.ChineseOpenAboveTied)
	}
	if n := v.ChineseOpenSameScore; n != nil && *n > 0 && v.BestOpenNonCN != nil {
		var names []string
		ahead := 0
		for _, t := range v.BestOpenNonCN.ExactTies {
			if t.ChineseOpen {
				names = append(names, t.Name)
				if t.Ahead {
					ahead++
				}
			}
		}
		line += fmt.Sprintf("; and %d with the same score (%s), %d of them ranked ahead by the source", *n, listModels(names, 3), ahead)
	}
	return line
}

func listModels(ms []string, n int) string {
	more := ""
	if len(ms) > n {
		more = fmt.Sprintf(", … (%d more)", len(ms)-n)
		ms = ms[:n]
	}
	shown := make([]string, len(ms))
	for i, m := range ms {
		shown[i] = cell(m)
	}
	return strings.Join(shown, ", ") + more
}

// printAdoptions writes the usage boards' token shares, after the ranked
// boards (after a blank line when some were printed).
func printAdoptions(w io.Writer, after bool, titles []string, reps []ranking.AdoptionReport) {
	for i, r := range reps {
		if after || i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s — %s\n", r.Board, titles[i])
		if r.OriginView != ranking.ViewDeveloper {
			fmt.Fprintf(w, "  %-28s origin by %s\n", "view", r.OriginView)
		}
		snap := fmt.Sprintf("fetched %s", r.FetchedAt.UTC().Format("2006-01-02 15:04 UTC"))
		if !r.AsOf.IsZero() {
			snap += ", tokens of " + r.AsOf.UTC().Format("2006-01-02")
		}
		snap += fmt.Sprintf(", %d rows", r.Rows)
		if r.Origin != "" && r.Origin != arenawatch.OriginScraped {
			snap += " (" + r.Origin + ")"
		}
		fmt.Fprintf(w, "  %-28s %s\n", "snapshot", snap)
		fmt.Fprintf(w, "  %-28s %s\n", "tokens that day", words.Tokens(r.TotalTokens))
		for _, c := range []struct {
			label string
			s     ranking.AdoptionShare
		}{{"Chinese open", r.ChineseOpen}, {"open, not Chinese", r.NonChineseOpen}, {"closed", r.Closed}, {"unclassified", r.Unclassified}} {
			line := fmt.Sprintf("%5.1f%%  %s tokens, %d models", 100*c.s.Share, words.Tokens(c.s.Tokens), c.s.Count)
			if c.label == "unclassified" && r.OtherTokens > 0 {
				line += fmt.Sprintf(` (incl. "other", every model outside the top list: %s tokens)`, words.Tokens(r.OtherTokens))
			}
			fmt.Fprintf(w, "  %-28s %s\n", c.label, line)
		}
		fmt.Fprintf(w, "  %-28s %s\n", "most used Chinese open", describeAdoption(r.TopChineseOpen))
		fmt.Fprintf(w, "  %-28s %s\n", "most used open, not Chinese", describeAdoption(r.TopNonChineseOpen))
		fmt.Fprintf(w, "  %-28s %s\n", "catalog", r.CatalogVersion)
	}
}

func describeAdoption(m *ranking.AdoptionModel) string {
	if m == nil {
		return "none"
	}
	return fmt.Sprintf("%s (%s, %s) — %.1f%% of tokens, rank %d", m.Name, cmp.Or(m.Organization, "?"), cmp.Or(m.Country, "?"), 100*m.Share, m.Rank)
}
