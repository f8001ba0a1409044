package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// CurrentSchemaVersion is the layout version this package writes into
// meta/schema_version. A file with a newer version is refused.
const CurrentSchemaVersion = 1

// Bucket and key names.
var (
	bucketMeta      = []byte("meta")
	bucketBoards    = []byte("boards")
	bucketRaw       = []byte("raw")
	bucketSnapshots = []byte("snapshots")
	bucketIndex     = []byte("index")
	bucketRuns      = []byte("runs")

	keySchemaVersion = []byte("schema_version")
	keyCreated       = []byte("created")
)

// appendFill is the fill percent for the time-keyed buckets, which only
// ever grow at the end. It is not persisted, so it is set in every write
// transaction.
const appendFill = 0.9

// maxBoardLen bounds a board id, which becomes a bucket name.
const maxBoardLen = 256

// Options configures Open.
type Options struct {
	// Timeout is how long Open waits for the file lock. 0 (or less) means
	// do not wait at all: Open fails at once with KindLocked when another
	// handle holds the lock. Unlike bbolt, there is no wait-forever.
	// bbolt polls the lock every 50ms and gives up once less than 50ms of
	// the timeout is left, so the effective wait is Timeout-50ms rounded
	// up to the next poll.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock: several read-only
	// handles may be open together, but none while a writer is. Open
	// fails with KindNotFound if the file does not exist.
	ReadOnly bool
	// Now is the clock for run records and meta/created; time.Now when nil.
	Now func() time.Time
}

// DB is an open snapshot store. Its methods are safe for concurrent use by
// several goroutines. Close it promptly: it holds the file lock until then.
// Closing twice is harmless; any other method on a closed DB fails with
// KindInvalid.
type DB struct {
	bolt     *bolt.DB
	path     string
	readOnly bool
	now      func() time.Time
}

// Open opens (and, unless opt.ReadOnly, creates) the store at path.
//
// A writable open creates the parent directory (0o700) and the file (0o600)
// when missing, creates the buckets and writes meta/schema_version on first
// use. It fails with KindLocked when the lock is not obtained within
// opt.Timeout, KindNotFound when a read-only open finds no file, and
// KindInvalid when the file is not a bbolt database, is a bbolt database
// that arenawatch did not create, or has a newer schema version.
func Open(path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, arenawatch.Errorf(arenawatch.KindInvalid, "no database path given")
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		// bbolt treats 0 as "wait forever"; any timeout at or below its
		// 50ms poll interval gives up after the first failed attempt.
		timeout = time.Nanosecond
	}
	if opt.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, openError(path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInternal, URL: path,
			Err: fmt.Errorf("create the database directory: %w", err)}
	}
	if err := checkHighWater(path); err != nil {
		return nil, err
	}
	bdb, err := openBolt(path, &bolt.Options{Timeout: timeout, ReadOnly: opt.ReadOnly})
	if err != nil {
		return nil, openError(path, err)
	}
	db := &DB{bolt: bdb, path: path, readOnly: opt.ReadOnly, now: now}
	if err := db.init(); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// openError maps an error from bolt.Open (or the stat before it) to an
// *arenawatch.Error.
func openError(path string, err error) error {
	var ae *arenawatch.Error
	if errors.As(err, &ae) {
		return err // already says what it is (a damaged file)
	}
	e := &arenawatch.Error{Kind: arenawatch.KindInternal, URL: path, Err: fmt.Errorf("open database: %w", err)}
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		e.Kind = arenawatch.KindLocked
		e.Err = fmt.Errorf("database is locked: %w", err)
		e.Hint = fmt.Sprintf("another arenawatch (a scrape?) holds %s; wait and retry, or raise --lock-timeout", path)
	case errors.Is(err, fs.ErrNotExist):
		e.Kind = arenawatch.KindNotFound
		e.Err = fmt.Errorf("no database file: %w", err)
		e.Hint = "run a scrape first, or point --db at an existing database"
	case errors.Is(err, fs.ErrPermission):
		// Not a usage error: the command was right, the file's mode is not.
		e.Kind = arenawatch.KindInternal
		e.Err = fmt.Errorf("cannot open the database for writing: %w", err)
		e.Hint = "check the ownership and mode of the file and its directory (a scrape needs to write it; report and rank only read)"
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrInvalidMapping):
		e.Kind = arenawatch.KindDamaged
		e.Err = fmt.Errorf("not a bbolt database, or a corrupt one: %w", err)
		e.Hint = "point --db at an arenawatch database; a damaged file can be restored from a backup"
	default:
		// A file too short for bbolt's two meta pages (one OS page each)
		// fails with an untyped error ("file size too small", or a write
		// error when a read-only open finds it empty); name it for what
		// it is.
		if fi, serr := os.Stat(path); serr == nil && fi.Mode().IsRegular() && fi.Size() < 2*int64(os.Getpagesize()) {
			e.Kind = arenawatch.KindDamaged
			e.Err = fmt.Errorf("not a bbolt database (only %d bytes): %w", fi.Size(), err)
			e.Hint = "point --db at an arenawatch database"
		}
	}
	return e
}

