package source

import (
	"errors"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// TestExtractGolden runs every extractor over its fixture and compares the
// rows with the reviewed golden file.
func TestExtractGolden(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T) (*Extract, error)
	}{
		{"arena-text", func(t *testing.T) (*Extract, error) {
			return ExtractArena(testutil.Fixture(t, arenaTextFixture), ArenaSelector{"text", "overall", "style_control"})
		}},
		{"arena-text-raw", func(t *testing.T) (*Extract, error) {
			return ExtractArena(testutil.Fixture(t, arenaRawFixture), ArenaSelector{"text", "overall", "raw"})
		}},
		{"arena-webdev", func(t *testing.T) (*Extract, error) {
			return ExtractArena(testutil.Fixture(t, arenaWebDevFixture), ArenaSelector{"code", "webdev", ""})
		}},
		{"designarena-website", func(t *testing.T) (*Extract, error) {
			return ExtractDesignArena(testutil.Fixture(t, daBoardFixture), testutil.Fixture(t, daRegFixture), "models", "website")
		}},
		{"openlm-arena", func(t *testing.T) (*Extract, error) {
			return ExtractOpenLM(testutil.Fixture(t, openlmFixture))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := tt.run(t)
			if err != nil {
				t.Fatal(err)
			}
			testutil.Golden(t, "testdata/golden/"+tt.name+".json", ex)
		})
	}
}

