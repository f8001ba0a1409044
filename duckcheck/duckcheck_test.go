package duckcheck

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// cli builds the arenawatch command of the main module (cgo off, as
// released) into a temporary directory and returns a function that runs
// it on db.
func cli(t *testing.T, db string) func(args ...string) []byte {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "arenawatch")
	build := exec.Command("go", "build", "-C", "..", "-o", bin, "./cmd/arenawatch")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build arenawatch: %v\n%s", err, out)
	}
	home := t.TempDir() // no config, cache or default database of the user's
	return func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--db", db}, args...)...)
		cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_CACHE_HOME=" + home, "PATH=" + os.Getenv("PATH")}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("arenawatch %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.Bytes()
	}
}

// modelRef and boardReport are the parts of 'report --json' compared.
type modelRef struct {
	Model        string `json:"model"`
	Rank         int    `json:"rank"`
	OpenPosition int    `json:"open_position"`
}

type boardReport struct {
	Board            string    `json:"board"`
	SnapshotID       string    // filled from the export
	LeadingOpen      *modelRef `json:"leading_open"`
	BestOpenNonCN    *modelRef `json:"best_open_non_chinese"`
	ChineseOpenAbove int       `json:"chinese_open_above"`
}

// headlineSQL answers every board's latest snapshot from the dataset, as
// 'report' does in the developer view: the leading open model is the open
// row with the highest score (ties: better rank); the best open
// non-Chinese model the same among open rows whose country is known and
// not CN, with its position among open models (1 + open rows scoring
// higher) and the Chinese open rows scoring higher.
const headlineSQL = `
WITH d AS (SELECT * FROM read_parquet(?, hive_partitioning = true)),
cur AS (SELECT * FROM d WHERE fetched_at = (SELECT max(fetched_at) FROM d AS l WHERE l.board = d.board)),
lead AS (SELECT board, model, row_number() OVER (PARTITION BY board ORDER BY score DESC, rank) AS n FROM cur WHERE open),
best AS (SELECT board, model, rank, score, row_number() OVER (PARTITION BY board ORDER BY score DESC, rank) AS n
         FROM cur WHERE open AND country IS NOT NULL AND country <> 'CN')
SELECT b.board, any_value(c.snapshot_id),
       (SELECT model FROM lead WHERE lead.board = b.board AND n = 1),
       (SELECT model FROM best WHERE best.board = b.board AND n = 1),
       (SELECT rank FROM best WHERE best.board = b.board AND n = 1),
       1 + (SELECT count(*) FROM cur o WHERE o.board = b.board AND o.open
            AND o.score > (SELECT score FROM best WHERE best.board = b.board AND n = 1)),
       (SELECT count(*) FROM cur o WHERE o.board = b.board AND o.open AND o.country = 'CN'
            AND o.score > coalesce((SELECT score FROM best WHERE best.board = b.board AND n = 1), '-infinity'::DOUBLE))
FROM (SELECT DISTINCT board FROM cur) AS b JOIN cur AS c ON c.board = b.board
GROUP BY b.board ORDER BY b.board`

func TestDuckDBAnswersLikeReport(t *testing.T) {
	dir := t.TempDir()
	run := cli(t, filepath.Join(dir, "aw.db"))
	run("scrape", "--replay", filepath.Join("..", "fixtures"), "--quiet")
	data := filepath.Join(dir, "dataset")
	run("export", "--format", "parquet", "--partition", "board,date", "--out", data)

	var rep struct {
		Boards []boardReport `json:"boards"`
	}
	if err := json.Unmarshal(run("report", "--json"), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]boardReport{}
	for _, b := range rep.Boards {
		want[b.Board] = b
	}

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkTypes(t, db, data)

	rows, err := db.Query(headlineSQL, filepath.Join(data, "**", "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]boardReport{}
	for rows.Next() {
		var b boardReport
		var lead, best sql.NullString
		var rank, pos sql.NullInt64
		if err := rows.Scan(&b.Board, &b.SnapshotID, &lead, &best, &rank, &pos, &b.ChineseOpenAbove); err != nil {
			t.Fatal(err)
		}
		if lead.Valid {
			b.LeadingOpen = &modelRef{Model: lead.String}
		}
		if best.Valid {
			b.BestOpenNonCN = &modelRef{Model: best.String, Rank: int(rank.Int64), OpenPosition: int(pos.Int64)}
		}
		got[b.Board] = b
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) < 10 {
		t.Fatalf("report answered %d boards; the fixtures have more", len(want))
	}
	for board, w := range want {
		t.Run(board, func(t *testing.T) { compare(t, got[board], w) })
	}
}

// compare checks DuckDB's answer against the report's.
func compare(t *testing.T, got, want boardReport) {
	if got.Board == "" {
		t.Fatalf("the dataset has no rows of %s", want.Board)
	}
	model := func(m *modelRef) string {
		if m == nil {
			return "none"
		}
		return m.Model
	}
	if model(got.LeadingOpen) != model(want.LeadingOpen) {
		t.Errorf("leading open: DuckDB %s, report %s", model(got.LeadingOpen), model(want.LeadingOpen))
	}
	g, w := got.BestOpenNonCN, want.BestOpenNonCN
	if model(g) != model(w) || (g != nil && w != nil && (g.Rank != w.Rank || g.OpenPosition != w.OpenPosition)) {
		t.Errorf("best open non-Chinese: DuckDB %+v, report %+v", g, w)
	}
	if got.ChineseOpenAbove != want.ChineseOpenAbove {
		t.Errorf("Chinese open above: DuckDB %d, report %d", got.ChineseOpenAbove, want.ChineseOpenAbove)
	}
}

// checkTypes checks that DuckDB reads the columns with their real types:
// timestamps, booleans, integers, and the partition directories as board
// and date.
func checkTypes(t *testing.T, db *sql.DB, data string) {
	t.Helper()
	rows, err := db.Query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = true))`,
		filepath.Join(data, "**", "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		types[name] = typ
	}
	for col, want := range map[string]string{
		"fetched_at": "TIMESTAMP WITH TIME ZONE", "as_of": "TIMESTAMP WITH TIME ZONE", "open": "BOOLEAN",
		"rank": "BIGINT", "score": "DOUBLE", "votes": "BIGINT", "model": "VARCHAR",
		"board": "VARCHAR", "date": "DATE", "metric_win_rate": "DOUBLE",
	} {
		if types[col] != want {
			t.Errorf("column %s: DuckDB reads %q, want %s", col, types[col], want)
		}
	}
}

// The README's DuckDB example, run on the fixtures; go test -v -run
// README shows its output.
func TestREADMEExample(t *testing.T) {
	dir := t.TempDir()
	run := cli(t, filepath.Join(dir, "aw.db"))
	run("scrape", "--replay", filepath.Join("..", "fixtures"), "--quiet", "arena-text")
	data := filepath.Join(dir, "arenawatch-data")
	run("export", "--format", "parquet", "--partition", "board,date", "--out", data)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT rank, name, organization, country, license
		FROM read_parquet(?, hive_partitioning = true)
		WHERE board = 'arena-text' AND open AND country <> 'CN'
		ORDER BY fetched_at DESC, rank LIMIT 3`, filepath.Join(data, "**", "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var rank int
		var name, org, country string
		var license sql.NullString
		if err := rows.Scan(&rank, &name, &org, &country, &license); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d  %s  %s  %s  %s", rank, name, org, country, license.String)
		n++
	}
	if err := rows.Err(); err != nil || n != 3 {
		t.Fatalf("%d rows, err %v; want 3", n, err)
	}
}
