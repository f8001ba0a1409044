package retention

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Unlimited, as a Policy count, applies the rule without limit: every
// snapshot for Last, one snapshot for every period for the other counts.
const Unlimited = -1

// Policy says which snapshots of one board survive a prune. Each count is
// 0 (rule unused), a positive number, or Unlimited (-1). See the package
// documentation for what each rule keeps.
type Policy struct {
	Last    int // keep the Last newest snapshots
	Hourly  int // keep the newest snapshot of each of the Hourly newest UTC hours that have one
	Daily   int // same, per UTC day
	Weekly  int // same, per ISO 8601 week (Monday to Sunday, UTC)
	Monthly int // same, per calendar month (UTC)
	Yearly  int // same, per calendar year (UTC)

	// Within keeps every snapshot fetched no earlier than Within before the
	// board's newest snapshot (not before now: a board that stopped being
	// scraped keeps its last stretch). The zero Span leaves the rule unused.
	Within Span

	// IncludeImported lets the rules prune imported snapshots too. By
	// default imported snapshots are always kept.
	IncludeImported bool
}

// Item is one snapshot of the board, as the policy sees it.
type Item struct {
	Time     time.Time // when the snapshot was fetched; bucketed in UTC whatever its location
	Imported bool      // the snapshot came from an import of a published dataset
}

// Decision is the verdict on one Item.
type Decision struct {
	Keep bool
	// Reasons lists every rule that keeps the item, in a fixed order:
	// "newest", "last", "hourly 2026-11-30T17", "daily 2026-11-30",
	// "weekly 2026-W48", "monthly 2026-11", "yearly 2026", "within 30d",
	// "imported" (or "empty policy" alone). Nil when Keep is false.
	Reasons []string
}

// Empty reports whether p sets no rule at all (IncludeImported alone is not a
// rule). Apply keeps everything under an empty policy; a caller should refuse
// to prune with one rather than report that nothing would be removed.
func (p Policy) Empty() bool {
	return p.Last == 0 && p.Hourly == 0 && p.Daily == 0 && p.Weekly == 0 &&
		p.Monthly == 0 && p.Yearly == 0 && p.Within.IsZero()
}

// Validate reports every count below Unlimited (-1) and an invalid Within.
func (p Policy) Validate() error {
	var errs []error
	for _, c := range []struct {
		name string
		n    int
	}{{"last", p.Last}, {"hourly", p.Hourly}, {"daily", p.Daily}, {"weekly", p.Weekly}, {"monthly", p.Monthly}, {"yearly", p.Yearly}} {
		if c.n < Unlimited {
			errs = append(errs, fmt.Errorf("retention: keep-%s is %d; want a count of 0 or more, or -1 for unlimited", c.name, c.n))
		}
	}
	if err := p.Within.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// period is one calendar bucketing of time for a count rule.
type period struct {
	name  string
	key   func(t time.Time) int64  // increases with t; equal within one bucket
	label func(t time.Time) string // the bucket, for the reason
}

var periods = [...]period{
	{"hourly", func(t time.Time) int64 { return floorDiv(t.Unix(), 3600) },
		func(t time.Time) string { return t.Format("2006-01-02T15") }},
	{"daily", func(t time.Time) int64 { return floorDiv(t.Unix(), 86400) },
		func(t time.Time) string { return t.Format("2006-01-02") }},
	{"weekly", func(t time.Time) int64 { y, w := t.ISOWeek(); return int64(y)*100 + int64(w) },
		func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%04d-W%02d", y, w) }},
	{"monthly", func(t time.Time) int64 { return int64(t.Year())*12 + int64(t.Month()) },
		func(t time.Time) string { return t.Format("2006-01") }},
	{"yearly", func(t time.Time) int64 { return int64(t.Year()) },
		func(t time.Time) string { return strconv.Itoa(t.Year()) }},
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// newerFirst orders items newest first. Among items with the same Time a
// non-imported one counts as newer than an imported one (so that, while
// imported items are protected anyway, a rule's slot goes to the item that
// needs it); the caller's stable sort keeps input order for the rest.
func newerFirst(a, b Item) int {
	if c := b.Time.Compare(a.Time); c != 0 {
		return c
	}
	if a.Imported != b.Imported {
		if a.Imported {
			return 1
		}
		return -1
	}
	return 0
}

// Apply decides, for each of items, whether it survives a prune under p. The
// result has one Decision per item, in the order of items; items may come in
// any order. It returns an error only when p is invalid. Under an empty
// policy every item is kept with the reason "empty policy".
func Apply(p Policy, items []Item) ([]Decision, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := make([]Decision, len(items))
	if len(items) == 0 {
		return out, nil
	}
	if p.Empty() {
		for i := range out {
			out[i] = Decision{Keep: true, Reasons: []string{"empty policy"}}
		}
		return out, nil
	}

	utc := make([]time.Time, len(items))
	order := make([]int, len(items)) // indexes of items, newest first
	for i, it := range items {
		utc[i] = it.Time.UTC()
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return newerFirst(items[a], items[b]) })
	keep := func(i int, reason string) {
		out[i].Keep = true
		out[i].Reasons = append(out[i].Reasons, reason)
	}

	keep(order[0], "newest")

	for k, i := range order {
		if p.Last != Unlimited && k >= p.Last {
			break
		}
		keep(i, "last")
	}

	for r, n := range [...]int{p.Hourly, p.Daily, p.Weekly, p.Monthly, p.Yearly} {
		per := periods[r]
		var prev int64
		for k, i := range order {
			if n == 0 {
				break
			}
			// Newest first and keys grow with time, so the first item of
			// each key is the newest snapshot of its bucket.
			key := per.key(utc[i])
			if k > 0 && key == prev {
				continue
			}
			prev = key
			keep(i, per.name+" "+per.label(utc[i]))
			if n > 0 {
				n--
			}
		}
	}

	if !p.Within.IsZero() {
		cutoff := p.Within.Before(utc[order[0]])
		reason := "within " + p.Within.String()
		for _, i := range order {
			if utc[i].Before(cutoff) {
				break
			}
			keep(i, reason)
		}
	}

	if !p.IncludeImported {
		for i, it := range items {
			if it.Imported {
				keep(i, "imported")
			}
		}
	}
	return out, nil
}
