// Package scraper is the runner: for each board it fetches the requests
// (package fetch), extracts the rows (package source) and validates and
// seals the snapshot. It stores nothing.
package scraper

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/source"
)

// Result is the outcome of scraping one board: a validated snapshot with
// the raw bytes it was read from, or an error that names the board, the
// URL and the reason. A failed board has no snapshot.
type Result struct {
	Board    arenawatch.Board
	Snapshot *arenawatch.Snapshot
	Raw      map[string][]byte // sha256 hex → body, for every document
	Err      error
	Elapsed  time.Duration
	// MovedFrom is the board's own main URL when it answered not found
	// and the snapshot was read at one of its alternates (Snapshot.URL).
	MovedFrom string
}

// Recorder saves a response; the path it returns is informational.
type Recorder interface {
	Save(*fetch.Response) (string, error)
}

// Runner scrapes boards: fetch → extract → validate. It stores nothing;
// the caller decides what to do with each Result.
type Runner struct {
	Fetcher *fetch.Fetcher
	Now     func() time.Time // clock for FetchedAt; time.Now when nil
	// Origin is recorded in every snapshot; arenawatch.OriginScraped when
	// empty.
	Origin string
	// Recorder, when set, saves every response (replay.Recorder keeps
	// them in the replay layout).
	Recorder Recorder
	// Allow, when set, vets every request before it is sent (replay runs
	// use it to stay off the internet).
	Allow func(arenawatch.Request) error
	// Rewrite, when set, maps a URL the board defines to the URL to fetch
	// (a replay run sends an alternate URL to its loopback server too).
	Rewrite func(string) string
	// MissingHint, when set, is the hint of a replayed request that was
	// not found (replay.MissingHint names the file to add).
	MissingHint func(arenawatch.Request) string

	mu    sync.Mutex
	cache map[string]*fetch.Response // per run: one fetch per method+URL+body
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Run scrapes the boards and calls report once per board as soon as it is
// done. Boards whose main URLs share a host run one after another (one
// polite client per site); different hosts run concurrently. report may be
// called from several goroutines, never at once (Run serialises the
// calls). Run returns when every board is reported.
func (r *Runner) Run(ctx context.Context, boards arenawatch.Boards, report func(Result)) {
	groups := map[string][]arenawatch.Board{}
	var order []string
	for _, b := range boards {
		host := ""
		if u, err := url.Parse(b.URL()); err == nil {
			host = u.Host
		}
		if _, ok := groups[host]; !ok {
			order = append(order, host)
		}
		groups[host] = append(groups[host], b)
	}
	var wg sync.WaitGroup
	var reportMu sync.Mutex
	for _, host := range order {
		wg.Add(1)
		go func(bs []arenawatch.Board) {
			defer wg.Done()
			for _, b := range bs {
				res := r.Board(ctx, b)
				reportMu.Lock()
				report(res)
				reportMu.Unlock()
			}
		}(groups[host])
	}
	wg.Wait()
}

// Board scrapes one board.
func (r *Runner) Board(ctx context.Context, b arenawatch.Board) Result {
	start := time.Now()
	res := Result{Board: b}
	snap, raw, err := r.board(ctx, b)
	res.Elapsed = time.Since(start)
	if err != nil {
		res.Err = arenawatch.WithBoard(err, b.ID, b.URL())
		return res
	}
	res.Snapshot, res.Raw = snap, raw
	if reqs, err := b.ResolvedRequests(); err == nil {
		if own := cmp.Or(reqs[0].Canonical, reqs[0].URL); snap.URL != own {
			res.MovedFrom = own
		}
	}
	return res
}

// board reads one board: check it, fetch its documents round by round
// (boardReader.fetchAll), then extract and seal the snapshot
// (boardReader.snapshot).
func (r *Runner) board(ctx context.Context, b arenawatch.Board) (*arenawatch.Snapshot, map[string][]byte, error) {
	if err := source.CheckBoard(b); err != nil {
		return nil, nil, err
	}
	spec, _ := source.Lookup(b.Extractor) // CheckBoard knows every kind
	reqs, err := b.ResolvedRequests()
	if err != nil {
		return nil, nil, err
	}
	rd := &boardReader{r: r, b: b, spec: spec,
		// A replayed board records the URLs it stands for, not the loopback
		// server's, which change with every run.
		mainURL: cmp.Or(reqs[0].Canonical, reqs[0].URL),
		docs:    map[string][]byte{},
		raw:     map[string][]byte{},
	}
	fetchedAt := r.now().UTC()
	if err := rd.fetchAll(ctx, reqs); err != nil {
		return nil, nil, err
	}
	snap, err := rd.snapshot(fetchedAt)
	if err != nil {
		return nil, nil, err
	}
	return snap, rd.raw, nil
}

// boardReader holds what the steps of reading one board share: the
// documents fetched so far and the URL the snapshot will name.
type boardReader struct {
	r    *Runner
	b    arenawatch.Board
	spec source.Extractor
	// mainURL is the URL the snapshot records: the first request's, or the
	// alternate it was read at when the site moved it.
	mainURL    string
	docs       map[string][]byte // request name → body, for the extractor
	raw        map[string][]byte // sha256 hex → body
	documents  []arenawatch.Document
	movedNotes []string
}

// fetchAll fetches reqs, then the further requests the extractor's Next
// names after each round, until it names none (or maxDocuments is passed).
func (rd *boardReader) fetchAll(ctx context.Context, reqs []arenawatch.Request) error {
	for round := 0; len(reqs) > 0; round++ {
		if len(rd.documents)+len(reqs) > maxDocuments {
			return arenawatch.Errorf(arenawatch.KindDrift, "the source asks for more than %d requests; stopped", maxDocuments)
		}
		for _, req := range reqs {
			if err := rd.fetchOne(ctx, req, round); err != nil {
				return err
			}
		}
		var err error
		if reqs, err = rd.next(); err != nil {
			return err
		}
	}
	return nil
}

// fetchOne fetches one request (at an alternate URL when its own answered
// not found), checks the body and records it as a document.
func (rd *boardReader) fetchOne(ctx context.Context, req arenawatch.Request, round int) error {
	if err := interrupted(ctx, req); err != nil {
		return err
	}
	if _, dup := rd.docs[req.Name]; dup {
		return &arenawatch.Error{Kind: arenawatch.KindInternal, URL: req.URL, Err: fmt.Errorf("request name %q used twice", req.Name)}
	}
	resp, err := rd.r.fetch(ctx, req)
	if err != nil && len(req.Alternates) > 0 && arenawatch.KindOf(err) == arenawatch.KindNotFound {
		var note string
		resp, req, note, err = rd.r.fetchMoved(ctx, req, err)
		if err == nil {
			rd.movedNotes = append(rd.movedNotes, note)
			if round == 0 && len(rd.documents) == 0 {
				rd.mainURL = cmp.Or(req.Canonical, req.URL)
			}
		}
	}
	if err != nil {
		return err
	}
	if err := checkDocument(resp); err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindOf(err), URL: req.URL, Err: err}
	}
	sum := sha256.Sum256(resp.Body)
	sha := hex.EncodeToString(sum[:])
	rd.docs[req.Name] = resp.Body
	rd.raw[sha] = resp.Body
	rd.documents = append(rd.documents, arenawatch.Document{
		Name: req.Name, Method: req.Method, URL: cmp.Or(req.Canonical, resp.URL), Status: resp.Status, SHA256: sha, Size: len(resp.Body),
	})
	return nil
}

