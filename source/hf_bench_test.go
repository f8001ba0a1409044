package source

import (
	"fmt"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

// Benchmarks for the hf-leaderboard boards and the import of the full
// split. Run with
//
//	go test ./source -run '^$' -bench 'HF' -benchmem

func BenchmarkExtractHFPages(b *testing.B) {
	pages := hfPageList(hfDocs(b, "hf-text-raw"))
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		if _, err := ExtractHFPages(pages, "overall"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportHFDataset imports the fixture: 10 publish dates, 1,858
// rows.
func BenchmarkImportHFDataset(b *testing.B) {
	body := testutil.Fixture(b, hfFullFixture)
	board := hfBoardByID(b, "hf-text-raw")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ImportHFDataset(board, body, hfFullDoc()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportHFDatasetLarge imports a synthetic full split the size
// the real one may reach: 150 publish dates × 8 categories × 250 models
// (300,000 rows), of which one category is kept.
func BenchmarkImportHFDatasetLarge(b *testing.B) {
	cats := []string{"overall", "coding", "math", "creative_writing", "hard_prompts", "if", "longer_query", "multiturn"}
	var rows []pqRow
	day := time.Date(2023, 5, 8, 0, 0, 0, 0, time.UTC)
	for d := range 150 {
		date := day.AddDate(0, 0, 7*d).Format(time.DateOnly)
		for _, c := range cats {
			for m := range 250 {
				rows = append(rows, pqRowOf(fmt.Sprintf("model-%d", m), float64(m+1), c, date))
			}
		}
	}
	body := writeParquet(b, rows)
	board := hfBoardByID(b, "hf-text-raw")
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		got, err := ImportHFDataset(board, body, hfFullDoc())
		if err != nil || len(got) != 150 {
			b.Fatal(len(got), err)
		}
	}
}
