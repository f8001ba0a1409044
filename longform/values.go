package longform

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch/source"
)

// dateLayouts are the forms of a date or time an archive may use. A bare
// date is 00:00 UTC of that day; a time without a zone is taken as UTC.
var dateLayouts = []string{
	time.DateOnly, "2006/01/02", "20060102",
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05Z07:00",
}

// parseDate reads a snapshot's date or time, in UTC. Times before 1970 or
// after 2262 cannot key a snapshot and are malformed here.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty")
	}
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		if t.Year() < 1970 || t.Year() > 2261 {
			return time.Time{}, fmt.Errorf("%q is outside 1970–2261", s)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD or an RFC 3339 time)", s)
}

// grouped is a number written with thousands separators (a comma, a space
// or a no-break space), in groups of three.
var grouped = regexp.MustCompile("^[+-]?\\d{1,3}([, \u00a0\u202f]\\d{3})+(\\.\\d*)?%?$")

// number reads a decimal number as archives write it: "1287", "1287.5",
// "12,345" (separators only between groups of three digits: "1,5" is
// refused, not read as 15), a "%" suffix. ok is false, with no error, for
// an empty cell or one of "-", "N/A", "null". sep says that separators
// were removed.
func number(s string) (v float64, ok, sep bool, err error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, ", \u00a0\u202f") {
		if !grouped.MatchString(s) {
			return 0, false, false, fmt.Errorf("%q is not a number (separators only between groups of three digits)", s)
		}
		sep = true
	}
	if strings.Contains(s, "_") {
		return 0, false, false, fmt.Errorf("%q is not a decimal number", s)
	}
	v, ok, err = source.ParseNumber(s)
	if err != nil {
		return 0, false, false, fmt.Errorf("%q is not a number", s)
	}
	return v, ok, sep && ok, nil
}

// whole reads a count or rank: a number without a fraction, at least min.
func whole(s string, min int64) (n int64, ok, sep bool, err error) {
	v, ok, sep, err := number(s)
	if err != nil || !ok {
		return 0, ok, sep, err
	}
	if v != math.Trunc(v) || v < float64(min) || v > 1<<53 {
		return 0, false, false, fmt.Errorf("%q is not a whole number from %d", strings.TrimSpace(s), min)
	}
	return int64(v), true, sep, nil
}

// ciForm names how a CI cell was written, for the snapshot's notes.
type ciForm int

const (
	ciNone       ciForm = iota
	ciPlusMinus         // "±6", "+/-6"
	ciSymmetric         // "+6/-6"
	ciAsymmetric        // "+6/-7", "-6/+7"
	ciBare              // "6": a half-width without a sign
)

// parseCI reads a CI cell as half-widths to the upper and lower bound:
// "±6", "+/-6", "+6/-6", "+6/-7", "-6/+7" (the lower first), or a bare
// "6". An empty cell (or "-", "N/A") is ciNone without error.
func parseCI(s string) (plus, minus float64, form ciForm, err error) {
	t := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), " ", ""), "\u2212", "-")
	switch strings.ToLower(t) {
	case "", "-", "—", "–", "n/a", "na", "null", "none":
		return 0, 0, ciNone, nil
	}
	if lo, hi, ok := strings.Cut(t, "/"); ok && strings.HasPrefix(lo, "-") && strings.HasPrefix(hi, "+") {
		t = hi + "/" + lo // "-6/+7": the lower bound written first
	}
	if v, ok, _, err := number(t); err == nil && ok && !strings.ContainsAny(t, "+-%") {
		return v, v, ciBare, nil
	}
	plus, minus, err = source.ParseCI(t)
	if err != nil || plus < 0 || minus < 0 {
		return 0, 0, ciNone, fmt.Errorf("%q is not a CI (want ±x, +x/-y or -y/+x)", strings.TrimSpace(s))
	}
	switch {
	case strings.HasPrefix(t, "±") || strings.HasPrefix(t, "+/-"):
		form = ciPlusMinus
	case plus == minus:
		form = ciSymmetric
	default:
		form = ciAsymmetric
	}
	return plus, minus, form, nil
}
