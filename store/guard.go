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

// fileMeta is what bbolt's meta page in force says of the file.
type fileMeta struct {
	pageSize uint32
	pages    uint64 // the high-water mark: pages in use
	root     uint64 // the root bucket's page
	freelist uint64 // the freelist's page
}

// readMeta reads the two meta pages of a bbolt file and returns the one in
// force, as bbolt chooses it: of the valid ones (magic and checksum), the
// one with the higher transaction id. ok is false when neither is valid.
func readMeta(f *os.File) (m fileMeta, ok bool) {
	var txid uint64
	for i := range 2 {
		// The second meta page is one page in: its size is in the first
		// valid meta, or the OS page size bbolt used when it made the file.
		at := int64(0)
		if i == 1 {
			at = int64(os.Getpagesize())
			if ok {
				at = int64(m.pageSize)
			}
		}
		var buf [80]byte
		if n, _ := f.ReadAt(buf[:], at); n < len(buf) {
			continue
		}
		b := buf[16:]
		if binary.LittleEndian.Uint32(b[0:]) != 0xED0CDAED {
			continue
		}
		h := fnv.New64a()
		h.Write(b[:56])
		if h.Sum64() != binary.LittleEndian.Uint64(b[56:]) {
			continue
		}
		if t := binary.LittleEndian.Uint64(b[48:]); !ok || t > txid {
			ok, txid = true, t
			m = fileMeta{pageSize: binary.LittleEndian.Uint32(b[8:]), pages: binary.LittleEndian.Uint64(b[40:]),
				root: binary.LittleEndian.Uint64(b[16:]), freelist: binary.LittleEndian.Uint64(b[32:])}
		}
	}
	return m, ok && m.pageSize > 0
}

// checkHighWater refuses a file shorter than its own meta page says it is.
// bbolt maps the file and reads pages below the high-water mark without
// checking the file size, so a truncated file would make it read past the
// end of the mapping: a bus error that no recover can catch. A file whose
// meta pages are both invalid is left for bbolt to reject.
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
	m, ok := readMeta(f)
	if !ok {
		return nil
	}
	if want := m.pages * uint64(m.pageSize); uint64(fi.Size()) < want {
		return damaged(path, fmt.Errorf("the database file is damaged: it is %d bytes, but its own header says %d (truncated?)", fi.Size(), want))
	}
	return nil
}

// Page layout of bbolt (a stable on-disk format): a 16-byte header (id,
// flags, count, overflow), then count 16-byte elements. A branch element
// holds a child page id at offset 8; a leaf element holds flags, the
// position and sizes of its key and value; a leaf value flagged as a
// bucket starts with the bucket's root page id (0 for a bucket inlined in
// the value).
const (
	pageHeaderSize = 16
	elemSize       = 16
	flagBranch     = 0x01
	flagLeaf       = 0x02
	flagBucketElem = 0x01
)

// checkPageGraph reads, from the file itself, every page reachable from
// the root bucket and refuses a graph bbolt would walk forever or past
// the file: a page referenced twice (a damaged page id can point back to
// an ancestor, and bbolt's cursors then descend without end), a page id at
// or past the high-water mark, a header that names another page, an
// overflow past the end, or elements that do not fit their page. It runs
// before DB.Check walks the buckets; it is O(pages in use).
func checkPageGraph(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	m, ok := readMeta(f)
	if !ok {
		return fmt.Errorf("no valid meta page")
	}
	if err := checkFreelistPage(f, m); err != nil {
		return err
	}
	w := &pageWalker{f: f, m: m, ps: uint64(m.pageSize), seen: map[uint64]bool{}, stack: []uint64{m.root}}
	for len(w.stack) > 0 {
		id := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		if err := w.visit(id); err != nil {
			return err
		}
	}
	return nil
}

// checkFreelistPage checks the header of the freelist page. The freelist
// page is no bucket's, but bbolt's check walks its overflow too: its
// header must hold.
func checkFreelistPage(f *os.File, m fileMeta) error {
	if m.freelist == 0 || m.freelist >= m.pages {
		return nil
	}
	var hdr [pageHeaderSize]byte
	if _, err := f.ReadAt(hdr[:], int64(m.freelist*uint64(m.pageSize))); err != nil {
		return fmt.Errorf("freelist page %d: %w", m.freelist, err)
	}
	if id := binary.LittleEndian.Uint64(hdr[0:]); id != m.freelist {
		return fmt.Errorf("freelist page %d names itself page %d", m.freelist, id)
	}
	if o := uint64(binary.LittleEndian.Uint32(hdr[12:])); o >= m.pages-m.freelist {
		return fmt.Errorf("freelist page %d claims %d overflow pages, past the end of the file", m.freelist, o)
	}
	return nil
}

