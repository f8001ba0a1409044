package source

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/arenawatch/arenawatch"
)

// ArenaParserVersion names the arena.ai extractor; bump it when its output
// for the same page changes.
const ArenaParserVersion = "arena-next/2"

// ArenaSelector picks one board object out of an arena.ai page, which can
// embed several (the overview page embeds every arena; a board page embeds
// previews of others).
type ArenaSelector struct {
	Arena    string // arenaSlug: "text", "webdev", "vision", ...
	Category string // params.category or leaderboardSlug: "overall", "coding", ...
	// Style is "style_control", "raw", or "" for whatever the page has.
	Style string
}

func (s ArenaSelector) String() string {
	out := s.Arena + "/" + s.Category
	if s.Style != "" {
		out += " (" + strings.ReplaceAll(s.Style, "_", " ") + ")"
	}
	return out
}

// arenaBoard is one board object found in a flight stream.
type arenaBoard struct {
	arena, category, style, id string
	entries                    []any
	meta                       map[string]any
}

func (b arenaBoard) label() string {
	return ArenaSelector{b.arena, b.category, b.style}.String()
}

// ExtractArena reads one board from an arena.ai leaderboard page: from the
// Next.js flight payload when the page carries the board there, else from
// the server-rendered HTML table. The table is read only when the page has
// no payload or a payload without any board object: when the payload holds
// other boards, the page is not the one asked for, and when it holds the
// board but an entry lacks a needed field, the site changed; both are
// errors. body may also be a bare flight stream (the response to a request
// sent with "RSC: 1").
//
// Fields of each entry: see arenaEntry. Of the board object: arenaSlug,
// leaderboardSlug, params.category and params.styleControl (or the id's
// "-raw"/"style_control") choose the board; entries is needed;
// voteCutoffISOString, totalModels and totalVotes are read from the board
// object itself (the live shape of 2026) or from a "meta" object beside it
// (older pages) and are optional. id serves only as a tie-break between
// two copies of one board (a UUID on the live site; older ids also marked
// the view). Ignored: category (an object on the live site, a "$35:0:1"
// reference in older pages), arena, and everything else.
func ExtractArena(body []byte, sel ArenaSelector) (*Extract, error) {
	trimmed := bytes.TrimSpace(body)
	isHTML := len(trimmed) > 0 && trimmed[0] == '<'
	var stream string
	if isHTML {
		s, _, err := FlightStream(body)
		if err != nil {
			return nil, driftf("flight payload: %v", err)
		}
		stream = s
	} else {
		stream = string(body)
	}
	var payloadErr error
	if stream != "" {
		ex, err := arenaFromFlight(stream, sel)
		if err == nil {
			return ex, nil
		}
		// A payload that carries other boards but not this one says the
		// page is about something else; its table would be that other
		// board's, so it must not be read as this one.
		// Likewise a board that was found but cannot be read (a needed
		// field is missing): the table would hide what changed.
		var other *otherBoardsError
		var unreadable *boardReadError
		if errors.As(err, &other) || errors.As(err, &unreadable) {
			return nil, driftf("%v", err)
		}
		payloadErr = err
	} else {
		payloadErr = fmt.Errorf("the page has no flight payload (self.__next_f.push)")
	}
	if !isHTML {
		return nil, driftf("%v", payloadErr)
	}
	ex, tableErr := arenaFromTable(body)
	if tableErr != nil {
		return nil, driftf("%v; HTML table fallback: %v", payloadErr, tableErr)
	}
	ex.Notes = append(ex.Notes, "rows read from the HTML table: "+payloadErr.Error())
	return ex, nil
}

