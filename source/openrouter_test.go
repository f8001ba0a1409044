package source

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

const (
	orManifestFixture = "openrouter.ai/api/v1/datasets/exports/rankings-daily/latest.manifest.json/index.json"
	orCSVFixture      = "openrouter.ai/api/v1/datasets/exports/rankings-daily/2026-10-08.csv/index.csv"
	orModelsFixture   = "openrouter.ai/api/v1/models/index.json"
)

func openRouterFixtures(t testing.TB) (manifest, csv, models []byte) {
	t.Helper()
	return testutil.Fixture(t, orManifestFixture), testutil.Fixture(t, orCSVFixture), testutil.Fixture(t, orModelsFixture)
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
	testutil.Golden(t, "testdata/golden/"+"openrouter-daily-tokens"+".json", ex)
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
	other := by[arenawatch.AggregateModel]
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
		wantKind      arenawatch.Kind // markup drift when zero
		check         func(t *testing.T, ex *Extract)
	}{
		// A download that does not match the manifest is damaged or
		// incomplete: transient, retried by the next run, never data.
		{name: "ShaMismatch", manifest: string(manifest), csv: strings.Replace(string(csvBody), "7519183440956", "7519183440957", 1), models: string(models),
			wantKind: arenawatch.KindTransient,
			wantErr:  "did not match the manifest's checksum (sha256 fa921fc73398f2931ef102d77a2a31619c008bdd88a33c8a68a64fdf610e4dee where the manifest says ff93871a"},
		{name: "Truncated", manifest: string(manifest), csv: string(csvBody[:len(csvBody)-100]), models: string(models),
			wantKind: arenawatch.KindTransient,
			wantErr:  "did not match the manifest's checksum (4052 bytes where the manifest says 4152; sha256 "},
		{name: "SizeMismatch", manifest: strings.Replace(string(manifest), `"bytes": 4152`, `"bytes": 4153`, 1), csv: string(csvBody), models: string(models),
			wantKind: arenawatch.KindTransient,
			wantErr:  "(4152 bytes where the manifest says 4153): a damaged or incomplete download"},
		{name: "SizeMalformed", manifest: strings.Replace(string(manifest), `"bytes": 4152`, `"bytes": "about 4 KB"`, 1), csv: string(csvBody), models: string(models),
			check: func(t *testing.T, ex *Extract) {
				if len(ex.Rows) != 51 {
					t.Errorf("%d rows: the sha256 alone checks the file", len(ex.Rows))
				}
			}},
		{name: "NoFiles", manifest: `{"dataset":"rankings-daily","snapshot_date":"2026-10-08"}`, csv: string(csvBody), models: string(models),
			wantErr: "manifest names no files"},
		{name: "NoCSVFile", manifest: `{"dataset":"rankings-daily","files":{"json":{"url":"https://openrouter.ai/x.json","sha256":"` + strings.Repeat("a", 64) + `"}}}`,
			csv: string(csvBody), models: string(models), wantErr: "manifest names no CSV file (manifest.files.csv: missing; files: json)"},
		{name: "NoSha", manifest: `{"files":{"csv":{"url":"https://openrouter.ai/x.csv"}}}`, csv: string(csvBody), models: string(models),
			wantErr: "manifest.files.csv.sha256: missing (a field the answer needs)"},
		{name: "BadSha", manifest: `{"files":{"csv":{"url":"https://openrouter.ai/x.csv","sha256":"ff93"}}}`, csv: string(csvBody), models: string(models),
			wantErr: `manifest.files.csv.sha256 of https://openrouter.ai/x.csv is not a sha256 hex digest ("ff93")`},
		{name: "ShaNotText", manifest: `{"files":{"csv":{"url":"https://openrouter.ai/x.csv","sha256":{"hex":"ff93"}}}}`, csv: string(csvBody), models: string(models),
			wantErr: `manifest.files.csv.sha256: want a string`},
		{name: "FilesNotAnObject", manifest: `{"files":["x.csv"]}`, csv: string(csvBody), models: string(models),
			wantErr: `manifest.files: not a JSON object`},
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
		{name: "ModelWithoutID", csv: string(csvBody), models: strings.Replace(string(models), `"id":"google/gemma-4-26b-a4b-it"`, `"model":"google/gemma-4-26b-a4b-it"`, 1),
			wantErr: `/api/v1/models data[0].id: missing (a field the answer needs)`},
		// A model that no ranked row joins is not read beyond its keys.
		{name: "UnjoinedModelWithoutHFID", csv: string(csvBody), models: strings.Replace(string(models), `"hugging_face_id":"zai-org/GLM-5",`, ``, 1),
			check: func(t *testing.T, ex *Extract) {
				if len(ex.Rows) != 51 {
					t.Errorf("%d rows", len(ex.Rows))
				}
			}},
		{name: "JoinedModelWithoutHFID", csv: string(csvBody), models: strings.Replace(string(models), `"id":"openai/gpt-oss-120b","canonical_slug":"openai/gpt-oss-120b","hugging_face_id":"openai/gpt-oss-120b",`,
			`"id":"openai/gpt-oss-120b","canonical_slug":"openai/gpt-oss-120b",`, 1),
			wantErr: `(openai/gpt-oss-120b): hugging_face_id: missing (a field the answer needs: it is the open-weights hint)`},
		{name: "JoinedModelHFIDNotText", csv: string(csvBody), models: strings.Replace(string(models), `"id":"openai/gpt-oss-120b","canonical_slug":"openai/gpt-oss-120b","hugging_face_id":"openai/gpt-oss-120b"`,
			`"id":"openai/gpt-oss-120b","canonical_slug":"openai/gpt-oss-120b","hugging_face_id":true`, 1),
			wantErr: `hugging_face_id: want a string, got true`},
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
				if k := arenawatch.KindOf(err); k != cmp.Or(tt.wantKind, arenawatch.KindDrift) {
					t.Fatalf("kind %v, want %v", k, cmp.Or(tt.wantKind, arenawatch.KindDrift))
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

// TestOpenRouterTolerance: every field of the manifest and of
// /api/v1/models that the extractor ignores may change type or disappear
// without failing the board; a needed one that disappears fails it, naming
// the field.
func TestOpenRouterTolerance(t *testing.T) {
	manifest, csvBody, models := openRouterFixtures(t)
	rows := func(m, c, l []byte) (int, error) {
		ex, err := ExtractOpenRouter(m, c, l)
		if err != nil {
			return 0, err
		}
		return len(ex.Rows), nil
	}
	t.Run("Manifest", func(t *testing.T) {
		checkTolerance(t, tolerance{
			body:    manifest,
			extract: func(body []byte) (int, error) { return rows(body, csvBody, models) },
			needed:  []string{"files", "csv", "url", "sha256"},
			ignored: []string{"dataset", "schema_version", "snapshot_date", "retrieved_at", "row_count", "update_cadence",
				"license", "name", "attribution", "readme_url", "encoding_format", "bytes", "json", "latest", "manifest"},
		})
	})
	t.Run("Models", func(t *testing.T) {
		checkTolerance(t, tolerance{
			body:    models,
			extract: func(body []byte) (int, error) { return rows(manifest, csvBody, body) },
			needed:  []string{"data", "id", "canonical_slug", "hugging_face_id"},
			ignored: []string{"name", "created", "description", "context_length", "architecture", "pricing", "top_provider",
				"per_request_limits", "supported_parameters", "default_parameters", "knowledge_cutoff", "expiration_date"},
		})
	})
}

// TestOpenRouterCSVTolerance: the CSV's columns are found by header name,
// so added or reordered columns change nothing, while a needed column that
// disappears fails the board, naming it.
func TestOpenRouterCSVTolerance(t *testing.T) {
	manifest, csvBody, models := openRouterFixtures(t)
	want, err := ExtractOpenRouter(manifest, csvBody, models)
	if err != nil {
		t.Fatal(err)
	}
	// columns rewrites every line of the CSV: f gets a line's cells (the
	// header first) and returns the new ones.
	columns := func(f func(cells []string) []string) []byte {
		var b strings.Builder
		for _, line := range strings.SplitAfter(string(csvBody), "\r\n") {
			if line == "" {
				continue
			}
			b.WriteString(strings.Join(f(strings.Split(strings.TrimSuffix(line, "\r\n"), ",")), ",") + "\r\n")
		}
		return []byte(b.String())
	}
	tests := []struct {
		name    string
		csv     []byte
		wantErr string
	}{
		{name: "ColumnAdded", csv: columns(func(c []string) []string {
			v := "model_author"
			if c[0] != "date" {
				v = strings.SplitN(c[1], "/", 2)[0]
			}
			return append(c[:2:2], append([]string{v}, c[2:]...)...)
		})},
		{name: "ColumnsReordered", csv: columns(func(c []string) []string { return []string{c[4], c[3], c[2], c[1], c[0]} })},
	}
	for i, col := range openRouterColumns {
		tests = append(tests, struct {
			name    string
			csv     []byte
			wantErr string
		}{name: "Without_" + col, wantErr: "lacks the column(s) " + col, csv: columns(func(c []string) []string {
			return append(append([]string{}, c[:i]...), c[i+1:]...)
		})})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractOpenRouter(manifestFor(t, manifest, tt.csv), tt.csv, models)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || arenawatch.KindOf(err) != arenawatch.KindDrift {
					t.Fatalf("error %v, want markup drift containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ex.Rows, want.Rows) {
				t.Errorf("rows differ from the unchanged CSV's")
			}
		})
	}
}

func TestOpenRouterNext(t *testing.T) {
	manifest := testutil.Fixture(t, orManifestFixture)
	b := openRouterBoards()[0]
	reqs, err := openRouterNext(b, map[string][]byte{"manifest": manifest})
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Name != "csv" || reqs[0].URL != "2026-10-08.csv" {
		t.Fatalf("requests %+v: want the dated CSV beside the manifest", reqs)
	}
	if reqs, err := openRouterNext(b, map[string][]byte{"manifest": manifest, "csv": testutil.Fixture(t, orCSVFixture)}); err != nil || reqs != nil {
		t.Fatalf("after the CSV: %+v %v", reqs, err)
	}
	// The download is checked where it was fetched: a damaged one fails
	// as transient before any extractor runs.
	if reqs, err := openRouterNext(b, map[string][]byte{"manifest": manifest, "csv": []byte("x")}); arenawatch.KindOf(err) != arenawatch.KindTransient || reqs != nil {
		t.Fatalf("after a damaged CSV: %+v %v", reqs, err)
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

func BenchmarkExtractOpenRouter(b *testing.B) {
	manifest, csvBody, models := openRouterFixtures(b)
	b.SetBytes(int64(len(manifest) + len(csvBody) + len(models)))
	for b.Loop() {
		if _, err := ExtractOpenRouter(manifest, csvBody, models); err != nil {
			b.Fatal(err)
		}
	}
}
