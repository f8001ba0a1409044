package main

import (
	"strings"
	"testing"
	"time"
)

// TestStreaksImported reads the streaks of the ten imported dates of
// LMArena's text board. The leaders by date, from 'history' (the rows the
// expectations are worked out from):
//
//	2024-06-19  Nemotron-4-340B-Instruct (US)          best non-CN open #1
//	2024-08-14  Meta-Llama-3.1-405b-Instruct (US)      #1
//	2024-10-16  Meta-Llama-3.1-405b-Instruct-fp8 (US)  #1
//	2024-12-20  Athene-v2-Chat-72B (US)                #1
//	2025-02-18  DeepSeek-R1 (CN)                       #4
//	2025-04-06  DeepSeek-V3-0324 (CN)                  #3
//	2025-05-23  DeepSeek-V3-0324 (CN)                  #3
//	2025-06-25  DeepSeek-R1-0528 (CN)                  #7
//	2025-07-27  DeepSeek-R1-0528 (CN)                  #9
//	2025-08-04  GLM-4.5 (CN)                           #12
//
// So: GLM-4.5 leads since 2025-08-04 (0 days, 1 snapshot); China since
// 2025-02-18 (167 days to 2025-08-04, 6 snapshots); the longest model run
// is DeepSeek-V3-0324's, 2025-04-06 until 2025-06-25 (80 days); the
// longest country run the US's, 2024-06-19 until 2025-02-18 (244 days).
func TestStreaksImported(t *testing.T) {
	c := newCLI(t)
	defer c.checkDB()
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")

	// The table above is what 'history' says.
	h := decode[historyJSON](t, c.must("history", "hf-text-raw", "--json").stdout)
	var lines []string
	for _, r := range h.Rows {
		lines = append(lines, r.FetchedAt.Format(time.DateOnly)+" "+r.LeadingOpen.Model+" "+r.LeadingOpen.Country)
	}
	if lines[4] != "2025-02-18 DeepSeek-R1 CN" || lines[9] != "2025-08-04 GLM-4.5 CN" || h.Rows[3].LeadingOpen.Country != "US" ||
		h.Rows[9].BestOpenNonCN.OpenPosition != 12 || h.Rows[8].BestOpenNonCN.OpenPosition != 9 || h.Rows[7].BestOpenNonCN.OpenPosition != 7 {
		t.Fatalf("history:\n%s", strings.Join(lines, "\n"))
	}

	date := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.Format(time.DateOnly)
	}
	tests := []struct {
		name string
		args []string
		// belowSince and lastWithin are dates, "" for null.
		belowSince, lastWithin string
		belowSnapshots         int
	}{
		// #12 on 2025-08-04 is below 10; #9 on 2025-07-27 was not.
		{"Below10", nil, "2025-08-04", "2025-07-27", 1},
		// Below 8: #9 and #12; #7 on 2025-06-25 was within.
		{"Below8", []string{"--below", "8"}, "2025-07-27", "2025-06-25", 2},
		{"Within12", []string{"--below", "12"}, "", "2025-08-04", 0},
		// Below 3: #7, #9 and #12 from 2025-06-25; #3 on 2025-05-23 was
		// within (an imported snapshot's as-of date is its publish date).
		{"Below3", []string{"--below", "3", "--time", "asof"}, "2025-06-25", "2025-05-23", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decode[streaksJSON](t, c.must(append([]string{"streaks", "hf-text-raw", "--json"}, tt.args...)...).stdout)
			m, cn := s.Model, s.Country
			if m == nil || m.Model != "GLM-4.5" || date(&m.Since) != "2025-08-04" || m.Days != 0 || m.Snapshots != 1 || !m.Current {
				t.Errorf("leading model run %+v", m)
			}
			if cn == nil || cn.Country != "CN" || date(&cn.Since) != "2025-02-18" || cn.Days != 167 || cn.Snapshots != 6 || cn.Model != "DeepSeek-R1" {
				t.Errorf("leading country run %+v", cn)
			}
			lm, lc := s.LongestModels[0], s.LongestCountries[0]
			if lm.Model != "DeepSeek-V3-0324" || date(&lm.Since) != "2025-04-06" || date(&lm.Until) != "2025-06-25" || lm.Days != 80 || lm.Current {
				t.Errorf("longest model run %+v", lm)
			}
			if lc.Country != "US" || date(&lc.Since) != "2024-06-19" || date(&lc.Until) != "2025-02-18" || lc.Days != 244 || lc.Snapshots != 4 {
				t.Errorf("longest country run %+v", lc)
			}
			b := s.Below
			if date(b.Since) != tt.belowSince || date(b.LastWithin) != tt.lastWithin || b.Snapshots != tt.belowSnapshots || b.IsBelow != (tt.belowSince != "") {
				t.Errorf("below: %+v since %s last within %s", b, date(b.Since), date(b.LastWithin))
			}
			if s.Snapshots != 10 || len(s.LongestModels) != 3 {
				t.Errorf("%d snapshots, %d longest runs", s.Snapshots, len(s.LongestModels))
			}
		})
	}
	out := c.must("streaks", "hf-text-raw").stdout
	for _, want := range []string{"GLM-4.5 (Z.ai, CN) since 2025-08-04 00:00", "CN since 2025-02-18 00:00: 167 days", "below open #10 since 2025-08-04", "(current)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestStreaksErrors checks the usage errors and the exit code of a board
// without snapshots.
func TestStreaksErrors(t *testing.T) {
	c := newCLI(t)
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"NoBoard", []string{"streaks"}, exitUsage, "exactly one BOARD"},
		{"BadTime", []string{"streaks", "hf-text-raw", "--time", "now"}, exitUsage, "--time"},
		{"BadBelow", []string{"streaks", "hf-text-raw", "--below", "0"}, exitUsage, "--below"},
		{"BadLongest", []string{"streaks", "hf-text-raw", "--longest", "-1"}, exitUsage, "--longest"},
		{"BadOrigin", []string{"streaks", "hf-text-raw", "--origin", "moon"}, exitUsage, "--origin"},
		{"UsageBoard", []string{"streaks", "openrouter-daily-tokens"}, exitUsage, "tokens"},
		{"NoSnapshots", []string{"streaks", "arena-text"}, exitNoData, "no snapshots of board arena-text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d with %q", r.code, r.stderr, r.stdout, tt.code, tt.msg)
			}
		})
	}
	if r := c.must("streaks", "--help"); !strings.Contains(r.stdout, "Which time") || !strings.Contains(r.stdout, "--below") {
		t.Errorf("--help:\n%s", r.stdout)
	}
}
