// Package storetest gives tests and benchmarks outside package store a
// real database file, and a real history in it. (It is apart from
// testutil, which store's own tests import.)
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// Open makes a store in a temporary directory and returns it with its
// path; when the test ends it is checked (bbolt's consistency check) and
// closed.
func Open(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "aw.db")
	db, err := store.Open(path, store.Options{Timeout: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Check(); err != nil {
			tb.Errorf("database check: %v", err)
		}
		db.Close()
	})
	return db, path
}

// HFBoard is the board HFHistory fills.
const HFBoard = "hf-text-raw"

// HFHistory stores in db the ten publish dates of LMArena's text board
// that fixtures/ holds (the dataset's full split, as 'arenawatch import'
// reads it), for benchmarks that need a real multi-date history when no
// larger database is named.
func HFHistory(tb testing.TB, db *store.DB) {
	tb.Helper()
	path := filepath.Join(testutil.FixturesDir(), "huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main/text/full-00000-of-00001.parquet")
	body, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	b, ok := source.Builtin().Get(HFBoard)
	if !ok {
		tb.Fatalf("no board %s", HFBoard)
	}
	var items []store.SaveItem
	err = source.ImportHFDatasetStream(b, body, arenawatch.Document{Name: "full", URL: "file://" + path}, func(ds source.DatedSnapshot) error {
		if ds.Err != nil {
			return ds.Err
		}
		it := store.SaveItem{Snapshot: ds.Snapshot}
		if len(items) == 0 { // the file is kept once, as 'arenawatch import' keeps it
			it.Raw = map[string][]byte{ds.Snapshot.SHA256: body}
		}
		items = append(items, it)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.SaveBatch(context.Background(), items); err != nil {
		tb.Fatal(err)
	}
}