// interrupted is the error for a request not sent because ctx is done, or
// nil when it is not.
func interrupted(ctx context.Context, req arenawatch.Request) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// The run's own time limit (--timeout) is not the user's
		// Ctrl-C: it is a failure of this run, worth a line.
		return &arenawatch.Error{Kind: arenawatch.KindTransient, URL: cmp.Or(req.Canonical, req.URL),
			Err: fmt.Errorf("the run's time limit ran out before this board was read: %w", err), Hint: "raise --timeout (or fetch.run_timeout)"}
	}
	return &arenawatch.Error{Kind: arenawatch.KindInterrupted, URL: req.URL, Err: err}
}

// next asks the extractor's Next, if it has one, for the requests of the
// following round; none ends the fetching.
func (rd *boardReader) next() ([]arenawatch.Request, error) {
	if rd.spec.Next == nil {
		return nil, nil
	}
	more, err := rd.spec.Next(rd.b, rd.docs)
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindOf(err), URL: rd.b.URL(), Err: err}
	}
	return resolveMore(rd.b, more)
}

// snapshot runs the extractor over the fetched documents and seals the
// snapshot against the board's limits.
func (rd *boardReader) snapshot(fetchedAt time.Time) (*arenawatch.Snapshot, error) {
	ex, err := rd.spec.Run(rd.b, rd.docs)
	if err != nil {
		hint := "nothing was stored; earlier snapshots are kept."
		if arenawatch.KindOf(err) == arenawatch.KindDrift {
			// Only a page of another shape calls for a code change; a
			// damaged download or a damaged file does not.
			hint += " The site may have changed its layout: the extractor needs an update."
		}
		return nil, &arenawatch.Error{Kind: arenawatch.KindOf(err), URL: rd.mainURL, Err: err, Hint: hint}
	}
	snap := &arenawatch.Snapshot{
		Board:         rd.b.ID,
		FetchedAt:     fetchedAt,
		AsOf:          ex.AsOf,
		Origin:        cmp.Or(rd.r.Origin, arenawatch.OriginScraped),
		URL:           rd.mainURL,
		Status:        rd.documents[0].Status,
		SHA256:        rd.documents[0].SHA256,
		Documents:     rd.documents,
		ParserVersion: rd.spec.Version,
		Totals:        ex.Totals,
		Notes:         append(rd.movedNotes, ex.Notes...),
		Rows:          ex.Rows,
	}
	if err := arenawatch.Seal(snap, rd.b.Limits); err != nil {
		return nil, err
	}
	return snap, nil
}

