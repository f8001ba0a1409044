package site

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

// day0 is the first day of the test databases.
var day0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// The hostile names: markup, and a right-to-left override that would
// show "exe.txt" as "txt.exe".
const (
	scriptName = "<script>alert(1)</script>"
	bidiName   = "evil\u202Etxt.exe"
)

// row is a test row: an open model of a known organization and licence.
func row(model, org, lic string, score float64) arenawatch.Row {
	return arenawatch.Row{Model: model, Organization: arenawatch.Str(org), License: arenawatch.Str(lic), Score: score,
		ScoreLower: arenawatch.Float(score - 5), ScoreUpper: arenawatch.Float(score + 5)}
}

// rows are a board's rows: two Chinese open models, the hostile names
// (Google's, open, so that they are answers), a closed one, and filler
// so that the board has its minimum.
func rows(extra float64) []arenawatch.Row {
	rs := []arenawatch.Row{
		row("glm-4.6", "Z.ai", "MIT", 1400+extra),
		row("deepseek-v3.2", "DeepSeek", "MIT", 1390),
		row(scriptName, "Google", "Apache 2.0", 1380),
		row(bidiName, "Google", "Apache 2.0", 1370),
		row("gpt-5", "OpenAI", "Proprietary", 1450),
	}
	for i := range 20 {
		rs = append(rs, row("filler-"+string(rune('a'+i)), "Meta", "Llama 3.1", 1200-float64(i)))
	}
	return rs
}

// snap is a snapshot of board fetched at t.
func snap(board string, t time.Time, rs []arenawatch.Row) *arenawatch.Snapshot {
	s := &arenawatch.Snapshot{Board: board, FetchedAt: t, AsOf: t.Add(-24 * time.Hour), Origin: arenawatch.OriginScraped,
		URL: "https://example.test/" + board, Status: 200, Rows: rs}
	s.ContentHash = s.ComputeContentHash()
	return s
}

// testDB writes a database of three boards: arena-text fresh with three
// changing snapshots, arena-webdev whose latest read failed, and
// openlm-arena whose one snapshot is 20 days old (stale). It returns the
// path and the boards.
func testDB(t *testing.T) (string, arenawatch.Boards) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "aw.db")
	now := day0
	db, err := store.Open(path, store.Options{Timeout: time.Second, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	save := func(s *arenawatch.Snapshot) {
		t.Helper()
		now = s.FetchedAt
		if _, err := db.Save(ctx, s, nil); err != nil {
			t.Fatal(err)
		}
	}
	save(snap("openlm-arena", day0, rows(0)))
	for i := range 3 {
		save(snap("arena-text", day0.Add(time.Duration(17+i)*24*time.Hour), rows(float64(i))))
	}
	save(snap("arena-webdev", day0.Add(19*24*time.Hour), rows(0)))
	if err := db.RecordFailure(ctx, "arena-webdev", day0.Add(20*24*time.Hour), arenawatch.KindBlocked, "https://example.test/", "blocked: <b>Just a moment...</b>"); err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
	bs, err := source.Builtin().Select([]string{"arena-text", "arena-webdev", "openlm-arena"})
	if err != nil {
		t.Fatal(err)
	}
	return path, bs
}

// load reads the test database.
func load(t *testing.T, path string, bs arenawatch.Boards) *Site {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := Load(db, bs, LoadOptions{Catalog: ranking.Embedded()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// svgChart draws a placeholder SVG naming the chart, and nothing for the
// share chart, as a chart without data would.
func svgChart(w io.Writer, kind string, b *Board, s *Site, width, height int) (string, error) {
	if kind == "share" {
		return "", arenawatch.Errorf(arenawatch.KindNotFound, "no open top list")
	}
	_, err := io.WriteString(w, `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>`+kind+`</title></svg>`)
	return "", err
}

// files returns the rendered files by path.
func files(t *testing.T, s *Site, opt Options) map[string]string {
	t.Helper()
	fs, err := Render(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fs {
		out[f.Path] = string(f.Data)
	}
	return out
}

func TestStatus(t *testing.T) {
	path, bs := testDB(t)
	s := load(t, path, bs)
	if want := day0.Add(20 * 24 * time.Hour); !s.AsOf.Equal(want) {
		t.Errorf("AsOf %s, want the failed run's time %s", s.AsOf, want)
	}
	want := map[string]Status{"arena-text": Fresh, "arena-webdev": Failing, "openlm-arena": Stale}
	for _, b := range s.Boards {
		if b.Status != want[b.ID] {
			t.Errorf("%s: %s, want %s", b.ID, b.Status, want[b.ID])
		}
	}
	idx := files(t, s, Options{})["index.html"]
	for _, w := range []string{`status-failing`, `blocked: &lt;b&gt;Just a moment...&lt;/b&gt;`, `No new data for 20 days (stale after 14 days`} {
		if !strings.Contains(idx, w) {
			t.Errorf("index lacks %q", w)
		}
	}
}

func TestStaleAfter(t *testing.T) {
	at := func(hours ...int) []store.SnapshotInfo {
		var in []store.SnapshotInfo
		for _, h := range hours {
			in = append(in, store.SnapshotInfo{FetchedAt: day0.Add(time.Duration(h) * time.Hour)})
		}
		return in
	}
	tests := []struct {
		name  string
		infos []store.SnapshotInfo
		want  time.Duration
	}{
		{"OneSnapshot", at(0), DefaultStale},
		{"TwoSnapshots", at(0, 24), DefaultStale},
		{"DailyIsAtLeastMin", at(0, 24, 48, 72), MinStale},
		{"MonthlyIsThreeMonths", at(0, 720, 1440, 2160), 3 * 720 * time.Hour},
		{"MedianNotMean", at(0, 240, 480, 481, 482), 3 * 240 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := staleAfter(tt.infos); got != tt.want {
				t.Errorf("staleAfter = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHostileNamesEscaped(t *testing.T) {
	path, bs := testDB(t)
	fs := files(t, load(t, path, bs), Options{Chart: svgChart})
	page := fs["boards/arena-text.html"]
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, `evil\u202etxt.exe`) {
		t.Errorf("the hostile names are not shown escaped on the board page")
	}
	for p, data := range fs {
		if strings.Contains(data, scriptName) {
			t.Errorf("%s: the model name came out as markup", p)
		}
		if strings.ContainsRune(data, '\u202E') {
			t.Errorf("%s: a bidi override came out as it is", p)
		}
	}
}

func TestDeterministic(t *testing.T) {
	path, bs := testDB(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := Build(load(t, path, bs), dir, Options{Chart: svgChart}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of one database", rel)
		}
		n++
		return nil
	})
	if err != nil || n != 2+2+3*(1+3) {
		t.Errorf("walked %d files (%v), want css, js, index, about and per board a page and 3 charts", n, err)
	}
}

func TestChartSlots(t *testing.T) {
	path, bs := testDB(t)
	fs := files(t, load(t, path, bs), Options{Chart: svgChart})
	page := fs["boards/arena-text.html"]
	for _, w := range []string{`<img src="arena-text-position.svg" alt="Line chart of arena-text over 3 snapshots`, `Nothing to draw: no open top list`} {
		if !strings.Contains(page, w) {
			t.Errorf("board page lacks %q", w)
		}
	}
	if _, ok := fs["boards/arena-text-gap.svg"]; !ok {
		t.Error("no gap chart file")
	}
	if _, ok := fs["boards/arena-text-share.svg"]; ok {
		t.Error("a chart with nothing to draw was written")
	}
}
