package history

import (
	"sort"
	"time"

	"github.com/arenawatch/arenawatch/ranking"
)

// DefaultLongest is the number of longest runs Streaks lists when asked
// for 0.
const DefaultLongest = 3

// Run is a stretch of consecutive snapshots (in history order) whose
// leading open model, or its country, was the same.
type Run struct {
	// Model, Name and Organization name the leading open model of the
	// run's first snapshot; Country is its country. A country run names
	// the model that led when it began.
	Model        string `json:"model"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	Country      string `json:"country"`
	// Since is the time (on the history's basis) of the run's first
	// snapshot. Until is the time of the first snapshot showing another
	// answer; for the current run, the time of the latest snapshot.
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Days is Until − Since in whole days; Snapshots the run's length.
	Days      int  `json:"days"`
	Snapshots int  `json:"snapshots"`
	Current   bool `json:"current"`
}

// Below says since when the best open model not from a Chinese lab has
// placed below position K among open models.
type Below struct {
	K int `json:"k"`
	// Now is the latest snapshot's best non-Chinese open model; null when
	// there is none.
	Now *ranking.ModelRef `json:"now"`
	// IsBelow is true when, in the latest snapshot, that model's open
	// position is above K, or there is no such model.
	IsBelow bool `json:"below"`
	// Since is the time of the first snapshot of the unbroken run of
	// snapshots, up to the latest, in which it was below K; Days and
	// Snapshots measure that run to the latest snapshot. Absent or 0 when
	// IsBelow is false.
	Since     *time.Time `json:"since"`
	Days      int        `json:"days"`
	Snapshots int        `json:"snapshots"`
	// LastWithin is the time of the latest snapshot in which it placed at
	// K or better; null when it never did in the history.
	LastWithin *time.Time `json:"last_within"`
}

// Streaks is the 'streaks --json' answer for a history. Its JSON field
// names are a documented contract.
type Streaks struct {
	// Snapshots is the number of history rows read; First and Last their
	// times on the history's basis.
	Snapshots int       `json:"snapshots"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
	// Model and Country are the current runs of the leading open model
	// and of its country; null when the latest snapshot has no leading
	// open model (or it has no known country).
	Model   *Run `json:"leading_open_model"`
	Country *Run `json:"leading_open_country"`
	// LongestModels and LongestCountries are the longest runs in the
	// history, longest first (by days, then snapshots, then earliest).
	LongestModels    []Run `json:"longest_model_runs"`
	LongestCountries []Run `json:"longest_country_runs"`
	Below            Below `json:"best_open_non_chinese_below"`
}

// StreaksOf reads rows, a history in order (as Build returns it), with
// opt's time basis and counting: with ByFamily a run is of the leading
// family rather than of one model key. k is the open position of Below;
// longest the number of longest runs listed (DefaultLongest when 0). A
// snapshot without a leading open model (or, for country runs, whose
// leader's country is unknown) ends a run and starts none.
func StreaksOf(rows []Row, opt Options, k, longest int) Streaks {
	if longest <= 0 {
		longest = DefaultLongest
	}
	b := opt.basis()
	st := Streaks{Snapshots: len(rows), LongestModels: []Run{}, LongestCountries: []Run{}, Below: Below{K: k}}
	if len(rows) == 0 {
		return st
	}
	st.First, st.Last = rowTime(rows[0], b), rowTime(rows[len(rows)-1], b)
	model := func(m *ranking.ModelRef) string { return identity(m.Model, m.Family, opt) }
	country := func(m *ranking.ModelRef) string { return m.Country }
	for _, kind := range []struct {
		key     func(*ranking.ModelRef) string
		current **Run
		longest *[]Run
	}{{model, &st.Model, &st.LongestModels}, {country, &st.Country, &st.LongestCountries}} {
		rs := runs(rows, b, kind.key)
		if n := len(rs); n > 0 && rs[n-1].Current {
			c := rs[n-1]
			*kind.current = &c
		}
		sort.SliceStable(rs, func(i, j int) bool {
			if rs[i].Days != rs[j].Days {
				return rs[i].Days > rs[j].Days
			}
			return rs[i].Snapshots > rs[j].Snapshots
		})
		*kind.longest = rs[:min(len(rs), longest)]
	}
	st.Below = below(rows, b, k)
	return st
}

// rowTime is a row's time on basis b.
func rowTime(r Row, b Basis) time.Time { return Key{FetchedAt: r.FetchedAt, AsOf: r.AsOf}.at(b) }

// days is the whole days from a to b.
func days(a, b time.Time) int { return int(b.Sub(a) / (24 * time.Hour)) }

// runs splits rows into runs of the same key of the leading open model,
// in order; rows whose key is "" (no leader, unknown country) belong to
// none.
func runs(rows []Row, b Basis, key func(*ranking.ModelRef) string) []Run {
	var out []Run
	open := -1 // index in out of the run the previous row belongs to
	prev := ""
	for i, r := range rows {
		k := ""
		if r.LeadingOpen != nil {
			k = key(r.LeadingOpen)
		}
		t := rowTime(r, b)
		if open >= 0 && k != prev {
			out[open].Until, out[open].Days = t, days(out[open].Since, t)
			open = -1
		}
		if k != "" && open < 0 {
			m := r.LeadingOpen
			out = append(out, Run{Model: m.Model, Name: m.Name, Organization: m.Organization, Country: m.Country, Since: t})
			open = len(out) - 1
		}
		if open >= 0 {
			out[open].Snapshots++
		}
		prev = k
		if i == len(rows)-1 && open >= 0 {
			out[open].Until, out[open].Days, out[open].Current = t, days(out[open].Since, t), true
		}
	}
	return out
}

// below finds the trailing run of rows whose best non-Chinese open model
// places below k among open models (or is missing).
func below(rows []Row, b Basis, k int) Below {
	out := Below{K: k, Now: rows[len(rows)-1].BestOpenNonCN}
	isBelow := func(r Row) bool { return r.BestOpenNonCN == nil || r.BestOpenNonCN.OpenPosition > k }
	i := len(rows)
	for i > 0 && isBelow(rows[i-1]) {
		i--
	}
	if i < len(rows) {
		since, last := rowTime(rows[i], b), rowTime(rows[len(rows)-1], b)
		out.IsBelow, out.Since, out.Days, out.Snapshots = true, &since, days(since, last), len(rows)-i
	}
	if i > 0 {
		w := rowTime(rows[i-1], b)
		out.LastWithin = &w
	}
	return out
}
