package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

// BackupSuffix is appended to a database's path to name the copy of a
// schema-1 file that the migration keeps.
const BackupSuffix = ".v1.bak"

// migrateBatch bounds the compressed bytes of raw bodies moved in one
// transaction, so that a large history migrates in steps of bounded
// memory.
const migrateBatch = 64 << 20

// migrate turns a schema-1 file into schema 2, resumably: it keeps a copy
// of the file first (FILE.v1.bak, unless one exists from an earlier,
// interrupted attempt), then moves the raw bodies in batches, re-encodes
// each board's snapshots in one transaction per board, and sets the
// version last. Every step is a transaction of its own and the layouts
// mix safely (each reader reads both), so a kill at any point leaves a
// file that reads in full and that the next Open carries on migrating.
func (db *DB) migrate(from uint64) error {
	if from != 1 {
		return db.errf(arenawatch.KindInternal, "", "no migration from schema version %d", from)
	}
	backup := db.path + BackupSuffix
	db.say(fmt.Sprintf("migrating %s from schema 1 to 2 (compressed snapshots, raw bodies kept apart); the old file is kept as %s", db.path, backup))
	if err := db.backupOnce(backup); err != nil {
		return err
	}
	err := db.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketBodies, bucketBodyIndex, bucketRunLog} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return db.wrap(err, "", "migrate: create the schema-2 buckets")
	}
	bodies, err := db.migrateBodies()
	if err != nil {
		return err
	}
	boards, snaps, err := db.migrateSnapshots()
	if err != nil {
		return err
	}
	err = db.update(func(tx *bolt.Tx) error {
		if raw := tx.Bucket(bucketRaw); raw != nil {
			if k, _ := raw.Cursor().First(); k != nil {
				return fmt.Errorf("raw body %s was not moved", k)
			}
			if err := tx.DeleteBucket(bucketRaw); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(CurrentSchemaVersion))
	})
	if err != nil {
		return db.wrap(err, "", "migrate: finish")
	}
	db.say(fmt.Sprintf("migrated: %d snapshots of %d boards re-encoded, %d raw bodies moved; the file keeps its size until 'arenawatch db compact'", snaps, boards, bodies))
	return nil
}

// say tells Options.Notify, if set.
func (db *DB) say(msg string) {
	if db.notify != nil {
		db.notify(msg)
	}
}

// backupOnce copies the file, as a read transaction sees it, to path
// unless path exists: an earlier attempt that was interrupted made it from
// the untouched file. The copy is written aside and renamed into place, so
// path is never a partial copy.
func (db *DB) backupOnce(path string) error {
	if _, err := os.Stat(path); err == nil {
		db.say("keeping the existing " + path + " (an earlier migration was interrupted)")
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return &arenawatch.Error{Kind: arenawatch.KindInternal, URL: path, Err: fmt.Errorf("migrate: %w", err)}
	}
	// This handle holds the file's exclusive lock and has written
	// nothing: the bytes on disk are the committed schema-1 file.
	tmp := path + ".tmp"
	err := copyFile(db.path, tmp)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return &arenawatch.Error{Kind: arenawatch.KindInternal, URL: path, Err: fmt.Errorf("migrate: keep a copy of the schema-1 file: %w", err),
			Hint: "the migration needs room for a copy of the file next to it; nothing was changed"}
	}
	return nil
}

// copyFile copies src to a new file dst (0600) and flushes it to disk.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// migrateBodies moves schema-1 raw bodies (gzip, keyed by sha256) into
// buckets of their own, a batch per transaction, keeping their bytes.
func (db *DB) migrateBodies() (int, error) {
	moved := 0
	for {
		n, err := db.moveBodyBatch()
		if err != nil {
			return moved, db.wrap(err, "", "migrate raw bodies")
		}
		if n == 0 {
			return moved, nil
		}
		moved += n
	}
}

