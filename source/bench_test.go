package source

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

// Benchmarks for the extractors and the whole replay scrape. Figures are
// recorded in docs/benchmarks.md; run with
//
//	go test ./source -run '^$' -bench . -benchmem

func BenchmarkExtractArena(b *testing.B) {
	page := testutil.Fixture(b, arenaTextFixture)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractArena(page, ArenaSelector{"text", "overall", "style_control"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractArenaLive5MB pads the fixture's payload with text rows
// to the ~5 MB a live arena.ai page weighs.
func BenchmarkExtractArenaLive5MB(b *testing.B) {
	stream, _, err := FlightStream(testutil.Fixture(b, arenaTextFixture))
	if err != nil {
		b.Fatal(err)
	}
	var pad strings.Builder
	chunk := strings.Repeat("lorem ipsum dolor sit amet ", 400)
	for i := 0; pad.Len() < 4<<20; i++ {
		pad.WriteString(hexLen(0x1000 + i))
		pad.WriteString(":T")
		pad.WriteString(hexLen(len(chunk)))
		pad.WriteString(",")
		pad.WriteString(chunk)
	}
	page := testutil.FlightPage(b, pad.String()+stream, 2048, "")
	b.SetBytes(int64(len(page)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := ExtractArena(page, ArenaSelector{"text", "overall", "style_control"}); err != nil {
			b.Fatal(err)
		}
	}
}

func hexLen(n int) string {
	const digits = "0123456789abcdef"
	var out []byte
	for n > 0 {
		out = append([]byte{digits[n%16]}, out...)
		n /= 16
	}
	return string(out)
}

func BenchmarkExtractArenaTable(b *testing.B) {
	page := withoutFlight(testutil.Fixture(b, arenaTextFixture))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractArena(page, ArenaSelector{"text", "overall", "style_control"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractOpenLM(b *testing.B) {
	page := testutil.Fixture(b, openlmFixture)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractOpenLM(page); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractDesignArena(b *testing.B) {
	lb, reg := testutil.Fixture(b, daBoardFixture), testutil.Fixture(b, daRegFixture)
	b.SetBytes(int64(len(lb) + len(reg)))
	for b.Loop() {
		if _, err := ExtractDesignArena(lb, reg, "models", "website"); err != nil {
			b.Fatal(err)
		}
	}
}

// Side-by-side benchmarks: each reader against the standard-library parse
// of the same bytes (html.Parse for HTML pages, encoding/csv for CSV), in
// one run, so the ratio holds even on a busy machine. Run with
//
//	go test ./source -run '^$' -bench 'Side' -benchmem -count 5
//
// and see bench/README.md for the Python peer of BenchmarkSideFlight.
// ARENAWATCH_BENCH_PAGE=FILE makes BenchmarkSideFlight write the 5 MB
// page it reads to FILE, for bench/flight_peer.py.

// liveSizedPage builds an arena.ai page of at least size bytes from the
// repository's real fixture pages: the text board's page
// (arena.ai/leaderboard/text/index.html, board text/overall with style
// control) with, inserted before its closing </body>, the body content
// (server-rendered tables, icons and flight scripts) of the overview page
// (arena.ai/leaderboard/index.html, every arena's board object) and of
// each text category page (arena.ai/leaderboard/text/*/index.html, in
// name order), repeated in that order until the page reaches size. Like
// the live page, it is one document whose flight payload carries many
// board objects, the asked-for one among them, and whose markup renders
// tables of them.
func liveSizedPage(b testing.TB, size int) []byte {
	b.Helper()
	base := testutil.Fixture(b, arenaTextFixture)
	end := bytes.LastIndex(base, []byte("</body>"))
	if end < 0 {
		b.Fatal("text fixture has no </body>")
	}
	names := []string{"arena.ai/leaderboard/index.html"}
	dirs, err := os.ReadDir(filepath.Join(testutil.FixturesDir(), "arena.ai", "leaderboard", "text"))
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() {
			names = append(names, "arena.ai/leaderboard/text/"+d.Name()+"/index.html")
		}
	}
	var bodies [][]byte
	for _, n := range names {
		p := testutil.Fixture(b, n)
		open := bytes.Index(p, []byte("<body"))
		close := bytes.LastIndex(p, []byte("</body>"))
		if open < 0 || close < open {
			b.Fatalf("%s: no <body>…</body>", n)
		}
		open += bytes.IndexByte(p[open:], '>') + 1
		bodies = append(bodies, p[open:close])
	}
	out := append([]byte(nil), base[:end]...)
	for i := 0; len(out)+len(base)-end < size; i++ {
		out = append(out, bodies[i%len(bodies)]...)
	}
	return append(out, base[end:]...)
}

var textOverall = ArenaSelector{"text", "overall", "style_control"}

// sideBySide runs each named function as a sub-benchmark over the same
// input, reporting allocations and throughput.
func sideBySide(b *testing.B, input []byte, fns ...any) {
	for i := 0; i < len(fns); i += 2 {
		name, fn := fns[i].(string), fns[i+1].(func() error)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func htmlParse(page []byte) func() error {
	return func() error { _, err := html.Parse(bytes.NewReader(page)); return err }
}

// csvReadAll reads table with encoding/csv, lines of any width (LiveBench's
// lines may end early).
func csvReadAll(table []byte) func() error {
	return func() error {
		rd := csv.NewReader(bytes.NewReader(table))
		rd.FieldsPerRecord = -1
		_, err := rd.ReadAll()
		return err
	}
}

// BenchmarkSideFlight: the flight-payload reader (ExtractArena on the
// flight path, and its two stages) on a 5 MB page against html.Parse of
// the same bytes.
func BenchmarkSideFlight(b *testing.B) {
	page := liveSizedPage(b, 5<<20)
	if out := os.Getenv("ARENAWATCH_BENCH_PAGE"); out != "" {
		if err := os.WriteFile(out, page, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	stream, _, err := FlightStream(page)
	if err != nil {
		b.Fatal(err)
	}
	sideBySide(b, page,
		"html.Parse", htmlParse(page),
		"ExtractArena", func() error { _, err := ExtractArena(page, textOverall); return err },
		"FlightStream", func() error { _, _, err := FlightStream(page); return err },
		"arenaFromFlight", func() error { _, err := arenaFromFlight(stream, textOverall); return err },
	)
}

// BenchmarkSideHTML: the HTML table readers against html.Parse of the same
// page.
func BenchmarkSideHTML(b *testing.B) {
	for _, c := range []struct {
		name string
		page []byte
		read func([]byte) error
	}{
		{"arena-table", withoutFlight(testutil.Fixture(b, arenaTextFixture)), func(p []byte) error { _, err := ExtractArena(p, textOverall); return err }},
		{"arena-table-5MB", withoutFlight(liveSizedPage(b, 5<<20)), func(p []byte) error { _, err := ExtractArena(p, textOverall); return err }},
		{"openlm", testutil.Fixture(b, openlmFixture), func(p []byte) error { _, err := ExtractOpenLM(p); return err }},
		{"aider", testutil.Fixture(b, aiderFixture), func(p []byte) error { _, err := ExtractAider(p); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			sideBySide(b, c.page, "html.Parse", htmlParse(c.page), "reader", func() error { return c.read(c.page) })
		})
	}
}

// BenchmarkSideCSV: the CSV readers against encoding/csv's ReadAll of the
// same CSV. LiveBench's reader also reads the app bundle's model list and
// the categories file, so its figure includes them (SetBytes counts the
// CSV alone).
func BenchmarkSideCSV(b *testing.B) {
	bfcl := testutil.Fixture(b, bfclOverallFixture)
	b.Run("bfcl", func(b *testing.B) {
		sideBySide(b, bfcl, "encoding/csv", csvReadAll(bfcl),
			"reader", func() error { _, err := ExtractBFCL(bfcl, nil, "Overall Acc"); return err })
	})
	bundle, table, cats := testutil.Fixture(b, liveBenchBundleFixture), testutil.Fixture(b, liveBenchTableFixture), testutil.Fixture(b, liveBenchCategoriesFixture)
	b.Run("livebench", func(b *testing.B) {
		sideBySide(b, table, "encoding/csv", csvReadAll(table),
			"reader", func() error { _, err := ExtractLiveBench(bundle, table, cats); return err })
	})
}

// twentyRowStream is a flight stream holding one board, text/overall with
// style control, of the text fixture's first 20 entries.
func twentyRowStream(b testing.TB) string {
	stream, _, err := FlightStream(testutil.Fixture(b, arenaTextFixture))
	if err != nil {
		b.Fatal(err)
	}
	rows, _ := ParseFlight(stream)
	var board map[string]any
	for _, r := range rows {
		walkJSON(r.Value, nil, func(obj, _ map[string]any) {
			if e, ok := obj["entries"].([]any); ok && obj["arenaSlug"] == "text" && len(e) >= 20 && board == nil {
				board = obj
			}
		})
	}
	if board == nil {
		b.Fatal("no text board in the fixture")
	}
	board["entries"] = board["entries"].([]any)[:20]
	board["totalModels"] = 20
	out, err := json.Marshal(board)
	if err != nil {
		b.Fatal(err)
	}
	return "1:" + string(out) + "\n"
}

// FuzzFlightStreamScan guards the fast path of FlightStream: the byte scan
// (flightStreamScan) must give exactly what the parsed page gives
// (flightStreamDOM), or give up. Run it after changing scriptTexts:
//
//	go test ./source -run '^$' -fuzz FuzzFlightStreamScan -fuzztime 60s
func FuzzFlightStreamScan(f *testing.F) {
	for _, p := range []string{arenaTextFixture, "arena.ai/leaderboard/index.html"} {
		page := testutil.Fixture(f, p)
		f.Add(string(page[:min(len(page), 4000)]) + string(page[len(page)-6000:]))
	}
	seeds := []string{
		`<html><body><script>self.__next_f.push([1,"a\u00e9\ud83c\udfc6\ud800x"])</script></body></html>`,
		`<svg><title>x</title><path d="a"/></svg><script>self.__next_f.push([1,"b"])</script>`,
		`<table><tr><td><script>self.__next_f.push([1,"c"])</script></td></tr></table>`,
		`<!-- <script>self.__next_f.push([1,"d"])</script> --><script>self.__next_f.push([1,"e"])</script>`,
		`<div a="<script>self.__next_f.push([1,\"f\"])</script>"></div><script >self.__next_f.push( [ 1 , "g" ] )self.__next_f.push([0])</script >`,
		`<textarea><script>self.__next_f.push([1,"h"])</script></textarea><script>self.__next_f.push([2,"i"],3)</script>`,
		`<noscript><script>self.__next_f.push([1,"j"])</script></noscript><SCRIPT>self.__next_f.push([1,null])</SCRIPT>`,
		`<script>self.__next_f.push([1,"k"]) <!-- </script><script>self.__next_f.push([1,"l"])</script>`,
		`<svg><g><svg></g></svg><title><a b="</title><script>self.__next_f.push([1,"m"])</script>">`,
		`<x =a b='>' c=d/><script/>self.__next_f.push([1,"n"])</script><?x><!x></ y><!--->self.__next_f.push([1,"o"])`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		got, gn, ok := flightStreamScan([]byte(page))
		if !ok {
			return
		}
		want, wn, err := flightStreamDOM([]byte(page))
		if err != nil {
			t.Fatalf("scan gave %q, the parsed page an error: %v", got, err)
		}
		if got != want || gn != wn {
			t.Fatalf("scan %q (%d chunks), parsed %q (%d)", got, gn, want, wn)
		}
	})
}
