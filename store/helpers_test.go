package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
)

// t0 is the base time of the fixtures.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// openDB opens path and registers a cleanup that runs Check, failing the
// test on any problem, and then closes the DB. The returned close function
// does the same at once (for tests that reopen the file); it runs once.
func openDB(t testing.TB, path string, opt Options) (*DB, func()) {
	t.Helper()
	db, err := Open(path, opt)
	if err != nil {
		t.Fatalf("Open(%s, %+v): %v", path, opt, err)
	}
	var once sync.Once
	closeDB := func() {
		once.Do(func() {
			if err := db.Check(); err != nil {
				t.Errorf("Check(%s): %v", path, err)
			}
			if err := db.Close(); err != nil {
				t.Errorf("Close(%s): %v", path, err)
			}
		})
	}
	t.Cleanup(closeDB)
	return db, closeDB
}

// newDB opens a fresh writable store in a temp dir with a fake clock.
func newDB(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	db, _ := openDB(t, path, Options{Timeout: time.Second, Now: fakeClock(t0.Add(time.Hour))})
	return db, path
}

// fakeClock returns a clock that starts at start and advances one second
// per reading.
func fakeClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	now := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
}

// fixedClock returns a clock that always reads t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func shaHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// makeRows returns n rows with every optional field exercised; seed varies
// the scores, so different seeds give different content.
func makeRows(n int, seed uint64) []arenawatch.Row {
	r := rand.New(rand.NewPCG(seed, 42))
	rows := make([]arenawatch.Row, n)
	for i := range rows {
		score := 1500 - float64(i)*1.5 + r.Float64()
		row := arenawatch.Row{
			Rank:      i + 1,
			RankUpper: max(1, i),
			RankLower: i + 2,
			Model:     fmt.Sprintf("model-%03d", i),
			Score:     score,
			Votes:     int64(1000 + r.IntN(50000)),
		}
		if i%2 == 0 {
			row.Name = fmt.Sprintf("Model %d (preview)", i)
			row.Organization = arenawatch.Str(fmt.Sprintf("Org %d", i%17))
			row.License = arenawatch.Str("Apache 2.0")
			row.Open = arenawatch.Bool(i%4 == 0)
			row.ScoreLower = arenawatch.Float(score - 5.25)
			row.ScoreUpper = arenawatch.Float(score + 4.75)
			row.Metrics = map[string]float64{"coding": score - 3, "win_rate": 0.5 + r.Float64()/10}
			row.Extra = map[string]string{"badge": "new", "release_type": "api"}
		}
		rows[i] = row
	}
	return rows
}

// makeSnapshot returns a snapshot of board fetched at at with n rows, and
// the raw bodies of its two documents. The page body depends on seed and
// at; the registry body only on seed.
func makeSnapshot(board string, at time.Time, n int, seed uint64) (*arenawatch.Snapshot, map[string][]byte) {
	rows := makeRows(n, seed)
	var page strings.Builder
	fmt.Fprintf(&page, "<html><!-- fetched %s --><table>", at.Format(time.RFC3339Nano))
	for _, r := range rows {
		fmt.Fprintf(&page, "<tr><td>%d</td><td>%s</td><td>%.3f</td><td>%d</td></tr>\n", r.Rank, r.Model, r.Score, r.Votes)
	}
	page.WriteString("</table></html>")
	pageBody := []byte(page.String())
	regBody := []byte(fmt.Sprintf(`{"registry":%d}`, seed))
	raw := map[string][]byte{shaHex(pageBody): pageBody, shaHex(regBody): regBody}
	url := "https://example.test/leaderboard/" + board
	s := &arenawatch.Snapshot{
		Board:     board,
		FetchedAt: at,
		AsOf:      time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC),
		Origin:    arenawatch.OriginScraped,
		URL:       url,
		Status:    200,
		SHA256:    shaHex(pageBody),
		Documents: []arenawatch.Document{
			{Name: "page", Method: "GET", URL: url, Status: 200, SHA256: shaHex(pageBody), Size: len(pageBody)},
			{Name: "registry", Method: "GET", URL: url + "/registry.json", Status: 200, SHA256: shaHex(regBody), Size: len(regBody)},
		},
		ParserVersion: "test/1",
		Totals:        arenawatch.Totals{Models: n, Votes: 123456},
		Notes:         []string{"read from the fixture"},
		Rows:          rows,
	}
	s.ContentHash = s.ComputeContentHash()
	return s, raw
}

// wantKind fails the test unless err is an *arenawatch.Error of kind k.
func wantKind(t testing.TB, err error, k arenawatch.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want kind %q", k)
	}
	if got := arenawatch.KindOf(err); got != k {
		t.Fatalf("got kind %q (%v), want %q", got, err, k)
	}
}
