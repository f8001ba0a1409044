package source

import "net/http"

// RegisterForTest adds an extractor kind for the length of a test and
// returns the function that removes it.
func RegisterForTest(kind string, e Extractor) (remove func()) {
	extractors[kind] = e
	return func() { delete(extractors, kind) }
}

// The page builders and the side-by-side harness of bench_test.go, for the
// scrape benchmarks of scrape_bench_test.go.
var (
	LiveSizedPage   = liveSizedPage
	SideBySide      = sideBySide
	HTMLParse       = htmlParse
	TwentyRowStream = twentyRowStream
)

// The helpers of the dataset and OpenRouter tests, for their runs through
// the runner in runner_test.go.
var (
	HFBoardByID        = hfBoardByID
	HFPageName         = hfPageName
	HFPageJSON         = hfPageJSON
	HFRowJSON          = hfRowJSON
	HFFixturePages     = hfFixturePages
	ReadFile           = readFile
	OpenRouterBoards   = openRouterBoards
	OpenRouterFixtures = openRouterFixtures
)

// NewHFSplit is a datasets-server stand-in serving n rows, at most pageCap
// a page, of the categories cat gives (nil: all overall).
func NewHFSplit(n, pageCap int, cat func(int) string) http.Handler {
	return &hfSplit{n: n, pageCap: pageCap, cat: cat}
}
