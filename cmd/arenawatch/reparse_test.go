package main

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/reparse"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// withStore opens the test's database writable for fn.
func (c *cli) withStore(fn func(db *store.DB)) {
	c.t.Helper()
	db, err := store.Open(c.db, store.Options{Timeout: time.Second})
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

// snapshotInfos lists a board's stored snapshots.
func (c *cli) snapshotInfos(board string) []store.SnapshotInfo {
	c.t.Helper()
	var infos []store.SnapshotInfo
	c.withStore(func(db *store.DB) {
		var err error
		if infos, err = db.Snapshots(board); err != nil {
			c.t.Fatal(err)
		}
	})
	return infos
}

// oldParse stores, a day before the board's latest snapshot, what an old
// parser ("old/0") read from the same raw body: the latest rows without
// the row of model drop and with the first row's score off by 50.
func (c *cli) oldParse(board, drop string) (*arenawatch.Snapshot, time.Time) {
	c.t.Helper()
	var old arenawatch.Snapshot
	c.withStore(func(db *store.DB) {
		latest, err := db.Latest(board)
		if err != nil {
			c.t.Fatal(err)
		}
		old = *latest
		old.FetchedAt = latest.FetchedAt.Add(-24 * time.Hour)
		old.ParserVersion = "old/0"
		old.Rows = slices.DeleteFunc(slices.Clone(latest.Rows), func(r arenawatch.Row) bool { return r.Model == drop })
		old.Rows[0].Score += 50
		old.ContentHash = old.ComputeContentHash()
		if _, err := db.Save(c.t.Context(), &old, nil); err != nil {
			c.t.Fatal(err)
		}
	})
	return &old, old.FetchedAt
}

// TestReparse: a snapshot an old parser misread is listed by --dry-run
// with its row-level diff, stored re-parsed by reparse, answered from by
// report --at, and a second reparse stores nothing.
func TestReparse(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("scrape", "--replay", fixtures, "sciarena", "--quiet")
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	latest := decode[reportJSON](t, c.must("report", "sciarena", "--json").stdout).Boards[0]
	if latest.LeadingOpen == nil {
		t.Fatal("the fixture has no leading open model")
	}
	lead := latest.LeadingOpen.Model
	old, at := c.oldParse("sciarena", lead)
	first := old.Rows[0].Model
	reportAt := func() ranking.BoardReport {
		return decode[reportJSON](t, c.must("report", "sciarena", "--at", at.Format(time.RFC3339Nano), "--json").stdout).Boards[0]
	}
	if r := reportAt(); r.LeadingOpen != nil && r.LeadingOpen.Model == lead {
		t.Fatalf("before the re-parse the old snapshot must miss %s", lead)
	}

	dry := decode[reparseJSON](t, c.must("reparse", "--dry-run", "--json").stdout)
	byBoard := map[string]reparseBoardJSON{}
	for _, b := range dry.Boards {
		byBoard[b.Board] = b
	}
	sci, hf := byBoard["sciarena"], byBoard["hf-text-raw"]
	if !dry.OK || !dry.DryRun || len(dry.Boards) != 2 || sci.Snapshots != 2 || sci.Reparsed != 1 || sci.Unchanged != 1 || sci.Failed != 0 {
		t.Fatalf("dry run: %+v", dry)
	}
	if hf.Snapshots != 10 || hf.Skipped != 10 || hf.Results[0].Reason != reparse.SkipImported {
		t.Errorf("imported board: %+v", hf)
	}
	r := sci.Results[0]
	want := reparse.Diff{Added: []string{lead}, Changed: []reparse.RowChange{{Model: first, Fields: []string{"score"}}}}
	if r.Status != "would_reparse" || !r.FetchedAt.Equal(at) || r.OldParser != "old/0" || r.ParserVersion != source.SciArenaParserVersion ||
		r.Diff == nil || !reflect.DeepEqual(*r.Diff, want) || r.Summary != "+1 row, 1 changed: score" {
		t.Errorf("dry-run result %+v, diff %+v", r, r.Diff)
	}
	human := c.must("reparse", "--dry-run").stderr
	for _, s := range []string{"dry run", "2 snapshots: 1 would change, 1 unchanged, 0 failed", at.Format("2006-01-02 15:04:05 UTC") + "  old/0 → " + source.SciArenaParserVersion + ": +1 row, 1 changed: score", "10 skipped: imported"} {
		if !strings.Contains(human, s) {
			t.Errorf("dry run does not say %q:\n%s", s, human)
		}
	}
	if n := len(c.snapshotInfos("sciarena")); n != 2 {
		t.Fatalf("a dry run stored something: %d snapshots", n)
	}

	if out := c.must("reparse", "sciarena"); out.stdout != "" || !strings.Contains(out.stderr, "2 snapshots: 1 re-parsed (rows changed), 1 unchanged, 0 failed") {
		t.Errorf("reparse printed %q on stdout, stderr:\n%s", out.stdout, out.stderr)
	}
	infos := c.snapshotInfos("sciarena")
	if len(infos) != 3 || !infos[1].FetchedAt.Equal(at) || infos[1].ParserVersion != source.SciArenaParserVersion || infos[1].ContentHash != latest0(c, "sciarena").ContentHash {
		t.Fatalf("after reparse: %+v", infos)
	}
	c.withStore(func(db *store.DB) {
		got, err := db.At("sciarena", at)
		if err != nil || got.Reparsed == nil || !got.Reparsed.From.Equal(at) || got.Reparsed.ParserVersion != "old/0" || got.Origin != arenawatch.OriginReplayed {
			t.Errorf("the re-parse read back: %v, %+v", err, got)
		}
	})
	if r := reportAt(); r.LeadingOpen == nil || r.LeadingOpen.Model != lead || r.Rows != latest.Rows {
		t.Errorf("report --at answers from %+v, want the re-parse (leading %s, %d rows)", r.SnapshotHeader, lead, latest.Rows)
	}

	again := decode[reparseJSON](t, c.must("reparse", "--json").stdout)
	for _, b := range again.Boards {
		if b.Board == "sciarena" && (b.Reparsed != 0 || b.Unchanged != 2 || b.Superseded != 1) {
			t.Errorf("second reparse: %+v", b)
		}
	}
	if n := len(c.snapshotInfos("sciarena")); n != 3 {
		t.Errorf("a second reparse stored something: %d snapshots", n)
	}
	if out := c.must("reparse", "--quiet"); out.stdout != "" || out.stderr != "" {
		t.Errorf("--quiet printed %q, %q", out.stdout, out.stderr)
	}
	since := decode[reparseJSON](t, c.must("reparse", "sciarena", "--since", at.Add(time.Hour).Format(time.RFC3339), "--json").stdout)
	if b := since.Boards[0]; b.Snapshots != 1 || b.Superseded != 0 {
		t.Errorf("--since: %+v", b)
	}
}

func latest0(c *cli, board string) *arenawatch.Snapshot {
	c.t.Helper()
	var s *arenawatch.Snapshot
	c.withStore(func(db *store.DB) {
		var err error
		if s, err = db.Latest(board); err != nil {
			c.t.Fatal(err)
		}
	})
	return s
}

// TestReparseFailures: what cannot be re-read fails its snapshot (exit
// 1) and keeps it; bad arguments are usage errors.
func TestReparseFailures(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("scrape", "--replay", fixtures, "sciarena", "--quiet")
	// A page today's extractor cannot read: an empty list, stored as the
	// raw body of an earlier snapshot.
	empty := []byte("[]")
	sum := sha256.Sum256(empty)
	sha := hex.EncodeToString(sum[:])
	var at time.Time
	c.withStore(func(db *store.DB) {
		latest, err := db.Latest("sciarena")
		if err != nil {
			t.Fatal(err)
		}
		old := *latest
		old.FetchedAt = latest.FetchedAt.Add(-time.Hour)
		old.SHA256 = sha
		old.Documents = []arenawatch.Document{{Name: "page", Method: "GET", URL: latest.URL, Status: 200, SHA256: sha, Size: len(empty)}}
		old.Rows = old.Rows[1:]
		old.ContentHash = old.ComputeContentHash()
		if _, err := db.Save(t.Context(), &old, map[string][]byte{sha: empty}); err != nil {
			t.Fatal(err)
		}
		at = old.FetchedAt
	})
	r := c.run("reparse", "--json")
	sum2 := decode[reparseJSON](t, r.stdout)
	if r.code != exitFailure || sum2.OK || sum2.Boards[0].Failed != 1 || sum2.Boards[0].Unchanged != 1 {
		t.Fatalf("exit %d, %+v", r.code, sum2)
	}
	if f := sum2.Boards[0].Results[0]; f.Status != "failed" || f.Error.Kind != arenawatch.KindDrift.Slug() || !f.FetchedAt.Equal(at) {
		t.Errorf("failed result %+v", f)
	}
	if human := c.run("reparse").stderr; !strings.Contains(human, at.Format("2006-01-02 15:04:05 UTC")+"  failed: markup drift") {
		t.Errorf("human output:\n%s", human)
	}
	if n := len(c.snapshotInfos("sciarena")); n != 2 {
		t.Errorf("%d snapshots, want both kept", n)
	}

	for _, tc := range []struct {
		name string
		args []string
	}{
		{"unknown board", []string{"reparse", "no-such-board"}},
		{"bad --since", []string{"reparse", "--since", "yesterday"}},
		{"--until before --since", []string{"reparse", "--since", "2026-03", "--until", "2026-02"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := c.run(tc.args...); r.code != exitUsage {
				t.Errorf("exit %d, want %d: %s", r.code, exitUsage, r.stderr)
			}
		})
	}
}
