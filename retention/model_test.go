package retention_test

// A deliberately naive model of the policy, written from the package
// documentation and not from policy.go, and the property tests and fuzz
// target that hold Apply to it.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/retention"
)

// modelNewer reports whether item j comes before item i in the policy's
// order: later first; at the same time scraped before imported; then input
// order.
func modelNewer(items []retention.Item, j, i int) bool {
	tj, ti := items[j].Time, items[i].Time
	switch {
	case tj.After(ti):
		return true
	case tj.Before(ti):
		return false
	case items[j].Imported != items[i].Imported:
		return !items[j].Imported
	default:
		return j < i
	}
}

var modelPeriods = []struct {
	name string
	key  func(t time.Time) string
}{
	{"hourly", func(t time.Time) string { return t.UTC().Format("2006-01-02T15") }},
	{"daily", func(t time.Time) string { return t.UTC().Format("2006-01-02") }},
	{"weekly", func(t time.Time) string { y, w := t.UTC().ISOWeek(); return fmt.Sprintf("%04d-W%02d", y, w) }},
	{"monthly", func(t time.Time) string { return t.UTC().Format("2006-01") }},
	{"yearly", func(t time.Time) string { return t.UTC().Format("2006") }},
}

// modelBefore computes s before t by hand: count months back, clamp the day
// to the target month's length, then subtract days and clock.
func modelBefore(s retention.Span, t time.Time) time.Time {
	t = t.UTC()
	months := t.Year()*12 + int(t.Month()) - 1 - s.Years*12 - s.Months
	y, m := months/12, months%12
	if m < 0 {
		y, m = y-1, m+12
	}
	length := 31
	for time.Date(y, time.Month(m+1), length, 0, 0, 0, 0, time.UTC).Month() != time.Month(m+1) {
		length--
	}
	d := min(t.Day(), length)
	c := time.Date(y, time.Month(m+1), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	for range s.Days {
		c = c.Add(-24 * time.Hour)
	}
	return c.Add(-s.Clock)
}

// model is O(n²) per rule: for each item it looks at every other item.
func model(p retention.Policy, items []retention.Item) []retention.Decision {
	out := make([]retention.Decision, len(items))
	if len(items) == 0 {
		return out
	}
	if p.Last == 0 && p.Hourly == 0 && p.Daily == 0 && p.Weekly == 0 && p.Monthly == 0 && p.Yearly == 0 &&
		p.Within == (retention.Span{}) {
		for i := range out {
			out[i] = retention.Decision{Keep: true, Reasons: []string{"empty policy"}}
		}
		return out
	}
	add := func(i int, why string) {
		out[i].Keep = true
		out[i].Reasons = append(out[i].Reasons, why)
	}
	rank := make([]int, len(items)) // how many items come before i
	newest := -1
	for i := range items {
		for j := range items {
			if j != i && modelNewer(items, j, i) {
				rank[i]++
			}
		}
		if rank[i] == 0 {
			newest = i
		}
	}
	counts := []int{p.Hourly, p.Daily, p.Weekly, p.Monthly, p.Yearly}
	keys := make([][]string, len(modelPeriods)) // keys[rule][item]
	for r, per := range modelPeriods {
		for _, it := range items {
			keys[r] = append(keys[r], per.key(it.Time))
		}
	}
	for i := range items {
		if i == newest {
			add(i, "newest")
		}
		if p.Last == -1 || rank[i] < p.Last {
			add(i, "last")
		}
		for r, per := range modelPeriods {
			n := counts[r]
			if n == 0 {
				continue
			}
			key := keys[r][i]
			first := true
			seen := map[string]bool{key: true}
			for j := range items {
				if j != i && modelNewer(items, j, i) {
					seen[keys[r][j]] = true
					if keys[r][j] == key {
						first = false
					}
				}
			}
			if first && (n == -1 || len(seen) <= n) {
				add(i, per.name+" "+key)
			}
		}
		if p.Within != (retention.Span{}) && !items[i].Time.Before(modelBefore(p.Within, items[newest].Time)) {
			add(i, "within "+p.Within.String())
		}
		if items[i].Imported && !p.IncludeImported {
			add(i, "imported")
		}
	}
	return out
}

var (
	base   = time.Date(2025, 12, 27, 13, 0, 0, 0, time.UTC) // a Saturday near a year end
	scales = []time.Duration{time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 365 * 24 * time.Hour}
	bases  = []time.Time{ // newest possible times: a year end, month ends, a leap day
		base,
		time.Date(2026, 1, 4, 23, 59, 0, 0, time.UTC),
		time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 6, 30, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC),
	}
	zones = []*time.Location{time.UTC, time.FixedZone("X", -5*3600), time.FixedZone("Y", 9*3600+1800)}
)

func randomCount(r *rand.Rand) int {
	switch x := r.IntN(10); {
	case x < 5:
		return 0
	case x == 5:
		return -1
	default:
		return 1 + r.IntN(6)
	}
}

