package arenawatch

import (
	"strings"
	"testing"
	"time"
)

func TestSettleDuplicates(t *testing.T) {
	row := func(model string, rank int, score float64, votes int64) Row {
		return Row{Model: model, Rank: rank, Score: score, Votes: votes, License: Str("MIT")}
	}
	named := func(r Row, name string) Row { r.Name = name; return r }
	tests := []struct {
		name      string
		in        []Row
		wantKeys  []string
		wantNotes []string // substrings, one per note, in order
	}{
		{"no repeats", []Row{row("a", 1, 10, 5), row("b", 2, 9, 5)}, []string{"a", "b"}, nil},
		{"exact repeat, same rank", []Row{row("a", 1, 10, 5), row("b", 2, 9, 5), row("a", 1, 10, 5)},
			[]string{"a", "b"}, []string{"1 exact duplicate rows dropped: a (as a)"}},
		{"exact repeat with the next ordinal rank", []Row{row("a", 1, 10, 5), row("a", 2, 10, 5), row("b", 3, 9, 5)},
			[]string{"a", "b"}, []string{"1 exact duplicate"}},
		{"exact repeat that an extractor keyed 'name [2]'", []Row{row("a", 1, 10, 5), named(row("a [2]", 2, 10, 5), "a")},
			[]string{"a"}, []string{"dropped: a [2] (as a)"}},
		{"same key, other score: kept apart", []Row{row("a", 1, 10, 5), row("a", 2, 9, 5)},
			[]string{"a", "a [2]"}, []string{`a kept as "a [2]"`}},
		{"same key, other licence: kept apart", []Row{row("a", 1, 10, 5), {Model: "a", Rank: 1, Score: 10, Votes: 5, License: Str("Apache 2.0")}},
			[]string{"a", "a [2]"}, []string{"kept apart"}},
		{"a third conflicting row skips a taken key", []Row{row("a", 1, 10, 5), row("a [2]", 2, 9, 1), row("a", 3, 8, 5)},
			[]string{"a", "a [2]", "a [3]"}, []string{`a kept as "a [3]"`}},
		{"both cases", []Row{row("a", 1, 10, 5), row("a", 1, 10, 5), row("a", 2, 7, 5)},
			[]string{"a", "a [2]"}, []string{"dropped", "kept apart"}},
		{"keyless rows are left for Validate", []Row{row("", 1, 10, 5), row("", 1, 10, 5)}, []string{"", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes := SettleDuplicates(tt.in)
			var keys []string
			for _, r := range got {
				keys = append(keys, r.Model)
			}
			if strings.Join(keys, "|") != strings.Join(tt.wantKeys, "|") {
				t.Errorf("keys %q, want %q", keys, tt.wantKeys)
			}
			if len(notes) != len(tt.wantNotes) {
				t.Fatalf("notes %q, want %d", notes, len(tt.wantNotes))
			}
			for i, w := range tt.wantNotes {
				if !strings.Contains(notes[i], w) {
					t.Errorf("note %d %q does not say %q", i, notes[i], w)
				}
			}
			given := map[string]bool{}
			for _, r := range tt.in {
				given[r.Model] = true
			}
			for _, r := range got {
				if !given[r.Model] && r.Name == "" {
					t.Errorf("%s: a row kept apart lost its display name", r.Model)
				}
			}
		})
	}
}

// A page that lists a model twice is stored, not rejected, and is not
// reported as partial for the row it repeated.
func TestSealRepeatedRows(t *testing.T) {
	var rows []Row
	for i := range 20 {
		rows = append(rows, Row{Model: string(rune('a' + i)), Rank: i + 1, Score: float64(100 - i)})
	}
	rows = append(rows[:6], rows[5:]...) // row 6 twice
	for i := range rows {
		rows[i].Rank = i + 1
	}
	s := &Snapshot{Board: "b", FetchedAt: time.Unix(0, 0), Rows: rows, Totals: Totals{Models: 21}}
	if err := Seal(s, Limits{MinRows: 20}); err != nil {
		t.Fatalf("Seal: %v", err)
	}
	if len(s.Rows) != 20 || s.Duplicates != 1 || s.Partial() {
		t.Errorf("rows %d, duplicates %d, partial %v; want 20, 1, false", len(s.Rows), s.Duplicates, s.Partial())
	}
	if s.ContentHash == "" || len(s.Notes) != 1 {
		t.Errorf("content hash %q, notes %q", s.ContentHash, s.Notes)
	}
	bad := &Snapshot{Board: "b", Rows: rows[:3]}
	if err := Seal(bad, Limits{MinRows: 20}); err == nil || bad.ContentHash != "" {
		t.Errorf("an invalid snapshot was sealed: %v, hash %q", err, bad.ContentHash)
	}
}
