package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/source"
)

// siteShots, when set, is where TestSiteInBrowser also writes the README's
// screenshots (site-index.png, site-board.png, site-phone.png):
//
//	go test ./cmd/arenawatch -run TestSiteInBrowser -site-shots ../../docs/img
var siteShots = flag.String("site-shots", "", "also write the README's screenshots of the site into this directory")

// chromium is Debian's headless browser; .ci/setup installs it when missing.
const chromium = "/usr/bin/chromium"

// fixtureSite builds the site of the fixture database: every default board
// replayed, and LMArena's ten published dates of hf-text-raw imported so
// that one board has a history to draw. It returns the CLI and the site's
// directory.
func fixtureSite(t *testing.T) (*cli, string) {
	t.Helper()
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet")
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	dir := filepath.Join(t.TempDir(), "site")
	c.must("site", "--out", dir, "--quiet")
	return c, dir
}

func TestSiteGoldenAndDeterministic(t *testing.T) {
	c, dir := fixtureSite(t)
	defer c.checkDB()
	for _, p := range []string{"index.html", "about.html", "boards/arena-text.html", "boards/hf-text-raw.html", "boards/openrouter-daily-tokens.html"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		testutil.Golden(t, "testdata/site/"+strings.ReplaceAll(p, "/", "-")+".golden", b)
	}
	// The same database again, into another directory: the same bytes,
	// charts included.
	again := filepath.Join(t.TempDir(), "again")
	out := decode[siteJSON](t, c.must("site", "--out", again, "--json").stdout)
	if len(out.Files) < 4 || len(out.Skipped) != 0 {
		t.Fatalf("site --json: %+v", out)
	}
	for _, f := range out.Files {
		x, err1 := os.ReadFile(filepath.Join(dir, f))
		y, err2 := os.ReadFile(filepath.Join(again, f))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of one database (%v, %v)", f, err1, err2)
		}
	}
}

func TestSiteUsage(t *testing.T) {
	type test struct {
		name string
		args []string
		code int
		want string
	}
	c := newCLI(t)
	run := func(tests []test) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := c.run(tt.args...)
				if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
					t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.want)
				}
			})
		}
	}
	run([]test{
		{"NoOut", []string{"site"}, exitUsage, "--out DIR is required"},
		{"NoDatabase", []string{"site", "--out", t.TempDir()}, exitNoData, "no database yet"},
		{"UnknownBoard", []string{"site", "--out", t.TempDir(), "no-such-board"}, exitUsage, "no-such-board"},
	})
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text")
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	run([]test{
		{"OutIsAFile", []string{"site", "--out", file}, exitUsage, "--out must name a directory"},
		{"BoardWithoutData", []string{"site", "--out", t.TempDir(), "arena-webdev"}, exitNoData, "no snapshots of board arena-webdev"},
	})
}

// pageCheck is what the browser reads off one page.
type pageCheck struct {
	Links  []string    `json:"links"`
	Images []imageLoad `json:"images"`
	// Answer is a board page's answer, from its data attributes and text.
	Answer *pageAnswer `json:"answer"`
}

type imageLoad struct {
	Src   string `json:"src"`
	Width int    `json:"width"`
	Alt   string `json:"alt"`
}

type pageAnswer struct {
	Lead, LeadText, Best, BestText string
	BestRank, BestPosition         string
	ChineseAbove                   string
}

// readPage is the script that collects a page's links, images and answer.
const readPage = `(() => {
  const attr = (id, a) => { const e = document.getElementById(id); return e ? (e.getAttribute(a) || "") : ""; };
  const text = id => { const e = document.getElementById(id); return e ? e.innerText : ""; };
  const lead = document.getElementById("leading-open");
  return {
    links: Array.from(document.querySelectorAll("a[href]")).map(a => a.getAttribute("href")),
    images: Array.from(document.images).map(i => ({src: i.getAttribute("src"), width: i.complete ? i.naturalWidth : 0, alt: i.alt})),
    answer: lead ? {Lead: attr("leading-open", "data-model"), LeadText: text("leading-open"),
      Best: attr("best-open-non-chinese", "data-model"), BestText: text("best-open-non-chinese"),
      BestRank: attr("best-open-non-chinese", "data-rank"), BestPosition: attr("best-open-non-chinese", "data-open-position"),
      ChineseAbove: attr("chinese-open-above", "data-count")} : null,
  };
})()`

