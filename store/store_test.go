package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	bolt "go.etcd.io/bbolt"
)

func mustSave(t testing.TB, db *DB, s *arenawatch.Snapshot, raw map[string][]byte, want Outcome) SaveResult {
	t.Helper()
	res, err := db.Save(context.Background(), s, raw)
	if err != nil {
		t.Fatalf("Save(%s @ %s): %v", s.Board, s.FetchedAt, err)
	}
	if res.Outcome != want {
		t.Fatalf("Save(%s @ %s) outcome = %q, want %q", s.Board, s.FetchedAt, res.Outcome, want)
	}
	return res
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	db, closeDB := openDB(t, path, Options{Now: fakeClock(t0.Add(24 * time.Hour))})

	times := []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)}
	var saved []*arenawatch.Snapshot
	for i, at := range times {
		s, raw := makeSnapshot("text", at, 300, uint64(i))
		res := mustSave(t, db, s, raw, OutcomeStored)
		if want := infoOf(s); !reflect.DeepEqual(res.Snapshot, want) {
			t.Errorf("SaveResult.Snapshot = %+v, want %+v", res.Snapshot, want)
		}
		saved = append(saved, s)
	}
	other, otherRaw := makeSnapshot("webdev", t0.Add(30*time.Minute), 5, 99)
	mustSave(t, db, other, otherRaw, OutcomeStored)
	if err := db.RecordFailure(context.Background(), "vision", t0, arenawatch.KindBlocked, "https://example.test/vision", "403"); err != nil {
		t.Fatal(err)
	}
	closeDB()

	db, _ = openDB(t, path, Options{ReadOnly: true, Timeout: time.Second})

	t.Run("Latest", func(t *testing.T) {
		got, err := db.Latest("text")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, saved[2]) {
			t.Errorf("Latest differs from what was saved:\n got %+v\nwant %+v", got, saved[2])
		}
	})

	for _, tc := range []struct {
		name string
		at   time.Time
		want int // index into saved
	}{
		{"exactly the first", times[0], 0},
		{"between first and second", times[0].Add(time.Minute), 0},
		{"one ns before the second", times[1].Add(-1), 0},
		{"exactly the second", times[1], 1},
		{"exactly the last", times[2], 2},
		{"far after the last", t0.AddDate(10, 0, 0), 2},
		{"after year 2262", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 2},
	} {
		t.Run("At/"+tc.name, func(t *testing.T) {
			got, err := db.At("text", tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, saved[tc.want]) {
				t.Errorf("At(%s) returned the snapshot fetched at %s, want %s", tc.at, got.FetchedAt, saved[tc.want].FetchedAt)
			}
		})
	}

	t.Run("Snapshots", func(t *testing.T) {
		got, err := db.Snapshots("text")
		if err != nil {
			t.Fatal(err)
		}
		var want []SnapshotInfo
		for _, s := range saved {
			want = append(want, infoOf(s))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Snapshots:\n got %+v\nwant %+v", got, want)
		}
		if got[0].Rows != 300 {
			t.Errorf("Rows = %d, want 300", got[0].Rows)
		}
	})

	t.Run("Boards", func(t *testing.T) {
		got, err := db.Boards()
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"text", "vision", "webdev"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Boards() = %q, want %q", got, want)
		}
	})

	t.Run("Runs", func(t *testing.T) {
		runs, err := db.Runs("text", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 3 {
			t.Fatalf("got %d runs, want 3", len(runs))
		}
		for i, r := range runs {
			want := saved[2-i]
			if r.Outcome != OutcomeStored || !r.SnapshotAt.Equal(want.FetchedAt) || r.Rows != 300 || r.URL != want.URL || r.Board != "text" {
				t.Errorf("run %d = %+v, want stored run of the snapshot at %s", i, r, want.FetchedAt)
			}
		}
		if !runs[0].At.After(runs[1].At) {
			t.Errorf("runs not newest first: %s, %s", runs[0].At, runs[1].At)
		}
	})
}

func TestTimesStoredInUTC(t *testing.T) {
	db, _ := newDB(t)
	zone := time.FixedZone("CET", 3600)
	s, raw := makeSnapshot("text", t0.In(zone), 3, 1)
	s.AsOf = s.AsOf.In(zone)
	mustSave(t, db, s, raw, OutcomeStored)
	if s.FetchedAt.Location() != zone {
		t.Errorf("Save modified the caller's snapshot")
	}
	got, err := db.Latest("text")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want time.Time
	}{
		{"FetchedAt", got.FetchedAt, s.FetchedAt},
		{"AsOf", got.AsOf, s.AsOf},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.got.Equal(tc.want) || tc.got.Location() != time.UTC {
				t.Errorf("got %v (%v), want %v in UTC", tc.got, tc.got.Location(), tc.want)
			}
		})
	}
}