// randomCase draws a policy and up to 40 items, clustered so that periods,
// duplicates and same-time imported items are common.
func randomCase(r *rand.Rand) (retention.Policy, []retention.Item) {
	p := retention.Policy{
		Last: randomCount(r), Hourly: randomCount(r), Daily: randomCount(r),
		Weekly: randomCount(r), Monthly: randomCount(r), Yearly: randomCount(r),
		IncludeImported: r.IntN(3) == 0,
	}
	if r.IntN(2) == 0 {
		p.Within = retention.Span{Years: r.IntN(4) / 3, Months: r.IntN(3), Days: r.IntN(10), Clock: time.Duration(r.IntN(48*60)) * time.Minute}
	}
	origin := bases[r.IntN(len(bases))]
	scale := scales[r.IntN(len(scales))]
	span := int64(1 + r.IntN(60))
	items := make([]retention.Item, r.IntN(41))
	for i := range items {
		var t time.Time
		if i > 0 && r.IntN(7) == 0 {
			t = items[r.IntN(i)].Time // a duplicate time
		} else {
			t = origin.Add(-time.Duration(r.Int64N(span * int64(scale))))
			t = t.Truncate(time.Minute) // more exact collisions
		}
		items[i] = retention.Item{Time: t.In(zones[r.IntN(len(zones))]), Imported: r.IntN(5) == 0}
	}
	// Half the time, make one item the newest at the origin (a month end or
	// a year end) and put items right at and just before the Within bound.
	if len(items) > 2 && r.IntN(2) == 0 {
		items[0].Time = origin
		if p.Within != (retention.Span{}) {
			bound := modelBefore(p.Within, origin)
			items[1].Time = bound
			items[2].Time = bound.Add(-time.Nanosecond)
		}
		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	}
	return p, items
}

func sameDecision(a, b retention.Decision) bool {
	return a.Keep == b.Keep && slices.Equal(a.Reasons, b.Reasons)
}

func describe(p retention.Policy, items []retention.Item, got, want []retention.Decision) string {
	s := fmt.Sprintf("policy %+v (within %s)\n", p, p.Within)
	for i, it := range items {
		s += fmt.Sprintf("  %2d %s imported=%-5v", i, it.Time.UTC().Format("2006-01-02T15:04:05"), it.Imported)
		if got != nil {
			s += fmt.Sprintf(" got %v %q", got[i].Keep, got[i].Reasons)
		}
		if want != nil {
			s += fmt.Sprintf(" want %v %q", want[i].Keep, want[i].Reasons)
		}
		s += "\n"
	}
	return s
}

// checkAgainstModel fails t when Apply and the model disagree on any item.
func checkAgainstModel(t *testing.T, p retention.Policy, items []retention.Item) {
	t.Helper()
	got, err := retention.Apply(p, items)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	want := model(p, items)
	if len(got) != len(want) {
		t.Fatalf("got %d decisions for %d items", len(got), len(items))
	}
	for i := range got {
		if !sameDecision(got[i], want[i]) {
			t.Fatalf("item %d differs from the model:\n%s", i, describe(p, items, got, want))
		}
	}
}

// checkInvariants fails t when Apply breaks a property the package promises.
// r shuffles the input for the order check.
func checkInvariants(t *testing.T, r *rand.Rand, p retention.Policy, items []retention.Item) {
	t.Helper()
	ds, err := retention.Apply(p, items)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(ds) != len(items) {
		t.Fatalf("got %d decisions for %d items", len(ds), len(items))
	}
	var survivors []retention.Item
	var survivorDs []retention.Decision
	for i, d := range ds {
		if d.Keep != (len(d.Reasons) > 0) {
			t.Fatalf("item %d: Keep %v with reasons %q\n%s", i, d.Keep, d.Reasons, describe(p, items, ds, nil))
		}
		if d.Keep {
			survivors = append(survivors, items[i])
			survivorDs = append(survivorDs, d)
		}
		if items[i].Imported && !p.IncludeImported && !d.Keep {
			t.Fatalf("imported item %d dropped\n%s", i, describe(p, items, ds, nil))
		}
	}
	// The newest item survives, as "newest" (or under an empty policy).
	if len(items) > 0 {
		newest := slices.MaxFunc(items, func(a, b retention.Item) int { return a.Time.Compare(b.Time) }).Time
		found := false
		for i, d := range ds {
			if items[i].Time.Equal(newest) && (slices.Contains(d.Reasons, "newest") || p.Empty()) {
				found = true
			}
		}
		if !found {
			t.Fatalf("newest item not kept as newest\n%s", describe(p, items, ds, nil))
		}
	}
	if len(items) > 0 && len(survivors) == 0 {
		t.Fatalf("nothing kept\n%s", describe(p, items, ds, nil))
	}

	// Idempotent: a second prune of the survivors keeps them all, for the
	// same reasons or more.
	again, err := retention.Apply(p, survivors)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range again {
		if !d.Keep {
			t.Fatalf("second prune drops survivor %d\nfirst:\n%s\nsecond:\n%s", i, describe(p, items, ds, nil), describe(p, survivors, again, nil))
		}
		for _, why := range survivorDs[i].Reasons {
			if !slices.Contains(d.Reasons, why) {
				t.Fatalf("second prune keeps survivor %d for %q, not also %q", i, d.Reasons, why)
			}
		}
	}

	// Order independence: in a shuffled input every item gets the same
	// decision. Identical items (same instant, same Imported) cannot be told
	// apart, so the k-th of them in input order is compared to the k-th.
	perm := r.Perm(len(items))
	shuffled := make([]retention.Item, len(items))
	for k, i := range perm {
		shuffled[k] = items[i]
	}
	sds, err := retention.Apply(p, shuffled)
	if err != nil {
		t.Fatal(err)
	}
	type ident struct {
		ns  int64
		sec int64
		imp bool
	}
	id := func(it retention.Item) ident { return ident{int64(it.Time.Nanosecond()), it.Time.Unix(), it.Imported} }
	byID := map[ident][]retention.Decision{}
	for i, it := range items {
		byID[id(it)] = append(byID[id(it)], ds[i])
	}
	seen := map[ident]int{}
	for k, it := range shuffled {
		want := byID[id(it)][seen[id(it)]]
		seen[id(it)]++
		if !sameDecision(sds[k], want) {
			t.Fatalf("shuffled input: item %s imported=%v got %v %q, in order %v %q\n%s",
				it.Time.UTC(), it.Imported, sds[k].Keep, sds[k].Reasons, want.Keep, want.Reasons, describe(p, items, ds, nil))
		}
	}

	// More retention never keeps less: raise every count by one (0 turns
	// the rule on), lengthen Within by a day, protect imported items.
	if !p.Empty() {
		more := p
		for _, c := range []*int{&more.Last, &more.Hourly, &more.Daily, &more.Weekly, &more.Monthly, &more.Yearly} {
			if *c >= 0 {
				*c++
			}
		}
		more.Within.Days++
		more.IncludeImported = false
		mds, err := retention.Apply(more, items)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds {
			if ds[i].Keep && !mds[i].Keep {
				t.Fatalf("policy %+v keeps item %d, the larger %+v does not\n%s", p, i, more, describe(p, items, ds, nil))
			}
		}
	}
}

