package longform

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
)

// board is arena-text-raw as far as the reader cares: its id and limits.
var board = arenawatch.Board{ID: "arena-text-raw", Limits: arenawatch.Limits{MinRows: 20}}

// archive is the fixture: three dates of LMArena's text leaderboard (raw
// scores), as a community archive keeps them (testdata/README.md).
const archive = "testdata/lmarena-text-archive.csv"

func readFixture(t *testing.T) *CSVResult {
	t.Helper()
	body, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ReadCSV(body, CSVOptions{Board: board, Doc: arenawatch.Document{Name: "csv", URL: "file:///archive.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rowOf(t *testing.T, s *arenawatch.Snapshot, model string) arenawatch.Row {
	t.Helper()
	for _, r := range s.Rows {
		if r.Model == model {
			return r
		}
	}
	t.Fatalf("%s: no row %q", s.FetchedAt.Format(time.DateOnly), model)
	return arenawatch.Row{}
}

// TestReadCSVFixture reads the real archive: every value below is the
// archive's own (LMArena's published table of that date).
func TestReadCSVFixture(t *testing.T) {
	res := readFixture(t)
	if want := []string{"UTF-8 byte order mark removed", "CRLF line ends", "2 blank lines skipped"}; !slices.Equal(res.File, want) {
		t.Errorf("file quirks %q, want %q", res.File, want)
	}
	var days []string
	for _, ds := range res.Dates {
		if ds.Err != nil {
			t.Fatalf("%v", ds.Err)
		}
		days = append(days, ds.Date.Format(time.DateOnly))
		s := ds.Snapshot
		if s.Origin != arenawatch.OriginImported || !s.FetchedAt.Equal(ds.Date) || !s.AsOf.Equal(ds.Date) || s.ContentHash == "" ||
			len(s.Documents) != 1 || s.SHA256 != s.Documents[0].SHA256 || s.Documents[0].Size == 0 {
			t.Errorf("snapshot %+v", s)
		}
	}
	if want := []string{"2024-06-19", "2025-02-18", "2025-08-04"}; !slices.Equal(days, want) {
		t.Fatalf("dates %v, want %v", days, want)
	}
	first, mid, last := res.Dates[0].Snapshot, res.Dates[1].Snapshot, res.Dates[2].Snapshot
	// 2024-06-19,1,GPT-4o-2024-05-13,1287,+3/-3,42046,OpenAI,Proprietary
	gpt := rowOf(t, first, "GPT-4o-2024-05-13")
	if gpt.Rank != 1 || gpt.Score != 1287 || *gpt.ScoreLower != 1284 || *gpt.ScoreUpper != 1290 || gpt.Votes != 42046 ||
		*gpt.Organization != "OpenAI" || *gpt.License != "Proprietary" {
		t.Errorf("GPT-4o row %+v", gpt)
	}
	// +3/-4: three up, four down.
	if g := rowOf(t, first, "Gemini-Advanced-0514"); *g.ScoreLower != 1263 || *g.ScoreUpper != 1270 {
		t.Errorf("asymmetric CI read as %v … %v, want 1263 … 1270", *g.ScoreLower, *g.ScoreUpper)
	}
	// Written "-6/+7" (lower first): 1402 − 6 … 1402 + 7.
	if c := rowOf(t, mid, "chocolate (Early Grok-3)"); *c.ScoreLower != 1396 || *c.ScoreUpper != 1409 {
		t.Errorf("-6/+7 read as %v … %v, want 1396 … 1409", *c.ScoreLower, *c.ScoreUpper)
	}
	// "±9" and "4,112": GLM-4.5 on 2025-08-04.
	if g := rowOf(t, last, "GLM-4.5"); *g.ScoreLower != 1425 || *g.ScoreUpper != 1443 || g.Votes != 4112 || *g.License != "MIT" {
		t.Errorf("GLM-4.5 row %+v", g)
	}
	// Yi-34B-Chat is listed twice on 2025-08-04, at ranks 200 and 201,
	// identically: one row is kept, and the notes say so.
	if len(last.Rows) != 34 || last.Duplicates != 1 || res.Dates[2].Rows != 35 {
		t.Errorf("2025-08-04: %d rows, %d duplicates (of %d lines); want 34, 1, 35", len(last.Rows), last.Duplicates, res.Dates[2].Rows)
	}
	notes := strings.Join(QuirkNotes(last.Notes), "\n")
	for _, want := range []string{
		`1 exact duplicate rows dropped: Yi-34B-Chat`,
		`column "votes": thousands separators removed in 35 rows`,
		`column "ci95" read as half-widths around the score: 35 "±x"`,
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("2025-08-04 notes lack %q:\n%s", want, notes)
		}
	}
	if n := strings.Join(QuirkNotes(mid.Notes), "\n"); !strings.Contains(n, `11 "+x/-x", 13 "+x/-y" asymmetric`) {
		t.Errorf("2025-02-18 notes:\n%s", n)
	}
	if !slices.ContainsFunc(first.Notes, func(n string) bool { return strings.HasPrefix(n, "file: UTF-8 byte order mark removed") }) {
		t.Errorf("notes lack the file's quirks: %q", first.Notes)
	}
}

// csvOf builds an archive: the header, then n rows per date of models
// m0…m(n-1), with edits applied by line (1 = the first row after the
// header).
func csvOf(header string, dates []string, n int, edit map[int]string) string {
	lines := []string{header}
	for _, d := range dates {
		for i := range n {
			lines = append(lines, d+","+itoa(i+1)+",m"+itoa(i)+","+itoa(1400-i)+",+5/-5,1000,Google,Gemma")
		}
	}
	for i, l := range edit {
		lines[i] = l
	}
	return strings.Join(lines, "\n") + "\n"
}

func itoa(i int) string { return strconv.Itoa(i) }

const hdr = "snapshot_date,rank,model,score,ci95,votes,organization,license"

// TestReadCSVCases: what fails a date, what fails the file, what is only
// noted.
func TestReadCSVCases(t *testing.T) {
	two := []string{"2024-01-01", "2024-02-01"}
	tests := []struct {
		name     string
		body     string
		fileErr  string   // the whole file fails with this
		failed   []string // dates that fail, with this in the message
		failMsg  string
		noteWant string // a note of the first date
	}{
		{name: "Clean", body: csvOf(hdr, two, 20, nil)},
		{name: "BadScore", body: csvOf(hdr, two, 20, map[int]string{3: "2024-01-01,3,m2,high,+5/-5,1000,Google,Gemma"}),
			failed: []string{"2024-01-01"}, failMsg: `line 4, column "score": "high" is not a number`},
		{name: "NoModel", body: csvOf(hdr, two, 20, map[int]string{21: "2024-02-01,1,,1400,+5/-5,1000,Google,Gemma"}),
			failed: []string{"2024-02-01"}, failMsg: `line 22, column "model": no model`},
		{name: "UnquotedComma", body: csvOf(hdr, two, 20, map[int]string{2: "2024-01-01,2,m1,1399,+5/-5,12,345,Google,Gemma"}),
			failed: []string{"2024-01-01"}, failMsg: "line 3 has 9 fields, the header 8"},
		{name: "TooFewRows", body: csvOf(hdr, two, 20, nil) + "2024-03-01,1,m0,1400,,,,\n",
			failed: []string{"2024-03-01"}, failMsg: "too few rows: 1, want at least 20"},
		{name: "SameModelDiffers", body: csvOf(hdr, two, 20, map[int]string{2: "2024-01-01,2,m0,1390,+5/-5,1000,Google,Gemma"}),
			noteWant: `m0 kept as "m0 [2]"`},
		{name: "BadRankNoted", body: csvOf(hdr, two, 20, map[int]string{2: "2024-01-01,2.5,m1,1399,+5/-5,1000,Google,Gemma"}),
			noteWant: `column "rank": 1 malformed values left out (line 3: "2.5" is not a whole number from 1)`},
		{name: "BadCINoted", body: csvOf(hdr, two, 20, map[int]string{2: "2024-01-01,2,m1,1399,1390-1410,1000,Google,Gemma"}),
			noteWant: `column "ci95": 1 malformed values left out`},
		{name: "EmptyRowsSkipped", body: csvOf(hdr, two, 20, nil) + ",,,,,,,\n\n"},
		{name: "BadDate", body: csvOf(hdr, two, 20, map[int]string{5: "2024-13-01,5,m4,1396,+5/-5,1000,Google,Gemma"}),
			fileErr: `line 6, column "snapshot_date": "2024-13-01" is not a date`},
		{name: "NoScoreColumn", body: "snapshot_date,model,elo_score\n2024-01-01,m0,1400\n",
			fileErr: "no score column: the header has none of score, arena_score"},
		{name: "NotUTF8", body: hdr + "\n2024-01-01,1,caf\xe9,1400,,,,\n", fileErr: "line 2 is not UTF-8"},
		{name: "HeaderOnly", body: hdr + "\n", fileErr: "a header but no rows"},
		{name: "Empty", body: "", fileErr: "no header row"},
		{name: "BareQuote", body: hdr + "\n2024-01-01,1,\"m0,1400\n", fileErr: "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadCSV([]byte(tt.body), CSVOptions{Board: board})
			if tt.fileErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.fileErr) || !arenawatch.IsKind(err, arenawatch.KindInvalid) {
					t.Fatalf("error %v, want one with %q", err, tt.fileErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			for _, ds := range res.Dates {
				if ds.Err != nil {
					failed = append(failed, ds.Date.Format(time.DateOnly))
					if !strings.Contains(ds.Err.Error(), tt.failMsg) {
						t.Errorf("%v, want %q", ds.Err, tt.failMsg)
					}
					continue
				}
				if err := arenawatch.Validate(ds.Snapshot, board.Limits); err != nil {
					t.Errorf("a stored date does not validate: %v", err)
				}
			}
			if !slices.Equal(failed, tt.failed) {
				t.Errorf("failed dates %v, want %v", failed, tt.failed)
			}
			if tt.noteWant != "" {
				if n := strings.Join(res.Dates[0].Snapshot.Notes, "\n"); !strings.Contains(n, tt.noteWant) {
					t.Errorf("notes lack %q:\n%s", tt.noteWant, n)
				}
			}
		})
	}
}

func TestMapColumns(t *testing.T) {
	tests := []struct {
		name    string
		header  []string
		mapping map[string]string
		want    map[string]Field
		ignored []string
		err     string
	}{
		{name: "CommunityArchive", header: strings.Split("snapshot_date,commit,rank,model,score,ci95,votes,organization,license", ","),
			want: map[string]Field{"snapshot_date": FieldDate, "rank": FieldRank, "model": FieldModel, "score": FieldScore,
				"ci95": FieldCI, "votes": FieldVotes, "organization": FieldOrganization, "license": FieldLicense},
			ignored: []string{"commit"}},
		{name: "CaseAndSynonyms", header: []string{"Date", "Model Name", "Arena Score", "95% CI", "Votes", "Organisation", "Licence"},
			want: map[string]Field{"Date": FieldDate, "Model Name": FieldModel, "Arena Score": FieldScore, "95% CI": FieldCI,
				"Votes": FieldVotes, "Organisation": FieldOrganization, "Licence": FieldLicense}},
		{name: "ModelAndName", header: []string{"date", "model", "name", "rating", "rating_q025", "rating_q975"},
			want: map[string]Field{"date": FieldDate, "model": FieldModel, "name": FieldName, "rating": FieldScore,
				"rating_q025": FieldScoreLower, "rating_q975": FieldScoreUpper}},
		{name: "MapOverrides", header: []string{"day", "when", "llm", "elo", "rank_stylectrl", "note"},
			mapping: map[string]string{"WHEN": "date", "llm": "model", "rank_stylectrl": "metric:rank_style", "note": "extra:note", "day": "-"},
			want: map[string]Field{"when": FieldDate, "llm": FieldModel, "elo": FieldScore, "rank_stylectrl": "metric:rank_style",
				"note": "extra:note"}, ignored: []string{"day"}},
		{name: "MissingModel", header: []string{"date", "score"}, err: "no model column"},
		{name: "UnknownField", header: []string{"date", "model", "score"}, mapping: map[string]string{"score": "points"}, err: `unknown field "points"`},
		{name: "UnknownColumn", header: []string{"date", "model", "score"}, mapping: map[string]string{"elo": "score"}, err: `the file has no column "elo"`},
		{name: "TwoForOne", header: []string{"date", "model", "score", "elo"}, mapping: map[string]string{"score": "score", "elo": "score"}, err: "both mapped to score"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := MapColumns(tt.header, tt.mapping)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Read) != len(tt.want) {
				t.Errorf("read %v, want %v", c.Read, tt.want)
			}
			for col, f := range tt.want {
				if c.Read[col] != f {
					t.Errorf("column %q read as %q, want %q", col, c.Read[col], f)
				}
			}
			if !slices.Equal(c.Ignored, tt.ignored) {
				t.Errorf("ignored %q, want %q", c.Ignored, tt.ignored)
			}
		})
	}
}
