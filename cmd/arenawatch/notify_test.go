package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/internal/words"
	"github.com/arenawatch/arenawatch/notify"
	"github.com/arenawatch/arenawatch/ranking"
)

// hook is a loopback webhook receiver: it keeps every message it is sent
// and answers with status, or never (hang) until the test ends. onPost,
// when set, runs when a message arrives.
type hook struct {
	mu     sync.Mutex
	bodies []string
	status int
	hang   bool
	onPost func()
	url    string
}

func newHook(t *testing.T, status int, hang bool) *hook {
	h := &hook{status: status, hang: hang}
	release := make(chan struct{})
	h.url = "generic+" + testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		on := h.onPost
		h.mu.Unlock()
		if on != nil {
			on()
		}
		if h.hang {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.WriteHeader(h.status)
	})) + "/hook"
	t.Cleanup(func() { close(release) }) // before the server's Close, which waits for handlers
	return h
}

func (h *hook) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.bodies)
}

// closedPort is a loopback webhook URL nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "generic+http://" + addr + "/hook"
}

// notifyBase builds, once per test, a database holding LMArena's text
// board (hf-text-raw) as the dataset published it up to 2025-07-27: the
// import of the real dataset less its last date. Scraping hf-text-raw
// from the fixtures then stores the real next publication (2025-08-04)
// as a new snapshot. Each case gets a copy.
func notifyBase(t *testing.T) func(t *testing.T) *cli {
	base := newCLI(t)
	base.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	base.must("db", "drop", "--board", "hf-text-raw", "--since", "2025-08-01")
	data, err := os.ReadFile(base.db)
	if err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T) *cli {
		c := newCLI(t)
		if err := os.WriteFile(c.db, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// wantChangeText works out the message the 2025-07-27 → 2025-08-04 step
// of hf-text-raw must send, from the rows of the two snapshots as 'rank'
// lists them and the answers 'report' gives (the step runs at c.now).
func wantChangeText(t *testing.T, c *cli) string {
	t.Helper()
	old := decode[reportJSON](t, c.must("report", "hf-text-raw", "--at", "2025-07-27", "--json").stdout).Boards[0]
	cur := decode[reportJSON](t, c.must("report", "hf-text-raw", "--json").stdout).Boards[0]
	oldRows := decode[rankJSON](t, c.must("rank", "hf-text-raw", "--at", "2025-07-27", "--json").stdout).Rows
	curRows := decode[rankJSON](t, c.must("rank", "hf-text-raw", "--json").stdout).Rows
	inOld := map[string]bool{}
	for _, m := range oldRows {
		inOld[m.Model] = true
	}
	name := func(m *ranking.ModelRef) string { return fmt.Sprintf("%s (%s, %s)", m.Name, m.Organization, m.Country) }
	// The leader is new on the page and both leaders are Chinese: no
	// flip. The best non-Chinese open model is the same model, lower
	// among open models.
	if inOld[cur.LeadingOpen.Model] || old.LeadingOpen.Country != "CN" || cur.LeadingOpen.Country != "CN" ||
		old.BestOpenNonCN.Model != cur.BestOpenNonCN.Model || old.BestOpenNonCN.OpenPosition == cur.BestOpenNonCN.OpenPosition {
		t.Fatalf("the fixtures changed: %+v → %+v", old, cur)
	}
	// Open models new on the page above it, in rank order (rank's order).
	var above []string
	for _, m := range curRows {
		if m.Open == ranking.Open && m.Rank < cur.BestOpenNonCN.Rank && !inOld[m.Model] {
			above = append(above, m.Name)
		}
	}
	if len(above) <= 3 {
		t.Fatalf("want more than 3 new open models above, got %v", above)
	}
	return "arenawatch: the open-model answer changed on 1 board (scrape of 2026-11-28 17:00 UTC)\n" +
		fmt.Sprintf("hf-text-raw: leading open model: %s → %s; why: new model\n", name(old.LeadingOpen), name(cur.LeadingOpen)) +
		fmt.Sprintf("hf-text-raw: best open non-Chinese model %s moved %s → %s among open models (Chinese open models above: %d → %d); why: %d new open models above it (%s, …)",
			name(cur.BestOpenNonCN), words.Ordinal(old.BestOpenNonCN.OpenPosition), words.Ordinal(cur.BestOpenNonCN.OpenPosition),
			old.ChineseOpenAbove, cur.ChineseOpenAbove, len(above), strings.Join(above[:3], ", "))
}

// TestNotifyChange: a scrape that stores a board's next real snapshot
// sends one message, with one line per change; arena-text, scraped for
// the first time in the same run, has nothing to compare with. The same
// pages again send nothing.
func TestNotifyChange(t *testing.T) {
	copyBase := notifyBase(t)
	c := copyBase(t)
	defer c.checkDB()
	h := newHook(t, http.StatusOK, false)
	sum := decode[scrapeJSON](t, c.must("scrape", "hf-text-raw", "arena-text", "--replay", fixtures, "--notify", h.url, "--json").stdout)
	want := wantChangeText(t, c)
	got := h.received()
	if len(got) != 1 || got[0] != want {
		t.Fatalf("received %d messages:\n%s\nwant one:\n%s", len(got), strings.Join(got, "\n---\n"), want)
	}
	n := sum.Notify
	if n == nil || n.Sent != 1 || n.Message != want || len(n.Changes) != 2 || len(n.Errors) != 0 || n.DryRun ||
		!slices.Equal(n.Targets, []string{"#1 (generic)"}) || n.Changes[0].Kind != notify.KindLeadingOpen || n.Changes[1].Kind != notify.KindOpenPosition {
		t.Errorf("notify summary %+v", n)
	}

	tests := []struct {
		name string
		args []string
	}{
		// The same pages: both boards unchanged.
		{"Unchanged", []string{"scrape", "hf-text-raw", "arena-text", "--replay", fixtures}},
		// Another board's first snapshot.
		{"FirstSnapshot", []string{"scrape", "openlm-arena", "--replay", fixtures}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.now = c.now.Add(time.Hour)
			r := c.must(append(tt.args, "--notify", h.url)...)
			if n := len(h.received()); n != 1 {
				t.Errorf("%d messages in all, want still 1", n)
			}
			if !strings.Contains(r.stderr, "notify: no change, nothing to send") {
				t.Errorf("stderr:\n%s", r.stderr)
			}
		})
	}
}

// TestNotifyReceiverFails: a receiver that answers 500, never answers or
// is not there does not fail the scrape, and the snapshot is stored; an
// interrupt while sending ends the run as interrupted, snapshot kept.
func TestNotifyReceiverFails(t *testing.T) {
	copyBase := notifyBase(t)
	tests := []struct {
		name      string
		url       func(t *testing.T) (string, *hook)
		interrupt bool
		code      int
		wantErr   string
	}{
		{"ServerError", func(t *testing.T) (string, *hook) { h := newHook(t, 500, false); return h.url, h }, false, exitOK, "500 Internal Server Error"},
		{"Hangs", func(t *testing.T) (string, *hook) { h := newHook(t, 0, true); return h.url, h }, false, exitOK, "no answer within 300ms"},
		{"Refused", func(t *testing.T) (string, *hook) { return closedPort(t), nil }, false, exitOK, "connection refused"},
		{"Interrupted", func(t *testing.T) (string, *hook) { h := newHook(t, 0, true); return h.url, h }, true, exitInterrupted, "interrupted before it answered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := copyBase(t)
			defer c.checkDB()
			u, h := tt.url(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			timeout := "300ms"
			if tt.interrupt {
				h.onPost = cancel // Ctrl-C while the message is on its way
				timeout = "10m"
			}
			r := c.runCtx(ctx, "scrape", "hf-text-raw", "--replay", fixtures, "--notify", u, "--notify-timeout", timeout, "--json")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "arenawatch: notify #1 (generic): ") || !strings.Contains(r.stderr, tt.wantErr) || strings.Contains(r.stderr, "/hook") {
				t.Errorf("stderr must name the target, not its URL, and say %q:\n%s", tt.wantErr, r.stderr)
			}
			sum := decode[scrapeJSON](t, r.stdout)
			if n := sum.Notify; n == nil || n.Sent != 0 || len(n.Errors) != 1 || !strings.Contains(n.Errors[0].Error, tt.wantErr) || n.Message == "" {
				t.Errorf("notify summary %+v", sum.Notify)
			}
			if len(sum.Boards) != 1 || sum.Boards[0].Status != "stored" {
				t.Errorf("boards %+v", sum.Boards)
			}
			rep := decode[reportJSON](t, c.must("report", "hf-text-raw", "--json").stdout)
			if !rep.Boards[0].FetchedAt.Equal(c.now) {
				t.Errorf("latest snapshot fetched %s, want this run's (%s)", rep.Boards[0].FetchedAt, c.now)
			}
			if h != nil && len(h.received()) != 1 {
				t.Errorf("receiver saw %d messages, want 1", len(h.received()))
			}
		})
	}
}