// arenaFromFlight reads board sel from a flight stream: find the board
// objects, keep those that are sel, take the fullest copy, then read its
// entries and its vote cutoff and totals.
func arenaFromFlight(stream string, sel ArenaSelector) (*Extract, error) {
	found, metas, err := arenaFlightBoards(stream)
	if err != nil {
		return nil, err
	}
	sel.Arena, sel.Category = canonicalBoard(sel.Arena, sel.Category)
	match, notes, err := arenaMatchBoards(found, sel)
	if err != nil {
		return nil, err
	}
	// The same board can be embedded twice (a preview and the full list):
	// take the longest, then the smallest id, so the choice is stable.
	sort.SliceStable(match, func(i, j int) bool {
		if len(match[i].entries) != len(match[j].entries) {
			return len(match[i].entries) > len(match[j].entries)
		}
		return match[i].id < match[j].id
	})
	b := match[0]
	if b.meta == nil && len(metas) == 1 {
		// The stream's only meta object belongs to its only board family;
		// with several, nothing says which is this board's.
		b.meta = metas[0]
		notes = append(notes, "vote cutoff and totals taken from the page's only meta object")
	}
	ex := &Extract{Notes: notes}
	if err := arenaFlightRows(ex, b, sel); err != nil {
		return nil, err
	}
	arenaFlightMeta(ex, b.meta)
	if len(match) > 1 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("the page embeds board %s %d times; used the longest (%d entries)", sel, len(match), len(b.entries)))
	}
	return ex, nil
}

// arenaFlightBoards finds every board object in the stream (an object
// with entries and an arenaSlug or leaderboardSlug) and every meta object
// that is not on a board, in stream order. No board at all is an error.
func arenaFlightBoards(stream string) (found []arenaBoard, metas []map[string]any, err error) {
	rows, _ := ParseFlight(stream)
	for _, r := range rows {
		walkJSON(r.Value, nil, func(obj, parent map[string]any) {
			if m := findMeta(obj); m != nil {
				if _, isBoard := obj["entries"]; !isBoard {
					metas = append(metas, m)
				}
			}
			entries, ok := obj["entries"].([]any)
			if !ok {
				return
			}
			_, hasArena := obj["arenaSlug"]
			_, hasSlug := obj["leaderboardSlug"]
			if !hasArena && !hasSlug {
				return
			}
			found = append(found, describeArenaBoard(obj, parent, entries))
		})
	}
	if len(found) == 0 {
		if !strings.Contains(stream, "arenaSlug") {
			return nil, nil, fmt.Errorf("no leaderboard object (key \"arenaSlug\") in the flight payload")
		}
		return nil, nil, fmt.Errorf("the flight payload mentions \"arenaSlug\" but no board object with \"entries\" could be decoded")
	}
	return found, metas, nil
}

// arenaMatchBoards keeps the boards that are sel (canonical): those that
// state it, else those that state nothing against it (noted). None is an
// otherBoardsError naming the boards found.
func arenaMatchBoards(found []arenaBoard, sel ArenaSelector) (match []arenaBoard, notes []string, err error) {
	for _, b := range found {
		if slugEq(b.arena, sel.Arena) && slugEq(b.category, sel.Category) && (sel.Style == "" || b.style == sel.Style) {
			match = append(match, b)
		}
	}
	if len(match) == 0 {
		// A board object that does not say its category or view matches
		// when nothing states the one asked for: the URL chose the page.
		for _, b := range found {
			if slugEq(b.arena, sel.Arena) && (b.category == "" || slugEq(b.category, sel.Category)) && (b.style == "" || sel.Style == "" || b.style == sel.Style) {
				match = append(match, b)
			}
		}
		if len(match) > 0 {
			what := "view (style control)"
			if match[0].category == "" {
				what = "category or view"
			}
			notes = append(notes, fmt.Sprintf("the board object does not state its %s; taken as %s", what, sel))
		}
	}
	if len(match) == 0 {
		labels := map[string]bool{}
		for _, b := range found {
			labels[b.label()] = true
		}
		var names []string
		for l := range labels {
			names = append(names, l)
		}
		sort.Strings(names)
		return nil, nil, &otherBoardsError{sel, names}
	}
	return match, notes, nil
}

// arenaFlightRows reads the entries of board b (sel) into ex.Rows, with
// notes on repeated names and malformed optional fields. An entry that
// cannot be read is a boardReadError.
func arenaFlightRows(ex *Extract, b arenaBoard, sel ArenaSelector) error {
	// Rows are keyed by display name (see arenaEntry), which the site may
	// show twice (two harnesses of one model): a repeat gets "name [2]".
	var byName repeatKeys
	bad := 0
	for i, e := range b.entries {
		raw, err := json.Marshal(e)
		if err != nil {
			return &boardReadError{fmt.Errorf("board %s: entry %d: %w", sel, i+1, err)}
		}
		obj, err := decodeObject(raw, fmt.Sprintf("entries[%d]", i))
		if err != nil {
			return &boardReadError{fmt.Errorf("board %s: entry %d: %w", sel, i+1, err)}
		}
		row, err := arenaEntry(obj, &bad)
		if err != nil {
			return &boardReadError{fmt.Errorf("board %s: entry %d: %w", sel, i+1, err)}
		}
		byName.key(&row, row.Model)
		ex.Rows = append(ex.Rows, row)
	}
	if byName.renamed > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d entries repeat an earlier display name; keyed \"name [n]\"", byName.renamed))
	}
	if bad > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(bad))
	}
	return nil
}

