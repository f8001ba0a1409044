package retention

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxCalendar caps Span.Years, Span.Months and Span.Days, so that
// Span.Before can never overflow and silently turn "keep a lot" into
// "keep nothing".
const maxCalendar = 1_000_000

// Span is a calendar-aware length of time, such as "1y6m" or "30d12h", used
// by Policy.Within. Years and months are calendar months, not a fixed number
// of hours; days are 24 hours (all times are UTC, which has no daylight
// saving); Clock is an exact duration added on top. The zero Span is "no
// span". A valid Span has no negative field and no calendar field above
// 1,000,000.
type Span struct {
	Years, Months, Days int
	Clock               time.Duration
}

// IsZero reports whether s is the zero span.
func (s Span) IsZero() bool { return s == Span{} }

// Validate reports a negative field, or a calendar field above 1,000,000.
func (s Span) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		n    int
	}{{"years", s.Years}, {"months", s.Months}, {"days", s.Days}} {
		if f.n < 0 || f.n > maxCalendar {
			errs = append(errs, fmt.Errorf("retention: span %s is %d; want 0 to %d", f.name, f.n, maxCalendar))
		}
	}
	if s.Clock < 0 {
		errs = append(errs, fmt.Errorf("retention: span clock part is %v; want it non-negative", s.Clock))
	}
	return errors.Join(errs...)
}

// Before returns the instant s before t, in UTC. Years and months are taken
// together as one count of calendar months; when the day of t does not exist
// in the month reached, the last day of that month is used (2026-03-31 minus
// 1m is 2026-02-28, and 2024-02-29 minus 1y is 2023-02-28; time.AddDate
// would roll over into the next month instead). Then Days×24h and Clock are
// subtracted. s must be valid.
func (s Span) Before(t time.Time) time.Time {
	t = t.UTC()
	if n := s.Years*12 + s.Months; n != 0 {
		y, m, d := t.Date()
		// Step back to the first of the target month, then clamp the day.
		first := time.Date(y, m, 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC).AddDate(0, -n, 0)
		last := first.AddDate(0, 1, -1).Day()
		t = first.AddDate(0, 0, min(d, last)-1)
	}
	return t.AddDate(0, 0, -s.Days).Add(-s.Clock)
}

// String returns s in the form ParseSpan reads back to the same Span:
// "1y2m3d4h", "28d", "1h30m", "1m30s", with "0h" inserted where a bare "m"
// would otherwise read as months ("0h30m" is half an hour). The zero span is
// "0".
func (s Span) String() string {
	if s.IsZero() {
		return "0"
	}
	var b strings.Builder
	put := func(n int64, unit string) {
		if n != 0 {
			b.WriteString(strconv.FormatInt(n, 10))
			b.WriteString(unit)
		}
	}
	put(int64(s.Years), "y")
	put(int64(s.Months), "m")
	put(int64(s.Days), "d")
	c := s.Clock
	h := c / time.Hour
	c -= h * time.Hour
	mins := c / time.Minute
	c -= mins * time.Minute
	sub := c
	// "m" reads as minutes after an hours part or right before a seconds-type
	// part, and as months otherwise; write "0h" where that is needed.
	if h != 0 || mins != 0 && sub == 0 || mins == 0 && sub != 0 && s.Months != 0 && s.Days == 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10))
		b.WriteString("h")
	}
	put(int64(mins), "m")
	secs := c / time.Second
	c -= secs * time.Second
	put(int64(secs), "s")
	ms := c / time.Millisecond
	c -= ms * time.Millisecond
	put(int64(ms), "ms")
	us := c / time.Microsecond
	c -= us * time.Microsecond
	put(int64(us), "us")
	put(int64(c), "ns")
	return b.String()
}

// Unit ranks: components must come in this order, each at most once.
const (
	rankYear = iota
	rankMonth
	rankWeek
	rankDay
	rankHour
	rankMinute
	rankSecond
	rankMilli
	rankMicro
	rankNano
)

var clockUnits = map[int]time.Duration{
	rankHour: time.Hour, rankMinute: time.Minute, rankSecond: time.Second,
	rankMilli: time.Millisecond, rankMicro: time.Microsecond, rankNano: time.Nanosecond,
}

