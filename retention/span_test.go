package retention_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/retention"
)

func TestParseSpan(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want retention.Span
		str  string // String of the result; "" means in
	}{
		{"2y5m7d3h", retention.Span{Years: 2, Months: 5, Days: 7, Clock: 3 * time.Hour}, ""},
		{"1y", retention.Span{Years: 1}, ""},
		{"18m", retention.Span{Months: 18}, ""},
		{"30m", retention.Span{Months: 30}, ""}, // months, as in restic
		{"90d", retention.Span{Days: 90}, ""},
		{"4w", retention.Span{Days: 28}, "28d"},
		{"1w2d", retention.Span{Days: 9}, "9d"},
		{"1y2m3w4d5h", retention.Span{Years: 1, Months: 2, Days: 25, Clock: 5 * time.Hour}, "1y2m25d5h"},
		{"72h", retention.Span{Clock: 72 * time.Hour}, ""},
		{"1h30m", retention.Span{Clock: 90 * time.Minute}, ""},
		{"0h30m", retention.Span{Clock: 30 * time.Minute}, ""},
		{"1d0h30m", retention.Span{Days: 1, Clock: 30 * time.Minute}, ""},
		{"1h30m15s", retention.Span{Clock: time.Hour + 30*time.Minute + 15*time.Second}, ""},
		{"90s", retention.Span{Clock: 90 * time.Second}, "1m30s"},
		{"1m30s", retention.Span{Clock: 90 * time.Second}, ""},       // minutes: a seconds part follows
		{"720h0m0s", retention.Span{Clock: 720 * time.Hour}, "720h"}, // time.Duration.String
		{"1y1m0h30s", retention.Span{Years: 1, Months: 1, Clock: 30 * time.Second}, ""},
		{"1m1m30s", retention.Span{Months: 1, Clock: 90 * time.Second}, ""},
		{"1m2d30s", retention.Span{Months: 1, Days: 2, Clock: 30 * time.Second}, ""},
		{".5h", retention.Span{Clock: 30 * time.Minute}, "0h30m"},
		{"1.h", retention.Span{Clock: time.Hour}, "1h"},
		{"300ms", retention.Span{Clock: 300 * time.Millisecond}, ""},
		{"1s2ms3us4ns", retention.Span{Clock: time.Second + 2*time.Millisecond + 3*time.Microsecond + 4}, ""},
		{"5µs", retention.Span{Clock: 5 * time.Microsecond}, "5us"},
		{"1.5h", retention.Span{Clock: 90 * time.Minute}, "1h30m"}, // Go duration
		{"2h45m30.5s", retention.Span{Clock: 2*time.Hour + 45*time.Minute + 30500*time.Millisecond}, "2h45m30s500ms"},
		{"0", retention.Span{}, ""},
		{"0d", retention.Span{}, "0"},
		{"007d", retention.Span{Days: 7}, "7d"},
		{"1000000y", retention.Span{Years: 1_000_000}, ""},
	} {
		got, err := retention.ParseSpan(tc.in)
		if err != nil {
			t.Errorf("ParseSpan(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseSpan(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		want := tc.str
		if want == "" {
			want = tc.in
		}
		if s := got.String(); s != want {
			t.Errorf("ParseSpan(%q).String() = %q, want %q", tc.in, s, want)
		}
	}
}

func TestParseSpanErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"h", "expected a number"},
		{"7", "no unit"},
		{"5x", "unknown unit"},
		{"1d1y", "out of order"},
		{"1d30m", "out of order"}, // months after days; minutes need an hours part first
		{"1h1h", "out of order or repeated"},
		{"1h2d", "out of order"},
		{"-1h", "expected a number"},
		{"1.5d", "must be whole"},
		{"1.5m", "must be whole"}, // months
		{"1..5h", "malformed"},
		{".h", "malformed"},
		{"1m1m", "out of order"},
		{"-1d", "expected a number"},
		{"1y-2d", "unknown unit"},
		{" 1d", "expected a number"},
		{"1d ", "unknown unit"},
		{"2000000y", "more than 1000000"},
		{"200000w", "days in all"},
		{"99999999999999999999h", "out of range"},
		{"3000000h", "clock part too long"},
		{"2562047h47m16.9s", "clock part too long"}, // the fraction tips it over
		{"2562048h", "clock part too long"},
	} {
		_, err := retention.ParseSpan(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSpan(%q) error = %v, want one containing %q", tc.in, err, tc.want)
		}
	}
}

func TestSpanStringRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		s := retention.Span{}
		if r.IntN(2) == 0 {
			s.Years = r.IntN(5)
		}
		if r.IntN(2) == 0 {
			s.Months = r.IntN(30)
		}
		if r.IntN(2) == 0 {
			s.Days = r.IntN(400)
		}
		switch r.IntN(4) {
		case 1:
			s.Clock = time.Duration(r.IntN(100)) * time.Hour
		case 2:
			s.Clock = time.Duration(r.IntN(100000)) * time.Second
		case 3:
			s.Clock = time.Duration(r.Int64N(int64(1000 * time.Hour)))
		}
		got, err := retention.ParseSpan(s.String())
		if err != nil || got != s {
			t.Fatalf("ParseSpan(%q) = %+v, %v; want %+v", s.String(), got, err, s)
		}
	}
}

func TestSpanBefore(t *testing.T) {
	for _, tc := range []struct {
		span     string
		from, to string
	}{
		{"1m", "2026-03-31T12:00", "2026-02-28T12:00"}, // clamped, not rolled to 2026-03-03
		{"1m", "2024-03-31T12:00", "2024-02-29T12:00"}, // leap year
		{"1y", "2024-02-29T06:00", "2023-02-28T06:00"},
		{"4y", "2024-02-29T06:00", "2020-02-29T06:00"},
		{"1y1m", "2024-03-29T00:00", "2023-02-28T00:00"}, // one month count, one clamp
		{"13m", "2024-03-29T00:00", "2023-02-28T00:00"},
		{"2m", "2026-03-31T00:00", "2026-01-31T00:00"}, // no step-by-step clamping
		{"1m", "2026-01-15T10:00", "2025-12-15T10:00"}, // across a year
		{"14m", "2026-01-15T10:00", "2024-11-15T10:00"},
		{"1m1d", "2026-03-31T00:00", "2026-02-27T00:00"}, // clamp, then days
		{"30d", "2026-03-31T00:00", "2026-03-01T00:00"},
		{"1d", "2026-03-01T00:00", "2026-02-28T00:00"},
		{"72h", "2026-03-01T00:00", "2026-02-26T00:00"},
		{"1d0h30m", "2026-03-01T00:00", "2026-02-27T23:30"},
		{"2y5m7d3h", "2026-11-30T17:00", "2024-06-23T14:00"},
	} {
		got := span(t, tc.span).Before(at(tc.from))
		if !got.Equal(at(tc.to)) {
			t.Errorf("%s before %s = %s, want %s", tc.span, tc.from, got.Format(time.RFC3339), tc.to)
		}
	}
	// The result is UTC whatever the input's location.
	ny := time.FixedZone("EST", -5*3600)
	got := retention.Span{Months: 1}.Before(time.Date(2026, 3, 31, 22, 0, 0, 0, ny)) // 2026-04-01 03:00 UTC
	if want := at("2026-03-01T03:00"); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("1m before 2026-03-31 22:00 EST = %s, want %s UTC", got, want)
	}
}