// arenaFlightMeta reads the board's vote cutoff (the as-of date) and
// totals from its meta object, if it has one.
func arenaFlightMeta(ex *Extract, meta map[string]any) {
	if meta == nil {
		ex.Notes = append(ex.Notes, "no vote cutoff or totals found on or beside the board object")
		return
	}
	// The vote cutoff and totals are not part of the answer: a value
	// of the wrong shape is noted, never a failed board.
	if s, ok := meta["voteCutoffISOString"].(string); ok && s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			ex.AsOf = t.UTC()
		} else {
			ex.Notes = append(ex.Notes, fmt.Sprintf("voteCutoffISOString %q is not a date; no as-of date", s))
		}
	}
	if n, ok := jsonInt(meta["totalModels"]); ok {
		ex.Totals.Models = int(n)
	}
	if n, ok := jsonInt(meta["totalVotes"]); ok {
		ex.Totals.Votes = n
	}
}

// slugEq compares arena and category slugs, which the site writes with
// "_" in data ids ("text_to_image", "creative_writing") and "-" in URLs.
func slugEq(a, b string) bool {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	return norm(a) == norm(b)
}

// boardReadError says the board asked for is in the payload but one of
// its entries lacks a field the answer needs.
type boardReadError struct{ err error }

func (e *boardReadError) Error() string { return e.err.Error() }
func (e *boardReadError) Unwrap() error { return e.err }

// canonicalBoard names a board as arena.ai names it now. WebDev was an
// arena of its own ("webdev", category "overall") until early 2026 and is
// now the "webdev" category of the Code arena (the live overview of
// 2026-02-27: arenaSlug "code", leaderboardSlug and params.category
// "webdev", no style-control flag); both spellings are one board, and
// its siblings ("webdev-html", "webdev-react") stay different boards.
func canonicalBoard(arena, category string) (string, string) {
	if slugEq(arena, "webdev") && (category == "" || slugEq(category, "overall")) {
		return "code", "webdev"
	}
	return arena, category
}

// otherBoardsError says the payload carries boards, none of them the one
// asked for.
type otherBoardsError struct {
	want ArenaSelector
	have []string
}

func (e *otherBoardsError) Error() string {
	return fmt.Sprintf("no board %s in the flight payload (it has: %s)", e.want, strings.Join(e.have, ", "))
}

func describeArenaBoard(obj, parent map[string]any, entries []any) arenaBoard {
	b := arenaBoard{entries: entries}
	b.arena, _ = obj["arenaSlug"].(string)
	b.id, _ = obj["id"].(string)
	slug, _ := obj["leaderboardSlug"].(string)
	params, _ := obj["params"].(map[string]any)
	if c, ok := params["category"].(string); ok && c != "" {
		b.category = c
	} else {
		b.category = strings.TrimSuffix(slug, "-no-style-control")
	}
	b.arena, b.category = canonicalBoard(b.arena, b.category)
	switch sc, ok := params["styleControl"].(bool); {
	case ok && sc:
		b.style = "style_control"
	case ok && !sc:
		b.style = "raw"
	case strings.Contains(slug, "no-style-control") || strings.Contains(b.id, "-raw/"):
		b.style = "raw"
	case strings.Contains(b.id, "style_control"):
		b.style = "style_control"
	}
	// The vote cutoff and totals sit in an object beside the board (or on
	// the board itself in some layouts).
	b.meta = findMeta(obj)
	if b.meta == nil && parent != nil {
		b.meta = findMeta(parent)
		if b.meta == nil {
			for _, v := range parent {
				if m, ok := v.(map[string]any); ok {
					if b.meta = findMeta(m); b.meta != nil {
						break
					}
				}
			}
		}
	}
	return b
}

