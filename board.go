package arenawatch

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
)

// RankRule says how a board orders its rows when a question needs a rank.
type RankRule int

const (
	// RankOwn uses the rank the source publishes; rows without one are
	// ranked by score like RankByScore.
	RankOwn RankRule = iota
	// RankByScore ranks by score, higher first: rank = 1 + the number of
	// rows with a strictly higher score (ties share a rank).
	RankByScore
)

// By names what ranks the board, in one word or two, as 'sources --json'
// gives it in rank_by: "source rank" or "score".
func (r RankRule) By() string {
	if r == RankOwn {
		return "source rank"
	}
	return "score"
}

// String names the rule for --help and JSON.
func (r RankRule) String() string {
	switch r {
	case RankOwn:
		return "source rank"
	case RankByScore:
		return "by score, higher is better"
	}
	return fmt.Sprintf("rank-rule(%d)", int(r))
}

// Request is one HTTP exchange a board needs. A board's first request is its
// main page or endpoint; further requests (such as Design Arena's model
// registry) are written as references relative to it, so that overriding the
// main URL moves them too.
type Request struct {
	Name   string // key under which the extractor finds the response ("page", "registry")
	Method string // GET when empty
	URL    string // absolute for the first request; may be relative for later ones
	Body   string // request body, sent with ContentType
	// ContentType of Body; "application/json" when Body is set and this is empty.
	ContentType string
	Header      map[string]string // extra request headers
	// Canonical is the URL the board defines for this request when it is
	// sent elsewhere (a replay server); recordings are filed under it.
	Canonical string
	// Alternates are other absolute URLs of the same page, from the site's
	// URL history (arena.ai moved /leaderboard/text to
	// /leaderboard/chat/text). They are tried in order only when URL
	// answers 404 or 410, and a URL override drops them.
	Alternates []string
}

// Board is one ranked list on one site. Its id is part of the user interface
// (flags, JSON, the database) and must never change once released.
type Board struct {
	ID        string    // e.g. "arena-text"
	Title     string    // human title
	Site      string    // site name, e.g. "arena.ai"
	Extractor string    // extractor kind, resolved by the source package (source.Lookup)
	Requests  []Request // the first is the main one
	// Params are extractor-specific knobs (e.g. which board object to pick
	// out of a page that carries several).
	Params map[string]string
	Rank   RankRule
	Limits Limits
	// ScoreName names the score for humans ("Arena score", "Elo").
	ScoreName string
	// Usage is true for boards whose score counts use (tokens), not
	// quality: reports answer them with shares by origin and openness.
	Usage bool
	// Optional boards are scraped only when named on the command line or
	// listed under "scrape:" in the config; the rest are the default set.
	Optional bool
}

// URL returns the board's main URL.
func (b Board) URL() string {
	if len(b.Requests) == 0 {
		return ""
	}
	return b.Requests[0].URL
}

// SourceURL returns the URL the board's main request stands for: its
// Canonical URL when it is replayed from a fixture, else URL. Output for
// people and scripts names this one, not a loopback address.
func (b Board) SourceURL() string {
	if len(b.Requests) > 0 && b.Requests[0].Canonical != "" {
		return b.Requests[0].Canonical
	}
	return b.URL()
}

// ResolvedRequests returns the board's requests with every URL made
// absolute against the main URL.
func (b Board) ResolvedRequests() ([]Request, error) {
	if len(b.Requests) == 0 {
		return nil, Errorf(KindInvalid, "board %s has no requests", b.ID)
	}
	base, err := url.Parse(b.Requests[0].URL)
	if err != nil || !base.IsAbs() || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, &Error{Kind: KindInvalid, Board: b.ID, URL: b.Requests[0].URL,
			Err: fmt.Errorf("board URL must be an absolute http(s) URL")}
	}
	canonBase, _ := url.Parse(b.Requests[0].Canonical)
	out := make([]Request, len(b.Requests))
	for i, r := range b.Requests {
		u, err := base.Parse(r.URL)
		if err != nil {
			return nil, &Error{Kind: KindInvalid, Board: b.ID, URL: r.URL, Err: err}
		}
		if raw, _ := url.Parse(r.URL); r.Canonical == "" && canonBase != nil && canonBase.IsAbs() && raw != nil && !raw.IsAbs() {
			// A relative request follows the main request's canonical URL.
			if c, err := canonBase.Parse(r.URL); err == nil {
				r.Canonical = c.String()
			}
		}
		r.URL = u.String()
		for _, alt := range r.Alternates {
			if a, err := url.Parse(alt); err != nil || !a.IsAbs() || (a.Scheme != "http" && a.Scheme != "https") {
				return nil, &Error{Kind: KindInvalid, Board: b.ID, URL: alt, Err: fmt.Errorf("alternate URL must be an absolute http(s) URL")}
			}
		}
		if r.Method == "" {
			r.Method = "GET"
		}
		if r.Body != "" && r.ContentType == "" {
			r.ContentType = "application/json"
		}
		out[i] = r
	}
	return out, nil
}

var boardIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidBoardID reports whether id is a well-formed board id: lower-case
// letters, digits and dashes, starting with a letter or digit.
func ValidBoardID(id string) bool { return boardIDPattern.MatchString(id) }

// Limits are the validation floors a snapshot of a board must pass before it
// is stored.
type Limits struct {
	MinRows int // fewer rows than this means the page is broken
	// RequireOrganization and RequireLicense make those row fields mandatory
	// (present, possibly empty) on every row.
	RequireOrganization bool
	RequireLicense      bool
}

// Catalog of boards, looked up by id.
type Boards []Board

// Get returns the board with the given id.
func (bs Boards) Get(id string) (Board, bool) {
	for _, b := range bs {
		if b.ID == id {
			return b, true
		}
	}
	return Board{}, false
}

// IDs returns the ids of the boards, in order.
func (bs Boards) IDs() []string {
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	return ids
}

// Defaults returns the boards that are not Optional.
func (bs Boards) Defaults() Boards {
	var out Boards
	for _, b := range bs {
		if !b.Optional {
			out = append(out, b)
		}
	}
	return out
}

// Select returns the boards with the given ids, in the order given, or every
// board when ids is empty. An unknown id is a KindInvalid error that lists
// the known ones.
func (bs Boards) Select(ids []string) (Boards, error) {
	if len(ids) == 0 {
		return bs, nil
	}
	var out Boards
	seen := map[string]bool{}
	for _, id := range ids {
		b, ok := bs.Get(id)
		if !ok {
			known := bs.IDs()
			sort.Strings(known)
			return nil, &Error{Kind: KindInvalid, Err: fmt.Errorf("unknown board %q", id),
				Hint: fmt.Sprintf("known boards: %v (see 'arenawatch sources')", known)}
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, b)
		}
	}
	return out, nil
}
