package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// CurrentSchemaVersion is the layout version this package writes into
// meta/schema_version. A file with a newer version is refused; a file of
// version 1 is read as it is and migrated by the first writable Open.
const CurrentSchemaVersion = 2

// maxPlausibleSchema bounds the schema versions taken for a newer
// arenawatch's; a larger number is a damaged meta record.
const maxPlausibleSchema = 1000

// Bucket and key names.
var (
	bucketMeta      = []byte("meta")
	bucketBoards    = []byte("boards")
	bucketRaw       = []byte("raw")
	bucketSnapshots = []byte("snapshots")
	bucketIndex     = []byte("index")
	bucketRuns      = []byte("runs") // schema 1: boards/<board>/runs

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
	// Notify, when set, is told once of work Open does on the file beyond
	// opening it (migrating an older layout), so a person can be told.
	Notify func(msg string)
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
	notify   func(string)
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
	bdb, err := openLocked(path, bolt.Options{Timeout: timeout, ReadOnly: opt.ReadOnly})
	if err != nil {
		return nil, openError(path, err)
	}
	db := &DB{bolt: bdb, path: path, readOnly: opt.ReadOnly, now: now, notify: opt.Notify}
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
		if fileSchema(path) == 1 {
			e.Err = fmt.Errorf("this database (schema 1) must be migrated once by a command that writes, and it cannot be opened for writing: %w", err)
			e.Hint = "make the file and its directory writable: the migration keeps a copy as " + path + BackupSuffix +
				"; until then report and rank read it as it is"
		}
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

// fileSchema returns the schema version of the arenawatch file at path,
// read through a read-only open, or 0 when it cannot be read.
func fileSchema(path string) uint64 {
	bdb, err := openBolt(path, &bolt.Options{ReadOnly: true, Timeout: time.Nanosecond})
	if err != nil {
		return 0
	}
	defer bdb.Close()
	var v uint64
	_ = bdb.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			v, _ = readSchemaVersion(meta)
		}
		return nil
	})
	return v
}

// init checks the schema and, for a writable DB, creates what is missing
// or migrates an older layout. It reads first so that opening an
// initialised file writes nothing.
func (db *DB) init() error {
	var version uint64
	var ready bool
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		version, ready, err = db.checkSchema(tx)
		return err
	})
	if err != nil {
		return db.wrap(err, "", "read the schema")
	}
	switch {
	case ready && version == CurrentSchemaVersion:
		return nil
	case ready && db.readOnly:
		return nil // an older layout is read as it is
	case ready:
		return db.migrate(version)
	case db.readOnly:
		return db.errf(arenawatch.KindInvalid, "", "a bbolt database that has not been initialised by arenawatch (no meta bucket)")
	}
	err = db.update(func(tx *bolt.Tx) error {
		// Re-check under the write lock of this transaction.
		if _, _, err := db.checkSchema(tx); err != nil {
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
		for _, name := range [][]byte{bucketBoards, bucketBodies, bucketBodyIndex, bucketRunLog} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	return db.wrap(err, "", "initialise the database")
}

// checkSchema reads tx's schema version and reports whether tx holds a
// complete store of that version. It fails on a newer or malformed version
// and on a bbolt file that has buckets but no meta bucket (someone else's
// database).
func (db *DB) checkSchema(tx *bolt.Tx) (version uint64, ready bool, err error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		var foreign []string
		_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			foreign = append(foreign, string(name))
			return nil
		})
		if len(foreign) > 0 {
			return 0, false, db.errf(arenawatch.KindInvalid, "",
				"a bbolt database but not an arenawatch one (buckets %q, no meta)", foreign)
		}
		return 0, false, nil
	}
	v, err := readSchemaVersion(meta)
	if err != nil {
		return 0, false, db.errf(arenawatch.KindInvalid, "", "%v", err)
	}
	if v > maxPlausibleSchema {
		// No arenawatch will count that high: a damaged value, not a
		// newer file.
		return v, false, damaged(db.path, fmt.Errorf("schema version %d is no version arenawatch writes: meta/schema_version is damaged", v))
	}
	if v > CurrentSchemaVersion {
		e := db.errf(arenawatch.KindInvalid, "",
			"schema version %d; this arenawatch reads versions 1 to %d", v, CurrentSchemaVersion)
		e.Hint = "upgrade arenawatch to read this database"
		return v, false, e
	}
	if v == 0 {
		return 0, false, nil // meta bucket without a version: finish initialising
	}
	// A versioned file lacks a bucket only when it is damaged (a flipped
	// bit in a bucket's name): say so, rather than make an empty one that
	// would hide the history.
	need := [][]byte{bucketBoards, bucketBodies, bucketBodyIndex, bucketRunLog}
	if v == 1 {
		need = [][]byte{bucketBoards, bucketRaw}
	}
	var missing []string
	for _, name := range need {
		if tx.Bucket(name) == nil {
			missing = append(missing, string(name))
		}
	}
	if len(missing) > 0 {
		return v, false, damaged(db.path, fmt.Errorf("schema version %d, but the %q buckets are missing", v, missing))
	}
	return v, true, nil
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