// TestArenaFacts checks facts of the arena fixture written down by hand from
// fixtures/README.md, independently of the golden file.
func TestArenaFacts(t *testing.T) {
	ex, err := ExtractArena(testutil.Fixture(t, arenaTextFixture), ArenaSelector{"text", "overall", "style_control"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 214 || ex.Totals.Models != 214 || ex.Totals.Votes != 2992366 {
		t.Fatalf("rows %d, totals %+v; want 214 rows, 214 models, 2992366 votes", len(ex.Rows), ex.Totals)
	}
	if got := ex.AsOf.Format("2006-01-02"); got != "2025-11-06" {
		t.Errorf("as of %s, want 2025-11-06", got)
	}
	top := ex.Rows[0]
	if top.Model != "gemini-2.5-pro" || top.Rank != 1 || top.Organization == nil || *top.Organization != "Google" {
		t.Errorf("top row %+v, want gemini-2.5-pro rank 1 by Google", top)
	}
	// The page also carries a WebDev board whose leader must not leak in.
	for _, r := range ex.Rows {
		if strings.HasPrefix(r.Model, "qwen3.8-max") {
			t.Fatalf("row %s comes from the embedded WebDev board", r.Model)
		}
	}
	for i, r := range ex.Rows {
		if r.Rank != i+1 {
			t.Fatalf("row %d has rank %d; arena.ai ranks are ordinal", i+1, r.Rank)
		}
		if r.RankUpper > r.Rank || r.Rank > r.RankLower {
			t.Fatalf("row %s: rank %d outside its spread %d–%d", r.Model, r.Rank, r.RankUpper, r.RankLower)
		}
	}
}

// TestArenaWebDevFacts checks the WebDev page (the board of 2026-08-30 as
// a community mirror recorded it; fixtures/arena.ai/SOURCES.md) against
// values read off the mirror by hand.
func TestArenaWebDevFacts(t *testing.T) {
	ex, err := ExtractArena(testutil.Fixture(t, arenaWebDevFixture), ArenaSelector{"code", "webdev", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 121 || ex.Totals.Models != 121 || ex.AsOf.Format("2006-01-02") != "2026-08-30" {
		t.Fatalf("%d rows, totals %+v, as of %v; want 121 rows of 121, 2026-08-30", len(ex.Rows), ex.Totals, ex.AsOf)
	}
	byModel := map[string]arenawatch.Row{}
	for _, r := range ex.Rows {
		byModel[r.Model] = r
	}
	if r := ex.Rows[0]; r.Model != "claude-opus-5-max" || r.Rank != 1 || r.RankLower != 3 || r.Score != 1688 || r.Votes != 10098 ||
		deref(r.Organization) != "Anthropic" || deref(r.License) != "proprietary" {
		t.Errorf("top row %+v", r)
	}
	if r := byModel["inkling"]; r.Rank != 64 || r.RankUpper != 61 || r.RankLower != 73 || deref(r.Organization) != "Thinky" ||
		r.ScoreLower == nil || *r.ScoreLower != 1400 || r.ScoreUpper == nil || *r.ScoreUpper != 1416 {
		t.Errorf("inkling %+v", r)
	}
	// The page shows one display name twice (two rows, no modelKey): the
	// second keeps its own key.
	a, b := byModel["gpt-5.3-codex (codex-harness)"], byModel["gpt-5.3-codex (codex-harness) [2]"]
	if a.Rank != 65 || b.Rank != 82 || b.Name != "gpt-5.3-codex (codex-harness)" || b.Votes != 3505 {
		t.Errorf("repeated name: %+v / %+v", a, b)
	}
	if len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "1 entries repeat an earlier display name") {
		t.Errorf("notes %q", ex.Notes)
	}
	// The page also embeds a compact text board; none of its rows leak in.
	if _, ok := byModel["gpt-4.5-preview-2025-02-27"]; ok {
		t.Error("a row of the embedded text board leaked into WebDev")
	}
	if r := byModel["KAT-Coder-Pro-V1"]; r.Organization != nil || r.License != nil {
		t.Errorf("KAT-Coder-Pro-V1: the mirror names no vendor or licence, got %+v", r)
	}
}

// TestArenaTableMatchesPayload reads every arena.ai fixture page twice,
// once from the flight payload and once from the HTML table, and checks
// the two agree on every row (the table shows rounded scores and CI
// half-widths).
func TestArenaTableMatchesPayload(t *testing.T) {
	pages := 0
	for _, b := range Builtin() {
		if b.Extractor != "arena" {
			continue
		}
		u, err := url.Parse(b.URL())
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(testutil.FixturesDir(), "arena.ai", filepath.FromSlash(u.Path), "index.html")
		page, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // the replay table says which boards must have one
		}
		if err != nil {
			t.Fatal(err)
		}
		pages++
		sel := ArenaSelector{b.Params["arena"], b.Params["category"], b.Params["style"]}
		t.Run(b.ID, func(t *testing.T) {
			payload, err := ExtractArena(page, sel)
			if err != nil {
				t.Fatal(err)
			}
			table, err := ExtractArena(withoutFlight(page), sel)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(table.Notes, "\n"), "rows read from the HTML table") {
				t.Errorf("table read without a note saying so: %v", table.Notes)
			}
			compareRows(t, payload.Rows, table.Rows)
		})
	}
	if pages < 30 {
		t.Fatalf("only %d arena.ai fixture pages found", pages)
	}
}

func compareRows(t *testing.T, payload, table []arenawatch.Row) {
	t.Helper()
	if len(payload) != len(table) {
		t.Fatalf("payload has %d rows, table %d", len(payload), len(table))
	}
	// The tables before 2026 show "Org · Licence" and "score ±CI"; the live
	// table of 2026 shows neither (only the org icon's <title>). What a
	// table shows on any row it must show, and agree on, for every row.
	var showsLicense, showsCI bool
	for _, b := range table {
		showsLicense = showsLicense || b.License != nil
		showsCI = showsCI || b.ScoreLower != nil
	}
	for i := range payload {
		p, b := payload[i], table[i]
		if p.Model != b.Model || p.Rank != b.Rank || p.RankUpper != b.RankUpper || p.RankLower != b.RankLower || p.Votes != b.Votes {
			t.Fatalf("row %d differs:\npayload %+v\ntable   %+v", i+1, p, b)
		}
		bLicense := b.License
		if !showsLicense {
			bLicense = p.License
		}
		if deref(p.Organization) != deref(b.Organization) || deref(p.License) != deref(bLicense) {
			t.Fatalf("row %d (%s): org/license %q/%q vs %q/%q", i+1, p.Model,
				deref(p.Organization), deref(p.License), deref(b.Organization), deref(b.License))
		}
		if math.Abs(p.Score-b.Score) > 0.5 {
			t.Fatalf("row %d (%s): score %v vs table %v", i+1, p.Model, p.Score, b.Score)
		}
		if showsCI && (b.ScoreLower == nil || b.ScoreUpper == nil) {
			t.Fatalf("row %d (%s): table row lost its CI", i+1, p.Model)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestArenaDrift(t *testing.T) {
	page := testutil.Fixture(t, arenaTextFixture)
	stream, chunks, err := FlightStream(page)
	if err != nil || chunks < 10 {
		t.Fatalf("fixture flight stream: %d chunks, %v", chunks, err)
	}
	sel := ArenaSelector{"text", "overall", "style_control"}
	tests := []struct {
		name     string
		page     []byte
		sel      ArenaSelector
		wantErr  string // substring; "" means success
		wantRows int
	}{
		{
			name: "ReassembledWithOtherChunkSizes", page: testutil.FlightPage(t, stream, 7, ""), sel: sel, wantRows: 214,
		},
		{
			name: "BareFlightStream", page: []byte(stream), sel: sel, wantRows: 214,
		},
		{
			name:    "PayloadMissingTheBoard",
			page:    testutil.FlightPage(t, strings.Replace(stream, `"arenaSlug":"text"`, `"arenaSlug":"vision"`, 1), 900, ""),
			sel:     sel,
			wantErr: "no board text/overall (style control) in the flight payload (it has: code/webdev (raw), vision/overall (style control))",
		},
		{
			name:    "PayloadMissingTheBoardIgnoresTable",
			page:    testutil.FlightPage(t, strings.Replace(stream, `"arenaSlug":"text"`, `"arenaSlug":"vision"`, 1), 900, tableHTML(t, page)),
			sel:     sel,
			wantErr: "no board text/overall (style control) in the flight payload",
		},
		{
			name:     "PayloadWithoutBoardsFallsBackToTable",
			page:     testutil.FlightPage(t, "1:\"$Sreact.fragment\"\n", 900, tableHTML(t, page)),
			sel:      sel,
			wantRows: 214,
		},
		{
			name:    "WrongStyleAsked",
			page:    page,
			sel:     ArenaSelector{"text", "overall", "raw"},
			wantErr: "no board text/overall (raw)",
		},
		{
			name:    "NoPayloadNoTable",
			page:    []byte("<!DOCTYPE html><html><body><p>Leaderboard is loading…</p></body></html>"),
			sel:     sel,
			wantErr: "the page has no flight payload (self.__next_f.push); HTML table fallback: no <table> in the page",
		},
		{
			name:    "PayloadWithoutLeaderboard",
			page:    testutil.FlightPage(t, "1:\"$Sreact.fragment\"\n2:[\"$\",\"div\",null,{}]\n", 10, ""),
			sel:     sel,
			wantErr: `no leaderboard object (key "arenaSlug") in the flight payload`,
		},
		{
			name:    "EntryWithoutRating",
			page:    testutil.FlightPage(t, strings.Replace(stream, `"rating":1452.09`, `"score":1452.09`, 1), 900, ""),
			sel:     sel,
			wantErr: `entry 1: gemini-2.5-pro: entries[0].rating: missing (a field the answer needs)`,
		},
		{
			// The board is there but unreadable: the table must not hide it.
			name:    "EntryWithoutRatingIgnoresTable",
			page:    testutil.FlightPage(t, strings.Replace(stream, `"rating":1452.09`, `"score":1452.09`, 1), 900, tableHTML(t, page)),
			sel:     sel,
			wantErr: `entries[0].rating: missing`,
		},
		{
			name:    "BrokenChunk",
			page:    []byte(`<html><body><script>self.__next_f.push([1,"abc)</script></body></html>`),
			sel:     sel,
			wantErr: "flight chunk 1 is not a JSON array",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractArena(tt.page, tt.sel)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("want error containing %q, got %d rows", tt.wantErr, len(ex.Rows))
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %q does not contain %q", err, tt.wantErr)
				}
				if arenawatch.KindOf(err) != arenawatch.KindDrift {
					t.Fatalf("error kind %v, want markup drift", arenawatch.KindOf(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.Rows) != tt.wantRows {
				t.Fatalf("%d rows, want %d", len(ex.Rows), tt.wantRows)
			}
		})
	}
}

// TestArenaTableColumns covers the table fallback when columns move, on
// the 2025 table (six columns with plain header texts).
func TestArenaTableColumns(t *testing.T) {
	page := withoutFlight(testutil.Fixture(t, arena2025Fixture))
	want, err := ExtractArena(page, ArenaSelector{"vision", "overall", "raw"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ReorderedWithHeaders", func(t *testing.T) {
		got, err := ExtractArena(permuteColumns(t, page, []int{4, 2, 0, 3, 1, 5}), ArenaSelector{})
		if err != nil {
			t.Fatal(err)
		}
		compareRows(t, want.Rows, got.Rows)
	})
	t.Run("ReorderedWithoutHeaders", func(t *testing.T) {
		p := permuteColumns(t, page, []int{2, 0, 1, 3, 4, 5})
		p = []byte(strings.Replace(string(p), "<thead>", "<thead hidden>", 1))
		p = regexpRemove(p, `(?s)<thead.*?</thead>`)
		_, err := ExtractArena(p, ArenaSelector{})
		if err == nil || !strings.Contains(err.Error(), "table row 1") || arenawatch.KindOf(err) != arenawatch.KindDrift {
			t.Fatalf("want a drift error about table row 1, got %v", err)
		}
	})
	t.Run("ScoreColumnRenamed", func(t *testing.T) {
		p := []byte(strings.Replace(string(page), ">Score</th>", ">Points</th>", 1))
		_, err := ExtractArena(p, ArenaSelector{})
		if err == nil || !strings.Contains(err.Error(), `table has no "score" column`) {
			t.Fatalf("want a missing score column error, got %v", err)
		}
	})
}

func TestOpenLM(t *testing.T) {
	ex, err := ExtractOpenLM(testutil.Fixture(t, openlmFixture))
	if err != nil {
		t.Fatal(err)
	}
	// 314 rows in the fixture, 17 of them without an Arena Elo.
	if len(ex.Rows) != 297 {
		t.Fatalf("%d rows, want 297", len(ex.Rows))
	}
	top := ex.Rows[0]
	if top.Model != "claude opus 5" || top.Score != 1511 || deref(top.Organization) != "Anthropic" || deref(top.License) != "Proprietary" || top.Extra["badge"] != "🏆" {
		t.Errorf("top row %+v", top)
	}
	kimi := findRow(t, ex.Rows, "kimi-k3")
	if kimi.Extra["mark"] != "✅" || deref(kimi.License) != "Kimi K3" {
		t.Errorf("kimi-k3 row %+v: want the ✅ mark kept apart and licence Kimi K3", kimi)
	}
	dup := findRow(t, ex.Rows, "claude opus 4.5 [2]")
	if dup.Name != "claude opus 4.5" || dup.Score != 1462 {
		t.Errorf("second claude opus 4.5 row %+v", dup)
	}
	t.Run("NoTable", func(t *testing.T) {
		_, err := ExtractOpenLM([]byte("<html><body><table><tr><td>x</td></tr></table></body></html>"))
		if err == nil || !strings.Contains(err.Error(), "no table.sortable") || arenawatch.KindOf(err) != arenawatch.KindDrift {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("MissingLicenseColumn", func(t *testing.T) {
		p := strings.Replace(string(testutil.Fixture(t, openlmFixture)), "<th>License</th>", "<th>Licence terms</th>", 1)
		_, err := ExtractOpenLM([]byte(p))
		if err == nil || !strings.Contains(err.Error(), "no license column") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ReorderedColumns", func(t *testing.T) {
		p := permuteColumns(t, testutil.Fixture(t, openlmFixture), []int{9, 8, 1, 0, 2, 3, 4, 5, 6, 7})
		got, err := ExtractOpenLM(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != len(ex.Rows) || got.Rows[5].Model != ex.Rows[5].Model || deref(got.Rows[5].License) != deref(ex.Rows[5].License) {
			t.Fatalf("reordered page read differently: %+v vs %+v", got.Rows[5], ex.Rows[5])
		}
	})
}

// TestOpenLMColumns changes each column the answer ignores (removed,
// renamed, garbled: same rows) and removes or renames each one it needs
// (the board fails naming it). See ExtractOpenLM for the lists.
func TestOpenLMColumns(t *testing.T) {
	checkColumns(t, columnTolerance{
		kind:    htmlKind,
		body:    testutil.Fixture(t, openlmFixture),
		extract: ExtractOpenLM,
		needed:  []string{"Model", "Arena Elo", "Organization", "License"},
		ignored: []string{"Rank", "Coding", "Vision", "AAII", "MMLU-Pro", "ARC-AGI"},
	})
}

func findRow(t *testing.T, rows []arenawatch.Row, model string) arenawatch.Row {
	t.Helper()
	for _, r := range rows {
		if r.Model == model {
			return r
		}
	}
	t.Fatalf("no row %q", model)
	return arenawatch.Row{}
}

func TestArenaBoardWithoutViewOrCategory(t *testing.T) {
	// A page whose board object names only its arena: the URL chose it.
	stream := `1:{"leaderboard":{"arenaSlug":"text","entries":[` +
		`{"modelDisplayName":"gemini-4-argon-high","modelOrganization":"Google","rating":1524.8,"rank":1,"rankUpper":1,"rankLower":1,"votes":4942,"license":"Proprietary"},` +
		`{"modelDisplayName":"glm-5.3","modelOrganization":"Z.ai","rating":1500.1,"rank":2,"rankUpper":2,"rankLower":4,"votes":9000,"license":"MIT"}]},` +
		`"voteCutoffISOString":"2026-09-30T14:00:00.000Z","totalModels":410,"totalVotes":8602501}` + "\n"
	ex, err := ExtractArena(testutil.FlightPage(t, stream, 50, ""), ArenaSelector{"text", "overall", "style_control"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Rows) != 2 || ex.Rows[0].Model != "gemini-4-argon-high" || ex.Totals.Models != 410 || ex.AsOf.Format(time.RFC3339) != "2026-09-30T14:00:00Z" {
		t.Fatalf("got %+v", ex)
	}
	if len(ex.Notes) == 0 || !strings.Contains(ex.Notes[0], "does not state") {
		t.Fatalf("notes %v", ex.Notes)
	}
}

func TestHeaderKey(t *testing.T) {
	for in, want := range map[string]string{
		"Score ▼":          "score",
		" Rank (UB) ":      "rank (ub)",
		"95% CI (±)":       "95% ci (±)",
		"Arena\u00a0Elo ⇅": "arena elo",
		"MMLU-Pro":         "mmlu-pro",
	} {
		if got := headerKey(in); got != want {
			t.Errorf("headerKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArtificialAnalysis(t *testing.T) {
	body := testutil.Fixture(t, "artificialanalysis.ai/api/v2/data/llms/models/index.json")
	ex, err := ExtractArtificialAnalysis(body, "artificial_analysis_intelligence_index")
	if err != nil {
		t.Fatal(err)
	}
	// 26 models in the fixture, one without an index.
	if len(ex.Rows) != 25 || len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "1 models without") {
		t.Fatalf("%d rows, notes %v", len(ex.Rows), ex.Notes)
	}
	oss := findRow(t, ex.Rows, "gpt-oss-120b")
	if deref(oss.Organization) != "OpenAI" || oss.Open == nil || !*oss.Open || deref(oss.License) != "Apache 2.0" || oss.Metrics["coding_index"] == 0 {
		t.Errorf("gpt-oss-120b: %+v", oss)
	}
	for name, body := range map[string]string{
		"NotJSON": "<html>login</html>",
		"NoData":  `{"status":401,"error":"invalid key"}`,
		"NoKey":   `{"data":[{"evaluations":{"artificial_analysis_intelligence_index":50}}]}`,
	} {
		if _, err := ExtractArtificialAnalysis([]byte(body), "artificial_analysis_intelligence_index"); err == nil || arenawatch.KindOf(err) != arenawatch.KindDrift {
			t.Errorf("%s: %v", name, err)
		}
	}
}
