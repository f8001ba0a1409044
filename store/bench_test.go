package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

const benchRows = 300

// BenchmarkSave measures one Save of a 300-row snapshot, each a real bbolt
// commit (two fsyncs) to a file in the test's temp dir.
func BenchmarkSave(b *testing.B) {
	ctx := context.Background()
	a, rawA := makeSnapshot("text", t0, benchRows, 1)
	c, rawC := makeSnapshot("text", t0, benchRows, 2)
	pageA := rawA[a.Documents[0].SHA256]

	for _, bc := range []struct {
		name string
		// next returns the i-th snapshot and its bodies.
		next func(i int) (*arenawatch.Snapshot, map[string][]byte)
		want Outcome
	}{
		// Content alternates, so every Save stores; the two page bodies
		// are stored once and then found present.
		{"stored/raw-present", func(i int) (*arenawatch.Snapshot, map[string][]byte) {
			s, raw := a, rawA
			if i%2 == 1 {
				s, raw = c, rawC
			}
			cp := *s
			cp.FetchedAt = t0.Add(time.Duration(i) * time.Minute)
			return &cp, raw
		}, OutcomeStored},
		// Every Save stores a new snapshot and a new gzip-compressed page.
		{"stored/new-raw", func(i int) (*arenawatch.Snapshot, map[string][]byte) {
			s := a
			if i%2 == 1 {
				s = c
			}
			cp := *s
			cp.FetchedAt = t0.Add(time.Duration(i) * time.Minute)
			page := append([]byte(fmt.Sprintf("<!-- %d -->", i)), pageA...)
			cp.Documents = append([]arenawatch.Document(nil), s.Documents...)
			cp.Documents[0].SHA256, cp.Documents[0].Size = shaHex(page), len(page)
			cp.SHA256 = cp.Documents[0].SHA256
			raw := map[string][]byte{cp.Documents[0].SHA256: page}
			reg := cp.Documents[1].SHA256
			raw[reg] = rawA[reg]
			if i%2 == 1 {
				raw[reg] = rawC[reg]
			}
			return &cp, raw
		}, OutcomeStored},
		// Same content every time: only a run is written.
		{"unchanged", func(i int) (*arenawatch.Snapshot, map[string][]byte) {
			cp := *a
			cp.FetchedAt = t0.Add(time.Duration(i) * time.Minute)
			return &cp, rawA
		}, OutcomeUnchanged},
	} {
		b.Run(bc.name, func(b *testing.B) {
			db, path := newDB(b)
			if bc.want == OutcomeUnchanged {
				mustSave(b, db, a, rawA, OutcomeStored)
			}
			before := fileSize(b, path)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				s, raw := bc.next(i)
				i++
				b.StartTimer()
				res, err := db.Save(ctx, s, raw)
				if err != nil || res.Outcome != bc.want {
					b.Fatalf("Save %d: %v, %v", i, res.Outcome, err)
				}
			}
			b.ReportMetric(float64(fileSize(b, path)-before)/float64(i), "file-B/save")
		})
	}
}

func fileSize(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// benchDB returns a store holding n 300-row snapshots of board "text".
func benchDB(b *testing.B, n int) *DB {
	db, _ := newDB(b)
	for i := range n {
		s, raw := makeSnapshot("text", t0.Add(time.Duration(i)*time.Hour), benchRows, uint64(i))
		mustSave(b, db, s, raw, OutcomeStored)
	}
	return db
}

// BenchmarkLatest reads (and decodes) the newest of 100 snapshots.
func BenchmarkLatest(b *testing.B) {
	db := benchDB(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		s, err := db.Latest("text")
		if err != nil || len(s.Rows) != benchRows {
			b.Fatal(err)
		}
	}
}

// BenchmarkAt reads the snapshot in force half-way through 100 snapshots.
func BenchmarkAt(b *testing.B) {
	db := benchDB(b, 100)
	at := t0.Add(50*time.Hour + 30*time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		s, err := db.At("text", at)
		if err != nil || len(s.Rows) != benchRows {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshots compares listing 100 snapshots from the index records
// with decoding every snapshot, the alternative the index replaces.
func BenchmarkSnapshots(b *testing.B) {
	db := benchDB(b, 100)
	b.Run("index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			infos, err := db.Snapshots("text")
			if err != nil || len(infos) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode-all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var infos []SnapshotInfo
			err := db.view(func(tx *bolt.Tx) error {
				snaps := boardBucket(tx, "text", bucketSnapshots)
				return snaps.ForEach(func(k, v []byte) error {
					js, err := snapshotJSON(snaps, k, v)
					if err != nil {
						return err
					}
					var s arenawatch.Snapshot
					if err := json.Unmarshal(js, &s); err != nil {
						return err
					}
					infos = append(infos, infoOf(&s))
					return nil
				})
			})
			if err != nil || len(infos) != 100 {
				b.Fatal(err)
			}
		}
	})
}
