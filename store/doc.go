// Package store keeps every scrape of every board as a snapshot in one bbolt
// file, together with a log of runs (stored, unchanged, failed) and the raw
// response bodies the snapshots were built from.
//
// # Layout
//
// Schema 2 (schema 1, below, is read as it is and migrated by the first
// writable Open; see migrate.go). The file holds these top-level buckets:
//
//	meta                     schema_version (8-byte big-endian uint), created (RFC 3339)
//	boards/<board>/snapshots key → the snapshot, zstd-compressed JSON, whole or as a delta (codec.go)
//	boards/<board>/index     key → JSON of the snapshot's SnapshotInfo (same keys as snapshots)
//	runlog                   key + board id → JSON of a Run, all boards in one log (runs.go)
//	bodies/<seq>/            one bucket per raw body: sha, codec, data (raw.go)
//	bodyindex                sha256 hex → seq, shared by all boards
//
// Snapshot keys are the 8-byte big-endian FetchedAt.UnixNano(), run keys the
// run time the same way, so keys sort by time. A key already taken is bumped
// by one nanosecond until it is free; the value keeps the true time. The
// index bucket lets Snapshots, Save's dedupe and At read a few hundred bytes
// per snapshot instead of decoding every row. A snapshot is usually stored
// as a delta against an earlier snapshot of its board (its base), which
// takes a third to a half of the space; reading one decodes at most two.
//
// Schema 1 stored each snapshot as bare JSON, each board's runs in
// boards/<board>/runs, and every raw body, gzipped, in one bucket "raw"
// keyed by sha256 hex.
//
// # Concurrency and locking
//
// A writable DB holds an exclusive lock on the file for as long as it is
// open, a read-only DB a shared one; see Options.Timeout. Every method does
// its work in one short bbolt transaction and copies or decodes all values
// before the transaction ends, so nothing returned points into the mmap.
// Prune and Drop remove snapshots, one transaction per board, rebasing
// the deltas whose base goes and dropping raw bodies no snapshot refers to
// any more; runs are kept. The file does not shrink by itself: Compact
// copies it (bbolt compact) beside it and renames the copy over it, and
// Open reopens when the file it locked was replaced while it waited.
//
// All errors are *arenawatch.Error values whose URL is the database path and
// whose Board names the board concerned, if any.
package store