// TestNotifyDryRun prints the message and sends nothing; the scrape
// still stores.
func TestNotifyDryRun(t *testing.T) {
	copyBase := notifyBase(t)
	tests := []struct {
		name string
		json bool
	}{{"Text", false}, {"JSON", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := copyBase(t)
			defer c.checkDB()
			h := newHook(t, http.StatusOK, false)
			args := []string{"scrape", "hf-text-raw", "--replay", fixtures, "--notify", h.url, "--notify-dry-run"}
			if tt.json {
				args = append(args, "--json")
			}
			r := c.must(args...)
			want := wantChangeText(t, c)
			if tt.json {
				n := decode[scrapeJSON](t, r.stdout).Notify
				if n == nil || !n.DryRun || n.Message != want || n.Sent != 0 {
					t.Errorf("notify summary %+v", n)
				}
			} else if r.stdout != want+"\n" || !strings.Contains(r.stderr, "notify: dry run, nothing sent (2 changes, 0 failing boards)") {
				t.Errorf("stdout:\n%s\nwant:\n%s\nstderr:\n%s", r.stdout, want, r.stderr)
			}
			if n := len(h.received()); n != 0 {
				t.Errorf("a dry run sent %d messages", n)
			}
			if rep := decode[reportJSON](t, c.must("report", "hf-text-raw", "--json").stdout); !rep.Boards[0].FetchedAt.Equal(c.now) {
				t.Errorf("the dry run did not store the scrape")
			}
		})
	}
}

