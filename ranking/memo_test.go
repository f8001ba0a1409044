package ranking

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/arenawatch/arenawatch"
)

// goldenRows reads the rows of a source golden file: a real page, parsed.
func goldenRows(t testing.TB, board string) []arenawatch.Row {
	t.Helper()
	data, err := os.ReadFile("../source/testdata/golden/" + board + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct{ Rows []arenawatch.Row }
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return g.Rows
}

// TestMemoAnswersAsClassify checks that the memo never changes an
// answer: rows of real pages, and rows that differ from one another only
// in one field Classify reads, classified twice each (the second time
// from the memo), equal the unmemoised answer.
func TestMemoAnswersAsClassify(t *testing.T) {
	rows := append(goldenRows(t, "arena-text"), goldenRows(t, "hf-text-raw")...)
	rows = append(rows,
		arenawatch.Row{Model: "llama-3.1-405b"},
		arenawatch.Row{Model: "llama-3.1-405b", Organization: arenawatch.Str("Meta")},
		arenawatch.Row{Model: "llama-3.1-405b", Organization: arenawatch.Str("")},
		arenawatch.Row{Model: "llama-3.1-405b", License: arenawatch.Str("Proprietary")},
		arenawatch.Row{Model: "llama-3.1-405b", License: arenawatch.Str("")},
		arenawatch.Row{Model: "llama-3.1-405b", Open: arenawatch.Bool(false)},
		arenawatch.Row{Model: "llama-3.1-405b", Open: arenawatch.Bool(true)},
		arenawatch.Row{Model: "x", Name: "qwen3-235b"},
		arenawatch.Row{Model: "x", Underlying: "qwen3-235b"},
		arenawatch.Row{Model: "o3 + gpt-4.1"},
	)
	c, err := Embedded().Override([]byte("version: memo-test\nmodels:\n  - match: llama-3.1-405b\n    open: false\n    reason: a test override\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range []*Catalog{Embedded(), c} {
		for _, r := range rows {
			want := cat.classify(r)
			for pass := range 2 {
				if got := cat.Classify(r); got != want {
					t.Fatalf("%s, pass %d: Classify(%+v) = %+v, want %+v", cat.Version(), pass, r, got, want)
				}
			}
		}
	}
	// The override answers differently for one row: each catalog version
	// has its own memo.
	r := arenawatch.Row{Model: "llama-3.1-405b"}
	if a, b := Embedded().Classify(r).Open, c.Classify(r).Open; a != Open || b != Closed {
		t.Errorf("built-in %s, override %s; want open, closed", a, b)
	}
}

// TestMemoIsBounded checks that past memoLimit identities the catalog
// stops remembering, and still answers.
func TestMemoIsBounded(t *testing.T) {
	c, err := Embedded().Override([]byte("version: memo-bound\n"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range memoLimit + 10 {
		c.Classify(arenawatch.Row{Model: "memo-bound-" + itoa(i)})
	}
	if n := c.memo.size(); n != memoLimit {
		t.Errorf("memo holds %d identities, want %d", n, memoLimit)
	}
	if cl := c.Classify(arenawatch.Row{Model: "llama-3.1-405b"}); cl.Org != "Meta" {
		t.Errorf("past the limit: %+v", cl)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// BenchmarkClassifyRepeated classifies the rows of one real page again
// and again, as a history of many snapshots does.
func BenchmarkClassifyRepeated(b *testing.B) {
	rows := goldenRows(b, "arena-text")
	c := Embedded()
	b.Run("memo", func(b *testing.B) {
		for b.Loop() {
			for _, r := range rows {
				c.Classify(r)
			}
		}
	})
	b.Run("nomemo", func(b *testing.B) {
		for b.Loop() {
			for _, r := range rows {
				c.classify(r)
			}
		}
	})
}
