// Package fetch is arenawatch's polite HTTP client, a thin layer over
// Colly: robots.txt, a User-Agent naming the project, retries with
// backoff, a size cap, one request at a time per host with a pause, and
// CheckBlocked for bot-challenge pages. It is the only package that
// imports Colly.
package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/arenawatch/arenawatch"
)

// ProjectURL is sent in the User-Agent so site operators can find us.
const ProjectURL = "https://github.com/arenawatch/arenawatch"

// UserAgent is the User-Agent of arenawatch at version (the program sets
// its version; the library does not know it): "arenawatch/0.1.0
// (+https://github.com/arenawatch/arenawatch)".
func UserAgent(version string) string {
	return "arenawatch/" + version + " (+" + ProjectURL + ")"
}

// Options tune the fetcher. The zero value of a field means its
// default (see New).
type Options struct {
	UserAgent      string        // UserAgent("unknown") when empty: callers set theirs
	RequestTimeout time.Duration // per attempt, headers and body; 30s
	MaxBodySize    int64         // bytes; a larger response fails loudly; 32 MiB
	Retries        int           // further attempts after a transient failure; 3 (negative: none)
	BackoffBase    time.Duration // first backoff, doubled per attempt, with jitter; 2s
	MaxRetryWait   time.Duration // longest single wait (Retry-After or backoff) we accept; 2m
	HostDelay      time.Duration // pause after each request to a host; 1s (negative: none)
	IgnoreRobots   bool          // skip robots.txt (only for mirrors you own)
	// Transport replaces the HTTP transport (tests, proxies). Nil: a clone
	// of http.DefaultTransport with dial and TLS timeouts.
	Transport http.RoundTripper
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = UserAgent("unknown")
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = 32 << 20
	}
	switch {
	case o.Retries == 0:
		o.Retries = 3
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 2 * time.Second
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = 2 * time.Minute
	}
	switch {
	case o.HostDelay == 0:
		o.HostDelay = time.Second
	case o.HostDelay < 0:
		o.HostDelay = 0
	}
	return o
}

// Response is one HTTP response as fetched.
type Response struct {
	Request  arenawatch.Request // as sent, URL absolute
	URL      string             // final URL after redirects
	Status   int
	Header   http.Header
	Body     []byte
	Attempts int
}

// Fetcher fetches board requests through one Colly collector: one HTTP
// client and one robots.txt cache for the whole run, and one request at a
// time per host with a pause between them. It is safe for concurrent use;
// requests to different hosts proceed in parallel.
type Fetcher struct {
	opt   Options
	base  *colly.Collector
	mu    sync.Mutex
	hosts map[string]*hostGate
}

// hostGate serialises requests to one host and spaces them by HostDelay.
// (Colly's LimitRule sleeps the delay after each request while the caller
// waits, which would add the delay to every single-page scrape.)
type hostGate struct {
	mu   sync.Mutex
	last time.Time
}

// New returns a Fetcher. The collector is built without
// colly.NewCollector on purpose: that constructor applies COLLY_*
// environment variables after our options, so a stray COLLY_MAX_BODY_SIZE
// or COLLY_IGNORE_ROBOTSTXT in a cron environment would silently change
// behaviour. Init gives the same defaults without reading the environment.
func New(opt Options) *Fetcher {
	opt = opt.withDefaults()
	c := &colly.Collector{}
	c.Init()
	c.UserAgent = opt.UserAgent
	c.IgnoreRobotsTxt = opt.IgnoreRobots
	c.AllowURLRevisit = true // retries revisit the same URL
	// One byte over the cap so that a body of exactly the cap is told apart
	// from a truncated larger one: Colly cuts silently at MaxBodySize.
	c.MaxBodySize = int(opt.MaxBodySize) + 1
	transport := opt.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = 15 * time.Second
		t.ResponseHeaderTimeout = opt.RequestTimeout
		transport = t
	}
	c.SetClient(&http.Client{
		Transport: gunzipTransport{next: transport, max: opt.MaxBodySize},
		Timeout:   opt.RequestTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errRedirectLoop
			}
			return nil
		},
	})
	return &Fetcher{opt: opt, base: c, hosts: map[string]*hostGate{}}
}

func (f *Fetcher) gate(host string) *hostGate {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.hosts[host]
	if !ok {
		g = &hostGate{}
		f.hosts[host] = g
	}
	return g
}

