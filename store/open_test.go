package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

func TestOpenCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "arenawatch.db")
	db, _ := openDB(t, path, Options{})

	if got := db.Path(); got != path {
		t.Errorf("Path() = %q, want %q", got, path)
	}
	for _, tc := range []struct {
		name string
		path string
		mode os.FileMode
	}{
		{"directory", dir, 0o700},
		{"file", path, 0o600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fi, err := os.Stat(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tc.mode {
				t.Errorf("mode = %v, want %v", got, tc.mode)
			}
		})
	}
	t.Run("schema version", func(t *testing.T) {
		v, err := db.SchemaVersion()
		if err != nil || v != CurrentSchemaVersion {
			t.Errorf("SchemaVersion() = %d, %v; want %d", v, err, CurrentSchemaVersion)
		}
	})
	t.Run("created", func(t *testing.T) {
		var created string
		if err := db.view(func(tx *bolt.Tx) error {
			created = string(tx.Bucket(bucketMeta).Get(keyCreated))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := time.Parse(time.RFC3339Nano, created); err != nil {
			t.Errorf("meta/created = %q: %v", created, err)
		}
	})
}

func TestOpenReopenWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	_, closeDB := openDB(t, path, Options{})
	closeDB()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, closeDB = openDB(t, path, Options{})
	closeDB()
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("reopening an initialised store changed the file")
	}
}

// writeFile writes b to a fresh file and returns its path.
func writeFile(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// boltFile creates a bbolt file and lets fn write into it.
func boltFile(t *testing.T, fn func(tx *bolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := bdb.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// futureStore creates a store and sets its schema version to v.
func futureStore(t *testing.T, v uint64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	_, closeDB := openDB(t, path, Options{})
	closeDB()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(v))
	}); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenFails(t *testing.T) {
	garbage := bytes.Repeat([]byte("this is not a bbolt file\n"), 1000) // 25 kB
	for _, tc := range []struct {
		name     string
		path     func(t *testing.T) string
		readOnly bool
		kind     arenawatch.Kind
		contains []string // substrings of the message besides the path
	}{
		{"read-only missing file", func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "missing.db")
		}, true, arenawatch.KindNotFound, []string{"no database file"}},
		{"garbage 25kB", func(t *testing.T) string { return writeFile(t, garbage) }, false, arenawatch.KindDamaged, []string{"not a bbolt database"}},
		{"garbage 25kB read-only", func(t *testing.T) string { return writeFile(t, garbage) }, true, arenawatch.KindDamaged, []string{"not a bbolt database"}},
		{"garbage 4kB", func(t *testing.T) string { return writeFile(t, garbage[:4096]) }, false, arenawatch.KindDamaged, []string{"not a bbolt database"}},
		{"garbage 10 bytes", func(t *testing.T) string { return writeFile(t, garbage[:10]) }, false, arenawatch.KindDamaged, []string{"not a bbolt database"}},
		{"garbage 10 bytes read-only", func(t *testing.T) string { return writeFile(t, garbage[:10]) }, true, arenawatch.KindDamaged, []string{"not a bbolt database"}},
		{"zero bytes read-only", func(t *testing.T) string { return writeFile(t, nil) }, true, arenawatch.KindDamaged, []string{"not a bbolt database"}},
		{"schema from the future", func(t *testing.T) string { return futureStore(t, 3) }, false, arenawatch.KindInvalid, []string{"schema version 3", "versions 1 to 2"}},
		{"schema from the future read-only", func(t *testing.T) string { return futureStore(t, 7) }, true, arenawatch.KindInvalid, []string{"schema version 7"}},
		{"schema version damaged (a flipped bit)", func(t *testing.T) string { return futureStore(t, 373662154754) }, true, arenawatch.KindDamaged, []string{"schema version 373662154754", "damaged"}},
		{"foreign bbolt database", func(t *testing.T) string {
			return boltFile(t, func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
		}, false, arenawatch.KindInvalid, []string{"not an arenawatch one", "widgets"}},
		{"empty bbolt database read-only", func(t *testing.T) string {
			return boltFile(t, func(tx *bolt.Tx) error { return nil })
		}, true, arenawatch.KindInvalid, []string{"not been initialised"}},
		{"versioned file without its buckets (a damaged name)", func(t *testing.T) string {
			return boltFile(t, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket(bucketMeta)
				if err != nil {
					return err
				}
				if _, err := tx.CreateBucket([]byte("bodrds")); err != nil {
					return err
				}
				return b.Put(keySchemaVersion, u64(2))
			})
		}, false, arenawatch.KindDamaged, []string{"schema version 2", "boards", "missing"}},
		{"malformed schema version", func(t *testing.T) string {
			return boltFile(t, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket(bucketMeta)
				if err != nil {
					return err
				}
				return b.Put(keySchemaVersion, []byte("1"))
			})
		}, false, arenawatch.KindInvalid, []string{"malformed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			before, _ := os.ReadFile(path)
			db, err := Open(path, Options{ReadOnly: tc.readOnly, Timeout: time.Second})
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded, want kind %q", tc.kind)
			}
			wantKind(t, err, tc.kind)
			msg := err.Error()
			for _, s := range append([]string{path}, tc.contains...) {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not contain %q", msg, s)
				}
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Errorf("a failed Open changed the file (%d → %d bytes)", len(before), len(after))
			}
		})
	}
}

