package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

// fuzzBoard is the board whose records the store fuzzers damage.
const fuzzBoard = "arena-text"

// checkFuzzStoreErr: a read of damaged data fails with one of the kinds
// allowed (KindDamaged, and KindNotFound where the caller says so), never
// a panic, never a usage or internal error.
func checkFuzzStoreErr(t *testing.T, op string, err error, also ...arenawatch.Kind) {
	t.Helper()
	if err == nil {
		return
	}
	var ae *arenawatch.Error
	if !errors.As(err, &ae) {
		t.Fatalf("%s: %T is not an *arenawatch.Error: %v", op, err, err)
	}
	if ae.Kind == arenawatch.KindDamaged {
		return
	}
	for _, k := range also {
		if ae.Kind == k {
			return
		}
	}
	t.Fatalf("%s: %v (kind %v), want damaged", op, err, ae.Kind)
}

// fuzzRecords returns the values a store holds for one snapshot of
// fuzzBoard and its run: the snapshot, its index record and the run.
func fuzzRecords(tb testing.TB) (snap, index, run []byte) {
	tb.Helper()
	db, err := Open(filepath.Join(tb.TempDir(), "seed.db"), Options{Timeout: time.Second, Now: fixedClock(t0.Add(time.Hour))})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	s, raw := makeSnapshot(fuzzBoard, t0, 3, 1)
	if _, err := db.Save(context.Background(), s, raw); err != nil {
		tb.Fatal(err)
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		_, snap = boardBucket(tx, fuzzBoard, bucketSnapshots).Cursor().First()
		_, index = boardBucket(tx, fuzzBoard, bucketIndex).Cursor().First()
		_, run = tx.Bucket(bucketRunLog).Cursor().First()
		snap, index, run = clone(snap), clone(index), clone(run)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return snap, index, run
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// FuzzStoreRecords writes arbitrary bytes as a board's snapshot, index
// record and run in a real bbolt file, then reads them through the public
// API (Latest, At, Snapshots, Runs, ConsecutiveFailures, Check) and saves
// a new snapshot beside them: each must answer or fail with KindDamaged,
// never panic. The decoders under test are decodeSnapshot, decodeIndex and
// the runs decoder.
func FuzzStoreRecords(f *testing.F) {
	snap, index, run := fuzzRecords(f)
	f.Add(snap, index, run)
	f.Add(snap[:len(snap)/2], index, run)
	js, err := decodeFrame(snap[1:])
	if err != nil {
		f.Fatal(err)
	}
	f.Add(js, index, run) // a schema-1 value: the bare JSON
	// A delta whose base (its own key) is itself: not a full snapshot.
	f.Add(append(append([]byte{tagDelta}, u64(timeKey(t0))...), snap[1:]...), index, run)
	f.Add([]byte(`null`), []byte(`{"fetched_at":"2262-01-01T00:00:00Z","documents":["x"]}`), []byte(`{"outcome":"failed","kind":7}`))
	f.Add([]byte(`{"rows":[{"model":"m","score":1e999}]}`), []byte(`[]`), []byte(`"`))
	f.Add([]byte{}, []byte{0xff}, []byte(`{}`))

	path := filepath.Join(f.TempDir(), "fuzz.db")
	db, err := Open(path, Options{Timeout: time.Second, Now: fakeClock(t0.Add(time.Hour))})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	db.bolt.NoSync = true // the file is thrown away; fsync would only slow the fuzzer
	key := u64(timeKey(t0))
	later, laterRaw := makeSnapshot(fuzzBoard, t0.Add(time.Hour), 3, 2)

	f.Fuzz(func(t *testing.T, snap, index, run []byte) {
		// The board's buckets hold exactly the fuzzed records.
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			boards := tx.Bucket(bucketBoards)
			if boards.Bucket([]byte(fuzzBoard)) != nil {
				if err := boards.DeleteBucket([]byte(fuzzBoard)); err != nil {
					return err
				}
			}
			if err := tx.DeleteBucket(bucketRunLog); err != nil {
				return err
			}
			log, err := tx.CreateBucket(bucketRunLog)
			if err != nil {
				return err
			}
			bb, err := boardBuckets(tx, fuzzBoard)
			if err != nil {
				return err
			}
			for _, p := range []struct {
				b *bolt.Bucket
				k []byte
				v []byte
			}{{bb.snapshots, key, snap}, {bb.index, key, index}, {log, runKey(t0, fuzzBoard), run}} {
				if err := p.b.Put(p.k, p.v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("write the records: %v", err)
		}
		got, err := db.Latest(fuzzBoard)
		checkFuzzStoreErr(t, "Latest", err)
		if err == nil && (got == nil || got.Board != fuzzBoard || got.FetchedAt.IsZero()) {
			t.Fatalf("Latest: a record that is not the board's snapshot was returned as one: %+v", got)
		}
		for _, at := range []time.Time{t0, t0.Add(time.Minute), time.Unix(1<<40, 0)} {
			_, err = db.At(fuzzBoard, at)
			checkFuzzStoreErr(t, "At", err, arenawatch.KindNotFound)
		}
		_, err = db.Snapshots(fuzzBoard)
		checkFuzzStoreErr(t, "Snapshots", err)
		_, err = db.Runs(fuzzBoard, 0)
		checkFuzzStoreErr(t, "Runs", err)
		_, err = db.ConsecutiveFailures(fuzzBoard)
		checkFuzzStoreErr(t, "ConsecutiveFailures", err)
		checkFuzzStoreErr(t, "Check", db.Check())
		// Save compares with the newest index record to find an unchanged
		// snapshot: a damaged one must not stop it with a crash.
		_, err = db.Save(context.Background(), later, laterRaw)
		checkFuzzStoreErr(t, "Save", err)
	})
}

// FuzzStoreFile overwrites bytes of a real store file at an arbitrary
// offset and reads every record the way the commands do: a damaged page
// is a KindDamaged error, never a crash.
// DB.Check included: bbolt's check trusts a page's overflow count and
// loops over it, so one damaged header (6 bytes at offset 8207 of this
// file, kept in testdata/fuzz) made it run through ~800M page ids until
// memory ran out; Check now refuses such counts first.
func FuzzStoreFile(f *testing.F) {
	dir := f.TempDir()
	src := filepath.Join(dir, "src.db")
	db, err := Open(src, Options{Timeout: time.Second, Now: fakeClock(t0.Add(time.Hour))})
	if err != nil {
		f.Fatal(err)
	}
	for i := range 3 {
		s, raw := makeSnapshot(fuzzBoard, t0.Add(time.Duration(i)*time.Hour), 20, uint64(i))
		// One document, so that Save writes the raw bodies in one order
		// and every run lays out the same file (the seeds hit the same
		// pages).
		s.Documents = s.Documents[:1]
		raw = map[string][]byte{s.SHA256: raw[s.SHA256]}
		if _, err := db.Save(context.Background(), s, raw); err != nil {
			f.Fatal(err)
		}
	}
	if err := db.RecordFailure(context.Background(), fuzzBoard, t0.Add(5*time.Hour), arenawatch.KindDrift, "https://x.test", "drift"); err != nil {
		f.Fatal(err)
	}
	if err := db.Close(); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(src)
	if err != nil {
		f.Fatal(err)
	}
	page := uint32(os.Getpagesize())
	f.Add(uint32(0), []byte{0xff})
	f.Add(page, []byte{0, 0, 0, 0})
	f.Add(2*page, []byte{0xde, 0xad, 0xbe, 0xef})
	f.Add(3*page+16, []byte(`{"x":1}`))
	f.Add(uint32(len(good)-64), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, offset uint32, patch []byte) {
		b := clone(good)
		copy(b[int(offset)%len(b):], patch)
		path := filepath.Join(t.TempDir(), "damaged.db")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		checkFuzzStoreErr(t, "read", readEverything(path))
	})
}

// The seed records are what Save writes (a full zstd frame of the
// snapshot's JSON, JSON index and run records): a change of the record
// format that stops them decoding would leave the fuzzer starting from
// garbage.
func TestFuzzStoreSeeds(t *testing.T) {
	snap, index, run := fuzzRecords(t)
	if tag, _, err := valueKind(snap); err != nil || tag != tagFull {
		t.Errorf("snapshot record is not a full value: %.80q", snap)
	} else if js, err := decodeFrame(snap[1:]); err != nil || !json.Valid(js) {
		t.Errorf("snapshot record does not decode to JSON: %v", err)
	}
	for name, v := range map[string][]byte{"index": index, "run": run} {
		if !json.Valid(v) {
			t.Errorf("%s record is not JSON: %.80q", name, v)
		}
	}
}
