package main

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/replay"
	"github.com/arenawatch/arenawatch/scraper"
	"github.com/arenawatch/arenawatch/source"
)

const adoptionBoard = "openrouter-daily-tokens"

// Facts of the fixture day (fixtures/openrouter.ai: OpenRouter's rankings
// export, 2026-10-07), summed by hand from the CSV.
const (
	fixtureDayTokens   = 25120908105361 // all 51 rows
	fixtureOtherTokens = 1771712615873  // the "other" row
	// The open models that join /api/v1/models with a Hugging Face id and
	// are not Chinese: gemma-4-31b-it, gemma-4-26b-a4b-it (Google),
	// nemotron-3-super :free (NVIDIA), gpt-oss-120b (OpenAI).
	fixtureNonCNOpenJoined = 67744097153 + 60090604943 + 94419465669 + 84148615616
)

// checkFixtureAdoption checks what holds for the fixture day whatever the
// embedded catalog learns later: the totals, the "other" row counted as
// unclassified, the four classes adding up, and the joined open models
// counted as open and not Chinese.
func checkFixtureAdoption(t *testing.T, r ranking.AdoptionReport) {
	t.Helper()
	if r.Board != adoptionBoard || r.AsOf.Format(time.DateOnly) != "2026-10-07" || r.Rows != 51 || r.TotalTokens != fixtureDayTokens || r.OtherTokens != fixtureOtherTokens {
		t.Fatalf("board %s as of %v, %d rows, %d tokens (other %d)", r.Board, r.AsOf, r.Rows, r.TotalTokens, r.OtherTokens)
	}
	classes := []ranking.AdoptionShare{r.ChineseOpen, r.NonChineseOpen, r.Closed, r.Unclassified}
	var tokens int64
	var share float64
	count := 0
	for _, c := range classes {
		tokens += c.Tokens
		share += c.Share
		count += c.Count
	}
	if tokens != r.TotalTokens || math.Abs(share-1) > 1e-9 || count != r.Rows {
		t.Errorf("classes add up to %d tokens, share %v, %d rows", tokens, share, count)
	}
	if r.Unclassified.Tokens < fixtureOtherTokens || !slices.Contains(r.Unclassified.Models, "other") {
		t.Errorf("the other row is not unclassified: %+v", r.Unclassified)
	}
	if r.NonChineseOpen.Tokens < fixtureNonCNOpenJoined {
		t.Errorf("non-Chinese open %d tokens, want at least the joined open models' %d: %v", r.NonChineseOpen.Tokens, int64(fixtureNonCNOpenJoined), r.NonChineseOpen.Models)
	}
	for _, m := range []string{"google/gemma-4-31b-it-20260402", "openai/gpt-oss-120b", "nvidia/nemotron-3-super-120b-a12b-20230311:free"} {
		if !slices.Contains(r.NonChineseOpen.Models, m) {
			t.Errorf("%s is not counted as open and not Chinese: %v", m, r.NonChineseOpen.Models)
		}
	}
	if !slices.Contains(r.Closed.Models, "google/gemini-2.5-flash") {
		t.Errorf("gemini-2.5-flash (joined, no Hugging Face id) is not closed: %v", r.Closed.Models)
	}
}

// TestAdoptionReportOutput scrapes the OpenRouter fixtures with the real
// runner and checks the report text and JSON for the fixture day.
func TestAdoptionReportOutput(t *testing.T) {
	rp, err := replay.Start(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	b, ok := source.Builtin().Get(adoptionBoard)
	if !ok {
		t.Fatalf("no built-in board %s", adoptionBoard)
	}
	if !b.Usage {
		t.Fatalf("%s is not answered with adoption shares", b.ID)
	}
	runner := &scraper.Runner{Fetcher: fetch.New(fetch.Options{RequestTimeout: 5 * time.Second, HostDelay: -1}),
		Origin: arenawatch.OriginReplayed, Allow: rp.Allow, MissingHint: replay.MissingHint, Now: func() time.Time { return time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC) }}
	res := runner.Board(context.Background(), rp.RewriteBoards(arenawatch.Boards{b})[0])
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	rep := ranking.Adoption(res.Snapshot, ranking.Embedded(), ranking.ViewDeveloper)
	checkFixtureAdoption(t, rep)

	var out bytes.Buffer
	printAdoptions(&out, false, []string{b.Title}, []ranking.AdoptionReport{rep})
	text := out.String()
	for _, want := range []string{
		adoptionBoard + " — OpenRouter daily token share",
		"fetched 2026-11-28 17:00 UTC, tokens of 2026-10-07, 51 rows (replayed)",
		"tokens that day              25.12T",
		`(incl. "other", every model outside the top list: 1.77T tokens)`,
		"most used open, not Chinese",
		"catalog                      " + ranking.Embedded().Version(),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q:\n%s", want, text)
		}
	}
	if strings.HasPrefix(text, "\n") {
		t.Errorf("blank line before the first board:\n%s", text)
	}
	lineage := ranking.Adoption(res.Snapshot, ranking.Embedded(), ranking.ViewLineage)
	out.Reset()
	printAdoptions(&out, true, []string{b.Title}, []ranking.AdoptionReport{lineage})
	if !strings.HasPrefix(out.String(), "\n"+adoptionBoard) || !strings.Contains(out.String(), "origin by lineage") {
		t.Errorf("lineage view output:\n%s", out.String())
	}
}

// TestScrapeAndReportAdoption runs the CLI end to end on the fixtures:
// scrape the board, then report it (text and JSON).
func TestScrapeAndReportAdoption(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	sum := decode[scrapeJSON](t, c.must("scrape", "--replay", fixtures, adoptionBoard, "--json").stdout)
	if len(sum.Boards) != 1 || sum.Boards[0].Status != "stored" || sum.Boards[0].Rows != 51 {
		t.Fatalf("scrape: %+v", sum.Boards)
	}
	rep := decode[reportJSON](t, c.must("report", adoptionBoard, "--json").stdout)
	if len(rep.Boards) != 0 || len(rep.Adoption) != 1 || len(rep.Missing) != 0 {
		t.Fatalf("report: %d ranked boards, %d adoption, missing %v", len(rep.Boards), len(rep.Adoption), rep.Missing)
	}
	checkFixtureAdoption(t, rep.Adoption[0])
	if rep.Adoption[0].Origin != arenawatch.OriginReplayed {
		t.Errorf("origin %q", rep.Adoption[0].Origin)
	}
	text := c.must("report", adoptionBoard).stdout
	if !strings.Contains(text, "tokens of 2026-10-07") || !strings.Contains(text, "unclassified") {
		t.Errorf("report text:\n%s", text)
	}
	lineage := decode[reportJSON](t, c.must("report", adoptionBoard, "--origin", "lineage", "--json").stdout)
	if len(lineage.Adoption) != 1 || lineage.Adoption[0].OriginView != ranking.ViewLineage {
		t.Errorf("--origin lineage: %+v", lineage.Adoption)
	}
}
