// Package source holds the built-in boards, the extractor registry
// (Lookup) and the pure extractors, bytes → rows: no network here.
package source

import (
	"fmt"

	"github.com/arenawatch/arenawatch"
)

// Extractor binds an extractor kind to its pure functions and the
// request names it reads. Each source file declares its own in its site.
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

// site is what one source file declares: the extractor kinds it
// provides and every board it defines, each complete where it is defined
// (default or optional, limits, rank rule). Nothing patches a board
// afterwards.
type site struct {
	extractors map[string]Extractor
	boards     func() arenawatch.Boards // nil for a site with no boards of its own
}

// sites lists every source file's declaration, in the order Builtin (and
// so `arenawatch boards`) lists their boards.
var sites = []site{arenaSite, designArenaSite, artificialAnalysisSite, sweBenchSite, aiderSite,
	liveBenchSite, bfclSite, sciArenaSite, openRouterSite, hfDatasetSite, openLMSite, customSite}

// extractors is every extractor kind, from sites.
var extractors = extractorsOf(sites)

// extractorsOf merges the sites' extractor kinds; two sites declaring one
// kind is a programming error, caught by every test.
func extractorsOf(ss []site) map[string]Extractor {
	es := map[string]Extractor{}
	for _, st := range ss {
		for kind, e := range st.extractors {
			if _, dup := es[kind]; dup {
				panic("source: extractor kind " + kind + " declared twice")
			}
			es[kind] = e
		}
	}
	return es
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

// Builtin returns the boards arenawatch knows out of the box, each call a
// fresh copy. Board ids are part of the interface: never rename one.
func Builtin() arenawatch.Boards {
	var bs arenawatch.Boards
	for _, st := range sites {
		if st.boards != nil {
			bs = append(bs, st.boards()...)
		}
	}
	return bs
}
