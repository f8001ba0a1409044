package scraper

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/internal/testutil/fetchopt"
	"github.com/arenawatch/arenawatch/internal/testutil/replaytest"
	"github.com/arenawatch/arenawatch/replay"
	"github.com/arenawatch/arenawatch/source"
)

// arenaTextFixture is the replayed page of arena-text.
const arenaTextFixture = "arena.ai/leaderboard/text/index.html"

// builtin returns a copy of the built-in board id, safe to change.
func builtin(t *testing.T, id string) arenawatch.Board {
	t.Helper()
	b, ok := source.Builtin().Get(id)
	if !ok {
		t.Fatalf("no built-in board %s", id)
	}
	b.Requests = slices.Clone(b.Requests)
	b.Params = maps.Clone(b.Params)
	return b
}

// replayBoards scrapes boards through the real fetcher against the
// fixtures on loopback, with a fixed clock; rec, when set, records the run.
func replayBoards(t *testing.T, boards arenawatch.Boards, rec *replay.Recorder) map[string]Result {
	t.Helper()
	return replaytest.Scrape(t, boards, func(res Result) string { return res.Board.ID },
		func(s replaytest.Settings, boards arenawatch.Boards, report func(Result)) {
			r := &Runner{Fetcher: s.Fetcher, Now: s.Now, Allow: s.Allow, Rewrite: s.Rewrite, MissingHint: s.MissingHint}
			if rec != nil {
				r.Recorder = rec // a nil *replay.Recorder in the interface would not be nil
			}
			r.Run(context.Background(), boards, report)
		})
}

