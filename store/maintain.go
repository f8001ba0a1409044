package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/retention"
	bolt "go.etcd.io/bbolt"
)

// Removing snapshots (Prune, Drop). A board's snapshots go, with their
// index records, in one write transaction per board, so that a kill at any
// point leaves every board either as it was or as it is meant to be, and
// the file consistent. In that same transaction:
//
//   - every delta whose base goes is decoded while the base is still there
//     and stored again, as a delta of a surviving full snapshot or as a
//     full snapshot itself (rebased), so no survivor loses its base;
//   - every raw body that a removed snapshot referred to and that no
//     remaining snapshot of any board refers to is dropped.
//
// Runs, the log of attempts, are kept: a run may name a snapshot time
// that is no longer stored.
//
// A dry run does the same work in one transaction over all boards and rolls
// it back, so its figures (rebased deltas, dropped bodies) are exact.

// Removal is what Prune or Drop removed, or, for a dry run, would remove.
type Removal struct {
	DryRun bool           `json:"dry_run"`
	Boards []BoardRemoval `json:"boards"`
	// Removed counts the snapshots removed over all boards, Remaining
	// those left in the boards looked at.
	Removed   int `json:"removed"`
	Remaining int `json:"remaining"`
	// Rebased counts the deltas stored again because their base went.
	Rebased int `json:"rebased"`
	// Bodies and BodyBytes count the raw bodies dropped and their stored
	// (compressed) size.
	Bodies    int   `json:"raw_bodies_removed"`
	BodyBytes int64 `json:"raw_body_bytes_removed"`
}

// BoardRemoval is one board's part of a Removal.
type BoardRemoval struct {
	Board string `json:"board"`
	// Removed lists the snapshots removed, oldest first.
	Removed []SnapshotInfo `json:"removed"`
	// Kept lists, for Prune, each snapshot kept and the rules keeping it.
	Kept      []Kept `json:"kept,omitempty"`
	Remaining int    `json:"remaining"`
	Rebased   int    `json:"rebased"`
}

// Kept is a snapshot that a prune keeps, and why.
type Kept struct {
	FetchedAt time.Time `json:"fetched_at"`
	Origin    string    `json:"origin,omitempty"`
	// Reasons are retention's reasons ("newest", "daily 2026-11-30",
	// "imported", ...), plus "latest" for the board's last snapshot
	// when retention did not name it newest (a tie in time).
	Reasons []string `json:"reasons"`
}

// DropFilter selects the snapshots Drop removes: those of Boards (every
// board when empty), fetched within [Since, Until] (a zero bound is open),
// and, with Replayed, only those whose Origin is arenawatch.OriginReplayed.
type DropFilter struct {
	Boards   []string
	Since    time.Time
	Until    time.Time
	Replayed bool
}

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// record is one index record with its key.
type record struct {
	key []byte
	rec indexRecord
}

// chooser picks, from a board's records (oldest first), the ones to
// remove; for Prune it also says why the others stay.
type chooser func(board string, recs []record) (remove []bool, kept []Kept, err error)

// Prune removes, from each of boards (every board with snapshots when
// empty), the snapshots that policy does not keep (see package retention).
// Imported snapshots are kept unless policy.IncludeImported, and the
// board's latest snapshot always is. An empty or invalid policy fails with
// KindInvalid, a board with no snapshots with KindNotFound, a damaged
// index record or a delta that cannot be rebased with KindDamaged (that
// board is left as it was). With dryRun nothing is written.
func (db *DB) Prune(ctx context.Context, policy retention.Policy, boards []string, dryRun bool) (Removal, error) {
	if policy.Empty() {
		return Removal{}, db.errf(arenawatch.KindInvalid, "", "an empty retention policy would keep only the newest and imported snapshots; give at least one keep rule")
	}
	if err := policy.Validate(); err != nil {
		return Removal{}, db.errf(arenawatch.KindInvalid, "", "%v", err)
	}
	choose := func(board string, recs []record) ([]bool, []Kept, error) {
		items := make([]retention.Item, len(recs))
		for i, r := range recs {
			items[i] = retention.Item{Time: r.rec.FetchedAt, Imported: r.rec.Origin == arenawatch.OriginImported}
		}
		ds, err := retention.Apply(policy, items)
		if err != nil {
			return nil, nil, err
		}
		remove := make([]bool, len(recs))
		var kept []Kept
		for i, d := range ds {
			if i == len(ds)-1 && !d.Keep {
				// The last key is what Latest answers; retention may
				// have named another snapshot of the same time newest.
				d = retention.Decision{Keep: true, Reasons: []string{"latest"}}
			}
			remove[i] = !d.Keep
			if d.Keep {
				kept = append(kept, Kept{FetchedAt: recs[i].rec.FetchedAt, Origin: recs[i].rec.Origin, Reasons: d.Reasons})
			}
		}
		return remove, kept, nil
	}
	return db.remove(ctx, boards, dryRun, choose, "prune")
}

