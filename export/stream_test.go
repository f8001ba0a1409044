package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil/storetest"
)

// progressWriter records what was written so far.
type progressWriter struct{ buf bytes.Buffer }

func (w *progressWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }

// Records reach the output while later snapshots are still unread: when
// snapshot i is loaded, snapshot i-2 has been written (the writers buffer
// at most 64 KiB, less than a snapshot here). Memory therefore holds about
// one snapshot, not the history.
func TestStreaming(t *testing.T) {
	db, _ := storetest.Open(t)
	const snaps = 6
	for i := range snaps {
		save(t, db, snap("s", t0.Add(time.Duration(i)*time.Hour), filler(400, string(rune('a'+i)))...))
	}
	items, err := Plan(db, Selection{Boards: []BoardRule{{ID: "s"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats {
		if f == Parquet {
			continue // a row group is written whole; its size bounds memory
		}
		t.Run(string(f), func(t *testing.T) {
			out := &progressWriter{}
			store := StoreLoader(db)
			loaded := 0
			load := func(it Item) (*arenawatch.Snapshot, error) {
				if loaded >= 2 {
					prev := SnapshotID("s", items[loaded-2].FetchedAt)
					if !strings.Contains(out.buf.String(), prev) {
						t.Errorf("snapshot %d is read before %s was written", loaded, prev)
					}
				}
				loaded++
				return store(it)
			}
			if _, err := Write(context.Background(), out, items, load, Options{Format: f, Converter: converter(), Metrics: []string{"coding"}}); err != nil {
				t.Fatal(err)
			}
			if loaded != snaps {
				t.Errorf("%d snapshots read, want %d", loaded, snaps)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	db, _ := storetest.Open(t)
	for i := range 4 {
		save(t, db, snap("p", t0.Add(time.Duration(i)*24*time.Hour), filler(2, string(rune('a'+i)))...))
	}
	save(t, db, snap("q", t0, filler(2, "q")...))
	boards := []BoardRule{{ID: "q"}, {ID: "p"}, {ID: "none"}}
	day := func(i int) time.Time { return t0.Add(time.Duration(i) * 24 * time.Hour) }
	tests := []struct {
		name string
		sel  Selection
		want []string // board@day
	}{
		{"everything, boards in the order asked", Selection{Boards: boards}, []string{"q@0", "p@0", "p@1", "p@2", "p@3"}},
		{"since", Selection{Boards: boards, Since: day(2)}, []string{"p@2", "p@3"}},
		{"until, inclusive", Selection{Boards: boards, Until: day(1)}, []string{"q@0", "p@0", "p@1"}},
		{"latest", Selection{Boards: boards, Latest: true}, []string{"q@0", "p@3"}},
		{"latest in a window", Selection{Boards: boards, Until: day(2), Latest: true}, []string{"q@0", "p@2"}},
		{"empty window", Selection{Boards: boards, Since: day(9)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Plan(db, tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.Board+"@"+string(rune('0'+int(it.FetchedAt.Sub(t0)/(24*time.Hour)))))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// listFiles lists the regular files under root, relative, slash-separated.
func listFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func TestWriteDataset(t *testing.T) {
	db, _ := storetest.Open(t)
	for i := range 3 {
		save(t, db, snap("a", t0.Add(time.Duration(i)*12*time.Hour), filler(3, string(rune('a'+i)))...))
	}
	save(t, db, snap("b", t0, filler(2, "b")...))
	root := filepath.Join(t.TempDir(), "ds")
	export := func(sel Selection, part Partition) Summary {
		t.Helper()
		items, err := Plan(db, sel)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := WriteDataset(context.Background(), root, part, items, StoreLoader(db), Options{Format: Parquet, Converter: converter(), Metrics: []string{"coding"}})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	both := []BoardRule{{ID: "a"}, {ID: "b"}}
	sum := export(Selection{Boards: both}, ByBoardDate)
	want := []string{ManifestName, "board=a/date=2026-11-28/part-0.parquet", "board=a/date=2026-11-29/part-0.parquet", "board=b/date=2026-11-28/part-0.parquet"}
	sort.Strings(want)
	if got := listFiles(t, root); strings.Join(got, " ") != strings.Join(want, " ") || sum.Rows != 11 || sum.Snapshots != 4 {
		t.Fatalf("files %v, summary %+v; want %v, 11 rows of 4 snapshots", got, sum, want)
	}
	foreign := filepath.Join(root, "board=a", "notes.txt")
	if err := os.WriteFile(foreign, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Again, with board a only and from the 29th: the files no longer
	// written go, with their empty directories; the user's file stays.
	sum = export(Selection{Boards: both[:1], Since: t0.Add(24 * time.Hour).Truncate(24 * time.Hour)}, ByBoardDate)
	want = []string{ManifestName, "board=a/date=2026-11-29/part-0.parquet", "board=a/notes.txt"}
	sort.Strings(want)
	if got := listFiles(t, root); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after the second export: %v, want %v", got, want)
	}
	if len(sum.Removed) != 2 {
		t.Errorf("removed %v, want the two partitions no longer written", sum.Removed)
	}
	if _, err := os.Stat(filepath.Join(root, "board=b")); !os.IsNotExist(err) {
		t.Errorf("board=b is left behind: %v", err)
	}

	// By board: one file per board.
	export(Selection{Boards: both}, ByBoard)
	want = []string{ManifestName, "board=a/notes.txt", "board=a/part-0.parquet", "board=b/part-0.parquet"}
	sort.Strings(want)
	if got := listFiles(t, root); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("by board: %v, want %v", got, want)
	}
}

// A manifest that is not one, or lists a file no export writes, stops the
// export before anything is removed.
func TestWriteDatasetRefusesAForeignManifest(t *testing.T) {
	tests := []struct{ name, manifest string }{
		{"not JSON", "hello"},
		{"lists a file elsewhere", `{"files": ["../../etc/passwd"]}`},
		{"lists a non-part file", `{"files": ["board=a/notes.txt"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.WriteFile(filepath.Join(root, ManifestName), []byte(tt.manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := WriteDataset(context.Background(), root, ByBoard, nil, nil, Options{Format: Parquet, Converter: converter()})
			if !arenawatch.IsKind(err, arenawatch.KindDamaged) {
				t.Errorf("err = %v, want a damaged-data error", err)
			}
		})
	}
}
