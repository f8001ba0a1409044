package notify

import (
	"context"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/internal/testutil/storetest"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

// save stores rows as board's snapshot fetched at t.
func save(t *testing.T, db *store.DB, board string, at time.Time, rows ...row) {
	t.Helper()
	s := snap(rows...)
	s.Board, s.FetchedAt, s.URL = board, at, "https://example.org/"+board
	s.ContentHash = s.ComputeContentHash()
	if _, err := db.Save(context.Background(), s, nil); err != nil {
		t.Fatal(err)
	}
}

// TestCollect reads the changes from a real database: a board with an
// earlier snapshot is compared with it, a board's first snapshot is not,
// and a failure is reported in the run that makes the streak reach
// FailAfter only.
func TestCollect(t *testing.T) {
	db, _ := storetest.Open(t)
	day := func(d int) time.Time { return time.Date(2025, 2, d, 0, 0, 0, 0, time.UTC) }
	save(t, db, "changed", day(1), athene1220, nemotron1220, dsv25_1220)
	save(t, db, "changed", day(2), r1_0218, v3_0218, dsv25_1210, athene0218, nemotron0218)
	save(t, db, "same", day(1), athene1220, nemotron1220)
	save(t, db, "same", day(2), athene0218, nemotron0218) // other scores, same answers
	save(t, db, "first", day(2), athene0218)
	opt := Options{FailAfter: 3, History: history.Options{Catalog: ranking.Embedded()}}
	results := []BoardResult{
		{Board: "changed", Stored: true, SnapshotAt: day(2)},
		{Board: "same", Stored: true, SnapshotAt: day(2)},
		{Board: "first", Stored: true, SnapshotAt: day(2)},
		{Board: "unchanged"},
		{Board: "usage", Usage: true, Stored: true, SnapshotAt: day(2)},
		{Board: "failing-2", Failures: 2, ErrorKind: "blocked", Error: "blocked: challenge page"},
		{Board: "failing-3", Failures: 3, ErrorKind: "markup_drift", Error: "markup drift: no table"},
		{Board: "failing-4", Failures: 4, ErrorKind: "markup_drift", Error: "markup drift: no table"},
	}
	m, errs := Collect(context.Background(), db, day(2), results, opt)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	// Board "changed" is TestDetect's NewChineseLeader case.
	var boards []string
	for _, c := range m.Changes {
		boards = append(boards, c.Board+"/"+c.Kind)
	}
	if want := []string{"changed/leading_open", "changed/open_position"}; !reflect.DeepEqual(boards, want) {
		t.Errorf("changes %v, want %v", boards, want)
	}
	want := []Failure{{Board: "failing-3", Failures: 3, Kind: "markup_drift", Message: "markup drift: no table"}}
	if !reflect.DeepEqual(m.Failures, want) {
		t.Errorf("failures %+v, want %+v", m.Failures, want)
	}

	// A board whose snapshot cannot be found is an error of its own; the
	// others still answer.
	m, errs = Collect(context.Background(), db, day(2), []BoardResult{{Board: "gone", Stored: true, SnapshotAt: day(2)}, results[0]}, opt)
	if len(errs) != 1 || !arenawatch.IsKind(errs[0], arenawatch.KindNotFound) || len(m.Changes) != 2 {
		t.Errorf("errors %v, %d changes", errs, len(m.Changes))
	}
}

// TestStepRun runs the whole step against a loopback receiver, and with a
// database that cannot be opened.
func TestStepRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aw.db")
	db, err := store.Open(path, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2025, 2, d, 0, 0, 0, 0, time.UTC) }
	save(t, db, "changed", day(1), athene1220, dsv25_1220)
	save(t, db, "changed", day(2), r1_0218, athene0218)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	rc := &receiver{}
	targets, err := ParseTargets([]string{webhook(testutil.Server(t, rc.handler(http.StatusOK)))}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	step := &Step{Targets: targets, Options: Options{History: history.Options{Catalog: ranking.Embedded()}}}
	results := []BoardResult{{Board: "changed", Stored: true, SnapshotAt: day(2)}}
	open := func() (*store.DB, error) {
		return store.Open(path, store.Options{Timeout: time.Second, ReadOnly: true})
	}
	r := step.Run(context.Background(), open, day(2), results)
	rc.mu.Lock()
	bodies := rc.bodies
	rc.mu.Unlock()
	if r.Sent != 1 || len(r.Errors) != 0 || len(bodies) != 1 || bodies[0] != r.Message ||
		!strings.Contains(r.Message, "changed: leading open model: Athene-v2-Chat-72B (Nexusflow, US) → DeepSeek-R1 (DeepSeek, CN); the top flips non-Chinese → Chinese; why: new model") {
		t.Fatalf("report %+v, received %q", r, bodies)
	}

	broken := func() (*store.DB, error) {
		return nil, arenawatch.Errorf(arenawatch.KindLocked, "held by another arenawatch")
	}
	r = step.Run(context.Background(), broken, day(2), results)
	if r.Sent != 0 || r.Message != "" || len(r.Errors) != 1 || r.Errors[0].Target != "" || !strings.Contains(r.Errors[0].Error, "held by another") {
		t.Fatalf("report %+v", r)
	}
	// Run closed what it opened: a writer gets the file at once.
	db, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
}
