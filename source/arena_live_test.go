package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// arenaOverviewFixture is the real arena.ai overview of 2026-02-27 (8
// preview boards of 10 entries, the live shape), trimmed; see
// fixtures/README.md section 11.
const arenaOverviewFixture = "arena.ai/leaderboard/index.html"

// arena2025Fixture is a page kept in the older 2025 shape on purpose
// (modelKey, null price keys, releaseType, a sibling meta with totalVotes,
// the 6-column table with "Org · Licence" and "score ±CI"); see
// fixtures/README.md section 10.
const arena2025Fixture = "arena.ai/leaderboard/vision/overall-no-style-control/index.html"

// TestArenaOverviewLive reads every preview board of the live overview
// with the selector of the board that arenawatch knows it as: every one
// is found (WebDev as the Code arena's "webdev" category, with no
// style-control flag), keyed by display name, with the vote cutoff and
// totals taken from the board object itself.
func TestArenaOverviewLive(t *testing.T) {
	page := testutil.Fixture(t, arenaOverviewFixture)
	tests := []struct {
		board, top, cutoff string
		models             int
		votes              int64
	}{
		{"arena-text", "claude-opus-4-6-thinking", "2026-02-26T13:00:00Z", 316, 5366836},
		{"arena-webdev", "claude-opus-4-6", "2026-02-24T10:00:00Z", 46, 171212},
		{"arena-vision", "gemini-3-pro", "2026-02-26T13:00:00Z", 100, 677404},
		{"arena-text-to-image", "gemini-3.1-flash-image-preview (nano-banana-2) [web-search]", "2026-02-25T19:00:00Z", 50, 4061062},
		{"arena-image-edit", "chatgpt-image-latest-high-fidelity (20251216)", "2026-02-25T19:00:00Z", 38, 23941707},
		{"arena-search", "claude-opus-4-6-search", "2026-02-25T12:00:00Z", 22, 247944},
		{"arena-text-to-video", "veo-3.1-audio-1080p", "2026-02-25T19:00:00Z", 35, 229715},
		{"arena-image-to-video", "grok-imagine-video-720p", "2026-02-26T19:00:00Z", 36, 482623},
	}
	for _, tt := range tests {
		t.Run(tt.board, func(t *testing.T) {
			b, ok := Builtin().Get(tt.board)
			if !ok {
				t.Fatalf("no board %s", tt.board)
			}
			ex, err := ExtractArena(page, ArenaSelector{b.Params["arena"], b.Params["category"], b.Params["style"]})
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.Rows) != 10 || ex.Rows[0].Model != tt.top || ex.Rows[0].Rank != 1 {
				t.Fatalf("%d rows, top %+v; want 10, %s", len(ex.Rows), ex.Rows[0], tt.top)
			}
			if ex.AsOf.Format(time.RFC3339) != tt.cutoff || ex.Totals.Models != tt.models || ex.Totals.Votes != tt.votes {
				t.Errorf("as of %v, totals %+v; want %s, %d models, %d votes", ex.AsOf, ex.Totals, tt.cutoff, tt.models, tt.votes)
			}
			for _, r := range ex.Rows {
				if r.Name != "" || r.Extra["model_key"] != "" || r.RankUpper < 1 || r.RankLower < r.RankUpper {
					t.Errorf("row %+v", r)
				}
			}
			if len(ex.Notes) != 0 {
				t.Errorf("notes %q", ex.Notes)
			}
		})
	}
	t.Run("WebDevValues", func(t *testing.T) {
		ex, err := ExtractArena(page, ArenaSelector{"code", "webdev", ""})
		if err != nil {
			t.Fatal(err)
		}
		r := findRow(t, ex.Rows, "glm-5")
		if r.Rank != 8 || r.RankUpper != 5 || r.RankLower != 13 || r.Score != 1450.83 || r.Votes != 2621 ||
			deref(r.Organization) != "Z.ai" || deref(r.License) != "MIT" || *r.ScoreLower != 1438.28 || *r.ScoreUpper != 1463.38 {
			t.Errorf("glm-5 %+v", r)
		}
	})
	t.Run("OlderWebDevSelector", func(t *testing.T) {
		// The selector of WebDev as its own arena still finds the board.
		ex, err := ExtractArena(page, ArenaSelector{"webdev", "overall", "raw"})
		if err != nil || ex.Rows[0].Model != "claude-opus-4-6" {
			t.Fatalf("%v %v", ex, err)
		}
	})
	t.Run("NoRawTextBoard", func(t *testing.T) {
		// The overview has the style-control text board only; the raw
		// board asked for must not be taken from it.
		_, err := ExtractArena(page, ArenaSelector{"text", "overall", "raw"})
		if err == nil || !strings.Contains(err.Error(), "no board text/overall (raw)") || arenawatch.KindOf(err) != arenawatch.KindDrift {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("SiblingCategoryIsAnotherBoard", func(t *testing.T) {
		// "webdev-html" is a category of its own: never WebDev's rows.
		_, err := ExtractArena(page, ArenaSelector{"code", "webdev-html", ""})
		if err == nil || !strings.Contains(err.Error(), "code/webdev,") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestArenaBoardShapes covers the two places a board's vote cutoff and
// totals live, and board ids of either form.
func TestArenaBoardShapes(t *testing.T) {
	entries := `"entries":[{"rank":1,"rankUpper":1,"rankLower":2,"modelDisplayName":"glm-5","rating":1450.83,"ratingUpper":1463.38,"ratingLower":1438.28,"votes":2621}]`
	tests := []struct {
		name, stream string
		models       int
		votes        int64
		cutoff       string
		note         string
	}{
		{
			name:   "TotalsOnTheBoard",
			stream: `1:{"leaderboard":{"arenaSlug":"code","leaderboardSlug":"webdev","params":{"category":"webdev"},"category":{"name":"webdev"},"id":"069a09b4-865d-7418-8000-4e664121d364",` + entries + `,"voteCutoffISOString":"2026-02-24T10:00:00.000Z","totalVotes":171212,"totalModels":46}}` + "\n",
			models: 46, votes: 171212, cutoff: "2026-02-24T10:00:00Z",
		},
		{
			name:   "SiblingMeta",
			stream: `1:{"leaderboard":{"arenaSlug":"webdev","leaderboardSlug":"overall","params":{"category":"overall","styleControl":false},"category":"$35:0:1","id":"leaderboard-sets/public/leaderboards/webdev-overall-raw/leaderboard-snapshots/latest",` + entries + `},"meta":{"voteCutoffISOString":"2026-08-30T00:00:00.000Z","totalModels":121}}` + "\n",
			models: 121, cutoff: "2026-08-30T00:00:00Z",
		},
		{
			name:   "NoTotals",
			stream: `1:{"leaderboard":{"arenaSlug":"code","leaderboardSlug":"webdev","params":{"category":"webdev"},"id":"069a09b4-865d-7418-8000-4e664121d364",` + entries + `}}` + "\n",
			cutoff: "0001-01-01T00:00:00Z", note: "no vote cutoff or totals",
		},
		{
			name:   "CutoffNotADate",
			stream: `1:{"leaderboard":{"arenaSlug":"code","leaderboardSlug":"webdev","params":{"category":"webdev"},` + entries + `,"voteCutoffISOString":"yesterday","totalModels":46}}` + "\n",
			models: 46, cutoff: "0001-01-01T00:00:00Z", note: `voteCutoffISOString "yesterday" is not a date`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractArena(testutil.FlightPage(t, tt.stream, 64, ""), ArenaSelector{"code", "webdev", ""})
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.Rows) != 1 || ex.Totals.Models != tt.models || ex.Totals.Votes != tt.votes || ex.AsOf.Format(time.RFC3339) != tt.cutoff {
				t.Fatalf("rows %d, totals %+v, as of %v", len(ex.Rows), ex.Totals, ex.AsOf)
			}
			if got := strings.Join(ex.Notes, "\n"); tt.note != "" && !strings.Contains(got, tt.note) || tt.note == "" && got != "" {
				t.Errorf("notes %q, want %q", got, tt.note)
			}
		})
	}
}

// TestArenaIdentityAcrossKeys checks the identity rule: a model read from
// a page without modelKey (arena.ai since 2026) and from a page that
// carries one gets the same Row.Model, so it keeps one history; a key
// that differs from the display name is kept in Extra["model_key"].
func TestArenaIdentityAcrossKeys(t *testing.T) {
	page := testutil.Fixture(t, arenaOverviewFixture)
	stream, _, err := FlightStream(page)
	if err != nil {
		t.Fatal(err)
	}
	sel := ArenaSelector{"code", "webdev", ""}
	keyless, err := ExtractArena([]byte(stream), sel)
	if err != nil {
		t.Fatal(err)
	}
	// The same board with a modelKey before every display name: once the
	// same string (as the 2025 pages had it), once a differing key.
	withKey := func(key func(name string) string) []arenawatch.Row {
		t.Helper()
		out := stream
		for _, r := range keyless.Rows {
			old := `"modelDisplayName":"` + r.Model + `"`
			out = strings.ReplaceAll(out, old, fmt.Sprintf(`"modelKey":%q,%s`, key(r.Model), old))
		}
		ex, err := ExtractArena([]byte(out), sel)
		if err != nil {
			t.Fatal(err)
		}
		return ex.Rows
	}
	tests := []struct {
		name    string
		key     func(string) string
		wantKey func(string) string // Extra["model_key"] expected
	}{
		{"KeyEqualsName", func(n string) string { return n }, func(string) string { return "" }},
		{"KeyDiffers", func(n string) string { return "key/" + n }, func(n string) string { return "key/" + n }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := withKey(tt.key)
			if len(rows) != len(keyless.Rows) {
				t.Fatalf("%d rows, want %d", len(rows), len(keyless.Rows))
			}
			for i, r := range rows {
				if r.Model != keyless.Rows[i].Model || r.Name != "" || r.Extra["model_key"] != tt.wantKey(r.Model) {
					t.Errorf("row %d: %+v; keyless %+v", i+1, r, keyless.Rows[i])
				}
			}
		})
	}
	t.Run("KeyWithoutName", func(t *testing.T) {
		ex, err := ExtractArena(testutil.FlightPage(t, `1:{"leaderboard":{"arenaSlug":"code","leaderboardSlug":"webdev","params":{"category":"webdev"},"entries":[{"modelKey":"glm-5","rating":1450.83}]}}`+"\n", 64, ""), sel)
		if err != nil || ex.Rows[0].Model != "glm-5" || ex.Rows[0].Extra != nil {
			t.Fatalf("%+v %v", ex, err)
		}
	})
}

// TestArenaTolerance changes every entry and board field the answer does
// not need (removed, retyped: the same rows, models and scores) and
// removes every field it needs (the board fails, naming it), on the real
// 2026 shape (the overview's search board, which also carries
// rankStyleControl), the WebDev and text pages in that shape (prices,
// context length) and a page kept in the 2025 shape (vision without style
// control: modelKey, releaseType, a sibling meta).
func TestArenaTolerance(t *testing.T) {
	// Fields the answer uses when present but can do without.
	used := []string{"rank", "rankUpper", "rankLower", "ratingUpper", "ratingLower", "votes", "modelOrganization", "license"}
	tests := []struct {
		name    string
		page    string
		sel     ArenaSelector
		needed  []string
		ignored []string
	}{
		{"LiveSearch", arenaOverviewFixture, ArenaSelector{"search", "overall", ""},
			[]string{"modelDisplayName", "rating", "entries"},
			[]string{"modelUrl", "rankStyleControl", "id", "category", "voteCutoffISOString", "totalVotes", "totalModels"}},
		{"LiveWebDev", arenaOverviewFixture, ArenaSelector{"code", "webdev", ""},
			[]string{"modelDisplayName", "rating", "entries"},
			[]string{"modelUrl", "id", "category", "voteCutoffISOString", "totalVotes", "totalModels", "leaderboardSlug"}},
		{"WebDevPage", arenaWebDevFixture, ArenaSelector{"code", "webdev", ""},
			[]string{"modelDisplayName", "rating", "entries"},
			[]string{"inputPricePerMillion", "outputPricePerMillion", "contextLength", "id", "category", "voteCutoffISOString", "totalModels"}},
		{"Page2025", arena2025Fixture, ArenaSelector{"vision", "overall", "raw"},
			[]string{"rating", "entries"},
			[]string{"modelKey", "modelUrl", "releaseType", "inputPricePerMillion", "contextLength", "id", "category", "voteCutoffISOString", "totalVotes", "totalModels"}},
		{"TextPage", arenaTextFixture, ArenaSelector{"text", "overall", "style_control"},
			[]string{"modelDisplayName", "rating", "entries"},
			[]string{"id", "category", "leaderboardSlug", "voteCutoffISOString", "totalVotes", "totalModels"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := arenaBoardJSON(t, testutil.Fixture(t, tt.page), tt.sel)
			base, err := ExtractArena(arenaBoardPage(t, body), tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			checkTolerance(t, tolerance{
				body: body,
				extract: func(b []byte) (int, error) {
					ex, err := ExtractArena(arenaBoardPage(t, b), tt.sel)
					if err != nil {
						return 0, err
					}
					// Same rows: the same models with the same scores, in order.
					for i, r := range ex.Rows {
						if i >= len(base.Rows) || r.Model != base.Rows[i].Model || r.Score != base.Rows[i].Score {
							return 0, fmt.Errorf("row %d is %s %v, was %s %v", i+1, r.Model, r.Score, base.Rows[i].Model, base.Rows[i].Score)
						}
					}
					return len(ex.Rows), nil
				},
				needed:  tt.needed,
				ignored: append(append([]string{}, used...), tt.ignored...),
			})
		})
	}
}

// arenaBoardJSON returns the board object sel picks out of a fixture page,
// with its sibling meta when it has one, as {"leaderboard":…,"meta":…}.
func arenaBoardJSON(t *testing.T, page []byte, sel ArenaSelector) []byte {
	t.Helper()
	stream, _, err := FlightStream(page)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := ParseFlight(stream)
	var out []byte
	for _, r := range rows {
		walkJSON(r.Value, nil, func(obj, parent map[string]any) {
			lb, ok := obj["leaderboard"].(map[string]any)
			if !ok || out != nil {
				return
			}
			b := describeArenaBoard(lb, obj, lb["entries"].([]any))
			want := sel
			want.Arena, want.Category = canonicalBoard(sel.Arena, sel.Category)
			if !slugEq(b.arena, want.Arena) || !slugEq(b.category, want.Category) || (want.Style != "" && b.style != want.Style) {
				return
			}
			wrap := map[string]any{"leaderboard": lb}
			if m, ok := obj["meta"]; ok {
				wrap["meta"] = m
			}
			if out, err = json.Marshal(wrap); err != nil {
				t.Fatal(err)
			}
		})
	}
	if out == nil {
		t.Fatalf("no board %s in the fixture", sel)
	}
	return out
}

// arenaBoardPage puts a board JSON (from arenaBoardJSON) into a page as a
// flight row, split into pushes like the live page.
func arenaBoardPage(t *testing.T, board []byte) []byte {
	t.Helper()
	return testutil.FlightPage(t, "1:\"$Sreact.fragment\"\n2a:[\"$\",\"$L2b\",null,"+string(board)+"]\n", 3000, "")
}

// TestArenaSpreadCell reads rank-spread cells: the two ranks are elements
// of their own, whose text can run together ("14").
func TestArenaSpreadCell(t *testing.T) {
	tests := []struct {
		name, cell string
		upper      int
		lower      int
		wantErr    bool
	}{
		{"SpansAroundIcon", `<span>1</span><svg width="12"><path d="M3 12L21 12"></path></svg><span>4</span>`, 1, 4, false},
		{"NestedSpans", `<span class="inline-flex"><span>12</span><svg></svg><span>40</span></span>`, 12, 40, false},
		{"SpansAroundArrow", `<div><span>1</span> <span aria-hidden="true">◄─►</span> <span>3</span></div>`, 1, 3, false},
		{"DigitsInsideTheIcon", `<span>2</span><svg><text>7</text></svg><span>5</span>`, 2, 5, false},
		{"PlainText", `1 – 4`, 1, 4, false},
		{"Empty", ``, 0, 0, false},
		{"OneRank", `<span>4</span>`, 0, 0, true},
		{"ZeroRank", `<span>0</span><svg></svg><span>4</span>`, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tr><td>" + tt.cell + "</td></tr></table>"))
			if err != nil {
				t.Fatal(err)
			}
			u, l, err := arenaSpreadCell(doc.Find("td"))
			if tt.wantErr != (err != nil) || u != tt.upper || l != tt.lower {
				t.Fatalf("got %d–%d, %v", u, l, err)
			}
		})
	}
}

// TestArenaLiveTables reads the live table markup: the overview's
// 4-column preview tables (Rank, Model, Score, Votes: no spread, no CI,
// no licence; the organisation only as the icon's <title>) and the WebDev
// page's table with and without its Rank Spread column.
func TestArenaLiveTables(t *testing.T) {
	t.Run("OverviewPreview", func(t *testing.T) {
		page := testutil.Fixture(t, arenaOverviewFixture)
		sel := ArenaSelector{"text", "overall", "style_control"}
		payload, err := ExtractArena(page, sel)
		if err != nil {
			t.Fatal(err)
		}
		// Without the payload the first table is read: the text board's.
		table, err := ExtractArena(withoutFlight(page), sel)
		if err != nil {
			t.Fatal(err)
		}
		if len(table.Rows) != 10 {
			t.Fatalf("%d rows", len(table.Rows))
		}
		for i, r := range table.Rows {
			p := payload.Rows[i]
			if r.Model != p.Model || r.Rank != p.Rank || r.Votes != p.Votes || r.Score != float64(int(p.Score+0.5)) || r.License != nil || r.ScoreLower != nil {
				t.Errorf("row %d: table %+v, payload %+v", i+1, r, p)
			}
			// The org icon carries a <title> for some organisations
			// (Anthropic), not for others (Google).
			if r.Organization != nil && *r.Organization != deref(p.Organization) {
				t.Errorf("row %d: organisation %q, payload %q", i+1, *r.Organization, deref(p.Organization))
			}
		}
	})
	t.Run("WebDevWithoutSpreadColumn", func(t *testing.T) {
		page := withoutFlight(testutil.Fixture(t, arenaWebDevFixture))
		want, err := ExtractArena(page, ArenaSelector{})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		doc.Find("tr").Each(func(_ int, tr *goquery.Selection) { tr.ChildrenFiltered("th, td").Eq(1).Remove() })
		h, err := doc.Html()
		if err != nil {
			t.Fatal(err)
		}
		got, err := ExtractArena([]byte(h), ArenaSelector{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != 121 || len(want.Rows) != 121 {
			t.Fatalf("%d / %d rows", len(got.Rows), len(want.Rows))
		}
		for i := range got.Rows {
			g, w := got.Rows[i], want.Rows[i]
			if g.Model != w.Model || g.Rank != w.Rank || g.Score != w.Score || g.Votes != w.Votes || g.RankUpper != 0 || w.RankUpper < 1 {
				t.Fatalf("row %d: %+v vs %+v", i+1, g, w)
			}
		}
	})
}