// Drop removes the snapshots that f selects, whatever their age or origin
// and including a board's latest one. f must select something narrower
// than everything: at least one of Boards, Since, Until or Replayed, else
// KindInvalid. With dryRun nothing is written.
func (db *DB) Drop(ctx context.Context, f DropFilter, dryRun bool) (Removal, error) {
	if len(f.Boards) == 0 && f.Since.IsZero() && f.Until.IsZero() && !f.Replayed {
		return Removal{}, db.errf(arenawatch.KindInvalid, "", "drop needs a filter (boards, a time range or replayed); it never drops everything")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return Removal{}, db.errf(arenawatch.KindInvalid, "", "the range ends (%s) before it starts (%s)",
			f.Until.UTC().Format(time.RFC3339), f.Since.UTC().Format(time.RFC3339))
	}
	choose := func(_ string, recs []record) ([]bool, []Kept, error) {
		remove := make([]bool, len(recs))
		for i, r := range recs {
			t := r.rec.FetchedAt
			remove[i] = (f.Since.IsZero() || !t.Before(f.Since)) && (f.Until.IsZero() || !t.After(f.Until)) &&
				(!f.Replayed || r.rec.Origin == arenawatch.OriginReplayed)
		}
		return remove, nil, nil
	}
	return db.remove(ctx, f.Boards, dryRun, choose, "drop")
}

// remove runs choose over each board and removes what it picks: one
// transaction per board, or one rolled-back transaction for a dry run.
func (db *DB) remove(ctx context.Context, boards []string, dryRun bool, choose chooser, op string) (Removal, error) {
	if err := db.checkWrite(ctx, ""); err != nil {
		return Removal{}, err
	}
	boards, err := db.boardsToScan(boards)
	if err != nil {
		return Removal{}, err
	}
	res := Removal{DryRun: dryRun}
	if dryRun {
		err := db.update(func(tx *bolt.Tx) error {
			for _, b := range boards {
				if err := db.removeBoard(tx, b, choose, &res); err != nil {
					return err
				}
			}
			return errDryRun
		})
		if errors.Is(err, errDryRun) {
			err = nil
		}
		return res, db.wrap(err, "", op)
	}
	for _, b := range boards {
		if err := ctx.Err(); err != nil {
			return res, &arenawatch.Error{Kind: arenawatch.KindInterrupted, URL: db.path,
				Err: fmt.Errorf("%s stopped before board %s; the boards before it are done: %w", op, b, err)}
		}
		part := res
		err := db.update(func(tx *bolt.Tx) error { return db.removeBoard(tx, b, choose, &part) })
		if err != nil {
			return res, db.wrap(err, b, op)
		}
		res = part
	}
	return res, nil
}

// boardsToScan returns the boards named, each of which must have a
// snapshots bucket, or every board that has one.
func (db *DB) boardsToScan(named []string) ([]string, error) {
	var have []string
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketBoards).ForEachBucket(func(name []byte) error {
			if boardBucket(tx, string(name), bucketSnapshots) != nil {
				have = append(have, string(name))
			}
			return nil
		})
	})
	if err != nil {
		return nil, db.wrap(err, "", "list boards")
	}
	if len(named) == 0 {
		return have, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, b := range named {
		if seen[b] {
			continue
		}
		seen[b] = true
		if i := sort.SearchStrings(have, b); i == len(have) || have[i] != b {
			return nil, db.errf(arenawatch.KindNotFound, b, "no snapshots of board %s in the database", b)
		}
		out = append(out, b)
	}
	return out, nil
}

// removeBoard reads a board's index, lets choose pick, and removes the
// picked snapshots in tx, adding to res.
func (db *DB) removeBoard(tx *bolt.Tx, board string, choose chooser, res *Removal) error {
	index := boardBucket(tx, board, bucketIndex)
	if index == nil {
		return nil
	}
	var recs []record
	err := index.ForEach(func(k, v []byte) error {
		rec, err := decodeIndex(v)
		if err != nil {
			return db.errf(arenawatch.KindDamaged, board, "index record %s cannot be decoded (%v); nothing of this board was removed", keyString(k), err)
		}
		recs = append(recs, record{key: bytes.Clone(k), rec: rec})
		return nil
	})
	if err != nil {
		return err
	}
	remove, kept, err := choose(board, recs)
	if err != nil {
		return db.errf(arenawatch.KindInvalid, board, "%v", err)
	}
	br := BoardRemoval{Board: board, Kept: kept, Removed: []SnapshotInfo{}}
	var keys [][]byte
	var docs []string
	for i, r := range recs {
		if remove[i] {
			keys = append(keys, r.key)
			br.Removed = append(br.Removed, r.rec.SnapshotInfo)
			docs = append(docs, r.rec.Documents...)
		}
	}
	br.Remaining = len(recs) - len(keys)
	if len(keys) > 0 {
		if br.Rebased, err = db.removeSnapshots(tx, board, keys); err != nil {
			return err
		}
		n, size, err := dropUnreferencedBodies(tx, docs)
		if err != nil {
			return err
		}
		res.Bodies += n
		res.BodyBytes += size
	}
	res.Boards = append(res.Boards, br)
	res.Removed += len(keys)
	res.Remaining += br.Remaining
	res.Rebased += br.Rebased
	return nil
}

