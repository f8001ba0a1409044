package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/store"
)

// slowSite is a loopback site that holds every page request until the
// test lets it go, so a test can act while a scrape is in its network
// phase.
type slowSite struct {
	url string
	// arrived gets the path of each page request as it reaches the server.
	arrived chan string
	// release lets one held request go per send.
	release chan struct{}
	// done lets every held request go unanswered (stop).
	done chan struct{}
}

// newSlowSite serves pages (path → body) and answers robots.txt with a
// 404. Call stop (deferred) so no request outlives the test.
func newSlowSite(t *testing.T, pages map[string][]byte) *slowSite {
	s := &slowSite{arrived: make(chan string, 8), release: make(chan struct{}), done: make(chan struct{})}
	s.url = testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.arrived <- r.URL.Path
		select {
		case <-s.release:
			w.Write(body)
		case <-s.done:
		case <-r.Context().Done():
		}
	}))
	return s
}

func (s *slowSite) stop() { close(s.done) }

// await returns the path of the next request to reach the site, and fails
// the test when a scrape ends first (it never got to the network).
func (s *slowSite) await(t *testing.T, ended <-chan result) string {
	t.Helper()
	select {
	case p := <-s.arrived:
		return p
	case r := <-ended:
		t.Fatalf("a scrape ended before its request reached the server: exit %d\n%s", r.code, r.stderr)
	}
	return ""
}

// start runs the CLI in a goroutine and sends its result to ended. The
// test waits for it when it ends, so no run outlives its database.
func (c *cli) start(ended chan<- result, args ...string) {
	finished := make(chan struct{})
	c.t.Cleanup(func() { <-finished })
	go func() {
		defer close(finished)
		ended <- c.run(args...)
	}()
}

// quickHosts points the CLI at a config file with a short pause between
// requests to one host, so tests that fetch twice from one server do not
// wait a second each time.
func (c *cli) quickHosts() {
	path := filepath.Join(c.home, "quick.yaml")
	if err := os.WriteFile(path, []byte("fetch:\n  host_delay: 10ms\n"), 0o600); err != nil {
		c.t.Fatal(err)
	}
	c.env["ARENAWATCH_CONFIG"] = path
}

func lockTestPages(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"/leaderboard/text": testutil.Fixture(t, "arena.ai/leaderboard/text/index.html"),
		"/chatbot-arena/":   testutil.Fixture(t, "openlm.ai/chatbot-arena/index.html"),
	}
}

