package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/sanitize"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

const importLong = `Backfill history from a published dataset, so that 'report --at' and
'rank --at' answer for dates before the first scrape.

SOURCE names the dataset. The one known today is

  hf-leaderboard   LMArena's leaderboard dataset on Hugging Face,
                   lmarena-ai/leaderboard-dataset (CC BY 4.0), whose "full"
                   split holds every publish date since 2023-05-08.

For each BOARD (every hf-* board when none is named) import reads the
parquet file of the board's full split and writes one snapshot per publish
date of the board's category. Each snapshot is marked "imported"; its fetch
time and its as-of date are both the publish date (00:00 UTC). Each date is
read and validated like a scrape: a date that fails (a model listed twice, a
rank that is not whole, too few rows) is reported and skipped, and the other
dates are still imported. Running the same import again stores nothing: a
date whose content is already stored is "unchanged".

The file is fetched like a page (User-Agent, robots.txt, retries, one
request at a time), with a size cap and time limit fit for a large file
(--max-body-size, --request-timeout). --from FILE reads a copy you
downloaded; --url URL fetches a mirror. Both need exactly one BOARD, since a
file holds one config of the dataset. The file is kept once among the raw
bodies (as it is: parquet is compressed already), so the database grows by
about its size.

The file is read as a stream: each date is written as soon as its last row
has been read, 256 dates to a transaction, so memory holds the file and a
date or two, not every date's snapshot. At a terminal a progress bar counts
the dates.

The database is locked while the file is read and written, not during the
download. The exit code is 1 when a board or a date failed.`

// importDateJSON is one publish date in the 'import --json' summary.
type importDateJSON struct {
	Date   string     `json:"date"`
	Status string     `json:"status"` // stored, unchanged, failed
	Rows   int        `json:"rows"`
	Error  *errorJSON `json:"error,omitempty"`
}

// importBoardJSON is one board in the 'import --json' summary.
type importBoardJSON struct {
	Board     string           `json:"board"`
	Status    string           `json:"status"` // ok, failed (the file could not be read)
	URL       string           `json:"url"`
	SHA256    string           `json:"sha256,omitempty"`
	Size      int              `json:"size,omitempty"`
	Dates     int              `json:"dates"`
	First     string           `json:"first,omitempty"`
	Last      string           `json:"last,omitempty"`
	Rows      int              `json:"rows"` // rows of the board's category in the file
	Stored    int              `json:"stored"`
	Unchanged int              `json:"unchanged"`
	Failed    int              `json:"failed"`
	ElapsedMS int64            `json:"elapsed_ms"`
	Error     *errorJSON       `json:"error,omitempty"`
	Results   []importDateJSON `json:"results"`
}

type importJSON struct {
	OK        bool              `json:"ok"`
	Source    string            `json:"source"`
	Database  string            `json:"database"`
	StartedAt time.Time         `json:"started_at"`
	ElapsedMS int64             `json:"elapsed_ms"`
	Boards    []importBoardJSON `json:"boards"`
}

// importFlags are the settings of one import run.
type importFlags struct {
	from, url      string
	asJSON, quiet  bool
	runTimeout     time.Duration
	requestTimeout time.Duration
	retries        int
	userAgent      string
	maxBody        int64
	minRows        int
}

const importSource = "hf-leaderboard"

