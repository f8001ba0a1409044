// Sources through the runner (package scraper): external tests, since the
// runner imports this package. The runner's own tests are in scraper.
package source_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/internal/testutil/fetchopt"
	"github.com/arenawatch/arenawatch/internal/testutil/replaytest"
	"github.com/arenawatch/arenawatch/replay"
	"github.com/arenawatch/arenawatch/scraper"
	"github.com/arenawatch/arenawatch/source"
)

// replayBoards scrapes boards through the real fetcher against the
// fixtures on loopback, with a fixed clock; rec, when set, records the run.
func replayBoards(t *testing.T, boards arenawatch.Boards, rec *replay.Recorder) map[string]scraper.Result {
	t.Helper()
	return replaytest.Scrape(t, boards, func(res scraper.Result) string { return res.Board.ID },
		func(s replaytest.Settings, boards arenawatch.Boards, report func(scraper.Result)) {
			r := &scraper.Runner{Fetcher: s.Fetcher, Now: s.Now, Allow: s.Allow, Rewrite: s.Rewrite, MissingHint: s.MissingHint}
			if rec != nil {
				r.Recorder = rec // a nil *replay.Recorder in the interface would not be nil
			}
			r.Run(context.Background(), boards, report)
		})
}

// TestRunnerNextRequests checks multi-stage sources: a manifest names a
// dated file, and a paged API is followed until its last page.
func TestRunnerNextRequests(t *testing.T) {
	defer source.RegisterForTest("test-paged", source.Extractor{
		Version:  "test/1",
		Requests: []string{"manifest"},
		Next: func(b arenawatch.Board, docs map[string][]byte) ([]arenawatch.Request, error) {
			if _, ok := docs["page-0"]; !ok {
				return []arenawatch.Request{{Name: "page-0", URL: strings.TrimSpace(string(docs["manifest"]))}}, nil
			}
			for i := 0; ; i++ {
				body, ok := docs[fmt.Sprintf("page-%d", i)]
				if !ok {
					return nil, fmt.Errorf("page %d missing", i)
				}
				if _, ok := docs[fmt.Sprintf("page-%d", i+1)]; ok {
					continue
				}
				if strings.HasSuffix(string(body), "last") {
					return nil, nil
				}
				return []arenawatch.Request{{Name: fmt.Sprintf("page-%d", i+1), URL: fmt.Sprintf("/rows?offset=%d", i+1)}}, nil
			}
		},
		Run: func(b arenawatch.Board, docs map[string][]byte) (*source.Extract, error) {
			ex := &source.Extract{}
			for i := 0; ; i++ {
				body, ok := docs[fmt.Sprintf("page-%d", i)]
				if !ok {
					return ex, nil
				}
				ex.Rows = append(ex.Rows, arenawatch.Row{Model: string(body), Score: float64(100 - i)})
			}
		},
	})()
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/manifest":
			io.WriteString(w, "/rows?offset=0\n")
		case "/rows":
			off := r.URL.Query().Get("offset")
			if off == "3" {
				io.WriteString(w, "row-3-last")
				return
			}
			io.WriteString(w, "row-"+off)
		default:
			http.NotFound(w, r)
		}
	}))
	b := arenawatch.Board{ID: "paged", Extractor: "test-paged", Requests: []arenawatch.Request{{Name: "manifest", URL: srv + "/manifest"}}, Limits: arenawatch.Limits{MinRows: 4}}
	res := (&scraper.Runner{Fetcher: fetch.New(fetchopt.Fast())}).Board(context.Background(), b)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	s := res.Snapshot
	if len(s.Rows) != 4 || s.Rows[3].Model != "row-3-last" || len(s.Documents) != 5 || s.Documents[4].URL != srv+"/rows?offset=3" {
		t.Fatalf("rows %+v, documents %+v", s.Rows, s.Documents)
	}
}

