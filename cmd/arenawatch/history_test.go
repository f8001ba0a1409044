package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/store"
)

// archive92 is a community archive of LMArena's text board: 92 dates, in
// the shape such archives publish (testdata/archives/README.md).
var archive92 = filepath.Join(fixtures, "..", "testdata", "archives", "lmarena-text-2024-2025.csv")

// TestHistoryEqualsReportAt checks every row of 'history --json' against
// 'report --at <its fetch time> --json': the ten publish dates of LMArena's
// dataset in fixtures/, the 92 dates of a community archive of LMArena's
// text board (testdata/archives, 2024-06 to 2025-08) and a board scraped
// from the replayed arena.ai page, whose data is a year older than its
// fetch.
func TestHistoryEqualsReportAt(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	c.must("import", "csv", archive92, "--board", "arena-text-raw", "--quiet")
	c.must("scrape", "--replay", fixtures, "arena-text", "--quiet")

	tests := []struct {
		name  string
		board string
		flags []string
		rows  int
	}{
		{"Imported", "hf-text-raw", nil, 10},
		{"ImportedLineageFamily", "hf-text-raw", []string{"--origin", "lineage", "--by", "family"}, 10},
		{"Replayed", "arena-text", nil, 1},
		{"Archive92", "arena-text-raw", nil, 92},
		{"Archive92LineageFamily", "arena-text-raw", []string{"--origin", "lineage", "--by", "family"}, 92},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := decode[historyJSON](t, c.must(append([]string{"history", tt.board, "--json"}, tt.flags...)...).stdout)
			if len(h.Rows) != tt.rows || h.Snapshots != tt.rows || h.Board != tt.board {
				t.Fatalf("%d rows of %d snapshots of %s, want %d", len(h.Rows), h.Snapshots, h.Board, tt.rows)
			}
			for _, r := range h.Rows {
				at := r.FetchedAt.Format(time.RFC3339Nano)
				rep := decode[reportJSON](t, c.must(append([]string{"report", tt.board, "--at", at, "--json"}, tt.flags...)...).stdout)
				b := rep.Boards[0]
				if !b.FetchedAt.Equal(r.FetchedAt) || !b.AsOf.Equal(r.AsOf) || b.Origin != r.Origin || b.Rows != r.Rows ||
					!reflect.DeepEqual(b.LeadingOpen, r.LeadingOpen) || !reflect.DeepEqual(b.BestOpenNonCN, r.BestOpenNonCN) ||
					b.ChineseOpenAbove != r.ChineseOpenAbove || b.Unclassified.Rows != r.Unclassified ||
					rep.CatalogVersion != h.CatalogVersion {
					t.Errorf("at %s history says\n%+v\nreport says\n%+v", at, r, b)
				}
			}
		})
	}

	// Facts read off the sources: on 2025-02-18 DeepSeek-R1 led and
	// Athene-v2-Chat-72B (Nexusflow, US) was the best open model not from
	// a Chinese lab, 22nd overall, three Chinese open models above it.
	h := decode[historyJSON](t, c.must("history", "hf-text-raw", "--json", "--since", "2025-02-18", "--until", "2025-02-18").stdout)
	if len(h.Rows) != 1 || h.Rows[0].LeadingOpen.Model != "DeepSeek-R1" || h.Rows[0].BestOpenNonCN.Model != "Athene-v2-Chat-72B" ||
		h.Rows[0].BestOpenNonCN.Rank != 22 || h.Rows[0].ChineseOpenAbove != 3 || h.Rows[0].AsOfLag != 0 {
		t.Errorf("2025-02-18: %+v", h.Rows)
	}
	// The replayed page's data is as of 2025-11-06, fetched now: the
	// table says so.
	out := c.must("history", "arena-text").stdout
	if !strings.Contains(out, "2025-11-06") || !strings.Contains(out, "d)") || !strings.Contains(out, "gemma-3-27b-it (Google, US)") {
		t.Errorf("table does not show the lag of old data:\n%s", out)
	}
}

