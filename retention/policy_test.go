package retention_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/retention"
)

// at parses "2006-01-02T15:04" as UTC.
func at(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// every returns n scraped items, from start every step.
func every(start string, step time.Duration, n int) []retention.Item {
	t := at(start)
	items := make([]retention.Item, n)
	for i := range items {
		items[i] = retention.Item{Time: t.Add(time.Duration(i) * step)}
	}
	return items
}

func scraped(times ...string) []retention.Item {
	var items []retention.Item
	for _, s := range times {
		items = append(items, retention.Item{Time: at(s)})
	}
	return items
}

func imported(s string) retention.Item { return retention.Item{Time: at(s), Imported: true} }

func span(t *testing.T, s string) retention.Span {
	t.Helper()
	sp, err := retention.ParseSpan(s)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func concat(parts ...[]retention.Item) []retention.Item { return slices.Concat(parts...) }

// kept renders the kept items, in input order, as "2006-01-02T15:04 reason,reason"
// (with " imp" after the time for imported items).
func kept(items []retention.Item, ds []retention.Decision) []string {
	var out []string
	for i, d := range ds {
		if !d.Keep {
			if d.Reasons != nil {
				out = append(out, "BUG: reasons on a dropped item")
			}
			continue
		}
		s := items[i].Time.UTC().Format("2006-01-02T15:04")
		if items[i].Imported {
			s += " imp"
		}
		out = append(out, s+" "+strings.Join(d.Reasons, ","))
	}
	return out
}

func TestApply(t *testing.T) {
	fourHourly := every("2026-11-21T00:00", 4*time.Hour, 60) // 2026-11-21 00:00 … 2026-11-30 20:00
	yearEnd := every("2025-12-22T12:00", 24*time.Hour, 21)   // 2025-12-22 … 2026-01-11, daily at noon
	tests := []struct {
		name   string
		policy retention.Policy
		items  []retention.Item
		want   []string // kept items, in input order
	}{
		{
			name:   "empty input",
			policy: retention.Policy{Last: 1},
			items:  nil,
			want:   nil,
		},
		{
			name:   "single item is the newest",
			policy: retention.Policy{Daily: 1},
			items:  scraped("2026-11-30T17:00"),
			want:   []string{"2026-11-30T17:00 newest,daily 2026-11-30"},
		},
		{
			name:   "newest is kept whatever the policy",
			policy: retention.Policy{Within: retention.Span{Clock: time.Nanosecond}},
			items:  scraped("2026-11-29T17:00", "2026-11-30T17:00", "2026-11-28T17:00"),
			want:   []string{"2026-11-30T17:00 newest,within 1ns"},
		},
		{
			name:   "4-hourly over 10 days, keep-daily 3",
			policy: retention.Policy{Daily: 3},
			items:  fourHourly,
			want: []string{
				"2026-11-28T20:00 daily 2026-11-28",
				"2026-11-29T20:00 daily 2026-11-29",
				"2026-11-30T20:00 newest,daily 2026-11-30",
			},
		},
		{
			name:   "4-hourly over 10 days, keep-daily unlimited",
			policy: retention.Policy{Daily: retention.Unlimited},
			items:  fourHourly,
			want: []string{
				"2026-11-21T20:00 daily 2026-11-21",
				"2026-11-22T20:00 daily 2026-11-22",
				"2026-11-23T20:00 daily 2026-11-23",
				"2026-11-24T20:00 daily 2026-11-24",
				"2026-11-25T20:00 daily 2026-11-25",
				"2026-11-26T20:00 daily 2026-11-26",
				"2026-11-27T20:00 daily 2026-11-27",
				"2026-11-28T20:00 daily 2026-11-28",
				"2026-11-29T20:00 daily 2026-11-29",
				"2026-11-30T20:00 newest,daily 2026-11-30",
			},
		},
		{
			name:   "reasons accumulate: keep-last 2 and keep-daily 2",
			policy: retention.Policy{Last: 2, Daily: 2},
			items:  fourHourly,
			want: []string{
				"2026-11-29T20:00 daily 2026-11-29",
				"2026-11-30T16:00 last",
				"2026-11-30T20:00 newest,last,daily 2026-11-30",
			},
		},
		{
			name:   "keep-daily more than the days there are",
			policy: retention.Policy{Daily: 30, Monthly: 5, Yearly: 5},
			items:  scraped("2026-11-29T08:00", "2026-11-29T09:00", "2026-11-30T08:00"),
			want: []string{
				"2026-11-29T09:00 daily 2026-11-29",
				"2026-11-30T08:00 newest,daily 2026-11-30,monthly 2026-11,yearly 2026",
			},
		},
		{
			name:   "hours without snapshots do not count",
			policy: retention.Policy{Hourly: 3},
			items:  scraped("2026-11-30T10:05", "2026-11-30T10:55", "2026-11-30T11:00", "2026-11-30T11:59", "2026-11-30T13:30", "2026-11-30T09:00"),
			want: []string{
				"2026-11-30T10:55 hourly 2026-11-30T10",
				"2026-11-30T11:59 hourly 2026-11-30T11",
				"2026-11-30T13:30 newest,hourly 2026-11-30T13",
			},
		},
		{
			name:   "keep-last 3 of 60",
			policy: retention.Policy{Last: 3},
			items:  fourHourly,
			want: []string{
				"2026-11-30T12:00 last",
				"2026-11-30T16:00 last",
				"2026-11-30T20:00 newest,last",
			},
		},
		{
			name:   "keep-last unlimited keeps all",
			policy: retention.Policy{Last: retention.Unlimited},
			items:  scraped("2026-11-30T12:00", "2020-01-01T00:00"),
			want:   []string{"2026-11-30T12:00 newest,last", "2020-01-01T00:00 last"},
		},
		{
			name:   "ISO weeks across a year end: 2025-12-29 … 2026-01-04 is 2026-W01",
			policy: retention.Policy{Weekly: 3},
			items:  yearEnd,
			want: []string{
				"2025-12-28T12:00 weekly 2025-W52",
				"2026-01-04T12:00 weekly 2026-W01",
				"2026-01-11T12:00 newest,weekly 2026-W02",
			},
		},
		{
			name:   "calendar years across the same year end",
			policy: retention.Policy{Yearly: 2, Monthly: 3},
			items:  yearEnd,
			want: []string{
				"2025-12-31T12:00 monthly 2025-12,yearly 2025",
				"2026-01-11T12:00 newest,monthly 2026-01,yearly 2026",
			},
		},
		{
			name:   "ISO week 53 of 2026 runs to 2027-01-03",
			policy: retention.Policy{Weekly: retention.Unlimited},
			items:  scraped("2026-12-27T09:00", "2026-12-28T09:00", "2027-01-03T09:00", "2027-01-04T09:00"),
			want: []string{
				"2026-12-27T09:00 weekly 2026-W52",
				"2027-01-03T09:00 weekly 2026-W53",
				"2027-01-04T09:00 newest,weekly 2027-W01",
			},
		},
		{
			name:   "week boundary is Sunday 24:00 UTC",
			policy: retention.Policy{Weekly: 2},
			items:  scraped("2026-11-29T23:59", "2026-11-30T00:00", "2026-11-23T00:00"),
			want: []string{
				"2026-11-29T23:59 weekly 2026-W48",
				"2026-11-30T00:00 newest,weekly 2026-W49",
			},
		},
		{
			name:   "month ends",
			policy: retention.Policy{Monthly: retention.Unlimited},
			items:  scraped("2026-01-31T23:59", "2026-02-01T00:00", "2026-02-28T23:00", "2026-03-01T00:00", "2024-02-29T12:00"),
			want: []string{
				"2026-01-31T23:59 monthly 2026-01",
				"2026-02-28T23:00 monthly 2026-02",
				"2026-03-01T00:00 newest,monthly 2026-03",
				"2024-02-29T12:00 monthly 2024-02",
			},
		},
		{
			name:   "keep-monthly 2 with month ends",
			policy: retention.Policy{Monthly: 2},
			items:  scraped("2026-01-31T23:59", "2026-02-01T00:00", "2026-02-28T23:00", "2026-03-01T00:00"),
			want: []string{
				"2026-02-28T23:00 monthly 2026-02",
				"2026-03-01T00:00 newest,monthly 2026-03",
			},
		},
		{
			name:   "yearly over scattered years",
			policy: retention.Policy{Yearly: 3},
			items:  scraped("2019-06-01T00:00", "2021-12-31T23:59", "2022-01-01T00:00", "2024-05-05T05:05", "2024-01-01T00:00", "2026-02-02T02:02"),
			want: []string{
				"2022-01-01T00:00 yearly 2022",
				"2024-05-05T05:05 yearly 2024",
				"2026-02-02T02:02 newest,yearly 2026",
			},
		},
		{
			name:   "within is inclusive and clamps to the month end",
			policy: retention.Policy{Within: span(t, "1m")}, // from 2026-03-31 12:00: since 2026-02-28 12:00
			items:  scraped("2026-02-28T11:59", "2026-02-28T12:00", "2026-03-03T12:00", "2026-03-31T12:00"),
			want: []string{
				"2026-02-28T12:00 within 1m",
				"2026-03-03T12:00 within 1m",
				"2026-03-31T12:00 newest,within 1m",
			},
		},
		{
			name:   "within counts from the newest snapshot, not now",
			policy: retention.Policy{Within: span(t, "3d")},
			items:  every("2026-05-01T00:00", 24*time.Hour, 32), // stopped on 2026-06-01
			want: []string{
				"2026-05-29T00:00 within 3d",
				"2026-05-30T00:00 within 3d",
				"2026-05-31T00:00 within 3d",
				"2026-06-01T00:00 newest,within 3d",
			},
		},
		{
			name:   "within as a Go duration",
			policy: retention.Policy{Within: span(t, "30h")},
			items:  fourHourly[50:],
			want: []string{
				"2026-11-29T16:00 within 30h", // 30h before 2026-11-30 20:00 is 2026-11-29 14:00
				"2026-11-29T20:00 within 30h",
				"2026-11-30T00:00 within 30h",
				"2026-11-30T04:00 within 30h",
				"2026-11-30T08:00 within 30h",
				"2026-11-30T12:00 within 30h",
				"2026-11-30T16:00 within 30h",
				"2026-11-30T20:00 newest,within 30h",
			},
		},
		{
			name:   "duplicates: the first in the input counts as newer",
			policy: retention.Policy{Last: 1, Daily: 2},
			items:  scraped("2026-11-29T10:00", "2026-11-30T10:00", "2026-11-30T10:00", "2026-11-29T10:00", "2026-11-30T10:00"),
			want: []string{
				"2026-11-29T10:00 daily 2026-11-29",
				"2026-11-30T10:00 newest,last,daily 2026-11-30",
			},
		},
		{
			name:   "duplicates are all within",
			policy: retention.Policy{Within: span(t, "1h")},
			items:  scraped("2026-11-30T10:00", "2026-11-30T10:00", "2026-11-30T08:00", "2026-11-30T10:00"),
			want: []string{
				"2026-11-30T10:00 newest,within 1h",
				"2026-11-30T10:00 within 1h",
				"2026-11-30T10:00 within 1h",
			},
		},
		{
			name:   "same time: the scraped item counts as newer than the imported one",
			policy: retention.Policy{Last: 1},
			items:  []retention.Item{imported("2026-11-30T10:00"), {Time: at("2026-11-30T10:00")}},
			want: []string{
				"2026-11-30T10:00 imp imported",
				"2026-11-30T10:00 newest,last",
			},
		},
		{
			name:   "imported items are kept",
			policy: retention.Policy{Last: 1},
			items:  concat(scraped("2026-11-28T10:00", "2026-11-29T10:00"), []retention.Item{imported("2025-06-01T00:00"), imported("2025-07-01T00:00")}, scraped("2026-11-30T10:00")),
			want: []string{
				"2025-06-01T00:00 imp imported",
				"2025-07-01T00:00 imp imported",
				"2026-11-30T10:00 newest,last",
			},
		},
		{
			name:   "imported items pruned with IncludeImported",
			policy: retention.Policy{Last: 1, Monthly: 2, IncludeImported: true},
			items:  concat(scraped("2026-11-28T10:00", "2026-11-29T10:00"), []retention.Item{imported("2025-06-01T00:00"), imported("2025-07-01T00:00")}, scraped("2026-11-30T10:00")),
			want: []string{
				"2025-07-01T00:00 imp monthly 2025-07",
				"2026-11-30T10:00 newest,last,monthly 2026-11",
			},
		},
		{
			name:   "an imported item takes its day's slot",
			policy: retention.Policy{Daily: 1},
			items:  []retention.Item{{Time: at("2026-11-30T10:00")}, imported("2026-11-30T12:00")},
			want:   []string{"2026-11-30T12:00 imp newest,daily 2026-11-30,imported"},
		},
		{
			name:   "IncludeImported: the imported item is kept by the rules only",
			policy: retention.Policy{Daily: 1, IncludeImported: true},
			items:  []retention.Item{{Time: at("2026-11-30T10:00")}, imported("2026-11-30T12:00")},
			want:   []string{"2026-11-30T12:00 imp newest,daily 2026-11-30"},
		},
		{
			name:   "input order does not matter",
			policy: retention.Policy{Daily: 2},
			items:  scraped("2026-11-29T10:00", "2026-11-30T08:00", "2026-11-28T23:00", "2026-11-30T09:00", "2026-11-29T11:00"),
			want: []string{
				"2026-11-30T09:00 newest,daily 2026-11-30",
				"2026-11-29T11:00 daily 2026-11-29",
			},
		},
		{
			name:   "days are UTC days whatever the item's location",
			policy: retention.Policy{Daily: retention.Unlimited},
			items: []retention.Item{
				{Time: time.Date(2026, 11, 30, 23, 30, 0, 0, time.FixedZone("EST", -5*3600))}, // 2026-12-01 04:30 UTC
				{Time: at("2026-12-01T01:00")},
				{Time: at("2026-11-30T23:00")},
			},
			want: []string{
				"2026-12-01T04:30 newest,daily 2026-12-01",
				"2026-11-30T23:00 daily 2026-11-30",
			},
		},
		{
			name:   "before 1970",
			policy: retention.Policy{Hourly: 2, Daily: 2},
			items:  scraped("1969-12-31T22:30", "1969-12-31T23:30", "1969-12-31T23:59", "1970-01-01T00:00"),
			want: []string{
				"1969-12-31T23:59 hourly 1969-12-31T23,daily 1969-12-31",
				"1970-01-01T00:00 newest,hourly 1970-01-01T00,daily 1970-01-01",
			},
		},
		{
			name:   "empty policy keeps everything",
			policy: retention.Policy{IncludeImported: true},
			items:  scraped("2026-11-30T10:00", "2026-11-29T10:00"),
			want:   []string{"2026-11-30T10:00 empty policy", "2026-11-29T10:00 empty policy"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := retention.Apply(tc.policy, tc.items)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != len(tc.items) {
				t.Fatalf("got %d decisions for %d items", len(ds), len(tc.items))
			}
			if got := kept(tc.items, ds); !slices.Equal(got, tc.want) {
				t.Errorf("kept:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestApplyDoesNotModifyItems(t *testing.T) {
	items := scraped("2026-11-29T10:00", "2026-11-30T08:00", "2026-11-28T23:00")
	orig := slices.Clone(items)
	if _, err := retention.Apply(retention.Policy{Daily: 1}, items); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(items, orig) {
		t.Errorf("Apply reordered or changed its input: %v", items)
	}
}

func TestPolicyEmpty(t *testing.T) {
	for _, tc := range []struct {
		p    retention.Policy
		want bool
	}{
		{retention.Policy{}, true},
		{retention.Policy{IncludeImported: true}, true},
		{retention.Policy{Last: 1}, false},
		{retention.Policy{Hourly: -1}, false},
		{retention.Policy{Daily: 1}, false},
		{retention.Policy{Weekly: 1}, false},
		{retention.Policy{Monthly: 1}, false},
		{retention.Policy{Yearly: 1}, false},
		{retention.Policy{Within: retention.Span{Days: 1}}, false},
		{retention.Policy{Within: retention.Span{Clock: 1}}, false},
	} {
		if got := tc.p.Empty(); got != tc.want {
			t.Errorf("%+v.Empty() = %v, want %v", tc.p, got, tc.want)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    retention.Policy
		want string // substring of the error; "" for valid
	}{
		{"zero", retention.Policy{}, ""},
		{"unlimited", retention.Policy{Last: -1, Hourly: -1, Daily: -1, Weekly: -1, Monthly: -1, Yearly: -1}, ""},
		{"counts", retention.Policy{Last: 5, Daily: 7, Within: retention.Span{Years: 1}}, ""},
		{"last -2", retention.Policy{Last: -2}, "keep-last is -2"},
		{"hourly", retention.Policy{Hourly: -3}, "keep-hourly"},
		{"daily", retention.Policy{Daily: -3}, "keep-daily"},
		{"weekly", retention.Policy{Weekly: -3}, "keep-weekly"},
		{"monthly", retention.Policy{Monthly: -3}, "keep-monthly"},
		{"yearly", retention.Policy{Yearly: -30}, "keep-yearly is -30"},
		{"negative span", retention.Policy{Within: retention.Span{Days: -1}}, "span days is -1"},
		{"negative clock", retention.Policy{Within: retention.Span{Clock: -time.Hour}}, "clock part"},
		{"huge span", retention.Policy{Within: retention.Span{Years: 1_000_001}}, "span years"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want an error containing %q", err, tc.want)
			}
			if ds, aerr := retention.Apply(tc.p, scraped("2026-11-30T10:00")); aerr == nil || ds != nil {
				t.Errorf("Apply with an invalid policy = %v, %v; want an error", ds, aerr)
			}
		})
	}
	err := retention.Policy{Last: -2, Yearly: -2}.Validate()
	if err == nil || !strings.Contains(err.Error(), "keep-last") || !strings.Contains(err.Error(), "keep-yearly") {
		t.Errorf("Validate should report every bad count, got %v", err)
	}
}