func TestApplyMatchesModel(t *testing.T) {
	r := rand.New(rand.NewPCG(20261130, 1))
	n := 8000
	if testing.Short() {
		n = 2000
	}
	for range n {
		p, items := randomCase(r)
		checkAgainstModel(t, p, items)
	}
}

func TestApplyInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(20261130, 2))
	n := 8000
	if testing.Short() {
		n = 2000
	}
	for range n {
		p, items := randomCase(r)
		checkInvariants(t, r, p, items)
	}
}

// TestModelBefore keeps the model's own arithmetic honest against Span.Before
// on random instants and spans (the table test in span_test.go pins the
// interesting dates).
func TestModelBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 20000 {
		at := base.Add(time.Duration(r.Int64N(int64(40 * 365 * 24 * time.Hour)))).Add(-20 * 365 * 24 * time.Hour)
		s := retention.Span{Years: r.IntN(30), Months: r.IntN(40), Days: r.IntN(800), Clock: time.Duration(r.Int64N(int64(1000 * time.Hour)))}
		if got, want := s.Before(at), modelBefore(s, at); !got.Equal(want) {
			t.Fatalf("%s before %s = %s, model says %s", s, at, got, want)
		}
	}
}

// FuzzApply decodes a policy and items from the fuzzer's values and checks
// that Apply neither panics nor breaks an invariant nor leaves the model.
// Each item is 4 bytes of data: flags (bit 0 imported, bit 1 same time as the
// previous item, bits 2-3 the unit: minute, hour, day, week) and a 24-bit
// offset, taken modulo 4096 units, from a fixed base.
func FuzzApply(f *testing.F) {
	f.Fuzz(func(t *testing.T, last, hourly, daily, weekly, monthly, yearly int8, withinMonths uint8, withinMinutes uint32, includeImported bool, data []byte) {
		p := retention.Policy{
			Last: int(last), Hourly: int(hourly), Daily: int(daily),
			Weekly: int(weekly), Monthly: int(monthly), Yearly: int(yearly),
			Within:          retention.Span{Months: int(withinMonths % 25), Clock: time.Duration(withinMinutes%(400*24*60)) * time.Minute},
			IncludeImported: includeImported,
		}
		units := [4]time.Duration{time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}
		var items []retention.Item
		for len(data) >= 4 && len(items) < 256 {
			flags := data[0]
			v := int64(data[1])<<16 | int64(data[2])<<8 | int64(data[3])
			data = data[4:]
			t := base.Add(time.Duration(v%4096) * units[(flags>>2)&3])
			if flags&2 != 0 && len(items) > 0 {
				t = items[len(items)-1].Time
			}
			items = append(items, retention.Item{Time: t, Imported: flags&1 != 0})
		}
		if err := p.Validate(); err != nil {
			if ds, aerr := retention.Apply(p, items); aerr == nil || ds != nil {
				t.Fatalf("invalid policy %+v (%v) applied: %v", p, err, aerr)
			}
			return
		}
		checkAgainstModel(t, p, items)
		checkInvariants(t, rand.New(rand.NewPCG(uint64(len(items)), 0)), p, items)
	})
}
