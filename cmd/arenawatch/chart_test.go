package main

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/chart"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/store"
)

// chartCLI is a database with every default board replayed from the
// fixtures and LMArena's imported text history (ten publish dates).
func chartCLI(t *testing.T) *cli {
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet")
	c.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	return c
}

// TestChartSeriesGolden keeps the data behind each chart in golden files
// (go test -update rewrites them): the replayed boards, and the imported
// history for the charts over time.
func TestChartSeriesGolden(t *testing.T) {
	c := chartCLI(t)
	defer c.checkDB()
	tests := []struct {
		name string
		args []string
	}{
		{"position-replayed", []string{"position", "arena-text", "arena-text-raw", "arena-webdev"}},
		{"position-imported-monthly", []string{"position", "hf-text-raw", "--every", "month"}},
		{"share-imported", []string{"share", "hf-text-raw"}},
		{"share-imported-top20-lineage", []string{"share", "hf-text-raw", "--top", "20", "--origin", "lineage", "--since", "2025-01"}},
		{"gap-imported", []string{"gap", "hf-text-raw"}},
		{"gap-replayed-no-intervals", []string{"gap", "openlm-arena"}},
		{"board-replayed", []string{"board", "arena-text-raw", "--top", "10"}},
		{"board-imported-at-family", []string{"board", "hf-text-raw", "--at", "2025-02-18", "--by", "family", "--top", "5"}},
		{"usage-replayed", []string{"usage"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := c.must(append([]string{"chart", "--json"}, tt.args...)...).stdout
			ch := decode[chart.Chart](t, out)
			if ch.Caption == "" || ch.Title == "" || !strings.Contains(ch.Caption, "catalog ") {
				t.Errorf("no title or caption: %+v", ch)
			}
			testutil.Golden(t, "testdata/chart/"+tt.name+".json", out)
		})
	}
}

// TestChartFiles draws each kind to a file and reads it back.
func TestChartFiles(t *testing.T) {
	c := chartCLI(t)
	defer c.checkDB()
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
	}{
		{"position.png", []string{"position"}},
		{"share.svg", []string{"share", "hf-text-raw"}},
		{"gap.png", []string{"gap", "hf-text-raw", "--width", "600", "--height", "600"}},
		{"board.svg", []string{"board", "arena-text"}},
		{"usage.png", []string{"usage", "openrouter-daily-tokens"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			r := c.must(append([]string{"chart", "--out", path}, tt.args...)...)
			if r.stdout != "" || r.stderr != "" {
				t.Errorf("not quiet off a terminal: %q %q", r.stdout, r.stderr)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tt.name, ".svg") {
				dec := xml.NewDecoder(bytes.NewReader(b))
				for {
					if _, err := dec.Token(); err != nil {
						if err.Error() != "EOF" {
							t.Fatalf("not well-formed: %v", err)
						}
						break
					}
				}
				if !bytes.Contains(b, []byte(`width="1200" height="700"`)) || !bytes.Contains(b, []byte("<title>")) {
					t.Error("SVG without its size in pixels or its title")
				}
				return
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			w, h := 1200, 700
			if tt.name == "gap.png" {
				w, h = 600, 600
			}
			if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
				t.Errorf("size %v, want %dx%d", img.Bounds(), w, h)
			}
		})
	}
	r := c.run("chart", "board", "arena-text", "--out", filepath.Join(dir, "missing", "c.svg"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "cannot write the chart") {
		t.Errorf("--out in a missing directory: exit %d, %q", r.code, r.stderr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(tests) {
		t.Errorf("%d files in the output directory, want %d (a temporary file left behind?)", len(entries), len(tests))
	}
}

func TestChartErrors(t *testing.T) {
	c := newCLI(t)
	db, err := store.Open(c.db, store.Options{Timeout: time.Second}) // an empty database
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	defer c.checkDB()
	out := filepath.Join(t.TempDir(), "c.svg")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"NoKind", []string{"chart", "--out", out}, exitUsage, "name a KIND"},
		{"UnknownKind", []string{"chart", "pie", "--out", out}, exitUsage, `unknown chart "pie"`},
		{"NoOut", []string{"chart", "position"}, exitUsage, "--out FILE.svg"},
		{"BadExtension", []string{"chart", "position", "--out", "c.jpg"}, exitUsage, "cannot tell the format"},
		{"Width", []string{"chart", "position", "--out", out, "--width", "50"}, exitUsage, "--width 50"},
		{"ShareNeedsBoard", []string{"chart", "share", "--out", out}, exitUsage, "draws one BOARD"},
		{"TwoBoards", []string{"chart", "gap", "arena-text", "arena-webdev", "--out", out}, exitUsage, "draws one BOARD, got 2"},
		{"UsageOfRanked", []string{"chart", "usage", "arena-text", "--out", out}, exitUsage, "does not count tokens"},
		{"RankedOfUsage", []string{"chart", "share", "openrouter-daily-tokens", "--out", out}, exitUsage, "counts tokens"},
		{"AtOverTime", []string{"chart", "share", "arena-text", "--at", "2026-01", "--out", out}, exitUsage, "--at is for 'chart board'"},
		{"BadSince", []string{"chart", "share", "arena-text", "--since", "yesterday", "--out", out}, exitUsage, "--since"},
		{"UnknownBoard", []string{"chart", "board", "nope", "--out", out}, exitUsage, "nope"},
		{"NoData", []string{"chart", "board", "arena-text", "--out", out}, exitNoData, "no snapshot"},
		{"NoDataAtAll", []string{"chart", "position", "--out", out}, exitNoData, "no board with data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d with %q", r.code, r.stderr, tt.code, tt.msg)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed chart left a file")
			}
		})
	}
}
