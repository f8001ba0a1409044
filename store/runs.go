package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

// Run is one attempt to read one board.
type Run struct {
	Board   string    `json:"board"`
	At      time.Time `json:"at"`
	Outcome Outcome   `json:"outcome"`
	// Kind is the error kind's slug (arenawatch.Kind.Slug) of a failed run.
	Kind    string `json:"kind,omitempty"`
	URL     string `json:"url,omitempty"`
	Message string `json:"message,omitempty"`
	// SnapshotAt is the FetchedAt of the snapshot the run stored or found
	// unchanged; zero for a failed run.
	SnapshotAt time.Time `json:"snapshot_at,omitzero"`
	// Rows is the row count of that snapshot; 0 for a failed run.
	Rows int `json:"rows,omitempty"`
}

// Runs (schema 2) are kept in one top-level bucket, the run log, keyed by
// the run's time (8 bytes, as snapshot keys) followed by the board id. A
// scrape's runs for all its boards are then neighbours: recording them
// rewrites one leaf, where a bucket per board rewrote three pages per
// board (an unchanged re-scrape of 19 boards wrote 380 KB). Per-board
// questions scan the log from its end; they stop at the first answer.
// Schema 1 kept them per board (boards/<board>/runs, keyed by time),
// read as they are until migrated.
var bucketRunLog = []byte("runlog")

// runKey is the run log key of a run of board at t.
func runKey(t time.Time, board string) []byte {
	return append(u64(timeKey(t)), board...)
}

// putRun appends run to the run log, bumping its time by a nanosecond
// while the key is taken.
func putRun(tx *bolt.Tx, run Run) error {
	v, err := json.Marshal(run)
	if err != nil {
		return err
	}
	return putRunValue(tx, run.Board, run.At, v)
}

// putRunValue appends an encoded run of board at t to the run log.
func putRunValue(tx *bolt.Tx, board string, t time.Time, v []byte) error {
	b := tx.Bucket(bucketRunLog)
	if b == nil {
		return fmt.Errorf("no runlog bucket")
	}
	b.FillPercent = appendFill
	for b.Get(runKey(t, board)) != nil {
		t = t.Add(time.Nanosecond)
	}
	return b.Put(runKey(t, board), v)
}

// boardRuns calls fn with the key time and value of each of board's runs,
// newest first, until fn returns false. It reads the run log and, in a
// file not yet migrated from schema 1, the board's own runs bucket.
func boardRuns(tx *bolt.Tx, board string, fn func(at []byte, v []byte) bool) {
	v1 := boardBucket(tx, board, bucketRuns)
	log := tx.Bucket(bucketRunLog)
	if v1 == nil {
		if log == nil {
			return
		}
		c := log.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			if len(k) > 8 && string(k[8:]) == board && !fn(k[:8], v) {
				return
			}
		}
		return
	}
	// A file part migrated: merge both, newest first.
	type kv struct{ k, v []byte }
	var all []kv
	_ = v1.ForEach(func(k, v []byte) error { all = append(all, kv{k, v}); return nil })
	if log != nil {
		_ = log.ForEach(func(k, v []byte) error {
			if len(k) > 8 && string(k[8:]) == board {
				all = append(all, kv{k[:8], v})
			}
			return nil
		})
	}
	sort.SliceStable(all, func(i, j int) bool { return bytes.Compare(all[i].k, all[j].k) > 0 })
	for _, e := range all {
		if !fn(e.k, e.v) {
			return
		}
	}
}

// decodeRun decodes a run record.
func decodeRun(v []byte) (Run, error) {
	var r Run
	err := json.Unmarshal(v, &r)
	if err == nil && !keyable(r.At) {
		err = fmt.Errorf("no run time")
	}
	return r, err
}

// RecordFailure appends a failed run for board at time at, with the
// error's kind, the address that failed and the message. Snapshots are
// never touched. It fails with KindInvalid for an empty board or a zero or
// unkeyable time, KindInterrupted if ctx is done before it starts.
func (db *DB) RecordFailure(ctx context.Context, board string, at time.Time, kind arenawatch.Kind, url, message string) error {
	run := Run{Board: board, At: at, Outcome: OutcomeFailed, Kind: kind.Slug(), URL: url, Message: message}
	_, err := db.SaveBatch(ctx, []SaveItem{{Failure: &run}})
	return err
}

// Runs returns the board's runs, newest first; at most limit of them, or
// all when limit <= 0. A board without runs gives an empty list.
func (db *DB) Runs(board string, limit int) ([]Run, error) {
	if err := db.validBoard(board); err != nil {
		return nil, err
	}
	var out []Run
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		boardRuns(tx, board, func(k, v []byte) bool {
			if limit > 0 && len(out) >= limit {
				return false
			}
			var r Run
			if r, err = decodeRun(v); err != nil {
				err = db.errf(arenawatch.KindDamaged, board, "decode run %s: %v", keyString(k), err)
				return false
			}
			out = append(out, r)
			return true
		})
		return err
	})
	if err != nil {
		return nil, db.wrap(err, board, "list runs")
	}
	return out, nil
}

// ConsecutiveFailures returns the number of failed runs since the board's
// last stored or unchanged run (all of its runs if it never had one). A run
// that was interrupted (Ctrl-C, SIGTERM) says nothing about the board: it
// neither counts nor breaks the series.
func (db *DB) ConsecutiveFailures(board string) (int, error) {
	if err := db.validBoard(board); err != nil {
		return 0, err
	}
	n := 0
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		boardRuns(tx, board, func(k, v []byte) bool {
			var r struct {
				Outcome Outcome `json:"outcome"`
				Kind    string  `json:"kind"`
			}
			if err = json.Unmarshal(v, &r); err != nil {
				err = db.errf(arenawatch.KindDamaged, board, "decode run %s: %v", keyString(k), err)
				return false
			}
			if r.Outcome != OutcomeFailed {
				return false
			}
			if r.Kind != arenawatch.KindInterrupted.Slug() {
				n++
			}
			return true
		})
		return err
	})
	if err != nil {
		return 0, db.wrap(err, board, "count failed runs")
	}
	return n, nil
}
