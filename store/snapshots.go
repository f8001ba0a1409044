package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

// Outcome is the result of one run for one board.
type Outcome string

// The outcomes of a run.
const (
	// OutcomeStored means the run produced a new snapshot.
	OutcomeStored Outcome = "stored"
	// OutcomeUnchanged means the run read the same content as the snapshot
	// before it, so nothing but the run was written.
	OutcomeUnchanged Outcome = "unchanged"
	// OutcomeFailed means the run produced no snapshot; see Run.Kind.
	OutcomeFailed Outcome = "failed"
)

// SaveResult says what Save did.
type SaveResult struct {
	// Outcome is OutcomeStored or OutcomeUnchanged.
	Outcome Outcome
	// Snapshot describes the snapshot just stored, or, when unchanged, the
	// earlier snapshot whose content it equals.
	Snapshot SnapshotInfo
}

// SnapshotInfo is the summary of a snapshot, read without its rows.
type SnapshotInfo struct {
	Board         string    `json:"board"`
	FetchedAt     time.Time `json:"fetched_at"`
	AsOf          time.Time `json:"as_of,omitzero"`
	Rows          int       `json:"rows"`
	ContentHash   string    `json:"content_hash"`
	SHA256        string    `json:"sha256,omitempty"`
	URL           string    `json:"url,omitempty"`
	ParserVersion string    `json:"parser_version,omitempty"`
	Origin        string    `json:"origin,omitempty"`
}

// indexRecord is the value in a board's index bucket: the info plus the
// raw bodies the snapshot refers to, so that Check can verify them without
// decoding snapshots.
type indexRecord struct {
	SnapshotInfo
	Documents []string `json:"documents,omitempty"`
}

func decodeIndex(v []byte) (indexRecord, error) {
	var rec indexRecord
	err := json.Unmarshal(v, &rec)
	if err == nil && !keyable(rec.FetchedAt) {
		// Valid JSON that lost its time ("null", a damaged key) is a
		// damaged record, not a snapshot fetched in year 1.
		err = fmt.Errorf("no fetch time")
	}
	return rec, err
}

// validBoard rejects board ids that cannot be bucket names.
func (db *DB) validBoard(board string) error {
	switch {
	case board == "":
		return db.errf(arenawatch.KindInvalid, "", "no board id given")
	case len(board) > maxBoardLen:
		return db.errf(arenawatch.KindInvalid, "", "board id is longer than %d bytes", maxBoardLen)
	case !utf8.ValidString(board):
		return db.errf(arenawatch.KindInvalid, "", "board id %q is not valid UTF-8", board)
	}
	return nil
}

// checkWrite is the common preamble of the writing methods.
func (db *DB) checkWrite(ctx context.Context, board string) error {
	if err := ctx.Err(); err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInterrupted, Board: board, URL: db.path,
			Err: fmt.Errorf("nothing written: %w", err)}
	}
	if db.readOnly {
		return db.errf(arenawatch.KindInvalid, board, "cannot write: the database is open read-only")
	}
	return nil
}

// Save stores snap unless its ContentHash equals that of the board's
// snapshot just before it (the latest one, for a live scrape), in which
// case it records only an "unchanged" run. Either way it appends a run at
// the DB clock's time; everything happens in one bbolt transaction.
//
// raw maps the sha256 hex of a raw response body to the body. When the
// snapshot is stored, each body not yet in the store is checked against its
// sha and written once, zstd-compressed, in a bucket of its own; a sha
// already stored is skipped without looking at its body. Every
// Documents[i].SHA256 must be in raw or already stored. When the snapshot
// is unchanged, raw is ignored.
//
// Save fails with KindInvalid for an empty Board or ContentHash, a zero or
// unkeyable FetchedAt (before 1970 or after 2262), a missing or mismatched
// body, or a snapshot that does not encode as JSON; with KindInterrupted if
// ctx is done before it starts. The stored snapshot has its times in UTC;
// snap itself is not modified.
func (db *DB) Save(ctx context.Context, snap *arenawatch.Snapshot, raw map[string][]byte) (SaveResult, error) {
	res, err := db.SaveBatch(ctx, []SaveItem{{Snapshot: snap, Raw: raw}})
	if err != nil {
		return SaveResult{}, err
	}
	return res[0], nil
}

// SaveItem is one item of SaveBatch: a snapshot with its raw bodies (see
// Save), or a failed run.
type SaveItem struct {
	Snapshot *arenawatch.Snapshot
	Raw      map[string][]byte
	// Failure, set instead of Snapshot, records a failed run of its board
	// (see RecordFailure); its Outcome is set to OutcomeFailed.
	Failure *Run
	// NoRun stores the snapshot without a run: the item is no attempt to
	// read its board (a re-parse of stored bodies), so the run log, and
	// "failed N times in a row", stay as they were.
	NoRun bool
}

