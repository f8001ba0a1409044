package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// spoilLatest overwrites the latest snapshot record of board with bytes
// that are not a snapshot, as a bad sector or a foreign writer would,
// leaving the file itself consistent for bbolt.
func spoilLatest(t *testing.T, path, board string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("boards")).Bucket([]byte(board)).Bucket([]byte("snapshots"))
		k, _ := b.Cursor().Last()
		return b.Put(k, []byte(`{"board":"`+board+`","rows":[{"model": tru`))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDamagedRecordStaysLocal: one undecodable snapshot fails only the
// question that needs it; the other boards answer, the damaged one is
// named with its record, and the exit code is the damaged-data one (12),
// not a usage error.
func TestDamagedRecordStaysLocal(t *testing.T) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text", "openlm-arena")
	spoilLatest(t, c.db, "arena-text")

	r := c.run("report")
	if r.code != exitDamaged {
		t.Fatalf("report: exit %d, want %d\nstderr: %s", r.code, exitDamaged, r.stderr)
	}
	if !strings.Contains(r.stdout, "openlm-arena") || strings.Contains(r.stdout, "arena-text —") {
		t.Errorf("report did not answer the other board alone:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "arena-text") || !strings.Contains(r.stderr, "cannot be decoded") || strings.Count(r.stderr, "cannot be decoded") != 1 {
		t.Errorf("stderr does not name the damaged record once:\n%s", r.stderr)
	}
	if r := c.run("report", "openlm-arena"); r.code != 0 {
		t.Errorf("a question about the other board: exit %d\n%s", r.code, r.stderr)
	}
	if r := c.run("rank", "arena-text"); r.code != exitDamaged {
		t.Errorf("rank of the damaged board: exit %d, want %d", r.code, exitDamaged)
	}
	r = c.run("catalog", "check")
	if r.code != exitDamaged || !strings.Contains(r.stderr, "1 snapshots could not be read") {
		t.Errorf("catalog check: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// TestTruncatedDatabase: a database cut short is a clear error with its own
// exit code, never a panic and never the usage code.
func TestTruncatedDatabase(t *testing.T) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text", "openlm-arena")
	fi, err := os.Stat(c.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{fi.Size() / 2, fi.Size() * 9 / 10, 100} {
		if err := os.Truncate(c.db, size); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"report"}, {"rank", "arena-text"}, {"catalog", "check"}, {"scrape", "--replay", fixtures, "--quiet", "openlm-arena"}} {
			r := c.run(args...)
			if r.code != exitDamaged || !strings.Contains(r.stderr, "damaged") {
				t.Errorf("%d bytes, %s: exit %d, want %d\nstderr: %s", size, strings.Join(args, " "), r.code, exitDamaged, r.stderr)
			}
		}
	}
}

// TestSiteDamagedBoardStaysLocal: a board whose latest snapshot cannot be
// read is left out of the site, named with its record, and the exit code
// is the damaged-data one; the other boards are published all the same.
func TestSiteDamagedBoardStaysLocal(t *testing.T) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text", "openlm-arena")
	spoilLatest(t, c.db, "arena-text")
	out := filepath.Join(c.home, "site")
	r := c.run("site", "--out", out, "--json")
	if r.code != exitDamaged {
		t.Fatalf("site: exit %d, want %d\nstderr: %s", r.code, exitDamaged, r.stderr)
	}
	doc := decode[siteJSON](t, r.stdout)
	if len(doc.Damaged) != 1 || doc.Damaged[0].Board != "arena-text" || doc.Damaged[0].Error.Kind != "damaged_data" {
		t.Errorf("damaged: %+v", doc.Damaged)
	}
	if len(doc.Boards) != 1 || doc.Boards[0].Board != "openlm-arena" {
		t.Errorf("boards published: %+v", doc.Boards)
	}
	if !strings.Contains(r.stderr, "arena-text") || !strings.Contains(r.stderr, "cannot be decoded") {
		t.Errorf("stderr does not name the damaged record:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "boards", "openlm-arena.html")); err != nil {
		t.Errorf("the undamaged board's page: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "boards", "arena-text.html")); err == nil {
		t.Error("a page was written for the damaged board")
	}
}
