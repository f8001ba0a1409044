package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// CompactSuffix names the copy that Compact writes beside the database
// before it renames it over the file. One left behind by a killed compact
// is removed by the next.
const CompactSuffix = ".compact.tmp"

// compactTxSize bounds the bytes bbolt's compact copies per transaction.
const compactTxSize = 64 << 20

// CompactResult says what Compact did.
type CompactResult struct {
	Path        string `json:"path"`
	BytesBefore int64  `json:"bytes_before"`
	BytesAfter  int64  `json:"bytes_after"`
}

// Compact rewrites the database without its free pages: bbolt's compact
// copies every bucket into a new file beside it (FILE.compact.tmp), which
// is checked, flushed to disk and renamed over the file; the directory is
// flushed too. A kill at any point leaves either the old file or the new
// one at the path, each whole; at worst a stale FILE.compact.tmp, which
// the next compact removes.
//
// Compact closes a writable db, whatever the outcome: the handle still maps the old
// file, which is gone from the path once the copy is in place. Open the
// path again to go on. Another process that was waiting for the lock
// during the compact notices, once it has the lock, that the file it
// locked is no longer at the path, and opens the new one (see Open).
// Compact needs a writable DB and room for a copy of the live data.
func (db *DB) Compact() (CompactResult, error) {
	if db.readOnly {
		return CompactResult{}, db.errf(arenawatch.KindInvalid, "", "cannot compact: the database is open read-only")
	}
	defer db.Close()
	res := CompactResult{Path: db.path}
	fi, err := os.Stat(db.path)
	if err != nil {
		return res, db.wrap(err, "", "compact")
	}
	res.BytesBefore = fi.Size()
	tmp := db.path + CompactSuffix
	// This handle holds the exclusive lock, so a copy there is a killed
	// compact's.
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, db.wrap(err, "", "compact: remove a stale copy")
	}
	size, err := db.compactTo(tmp, fi.Mode().Perm())
	if err != nil {
		_ = os.Remove(tmp)
		return res, err
	}
	res.BytesAfter = size
	if err := os.Rename(tmp, db.path); err != nil {
		_ = os.Remove(tmp)
		return res, db.wrap(err, "", "compact: put the copy in place")
	}
	if err := syncDir(filepath.Dir(db.path)); err != nil {
		return res, db.wrap(err, "", "compact: flush the directory")
	}
	return res, nil
}

// compactTo writes the compacted copy to path, checks it, cuts it to its
// pages in use (bbolt grows a file ahead, by up to 16 MiB at a time) and
// flushes it; it returns its size.
func (db *DB) compactTo(path string, mode os.FileMode) (int64, error) {
	// NoSync: the copy is flushed once, at the end, before it is renamed.
	dst, err := bolt.Open(path, mode, &bolt.Options{NoSync: true, Timeout: time.Second})
	if err != nil {
		return 0, db.wrap(err, "", "compact: create the copy")
	}
	used, err := db.fillCopy(dst)
	if cerr := dst.Close(); err == nil && cerr != nil {
		err = db.wrap(cerr, "", "compact: close the copy")
	}
	if err != nil {
		return 0, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, db.wrap(err, "", "compact")
	}
	defer f.Close()
	if err := f.Truncate(used); err != nil {
		return 0, db.wrap(err, "", "compact: cut the copy to its pages in use")
	}
	if err := f.Sync(); err != nil {
		return 0, db.wrap(err, "", "compact: flush the copy")
	}
	return used, nil
}

// fillCopy copies db into dst with bbolt's compact and checks the copy; it
// returns the size of the copy's pages in use.
func (db *DB) fillCopy(dst *bolt.DB) (used int64, err error) {
	if err := db.guard(func() error { return bolt.Compact(dst, db.bolt, compactTxSize) }); err != nil {
		return 0, db.wrap(err, "", "compact")
	}
	err = dst.View(func(tx *bolt.Tx) error {
		for cerr := range tx.Check() {
			return fmt.Errorf("the copy fails bbolt's check: %w", cerr)
		}
		used = tx.Size()
		return nil
	})
	if err != nil {
		return 0, db.wrap(err, "", "compact")
	}
	return used, db.sameContent(dst)
}

// sameContent checks that the copy holds as many keys and value bytes as
// db, bucket for bucket.
func (db *DB) sameContent(dst *bolt.DB) error {
	count := func(b *bolt.DB) (keys, size int64, err error) {
		err = db.guard(func() error {
			return b.View(func(tx *bolt.Tx) error {
				keys, size = countTree(tx)
				return nil
			})
		})
		return keys, size, err
	}
	k1, s1, err := count(db.bolt)
	if err != nil {
		return db.wrap(err, "", "compact: count the keys")
	}
	k2, s2, err := count(dst)
	if err != nil {
		return db.wrap(err, "", "compact: count the copy's keys")
	}
	if k1 != k2 || s1 != s2 {
		return db.errf(arenawatch.KindInternal, "", "compact: the copy holds %d keys and %d value bytes, the file %d and %d; the file was left as it was", k2, s2, k1, s1)
	}
	return nil
}