func (e *env) importCommand() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import SOURCE [BOARD...]",
		Short: "Backfill history: LMArena's dataset, a community CSV archive (import csv), an export (import export)",
		Long:  importLong,
		Example: `  arenawatch import hf-leaderboard                    # every hf-* board, whole history
  arenawatch import hf-leaderboard hf-text-raw --json
  arenawatch import hf-leaderboard hf-text-raw --from ~/Downloads/full-00000-of-00001.parquet
  arenawatch report hf-text-raw --at 2024-12          # as it stood at the end of December 2024`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &usageError{fmt.Errorf("name the source: arenawatch import %s [BOARD...]", importSource)}
			}
			if args[0] != importSource {
				return &usageError{fmt.Errorf("unknown source %q (known: %s; and 'import csv FILE --board BOARD', 'import export FILE|DIR')", args[0], importSource)}
			}
			bs, err := e.importBoards(args[1:])
			if err != nil {
				return err
			}
			if f.from != "" && f.url != "" {
				return &usageError{errors.New("--from and --url exclude each other")}
			}
			if (f.from != "" || f.url != "") && len(bs) != 1 {
				return &usageError{fmt.Errorf("--from and --url read one config of the dataset: name exactly one board (one of %s)",
					strings.Join(bs.IDs(), ", "))}
			}
			if f.minRows < 0 {
				return &usageError{errors.New("--min-rows must not be negative")}
			}
			return e.runImport(cmd, bs, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "read the split from this parquet file instead of downloading it")
	fl.StringVar(&f.url, "url", "", "download the split from this URL (a mirror) instead of Hugging Face")
	fl.BoolVar(&f.asJSON, "json", false, "print a JSON summary on stdout")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stderr unless a board or a date fails (for cron)")
	fl.DurationVar(&f.runTimeout, "timeout", 30*time.Minute, "time limit for the whole import")
	fl.DurationVar(&f.requestTimeout, "request-timeout", 10*time.Minute, "time limit for one download")
	fl.IntVar(&f.retries, "retries", 3, "retries after a transient failure (429, 5xx, timeouts)")
	fl.StringVar(&f.userAgent, "user-agent", "", "User-Agent header (default "+fetch.UserAgent(version)+"; env ARENAWATCH_USER_AGENT)")
	fl.Int64Var(&f.maxBody, "max-body-size", 1<<30, "largest file accepted, in bytes")
	fl.IntVar(&f.minRows, "min-rows", 0, "fewest rows a date may have (default: the board's minimum; early dates of a board may list fewer models)")
	cmd.AddCommand(e.importCSVCommand(), e.importExportCommand())
	return cmd
}

// importBoards returns the boards an hf-leaderboard import can fill: the
// named ones, or all.
func (e *env) importBoards(ids []string) (arenawatch.Boards, error) {
	all, err := e.boards(nil)
	if err != nil {
		return nil, err
	}
	var hf arenawatch.Boards
	for _, b := range all {
		if b.Extractor == "hf-leaderboard" {
			hf = append(hf, b)
		}
	}
	sel, err := hf.Select(ids)
	if err != nil {
		return nil, &usageError{err}
	}
	return sel, nil
}

// importFetchOptions merges the fetch settings: flags, then environment,
// then the config file. The scrape's size cap and time limits are not
// taken from the config: the full split is much larger than a page.
func (e *env) importFetchOptions(cmd *cobra.Command, f importFlags) fetch.Options {
	opt := fetch.Options{UserAgent: f.userAgent, RequestTimeout: f.requestTimeout, Retries: f.retries, MaxBodySize: f.maxBody}
	e.politeness(cmd, &opt)
	return opt
}

func (e *env) runImport(cmd *cobra.Command, bs arenawatch.Boards, f importFlags) error {
	ctx := cmd.Context()
	runCtx := ctx
	if f.runTimeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, f.runTimeout)
		defer cancel()
	}
	dbPath, err := e.dbPath()
	if err != nil {
		return err
	}
	if f.from != "" {
		if _, err := os.Stat(f.from); err != nil {
			return &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: f.from, Err: fmt.Errorf("--from: %w", err)}
		}
	}
	started := e.now()
	fetcher := fetch.New(e.importFetchOptions(cmd, f))
	summary := importJSON{OK: true, Source: importSource, Database: dbPath, StartedAt: started.UTC()}
	lines := e.lines(bs.IDs())
	for _, b := range bs {
		if f.minRows > 0 {
			b.Limits.MinRows = f.minRows
		}
		line, err := e.importBoard(runCtx, b, f, fetcher)
		if err != nil {
			// The database could not be opened or written: stop here.
			return err
		}
		if line.Status != "ok" || line.Failed > 0 {
			summary.OK = false
		}
		if !f.asJSON && (!f.quiet || line.Status != "ok" || line.Failed > 0) {
			lines.importLine(line)
		}
		summary.Boards = append(summary.Boards, line)
		if ctx.Err() != nil {
			break
		}
	}
	summary.ElapsedMS = e.now().Sub(started).Milliseconds()
	return e.finishRun(ctx, f.asJSON, summary, summary.OK)
}

