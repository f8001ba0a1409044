package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// testOptions keeps tests fast: tiny backoff, no host delay.
func testOptions() Options {
	return Options{
		RequestTimeout: 2 * time.Second,
		BackoffBase:    5 * time.Millisecond,
		MaxRetryWait:   3 * time.Second,
		HostDelay:      -1,
		Retries:        2,
	}
}

func get(url string) arenawatch.Request {
	return arenawatch.Request{Name: "page", Method: "GET", URL: url}
}

func TestFetchMisbehavingServers(t *testing.T) {
	okPage := "<!DOCTYPE html><html><body>fine</body></html>"
	tests := []struct {
		name     string
		handler  func(calls int32) http.HandlerFunc
		opt      func(*Options)
		wantKind arenawatch.Kind
		wantErr  string // substring of the error
		wantBody string
		wantHits int32 // requests to the page (robots.txt not counted)
	}{
		{
			name: "OK",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, okPage) }
			},
			wantBody: okPage, wantHits: 1,
		},
		{
			name: "Forbidden",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) }
			},
			wantKind: arenawatch.KindBlocked, wantErr: "HTTP 403 Forbidden", wantHits: 1,
		},
		{
			name: "NotFound",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }
			},
			wantKind: arenawatch.KindNotFound, wantErr: "HTTP 404", wantHits: 1,
		},
		{
			name: "TooManyRequestsThenOK",
			handler: func(n int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if n == 1 {
						w.Header().Set("Retry-After", "1")
						http.Error(w, "slow down", http.StatusTooManyRequests)
						return
					}
					io.WriteString(w, okPage)
				}
			},
			wantBody: okPage, wantHits: 2,
		},
		{
			name: "RetryAfterTooLong",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Retry-After", "3600")
					http.Error(w, "slow down", http.StatusTooManyRequests)
				}
			},
			wantKind: arenawatch.KindTransient, wantErr: "asks us to wait 1h0m0s", wantHits: 1,
		},
		{
			name: "ServerErrorThenOK",
			handler: func(n int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if n <= 2 {
						http.Error(w, "oops", http.StatusInternalServerError)
						return
					}
					io.WriteString(w, okPage)
				}
			},
			wantBody: okPage, wantHits: 3,
		},
		{
			name: "ServerErrorForever",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) }
			},
			wantKind: arenawatch.KindTransient, wantErr: "HTTP 502 Bad Gateway (after 3 attempts)", wantHits: 3,
		},
		{
			name: "NeverEnds",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					io.WriteString(w, "<html><body>")
					w.(http.Flusher).Flush()
					<-r.Context().Done()
				}
			},
			opt:      func(o *Options) { o.RequestTimeout = 150 * time.Millisecond; o.Retries = -1 },
			wantKind: arenawatch.KindTransient, wantErr: "timed out", wantHits: 1,
		},
		{
			name: "TruncatedBody",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					// Promise 10000 bytes, send 100, hang up.
					conn, buf, err := w.(http.Hijacker).Hijack()
					if err != nil {
						return
					}
					defer conn.Close()
					fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000\r\n\r\n%s", strings.Repeat("x", 100))
					buf.Flush()
				}
			},
			opt:      func(o *Options) { o.Retries = 1 },
			wantKind: arenawatch.KindTransient, wantErr: "unexpected EOF", wantHits: 2,
		},
		{
			name: "OverSizeCap",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, strings.Repeat("a", 5000)) }
			},
			opt:      func(o *Options) { o.MaxBodySize = 4096 },
			wantKind: arenawatch.KindTooLarge, wantErr: "larger than the 4096-byte size cap", wantHits: 1,
		},
		{
			// 1 MB of zeros gzipped to about 1 KB, sent as a gzip file with
			// no Content-Encoding: Colly would gunzip it past the cap.
			name: "GzipBombAsContentType",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/x-gzip")
					w.Write(gzipOf(t, make([]byte, 1<<20)))
				}
			},
			opt:      func(o *Options) { o.MaxBodySize = 64 << 10 },
			wantKind: arenawatch.KindTooLarge, wantErr: "larger than the 65536-byte size cap", wantHits: 1,
		},
		{
			name: "GzipBombAsContentEncoding",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Encoding", "gzip")
					w.Header().Set("Content-Type", "text/html")
					w.Write(gzipOf(t, make([]byte, 1<<20)))
				}
			},
			opt:      func(o *Options) { o.MaxBodySize = 64 << 10 },
			wantKind: arenawatch.KindTooLarge, wantErr: "larger than the 65536-byte size cap", wantHits: 1,
		},
		{
			name: "GzipWithinCap",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/gzip")
					w.Write(gzipOf(t, []byte(okPage)))
				}
			},
			wantBody: okPage, wantHits: 1,
		},
		{
			name: "RedirectLoop",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, "/leaderboard?again", http.StatusFound)
				}
			},
			wantKind: arenawatch.KindBlocked, wantErr: "redirect loop", wantHits: 10,
		},
		{
			name: "ExactlyAtSizeCap",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, strings.Repeat("a", 4096)) }
			},
			opt:      func(o *Options) { o.MaxBodySize = 4096 },
			wantBody: strings.Repeat("a", 4096), wantHits: 1,
		},
		{
			name: "CloudflareChallenge",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusForbidden)
					w.Write(testutil.Fixture(t, "blocked/cloudflare-challenge.html"))
				}
			},
			wantKind: arenawatch.KindBlocked, wantErr: "Cloudflare challenge", wantHits: 1,
		},
		{
			name: "ChallengeWith200",
			handler: func(int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Cf-Mitigated", "challenge")
					io.WriteString(w, "<html><body>wait</body></html>")
				}
			},
			wantKind: arenawatch.KindBlocked, wantErr: "cf-mitigated", wantHits: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			page := tt.handler
			srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				page(hits.Add(1))(w, r)
			}))
			opt := testOptions()
			if tt.opt != nil {
				tt.opt(&opt)
			}
			resp, err := New(opt).Fetch(context.Background(), get(srv+"/leaderboard"))
			if got := hits.Load(); got != tt.wantHits {
				t.Errorf("server saw %d page requests, want %d", got, tt.wantHits)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != tt.wantBody {
					t.Fatalf("body %.60q…, want %.60q…", resp.Body, tt.wantBody)
				}
				return
			}
			if err == nil {
				t.Fatalf("want error %q, got a %d-byte body", tt.wantErr, len(resp.Body))
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
			if k := arenawatch.KindOf(err); k != tt.wantKind {
				t.Fatalf("kind %v, want %v (error %v)", k, tt.wantKind, err)
			}
			if !strings.Contains(err.Error(), srv+"/leaderboard") {
				t.Fatalf("error %q does not name the URL", err)
			}
		})
	}
}

