package longform

import (
	"os"
	"testing"

	"github.com/arenawatch/arenawatch"
)

// FuzzReadCSV: whatever the bytes, ReadCSV returns an error or dates in
// order whose snapshots pass validation; it never panics. Seeds: the
// fixture, and testdata/fuzz/FuzzReadCSV (quirks of real archives).
func FuzzReadCSV(f *testing.F) {
	if body, err := os.ReadFile(archive); err == nil {
		f.Add(body)
	}
	f.Add([]byte(hdr + "\n2024-01-01,1,m0,1400,±5,\"12,345\",Google,Gemma\n2024-01-01,1,m0,1400,±5,\"12,345\",Google,Gemma\n"))
	lim := arenawatch.Limits{MinRows: 1}
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := ReadCSV(body, CSVOptions{Board: arenawatch.Board{ID: "arena-text-raw", Limits: lim}})
		if err != nil {
			if !arenawatch.IsKind(err, arenawatch.KindInvalid) {
				t.Fatalf("error of kind %v: %v", arenawatch.KindOf(err), err)
			}
			return
		}
		for i, ds := range res.Dates {
			if i > 0 && !res.Dates[i-1].Date.Before(ds.Date) {
				t.Fatalf("dates out of order: %v, %v", res.Dates[i-1].Date, ds.Date)
			}
			if ds.Err != nil {
				continue
			}
			s := ds.Snapshot
			if err := arenawatch.Validate(s, lim); err != nil || s.ContentHash != s.ComputeContentHash() || !s.FetchedAt.Equal(ds.Date) {
				t.Fatalf("a date that passed does not validate: %v", err)
			}
		}
	})
}
