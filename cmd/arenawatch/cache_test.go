package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestAnswerCache checks that 'history' keeps its answers and that a kept
// answer is served only for exactly what it answered: the same snapshot,
// catalog file (its content, not its version string) and view. Every
// history here must equal the one answered with the cache off.
func TestAnswerCache(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.env["ARENAWATCH_CACHE"] = "off" // the import would keep its answers
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	delete(c.env, "ARENAWATCH_CACHE")
	cacheFile := filepath.Join(c.home, ".cache", "arenawatch", "answers.db")
	uncached := func(args ...string) string {
		t.Helper()
		c.env["ARENAWATCH_CACHE"] = "off"
		defer delete(c.env, "ARENAWATCH_CACHE")
		return c.must(args...).stdout
	}
	want := uncached("history", "hf-text-raw", "--json")
	if _, err := os.Stat(cacheFile); err == nil {
		t.Fatal("ARENAWATCH_CACHE=off wrote a cache")
	}
	if got := c.must("history", "hf-text-raw", "--json").stdout; got != want {
		t.Fatalf("first answer with the cache differs:\n%s\nwant\n%s", got, want)
	}
	if n := tamperCache(t, cacheFile); n != 10 {
		t.Fatalf("the cache holds %d rows, want the 10 dates'", n)
	}
	// A kept row is served as it was kept: the tampered name shows.
	if got := c.must("history", "hf-text-raw", "--json").stdout; !strings.Contains(got, `"name": "TAMPERED"`) {
		t.Fatal("the second history did not read the cache")
	}
	if err := os.Remove(cacheFile); err != nil {
		t.Fatal(err)
	}

	override := filepath.Join(c.home, "catalog.yaml")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(override, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("version: \"local-1\"\nmodels:\n  - match: \"DeepSeek-R1\"\n    open: false\n    reason: test\n")
	tests := []struct {
		name string
		args []string
		edit string // a new content for the override file, same version string
	}{
		{"OtherCatalog", []string{"--catalog", override}, ""},
		{"SameVersionEditedFile", []string{"--catalog", override}, "version: \"local-1\"\nmodels:\n  - match: \"Gemma*\"\n    open: false\n    reason: test\n"},
		{"OtherView", []string{"--origin", "lineage"}, ""},
		{"ByFamily", []string{"--by", "family"}, ""},
		{"OtherTop", []string{"--top", "3"}, ""},
		{"Periods", []string{"--every", "month"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.edit != "" {
				write(tt.edit)
			}
			args := append([]string{"history", "hf-text-raw", "--json"}, tt.args...)
			want := uncached(args...)
			for i := range 2 { // answered, then kept
				if got := c.must(args...).stdout; got != want {
					t.Fatalf("run %d: %s with the cache differs from without", i+1, tt.name)
				}
			}
		})
	}
}

// tamperCache renames the leading open model of every kept row and
// returns how many rows it changed.
func tamperCache(t *testing.T, path string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				var row map[string]any
				if json.Unmarshal(v, &row) != nil {
					return nil // the generation's last-used stamp
				}
				lead, _ := row["leading_open"].(map[string]any)
				if lead == nil {
					return nil
				}
				lead["name"] = "TAMPERED"
				nv, _ := json.Marshal(row)
				n++
				return b.Put(k, nv)
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAnswerCacheUnusable checks that a cache that cannot be used costs
// time, never an answer: a damaged file, a file another arenawatch holds,
// and a path that cannot be created all give the uncached history.
func TestAnswerCacheUnusable(t *testing.T) {
	c := newCLI(t)
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	c.env["ARENAWATCH_CACHE"] = "off"
	want := c.must("history", "hf-text-raw", "--json").stdout

	damaged := filepath.Join(c.home, "damaged.db")
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(damaged, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	held := filepath.Join(c.home, "held.db")
	holder, err := bolt.Open(held, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	notDir := filepath.Join(c.home, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path string }{
		{"Damaged", damaged},
		{"HeldByAnother", held},
		{"Uncreatable", filepath.Join(notDir, "answers.db")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c.env["ARENAWATCH_CACHE"] = tt.path
			r := c.must("history", "hf-text-raw", "--json")
			if r.stdout != want || r.stderr != "" {
				t.Fatalf("history with an unusable cache: stderr %q, same answer %v", r.stderr, r.stdout == want)
			}
		})
	}
}

// TestAnswerCacheWarmedByWrites checks that import, import csv and scrape
// answer what they store into the cache, and that those rows are exactly
// what history answers without a cache: the first history after an
// import then reads them (the tampered rows show) instead of decoding
// every snapshot again.
func TestAnswerCacheWarmedByWrites(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	c.must("import", "csv", archive92, "--board", "arena-text-raw", "--quiet")
	c.must("scrape", "--replay", fixtures, "arena-text", "openrouter-daily-tokens", "--quiet")
	cacheFile := filepath.Join(c.home, ".cache", "arenawatch", "answers.db")
	// No history has run: what the cache holds, the writes kept. 10 + 92
	// imported dates and one scraped snapshot; the usage board is not
	// answered by history and not kept.
	if n := cacheRows(t, cacheFile); n != 103 {
		t.Fatalf("the writes kept %d rows, want 103", n)
	}
	for _, board := range []string{"hf-text-raw", "arena-text-raw", "arena-text"} {
		c.env["ARENAWATCH_CACHE"] = "off"
		want := c.must("history", board, "--json").stdout
		delete(c.env, "ARENAWATCH_CACHE")
		if got := c.must("history", board, "--json").stdout; got != want {
			t.Fatalf("%s: the rows kept by the writes differ from the answers", board)
		}
	}
	if n := tamperCache(t, cacheFile); n != 103 {
		t.Fatalf("the cache holds %d rows, want 103", n)
	}
	if got := c.must("history", "hf-text-raw", "--json").stdout; !strings.Contains(got, `"name": "TAMPERED"`) {
		t.Fatal("history answered again instead of reading the rows the import kept")
	}
}

// cacheRows counts the rows a cache file holds.
func cacheRows(t *testing.T, path string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, _ []byte) error {
				if string(k) != "\x00last-used" {
					n++
				}
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
