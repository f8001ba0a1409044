package scraper

import (
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
)

const sweBenchFixture = "www.swebench.com/index.html"

// sweBenchPage wraps data in a page shell like swebench.com's.
func sweBenchPage(data string) []byte {
	return []byte(`<!DOCTYPE html><html lang="en"><head><title>SWE-bench Leaderboards</title></head><body>` +
		`<div id="leaderboard-container"></div>` +
		"<script type=\"application/json\" id=\"leaderboard-data\">\n" + data + "\n</script>" +
		`<script src="js/mainResults.js"></script></body></html>`)
}

func TestSWEBenchGolden(t *testing.T) {
	page := fixture(t, sweBenchFixture)
	for _, b := range sweBenchBoards() {
		t.Run(b.ID, func(t *testing.T) {
			ex, err := ExtractSWEBench(page, b.Params["split"])
			if err != nil {
				t.Fatal(err)
			}
			golden(t, b.ID, ex)
		})
	}
}

// TestSWEBenchFacts checks facts read off the real leaderboards.json
// capture (SWE-bench/swe-bench.github.io f1176b6, 2025-12-10) by hand.
func TestSWEBenchFacts(t *testing.T) {
	page := fixture(t, sweBenchFixture)
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
	for split, n := range map[string]int{"Verified": 60, "Lite": 60, "Test": 23, "Multimodal": 22, "bash-only": 31} {
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
	}

	ex, _ := ExtractSWEBench(page, "Verified")
	top := ex.Rows[0]
	// Two model tags: no single underlying model, origin left unknown.
	if top.Model != "TRAE + Doubao-Seed-Code" || top.Score != 78.8 || top.Organization != nil || top.Underlying != "" ||
		top.Extra["orgs"] != "ByteDance" || top.Open == nil || *top.Open || top.Extra["model"] != "Doubao-Seed-Code; Doubao-Seed-1.6" {
		t.Errorf("Verified top row %+v", top)
	}
	v := read("Verified")
	if r := v["GLM-4.6"]; r.Score != 68.2 || r.Open == nil || !*r.Open || r.Organization != nil ||
		r.Underlying != "https://huggingface.co/zai-org/GLM-4.6" {
		t.Errorf("GLM-4.6: %+v", r)
	}
	// A US scaffold running a Chinese open model: the Org tag names the
	// scaffold only, so the row is classified by its model, never the tag.
	if r := v["OpenHands + Kimi K2"]; r.Score != 65.4 || !*r.Open || r.Organization != nil || r.Extra["orgs"] != "OpenHands" ||
		r.Underlying != "moonshot/kimi-k2-0711-preview" {
		t.Errorf("OpenHands + Kimi K2: %+v", r)
	}
	if r := v["OpenHands + Qwen3-Coder-480B-A35B-Instruct"]; r.Organization != nil || r.Extra["orgs"] != "Qwen; OpenHands" {
		t.Errorf("two Org tags: %+v", r)
	}
	if w, w2 := v["Warp"], v["Warp [2]"]; w.Score != 75.6 || w2.Score != 71.0 || w2.Name != "Warp" || w.Name != "" {
		t.Errorf("duplicate system name: %+v / %+v", w, w2)
	}
	if r := v["live-SWE-agent + Gemini 3 Pro Preview (2025-11-18)"]; r.Score != 77.4 ||
		r.Extra["checked"] != "false (See README.md for info on how to get your results verified)" {
		t.Errorf("checked as text: %+v", r)
	}

	b := read("bash-only")
	if r := b["Claude 4.5 Opus medium (20251101)"]; r.Score != 74.4 || r.Metrics["cost"] != 360.6224985 ||
		r.Metrics["instance_cost"] != 0.721244997 || r.Extra["date"] != "2025-11-24" || *r.Open {
		t.Errorf("bash-only leader: %+v", r)
	}
	if r := b["gpt-oss-120b"]; r.Score != 26.0 || r.Open == nil || !*r.Open || r.Underlying != "gpt-oss-120b" || r.Extra["orgs"] != "OpenAI" {
		t.Errorf("gpt-oss-120b: %+v", r)
	}
	for _, r := range read("Multimodal") {
		if r.Open != nil && *r.Open {
			t.Errorf("Multimodal has no open-weights entry in the capture, got %s", r.Model)
		}
	}
}

func TestSWEBenchDrift(t *testing.T) {
	page := string(fixture(t, sweBenchFixture))
	tests := []struct {
		name, page, split, wantErr string
		wantRows                   int
	}{
		{name: "WrappedAsInTheRepository", page: string(sweBenchPage(`{"leaderboards": [{"name": "Verified", "results": [{"name": "A", "resolved": 50.2}]}]}`)),
			split: "Verified", wantRows: 1},
		{name: "SplitNameCase", page: page, split: "verified", wantRows: 60},
		{name: "NoDataScript", page: strings.Replace(page, `id="leaderboard-data"`, `id="leaderboard-json"`, 1), split: "Verified",
			wantErr: `no <script id="leaderboard-data"> in the page`},
		{name: "EmptyScript", page: string(sweBenchPage("")), split: "Verified", wantErr: "is empty"},
		{name: "MissingSplit", page: page, split: "Full",
			wantErr: `no split "Full" (it has: "bash-only", "Test", "Verified", "Lite", "Multimodal")`},
		{name: "EmptyResults", page: string(sweBenchPage(`[{"name": "Verified", "results": []}]`)), split: "Verified",
			wantErr: `split "Verified" has no results`},
		{name: "NotJSON", page: string(sweBenchPage(`[{"name": `)), split: "Verified", wantErr: "is not a list of {name, results}"},
		{name: "NotAList", page: string(sweBenchPage(`{"name": "Verified"}`)), split: "Verified", wantErr: `without a "leaderboards" list`},
		{name: "RenamedResolved", page: strings.Replace(page, `"resolved": 78.8`, `"resolved_pct": 78.8`, 1), split: "Verified",
			wantErr: `result 1 (TRAE + Doubao-Seed-Code): no numeric "resolved"`},
		{name: "ResolvedAsText", page: strings.Replace(page, `"resolved": 78.8`, `"resolved": "78.8%"`, 1), split: "Verified",
			wantErr: "result 1 (TRAE + Doubao-Seed-Code): json: cannot unmarshal string"},
		{name: "ResolvedNotAPercentage", page: strings.Replace(page, `"resolved": 78.8`, `"resolved": 788`, 1), split: "Verified",
			wantErr: "resolved 788 is not a percentage"},
		{name: "NoName", page: string(sweBenchPage(`[{"name": "Lite", "results": [{"resolved": 3}]}]`)), split: "Lite",
			wantErr: `result 1: no "name"`},
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
	page := fixture(b, sweBenchFixture)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractSWEBench(page, "Verified"); err != nil {
			b.Fatal(err)
		}
	}
}