func TestFetchRobotsAndUserAgent(t *testing.T) {
	var gotUA string
	var mu sync.Mutex
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotUA = r.UserAgent()
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
			return
		}
		io.WriteString(w, "<html>ok</html>")
	}))
	f := New(testOptions())
	if _, err := f.Fetch(context.Background(), get(srv+"/public")); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if !strings.HasPrefix(gotUA, "arenawatch/") || !strings.Contains(gotUA, ProjectURL) {
		t.Errorf("User-Agent %q does not identify arenawatch", gotUA)
	}
	mu.Unlock()
	_, err := f.Fetch(context.Background(), get(srv+"/private/board"))
	if err == nil || arenawatch.KindOf(err) != arenawatch.KindBlocked || !strings.Contains(err.Error(), "robots.txt") {
		t.Fatalf("want robots.txt block, got %v", err)
	}

	t.Run("CustomUserAgent", func(t *testing.T) {
		opt := testOptions()
		opt.UserAgent = "mirror-bot/1"
		if _, err := New(opt).Fetch(context.Background(), get(srv+"/public")); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if gotUA != "mirror-bot/1" {
			t.Fatalf("User-Agent %q", gotUA)
		}
	})
}

// TestFetchIgnoresCollyEnvironment checks that COLLY_* variables do not
// change our settings (Colly's own constructor would let them).
func TestFetchIgnoresCollyEnvironment(t *testing.T) {
	t.Setenv("COLLY_MAX_BODY_SIZE", "5")
	t.Setenv("COLLY_IGNORE_ROBOTSTXT", "true")
	t.Setenv("COLLY_USER_AGENT", "colly")
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /x\n")
			return
		}
		io.WriteString(w, "<html>"+r.UserAgent()+"</html>")
	}))
	f := New(testOptions())
	resp, err := f.Fetch(context.Background(), get(srv+"/ok"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(resp.Body), "arenawatch/") {
		t.Fatalf("body %q: the env changed the User-Agent or truncated the body", resp.Body)
	}
	if _, err := f.Fetch(context.Background(), get(srv+"/x")); arenawatch.KindOf(err) != arenawatch.KindBlocked {
		t.Fatalf("COLLY_IGNORE_ROBOTSTXT switched robots.txt off: %v", err)
	}
}

