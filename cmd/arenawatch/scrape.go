package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/notify"
	"github.com/arenawatch/arenawatch/replay"
	"github.com/arenawatch/arenawatch/sanitize"
	"github.com/arenawatch/arenawatch/scraper"
	"github.com/arenawatch/arenawatch/store"
)

const scrapeLong = `Fetch boards, validate what they say, and store each as a snapshot.

Every board on the command line is scraped. With none named, the boards
under "scrape:" in the config are, else the default boards ('arenawatch
sources' marks the optional ones: category views, and arenas no capture
could verify).
Boards on different sites are fetched concurrently; requests to one site go
one at a time with a pause between them. arenawatch identifies itself in the
User-Agent, obeys robots.txt, retries 429 and 5xx answers with backoff
(honouring Retry-After), and refuses responses over the size cap.

A board whose page is blocked, missing, or no longer has the expected shape
stores nothing: earlier snapshots stay as they are, and the status line says
which board, which URL and why. A scrape whose content equals the latest
snapshot is recorded as "unchanged", not stored again.

The database is opened once before any fetch (so a wrong path or a held
lock fails the run at once), and then locked only while results are
written, never during the fetches: a report during a scrape answers at
once, and two scrapes take turns on the writes. The results are written
together at the end of the run (and each time 32 MB of pages have been
fetched), in one transaction: an unchanged re-scrape writes a few
kilobytes. A write that waits longer than --lock-timeout fails the boards
it held as "locked" (exit 11); a later scrape stores them.

Status lines go to stderr, one per board, as the results are written. With --quiet only failures are
printed, so a cron job mails you only when something needs a look. --json
prints a summary on stdout.

--replay DIR serves DIR (laid out as DIR/<host>/<path>/index.*) from loopback
servers and runs the same collectors against it: the pipeline without the
internet. --record DIR saves every response of a run in that layout (a
request told apart by its query or body gets its own file), so a real run
becomes a replayable fixture.

Alerts. --notify URL (repeatable; or "notify:" in the config) sends one
message per run, after the results are written, when a board that stored
a new snapshot changed its answer against its previous snapshot (another
leading open model, another best open non-Chinese model, that model's
position among open models, a Chinese/non-Chinese flip at the top), and
when a board's streak of failed runs reaches --notify-failures (once per
streak). No change, no message. URLs are shoutrrr's: slack://, discord://,
telegram://, ntfy://, smtp://, generic+https://host/path (a plain POST),
and ${VAR} in a URL reads the environment. Delivery waits at most
--notify-timeout; a failure is printed on stderr (and under "notify" in
--json) and changes neither the stored snapshots nor the exit code.
--notify-dry-run prints the message instead of sending it (the scrape
itself still stores; --dry-run elsewhere means "change nothing", hence the
longer name).`

// scrapeBoardJSON is one board in the 'scrape --json' summary.
type scrapeBoardJSON struct {
	Board               string     `json:"board"`
	Status              string     `json:"status"` // stored, unchanged, failed
	URL                 string     `json:"url"`
	Rows                int        `json:"rows,omitempty"`
	AsOf                *time.Time `json:"as_of,omitempty"`
	FetchedAt           *time.Time `json:"fetched_at,omitempty"`
	SnapshotFetchedAt   *time.Time `json:"snapshot_fetched_at,omitempty"` // the stored snapshot this scrape equals or created
	ElapsedMS           int64      `json:"elapsed_ms"`
	ConsecutiveFailures int        `json:"consecutive_failures,omitempty"`
	// MovedFrom is the board's own URL when it answered not found and the
	// board was read at URL, one of its other addresses.
	MovedFrom string     `json:"moved_from,omitempty"`
	Error     *errorJSON `json:"error,omitempty"`
}

// errorJSON is an error in JSON output.
type errorJSON struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// errorOf is err in JSON output: its kind, message and hint.
func errorOf(err error) *errorJSON {
	return &errorJSON{Kind: arenawatch.KindOf(err).Slug(), Message: err.Error(), Hint: arenawatch.HintOf(err)}
}

type scrapeJSON struct {
	OK        bool              `json:"ok"`
	StartedAt time.Time         `json:"started_at"`
	ElapsedMS int64             `json:"elapsed_ms"`
	Database  string            `json:"database"`
	Boards    []scrapeBoardJSON `json:"boards"`
	// Notify is what the alert step did; absent when no alert was asked.
	Notify *notify.Report `json:"notify,omitempty"`
}

