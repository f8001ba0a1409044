// Package replaytest starts the repository's fixtures on loopback for the
// tests of several packages. It is apart from testutil because replay's
// own tests import testutil, and testutil must not import replay. It
// imports source (Scrape checks the boards), so source's internal tests
// cannot import it; source's external tests can.
package replaytest

import (
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/internal/testutil/fetchopt"
	"github.com/arenawatch/arenawatch/replay"
	"github.com/arenawatch/arenawatch/source"
)

// Fixtures serves the repository's fixtures/ on loopback until the test
// ends.
func Fixtures(tb testing.TB) *replay.Replay {
	tb.Helper()
	rp, err := replay.Start(testutil.FixturesDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { rp.Close() })
	return rp
}

// Now is the fixed clock of a Scrape: every snapshot it makes is fetched
// at this instant.
var Now = time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC)

// Settings are the scraper.Runner fields of a replayed run: the real
// fetcher with fetchopt.Fast, the fixed clock Now, and the replay's hooks
// that keep every request on loopback and name a missing fixture.
type Settings struct {
	Fetcher     *fetch.Fetcher
	Now         func() time.Time
	Allow       func(arenawatch.Request) error
	Rewrite     func(string) string
	MissingHint func(arenawatch.Request) string
}

// Scrape scrapes boards against the fixtures on loopback and returns each
// board's result by the board ID that id reads from it. It points the
// boards at the loopback server, fails the test when one is not valid, and
// hands them with the Settings to run, which builds a scraper.Runner from
// them and runs it, calling report once per board. run is a parameter so
// that this package need not import scraper, whose internal tests use
// Scrape: importing it would be an import cycle.
func Scrape[R any](tb testing.TB, boards arenawatch.Boards, id func(R) string, run func(s Settings, boards arenawatch.Boards, report func(R))) map[string]R {
	tb.Helper()
	rp := Fixtures(tb)
	boards = rp.RewriteBoards(boards)
	for _, b := range boards {
		if err := source.CheckBoard(b); err != nil {
			tb.Fatal(err)
		}
	}
	s := Settings{Fetcher: fetch.New(fetchopt.Fast()), Now: func() time.Time { return Now }, Allow: rp.Allow, Rewrite: rp.Rewrite, MissingHint: replay.MissingHint}
	var mu sync.Mutex
	got := map[string]R{}
	run(s, boards, func(res R) {
		mu.Lock()
		defer mu.Unlock()
		got[id(res)] = res
	})
	return got
}
