package source

import (
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// customBoard is a user-defined board of kind reading rows with fields.
func customBoard(t testing.TB, kind, rows string, fields map[string]string) arenawatch.Board {
	t.Helper()
	b := arenawatch.Board{ID: "my-" + kind, Extractor: kind, Params: map[string]string{}}
	if rows != "" {
		b.Params["rows"] = rows
	}
	for f, src := range fields {
		b.Params["field."+f] = src
	}
	if err := checkCustom(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// The three generic extractors pointed at real published pages, as a user
// would configure them: BFCL's CSV, Aider's table and a page of the
// Hugging Face rows API.
func customCSVBoard(t testing.TB) arenawatch.Board {
	return customBoard(t, "csv", "", map[string]string{"model": "Model", "score": "Overall Acc",
		"organization": "Organization", "license": "License", "rank": "Rank", "metric.cost": "Total Cost ($)"})
}

func customHTMLBoard(t testing.TB) arenawatch.Board {
	return customBoard(t, "htmltable", `table tbody tr[id^="main-row"]`, map[string]string{"model": "Model",
		"score": "Percent correct", "metric.cost": "Cost"})
}

func customJSONBoard(t testing.TB) arenawatch.Board {
	return customBoard(t, "json", "rows", map[string]string{"model": "row.model_name", "score": "row.rating",
		"organization": "row.organization", "license": "row.license", "votes": "row.vote_count"})
}

func customExtract(b arenawatch.Board) func([]byte) (*Extract, error) {
	return func(body []byte) (*Extract, error) { return ExtractCustom(b, body) }
}

// TestCustomColumns: for the csv and htmltable kinds, every column no
// field maps may be removed, renamed or garbled (same rows); removing or
// renaming a mapped one fails the board naming it.
func TestCustomColumns(t *testing.T) {
	t.Run("csv", func(t *testing.T) {
		body := testutil.Fixture(t, bfclOverallFixture)
		needed := []string{"Model", "Overall Acc", "Organization", "License", "Rank", "Total Cost ($)"}
		checkColumns(t, columnTolerance{kind: csvKind, body: body, extract: customExtract(customCSVBoard(t)),
			needed: needed, ignored: csvHeadersExcept(t, body, needed...)})
	})
	t.Run("htmltable", func(t *testing.T) {
		checkColumns(t, columnTolerance{kind: htmlKind, body: testutil.Fixture(t, aiderFixture), extract: customExtract(customHTMLBoard(t)),
			needed:  []string{"Model", "Percent correct", "Cost"},
			ignored: []string{"", "Command", "Correct edit format", "Edit Format"}})
	})
}

// TestCustomJSONTolerance: for the json kind, every member no field maps
// may disappear or change type (same rows); removing a mapped one fails
// the board naming its path.
func TestCustomJSONTolerance(t *testing.T) {
	b := customJSONBoard(t)
	checkTolerance(t, tolerance{
		body: testutil.Fixture(t, hfFixturePages["hf-webdev"][0]),
		extract: func(body []byte) (int, error) {
			ex, err := ExtractCustom(b, body)
			if err != nil {
				return 0, err
			}
			return len(ex.Rows), nil
		},
		needed: []string{"model_name", "rating", "organization", "license"},
		ignored: []string{"features", "num_rows_total", "num_rows_per_page", "partial", "row_idx", "truncated_cells",
			"rating_lower", "rating_upper", "variance", "rank", "category", "leaderboard_publish_date"},
	})
}

// TestCustomOptionalValues: a malformed value of a mapped field the answer
// does not need (votes, metrics) is left out and counted; a malformed
// model, score or label fails the board naming the row and the source.
func TestCustomOptionalValues(t *testing.T) {
	hf := testutil.Fixture(t, hfFixturePages["hf-webdev"][0])
	one := func(body []byte, key string, change func(any) (any, bool)) []byte {
		b, n := mutateJSON(t, body, key, change)
		if n == 0 {
			t.Fatalf("no %q", key)
		}
		return b
	}
	firstOnly := func(key string, v any) []byte {
		// Change the first row only: replace its value text.
		s := string(hf)
		at := strings.Index(s, `"`+key+`":`)
		end := at + len(key) + 3 + strings.IndexAny(s[at+len(key)+3:], ",}")
		return []byte(s[:at] + `"` + key + `":` + v.(string) + s[end:])
	}
	tests := []struct {
		name    string
		board   arenawatch.Board
		body    []byte
		wantErr string
		rows    int
		notes   string
	}{
		{name: "JSONVotesRetyped", board: customJSONBoard(t), body: one(hf, "vote_count", retype), rows: 21, notes: badFieldsNote(21)},
		{name: "JSONVotesFractional", board: customJSONBoard(t), body: firstOnly("vote_count", "10.5"), rows: 21, notes: badFieldsNote(1)},
		{name: "JSONModelMissingInOneRow", board: customJSONBoard(t), body: firstOnly("model_name", "null"),
			wantErr: `row 1: model ("row.model_name"): missing or empty`},
		{name: "JSONLicenseIsObject", board: customJSONBoard(t), body: firstOnly("license", `{"id":"mit"}`),
			wantErr: `row 1: qwen3.8-max-0902: license ("row.license"): rows[0].row.license: want a string, number or boolean`},
		{name: "JSONRowsPathMissing", board: customBoard(t, "json", "data.items", map[string]string{"model": "m", "score": "s"}), body: hf,
			wantErr: `rows path "data.items": missing`},
		{name: "JSONRowsNotArray", board: customBoard(t, "json", "partial", map[string]string{"model": "m", "score": "s"}), body: hf,
			wantErr: `rows path "partial": partial: not a JSON array`},
		{name: "JSONPathThroughScalar", board: customBoard(t, "json", "rows", map[string]string{"model": "row.model_name.x", "score": "row.rating"}), body: hf,
			wantErr: `model ("row.model_name.x"): rows[0].row.model_name: want an object or array`},
		{name: "CSVMetricGarbled", board: customCSVBoard(t), body: mutateColumn(t, csvKind, testutil.Fixture(t, bfclOverallFixture), "Total Cost ($)", garbleColumn),
			rows: 109, notes: badFieldsNote(109)},
		{name: "CSVScoreGarbled", board: customCSVBoard(t), body: mutateColumn(t, csvKind, testutil.Fixture(t, bfclOverallFixture), "Overall Acc", garbleColumn),
			wantErr: `row 1: Claude-Opus-4-5-20251101 (FC): score "¿garbage 12abc?" ("Overall Acc") is not a number`},
		{name: "HTMLMetricGarbled", board: customHTMLBoard(t), body: mutateColumn(t, htmlKind, testutil.Fixture(t, aiderFixture), "Cost", garbleColumn),
			rows: 69, notes: badFieldsNote(69)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractCustom(tt.board, tt.body)
			checkExtractDrift(t, ex, err, tt.wantErr, tt.rows)
			if tt.wantErr == "" && strings.Join(ex.Notes, "\n") != tt.notes {
				t.Errorf("notes %q, want %q", ex.Notes, tt.notes)
			}
		})
	}
}