// runFlags are the flags of every command that fetches boards (scrape,
// sources --check).
type runFlags struct {
	urls           []string
	replay, record string
	runTimeout     time.Duration
	requestTimeout time.Duration
	retries        int
	userAgent      string
	maxBody        int64
	// quiet silences the notes of the setup (boards skipped for a missing
	// environment variable), as --quiet promises for cron.
	quiet bool
}

// check rejects negative limits, which the fetcher would otherwise read
// as "the default" or "none".
func (rf *runFlags) check() error {
	switch {
	case rf.runTimeout < 0:
		return fmt.Errorf("--timeout %v is negative", rf.runTimeout)
	case rf.requestTimeout < 0:
		return fmt.Errorf("--request-timeout %v is negative", rf.requestTimeout)
	case rf.retries < 0:
		return fmt.Errorf("--retries %d is negative (0 means no retry)", rf.retries)
	case rf.maxBody < 0:
		return fmt.Errorf("--max-body-size %d is negative", rf.maxBody)
	}
	return nil
}

func addRunFlags(f *pflag.FlagSet, rf *runFlags) {
	f.StringArrayVar(&rf.urls, "url", nil, "override a board's URL: BOARD=URL (repeatable; also 'urls:' in the config file)")
	f.StringVar(&rf.replay, "replay", "", "serve this directory on loopback and scrape it instead of the internet")
	f.StringVar(&rf.record, "record", "", "also save every response under this directory, in the layout --replay reads")
	f.DurationVar(&rf.runTimeout, "timeout", 10*time.Minute, "time limit for the whole run")
	f.DurationVar(&rf.requestTimeout, "request-timeout", 30*time.Second, "time limit for one HTTP request")
	f.IntVar(&rf.retries, "retries", 3, "retries after a transient failure (429, 5xx, timeouts)")
	f.StringVar(&rf.userAgent, "user-agent", "", "User-Agent header (default "+fetch.UserAgent(version)+"; env ARENAWATCH_USER_AGENT)")
	f.Int64Var(&rf.maxBody, "max-body-size", 32<<20, "largest response accepted, in bytes; larger ones fail the board")
}

// setupRun selects the boards (those named; else the config's scrape
// list; else the defaults) and builds the runner: fetch settings from
// flags, environment and config, and the replay servers and recorder when
// asked. The returned function stops the replay servers.
func (e *env) setupRun(cmd *cobra.Command, rf *runFlags, args []string) (arenawatch.Boards, *scraper.Runner, time.Duration, func(), error) {
	noop := func() {}
	if err := rf.check(); err != nil {
		return nil, nil, 0, noop, &usageError{err}
	}
	bs, err := e.boards(rf.urls)
	if err != nil {
		return nil, nil, 0, noop, err
	}
	switch {
	case len(args) > 0:
		bs, err = bs.Select(args)
	case len(e.cfg.Scrape) > 0:
		bs, err = bs.Select(e.cfg.Scrape)
	default:
		bs = bs.Defaults()
	}
	if err != nil {
		return nil, nil, 0, noop, &usageError{err}
	}
	bs, skipped := expandEnv(bs, e.getenv)
	for _, s := range skipped {
		if !rf.quiet {
			fmt.Fprintln(e.stderr, "arenawatch: "+s)
		}
	}
	opt := fetch.Options{UserAgent: rf.userAgent, RequestTimeout: rf.requestTimeout, Retries: rf.retries, MaxBodySize: rf.maxBody}
	runTimeout := rf.runTimeout
	e.fetchDefaults(cmd, &opt, &runTimeout)
	runner := &scraper.Runner{Now: e.now, Origin: arenawatch.OriginScraped}
	cleanup := noop
	if rf.replay != "" {
		rp, err := replay.Start(rf.replay)
		if err != nil {
			return nil, nil, 0, noop, err
		}
		cleanup = func() { rp.Close() }
		bs = rp.RewriteBoards(bs)
		opt.HostDelay = -1 // loopback: no need to be gentle
		runner.Origin, runner.Allow, runner.Rewrite, runner.MissingHint = arenawatch.OriginReplayed, rp.Allow, rp.Rewrite, replay.MissingHint
	}
	if rf.record != "" {
		runner.Recorder = &replay.Recorder{Dir: rf.record}
	}
	runner.Fetcher = fetch.New(opt)
	return bs, runner, runTimeout, cleanup, nil
}