// TestHFPaging follows the rows API page by page until num_rows_total,
// also when the server sends shorter pages than asked for.
func TestHFPaging(t *testing.T) {
	tests := []struct {
		name         string
		n, cap, docs int
		rows         int
		cat          func(int) string
	}{
		{"three pages", 250, 100, 3, 250, nil},
		{"short pages", 250, 60, 5, 250, nil},
		{"exactly one page", 100, 100, 1, 100, nil},
		{"other categories skipped", 250, 100, 3, 125, func(i int) string {
			if i%2 == 0 {
				return "coding"
			}
			return "overall"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			split := source.NewHFSplit(tt.n, tt.cap, tt.cat)
			srv := testutil.Server(t, split)
			b := source.HFBoardByID(t, "hf-webdev")
			b.Requests = []arenawatch.Request{{Name: "page-0", URL: srv + "/rows?dataset=lmarena-ai/leaderboard-dataset&config=webdev&split=latest&offset=0&length=100"}}
			res := (&scraper.Runner{Fetcher: fetch.New(fetchopt.Fast())}).Board(context.Background(), b)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			s := res.Snapshot
			if len(s.Rows) != tt.rows || len(s.Documents) != tt.docs {
				t.Fatalf("%d rows from %d documents, want %d from %d", len(s.Rows), len(s.Documents), tt.rows, tt.docs)
			}
			for i, d := range s.Documents {
				want := fmt.Sprintf("%s/rows?dataset=lmarena-ai/leaderboard-dataset&config=webdev&split=latest&offset=%d&length=100", srv, i*tt.cap)
				if d.Name != source.HFPageName(i) || d.URL != want {
					t.Errorf("document %d: %s %s, want %s", i, d.Name, d.URL, want)
				}
			}
			if s.Rows[0].Model != "model-0" && s.Rows[0].Model != "model-1" {
				t.Errorf("first row %+v", s.Rows[0])
			}
		})
	}
}

// TestHFPagingIgnoredOffset: a server that answers every offset with the
// first page fails the board after two requests instead of looping.
func TestHFPagingIgnoredOffset(t *testing.T) {
	var requests int
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		requests++
		w.Write([]byte(source.HFPageJSON(0, 500, source.HFRowJSON("a", 1, "overall", "2026-10-06"), source.HFRowJSON("b", 2, "overall", "2026-10-06"))))
	}))
	b := source.HFBoardByID(t, "hf-webdev")
	b.Requests = []arenawatch.Request{{Name: "page-0", URL: srv + "/rows?config=webdev&split=latest&offset=0&length=100"}}
	res := (&scraper.Runner{Fetcher: fetch.New(fetchopt.Fast())}).Board(context.Background(), b)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "ignores offset") || arenawatch.KindOf(res.Err) != arenawatch.KindDrift || requests != 2 {
		t.Fatalf("%d requests, error %v", requests, res.Err)
	}
}

// TestHFRunnerRecording records a replay of the dataset boards: every
// page is filed under the canonical host and the key replay looks for, so
// a recorded run replays. (Rows and dates are checked in TestRunnerReplay.)
func TestHFRunnerRecording(t *testing.T) {
	var boards arenawatch.Boards
	for id := range source.HFFixturePages {
		boards = append(boards, source.HFBoardByID(t, id))
	}
	rec := &replay.Recorder{Dir: t.TempDir()}
	got := replayBoards(t, boards, rec)
	for id, pages := range source.HFFixturePages {
		res := got[id]
		if res.Err != nil {
			t.Fatalf("%s: %v", id, res.Err)
		}
		for i, d := range res.Snapshot.Documents {
			if string(res.Raw[d.SHA256]) != string(testutil.Fixture(t, pages[i])) {
				t.Errorf("%s: document %d is not fixture %s", id, i, pages[i])
			}
		}
		for _, p := range pages {
			if string(source.ReadFile(t, rec.Dir, p)) != string(testutil.Fixture(t, p)) {
				t.Errorf("recording of %s differs from the fixture", p)
			}
		}
	}
}

