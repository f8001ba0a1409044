package history

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/ranking"
)

// streakRows is a history of seven snapshots, as Build returns one:
//
//	fetched  leading open (country)   best non-Chinese open position
//	11-01    GLM-4.5 (CN)             3
//	11-02    GLM-4.5 (CN)             12
//	11-04    Llama-3.1-405B (US)      4
//	11-05    none                     none
//	11-08    DeepSeek-R1 (CN)         11
//	11-10    Qwen3-235B (CN)          15   (as of 11-09)
//	11-20    Qwen3-235B (CN)          20
func streakRows() []Row {
	ref := func(model, country, family string) *ranking.ModelRef {
		return &ranking.ModelRef{Model: model, Name: model, Country: country, Family: family}
	}
	best := func(pos int) *ranking.ModelRef {
		return &ranking.ModelRef{Model: "Gemma-3-27B-it", Country: "US", OpenPosition: pos}
	}
	return []Row{
		{FetchedAt: ts("2026-11-01T00:00:00Z"), LeadingOpen: ref("GLM-4.5", "CN", "glm"), BestOpenNonCN: best(3)},
		{FetchedAt: ts("2026-11-02T00:00:00Z"), LeadingOpen: ref("GLM-4.5", "CN", "glm"), BestOpenNonCN: best(12)},
		{FetchedAt: ts("2026-11-04T00:00:00Z"), LeadingOpen: ref("Llama-3.1-405B", "US", "llama"), BestOpenNonCN: best(4)},
		{FetchedAt: ts("2026-11-05T00:00:00Z")},
		{FetchedAt: ts("2026-11-08T00:00:00Z"), LeadingOpen: ref("DeepSeek-R1", "CN", "deepseek"), BestOpenNonCN: best(11)},
		{FetchedAt: ts("2026-11-10T00:00:00Z"), AsOf: ts("2026-11-09T00:00:00Z"), LeadingOpen: ref("Qwen3-235B", "CN", "qwen"), BestOpenNonCN: best(15)},
		{FetchedAt: ts("2026-11-20T00:00:00Z"), LeadingOpen: ref("Qwen3-235B", "CN", "qwen"), BestOpenNonCN: best(20)},
	}
}

// runString is "model country since→until days/snapshots", "*" for the
// current run; dates are MM-DD.
func runString(r Run) string {
	s := fmt.Sprintf("%s %s %s→%s %dd/%d", r.Model, r.Country, r.Since.Format("01-02"), r.Until.Format("01-02"), r.Days, r.Snapshots)
	if r.Current {
		s += "*"
	}
	return s
}