func TestFetchPostBodyAndInterrupt(t *testing.T) {
	release := make(chan struct{})
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api":
			b, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, `{"method":%q,"type":%q,"body":%s}`, r.Method, r.Header.Get("Content-Type"), b)
		case "/slow":
			<-release
		default:
			http.NotFound(w, r)
		}
	}))
	defer close(release) // before the server closes at cleanup: Close waits for its handlers
	f := New(testOptions())
	resp, err := f.Fetch(context.Background(), arenawatch.Request{Method: "POST", URL: srv + "/api", Body: `{"a":1}`, ContentType: "application/json"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"method":"POST","type":"application/json","body":{"a":1}}`; string(resp.Body) != want {
		t.Fatalf("got %s, want %s", resp.Body, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err = f.Fetch(ctx, get(srv+"/slow"))
	if arenawatch.KindOf(err) != arenawatch.KindInterrupted {
		t.Fatalf("cancelled fetch: %v (kind %v), want interrupted", err, arenawatch.KindOf(err))
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"-3", 0},
		{"Sat, 28 Nov 2026 12:00:30 GMT", 30 * time.Second},
		{"Sat, 28 Nov 2026 11:00:00 GMT", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestHostDelay checks that requests to one host are spaced by at least
// HostDelay, measured where the server sees them. It asserts a lower
// bound only, which cannot flake on a slow machine.
func TestHostDelay(t *testing.T) {
	var mu sync.Mutex
	var seen []time.Time
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		seen = append(seen, time.Now())
		mu.Unlock()
		io.WriteString(w, "<html>ok</html>")
	}))
	opt := testOptions()
	opt.HostDelay = 150 * time.Millisecond
	f := New(opt)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), get(srv+"/p")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(seen) != 3 {
		t.Fatalf("%d requests", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if gap := seen[i].Sub(seen[i-1]); gap < opt.HostDelay {
			t.Fatalf("requests %d and %d to one host only %v apart, want at least %v", i, i+1, gap, opt.HostDelay)
		}
	}
}

// gzipOf returns b gzip-compressed.
func gzipOf(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFetchNoSuchHost: a host that does not resolve fails at once, named
// for what it is, without the retries and backoff that would cost minutes
// per board when the machine is offline. The dialer answers as a resolver
// would for an unknown name, so no query leaves the machine.
func TestFetchNoSuchHost(t *testing.T) {
	opt := testOptions()
	opt.Retries = 3
	opt.BackoffBase = time.Minute // a retry would make this test hang
	opt.Transport = &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}
	start := time.Now()
	_, err := New(opt).Fetch(context.Background(), get("http://arenawatch-test.invalid/leaderboard"))
	if err == nil || !strings.Contains(err.Error(), "no such host arenawatch-test.invalid") || strings.Contains(err.Error(), "attempts") {
		t.Fatalf("error %v", err)
	}
	if k := arenawatch.KindOf(err); k != arenawatch.KindTransient {
		t.Errorf("kind %v", k)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v: retried?", d)
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestGunzipTransportStopsAtTheCap: a gzip bomb is decompressed only one
// byte past the cap, however much it would inflate to (here 4 GiB of
// zeros, made on the fly): the bytes past the cap are never produced.
func TestGunzipTransportStopsAtTheCap(t *testing.T) {
	const max = 1 << 20
	var produced atomic.Int64
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		pr, pw := io.Pipe()
		go func() {
			zw := gzip.NewWriter(pw)
			zero := make([]byte, 64<<10)
			for i := 0; i < (4<<30)/len(zero); i++ {
				if _, err := zw.Write(zero); err != nil {
					pw.CloseWithError(err)
					return
				}
				produced.Add(int64(len(zero)))
			}
			zw.Close()
			pw.Close()
		}()
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/x-gzip"}}, Body: pr, Request: r}, nil
	})
	req, _ := http.NewRequest("GET", "http://example.test/x", nil)
	resp, err := gunzipTransport{next: next, max: max}.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(body) != max+1 || !resp.Uncompressed {
		t.Errorf("read %d bytes (uncompressed %v), want the cap plus one", len(body), resp.Uncompressed)
	}
	if p := produced.Load(); p > 64<<20 {
		t.Errorf("the bomb was inflated to %d bytes before the read stopped", p)
	}
}
