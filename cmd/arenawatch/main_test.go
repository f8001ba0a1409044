package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// fixtures is the repository's fixtures/ directory.
var fixtures = testutil.FixturesDir()

// cli runs the real command in-process with a fixed clock and an
// environment that points every default path into a temporary directory.
type cli struct {
	t    *testing.T
	db   string
	home string
	now  time.Time
	env  map[string]string
}

func newCLI(t *testing.T) *cli {
	dir := t.TempDir()
	return &cli{
		t:    t,
		db:   filepath.Join(dir, "aw.db"),
		home: dir,
		now:  time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC),
		env:  map[string]string{"HOME": dir},
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func (c *cli) runCtx(ctx context.Context, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		now:    func() time.Time { return c.now },
		getenv: func(k string) string { return c.env[k] },
	}
	code := e.run(ctx, append([]string{"--db", c.db}, args...))
	return result{code, out.String(), errb.String()}
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	return c.runCtx(context.Background(), args...)
}

func (c *cli) must(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("arenawatch %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("output is not one JSON document: %v\n%s", err, s)
	}
	return v
}

// checkDB opens the database after a test and runs bbolt's consistency
// check over it.
func (c *cli) checkDB() {
	c.t.Helper()
	db, err := store.Open(c.db, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		c.t.Fatalf("database check: %v", err)
	}
}

func TestReplayScrapeThenReport(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()

	r := c.must("scrape", "--replay", fixtures, "--json")
	sum := decode[scrapeJSON](t, r.stdout)
	defaults := len(source.Builtin().Defaults())
	if !sum.OK || len(sum.Boards) != defaults {
		t.Fatalf("summary of %d boards (want the %d default boards): %+v", len(sum.Boards), defaults, sum)
	}
	// Row counts of the first four boards' fixtures (fixtures/README.md).
	want := map[string]int{"arena-text": 214, "arena-text-raw": 214, "designarena-website": 176, "openlm-arena": 297}
	for _, b := range sum.Boards {
		if b.Status != "stored" || (want[b.Board] > 0 && b.Rows != want[b.Board]) {
			t.Errorf("%s: %s with %d rows, want stored (with %d)", b.Board, b.Status, b.Rows, want[b.Board])
		}
	}
	if strings.Count(r.stderr, "\n") != defaults || !strings.Contains(r.stderr, "stored") {
		t.Errorf("want one status line per board on stderr, got:\n%s", r.stderr)
	}

	// The same pages again: recorded as unchanged, nothing new stored.
	c.now = c.now.Add(3 * time.Hour)
	r = c.must("scrape", "--replay", fixtures, "--json", "--quiet")
	if r.stderr != "" {
		t.Errorf("--quiet printed on success: %q", r.stderr)
	}
	for _, b := range decode[scrapeJSON](t, r.stdout).Boards {
		if b.Status != "unchanged" {
			t.Errorf("%s: second scrape %s, want unchanged", b.Board, b.Status)
		}
	}

	rep := decode[reportJSON](t, c.must("report", "--json").stdout)
	// Usage boards (OpenRouter tokens) are answered with token shares.
	if len(rep.Boards)+len(rep.Adoption) != defaults || len(rep.Adoption) != 1 || len(rep.Missing) != 0 || rep.CatalogVersion != ranking.Embedded().Version() {
		t.Fatalf("report: %d boards + %d adoption, missing %v, catalog %s", len(rep.Boards), len(rep.Adoption), rep.Missing, rep.CatalogVersion)
	}
	// Expected answers worked out from the source data behind the
	// fixtures (the 2025-11-09 LMArena scrape, the openlm.ai table), not
	// from this program: see fixtures/README.md.
	type answer struct {
		leader, best string
		bestRank     int
	}
	answers := map[string]answer{
		"arena-text":     {"deepseek-v3.2-exp", "gemma-3-27b-it", 64},
		"arena-text-raw": {"glm-4.6", "gpt-oss-120b", 59},
		"openlm-arena":   {"kimi-k3", "gemma-4-31b-it", 58},
	}
	for _, b := range rep.Boards {
		a, ok := answers[b.Board]
		if !ok {
			continue
		}
		if b.LeadingOpen == nil || b.LeadingOpen.Model != a.leader {
			t.Errorf("%s: leading open %+v, want %s", b.Board, b.LeadingOpen, a.leader)
		}
		if b.BestOpenNonCN == nil || b.BestOpenNonCN.Model != a.best || b.BestOpenNonCN.Rank != a.bestRank || b.BestOpenNonCN.Country != "US" {
			t.Errorf("%s: best open non-Chinese %+v, want %s at rank %d", b.Board, b.BestOpenNonCN, a.best, a.bestRank)
		}
	}

	human := c.must("report", "arena-text", "arena-text-raw", "designarena-website", "openlm-arena")
	testutil.Golden(t, "testdata/report.golden", human.stdout)

	ranked := decode[rankJSON](t, c.must("rank", "arena-text", "--open", "--not-country", "cn", "--limit", "3", "--json").stdout)
	if len(ranked.Rows) != 3 || ranked.Rows[0].Model != "gemma-3-27b-it" || ranked.Filter.NotCountry != "CN" {
		t.Fatalf("rank --open --not-country CN: %+v", ranked)
	}
	for _, m := range ranked.Rows {
		if m.Open != ranking.Open || m.Country == "CN" || m.Country == "" {
			t.Errorf("filtered row %+v", m)
		}
	}
	testutil.Golden(t, "testdata/rank-open.golden", c.must("rank", "arena-text-raw", "--open", "--limit", "20").stdout)
}