func (e *env) scrapeCommand() *cobra.Command {
	var (
		rf            runFlags
		nf            notifyFlags
		asJSON, quiet bool
	)
	cmd := &cobra.Command{
		Use:   "scrape [BOARD...]",
		Short: "Fetch boards and store validated snapshots",
		Long:  scrapeLong,
		Example: `  arenawatch scrape                          # the default boards
  arenawatch scrape arena-text --quiet       # for cron: silent unless a board fails
  arenawatch scrape --replay fixtures        # offline, from the recorded pages
  arenawatch scrape --record /tmp/pages      # keep what the sites sent, to replay later
  arenawatch scrape --url openlm-arena=https://mirror.example/chatbot-arena/
  arenawatch scrape --notify 'ntfy://ntfy.sh/my-arena-alerts'   # a message when an answer changes
  arenawatch scrape --notify-dry-run         # print the message a change would send`,
		RunE: func(cmd *cobra.Command, args []string) error {
			rf.quiet = quiet || asJSON
			bs, runner, runTimeout, cleanup, err := e.setupRun(cmd, &rf, args)
			defer cleanup()
			if err != nil {
				return err
			}
			al, err := e.alerts(cmd, nf)
			if err != nil {
				return err
			}
			return e.scrape(cmd.Context(), bs, runner, runTimeout, asJSON, quiet, al)
		},
	}
	f := cmd.Flags()
	addRunFlags(f, &rf)
	f.BoolVar(&asJSON, "json", false, "print a JSON summary on stdout")
	f.BoolVarP(&quiet, "quiet", "q", false, "print nothing on stderr unless a board fails")
	nf.add(f)
	return cmd
}

// notifyFlags are scrape's alert flags.
type notifyFlags struct {
	urls     []string
	dryRun   bool
	failures int
	timeout  time.Duration
}

func (nf *notifyFlags) add(f *pflag.FlagSet) {
	f.StringArrayVar(&nf.urls, "notify", nil, "send a message to this shoutrrr URL when an answer changes or a board keeps failing (repeatable; replaces 'notify:' in the config)")
	f.BoolVar(&nf.dryRun, "notify-dry-run", false, "print the message the alert step would send, and send nothing (the scrape still stores)")
	f.IntVar(&nf.failures, "notify-failures", notify.DefaultFailAfter, "alert once when a board has failed this many runs in a row (also 'notify_failures:')")
	f.DurationVar(&nf.timeout, "notify-timeout", notify.DefaultTimeout, "time limit for delivering the message to every URL (also 'notify_timeout:')")
}

// alerts reads the alert settings (flags over config): nil when no alert
// was asked. URLs and the catalog are checked here, before any fetch, so
// a bad URL is a usage error (exit 2) that costs no request.
func (e *env) alerts(cmd *cobra.Command, nf notifyFlags) (*notify.Step, error) {
	changed := cmd.Flags().Changed
	urls := e.cfg.Notify
	if changed("notify") {
		urls = nf.urls
	}
	if len(urls) == 0 && !nf.dryRun {
		return nil, nil
	}
	if !changed("notify-failures") && e.cfg.NotifyFailures > 0 {
		nf.failures = e.cfg.NotifyFailures
	}
	if !changed("notify-timeout") && e.cfg.NotifyTimeout.Duration > 0 {
		nf.timeout = e.cfg.NotifyTimeout.Duration
	}
	if nf.failures < 1 || nf.timeout <= 0 {
		return nil, &usageError{fmt.Errorf("--notify-failures %d, --notify-timeout %v: want at least 1 and a positive time", nf.failures, nf.timeout)}
	}
	targets, err := notify.ParseTargets(urls, e.getenv)
	if err != nil {
		return nil, err
	}
	cat, err := e.catalog("")
	if err != nil {
		return nil, err
	}
	return &notify.Step{Targets: targets, DryRun: nf.dryRun, Timeout: nf.timeout,
		Options: notify.Options{FailAfter: nf.failures, History: history.Options{Catalog: cat}}}, nil
}

