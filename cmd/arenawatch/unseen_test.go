package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

// azcineTop30 is the real top 30 of arena.ai's text board (style control)
// captured on 2026-10-02 (vote cutoff 2026-09-30; azcine94/_AZCine,
// research/references/arena/overall-top30.json): rank, spread, name,
// organization, rating, votes. The capture has no licence field.
var azcineTop30 = []struct {
	rank, upper, lower int
	name, org          string
	rating             float64
	votes              int
}{
	{1, 1, 1, "gemini-4-argon-high", "Google", 1524.84, 4942},
	{2, 2, 7, "claude-opus-4-6-high", "Anthropic", 1505.49, 77193},
	{3, 2, 9, "claude-fable-5-high", "Anthropic", 1504.87, 37900},
	{4, 2, 14, "claude-opus-5.5-high", "Anthropic", 1503.98, 3932},
	{5, 2, 11, "claude-opus-4-7-high", "Anthropic", 1501.69, 64607},
	{6, 2, 14, "claude-fable-5.1-max", "Anthropic", 1501.25, 11241},
	{7, 3, 15, "claude-opus-4-6", "Anthropic", 1497.37, 81769},
	{8, 3, 20, "muse-spark-1.3-max", "Meta", 1494.65, 11698},
	{9, 4, 17, "claude-opus-4-7", "Anthropic", 1494.34, 65705},
	{10, 2, 26, "muse-spark-1.2 (xHigh)", "Meta", 1494.15, 3833},
	{11, 4, 20, "gemini-3.8-flash-high", "Google", 1494.09, 24828},
	{12, 5, 22, "muse-spark-1.1", "Meta", 1491.83, 36558},
	{13, 5, 22, "claude-opus-5-high", "Anthropic", 1491.19, 58380},
	{14, 7, 27, "claude-opus-5-max", "Anthropic", 1489.08, 28351},
	{15, 5, 27, "muse-spark", "Meta", 1489.05, 14128},
	{16, 8, 28, "gemini-3.7-flash-high", "Google", 1488.3, 20851},
	{17, 8, 27, "kimi-k3-max", "Moonshot", 1488.03, 27719},
	{18, 9, 27, "gemini-3.1-pro-preview", "Google", 1486.96, 121225},
	{19, 9, 28, "gemini-3-pro", "Google", 1485.47, 41910},
	{20, 11, 34, "gpt-5.6-sol-xhigh", "OpenAI", 1483.76, 36002},
	{21, 11, 37, "gemini-3.6-flash-high", "Google", 1483.09, 35640},
	{22, 13, 39, "gpt-5.5-high", "OpenAI", 1481.34, 69312},
	{23, 13, 40, "claude-opus-4-8-high", "Anthropic", 1481.29, 63577},
	{24, 13, 42, "qwen3.8-max", "Alibaba", 1480.86, 22809},
	{25, 9, 48, "mimo-v2.6-pro", "Xiaomi", 1479.62, 4074},
	{26, 13, 44, "glm-5.3-max", "Z.ai", 1479.39, 17268},
	{27, 20, 44, "gemini-3.5-flash-high", "Google", 1477.07, 47981},
	{28, 20, 44, "gpt-5.5", "OpenAI", 1476.73, 70894},
	{29, 20, 46, "gemini-3.5-flash-medium", "Google", 1476.2, 46735},
	{30, 18, 51, "gpt-6-astra-max", "OpenAI", 1476.18, 8565},
}

// TestUnseenArenaPage scrapes a page the fixtures do not cover, in another
// layout arena.ai could send: entries without modelKey, the vote cutoff and
// totals in a row of their own, tiny chunks, and only the top 30 of the 410
// models the page states. It must be stored as a partial list, and since
// the page names no licences, openness must come out unknown, not guessed,
// except where a catalog rule or line knows the model.
func TestUnseenArenaPage(t *testing.T) {
	var entries []map[string]any
	for _, r := range azcineTop30 {
		entries = append(entries, map[string]any{
			"rank": r.rank, "rankUpper": r.upper, "rankLower": r.lower, "modelDisplayName": r.name,
			"modelOrganization": r.org, "rating": r.rating, "votes": r.votes, "releaseType": nil,
		})
	}
	page := arenaPage(entries, 410)
	url := serve(t, "/leaderboard/text", page)

	c := newCLI(t)
	defer c.checkDB()
	r := c.must("scrape", "arena-text", "--url", "arena-text="+url, "--json")
	if b := decode[scrapeJSON](t, r.stdout).Boards[0]; b.Status != "stored" || b.Rows != 30 || b.AsOf == nil || b.AsOf.Format("2006-01-02") != "2026-09-30" {
		t.Fatalf("scrape: %+v", b)
	}
	rep := decode[reportJSON](t, c.must("report", "arena-text", "--json").stdout).Boards[0]
	if !rep.Partial || rep.StatedTotal != 410 || rep.Rows != 30 {
		t.Errorf("partial %v, stated %d, rows %d; want a partial list of 30 of 410", rep.Partial, rep.StatedTotal, rep.Rows)
	}
	// The page names no licences: the only open models are those a catalog
	// line knows (Kimi K3, GLM-5.3; both Chinese), and no non-Chinese open
	// model is made up.
	if l := rep.LeadingOpen; l == nil || l.Model != "kimi-k3-max" || l.OpenBasis != "catalog line kimi-k3*" || rep.BestOpenNonCN != nil {
		t.Errorf("leading open %+v, best open non-Chinese %+v; want kimi-k3-max by its line, and none", rep.LeadingOpen, rep.BestOpenNonCN)
	}
	// The catalog decides 29 rows without a licence: a rule (the Qwen Max
	// line is API-only) and lines (Claude, Gemini, OpenAI's GPT and Meta's
	// Muse Spark closed; Kimi K3 and GLM-5.3 open). A line it has none for
	// stays unknown, not guessed: Xiaomi's MiMo V2.6 (MiMo V2 Pro is
	// labelled Proprietary, other MiMo models open).
	wantUnknown := "mimo-v2.6-pro"
	if rep.Unclassified.OpennessUnknown != 1 || rep.Unclassified.OriginUnknown != 0 || strings.Join(rep.Unclassified.Models, ",") != wantUnknown {
		t.Errorf("unclassified %+v: want openness unknown for %s, origin known for all", rep.Unclassified, wantUnknown)
	}
	human := c.must("report", "arena-text").stdout
	for _, want := range []string{"30 rows of 410 stated (partial list", "leading open model           kimi-k3-max (Moonshot AI, CN, licence not stated) — rank 17", "best open, not Chinese       none", "as of 2026-09-30"} {
		if !strings.Contains(human, want) {
			t.Errorf("report does not say %q:\n%s", want, human)
		}
	}
}