func findMeta(m map[string]any) map[string]any {
	if _, ok := m["voteCutoffISOString"]; ok {
		return m
	}
	if _, ok := m["totalModels"]; ok {
		return m
	}
	return nil
}

// arenaEntry maps one entry object of an arena.ai board to a Row, through
// the tolerant reader (jsonObject); at names the entry in messages.
//
// Needed (missing or malformed fails the board, naming the field):
//   - modelDisplayName, else modelKey, else contenderName: the model;
//   - rating: the score.
//
// Used when present (missing leaves the value out; a value of the wrong
// type is left out too and counted in *bad for a note): modelKey (kept in
// Extra["model_key"] when it differs from the display name), rank,
// rankUpper, rankLower, ratingUpper, ratingLower, votes (else sessions),
// modelOrganization, license; inputPricePerMillion, outputPricePerMillion,
// contextLength, pricePerImage, pricePerSecond (kept as metrics) and
// releaseType (kept as Extra["release_type"]), which no answer reads.
//
// Ignored: everything else, e.g. modelUrl, rankStyleControl (search
// boards), and keys the site adds later.
//
// Identity: Row.Model is the display name whenever there is one. arena.ai
// stopped sending modelKey in 2026 (the live page of 2026-02-27 has none),
// and in the 2025 pages that had it, modelKey equalled modelDisplayName;
// keying by the display name keeps one model on one history whether or
// not a later page brings keys back. A modelKey that differs is kept in
// Extra["model_key"], never used as the key.
func arenaEntry(e jsonObject, bad *int) (arenawatch.Row, error) {
	var r arenawatch.Row
	name, _ := e.optStr("modelDisplayName", bad)
	key, _ := e.optStr("modelKey", bad)
	contender, _ := e.optStr("contenderName", bad)
	name, key, contender = strings.TrimSpace(name), strings.TrimSpace(key), strings.TrimSpace(contender)
	r.Model = cmp.Or(name, key, contender)
	if r.Model == "" {
		return r, driftf("%s: no model name: \"modelDisplayName\" (or \"modelKey\") missing (a field the answer needs)", e.at)
	}
	if key != "" && key != r.Model {
		r.Extra = map[string]string{"model_key": key}
	}
	rating, err := e.needNum("rating")
	if err != nil {
		return r, fmt.Errorf("%s: %w", r.Model, err)
	}
	r.Score = rating
	if v, ok := e.optNum("ratingLower", bad); ok {
		r.ScoreLower = arenawatch.Float(v)
	}
	if v, ok := e.optNum("ratingUpper", bad); ok {
		r.ScoreUpper = arenawatch.Float(v)
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{"rank", &r.Rank}, {"rankUpper", &r.RankUpper}, {"rankLower", &r.RankLower}} {
		if v, ok := e.optNum(f.key, bad); ok {
			if v < 1 || v != math.Trunc(v) || v >= math.MaxInt32 {
				*bad++
				continue
			}
			*f.dst = int(v)
		}
	}
	for _, k := range []string{"votes", "sessions"} {
		if v, ok := e.optNum(k, bad); ok {
			if v < 0 || v != math.Trunc(v) || v > 1<<53 {
				*bad++
				continue
			}
			r.Votes = int64(v)
			break
		}
	}
	if s, ok := e.optStr("modelOrganization", bad); ok {
		r.Organization = arenawatch.Str(s)
	}
	if s, ok := e.optStr("license", bad); ok {
		r.License = arenawatch.Str(s)
	}
	for _, f := range []struct{ key, metric string }{
		{"inputPricePerMillion", "input_price_per_million"},
		{"outputPricePerMillion", "output_price_per_million"},
		{"contextLength", "context_length"},
		{"pricePerImage", "price_per_image"},
		{"pricePerSecond", "price_per_second"},
	} {
		// Not read by any answer: a malformed value is dropped without
		// a count, like any ignored field.
		if v, ok := e.optNum(f.key, nil); ok {
			if r.Metrics == nil {
				r.Metrics = map[string]float64{}
			}
			r.Metrics[f.metric] = v
		}
	}
	if s, ok := e.optStr("releaseType", nil); ok && s != "" {
		if r.Extra == nil {
			r.Extra = map[string]string{}
		}
		r.Extra["release_type"] = s
	}
	return r, nil
}