// alert runs the alert step after the results are written and prints
// what it did. Nothing it meets changes the exit code; errors go to
// stderr, even with --quiet.
func (e *env) alert(ctx context.Context, al *notify.Step, bs arenawatch.Boards, lines []scrapeBoardJSON, at time.Time, asJSON, quiet bool) *notify.Report {
	results := make([]notify.BoardResult, len(lines))
	for i, l := range lines {
		b, _ := bs.Get(l.Board)
		results[i] = notify.BoardResult{Board: l.Board, Rule: b.Rank, Usage: b.Usage, Stored: l.Status == "stored" && l.SnapshotFetchedAt != nil}
		if results[i].Stored {
			results[i].SnapshotAt = *l.SnapshotFetchedAt
		}
		if l.Status == "failed" && l.Error != nil {
			results[i].Failures, results[i].ErrorKind, results[i].Error = l.ConsecutiveFailures, l.Error.Kind, l.Error.Message
		}
	}
	rep := al.Run(ctx, func() (*store.DB, error) { return e.openStore(true) }, at, results)
	if al.DryRun && !asJSON && rep.Message != "" {
		fmt.Fprintln(e.stdout, rep.Message)
	}
	for _, se := range rep.Errors {
		fmt.Fprintf(e.stderr, "arenawatch: notify %s: %s (the snapshots are stored)\n", cmp.Or(se.Target, "step"), se.Error)
	}
	if !quiet && !asJSON {
		fmt.Fprintln(e.stderr, rep.Summary())
	}
	return &rep
}

// fetchDefaults fills fetch settings the user did not give as flags from
// the environment and the config file.
func (e *env) fetchDefaults(cmd *cobra.Command, opt *fetch.Options, runTimeout *time.Duration) {
	c := e.cfg.Fetch
	changed := cmd.Flags().Changed
	if !changed("request-timeout") && c.RequestTimeout.Duration > 0 {
		opt.RequestTimeout = c.RequestTimeout.Duration
	}
	if !changed("timeout") && c.RunTimeout.Duration > 0 {
		*runTimeout = c.RunTimeout.Duration
	}
	if !changed("max-body-size") && c.MaxBodySize > 0 {
		opt.MaxBodySize = c.MaxBodySize
	}
	e.politeness(cmd, opt)
}

// politeness fills the settings every fetching command shares (scrape,
// sources --check, import) from the environment and the config file when
// no flag gave them: User-Agent, retries, and the pause between requests
// to one host.
func (e *env) politeness(cmd *cobra.Command, opt *fetch.Options) {
	c := e.cfg.Fetch
	changed := cmd.Flags().Changed
	if !changed("user-agent") {
		opt.UserAgent = cmp.Or(e.getenv("ARENAWATCH_USER_AGENT"), e.cfg.UserAgent, fetch.UserAgent(version))
	}
	if !changed("retries") && c.Retries != nil {
		opt.Retries = *c.Retries
	}
	if opt.Retries == 0 {
		opt.Retries = -1 // fetch.Options reads 0 as "default"
	}
	if c.HostDelay.Duration > 0 {
		opt.HostDelay = c.HostDelay.Duration
	}
}

// finishRun ends a command that handled several boards: the JSON summary
// when asked, then the exit: interrupted, some board failed, or success.
func (e *env) finishRun(ctx context.Context, asJSON bool, summary any, ok bool) error {
	if asJSON {
		if err := e.writeJSON(summary); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInterrupted, Err: ctx.Err()}
	}
	if !ok {
		return errBoardsFailed
	}
	return nil
}

// scrape runs the boards and stores their results. The database is
// locked only while results are written (see resultWriter), never across
// the network: a report or a dashboard query during a scrape answers at
// once, and two scrapes take turns on the writes (each waits up to
// --lock-timeout).
func (e *env) scrape(ctx context.Context, bs arenawatch.Boards, runner *scraper.Runner, runTimeout time.Duration, asJSON, quiet bool, al *notify.Step) error {
	// Open once before any fetch, and close at once: a bad path, a lock
	// held past --lock-timeout or a file of the wrong kind fails the run
	// before the network is touched, and a migration of an older file
	// happens here rather than under the first board's write.
	db, err := e.openStore(false)
	if err != nil {
		return err
	}
	dbPath := db.Path()
	if err := db.Close(); err != nil {
		return err
	}

	started := e.now()
	runCtx := ctx
	if runTimeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, runTimeout)
		defer cancel()
	}
	if !quiet && isTerminal(e.rawStderr) {
		fmt.Fprintf(e.stderr, "scraping %d boards from %d sites…\n", len(bs), countHosts(bs))
	}
	summary := scrapeJSON{OK: true, StartedAt: started.UTC(), Database: dbPath}
	lines := e.lines(bs.IDs())
	var interrupted []string
	locked := false
	report := func(line scrapeBoardJSON) {
		switch {
		case line.Status == "interrupted":
			// One line for all of them below, not a FAILED line each.
			summary.OK = false
			interrupted = append(interrupted, line.Board)
		case line.Status == "failed":
			summary.OK = false
			locked = locked || line.Error.Kind == arenawatch.KindLocked.Slug()
			lines.scrape(line)
		case !quiet:
			lines.scrape(line)
		}
		summary.Boards = append(summary.Boards, line)
	}
	w := &resultWriter{e: e, ctx: ctx, report: report, warm: e.answerWarmer()}
	// Run calls this for one board at a time, so the writes never race.
	runner.Run(runCtx, bs, w.add)
	w.flush()
	if len(interrupted) > 0 {
		lines.status("", "interrupted", "not finished: "+listModels(interrupted, 8))
	}
	if al != nil {
		summary.Notify = e.alert(ctx, al, bs, summary.Boards, started, asJSON, quiet)
	}
	summary.ElapsedMS = e.now().Sub(started).Milliseconds()
	err = e.finishRun(ctx, asJSON, summary, summary.OK)
	if locked && errors.Is(err, errBoardsFailed) {
		// A result that could not be written for the lock exits as the
		// exit table says for a held database; the board lines have said
		// which, so errBoardsFailed stays in the chain to print nothing more.
		return &arenawatch.Error{Kind: arenawatch.KindLocked, Err: err}
	}
	return err
}

