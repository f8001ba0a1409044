package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/arenawatch/arenawatch/export"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// exportCLI is a CLI with the fixtures replayed into its database.
func exportCLI(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t)
	c.must("scrape", "--replay", fixtures, "--quiet")
	t.Cleanup(c.checkDB)
	return c
}

// Two small boards in each format, as golden files: a benchmark board
// with metrics and no votes, and an arena board with CIs and votes.
func TestExportGolden(t *testing.T) {
	c := exportCLI(t)
	for _, f := range []string{"csv", "jsonl", "json"} {
		t.Run(f, func(t *testing.T) {
			r := c.must("export", "aider-polyglot", "sciarena", "--format", f)
			testutil.Golden(t, filepath.Join("testdata", "export."+f+".golden"), r.stdout)
		})
	}
	t.Run("parquet", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "x.parquet")
		c.must("export", "aider-polyglot", "sciarena", "--out", out) // format from the extension
		testutil.Golden(t, filepath.Join("testdata", "export.parquet.golden"), parquetAsJSONL(t, out))
	})
	t.Run("answers", func(t *testing.T) {
		r := c.must("export", "--answers", "--format", "csv", "arena-text", "sciarena")
		testutil.Golden(t, filepath.Join("testdata", "export-answers.csv.golden"), r.stdout)
	})
}

// parquetAsJSONL reads a Parquet file back with parquet-go, one JSON object
// a line, so that a golden file shows its values.
func parquetAsJSONL(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(pf.Schema().String() + "\n")
	r := parquet.NewReader(pf)
	defer r.Close()
	for {
		row := map[string]any{}
		if err := r.Read(&row); err != nil {
			break
		}
		line, _ := json.Marshal(row)
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestExportUsage(t *testing.T) {
	c := exportCLI(t)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no format", []string{"export"}, exitUsage, "--format"},
		{"bad format", []string{"export", "--format", "xlsx"}, exitUsage, "xlsx"},
		{"parquet to a terminal", []string{"export", "--format", "parquet"}, exitUsage, "--out"},
		{"partition needs parquet", []string{"export", "--format", "csv", "--partition", "board", "--out", t.TempDir()}, exitUsage, "parquet"},
		{"partition needs a directory", []string{"export", "--format", "parquet", "--partition", "board"}, exitUsage, "--out DIR"},
		{"bad partition", []string{"export", "--format", "parquet", "--partition", "month", "--out", t.TempDir()}, exitUsage, "board,date"},
		{"origin is for answers", []string{"export", "--format", "csv", "--origin", "lineage"}, exitUsage, "--answers"},
		{"until before since", []string{"export", "--format", "csv", "--since", "2026-05", "--until", "2026-04"}, exitUsage, "before"},
		{"bad time", []string{"export", "--format", "csv", "--since", "yesterday"}, exitUsage, "--since"},
		{"unknown board", []string{"export", "no-such-board", "--format", "csv"}, exitUsage, "unknown board"},
		{"out is a directory", []string{"export", "--format", "csv", "--out", t.TempDir()}, exitUsage, "directory"},
		{"usage board has no answers", []string{"export", "openrouter-daily-tokens", "--answers", "--format", "csv"}, exitUsage, "tokens"},
		{"nothing in the window", []string{"export", "--format", "csv", "--until", "2001-01"}, exitNoData, "no snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, tt.code, tt.msg)
			}
			if r.stdout != "" && tt.code == exitUsage {
				t.Errorf("stdout on a usage error: %q", r.stdout)
			}
		})
	}
}

// Every board, every row: the JSON Lines stream to stdout has one line per
// row of every snapshot, and the CSV file the same rows.
func TestExportEverything(t *testing.T) {
	c := exportCLI(t)
	lines := strings.Split(strings.TrimSuffix(c.must("export", "--format", "jsonl", "--out", "-").stdout, "\n"), "\n")
	out := filepath.Join(t.TempDir(), "all.csv")
	c.must("export", "--out", out)
	f, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	cells, err := csv.NewReader(bytes.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 1000 || len(cells)-1 != len(lines) {
		t.Errorf("%d JSON lines, %d CSV rows; want the same number, over 1000", len(lines), len(cells)-1)
	}
	boards := map[string]bool{}
	for _, l := range lines {
		var rec export.Record
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		boards[rec.Board] = true
	}
	if len(boards) < 15 {
		t.Errorf("rows of %d boards; the fixtures have more", len(boards))
	}
	var metricCols int
	for _, h := range cells[0] {
		if strings.HasPrefix(h, export.MetricPrefix) {
			metricCols++
		}
	}
	if metricCols < 20 {
		t.Errorf("%d metric columns; the fixtures' boards have more", metricCols)
	}
}

// --answers writes the rows 'history --json' gives, with the board.
func TestExportAnswersAreHistory(t *testing.T) {
	c := exportCLI(t)
	var hist historyJSON
	if err := json.Unmarshal([]byte(c.must("history", "arena-text", "--json", "--origin", "lineage").stdout), &hist); err != nil {
		t.Fatal(err)
	}
	r := c.must("export", "arena-text", "--answers", "--format", "json", "--origin", "lineage")
	var got []export.AnswerRecord
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(hist.Rows) || len(got) == 0 {
		t.Fatalf("%d answers, history has %d rows", len(got), len(hist.Rows))
	}
	a, h := got[0], hist.Rows[0]
	if a.Board != "arena-text" || a.OriginView != "lineage" || a.BestOpenNonCN == nil || h.BestOpenNonCN == nil ||
		a.BestOpenNonCN.Model != h.BestOpenNonCN.Model || a.ChineseOpenAbove != h.ChineseOpenAbove || a.TopOpen != h.TopOpen {
		t.Errorf("answer %+v\nhistory %+v", a, h)
	}
}

// A failed export leaves the file it would have replaced as it was.
func TestExportFileIsReplacedWhole(t *testing.T) {
	c := exportCLI(t)
	out := filepath.Join(t.TempDir(), "x.jsonl")
	if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := c.run("export", "--out", out, "--until", "2001-01"); r.code != exitNoData {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "old\n" {
		t.Errorf("the old file became %q", b)
	}
	c.must("export", "sciarena", "--out", out)
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), `{"board":"sciarena"`) {
		t.Errorf("new file starts %q", b[:min(len(b), 40)])
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("%d files beside the export, want none left over", len(entries)-1)
	}
}
