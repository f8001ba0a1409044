// Package store keeps every scrape of every board as a snapshot in one bbolt
// file, together with a log of runs (stored, unchanged, failed) and the raw
// response bodies the snapshots were built from.
//
// # Layout
//
// The file holds three top-level buckets:
//
//	meta                     schema_version (8-byte big-endian uint), created (RFC 3339)
//	boards/<board>/snapshots key → JSON of an arenawatch.Snapshot
//	boards/<board>/index     key → JSON of the snapshot's SnapshotInfo (same keys as snapshots)
//	boards/<board>/runs      key → JSON of a Run
//	raw                      sha256 hex → gzip of the raw body, shared by all boards
//
// Snapshot keys are the 8-byte big-endian FetchedAt.UnixNano(), run keys the
// run time the same way, so keys sort by time. A key already taken is bumped
// by one nanosecond until it is free; the value keeps the true time. The
// index bucket lets Snapshots, Save's dedupe and At read a few hundred bytes
// per snapshot instead of decoding every row.
//
// # Concurrency and locking
//
// A writable DB holds an exclusive lock on the file for as long as it is
// open, a read-only DB a shared one; see Options.Timeout. Every method does
// its work in one short bbolt transaction and copies or decodes all values
// before the transaction ends, so nothing returned points into the mmap.
// The file never shrinks: nothing here deletes, and compaction is an
// offline copy (bbolt compact).
//
// All errors are *arenawatch.Error values whose URL is the database path and
// whose Board names the board concerned, if any.
package store
