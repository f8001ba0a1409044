package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/store"
)

// seedHistory saves n snapshots of board into the CLI's database, one an
// hour ending an hour before end, each with a raw page of its own and
// different scores; origin gives each one's Origin.
func seedHistory(t *testing.T, path, board string, n int, end time.Time, origin func(i int) string) {
	t.Helper()
	db, err := store.Open(path, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range n {
		at := end.Add(-time.Duration(n-i) * time.Hour)
		page := []byte(fmt.Sprintf("<html>%s %s</html>", board, at))
		sum := sha256.Sum256(page)
		sha := hex.EncodeToString(sum[:])
		s := &arenawatch.Snapshot{Board: board, FetchedAt: at, Origin: origin(i), URL: "https://example.test/" + board,
			Status: 200, SHA256: sha, ParserVersion: "test/1",
			Documents: []arenawatch.Document{{Name: "page", Method: "GET", URL: "https://example.test/" + board, Status: 200, SHA256: sha, Size: len(page)}}}
		for r := range 20 {
			s.Rows = append(s.Rows, arenawatch.Row{Rank: r + 1, Model: fmt.Sprintf("model-%d", r), Score: 1400 - float64(r) + float64(i)/10})
		}
		s.ContentHash = s.ComputeContentHash()
		if _, err := db.Save(context.Background(), s, map[string][]byte{sha: page}); err != nil {
			t.Fatal(err)
		}
	}
}

func originIs(o string) func(int) string { return func(int) string { return o } }

func TestDBStatsAndCheck(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text", "openlm-arena")
	seedHistory(t, c.db, "arena-text", 3, c.now, originIs(arenawatch.OriginScraped))

	st := decode[store.Stats](t, c.must("db", "stats", "--json").stdout)
	if st.SchemaVersion != store.CurrentSchemaVersion || st.Snapshots != 5 || len(st.Boards) != 2 || st.RawBodies == 0 || st.FileBytes == 0 {
		t.Fatalf("stats: %+v", st)
	}
	a := st.Boards[0]
	if a.Board != "arena-text" || a.Snapshots != 4 || a.Origins["replayed"] != 1 || a.Origins["scraped"] != 3 ||
		!a.Last.Equal(c.now) || !a.First.Equal(c.now.Add(-3*time.Hour)) {
		t.Errorf("arena-text: %+v", a)
	}
	human := c.must("db", "stats").stdout
	for _, want := range []string{"arena-text", "openlm-arena", "5 snapshots of 2 boards", "schema 2", "scraped 3, replayed 1"} {
		if !strings.Contains(human, want) {
			t.Errorf("db stats does not say %q:\n%s", want, human)
		}
	}

	chk := decode[dbCheckJSON](t, c.must("db", "check", "--json").stdout)
	if !chk.OK || chk.Problems == nil || len(chk.Problems) != 0 || chk.Path != c.db {
		t.Errorf("check --json: %+v", chk)
	}
	if out := c.must("db", "check").stdout; out != c.db+": ok\n" {
		t.Errorf("db check: %q", out)
	}
}

// A damaged record fails the check with exit 12, naming its board and time.
func TestDBCheckDamaged(t *testing.T) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text", "openlm-arena")
	spoilLatest(t, c.db, "arena-text")
	at := c.now.UTC().Format(time.RFC3339Nano)

	r := c.run("db", "check")
	if r.code != exitDamaged || !strings.Contains(r.stdout, "board arena-text: snapshot "+at+": cannot be decoded") ||
		!strings.Contains(r.stderr, "1 problems") {
		t.Errorf("db check: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = c.run("db", "check", "--json")
	chk := decode[dbCheckJSON](t, r.stdout)
	if r.code != exitDamaged || chk.OK || len(chk.Problems) != 1 || chk.Problems[0].Board != "arena-text" ||
		!chk.Problems[0].At.Equal(c.now) || chk.Problems[0].Record != "snapshot" {
		t.Errorf("db check --json: exit %d, %+v", r.code, chk)
	}
}

func TestDBPrune(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	// 10 hourly snapshots of a; the 3rd and 4th imported.
	seedHistory(t, c.db, "a", 10, c.now, func(i int) string {
		if i == 2 || i == 3 {
			return arenawatch.OriginImported
		}
		return arenawatch.OriginScraped
	})
	seedHistory(t, c.db, "b", 4, c.now, originIs(arenawatch.OriginScraped))
	file, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("dry run lists and changes nothing", func(t *testing.T) {
		res := decode[store.Removal](t, c.must("db", "prune", "--keep-last", "2", "--dry-run", "--json").stdout)
		if !res.DryRun || res.Removed != 6+2 || len(res.Boards) != 2 || len(res.Boards[0].Removed) != 6 {
			t.Errorf("prune --dry-run: %+v", res)
		}
		human := c.must("db", "prune", "--keep-last", "2", "--dry-run").stdout
		if strings.Count(human, "would remove ") != 8 || !strings.Contains(human, "would prune 8 snapshots of 2 boards (6 left)") {
			t.Errorf("prune --dry-run lists:\n%s", human)
		}
		if after, _ := os.ReadFile(c.db); !bytes.Equal(after, file) {
			t.Error("a dry run changed the file")
		}
	})
	t.Run("refuses an empty policy", func(t *testing.T) {
		for _, args := range [][]string{{"db", "prune"}, {"db", "prune", "--include-imported"}, {"db", "prune", "--keep-within", "soon"}, {"db", "prune", "--keep-daily", "-2"}} {
			if r := c.run(args...); r.code != exitUsage {
				t.Errorf("%s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, exitUsage, r.stderr)
			}
		}
	})
	t.Run("keeps latest and imported", func(t *testing.T) {
		r := c.must("db", "prune", "--keep-last", "1", "--board", "a")
		if !strings.Contains(r.stdout, "pruned 7 snapshots of 1 boards (3 left)") || !strings.Contains(r.stdout, "db compact") {
			t.Errorf("prune:\n%s", r.stdout)
		}
		st := decode[store.Stats](t, c.must("db", "stats", "--json").stdout)
		if a := st.Boards[0]; a.Snapshots != 3 || a.Origins["imported"] != 2 || !a.Last.Equal(c.now.Add(-time.Hour)) {
			t.Errorf("after the prune, a: %+v", a)
		}
		if b := st.Boards[1]; b.Snapshots != 4 {
			t.Errorf("b was pruned too: %+v", b)
		}
	})
}

// Backups taken while another process's scrapes keep opening the
// database for a write each are whole databases; a writer holding the
// file past --lock-timeout makes backup exit 11 and write nothing.
func TestDBBackup(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	seedHistory(t, c.db, "a", 5, c.now.Add(-24*time.Hour), originIs(arenawatch.OriginScraped))
	dir := t.TempDir()
	var wg sync.WaitGroup
	wg.Add(1)
	writeErr := make(chan error, 1)
	go func() {
		defer wg.Done()
		for i := range 20 {
			db, err := store.Open(c.db, store.Options{Timeout: 10 * time.Second})
			if err != nil {
				writeErr <- err
				return
			}
			err = db.RecordFailure(context.Background(), "a", c.now.Add(time.Duration(i)*time.Second), arenawatch.KindBlocked, "u", "403")
			db.Close()
			if err != nil {
				writeErr <- err
				return
			}
		}
	}()
	for i := range 5 {
		p := filepath.Join(dir, fmt.Sprintf("b%d.db", i))
		out := decode[map[string]any](t, c.must("db", "backup", p, "--json").stdout)
		if out["path"] != p {
			t.Errorf("backup --json: %v", out)
		}
		db, err := store.Open(p, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Check(); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if s, _ := db.Snapshots("a"); len(s) != 5 {
			t.Errorf("%s holds %d snapshots of a, want 5", p, len(s))
		}
		db.Close()
	}
	wg.Wait()
	close(writeErr)
	if err := <-writeErr; err != nil {
		t.Fatalf("the writer failed beside the backups: %v", err)
	}

	existing := filepath.Join(dir, "b0.db")
	if r := c.run("db", "backup", existing); r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("backup over a file: exit %d\n%s", r.code, r.stderr)
	}
	c.must("db", "backup", existing, "--force")

	w, err := store.Open(c.db, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	held := filepath.Join(dir, "held.db")
	r := c.run("--lock-timeout", "100ms", "db", "backup", held)
	w.Close()
	if _, err := os.Stat(held); r.code != exitLocked || err == nil {
		t.Errorf("backup beside a held writer: exit %d, file there: %v\n%s", r.code, err == nil, r.stderr)
	}
}

// A compact after a prune shrinks the file; it then checks clean and
// answers report --json as before.
func TestDBCompact(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text", "openlm-arena")
	seedHistory(t, c.db, "arena-text", 40, c.now, originIs(arenawatch.OriginScraped))
	c.must("db", "prune", "--keep-last", "1")
	report := c.must("report", "--json", "arena-text", "openlm-arena").stdout
	st := decode[store.Stats](t, c.must("db", "stats", "--json").stdout)
	if st.FreePages == 0 {
		t.Fatalf("no free pages after the prune: %+v", st)
	}

	res := decode[store.CompactResult](t, c.must("db", "compact", "--json").stdout)
	fi, err := os.Stat(c.db)
	if err != nil || res.BytesAfter >= res.BytesBefore || fi.Size() != res.BytesAfter || res.BytesBefore != st.FileBytes {
		t.Errorf("compact: %+v; the file is %d bytes (%v), was %d", res, fi.Size(), err, st.FileBytes)
	}
	c.must("db", "check")
	if got := c.must("report", "--json", "arena-text", "openlm-arena").stdout; got != report {
		t.Errorf("report --json differs after the compact:\n%s\nwas\n%s", got, report)
	}
	if out := c.must("db", "compact").stdout; !strings.Contains(out, "before") {
		t.Errorf("db compact: %q", out)
	}
}

func TestDBDropReplayed(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	seedHistory(t, c.db, "arena-text", 2, c.now.Add(-time.Hour), originIs(arenawatch.OriginScraped))
	c.must("scrape", "--replay", fixtures, "--quiet", "arena-text", "openlm-arena")
	file, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	dry := c.must("db", "drop", "--replayed", "--dry-run").stdout
	if strings.Count(dry, "would remove ") != 2 || !strings.Contains(dry, "replayed") {
		t.Errorf("drop --dry-run:\n%s", dry)
	}
	if after, _ := os.ReadFile(c.db); !bytes.Equal(after, file) {
		t.Error("a dry run changed the file")
	}
	res := decode[store.Removal](t, c.must("db", "drop", "--replayed", "--json").stdout)
	if res.DryRun || res.Removed != 2 || res.Remaining != 2 || res.Bodies == 0 {
		t.Errorf("drop --replayed: %+v", res)
	}
	st := decode[store.Stats](t, c.must("db", "stats", "--json").stdout)
	if st.Snapshots != 2 || st.Boards[0].Origins["replayed"] != 0 {
		t.Errorf("after the drop: %+v", st)
	}
	for _, args := range [][]string{{"db", "drop"}, {"db", "drop", "--since", "yesterday"}, {"db", "drop", "--since", "2026-03-02", "--until", "2026-03-01"}} {
		if r := c.run(args...); r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, exitUsage, r.stderr)
		}
	}
	if r := c.run("db", "drop", "--board", "nope"); r.code != exitNoData {
		t.Errorf("drop of an unknown board: exit %d\n%s", r.code, r.stderr)
	}
}
