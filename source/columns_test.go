package source

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/arenawatch/arenawatch"
)

// Column tolerance: the CSV and HTML-table counterpart of checkTolerance
// (tolerant_test.go). A source lists the header texts its answer needs and
// the ones it reads only to keep as extras or not at all; checkColumns
// removes, renames and garbles each ignored column and expects the same
// rows, and removes and renames each needed column and expects an error
// that names it.

// tableKind says how a body holds its table.
type tableKind int

const (
	csvKind  tableKind = iota // a CSV file whose first record is the header
	htmlKind                  // an HTML page; the first table with the header is changed
)

// columnChange is what mutateColumn does to one column.
type columnChange int

const (
	removeColumn columnChange = iota // the header and every cell of the column go
	renameColumn                     // the header text becomes one no source knows
	garbleColumn                     // every data cell holds text that is no value
)

func (c columnChange) String() string {
	return [...]string{"removed", "renamed", "garbled"}[c]
}

const (
	renamedHeader = "zz renamed column"
	garbageCell   = "¿garbage 12abc?"
)

// mutateColumn returns body with the column whose header is header
// (compared with headerKey; "" is the first column without a header text)
// changed. It fails the test when no such column exists, so a stale list
// cannot pass by changing nothing.
func mutateColumn(t testing.TB, kind tableKind, body []byte, header string, change columnChange) []byte {
	t.Helper()
	if kind == csvKind {
		return mutateCSVColumn(t, body, header, change)
	}
	return mutateHTMLColumn(t, body, header, change)
}

func columnOf(headers []string, header string) int {
	for i, h := range headers {
		if headerKey(h) == headerKey(header) {
			return i
		}
	}
	return -1
}

