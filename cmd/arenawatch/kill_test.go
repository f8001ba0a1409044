package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kills is how many times TestScrapeKilled and TestImportKilled kill the
// real command; the default keeps .ci/run short, the figure is
// -kills 30.
var kills = flag.Int("kills", 5, "times the scrape and import kill tests kill the command")

// TestMain runs the children of the kill tests: the real CLI (run) with
// the arguments the parent passes, until it is killed or done.
func TestMain(m *testing.M) {
	if args := os.Getenv("ARENAWATCH_CLI_CHILD"); args != "" {
		// A reparse writes in small batches here, so that kills land
		// before, between and inside its writes.
		reparseBatch = killBatch
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(run(context.Background(), a, strings.NewReader(""), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// killLoop starts the CLI with args in a child process on a copy of file,
// kills it at a random moment within about twice took, and then runs
// check on what the kill left; n times.
func killLoop(t *testing.T, file []byte, args []string, took time.Duration, n int, check func(t *testing.T, k *cli)) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 17))
	for i := range n {
		k := newCLI(t)
		if err := os.WriteFile(k.db, file, 0o600); err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(append([]string{"--db", k.db}, args...))
		cmd := exec.Command(exe, "-test.run", "^$")
		cmd.Env = append(os.Environ(), "ARENAWATCH_CLI_CHILD="+string(js), "HOME="+k.home,
			"XDG_CONFIG_HOME="+filepath.Join(k.home, "config"), "ARENAWATCH_CONFIG=", "ARENAWATCH_DB=")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(2*took + 30*time.Millisecond)))
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Run(fmt.Sprintf("kill %d after %v", i, delay.Round(time.Millisecond)), func(t *testing.T) {
			k.t = t
			if r := k.run("db", "check"); r.code != 0 {
				t.Fatalf("db check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			check(t, k)
			k.checkDB()
		})
	}
}

// snapshotSet lists every board's snapshots as "board time hash".
func snapshotSet(t *testing.T, c *cli, boards ...string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, b := range boards {
		for _, in := range c.snapshotInfos(b) {
			out[b+" "+in.FetchedAt.Format(time.RFC3339Nano)+" "+in.ContentHash] = true
		}
	}
	return out
}

// TestScrapeKilled kills a replay scrape of the default boards into a
// file that already holds two of them: after each kill the file checks
// clean, the earlier snapshots are all there, and a scrape run again
// stores the rest (and one more stores nothing).
func TestScrapeKilled(t *testing.T) {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "arena-text", "sciarena", "--quiet")
	before := snapshotSet(t, c, "arena-text", "sciarena")
	file, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c.must("scrape", "--replay", fixtures, "--quiet")
	took := time.Since(start)
	defaults := c.boardsWithSnapshots()
	killLoop(t, file, []string{"scrape", "--replay", fixtures, "--quiet"}, took, *kills, func(t *testing.T, k *cli) {
		after := snapshotSet(t, k, "arena-text", "sciarena")
		for s := range before {
			if !after[s] {
				t.Errorf("snapshot %s is gone", s)
			}
		}
		k.must("scrape", "--replay", fixtures, "--quiet")
		if got := k.boardsWithSnapshots(); got != defaults {
			t.Errorf("after a second scrape: %d boards with snapshots, want %d", got, defaults)
		}
		r := decode[scrapeJSON](t, k.must("scrape", "--replay", fixtures, "--json").stdout)
		for _, b := range r.Boards {
			if b.Status != "unchanged" {
				t.Errorf("a third scrape: %s %s", b.Board, b.Status)
			}
		}
	})
}

// boardsWithSnapshots counts the boards the file has snapshots of.
func (c *cli) boardsWithSnapshots() int {
	var s struct {
		Boards []struct {
			Snapshots int `json:"snapshots"`
		} `json:"boards"`
	}
	if err := json.Unmarshal([]byte(c.must("db", "stats", "--json").stdout), &s); err != nil {
		c.t.Fatal(err)
	}
	n := 0
	for _, b := range s.Boards {
		if b.Snapshots > 0 {
			n++
		}
	}
	return n
}

// killParquet writes a dataset file with the first n of its dates.
func killParquet(t *testing.T, dir string, n int) string {
	var rows []pqTestRow
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := range n {
		for i := range 20 {
			rows = append(rows, pqTestRow{ModelName: fmt.Sprintf("model-%d", i), Rating: float64(1500 - i - d%5), Rank: float64(i + 1),
				Category: "overall", Date: day.AddDate(0, 0, d).Format(time.DateOnly)})
		}
	}
	path := filepath.Join(dir, fmt.Sprintf("full-%d.parquet", n))
	if err := os.WriteFile(path, writeTestParquet(t, rows), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportKilled kills an import of 600 dates (three writes) into a
// file that already holds the first 100: after each kill the file checks
// clean, the 100 are there, and the import run again stores the rest.
func TestImportKilled(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	small, large := killParquet(t, dir, 100), killParquet(t, dir, 600)
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", small, "--quiet")
	before := snapshotSet(t, c, "hf-text-raw")
	file, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"import", "hf-leaderboard", "hf-text-raw", "--from", large, "--quiet"}
	start := time.Now()
	c.must(args...)
	took := time.Since(start)
	killLoop(t, file, args, took, *kills, func(t *testing.T, k *cli) {
		after := snapshotSet(t, k, "hf-text-raw")
		for s := range before {
			if !after[s] {
				t.Errorf("snapshot %s is gone", s)
			}
		}
		k.must(args...)
		if n := len(k.snapshotInfos("hf-text-raw")); n != 600 {
			t.Errorf("after a second import: %d snapshots, want 600", n)
		}
		sum := decode[importJSON](t, k.must(append(args[:len(args)-1], "--json")...).stdout)
		if b := sum.Boards[0]; b.Stored != 0 || b.Unchanged != 600 {
			t.Errorf("a third import: %d stored, %d unchanged", b.Stored, b.Unchanged)
		}
	})
}
