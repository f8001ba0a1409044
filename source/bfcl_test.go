package source

import (
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

const bfclOverallFixture = "gorilla.cs.berkeley.edu/data_overall.csv"

// bfclExtract runs a BFCL board's extractor over its fixtures.
func bfclExtract(t testing.TB, b arenawatch.Board) (*Extract, error) {
	t.Helper()
	file := b.Requests[0].URL[strings.LastIndexByte(b.Requests[0].URL, '/')+1:]
	var overall []byte
	if len(b.Requests) > 1 {
		overall = testutil.Fixture(t, bfclOverallFixture)
	}
	return ExtractBFCL(testutil.Fixture(t, "gorilla.cs.berkeley.edu/"+file), overall, b.Params["score"])
}

func TestBFCLGolden(t *testing.T) {
	for _, b := range bfclBoards() {
		t.Run(b.ID, func(t *testing.T) {
			ex, err := bfclExtract(t, b)
			if err != nil {
				t.Fatal(err)
			}
			testutil.Golden(t, "testdata/golden/"+b.ID+".json", ex)
		})
	}
}

// TestBFCLFacts checks facts read off the real CSVs (ShishirPatil/gorilla
// gh-pages ea03bc8, 2025-12-16) by hand.
func TestBFCLFacts(t *testing.T) {
	byID := map[string]map[string]arenawatch.Row{}
	for _, b := range bfclBoards() {
		ex, err := bfclExtract(t, b)
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Rows) != 109 {
			t.Errorf("%s: %d rows, want 109", b.ID, len(ex.Rows))
		}
		rows := map[string]arenawatch.Row{}
		for i, r := range ex.Rows {
			rows[r.Model] = r
			if r.Rank != i+1 {
				t.Errorf("%s: row %d has rank %d; the files rank 1..109 in order", b.ID, i+1, r.Rank)
			}
			if r.Organization == nil || r.License == nil {
				t.Errorf("%s: %s lacks organization or license", b.ID, r.Model)
			}
		}
		byID[b.ID] = rows
	}
	o := byID["bfcl"]
	if r := o["Claude-Opus-4-5-20251101 (FC)"]; r.Rank != 1 || r.Score != 77.47 || deref(r.Organization) != "Anthropic" ||
		deref(r.License) != "Proprietary" || r.Extra["mode"] != "FC" || r.Metrics["total_cost_usd"] != 86.55 ||
		r.Metrics["latency_mean_s"] != 4.38 || r.Extra["link"] != "https://www.anthropic.com/news/claude-4" {
		t.Errorf("BFCL leader: %+v", r)
	}
	if r := o["GLM-4.6 (FC thinking)"]; r.Rank != 4 || r.Score != 72.38 || deref(r.Organization) != "Zhipu AI" ||
		deref(r.License) != "MIT" || r.Extra["mode"] != "FC thinking" {
		t.Errorf("GLM-4.6: %+v", r)
	}
	if r := o["xLAM-2-32b-fc-r (FC)"]; r.Rank != 18 || r.Score != 54.66 || deref(r.Organization) != "Salesforce" || deref(r.License) != "cc-by-nc-4.0" {
		t.Errorf("xLAM-2-32b-fc-r: %+v", r)
	}
	// "N/A" cells are left out, not zero.
	if _, has := o["Claude-Opus-4-5-20251101 (FC)"].Metrics["format_sensitivity_max_delta"]; has {
		t.Error("an N/A format sensitivity became a number")
	}
	if r := byID["bfcl-live"]["BitAgent-Bounty-8B"]; r.Rank != 1 || r.Score != 93.12 || deref(r.Organization) != "Bittensor" ||
		deref(r.License) != "Apache-2.0" || r.Extra["mode"] != "" {
		t.Errorf("live leader: %+v", r)
	}
	if r := byID["bfcl-multi-turn"]["xLAM-2-70b-fc-r (FC)"]; r.Rank != 1 || r.Score != 77.38 || r.Metrics["long_context"] != 76 {
		t.Errorf("multi-turn leader: %+v", r)
	}
}