// ParseSpan reads a span: a sequence of components from the largest unit to
// the smallest, each at most once.
//
//	y  years (calendar)        h   hours
//	m  months (calendar)       m   minutes (see below)
//	w  weeks (7 days)          s, ms, us (or µs), ns
//	d  days (24 hours)
//
// This is restic's "2y5m7d3h" form, extended so that every Go duration
// written largest unit first also reads as itself: "72h", "1h30m",
// "720h0m0s", "1m30s", "1.5h", "300ms". Calendar components are whole
// numbers; clock components may have a fraction. As in restic, "m" means
// months, unless an hours component comes before it or a seconds-type
// component right after it: "30m" is 30 months, "0h30m" half an hour, "1m30s"
// ninety seconds. "0" is the zero span. Signs, spaces and repeated or
// out-of-order units are refused.
func ParseSpan(str string) (Span, error) {
	bad := func(why string) (Span, error) {
		return Span{}, fmt.Errorf("retention: span %q: %s (want e.g. 2y5m7d3h, 4w, 72h or 0h30m)", str, why)
	}
	if str == "0" {
		return Span{}, nil
	}
	if str == "" {
		return bad("empty")
	}
	toks, why := spanTokens(str)
	if why != "" {
		return bad(why)
	}
	var p spanParse
	for k, tok := range toks {
		if why := p.add(tok, toks[k+1:]); why != "" {
			return bad(why)
		}
	}
	if p.weeks*7+p.days > maxCalendar {
		return bad(fmt.Sprintf("%d days in all is more than %d", p.weeks*7+p.days, maxCalendar))
	}
	p.s.Days = int(p.weeks*7 + p.days)
	return p.s, nil
}

// spanToken is one number and its unit in a span ("30", "d").
type spanToken struct{ num, unit string }

// spanTokens splits a span into number-unit pairs, or says why it cannot.
func spanTokens(str string) ([]spanToken, string) {
	digit := func(c byte) bool { return c >= '0' && c <= '9' || c == '.' }
	var toks []spanToken
	for rest := str; rest != ""; {
		i := 0
		for i < len(rest) && digit(rest[i]) {
			i++
		}
		if i == 0 {
			return nil, fmt.Sprintf("expected a number at %q", rest)
		}
		j := i
		for j < len(rest) && !digit(rest[j]) {
			j++
		}
		if j == i {
			return nil, fmt.Sprintf("number %s has no unit", rest[:i])
		}
		toks = append(toks, spanToken{rest[:i], rest[i:j]})
		rest = rest[j:]
	}
	return toks, ""
}

// spanParse is the state of ParseSpan over its tokens.
type spanParse struct {
	s           Span
	weeks, days int64
	rank        int // the last unit's rank: units run largest to smallest
	seenHour    bool
	started     bool
}

// unitRank returns the rank of a unit; "m" is months unless an hour came
// before it or a seconds-type unit comes right after it.
func (p *spanParse) unitRank(tok spanToken, next []spanToken) (int, bool) {
	switch tok.unit {
	case "y":
		return rankYear, true
	case "m":
		if p.seenHour || len(next) > 0 && slices.Contains([]string{"s", "ms", "us", "µs", "ns"}, next[0].unit) {
			return rankMinute, true
		}
		return rankMonth, true
	case "w":
		return rankWeek, true
	case "d":
		return rankDay, true
	case "h":
		p.seenHour = true
		return rankHour, true
	case "s":
		return rankSecond, true
	case "ms":
		return rankMilli, true
	case "us", "µs":
		return rankMicro, true
	case "ns":
		return rankNano, true
	}
	return 0, false
}

// add applies one token to the span; a non-empty result says why it
// cannot.
func (p *spanParse) add(tok spanToken, next []spanToken) string {
	r, ok := p.unitRank(tok, next)
	if !ok {
		return fmt.Sprintf("unknown unit %q", tok.unit)
	}
	if p.started && r <= p.rank {
		return fmt.Sprintf("unit %q out of order or repeated", tok.unit)
	}
	p.rank, p.started = r, true
	whole, frac, hasFrac := strings.Cut(tok.num, ".")
	if whole == "" && frac == "" || strings.Contains(frac, ".") {
		return fmt.Sprintf("malformed number %q", tok.num)
	}
	var n int64
	if whole != "" {
		var err error
		if n, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return fmt.Sprintf("number %s out of range", tok.num)
		}
	}
	if unit, ok := clockUnits[r]; ok {
		return p.addClock(n, hasFrac && frac != "", frac, unit)
	}
	if hasFrac {
		return fmt.Sprintf("%s%s: years, months, weeks and days must be whole", tok.num, tok.unit)
	}
	if n > maxCalendar {
		return fmt.Sprintf("%d%s is more than %d", n, tok.unit, maxCalendar)
	}
	switch r {
	case rankYear:
		p.s.Years = int(n)
	case rankMonth:
		p.s.Months = int(n)
	case rankWeek:
		p.weeks = n
	case rankDay:
		p.days = n
	}
	return ""
}

// addClock adds n units (and a fraction of one) to the span's clock part.
func (p *spanParse) addClock(n int64, hasFrac bool, frac string, unit time.Duration) string {
	if n > (math.MaxInt64-int64(p.s.Clock))/int64(unit) {
		return "clock part too long"
	}
	p.s.Clock += time.Duration(n) * unit
	if hasFrac {
		f, _ := strconv.ParseFloat("0."+frac, 64) // digits only: cannot fail
		add := time.Duration(f * float64(unit))   // < unit, so at most one unit more
		if p.s.Clock > math.MaxInt64-add {
			return "clock part too long"
		}
		p.s.Clock += add
	}
	return ""
}
