package source

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

// FuzzParseFlight feeds arbitrary streams to the flight row parser: it must
// not panic, must make progress, and every text row must be the length its
// header declares.
func FuzzParseFlight(f *testing.F) {
	f.Add("1:\"$Sreact.fragment\"\n2:I[1,[\"a\"],\"default\"]\n3:T5,hello4:{\"a\":1}\n")
	f.Add("0:[\"$\",\"div\",null,{\"leaderboard\":{\"arenaSlug\":\"text\",\"entries\":[]}}]\n")
	f.Add("zz:nothing\n:\n1:T10,short")
	f.Add("1:HL[\"/x.css\",\"style\"]\n2:E{\"digest\":\"1\"}\n")
	f.Fuzz(func(t *testing.T, stream string) {
		rows, skipped := ParseFlight(stream)
		if len(rows)+skipped > len(stream)+1 {
			t.Fatalf("%d rows and %d skipped from %d bytes", len(rows), skipped, len(stream))
		}
		for _, r := range rows {
			if r.Tag == "T" && !strings.Contains(stream, r.Text) {
				t.Fatalf("text row %q is not part of the stream", r.Text)
			}
		}
	})
}

// FuzzFlightPage builds a page from an arbitrary stream split at an
// arbitrary size: FlightStream must give the stream back exactly, and the
// arena extractor must not panic on it.
func FuzzFlightPage(f *testing.F) {
	f.Add("1:{\"leaderboard\":{\"arenaSlug\":\"text\",\"leaderboardSlug\":\"overall\",\"params\":{\"category\":\"overall\",\"styleControl\":true},\"entries\":[{\"modelKey\":\"m\",\"rating\":1}]},\"meta\":{\"totalModels\":1}}\n", 7)
	f.Add("</script><script>alert(1)</script>", 3)
	f.Add("\u00e9\u2014\U0001F3C6 \\\" \\n", 1)
	f.Fuzz(func(t *testing.T, stream string, chunk int) {
		// Bodies are checked to be UTF-8 before any extractor runs.
		if chunk < 1 || chunk > 1<<16 || !utf8.ValidString(stream) {
			return
		}
		page := testutil.FlightPage(t, stream, chunk, "")
		got, _, err := FlightStream(page)
		if err != nil {
			t.Fatalf("FlightStream: %v", err)
		}
		if got != stream {
			t.Fatalf("stream changed:\n got %q\nwant %q", got, stream)
		}
		ExtractArena(page, ArenaSelector{Arena: "text", Category: "overall"}) //nolint:errcheck // must only not panic
	})
}