func TestDedupe(t *testing.T) {
	for _, tc := range []struct {
		name          string
		second        func() (*arenawatch.Snapshot, map[string][]byte)
		want          Outcome
		wantSnapshots int
	}{
		{"same content later is unchanged", func() (*arenawatch.Snapshot, map[string][]byte) {
			// Same rows, different page bytes (the fetch time is in it).
			return makeSnapshot("text", t0.Add(time.Hour), 50, 1)
		}, OutcomeUnchanged, 1},
		{"same content, raw bodies missing, still unchanged", func() (*arenawatch.Snapshot, map[string][]byte) {
			s, _ := makeSnapshot("text", t0.Add(time.Hour), 50, 1)
			return s, nil
		}, OutcomeUnchanged, 1},
		{"the very same snapshot again is unchanged", func() (*arenawatch.Snapshot, map[string][]byte) {
			return makeSnapshot("text", t0, 50, 1)
		}, OutcomeUnchanged, 1},
		{"different content is stored", func() (*arenawatch.Snapshot, map[string][]byte) {
			return makeSnapshot("text", t0.Add(time.Hour), 50, 2)
		}, OutcomeStored, 2},
		{"same content on another board is stored", func() (*arenawatch.Snapshot, map[string][]byte) {
			return makeSnapshot("webdev", t0.Add(time.Hour), 50, 1)
		}, OutcomeStored, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := newDB(t)
			first, raw := makeSnapshot("text", t0, 50, 1)
			mustSave(t, db, first, raw, OutcomeStored)

			second, raw2 := tc.second()
			if second.Board == first.Board && second.ContentHash != first.ContentHash && tc.want == OutcomeUnchanged {
				t.Fatal("fixture: content hashes differ")
			}
			res := mustSave(t, db, second, raw2, tc.want)
			wantInfo := infoOf(second)
			if tc.want == OutcomeUnchanged {
				wantInfo = infoOf(first)
			}
			if !reflect.DeepEqual(res.Snapshot, wantInfo) {
				t.Errorf("SaveResult.Snapshot = %+v, want %+v", res.Snapshot, wantInfo)
			}

			infos, err := db.Snapshots(second.Board)
			if err != nil {
				t.Fatal(err)
			}
			if len(infos) != tc.wantSnapshots {
				t.Errorf("%d snapshots of %s, want %d", len(infos), second.Board, tc.wantSnapshots)
			}
			runs, err := db.Runs(second.Board, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) == 0 || runs[0].Outcome != tc.want {
				t.Fatalf("newest run = %+v, want outcome %q", runs, tc.want)
			}
			if tc.want == OutcomeUnchanged {
				if len(runs) != 2 || runs[1].Outcome != OutcomeStored {
					t.Errorf("runs = %+v, want unchanged then stored", runs)
				}
				if !runs[0].SnapshotAt.Equal(first.FetchedAt) {
					t.Errorf("unchanged run points at %s, want %s", runs[0].SnapshotAt, first.FetchedAt)
				}
				// An unchanged run stores no raw bodies.
				for sha := range raw2 {
					if _, ok := raw[sha]; ok {
						continue
					}
					if _, err := db.Raw(sha); !arenawatch.IsKind(err, arenawatch.KindNotFound) {
						t.Errorf("Raw(%s) of an unchanged run: %v, want not found", sha, err)
					}
				}
			}
		})
	}
}

func TestDedupeComparesWithPredecessor(t *testing.T) {
	// An imported snapshot older than the latest is compared with the one
	// before it in time, not with the latest.
	db, _ := newDB(t)
	a, rawA := makeSnapshot("text", t0, 10, 1)
	b, rawB := makeSnapshot("text", t0.Add(2*time.Hour), 10, 2)
	mustSave(t, db, a, rawA, OutcomeStored)
	mustSave(t, db, b, rawB, OutcomeStored)

	for _, tc := range []struct {
		name string
		seed uint64
		want Outcome
	}{
		{"same content as its predecessor", 1, OutcomeUnchanged},
		{"same content as the latest", 2, OutcomeStored},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, raw := makeSnapshot("text", t0.Add(time.Hour), 10, tc.seed)
			s.Origin = arenawatch.OriginImported
			mustSave(t, db, s, raw, tc.want)
		})
	}
}

