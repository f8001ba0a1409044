package testutil

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FlightPage builds an HTML page whose flight payload is stream, split into
// pushes of chunk bytes (never inside an escape), followed by extra HTML.
func FlightPage(t testing.TB, stream string, chunk int, extra string) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>Arena</title></head><body>")
	b.WriteString(extra)
	b.WriteString(`<script>(self.__next_f=self.__next_f||[]).push([0])</script>`)
	for len(stream) > 0 {
		n := min(chunk, len(stream))
		// Do not split a UTF-8 sequence: each chunk is encoded on its own.
		for n < len(stream) && !utf8Start(stream[n]) {
			n++
		}
		enc, err := json.Marshal(stream[:n])
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(`<script>self.__next_f.push([1,`)
		b.Write(enc)
		b.WriteString(`])</script>`)
		stream = stream[n:]
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

func utf8Start(c byte) bool { return c&0xC0 != 0x80 }

// SWEBenchJSON returns the leaderboard-data JSON of a swebench.com page
// and a function that puts a replacement in its place, so that a test can
// mutate the JSON the way a site change would and read the page again.
func SWEBenchJSON(t testing.TB, page []byte) ([]byte, func([]byte) []byte) {
	t.Helper()
	const open = `<script type="application/json" id="leaderboard-data">`
	i := bytes.Index(page, []byte(open))
	if i < 0 {
		t.Fatal("no leaderboard-data script in the page")
	}
	i += len(open)
	j := bytes.Index(page[i:], []byte("</script>"))
	if j < 0 {
		t.Fatal("leaderboard-data script not closed")
	}
	before, after := page[:i:i], page[i+j:]
	put := func(data []byte) []byte {
		out := append(append(append([]byte{}, before...), '\n'), data...)
		return append(append(out, '\n'), after...)
	}
	return bytes.TrimSpace(page[i : i+j]), put
}