// init checks the schema and, for a writable DB, creates what is missing.
// It reads first so that opening an initialised file writes nothing.
func (db *DB) init() error {
	var ready bool
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		ready, err = db.checkSchema(tx)
		return err
	})
	if err != nil {
		return db.wrap(err, "", "read the schema")
	}
	if ready {
		return nil
	}
	if db.readOnly {
		return db.errf(arenawatch.KindInvalid, "", "a bbolt database that has not been initialised by arenawatch (no meta bucket)")
	}
	err = db.update(func(tx *bolt.Tx) error {
		// Re-check under the write lock of this transaction.
		if _, err := db.checkSchema(tx); err != nil {
			return err
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if meta.Get(keySchemaVersion) == nil {
			if err := meta.Put(keySchemaVersion, u64(CurrentSchemaVersion)); err != nil {
				return err
			}
		}
		if meta.Get(keyCreated) == nil {
			created := db.now().UTC().Format(time.RFC3339Nano)
			if err := meta.Put(keyCreated, []byte(created)); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{bucketBoards, bucketRaw} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	return db.wrap(err, "", "initialise the database")
}

// checkSchema reports whether tx holds a complete store of a supported
// version. It fails on a newer or malformed version and on a bbolt file
// that has buckets but no meta bucket (someone else's database).
func (db *DB) checkSchema(tx *bolt.Tx) (bool, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		var foreign []string
		_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			foreign = append(foreign, string(name))
			return nil
		})
		if len(foreign) > 0 {
			return false, db.errf(arenawatch.KindInvalid, "",
				"a bbolt database but not an arenawatch one (buckets %q, no meta)", foreign)
		}
		return false, nil
	}
	v, err := readSchemaVersion(meta)
	if err != nil {
		return false, db.errf(arenawatch.KindInvalid, "", "%v", err)
	}
	if v > CurrentSchemaVersion {
		e := db.errf(arenawatch.KindInvalid, "",
			"schema version %d; this arenawatch reads versions 1 to %d", v, CurrentSchemaVersion)
		e.Hint = "upgrade arenawatch to read this database"
		return false, e
	}
	if v == 0 {
		return false, nil // meta bucket without a version: finish initialising
	}
	return tx.Bucket(bucketBoards) != nil && tx.Bucket(bucketRaw) != nil, nil
}

// readSchemaVersion decodes meta/schema_version; 0 when absent.
func readSchemaVersion(meta *bolt.Bucket) (uint64, error) {
	v := meta.Get(keySchemaVersion)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("meta/schema_version is malformed (%d bytes, want 8)", len(v))
	}
	n := binary.BigEndian.Uint64(v)
	if n == 0 {
		return 0, fmt.Errorf("meta/schema_version is 0")
	}
	return n, nil
}

// Close releases the file lock and closes the file.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return db.wrap(err, "", "close the database")
	}
	return nil
}

// Path returns the path the DB was opened with.
func (db *DB) Path() string { return db.path }

// SchemaVersion returns the version recorded in meta/schema_version.
func (db *DB) SchemaVersion() (int, error) {
	var v uint64
	err := db.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return db.errf(arenawatch.KindInvalid, "", "no meta bucket")
		}
		var err error
		v, err = readSchemaVersion(meta)
		if err != nil {
			return db.errf(arenawatch.KindInvalid, "", "%v", err)
		}
		return nil
	})
	if err != nil {
		return 0, db.wrap(err, "", "read the schema version")
	}
	return int(v), nil
}

// Check runs bbolt's full consistency check (tx.Check) and then checks the
// store's own invariants: the schema version is readable, every snapshot
// has an index record with the same key and back, and every raw body a
// snapshot refers to is present. It returns nil or a KindDamaged error
// joining every problem found.
//
// On a read-only DB it runs in a read transaction (the shared file lock
// keeps writers out). On a writable DB it runs in a write transaction that
// is rolled back, because bbolt's check is not safe beside a concurrent
// write transaction of the same process; it writes nothing, but blocks
// Save and RecordFailure while it reads the whole file.
func (db *DB) Check() error {
	var errs []error
	if err := checkPageGraph(db.path); err != nil {
		// bbolt would walk such a graph forever, or past the file.
		return damaged(db.path, fmt.Errorf("consistency check failed: %w", err))
	}
	check := func(tx *bolt.Tx) {
		// bbolt checks in a goroutine of its own, where a fault on a
		// corrupt page cannot be recovered: every page is read here
		// first, where it can (see view).
		walkAll(tx)
		// (bbolt's check also loops once per page a page claims to span;
		// checkPageGraph above has refused overflow counts past the file.)
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		errs = append(errs, checkLayout(tx)...)
	}
	var err error
	if db.readOnly {
		err = db.view(func(tx *bolt.Tx) error { check(tx); return nil })
	} else {
		// bbolt's check reads the freelist, which a concurrent write
		// transaction of this process changes; a writable transaction,
		// rolled back, keeps other writers out without writing anything.
		err = db.checkWritable(check)
	}
	if err != nil {
		return db.wrap(err, "", "check the database")
	}
	if len(errs) == 0 {
		return nil
	}
	return &arenawatch.Error{Kind: arenawatch.KindDamaged, URL: db.path,
		Err:  fmt.Errorf("consistency check failed: %w", errors.Join(errs...)),
		Hint: "restore the file from a backup, or copy what is readable with bbolt compact"}
}

