package source

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"github.com/arenawatch/arenawatch"
)

// Extract is what an extractor reads out of one board's responses: the
// rows and the page's own statements about the board.
type Extract struct {
	Rows   []arenawatch.Row
	AsOf   time.Time         // the source's own date, zero if it states none
	Totals arenawatch.Totals // the source's stated totals
	Notes  []string          // how the rows were read, for the snapshot's audit trail
}

func driftf(format string, args ...any) *arenawatch.Error {
	return arenawatch.Errorf(arenawatch.KindDrift, format, args...)
}

// tableHeaders returns the cleaned header texts of a table: the last row of
// its <thead>, or its first row when that row holds only <th> cells. It
// returns nil for a table without a header row.
func tableHeaders(table *goquery.Selection) []string {
	row := table.ChildrenFiltered("thead").ChildrenFiltered("tr").Last()
	if row.Length() == 0 {
		first := table.ChildrenFiltered("tbody").ChildrenFiltered("tr").First()
		if first.ChildrenFiltered("th").Length() == 0 || first.ChildrenFiltered("td").Length() > 0 {
			return nil
		}
		row = first
	}
	var out []string
	row.ChildrenFiltered("th, td").Each(func(_ int, c *goquery.Selection) {
		out = append(out, cleanText(c.Text()))
	})
	return out
}

// bodyRows returns the table's data rows. The HTML parser puts rows written
// directly under <table> into an implied <tbody>, so tbody > tr finds them
// either way; rows of nested tables are not included.
func bodyRows(table *goquery.Selection) *goquery.Selection {
	return table.ChildrenFiltered("tbody").ChildrenFiltered("tr")
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// headerKey normalises a header text for lookup: lower case, and without
// the sort arrows and icons that pages put beside the words ("Score ▼").
func headerKey(h string) string {
	h = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r):
			return unicode.ToLower(r)
		case strings.ContainsRune("%()±*#-/$.", r):
			return r
		}
		return ' '
	}, h)
	return cleanText(h)
}

// headerIndex maps header texts to field names through aliases (keys lower
// case). It returns the index of each field's first column.
func headerIndex(headers []string, aliases map[string]string) map[string]int {
	cols := map[string]int{}
	for i, h := range headers {
		if f := aliases[headerKey(h)]; f != "" {
			if _, dup := cols[f]; !dup {
				cols[f] = i
			}
		}
	}
	return cols
}

// cellText returns the cleaned text of a row's cell for field f, found
// through cols (see headerIndex); ok is false when the table has no such
// column or the row is shorter.
func cellText(cells *goquery.Selection, cols map[string]int, f string) (string, bool) {
	j, ok := cols[f]
	if !ok || j >= cells.Length() {
		return "", false
	}
	return cleanText(cells.Eq(j).Text()), true
}

// repeatKeys keys the rows of a board whose display name repeats an
// earlier row's ("name [2]", "name [3]", compared case-insensitively), so
// each row keeps its own identity without inventing a distinction the page
// does not make.
type repeatKeys struct {
	seen    map[string]int
	renamed int // rows that got a "[n]" key
}

// key sets r.Model (and r.Name for a repeat) for a row named name.
func (k *repeatKeys) key(r *arenawatch.Row, name string) {
	if k.seen == nil {
		k.seen = map[string]int{}
	}
	lower := strings.ToLower(name)
	r.Model = name
	if n := k.seen[lower]; n > 0 {
		r.Model = fmt.Sprintf("%s [%d]", name, n+1)
		r.Name = name
		k.renamed++
	}
	k.seen[lower]++
}

// snakeCase turns a header or category into a metric name: lower case,
// every run of other characters one "_" ("Agentic Coding" →
// "agentic_coding", "Latency Mean (s)" → "latency_mean_s").
func snakeCase(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			continue
		}
		under = true
	}
	return b.String()
}
