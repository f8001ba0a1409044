package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

// Problem is one thing wrong in a store file, found by Verify.
type Problem struct {
	// Board and At name the record, when the problem is in one (At is the
	// snapshot's or run's key time).
	Board string    `json:"board,omitempty"`
	At    time.Time `json:"at,omitzero"`
	// Record says which kind of record: "snapshot", "index", "run",
	// "body", or "file" for bbolt's own structure.
	Record string `json:"record"`
	// Message says what is wrong.
	Message string `json:"message"`
}

func (p Problem) String() string {
	switch {
	case p.Board != "" && !p.At.IsZero():
		return fmt.Sprintf("board %s: %s %s: %s", p.Board, p.Record, p.At.UTC().Format(time.RFC3339Nano), p.Message)
	case p.Board != "":
		return fmt.Sprintf("board %s: %s: %s", p.Board, p.Record, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.Record, p.Message)
}

// Check runs Verify and returns nil, or a KindDamaged error joining every
// problem found.
func (db *DB) Check() error {
	problems, err := db.Verify()
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		return nil
	}
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = errors.New(p.String())
	}
	return &arenawatch.Error{Kind: arenawatch.KindDamaged, URL: db.path,
		Err:  fmt.Errorf("consistency check failed: %w", errors.Join(errs...)),
		Hint: "restore the file from a backup, or remove the snapshots named with 'arenawatch db drop'"}
}

// Verify runs bbolt's full consistency check (tx.Check) and then reads
// every record: each snapshot decodes (through its base, for a delta) and
// has an index record with the same key and back, each index record and
// run decodes (and a run names the board of its key), and each raw body a snapshot refers to is present,
// decompresses and has its sha256. It returns the problems found; the
// error is for a file it could not read at all.
//
// On a read-only DB it runs in a read transaction (the shared file lock
// keeps writers out). On a writable DB it runs in a write transaction that
// is rolled back, because bbolt's check is not safe beside a concurrent
// write transaction of the same process; it writes nothing, but blocks
// writers while it reads the whole file.
func (db *DB) Verify() ([]Problem, error) {
	if err := checkPageGraph(db.path); err != nil {
		// bbolt would walk such a graph forever, or past the file.
		return nil, damaged(db.path, fmt.Errorf("consistency check failed: %w", err))
	}
	var problems []Problem
	check := func(tx *bolt.Tx) {
		// bbolt checks in a goroutine of its own, where a fault on a
		// corrupt page cannot be recovered: every page is read here
		// first, where it can (see view).
		walkAll(tx)
		// (bbolt's check also loops once per page a page claims to span;
		// checkPageGraph above has refused overflow counts past the file.)
		for err := range tx.Check() {
			problems = append(problems, Problem{Record: "file", Message: err.Error()})
		}
		problems = append(problems, checkLayout(tx)...)
	}
	var err error
	if db.readOnly {
		err = db.view(func(tx *bolt.Tx) error { check(tx); return nil })
	} else {
		// bbolt's check reads the freelist, which a concurrent write
		// transaction of this process changes; a writable transaction,
		// rolled back, keeps other writers out without writing anything.
		err = db.checkWritable(check)
	}
	if err != nil {
		return nil, db.wrap(err, "", "check the database")
	}
	return problems, nil
}