// checkWritable runs check in a write transaction that it rolls back,
// guarded like update against a damaged file.
func (db *DB) checkWritable(check func(*bolt.Tx)) (err error) {
	defer db.recoverDamage(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	tx, err := db.bolt.Begin(true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	check(tx)
	return nil
}

// checkLayout verifies the store's invariants within tx.
func checkLayout(tx *bolt.Tx) []error {
	var errs []error
	if meta := tx.Bucket(bucketMeta); meta == nil {
		errs = append(errs, errors.New("no meta bucket"))
	} else if _, err := readSchemaVersion(meta); err != nil {
		errs = append(errs, err)
	}
	boards := tx.Bucket(bucketBoards)
	raw := tx.Bucket(bucketRaw)
	if boards == nil || raw == nil {
		return append(errs, errors.New("missing boards or raw bucket"))
	}
	_ = boards.ForEachBucket(func(name []byte) error {
		bb := boards.Bucket(name)
		snaps, index := bb.Bucket(bucketSnapshots), bb.Bucket(bucketIndex)
		if (snaps == nil) != (index == nil) {
			errs = append(errs, fmt.Errorf("board %s: snapshots and index buckets do not both exist", name))
			return nil
		}
		if snaps == nil {
			return nil
		}
		_ = snaps.ForEach(func(k, _ []byte) error {
			if index.Get(k) == nil {
				errs = append(errs, fmt.Errorf("board %s: snapshot %s has no index record", name, keyString(k)))
			}
			return nil
		})
		_ = index.ForEach(func(k, v []byte) error {
			if snaps.Get(k) == nil {
				errs = append(errs, fmt.Errorf("board %s: index record %s has no snapshot", name, keyString(k)))
				return nil
			}
			rec, err := decodeIndex(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("board %s: index record %s: %w", name, keyString(k), err))
				return nil
			}
			for _, sha := range rec.Documents {
				if raw.Get([]byte(sha)) == nil {
					errs = append(errs, fmt.Errorf("board %s: snapshot %s: raw body %s is missing", name, keyString(k), sha))
				}
			}
			return nil
		})
		return nil
	})
	return errs
}

// errf returns an *arenawatch.Error naming the board and the database path.
func (db *DB) errf(kind arenawatch.Kind, board, format string, args ...any) *arenawatch.Error {
	e := arenawatch.Errorf(kind, format, args...)
	e.Board = board
	e.URL = db.path
	return e
}

// wrap turns an error out of a bbolt transaction into an *arenawatch.Error.
// Errors that already are one pass unchanged.
func (db *DB) wrap(err error, board, op string) error {
	if err == nil {
		return nil
	}
	var ae *arenawatch.Error
	if errors.As(err, &ae) {
		return err
	}
	e := db.errf(arenawatch.KindInternal, board, "%s: %w", op, err)
	switch {
	case errors.Is(err, berrors.ErrDatabaseReadOnly):
		e.Kind = arenawatch.KindInvalid
		e.Hint = "the database was opened read-only"
	case errors.Is(err, berrors.ErrDatabaseNotOpen):
		e.Kind = arenawatch.KindInvalid
		e.Hint = "the database is closed"
	case errors.Is(err, berrors.ErrMaxSizeReached):
		e.Hint = "the database file reached its size limit"
	}
	return e
}

// Keys.

// minTime and maxTime bound the times that have a key: UnixNano is defined
// from 1678 to 2262, and keys are unsigned, so times before 1970 are out.
var (
	minTime = time.Unix(0, 0)
	maxTime = time.Unix(0, math.MaxInt64)
)

// keyable reports whether t can be turned into a key.
func keyable(t time.Time) bool {
	return !t.IsZero() && !t.Before(minTime) && !t.After(maxTime)
}

// timeKey returns the key of t; t must be keyable.
func timeKey(t time.Time) uint64 { return uint64(t.UnixNano()) }

// u64 encodes v as 8 bytes big-endian.
func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// freeKey returns the first key at or after t's key that b does not hold.
func freeKey(b *bolt.Bucket, t time.Time) []byte {
	k := timeKey(t)
	for b.Get(u64(k)) != nil {
		k++
	}
	return u64(k)
}

// keyString renders a key for messages.
func keyString(k []byte) string {
	if len(k) != 8 {
		return fmt.Sprintf("%x", k)
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(k))).UTC().Format(time.RFC3339Nano)
}
