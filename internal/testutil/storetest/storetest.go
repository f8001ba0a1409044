// Package storetest gives tests outside package store a real database
// file. (It is apart from testutil, which store's own tests import.)
package storetest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/store"
)

// Open makes a store in a temporary directory and returns it with its
// path; when the test ends it is checked (bbolt's consistency check) and
// closed.
func Open(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "aw.db")
	db, err := store.Open(path, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		db.Close()
	})
	return db, path
}