// flushBytes is how many bytes of fetched pages a scrape keeps before
// writing them: one write for a whole run of a handful of boards (an
// unchanged re-scrape of the 19 default boards writes ~20 KB, where a
// write per board wrote ~380 KB), a few for a run of many large pages,
// so memory stays bounded.
const flushBytes = 32 << 20

// resultWriter collects board results and writes them in one transaction
// per flush, each time opening the database for that write only; a
// database it cannot open (held by another arenawatch past --lock-timeout)
// fails the boards of that flush alone.
type resultWriter struct {
	e       *env
	ctx     context.Context
	report  func(scrapeBoardJSON)
	pending []scraper.Result
	bytes   int
	// warm answers what is stored, for the next history.
	warm *answerWarmer
}

// add keeps a result, writing what is kept once it holds flushBytes.
func (w *resultWriter) add(res scraper.Result) {
	w.pending = append(w.pending, res)
	for _, b := range res.Raw {
		w.bytes += len(b)
	}
	if w.bytes >= flushBytes {
		w.flush()
	}
}

// flush writes the kept results and reports a line for each.
func (w *resultWriter) flush() {
	if len(w.pending) == 0 {
		return
	}
	lines := w.write(w.pending)
	for _, l := range lines {
		w.report(l)
	}
	w.pending, w.bytes = nil, 0
}

// write stores results in one transaction (each as Save or RecordFailure
// would); should the batch be refused, each result is written alone, so
// that one bad result fails alone.
func (w *resultWriter) write(results []scraper.Result) []scrapeBoardJSON {
	lines := make([]scrapeBoardJSON, len(results))
	for i, res := range results {
		lines[i] = resultLine(res)
	}
	db, err := w.e.openStore(false)
	if err != nil {
		for i, res := range results {
			why := err
			if res.Err != nil {
				// The fetch failure says more than the lock that kept it
				// out of the history.
				why = res.Err
			}
			lines[i] = failedLine(lines[i], arenawatch.WithBoard(why, res.Board.ID, res.Board.SourceURL()))
		}
		return lines
	}
	defer db.Close()
	items := make([]store.SaveItem, len(results))
	for i, res := range results {
		items[i] = w.item(res)
	}
	saved, err := db.SaveBatch(w.ctx, items)
	if err != nil {
		for i, res := range results {
			lines[i] = w.writeOne(db, res, lines[i])
		}
		return lines
	}
	for i, res := range results {
		lines[i] = w.describe(db, res, lines[i], saved[i])
		if saved[i].Outcome == store.OutcomeStored {
			w.warm.add(res.Snapshot)
		}
	}
	w.warm.flush()
	return lines
}

// resultLine describes a result before it is written.
func resultLine(res scraper.Result) scrapeBoardJSON {
	line := scrapeBoardJSON{Board: res.Board.ID, URL: res.Board.SourceURL(), ElapsedMS: res.Elapsed.Milliseconds()}
	if snap := res.Snapshot; res.Err == nil {
		if res.MovedFrom != "" {
			line.MovedFrom, line.URL = res.MovedFrom, snap.URL
		}
		line.Rows = len(snap.Rows)
		line.FetchedAt = timePtr(snap.FetchedAt)
		if !snap.AsOf.IsZero() {
			line.AsOf = timePtr(snap.AsOf)
		}
	}
	return line
}