func jsonFloat(v any) (float64, bool) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func jsonInt(v any) (int64, bool) {
	f, ok := jsonFloat(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// arenaColumns maps the arena.ai table's header texts (normalised by
// headerKey) to fields. Columns are found by header, never by position:
// they move. Unknown headers (prices, context) are ignored.
var arenaColumns = map[string]string{
	"rank":         "rank",
	"#":            "rank",
	"rank (ub)":    "rank",
	"rank* (ub)":   "rank",
	"rank spread":  "spread",
	"model":        "model",
	"model name":   "model",
	"score":        "score",
	"arena score":  "score",
	"arena elo":    "score",
	"elo":          "score",
	"rating":       "score",
	"votes":        "votes",
	"95% ci":       "ci",
	"95% ci (±)":   "ci",
	"ci":           "ci",
	"organization": "organization",
	"organisation": "organization",
	"org":          "organization",
	"license":      "license",
	"licence":      "license",
}

// arenaDefaultOrder is the column order arena.ai used in 2026 captures; it
// is used only for a table that has no header row, and every cell is
// checked for the shape its column implies.
var arenaDefaultOrder = []string{"rank", "spread", "model", "score", "votes"}

func arenaFromTable(page []byte) (*Extract, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", err)
	}
	tables := doc.Find("table")
	if tables.Length() == 0 {
		return nil, fmt.Errorf("no <table> in the page")
	}
	var lastErr error
	for i := range tables.Length() {
		ex, err := arenaTable(tables.Eq(i))
		if err == nil {
			return ex, nil
		}
		if lastErr == nil {
			lastErr = err
		}
	}
	return nil, lastErr
}

func arenaTable(table *goquery.Selection) (*Extract, error) {
	headers := tableHeaders(table)
	var cols map[string]int
	if len(headers) > 0 {
		// Unknown columns (new prices, new metrics) are allowed.
		cols = headerIndex(headers, arenaColumns)
		for _, need := range []string{"model", "score"} {
			if _, ok := cols[need]; !ok {
				return nil, fmt.Errorf("table has no %q column (headers: %s)", need, strings.Join(quoteAll(headers), ", "))
			}
		}
	} else {
		cols = map[string]int{}
		for i, f := range arenaDefaultOrder {
			cols[f] = i
		}
	}
	ex := &Extract{}
	var rowErr error
	var keys repeatKeys // the table shows display names, which may repeat
	bodyRows(table).EachWithBreak(func(i int, tr *goquery.Selection) bool {
		cells := tr.ChildrenFiltered("td")
		if cells.Length() == 0 {
			return true
		}
		row, err := arenaTableRow(cells, cols)
		if err != nil {
			rowErr = fmt.Errorf("table row %d: %w", i+1, err)
			return false
		}
		keys.key(&row, row.Model)
		ex.Rows = append(ex.Rows, row)
		return true
	})
	if rowErr != nil {
		return nil, rowErr
	}
	if keys.renamed > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d table rows repeat an earlier model name; keyed \"name [n]\"", keys.renamed))
	}
	if len(ex.Rows) == 0 {
		return nil, fmt.Errorf("leaderboard table has no rows")
	}
	if len(headers) == 0 {
		ex.Notes = append(ex.Notes, "the table has no header row; columns read in arena.ai's 2026 order")
	}
	return ex, nil
}

