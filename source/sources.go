// Package source holds the built-in boards, the extractor registry
// (Lookup) and the pure extractors, bytes → rows: no network here.
package source

import (
	"fmt"
	"strings"

	"github.com/arenawatch/arenawatch"
)

// Extractor binds an extractor kind to its pure functions and the
// request names it reads. Sources in other files register theirs in an
// init function.
type Extractor struct {
	Version  string   // the parser version recorded in each snapshot
	Requests []string // names the board's requests must provide
	// Next, when set, names further requests from what was fetched so far:
	// a manifest's dated file, a release list's newest table, the next page
	// of an API. It is called after each round until it returns none;
	// relative URLs resolve against the board's main URL, and every
	// response lands in docs under its request's name. Like Run it is pure.
	Next func(b arenawatch.Board, docs map[string][]byte) ([]arenawatch.Request, error)
	Run  func(b arenawatch.Board, docs map[string][]byte) (*Extract, error)
	// Check, when set, validates a board's Params when it is defined
	// (selectors compile, required mappings exist).
	Check func(b arenawatch.Board) error
}

var extractors = map[string]Extractor{
	"arena": {Version: ArenaParserVersion, Requests: []string{"page"}, Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractArena(docs["page"], ArenaSelector{Arena: b.Params["arena"], Category: b.Params["category"], Style: b.Params["style"]})
	}},
	"designarena": {Version: DesignArenaParserVersion, Requests: []string{"page", "registry"}, Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractDesignArena(docs["page"], docs["registry"], b.Params["arena"], b.Params["category"])
	}},
	"openlm": {Version: OpenLMParserVersion, Requests: []string{"page"}, Run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractOpenLM(docs["page"])
	}},
}

// Lookup returns the extractor of a kind (a Board's Extractor).
func Lookup(kind string) (Extractor, bool) {
	e, ok := extractors[kind]
	return e, ok
}

// CheckBoard reports whether a board definition can run: a valid id, a
// known extractor, and every request that extractor reads.
func CheckBoard(b arenawatch.Board) error {
	if !arenawatch.ValidBoardID(b.ID) {
		return arenawatch.Errorf(arenawatch.KindInvalid, "board id %q: use lower-case letters, digits and dashes", b.ID)
	}
	spec, ok := extractors[b.Extractor]
	if !ok {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: b.ID, Err: fmt.Errorf("unknown extractor %q", b.Extractor)}
	}
	have := map[string]bool{}
	for _, r := range b.Requests {
		have[r.Name] = true
	}
	for _, n := range spec.Requests {
		if !have[n] {
			return &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: b.ID, Err: fmt.Errorf("extractor %s needs a request named %q", b.Extractor, n)}
		}
	}
	if spec.Check != nil {
		if err := spec.Check(b); err != nil {
			return &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: b.ID, Err: err}
		}
	}
	_, err := b.ResolvedRequests()
	return err
}

// arenaSpec describes one arena.ai board: its page and which board object
// on that page to read.
func arenaSpec(id, title, path, arena, category, style string) arenawatch.Board {
	return arenawatch.Board{
		ID:        id,
		Title:     title,
		Site:      "arena.ai",
		Extractor: "arena",
		Requests:  []arenawatch.Request{{Name: "page", URL: "https://arena.ai" + path, Alternates: arenaAlternates(path)}},
		Params:    map[string]string{"arena": arena, "category": category, "style": style},
		Rank:      arenawatch.RankOwn,
		Limits:    arenawatch.Limits{MinRows: 20},
		ScoreName: "Arena score",
	}
}

// arenaAlternates returns the other addresses arena.ai has used or uses
// for the page at path, tried when path answers not found. The site moved
// from lmarena.ai (which redirects) to arena.ai in early 2026; trackers
// saw a second scheme from 2026-08 on, with the text and vision arenas
// under /leaderboard/chat/ and WebDev at /leaderboard/code/webdev (before:
// /leaderboard/code), image edit under /leaderboard/image-edit/single-image-edit.
// A board's own URL stays the one last seen answering (arena.ai/leaderboard/text
// did on 2026-10-02); these come second.
func arenaAlternates(path string) []string {
	const site = "https://arena.ai"
	switch {
	case strings.HasPrefix(path, "/leaderboard/text"), strings.HasPrefix(path, "/leaderboard/vision"):
		return []string{site + "/leaderboard/chat" + strings.TrimPrefix(path, "/leaderboard")}
	case path == "/leaderboard/code/webdev":
		return []string{site + "/leaderboard/code"}
	case path == "/leaderboard/image-edit":
		return []string{site + "/leaderboard/image-edit/single-image-edit"}
	}
	return nil
}

