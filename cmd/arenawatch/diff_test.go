package main

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/store"
)

// modelsOf returns the model keys of the board's snapshot fetched at t,
// read from the store.
func modelsOf(t *testing.T, path, board string, at time.Time) map[string]arenawatch.Row {
	t.Helper()
	db, err := store.Open(path, store.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.At(board, at)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]arenawatch.Row{}
	for _, r := range s.Rows {
		out[r.Model] = r
	}
	return out
}

// TestDiffImported diffs the ten imported dates of LMArena's text board.
// The expectations are worked out from the two snapshots' rows, read from
// the store in the test: the models on one page only, and the two answers
// as 'report --at' gives them for each snapshot.
func TestDiffImported(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	tests := []struct {
		name     string
		args     []string
		from, to string // the dates compared
		// why is the reason of each answer's change, "" when unchanged.
		leadWhy, bestWhy string
	}{
		// The last two dates: GLM-4.5 is new on 2025-08-04 and leads.
		{"Default", nil, "2025-07-27", "2025-08-04", "new model", ""},
		{"AsOf", []string{"--time", "asof"}, "2025-07-27", "2025-08-04", "new model", ""},
		// DeepSeek-V3-0324 and Gemma-3-27B-it first appear on 2025-04-06.
		{"FromTo", []string{"--from", "2025-02-18", "--to", "2025-04-06"}, "2025-02-18", "2025-04-06", "new model", "new model"},
		// Both 2025-04-06 and 2025-05-23 have DeepSeek-V3-0324 and Gemma-3-27B-it.
		{"To", []string{"--to", "2025-05-23"}, "2025-04-06", "2025-05-23", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decode[diffJSON](t, c.must(append([]string{"diff", "hf-text-raw", "--json", "--min-move", "1"}, tt.args...)...).stdout)
			from, to := mustTime(t, tt.from+"T00:00:00Z"), mustTime(t, tt.to+"T00:00:00Z")
			if !d.From.FetchedAt.Equal(from) || !d.To.FetchedAt.Equal(to) {
				t.Fatalf("compared %s and %s, want %s and %s", d.From.FetchedAt, d.To.FetchedAt, from, to)
			}
			old, cur := modelsOf(t, c.db, "hf-text-raw", from), modelsOf(t, c.db, "hf-text-raw", to)
			var appeared, dropped, gotAppeared, gotDropped []string
			for m := range cur {
				if _, ok := old[m]; !ok {
					appeared = append(appeared, m)
				}
			}
			for m := range old {
				if _, ok := cur[m]; !ok {
					dropped = append(dropped, m)
				}
			}
			for _, m := range d.Appeared {
				gotAppeared = append(gotAppeared, m.Model)
			}
			for _, m := range d.Dropped {
				gotDropped = append(gotDropped, m.Model)
			}
			slices.Sort(appeared)
			slices.Sort(dropped)
			slices.Sort(gotAppeared)
			slices.Sort(gotDropped)
			if !reflect.DeepEqual(gotAppeared, appeared) || !reflect.DeepEqual(gotDropped, dropped) {
				t.Errorf("appeared %v dropped %v, want %v and %v", gotAppeared, gotDropped, appeared, dropped)
			}
			// Every model on both pages whose place among the models on
			// both pages changed is a move (--min-move 1): its place is 1 +
			// how many of them have a better source rank on that page. A
			// score outside the old interval is a change.
			better := func(page map[string]arenawatch.Row, m string) int {
				n := 0
				for other, r := range page {
					if _, both := old[other]; both {
						if _, both := cur[other]; both && r.Rank < page[m].Rank {
							n++
						}
					}
				}
				return n
			}
			moves, outside := 0, 0
			for m, o := range old {
				if n, ok := cur[m]; ok {
					if better(old, m) != better(cur, m) {
						moves++
					}
					if n.Score < *o.ScoreLower || n.Score > *o.ScoreUpper {
						outside++
					}
				}
			}
			if len(d.Moved) != moves || len(d.ScoreChanges) != outside || d.NoInterval != 0 {
				t.Errorf("%d moves, %d score changes, %d without interval; want %d, %d, 0", len(d.Moved), len(d.ScoreChanges), d.NoInterval, moves, outside)
			}
			repOld := decode[reportJSON](t, c.must("report", "hf-text-raw", "--at", tt.from, "--json").stdout).Boards[0]
			repNew := decode[reportJSON](t, c.must("report", "hf-text-raw", "--at", tt.to, "--json").stdout).Boards[0]
			check := func(what string, h history.Headline, was, is string, why string) {
				wantChanged := was != is
				gotWhy := strings.Join(h.Why, ",")
				if h.From.Model != was || h.To.Model != is || h.Changed != wantChanged || gotWhy != why {
					t.Errorf("%s: %s→%s changed %v why %q; want %s→%s why %q", what, h.From.Model, h.To.Model, h.Changed, gotWhy, was, is, why)
				}
				if _, inOld := old[is]; wantChanged && !inOld && why != "new model" {
					t.Errorf("%s: %s is not in the old snapshot, why %q", what, is, why)
				}
			}
			check("leading open", d.LeadingOpen, repOld.LeadingOpen.Model, repNew.LeadingOpen.Model, tt.leadWhy)
			check("best non-Chinese", d.BestOpenNonCN, repOld.BestOpenNonCN.Model, repNew.BestOpenNonCN.Model, tt.bestWhy)
		})
	}
	out := c.must("diff", "hf-text-raw").stdout
	for _, want := range []string{"DeepSeek-R1-0528 (DeepSeek, CN) → GLM-4.5 (Z.ai, CN): new model", "APPEARED (6)", "unchanged: Gemma-3-27B-it"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestDiffErrors checks the usage errors and the exit code when there is
// nothing to compare.
func TestDiffErrors(t *testing.T) {
	c := newCLI(t)
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	c.must("scrape", "--replay", fixtures, "arena-text", "--quiet")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"NoBoard", []string{"diff"}, exitUsage, "exactly one BOARD"},
		{"UnknownBoard", []string{"diff", "no-such-board"}, exitUsage, "no-such-board"},
		{"BadTime", []string{"diff", "hf-text-raw", "--time", "now"}, exitUsage, "--time"},
		{"BadMinMove", []string{"diff", "hf-text-raw", "--min-move", "0"}, exitUsage, "--min-move"},
		{"BadFrom", []string{"diff", "hf-text-raw", "--from", "last week"}, exitUsage, "--from"},
		{"UsageBoard", []string{"diff", "openrouter-daily-tokens"}, exitUsage, "tokens"},
		{"NoSnapshots", []string{"diff", "arena-vision"}, exitNoData, "no snapshots of board arena-vision"},
		{"OneSnapshot", []string{"diff", "arena-text"}, exitNoData, "no earlier snapshot with other content"},
		{"BeforeFirst", []string{"diff", "hf-text-raw", "--to", "2024-01"}, exitNoData, "no snapshot at or before"},
		{"FromAfterTo", []string{"diff", "hf-text-raw", "--from", "2025-08-04", "--to", "2025-07-27"}, exitNoData, "--from names the same snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d with %q", r.code, r.stderr, r.stdout, tt.code, tt.msg)
			}
		})
	}
	if r := c.must("diff", "--help"); !strings.Contains(r.stdout, "Which snapshots") || !strings.Contains(r.stdout, "--min-move") {
		t.Errorf("--help:\n%s", r.stdout)
	}
}
