package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/reparse"
	"github.com/arenawatch/arenawatch/sanitize"
	"github.com/arenawatch/arenawatch/store"
)

const reparseLong = `Read stored snapshots again with today's extractors, so that a parser fix
repairs history.

Every scrape keeps the raw bodies it read (the pages, API answers and CSVs,
by sha256). For each stored snapshot of each BOARD (every board with
snapshots when none is named), reparse hands those bodies to the board's
extractor of this version, validates the rows as a scrape would, and
compares them with what the snapshot says:

  - the same content (as-of date, stated totals, rows): "unchanged",
    nothing is written;
  - different content: a new snapshot is stored beside the old one, with
    the same fetch time, board and origin, today's parser version, and
    "reparsed" naming the snapshot and parser version it re-reads. The old
    snapshot is kept.

'report --at T', 'rank --at T' and every other question about a time
answer from the last snapshot fetched at or before T; a re-parse is stored
a nanosecond after the snapshot it re-reads, so from then on the questions
answer from the re-parse. A second reparse re-reads the re-parses and
stores nothing. Snapshots an earlier reparse already superseded are not
read again. Imported snapshots (import hf-leaderboard) are skipped: their
document is a whole dataset file, and running the import again re-reads it
the same way.

A snapshot that today's extractor cannot read (a page from before a site
changed its layout, say) is reported as failed and left as it is; the exit
code is then 1.

--dry-run writes nothing and lists, per board, each snapshot whose rows
would change: its fetch time, the parser versions, and a row-level summary
("+2 rows, -1 row, 5 changed: score, organization"); --json has every row
by model key. --since and --until select snapshots by fetch time (UTC:
2026-03-14T12:00:00Z, a date 2026-03-14 or a month 2026-03; --since takes
the start of a day or month, --until its end; both are included).

The database is read with a shared lock and locked for writing only while
each batch of re-parsed snapshots is written (one transaction per batch of
up to 256 snapshots or 32 MB of pages), so scrapes and reports go on
meanwhile. An interrupted reparse keeps the batches it wrote; run it again
to finish. At a terminal a progress bar shows on stderr (count and rate);
under cron, with --quiet or --json it does not.`

// reparseResultJSON is one snapshot in the 'reparse --json' summary.
type reparseResultJSON struct {
	FetchedAt time.Time `json:"fetched_at"`
	// Status is reparsed (stored), would_reparse (--dry-run), unchanged,
	// failed or skipped.
	Status        string        `json:"status"`
	OldParser     string        `json:"old_parser_version,omitempty"`
	ParserVersion string        `json:"parser_version,omitempty"`
	Rows          int           `json:"rows,omitempty"`
	Summary       string        `json:"summary,omitempty"`
	Diff          *reparse.Diff `json:"diff,omitempty"`
	Reason        string        `json:"reason,omitempty"` // why it was skipped
	Error         *errorJSON    `json:"error,omitempty"`
}

// reparseBoardJSON is one board in the 'reparse --json' summary.
type reparseBoardJSON struct {
	Board     string `json:"board"`
	Status    string `json:"status"` // ok, failed (the board cannot be re-parsed at all)
	Snapshots int    `json:"snapshots"`
	// Reparsed counts the snapshots stored (or, with --dry-run, that would
	// be) because their content changed.
	Reparsed  int `json:"reparsed"`
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	// Superseded counts earlier parses that a stored re-parse of the same
	// fetch replaces; they are not read again.
	Superseded int                 `json:"superseded"`
	ElapsedMS  int64               `json:"elapsed_ms"`
	Error      *errorJSON          `json:"error,omitempty"`
	Results    []reparseResultJSON `json:"results"`
}

type reparseJSON struct {
	OK        bool               `json:"ok"`
	DryRun    bool               `json:"dry_run"`
	Database  string             `json:"database"`
	StartedAt time.Time          `json:"started_at"`
	ElapsedMS int64              `json:"elapsed_ms"`
	Boards    []reparseBoardJSON `json:"boards"`
}

type reparseFlags struct {
	since, until          time.Time
	dryRun, asJSON, quiet bool
}

