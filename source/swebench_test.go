package source

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

const sweBenchFixture = "www.swebench.com/index.html"

// sweBenchPage wraps data in a page shell like swebench.com's.
func sweBenchPage(data string) []byte {
	return []byte(`<!DOCTYPE html><html lang="en"><head><title>SWE-bench Leaderboards</title></head><body>` +
		`<div id="leaderboard-container"></div>` +
		"<script type=\"application/json\" id=\"leaderboard-data\">\n" + data + "\n</script>" +
		`<script src="js/mainResults.js"></script></body></html>`)
}

// sweBenchEdit returns page with result i (0-based) of split changed by
// edit, the rest of the JSON as it was (numbers keep their text).
func sweBenchEdit(t testing.TB, page []byte, split string, i int, edit func(map[string]any)) []byte {
	t.Helper()
	data, put := testutil.SWEBenchJSON(t, page)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var splits []map[string]any
	if err := dec.Decode(&splits); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range splits {
		if s["name"] == split {
			edit(s["results"].([]any)[i].(map[string]any))
			found = true
		}
	}
	if !found {
		t.Fatalf("no split %q", split)
	}
	b, err := json.Marshal(splits)
	if err != nil {
		t.Fatal(err)
	}
	return put(b)
}

func TestSWEBenchGolden(t *testing.T) {
	page := testutil.Fixture(t, sweBenchFixture)
	for _, b := range sweBenchBoards() {
		t.Run(b.ID, func(t *testing.T) {
			ex, err := ExtractSWEBench(page, b.Params["split"])
			if err != nil {
				t.Fatal(err)
			}
			testutil.Golden(t, "testdata/golden/"+b.ID+".json", ex)
		})
	}
}

// TestSWEBenchFacts checks facts read off the deployed page
// (SWE-bench/swe-bench.github.io gh-pages f229e2b, 2026-02-26) by hand.
func TestSWEBenchFacts(t *testing.T) {
	page := testutil.Fixture(t, sweBenchFixture)
	read := func(split string) map[string]arenawatch.Row {
		t.Helper()
		ex, err := ExtractSWEBench(page, split)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]arenawatch.Row{}
		for _, r := range ex.Rows {
			rows[r.Model] = r
		}
		if len(rows) != len(ex.Rows) {
			t.Fatalf("%s: duplicate keys", split)
		}
		return rows
	}
	for split, n := range map[string]int{"Verified": 178, "Lite": 84, "Test": 24, "Multimodal": 22, "Multilingual": 13, "bash-only": 46} {
		ex, err := ExtractSWEBench(page, split)
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Rows) != n {
			t.Errorf("%s: %d rows, want %d", split, len(ex.Rows), n)
		}
		if !ex.AsOf.IsZero() {
			t.Errorf("%s: as-of %v; the page states none", split, ex.AsOf)
		}
		for _, note := range ex.Notes {
			if strings.Contains(note, "optional values ignored") {
				t.Errorf("%s: %s; every field of the real page has its expected type", split, note)
			}
		}
	}

	ex, _ := ExtractSWEBench(page, "Verified")
	if top := ex.Rows[0]; top.Model != "live-SWE-agent + Claude 4.5 Opus medium (20251101)" || top.Score != 79.2 || top.Open == nil || *top.Open ||
		top.Organization != nil || top.Underlying != "claude-opus-4-5-20251101" || top.Extra["orgs"] != "UIUC" || top.Extra["checked"] != "false" {
		t.Errorf("Verified top row %+v", top)
	}
	v := read("Verified")
	// Two model tags: no single underlying model, origin left unknown.
	if r := v["TRAE + Doubao-Seed-Code"]; r.Score != 78.8 || r.Underlying != "" || r.Extra["orgs"] != "ByteDance" ||
		r.Extra["model"] != "Doubao-Seed-Code; Doubao-Seed-1.6" || r.Extra["system"] != "Attempts - 2+" {
		t.Errorf("TRAE + Doubao-Seed-Code: %+v", r)
	}
	// A US scaffold running a Chinese open model: the Org tag names the
	// scaffold only, so the row is classified by its model, never the tag.
	if r := v["OpenHands + Kimi K2"]; r.Score != 65.4 || !*r.Open || r.Organization != nil || r.Extra["orgs"] != "OpenHands" ||
		r.Underlying != "moonshot/kimi-k2-0711-preview" {
		t.Errorf("OpenHands + Kimi K2: %+v", r)
	}
	if r := v["Lingxi v1.5 x Kimi K2"]; r.Score != 71.2 || !*r.Open || r.Underlying != "kimi-k2-0905-preview" || r.Extra["orgs"] != "Huawei" {
		t.Errorf("Lingxi v1.5 x Kimi K2 (the best open row): %+v", r)
	}
	if w, w2 := v["Warp"], v["Warp [2]"]; w.Score != 75.6 || w2.Score != 71.0 || w2.Name != "Warp" || w.Name != "" {
		t.Errorf("duplicate system name: %+v / %+v", w, w2)
	}
	// "checked" is a sentence on six Verified rows of the 2026-02-26 page.
	if r := v["live-SWE-agent + Gemini 3 Pro Preview (2025-11-18)"]; r.Score != 77.4 ||
		r.Extra["checked"] != "false (See README.md for info on how to get your results verified)" {
		t.Errorf("checked as text: %+v", r)
	}

	b := read("bash-only")
	if r := b["Claude 4.5 Opus (high reasoning)"]; r.Score != 76.8 || r.Metrics["cost"] != 376.9539985 ||
		r.Metrics["instance_cost"] != 0.753907997 || r.Extra["date"] != "2026-02-17" || r.Extra["mini_swe_agent_version"] != "2.0.0" || *r.Open {
		t.Errorf("bash-only leader: %+v", r)
	}
	if r := b["gpt-oss-120b"]; r.Score != 26.0 || r.Open == nil || !*r.Open || r.Underlying != "gpt-oss-120b" || r.Extra["orgs"] != "OpenAI" {
		t.Errorf("gpt-oss-120b: %+v", r)
	}

	m := read("Multilingual")
	if r := m["Gemini 3 Flash"]; r.Score != 72.7 || *r.Open || r.Underlying != "gemini-3-flash" || r.Extra["checked"] != "true" ||
		r.Metrics["instance_calls"] != 52.48322147651007 {
		t.Errorf("Multilingual leader: %+v", r)
	}
	open := 0
	for _, r := range m {
		if *r.Open {
			open++
		}
	}
	if r := m["GLM-5"]; open != 4 || r.Score != 69.7 || !*r.Open || r.Underlying != "glm-5" || r.Extra["orgs"] != "Z.ai" {
		t.Errorf("Multilingual: %d open rows, GLM-5 %+v", open, r)
	}
	if r := m["GPT 5.2 Codex"]; r.Score != 66.3 || r.Extra["checked"] != "" {
		t.Errorf("checked null is left out: %+v", r)
	}
	for _, r := range read("Multimodal") {
		if r.Open != nil && *r.Open {
			t.Errorf("Multimodal has no open-weights entry in the capture, got %s", r.Model)
		}
	}
}