// importBoard reads one board's split and stores its dates. It returns an
// error only when the database fails; a file that cannot be read is a
// failed line.
func (e *env) importBoard(ctx context.Context, b arenawatch.Board, f importFlags, fetcher *fetch.Fetcher) (importBoardJSON, error) {
	start := time.Now()
	line := importBoardJSON{Board: b.ID, Status: "ok", Results: []importDateJSON{}}
	fail := func(err error) (importBoardJSON, error) {
		line.Status = "failed"
		line.Error = errorOf(err)
		line.ElapsedMS = time.Since(start).Milliseconds()
		return line, nil
	}
	body, doc, err := e.readSplit(ctx, b, f, fetcher)
	line.URL = doc.URL
	if err != nil {
		return fail(arenawatch.WithBoard(err, b.ID, doc.URL))
	}
	sum := sha256.Sum256(body)
	line.SHA256 = hex.EncodeToString(sum[:])
	line.Size = len(body)
	db, err := e.openStore(false)
	if err != nil {
		return line, err
	}
	defer db.Close()
	w := &importWriter{ctx: ctx, db: db, line: &line, body: body, warm: e.answerWarmer(),
		bar: e.progressBar(-1, "importing "+b.ID, "dates", f.quiet || f.asJSON)}
	err = source.ImportHFDatasetStream(b, body, doc, w.add)
	if err == nil {
		err = w.flush()
	}
	w.bar.done()
	line.ElapsedMS = time.Since(start).Milliseconds()
	switch {
	case w.storeErr != nil && arenawatch.IsKind(w.storeErr, arenawatch.KindInterrupted):
		return line, nil // the dates written so far stay; the run says interrupted
	case w.storeErr != nil:
		return line, w.storeErr
	case err != nil:
		return fail(err) // the file cannot be read: nothing was written
	}
	return line, nil
}

// importBatch is how many dates an import writes per transaction: a sync
// per batch, not per date, and a bounded batch of snapshots in memory.
const importBatch = 256

// importWriter writes an import's dates as the reader hands them over, in
// batches, and keeps the board's line up to date, its results in the
// order the dates came.
type importWriter struct {
	ctx      context.Context
	db       *store.DB
	line     *importBoardJSON
	body     []byte
	batch    []source.DatedSnapshot
	at       []int // the batch's places in line.Results
	sent     bool  // the file's body has been given to the store once
	storeErr error // why a batch could not be written
	bar      *progress
	// warm answers what is stored, for the first history after the import.
	warm *answerWarmer
}

// add takes one date: a failed one is only reported, a good one waits for
// its batch.
func (w *importWriter) add(ds source.DatedSnapshot) error {
	l := w.line
	l.Dates++
	l.Rows += ds.Rows
	day := ds.Date.Format(time.DateOnly)
	if l.First == "" || day < l.First {
		l.First = day
	}
	if day > l.Last {
		l.Last = day
	}
	w.bar.add(1)
	res := importDateJSON{Date: day, Rows: ds.Rows}
	if ds.Err != nil {
		l.Failed++
		res.Status = "failed"
		res.Error = &errorJSON{Kind: arenawatch.KindOf(ds.Err).Slug(), Message: reason(ds.Err), Hint: arenawatch.HintOf(ds.Err)}
		l.Results = append(l.Results, res)
		return nil
	}
	w.batch = append(w.batch, ds)
	w.at = append(w.at, len(l.Results))
	l.Results = append(l.Results, res)
	if len(w.batch) >= importBatch {
		return w.flush()
	}
	return nil
}

