package history

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

// TestCompare diffs a real page (LMArena's text board, 265 rows, every row
// with a confidence interval) against copies of it edited in one place.
// Ranks are by score (1 + the rows scoring strictly higher). The rows the
// expectations are worked out from, as the page has them:
//
//	rank score [interval]   model                          open, origin
//	1    1470 [1465, 1475]  Gemini-2.5-Pro                 closed, US
//	2    1446 [1440, 1452]  Gemini-2.5-Pro-Preview-05-06   closed, US
//	3    1434 [1425, 1443]  GLM-4.5                        open (MIT), CN   ← leading open
//	3    1434 [1428, 1440]  Grok-4-0709                    closed, US
//	5    1429               ChatGPT-4o-latest (2025-03-26) closed
//	6    1428               o3-2025-04-16                  closed
//	7    1427 [1418, 1436]  Qwen3-235B-A22B-Instruct-2507  open (Apache 2.0), CN
//	7    1427               DeepSeek-R1-0528               open (MIT), CN
//	9    1423               Grok-3-Preview-02-24           closed
//	43   1357               Gemma-3-27B-it                 open, US         ← best open, not Chinese
func TestCompare(t *testing.T) {
	opt := Options{Catalog: ranking.Embedded(), Rule: arenawatch.RankByScore}
	set := func(model string, f func(*arenawatch.Row)) func([]arenawatch.Row) []arenawatch.Row {
		return func(rows []arenawatch.Row) []arenawatch.Row {
			for i := range rows {
				if rows[i].Model == model {
					f(&rows[i])
				}
			}
			return rows
		}
	}
	lo, hi := 1490.0, 1510.0
	tests := []struct {
		name    string
		edit    func([]arenawatch.Row) []arenawatch.Row
		oldEdit func([]arenawatch.Row) []arenawatch.Row // of the old snapshot, when set
		minMove int
		// appeared and dropped are "model@rank"; moved "model from→to";
		// scores "model change".
		appeared, dropped, moved, scores []string
		noInterval                       int
		lead, best                       string // "from→to", "" when unchanged
		leadWhy, bestWhy                 []string
	}{
		{name: "Same", edit: func(r []arenawatch.Row) []arenawatch.Row { return r }},
		// Another source of the board spells every key in lower case (a
		// community archive's "GLM-4.5" is arena.ai's "glm-4.5"): the same
		// models, nothing appeared, dropped or changed.
		{name: "KeysInOtherCase", edit: func(r []arenawatch.Row) []arenawatch.Row {
			for i := range r {
				r[i].Model = strings.ToLower(r[i].Model)
			}
			return r
		}},
		// A new open model from Meta (US) scoring above everything: rank 1,
		// every other row one rank lower (less than 5), both answers new.
		{name: "NewModel", edit: func(r []arenawatch.Row) []arenawatch.Row {
			return append(r, arenawatch.Row{Model: "test-open-1", Organization: arenawatch.Str("Meta"), License: arenawatch.Str("Apache 2.0"),
				Score: 1500, ScoreLower: &lo, ScoreUpper: &hi})
		}, appeared: []string{"test-open-1@1"},
			lead: "GLM-4.5→test-open-1", leadWhy: []string{WhyNewModel}, best: "Gemma-3-27B-it→test-open-1", bestWhy: []string{WhyNewModel}},
		// GLM-4.5 gone: rows below it climb one rank; the next open model
		// by score, first on the page among the two at 1427, leads.
		{name: "Dropped", edit: func(r []arenawatch.Row) []arenawatch.Row {
			return slices.DeleteFunc(r, func(x arenawatch.Row) bool { return x.Model == "GLM-4.5" })
		}, dropped: []string{"GLM-4.5@3"}, lead: "GLM-4.5→Qwen3-235B-A22B-Instruct-2507", leadWhy: []string{WhyDropped}},
		// The page now says GLM-4.5 is proprietary: closed, no longer the
		// answer, though nothing moved.
		{name: "Reclassified", edit: set("GLM-4.5", func(r *arenawatch.Row) { r.License = arenawatch.Str("Proprietary") }),
			lead: "GLM-4.5→Qwen3-235B-A22B-Instruct-2507", leadWhy: []string{WhyReclass}},
		// The other way: GLM-4.5 was proprietary and now is MIT.
		{name: "ReclassifiedOpen", edit: func(r []arenawatch.Row) []arenawatch.Row { return r },
			oldEdit: set("GLM-4.5", func(r *arenawatch.Row) { r.License = arenawatch.Str("Proprietary") }),
			lead:    "Qwen3-235B-A22B-Instruct-2507→GLM-4.5", leadWhy: []string{WhyReclass}},
		// GLM-4.5 falls to 1420, below its interval [1425, 1443]: 8 rows
		// now score higher (1470 … 1423), so rank 9, 6 ranks down.
		{name: "ScoreOutsideInterval", edit: set("GLM-4.5", func(r *arenawatch.Row) { r.Score = 1420 }),
			moved: []string{"GLM-4.5 3→9"}, scores: []string{"GLM-4.5 -14"},
			lead: "GLM-4.5→Qwen3-235B-A22B-Instruct-2507", leadWhy: []string{WhyScore}},
		// Qwen3-235B-A22B-Instruct-2507 rises to 1440, above [1418, 1436]:
		// only 1470 and 1446 score higher, rank 7→3 (4 ranks, not listed),
		// and it passes GLM-4.5 (1434).
		{name: "ScoreAboveInterval", edit: set("Qwen3-235B-A22B-Instruct-2507", func(r *arenawatch.Row) { r.Score = 1440 }),
			scores: []string{"Qwen3-235B-A22B-Instruct-2507 13"},
			lead:   "GLM-4.5→Qwen3-235B-A22B-Instruct-2507", leadWhy: []string{WhyScore}},
		{name: "MoveBelowMinMove", edit: set("GLM-4.5", func(r *arenawatch.Row) { r.Score = 1420 }), minMove: 7,
			scores: []string{"GLM-4.5 -14"}, lead: "GLM-4.5→Qwen3-235B-A22B-Instruct-2507", leadWhy: []string{WhyScore}},
		// 1440 is inside [1425, 1443]: not a score change; rank 3→2.
		{name: "ScoreInsideInterval", edit: set("GLM-4.5", func(r *arenawatch.Row) { r.Score = 1440 })},
		// Without the old interval a change cannot be judged: counted.
		{name: "NoInterval", edit: set("GLM-4.5", func(r *arenawatch.Row) { r.Score = 1420 }), minMove: 7, noInterval: 1,
			lead: "GLM-4.5→Qwen3-235B-A22B-Instruct-2507", leadWhy: []string{WhyScore}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, cur := golden(t, "hf-text-raw"), golden(t, "hf-text-raw")
			cur.Rows = tt.edit(cur.Rows)
			if tt.oldEdit != nil {
				old.Rows = tt.oldEdit(old.Rows)
			}
			if tt.noInterval > 0 { // the old row of the edited model loses its interval
				set("GLM-4.5", func(r *arenawatch.Row) { r.ScoreLower, r.ScoreUpper = nil, nil })(old.Rows)
			}
			d := Compare(old, cur, opt, tt.minMove)
			var appeared, dropped, moved, scores []string
			for _, m := range d.Appeared {
				appeared = append(appeared, fmt.Sprintf("%s@%d", m.Model, m.Rank))
			}
			for _, m := range d.Dropped {
				dropped = append(dropped, fmt.Sprintf("%s@%d", m.Model, m.Rank))
			}
			for _, m := range d.Moved {
				moved = append(moved, fmt.Sprintf("%s %d→%d", m.Model, m.FromRank, m.ToRank))
			}
			for _, c := range d.ScoreChanges {
				scores = append(scores, fmt.Sprintf("%s %g", c.Model, c.Change))
			}
			check := func(what string, got, want any) {
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %v, want %v", what, got, want)
				}
			}
			check("appeared", appeared, tt.appeared)
			check("dropped", dropped, tt.dropped)
			check("moved", moved, tt.moved)
			check("score changes", scores, tt.scores)
			check("no interval", d.NoInterval, tt.noInterval)
			check("leading open", change(d.LeadingOpen), tt.lead)
			check("best non-Chinese", change(d.BestOpenNonCN), tt.best)
			check("leading open why", d.LeadingOpen.Why, orEmpty(tt.leadWhy))
			check("best non-Chinese why", d.BestOpenNonCN.Why, orEmpty(tt.bestWhy))
		})
	}
}

