package arenawatch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Row is one entry of a board as the source states it, uninterpreted:
// classification (country, open weights) happens later, at query time.
// Optional facts are pointers so that "the source does not say" (nil) stays
// distinct from "the source says nothing" ("").
type Row struct {
	// Rank is the source's own rank; 0 when the source publishes none.
	Rank int `json:"rank,omitempty"`
	// RankUpper and RankLower are the best and worst plausible rank from
	// the confidence interval ("rank spread"), when published.
	RankUpper int `json:"rank_upper,omitempty"`
	RankLower int `json:"rank_lower,omitempty"`
	// Model is the source's stable key for the model (modelKey, modelId or
	// the display name when nothing better exists). Unique within a snapshot.
	Model string `json:"model"`
	// Name is the name shown to people, when it differs from Model.
	Name string `json:"name,omitempty"`
	// Underlying is the model a row runs when the row is a system rather
	// than a model (an agent, a scaffold + model): the catalog classifies
	// by it when the source names no developer.
	Underlying string `json:"underlying,omitempty"`
	// Organization is the developer as the source labels it.
	Organization *string `json:"organization,omitempty"`
	// License is the licence text the source shows.
	License *string `json:"license,omitempty"`
	// Open is the source's explicit open-weights flag, when it has one.
	Open *bool `json:"open,omitempty"`
	// Score is the board's main metric (Arena score, Elo, ...).
	Score      float64  `json:"score"`
	ScoreLower *float64 `json:"score_lower,omitempty"`
	ScoreUpper *float64 `json:"score_upper,omitempty"`
	// Votes is the number of votes or battles behind the score, 0 if unknown.
	Votes int64 `json:"votes,omitempty"`
	// Metrics holds further numbers by name ("coding", "win_rate", ...).
	Metrics map[string]float64 `json:"metrics,omitempty"`
	// Extra holds further texts by name ("release_type", "badge", ...).
	Extra map[string]string `json:"extra,omitempty"`
}

// AggregateModel is the model key of a row that stands for many models
// rather than one: OpenRouter's daily export sums every model outside its
// top list into a row "other". Such a row has no organization; it gets no
// rank and no class, and only its total counts (in usage shares).
const AggregateModel = "other"

// Aggregate reports whether the row is such an aggregate: that key and no
// organization (a model literally named "other" by a lab keeps its lab).
func (r Row) Aggregate() bool { return r.Model == AggregateModel && r.Organization == nil }

// DisplayName returns Name, or Model when Name is empty.
func (r Row) DisplayName() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Model
}

// Str returns a pointer to s; a helper for the optional Row fields.
func Str(s string) *string { return &s }

// Float returns a pointer to f.
func Float(f float64) *float64 { return &f }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

// Totals are what a page states about its whole board.
type Totals struct {
	Models int   `json:"models,omitempty"` // the page's stated number of models
	Votes  int64 `json:"votes,omitempty"`  // the page's stated number of votes
}

// Document is one raw HTTP response a snapshot was built from.
type Document struct {
	Name   string `json:"name"` // request name, e.g. "page", "registry"
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	SHA256 string `json:"sha256"` // of the raw body; the key of the stored bytes
	Size   int    `json:"size"`
}

// Origin values for Snapshot.Origin.
const (
	OriginScraped  = "scraped"  // fetched from the live site (or a --url mirror)
	OriginReplayed = "replayed" // fetched from a --replay directory
	OriginImported = "imported" // written by an import of a published dataset
)

// Snapshot is one successful read of one board.
type Snapshot struct {
	Board     string    `json:"board"`
	FetchedAt time.Time `json:"fetched_at"`
	// AsOf is the source's own date for the data (vote cutoff, publish
	// date); zero when the source states none.
	AsOf          time.Time  `json:"as_of,omitzero"`
	Origin        string     `json:"origin"`
	URL           string     `json:"url"`
	Status        int        `json:"status"`
	SHA256        string     `json:"sha256"` // of the main document
	Documents     []Document `json:"documents"`
	ParserVersion string     `json:"parser_version"`
	Totals        Totals     `json:"totals,omitzero"`
	// Notes record how the rows were read ("read from the HTML table: the
	// flight payload is missing"), for people auditing a snapshot.
	Notes []string `json:"notes,omitempty"`
	Rows  []Row    `json:"rows"`
	// Duplicates counts the rows the page listed twice, identically, and
	// that were dropped (see SettleDuplicates); they count as listed when
	// the page's stated total is compared with the rows.
	Duplicates int `json:"duplicates,omitempty"`
	// ContentHash identifies what the snapshot says (as-of, totals, rows),
	// independent of incidental bytes in the page. Two scrapes with the same
	// content hash are the same snapshot.
	ContentHash string `json:"content_hash"`
	// Reparsed is set on a snapshot that 'arenawatch reparse' built from
	// an earlier snapshot's stored raw bodies with a newer parser; nil on
	// a snapshot read from the network or a file. Such a snapshot keeps
	// the board, FetchedAt and Origin of the one it re-reads, so a
	// question about that time answers from it.
	Reparsed *Reparse `json:"reparsed,omitempty"`
}

