package chart

import (
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
)

func itoa(n int) string { return strconv.Itoa(n) }

// timeTicks marks a time axis (unix seconds, UTC) at whole days, months
// or years, at most max labels (8 when 0), so labels are dates people
// read rather than arbitrary instants.
type timeTicks struct{ max int }

// steps are the tick spacings tried, shortest first: days, then months.
var steps = []struct {
	days, months int
	format       string
}{
	{1, 0, "2006-01-02"}, {2, 0, "2006-01-02"}, {7, 0, "2006-01-02"}, {14, 0, "2006-01-02"},
	{0, 1, "Jan 2006"}, {0, 2, "Jan 2006"}, {0, 3, "Jan 2006"}, {0, 6, "Jan 2006"},
	{0, 12, "2006"}, {0, 24, "2006"}, {0, 60, "2006"},
}

// Ticks implements plot.Ticker.
func (tt timeTicks) Ticks(lo, hi float64) []plot.Tick {
	most := tt.max
	if most <= 0 {
		most = 8
	}
	a, b := time.Unix(int64(math.Ceil(lo)), 0).UTC(), time.Unix(int64(math.Floor(hi)), 0).UTC()
	for _, s := range steps {
		ts := timeStep(a, b, s.days, s.months, s.format)
		if len(ts) <= most || s.months == 60 {
			if len(ts) == 0 { // a span shorter than a day
				return []plot.Tick{{Value: lo, Label: a.Format("Jan 2 15:04")}, {Value: hi, Label: b.Format("Jan 2 15:04")}}
			}
			return ts
		}
	}
	return nil
}

// timeStep marks every days days (from the first midnight) or every
// months months (from the first of a month whose number divides by it).
func timeStep(a, b time.Time, days, months int, format string) []plot.Tick {
	var t time.Time
	if days > 0 {
		t = time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	} else {
		t = time.Date(a.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var ts []plot.Tick
	for n := 0; !t.After(b) && n < 2000; n++ {
		if !t.Before(a) {
			ts = append(ts, plot.Tick{Value: float64(t.Unix()), Label: t.Format(format)})
		}
		if days > 0 {
			t = t.AddDate(0, 0, days)
		} else {
			t = t.AddDate(0, months, 0)
		}
	}
	return ts
}

// intTicks marks whole numbers from 1 (positions), 1, 2, 5, 10, … apart.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000} {
		step = s
		if (hi-lo)/float64(s) <= 8 {
			break
		}
	}
	ts := []plot.Tick{{Value: 1, Label: "1"}}
	for v := step; float64(v) <= hi; v += step {
		if v > 1 && float64(v) >= lo {
			ts = append(ts, plot.Tick{Value: float64(v), Label: itoa(v)})
		}
	}
	return ts
}

// numTicks are gonum's default ticks with labels as people write numbers:
// 1425, not 1425.00.
type numTicks struct{}

// Ticks implements plot.Ticker.
func (numTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = trimFloat(ts[i].Value)
		}
	}
	return ts
}
