package store

import (
	"context"
	"encoding/json"
	"fmt"
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

// putRun appends run to b under a free key at run.At.
func putRun(b *bolt.Bucket, run Run) error {
	v, err := json.Marshal(run)
	if err != nil {
		return err
	}
	return b.Put(freeKey(b, run.At), v)
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
	if err := db.validBoard(board); err != nil {
		return err
	}
	if !keyable(at) {
		return db.errf(arenawatch.KindInvalid, board, "failure time %s is zero or outside 1970–2262", at.Format(time.RFC3339))
	}
	if err := db.checkWrite(ctx, board); err != nil {
		return err
	}
	run := Run{Board: board, At: at.UTC(), Outcome: OutcomeFailed, Kind: kind.Slug(), URL: url, Message: message}
	err := db.update(func(tx *bolt.Tx) error {
		bb, err := boardBuckets(tx, board)
		if err != nil {
			return err
		}
		return putRun(bb.runs, run)
	})
	return db.wrap(err, board, "record failed run")
}

// Runs returns the board's runs, newest first; at most limit of them, or
// all when limit <= 0. A board without runs gives an empty list.
func (db *DB) Runs(board string, limit int) ([]Run, error) {
	if err := db.validBoard(board); err != nil {
		return nil, err
	}
	var out []Run
	err := db.view(func(tx *bolt.Tx) error {
		b := boardBucket(tx, board, bucketRuns)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			r, err := decodeRun(v)
			if err != nil {
				return db.errf(arenawatch.KindDamaged, board, "decode run %s: %v", keyString(k), err)
			}
			out = append(out, r)
		}
		return nil
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
		b := boardBucket(tx, board, bucketRuns)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r struct {
				Outcome Outcome `json:"outcome"`
				Kind    string  `json:"kind"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return db.errf(arenawatch.KindDamaged, board, "decode run %s: %v", keyString(k), err)
			}
			if r.Outcome != OutcomeFailed {
				return nil
			}
			if r.Kind != arenawatch.KindInterrupted.Slug() {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, db.wrap(err, board, "count failed runs")
	}
	return n, nil
}