func countRaw(t testing.TB, db *DB) int {
	t.Helper()
	n := 0
	if err := db.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketBodyIndex).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRaw(t *testing.T) {
	db, _ := newDB(t)
	s1, raw1 := makeSnapshot("text", t0, 300, 1)
	s2, raw2 := makeSnapshot("text", t0.Add(time.Hour), 300, 2)
	s3, raw3 := makeSnapshot("webdev", t0.Add(time.Hour), 300, 1) // registry body equal to s1's
	for _, s := range []struct {
		s   *arenawatch.Snapshot
		raw map[string][]byte
	}{{s1, raw1}, {s2, raw2}, {s3, raw3}} {
		mustSave(t, db, s.s, s.raw, OutcomeStored)
	}

	all := map[string][]byte{}
	for _, m := range []map[string][]byte{raw1, raw2, raw3} {
		for k, v := range m {
			all[k] = v
		}
	}
	if len(all) != 5 {
		t.Fatalf("fixture: %d distinct bodies, want 5", len(all))
	}
	t.Run("each sha stored once", func(t *testing.T) {
		if got := countRaw(t, db); got != len(all) {
			t.Errorf("raw bucket holds %d bodies, want %d", got, len(all))
		}
	})
	for sha, body := range all {
		t.Run("read back "+sha[:12], func(t *testing.T) {
			got, err := db.Raw(sha)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, body) {
				t.Errorf("Raw(%s) = %d bytes, differs from the %d saved", sha, len(got), len(body))
			}
		})
	}
	t.Run("stored zstd-compressed in a bucket of its own", func(t *testing.T) {
		sha := s1.SHA256
		var codec, stored []byte
		if err := db.view(func(tx *bolt.Tx) error {
			var found bool
			var err error
			codec, stored, found, err = storedBody(tx, []byte(sha))
			if !found {
				return fmt.Errorf("body %s not found", sha)
			}
			codec, stored = bytes.Clone(codec), bytes.Clone(stored)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if string(codec) != "zstd" || len(stored) < 4 || !bytes.Equal(stored[:4], []byte{0x28, 0xb5, 0x2f, 0xfd}) {
			t.Fatalf("stored as %q, starting % x; want zstd and its magic", codec, stored[:min(len(stored), 4)])
		}
		if len(stored) >= len(raw1[sha]) {
			t.Errorf("stored %d bytes for a %d-byte page", len(stored), len(raw1[sha]))
		}
	})
	t.Run("missing sha", func(t *testing.T) {
		_, err := db.Raw(strings.Repeat("0", 64))
		wantKind(t, err, arenawatch.KindNotFound)
	})
	t.Run("body already stored is not rewritten", func(t *testing.T) {
		// A present sha is skipped before its body is even looked at. The
		// fixture's bodies depend on seed and time only, so both are present.
		s5, raw5 := makeSnapshot("vision", t0, 300, 1)
		raw5[s5.Documents[1].SHA256] = []byte("not the registry body")
		mustSave(t, db, s5, raw5, OutcomeStored)
		got, err := db.Raw(s5.Documents[1].SHA256)
		if err != nil || !bytes.Equal(got, raw1[s5.Documents[1].SHA256]) {
			t.Errorf("Raw = %q, %v; want the body first stored", got, err)
		}
	})
	t.Run("body already stored may be omitted", func(t *testing.T) {
		s4, raw4 := makeSnapshot("text", t0.Add(2*time.Hour), 300, 4)
		// The registry body of seed 1 is stored; reuse it without passing it.
		reg := s1.Documents[1]
		s4.Documents[1] = reg
		delete(raw4, shaHex([]byte(`{"registry":4}`)))
		mustSave(t, db, s4, raw4, OutcomeStored)
		// The vision snapshot above reused stored bodies only; s4 adds its page.
		if got := countRaw(t, db); got != len(all)+1 {
			t.Errorf("raw bucket holds %d bodies, want %d", got, len(all)+1)
		}
	})
}

func TestSaveRejects(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	// edit changes the fixture in place; nil means "pass a nil snapshot".
	type editFn func(s *arenawatch.Snapshot, raw map[string][]byte)
	for _, tc := range []struct {
		name   string
		edit   editFn
		ctx    context.Context
		kind   arenawatch.Kind
		inMsg  string
		prefix bool // save a first snapshot with other content before
	}{
		{name: "nil snapshot", kind: arenawatch.KindInvalid, inMsg: "no snapshot"},
		{"empty board", func(s *arenawatch.Snapshot, _ map[string][]byte) {
			s.Board = ""
		}, nil, arenawatch.KindInvalid, "no board", false},
		{"zero FetchedAt", func(s *arenawatch.Snapshot, _ map[string][]byte) {
			s.FetchedAt = time.Time{}
		}, nil, arenawatch.KindInvalid, "no fetch time", false},
		{"FetchedAt before 1970", func(s *arenawatch.Snapshot, _ map[string][]byte) {
			s.FetchedAt = time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)
		}, nil, arenawatch.KindInvalid, "outside", false},
		{"empty ContentHash", func(s *arenawatch.Snapshot, _ map[string][]byte) {
			s.ContentHash = ""
		}, nil, arenawatch.KindInvalid, "no content hash", false},
		{"document body missing from raw", func(s *arenawatch.Snapshot, raw map[string][]byte) {
			delete(raw, s.Documents[1].SHA256)
		}, nil, arenawatch.KindInvalid, "was not given", true},
		{"document without sha", func(s *arenawatch.Snapshot, _ map[string][]byte) {
			s.Documents[0].SHA256 = ""
		}, nil, arenawatch.KindInvalid, "no sha256", false},
		{"raw body under a wrong sha", func(s *arenawatch.Snapshot, raw map[string][]byte) {
			raw[s.Documents[0].SHA256] = []byte("tampered")
		}, nil, arenawatch.KindInvalid, "hashes to", false},
		{"non-finite metric", func(s *arenawatch.Snapshot, _ map[string][]byte) {
			s.Rows[0].Metrics = map[string]float64{"x": math.Inf(1)}
			s.ContentHash = "forced"
		}, nil, arenawatch.KindInvalid, "encode snapshot", false},
		{"canceled context", func(*arenawatch.Snapshot, map[string][]byte) {},
			canceled, arenawatch.KindInterrupted, "context canceled", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, path := newDB(t)
			var wantSnaps []SnapshotInfo
			if tc.prefix {
				p, praw := makeSnapshot("text", t0.Add(-time.Hour), 10, 77)
				mustSave(t, db, p, praw, OutcomeStored)
				wantSnaps = []SnapshotInfo{infoOf(p)}
			}
			s, raw := makeSnapshot("text", t0, 10, 1)
			if tc.edit == nil {
				s = nil
			} else {
				tc.edit(s, raw)
			}
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			rawBefore := countRaw(t, db)
			_, err := db.Save(ctx, s, raw)
			wantKind(t, err, tc.kind)
			if msg := err.Error(); !strings.Contains(msg, tc.inMsg) || !strings.Contains(msg, path) {
				t.Errorf("error %q does not contain %q and the path", msg, tc.inMsg)
			}
			if s != nil && s.Board != "" && !strings.Contains(err.Error(), s.Board) {
				t.Errorf("error %q does not name the board %q", err, s.Board)
			}
			// Nothing was written: no snapshot, no run, no raw body.
			got, err := db.Snapshots("text")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, wantSnaps) {
				t.Errorf("snapshots after a rejected Save: %+v, want %+v", got, wantSnaps)
			}
			runs, err := db.Runs("text", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != len(wantSnaps) {
				t.Errorf("%d runs after a rejected Save, want %d", len(runs), len(wantSnaps))
			}
			if n := countRaw(t, db); n != rawBefore {
				t.Errorf("raw bodies %d → %d after a rejected Save", rawBefore, n)
			}
		})
	}
}

func TestReadOnlyRejectsWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	_, closeDB := openDB(t, path, Options{})
	closeDB()
	db, _ := openDB(t, path, Options{ReadOnly: true})
	s, raw := makeSnapshot("text", t0, 3, 1)
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"Save", func() error { _, err := db.Save(context.Background(), s, raw); return err }},
		{"RecordFailure", func() error {
			return db.RecordFailure(context.Background(), "text", t0, arenawatch.KindTransient, "", "x")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			wantKind(t, err, arenawatch.KindInvalid)
			if !strings.Contains(err.Error(), "read-only") {
				t.Errorf("error %q does not say read-only", err)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	db, path := newDB(t)
	s, raw := makeSnapshot("text", t0, 3, 1)
	mustSave(t, db, s, raw, OutcomeStored)
	if err := db.RecordFailure(context.Background(), "vision", t0, arenawatch.KindDrift, "", "no table"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		call  func() error
		board string
	}{
		{"At one ns before the first", func() error { _, err := db.At("text", t0.Add(-1)); return err }, "text"},
		{"At long before the first", func() error { _, err := db.At("text", t0.AddDate(-1, 0, 0)); return err }, "text"},
		{"At before 1970", func() error { _, err := db.At("text", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)); return err }, "text"},
		{"At of an unknown board", func() error { _, err := db.At("nope", t0); return err }, "nope"},
		{"Latest of an unknown board", func() error { _, err := db.Latest("nope"); return err }, "nope"},
		{"Latest of a board with only failed runs", func() error { _, err := db.Latest("vision"); return err }, "vision"},
		{"At of a board with only failed runs", func() error { _, err := db.At("vision", t0); return err }, "vision"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			wantKind(t, err, arenawatch.KindNotFound)
			var e *arenawatch.Error
			if !errors.As(err, &e) || e.Board != tc.board || e.URL != path {
				t.Errorf("error %#v does not name board %q and path %q", err, tc.board, path)
			}
		})
	}
	t.Run("empty lists for an unknown board", func(t *testing.T) {
		snaps, err1 := db.Snapshots("nope")
		runs, err2 := db.Runs("nope", 0)
		n, err3 := db.ConsecutiveFailures("nope")
		if len(snaps) != 0 || len(runs) != 0 || n != 0 || err1 != nil || err2 != nil || err3 != nil {
			t.Errorf("got %v %v %d, errors %v %v %v", snaps, runs, n, err1, err2, err3)
		}
	})
}

