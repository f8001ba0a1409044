package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/retention"
	bolt "go.etcd.io/bbolt"
)

// fillBoard saves n snapshots of board, one every step from start; origin
// gives each one's Origin. Each differs from the one before in one score,
// as real scrapes do, so most are stored as deltas. The registry body
// depends only on i%5, so it is shared between snapshots and with other
// boards filled the same way.
func fillBoard(t testing.TB, db *DB, board string, n int, start time.Time, step time.Duration, origin func(i int) string) {
	t.Helper()
	for i := range n {
		s, raw := makeSnapshot(board, start.Add(time.Duration(i)*step), 30, uint64(i%5))
		s.Rows = makeRows(30, 1)
		s.Rows[i%30].Score += float64(i + 1)
		s.Origin = origin(i)
		s.ContentHash = s.ComputeContentHash()
		if _, err := db.Save(context.Background(), s, raw); err != nil {
			t.Fatalf("Save(%s #%d): %v", board, i, err)
		}
	}
}

func scraped(int) string { return arenawatch.OriginScraped }

// dumpAll returns the JSON of every snapshot, keyed "board@time".
func dumpAll(t testing.TB, db *DB) map[string]string {
	t.Helper()
	boards, err := db.Boards()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, b := range boards {
		infos, err := db.Snapshots(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range infos {
			s, err := db.At(b, in.FetchedAt)
			if err != nil {
				t.Fatalf("At(%s, %s): %v", b, in.FetchedAt, err)
			}
			js, _ := json.Marshal(s)
			out[b+"@"+in.FetchedAt.UTC().Format(time.RFC3339Nano)] = string(js)
		}
	}
	return out
}

// sameSnapshots fails unless every snapshot in got reads as it did in
// before, and got holds exactly the keys want (all of before when nil).
func sameSnapshots(t testing.TB, before, got map[string]string, want []string) {
	t.Helper()
	for k, js := range got {
		if before[k] != js {
			t.Errorf("%s: reads differently after the change (or was not there before)", k)
		}
	}
	if want == nil {
		for k := range before {
			want = append(want, k)
		}
	}
	var have []string
	for k := range got {
		have = append(have, k)
	}
	sort.Strings(have)
	sort.Strings(want)
	if !slices.Equal(have, want) {
		t.Errorf("snapshots left: %d %v\nwant %d %v", len(have), have, len(want), want)
	}
}

// deltaCount returns how many snapshots are stored as deltas.
func deltaCount(t testing.TB, db *DB) int {
	t.Helper()
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range st.Boards {
		n += b.Deltas
	}
	return n
}

// expectPrune computes, from before's keys, what a prune of board with p
// keeps: retention's verdict plus the last snapshot.
func expectPrune(t testing.TB, db *DB, board string, p retention.Policy) []string {
	t.Helper()
	infos, err := db.Snapshots(board)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]retention.Item, len(infos))
	for i, in := range infos {
		items[i] = retention.Item{Time: in.FetchedAt, Imported: in.Origin == arenawatch.OriginImported}
	}
	ds, err := retention.Apply(p, items)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for i, d := range ds {
		if d.Keep || i == len(ds)-1 {
			keep = append(keep, board+"@"+infos[i].FetchedAt.UTC().Format(time.RFC3339Nano))
		}
	}
	return keep
}