func mutateCSVColumn(t testing.TB, body []byte, header string, change columnChange) []byte {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(body))
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("mutateColumn: not CSV: %v", err)
	}
	j := columnOf(recs[0], header)
	if j < 0 {
		t.Fatalf("mutateColumn: no column %q (headers: %q)", header, recs[0])
	}
	for i, rec := range recs {
		if j >= len(rec) {
			continue
		}
		switch {
		case change == removeColumn:
			recs[i] = append(rec[:j:j], rec[j+1:]...)
		case change == renameColumn && i == 0:
			rec[j] = renamedHeader
		case change == garbleColumn && i > 0:
			rec[j] = garbageCell
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mutateHTMLColumn(t testing.TB, body []byte, header string, change columnChange) []byte {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	doc.Find("table").EachWithBreak(func(_ int, table *goquery.Selection) bool {
		headers := tableHeaders(table)
		j := columnOf(headers, header)
		if j < 0 {
			return true
		}
		found = true
		// Rows of another width (Aider's one-cell details rows) are not
		// part of the column.
		table.ChildrenFiltered("thead, tbody").ChildrenFiltered("tr").Each(func(_ int, tr *goquery.Selection) {
			cells := tr.ChildrenFiltered("th, td")
			if cells.Length() != len(headers) {
				return
			}
			cell := cells.Eq(j)
			isHeader := goquery.NodeName(cell) == "th" || goquery.NodeName(tr.Parent()) == "thead"
			switch {
			case change == removeColumn:
				cell.Remove()
			case change == renameColumn && isHeader:
				cell.SetText(renamedHeader)
			case change == garbleColumn && !isHeader:
				cell.SetText(garbageCell)
			}
		})
		return false
	})
	if !found {
		t.Fatalf("mutateColumn: no table has a column %q", header)
	}
	h, err := doc.Html()
	if err != nil {
		t.Fatal(err)
	}
	return []byte(h)
}

// columnTolerance is one table source's contract with the live site.
type columnTolerance struct {
	kind    tableKind
	body    []byte                              // a real-shaped response
	extract func(body []byte) (*Extract, error) // the board's reading of a variant of body
	needed  []string                            // headers whose loss must fail the board, naming them
	ignored []string                            // headers whose change must not change the answer
}

// answerOf is what a row contributes to the answer: identity, rank, score
// and the labels that classify it. Extras and metrics are left out: a
// garbled ignored column may drop one of them.
func answerOf(r arenawatch.Row) string {
	return fmt.Sprintf("%s|%s|%d|%v|%s|%s|%v|%d", r.Model, r.Name, r.Rank, r.Score,
		deref(r.Organization), deref(r.License), r.Open != nil && *r.Open, r.Votes)
}

func checkColumns(t *testing.T, tc columnTolerance) {
	t.Helper()
	want, err := tc.extract(tc.body)
	if err != nil {
		t.Fatalf("the unchanged body fails: %v", err)
	}
	for _, h := range tc.ignored {
		for _, change := range []columnChange{removeColumn, renameColumn, garbleColumn} {
			got, err := tc.extract(mutateColumn(t, tc.kind, tc.body, h, change))
			if err != nil {
				t.Errorf("ignored column %q %s: the board fails: %v", h, change, err)
				continue
			}
			if len(got.Rows) != len(want.Rows) {
				t.Errorf("ignored column %q %s: %d rows, want %d", h, change, len(got.Rows), len(want.Rows))
				continue
			}
			for i := range got.Rows {
				if a, b := answerOf(got.Rows[i]), answerOf(want.Rows[i]); a != b {
					t.Errorf("ignored column %q %s: row %d is %s, want %s", h, change, i+1, a, b)
					break
				}
			}
		}
	}
	for _, h := range tc.needed {
		for _, change := range []columnChange{removeColumn, renameColumn} {
			got, err := tc.extract(mutateColumn(t, tc.kind, tc.body, h, change))
			if err == nil {
				t.Errorf("needed column %q %s: the board still stores (%d rows)", h, change, len(got.Rows))
			} else if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(h)) {
				t.Errorf("needed column %q %s: the error does not name it: %v", h, change, err)
			} else if arenawatch.KindOf(err) != arenawatch.KindDrift {
				t.Errorf("needed column %q %s: error kind %v, want markup drift: %v", h, change, arenawatch.KindOf(err), err)
			}
		}
	}
}

// TestColumnMutation checks the helper itself on a small table of each
// kind, so a broken helper cannot make every source's test pass.
func TestColumnMutation(t *testing.T) {
	csvBody := []byte("Rank,Model,Score\n1,a,9\n2,b,8\n")
	htmlBody := []byte(`<html><body><table><thead><tr><th></th><th>Model</th><th>Score</th></tr></thead>` +
		`<tbody><tr><td>1</td><td>a</td><td>9</td></tr><tr class="d"><td colspan="3">x</td></tr></tbody></table></body></html>`)
	tests := []struct {
		name   string
		kind   tableKind
		body   []byte
		header string
		change columnChange
		want   string
	}{
		{"CSVRemoved", csvKind, csvBody, "model", removeColumn, "Rank,Score\n1,9\n2,8\n"},
		{"CSVRenamed", csvKind, csvBody, "Score", renameColumn, "Rank,Model," + renamedHeader + "\n1,a,9\n2,b,8\n"},
		{"CSVGarbled", csvKind, csvBody, "Rank", garbleColumn, "Rank,Model,Score\n" + garbageCell + ",a,9\n" + garbageCell + ",b,8\n"},
		{"HTMLRemoved", htmlKind, htmlBody, "Model", removeColumn, `<th></th><th>Score</th></tr></thead><tbody><tr><td>1</td><td>9</td></tr><tr class="d"><td colspan="3">x</td>`},
		{"HTMLRenamedUntitled", htmlKind, htmlBody, "", renameColumn, `<th>` + renamedHeader + `</th><th>Model</th>`},
		{"HTMLGarbled", htmlKind, htmlBody, "Score", garbleColumn, `<th>Score</th></tr></thead><tbody><tr><td>1</td><td>a</td><td>` + garbageCell + `</td></tr><tr class="d"><td colspan="3">x</td>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(mutateColumn(t, tt.kind, tt.body, tt.header, tt.change))
			if tt.kind == csvKind && got != tt.want || tt.kind == htmlKind && !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant (within)\n%s", got, tt.want)
			}
		})
	}
}