func TestFailures(t *testing.T) {
	db, _ := newDB(t)
	ctx := context.Background()
	first, raw := makeSnapshot("text", t0, 20, 1)
	mustSave(t, db, first, raw, OutcomeStored)

	fail := func(at time.Time) func(t *testing.T) {
		return func(t *testing.T) {
			if err := db.RecordFailure(ctx, "text", at, arenawatch.KindDrift, "https://example.test/text", "no table found"); err != nil {
				t.Fatal(err)
			}
		}
	}
	save := func(seed uint64, want Outcome) func(t *testing.T) {
		return func(t *testing.T) {
			s, raw := makeSnapshot("text", t0.Add(time.Duration(seed)*time.Hour), 20, seed)
			mustSave(t, db, s, raw, want)
		}
	}
	// Failures carry their own times; the DB clock, which times the runs
	// of Save, is set between the third and the fourth failure.
	base := t0.Add(2 * time.Hour)
	db.now = fakeClock(base.Add(3*time.Minute + 30*time.Second))
	for _, step := range []struct {
		name   string
		do     func(t *testing.T)
		wantCF int
		latest *arenawatch.Snapshot
	}{
		{"after the first save", func(*testing.T) {}, 0, first},
		{"one failure", fail(base.Add(1 * time.Minute)), 1, first},
		{"two failures", fail(base.Add(2 * time.Minute)), 2, first},
		{"three failures", fail(base.Add(3 * time.Minute)), 3, first},
		{"unchanged resets", save(1, OutcomeUnchanged), 0, first},
		{"failure after unchanged", fail(base.Add(4 * time.Minute)), 1, first},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.do(t)
			n, err := db.ConsecutiveFailures("text")
			if err != nil {
				t.Fatal(err)
			}
			if n != step.wantCF {
				t.Errorf("ConsecutiveFailures = %d, want %d", n, step.wantCF)
			}
			latest, err := db.Latest("text")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(latest, step.latest) {
				t.Errorf("Latest changed after a failure: fetched %s", latest.FetchedAt)
			}
		})
	}

	t.Run("stored resets", func(t *testing.T) {
		s, raw := makeSnapshot("text", base.Add(10*time.Minute), 20, 9)
		db.now = fixedClock(base.Add(10 * time.Minute))
		mustSave(t, db, s, raw, OutcomeStored)
		if n, err := db.ConsecutiveFailures("text"); err != nil || n != 0 {
			t.Errorf("ConsecutiveFailures = %d, %v; want 0", n, err)
		}
	})

	t.Run("Runs newest first with limit", func(t *testing.T) {
		all, err := db.Runs("text", 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []Outcome
		for _, r := range all {
			got = append(got, r.Outcome)
		}
		want := []Outcome{OutcomeStored, OutcomeFailed, OutcomeUnchanged, OutcomeFailed, OutcomeFailed, OutcomeFailed, OutcomeStored}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("outcomes = %v, want %v", got, want)
		}
		f := all[1]
		if f.Kind != "markup_drift" || f.URL != "https://example.test/text" || f.Message != "no table found" ||
			!f.At.Equal(base.Add(4*time.Minute)) || !f.SnapshotAt.IsZero() || f.Board != "text" {
			t.Errorf("failed run = %+v", f)
		}
		for _, limit := range []int{1, 3, 7, 100, -1} {
			runs, err := db.Runs("text", limit)
			if err != nil {
				t.Fatal(err)
			}
			wantN := len(all)
			if limit > 0 && limit < wantN {
				wantN = limit
			}
			if !reflect.DeepEqual(runs, all[:wantN]) {
				t.Errorf("Runs(limit %d) = %d runs, want the newest %d", limit, len(runs), wantN)
			}
		}
	})

	t.Run("snapshots untouched", func(t *testing.T) {
		infos, err := db.Snapshots("text")
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) != 2 || !reflect.DeepEqual(infos[0], infoOf(first)) {
			t.Errorf("Snapshots = %+v", infos)
		}
	})

	t.Run("failures of a board with no snapshot", func(t *testing.T) {
		for i := range 3 {
			if err := db.RecordFailure(ctx, "vision", base.Add(time.Duration(i)*time.Minute), arenawatch.KindTransient, "", "timeout"); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.ConsecutiveFailures("vision"); err != nil || n != 3 {
			t.Errorf("ConsecutiveFailures(vision) = %d, %v; want 3", n, err)
		}
	})
}

func TestRecordFailureRejects(t *testing.T) {
	db, _ := newDB(t)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		board string
		at    time.Time
		kind  arenawatch.Kind
	}{
		{"empty board", context.Background(), "", t0, arenawatch.KindInvalid},
		{"zero time", context.Background(), "text", time.Time{}, arenawatch.KindInvalid},
		{"time before 1970", context.Background(), "text", time.Unix(-10, 0), arenawatch.KindInvalid},
		{"board id too long", context.Background(), strings.Repeat("x", maxBoardLen+1), t0, arenawatch.KindInvalid},
		{"canceled context", canceled, "text", t0, arenawatch.KindInterrupted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.RecordFailure(tc.ctx, tc.board, tc.at, arenawatch.KindTransient, "", "x")
			wantKind(t, err, tc.kind)
			if boards, _ := db.Boards(); len(boards) != 0 {
				t.Errorf("a rejected RecordFailure created boards %q", boards)
			}
		})
	}
}

