package source

import (
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

const sciArenaFixture = "sciarena.allen.ai/api/leaderboard/index.json"

func TestSciArenaGolden(t *testing.T) {
	ex, err := ExtractSciArena(testutil.Fixture(t, sciArenaFixture))
	if err != nil {
		t.Fatal(err)
	}
	testutil.Golden(t, "testdata/golden/"+"sciarena"+".json", ex)
}

// TestSciArenaFacts checks values read by hand off the paper's Table 2
// (arXiv:2507.01001v2, cutoff 2026-01-11) and the API-form o3 row.
func TestSciArenaFacts(t *testing.T) {
	ex, err := ExtractSciArena(testutil.Fixture(t, sciArenaFixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 38 {
		t.Fatalf("%d rows, want 38", len(ex.Rows))
	}
	if !ex.AsOf.IsZero() || len(ex.Notes) != 0 {
		t.Errorf("as of %v, notes %q: the API states no date and every fixture row has a cost", ex.AsOf, ex.Notes)
	}
	top := ex.Rows[0]
	if top.Model != "o3" || top.Rank != 1 || top.Score != 1151.3779 || top.Votes != 1076 ||
		top.ScoreLower == nil || *top.ScoreLower != 1127.1508 || top.ScoreUpper == nil || *top.ScoreUpper != 1174.3958 ||
		top.Metrics["cost_per_100_calls_usd"] != 3.5438 {
		t.Errorf("top row %+v", top)
	}
	if _, has := top.Metrics["variance"]; has {
		t.Errorf("o3 has a variance; the API gives null")
	}
	for _, r := range ex.Rows {
		if r.Organization != nil || r.License != nil || r.Open != nil {
			t.Fatalf("%s: the API names no organization, licence or open flag", r.Model)
		}
		if r.Model == "GPT-OSS-120B" && (r.Rank != 11 || r.Score != 1036.5 || r.Votes != 350 || r.ScoreLower != nil) {
			t.Errorf("GPT-OSS-120B: %+v", r)
		}
	}
	if last := ex.Rows[37]; last.Model != "Llama-4-Scout" || last.Rank != 38 || last.Score != 829.8 || last.Metrics["cost_per_100_calls_usd"] != 0.11 {
		t.Errorf("last row %+v", last)
	}
}

func TestSciArenaDrift(t *testing.T) {
	page := string(testutil.Fixture(t, sciArenaFixture))
	tests := []struct {
		name, page, wantErr string
		wantRows            int
		check               func(t *testing.T, ex *Extract)
	}{
		{name: "Wrapped", page: `{"data":` + page + `}`, wantErr: `did not answer with a JSON array (starts "{\"data\":[{\"modelId\":\"o3\",`},
		{name: "HTMLErrorPage", page: "<!DOCTYPE html><html><body>Internal error</body></html>", wantErr: "did not answer with a JSON array"},
		{name: "Empty", page: "", wantErr: "did not answer with a JSON array"},
		{name: "EmptyList", page: "[]", wantRows: 0},
		{name: "RenamedID", page: strings.Replace(page, `"modelId":"GPT-5"`, `"model_id":"GPT-5"`, 1), wantErr: "row 3: modelId: missing (a field the answer needs)"},
		{name: "NoRating", page: strings.Replace(page, `"rating":1122.5,`, ``, 1), wantErr: "row 3 (GPT-5): rating: missing (a field the answer needs)"},
		// A number sent as text is read as the number (the tolerant reader's
		// rule); text that is not a number fails, naming the field.
		{name: "RatingAsString", page: strings.Replace(page, `"rating":1122.5`, `"rating":"1122.5"`, 1), wantRows: 38,
			check: func(t *testing.T, ex *Extract) {
				if ex.Rows[2].Score != 1122.5 {
					t.Errorf("GPT-5 rating from a string: %+v", ex.Rows[2])
				}
			}},
		{name: "RatingNotANumber", page: strings.Replace(page, `"rating":1122.5`, `"rating":"high"`, 1), wantErr: `row 3 (GPT-5): rating: want a number, got "high"`},
		{name: "RatingNull", page: strings.Replace(page, `"rating":1122.5`, `"rating":null`, 1), wantErr: `row 3 (GPT-5): rating: missing`},
		{name: "RowNotAnObject", page: `[` + `"o3"` + `,` + page[1:], wantErr: `row 1 is not a JSON object (starts "\"o3\"")`},
		{name: "RankAsText", page: strings.Replace(page, `"rank":3,`, `"rank":"third",`, 1), wantRows: 38,
			check: func(t *testing.T, ex *Extract) {
				if ex.Rows[2].Rank != 0 || len(ex.Notes) != 1 || ex.Notes[0] != badFieldsNote(1) {
					t.Errorf("GPT-5 with rank \"third\": %+v, notes %q", ex.Rows[2], ex.Notes)
				}
			}},
		// A repeated model is kept: Seal keeps it apart as "o3 [2]".
		{name: "Duplicate", page: strings.Replace(page, `"modelId":"GPT-5"`, `"modelId":"o3"`, 1), wantRows: 38},
		{name: "FractionalRank", page: strings.Replace(page, `"rank":3,`, `"rank":2.5,`, 1), wantErr: "row 3 (GPT-5): rank 2.5 is not a positive whole number"},
		{name: "NegativeBattles", page: strings.Replace(page, `"num_battles":357`, `"num_battles":-1`, 1), wantErr: "num_battles -1 is not a count"},
		{name: "Truncated", page: page[:len(page)/2], wantErr: "not the expected JSON"},
		{name: "CostAsString", page: strings.Replace(page, `"cost_per_100_calls_usd":2.98}`, `"cost_per_100_calls_usd":"2.98"}`, 1), wantRows: 38,
			check: func(t *testing.T, ex *Extract) {
				if ex.Rows[2].Metrics["cost_per_100_calls_usd"] != 2.98 || len(ex.Notes) != 0 {
					t.Errorf("GPT-5 cost from a string: %+v, notes %q", ex.Rows[2], ex.Notes)
				}
			}},
		{name: "CostNotANumber", page: strings.Replace(page, `"cost_per_100_calls_usd":2.98}`, `"cost_per_100_calls_usd":"N/A"}`, 1), wantRows: 38,
			check: func(t *testing.T, ex *Extract) {
				if _, has := ex.Rows[2].Metrics["cost_per_100_calls_usd"]; has || len(ex.Notes) != 1 ||
					ex.Notes[0] != "1 of 38 rows without a numeric cost_per_100_calls_usd" {
					t.Errorf("GPT-5 with cost N/A: %+v, notes %q", ex.Rows[2], ex.Notes)
				}
			}},
		{name: "WithVariance", page: strings.Replace(page, `"variance":null`, `"variance":8.4`, 1), wantRows: 38,
			check: func(t *testing.T, ex *Extract) {
				if ex.Rows[0].Metrics["variance"] != 8.4 {
					t.Errorf("o3 variance: %+v", ex.Rows[0])
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractSciArena([]byte(tt.page))
			checkExtractDrift(t, ex, err, tt.wantErr, tt.wantRows)
			if tt.check != nil {
				tt.check(t, ex)
			}
		})
	}
}

// TestSciArenaTolerance: every optional field may change type or
// disappear without failing the board (same rows); a needed field that
// disappears fails it, naming the field.
func TestSciArenaTolerance(t *testing.T) {
	checkTolerance(t, tolerance{
		body: testutil.Fixture(t, sciArenaFixture),
		extract: func(body []byte) (int, error) {
			ex, err := ExtractSciArena(body)
			if err != nil {
				return 0, err
			}
			return len(ex.Rows), nil
		},
		needed:  []string{"modelId", "rating"},
		ignored: []string{"rating_q025", "rating_q975", "variance", "num_battles", "rank", "cost_per_100_calls_usd"},
	})
}