// TestSiteInBrowser opens every page of the fixture site from disk in
// headless Chromium: no console error or exception, every local link
// leads to a file, every image loads, every board page shows the answer
// 'report --json' gives, and the pages are photographed.
func TestSiteInBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s is missing: the site's browser test needs Debian's Chromium (sh .ci/setup, or apt-get install -y chromium)", chromium)
	}
	c, dir := fixtureSite(t)
	rep := decode[reportJSON](t, c.must("report", "--json").stdout)

	ctx, newTab, problems := browser(t)
	pages, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	boards, _ := filepath.Glob(filepath.Join(dir, "boards", "*.html"))
	pages = append(pages, boards...)
	if len(pages) < 3+len(rep.Boards) {
		t.Fatalf("%d pages for %d boards", len(pages), len(rep.Boards))
	}
	// Three tabs read the pages side by side.
	got := make([]pageCheck, len(pages))
	errs := make([]error, len(pages))
	next := make(chan int)
	var wg sync.WaitGroup
	for range 3 {
		tab := newTab()
		wg.Go(func() {
			for i := range next {
				got[i], errs[i] = visit(tab, pages[i])
			}
		})
	}
	for i := range pages {
		next <- i
	}
	close(next)
	wg.Wait()
	answered := 0
	for i, p := range pages {
		if errs[i] != nil {
			t.Errorf("%s: %v", p, errs[i])
			continue
		}
		checkLinks(t, p, got[i])
		if got[i].Answer != nil {
			answered++
			checkAnswer(t, p, got[i].Answer, rep)
		}
	}
	if answered != len(rep.Boards) {
		t.Errorf("%d board pages show an answer, report answers %d boards", answered, len(rep.Boards))
	}
	checkSorting(t, ctx, filepath.Join(dir, "boards", "arena-text.html"))
	if msgs := problems(); len(msgs) > 0 {
		t.Errorf("the browser reported:\n%s", strings.Join(msgs, "\n"))
	}
	screenshots(t, ctx, c)
}

// browser starts headless Chromium for the test with the flags that keep
// it off the network. It returns the browser's context and tabs, a
// function that makes a new tab whose console is watched, and one that
// returns the console errors and exceptions seen so far in any of them.
func browser(t *testing.T) (ctx context.Context, newTab func() context.Context, problems func() []string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
		// Tabs in the background load as the one in front does.
		chromedp.Flag("disable-background-timer-throttling", true), chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	var mu sync.Mutex
	var msgs []string
	note := func(s string) { mu.Lock(); msgs = append(msgs, s); mu.Unlock() }
	watch := chromedp.WithListener(func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			note(fmt.Sprintf("exception: %s (%s:%d)", text, d.URL, d.LineNumber))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				note(fmt.Sprintf("console.%s called", e.Type))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				note(fmt.Sprintf("%s error: %s (%s)", e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		}
	})
	// Each tab opens without a deadline: a tab lives as long as the
	// context of its first run (and the first tab, the browser).
	open := func(parent context.Context) context.Context {
		tab, cancel := chromedp.NewContext(parent, watch)
		t.Cleanup(cancel)
		if err := chromedp.Do(tab); err != nil {
			t.Fatalf("starting %s: %v", chromium, err)
		}
		return tab
	}
	ctx = open(actx)
	return ctx, func() context.Context { return open(ctx) }, func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(msgs) }
}

// visit opens a page from disk in the tab of ctx and reads it.
func visit(ctx context.Context, path string) (pageCheck, error) {
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	u := (&url.URL{Scheme: "file", Path: path}).String()
	if err := chromedp.Do(tctx, chromedp.Navigate(u)); err != nil {
		return pageCheck{}, fmt.Errorf("open %s: %w", u, err)
	}
	return chromedp.Run(tctx, chromedp.Evaluate[pageCheck](readPage))
}

// checkSorting clicks the score header of a board page's table of open
// models twice (sort.js) and checks that the rows come out in ascending,
// then descending order of score.
func checkSorting(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate((&url.URL{Scheme: "file", Path: page}).String())); err != nil {
		t.Fatal(err)
	}
	const click = `(() => {
  const th = document.querySelectorAll("#open-models thead th")[6];
  th.querySelector("button").click();
  const scores = () => Array.from(document.querySelectorAll("#open-models tbody tr")).map(r => parseFloat(r.cells[6].textContent));
  const up = scores();
  th.querySelector("button").click();
  return {sort: th.getAttribute("aria-sort"), up: up, down: scores()};
})()`
	got, err := chromedp.Run(tctx, chromedp.Evaluate[struct {
		Sort     string
		Up, Down []float64
	}](click))
	if err != nil {
		t.Fatal(err)
	}
	if got.Sort != "descending" || len(got.Up) < 10 || !slices.IsSorted(got.Up) || slices.IsSorted(got.Down) || got.Down[0] != slices.Max(got.Down) {
		t.Errorf("sorting by score: aria-sort %q, ascending %v, descending %v", got.Sort, got.Up, got.Down)
	}
}