func TestOpenZeroByteFileWritable(t *testing.T) {
	// An empty file (e.g. from touch) is what bbolt initialises; it must
	// become a working store.
	path := writeFile(t, nil)
	db, _ := openDB(t, path, Options{})
	if v, err := db.SchemaVersion(); err != nil || v != CurrentSchemaVersion {
		t.Errorf("SchemaVersion() = %d, %v", v, err)
	}
}

func TestLock(t *testing.T) {
	for _, tc := range []struct {
		name             string
		first, second    bool // ReadOnly of each handle
		timeout          time.Duration
		wantKind         arenawatch.Kind // or -1 for success
		minWait, maxWait time.Duration
	}{
		{"writer blocks writer", false, false, 100 * time.Millisecond, arenawatch.KindLocked, 40 * time.Millisecond, time.Second},
		{"writer blocks writer, timeout 0 fails at once", false, false, 0, arenawatch.KindLocked, 0, 40 * time.Millisecond},
		{"writer blocks reader", false, true, 100 * time.Millisecond, arenawatch.KindLocked, 40 * time.Millisecond, time.Second},
		{"reader blocks writer", true, false, 100 * time.Millisecond, arenawatch.KindLocked, 40 * time.Millisecond, time.Second},
		{"readers share", true, true, 100 * time.Millisecond, -1, 0, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "arenawatch.db")
			_, closeDB := openDB(t, path, Options{})
			closeDB() // create and initialise it
			openDB(t, path, Options{ReadOnly: tc.first, Timeout: time.Second})

			// Open in a goroutine, so that a wait-forever lock fails the
			// test instead of hanging it.
			type result struct {
				db  *DB
				err error
			}
			done := make(chan result, 1)
			start := time.Now()
			go func() {
				db, err := Open(path, Options{ReadOnly: tc.second, Timeout: tc.timeout})
				done <- result{db, err}
			}()
			var db2 *DB
			var err error
			select {
			case r := <-done:
				db2, err = r.db, r.err
			case <-time.After(5 * time.Second):
				t.Fatalf("second Open still waiting after 5s")
			}
			took := time.Since(start)
			if took < tc.minWait || took > tc.maxWait {
				t.Errorf("second Open took %v, want %v to %v", took, tc.minWait, tc.maxWait)
			}
			if tc.wantKind < 0 {
				if err != nil {
					t.Fatalf("second Open: %v", err)
				}
				if err := db2.Close(); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				db2.Close()
				t.Fatalf("second Open succeeded, want %q", tc.wantKind)
			}
			wantKind(t, err, tc.wantKind)
			if e, ok := err.(*arenawatch.Error); !ok || e.URL != path {
				t.Errorf("error %#v does not carry URL %q", err, path)
			}
			hint := arenawatch.HintOf(err)
			if !strings.Contains(hint, path) || !strings.Contains(hint, "--lock-timeout") {
				t.Errorf("hint %q does not name the path and --lock-timeout", hint)
			}
		})
	}
}

func TestLockReleasedOnClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	_, closeFirst := openDB(t, path, Options{})
	if _, err := Open(path, Options{Timeout: 100 * time.Millisecond}); !arenawatch.IsKind(err, arenawatch.KindLocked) {
		t.Fatalf("second Open while the first is open: %v, want locked", err)
	}
	closeFirst()
	openDB(t, path, Options{}) // fails the test if still locked
}
