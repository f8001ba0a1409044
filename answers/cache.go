package answers

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
)

// Cache keeps answered history rows in a bbolt file of its own, so that a
// long history is answered once: a row is kept under the snapshot it
// answers (board, fetch time, content hash) and everything its answer
// depends on (the catalog's fingerprint, the rank rule, the origin view,
// the counting, the top N, and the program that answered it). Any change
// to one of those is a new key, so a kept row is never stale; old keys are
// dropped with their generation (see maxGenerations).
//
// The cache is an optimisation only: it never fails a question. A file
// that cannot be opened (locked by another arenawatch, unwritable,
// damaged) means answering without it, and a row that does not decode is
// answered again.
type Cache struct {
	db *bolt.DB
	// program identifies the code that answers: see programID.
	program string
	// pending holds rows answered in this run, written by Flush.
	pending map[string]map[string][]byte
	now     func() time.Time
}

// maxGenerations is how many fingerprints (a catalog, a view, a build of
// arenawatch) the cache keeps rows for; the least recently written go
// first. Each generation of a 10,000-snapshot history is about 6 MB.
const maxGenerations = 6

// lastUsedKey is the key, in each generation's bucket, of the time the
// generation was last written (8 bytes, Unix nanoseconds). It cannot clash
// with a row key, which starts with a board id.
const lastUsedKey = "\x00last-used"

// OpenCache opens (or creates) the cache file at path. It waits at most
// a moment for another arenawatch using it; the caller answers without a
// cache when it returns an error.
func OpenCache(path string, now func() time.Time) (c *Cache, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	defer func() {
		// bbolt panics on some damaged files: a cache is never worth a crash.
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("answer cache %s: %v", path, r)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Cache{db: db, program: programID(), pending: map[string]map[string][]byte{}, now: now}, nil
}

// Close writes pending rows and closes the file.
func (c *Cache) Close() error {
	if c == nil {
		return nil
	}
	ferr := c.Flush()
	return errors.Join(ferr, c.db.Close())
}

// generation names the bucket of rows answered with opt by this program.
func (c *Cache) generation(opt history.Options) string { return generationOf(c.program, opt) }

// generationOf names the bucket of rows answered with opt by program.
func generationOf(program string, opt history.Options) string {
	rule, _ := json.Marshal(opt.Rule)
	r := opt.Ranking
	if r.View == "" {
		r.View = ranking.ViewDeveloper // what the zero view means
	}
	view, _ := json.Marshal(r)
	fp := ""
	if opt.Catalog != nil {
		fp = opt.Catalog.Fingerprint()
	}
	h := sha256.New()
	for _, part := range []string{program, fp, string(rule), string(view), fmt.Sprint(topN(opt))} {
		fmt.Fprintf(h, "%d:%s", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// rowKey names one snapshot's row within a generation.
func rowKey(board string, fetched time.Time, contentHash string) string {
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], uint64(fetched.UnixNano()))
	return board + "\x00" + string(t[:]) + contentHash
}

// getAll returns the kept rows of keys, by key; a failure is a miss.
func (c *Cache) getAll(gen string, keys []string) (rows map[string]history.Row) {
	rows = map[string]history.Row{}
	if c == nil {
		return rows
	}
	defer func() {
		if recover() != nil { // a damaged file: answer everything again
			rows = map[string]history.Row{}
		}
	}()
	_ = c.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(gen))
		if b == nil {
			return nil
		}
		for _, k := range keys {
			var row history.Row
			if v := b.Get([]byte(k)); v != nil && json.Unmarshal(v, &row) == nil {
				rows[k] = row
			}
		}
		return nil
	})
	return rows
}

// Answered is a snapshot's row answered before a cache is open, to be
// kept with Cache.Keep.
type Answered struct {
	gen, key string
	row      history.Row
}

// Answer answers s, a snapshot just stored, as a history with opt will:
// an import or a scrape answers what it stores, while the snapshot is in
// memory, so that the first history after it reads the rows from the
// cache instead of decoding every snapshot again. s must be the snapshot
// as stored (its board, fetch time and content hash name the row).
func Answer(s *arenawatch.Snapshot, opt history.Options) Answered {
	return Answered{gen: generationOf(programID(), opt), key: rowKey(s.Board, s.FetchedAt, s.ContentHash), row: history.RowOf(s, opt)}
}

// Keep keeps rows answered by Answer until Flush.
func (c *Cache) Keep(rows []Answered) {
	for _, a := range rows {
		c.put(a.gen, a.key, a.row)
	}
}

// put keeps a row until Flush.
func (c *Cache) put(gen, key string, row history.Row) {
	if c == nil {
		return
	}
	v, err := json.Marshal(row)
	if err != nil {
		return
	}
	if c.pending[gen] == nil {
		c.pending[gen] = map[string][]byte{}
	}
	c.pending[gen][key] = v
}

// Flush writes the pending rows in one transaction and drops the oldest
// generations beyond maxGenerations.
func (c *Cache) Flush() (err error) {
	if c == nil || len(c.pending) == 0 {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("answer cache: %v", r)
		}
	}()
	err = c.db.Update(func(tx *bolt.Tx) error {
		var stamp [8]byte
		binary.BigEndian.PutUint64(stamp[:], uint64(c.now().UnixNano()))
		for gen, rows := range c.pending {
			b, err := tx.CreateBucketIfNotExists([]byte(gen))
			if err != nil {
				return err
			}
			for k, v := range rows {
				if err := b.Put([]byte(k), v); err != nil {
					return err
				}
			}
			if err := b.Put([]byte(lastUsedKey), stamp[:]); err != nil {
				return err
			}
		}
		return dropOldGenerations(tx)
	})
	c.pending = map[string]map[string][]byte{}
	return err
}

// dropOldGenerations deletes the least recently written buckets beyond
// maxGenerations.
func dropOldGenerations(tx *bolt.Tx) error {
	type gen struct {
		name []byte
		used uint64
	}
	var gens []gen
	err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		var used uint64
		if v := b.Get([]byte(lastUsedKey)); len(v) == 8 {
			used = binary.BigEndian.Uint64(v)
		}
		gens = append(gens, gen{append([]byte(nil), name...), used})
		return nil
	})
	if err != nil || len(gens) <= maxGenerations {
		return err
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i].used > gens[j].used })
	for _, g := range gens[maxGenerations:] {
		if err := tx.DeleteBucket(g.name); err != nil {
			return err
		}
	}
	return nil
}

// programID identifies the code that answers: arenawatch's module version
// and VCS revision when the build recorded them, and always the running
// executable's path, size and modification time, so that a rebuilt binary
// (a new answer rule, a fixed bug) never reads rows an older one kept.
var programID = sync.OnceValue(func() string {
	id := buildID()
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			id += fmt.Sprintf("|%s|%d|%d", exe, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return id
})

// buildID is the module version and VCS state the build recorded, if any.
func buildID() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	id := bi.Main.Path + "@" + bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			id += "|" + s.Value
		}
	}
	return id
}

// topN is the top list size opt answers with (history's default for 0).
func topN(opt history.Options) int {
	if opt.Top <= 0 {
		return history.DefaultTop
	}
	return opt.Top
}
