package scraper

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
)

const (
	orManifestFixture = "openrouter.ai/api/v1/datasets/exports/rankings-daily/latest.manifest.json/index.json"
	orCSVFixture      = "openrouter.ai/api/v1/datasets/exports/rankings-daily/2026-10-08.csv/index.csv"
	orModelsFixture   = "openrouter.ai/api/v1/models/index.json"
)

func openRouterFixtures(t testing.TB) (manifest, csv, models []byte) {
	t.Helper()
	return fixture(t, orManifestFixture), fixture(t, orCSVFixture), fixture(t, orModelsFixture)
}

// manifestFor rewrites the fixture manifest so that its CSV entry names
// body (sha256 and size): a consistent manifest for a doctored CSV.
func manifestFor(t *testing.T, manifest, body []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	f := m["files"].(map[string]any)["csv"].(map[string]any)
	f["sha256"] = hex.EncodeToString(sum[:])
	f["bytes"] = len(body)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExtractOpenRouterGolden(t *testing.T) {
	ex, err := ExtractOpenRouter(openRouterFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "openrouter-daily-tokens", ex)
}

// TestOpenRouterFacts checks facts read by hand from the fixture files
// (the 2026-10-07 rows of the export, the 2026-04-04 /api/v1/models).
func TestOpenRouterFacts(t *testing.T) {
	ex, err := ExtractOpenRouter(openRouterFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 51 || ex.AsOf.Format(time.DateOnly) != "2026-10-07" {
		t.Fatalf("%d rows as of %v, want 51 as of 2026-10-07", len(ex.Rows), ex.AsOf)
	}
	by := map[string]arenawatch.Row{}
	var share float64
	for _, r := range ex.Rows {
		by[r.Model] = r
		share += r.Metrics["share_of_daily_tokens"]
	}
	if share < 0.99 || share > 1.01 {
		t.Errorf("shares sum to %v", share)
	}
	top := ex.Rows[0]
	if top.Model != "deepseek/deepseek-v4.1-flash-20260910" || top.Rank != 1 || top.Score != 7519183440956 ||
		deref(top.Organization) != "deepseek" || top.Open != nil || top.Name != "" {
		t.Errorf("top row %+v", top)
	}
	tests := []struct {
		slug, name, org string
		open            *bool
		id, hf          string
	}{
		{"google/gemma-4-31b-it-20260402", "Google: Gemma 4 31B", "google", arenawatch.Bool(true), "google/gemma-4-31b-it", "google/gemma-4-31B-it"},
		{"openai/gpt-oss-120b", "OpenAI: gpt-oss-120b", "openai", arenawatch.Bool(true), "openai/gpt-oss-120b", "openai/gpt-oss-120b"},
		{"google/gemini-2.5-flash", "Google: Gemini 2.5 Flash", "google", arenawatch.Bool(false), "google/gemini-2.5-flash", ""},
		// The ":free" variant joins its own listing through the canonical slug.
		{"nvidia/nemotron-3-super-120b-a12b-20230311:free", "NVIDIA: Nemotron 3 Super (free)", "nvidia", arenawatch.Bool(true),
			"nvidia/nemotron-3-super-120b-a12b:free", "nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8"},
		// Not in the April listing: no name, no open flag.
		{"moonshotai/kimi-k3-20260715", "", "moonshotai", nil, "", ""},
		{"z-ai/glm-5.3-20260816", "", "z-ai", nil, "", ""},
	}
	for _, tt := range tests {
		r, ok := by[tt.slug]
		if !ok {
			t.Errorf("%s: missing", tt.slug)
			continue
		}
		openOK := (r.Open == nil) == (tt.open == nil) && (r.Open == nil || *r.Open == *tt.open)
		if r.Name != tt.name || deref(r.Organization) != tt.org || !openOK || r.Extra["openrouter_id"] != tt.id || r.Extra["hugging_face_id"] != tt.hf {
			t.Errorf("%s: %+v (open %v)", tt.slug, r, r.Open)
		}
	}
	other := by[OpenRouterOther]
	if other.Rank != 0 || other.Organization != nil || other.Open != nil || other.Score != 1771712615873 || other.Metrics["share_of_daily_tokens"] != 0.07052741120831148 {
		t.Errorf("other row %+v", other)
	}
	joined := 0
	for _, r := range ex.Rows {
		if r.Open != nil {
			joined++
		}
	}
	if joined != 7 || !strings.Contains(strings.Join(ex.Notes, "\n"), "7 of 50 ranked models joined") {
		t.Errorf("%d joined rows, notes %q", joined, ex.Notes)
	}
}

func TestOpenRouterDrift(t *testing.T) {
	manifest, csvBody, models := openRouterFixtures(t)
	lines := strings.SplitAfter(string(csvBody), "\r\n")
	// rewrite applies f to every data line of the CSV.
	rewrite := func(f func(line string) string) []byte {
		var b strings.Builder
		b.WriteString(lines[0])
		for _, l := range lines[1:] {
			b.WriteString(f(l))
		}
		return []byte(b.String())
	}
	tests := []struct {
		name          string
		manifest, csv string
		models        string
		wantErr       string
		check         func(t *testing.T, ex *Extract)
	}{
		{name: "ShaMismatch", manifest: string(manifest), csv: strings.Replace(string(csvBody), "7519183440956", "7519183440957", 1), models: string(models),
			wantErr: "the manifest says ff93871a882e1a04c41b3c346f09438693eaed8c33f006bc66478a6d98b7a8be"},
		{name: "SizeMismatch", manifest: strings.Replace(string(manifest), `"bytes": 4152`, `"bytes": 4153`, 1), csv: string(csvBody), models: string(models),
			wantErr: "has 4152 bytes, the manifest says 4153"},
		{name: "NoFiles", manifest: `{"dataset":"rankings-daily","snapshot_date":"2026-10-08"}`, csv: string(csvBody), models: string(models),
			wantErr: "manifest names no files"},
		{name: "NoCSVFile", manifest: `{"dataset":"rankings-daily","files":{"json":{"url":"https://openrouter.ai/x.json","sha256":"` + strings.Repeat("a", 64) + `"}}}`,
			csv: string(csvBody), models: string(models), wantErr: "manifest names no CSV file (files: json)"},
		{name: "NoSha", manifest: `{"files":{"csv":{"url":"https://openrouter.ai/x.csv"}}}`, csv: string(csvBody), models: string(models),
			wantErr: "has no valid sha256"},
		{name: "OtherDataset", manifest: strings.Replace(string(manifest), `"dataset": "rankings-daily"`, `"dataset": "benchmark-runs"`, 1), csv: string(csvBody), models: string(models),
			wantErr: `dataset "benchmark-runs"`},
		{name: "ManifestNotJSON", manifest: "<html></html>", csv: string(csvBody), models: string(models), wantErr: "manifest is not the expected JSON"},
		{name: "SharesDoNotSumToOne", csv: string(rewrite(func(l string) string { return strings.Replace(l, ",0.2993197303783515", ",0.1993197303783515", 1) })),
			models: string(models), wantErr: "the shares of 2026-10-07 sum to 0.9000, not 1"},
		{name: "MissingColumns", csv: strings.Replace(string(csvBody), "total_tokens,share_of_daily_tokens", "tokens,share", 1), models: string(models),
			wantErr: `lacks the column(s) total_tokens, share_of_daily_tokens (header: "date", "model_permaslug", "rank", "tokens", "share")`},
		{name: "BadRank", csv: strings.Replace(string(csvBody), "-20260910,1,", "-20260910,first,", 1), models: string(models),
			wantErr: `CSV line 2 (deepseek/deepseek-v4.1-flash-20260910): rank "first"`},
		{name: "BadShare", csv: strings.Replace(string(csvBody), ",0.2993197303783515", ",29.9%", 1), models: string(models),
			wantErr: `share_of_daily_tokens "29.9%"`},
		{name: "HeaderOnly", csv: lines[0], models: string(models), wantErr: "header but no rows"},
		{name: "ModelsNotJSON", csv: string(csvBody), models: "<html>rate limited</html>", wantErr: "/api/v1/models is not the expected JSON"},
		{name: "ModelsWithoutData", csv: string(csvBody), models: `{"error":{"code":500}}`, wantErr: `no "data" array`},
		{name: "NewestDateOnly",
			// The export carries 30 days: an older day with other numbers
			// must not leak into the snapshot.
			csv:    lines[0] + strings.Join(lines[1:], "") + strings.ReplaceAll(strings.Join(lines[1:], ""), "2026-10-07,", "2026-10-06,"),
			models: string(models),
			check: func(t *testing.T, ex *Extract) {
				if len(ex.Rows) != 51 || ex.AsOf.Format(time.DateOnly) != "2026-10-07" || !strings.Contains(ex.Notes[0], "(2 dates, 102 rows") {
					t.Errorf("%d rows as of %v, notes %q", len(ex.Rows), ex.AsOf, ex.Notes)
				}
			}},
		{name: "OlderDayFirstInFile",
			csv: lines[0] + strings.ReplaceAll(strings.Join(lines[1:], ""), "2026-10-07,", "2026-10-08,") +
				strings.ReplaceAll(strings.Join(lines[1:3], ""), "2026-10-07,", "2026-10-09,"),
			models:  string(models),
			wantErr: "the shares of 2026-10-09 sum to 0.3680", // a partial newest day is drift, never a thin snapshot
		},
		{name: "LFLineEndings", csv: strings.ReplaceAll(string(csvBody), "\r\n", "\n"), models: string(models),
			check: func(t *testing.T, ex *Extract) {
				if len(ex.Rows) != 51 {
					t.Errorf("%d rows", len(ex.Rows))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := []byte(tt.manifest)
			if tt.manifest == "" {
				m = manifestFor(t, manifest, []byte(tt.csv))
			}
			ex, err := ExtractOpenRouter(m, []byte(tt.csv), []byte(tt.models))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
				}
				if k := arenawatch.KindOf(err); k != arenawatch.KindDrift {
					t.Fatalf("kind %v, want markup drift", k)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, ex)
		})
	}
}

func TestOpenRouterNext(t *testing.T) {
	manifest := fixture(t, orManifestFixture)
	b := openRouterBoards()[0]
	reqs, err := openRouterNext(b, map[string][]byte{"manifest": manifest})
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Name != "csv" || reqs[0].URL != "2026-10-08.csv" {
		t.Fatalf("requests %+v: want the dated CSV beside the manifest", reqs)
	}
	if reqs, err := openRouterNext(b, map[string][]byte{"manifest": manifest, "csv": []byte("x")}); err != nil || reqs != nil {
		t.Fatalf("after the CSV: %+v %v", reqs, err)
	}
	if _, err := openRouterNext(b, map[string][]byte{"manifest": []byte(`{"dataset":"rankings-daily"}`)}); arenawatch.KindOf(err) != arenawatch.KindDrift {
		t.Fatalf("manifest without files: %v", err)
	}
	tests := []struct{ base, ref, want string }{
		{"https://openrouter.ai/api/v1/datasets/exports/rankings-daily/latest.manifest.json",
			"https://openrouter.ai/api/v1/datasets/exports/rankings-daily/2026-10-08.csv", "2026-10-08.csv"},
		{"https://openrouter.ai/api/v1/datasets/exports/rankings-daily/latest.manifest.json",
			"https://openrouter.ai/api/v1/datasets/exports/archive/2026-10-08.csv?v=2", "/api/v1/datasets/exports/archive/2026-10-08.csv?v=2"},
		{"https://openrouter.ai/api/v1/datasets/exports/rankings-daily/latest.manifest.json",
			"https://cdn.example/rankings-daily/2026-10-08.csv", "https://cdn.example/rankings-daily/2026-10-08.csv"},
		{"https://openrouter.ai/a/latest.manifest.json", "2026-10-08.csv", "2026-10-08.csv"},
		{"https://openrouter.ai/a/latest.manifest.json", "https://openrouter.ai/a/x:1.csv", "./x:1.csv"},
	}
	for _, tt := range tests {
		if got := relativeTo(tt.base, tt.ref); got != tt.want {
			t.Errorf("relativeTo(%s, %s) = %s, want %s", tt.base, tt.ref, got, tt.want)
		}
	}
}

// TestRunnerOpenRouterReplay runs the board end to end against the
// fixtures on loopback (manifest and models, then the dated CSV the
// manifest names), records the run, and replays the recording to the same
// snapshot.
func TestRunnerOpenRouterReplay(t *testing.T) {
	rp := replayFixtures(t)
	board := rp.RewriteBoards(openRouterBoards())[0]
	if err := CheckBoard(board); err != nil {
		t.Fatal(err)
	}
	rec := t.TempDir()
	now := time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC)
	r := &Runner{Fetcher: NewFetcher(testOptions()), Now: func() time.Time { return now }, Recorder: &Recorder{Dir: rec}, Allow: rp.Allow}
	res := r.Board(context.Background(), board)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	s := res.Snapshot
	if len(s.Rows) != 51 || s.ParserVersion != OpenRouterParserVersion || s.AsOf.Format(time.DateOnly) != "2026-10-07" || len(s.Documents) != 3 {
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

	rp2, err := StartReplay(rec)
	if err != nil {
		t.Fatal(err)
	}
	defer rp2.Close()
	if h := rp2.Hosts(); len(h) != 1 || h[0] != "openrouter.ai" {
		t.Fatalf("recorded hosts %v: the CSV must be filed under the board's canonical host", h)
	}
	again := (&Runner{Fetcher: NewFetcher(testOptions()), Allow: rp2.Allow}).Board(context.Background(), rp2.RewriteBoards(openRouterBoards())[0])
	if again.Err != nil || again.Snapshot.ContentHash != s.ContentHash {
		t.Fatalf("replay of the recording: %v", again.Err)
	}
}

// TestRunnerOpenRouterShaMismatch serves a manifest whose sha256 does not
// match the CSV: the board fails as markup drift and stores nothing.
func TestRunnerOpenRouterShaMismatch(t *testing.T) {
	manifest, csvBody, models := openRouterFixtures(t)
	var srv string
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/datasets/exports/rankings-daily/latest.manifest.json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Replace(string(manifest), "https://openrouter.ai", srv, -1)))
	})
	mux.HandleFunc("/api/v1/datasets/exports/rankings-daily/2026-10-08.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Write(append(append([]byte{}, csvBody...), "2026-10-07,evil/model,51,1,0\r\n"...))
	})
	mux.HandleFunc("/api/v1/models", func(w http.ResponseWriter, r *http.Request) { w.Write(models) })
	srv = newServer(t, mux)
	b := openRouterBoards()[0]
	b.Requests = append([]arenawatch.Request{{Name: "manifest", URL: srv + "/api/v1/datasets/exports/rankings-daily/latest.manifest.json"}}, b.Requests[1:]...)
	res := (&Runner{Fetcher: NewFetcher(testOptions())}).Board(context.Background(), b)
	if res.Snapshot != nil || arenawatch.KindOf(res.Err) != arenawatch.KindDrift || !strings.Contains(res.Err.Error(), "the manifest says") ||
		!strings.HasPrefix(res.Err.Error(), "openrouter-daily-tokens: ") {
		t.Fatalf("snapshot %v, error %v", res.Snapshot != nil, res.Err)
	}
}

func BenchmarkExtractOpenRouter(b *testing.B) {
	manifest, csvBody, models := openRouterFixtures(b)
	b.SetBytes(int64(len(manifest) + len(csvBody) + len(models)))
	for b.Loop() {
		if _, err := ExtractOpenRouter(manifest, csvBody, models); err != nil {
			b.Fatal(err)
		}
	}
}