// TestNotifyFailureStreak: with notify_failures 2 in the config, a board
// that keeps failing is reported once, in the run that makes it two
// failures in a row; a stored run ends the streak, and the next streak is
// reported again.
func TestNotifyFailureStreak(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	page := testutil.Fixture(t, "arena.ai/leaderboard/text/index.html")
	challenge := testutil.Fixture(t, "blocked/cloudflare-challenge.html")
	ok := false
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case ok:
			w.Write(page)
		default:
			w.WriteHeader(http.StatusForbidden)
			w.Write(challenge)
		}
	}))
	h := newHook(t, http.StatusOK, false)
	writeConfig(t, c, fmt.Sprintf("notify: [%q]\nnotify_failures: 2\n", h.url))
	steps := []struct {
		ok       bool
		messages int // sent in all, after this run
	}{{false, 0}, {false, 1}, {false, 1}, {false, 1}, {true, 1}, {false, 1}, {false, 2}}
	for i, s := range steps {
		ok = s.ok
		c.now = c.now.Add(time.Hour)
		r := c.run("scrape", "arena-text", "--url", "arena-text="+srv+"/leaderboard/text", "--quiet")
		if want := map[bool]int{true: exitOK, false: exitFailure}[s.ok]; r.code != want {
			t.Fatalf("run %d: exit %d, want %d (the boards decide it)\n%s", i+1, r.code, want, r.stderr)
		}
		got := h.received()
		if len(got) != s.messages {
			t.Fatalf("run %d: %d messages in all, want %d:\n%s", i+1, len(got), s.messages, strings.Join(got, "\n---\n"))
		}
	}
	want := "arenawatch: 1 board kept failing (scrape of 2026-11-28 19:00 UTC)\n" +
		"arena-text: failed 2 runs in a row; last error (blocked): arena-text: " + srv + "/leaderboard/text: the server answered with a Cloudflare challenge page"
	if got := h.received()[0]; !strings.HasPrefix(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("message:\n%s\nwant it to start:\n%s", got, want)
	}
}

// TestNotifyUsage: a URL shoutrrr does not take fails the run before any
// fetch (exit 2, no database made), named without its secrets.
func TestNotifyUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"UnknownService", []string{"--notify", "pigeon://s3cret@loft"}, nil, "notification URL #1 (pigeon)"},
		{"MissingVariable", []string{"--notify", "generic+https://example.org/${HOOK}"}, nil, "environment variable HOOK is not set"},
		{"NoFailures", []string{"--notify-dry-run", "--notify-failures", "0"}, nil, "--notify-failures 0"},
		{"Config", nil, nil, "notify_failures: -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			if tt.name == "Config" {
				writeConfig(t, c, "notify_failures: -1\n")
			}
			r := c.run(append([]string{"scrape", "--replay", fixtures}, tt.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, "s3cret") {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, exitUsage, tt.want)
			}
			if _, err := os.Stat(c.db); err == nil {
				t.Errorf("a database was made")
			}
		})
	}
}