// SaveBatch saves several snapshots, each as Save would, in one bbolt
// transaction: all or none are written, and the file is synced once, which
// makes a backfill of thousands of dates many times faster than one Save
// each. Each item is compared with the snapshot before it in time, which
// may be an earlier item of the batch. The results are in the order of
// items; the error names the first item that cannot be saved.
func (db *DB) SaveBatch(ctx context.Context, items []SaveItem) ([]SaveResult, error) {
	if len(items) == 0 {
		return nil, nil
	}
	for _, it := range items {
		if err := db.checkItem(it); err != nil {
			return nil, err
		}
	}
	board := items[0].board()
	if err := db.checkWrite(ctx, board); err != nil {
		return nil, err
	}
	runAt := db.now()
	if !keyable(runAt) {
		return nil, db.errf(arenawatch.KindInternal, board, "clock reads %s, outside 1970–2262", runAt)
	}
	res := make([]SaveResult, len(items))
	err := db.update(func(tx *bolt.Tx) error {
		for i, it := range items {
			board = it.board()
			if it.Failure != nil {
				res[i] = SaveResult{Outcome: OutcomeFailed}
				if _, err := boardBuckets(tx, board); err != nil {
					return err
				}
				run := *it.Failure
				run.At, run.Outcome = run.At.UTC(), OutcomeFailed
				if err := putRun(tx, run); err != nil {
					return err
				}
				continue
			}
			var err error
			if res[i], err = db.saveInTx(tx, it.Snapshot, it.Raw, runAt, !it.NoRun); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap(err, board, "save snapshot")
	}
	return res, nil
}

func (it SaveItem) board() string {
	if it.Failure != nil {
		return it.Failure.Board
	}
	if it.Snapshot != nil {
		return it.Snapshot.Board
	}
	return ""
}

// checkItem refuses an item that cannot be stored.
func (db *DB) checkItem(it SaveItem) error {
	if f := it.Failure; f != nil {
		if it.Snapshot != nil {
			return db.errf(arenawatch.KindInvalid, f.Board, "an item is a snapshot or a failure, not both")
		}
		if err := db.validBoard(f.Board); err != nil {
			return err
		}
		if !keyable(f.At) {
			return db.errf(arenawatch.KindInvalid, f.Board, "failure time %s is zero or outside 1970–2262", f.At.Format(time.RFC3339))
		}
		return nil
	}
	return db.checkSnapshot(it.Snapshot)
}

// checkSnapshot refuses a snapshot that cannot be stored.
func (db *DB) checkSnapshot(snap *arenawatch.Snapshot) error {
	if snap == nil {
		return db.errf(arenawatch.KindInvalid, "", "no snapshot given")
	}
	if err := db.validBoard(snap.Board); err != nil {
		return err
	}
	board := snap.Board
	switch {
	case snap.FetchedAt.IsZero():
		return db.errf(arenawatch.KindInvalid, board, "snapshot has no fetch time")
	case !keyable(snap.FetchedAt):
		return db.errf(arenawatch.KindInvalid, board, "snapshot fetch time %s is outside 1970–2262", snap.FetchedAt.Format(time.RFC3339))
	case snap.ContentHash == "":
		return db.errf(arenawatch.KindInvalid, board, "snapshot has no content hash")
	}
	return nil
}

// saveInTx saves one snapshot in tx, or records it unchanged, and appends
// its run at runAt when logRun.
func (db *DB) saveInTx(tx *bolt.Tx, snap *arenawatch.Snapshot, raw map[string][]byte, runAt time.Time, logRun bool) (SaveResult, error) {
	board := snap.Board
	bb, err := boardBuckets(tx, board)
	if err != nil {
		return SaveResult{}, err
	}
	run := Run{Board: board, At: runAt.UTC(), URL: snap.URL}
	prevKey, v := atOrBefore(bb.index.Cursor(), snap.FetchedAt)
	if v != nil {
		prev, err := decodeIndex(v)
		if err != nil {
			return SaveResult{}, db.errf(arenawatch.KindDamaged, board, "decode index record: %v", err)
		}
		if prev.ContentHash == snap.ContentHash {
			run.Outcome, run.SnapshotAt, run.Rows = OutcomeUnchanged, prev.FetchedAt, prev.Rows
			return SaveResult{Outcome: OutcomeUnchanged, Snapshot: prev.SnapshotInfo}, putRunIf(tx, run, logRun)
		}
	}
	info, err := db.putSnapshot(tx, bb, snap, raw, prevKey)
	if err != nil {
		return SaveResult{}, err
	}
	run.Outcome, run.SnapshotAt, run.Rows = OutcomeStored, info.FetchedAt, info.Rows
	return SaveResult{Outcome: OutcomeStored, Snapshot: info}, putRunIf(tx, run, logRun)
}

// putSnapshot writes a new snapshot of a board, its raw bodies and its
// index record in tx; prevKey is the board's snapshot before it in time
// (nil if none), the candidate base of a delta.
func (db *DB) putSnapshot(tx *bolt.Tx, bb buckets, snap *arenawatch.Snapshot, raw map[string][]byte, prevKey []byte) (SnapshotInfo, error) {
	board := snap.Board
	if err := db.putRaw(tx, board, snap, raw); err != nil {
		return SnapshotInfo{}, err
	}
	s := *snap
	s.FetchedAt = s.FetchedAt.UTC()
	if !s.AsOf.IsZero() {
		s.AsOf = s.AsOf.UTC()
	}
	js, err := json.Marshal(&s)
	if err != nil {
		return SnapshotInfo{}, db.errf(arenawatch.KindInvalid, board, "encode snapshot: %v", err)
	}
	var prevVal []byte
	if prevKey != nil {
		prevVal = bb.snapshots.Get(prevKey)
	}
	body, err := encodeSnapshot(bb.snapshots, js, prevKey, prevVal)
	if err != nil {
		return SnapshotInfo{}, db.errf(arenawatch.KindInternal, board, "compress snapshot: %v", err)
	}
	rec := indexRecord{SnapshotInfo: infoOf(&s)}
	for _, d := range s.Documents {
		rec.Documents = append(rec.Documents, d.SHA256)
	}
	recBody, err := json.Marshal(rec)
	if err != nil {
		return SnapshotInfo{}, db.errf(arenawatch.KindInternal, board, "encode index record: %v", err)
	}
	key := freeKey(bb.snapshots, s.FetchedAt)
	if err := bb.snapshots.Put(key, body); err != nil {
		return SnapshotInfo{}, err
	}
	if err := bb.index.Put(key, recBody); err != nil {
		return SnapshotInfo{}, err
	}
	return rec.SnapshotInfo, nil
}

func infoOf(s *arenawatch.Snapshot) SnapshotInfo {
	return SnapshotInfo{
		Board:         s.Board,
		FetchedAt:     s.FetchedAt,
		AsOf:          s.AsOf,
		Rows:          len(s.Rows),
		ContentHash:   s.ContentHash,
		SHA256:        s.SHA256,
		URL:           s.URL,
		ParserVersion: s.ParserVersion,
		Origin:        s.Origin,
	}
}

// buckets are one board's nested buckets.
type buckets struct {
	snapshots, index *bolt.Bucket
}

// boardBuckets opens, creating them if needed, a board's buckets in a
// write transaction.
func boardBuckets(tx *bolt.Tx, board string) (buckets, error) {
	var bb buckets
	boards := tx.Bucket(bucketBoards)
	if boards == nil {
		return bb, fmt.Errorf("no boards bucket")
	}
	b, err := boards.CreateBucketIfNotExists([]byte(board))
	if err != nil {
		return bb, err
	}
	for _, sub := range []struct {
		name []byte
		dst  **bolt.Bucket
	}{{bucketSnapshots, &bb.snapshots}, {bucketIndex, &bb.index}} {
		nb, err := b.CreateBucketIfNotExists(sub.name)
		if err != nil {
			return bb, err
		}
		nb.FillPercent = appendFill
		*sub.dst = nb
	}
	return bb, nil
}

// boardBucket returns a board's nested bucket name in a read transaction,
// or nil.
func boardBucket(tx *bolt.Tx, board string, name []byte) *bolt.Bucket {
	boards := tx.Bucket(bucketBoards)
	if boards == nil {
		return nil
	}
	b := boards.Bucket([]byte(board))
	if b == nil {
		return nil
	}
	return b.Bucket(name)
}

// atOrBefore positions c, a cursor on an index bucket, on the last snapshot
// whose FetchedAt is at or before t, and returns its key and value (nil if
// none). Keys are FetchedAt or a few nanoseconds later when bumped, so the
// entries just past t's key are checked for bumped ones that belong at or
// before t.
func atOrBefore(c *bolt.Cursor, t time.Time) (k, v []byte) {
	var seekK, seekV []byte
	if t.After(maxTime) {
		return c.Last()
	}
	seekK, seekV = c.Seek(u64(timeKey(t) + 1))
	for k2, v2 := seekK, seekV; k2 != nil; k2, v2 = c.Next() {
		rec, err := decodeIndex(v2)
		if err != nil || rec.FetchedAt.After(t) {
			break
		}
		k, v = k2, v2
	}
	if k != nil {
		return k, v
	}
	if seekK == nil {
		return c.Last()
	}
	// The loop did not advance past seekK (its first entry was after t),
	// so the cursor is still there.
	return c.Prev()
}

// Latest returns the board's newest snapshot, or KindNotFound.
func (db *DB) Latest(board string) (*arenawatch.Snapshot, error) {
	if err := db.validBoard(board); err != nil {
		return nil, err
	}
	var snap *arenawatch.Snapshot
	err := db.view(func(tx *bolt.Tx) error {
		b := boardBucket(tx, board, bucketSnapshots)
		if b == nil {
			return db.errf(arenawatch.KindNotFound, board, "no snapshots of board %s", board)
		}
		k, v := b.Cursor().Last()
		if k == nil {
			return db.errf(arenawatch.KindNotFound, board, "no snapshots of board %s", board)
		}
		var err error
		snap, err = db.decodeSnapshot(board, b, k, v)
		return err
	})
	if err != nil {
		return nil, db.wrap(err, board, "read latest snapshot")
	}
	return snap, nil
}

// At returns the board's latest snapshot whose FetchedAt is at or before
// t, or KindNotFound when there is none (t before the first snapshot).
func (db *DB) At(board string, t time.Time) (*arenawatch.Snapshot, error) {
	if err := db.validBoard(board); err != nil {
		return nil, err
	}
	notFound := func() error {
		return db.errf(arenawatch.KindNotFound, board, "no snapshot of board %s at or before %s",
			board, t.UTC().Format(time.RFC3339))
	}
	if t.Before(minTime) {
		return nil, notFound()
	}
	var snap *arenawatch.Snapshot
	err := db.view(func(tx *bolt.Tx) error {
		index := boardBucket(tx, board, bucketIndex)
		snaps := boardBucket(tx, board, bucketSnapshots)
		if index == nil || snaps == nil {
			return notFound()
		}
		k, _ := atOrBefore(index.Cursor(), t)
		if k == nil {
			return notFound()
		}
		v := snaps.Get(k)
		if v == nil {
			return db.errf(arenawatch.KindDamaged, board, "index record %s has no snapshot", keyString(k))
		}
		var err error
		snap, err = db.decodeSnapshot(board, snaps, k, v)
		return err
	})
	if err != nil {
		return nil, db.wrap(err, board, "read snapshot")
	}
	return snap, nil
}

// decodeSnapshot decodes the snapshot stored at k in snaps, a board's
// snapshots bucket, whose value is v.
func (db *DB) decodeSnapshot(board string, snaps *bolt.Bucket, k, v []byte) (*arenawatch.Snapshot, error) {
	js, err := snapshotJSON(snaps, k, v)
	var s *arenawatch.Snapshot
	if err == nil {
		s, err = decodeSnapshotJSON(board, js)
	}
	if err != nil {
		e := db.errf(arenawatch.KindDamaged, board, "the snapshot of %s cannot be decoded: %v", keyString(k), err)
		e.Hint = "this one record is damaged; other snapshots and boards still answer. Run 'arenawatch db check' to list every damaged record; restore the file from a backup to recover it"
		return nil, e
	}
	return s, nil
}

// Snapshots lists the board's snapshots, oldest first, from the index
// records (no rows are decoded). A board without snapshots gives an empty
// list and no error.
func (db *DB) Snapshots(board string) ([]SnapshotInfo, error) {
	if err := db.validBoard(board); err != nil {
		return nil, err
	}
	var out []SnapshotInfo
	err := db.view(func(tx *bolt.Tx) error {
		index := boardBucket(tx, board, bucketIndex)
		if index == nil {
			return nil
		}
		return index.ForEach(func(k, v []byte) error {
			rec, err := decodeIndex(v)
			if err != nil {
				return db.errf(arenawatch.KindDamaged, board, "decode index record %s: %v", keyString(k), err)
			}
			out = append(out, rec.SnapshotInfo)
			return nil
		})
	})
	if err != nil {
		return nil, db.wrap(err, board, "list snapshots")
	}
	return out, nil
}

// Boards returns, sorted, the ids of the boards that have snapshots or runs:
// a board's bucket is made by its first snapshot or run. A bucket whose
// name is no board id (damaged) is left out; Verify names it.
func (db *DB) Boards() ([]string, error) {
	var out []string
	err := db.view(func(tx *bolt.Tx) error {
		boards := tx.Bucket(bucketBoards)
		if boards == nil {
			return nil
		}
		return boards.ForEachBucket(func(name []byte) error {
			// A name no board can have is a damaged one (a flipped bit):
			// left out here, named by Check.
			if db.validBoard(string(name)) == nil {
				out = append(out, string(name))
			}
			return nil
		})
	})
	if err != nil {
		return nil, db.wrap(err, "", "list boards")
	}
	sort.Strings(out) // bucket order is bytewise already; this makes it explicit
	return out, nil
}

// putRunIf appends run when log is set.
func putRunIf(tx *bolt.Tx, run Run, log bool) error {
	if !log {
		return nil
	}
	return putRun(tx, run)
}
