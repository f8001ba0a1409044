package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

// view runs a read transaction. bbolt trusts the file it maps: a truncated
// or corrupt page makes it panic on an assertion, or fault on an address
// past the mapping. view turns both into a KindDamaged error, so that a
// damaged file is a clear message and an exit code, never a crash.
func (db *DB) view(fn func(*bolt.Tx) error) (err error) {
	defer db.recoverDamage(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return db.bolt.View(fn)
}

// update runs a write transaction like view; bbolt rolls the transaction
// back when it panics, so nothing half-written is committed.
func (db *DB) update(fn func(*bolt.Tx) error) (err error) {
	defer db.recoverDamage(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return db.bolt.Update(fn)
}

// recoverDamage ends a panic out of bbolt as a KindDamaged error in *err.
func (db *DB) recoverDamage(err *error) {
	if r := recover(); r != nil {
		*err = damaged(db.path, fmt.Errorf("the database file is damaged: %v", r))
	}
}

// damaged is the error for a file or record that cannot be read back.
func damaged(path string, err error) *arenawatch.Error {
	return &arenawatch.Error{Kind: arenawatch.KindDamaged, URL: path, Err: err,
		Hint: "the file is kept as it is; restore it from a backup, or move it aside and scrape again to start a new history"}
}

// checkHighWater refuses a file shorter than its own meta page says it is.
// bbolt maps the file and reads pages below the high-water mark without
// checking the file size, so a truncated file would make it read past the
// end of the mapping: a bus error that no recover can catch. The meta
// pages are read here first: of the two, the valid one with the higher
// transaction id is in force, as bbolt chooses. A file whose meta pages
// are both invalid is left for bbolt to reject.
func checkHighWater(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // bbolt reports it
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	var best struct {
		ok          bool
		txid, pages uint64
		pageSize    uint32
	}
	for _, off := range []int64{0, -1} {
		// The second meta page is one page in: its size is in the first
		// valid meta, or the OS page size bbolt used when it made the file.
		var buf [80]byte
		at := off
		if off < 0 {
			at = int64(best.pageSize)
			if !best.ok {
				at = int64(os.Getpagesize())
			}
		}
		if n, _ := f.ReadAt(buf[:], at); n < len(buf) {
			continue
		}
		m := buf[16:]
		if binary.LittleEndian.Uint32(m[0:]) != 0xED0CDAED {
			continue
		}
		h := fnv.New64a()
		h.Write(m[:56])
		if h.Sum64() != binary.LittleEndian.Uint64(m[56:]) {
			continue
		}
		txid := binary.LittleEndian.Uint64(m[48:])
		if !best.ok || txid > best.txid {
			best.ok, best.txid = true, txid
			best.pageSize = binary.LittleEndian.Uint32(m[8:])
			best.pages = binary.LittleEndian.Uint64(m[40:])
		}
	}
	if !best.ok || best.pageSize == 0 {
		return nil
	}
	if want := best.pages * uint64(best.pageSize); uint64(fi.Size()) < want {
		return damaged(path, fmt.Errorf("the database file is damaged: it is %d bytes, but its own header says %d (truncated?)", fi.Size(), want))
	}
	return nil
}

// walkAll reads every key and value of every bucket in tx, so that a
// corrupt page faults or panics in the caller's goroutine, where view,
// update and checkWritable recover it.
func walkAll(tx *bolt.Tx) {
	var sum byte
	var walk func(b *bolt.Bucket)
	walk = func(b *bolt.Bucket) {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if child := b.Bucket(k); child != nil {
					walk(child)
				}
				continue
			}
			if len(v) > 0 {
				sum ^= v[0] ^ v[len(v)-1] // the value's pages are mapped and readable
			}
		}
	}
	_ = tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		walk(b)
		return nil
	})
	runtime.KeepAlive(sum)
}

// openBolt is bolt.Open guarded like view: bbolt reads the freelist while
// opening, and panics when that page is damaged. (The file handle bbolt
// had opened is then lost until the process ends; the commands exit.)
func openBolt(path string, opt *bolt.Options) (bdb *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, damaged(path, fmt.Errorf("the database file is damaged: %v", r))
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return bolt.Open(path, 0o600, opt)
}

// overflowFits reports an error when the pages the buckets of tx claim,
// overflow pages included, are more than the file holds.
func overflowFits(tx *bolt.Tx, pageSize int) error {
	if pageSize <= 0 {
		return nil
	}
	limit := tx.Size() / int64(pageSize)
	var claimed int64
	err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		st := b.Stats()
		claimed += int64(st.BranchPageN) + int64(st.BranchOverflowN) + int64(st.LeafPageN) + int64(st.LeafOverflowN)
		if claimed > limit {
			return fmt.Errorf("the buckets claim at least %d pages, the file has %d: a page's overflow count is damaged", claimed, limit)
		}
		return nil
	})
	return err
}