// checkLinks fails on a local link to a file that does not exist and on
// an image that did not load or has no alternative text.
func checkLinks(t *testing.T, page string, got pageCheck) {
	t.Helper()
	for _, href := range got.Links {
		u, err := url.Parse(href)
		if err != nil {
			t.Errorf("%s: link %q: %v", page, href, err)
			continue
		}
		if u.Scheme != "" || u.Host != "" {
			continue // the sources' own pages: not the site's to check
		}
		target := filepath.Join(filepath.Dir(page), filepath.FromSlash(u.Path))
		if _, err := os.Stat(target); err != nil {
			t.Errorf("%s: broken link %q", page, href)
		}
	}
	for _, img := range got.Images {
		if img.Width <= 0 {
			t.Errorf("%s: image %s did not load", page, img.Src)
		}
		if strings.TrimSpace(img.Alt) == "" {
			t.Errorf("%s: image %s has no alt text", page, img.Src)
		}
	}
}

// checkAnswer compares a board page's answer with 'report --json'.
func checkAnswer(t *testing.T, page string, a *pageAnswer, rep reportJSON) {
	t.Helper()
	id := strings.TrimSuffix(filepath.Base(page), ".html")
	for _, b := range rep.Boards {
		if b.Board != id {
			continue
		}
		if b.LeadingOpen == nil || a.Lead != b.LeadingOpen.Model || !strings.Contains(a.LeadText, b.LeadingOpen.Name) {
			t.Errorf("%s: the page shows leading open %q (%q), report says %+v", id, a.Lead, a.LeadText, b.LeadingOpen)
		}
		best := b.BestOpenNonCN
		if best == nil {
			if a.Best != "" || !strings.Contains(a.BestText, "none") || a.ChineseAbove != fmt.Sprint(b.ChineseOpenAbove) {
				t.Errorf("%s: the page shows best %q (%q), %s Chinese above; report says none, %d above", id, a.Best, a.BestText, a.ChineseAbove, b.ChineseOpenAbove)
			}
			return
		}
		if a.Best != best.Model || !strings.Contains(a.BestText, best.Name) ||
			a.BestRank != fmt.Sprint(best.Rank) || a.BestPosition != fmt.Sprint(best.OpenPosition) || a.ChineseAbove != fmt.Sprint(b.ChineseOpenAbove) {
			t.Errorf("%s: the page shows best %q (%q) rank %s position %s, %s Chinese above; report says %+v, %d above",
				id, a.Best, a.BestText, a.BestRank, a.BestPosition, a.ChineseAbove, best, b.ChineseOpenAbove)
		}
		return
	}
	t.Errorf("%s: the page shows an answer for a board report does not answer", id)
}

// screenshots photographs the index and a board page on a desktop and the
// index on a phone, into the test's temporary directory and, with
// -site-shots, the README's directory. The site photographed lists the
// board with a history first, then a few others.
func screenshots(t *testing.T, ctx context.Context, c *cli) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shown")
	c.must("site", "--out", dir, "--quiet", "hf-text-raw", "arena-text-raw", "arena-text", "openlm-arena", "arena-webdev",
		"swebench-verified", "openrouter-daily-tokens", "designarena-website", "livebench")
	shots := []struct {
		name, page    string
		width, height int64
	}{
		{"site-index.png", "index.html", 1280, 1000},
		{"site-board.png", "boards/hf-text-raw.html", 1280, 1400},
		{"site-phone.png", "index.html", 390, 844},
	}
	out := []string{t.TempDir()}
	if *siteShots != "" {
		out = append(out, *siteShots)
	}
	for _, s := range shots {
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		u := (&url.URL{Scheme: "file", Path: filepath.Join(dir, filepath.FromSlash(s.page))}).String()
		err := chromedp.Do(tctx, chromedp.EmulateViewport(s.width, s.height), chromedp.Navigate(u))
		var img []byte
		if err == nil {
			img, err = chromedp.Run(tctx, chromedp.CaptureScreenshot())
		}
		cancel()
		if err != nil {
			t.Fatalf("screenshot of %s: %v", s.page, err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil || int64(cfg.Width) != s.width {
			t.Errorf("screenshot of %s: %v, %d px wide, want %d", s.page, err, cfg.Width, s.width)
		}
		for _, d := range out {
			if err := os.WriteFile(filepath.Join(d, s.name), img, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestSiteLeavesOutWhatMayNotBeRepublished(t *testing.T) {
	all := source.Builtin()
	bs, err := all.Select([]string{"arena-text", "aa-intelligence", "aa-coding", "bfcl"})
	if err != nil {
		t.Fatal(err)
	}
	keep, skipped := republishable(bs)
	if got := keep.IDs(); !slices.Equal(got, []string{"arena-text", "bfcl"}) || !slices.Equal(skipped, []string{"aa-intelligence", "aa-coding"}) {
		t.Errorf("kept %v, skipped %v", got, skipped)
	}
}