func arenaTableRow(cells *goquery.Selection, cols map[string]int) (arenawatch.Row, error) {
	var r arenawatch.Row
	cell := func(f string) (*goquery.Selection, bool) {
		i, ok := cols[f]
		if !ok || i >= cells.Length() {
			return nil, false
		}
		return cells.Eq(i), true
	}
	c, ok := cell("model")
	if !ok {
		return r, fmt.Errorf("no model cell")
	}
	name, org, license, hasSub := arenaModelCell(c)
	if name == "" {
		return r, fmt.Errorf("empty model cell")
	}
	r.Model = name
	if hasSub {
		r.Organization = arenawatch.Str(org)
		r.License = arenawatch.Str(license)
	} else if org != "" {
		r.Organization = arenawatch.Str(org)
	}
	if c, ok := cell("organization"); ok {
		r.Organization = arenawatch.Str(cleanText(c.Text()))
	}
	if c, ok := cell("license"); ok {
		r.License = arenawatch.Str(cleanText(c.Text()))
	}
	c, ok = cell("score")
	if !ok {
		return r, fmt.Errorf("%s: no score cell", name)
	}
	sc, err := ParseScoreCI(c.Text())
	if err != nil {
		return r, fmt.Errorf("%s: score: %w", name, err)
	}
	r.Score = sc.Score
	if c, ok := cell("ci"); ok && !sc.HasCI {
		if t := cleanText(c.Text()); t != "" {
			p, m, err := ParseCI(t)
			if err != nil {
				return r, fmt.Errorf("%s: %w", name, err)
			}
			sc.Plus, sc.Minus, sc.HasCI = p, m, true
		}
	}
	if sc.HasCI {
		r.ScoreUpper = arenawatch.Float(sc.Score + sc.Plus)
		r.ScoreLower = arenawatch.Float(sc.Score - sc.Minus)
	}
	if c, ok := cell("rank"); ok {
		n, has, err := ParseInt(c.Text())
		if err != nil || (has && n < 1) {
			return r, fmt.Errorf("%s: rank %q is not a positive whole number", name, cleanText(c.Text()))
		}
		r.Rank = int(n)
	}
	if c, ok := cell("spread"); ok {
		u, l, err := arenaSpreadCell(c)
		if err != nil {
			return r, fmt.Errorf("%s: %w", name, err)
		}
		r.RankUpper, r.RankLower = u, l
	}
	if c, ok := cell("votes"); ok {
		n, _, err := ParseInt(c.Text())
		if err != nil {
			return r, fmt.Errorf("%s: votes: %w", name, err)
		}
		r.Votes = n
	}
	return r, nil
}

// arenaSpreadCell reads a rank-spread cell. The ranks are two elements of
// their own ("<span>1</span><svg…/><span>4</span>", whose text runs
// together as "14"; or "<span>1</span> <span>◄─►</span> <span>4</span>"):
// when exactly two leaf elements hold a whole number, those are the ranks.
// Otherwise the text is read ("1 – 4"). An empty cell has no spread.
func arenaSpreadCell(c *goquery.Selection) (upper, lower int, err error) {
	var ranks []int
	c.Find("*").Each(func(_ int, s *goquery.Selection) {
		if s.Children().Length() > 0 || goquery.NodeName(s) == "svg" || s.ParentsFiltered("svg").Length() > 0 {
			return
		}
		if n, has, err := ParseInt(s.Text()); err == nil && has {
			ranks = append(ranks, int(n))
		}
	})
	if len(ranks) == 2 {
		if ranks[0] < 1 || ranks[1] < 1 {
			return 0, 0, fmt.Errorf("malformed rank spread %v", ranks)
		}
		return ranks[0], ranks[1], nil
	}
	t := cleanText(c.Text())
	if t == "" {
		return 0, 0, nil
	}
	return ParseRankSpread(t)
}

// arenaModelCell reads arena.ai's model cell: the name from the first
// element carrying a title attribute (a <span title> since 2026-07, an
// <a title> before), the "Organization · License" subtitle, and the org
// icon's <svg><title> as a fallback organization.
func arenaModelCell(c *goquery.Selection) (name, org, license string, hasSub bool) {
	c.Find("[title]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if goquery.NodeName(s) == "svg" {
			return true
		}
		if t, _ := s.Attr("title"); cleanText(t) != "" {
			name = cleanText(t)
			return false
		}
		return true
	})
	sub := c.Find(".text-text-secondary").First()
	if sub.Length() > 0 {
		text := cleanText(sub.Text())
		o, l, found := strings.Cut(text, "·")
		if found {
			org, license, hasSub = cleanText(o), cleanText(l), true
		} else {
			org = text
		}
	}
	if org == "" {
		org = cleanText(c.Find("svg title").First().Text())
	}
	if name == "" {
		// No title attribute: the link text, else the cell text without
		// the subtitle.
		if a := c.Find("a").First(); a.Length() > 0 {
			clone := a.Clone()
			clone.Find(".text-text-secondary, svg").Remove()
			name = cleanText(clone.Text())
		}
		if name == "" {
			clone := c.Clone()
			clone.Find(".text-text-secondary, svg").Remove()
			name = cleanText(clone.Text())
		}
	}
	return name, org, license, hasSub
}