// TestSWEBenchTolerance: every field the extractor ignores may change type
// or disappear without failing the board; a needed field that disappears
// fails it, naming the field.
func TestSWEBenchTolerance(t *testing.T) {
	data, put := testutil.SWEBenchJSON(t, testutil.Fixture(t, sweBenchFixture))
	for _, split := range []string{"Verified", "Multilingual"} {
		t.Run(split, func(t *testing.T) {
			checkTolerance(t, tolerance{
				body: data,
				extract: func(body []byte) (int, error) {
					ex, err := ExtractSWEBench(put(body), split)
					if err != nil {
						return 0, err
					}
					return len(ex.Rows), nil
				},
				needed: []string{"name", "results", "resolved", "os_model", "tags"},
				ignored: []string{"date", "folder", "mini-swe-agent_version", "os_system", "checked", "warning",
					"cost", "instance_cost", "instance_calls", "logo", "logs", "site", "trajs", "trajs_docent", "per_instance_details"},
			})
		})
	}
}

func TestSWEBenchDrift(t *testing.T) {
	fx := testutil.Fixture(t, sweBenchFixture)
	page := string(fx)
	edit := func(split string, i int, f func(map[string]any)) string {
		return string(sweBenchEdit(t, fx, split, i, f))
	}
	const top = "split Verified, result 1 (live-SWE-agent + Claude 4.5 Opus medium (20251101)): "
	tests := []struct {
		name, page, split, wantErr string
		wantRows                   int
	}{
		{name: "WrappedAsInTheRepository", split: "Verified", wantRows: 1,
			page: string(sweBenchPage(`{"leaderboards": [{"name": "Verified", "results": [{"name": "A", "resolved": 50.2, "os_model": true, "tags": ["Model: a-1"]}]}]}`))},
		{name: "SplitNameCase", page: page, split: "verified", wantRows: 178},
		{name: "NewSplit", page: page, split: "Multilingual", wantRows: 13},
		{name: "NoDataScript", page: strings.Replace(page, `id="leaderboard-data"`, `id="leaderboard-json"`, 1), split: "Verified",
			wantErr: `no <script id="leaderboard-data"> in the page`},
		{name: "EmptyScript", page: string(sweBenchPage("")), split: "Verified", wantErr: "is empty"},
		{name: "MissingSplit", page: page, split: "Full",
			wantErr: `no split "Full" (it has: "bash-only", "Multilingual", "Test", "Verified", "Lite", "Multimodal")`},
		{name: "EmptyResults", page: string(sweBenchPage(`[{"name": "Verified", "results": []}]`)), split: "Verified",
			wantErr: `split "Verified" has no results`},
		{name: "NotJSON", page: string(sweBenchPage(`[{"name": `)), split: "Verified", wantErr: "is not a list of {name, results}"},
		{name: "NotAList", page: string(sweBenchPage(`{"name": "Verified"}`)), split: "Verified", wantErr: `without a "leaderboards" list`},
		{name: "SplitWithoutName", page: string(sweBenchPage(`[{"title": "Verified", "results": []}]`)), split: "Verified",
			wantErr: "leaderboard-data[0].name: missing"},
		{name: "RenamedResolved", split: "Verified", wantErr: top + "resolved: missing (a field the answer needs)",
			page: edit("Verified", 0, func(r map[string]any) { r["resolved_pct"] = r["resolved"]; delete(r, "resolved") })},
		{name: "ResolvedAsText", split: "Verified", wantErr: top + `resolved: want a number, got "79.2%"`,
			page: edit("Verified", 0, func(r map[string]any) { r["resolved"] = "79.2%" })},
		{name: "ResolvedAsNumberInText", split: "Verified", wantRows: 178,
			page: edit("Verified", 0, func(r map[string]any) { r["resolved"] = "79.2" })},
		{name: "ResolvedNotAPercentage", split: "Verified", wantErr: top + "resolved 792 is not a percentage",
			page: edit("Verified", 0, func(r map[string]any) { r["resolved"] = 792 })},
		{name: "NoOpenFlag", split: "Verified", wantErr: top + "os_model: missing",
			page: edit("Verified", 0, func(r map[string]any) { delete(r, "os_model") })},
		{name: "OpenFlagAsText", split: "Verified", wantErr: top + `os_model: want true or false, got "open"`,
			page: edit("Verified", 0, func(r map[string]any) { r["os_model"] = "open" })},
		{name: "NoTags", split: "Verified", wantErr: top + "tags: missing",
			page: edit("Verified", 0, func(r map[string]any) { delete(r, "tags") })},
		{name: "TagsNotText", split: "Verified", wantErr: top + "tags: want a list of strings",
			page: edit("Verified", 0, func(r map[string]any) { r["tags"] = []any{map[string]any{"Model": "x"}} })},
		{name: "NoName", page: string(sweBenchPage(`[{"name": "Lite", "results": [{"resolved": 3}]}]`)), split: "Lite",
			wantErr: `split Lite, result 1: name: missing`},
		// Only the board's own split is read: a broken result elsewhere
		// does not fail it.
		{name: "OtherSplitBroken", split: "Verified", wantRows: 178,
			page: edit("Lite", 0, func(r map[string]any) { delete(r, "resolved") })},
		{name: "CheckedAsObject", split: "Multilingual", wantRows: 13,
			page: edit("Multilingual", 0, func(r map[string]any) { r["checked"] = map[string]any{"by": "x"} })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractSWEBench([]byte(tt.page), tt.split)
			checkExtractDrift(t, ex, err, tt.wantErr, tt.wantRows)
		})
	}
}

// checkExtractDrift checks an extractor's result: a markup-drift error containing
// wantErr, or (wantErr empty) success with wantRows rows.
func checkExtractDrift(t *testing.T, ex *Extract, err error, wantErr string, wantRows int) {
	t.Helper()
	if wantErr != "" {
		if err == nil {
			t.Fatalf("want error containing %q, got %d rows", wantErr, len(ex.Rows))
		}
		if !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error %q does not contain %q", err, wantErr)
		}
		if k := arenawatch.KindOf(err); k != arenawatch.KindDrift {
			t.Fatalf("error kind %v, want markup drift", k)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != wantRows {
		t.Fatalf("%d rows, want %d", len(ex.Rows), wantRows)
	}
}

func BenchmarkExtractSWEBench(b *testing.B) {
	page := testutil.Fixture(b, sweBenchFixture)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractSWEBench(page, "Verified"); err != nil {
			b.Fatal(err)
		}
	}
}
