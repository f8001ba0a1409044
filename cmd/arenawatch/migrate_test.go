package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/store"
)

// An arenawatch database made by the schema-1 code (store/testdata/v1)
// answers the same before and after the first write migrates it: report
// --json for every board, and rank --json at an imported date. The
// migration is said once on stderr, and the copy is kept.
func TestMigrateV1Database(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	v1 := testutil.Gunzip(t, filepath.Join(filepath.Dir(testutil.FixturesDir()), "store", "testdata", "v1", "arenawatch-v1.db.gz"))
	if err := os.WriteFile(c.db, v1, 0o600); err != nil {
		t.Fatal(err)
	}
	questions := [][]string{
		{"report", "--json"},
		{"rank", "hf-text-raw", "--at", "2025-01-01", "--json"},
		{"rank", "arena-text", "--open", "--json"},
	}
	var before []string
	for _, q := range questions {
		r := c.must(q...)
		if r.stderr != "" {
			t.Errorf("%v on the schema-1 file said %q; reading migrates nothing", q, r.stderr)
		}
		before = append(before, r.stdout)
	}

	r := c.must("scrape", "--replay", fixtures, "sciarena")
	if n := strings.Count(r.stderr, "migrating "); n != 1 || !strings.Contains(r.stderr, c.db+store.BackupSuffix) {
		t.Errorf("the scrape that migrated said:\n%s\nwant one line naming the copy", r.stderr)
	}
	if got, err := os.ReadFile(c.db + store.BackupSuffix); err != nil || string(got) != string(v1) {
		t.Errorf("the copy is not the schema-1 file (%v)", err)
	}
	for i, q := range questions {
		if got := c.must(q...).stdout; got != before[i] {
			t.Errorf("%v answers differently after the migration:\nbefore: %.300s\nafter:  %.300s", q, before[i], got)
		}
	}
	if r := c.must("scrape", "--replay", fixtures, "sciarena"); strings.Contains(r.stderr, "migrat") {
		t.Errorf("a second write said %q", r.stderr)
	}
}