// change is "from→to" for a changed headline, "" for an unchanged one.
func change(h Headline) string {
	if !h.Changed {
		return ""
	}
	name := func(m *ranking.ModelRef) string {
		if m == nil {
			return "none"
		}
		return m.Model
	}
	return name(h.From) + "→" + name(h.To)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestPair picks the snapshots a diff compares. Two scrapes with equal
// content (the same hash) are one answer: the default pair skips back over
// them.
func TestPair(t *testing.T) {
	stamps := []Stamp{
		{Key{FetchedAt: ts("2026-11-28T08:00:00Z"), AsOf: ts("2026-11-27T00:00:00Z")}, "a"},
		{Key{FetchedAt: ts("2026-11-29T08:00:00Z"), AsOf: ts("2026-11-20T00:00:00Z")}, "b"},
		{Key{FetchedAt: ts("2026-11-30T08:00:00Z"), AsOf: ts("2026-11-29T00:00:00Z")}, "c"},
		{Key{FetchedAt: ts("2026-12-01T08:00:00Z"), AsOf: ts("2026-11-29T00:00:00Z")}, "c"},
	}
	tests := []struct {
		name     string
		basis    Basis
		from, to string // "" for none
		want     string // "from-fetch to-fetch" as "01-02T15"; or the error's text
	}{
		{"Default", ByFetch, "", "", "11-29T08 12-01T08"},
		{"ToSkipsEqualContent", ByFetch, "", "2026-11-30T23:00:00Z", "11-29T08 11-30T08"},
		{"From", ByFetch, "2026-11-28T23:00:00Z", "", "11-28T08 12-01T08"},
		{"FromEqualContent", ByFetch, "2026-11-30T08:00:00Z", "", "11-30T08 12-01T08"},
		// By as-of date the 11-29 fetch (data of 11-20) comes first.
		{"AsOfOrder", ByAsOf, "", "", "11-28T08 12-01T08"},
		{"AsOfTo", ByAsOf, "", "2026-11-27T00:00:00Z", "11-29T08 11-28T08"},
		{"NothingBefore", ByFetch, "", "2026-11-28T00:00:00Z", "no snapshot at or before"},
		{"OnlyOne", ByFetch, "", "2026-11-28T23:00:00Z", "no earlier snapshot with other content"},
		{"FromNotBeforeTo", ByFetch, "2026-12-01T09:00:00Z", "", "same snapshot as --to or a later one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var from, to = zeroOr(tt.from), zeroOr(tt.to)
			old, cur, err := Pair(stamps, tt.basis, from, to)
			got := old.FetchedAt.Format("01-02T15") + " " + cur.FetchedAt.Format("01-02T15")
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// zeroOr reads an RFC 3339 time; "" is the zero time.
func zeroOr(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return ts(s)
}