// replayed is what each board with a fixture must give: rows, parser, the
// source's own date ("-" when it states none) and the documents read. The
// figures come from each fixture's provenance notes (fixtures/README.md and
// fixtures/<host>/SOURCES.md), not from this code.
var replayed = map[string]struct {
	rows   int
	parser string
	asOf   string
	docs   int
}{
	"arena-text":                           {214, source.ArenaParserVersion, "2025-11-06", 1},
	"arena-text-raw":                       {214, source.ArenaParserVersion, "2025-11-06", 1},
	"arena-text-coding":                    {278, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-coding-raw":                {278, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-math":                      {274, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-math-raw":                  {274, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-creative-writing":          {281, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-creative-writing-raw":      {281, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-hard-prompts":              {282, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-hard-prompts-raw":          {282, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-instruction-following":     {282, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-instruction-following-raw": {282, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-longer-query":              {261, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-chinese":                   {258, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-english":                   {282, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-french":                    {174, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-german":                    {208, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-japanese":                  {176, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-korean":                    {173, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-russian":                   {247, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-text-spanish":                   {179, source.ArenaParserVersion, "2025-12-17", 1},
	"arena-webdev":                         {121, source.ArenaParserVersion, "2026-08-30", 1},
	"arena-vision":                         {87, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-to-image":                  {34, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-longer-query-raw":          {261, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-chinese-raw":               {258, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-english-raw":               {282, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-french-raw":                {174, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-german-raw":                {208, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-japanese-raw":              {176, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-korean-raw":                {173, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-russian-raw":               {247, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-text-spanish-raw":               {179, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-vision-raw":                     {87, source.ArenaParserVersion, "2025-12-11", 1},
	"arena-image-edit":                     {53, source.ArenaParserVersion, "2026-08-25", 1},
	"arena-search":                         {34, source.ArenaParserVersion, "2026-08-24", 1},
	"arena-document":                       {39, source.ArenaParserVersion, "2026-07-26", 1},
	"arena-text-to-video":                  {46, source.ArenaParserVersion, "2026-08-25", 1},
	"arena-image-to-video":                 {46, source.ArenaParserVersion, "2026-08-25", 1},
	"designarena-website":                  {176, source.DesignArenaParserVersion, "2026-09-15", 2},
	"designarena-agents-webapps":           {34, source.DesignArenaParserVersion, "-", 2},
	"designarena-agents-fullstack":         {30, source.DesignArenaParserVersion, "-", 2},
	"openlm-arena":                         {297, source.OpenLMParserVersion, "-", 1},
	"swebench-verified":                    {178, source.SWEBenchParserVersion, "-", 1},
	"swebench-lite":                        {84, source.SWEBenchParserVersion, "-", 1},
	"swebench-test":                        {24, source.SWEBenchParserVersion, "-", 1},
	"swebench-multimodal":                  {22, source.SWEBenchParserVersion, "-", 1},
	"swebench-multilingual":                {13, source.SWEBenchParserVersion, "-", 1},
	"swebench-bash-only":                   {46, source.SWEBenchParserVersion, "-", 1},
	"aider-polyglot":                       {69, source.AiderParserVersion, "2025-11-20", 1},
	"livebench":                            {127, source.LiveBenchParserVersion, "2026-01-08", 4},
	"bfcl":                                 {109, source.BFCLParserVersion, "-", 1},
	"bfcl-live":                            {109, source.BFCLParserVersion, "-", 2},
	"bfcl-non-live":                        {109, source.BFCLParserVersion, "-", 2},
	"bfcl-multi-turn":                      {109, source.BFCLParserVersion, "-", 2},
	"bfcl-agentic":                         {109, source.BFCLParserVersion, "-", 2},
	"sciarena":                             {38, source.SciArenaParserVersion, "-", 1},
	"openrouter-daily-tokens":              {51, source.OpenRouterParserVersion, "2026-10-07", 3},
	"hf-text":                              {223, source.HFParserVersion, "2025-11-09", 3},
	"hf-text-raw":                          {265, source.HFParserVersion, "2025-08-04", 3},
	"hf-vision":                            {86, source.HFParserVersion, "2025-08-04", 1},
	"hf-webdev":                            {12, source.HFParserVersion, "2026-10-06", 1},
	"aa-intelligence":                      {25, source.ArtificialAnalysisParserVersion, "-", 1},
	"aa-coding":                            {25, source.ArtificialAnalysisParserVersion, "-", 1},
}

// TestRunnerReplay runs every built-in board that has a fixture through
// the real fetcher against the fixtures on loopback, and checks that every
// default board is among them: a board scraped by default must replay.
func TestRunnerReplay(t *testing.T) {
	var boards arenawatch.Boards
	for _, b := range source.Builtin() {
		if _, ok := replayed[b.ID]; ok {
			boards = append(boards, b)
		} else if !b.Optional {
			t.Errorf("default board %s has no fixture", b.ID)
		}
	}
	got := replayBoards(t, boards, nil)
	if len(got) != len(replayed) {
		t.Fatalf("got %d results, want %d (a board in the table is not built in?)", len(got), len(replayed))
	}
	for id, w := range replayed {
		res := got[id]
		if res.Err != nil {
			t.Errorf("%s: %v", id, res.Err)
			continue
		}
		s := res.Snapshot
		if res.MovedFrom != "" {
			t.Errorf("%s: read at %s, moved from %s; every fixture is at the board's own URL", id, s.URL, res.MovedFrom)
		}
		asOf := "-"
		if !s.AsOf.IsZero() {
			asOf = s.AsOf.Format(time.DateOnly)
		}
		if len(s.Rows) != w.rows || s.ParserVersion != w.parser || asOf != w.asOf || len(s.Documents) != w.docs {
			t.Errorf("%s: rows %d parser %s as-of %s docs %d; want %+v", id, len(s.Rows), s.ParserVersion, asOf, len(s.Documents), w)
		}
		if !s.FetchedAt.Equal(replaytest.Now) || s.ContentHash == "" || s.ContentHash != s.ComputeContentHash() {
			t.Errorf("%s: fetched-at %v, content hash %q", id, s.FetchedAt, s.ContentHash)
		}
		for _, d := range s.Documents {
			if _, ok := res.Raw[d.SHA256]; !ok || d.Status != 200 {
				t.Errorf("%s: document %s: status %d, raw kept %v", id, d.Name, d.Status, ok)
			}
			if !strings.HasPrefix(d.URL, "https://") {
				t.Errorf("%s: document %s recorded as %s, not the URL it stands for", id, d.Name, d.URL)
			}
		}
	}
	if lb := got["livebench"].Snapshot; lb != nil {
		var names []string
		for _, d := range lb.Documents {
			names = append(names, d.Name+" "+d.URL[strings.LastIndexByte(d.URL, '/'):])
		}
		if j := strings.Join(names, ", "); j != "page /, bundle /main.b0448181.js, table /table_2026_01_08.csv, categories /categories_2026_01_08.json" {
			t.Errorf("livebench documents: %s", j)
		}
	}
}

// TestReplayMissingFixture: a request the replay directory has no file
// for fails naming the page it stands for, with the file to add: index.*
// for a plain GET, <key>.* for a POST body.
func TestReplayMissingFixture(t *testing.T) {
	page := builtin(t, "arena-text")
	page.ID, page.Params["style"] = "arena-never", ""
	page.Requests[0].URL, page.Requests[0].Alternates = "https://arena.ai/leaderboard/never-recorded", nil
	post := builtin(t, "designarena-website")
	post.ID, post.Params["category"] = "designarena-never", "never-recorded"
	post.Requests[0].Body = `{"arenaType":"models","category":"never-recorded","variationName":"public","inputModality":"text"}`
	key := replay.ExchangeKey("", []byte(post.Requests[0].Body))
	got := replayBoards(t, arenawatch.Boards{page, post}, nil)
	for _, c := range []struct{ id, url, file string }{
		{"arena-never", "https://arena.ai/leaderboard/never-recorded (replayed from http://127.0.0.1:", "/index.<ext>"},
		{"designarena-never", "https://www.designarena.ai/api/leaderboard (replayed from http://127.0.0.1:", "/" + key + ".<ext>"},
	} {
		err := got[c.id].Err
		if err == nil || !strings.Contains(err.Error(), c.url) || arenawatch.KindOf(err) != arenawatch.KindNotFound ||
			!strings.Contains(arenawatch.HintOf(err), "<path>"+c.file) || !strings.Contains(arenawatch.HintOf(err), "--record") {
			t.Errorf("%s: error %v, hint %q", c.id, err, arenawatch.HintOf(err))
		}
	}
}

// TestRunnerMovedPage: a board whose URL answers 404 is read from its
// alternate URLs in order; the snapshot names the URL that answered and
// says the page moved. When none answers, the error names every URL.
func TestRunnerMovedPage(t *testing.T) {
	page := testutil.Fixture(t, arenaTextFixture)
	var hits []string
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			mu.Lock()
			hits = append(hits, r.URL.Path)
			mu.Unlock()
		}
		if r.URL.Path == "/leaderboard/chat/text" {
			w.Write(page)
			return
		}
		http.NotFound(w, r)
	})
	srv := testutil.Server(t, mux)
	board := func(main string, alts ...string) arenawatch.Board {
		b, _ := source.Builtin().Get("arena-text")
		b.Requests = []arenawatch.Request{{Name: "page", URL: srv + main}}
		for _, a := range alts {
			b.Requests[0].Alternates = append(b.Requests[0].Alternates, srv+a)
		}
		return b
	}
	r := &Runner{Fetcher: fetch.New(fetchopt.Fast())}

	res := r.Board(context.Background(), board("/leaderboard/text", "/leaderboard/gone", "/leaderboard/chat/text", "/never"))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	s := res.Snapshot
	if s.URL != srv+"/leaderboard/chat/text" || s.Documents[0].URL != srv+"/leaderboard/chat/text" || len(s.Rows) != 214 ||
		res.MovedFrom != srv+"/leaderboard/text" {
		t.Errorf("snapshot URL %s, document %s, %d rows, moved from %q", s.URL, s.Documents[0].URL, len(s.Rows), res.MovedFrom)
	}
	if len(s.Notes) == 0 || s.Notes[0] != srv+"/leaderboard/text, "+srv+"/leaderboard/gone answered not found; read the same board at "+srv+"/leaderboard/chat/text (the site moved it)" {
		t.Errorf("notes %q", s.Notes)
	}
	if got := strings.Join(hits, " "); got != "/leaderboard/text /leaderboard/gone /leaderboard/chat/text" {
		t.Errorf("requests %s: alternates are tried in order, and only until one answers", got)
	}

	res = r.Board(context.Background(), board("/a", "/b"))
	if k := arenawatch.KindOf(res.Err); k != arenawatch.KindNotFound || res.Snapshot != nil ||
		!strings.Contains(res.Err.Error(), "not found at any of its URLs ("+srv+"/a, "+srv+"/b)") ||
		!strings.Contains(arenawatch.HintOf(res.Err), "--url") {
		t.Errorf("kind %v, error %v, hint %q", k, res.Err, arenawatch.HintOf(res.Err))
	}
}

// TestReplayMovedPage: in a replay, an alternate URL is served by the
// fixtures too, and the snapshot names the alternate's real URL.
func TestReplayMovedPage(t *testing.T) {
	b := builtin(t, "arena-text")
	b.ID = "arena-moved"
	b.Requests[0].URL, b.Requests[0].Alternates = "https://arena.ai/leaderboard/never-recorded", []string{"https://arena.ai/leaderboard/text"}
	res := replayBoards(t, arenawatch.Boards{b}, nil)["arena-moved"]
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.Snapshot.URL != "https://arena.ai/leaderboard/text" || res.Snapshot.Documents[0].URL != "https://arena.ai/leaderboard/text" {
		t.Errorf("snapshot URL %s, document %s", res.Snapshot.URL, res.Snapshot.Documents[0].URL)
	}
	if !strings.HasPrefix(res.Snapshot.Notes[0], "https://arena.ai/leaderboard/never-recorded answered not found") {
		t.Errorf("notes %q", res.Snapshot.Notes)
	}
}

// TestRunnerFailures checks that each failing page gives its own clear
// error naming the board and URL, and no snapshot.
func TestRunnerFailures(t *testing.T) {
	page := string(testutil.Fixture(t, arenaTextFixture))
	challenge := testutil.Fixture(t, "blocked/cloudflare-challenge.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/challenge", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write(challenge)
	})
	mux.HandleFunc("/few", func(w http.ResponseWriter, r *http.Request) {
		stream, _, _ := source.FlightStream([]byte(page))
		// Keep the first three entries of the text board only.
		at := strings.Index(stream, `"arenaSlug":"text"`)
		i := at + strings.Index(stream[at:], `"entries":[`) + len(`"entries":[`)
		j := i
		// Every entry of the text board ends with its licence.
		for k := 0; k < 3; k++ {
			j += strings.Index(stream[j:], `"license":`)
			j += strings.Index(stream[j:], "}") + 2
		}
		w.Write(testutil.FlightPage(t, stream[:j-1]+"]}}]\n", 500, ""))
	})
	mux.HandleFunc("/cut", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, page[:len(page)/2])
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>caf\xe9</body></html>"))
	})
	srv := testutil.Server(t, mux)
	board := func(path string) arenawatch.Board {
		b, _ := source.Builtin().Get("arena-text")
		b.Requests = []arenawatch.Request{{Name: "page", URL: srv + path}}
		return b
	}
	tests := []struct {
		path    string
		kind    arenawatch.Kind
		wantErr string
	}{
		{"/challenge", arenawatch.KindBlocked, "Cloudflare challenge"},
		{"/few", arenawatch.KindDrift, "too few rows: 3, want at least 20"},
		{"/cut", arenawatch.KindTransient, "ends before </html>"},
		{"/latin1", arenawatch.KindDrift, "not valid UTF-8"},
		{"/missing", arenawatch.KindNotFound, "HTTP 404"},
	}
	r := &Runner{Fetcher: fetch.New(fetchopt.Fast())}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.path, "/"), func(t *testing.T) {
			res := r.Board(context.Background(), board(tt.path))
			if res.Err == nil || res.Snapshot != nil {
				t.Fatalf("want failure, got snapshot %v err %v", res.Snapshot != nil, res.Err)
			}
			msg := res.Err.Error()
			if !strings.Contains(msg, tt.wantErr) || !strings.HasPrefix(msg, "arena-text: "+srv+tt.path) {
				t.Fatalf("error %q: want board, URL and %q", msg, tt.wantErr)
			}
			if k := arenawatch.KindOf(res.Err); k != tt.kind {
				t.Fatalf("kind %v, want %v", k, tt.kind)
			}
		})
	}
}

// TestRecordThenReplay records a run against a live (loopback) site with
// a paged GET API and POST bodies, then replays the recording and gets the
// same bodies back for the same requests.
func TestRecordThenReplay(t *testing.T) {
	// A server of its own, not testutil.Server: the test closes it halfway.
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"path":%q,"query":%q,"body":%q}`, r.URL.Path, r.URL.RawQuery, body)
	}))
	srv := live.URL
	reqs := []arenawatch.Request{
		{Name: "page", Method: "GET", URL: srv + "/rows?offset=0&length=100&dataset=a/b"},
		{Name: "page", Method: "GET", URL: srv + "/rows?dataset=a/b&length=100&offset=100"},
		{Name: "page", Method: "POST", URL: srv + "/api/leaderboard", Body: `{"category":"website"}`, ContentType: "application/json"},
		{Name: "page", Method: "POST", URL: srv + "/api/leaderboard", Body: `{"category":"svg"}`, ContentType: "application/json"},
		{Name: "page", Method: "GET", URL: srv + "/api/registry"},
	}
	dir := t.TempDir()
	r := &Runner{Fetcher: fetch.New(fetchopt.Fast()), Recorder: &replay.Recorder{Dir: dir}}
	var want [][]byte
	for _, q := range reqs {
		resp, err := r.fetch(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, resp.Body)
	}
	live.Close() // from here on only the recording can answer
	rp, err := replay.Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	replayer := &Runner{Fetcher: fetch.New(fetchopt.Fast())}
	for i, q := range reqs {
		if q.URL = rp.Rewrite(q.URL); strings.HasPrefix(q.URL, srv) {
			t.Fatalf("replay did not take over %s (hosts %v)", q.URL, rp.Hosts())
		}
		resp, err := replayer.fetch(context.Background(), q)
		if err != nil {
			t.Fatalf("replay %s: %v", q.URL, err)
		}
		if string(resp.Body) != string(want[i]) {
			t.Errorf("request %d replayed %s, recorded %s", i, resp.Body, want[i])
		}
	}
}

// TestJSONServedAsHTML: servers label JSON text/html; such a body is read
// as JSON, not called an HTML page "truncated in transit".
func TestJSONServedAsHTML(t *testing.T) {
	body := testutil.Fixture(t, "sciarena.allen.ai/api/leaderboard/index.json")
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/leaderboard" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	}))
	b, _ := source.Builtin().Get("sciarena")
	b.Requests = []arenawatch.Request{{Name: "page", URL: srv + "/api/leaderboard"}}
	res := (&Runner{Fetcher: fetch.New(fetchopt.Fast())}).Board(context.Background(), b)
	if res.Err != nil || len(res.Snapshot.Rows) != 38 {
		t.Fatalf("error %v", res.Err)
	}
}