// checkWritable runs check in a write transaction that it rolls back,
// guarded like update against a damaged file.
func (db *DB) checkWritable(check func(*bolt.Tx)) (err error) {
	defer db.recoverDamage(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	tx, err := db.bolt.Begin(true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	check(tx)
	return nil
}

// checkLayout verifies the store's invariants and decodes every record
// within tx.
func checkLayout(tx *bolt.Tx) []Problem {
	var ps []Problem
	file := func(format string, args ...any) {
		ps = append(ps, Problem{Record: "file", Message: fmt.Sprintf(format, args...)})
	}
	version := uint64(0)
	if meta := tx.Bucket(bucketMeta); meta == nil {
		file("no meta bucket")
	} else if v, err := readSchemaVersion(meta); err != nil {
		file("%v", err)
	} else {
		version = v
	}
	boards := tx.Bucket(bucketBoards)
	if boards == nil {
		file("no boards bucket")
		return ps
	}
	if version >= 2 && (tx.Bucket(bucketBodies) == nil || tx.Bucket(bucketBodyIndex) == nil || tx.Bucket(bucketRunLog) == nil) {
		file("no bodies, bodyindex or runlog bucket")
	}
	if version == 1 && tx.Bucket(bucketRaw) == nil {
		file("no raw bucket")
	}
	_ = boards.ForEachBucket(func(name []byte) error {
		if len(name) > maxBoardLen || !utf8.Valid(name) {
			ps = append(ps, Problem{Record: "file", Message: fmt.Sprintf("a board bucket is named %q, which no board is: a damaged name", name)})
			return nil
		}
		ps = append(ps, checkBoard(tx, string(name))...)
		return nil
	})
	ps = append(ps, checkRunLog(tx)...)
	return append(ps, checkBodies(tx)...)
}

// checkBoard checks one board's snapshots, index records and runs.
func checkBoard(tx *bolt.Tx, board string) []Problem {
	var ps []Problem
	add := func(record string, k []byte, format string, args ...any) {
		p := Problem{Board: board, Record: record, Message: fmt.Sprintf(format, args...)}
		if len(k) == 8 {
			p.At = time.Unix(0, int64(keyU64(k))).UTC()
		}
		ps = append(ps, p)
	}
	snaps := boardBucket(tx, board, bucketSnapshots)
	index := boardBucket(tx, board, bucketIndex)
	if (snaps == nil) != (index == nil) {
		add("index", nil, "snapshots and index buckets do not both exist")
		return ps
	}
	if snaps != nil {
		_ = snaps.ForEach(func(k, v []byte) error {
			if index.Get(k) == nil {
				add("snapshot", k, "has no index record")
			}
			js, err := snapshotJSON(snaps, k, v)
			if err == nil {
				_, err = decodeSnapshotJSON(board, js)
			}
			if err != nil {
				add("snapshot", k, "cannot be decoded: %v", err)
			}
			return nil
		})
		_ = index.ForEach(func(k, v []byte) error {
			if snaps.Get(k) == nil {
				add("index", k, "has no snapshot")
				return nil
			}
			rec, err := decodeIndex(v)
			if err != nil {
				add("index", k, "cannot be decoded: %v", err)
				return nil
			}
			for _, sha := range rec.Documents {
				if !hasBody(tx, []byte(sha)) {
					add("snapshot", k, "raw body %s is missing", sha)
				}
			}
			return nil
		})
	}
	if runs := boardBucket(tx, board, bucketRuns); runs != nil { // schema 1
		_ = runs.ForEach(func(k, v []byte) error {
			if _, err := decodeRun(v); err != nil {
				add("run", k, "cannot be decoded: %v", err)
			}
			return nil
		})
	}
	return ps
}

// checkRunLog decodes every run in the run log and checks that it names
// the board of its key, and that the board has a bucket.
func checkRunLog(tx *bolt.Tx) []Problem {
	var ps []Problem
	log, boards := tx.Bucket(bucketRunLog), tx.Bucket(bucketBoards)
	if log == nil || boards == nil {
		return nil
	}
	_ = log.ForEach(func(k, v []byte) error {
		p := Problem{Record: "run"}
		if len(k) > 8 {
			p.Board, p.At = string(k[8:]), time.Unix(0, int64(keyU64(k[:8]))).UTC()
		}
		r, err := decodeRun(v)
		switch {
		case len(k) <= 8:
			p.Message = fmt.Sprintf("malformed key %x", k)
		case err != nil:
			p.Message = fmt.Sprintf("cannot be decoded: %v", err)
		case r.Board != p.Board:
			p.Message = fmt.Sprintf("the record names board %q", r.Board)
		case boards.Bucket(k[8:]) == nil:
			p.Message = "its board has no bucket"
		default:
			return nil
		}
		ps = append(ps, p)
		return nil
	})
	return ps
}

// checkBodies decompresses every raw body and checks its sha256.
func checkBodies(tx *bolt.Tx) []Problem {
	var ps []Problem
	check := func(sha []byte) {
		body, _, err := getBody(tx, sha)
		if err == nil {
			sum := sha256.Sum256(body)
			if got := hex.EncodeToString(sum[:]); got != string(sha) {
				err = fmt.Errorf("decompresses to content with sha256 %s", got)
			}
		}
		if err != nil {
			ps = append(ps, Problem{Record: "body", Message: fmt.Sprintf("raw body %s: %v", sha, err)})
		}
	}
	if idx := tx.Bucket(bucketBodyIndex); idx != nil {
		_ = idx.ForEach(func(k, _ []byte) error { check(k); return nil })
	}
	if v1 := tx.Bucket(bucketRaw); v1 != nil {
		_ = v1.ForEach(func(k, _ []byte) error { check(k); return nil })
	}
	return ps
}
