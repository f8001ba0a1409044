package source

import (
	"regexp"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

const aiderFixture = "aider.chat/docs/leaderboards/index.html"

func TestAiderGolden(t *testing.T) {
	ex, err := ExtractAider(testutil.Fixture(t, aiderFixture))
	if err != nil {
		t.Fatal(err)
	}
	testutil.Golden(t, "testdata/golden/"+"aider-polyglot"+".json", ex)
}

// TestAiderFacts checks facts read off the real page capture (aider.chat,
// fetched 2026-03-13) by hand.
func TestAiderFacts(t *testing.T) {
	ex, err := ExtractAider(testutil.Fixture(t, aiderFixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 69 {
		t.Fatalf("%d rows, want 69", len(ex.Rows))
	}
	if got := ex.AsOf.Format("2006-01-02"); got != "2025-11-20" {
		t.Errorf("as of %s, want 2025-11-20 (the byline's last updated date)", got)
	}
	rows := map[string]arenawatch.Row{}
	for _, r := range ex.Rows {
		rows[r.Model] = r
		if r.Organization != nil || r.License != nil || r.Open != nil || r.Rank != 0 {
			t.Fatalf("%s: the page states no organization, licence, open flag or rank", r.Model)
		}
	}
	top := ex.Rows[0]
	if top.Model != "gpt-5 (high)" || top.Score != 88.0 || top.Metrics["cost"] != 29.08 ||
		top.Metrics["percent_cases_well_formed"] != 91.6 || top.Extra["edit_format"] != "diff" ||
		top.Extra["command"] != "aider --model openai/gpt-5" || top.Extra["date"] != "2025-08-23" ||
		top.Extra["dirname"] != "2025-08-23-15-47-21--gpt-5-high" || top.Metrics["pass_rate_1"] != 52.0 {
		t.Errorf("top row %+v", top)
	}
	if r := rows["gpt-oss-120b (high)"]; r.Score != 41.8 || r.Metrics["cost"] != 0.74 || r.Metrics["pass_rate_1"] != 13.8 ||
		r.Extra["command"] != "aider --model openrouter/openai/gpt-oss-120b --reasoning-effort high" {
		t.Errorf("gpt-oss-120b (high): %+v", r)
	}
	// Listed twice (two providers); the later row gets its own key.
	if a, b := rows["Qwen2.5-Coder-32B-Instruct"], rows["Qwen2.5-Coder-32B-Instruct [2]"]; a.Score != 16.4 || b.Score != 8.0 ||
		b.Name != "Qwen2.5-Coder-32B-Instruct" || b.Extra["command"] != "aider --model openai/Qwen/Qwen2.5-Coder-32B-Instruct # via hyperbolic" {
		t.Errorf("duplicate name: %+v / %+v", a, b)
	}
	// The page shows no cost for this run (the data file says 0).
	if r := rows["Gemini 2.5 Pro Preview 03-25"]; r.Score != 72.9 {
		t.Errorf("Gemini 2.5 Pro Preview 03-25: %+v", r)
	} else if _, has := r.Metrics["cost"]; has {
		t.Errorf("Gemini 2.5 Pro Preview 03-25 has a cost %v; the page shows none", r.Metrics["cost"])
	}
	if r := rows["o3 (high) + gpt-4.1"]; r.Extra["edit_format"] != "architect" || r.Extra["editor_model"] != "gpt-4.1" ||
		r.Extra["reasoning_effort"] != "high" || r.Metrics["test_cases"] != 224 {
		t.Errorf("architect row: %+v", r)
	}
}

func TestAiderDrift(t *testing.T) {
	page := string(testutil.Fixture(t, aiderFixture))
	details := regexp.MustCompile(`(?s)<tr class="details-row".*?</tr>`)
	mainRows := regexp.MustCompile(`(?s)<tr id="main-row-\d+">.*?</tr>`)
	tests := []struct {
		name, page, wantErr string
		wantRows            int
		check               func(t *testing.T, ex *Extract)
	}{
		{name: "ReorderedColumns", page: string(permuteColumns(t, []byte(page), []int{0, 2, 6, 1, 3, 5, 4})), wantRows: 69,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Model != "gpt-5 (high)" || r.Score != 88 || r.Extra["edit_format"] != "diff" {
					t.Errorf("top row after reordering: %+v", r)
				}
			}},
		{name: "WithoutDetailsRows", page: details.ReplaceAllString(page, ""), wantRows: 69,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Extra["date"] != "" || r.Metrics["cost"] != 29.08 {
					t.Errorf("row without details: %+v", r)
				}
				if len(ex.Notes) == 0 || !strings.Contains(ex.Notes[0], "69 of 69 rows have no details row") {
					t.Errorf("notes %q", ex.Notes)
				}
			}},
		{name: "WithoutByline", page: strings.Replace(page, `class="post-date"`, `class="byline"`, 1), wantRows: 69,
			check: func(t *testing.T, ex *Extract) {
				if !ex.AsOf.IsZero() {
					t.Errorf("as of %v without a byline", ex.AsOf)
				}
			}},
		{name: "NoTable", page: "<!DOCTYPE html><html><body><p>Loading…</p></body></html>", wantErr: "no <table> in the page"},
		{name: "RenamedScoreHeader", page: strings.Replace(page, ">Percent correct</th>", ">Pass rate</th>", 1),
			wantErr: `no table with Model and Percent correct columns (headers: "", "Model", "Pass rate", "Cost"`},
		{name: "NoModelColumn", page: strings.Replace(page, ">Model</th>", ">LLM</th>", 1),
			wantErr: "no table with Model and Percent correct columns"},
		{name: "EmptyTable", page: mainRows.ReplaceAllString(details.ReplaceAllString(page, ""), ""),
			wantErr: "the leaderboard table has no model rows"},
		{name: "MalformedPercent", page: strings.Replace(page, "<span>88.0%</span>", "<span>88.0 pct</span>", 1),
			wantErr: `model row 1 (gpt-5 (high)): Percent correct "88.0 pct" is not a number`},
		{name: "EmptyPercent", page: strings.Replace(page, "<span>88.0%</span>", "<span></span>", 1),
			wantErr: `model row 1 (gpt-5 (high)): Percent correct "" is not a number`},
		// Cost and the details are not needed: a malformed value is
		// dropped and counted, the row stays.
		{name: "MalformedCost", page: strings.Replace(page, "<span>$29.08</span>", "<span>$29.08 (est.)</span>", 1), wantRows: 69,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Score != 88 || r.Metrics["percent_cases_well_formed"] != 91.6 {
					t.Errorf("top row %+v", r)
				} else if _, has := r.Metrics["cost"]; has {
					t.Errorf("a malformed cost became %v", r.Metrics["cost"])
				}
				if !strings.Contains(strings.Join(ex.Notes, "\n"), "1 optional values ignored") {
					t.Errorf("notes %q", ex.Notes)
				}
			}},
		{name: "MalformedDetails", page: strings.Replace(page, "Pass rate 1\n                  \n                  :</strong>\n                  52.0", "Pass rate 1\n                  \n                  :</strong>\n                  fifty-two", 1),
			wantRows: 69,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Extra["dirname"] != "2025-08-23-15-47-21--gpt-5-high" {
					t.Errorf("top row %+v", r)
				} else if _, has := r.Metrics["pass_rate_1"]; has {
					t.Errorf("a malformed pass rate 1 became %v", r.Metrics["pass_rate_1"])
				}
				if !strings.Contains(strings.Join(ex.Notes, "\n"), "1 optional values ignored") {
					t.Errorf("notes %q", ex.Notes)
				}
			}},
		{name: "PercentOver100", page: strings.Replace(page, "<span>88.0%</span>", "<span>880%</span>", 1),
			wantErr: "Percent correct 880 is not a percentage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractAider([]byte(tt.page))
			checkExtractDrift(t, ex, err, tt.wantErr, tt.wantRows)
			if tt.check != nil {
				tt.check(t, ex)
			}
		})
	}
}

// TestAiderColumns changes each column the answer ignores (removed,
// renamed, garbled: same rows) and removes or renames each one it needs
// (the board fails naming it). See ExtractAider for the lists.
func TestAiderColumns(t *testing.T) {
	checkColumns(t, columnTolerance{
		kind:    htmlKind,
		body:    testutil.Fixture(t, aiderFixture),
		extract: ExtractAider,
		needed:  []string{"Model", "Percent correct"},
		ignored: []string{"", "Cost", "Command", "Correct edit format", "Edit Format"},
	})
}

func BenchmarkExtractAider(b *testing.B) {
	page := testutil.Fixture(b, aiderFixture)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractAider(page); err != nil {
			b.Fatal(err)
		}
	}
}
