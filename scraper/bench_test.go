package scraper

import (
	"context"
	"strings"
	"testing"
)

// Benchmarks for the extractors and the whole replay scrape. Figures are
// recorded in docs/benchmarks.md; run with
//
//	go test ./scraper -run '^$' -bench . -benchmem

func BenchmarkExtractArena(b *testing.B) {
	page := fixture(b, arenaTextFixture)
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
	stream, _, err := FlightStream(fixture(b, arenaTextFixture))
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
	page := flightPage(b, pad.String()+stream, 2048, "")
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
	page := withoutFlight(fixture(b, arenaTextFixture))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractArena(page, ArenaSelector{"text", "overall", "style_control"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractOpenLM(b *testing.B) {
	page := fixture(b, openlmFixture)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := ExtractOpenLM(page); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractDesignArena(b *testing.B) {
	lb, reg := fixture(b, daBoardFixture), fixture(b, daRegFixture)
	b.SetBytes(int64(len(lb) + len(reg)))
	for b.Loop() {
		if _, err := ExtractDesignArena(lb, reg, "models", "website"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplayScrape is the whole fetch → extract → validate pipeline
// for the four boards of the first release against the fixtures on
// loopback (no store).
func BenchmarkReplayScrape(b *testing.B) {
	rp, err := StartReplay("../fixtures")
	if err != nil {
		b.Fatal(err)
	}
	defer rp.Close()
	boards, err := Builtin().Select([]string{"arena-text", "arena-text-raw", "designarena-website", "openlm-arena"})
	if err != nil {
		b.Fatal(err)
	}
	boards = rp.RewriteBoards(boards)
	opt := testOptions()
	for b.Loop() {
		r := &Runner{Fetcher: NewFetcher(opt)}
		r.Run(context.Background(), boards, func(res Result) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		})
	}
}