// pageWalker is the state of checkPageGraph's depth-first walk: the pages
// seen so far and the page ids still to visit.
type pageWalker struct {
	f     *os.File
	m     fileMeta
	ps    uint64 // page size
	seen  map[uint64]bool
	stack []uint64
}

// visit checks page id (its id, its header, its elements) and pushes the
// pages it references: a branch's children, a leaf's bucket roots.
func (w *pageWalker) visit(id uint64) error {
	if id < 2 || id >= w.m.pages {
		return fmt.Errorf("a reference to page %d, outside pages 2–%d", id, w.m.pages-1)
	}
	if w.seen[id] {
		return fmt.Errorf("page %d is referenced twice (a damaged page id, possibly a cycle)", id)
	}
	w.seen[id] = true
	flags, count, size, err := w.header(id)
	if err != nil {
		return err
	}
	buf := make([]byte, size)
	if _, err := w.f.ReadAt(buf, int64(id*w.ps)); err != nil {
		return fmt.Errorf("page %d: %w", id, err)
	}
	return w.pushChildren(id, buf, flags, count)
}

// header reads and checks the header of page id; it returns the page's
// flags, its element count and its size in bytes, overflow included.
func (w *pageWalker) header(id uint64) (flags uint16, count, size uint64, err error) {
	var hdr [pageHeaderSize]byte
	if _, err := w.f.ReadAt(hdr[:], int64(id*w.ps)); err != nil {
		return 0, 0, 0, fmt.Errorf("page %d: %w", id, err)
	}
	flags = binary.LittleEndian.Uint16(hdr[8:])
	count = uint64(binary.LittleEndian.Uint16(hdr[10:]))
	overflow := uint64(binary.LittleEndian.Uint32(hdr[12:]))
	if binary.LittleEndian.Uint64(hdr[0:]) != id {
		return 0, 0, 0, fmt.Errorf("page %d names itself page %d", id, binary.LittleEndian.Uint64(hdr[0:]))
	}
	if overflow >= w.m.pages-id {
		return 0, 0, 0, fmt.Errorf("page %d claims %d overflow pages, past the end of the file", id, overflow)
	}
	size = (1 + overflow) * w.ps
	if pageHeaderSize+count*elemSize > size {
		return 0, 0, 0, fmt.Errorf("page %d claims %d elements, more than it holds", id, count)
	}
	if flags&(flagBranch|flagLeaf) == 0 {
		return 0, 0, 0, fmt.Errorf("page %d is neither a branch nor a leaf (flags %#x)", id, flags)
	}
	return flags, count, size, nil
}

// pushChildren pushes the page ids that the count elements of page id
// (read into buf) reference: every child of a branch, and the root of
// every bucket value of a leaf that is not inlined.
func (w *pageWalker) pushChildren(id uint64, buf []byte, flags uint16, count uint64) error {
	size := uint64(len(buf))
	for i := range count {
		e := buf[pageHeaderSize+i*elemSize:]
		if flags&flagBranch != 0 {
			w.stack = append(w.stack, binary.LittleEndian.Uint64(e[8:]))
			continue
		}
		if binary.LittleEndian.Uint32(e[0:])&flagBucketElem == 0 {
			continue
		}
		// The value sits pos bytes after its element, behind the key.
		at := pageHeaderSize + i*elemSize + uint64(binary.LittleEndian.Uint32(e[4:])) + uint64(binary.LittleEndian.Uint32(e[8:]))
		if at+8 > size {
			return fmt.Errorf("page %d: a bucket value past the end of the page", id)
		}
		if root := binary.LittleEndian.Uint64(buf[at:]); root != 0 {
			w.stack = append(w.stack, root)
		}
	}
	return nil
}

// walkAll reads every key and value of every bucket in tx, so that a
// corrupt page faults or panics in the caller's goroutine, where view,
// update and checkWritable recover it. (Cycles among pages, which would
// make bbolt's cursors descend without end, are refused before it runs:
// see checkPageGraph. The nesting bound is a second guard.)
func walkAll(tx *bolt.Tx) {
	var sum byte
	const maxDepth = 16 // arenawatch nests three levels: boards/<id>/<kind>
	var walk func(b *bolt.Bucket, depth int)
	walk = func(b *bolt.Bucket, depth int) {
		if depth > maxDepth {
			panic(fmt.Sprintf("buckets nested %d deep: a page points back to its ancestors", depth))
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if child := b.Bucket(k); child != nil {
					walk(child, depth+1)
				}
				continue
			}
			if len(v) > 0 {
				sum ^= v[0] ^ v[len(v)-1] // the value's pages are mapped and readable
			}
		}
	}
	_ = tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		walk(b, 1)
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