// countTree counts every key (buckets included) and value byte in tx.
func countTree(tx *bolt.Tx) (keys, size int64) {
	var walk func(b *bolt.Bucket)
	walk = func(b *bolt.Bucket) {
		_ = b.ForEach(func(k, v []byte) error {
			keys++
			if v == nil {
				if child := b.Bucket(k); child != nil {
					walk(child)
				}
				return nil
			}
			size += int64(len(v))
			return nil
		})
	}
	_ = tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
		keys++
		walk(b)
		return nil
	})
	return keys, size
}

// guard runs fn like view runs a transaction: a panic or fault out of
// bbolt on a damaged page becomes a KindDamaged error.
func (db *DB) guard(fn func() error) (err error) {
	defer db.recoverDamage(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return fn()
}

// syncDir flushes a directory, so that a rename in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Backup writes a consistent copy of the database, as one read
// transaction sees it, to path: other handles may write meanwhile (a
// read-only DB's shared lock keeps other processes' writers waiting
// until the copy is done; a writable DB's own writes go on). The copy is
// written to a temporary file beside path, flushed and then moved into
// place, so path is never a partial copy. An existing path is refused with
// KindInvalid unless overwrite, and the database's own file always is.
func (db *DB) Backup(path string, overwrite bool) (int64, error) {
	if path == "" {
		return 0, db.errf(arenawatch.KindInvalid, "", "no backup path given")
	}
	if fi, err := os.Stat(path); err == nil {
		if self, serr := os.Stat(db.path); serr == nil && os.SameFile(fi, self) {
			return 0, db.errf(arenawatch.KindInvalid, "", "the backup path %s is the database itself", path)
		}
		if !overwrite {
			e := db.errf(arenawatch.KindInvalid, "", "%s exists", path)
			e.Hint = "choose a new file name, or pass --force to replace it"
			return 0, e
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, db.wrap(err, "", "backup")
	}
	tmp := f.Name()
	var n int64
	err = db.view(func(tx *bolt.Tx) error {
		var werr error
		n, werr = tx.WriteTo(f)
		return werr
	})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = placeFile(tmp, path, overwrite)
	}
	_ = os.Remove(tmp) // after a link or a rename, or a failure
	if err != nil {
		return 0, db.wrap(err, "", "backup to "+path)
	}
	return n, db.wrap(syncDir(filepath.Dir(path)), "", "backup: flush the directory")
}

// placeFile moves tmp to path: by rename when it may replace a file, else
// by a hard link, which fails rather than replace one that appeared since.
func placeFile(tmp, path string, overwrite bool) error {
	if overwrite {
		return os.Rename(tmp, path)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return arenawatch.Errorf(arenawatch.KindInvalid, "%s exists", path)
		}
		return err
	}
	return nil
}

// openLocked opens path with bbolt and makes sure that the file it locked
// is still the file at path. bbolt opens the file and then waits for its
// lock; a compact in the meantime renames a new file over the path, and
// the handle would then read, and write into, the old file, which no one
// will ever read again. When that happens openLocked closes it and opens
// the path again, within the same timeout.
func openLocked(path string, opt bolt.Options) (*bolt.DB, error) {
	deadline := time.Now().Add(opt.Timeout)
	for attempt := 0; ; attempt++ {
		var f *os.File
		opt.OpenFile = func(name string, flag int, mode os.FileMode) (*os.File, error) {
			var err error
			f, err = os.OpenFile(name, flag, mode)
			return f, err
		}
		bdb, err := openBolt(path, &opt)
		if err != nil {
			return nil, err
		}
		if samePath(f, path) {
			return bdb, nil
		}
		_ = bdb.Close()
		if attempt >= 100 {
			return nil, fmt.Errorf("the file at the path was replaced %d times while waiting for its lock: %w", attempt+1, berrors.ErrTimeout)
		}
		if opt.Timeout = time.Until(deadline); opt.Timeout <= 0 {
			opt.Timeout = time.Nanosecond
		}
	}
}

// samePath reports whether f is the file that path names now. A file
// that cannot be stat'ed counts as the same: bbolt has just opened it.
func samePath(f *os.File, path string) bool {
	if f == nil {
		return true
	}
	fi, err := f.Stat()
	if err != nil {
		return true
	}
	pi, err := os.Stat(path)
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist)
	}
	return os.SameFile(fi, pi)
}
