package source

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// cleanText collapses every run of white space (NBSP included) to one
// space and trims the ends. All text read from HTML goes through it.
func cleanText(s string) string {
	// Most cells are already clean ASCII: return them as they are.
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
			c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// ParseNumber reads a number as leaderboards print it: "1,234", "1 234",
// "77.47%", "−12" (U+2212), "$1.25". Empty text, "-", "—" and "N/A" are
// reported with ok=false and no error: the cell is empty, not malformed.
func ParseNumber(s string) (v float64, ok bool, err error) {
	s = cleanText(s)
	if v, ok := plainNumber(s); ok {
		return v, true, nil
	}
	switch strings.ToLower(s) {
	case "", "-", "—", "–", "n/a", "na", "null", "none":
		return 0, false, nil
	}
	s = strings.ReplaceAll(s, "\u2212", "-") // minus sign
	s = strings.TrimPrefix(s, "$")
	s = strings.TrimSuffix(s, "%")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ',' || r == ' ' || r == '\u00a0' || r == '\u202f' || r == '_':
			// thousands separators
		default:
			b.WriteRune(r)
		}
	}
	t := b.String()
	if t == "" || strings.ContainsFunc(t, func(r rune) bool {
		return !(unicode.IsDigit(r) || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E')
	}) {
		return 0, false, fmt.Errorf("not a number: %q", s)
	}
	v, err = strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("not a finite number: %q", s)
	}
	return v, true, nil
}

// plainNumber reads the usual cell, clean ASCII such as "1452", "77.47%"
// or "$1.25", without the work ParseNumber does for separators and
// Unicode; ok is false for anything else, which ParseNumber then reads.
func plainNumber(s string) (float64, bool) {
	t := strings.TrimSuffix(strings.TrimPrefix(s, "$"), "%")
	if t == "" || t == "-" {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// ParseInt reads an integer count such as "62,764". Fractions are errors.
func ParseInt(s string) (n int64, ok bool, err error) {
	v, ok, err := ParseNumber(s)
	if err != nil || !ok {
		return 0, ok, err
	}
	if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		return 0, false, fmt.Errorf("not a whole number: %q", s)
	}
	return int64(v), true, nil
}

// ScoreCI is a score with its confidence interval as printed on a page.
type ScoreCI struct {
	Score float64
	Plus  float64 // distance to the upper bound (>= 0)
	Minus float64 // distance to the lower bound (>= 0)
	HasCI bool
}

// ParseScoreCI reads a score cell: "1452", "1452 ±4", "1452 +5/-6",
// "1505±8", or a bare CI ("±4", "+14/-14") when score is printed apart
// (see [ParseCI]).
func ParseScoreCI(s string) (ScoreCI, error) {
	s = cleanText(s)
	if s == "" {
		return ScoreCI{}, fmt.Errorf("empty score")
	}
	// Split at the first CI marker that follows the number.
	idx := strings.IndexAny(s, "±+")
	if idx == 0 {
		return ScoreCI{}, fmt.Errorf("score missing before CI in %q", s)
	}
	head, tail := s, ""
	if idx > 0 {
		head, tail = s[:idx], s[idx:]
	}
	v, ok, err := ParseNumber(head)
	if err != nil {
		return ScoreCI{}, err
	}
	if !ok {
		return ScoreCI{}, fmt.Errorf("empty score in %q", s)
	}
	out := ScoreCI{Score: v}
	if tail != "" {
		plus, minus, err := ParseCI(tail)
		if err != nil {
			return ScoreCI{}, err
		}
		out.Plus, out.Minus, out.HasCI = plus, minus, true
	}
	return out, nil
}

// ParseCI reads a confidence interval: "±8", "+/-8", "+14/-14", "+5 / -6".
// It returns the distances to the upper and lower bound, both >= 0.
func ParseCI(s string) (plus, minus float64, err error) {
	s = strings.ReplaceAll(cleanText(s), " ", "")
	s = strings.ReplaceAll(s, "\u2212", "-")
	switch {
	case strings.HasPrefix(s, "±"):
		v, err := ciPart(strings.TrimPrefix(s, "±"), s)
		return v, v, err
	case strings.HasPrefix(s, "+/-"):
		v, err := ciPart(strings.TrimPrefix(s, "+/-"), s)
		return v, v, err
	case strings.HasPrefix(s, "+"):
		up, down, found := strings.Cut(strings.TrimPrefix(s, "+"), "/")
		if !found || !strings.HasPrefix(down, "-") {
			return 0, 0, fmt.Errorf("malformed CI %q: want ±x or +x/-y", s)
		}
		p, err := ciPart(up, s)
		if err != nil {
			return 0, 0, err
		}
		m, err := ciPart(strings.TrimPrefix(down, "-"), s)
		return p, m, err
	}
	return 0, 0, fmt.Errorf("malformed CI %q: want ±x or +x/-y", s)
}

func ciPart(t, whole string) (float64, error) {
	if t == "" || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		return 0, fmt.Errorf("malformed CI %q", whole)
	}
	v, ok, err := ParseNumber(t)
	if err != nil || !ok {
		return 0, fmt.Errorf("malformed CI %q", whole)
	}
	return v, nil
}

// ParseRankSpread reads arena.ai's "Rank Spread" cell, e.g. "2 ◄─► 8",
// "2 - 8" or "2–8", into the best and worst plausible rank.
func ParseRankSpread(s string) (upper, lower int, err error) {
	s = cleanText(s)
	fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
	if len(fields) != 2 {
		return 0, 0, fmt.Errorf("malformed rank spread %q: want two ranks", s)
	}
	a, err1 := strconv.Atoi(fields[0])
	b, err2 := strconv.Atoi(fields[1])
	if err1 != nil || err2 != nil || a < 1 || b < 1 {
		return 0, 0, fmt.Errorf("malformed rank spread %q", s)
	}
	return a, b, nil
}