// TestPrune prunes a store of two boards with several policies and checks
// that exactly the snapshots the policy keeps are left, each reading as
// before (deltas whose base went are rebased), and that raw bodies go
// when the last snapshot referring to them goes, and only then.
func TestPrune(t *testing.T) {
	cases := []struct {
		name   string
		policy retention.Policy
		boards []string
	}{
		{"keep last 5", retention.Policy{Last: 5}, nil},
		{"keep daily", retention.Policy{Daily: retention.Unlimited}, nil},
		{"keep within 6h, one board", retention.Policy{Within: retention.Span{Clock: 6 * time.Hour}}, []string{"a"}},
		{"keep hourly 3, imported too", retention.Policy{Hourly: 3, IncludeImported: true}, nil},
		{"keep everything", retention.Policy{Last: retention.Unlimited}, nil},
	}
	rebasedAll := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := newDB(t)
			imported := func(i int) string {
				if i%10 == 3 {
					return arenawatch.OriginImported
				}
				return arenawatch.OriginScraped
			}
			fillBoard(t, db, "a", 60, t0, 47*time.Minute, imported)
			fillBoard(t, db, "b", 20, t0, 3*time.Hour, scraped)
			if deltaCount(t, db) == 0 {
				t.Fatal("the fixture stores no deltas; the test would not exercise rebasing")
			}
			before := dumpAll(t, db)
			var want []string
			for _, b := range []string{"a", "b"} {
				if tc.boards == nil || slices.Contains(tc.boards, b) {
					want = append(want, expectPrune(t, db, b, tc.policy)...)
					continue
				}
				for k := range before {
					if strings.HasPrefix(k, b+"@") {
						want = append(want, k)
					}
				}
			}
			rebase := orphansOf(t, db, want)
			rebasedAll += rebase
			bodies := countRaw(t, db)
			res, err := db.Prune(t.Context(), tc.policy, tc.boards, false)
			if err != nil {
				t.Fatal(err)
			}
			sameSnapshots(t, before, dumpAll(t, db), want)
			if res.Removed != len(before)-len(want) || res.Rebased != rebase {
				t.Errorf("result: %d removed, %d rebased; want %d removed, %d rebased", res.Removed, res.Rebased, len(before)-len(want), rebase)
			}
			checkBodiesReferenced(t, db, res, bodies)
			if err := db.Check(); err != nil {
				t.Fatal(err)
			}
			again, err := db.Prune(t.Context(), tc.policy, tc.boards, false)
			if err != nil || again.Removed != 0 {
				t.Errorf("a second prune removed %d (%v); a prune is idempotent", again.Removed, err)
			}
		})
	}
	if rebasedAll == 0 {
		t.Error("no case removed the base of a kept delta; rebasing went untested")
	}
}