func TestStreaks(t *testing.T) {
	tests := []struct {
		name    string
		opt     Options
		k       int
		longest int
		// model and country are the current runs.
		model, country       string
		models, countries    []string
		since, lastWithin    string // MM-DD, "" for null
		belowDays, belowSnap int
	}{
		// GLM-4.5 led from 11-01 until 11-04, when Llama took over; the
		// empty 11-05 ends Llama's run after one day. The Chinese run that
		// began with DeepSeek-R1 on 11-08 holds to the latest, 12 days.
		// Positions 20, 15, 11 and none are below 10; 4 (11-04) is not.
		{name: "Fetch", k: 10,
			model: "Qwen3-235B CN 11-10→11-20 10d/2*", country: "DeepSeek-R1 CN 11-08→11-20 12d/3*",
			models:    []string{"Qwen3-235B CN 11-10→11-20 10d/2*", "GLM-4.5 CN 11-01→11-04 3d/2", "DeepSeek-R1 CN 11-08→11-10 2d/1"},
			countries: []string{"DeepSeek-R1 CN 11-08→11-20 12d/3*", "GLM-4.5 CN 11-01→11-04 3d/2", "Llama-3.1-405B US 11-04→11-05 1d/1"},
			since:     "11-05", lastWithin: "11-04", belowDays: 15, belowSnap: 4},
		// Position 11 is not below 11: the run below starts on 11-10.
		{name: "K11", k: 11, longest: 1,
			model: "Qwen3-235B CN 11-10→11-20 10d/2*", country: "DeepSeek-R1 CN 11-08→11-20 12d/3*",
			models: []string{"Qwen3-235B CN 11-10→11-20 10d/2*"}, countries: []string{"DeepSeek-R1 CN 11-08→11-20 12d/3*"},
			since: "11-10", lastWithin: "11-08", belowDays: 10, belowSnap: 2},
		{name: "NotBelow", k: 20, longest: 1,
			model: "Qwen3-235B CN 11-10→11-20 10d/2*", country: "DeepSeek-R1 CN 11-08→11-20 12d/3*",
			models: []string{"Qwen3-235B CN 11-10→11-20 10d/2*"}, countries: []string{"DeepSeek-R1 CN 11-08→11-20 12d/3*"},
			lastWithin: "11-20"},
		{name: "NeverWithin", k: 2, longest: 1,
			model: "Qwen3-235B CN 11-10→11-20 10d/2*", country: "DeepSeek-R1 CN 11-08→11-20 12d/3*",
			models: []string{"Qwen3-235B CN 11-10→11-20 10d/2*"}, countries: []string{"DeepSeek-R1 CN 11-08→11-20 12d/3*"},
			since: "11-01", belowDays: 19, belowSnap: 7},
		// By the source's date the 11-10 snapshot is of 11-09: Qwen's run
		// starts a day earlier and DeepSeek-R1's ends a day earlier.
		{name: "AsOf", opt: Options{Time: ByAsOf}, k: 10, longest: 2,
			model: "Qwen3-235B CN 11-09→11-20 11d/2*", country: "DeepSeek-R1 CN 11-08→11-20 12d/3*",
			models:    []string{"Qwen3-235B CN 11-09→11-20 11d/2*", "GLM-4.5 CN 11-01→11-04 3d/2"},
			countries: []string{"DeepSeek-R1 CN 11-08→11-20 12d/3*", "GLM-4.5 CN 11-01→11-04 3d/2"},
			since:     "11-05", lastWithin: "11-04", belowDays: 15, belowSnap: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := StreaksOf(streakRows(), tt.opt, tt.k, tt.longest)
			var models, countries []string
			for _, r := range st.LongestModels {
				models = append(models, runString(r))
			}
			for _, r := range st.LongestCountries {
				countries = append(countries, runString(r))
			}
			day := func(p *time.Time) string {
				if p == nil {
					return ""
				}
				return p.Format("01-02")
			}
			b := st.Below
			got := []any{runString(*st.Model), runString(*st.Country), models, countries, day(b.Since), day(b.LastWithin), b.Days, b.Snapshots, b.IsBelow}
			want := []any{tt.model, tt.country, tt.models, tt.countries, tt.since, tt.lastWithin, tt.belowDays, tt.belowSnap, tt.since != ""}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
			if st.Snapshots != 7 || b.K != tt.k || b.Now.OpenPosition != 20 {
				t.Errorf("snapshots %d, k %d, now %+v", st.Snapshots, b.K, b.Now)
			}
		})
	}
}

// TestStreaksFamily counts a family's models as one leader with ByFamily,
// and a snapshot without a leader as the end of any run.
func TestStreaksFamily(t *testing.T) {
	rows := streakRows()
	rows[4].LeadingOpen.Family = "qwen" // DeepSeek-R1 in Qwen's family, for the test
	tests := []struct {
		name    string
		opt     Options
		current string
	}{
		{"Model", Options{}, "Qwen3-235B CN 11-10→11-20 10d/2*"},
		{"Family", Options{Ranking: ranking.Options{ByFamily: true}}, "DeepSeek-R1 CN 11-08→11-20 12d/3*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runString(*StreaksOf(rows, tt.opt, 10, 0).Model); got != tt.current {
				t.Errorf("current run %q, want %q", got, tt.current)
			}
		})
	}
	if st := StreaksOf(rows[:4], Options{}, 10, 0); st.Model != nil || st.Country != nil || len(st.LongestModels) != 2 {
		t.Errorf("a history ending without a leader: %+v", st)
	}
	if st := StreaksOf(nil, Options{}, 10, 0); st.Snapshots != 0 || st.Model != nil || st.Below.IsBelow {
		t.Errorf("empty history: %+v", st)
	}
}