// TestReadersAnswerDuringScrape: report and rank, told not to wait for
// the lock at all, answer while a scrape waits on the network.
func TestReadersAnswerDuringScrape(t *testing.T) {
	c := newCLI(t)
	c.quickHosts()
	defer c.checkDB()
	c.must("scrape", "--replay", fixtures, "openlm-arena", "--quiet")

	site := newSlowSite(t, lockTestPages(t))
	defer site.stop()
	ended := make(chan result, 1)
	c.start(ended, "scrape", "arena-text", "--url", "arena-text="+site.url+"/leaderboard/text", "--json")
	site.await(t, ended)

	tests := []struct {
		name string
		args []string
		code int
	}{
		{"ReportStored", []string{"report", "openlm-arena", "--json"}, exitOK},
		{"ReportNotYetStored", []string{"report", "arena-text", "--json"}, exitNoData},
		{"Rank", []string{"rank", "openlm-arena", "--limit", "3", "--json"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(append([]string{"--lock-timeout", "0"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d during a scrape, want %d (11 is locked)\nstderr: %s", r.code, tt.code, r.stderr)
			}
		})
	}
	select {
	case r := <-ended:
		t.Fatalf("the scrape ended while its page was held: exit %d\n%s", r.code, r.stderr)
	default:
	}

	site.release <- struct{}{}
	r := <-ended
	sum := decode[scrapeJSON](t, r.stdout)
	if r.code != exitOK || len(sum.Boards) != 1 || sum.Boards[0].Status != "stored" || sum.Boards[0].Rows != 214 || sum.Database != c.db {
		t.Fatalf("scrape after release: exit %d, %+v\nstderr: %s", r.code, sum, r.stderr)
	}
	rep := decode[reportJSON](t, c.must("report", "arena-text", "--json").stdout)
	if len(rep.Boards) != 1 || rep.Boards[0].Rows != 214 {
		t.Fatalf("report after the scrape: %+v", rep.Boards)
	}
}

// TestTwoScrapesAtOnce: two scrapes are in the network at the same time
// (neither holds the lock there) and both store, taking turns on the write.
func TestTwoScrapesAtOnce(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	site := newSlowSite(t, lockTestPages(t))
	defer site.stop()
	ended := make(chan result, 2)
	c.start(ended, "scrape", "arena-text", "--url", "arena-text="+site.url+"/leaderboard/text", "--json")
	c.start(ended, "scrape", "openlm-arena", "--url", "openlm-arena="+site.url+"/chatbot-arena/", "--json")
	site.await(t, ended)
	site.await(t, ended)

	// Both answers go at once: the two writes contend for the lock.
	close(site.release)
	stored := map[string]int{}
	for range 2 {
		r := <-ended
		if r.code != exitOK {
			t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
		}
		for _, b := range decode[scrapeJSON](t, r.stdout).Boards {
			if b.Status == "stored" {
				stored[b.Board] = b.Rows
			}
		}
	}
	if want := map[string]int{"arena-text": 214, "openlm-arena": 297}; len(stored) != 2 || stored["arena-text"] != want["arena-text"] || stored["openlm-arena"] != want["openlm-arena"] {
		t.Fatalf("stored %v, want %v", stored, want)
	}
	rep := decode[reportJSON](t, c.must("report", "arena-text", "openlm-arena", "--json").stdout)
	if len(rep.Boards) != 2 {
		t.Fatalf("report after both scrapes: %+v", rep.Boards)
	}
}

// A scrape writes its results together at the end of the run (or each
// time it holds 32 MB of pages). When another arenawatch holds the
// database past --lock-timeout then, the boards of that write fail as
// locked, nothing is half-written, the run exits 11, and the next scrape
// stores them.
func TestLockedWriteFailsItsBoards(t *testing.T) {
	c := newCLI(t)
	c.quickHosts()
	defer c.checkDB()
	site := newSlowSite(t, lockTestPages(t))
	defer site.stop()
	ended := make(chan result, 1)
	args := []string{"scrape", "arena-text", "openlm-arena", "--json",
		"--url", "arena-text=" + site.url + "/leaderboard/text", "--url", "openlm-arena=" + site.url + "/chatbot-arena/"}
	// A third board, on another host, whose page is missing: it fails
	// first, and its line keeps its own error while the others say locked.
	missing := testutil.Server(t, http.NotFoundHandler())
	c.start(ended, append([]string{"--lock-timeout", "100ms"}, append(args, "sciarena", "--url", "sciarena="+missing+"/missing")...)...)
	site.await(t, ended)
	site.release <- struct{}{}
	site.await(t, ended)
	// Both boards are fetched or being fetched: hold the database for the
	// write at the end.
	holder, err := store.Open(c.db, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("the scrape holds the database during its network phase: %v", err)
	}
	site.release <- struct{}{}
	r := <-ended
	holder.Close()
	if r.code != exitLocked || !strings.Contains(r.stderr, "locked") || !strings.Contains(r.stderr, c.db) {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitLocked, r.stderr)
	}
	for _, b := range decode[scrapeJSON](t, r.stdout).Boards {
		if b.Board == "sciarena" {
			if b.Status != "failed" || b.Error == nil || b.Error.Kind != "not_found" {
				t.Errorf("sciarena, whose page is missing: %+v %+v", b, b.Error)
			}
			continue
		}
		if b.Status != "failed" || b.Error == nil || b.Error.Kind != "locked" || b.Error.Hint == "" {
			t.Errorf("%s, written while the database was held: %+v %+v", b.Board, b, b.Error)
		}
		if r := c.run("report", b.Board, "--json"); r.code != exitNoData {
			t.Errorf("report %s: exit %d, want %d (nothing stored)", b.Board, r.code, exitNoData)
		}
	}
	// The next scrape, with the database free, stores both.
	go func() {
		for range 2 {
			site.release <- struct{}{}
		}
	}()
	if r := c.run(args...); r.code != exitOK || strings.Count(r.stderr, "stored") != 2 {
		t.Errorf("the next scrape: exit %d\n%s", r.code, r.stderr)
	}
}