// fetchMoved tries a request's alternate URLs, in order, after its URL
// answered not found (first). It returns the response, the request that
// got it and a note for the snapshot, or an error naming every URL tried.
func (r *Runner) fetchMoved(ctx context.Context, req arenawatch.Request, first error) (*fetch.Response, arenawatch.Request, string, error) {
	tried := []string{cmp.Or(req.Canonical, req.URL)}
	for _, alt := range req.Alternates {
		next := req
		next.Alternates, next.Canonical, next.URL = nil, "", alt
		if r.Rewrite != nil {
			if u := r.Rewrite(alt); u != alt {
				next.URL, next.Canonical = u, alt
			}
		}
		resp, err := r.fetch(ctx, next)
		if err == nil {
			return resp, next, fmt.Sprintf("%s answered not found; read the same board at %s (the site moved it)", strings.Join(tried, ", "), alt), nil
		}
		if arenawatch.KindOf(err) != arenawatch.KindNotFound {
			return nil, next, "", err
		}
		tried = append(tried, alt)
	}
	e := &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: tried[0],
		Err:  fmt.Errorf("not found at any of its URLs (%s): %w", strings.Join(tried, ", "), first),
		Hint: "the site has moved this board again: find its new address and set it with --url BOARD=URL or urls: in the config"}
	return nil, req, "", e
}

// maxDocuments bounds the requests of one board in one run, so that a
// paging loop on a broken API cannot run forever.
const maxDocuments = 500

// resolveMore resolves requests named by an extractor's next function
// against the board's (possibly replayed) main URL, as ResolvedRequests
// does for the board's own requests.
func resolveMore(b arenawatch.Board, more []arenawatch.Request) ([]arenawatch.Request, error) {
	if len(more) == 0 {
		return nil, nil
	}
	tmp := b
	tmp.Requests = append([]arenawatch.Request{b.Requests[0]}, more...)
	all, err := tmp.ResolvedRequests()
	if err != nil {
		return nil, err
	}
	return all[1:], nil
}

func (r *Runner) fetch(ctx context.Context, req arenawatch.Request) (*fetch.Response, error) {
	key := req.Method + " " + req.URL + "\x00" + req.Body
	r.mu.Lock()
	if resp, ok := r.cache[key]; ok {
		r.mu.Unlock()
		return resp, nil
	}
	r.mu.Unlock()
	if r.Allow != nil {
		if err := r.Allow(req); err != nil {
			return nil, err
		}
	}
	resp, err := r.Fetcher.Fetch(ctx, req)
	if err != nil {
		return nil, replayedError(req, err, r.MissingHint)
	}
	if r.Recorder != nil {
		if _, err := r.Recorder.Save(resp); err != nil {
			return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: req.URL, Err: err}
		}
	}
	r.mu.Lock()
	if r.cache == nil {
		r.cache = map[string]*fetch.Response{}
	}
	r.cache[key] = resp
	r.mu.Unlock()
	return resp, nil
}

// replayedError names the board's own URL in the error of a request sent
// to a replay server, so that a missing fixture reads as the page it stands
// for, not as a loopback address.
func replayedError(req arenawatch.Request, err error, hint func(arenawatch.Request) string) error {
	var e *arenawatch.Error
	if req.Canonical == "" || !errors.As(err, &e) {
		return err
	}
	c := *e
	c.URL = req.Canonical + " (replayed from " + req.URL + ")"
	if c.Kind == arenawatch.KindNotFound && hint != nil {
		c.Hint = hint(req)
	}
	return &c
}

// checkDocument rejects bodies that must not reach an extractor: empty,
// not UTF-8 (goquery reads UTF-8 only and would garble the rest), or an
// HTML page cut before its end (a short read the transport did not notice).
func checkDocument(resp *fetch.Response) error {
	body := resp.Body
	if len(bytes.TrimSpace(body)) == 0 {
		return arenawatch.Errorf(arenawatch.KindDrift, "HTTP %d with an empty body", resp.Status)
	}
	if !utf8.Valid(body) {
		ct := ""
		if resp.Header != nil {
			ct = resp.Header.Get("Content-Type")
		}
		return arenawatch.Errorf(arenawatch.KindDrift, "the response is not valid UTF-8 (Content-Type %q)", ct)
	}
	if looksHTML(resp) && !bytes.Contains(body, []byte("</html>")) && !bytes.Contains(body, []byte("</HTML>")) {
		return arenawatch.Errorf(arenawatch.KindTransient, "the HTML page ends before </html> (%d bytes): truncated in transit", len(body))
	}
	return nil
}

func looksHTML(resp *fetch.Response) bool {
	head := bytes.ToLower(bytes.TrimSpace(resp.Body[:min(len(resp.Body), 512)]))
	if len(head) > 0 && (head[0] == '{' || head[0] == '[') {
		return false // JSON, whatever the Content-Type says (servers label it text/html)
	}
	if resp.Header != nil && strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "html") {
		return true
	}
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// String describes a result in one line, for logs.
func (res Result) String() string {
	if res.Err != nil {
		return fmt.Sprintf("%s: failed: %v", res.Board.ID, res.Err)
	}
	return fmt.Sprintf("%s: %d rows", res.Board.ID, len(res.Snapshot.Rows))
}
