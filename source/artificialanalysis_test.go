package source

import (
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

const aaFixture = "artificialanalysis.ai/api/v2/data/llms/models/index.json"

func TestArtificialAnalysisGolden(t *testing.T) {
	body := testutil.Fixture(t, aaFixture)
	for _, b := range artificialAnalysisBoards() {
		t.Run(b.ID, func(t *testing.T) {
			ex, err := ExtractArtificialAnalysis(body, b.Params["index"])
			if err != nil {
				t.Fatal(err)
			}
			testutil.Golden(t, "testdata/golden/"+b.ID+".json", ex)
		})
	}
}

// TestArtificialAnalysisTolerance: every field the extractor does not need
// may change type or disappear without failing the board (same rows); a
// needed one that disappears fails it, naming the field.
func TestArtificialAnalysisTolerance(t *testing.T) {
	for _, b := range artificialAnalysisBoards() {
		index := b.Params["index"]
		other := "artificial_analysis_coding_index"
		if index == other {
			other = "artificial_analysis_intelligence_index"
		}
		t.Run(b.ID, func(t *testing.T) {
			checkTolerance(t, tolerance{
				body: testutil.Fixture(t, aaFixture),
				extract: func(body []byte) (int, error) {
					ex, err := ExtractArtificialAnalysis(body, index)
					if err != nil {
						return 0, err
					}
					return len(ex.Rows), nil
				},
				needed: []string{"data", "slug", "evaluations", index},
				ignored: []string{"status", "prompt_options", "id", "name", "release_date", "model_creator", "pricing",
					"median_output_tokens_per_second", "is_open_weights", "license_name", other},
			})
		})
	}
}

func TestArtificialAnalysisDrift(t *testing.T) {
	page := string(testutil.Fixture(t, aaFixture))
	const index = "artificial_analysis_intelligence_index"
	tests := []struct {
		name, page, wantErr string
		wantRows            int
		check               func(t *testing.T, ex *Extract)
	}{
		{name: "NotJSON", page: "<html>login</html>", wantErr: "API response is not the expected JSON"},
		{name: "KeyRefused", page: `{"status":401,"error":"invalid key"}`, wantErr: `no "data" array`},
		{name: "NoSlug", page: `{"data":[{"id":"x","name":"X","evaluations":{"` + index + `":50}}]}`, wantErr: "data[0].slug: missing"},
		{name: "IndexRenamed", page: strings.ReplaceAll(page, `"`+index+`"`, `"intelligence_index_v4"`),
			wantErr: "no model has evaluations." + index},
		{name: "IndexAsText", page: strings.Replace(page, `"`+index+`":41.2`, `"`+index+`":"high"`, 1),
			wantErr: "data[0].evaluations." + index + `: want a number, got "high"`},
		{name: "EvaluationsNotAnObject", page: strings.Replace(page, `"evaluations":{`, `"evaluations":"none","evaluations_v1":{`, 1),
			wantErr: `data[0].evaluations: not a JSON object (starts "\"none\"")`},
		{name: "Unscored", page: page, wantRows: 25,
			check: func(t *testing.T, ex *Extract) {
				if len(ex.Notes) != 1 || ex.Notes[0] != "1 models without "+index+" skipped" {
					t.Errorf("notes %q", ex.Notes)
				}
			}},
		{name: "OpenFlagAsText", page: strings.Replace(page, `"is_open_weights":false`, `"is_open_weights":"no"`, 1), wantRows: 25,
			check: func(t *testing.T, ex *Extract) {
				if ex.Rows[0].Open != nil || ex.Notes[len(ex.Notes)-1] != badFieldsNote(1) {
					t.Errorf("first row %+v, notes %q", ex.Rows[0], ex.Notes)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractArtificialAnalysis([]byte(tt.page), index)
			checkExtractDrift(t, ex, err, tt.wantErr, tt.wantRows)
			if tt.check != nil {
				tt.check(t, ex)
			}
		})
	}
}

// TestArtificialAnalysisFacts checks rows read by hand off the fixture
// (synthetic index values; real names, creators and licences).
func TestArtificialAnalysisFacts(t *testing.T) {
	ex, err := ExtractArtificialAnalysis(testutil.Fixture(t, aaFixture), "artificial_analysis_coding_index")
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 25 {
		t.Fatalf("%d rows", len(ex.Rows))
	}
	if r := findRow(t, ex.Rows, "gemini-3-pro"); r.Score != 27.7 || r.Name != "Gemini 3 Pro" || deref(r.Organization) != "Google" ||
		r.Open == nil || *r.Open || deref(r.License) != "Proprietary" || r.Metrics["intelligence_index"] != 41.2 || r.Extra != nil {
		t.Errorf("gemini-3-pro: %+v", r)
	}
	if r := findRow(t, ex.Rows, "kimi-k2-thinking"); r.Score != 19.8 || deref(r.License) != "Modified MIT" || r.Open == nil || !*r.Open {
		t.Errorf("kimi-k2-thinking: %+v", r)
	}
	for _, r := range ex.Rows {
		if r.Model == "unscored-model" {
			t.Errorf("a model without the index is a row: %+v", r)
		}
		if r.Rank != 0 || r.Organization == nil {
			t.Errorf("%s: rank %d, organization %v", r.Model, r.Rank, r.Organization)
		}
	}
}
