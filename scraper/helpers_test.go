package scraper

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

const (
	arenaTextFixture   = "arena.ai/leaderboard/text/index.html"
	arenaRawFixture    = "arena.ai/leaderboard/text/overall-no-style-control/index.html"
	arenaWebDevFixture = "arena.ai/leaderboard/code/webdev/index.html"
	openlmFixture      = "openlm.ai/chatbot-arena/index.html"
	daBoardFixture     = "www.designarena.ai/api/leaderboard/b-422050248ebf.json"
	daRegFixture       = "www.designarena.ai/api/registry/index.json"
)

// flightPage builds an HTML page whose flight payload is stream, split into
// pushes of chunk bytes (never inside an escape), followed by extra HTML.
func flightPage(t testing.TB, stream string, chunk int, extra string) []byte {
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

var flightScript = regexp.MustCompile(`(?s)<script>[^<]*self\.__next_f[^<]*</script>`)

// withoutFlight removes every flight script: the table is all that is left.
func withoutFlight(page []byte) []byte {
	return flightScript.ReplaceAll(page, nil)
}

// tableHTML returns the outer HTML of the page's first table.
func tableHTML(t testing.TB, page []byte) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	h, err := goquery.OuterHtml(doc.Find("table").First())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// permuteColumns rewrites every row of the page's tables so that column i
// of the result is column order[i] of the original.
func permuteColumns(t testing.TB, page []byte, order []int) []byte {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.ChildrenFiltered("th, td")
		if cells.Length() < len(order) {
			return
		}
		var parts []string
		for _, i := range order {
			h, err := goquery.OuterHtml(cells.Eq(i))
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, h)
		}
		cells.Slice(0, len(order)).Remove()
		tr.PrependHtml(strings.Join(parts, ""))
	})
	h, err := doc.Html()
	if err != nil {
		t.Fatal(err)
	}
	return []byte(h)
}

func regexpRemove(b []byte, expr string) []byte {
	return regexp.MustCompile(expr).ReplaceAll(b, nil)
}