// removeSnapshots removes the snapshots at keys (ascending) of board, and
// their index records, in tx. Each delta whose base is among them is first
// decoded through that base and stored again against the surviving
// snapshot before it (encodeSnapshot picks a full value or a delta of a
// surviving base). Deltas are rebased in key order, so the survivor
// before each one is already settled. It returns how many were rebased.
func (db *DB) removeSnapshots(tx *bolt.Tx, board string, keys [][]byte) (int, error) {
	snaps, index := boardBucket(tx, board, bucketSnapshots), boardBucket(tx, board, bucketIndex)
	if snaps == nil || index == nil {
		return 0, db.errf(arenawatch.KindDamaged, board, "the board has no snapshots or index bucket")
	}
	snaps.FillPercent, index.FillPercent = appendFill, appendFill
	gone := make(map[string]bool, len(keys))
	for _, k := range keys {
		gone[string(k)] = true
	}
	var orphans [][]byte
	_ = snaps.ForEach(func(k, v []byte) error {
		if bk := baseOf(v); bk != nil && !gone[string(k)] && gone[string(bk)] {
			orphans = append(orphans, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range orphans {
		js, err := snapshotJSON(snaps, k, snaps.Get(k))
		if err != nil {
			return 0, db.errf(arenawatch.KindDamaged, board, "the snapshot of %s cannot be decoded to rebase it (%v); nothing of this board was removed", keyString(k), err)
		}
		prevKey, prevVal := survivorBefore(snaps, k, gone)
		enc, err := encodeSnapshot(snaps, js, prevKey, prevVal)
		if err != nil {
			return 0, db.errf(arenawatch.KindInternal, board, "compress snapshot %s: %v", keyString(k), err)
		}
		if err := snaps.Put(k, enc); err != nil {
			return 0, err
		}
	}
	for _, k := range keys {
		if err := snaps.Delete(k); err != nil {
			return 0, err
		}
		if err := index.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(orphans), nil
}

// survivorBefore returns the last snapshot before k in snaps that is not
// going, or nils.
func survivorBefore(snaps *bolt.Bucket, k []byte, gone map[string]bool) (key, val []byte) {
	c := snaps.Cursor()
	c.Seek(k)
	for pk, pv := c.Prev(); pk != nil; pk, pv = c.Prev() {
		if !gone[string(pk)] {
			return pk, pv
		}
	}
	return nil, nil
}

// dropUnreferencedBodies drops each raw body among candidates (sha256
// hex, repeats allowed) that no index record of any board refers to. It
// returns how many went and their stored size.
func dropUnreferencedBodies(tx *bolt.Tx, candidates []string) (n int, size int64, err error) {
	if len(candidates) == 0 {
		return 0, 0, nil
	}
	orphan := map[string]bool{}
	for _, sha := range candidates {
		orphan[sha] = true
	}
	err = tx.Bucket(bucketBoards).ForEachBucket(func(name []byte) error {
		index := boardBucket(tx, string(name), bucketIndex)
		if index == nil {
			return nil
		}
		return index.ForEach(func(k, v []byte) error {
			var rec struct {
				Documents []string `json:"documents"`
			}
			if err := json.Unmarshal(v, &rec); err != nil {
				// Its references are unknown: keep every candidate.
				clear(orphan)
				return nil
			}
			for _, sha := range rec.Documents {
				delete(orphan, sha)
			}
			return nil
		})
	})
	if err != nil {
		return 0, 0, err
	}
	shas := make([]string, 0, len(orphan))
	for sha := range orphan {
		shas = append(shas, sha)
	}
	sort.Strings(shas)
	for _, sha := range shas {
		s, err := deleteBody(tx, []byte(sha))
		if err != nil {
			return n, size, err
		}
		if s >= 0 {
			n++
			size += s
		}
	}
	return n, size, nil
}

// deleteBody removes the raw body with this sha256 hex, in either layout,
// and returns its stored size, or -1 when the store did not hold it.
func deleteBody(tx *bolt.Tx, sha []byte) (int64, error) {
	size := int64(-1)
	if idx, bodies := tx.Bucket(bucketBodyIndex), tx.Bucket(bucketBodies); idx != nil && bodies != nil {
		if seq := idx.Get(sha); seq != nil {
			seq = bytes.Clone(seq)
			if nb := bodies.Bucket(seq); nb != nil {
				size = int64(len(nb.Get(keyBodyData)))
				if err := bodies.DeleteBucket(seq); err != nil {
					return size, err
				}
			}
			if err := idx.Delete(sha); err != nil {
				return size, err
			}
			size = max(size, 0)
		}
	}
	if v1 := tx.Bucket(bucketRaw); v1 != nil {
		if z := v1.Get(sha); z != nil {
			size = max(size, 0) + int64(len(z))
			if err := v1.Delete(sha); err != nil {
				return size, err
			}
		}
	}
	return size, nil
}
