package store

import (
	"encoding/binary"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Stats describes a store file: what it holds and how much room it takes.
type Stats struct {
	Path          string `json:"path"`
	SchemaVersion int    `json:"schema_version"`
	// FileBytes is the file's size; PageSize and Pages (the pages in use,
	// free ones included) are bbolt's. FreePages are pages on bbolt's
	// freelist, reused by later writes and given back by a compact, which
	// also gives back the file's unused tail (FileBytes - Pages*PageSize).
	FileBytes int64  `json:"file_bytes"`
	PageSize  int    `json:"page_size"`
	Pages     uint64 `json:"pages"`
	FreePages int    `json:"free_pages"`
	FreeBytes int64  `json:"free_bytes"`
	// Snapshots and SnapshotBytes total the boards' snapshots and their
	// stored (compressed) size.
	Snapshots     int          `json:"snapshots"`
	SnapshotBytes int64        `json:"snapshot_bytes"`
	Runs          int          `json:"runs"`
	Boards        []BoardStats `json:"boards"`
	// RawBodies and RawBytes count the raw response bodies and their
	// stored (compressed) size.
	RawBodies int   `json:"raw_bodies"`
	RawBytes  int64 `json:"raw_bytes"`
}

// BoardStats describes one board's part of the store.
type BoardStats struct {
	Board     string `json:"board"`
	Snapshots int    `json:"snapshots"`
	// Full and Deltas split Snapshots by how they are stored (codec.go).
	Full   int `json:"full"`
	Deltas int `json:"deltas"`
	// First and Last are the fetch times of the oldest and newest
	// snapshot; zero when there is none.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Bytes is the stored size of the snapshots and their index records.
	Bytes int64 `json:"bytes"`
	// Origins counts the snapshots by Origin ("scraped", "replayed",
	// "imported"; "unreadable" for an index record that does not decode).
	Origins map[string]int `json:"origins"`
	Runs    int            `json:"runs"`
}

// Stats reads the store's figures in one read transaction. It reads the
// index records, not the snapshots, so it is quick on any size of file.
func (db *DB) Stats() (Stats, error) {
	st := Stats{Path: db.path, Boards: []BoardStats{}}
	err := db.view(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			v, _ := readSchemaVersion(meta)
			st.SchemaVersion = int(v)
		}
		st.PageSize = tx.DB().Info().PageSize
		st.Pages = uint64(tx.Size()) / uint64(max(st.PageSize, 1))
		runs := runCounts(tx)
		if boards := tx.Bucket(bucketBoards); boards != nil {
			_ = boards.ForEachBucket(func(name []byte) error {
				bs := boardStats(tx, string(name))
				bs.Runs += runs[string(name)]
				st.Boards = append(st.Boards, bs)
				st.Snapshots += bs.Snapshots
				st.SnapshotBytes += bs.Bytes
				st.Runs += bs.Runs
				return nil
			})
		}
		st.RawBodies, st.RawBytes = bodyStats(tx)
		return nil
	})
	if err != nil {
		return Stats{}, db.wrap(err, "", "read the database's figures")
	}
	if fi, err := os.Stat(db.path); err == nil {
		st.FileBytes = fi.Size()
	}
	st.FreePages = freePages(db.path)
	st.FreeBytes = int64(st.FreePages) * int64(st.PageSize)
	return st, nil
}

// boardStats counts one board's snapshots and index records, and its
// schema-1 runs; the run log's are counted by runCounts.
func boardStats(tx *bolt.Tx, board string) BoardStats {
	bs := BoardStats{Board: board, Origins: map[string]int{}}
	if snaps := boardBucket(tx, board, bucketSnapshots); snaps != nil {
		_ = snaps.ForEach(func(_, v []byte) error {
			bs.Snapshots++
			bs.Bytes += int64(len(v))
			if baseOf(v) != nil {
				bs.Deltas++
			} else {
				bs.Full++
			}
			return nil
		})
	}
	if index := boardBucket(tx, board, bucketIndex); index != nil {
		_ = index.ForEach(func(k, v []byte) error {
			bs.Bytes += int64(len(v))
			rec, err := decodeIndex(v)
			if err != nil {
				bs.Origins["unreadable"]++
				return nil
			}
			bs.Origins[rec.Origin]++
			if bs.First.IsZero() || rec.FetchedAt.Before(bs.First) {
				bs.First = rec.FetchedAt
			}
			if rec.FetchedAt.After(bs.Last) {
				bs.Last = rec.FetchedAt
			}
			return nil
		})
	}
	if v1 := boardBucket(tx, board, bucketRuns); v1 != nil { // schema 1
		bs.Runs = v1.Stats().KeyN
	}
	return bs
}

// runCounts counts the run log's runs per board in one pass (a pass per
// board would read the whole log once for each).
func runCounts(tx *bolt.Tx) map[string]int {
	n := map[string]int{}
	if log := tx.Bucket(bucketRunLog); log != nil {
		_ = log.ForEach(func(k, _ []byte) error {
			if len(k) > 8 {
				n[string(k[8:])]++
			}
			return nil
		})
	}
	return n
}

// bodyStats counts the raw bodies, in either layout, and their stored size.
func bodyStats(tx *bolt.Tx) (n int, size int64) {
	if bodies := tx.Bucket(bucketBodies); bodies != nil {
		_ = bodies.ForEachBucket(func(k []byte) error {
			n++
			if nb := bodies.Bucket(k); nb != nil {
				size += int64(len(nb.Get(keyBodyData)))
			}
			return nil
		})
	}
	if v1 := tx.Bucket(bucketRaw); v1 != nil {
		_ = v1.ForEach(func(_, v []byte) error {
			n++
			size += int64(len(v))
			return nil
		})
	}
	return n, size
}

// freePages reads the number of page ids on the freelist page of the file
// at path (bbolt's on-disk format: a page header whose count is the number
// of ids, or 0xFFFF and the count in the first 8-byte element). 0 when the
// file keeps no freelist or it cannot be read.
func freePages(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	m, ok := readMeta(f)
	if !ok || m.freelist == 0 || m.freelist >= m.pages {
		return 0
	}
	var buf [pageHeaderSize + 8]byte
	if n, _ := f.ReadAt(buf[:], int64(m.freelist)*int64(m.pageSize)); n < len(buf) {
		return 0
	}
	count := uint64(binary.LittleEndian.Uint16(buf[10:]))
	if count == 0xFFFF {
		count = binary.LittleEndian.Uint64(buf[pageHeaderSize:])
	}
	if count > m.pages {
		return 0 // a damaged page; Check names it
	}
	return int(count)
}
