// Benchmarks of the whole scrape path (package scraper's runner) on this
// package's pages: an external test, since the runner imports this package.
package source_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/internal/testutil/fetchopt"
	"github.com/arenawatch/arenawatch/internal/testutil/replaytest"
	"github.com/arenawatch/arenawatch/scraper"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// BenchmarkReplayScrape is the whole fetch → extract → validate pipeline
// for the four boards of the first release against the fixtures on
// loopback (no store).
func BenchmarkReplayScrape(b *testing.B) {
	rp := replaytest.Fixtures(b)
	boards, err := source.Builtin().Select([]string{"arena-text", "arena-text-raw", "designarena-website", "openlm-arena"})
	if err != nil {
		b.Fatal(err)
	}
	boards = rp.RewriteBoards(boards)
	opt := fetchopt.Fast()
	for b.Loop() {
		r := &scraper.Runner{Fetcher: fetch.New(opt)}
		r.Run(context.Background(), boards, func(res scraper.Result) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		})
	}
}

// BenchmarkSideScrape is the whole scrape path of one arena.ai page: fetch
// over loopback HTTP, check, extract, validate (scraper.Runner.Board), then
// compress and store in a new bbolt database (store.Save, real fsyncs;
// the database is opened outside the timer), for a 20-row page and for
// pages of 1.7 MB and 5 MB built by liveSizedPage, beside one html.Parse
// of the big pages. The cost of a big page is its time above the 20-row
// page's.
func BenchmarkSideScrape(b *testing.B) {
	small := testutil.FlightPage(b, source.TwentyRowStream(b), 2048, "")
	for _, c := range []struct {
		name string
		page []byte
	}{{"20rows", small}, {"1.7MB", source.LiveSizedPage(b, 1700<<10)}, {"5MB", source.LiveSizedPage(b, 5<<20)}} {
		b.Run(c.name, func(b *testing.B) {
			if c.name != "20rows" {
				source.SideBySide(b, c.page, "html.Parse", source.HTMLParse(c.page))
			}
			b.Run("scrape+store", func(b *testing.B) { benchScrape(b, c.page) })
		})
	}
}

func benchScrape(b *testing.B, page []byte) {
	srv := testutil.Server(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	boards, err := source.Builtin().Select([]string{"arena-text"})
	if err != nil {
		b.Fatal(err)
	}
	board := boards[0]
	board.Requests = []arenawatch.Request{{Name: "page", Method: "GET", URL: srv + "/leaderboard/text"}}
	dir := b.TempDir()
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("%d.db", i)), store.Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		r := &scraper.Runner{Fetcher: fetch.New(fetchopt.Fast())}
		b.StartTimer()
		res := r.Board(ctx, board)
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		if _, err := db.Save(ctx, res.Snapshot, res.Raw); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
