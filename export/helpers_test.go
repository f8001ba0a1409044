package export

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

// t0 is the fetch time of the first snapshot the helpers store.
var t0 = time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC)

// save seals and stores s.
func save(t *testing.T, db *store.DB, s *arenawatch.Snapshot) {
	t.Helper()
	if err := arenawatch.Seal(s, arenawatch.Limits{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(context.Background(), s, nil); err != nil {
		t.Fatal(err)
	}
}

// snap is a snapshot of board at t with the given rows.
func snap(board string, t time.Time, rows ...arenawatch.Row) *arenawatch.Snapshot {
	return &arenawatch.Snapshot{Board: board, FetchedAt: t, Origin: arenawatch.OriginScraped,
		URL: "https://example.org/" + board, Rows: rows}
}

// filler returns n plain rows, with a metric, scores descending.
func filler(n int, tag string) []arenawatch.Row {
	rows := make([]arenawatch.Row, n)
	for i := range rows {
		rows[i] = arenawatch.Row{Model: fmt.Sprintf("model-%s-%04d", tag, i), Rank: i + 1, Score: float64(2000 - i),
			Organization: arenawatch.Str("Meta"), License: arenawatch.Str("Llama 3.1"), Votes: 1000,
			Metrics: map[string]float64{"coding": float64(i)}}
	}
	return rows
}

func converter() Converter {
	return Converter{Catalog: ranking.Embedded(), Version: "test"}
}