// item is what a result writes: its snapshot, or its failed run.
func (w *resultWriter) item(res scraper.Result) store.SaveItem {
	if res.Err == nil {
		return store.SaveItem{Snapshot: res.Snapshot, Raw: res.Raw}
	}
	return store.SaveItem{Failure: w.failure(res.Board.ID, arenawatch.WithBoard(res.Err, res.Board.ID, res.Board.SourceURL()))}
}

// failure is the failed run that err records.
func (w *resultWriter) failure(board string, err error) *store.Run {
	var url string
	var ae *arenawatch.Error
	if errors.As(err, &ae) {
		url = ae.URL
	}
	return &store.Run{Board: board, At: w.e.now().UTC(), Kind: arenawatch.KindOf(err).Slug(), URL: url, Message: err.Error()}
}

// describe completes a result's line once it is written.
func (w *resultWriter) describe(db *store.DB, res scraper.Result, line scrapeBoardJSON, saved store.SaveResult) scrapeBoardJSON {
	if res.Err == nil {
		line.Status = string(saved.Outcome)
		line.SnapshotFetchedAt = timePtr(saved.Snapshot.FetchedAt)
		return line
	}
	line = failedLine(line, arenawatch.WithBoard(res.Err, res.Board.ID, res.Board.SourceURL()))
	if n, err := db.ConsecutiveFailures(res.Board.ID); err == nil {
		line.ConsecutiveFailures = n
	}
	return line
}

// writeOne writes one result alone: a snapshot that cannot be saved
// (interrupted, refused) is recorded as a failure, the failure even when
// the run was interrupted, so that the history shows the attempt.
func (w *resultWriter) writeOne(db *store.DB, res scraper.Result, line scrapeBoardJSON) scrapeBoardJSON {
	err := res.Err
	if err == nil {
		saved, serr := db.Save(w.ctx, res.Snapshot, res.Raw)
		if serr == nil {
			return w.describe(db, res, line, saved)
		}
		err = serr
	}
	err = arenawatch.WithBoard(err, res.Board.ID, res.Board.SourceURL())
	line = failedLine(line, err)
	f := w.failure(res.Board.ID, err)
	if rerr := db.RecordFailure(context.WithoutCancel(w.ctx), f.Board, f.At, arenawatch.KindOf(err), f.URL, f.Message); rerr == nil {
		if n, cerr := db.ConsecutiveFailures(res.Board.ID); cerr == nil {
			line.ConsecutiveFailures = n
		}
	}
	return line
}

// failedLine marks line failed (or interrupted) with err.
func failedLine(line scrapeBoardJSON, err error) scrapeBoardJSON {
	line.Status = "failed"
	kind := arenawatch.KindOf(err)
	if kind == arenawatch.KindInterrupted {
		line.Status = "interrupted"
	}
	line.Error = &errorJSON{Kind: kind.Slug(), Message: err.Error(), Hint: arenawatch.HintOf(err)}
	return line
}

// scrape prints one board's scrape result.
func (l boardLines) scrape(r scrapeBoardJSON) {
	if r.Status == "failed" {
		l.failure(r.Board, r.Error)
		if r.ConsecutiveFailures > 1 {
			l.more(fmt.Sprintf("failed %d times in a row", r.ConsecutiveFailures))
		}
		return
	}
	asOf := ""
	if r.AsOf != nil {
		asOf = ", as of " + r.AsOf.Format("2006-01-02")
	}
	l.status(r.Board, r.Status, fmt.Sprintf("%d rows%s (%.1fs)", r.Rows, asOf, float64(r.ElapsedMS)/1000))
	if r.MovedFrom != "" {
		l.more(fmt.Sprintf("moved: %s answered not found; read at %s (set that with --url to skip the 404)",
			sanitize.Text(r.MovedFrom, maxMessage), sanitize.Text(r.URL, maxMessage)))
	}
}

func timePtr(t time.Time) *time.Time {
	u := t.UTC()
	return &u
}

func countHosts(bs arenawatch.Boards) int {
	hosts := map[string]bool{}
	for _, b := range bs {
		if u, err := url.Parse(b.URL()); err == nil {
			hosts[u.Host] = true
		}
	}
	return len(hosts)
}
