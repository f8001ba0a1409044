package history

import (
	"fmt"
	"sort"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

// Basis names the time a history selects and groups snapshots by.
type Basis string

// The two times of a snapshot (see the package documentation).
const (
	ByFetch Basis = "fetched"
	ByAsOf  Basis = "asof"
)

// ParseBasis reads a Basis; "" means ByFetch.
func ParseBasis(s string) (Basis, bool) {
	switch Basis(s) {
	case "", ByFetch, "fetch":
		return ByFetch, true
	case ByAsOf, "as-of", "as_of":
		return ByAsOf, true
	}
	return "", false
}

// Every names the period a history keeps one snapshot of.
type Every string

// The periods: every snapshot, or the last snapshot of each UTC day, ISO
// week (Monday to Sunday) or calendar month.
const (
	EverySnapshot Every = "snapshot"
	EveryDay      Every = "day"
	EveryWeek     Every = "week"
	EveryMonth    Every = "month"
)

// ParseEvery reads an Every; "" means EverySnapshot.
func ParseEvery(s string) (Every, bool) {
	switch e := Every(s); e {
	case "":
		return EverySnapshot, true
	case EverySnapshot, EveryDay, EveryWeek, EveryMonth:
		return e, true
	}
	return "", false
}

// DefaultTop is the size of the open top list whose origins a row counts
// when Options.Top is 0.
const DefaultTop = 10

// Key names one stored snapshot of a board, read without its rows.
type Key struct {
	FetchedAt time.Time
	// AsOf is the source's date; zero when it states none.
	AsOf time.Time
}

// at returns the key's time on basis b.
func (k Key) at(b Basis) time.Time {
	if b == ByAsOf && !k.AsOf.IsZero() {
		return k.AsOf
	}
	return k.FetchedAt
}

// Options say which snapshots a history shows and how it answers them.
type Options struct {
	// Since and Until bound the snapshots' time on Time, inclusive; zero
	// leaves that end open.
	Since, Until time.Time
	// Time is the time Since, Until and Every read; ByFetch when empty.
	Time Basis
	// Every keeps the last snapshot of each period; EverySnapshot (all)
	// when empty.
	Every Every
	// Top is the size of the open top list of TopOpen; DefaultTop when 0.
	Top int
	// Rule is the board's rank rule.
	Rule arenawatch.RankRule
	// Catalog classifies the rows; it must not be nil.
	Catalog *ranking.Catalog
	// Ranking is the origin view and counting, as for ranking.Report.
	Ranking ranking.Options
}

func (o Options) basis() Basis { return cmp(o.Time, ByFetch) }
func (o Options) every() Every { return cmp(o.Every, EverySnapshot) }
func (o Options) top() int {
	if o.Top <= 0 {
		return DefaultTop
	}
	return o.Top
}

func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Picked is one snapshot a history shows, with the period it stands for
// ("" for EverySnapshot).
type Picked struct {
	Key
	Period string
}

// Select picks the snapshots a history shows from keys, a board's
// snapshots in any order: those whose time (on opt.Time) lies within
// Since and Until, and with a period the last of each period (latest
// time, then latest fetch). Keys with the same FetchedAt are one snapshot
// (a re-parse is stored beside the snapshot it re-reads): the last one
// listed is kept, as the store answers 'report --at' with it. The result
// is ordered by time, then fetch time.
func Select(keys []Key, opt Options) []Picked {
	b, every := opt.basis(), opt.every()
	byFetch := map[int64]int{}
	var in []Key
	var all []Key
	for _, k := range keys {
		if i, dup := byFetch[k.FetchedAt.UnixNano()]; dup {
			all[i] = k
			continue
		}
		byFetch[k.FetchedAt.UnixNano()] = len(all)
		all = append(all, k)
	}
	// The window reads the kept snapshot's time, after duplicates went:
	// a re-parse may state another as-of date than what it re-reads.
	for _, k := range all {
		t := k.at(b)
		if (!opt.Since.IsZero() && t.Before(opt.Since)) || (!opt.Until.IsZero() && t.After(opt.Until)) {
			continue
		}
		in = append(in, k)
	}
	sort.SliceStable(in, func(i, j int) bool {
		ti, tj := in[i].at(b), in[j].at(b)
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return in[i].FetchedAt.Before(in[j].FetchedAt)
	})
	out := make([]Picked, 0, len(in))
	for _, k := range in {
		p := Picked{Key: k, Period: period(k.at(b), every)}
		if n := len(out); n > 0 && p.Period != "" && out[n-1].Period == p.Period {
			out[n-1] = p // a later snapshot of the same period
			continue
		}
		out = append(out, p)
	}
	return out
}

// period names the UTC period of t: "2026-11-30", "2026-W48" (ISO week)
// or "2026-11"; "" for EverySnapshot.
func period(t time.Time, e Every) string {
	t = t.UTC()
	switch e {
	case EveryDay:
		return t.Format(time.DateOnly)
	case EveryWeek:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case EveryMonth:
		return t.Format("2006-01")
	}
	return ""
}
