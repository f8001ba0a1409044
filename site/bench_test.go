package site

import (
	"os"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil/storetest"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// BenchmarkSiteDB loads and renders the site of the default boards of a
// database, without an answer cache: the file ARENAWATCH_BENCH_DB names
// (bench/historygen writes a long history), or else a new database holding
// the fixtures' ten imported dates of hf-text-raw, so that the benchmark
// always runs (.ci/run runs it once).
func BenchmarkSiteDB(b *testing.B) {
	var db *store.DB
	if path := os.Getenv("ARENAWATCH_BENCH_DB"); path != "" {
		var err error
		if db, err = store.Open(path, store.Options{ReadOnly: true, Timeout: time.Second}); err != nil {
			b.Fatal(err)
		}
		defer db.Close()
	} else {
		db, _ = storetest.Open(b)
		storetest.HFHistory(b, db)
	}
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
	if len(bs) == 0 { // the fixtures' history is of a board not among the defaults
		bd, _ := source.Builtin().Get(storetest.HFBoard)
		bs = append(bs, bd)
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