// arenaTextCategories are the text arena's categories with a board of their
// own: the category slug in the page data, the URL segment, and a title.
var arenaTextCategories = []struct{ slug, path, title string }{
	{"coding", "coding", "coding"},
	{"math", "math", "math"},
	{"creative_writing", "creative-writing", "creative writing"},
	{"hard_prompts", "hard-prompts", "hard prompts"},
	{"instruction_following", "instruction-following", "instruction following"},
	{"longer_query", "longer-query", "longer query"},
	{"chinese", "chinese", "Chinese"},
	{"english", "english", "English"},
	{"french", "french", "French"},
	{"german", "german", "German"},
	{"japanese", "japanese", "Japanese"},
	{"korean", "korean", "Korean"},
	{"russian", "russian", "Russian"},
	{"spanish", "spanish", "Spanish"},
}

// arenaBoards returns every arena.ai board arenawatch knows. The default
// view of the text arena is style control; the "-raw" boards are the same
// rankings without it (the URL toggle "…-no-style-control"). Category
// boards are optional: scraped when named or listed in the config.
func arenaBoards() arenawatch.Boards {
	bs := arenawatch.Boards{
		arenaSpec("arena-text", "Arena (arena.ai) text, overall, style control (default view)",
			"/leaderboard/text", "text", "overall", "style_control"),
		arenaSpec("arena-text-raw", "Arena (arena.ai) text, overall, without style control",
			"/leaderboard/text/overall-no-style-control", "text", "overall", "raw"),
	}
	for _, c := range arenaTextCategories {
		sc := arenaSpec("arena-text-"+c.path, "Arena (arena.ai) text, "+c.title+", style control",
			"/leaderboard/text/"+c.path, "text", c.slug, "style_control")
		raw := arenaSpec("arena-text-"+c.path+"-raw", "Arena (arena.ai) text, "+c.title+", without style control",
			"/leaderboard/text/"+c.path+"-no-style-control", "text", c.slug, "raw")
		sc.Optional, raw.Optional = true, true
		bs = append(bs, sc, raw)
	}
	bs = append(bs,
		arenaSpec("arena-webdev", "Arena (arena.ai) WebDev (code), overall", "/leaderboard/code/webdev", "code", "webdev", ""),
		arenaSpec("arena-vision", "Arena (arena.ai) vision, overall, style control", "/leaderboard/vision", "vision", "overall", "style_control"),
		arenaSpec("arena-vision-raw", "Arena (arena.ai) vision, overall, without style control",
			"/leaderboard/vision/overall-no-style-control", "vision", "overall", "raw"),
		arenaSpec("arena-text-to-image", "Arena (arena.ai) text-to-image", "/leaderboard/text-to-image", "text_to_image", "overall", ""),
		arenaSpec("arena-image-edit", "Arena (arena.ai) image edit", "/leaderboard/image-edit", "image_edit", "overall", ""),
		arenaSpec("arena-search", "Arena (arena.ai) search", "/leaderboard/search", "search", "overall", ""),
		arenaSpec("arena-text-to-video", "Arena (arena.ai) text-to-video", "/leaderboard/text-to-video", "text_to_video", "overall", ""),
		arenaSpec("arena-image-to-video", "Arena (arena.ai) image-to-video", "/leaderboard/image-to-video", "image_to_video", "overall", ""),
		arenaSpec("arena-document", "Arena (arena.ai) document", "/leaderboard/document", "document", "overall", ""),
	)
	// The default set is what answers the question for language models:
	// text (both views), WebDev, vision, search and document, plus
	// text-to-image. The category and raw views, image edit and video are
	// optional (opt in by name or config), which keeps a cron run to a
	// handful of ~5 MB pages.
	optional := map[string]bool{"arena-vision-raw": true, "arena-image-edit": true,
		"arena-text-to-video": true, "arena-image-to-video": true}
	for i := range bs {
		if optional[bs[i].ID] {
			bs[i].Optional = true
		}
		if strings.HasPrefix(bs[i].ID, "arena-image") || strings.HasSuffix(bs[i].ID, "-video") ||
			bs[i].ID == "arena-search" || bs[i].ID == "arena-document" || bs[i].ID == "arena-text-to-image" {
			bs[i].Limits.MinRows = 10
		}
	}
	return bs
}