// Reparse records where a re-parsed snapshot came from: the snapshot
// whose raw bodies were read again, named by its FetchedAt (the store
// keeps both, the re-parse under a key a few nanoseconds later), and the
// parser version that had read them.
type Reparse struct {
	From          time.Time `json:"from"`
	ParserVersion string    `json:"parser_version"`
}

// Partial reports whether the page states more models than it listed.
func (s *Snapshot) Partial() bool {
	return s.Totals.Models > 0 && len(s.Rows)+s.Duplicates < s.Totals.Models
}

// ComputeContentHash returns the hash of the snapshot's content: as-of,
// totals and rows, in that order, as canonical JSON.
func (s *Snapshot) ComputeContentHash() string {
	content := struct {
		AsOf   time.Time `json:"as_of"`
		Totals Totals    `json:"totals"`
		Rows   []Row     `json:"rows"`
	}{s.AsOf.UTC(), s.Totals, s.Rows}
	b, err := json.Marshal(content)
	if err != nil {
		// Validate rejects the non-finite floats that are the only thing
		// json.Marshal refuses here.
		panic(fmt.Sprintf("content hash of unvalidated snapshot: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Validate checks a snapshot against the board's limits and the rules every
// snapshot obeys. It returns a KindDrift *Error that says every problem
// found (up to a few per rule), or nil.
//
// Rules: at least MinRows rows; each row has a model key and a finite score;
// CI bounds, when present, are finite and ordered; ranks are not negative and
// rank bounds are ordered; no model appears twice; the required fields are
// present; and there are not more rows than the page says it has.
func Validate(s *Snapshot, lim Limits) error {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	if s.Board == "" {
		add("snapshot has no board id")
	}
	min := lim.MinRows
	if min < 1 {
		min = 1
	}
	if len(s.Rows) < min {
		add("too few rows: %d, want at least %d", len(s.Rows), min)
	}
	if s.Totals.Models > 0 && len(s.Rows) > s.Totals.Models {
		add("%d rows but the page states %d models", len(s.Rows), s.Totals.Models)
	}
	const maxPerRule = 5
	counts := map[string]int{}
	bad := func(rule, format string, args ...any) {
		counts[rule]++
		if counts[rule] <= maxPerRule {
			add(format, args...)
		}
	}
	seen := make(map[string]int, len(s.Rows))
	for i, r := range s.Rows {
		where := fmt.Sprintf("row %d", i+1)
		if r.Model != "" {
			where = fmt.Sprintf("row %d (%s)", i+1, r.Model)
		}
		if strings.TrimSpace(r.Model) == "" {
			bad("model", "%s: no model name", where)
		} else if j, dup := seen[r.Model]; dup {
			bad("dup", "%s: duplicate of row %d", where, j+1)
		} else {
			seen[r.Model] = i
		}
		if !finite(r.Score) {
			bad("score", "%s: score is not a finite number", where)
		}
		if (r.ScoreLower != nil && !finite(*r.ScoreLower)) || (r.ScoreUpper != nil && !finite(*r.ScoreUpper)) {
			bad("ci", "%s: confidence bound is not a finite number", where)
		} else if r.ScoreLower != nil && r.ScoreUpper != nil && *r.ScoreLower > *r.ScoreUpper {
			bad("ci", "%s: confidence interval lower %g > upper %g", where, *r.ScoreLower, *r.ScoreUpper)
		}
		for name, v := range r.Metrics {
			if !finite(v) {
				bad("metric", "%s: metric %s is not a finite number", where, name)
			}
		}
		if r.Rank < 0 || r.RankUpper < 0 || r.RankLower < 0 {
			bad("rank", "%s: negative rank", where)
		} else if r.RankUpper > 0 && r.RankLower > 0 && r.RankUpper > r.RankLower {
			bad("rank", "%s: rank spread %d–%d is reversed", where, r.RankUpper, r.RankLower)
		}
		if r.Votes < 0 {
			bad("votes", "%s: negative votes", where)
		}
		if lim.RequireOrganization && r.Organization == nil {
			bad("org", "%s: no organization field", where)
		}
		if lim.RequireLicense && r.License == nil {
			bad("license", "%s: no license field", where)
		}
	}
	for _, rule := range []string{"model", "dup", "score", "ci", "metric", "rank", "votes", "org", "license"} {
		if n := counts[rule]; n > maxPerRule {
			add("… and %d more rows failing the same %s check", n-maxPerRule, rule)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &Error{Kind: KindDrift, Board: s.Board, URL: s.URL,
		Err:  fmt.Errorf("snapshot rejected: %s", strings.Join(problems, "; ")),
		Hint: "nothing was stored; earlier snapshots are kept. If the site changed its layout, the extractor needs an update."}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
