package main

import (
	"flag"
	"os"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/store"
)

// reparseKills is how many times TestReparseKilled kills a reparse; the
// default keeps .ci/run short, the figure is -reparse-kills 30.
var reparseKills = flag.Int("reparse-kills", 5, "times TestReparseKilled kills a reparsing process")

// killSnapshots is how many misread snapshots the kill test's file holds,
// written by the killed child in batches of killBatch (ten transactions),
// so that kills land before, between and inside the writes.
const (
	killSnapshots = 300
	killBatch     = 30
)

// reparseKillFixture writes a database of one scraped sciarena snapshot
// and killSnapshots earlier ones an old parser misread from the same raw
// body (each a little differently, so each is stored), and returns its
// bytes and its snapshots as fetch time + content hash, in key order.
func reparseKillFixture(t *testing.T) ([]byte, []string) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "sciarena", "--quiet")
	c.withStore(func(db *store.DB) {
		latest, err := db.Latest("sciarena")
		if err != nil {
			t.Fatal(err)
		}
		items := make([]store.SaveItem, killSnapshots)
		for i := range items {
			old := *latest
			old.FetchedAt = latest.FetchedAt.Add(-time.Duration(killSnapshots-i) * time.Hour)
			old.ParserVersion = "old/0"
			old.Rows = append([]arenawatch.Row(nil), latest.Rows...)
			old.Rows[i%len(old.Rows)].Score += float64(1 + i)
			old.ContentHash = old.ComputeContentHash()
			items[i] = store.SaveItem{Snapshot: &old}
		}
		if _, err := db.SaveBatch(t.Context(), items); err != nil {
			t.Fatal(err)
		}
	})
	file, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	return file, snapshotKeys(t, c)
}

// snapshotKeys lists the board's snapshots as "fetch time content hash".
func snapshotKeys(t *testing.T, c *cli) []string {
	t.Helper()
	var out []string
	for _, in := range c.snapshotInfos("sciarena") {
		out = append(out, in.FetchedAt.Format(time.RFC3339Nano)+" "+in.ContentHash)
	}
	return out
}

// TestReparseKilled kills a reparse of many snapshots at random moments:
// after each kill 'db check' is clean, every snapshot there before is
// still there, and a reparse run again finishes the job (a third stores
// nothing).
func TestReparseKilled(t *testing.T) {
	file, before := reparseKillFixture(t)
	// How long the whole reparse takes here.
	c := newCLI(t)
	if err := os.WriteFile(c.db, file, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c.must("reparse", "sciarena", "--quiet")
	took := time.Since(start)
	full := len(snapshotKeys(t, c))
	if full != len(before)+killSnapshots {
		t.Fatalf("a whole reparse left %d snapshots, want %d", full, len(before)+killSnapshots)
	}
	midway := 0
	killLoop(t, file, []string{"reparse", "sciarena", "--quiet"}, took, *reparseKills, func(t *testing.T, k *cli) {
		got := snapshotKeys(t, k)
		have := map[string]bool{}
		for _, s := range got {
			have[s] = true
		}
		for _, s := range before {
			if !have[s] {
				t.Errorf("snapshot %s is gone", s)
			}
		}
		if len(got) > len(before) && len(got) < full {
			midway++
		}
		k.must("reparse", "sciarena", "--quiet")
		if n := len(snapshotKeys(t, k)); n != full {
			t.Errorf("after a second reparse: %d snapshots, want %d", n, full)
		}
		again := decode[reparseJSON](t, k.must("reparse", "sciarena", "--json").stdout)
		if b := again.Boards[0]; b.Reparsed != 0 || b.Unchanged != killSnapshots+1 {
			t.Errorf("a third reparse: %d re-parsed, %d unchanged", b.Reparsed, b.Unchanged)
		}
	})
	t.Logf("%d of %d kills landed between the first and the last write (a reparse of %d snapshots takes %v here)", midway, *reparseKills, killSnapshots, took)
}
