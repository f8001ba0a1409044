package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	bolt "go.etcd.io/bbolt"
)

// migrateKills is how many times TestMigrationKilled kills a migration;
// the default keeps .ci/run short, the figure is -migrate-kills 30.
var migrateKills = flag.Int("migrate-kills", 6, "times TestMigrationKilled kills a migrating process")

// v1Fixture writes the committed schema-1 database (testdata/v1, made by
// the schema-1 code) to a temporary file and returns its path.
func v1Fixture(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v1.db")
	if err := os.WriteFile(path, gunzipFile(t, "testdata/v1/arenawatch-v1.db.gz"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func gunzipFile(t testing.TB, name string) []byte { return testutil.Gunzip(t, name) }

// v1Dump is what the schema-1 code read from the fixture (see
// testdata/v1/README.md).
type v1Dump struct {
	snapshots []dumpSnapshot
	runs      map[string][]Run
}

type dumpSnapshot struct {
	Snapshot json.RawMessage `json:"snapshot"`
	Info     SnapshotInfo    `json:"info"`
}

func readV1Dump(t testing.TB) v1Dump {
	t.Helper()
	d := v1Dump{runs: map[string][]Run{}}
	sc := bufio.NewScanner(bytes.NewReader(gunzipFile(t, "testdata/v1/dump.jsonl.gz")))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var line struct {
			dumpSnapshot
			Board string `json:"board"`
			Runs  []Run  `json:"runs"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		if line.Board != "" {
			d.runs[line.Board] = line.Runs
		} else {
			d.snapshots = append(d.snapshots, line.dumpSnapshot)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(d.snapshots) != 35 || len(d.runs) != 26 {
		t.Fatalf("dump: %d snapshots, %d boards; the fixture has 35 and 26", len(d.snapshots), len(d.runs))
	}
	return d
}

// sameAsDump checks that db answers exactly what the schema-1 code read
// from the fixture: every snapshot (all fields, byte for byte as JSON),
// its summary, every run, and every raw body.
func sameAsDump(t *testing.T, db *DB, d v1Dump) {
	t.Helper()
	infos := map[string][]SnapshotInfo{}
	for _, ds := range d.snapshots {
		b := ds.Info.Board
		infos[b] = append(infos[b], ds.Info)
		got, err := db.At(b, ds.Info.FetchedAt)
		if err != nil {
			t.Errorf("At(%s, %s): %v", b, ds.Info.FetchedAt, err)
			continue
		}
		js, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, ds.Snapshot); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(js, want.Bytes()) {
			t.Errorf("%s %s: the snapshot read differs from the one schema 1 read (%d vs %d bytes)", b, ds.Info.FetchedAt, len(js), want.Len())
		}
		for _, doc := range got.Documents {
			body, err := db.Raw(doc.SHA256)
			if err != nil {
				t.Errorf("%s: Raw(%s): %v", b, doc.SHA256, err)
				continue
			}
			if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != doc.SHA256 {
				t.Errorf("%s: raw body %s reads back with another hash", b, doc.SHA256)
			}
		}
	}
	for b, want := range infos {
		got, err := db.Snapshots(b)
		if err != nil || !reflect.DeepEqual(normInfos(got), normInfos(want)) {
			t.Errorf("Snapshots(%s) = %v, %v; want the %d schema 1 listed", b, got, err, len(want))
		}
	}
	boards, err := db.Boards()
	if err != nil || len(boards) != len(d.runs) {
		t.Errorf("Boards() = %d boards, %v; want %d", len(boards), err, len(d.runs))
	}
	for b, want := range d.runs {
		got, err := db.Runs(b, 0)
		if err != nil || !reflect.DeepEqual(normRuns(got), normRuns(want)) {
			t.Errorf("Runs(%s) = %v, %v; want %v", b, got, err, want)
		}
	}
}

// normInfos and normRuns drop the time zones' pointers, which JSON
// decoding and bbolt decoding set differently for equal instants.
func normInfos(in []SnapshotInfo) string { b, _ := json.Marshal(in); return string(b) }
func normRuns(in []Run) string           { b, _ := json.Marshal(in); return string(b) }

// The committed schema-1 file reads, before any migration, exactly as the
// schema-1 code read it; a writable Open migrates it once, saying so, and
// keeps a copy; afterwards every record reads the same, the file checks
// clean, and nothing of schema 1 is left.
func TestMigrateV1(t *testing.T) {
	d := readV1Dump(t)
	path := v1Fixture(t)
	original, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("read-only open reads schema 1 as it is", func(t *testing.T) {
		db, closeDB := openDB(t, path, Options{ReadOnly: true})
		defer closeDB()
		if v, err := db.SchemaVersion(); err != nil || v != 1 {
			t.Fatalf("SchemaVersion() = %d, %v; want 1", v, err)
		}
		sameAsDump(t, db, d)
	})
	if after, _ := os.ReadFile(path); !bytes.Equal(after, original) {
		t.Fatal("a read-only open changed the file")
	}

	var said []string
	notify := func(msg string) { said = append(said, msg) }
	db, closeDB := openDB(t, path, Options{Timeout: time.Second, Notify: notify})
	if len(said) != 2 || !strings.Contains(said[0], "from schema 1 to 2") || !strings.Contains(said[0], path+BackupSuffix) ||
		!strings.Contains(said[1], "35 snapshots of 26 boards") {
		t.Errorf("Notify was told %q; want the start (naming the copy) and the end with counts", said)
	}
	if v, err := db.SchemaVersion(); err != nil || v != CurrentSchemaVersion {
		t.Fatalf("SchemaVersion() = %d, %v after migrating", v, err)
	}
	if backup, err := os.ReadFile(path + BackupSuffix); err != nil || !bytes.Equal(backup, original) {
		t.Errorf("the copy %s is not the original file (%v)", path+BackupSuffix, err)
	}
	sameAsDump(t, db, d)
	err = db.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketRaw) != nil {
			return fmt.Errorf("the schema-1 raw bucket is still there")
		}
		return tx.Bucket(bucketBoards).ForEachBucket(func(name []byte) error {
			if boardBucket(tx, string(name), bucketRuns) != nil {
				return fmt.Errorf("%s still has a schema-1 runs bucket", name)
			}
			b := boardBucket(tx, string(name), bucketSnapshots)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				if v[0] == '{' {
					return fmt.Errorf("%s %s is still schema 1", name, keyString(k))
				}
				return nil
			})
		})
	})
	if err != nil {
		t.Error(err)
	}
	closeDB()

	said = nil
	db, closeDB = openDB(t, path, Options{Timeout: time.Second, Notify: notify})
	defer closeDB()
	if len(said) != 0 {
		t.Errorf("a second open said %q; the migration is done once", said)
	}
	// The migrated file takes new snapshots as deltas of the migrated ones.
	latest, err := db.Latest("arena-text")
	if err != nil {
		t.Fatal(err)
	}
	next := *latest
	next.FetchedAt = latest.FetchedAt.Add(time.Hour)
	next.Rows = append([]arenawatch.Row(nil), latest.Rows...)
	next.Rows[0].Score += 1
	next.ContentHash = "changed"
	if _, err := db.Save(t.Context(), &next, nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.Latest("arena-text")
	if err != nil || got.Rows[0].Score != next.Rows[0].Score {
		t.Fatalf("Latest after a save: %v", err)
	}
}

// TestMigrationKilled kills a process migrating the schema-1 fixture at a
// random moment, again and again, and checks after each kill that the
// file reads in full and that the next Open finishes the migration.
func TestMigrationKilled(t *testing.T) {
	if os.Getenv("ARENAWATCH_MIGRATE_CHILD") != "" {
		return // the child's work is in TestMain
	}
	d := readV1Dump(t)
	// How long one migration of the fixture takes here.
	start := time.Now()
	db, closeDB := openDB(t, v1Fixture(t), Options{Timeout: time.Second})
	closeDB()
	_ = db
	took := time.Since(start)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	killedMidway := 0
	for i := range *migrateKills {
		path := v1Fixture(t)
		cmd := exec.Command(exe, "-test.run", "^$")
		cmd.Env = append(os.Environ(), "ARENAWATCH_MIGRATE_CHILD="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Process start-up takes some of it; the rest lands anywhere in
		// the migration or just after.
		delay := time.Duration(rng.Int64N(int64(3*took + 50*time.Millisecond)))
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()

		ro, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("kill %d after %v: read-only open: %v", i, delay, err)
		}
		v, _ := ro.SchemaVersion()
		if v == 1 {
			killedMidway++
		}
		t.Run(fmt.Sprintf("kill %d after %v, schema %d, read as it is", i, delay.Round(time.Millisecond), v), func(t *testing.T) {
			if err := ro.Check(); err != nil {
				t.Error(err)
			}
			sameAsDump(t, ro, d)
		})
		ro.Close()
		t.Run(fmt.Sprintf("kill %d, migration finished", i), func(t *testing.T) {
			db, closeDB := openDB(t, path, Options{Timeout: time.Second})
			defer closeDB()
			if v, _ := db.SchemaVersion(); v != CurrentSchemaVersion {
				t.Errorf("schema %d after a writable open", v)
			}
			sameAsDump(t, db, d)
		})
	}
	t.Logf("%d of %d kills landed before the migration's last step (one migration takes %v here)", killedMidway, *migrateKills, took)
}

// TestMain runs the child of TestMigrationKilled: open the file it names
// writable (which migrates it) and hold it until killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("ARENAWATCH_MIGRATE_CHILD"); path != "" {
		db, err := Open(path, Options{Timeout: 5 * time.Second})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_ = db.Close()
		os.Exit(0)
	}
	if op := os.Getenv("ARENAWATCH_MAINT_CHILD"); op != "" {
		maintChild(op, os.Getenv("ARENAWATCH_MAINT_PATH")) // maintain_test.go; exits
	}
	os.Exit(m.Run())
}

// A schema-1 file that cannot be opened for writing (its mode, a
// read-only mount) is refused with a message that says the migration
// needs to write it and that reading still works. (As root nothing is
// refused, so the error bbolt would give is handed to openError here.)
func TestMigrateRefusedReadOnly(t *testing.T) {
	path := v1Fixture(t)
	err := openError(path, &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission})
	msg := err.Error() + " " + arenawatch.HintOf(err)
	for _, want := range []string{"schema 1", "migrated", path + BackupSuffix, "report and rank read it"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if arenawatch.KindOf(err) == arenawatch.KindInvalid {
		t.Errorf("kind %v: a file's mode is no usage error", arenawatch.KindOf(err))
	}
}
