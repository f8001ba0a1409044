package source

import (
	"bytes"
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