// arenaSite declares the arena.ai extractor and boards (see site).
var arenaSite = site{
	extractors: map[string]Extractor{"arena": {Version: ArenaParserVersion, Requests: []string{"page"}, Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractArena(docs["page"], ArenaSelector{Arena: b.Params["arena"], Category: b.Params["category"], Style: b.Params["style"]})
	}}},
	boards: arenaBoards,
}

// arenaView is one arena.ai board: its page, which board object on that
// page to read, and its place in the default set.
type arenaView struct {
	id, title, path        string
	arena, category, style string
	minRows                int
	optional               bool
}

// board returns the view's complete board definition.
func (v arenaView) board() arenawatch.Board {
	return arenawatch.Board{
		ID:        v.id,
		Title:     v.title,
		Site:      "arena.ai",
		Extractor: "arena",
		Requests:  []arenawatch.Request{{Name: "page", URL: "https://arena.ai" + v.path, Alternates: arenaAlternates(v.path)}},
		Params:    map[string]string{"arena": v.arena, "category": v.category, "style": v.style},
		Rank:      arenawatch.RankOwn,
		Limits:    arenawatch.Limits{MinRows: v.minRows},
		ScoreName: "Arena score",
		Optional:  v.optional,
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
// rankings without it (the URL toggle "…-no-style-control").
//
// The default set is what answers the question for language models: text
// (both views), WebDev, vision, search and document, plus text-to-image.
// The category and raw views, image edit and video are optional (opt in by
// name or config), which keeps a cron run to a handful of ~5 MB pages. The
// text, WebDev and vision arenas list 20 rows or more; the smaller arenas
// at least 10.
func arenaBoards() arenawatch.Boards {
	const opt = true
	views := []arenaView{
		{"arena-text", "Arena (arena.ai) text, overall, style control (default view)",
			"/leaderboard/text", "text", "overall", "style_control", 20, !opt},
		{"arena-text-raw", "Arena (arena.ai) text, overall, without style control",
			"/leaderboard/text/overall-no-style-control", "text", "overall", "raw", 20, !opt},
	}
	for _, c := range arenaTextCategories {
		views = append(views,
			arenaView{"arena-text-" + c.path, "Arena (arena.ai) text, " + c.title + ", style control",
				"/leaderboard/text/" + c.path, "text", c.slug, "style_control", 20, opt},
			arenaView{"arena-text-" + c.path + "-raw", "Arena (arena.ai) text, " + c.title + ", without style control",
				"/leaderboard/text/" + c.path + "-no-style-control", "text", c.slug, "raw", 20, opt})
	}
	views = append(views,
		arenaView{"arena-webdev", "Arena (arena.ai) WebDev (code), overall", "/leaderboard/code/webdev", "code", "webdev", "", 20, !opt},
		arenaView{"arena-vision", "Arena (arena.ai) vision, overall, style control", "/leaderboard/vision", "vision", "overall", "style_control", 20, !opt},
		arenaView{"arena-vision-raw", "Arena (arena.ai) vision, overall, without style control",
			"/leaderboard/vision/overall-no-style-control", "vision", "overall", "raw", 20, opt},
		arenaView{"arena-text-to-image", "Arena (arena.ai) text-to-image", "/leaderboard/text-to-image", "text_to_image", "overall", "", 10, !opt},
		arenaView{"arena-image-edit", "Arena (arena.ai) image edit", "/leaderboard/image-edit", "image_edit", "overall", "", 10, opt},
		arenaView{"arena-search", "Arena (arena.ai) search", "/leaderboard/search", "search", "overall", "", 10, !opt},
		arenaView{"arena-text-to-video", "Arena (arena.ai) text-to-video", "/leaderboard/text-to-video", "text_to_video", "overall", "", 10, opt},
		arenaView{"arena-image-to-video", "Arena (arena.ai) image-to-video", "/leaderboard/image-to-video", "image_to_video", "overall", "", 10, opt},
		arenaView{"arena-document", "Arena (arena.ai) document", "/leaderboard/document", "document", "overall", "", 10, !opt},
	)
	bs := make(arenawatch.Boards, len(views))
	for i, v := range views {
		bs[i] = v.board()
	}
	return bs
}