func TestScrapeFailureKeepsEarlierSnapshot(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	page, err := os.ReadFile(filepath.Join(fixtures, "arena.ai/leaderboard/text/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	challenge, err := os.ReadFile(filepath.Join(fixtures, "blocked/cloudflare-challenge.html"))
	if err != nil {
		t.Fatal(err)
	}
	mode := "ok"
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case mode == "ok":
			w.Write(page)
		case mode == "challenge":
			w.WriteHeader(http.StatusForbidden)
			w.Write(challenge)
		case mode == "drift":
			w.Write([]byte("<!DOCTYPE html><html><body><div id=app></div></body></html>"))
		}
	}))
	url := "arena-text=" + srv + "/leaderboard/text"

	c.must("scrape", "arena-text", "--url", url)
	for _, m := range []struct {
		mode, kind string
	}{{"challenge", "blocked"}, {"drift", "markup drift"}} {
		mode = m.mode
		c.now = c.now.Add(time.Hour)
		r := c.run("scrape", "arena-text", "--url", url, "--quiet")
		if r.code != exitFailure {
			t.Fatalf("%s: exit %d, want %d", m.mode, r.code, exitFailure)
		}
		if !strings.Contains(r.stderr, "arena-text") || !strings.Contains(r.stderr, srv+"/leaderboard/text") || !strings.Contains(r.stderr, m.kind) {
			t.Errorf("%s: stderr must name board, URL and %q:\n%s", m.mode, m.kind, r.stderr)
		}
	}
	if r := c.run("scrape", "arena-text", "--url", url); !strings.Contains(r.stderr, "failed 3 times in a row") {
		t.Errorf("third failure in a row not reported:\n%s", r.stderr)
	}
	// The snapshot from the good scrape still answers.
	rep := decode[reportJSON](t, c.must("report", "arena-text", "--json").stdout)
	if len(rep.Boards) != 1 || rep.Boards[0].Rows != 214 || !rep.Boards[0].FetchedAt.Equal(time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("report after failures: %+v", rep.Boards)
	}
}