// onceGated runs one attempt holding the host's gate, after waiting out
// the pause since the previous request to that host.
func (f *Fetcher) onceGated(ctx context.Context, g *hostGate, req arenawatch.Request) (*Response, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.last.IsZero() && f.opt.HostDelay > 0 {
		if err := sleepCtx(ctx, time.Until(g.last.Add(f.opt.HostDelay))); err != nil {
			return nil, err
		}
	}
	defer func() { g.last = time.Now() }()
	return f.once(ctx, req)
}

// sleepCtx sleeps for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fetch performs one request, retrying transient failures (network errors,
// timeouts, HTTP 408, 425, 429, 5xx) with exponential backoff and jitter,
// honouring Retry-After. Errors are *arenawatch.Error with the request URL
// and a kind: Blocked (401, 403, 451, robots.txt, a challenge page),
// NotFound (404, 410), Transient, Drift (over the size cap), Interrupted.
func (f *Fetcher) Fetch(ctx context.Context, req arenawatch.Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || !u.IsAbs() {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: req.URL, Err: fmt.Errorf("not an absolute URL")}
	}
	g := f.gate(u.Host)
	for attempt := 1; ; attempt++ {
		resp, err := f.onceGated(ctx, g, req)
		if err == nil {
			resp.Attempts = attempt
			return resp, nil
		}
		var fe *fetchError
		if !errors.As(err, &fe) || !fe.retry || attempt > f.opt.Retries {
			return nil, f.finalError(ctx, req, err, attempt)
		}
		wait := f.backoff(attempt)
		if fe.retryAfter > 0 {
			wait = fe.retryAfter
		}
		if wait > f.opt.MaxRetryWait {
			return nil, &arenawatch.Error{Kind: arenawatch.KindTransient, URL: req.URL,
				Err:  fmt.Errorf("%v; the server asks us to wait %s, longer than the %s we accept", fe.err, wait.Round(time.Second), f.opt.MaxRetryWait),
				Hint: "try again later"}
		}
		if sleepCtx(ctx, wait) != nil {
			return nil, f.finalError(ctx, req, err, attempt)
		}
	}
}

func (f *Fetcher) backoff(attempt int) time.Duration {
	d := f.opt.BackoffBase << (attempt - 1)
	if d <= 0 || d > f.opt.MaxRetryWait {
		d = f.opt.MaxRetryWait
	}
	// Up to 25% jitter so that many cron jobs do not retry in step.
	return d + time.Duration(rand.Int64N(int64(d)/4+1))
}

// fetchError is one failed attempt.
type fetchError struct {
	kind       arenawatch.Kind
	status     int
	retry      bool
	retryAfter time.Duration
	err        error
}

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

func (f *Fetcher) finalError(ctx context.Context, req arenawatch.Request, err error, attempts int) error {
	if ctx.Err() != nil {
		kind := arenawatch.KindInterrupted
		msg := "interrupted"
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			kind, msg = arenawatch.KindTransient, "the run's time limit ran out"
		}
		return &arenawatch.Error{Kind: kind, URL: req.URL, Err: fmt.Errorf("%s: %w", msg, err)}
	}
	var fe *fetchError
	if !errors.As(err, &fe) {
		return &arenawatch.Error{Kind: arenawatch.KindInternal, URL: req.URL, Err: err}
	}
	e := &arenawatch.Error{Kind: fe.kind, URL: req.URL, Err: fe.err}
	if attempts > 1 {
		e.Err = fmt.Errorf("%w (after %d attempts)", fe.err, attempts)
	}
	switch fe.kind {
	case arenawatch.KindBlocked:
		e.Hint = "the site refused arenawatch; do not retry in a loop. If you mirror the page, point the board at the mirror with --url."
	case arenawatch.KindTransient:
		e.Hint = "the next scheduled run will try again"
	}
	return e
}

