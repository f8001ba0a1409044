package site

import (
	"os"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// BenchmarkSiteDB loads and renders the site of the default boards of an
// existing database, without an answer cache: set ARENAWATCH_BENCH_DB to
// the file (bench/historygen writes a long history). Skipped without it.
func BenchmarkSiteDB(b *testing.B) {
	path := os.Getenv("ARENAWATCH_BENCH_DB")
	if path == "" {
		b.Skip("set ARENAWATCH_BENCH_DB to a database file")
	}
	db, err := store.Open(path, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ids, err := db.Boards()
	if err != nil {
		b.Fatal(err)
	}
	has := map[string]bool{}
	for _, id := range ids {
		has[id] = true
	}
	var bs arenawatch.Boards
	for _, bd := range source.Builtin().Defaults() {
		if has[bd.ID] {
			bs = append(bs, bd)
		}
	}
	for b.Loop() {
		s, err := Load(db, bs, LoadOptions{Catalog: ranking.Embedded()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Render(s, Options{Chart: Draw}); err != nil {
			b.Fatal(err)
		}
	}
}