func (e *env) reparseCommand() *cobra.Command {
	var (
		f            reparseFlags
		since, until string
	)
	cmd := &cobra.Command{
		Use:   "reparse [BOARD...]",
		Short: "Re-read stored raw pages with today's extractors; store snapshots whose rows change",
		Long:  reparseLong,
		Example: `  arenawatch reparse --dry-run                 # what a parser fix would change, per snapshot
  arenawatch reparse arena-text arena-text-raw  # store the re-parses of two boards
  arenawatch reparse --since 2026-03 --json     # snapshots fetched from March 2026 on
  arenawatch report arena-text --at 2026-03-14  # now answers from the re-parse`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if f.since, err = parseBound("--since", since, false); err != nil {
				return err
			}
			if f.until, err = parseBound("--until", until, true); err != nil {
				return err
			}
			if !f.since.IsZero() && !f.until.IsZero() && f.until.Before(f.since) {
				return &usageError{fmt.Errorf("--until %s is before --since %s", until, since)}
			}
			return e.reparse(cmd.Context(), args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&since, "since", "", "only snapshots fetched at or after this time (UTC)")
	fl.StringVar(&until, "until", "", "only snapshots fetched at or before this time (UTC)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "write nothing; list the snapshots whose rows would change")
	fl.BoolVar(&f.asJSON, "json", false, "print a JSON summary on stdout")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stderr unless a snapshot or board fails")
	return cmd
}

// reparsePlan is one board's work, chosen from a read-only look at the
// store.
type reparsePlan struct {
	board   arenawatch.Board
	choices []reparse.Choice
	line    reparseBoardJSON
}

func (e *env) reparse(ctx context.Context, ids []string, f reparseFlags) error {
	if !f.dryRun {
		// A writable open before anything else, as scrape does: a held
		// lock or an old file (migrated here) shows at once.
		db, err := e.openStore(false)
		if err != nil {
			return err
		}
		if err := db.Close(); err != nil {
			return err
		}
	}
	started := e.now()
	plans, dbPath, err := e.planReparse(ids, f)
	if err != nil {
		return err
	}
	summary := reparseJSON{OK: true, DryRun: f.dryRun, Database: dbPath, StartedAt: started.UTC()}
	boardIDs := make([]string, len(plans))
	total := 0
	for i, p := range plans {
		boardIDs[i] = p.line.Board
		total += len(p.choices)
	}
	lines := e.lines(boardIDs)
	bar := e.progressBar(total, "re-parsing", "snapshots", f.quiet || f.asJSON)
	for i := range plans {
		p := &plans[i]
		err := e.reparseBoard(ctx, p, f, bar)
		if p.line.Status != "ok" || p.line.Failed > 0 {
			summary.OK = false
		}
		if !f.asJSON && (!f.quiet || p.line.Status != "ok" || p.line.Failed > 0) {
			bar.clear()
			lines.reparseLine(p.line, f.dryRun)
		}
		summary.Boards = append(summary.Boards, p.line)
		if err != nil && arenawatch.IsKind(err, arenawatch.KindInterrupted) {
			break
		}
		if err != nil {
			bar.done()
			return err
		}
		if ctx.Err() != nil {
			break
		}
	}
	bar.done()
	summary.ElapsedMS = e.now().Sub(started).Milliseconds()
	return e.finishRun(ctx, f.asJSON, summary, summary.OK)
}

// planReparse opens the store read-only and chooses, per board, the
// snapshots to re-read: the named boards, or every board with snapshots.
func (e *env) planReparse(ids []string, f reparseFlags) ([]reparsePlan, string, error) {
	defs, err := e.boards(nil)
	if err != nil {
		return nil, "", err
	}
	if len(ids) > 0 {
		if _, err := defs.Select(ids); err != nil {
			return nil, "", &usageError{err}
		}
	}
	db, err := e.openStore(true)
	if err != nil {
		return nil, "", err
	}
	defer db.Close()
	named := len(ids) > 0
	if !named {
		if ids, err = db.Boards(); err != nil {
			return nil, "", err
		}
	}
	var plans []reparsePlan
	for _, id := range ids {
		infos, err := db.Snapshots(id)
		if err != nil {
			return nil, "", err
		}
		if len(infos) == 0 && !named {
			continue // a board with failed runs only
		}
		plans = append(plans, planBoard(defs, id, infos, f))
	}
	return plans, db.Path(), nil
}

// planBoard chooses a board's snapshots; a board no definition knows any
// more (a custom board taken out of the config) fails as a whole.
func planBoard(defs arenawatch.Boards, id string, infos []store.SnapshotInfo, f reparseFlags) reparsePlan {
	cands := make([]reparse.Candidate, len(infos))
	for i, in := range infos {
		cands[i] = reparse.Candidate{FetchedAt: in.FetchedAt, Origin: in.Origin}
	}
	choices, superseded := reparse.Select(cands, f.since, f.until)
	p := reparsePlan{choices: choices,
		line: reparseBoardJSON{Board: id, Status: "ok", Snapshots: len(choices), Superseded: superseded, Results: []reparseResultJSON{}}}
	b, ok := defs.Get(id)
	if !ok {
		p.choices = nil
		p.line.Status = "failed"
		p.line.Error = &errorJSON{Kind: arenawatch.KindInvalid.Slug(),
			Message: fmt.Sprintf("%s: no board of that id is built in or defined in the config, so there is no extractor to re-read it with", id),
			Hint:    "define the board again under sources: in the config file"}
	}
	p.board = b
	return p
}

// Batches of a reparse: at most reparseBatch snapshots, or the batch that
// reaches reparseBatchBytes of raw bodies, are read, re-parsed and written
// together (one read-only and one writable open, one transaction). A
// variable only so that the kill test can make many small batches.
var reparseBatch = 256

const reparseBatchBytes = 32 << 20

// reparseBoard re-reads one board's chosen snapshots batch by batch. It
// returns an error only when the store cannot be read or written; a
// snapshot that cannot be re-parsed is a failed result.
func (e *env) reparseBoard(ctx context.Context, p *reparsePlan, f reparseFlags, bar *progress) error {
	start := time.Now()
	defer func() { p.line.ElapsedMS = time.Since(start).Milliseconds() }()
	bar.describe(p.line.Board)
	for next := 0; next < len(p.choices); {
		if err := ctx.Err(); err != nil {
			return &arenawatch.Error{Kind: arenawatch.KindInterrupted, Board: p.line.Board, Err: err}
		}
		batch, n, err := e.readBatch(p.board.ID, p.choices[next:])
		if err != nil {
			return err
		}
		next += n
		results, items := reparseBatchOf(p.board, batch, func() { bar.add(1) })
		if !f.dryRun && len(items) > 0 {
			if err := e.writeBatch(ctx, items, results); err != nil {
				return err
			}
		}
		for _, r := range results {
			p.line.add(r, f.dryRun)
		}
	}
	return nil
}

// loaded is a chosen snapshot read from the store with its raw bodies,
// or why it could not be read.
type loaded struct {
	choice reparse.Choice
	old    *arenawatch.Snapshot
	bodies map[string][]byte
	err    error
}

// readBatch reads, in one read-only open, the first choices up to a
// batch's count or bytes, and says how many it took.
func (e *env) readBatch(board string, choices []reparse.Choice) ([]loaded, int, error) {
	db, err := e.openStore(true)
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	bodies := map[string][]byte{} // shared by the batch: a registry body serves many snapshots
	size, n := 0, 0
	var out []loaded
	for _, ch := range choices {
		if n == reparseBatch || size >= reparseBatchBytes {
			break
		}
		n++
		l := loaded{choice: ch, bodies: bodies}
		if ch.Skip == "" {
			l.old, l.err = db.At(board, ch.FetchedAt)
			if l.err == nil && !l.old.FetchedAt.Equal(ch.FetchedAt) {
				// Dropped between the plan and this read.
				l.old, l.err = nil, &arenawatch.Error{Kind: arenawatch.KindNotFound, Board: board, Err: fmt.Errorf("the snapshot is gone")}
			}
			if l.err == nil {
				size, l.err = readBodies(db, l.old, bodies, size)
			}
		}
		out = append(out, l)
	}
	return out, n, nil
}

// readBodies adds the snapshot's raw bodies to bodies. A body the store
// does not hold is left out, for reparse.Snapshot to name; one that cannot
// be read (damaged) fails the snapshot.
func readBodies(db *store.DB, snap *arenawatch.Snapshot, bodies map[string][]byte, size int) (int, error) {
	for _, d := range snap.Documents {
		if _, ok := bodies[d.SHA256]; ok {
			continue
		}
		body, err := db.Raw(d.SHA256)
		switch {
		case arenawatch.IsKind(err, arenawatch.KindNotFound):
			continue
		case err != nil:
			return size, arenawatch.WithBoard(err, snap.Board, d.URL)
		}
		bodies[d.SHA256] = body
		size += len(body)
	}
	return size, nil
}

// reparseBatchOf re-parses a batch: a result per snapshot, and the items
// to store (the re-parses whose content changed), whose results are the
// ones left with status "" until written. tick is called per snapshot.
func reparseBatchOf(b arenawatch.Board, batch []loaded, tick func()) ([]*reparseResultJSON, []store.SaveItem) {
	results := make([]*reparseResultJSON, len(batch))
	var items []store.SaveItem
	for i, l := range batch {
		tick()
		r := &reparseResultJSON{FetchedAt: l.choice.FetchedAt.UTC()}
		results[i] = r
		if l.choice.Skip != "" {
			r.Status, r.Reason = "skipped", l.choice.Skip
			continue
		}
		err := l.err
		var snap *arenawatch.Snapshot
		var diff reparse.Diff
		if err == nil {
			r.OldParser = l.old.ParserVersion
			snap, diff, err = reparse.Snapshot(b, l.old, l.bodies)
		}
		if err != nil {
			r.Status = "failed"
			r.Error = &errorJSON{Kind: arenawatch.KindOf(err).Slug(), Message: reason(err), Hint: arenawatch.HintOf(err)}
			continue
		}
		r.ParserVersion, r.Rows = snap.ParserVersion, len(snap.Rows)
		if snap.ContentHash == l.old.ContentHash {
			r.Status = "unchanged"
			continue
		}
		r.Summary, r.Diff = diff.Summary(), &diff
		// The bodies are stored already; a re-parse is no fetch, so it
		// writes no run.
		items = append(items, store.SaveItem{Snapshot: snap, NoRun: true})
	}
	return results, items
}

// writeBatch stores the batch's changed re-parses in one transaction,
// opening the store writable for that alone, and sets their results.
func (e *env) writeBatch(ctx context.Context, items []store.SaveItem, results []*reparseResultJSON) error {
	db, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer db.Close()
	saved, err := db.SaveBatch(ctx, items)
	if err != nil {
		return err
	}
	i := 0
	for _, r := range results {
		if r.Status == "" {
			// Unchanged only if another run stored the same re-parse since
			// this one read the board.
			r.Status = map[store.Outcome]string{store.OutcomeStored: "reparsed", store.OutcomeUnchanged: "unchanged"}[saved[i].Outcome]
			i++
		}
	}
	return nil
}

// add counts a snapshot's result in its board's line.
func (l *reparseBoardJSON) add(r *reparseResultJSON, dryRun bool) {
	if r.Status == "" && dryRun {
		r.Status = "would_reparse"
	}
	switch r.Status {
	case "reparsed", "would_reparse":
		l.Reparsed++
	case "unchanged":
		l.Unchanged++
	case "failed":
		l.Failed++
	case "skipped":
		l.Skipped++
	}
	l.Results = append(l.Results, *r)
}

// reparseLine prints one board's re-parse for people: a count line, then
// a line per snapshot that changed or failed, and the skipped ones by
// reason.
func (l boardLines) reparseLine(r reparseBoardJSON, dryRun bool) {
	if r.Status != "ok" {
		l.failure(r.Board, r.Error)
		return
	}
	status, changed := "re-parsed", "re-parsed (rows changed)"
	if dryRun {
		status, changed = "dry run", "would change"
	}
	noun := "snapshots"
	if r.Snapshots == 1 {
		noun = "snapshot"
	}
	detail := fmt.Sprintf("%d %s: %d %s, %d unchanged, %d failed", r.Snapshots, noun, r.Reparsed, changed, r.Unchanged, r.Failed)
	if r.Snapshots == 0 {
		detail = "no snapshots to re-read"
	}
	if r.Superseded > 0 {
		detail += fmt.Sprintf(" (%d earlier parses superseded)", r.Superseded)
	}
	l.status(r.Board, status, detail)
	skipped := map[string]int{}
	for _, s := range r.Results {
		at := s.FetchedAt.Format("2006-01-02 15:04:05 UTC")
		switch s.Status {
		case "reparsed", "would_reparse":
			l.more(fmt.Sprintf("%s  %s → %s: %s", at, sanitize.Text(s.OldParser, maxName), s.ParserVersion, sanitize.Text(s.Summary, maxMessage)))
		case "failed":
			l.more(fmt.Sprintf("%s  failed: %s: %s", at, strings.ReplaceAll(s.Error.Kind, "_", " "), sanitize.Text(s.Error.Message, maxMessage)))
		case "skipped":
			skipped[s.Reason]++
		}
	}
	reasons := make([]string, 0, len(skipped))
	for why := range skipped {
		reasons = append(reasons, why)
	}
	sort.Strings(reasons)
	for _, why := range reasons {
		l.more(fmt.Sprintf("%d skipped: %s", skipped[why], why))
	}
}