// designArenaSpec describes one Design Arena board: a POST to the
// leaderboard API for an arena type and category, joined with the model
// registry (fetched once per run for all boards).
func designArenaSpec(id, title, arenaType, category string) arenawatch.Board {
	return arenawatch.Board{
		ID:        id,
		Title:     title,
		Site:      "designarena.ai",
		Extractor: "designarena",
		Requests: []arenawatch.Request{
			{Name: "page", Method: "POST", URL: "https://www.designarena.ai/api/leaderboard",
				Body: fmt.Sprintf(`{"arenaType":%q,"category":%q,"variationName":"public","inputModality":"text"}`, arenaType, category)},
			{Name: "registry", URL: "/api/registry"},
		},
		Params:    map[string]string{"arena": arenaType, "category": category},
		Rank:      arenawatch.RankByScore,
		Limits:    arenawatch.Limits{MinRows: 10},
		ScoreName: "Elo",
	}
}

// designArenaBoards returns Design Arena's boards: the models arena's code
// and design categories, the agents arena and the builders arena. The
// website models board and the two agents boards are the default set; the
// others are optional (no capture to test them against).
func designArenaBoards() arenawatch.Boards {
	bs := arenawatch.Boards{
		designArenaSpec("designarena-website", "Design Arena (intelligence.ai) models, website category", "models", "website"),
		designArenaSpec("designarena-agents-webapps", "Design Arena agents, web apps (agon_webapps)", "agents", "agon_webapps"),
		designArenaSpec("designarena-agents-fullstack", "Design Arena agents, full-stack apps", "agents", "fullstack"),
	}
	for _, c := range []struct{ arena, category, title string }{
		{"models", "uicomponent", "models, UI components"},
		{"models", "svg", "models, SVG"},
		{"models", "dataviz", "models, data visualisation"},
		{"models", "gamedev", "models, game development"},
		{"models", "3d", "models, 3D"},
		{"models", "ascii", "models, ASCII art"},
		{"models", "logo", "models, logos"},
		{"models", "graphicdesign", "models, graphic design"},
		{"models", "image", "models, images"},
		{"builders", "website", "builders, websites"},
	} {
		id := "designarena-" + c.category
		if c.arena != "models" {
			id = "designarena-" + c.arena + "-" + c.category
		}
		b := designArenaSpec(id, "Design Arena "+c.title, c.arena, c.category)
		b.Optional = true
		bs = append(bs, b)
	}
	return bs
}

// Builtin returns the boards arenawatch knows out of the box. Board ids are
// part of the interface: never rename one.
func Builtin() arenawatch.Boards {
	bs := append(arenaBoards(), designArenaBoards()...)
	bs = append(bs, artificialAnalysisBoards()...)
	// Benchmark boards rank by their main metric (see each board's score
	// name); secondary splits and sub-scores are optional.
	optional := map[string]bool{"swebench-test": true, "swebench-multimodal": true, "swebench-multilingual": true,
		"bfcl-live": true, "bfcl-non-live": true, "bfcl-multi-turn": true, "bfcl-agentic": true}
	// LMArena's official dataset duplicates the arena.ai boards and can take
	// many paged requests per board: opt in by name or config.
	hf := hfDatasetBoards()
	for i := range hf {
		hf[i].Optional = true
	}
	for _, set := range []arenawatch.Boards{sweBenchBoards(), aiderBoards(), liveBenchBoards(), bfclBoards(), sciArenaBoards(), openRouterBoards(), hf} {
		for _, b := range set {
			b.Optional = b.Optional || optional[b.ID]
			bs = append(bs, b)
		}
	}
	return append(bs, arenawatch.Boards{
		{
			ID:        "openlm-arena",
			Title:     "openlm.ai Chatbot Arena+",
			Site:      "openlm.ai",
			Extractor: "openlm",
			Requests:  []arenawatch.Request{{Name: "page", URL: "https://openlm.ai/chatbot-arena/"}},
			Rank:      arenawatch.RankByScore,
			Limits:    arenawatch.Limits{MinRows: 20, RequireOrganization: true, RequireLicense: true},
			ScoreName: "Arena Elo",
		},
	}...)
}