// seedRealRows stores snapshots of board at the given fetch times, each
// with the rows of a real page (the hf-text-raw golden file, 265 rows),
// less one row per snapshot so that each is a snapshot of its own, and
// with the as-of dates given ("" for none).
func seedRealRows(t *testing.T, path, board string, fetched, asOf []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, "..", "source", "testdata", "golden", "hf-text-raw.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct{ Rows []arenawatch.Row }
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, f := range fetched {
		s := &arenawatch.Snapshot{Board: board, FetchedAt: mustTime(t, f), Origin: arenawatch.OriginImported,
			URL: "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset", Status: 200, ParserVersion: "test/1",
			Rows: g.Rows[:len(g.Rows)-i]}
		if asOf[i] != "" {
			s.AsOf = mustTime(t, asOf[i])
		}
		s.ContentHash = s.ComputeContentHash()
		if _, err := db.Save(context.Background(), s, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestHistoryEvery picks the last snapshot of each day, week or month, by
// fetch time or by the source's date.
func TestHistoryEvery(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	// 2026-11-29 is a Sunday (ISO week 48); the snapshot of 12-01 holds
	// data as of November.
	seedRealRows(t, c.db, "hf-text-raw",
		[]string{"2026-11-28T10:00:00Z", "2026-11-29T10:00:00Z", "2026-11-29T22:00:00Z", "2026-11-30T10:00:00Z", "2026-12-01T10:00:00Z"},
		[]string{"2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z", "2026-11-29T00:00:00Z", "2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z"})
	tests := []struct {
		name    string
		args    []string
		fetched []string // day and hour of each row's fetch time
		periods []string
	}{
		{"Snapshot", nil, []string{"28T10", "29T10", "29T22", "30T10", "01T10"}, []string{"", "", "", "", ""}},
		{"Day", []string{"--every", "day"}, []string{"28T10", "29T22", "30T10", "01T10"}, []string{"2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"}},
		{"Week", []string{"--every", "week"}, []string{"29T22", "01T10"}, []string{"2026-W48", "2026-W49"}},
		{"Month", []string{"--every", "month"}, []string{"30T10", "01T10"}, []string{"2026-11", "2026-12"}},
		{"MonthAsOf", []string{"--every", "month", "--time", "asof"}, []string{"01T10"}, []string{"2026-11"}},
		{"SinceUntil", []string{"--since", "2026-11-29", "--until", "2026-11-30"}, []string{"29T10", "29T22", "30T10"}, []string{"", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := decode[historyJSON](t, c.must(append([]string{"history", "hf-text-raw", "--json"}, tt.args...)...).stdout)
			var fetched, periods []string
			for _, r := range h.Rows {
				fetched = append(fetched, r.FetchedAt.Format("02T15"))
				periods = append(periods, r.Period)
			}
			if !reflect.DeepEqual(fetched, tt.fetched) || !reflect.DeepEqual(periods, tt.periods) {
				t.Errorf("rows %v %v, want %v %v", fetched, periods, tt.fetched, tt.periods)
			}
			if h.Snapshots != 5 {
				t.Errorf("snapshots %d", h.Snapshots)
			}
		})
	}
	if out := c.must("history", "hf-text-raw", "--every", "week").stdout; !strings.Contains(out, "WEEK") || !strings.Contains(out, "2026-W48") {
		t.Errorf("table:\n%s", out)
	}
}

// TestHistoryErrors checks the usage errors and the exit code of a board
// or window without snapshots.
func TestHistoryErrors(t *testing.T) {
	c := newCLI(t)
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"NoBoard", []string{"history"}, exitUsage, "exactly one BOARD"},
		{"TwoBoards", []string{"history", "hf-text-raw", "arena-text"}, exitUsage, "exactly one BOARD"},
		{"UnknownBoard", []string{"history", "no-such-board"}, exitUsage, "no-such-board"},
		{"BadEvery", []string{"history", "hf-text-raw", "--every", "hour"}, exitUsage, "--every"},
		{"BadTime", []string{"history", "hf-text-raw", "--time", "now"}, exitUsage, "--time"},
		{"BadTop", []string{"history", "hf-text-raw", "--top", "0"}, exitUsage, "--top"},
		{"BadSince", []string{"history", "hf-text-raw", "--since", "yesterday"}, exitUsage, "--since"},
		{"UntilBeforeSince", []string{"history", "hf-text-raw", "--since", "2025-02", "--until", "2025-01"}, exitUsage, "before"},
		{"UsageBoard", []string{"history", "openrouter-daily-tokens"}, exitUsage, "tokens"},
		{"NoSnapshots", []string{"history", "arena-text"}, exitNoData, "no snapshots of board arena-text"},
		{"NoneInWindow", []string{"history", "hf-text-raw", "--since", "2026-01"}, exitNoData, "none of the 10 snapshots"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d with %q", r.code, r.stderr, r.stdout, tt.code, tt.msg)
			}
		})
	}
	if r := c.must("history", "--help"); !strings.Contains(r.stdout, "Which time") || !strings.Contains(r.stdout, "--time") {
		t.Errorf("--help does not say which time:\n%s", r.stdout)
	}
}

// TestWriteHistoryJSON checks that the row-at-a-time writer prints what
// writeJSON prints for the same document, byte for byte: with the ten
// imported dates, with one row and with none.
func TestWriteHistoryJSON(t *testing.T) {
	c := newCLI(t)
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	full := decode[historyJSON](t, c.must("history", "hf-text-raw", "--json").stdout)
	for _, tt := range []struct {
		name string
		rows int
	}{{"TenDates", 10}, {"OneRow", 1}, {"NoRows", 0}} {
		t.Run(tt.name, func(t *testing.T) {
			h := full
			h.Rows = full.Rows[:tt.rows]
			var want, got bytes.Buffer
			e := &env{rawStdout: &want}
			if err := e.writeJSON(h); err != nil {
				t.Fatal(err)
			}
			if err := writeHistoryJSON(&got, h); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("row-at-a-time JSON differs:\n%s\nwant\n%s", got.String(), want.String())
			}
		})
	}
}
