package answers

import (
	"os"
	"testing"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/internal/testutil/storetest"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

// benchDB is the database the benchmarks answer: the file
// ARENAWATCH_BENCH_DB names with the board ARENAWATCH_BENCH_BOARD (the
// 10,000-date database of docs/benchmarks.md), or else a new database
// holding the fixtures' ten imported dates, so that the benchmarks always
// run (.ci/run runs them once).
func benchDB(b *testing.B) (*store.DB, string) {
	path, board := os.Getenv("ARENAWATCH_BENCH_DB"), os.Getenv("ARENAWATCH_BENCH_BOARD")
	if path == "" {
		db, _ := storetest.Open(b)
		storetest.HFHistory(b, db)
		return db, storetest.HFBoard
	}
	if board == "" {
		b.Fatal("ARENAWATCH_BENCH_DB needs ARENAWATCH_BENCH_BOARD: the board to answer")
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, board
}

// BenchmarkHistoryDB answers every snapshot of a board end to end (index,
// read, decode, answer), without a cache.
func BenchmarkHistoryDB(b *testing.B) {
	db, board := benchDB(b)
	for b.Loop() {
		rows, _, err := History(db, nil, board, history.Options{Catalog: ranking.Embedded()})
		if err != nil || len(rows) == 0 {
			b.Fatal(len(rows), err)
		}
	}
}

// BenchmarkHistoryDBCached is BenchmarkHistoryDB with an answer cache
// filled by a first run outside the timing: the cost of a history asked
// again.
func BenchmarkHistoryDBCached(b *testing.B) {
	db, board := benchDB(b)
	cache, err := OpenCache(b.TempDir()+"/answers.db", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer cache.Close()
	opt := history.Options{Catalog: ranking.Embedded()}
	if _, _, err := History(db, cache, board, opt); err != nil {
		b.Fatal(err)
	}
	if err := cache.Flush(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rows, _, err := History(db, cache, board, opt)
		if err != nil || len(rows) == 0 {
			b.Fatal(len(rows), err)
		}
	}
}