// TestRunnerOpenRouterReplay runs the board end to end against the
// fixtures on loopback (manifest and models, then the dated CSV the
// manifest names), records the run, and replays the recording to the same
// snapshot.
func TestRunnerOpenRouterReplay(t *testing.T) {
	rp := replaytest.Fixtures(t)
	board := rp.RewriteBoards(source.OpenRouterBoards())[0]
	if err := source.CheckBoard(board); err != nil {
		t.Fatal(err)
	}
	rec := t.TempDir()
	now := time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC)
	r := &scraper.Runner{Fetcher: fetch.New(fetchopt.Fast()), Now: func() time.Time { return now }, Recorder: &replay.Recorder{Dir: rec}, Allow: rp.Allow}
	res := r.Board(context.Background(), board)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	s := res.Snapshot
	if len(s.Rows) != 51 || s.ParserVersion != source.OpenRouterParserVersion || s.AsOf.Format(time.DateOnly) != "2026-10-07" || len(s.Documents) != 3 {
		t.Fatalf("rows %d parser %s as-of %v documents %+v", len(s.Rows), s.ParserVersion, s.AsOf, s.Documents)
	}
	names := []string{}
	for _, d := range s.Documents {
		names = append(names, d.Name)
		if _, ok := res.Raw[d.SHA256]; !ok || d.Status != 200 {
			t.Errorf("document %s: status %d, raw kept %v", d.Name, d.Status, ok)
		}
	}
	if strings.Join(names, ",") != "manifest,models,csv" || !strings.HasSuffix(s.Documents[2].URL, "/api/v1/datasets/exports/rankings-daily/2026-10-08.csv") {
		t.Errorf("documents %+v", s.Documents)
	}
	if s.Documents[2].SHA256 != "ff93871a882e1a04c41b3c346f09438693eaed8c33f006bc66478a6d98b7a8be" {
		t.Errorf("CSV sha256 %s", s.Documents[2].SHA256)
	}

	rp2, err := replay.Start(rec)
	if err != nil {
		t.Fatal(err)
	}
	defer rp2.Close()
	if h := rp2.Hosts(); len(h) != 1 || h[0] != "openrouter.ai" {
		t.Fatalf("recorded hosts %v: the CSV must be filed under the board's canonical host", h)
	}
	again := (&scraper.Runner{Fetcher: fetch.New(fetchopt.Fast()), Allow: rp2.Allow}).Board(context.Background(), rp2.RewriteBoards(source.OpenRouterBoards())[0])
	if again.Err != nil || again.Snapshot.ContentHash != s.ContentHash {
		t.Fatalf("replay of the recording: %v", again.Err)
	}
}

// TestRunnerOpenRouterShaMismatch serves a CSV that does not match its
// manifest's sha256 and size, as a damaged or cut download would: the board
// fails as transient, says the next run retries, and stores nothing.
func TestRunnerOpenRouterShaMismatch(t *testing.T) {
	manifest, csvBody, models := source.OpenRouterFixtures(t)
	var srv string
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/datasets/exports/rankings-daily/latest.manifest.json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Replace(string(manifest), "https://openrouter.ai", srv, -1)))
	})
	mux.HandleFunc("/api/v1/datasets/exports/rankings-daily/2026-10-08.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Write(append(append([]byte{}, csvBody...), "2026-10-07,evil/model,51,1,0\r\n"...))
	})
	mux.HandleFunc("/api/v1/models", func(w http.ResponseWriter, r *http.Request) { w.Write(models) })
	srv = testutil.Server(t, mux)
	b := source.OpenRouterBoards()[0]
	b.Requests = append([]arenawatch.Request{{Name: "manifest", URL: srv + "/api/v1/datasets/exports/rankings-daily/latest.manifest.json"}}, b.Requests[1:]...)
	res := (&scraper.Runner{Fetcher: fetch.New(fetchopt.Fast())}).Board(context.Background(), b)
	msg, hint := "", arenawatch.HintOf(res.Err)
	if res.Err != nil {
		msg = res.Err.Error()
	}
	if res.Snapshot != nil || arenawatch.KindOf(res.Err) != arenawatch.KindTransient || !strings.HasPrefix(msg, "openrouter-daily-tokens: ") ||
		!strings.Contains(msg, "2026-10-08.csv did not match the manifest's checksum (4182 bytes where the manifest says 4152; sha256 ") ||
		!strings.Contains(msg, "the next run will fetch it again") ||
		!strings.Contains(hint, "next run retries") || strings.Contains(hint, "extractor needs an update") {
		t.Fatalf("snapshot %v, kind %v, error %v, hint %q", res.Snapshot != nil, arenawatch.KindOf(res.Err), res.Err, hint)
	}
}