// flush writes the batch in one transaction, each date stored or found
// unchanged.
func (w *importWriter) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	items := make([]store.SaveItem, len(w.batch))
	for i, ds := range w.batch {
		items[i] = store.SaveItem{Snapshot: ds.Snapshot}
		if !w.sent {
			items[i].Raw = map[string][]byte{ds.Snapshot.SHA256: w.body}
		}
	}
	saved, err := w.db.SaveBatch(w.ctx, items)
	if err != nil {
		// The batch's dates were not written: leave them out of the line.
		w.storeErr = err
		w.drop()
		return err
	}
	w.sent = true
	for i := range w.batch {
		w.line.Results[w.at[i]].Status = string(saved[i].Outcome)
		if saved[i].Outcome == store.OutcomeStored {
			w.line.Stored++
			w.warm.add(w.batch[i].Snapshot)
		} else {
			w.line.Unchanged++
		}
	}
	w.batch, w.at = w.batch[:0], w.at[:0]
	w.warm.flush()
	return nil
}

// drop removes the results of the batch that was not written.
func (w *importWriter) drop() {
	keep := w.line.Results[:0]
	for _, r := range w.line.Results {
		if r.Status != "" {
			keep = append(keep, r)
		}
	}
	w.line.Results = keep
	w.batch, w.at = nil, nil
}

// readSplit returns the split's file and the document that describes it:
// read from --from, or fetched from --url or the board's full-split URL.
func (e *env) readSplit(ctx context.Context, b arenawatch.Board, f importFlags, fetcher *fetch.Fetcher) ([]byte, arenawatch.Document, error) {
	doc := arenawatch.Document{Name: "full"}
	if f.from != "" {
		abs, err := filepath.Abs(f.from)
		if err != nil {
			abs = f.from
		}
		doc.URL = "file://" + filepath.ToSlash(abs)
		body, err := os.ReadFile(f.from)
		if err != nil {
			return nil, doc, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: f.from, Err: err}
		}
		return body, doc, nil
	}
	u := f.url
	if u == "" {
		u = source.HFFullSplitURL(b)
	}
	doc.Method, doc.URL = "GET", u
	if isTerminal(e.rawStderr) && !f.asJSON {
		fmt.Fprintf(e.stderr, "%s: downloading %s…\n", b.ID, u)
	}
	resp, err := fetcher.Fetch(ctx, arenawatch.Request{Name: "full", Method: "GET", URL: u})
	if err != nil {
		return nil, doc, err
	}
	// The document keeps the URL asked for: Hugging Face redirects to a
	// signed, expiring CDN address that is no use to anyone later.
	doc.Status = resp.Status
	return resp.Body, doc, nil
}

// reason is an error's message without the board and URL that the
// summary line already shows.
func reason(err error) string {
	var ae *arenawatch.Error
	if errors.As(err, &ae) && ae.Err != nil {
		return ae.Err.Error()
	}
	return err.Error()
}

// importLine prints one board's import for people.
func (l boardLines) importLine(r importBoardJSON) {
	if r.Status != "ok" {
		l.failure(r.Board, r.Error)
		return
	}
	sha := r.SHA256
	if len(sha) > 12 {
		sha = sha[:12]
	}
	l.status(r.Board, "imported", fmt.Sprintf("%d publish dates, %s … %s, %d rows, from %s (%d bytes, sha256 %s…)",
		r.Dates, r.First, r.Last, r.Rows, sanitize.Text(r.URL, maxMessage), r.Size, sha))
	l.more(fmt.Sprintf("%d stored, %d unchanged, %d failed (%.1fs)", r.Stored, r.Unchanged, r.Failed, float64(r.ElapsedMS)/1000))
	for _, d := range r.Results {
		if d.Status == "failed" {
			l.more("failed " + sanitize.Text(d.Error.Message, maxMessage))
		}
	}
}