func TestKeyCollision(t *testing.T) {
	db, _ := newDB(t)
	db.now = fixedClock(t0.Add(time.Hour)) // every run at the same nanosecond
	var saved []*arenawatch.Snapshot
	for seed := range uint64(3) {
		s, raw := makeSnapshot("text", t0, 10, seed) // same FetchedAt, different content
		mustSave(t, db, s, raw, OutcomeStored)
		saved = append(saved, s)
	}
	if err := db.RecordFailure(context.Background(), "text", t0.Add(time.Hour), arenawatch.KindTransient, "", "x"); err != nil {
		t.Fatal(err)
	}

	keysOf := func(name []byte) []uint64 {
		var keys []uint64
		if err := db.view(func(tx *bolt.Tx) error {
			b := boardBucket(tx, "text", name)
			if name == nil { // the run log: time, then board
				b = tx.Bucket(bucketRunLog)
			}
			return b.ForEach(func(k, _ []byte) error {
				keys = append(keys, beUint64(k[:8]))
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
		return keys
	}
	for _, tc := range []struct {
		name   string
		bucket []byte
		base   time.Time
		n      int
	}{
		{"snapshots", bucketSnapshots, t0, 3},
		{"index", bucketIndex, t0, 3},
		{"runs", nil, t0.Add(time.Hour), 4},
	} {
		t.Run("keys bumped/"+tc.name, func(t *testing.T) {
			var want []uint64
			for i := range tc.n {
				want = append(want, uint64(tc.base.UnixNano())+uint64(i))
			}
			if got := keysOf(tc.bucket); !reflect.DeepEqual(got, want) {
				t.Errorf("keys = %v, want %v", got, want)
			}
		})
	}
	t.Run("Latest is the last saved", func(t *testing.T) {
		got, err := db.Latest("text")
		if err != nil || !reflect.DeepEqual(got, saved[2]) {
			t.Errorf("Latest = %v, %v; want the third snapshot", got, err)
		}
	})
	t.Run("At the shared time is the last saved", func(t *testing.T) {
		got, err := db.At("text", t0)
		if err != nil || !reflect.DeepEqual(got, saved[2]) {
			t.Errorf("At(t0) = %v, %v; want the third snapshot", got, err)
		}
	})
	t.Run("FetchedAt keeps the true time", func(t *testing.T) {
		infos, err := db.Snapshots("text")
		if err != nil {
			t.Fatal(err)
		}
		for i, info := range infos {
			if !info.FetchedAt.Equal(t0) || info.ContentHash != saved[i].ContentHash {
				t.Errorf("snapshot %d: %+v", i, info)
			}
		}
	})
	t.Run("a later natural key after bumped ones", func(t *testing.T) {
		// t0+1ns is taken by a bumped key; the new snapshot goes after it
		// and is the one At(t0+1ns) returns.
		s, raw := makeSnapshot("text", t0.Add(1), 10, 50)
		mustSave(t, db, s, raw, OutcomeStored)
		got, err := db.At("text", t0.Add(1))
		if err != nil || !reflect.DeepEqual(got, s) {
			t.Errorf("At(t0+1ns) = %v, %v; want the new snapshot", got, err)
		}
		got, err = db.At("text", t0)
		if err != nil || !reflect.DeepEqual(got, saved[2]) {
			t.Errorf("At(t0) = %v, %v; want the third snapshot", got, err)
		}
	})
}

func beUint64(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

func TestCheckFindsProblems(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(tx *bolt.Tx) error
		inMsg  string
	}{
		{"index record deleted", func(tx *bolt.Tx) error {
			k, _ := boardBucket(tx, "text", bucketIndex).Cursor().First()
			return boardBucket(tx, "text", bucketIndex).Delete(k)
		}, "has no index record"},
		{"raw body's index entry deleted", func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketBodyIndex).Cursor().First()
			return tx.Bucket(bucketBodyIndex).Delete(k)
		}, "is missing"},
		{"raw body's bucket deleted", func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketBodies).Cursor().First()
			return tx.Bucket(bucketBodies).DeleteBucket(k)
		}, "which is missing"},
		{"raw body's bytes changed", func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketBodies).Cursor().First()
			return tx.Bucket(bucketBodies).Bucket(k).Put(keyBodyData, rawEncoder().EncodeAll([]byte("other bytes"), nil))
		}, "decompresses to content with sha256"},
		{"snapshot frame damaged", func(tx *bolt.Tx) error {
			b := boardBucket(tx, "text", bucketSnapshots)
			k, v := b.Cursor().First()
			v = bytes.Clone(v)
			v[len(v)/2] ^= 0xff
			return b.Put(k, v)
		}, "snapshot 2026-03-01T12:00:00Z: cannot be decoded"},
		{"snapshot encoding unknown", func(tx *bolt.Tx) error {
			b := boardBucket(tx, "text", bucketSnapshots)
			k, _ := b.Cursor().First()
			return b.Put(k, []byte{0x7f, 1, 2})
		}, "unknown snapshot encoding 0x7f"},
		{"run damaged", func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketRunLog)
			k, _ := b.Cursor().First()
			return b.Put(k, []byte("null"))
		}, "cannot be decoded: no run time"},
		{"schema version malformed", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte{1})
		}, "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "arenawatch.db")
			db, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			s, raw := makeSnapshot("text", t0, 5, 1)
			mustSave(t, db, s, raw, OutcomeStored)
			if err := db.Check(); err != nil {
				t.Fatalf("Check before breaking: %v", err)
			}
			if err := db.update(tc.break_); err != nil {
				t.Fatal(err)
			}
			err = db.Check()
			wantKind(t, err, arenawatch.KindDamaged)
			if !strings.Contains(err.Error(), tc.inMsg) || !strings.Contains(err.Error(), path) {
				t.Errorf("Check() = %q, want it to contain %q and the path", err, tc.inMsg)
			}
		})
	}
}

func TestClosedDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, raw := makeSnapshot("text", t0, 3, 1)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"Save", func() error { _, err := db.Save(ctx, s, raw); return err }},
		{"RecordFailure", func() error { return db.RecordFailure(ctx, "text", t0, arenawatch.KindTransient, "", "") }},
		{"Latest", func() error { _, err := db.Latest("text"); return err }},
		{"At", func() error { _, err := db.At("text", t0); return err }},
		{"Snapshots", func() error { _, err := db.Snapshots("text"); return err }},
		{"Boards", func() error { _, err := db.Boards(); return err }},
		{"Runs", func() error { _, err := db.Runs("text", 0); return err }},
		{"ConsecutiveFailures", func() error { _, err := db.ConsecutiveFailures("text"); return err }},
		{"Raw", func() error { _, err := db.Raw(s.SHA256); return err }},
		{"SchemaVersion", func() error { _, err := db.SchemaVersion(); return err }},
		{"Check", db.Check},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			wantKind(t, err, arenawatch.KindInvalid)
			if !strings.Contains(err.Error(), path) || arenawatch.HintOf(err) != "the database is closed" {
				t.Errorf("error %q (hint %q) does not name the path and say the database is closed", err, arenawatch.HintOf(err))
			}
		})
	}
	t.Run("Close again", func(t *testing.T) {
		if err := db.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}

func TestBadBoardIDs(t *testing.T) {
	db, _ := newDB(t)
	for _, tc := range []struct {
		name, board, inMsg string
	}{
		{"empty", "", "no board id"},
		{"too long", strings.Repeat("b", maxBoardLen+1), "longer than"},
		{"invalid UTF-8", "text\xff", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, call := range map[string]func() error{
				"Latest":              func() error { _, err := db.Latest(tc.board); return err },
				"At":                  func() error { _, err := db.At(tc.board, t0); return err },
				"Snapshots":           func() error { _, err := db.Snapshots(tc.board); return err },
				"Runs":                func() error { _, err := db.Runs(tc.board, 0); return err },
				"ConsecutiveFailures": func() error { _, err := db.ConsecutiveFailures(tc.board); return err },
			} {
				err := call()
				if !arenawatch.IsKind(err, arenawatch.KindInvalid) || !strings.Contains(err.Error(), tc.inMsg) {
					t.Errorf("%s: %v, want invalid input containing %q", name, err, tc.inMsg)
				}
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	// Writers on several boards and readers (including Check) at once, for
	// the race detector; then every write must be there.
	db, _ := newDB(t)
	ctx := context.Background()
	boards := []string{"text", "vision", "webdev"}
	const perBoard = 5
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for _, board := range boards {
		wg.Go(func() {
			for i := range perBoard {
				s, raw := makeSnapshot(board, t0.Add(time.Duration(i)*time.Hour), 20, uint64(i))
				if _, err := db.Save(ctx, s, raw); err != nil {
					errs <- err
				}
				if err := db.RecordFailure(ctx, board, t0.Add(time.Duration(i)*time.Hour+time.Minute), arenawatch.KindTransient, "", "x"); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			for range perBoard {
				if _, err := db.Latest(board); err != nil && !arenawatch.IsKind(err, arenawatch.KindNotFound) {
					errs <- err
				}
				if _, err := db.Snapshots(board); err != nil {
					errs <- err
				}
				if err := db.Check(); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, board := range boards {
		t.Run(board, func(t *testing.T) {
			infos, err := db.Snapshots(board)
			if err != nil || len(infos) != perBoard {
				t.Errorf("Snapshots = %d, %v; want %d", len(infos), err, perBoard)
			}
			runs, err := db.Runs(board, 0)
			if err != nil || len(runs) != 2*perBoard {
				t.Errorf("Runs = %d, %v; want %d", len(runs), err, 2*perBoard)
			}
		})
	}
}

// SaveBatch writes all items or none, compares each with the one before it
// in time (an earlier item of the same batch included), and names the
// item that fails.
func TestSaveBatch(t *testing.T) {
	db, _ := newDB(t)
	s1, raw1 := makeSnapshot("text", t0, 20, 1)
	s2, raw2 := makeSnapshot("text", t0.Add(time.Hour), 20, 1) // same content as s1
	s3, raw3 := makeSnapshot("text", t0.Add(2*time.Hour), 20, 3)
	res, err := db.SaveBatch(t.Context(), []SaveItem{{Snapshot: s1, Raw: raw1}, {Snapshot: s2, Raw: raw2}, {Snapshot: s3, Raw: raw3}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Outcome{OutcomeStored, OutcomeUnchanged, OutcomeStored}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Errorf("item %d: %s, want %s", i, r.Outcome, want[i])
		}
	}
	bad, badRaw := makeSnapshot("text", t0.Add(4*time.Hour), 20, 4)
	bad.ContentHash = ""
	ok, okRaw := makeSnapshot("text", t0.Add(3*time.Hour), 20, 5)
	if _, err := db.SaveBatch(t.Context(), []SaveItem{{Snapshot: ok, Raw: okRaw}, {Snapshot: bad, Raw: badRaw}}); !arenawatch.IsKind(err, arenawatch.KindInvalid) ||
		!strings.Contains(err.Error(), "no content hash") {
		t.Fatalf("a batch with a bad item: %v, want invalid naming it", err)
	}
	infos, err := db.Snapshots("text")
	if err != nil || len(infos) != 2 {
		t.Errorf("after a refused batch: %d snapshots, %v; want the 2 of the first batch", len(infos), err)
	}
	// Snapshots and failed runs of several boards in one batch.
	s4, raw4 := makeSnapshot("webdev", t0, 20, 6)
	fail := &Run{Board: "text", At: t0.Add(5 * time.Hour), Kind: arenawatch.KindDrift.Slug(), Message: "drift"}
	res, err = db.SaveBatch(t.Context(), []SaveItem{{Snapshot: s4, Raw: raw4}, {Failure: fail}})
	if err != nil || res[0].Outcome != OutcomeStored || res[1].Outcome != OutcomeFailed {
		t.Fatalf("a mixed batch: %v, %v", res, err)
	}
	if n, err := db.ConsecutiveFailures("text"); n != 1 || err != nil {
		t.Errorf("ConsecutiveFailures(text) = %d, %v after the batch's failure", n, err)
	}
	if runs, _ := db.Runs("text", 1); len(runs) != 1 || runs[0].Outcome != OutcomeFailed || runs[0].Message != "drift" {
		t.Errorf("newest run of text: %+v", runs)
	}
	// NoRun: stored, and the run log untouched.
	before, _ := db.Runs("text", 0)
	s5, raw5 := makeSnapshot("text", t0.Add(6*time.Hour), 20, 7)
	if res, err := db.SaveBatch(t.Context(), []SaveItem{{Snapshot: s5, Raw: raw5, NoRun: true}}); err != nil || res[0].Outcome != OutcomeStored {
		t.Fatalf("NoRun item: %v, %v", res, err)
	}
	if after, _ := db.Runs("text", 0); len(after) != len(before) {
		t.Errorf("a NoRun item wrote a run: %d runs, then %d", len(before), len(after))
	}
	if n, _ := db.ConsecutiveFailures("text"); n != 1 {
		t.Errorf("ConsecutiveFailures after a NoRun item = %d, want still 1", n)
	}
}

// A body zstd cannot shrink (random bytes, like a parquet file) is kept as
// it is, and reads back; Check verifies its hash like any other.
func TestRawIncompressible(t *testing.T) {
	db, _ := newDB(t)
	s, raw := makeSnapshot("text", t0, 20, 1)
	body := make([]byte, 300<<10)
	for i := range body {
		body[i] = byte(i*7919 ^ i>>3*31)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range body {
		body[i] ^= byte(r.Uint32())
	}
	sha := shaHex(body)
	s.Documents = append(s.Documents, arenawatch.Document{Name: "file", SHA256: sha, Size: len(body)})
	raw[sha] = body
	s.ContentHash = s.ComputeContentHash()
	mustSave(t, db, s, raw, OutcomeStored)
	var codec []byte
	if err := db.view(func(tx *bolt.Tx) error {
		c, _, _, err := storedBody(tx, []byte(sha))
		codec = bytes.Clone(c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if string(codec) != "none" {
		t.Errorf("an incompressible body is stored as %q, want none", codec)
	}
	if got, err := db.Raw(sha); err != nil || !bytes.Equal(got, body) {
		t.Errorf("Raw = %d bytes, %v; want the body back", len(got), err)
	}
}
