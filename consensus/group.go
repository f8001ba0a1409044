package consensus

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// Group is the kind of board: what its ranking measures. Its values are
// part of the user interface (--group, JSON).
type Group string

// The groups (see the package documentation).
const (
	GroupArena      Group = "arena"
	GroupBenchmarks Group = "benchmarks"
	GroupUsage      Group = "usage"
	GroupOther      Group = "other"
)

// Groups lists every group, in the order summaries print them.
var Groups = []Group{GroupArena, GroupBenchmarks, GroupUsage, GroupOther}

// Extractors that rank by human votes and by test scores. A built-in board
// with an extractor in neither falls in GroupOther, which a test forbids.
var (
	voteExtractors  = map[string]bool{"arena": true, "hf-leaderboard": true, "designarena": true, "openlm": true, "sciarena": true}
	benchExtractors = map[string]bool{"swebench": true, "aider": true, "livebench": true, "bfcl": true, "artificialanalysis": true}
)

// GroupOf returns the board's group: usage when it counts use, else by
// its extractor; user-defined boards are GroupOther.
func GroupOf(b arenawatch.Board) Group {
	switch {
	case b.Usage:
		return GroupUsage
	case voteExtractors[b.Extractor]:
		return GroupArena
	case benchExtractors[b.Extractor]:
		return GroupBenchmarks
	}
	return GroupOther
}

// ParseGroup reads a --group value: a group, or "all" (returned as "").
func ParseGroup(s string) (Group, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "all" {
		return "", true
	}
	for _, g := range Groups {
		if Group(s) == g {
			return g, true
		}
	}
	return "", false
}

// DefaultStaleAfter is the age above which a board of group g is stale
// (see the package documentation for why each).
func DefaultStaleAfter(g Group) time.Duration {
	switch g {
	case GroupArena:
		return 14 * day
	case GroupBenchmarks:
		return 60 * day
	case GroupUsage:
		return 3 * day
	}
	return 30 * day
}

const day = 24 * time.Hour

// Thresholds override DefaultStaleAfter per group; a group not in the
// map keeps its default.
type Thresholds map[Group]time.Duration

// For returns group g's threshold.
func (t Thresholds) For(g Group) time.Duration {
	if d, ok := t[g]; ok {
		return d
	}
	return DefaultStaleAfter(g)
}

// ParseStaleAfter reads --stale-after values, in order, later ones
// winning: "30d" sets every group, "usage=7d" one group. A span is a
// whole number of days ("14d") or weeks ("2w"), or a Go duration ("36h").
func ParseStaleAfter(values []string) (Thresholds, error) {
	t := Thresholds{}
	for _, v := range values {
		groups := Groups
		span := v
		if name, rest, ok := strings.Cut(v, "="); ok {
			g, known := ParseGroup(name)
			if !known {
				return nil, fmt.Errorf("--stale-after %q: unknown group %q (want arena, benchmarks, usage, other or all)", v, name)
			}
			if g != "" {
				groups = []Group{g}
			}
			span = rest
		}
		d, err := parseSpan(span)
		if err != nil {
			return nil, fmt.Errorf("--stale-after %q: %w", v, err)
		}
		for _, g := range groups {
			t[g] = d
		}
	}
	return t, nil
}

// parseSpan reads "14d", "2w" or a Go duration; it must be positive and
// at most 100 years.
func parseSpan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	const limit = 100 * 365 * day
	var d time.Duration
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		k, err := strconv.Atoi(s[:n-1])
		if err != nil || k <= 0 || k > 36500 {
			return 0, fmt.Errorf("want a positive whole number of days or weeks like 14d or 2w, or a duration like 36h")
		}
		d = time.Duration(k) * day
		if s[n-1] == 'w' {
			d *= 7
		}
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d <= 0 {
			return 0, fmt.Errorf("want a positive span like 14d, 2w or 36h")
		}
	}
	if d > limit {
		return 0, fmt.Errorf("more than 100 years")
	}
	return d, nil
}