// once is one attempt through a clone of the base collector: the clone
// shares the HTTP client, robots.txt cache and host limits, and has its own
// callbacks and context.
func (f *Fetcher) once(ctx context.Context, req arenawatch.Request) (*Response, error) {
	c := f.base.Clone()
	c.Context = ctx
	var resp *Response
	capture := func(r *colly.Response) {
		resp = &Response{Request: req, URL: r.Request.URL.String(), Status: r.StatusCode, Body: r.Body}
		if r.Headers != nil {
			resp.Header = r.Headers.Clone()
		}
	}
	c.OnResponse(capture)
	c.OnError(func(r *colly.Response, _ error) {
		if r != nil && r.StatusCode != 0 {
			capture(r)
		}
	})
	hdr := http.Header{}
	hdr.Set("User-Agent", f.opt.UserAgent)
	hdr.Set("Accept", "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8")
	for k, v := range req.Header {
		hdr.Set(k, v)
	}
	var body *strings.Reader
	if req.Body != "" {
		body = strings.NewReader(req.Body)
		hdr.Set("Content-Type", req.ContentType)
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var err error
	if body != nil {
		err = c.Request(method, req.URL, body, nil, hdr)
	} else {
		err = c.Request(method, req.URL, nil, nil, hdr)
	}
	if err == nil && resp == nil {
		err = errors.New("no response")
	}
	if resp != nil && int64(len(resp.Body)) > f.opt.MaxBodySize {
		return nil, &fetchError{kind: arenawatch.KindTooLarge, status: resp.Status,
			err: fmt.Errorf("response is larger than the %d-byte size cap (--max-body-size); nothing was parsed", f.opt.MaxBodySize)}
	}
	if resp != nil {
		if berr := CheckBlocked(resp.Status, resp.Header, resp.Body); berr != nil {
			return nil, &fetchError{kind: arenawatch.KindBlocked, status: resp.Status, err: berr}
		}
	}
	if err == nil {
		return resp, nil
	}
	return nil, classifyFetchError(err, resp)
}

func classifyFetchError(err error, resp *Response) *fetchError {
	if errors.Is(err, colly.ErrRobotsTxtBlocked) {
		return &fetchError{kind: arenawatch.KindBlocked, err: fmt.Errorf("robots.txt disallows this URL for our User-Agent")}
	}
	if errors.Is(err, errRedirectLoop) {
		// Retrying at once would loop again; such loops are usually a
		// cookie or bot wall.
		return &fetchError{kind: arenawatch.KindBlocked, err: fmt.Errorf("redirect loop: %w", err)}
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		// Offline, or a wrong host: four tries would only cost minutes.
		return &fetchError{kind: arenawatch.KindTransient, err: fmt.Errorf("no such host %s: offline, or a wrong URL", dns.Name)}
	}
	if resp == nil || resp.Status == 0 {
		// Network-level failure: refused, reset, timeout, short body.
		msg := err.Error()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			msg = "timed out: " + msg
		}
		return &fetchError{kind: arenawatch.KindTransient, retry: true, err: errors.New(msg)}
	}
	st := resp.Status
	msg := fmt.Errorf("HTTP %d %s", st, http.StatusText(st))
	switch {
	case st == 401 || st == 403 || st == 451:
		return &fetchError{kind: arenawatch.KindBlocked, status: st, err: msg}
	case st == 404 || st == 410:
		return &fetchError{kind: arenawatch.KindNotFound, status: st, err: msg}
	case st == 408 || st == 425 || st == 429 || st >= 500:
		return &fetchError{kind: arenawatch.KindTransient, status: st, retry: true,
			retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), err: msg}
	}
	return &fetchError{kind: arenawatch.KindDrift, status: st, err: msg}
}

// errRedirectLoop ends a chain of more than ten redirects.
var errRedirectLoop = errors.New("stopped after 10 redirects")

// gunzipTransport decompresses, within the size cap, a gzip body that the
// HTTP client did not already decompress. Colly gunzips such a body (one
// sent as Content-Type application/x-gzip, or with Content-Encoding gzip
// that the client did not ask for) after it has applied its size limit to
// the compressed bytes, without any limit: a 1 MB gzip bomb became 2.7 GB.
// Here the decompressed stream is cut one byte past the cap, so the
// fetcher's size check fails the board, and the response is marked
// uncompressed so that Colly leaves it alone.
type gunzipTransport struct {
	next http.RoundTripper
	max  int64
}

// RoundTrip implements http.RoundTripper.
func (t gunzipTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.Uncompressed {
		return resp, err
	}
	ce := strings.ToLower(resp.Header.Get("Content-Encoding"))
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	if !strings.Contains(ce, "gzip") && !(ce == "" && strings.Contains(ct, "gzip")) {
		return resp, nil
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("a gzip body that does not decompress: %w", err)
	}
	resp.Body = gunzipBody{Reader: io.LimitReader(zr, t.max+1), body: resp.Body}
	resp.Uncompressed = true
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	return resp, nil
}

// gunzipBody reads the decompressed stream and closes the raw body.
type gunzipBody struct {
	io.Reader
	body io.ReadCloser
}

func (b gunzipBody) Close() error { return b.body.Close() }

// parseRetryAfter reads a Retry-After header: delta seconds or an HTTP
// date. It returns 0 when the header is absent or unusable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
