package fetch

import (
	"testing"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

func TestCheckBlocked(t *testing.T) {
	if err := CheckBlocked(403, nil, testutil.Fixture(t, "blocked/cloudflare-challenge.html")); err == nil {
		t.Fatal("the Cloudflare challenge fixture was not recognised")
	}
	if err := CheckBlocked(200, nil, testutil.Fixture(t, "arena.ai/leaderboard/text/index.html")); err != nil {
		t.Fatalf("a leaderboard page was taken for a block page: %v", err)
	}
}
