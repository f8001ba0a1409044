package scraper

import (
	"fmt"

	"github.com/arenawatch/arenawatch"
)

// extractorSpec binds an extractor kind to its pure function and the
// request names it reads. Sources in other files register theirs in an
// init function.
type extractorSpec struct {
	version  string
	requests []string // names the board's requests must provide
	// next, when set, names further requests from what was fetched so far:
	// a manifest's dated file, a release list's newest table, the next page
	// of an API. It is called after each round until it returns none;
	// relative URLs resolve against the board's main URL, and every
	// response lands in docs under its request's name. Like run it is pure.
	next func(b arenawatch.Board, docs map[string][]byte) ([]arenawatch.Request, error)
	run  func(b arenawatch.Board, docs map[string][]byte) (*Extract, error)
}

var extractors = map[string]extractorSpec{
	"arena": {version: ArenaParserVersion, requests: []string{"page"}, run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractArena(docs["page"], ArenaSelector{Arena: b.Params["arena"], Category: b.Params["category"], Style: b.Params["style"]})
	}},
	"designarena": {version: DesignArenaParserVersion, requests: []string{"page", "registry"}, run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractDesignArena(docs["page"], docs["registry"], b.Params["arena"], b.Params["category"])
	}},
	"openlm": {version: OpenLMParserVersion, requests: []string{"page"}, run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractOpenLM(docs["page"])
	}},
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
	for _, n := range spec.requests {
		if !have[n] {
			return &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: b.ID, Err: fmt.Errorf("extractor %s needs a request named %q", b.Extractor, n)}
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
		Requests:  []arenawatch.Request{{Name: "page", URL: "https://arena.ai" + path}},
		Params:    map[string]string{"arena": arena, "category": category, "style": style},
		Rank:      arenawatch.RankOwn,
		Limits:    arenawatch.Limits{MinRows: 20},
		ScoreName: "Arena score",
	}
}

// Builtin returns the boards arenawatch knows out of the box. Board ids are
// part of the interface: never rename one.
func Builtin() arenawatch.Boards {
	return arenawatch.Boards{
		arenaSpec("arena-text", "Arena (arena.ai) text, overall, style control (default view)",
			"/leaderboard/text", "text", "overall", "style_control"),
		arenaSpec("arena-text-raw", "Arena (arena.ai) text, overall, without style control",
			"/leaderboard/text/overall-no-style-control", "text", "overall", "raw"),
		{
			ID:        "designarena-website",
			Title:     "Design Arena (intelligence.ai) models, website category",
			Site:      "designarena.ai",
			Extractor: "designarena",
			Requests: []arenawatch.Request{
				{Name: "page", Method: "POST", URL: "https://www.designarena.ai/api/leaderboard",
					Body: `{"arenaType":"models","category":"website","variationName":"public","inputModality":"text"}`},
				{Name: "registry", URL: "/api/registry"},
			},
			Params:    map[string]string{"arena": "models", "category": "website"},
			Rank:      arenawatch.RankByScore,
			Limits:    arenawatch.Limits{MinRows: 10},
			ScoreName: "Elo",
		},
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
	}
}

// ParserVersion returns the parser version of an extractor kind.
func ParserVersion(kind string) string { return extractors[kind].version }
