package answers

import (
	"os"
	"testing"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

// BenchmarkHistoryDB answers every snapshot of a board of an existing
// database end to end (index, read, decode, answer): set
// ARENAWATCH_BENCH_DB to the file and ARENAWATCH_BENCH_BOARD to the board
// (docs/benchmarks.md says how the 10,000-date database is made).
func BenchmarkHistoryDB(b *testing.B) {
	path, board := os.Getenv("ARENAWATCH_BENCH_DB"), os.Getenv("ARENAWATCH_BENCH_BOARD")
	if path == "" || board == "" {
		b.Skip("set ARENAWATCH_BENCH_DB and ARENAWATCH_BENCH_BOARD")
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for b.Loop() {
		rows, _, err := History(db, board, history.Options{Catalog: ranking.Embedded()})
		if err != nil || len(rows) == 0 {
			b.Fatal(len(rows), err)
		}
	}
}

// BenchmarkHistoryDBCached is BenchmarkHistoryDB with an answer cache
// filled by a first run outside the timing: the cost of a history asked
// again.
func BenchmarkHistoryDBCached(b *testing.B) {
	path, board := os.Getenv("ARENAWATCH_BENCH_DB"), os.Getenv("ARENAWATCH_BENCH_BOARD")
	if path == "" || board == "" {
		b.Skip("set ARENAWATCH_BENCH_DB and ARENAWATCH_BENCH_BOARD")
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cache, err := OpenCache(b.TempDir()+"/answers.db", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer cache.Close()
	opt := history.Options{Catalog: ranking.Embedded()}
	if _, _, err := HistoryCached(db, cache, board, opt); err != nil {
		b.Fatal(err)
	}
	if err := cache.Flush(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rows, _, err := HistoryCached(db, cache, board, opt)
		if err != nil || len(rows) == 0 {
			b.Fatal(len(rows), err)
		}
	}
}