// orphansOf counts the deltas among the snapshots named in keep
// ("board@time") whose base is not among them.
func orphansOf(t testing.TB, db *DB, keep []string) int {
	t.Helper()
	kept := map[string]bool{}
	for _, k := range keep {
		kept[k] = true
	}
	n := 0
	err := db.view(func(tx *bolt.Tx) error {
		for _, board := range []string{"a", "b"} {
			_ = boardBucket(tx, board, bucketSnapshots).ForEach(func(k, v []byte) error {
				name := func(k []byte) string { return board + "@" + keyString(k) }
				if bk := baseOf(v); bk != nil && kept[name(k)] && !kept[name(bk)] {
					n++
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkBodiesReferenced fails unless the store holds exactly the raw bodies
// that its snapshots refer to, and res counted those that went of the
// bodies stored before.
func checkBodiesReferenced(t testing.TB, db *DB, res Removal, before int) {
	t.Helper()
	refs := map[string]bool{}
	boards, _ := db.Boards()
	for _, b := range boards {
		s, err := db.Snapshots(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range s {
			snap, err := db.At(b, in.FetchedAt)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range snap.Documents {
				refs[d.SHA256] = true
			}
		}
	}
	n := countRaw(t, db)
	if n != len(refs) {
		t.Errorf("%d raw bodies stored, %d referenced: unreferenced bodies were kept", n, len(refs))
	}
	if res.Bodies != before-n {
		t.Errorf("the result counts %d bodies dropped; %d went", res.Bodies, before-n)
	}
}

// A dry run reports exactly what the real run then does, and writes not
// one byte.
func TestPruneDryRun(t *testing.T) {
	db, path := newDB(t)
	fillBoard(t, db, "a", 40, t0, time.Hour, scraped)
	fillBoard(t, db, "b", 40, t0, time.Hour, scraped)
	p := retention.Policy{Last: 3, Daily: 1}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dry, err := db.Prune(t.Context(), p, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(file, after) {
		t.Fatal("a dry run changed the file")
	}
	real, err := db.Prune(t.Context(), p, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || real.DryRun {
		t.Errorf("DryRun flags: %v, %v", dry.DryRun, real.DryRun)
	}
	dry.DryRun = true
	real.DryRun = true
	dj, _ := json.Marshal(dry)
	rj, _ := json.Marshal(real)
	if string(dj) != string(rj) || dry.Removed == 0 || dry.Bodies == 0 {
		t.Errorf("dry run and real run differ, or removed nothing:\n%s\n%s", dj, rj)
	}
}

// The board's last snapshot stays even when retention names another one
// newest (same fetch time: retention counts the scraped one as newer).
func TestPruneKeepsLatest(t *testing.T) {
	db, _ := newDB(t)
	fillBoard(t, db, "a", 5, t0, time.Hour, scraped)
	s, raw := makeSnapshot("a", t0.Add(4*time.Hour), 30, 9)
	s.Origin = arenawatch.OriginImported
	s.ContentHash = s.ComputeContentHash()
	if _, err := db.Save(t.Context(), s, raw); err != nil {
		t.Fatal(err)
	}
	latest, err := db.Latest("a")
	if err != nil || latest.Origin != arenawatch.OriginImported {
		t.Fatalf("fixture: latest is %+v, %v", latest, err)
	}
	res, err := db.Prune(t.Context(), retention.Policy{Last: 1, IncludeImported: true}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.Latest("a"); err != nil || got.ContentHash != latest.ContentHash {
		t.Errorf("the latest snapshot went: %v", err)
	}
	if k := res.Boards[0].Kept; len(k) != 2 || !slices.Contains(k[1].Reasons, "latest") {
		t.Errorf("kept %+v; want the retention's newest and the latest", k)
	}
}

func TestPruneRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aw.db")
	db, closeDB := openDB(t, path, Options{})
	fillBoard(t, db, "a", 3, t0, time.Hour, scraped)
	cases := []struct {
		name   string
		policy retention.Policy
		boards []string
		kind   arenawatch.Kind
	}{
		{"empty policy", retention.Policy{IncludeImported: true}, nil, arenawatch.KindInvalid},
		{"negative count", retention.Policy{Daily: -2}, nil, arenawatch.KindInvalid},
		{"unknown board", retention.Policy{Last: 1}, []string{"nope"}, arenawatch.KindNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Prune(t.Context(), tc.policy, tc.boards, false)
			wantKind(t, err, tc.kind)
		})
	}
	t.Run("read-only", func(t *testing.T) {
		closeDB()
		ro, _ := openDB(t, path, Options{ReadOnly: true})
		_, err := ro.Prune(t.Context(), retention.Policy{Last: 1}, nil, false)
		wantKind(t, err, arenawatch.KindInvalid)
	})
}

// A delta whose base is damaged cannot be rebased: the prune fails with
// KindDamaged and leaves that board as it was.
func TestPruneDamagedBase(t *testing.T) {
	db, _ := newDB(t)
	fillBoard(t, db, "a", 6, t0, time.Hour, scraped)
	var baseKey, baseJSON []byte
	err := db.update(func(tx *bolt.Tx) error {
		b := boardBucket(tx, "a", bucketSnapshots)
		k, v := b.Cursor().Last()
		if baseKey = bytes.Clone(baseOf(v)); baseKey == nil {
			return fmt.Errorf("the latest snapshot %s is not a delta", keyString(k))
		}
		var err error
		if baseJSON, err = snapshotJSON(b, baseKey, b.Get(baseKey)); err != nil {
			return err
		}
		return b.Put(baseKey, append([]byte{tagFull}, "not zstd"...))
	})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.Snapshots("a")
	_, err = db.Prune(t.Context(), retention.Policy{Last: 1}, nil, false)
	wantKind(t, err, arenawatch.KindDamaged)
	if after, _ := db.Snapshots("a"); len(after) != len(before) {
		t.Errorf("%d snapshots left of %d; the board must be left as it was", len(after), len(before))
	}
	// Put the base back, for the cleanup's check.
	err = db.update(func(tx *bolt.Tx) error {
		return boardBucket(tx, "a", bucketSnapshots).Put(baseKey, encodeFull(baseJSON))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDrop(t *testing.T) {
	replayedOdd := func(i int) string {
		if i%2 == 1 {
			return arenawatch.OriginReplayed
		}
		return arenawatch.OriginScraped
	}
	cases := []struct {
		name   string
		filter DropFilter
		keep   func(board string, i int) bool
	}{
		{"replayed", DropFilter{Replayed: true}, func(_ string, i int) bool { return i%2 == 0 }},
		{"replayed of one board", DropFilter{Replayed: true, Boards: []string{"b"}}, func(b string, i int) bool { return b == "a" || i%2 == 0 }},
		{"a range, latest included", DropFilter{Since: t0.Add(5 * time.Hour), Until: t0.Add(20 * time.Hour)}, func(_ string, i int) bool { return i < 5 }},
		{"until", DropFilter{Until: t0.Add(2 * time.Hour)}, func(_ string, i int) bool { return i > 2 }},
		{"a whole board", DropFilter{Boards: []string{"a"}}, func(b string, _ int) bool { return b == "b" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := newDB(t)
			for _, b := range []string{"a", "b"} {
				fillBoard(t, db, b, 12, t0, time.Hour, replayedOdd)
			}
			before := dumpAll(t, db)
			var want []string
			for _, b := range []string{"a", "b"} {
				for i := range 12 {
					if tc.keep(b, i) {
						want = append(want, b+"@"+t0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339Nano))
					}
				}
			}
			bodies := countRaw(t, db)
			res, err := db.Drop(t.Context(), tc.filter, false)
			if err != nil {
				t.Fatal(err)
			}
			sameSnapshots(t, before, dumpAll(t, db), want)
			if res.Removed != len(before)-len(want) {
				t.Errorf("Removed = %d, want %d", res.Removed, len(before)-len(want))
			}
			checkBodiesReferenced(t, db, res, bodies)
		})
	}
	t.Run("refuses", func(t *testing.T) {
		db, _ := newDB(t)
		fillBoard(t, db, "a", 2, t0, time.Hour, scraped)
		_, err := db.Drop(t.Context(), DropFilter{}, true)
		wantKind(t, err, arenawatch.KindInvalid)
		_, err = db.Drop(t.Context(), DropFilter{Since: t0.Add(time.Hour), Until: t0}, true)
		wantKind(t, err, arenawatch.KindInvalid)
	})
}

// A compact gives back the free pages a prune left, closes the handle,
// and leaves a file that reads the same and checks clean.
func TestCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aw.db")
	db, err := Open(path, Options{Now: fakeClock(t0)})
	if err != nil {
		t.Fatal(err)
	}
	fillBoard(t, db, "a", 80, t0, time.Hour, scraped)
	if err := db.RecordFailure(t.Context(), "a", t0, arenawatch.KindBlocked, "u", "403"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Prune(t.Context(), retention.Policy{Last: 3}, nil, false); err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats()
	if err != nil || st.FreePages == 0 {
		t.Fatalf("after a prune: %d free pages (%v); want some", st.FreePages, err)
	}
	before := dumpAll(t, db)
	runs, _ := db.Runs("a", 0)
	if err := os.WriteFile(path+CompactSuffix, []byte("left by a killed compact"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := db.Compact()
	if err != nil {
		t.Fatal(err)
	}
	if res.BytesAfter >= res.BytesBefore {
		t.Errorf("compact: %d bytes before, %d after", res.BytesBefore, res.BytesAfter)
	}
	if _, err := db.Latest("a"); !arenawatch.IsKind(err, arenawatch.KindInvalid) {
		t.Errorf("the handle is still usable after a compact: %v", err)
	}
	if _, err := os.Stat(path + CompactSuffix); err == nil {
		t.Error("the copy is still beside the file")
	}
	db2, _ := openDB(t, path, Options{ReadOnly: true})
	sameSnapshots(t, before, dumpAll(t, db2), nil)
	if got, _ := db2.Runs("a", 0); normRuns(got) != normRuns(runs) {
		t.Error("the runs differ after a compact")
	}
	st2, err := db2.Stats()
	if err != nil || st2.FileBytes != res.BytesAfter || st2.Snapshots != st.Snapshots || st2.FreePages >= st.FreePages {
		t.Errorf("stats after: %+v (%v); before %+v", st2, err, st)
	}
	_, err = db2.Compact()
	wantKind(t, err, arenawatch.KindInvalid)
}

// A handle that was waiting for the lock while another compacted the file
// must not write into the old, unlinked file: it opens the new one.
func TestCompactWithWaitingHandle(t *testing.T) {
	// The test sees the waiting handle open the file through /proc, which
	// every Linux has (CI runs on Linux: there it must run); elsewhere it
	// is skipped.
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		if runtime.GOOS == "linux" {
			t.Fatalf("no /proc/self/fd on Linux: %v", err)
		}
		t.Skip("needs /proc/self/fd (Linux) to see the waiting handle open the file")
	}
	path := filepath.Join(t.TempDir(), "aw.db")
	a, err := Open(path, Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	fillBoard(t, a, "a", 30, t0, time.Hour, scraped)
	if _, err := a.Prune(t.Context(), retention.Policy{Last: 2}, nil, false); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var b *DB
	var openErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		b, openErr = Open(path, Options{Timeout: 20 * time.Second})
	}()
	// Wait until the second handle has the old file open and waits for
	// its lock.
	for deadline := time.Now().Add(10 * time.Second); openFiles(t, path) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the second Open never opened the file")
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := a.Compact(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if openErr != nil {
		t.Fatal(openErr)
	}
	s, raw := makeSnapshot("a", t0.Add(100*time.Hour), 30, 7)
	mustSave(t, b, s, raw, OutcomeStored)
	b.Close()
	c, _ := openDB(t, path, Options{ReadOnly: true})
	if got, err := c.Latest("a"); err != nil || !got.FetchedAt.Equal(s.FetchedAt) {
		t.Fatalf("the snapshot saved by the waiting handle is lost: %v", err)
	}
}

// openFiles counts this process's descriptors open on path.
func openFiles(t testing.TB, path string) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && target == path {
			n++
		}
	}
	return n
}

// A backup taken while the same handle keeps writing is a consistent
// store holding the snapshots of some moment between.
func TestBackup(t *testing.T) {
	db, path := newDB(t)
	fillBoard(t, db, "a", 10, t0, time.Hour, scraped)
	dir := t.TempDir()
	done := make(chan error)
	go func() {
		for i := range 30 {
			s, raw := makeSnapshot("b", t0.Add(time.Duration(i)*time.Hour), 30, uint64(i%5))
			if _, err := db.Save(context.Background(), s, raw); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	var copies []string
	for i := range 5 {
		p := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if _, err := db.Backup(p, false); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, p)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, p := range copies {
		bk, closeBk := openDB(t, p, Options{ReadOnly: true})
		if n, _ := bk.Snapshots("a"); len(n) != 10 {
			t.Errorf("%s: %d snapshots of a, want 10", p, len(n))
		}
		closeBk()
	}
	t.Run("refuses an existing file", func(t *testing.T) {
		_, err := db.Backup(copies[0], false)
		wantKind(t, err, arenawatch.KindInvalid)
		if _, err := db.Backup(copies[0], true); err != nil {
			t.Errorf("with overwrite: %v", err)
		}
		_, err = db.Backup(path, true)
		wantKind(t, err, arenawatch.KindInvalid)
		if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(left) != 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}

func TestStats(t *testing.T) {
	db, _ := newDB(t)
	fillBoard(t, db, "a", 10, t0, time.Hour, func(i int) string {
		if i < 3 {
			return arenawatch.OriginImported
		}
		return arenawatch.OriginScraped
	})
	fillBoard(t, db, "b", 2, t0.Add(time.Minute), time.Hour, scraped)
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	a := st.Boards[0]
	if st.SchemaVersion != CurrentSchemaVersion || st.Snapshots != 12 || len(st.Boards) != 2 || st.Runs != 12 ||
		a.Snapshots != 10 || a.Full+a.Deltas != 10 || a.Deltas == 0 || a.Origins["imported"] != 3 || a.Origins["scraped"] != 7 ||
		!a.First.Equal(t0) || !a.Last.Equal(t0.Add(9*time.Hour)) || a.Bytes == 0 ||
		st.RawBodies != countRaw(t, db) || st.RawBytes == 0 || st.FileBytes < int64(st.Pages)*int64(st.PageSize) {
		t.Errorf("stats: %+v", st)
	}
}

// maintKills is how many times each of TestPruneKilled and
// TestCompactKilled kills the operation; the default keeps .ci/run short,
// the figure is -maint-kills 30.
var maintKills = flag.Int("maint-kills", 5, "times TestPruneKilled and TestCompactKilled kill a process")

// killPolicy is the prune the kill tests interrupt.
var killPolicy = retention.Policy{Last: 3, Daily: 1}

// maintChild is the child of the kill tests (run from TestMain): it opens
// path writable, says "go" on stdout and runs op ("prune" or "compact")
// until it is killed or done.
func maintChild(op, path string) {
	db, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("go")
	switch op {
	case "prune":
		_, err = db.Prune(context.Background(), killPolicy, nil, false)
	case "compact":
		_, err = db.Compact()
	default:
		err = fmt.Errorf("unknown child op %q", op)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = db.Close()
	os.Exit(0)
}

// killFixture builds, once per test, a store of 8 boards with 40
// snapshots each (a prune with killPolicy leaves a few of each, rebasing
// some) and returns its bytes and what it holds.
func killFixture(t *testing.T) (file []byte, before map[string]string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixture.db")
	db, closeDB := openDB(t, path, Options{Now: fakeClock(t0)})
	for b := range 8 {
		fillBoard(t, db, fmt.Sprintf("board-%d", b), 40, t0.Add(time.Duration(b)*time.Minute), 2*time.Hour, scraped)
	}
	before = dumpAll(t, db)
	closeDB()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return file, before
}

// runKilled runs op on a copy of file in a child process, over and over,
// killing it at a random moment (within twice the time op takes in
// this process, took) after it says "go", and calls after with the path.
func runKilled(t *testing.T, op string, file []byte, took time.Duration, after func(t *testing.T, path string)) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	for i := range *maintKills {
		path := filepath.Join(t.TempDir(), "aw.db")
		if err := os.WriteFile(path, file, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(exe, "-test.run", "^$")
		cmd.Env = append(os.Environ(), "ARENAWATCH_MAINT_CHILD="+op, "ARENAWATCH_MAINT_PATH="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		delay := time.Duration(rng.Int64N(int64(2*took) + 1))
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if line != "go\n" {
			t.Fatalf("kill %d: the child did not start (%q)", i, line)
		}
		t.Run(fmt.Sprintf("kill %d after %v", i, delay.Round(time.Millisecond)), func(t *testing.T) { after(t, path) })
	}
}

// checkClean opens path read-only and fails on any problem Verify finds.
func checkClean(t *testing.T, path string) map[string]string {
	t.Helper()
	db, closeDB := openDB(t, path, Options{ReadOnly: true, Timeout: time.Second})
	defer closeDB()
	return dumpAll(t, db)
}

// TestPruneKilled kills a prune at random moments: after each kill the
// file checks clean, every snapshot left reads as before, none that the
// policy keeps is missing, and a second prune finishes the job.
func TestPruneKilled(t *testing.T) {
	file, before := killFixture(t)
	path := filepath.Join(t.TempDir(), "aw.db")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	db, closeDB := openDB(t, path, Options{})
	start := time.Now()
	res, err := db.Prune(t.Context(), killPolicy, nil, false)
	took := time.Since(start)
	if err != nil || res.Rebased == 0 {
		t.Fatalf("prune: %v, %d rebased; the fixture must make the prune rebase", err, res.Rebased)
	}
	want := dumpAll(t, db)
	closeDB()
	var keep []string
	for k := range want {
		keep = append(keep, k)
	}
	partial := 0
	runKilled(t, "prune", file, took, func(t *testing.T, path string) {
		got := checkClean(t, path)
		for _, k := range keep {
			if _, ok := got[k]; !ok {
				t.Errorf("%s, which the policy keeps, is gone", k)
			}
		}
		sameSnapshots(t, before, got, mapKeys(got))
		if len(got) != len(want) {
			partial++
		}
		db, closeDB := openDB(t, path, Options{})
		defer closeDB()
		if _, err := db.Prune(t.Context(), killPolicy, nil, false); err != nil {
			t.Fatal(err)
		}
		sameSnapshots(t, before, dumpAll(t, db), keep)
	})
	t.Logf("%d of %d kills landed before the prune finished (one prune takes %v here)", partial, *maintKills, took)
}

// TestCompactKilled kills a compact at random moments: after each kill
// the path holds a file that checks clean with every snapshot, and a
// second compact finishes (removing a copy left behind).
func TestCompactKilled(t *testing.T) {
	file, before := killFixture(t)
	path := filepath.Join(t.TempDir(), "aw.db")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	left := 0
	runKilled(t, "compact", file, took, func(t *testing.T, path string) {
		sameSnapshots(t, before, checkClean(t, path), nil)
		if _, err := os.Stat(path + CompactSuffix); err == nil {
			left++
		}
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Compact(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path + CompactSuffix); err == nil {
			t.Error("a second compact left the copy beside the file")
		}
		sameSnapshots(t, before, checkClean(t, path), nil)
	})
	t.Logf("%d of %d kills left a copy mid-way (one compact takes %v here)", left, *maintKills, took)
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