// arenaPage renders entries as an arena.ai text page (style control) in
// a layout the fixtures do not use: the vote cutoff and totals in a row of
// their own, pushed in small chunks.
func arenaPage(entries []map[string]any, totalModels int) []byte {
	board, _ := json.Marshal(map[string]any{"leaderboard": map[string]any{
		"arenaSlug": "text", "leaderboardSlug": "overall",
		"params":  map[string]any{"category": "overall", "styleControl": true},
		"entries": entries,
	}})
	stream := "0:\"$Sreact.fragment\"\n1c:[\"$\",\"$L1d\",null," + string(board) + "]\n" +
		fmt.Sprintf(`1e:{"voteCutoffISOString":"2026-09-30T14:00:00.000Z","totalVotes":8602501,"totalModels":%d}`, totalModels) + "\n"
	var page strings.Builder
	page.WriteString("<!DOCTYPE html><html><head><title>Text Arena</title></head><body><main></main>")
	for len(stream) > 0 {
		n := min(97, len(stream))
		enc, _ := json.Marshal(stream[:n])
		fmt.Fprintf(&page, "<script>self.__next_f.push([1,%s])</script>", enc)
		stream = stream[n:]
	}
	page.WriteString("</body></html>")
	return []byte(page.String())
}

// serve answers GET path with body and 404 elsewhere.
func serve(t *testing.T, path string, body []byte) string {
	t.Helper()
	return testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})) + path
}

// TestMovedURLs: built-in arena boards know where arena.ai moved their
// pages; a --url override is the user's choice and is tried alone (here a
// mirror without the page: a plain 404, no other address tried).
func TestMovedURLs(t *testing.T) {
	c := newCLI(t)
	moved := map[string][]string{}
	for _, s := range decode[[]sourceJSON](t, c.must("sources", "--json", "arena-text", "arena-webdev", "openlm-arena").stdout) {
		moved[s.Board] = s.MovedURLs
	}
	if got := moved["arena-text"]; len(got) != 1 || got[0] != "https://arena.ai/leaderboard/chat/text" {
		t.Errorf("arena-text moved URLs %q", got)
	}
	if got := moved["arena-webdev"]; len(got) != 1 || got[0] != "https://arena.ai/leaderboard/code" {
		t.Errorf("arena-webdev moved URLs %q", got)
	}
	if got := moved["openlm-arena"]; got != nil {
		t.Errorf("openlm-arena moved URLs %q", got)
	}
	url := serve(t, "/leaderboard/chat/text", []byte("<html></html>"))
	mirror := strings.TrimSuffix(url, "/leaderboard/chat/text") + "/leaderboard/text"
	out := decode[[]sourceJSON](t, c.must("sources", "--json", "arena-text", "--url", "arena-text="+mirror).stdout)
	if out[0].MovedURLs != nil {
		t.Errorf("an override kept the moved URLs %q", out[0].MovedURLs)
	}
	r := c.run("scrape", "arena-text", "--url", "arena-text="+mirror, "--json")
	b := decode[scrapeJSON](t, r.stdout).Boards[0]
	if r.code != exitFailure || b.Error == nil || !strings.Contains(b.Error.Message, "HTTP 404") || strings.Contains(b.Error.Message, "any of its URLs") {
		t.Errorf("exit %d, %+v", r.code, b.Error)
	}
}

// TestScrapeMovedBoard: replayed from a directory that has arena-text's
// page only at its newer address, the board is stored and the scrape says
// where it was read and that its own URL answered not found.
func TestScrapeMovedBoard(t *testing.T) {
	dir := t.TempDir()
	page, err := os.ReadFile(filepath.Join(fixtures, "arena.ai", "leaderboard", "text", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(dir, "arena.ai", "leaderboard", "chat", "text")
	if err := os.MkdirAll(moved, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(moved, "index.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	defer c.checkDB()
	b := decode[scrapeJSON](t, c.must("scrape", "arena-text", "--replay", dir, "--json").stdout).Boards[0]
	if b.Status != "stored" || b.Rows != 214 || b.URL != "https://arena.ai/leaderboard/chat/text" || b.MovedFrom != "https://arena.ai/leaderboard/text" {
		t.Errorf("scrape: %+v", b)
	}
	r := c.must("scrape", "arena-text", "--replay", dir)
	if !strings.Contains(r.stderr, "moved: https://arena.ai/leaderboard/text answered not found; read at https://arena.ai/leaderboard/chat/text") {
		t.Errorf("the scrape line does not say the board moved:\n%s", r.stderr)
	}
}