// moveBodyBatch moves up to migrateBatch bytes of bodies; 0 when none is
// left.
func (db *DB) moveBodyBatch() (int, error) {
	n := 0
	err := db.update(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketRaw)
		if raw == nil {
			return nil
		}
		var keys [][]byte
		size := 0
		c := raw.Cursor()
		for k, v := c.First(); k != nil && (len(keys) == 0 || size < migrateBatch); k, v = c.Next() {
			keys = append(keys, append([]byte(nil), k...))
			size += len(v)
		}
		for _, k := range keys {
			v := raw.Get(k)
			if idx := tx.Bucket(bucketBodyIndex); idx.Get(k) == nil {
				if err := putBody(tx, k, codecGzip, append([]byte(nil), v...)); err != nil {
					return err
				}
			}
			if err := raw.Delete(k); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	return n, err
}

// migrateSnapshots re-encodes every schema-1 snapshot, oldest first so
// that each can be a delta of the one before, a board at a time and a few
// boards per transaction (up to migrateBatch bytes of JSON), so that a
// large history migrates in steps of bounded memory.
func (db *DB) migrateSnapshots() (boards, snaps int, err error) {
	var names []string
	err = db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketBoards).ForEachBucket(func(name []byte) error {
			names = append(names, string(name))
			return nil
		})
	})
	if err != nil {
		return 0, 0, db.wrap(err, "", "migrate: list boards")
	}
	for len(names) > 0 {
		done := 0
		err := db.update(func(tx *bolt.Tx) error {
			size := 0
			for _, board := range names {
				if done > 0 && size >= migrateBatch {
					break
				}
				n, bytes, err := migrateBoard(tx, board)
				if err != nil {
					return fmt.Errorf("board %s: %w", board, err)
				}
				done++
				snaps += n
				size += bytes
			}
			return nil
		})
		if err != nil {
			return boards, snaps, db.wrap(err, "", "migrate snapshots")
		}
		boards += done
		names = names[done:]
	}
	return boards, snaps, nil
}

// migrateBoard re-encodes one board's schema-1 snapshots in tx and
// returns how many, and how many bytes of JSON.
func migrateBoard(tx *bolt.Tx, board string) (n, size int, err error) {
	if err := migrateRuns(tx, board); err != nil {
		return 0, 0, err
	}
	b := boardBucket(tx, board, bucketSnapshots)
	if b == nil {
		return 0, 0, nil
	}
	b.FillPercent = appendFill
	var keys [][]byte
	_ = b.ForEach(func(k, _ []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		return nil
	})
	var prevKey []byte
	for _, k := range keys {
		v := b.Get(k)
		if len(v) > 0 && v[0] == '{' {
			var prevVal []byte
			if prevKey != nil {
				prevVal = b.Get(prevKey)
			}
			enc, err := encodeSnapshot(b, append([]byte(nil), v...), prevKey, prevVal)
			if err != nil {
				return n, size, err
			}
			if err := b.Put(k, enc); err != nil {
				return n, size, err
			}
			n++
			size += len(v)
		}
		prevKey = k
	}
	return n, size, nil
}

// migrateRuns moves a board's schema-1 runs bucket into the run log.
func migrateRuns(tx *bolt.Tx, board string) error {
	runs := boardBucket(tx, board, bucketRuns)
	if runs == nil {
		return nil
	}
	// Values move as they are (a damaged one too: db check names it), at
	// their key's time, so that a key bumped by a nanosecond keeps its
	// place.
	var keys, vals [][]byte
	_ = runs.ForEach(func(k, v []byte) error {
		keys, vals = append(keys, k), append(vals, v)
		return nil
	})
	var err error
	for i, k := range keys {
		if len(k) != 8 {
			continue // not a run key; schema 1 never wrote one
		}
		at := time.Unix(0, int64(keyU64(k))).UTC()
		if err = putRunValue(tx, board, at, append([]byte(nil), vals[i]...)); err != nil {
			break
		}
	}
	if err != nil {
		return err
	}
	return tx.Bucket(bucketBoards).Bucket([]byte(board)).DeleteBucket(bucketRuns)
}