func TestExitCodes(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"UnknownBoard", []string{"scrape", "no-such-board"}, exitUsage, `unknown board "no-such-board"`},
		{"UnknownFlag", []string{"scrape", "--frobnicate"}, exitUsage, "unknown flag"},
		{"BadURLOverride", []string{"sources", "--url", "arena-text"}, exitUsage, "want BOARD=URL"},
		{"RelativeURLOverride", []string{"sources", "--url", "arena-text=/x"}, exitUsage, "absolute http(s) URL"},
		{"BadAt", []string{"report", "--at", "last march"}, exitUsage, "want a time like"},
		{"RankNeedsBoard", []string{"rank"}, exitUsage, "exactly one BOARD"},
		{"BadCountry", []string{"rank", "arena-text", "--country", "China"}, exitUsage, "ISO 3166-1"},
		{"NoDatabaseYet", []string{"report"}, exitNoData, "no database yet"},
		{"MissingConfig", []string{"--config", "/nonexistent/aw.yaml", "sources"}, exitUsage, "config file"},
		{"OpenAndClosed", []string{"rank", "arena-text", "--open", "--closed"}, exitUsage, "--open and --closed"},
		{"CountryAndNotCountry", []string{"rank", "arena-text", "--country", "cn", "--not-country", "CN"}, exitUsage, "give one of them"},
		{"NegativeRetries", []string{"scrape", "--retries", "-1"}, exitUsage, "--retries -1 is negative"},
		{"NegativeRequestTimeout", []string{"sources", "--check", "--request-timeout", "-5s"}, exitUsage, "--request-timeout -5s is negative"},
		{"NegativeMaxBody", []string{"scrape", "--max-body-size", "-1"}, exitUsage, "--max-body-size -1 is negative"},
		{"NegativeLockTimeout", []string{"report", "--lock-timeout", "-1s"}, exitUsage, "must not be negative"},
		{"RunTimeoutIsNotAnInterruption", []string{"scrape", "--replay", fixtures, "--timeout", "1ns", "openlm-arena"}, exitFailure, "FAILED     transient: https://openlm.ai/chatbot-arena/: the run's time limit ran out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.wantErr) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.wantErr)
			}
		})
	}
	// Negative values in the config file were dropped in silence.
	for _, tt := range []struct{ yaml, want string }{
		{"lock_timeout: -5s", "lock_timeout: -5s is negative"},
		{"fetch: {request_timeout: -1s}", "fetch.request_timeout: -1s is negative"},
		{"fetch: {run_timeout: -1m}", "fetch.run_timeout: -1m0s is negative"},
		{"fetch: {host_delay: -1s}", "fetch.host_delay: -1s is negative"},
		{"fetch: {retries: -2}", "fetch.retries: -2 is negative"},
		{"fetch: {max_body_size: -10}", "fetch.max_body_size: -10 is negative"},
		{"boards: {arena-text: {min_rows: 0}}", "boards.arena-text.min_rows: 0"},
	} {
		t.Run("Config "+tt.yaml, func(t *testing.T) {
			c := newCLI(t)
			writeConfig(t, c, tt.yaml+"\n")
			if r := c.run("sources"); r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, exitUsage, tt.want)
			}
		})
	}
	t.Run("Version", func(t *testing.T) {
		if r := c.run("--version"); r.code != 0 || !strings.Contains(r.stdout, version) {
			t.Fatalf("--version: exit %d, %q", r.code, r.stdout)
		}
	})
	t.Run("Help", func(t *testing.T) {
		r := c.run("scrape", "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "--replay") || !strings.Contains(r.stdout, "Examples:") {
			t.Fatalf("help: exit %d\n%s", r.code, r.stdout)
		}
	})
	t.Run("ReportBeforeFirstSnapshot", func(t *testing.T) {
		c.must("scrape", "--replay", fixtures, "--quiet")
		r := c.run("report", "arena-text", "--at", "2020-01")
		if r.code != exitNoData || strings.Count(r.stderr, "no snapshot") != 1 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
}

func TestDatabaseLocked(t *testing.T) {
	c := newCLI(t)
	holder, err := store.Open(c.db, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := c.run("--lock-timeout", "100ms", "scrape", "--replay", fixtures)
	holder.Close()
	if r.code != exitLocked || !strings.Contains(r.stderr, c.db) {
		t.Fatalf("exit %d, stderr %q; want %d naming the file", r.code, r.stderr, exitLocked)
	}
	c.env["ARENAWATCH_LOCK_TIMEOUT"] = "not-a-duration"
	if r := c.run("report"); r.code != exitUsage {
		t.Fatalf("bad ARENAWATCH_LOCK_TIMEOUT: exit %d", r.code)
	}
}

func TestInterrupted(t *testing.T) {
	c := newCLI(t)
	release := make(chan struct{})
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer close(release) // before the server closes at cleanup: Close waits for its handlers
	// Three boards on one host: an interrupted run says so in one line, not
	// a FAILED line per board, and does not count toward "failed N times
	// in a row".
	args := []string{"scrape", "openlm-arena", "arena-text", "arena-vision",
		"--url", "openlm-arena=" + srv + "/", "--url", "arena-text=" + srv + "/t", "--url", "arena-vision=" + srv + "/v"}
	for range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		r := c.runCtx(ctx, args...)
		if r.code != exitInterrupted {
			t.Fatalf("exit %d, want %d; stderr %s", r.code, exitInterrupted, r.stderr)
		}
		if strings.Contains(r.stderr, "FAILED") || !strings.Contains(r.stderr, " interrupted not finished: ") ||
			strings.Count(r.stderr, "\n") != 2 {
			t.Fatalf("stderr:\n%s", r.stderr)
		}
	}
	db, err := store.Open(c.db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, err := db.Runs("openlm-arena", 0)
	if n, cerr := db.ConsecutiveFailures("openlm-arena"); err != nil || cerr != nil || len(runs) != 2 || n != 0 {
		t.Errorf("%d runs recorded (%v), %d consecutive failures (%v); want 2 attempts that are not failures", len(runs), err, n, cerr)
	}
}

func TestConfigFile(t *testing.T) {
	c := newCLI(t)
	cfgDir := filepath.Join(c.home, ".config", "arenawatch")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "urls:\n  openlm-arena: https://mirror.example/arena/\nboards:\n  openlm-arena:\n    min_rows: 5\n"
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := decode[[]sourceJSON](t, c.must("sources", "--json").stdout)
	for _, s := range out {
		if s.Board == "openlm-arena" && (s.URLs[0] != "https://mirror.example/arena/" || s.MinRows != 5) {
			t.Fatalf("config not applied: %+v", s)
		}
	}
	// A flag beats the config file.
	out = decode[[]sourceJSON](t, c.must("sources", "--json", "--url", "openlm-arena=https://flag.example/").stdout)
	for _, s := range out {
		if s.Board == "openlm-arena" && s.URLs[0] != "https://flag.example/" {
			t.Fatalf("--url did not win over the config: %+v", s)
		}
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("urls: {}\nfetch:\n  retires: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := c.run("sources"); r.code != exitUsage || !strings.Contains(r.stderr, "retires") {
		t.Fatalf("misspelt config field: exit %d, %q", r.code, r.stderr)
	}
}

func TestViewFlags(t *testing.T) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet")
	rep := decode[reportJSON](t, c.must("report", "arena-text", "--origin", "lineage", "--by", "family", "--json").stdout).Boards[0]
	if rep.OriginView != "lineage" || !rep.ByFamily || len(rep.Views) != 2 {
		t.Fatalf("report view fields: %s %v %d", rep.OriginView, rep.ByFamily, len(rep.Views))
	}
	ranked := decode[rankJSON](t, c.must("rank", "arena-text", "--open", "--by", "family", "--json").stdout)
	seen := map[string]bool{}
	for _, m := range ranked.Rows {
		if seen[m.Family] {
			t.Fatalf("family %s listed twice with --by family", m.Family)
		}
		seen[m.Family] = true
	}
	all := decode[rankJSON](t, c.must("rank", "arena-text", "--open", "--json").stdout)
	if len(ranked.Rows) >= len(all.Rows) {
		t.Errorf("--by family kept %d of %d open rows; the fixture has several DeepSeek-V3 and Qwen3 variants", len(ranked.Rows), len(all.Rows))
	}
	for _, args := range [][]string{{"report", "--origin", "bloodline"}, {"rank", "arena-text", "--by", "vendor"}} {
		if r := c.run(args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, r.code, exitUsage)
		}
	}
}

func TestRecordFlag(t *testing.T) {
	c := newCLI(t)
	rec := filepath.Join(c.home, "recorded")
	c.must("scrape", "--replay", fixtures, "--record", rec, "--quiet")
	// The recording replays to the same snapshots: all unchanged.
	r := c.must("scrape", "--replay", rec, "--json")
	for _, b := range decode[scrapeJSON](t, r.stdout).Boards {
		if b.Status != "unchanged" {
			t.Errorf("%s replayed from the recording: %s", b.Board, b.Status)
		}
	}
}

// TestReplayNeverReachesTheInternet replays a directory that holds only
// openlm.ai: the other boards fail, naming the missing host, at once.
func TestReplayNeverReachesTheInternet(t *testing.T) {
	c := newCLI(t)
	dir := filepath.Join(c.home, "partial", "openlm.ai", "chatbot-arena")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(fixtures, "openlm.ai/chatbot-arena/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	r := c.run("scrape", "--replay", filepath.Join(c.home, "partial"), "--json", "--retries", "0")
	if r.code != exitFailure {
		t.Fatalf("exit %d", r.code)
	}
	for _, b := range decode[scrapeJSON](t, r.stdout).Boards {
		switch {
		case b.Board == "openlm-arena" && b.Status != "stored":
			t.Errorf("openlm-arena: %s", b.Status)
		case b.Board != "openlm-arena" && (b.Error == nil || !strings.Contains(b.Error.Message, "the replay directory has no pages for host")):
			t.Errorf("%s: %+v", b.Board, b.Error)
		}
	}
}

func TestSourcesCheck(t *testing.T) {
	c := newCLI(t)
	r := c.run("sources", "--check", "--replay", fixtures, "--json", "arena-text", "designarena-agents-webapps", "designarena-svg")
	if r.code != exitFailure {
		t.Fatalf("exit %d, want %d (designarena-svg has no fixture of its own)", r.code, exitFailure)
	}
	got := map[string]checkJSON{}
	for _, ck := range decode[[]checkJSON](t, r.stdout) {
		got[ck.Board] = ck
	}
	if a := got["arena-text"]; !a.OK || a.Rows != 214 || a.StatedTotal != 214 || a.MinRows != 20 {
		t.Errorf("arena-text: %+v", a)
	}
	if a := got["designarena-agents-webapps"]; !a.OK || a.Rows != 34 {
		t.Errorf("designarena-agents-webapps: %+v", a)
	}
	// Replayed, it names the real endpoint; the fixtures hold no svg board.
	if s := got["designarena-svg"]; s.OK || s.URL != "https://www.designarena.ai/api/leaderboard" || s.Error == nil || !strings.Contains(s.Error.Message, "HTTP 404") {
		t.Errorf("designarena-svg: %+v", s)
	}
	// Nothing was stored.
	if r := c.run("report"); r.code != exitNoData {
		t.Errorf("sources --check stored something: report exit %d", r.code)
	}
}

func TestMissingAPIKeySkipsBoard(t *testing.T) {
	c := newCLI(t)
	r := c.run("scrape", "--replay", fixtures, "aa-intelligence", "openlm-arena")
	if r.code != 0 || !strings.HasPrefix(r.stderr, "arenawatch: aa-intelligence: skipped: environment variable ARTIFICIAL_ANALYSIS_API_KEY is not set\n") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	// Under cron (--quiet) a board skipped by the configuration is not news:
	// cron would mail every run.
	if r := c.run("scrape", "--replay", fixtures, "aa-intelligence", "openlm-arena", "--quiet"); r.code != 0 || r.stderr != "" {
		t.Fatalf("--quiet: exit %d, stderr %q", r.code, r.stderr)
	}
	c.env["ARTIFICIAL_ANALYSIS_API_KEY"] = "test-key"
	r = c.must("scrape", "--replay", fixtures, "aa-intelligence", "--json")
	if b := decode[scrapeJSON](t, r.stdout).Boards[0]; b.Status != "stored" || b.Rows != 25 {
		t.Fatalf("with a key: %+v", b)
	}
}

// A database whose boards arenawatch does not know (a config source since
// removed) answers report with "no data" (exit 3) and says why, not with
// silence and success.
func TestReportNoKnownBoard(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	db, err := store.Open(c.db, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s := &arenawatch.Snapshot{Board: "gone-board", FetchedAt: c.now.Add(-time.Hour), Origin: arenawatch.OriginScraped,
		Rows: []arenawatch.Row{{Model: "m", Score: 1}}}
	s.ContentHash = s.ComputeContentHash()
	if _, err := db.Save(t.Context(), s, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := c.run("report")
	if r.code != exitNoData || !strings.Contains(r.stderr, "no snapshot of any board") || r.stdout != "" {
		t.Errorf("exit %d\nstdout %q\nstderr %s", r.code, r.stdout, r.stderr)
	}
}
