package main

import (
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestExportImportRoundTrip: every board of the fixtures (replayed), ten
// dates of LMArena's dataset (imported) and the community archive
// (imported from CSV) are exported, imported into an empty database, and
// exported again: the rows are the same but for the obtained column,
// which the import sets to "imported". The snapshot ids (board and exact
// fetch time) are the same. A second import stores nothing, nor does an
// import into the database the export came from.
func TestExportImportRoundTrip(t *testing.T) {
	c1 := newCLI(t)
	defer c1.checkDB()
	c1.must("scrape", "--replay", fixtures, "--quiet")
	c1.must("import", "hf-leaderboard", "hf-text-raw", "--from", hfFull, "--quiet")
	c1.must("import", "csv", archiveCSV, "--board", "arena-text-raw", "--quiet")
	tests := []struct {
		name, format, out string
		partition         bool
	}{
		{"CSV", "csv", "e.csv", false},
		{"JSONL", "jsonl", "e.jsonl", false},
		{"Parquet", "parquet", "e.parquet", false},
		{"HiveDataset", "parquet", "dataset", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			export := func(c *cli, out string) []map[string]string {
				args := []string{"export", "--format", tt.format, "--out", out}
				if tt.partition {
					args = append(args, "--partition", "board,date")
				}
				c.must(args...)
				return readExport(t, out, tt.format)
			}
			c2 := newCLI(t)
			defer c2.checkDB()
			out1 := filepath.Join(t.TempDir(), tt.out)
			rows1 := export(c1, out1)
			sum := decode[importJSON](t, c2.must("import", "export", out1, "--json").stdout)
			stored := 0
			for _, b := range sum.Boards {
				stored += b.Stored
			}
			rows2 := export(c2, filepath.Join(t.TempDir(), tt.out))
			if len(rows1) < 3000 || len(rows1) != len(rows2) || stored != 32 {
				t.Fatalf("%d rows exported, %d after the round trip, %d snapshots stored", len(rows1), len(rows2), stored)
			}
			diffs := 0
			for i := range rows1 {
				if o := strings.Trim(rows2[i]["obtained"], `"`); o != "imported" {
					t.Fatalf("row %d obtained %q after an import", i, rows2[i]["obtained"])
				}
				for k, v := range rows1[i] {
					if k != "obtained" && rows2[i][k] != v && diffs < 10 {
						diffs++
						t.Errorf("row %d (%s, %s) %s: %q, then %q", i, rows1[i]["snapshot_id"], rows1[i]["model"], k, v, rows2[i][k])
					}
				}
				if len(rows1[i]) != len(rows2[i]) {
					t.Fatalf("row %d has %d columns, then %d", i, len(rows1[i]), len(rows2[i]))
				}
			}
			again := []*cli{c2}
			if tt.format == "jsonl" {
				again = append(again, c1) // the database the export came from
			}
			for _, c := range again {
				for _, b := range decode[importJSON](t, c.must("import", "export", out1, "--json").stdout).Boards {
					if b.Stored != 0 || b.Unchanged != b.Dates {
						t.Errorf("import again: %s stored %d of %d", b.Board, b.Stored, b.Dates)
					}
				}
			}
		})
	}
}

// readExport reads an export as rows of text cells by column name (a
// JSON Lines value as its JSON text), in file order; a dataset's files in
// path order, with the board its directory names.
func readExport(t *testing.T, path, format string) []map[string]string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, "."+format) {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: %d files (%v)", path, len(files), err)
	}
	var rows []map[string]string
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got []map[string]string
		switch format {
		case "csv":
			got = readCSVRows(t, body)
		case "jsonl":
			got = readJSONLRows(t, body)
		case "parquet":
			got = readParquetRows(t, body)
		}
		for _, r := range got {
			if b, ok := strings.CutPrefix(filepath.Base(filepath.Dir(filepath.Dir(f))), "board="); ok {
				r["board"] = b
			}
		}
		rows = append(rows, got...)
	}
	return rows
}

func readCSVRows(t *testing.T, body []byte) []map[string]string {
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		r := map[string]string{}
		for i, h := range recs[0] {
			r[h] = rec[i]
		}
		rows = append(rows, r)
	}
	return rows
}

func readJSONLRows(t *testing.T, body []byte) []map[string]string {
	var rows []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatal(err)
		}
		r := map[string]string{}
		for k, v := range obj {
			r[k] = string(v)
		}
		rows = append(rows, r)
	}
	return rows
}

func readParquetRows(t *testing.T, body []byte) []map[string]string {
	f, err := parquet.OpenFile(strings.NewReader(string(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	cols := f.Schema().Columns()
	var rows []map[string]string
	for _, rg := range f.RowGroups() {
		rr := rg.Rows()
		buf := make([]parquet.Row, 100)
		for {
			n, err := rr.ReadRows(buf)
			for _, row := range buf[:n] {
				r := map[string]string{}
				for _, v := range row {
					s := v.String()
					if v.IsNull() {
						s = "<null>"
					}
					r[strings.Join(cols[v.Column()], ".")] = s
				}
				rows = append(rows, r)
			}
			if err != nil {
				break
			}
		}
		rr.Close()
	}
	return rows
}
