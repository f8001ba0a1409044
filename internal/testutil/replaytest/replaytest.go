// Package replaytest starts the repository's fixtures on loopback for the
// tests of several packages. It is apart from testutil because replay's
// own tests import testutil, and testutil must not import replay.
package replaytest

import (
	"testing"

	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/replay"
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