func TestBFCLDrift(t *testing.T) {
	overall := string(testutil.Fixture(t, bfclOverallFixture))
	live := string(testutil.Fixture(t, "gorilla.cs.berkeley.edu/data_live.csv"))
	header, _, _ := strings.Cut(overall, "\n")
	lines := strings.Split(overall, "\n")
	// Rank moved to the end of every line: found by name, same rows.
	var moved []string
	for _, l := range lines {
		rank, rest, _ := strings.Cut(l, ",")
		moved = append(moved, rest+","+rank)
	}
	tests := []struct {
		name, table, overall, score, wantErr string
		wantRows                             int
		check                                func(t *testing.T, ex *Extract)
	}{
		{name: "ReorderedColumns", table: strings.Join(moved, "\n"), wantRows: 109,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Rank != 1 || r.Model != "Claude-Opus-4-5-20251101 (FC)" || r.Score != 77.47 {
					t.Errorf("first row %+v", r)
				}
			}},
		{name: "MissingRank", table: strings.Replace(overall, "Rank,", "Position,", 1), wantErr: `the CSV has no "rank" column`},
		{name: "RenamedScore", table: strings.Replace(overall, ",Overall Acc,", ",Overall Accuracy,", 1),
			wantErr: `the CSV has no "overall acc" column (headers: "Rank", "Overall Accuracy", "Model"`},
		{name: "MalformedScore", table: strings.Replace(overall, "1,77.47%,", "1,77.47 percent,", 1),
			wantErr: "line 2 (Claude-Opus-4-5-20251101 (FC)): Overall Acc: not a number"},
		// A metric is not needed: a malformed value is dropped and counted.
		{name: "MalformedMetric", table: strings.Replace(overall, ",86.55,", ",86.55 USD,", 1), wantRows: 109,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Score != 77.47 || r.Metrics["latency_mean_s"] != 4.38 {
					t.Errorf("first row %+v", r)
				} else if _, has := r.Metrics["total_cost_usd"]; has {
					t.Errorf("a malformed cost became %v", r.Metrics["total_cost_usd"])
				}
				if !strings.Contains(strings.Join(ex.Notes, "\n"), "1 optional values ignored") {
					t.Errorf("notes %q", ex.Notes)
				}
			}},
		{name: "OverallWithoutOrganization", table: strings.Replace(overall, ",Organization,", ",Org,", 1),
			wantErr: `the CSV has no "organization" column`},
		{name: "BadRank", table: strings.Replace(overall, "\n1,77.47%,", "\nfirst,77.47%,", 1),
			wantErr: `line 2 (Claude-Opus-4-5-20251101 (FC)): Rank "first" is not a rank`},
		{name: "MissingScoreSkipped", table: strings.Replace(overall, "1,77.47%,", "1,N/A,", 1), wantRows: 108,
			check: func(t *testing.T, ex *Extract) {
				if len(ex.Notes) == 0 || !strings.Contains(ex.Notes[0], "1 models without a Overall Acc skipped: Claude-Opus-4-5-20251101 (FC)") {
					t.Errorf("notes %q", ex.Notes)
				}
			}},
		{name: "HeaderOnly", table: header + "\n", wantErr: "the CSV has a header but no models"},
		{name: "Empty", table: " ", wantErr: "the CSV has a header but no models"},
		{name: "RaggedLine", table: strings.Replace(overall, ",Anthropic,Proprietary\n", ",Anthropic\n", 1), wantErr: "wrong number of fields"},
		// A repeated model is kept: Seal settles it (dropped if identical).
		{name: "ModelTwice", table: overall + "\n" + lines[1], wantRows: 110},
		{name: "HTMLInsteadOfCSV", table: "<!DOCTYPE html>\n<html><body>Not found</body></html>", wantErr: `the CSV has no "rank" column`},
		{name: "SiblingJoin", table: live, overall: overall, score: "Live Overall Acc", wantRows: 109},
		{name: "SiblingOverallWithoutLicense", table: live, overall: strings.Replace(overall, ",License", ",Licence", 1), score: "Live Overall Acc",
			wantErr: `data_overall.csv has no "license" column`},
		{name: "SiblingModelNotInOverall", table: strings.Replace(live, "BitAgent-Bounty-8B", "BitAgent-Bounty-9B", 1), overall: overall,
			score: "Live Overall Acc", wantRows: 109,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Organization != nil || !strings.Contains(strings.Join(ex.Notes, "\n"), "1 models not in data_overall.csv") {
					t.Errorf("unjoined row %+v, notes %q", r, ex.Notes)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ov []byte
			if tt.overall != "" {
				ov = []byte(tt.overall)
			}
			ex, err := ExtractBFCL([]byte(tt.table), ov, tt.score)
			checkExtractDrift(t, ex, err, tt.wantErr, tt.wantRows)
			if tt.check != nil {
				tt.check(t, ex)
			}
		})
	}
}

// csvHeadersExcept returns the header of a CSV body without the named
// headers: the columns a source reads only as extras.
func csvHeadersExcept(t testing.TB, body []byte, except ...string) []string {
	t.Helper()
	first, _, _ := strings.Cut(string(body), "\n")
	var out []string
	for _, h := range strings.Split(strings.TrimRight(first, "\r"), ",") {
		if columnOf(except, h) < 0 {
			out = append(out, h)
		}
	}
	return out
}

// TestBFCLColumns changes each column the answer ignores (removed,
// renamed, garbled: same rows) and removes or renames each one it needs
// (the board fails naming it), in the board's own CSV and, for a category
// board, in data_overall.csv it joins. See ExtractBFCL for the lists.
func TestBFCLColumns(t *testing.T) {
	overall := testutil.Fixture(t, bfclOverallFixture)
	live := testutil.Fixture(t, "gorilla.cs.berkeley.edu/data_live.csv")
	t.Run("bfcl", func(t *testing.T) {
		needed := []string{"Rank", "Overall Acc", "Model", "Organization", "License"}
		checkColumns(t, columnTolerance{kind: csvKind, body: overall, needed: needed,
			ignored: csvHeadersExcept(t, overall, needed...),
			extract: func(b []byte) (*Extract, error) { return ExtractBFCL(b, nil, "Overall Acc") }})
	})
	t.Run("bfcl-live", func(t *testing.T) {
		needed := []string{"Rank", "Live Overall Acc", "Model"}
		checkColumns(t, columnTolerance{kind: csvKind, body: live, needed: needed,
			ignored: csvHeadersExcept(t, live, needed...),
			extract: func(b []byte) (*Extract, error) { return ExtractBFCL(b, overall, "Live Overall Acc") }})
	})
	t.Run("bfcl-live/data_overall.csv", func(t *testing.T) {
		needed := []string{"Model", "Organization", "License"}
		checkColumns(t, columnTolerance{kind: csvKind, body: overall, needed: needed,
			ignored: csvHeadersExcept(t, overall, needed...),
			extract: func(b []byte) (*Extract, error) { return ExtractBFCL(live, b, "Live Overall Acc") }})
	})
}

func BenchmarkExtractBFCL(b *testing.B) {
	table := testutil.Fixture(b, bfclOverallFixture)
	b.SetBytes(int64(len(table)))
	for b.Loop() {
		if _, err := ExtractBFCL(table, nil, "Overall Acc"); err != nil {
			b.Fatal(err)
		}
	}
}
