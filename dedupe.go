package arenawatch

import (
	"fmt"
	"reflect"
	"strings"
)

// Seal readies a snapshot for the store, in the order that matters:
// repeated rows are settled first (see [SettleDuplicates]), then the
// snapshot is validated against the board's limits, and only a valid
// snapshot gets its content hash. It returns Validate's error.
func Seal(s *Snapshot, lim Limits) error {
	before := len(s.Rows)
	var notes []string
	s.Rows, notes = SettleDuplicates(s.Rows)
	s.Duplicates += before - len(s.Rows)
	s.Notes = append(s.Notes, notes...)
	if err := Validate(s, lim); err != nil {
		return err
	}
	s.ContentHash = s.ComputeContentHash()
	return nil
}

// SettleDuplicates resolves rows that share a model key, as real pages
// sometimes list them, without losing the board:
//
//   - a row that repeats an earlier row exactly (same display name and the
//     same values; only its ordinal rank or the "[n]" key an extractor gave
//     a repeated name may differ) is dropped: it is the same entry twice;
//   - a row that shares the key of an earlier row but says something else
//     (another score, votes, licence …) is kept apart under the key
//     "KEY [n]", its display name unchanged, so that neither value is lost
//     and neither is taken for the other.
//
// Each case is said in a note for the snapshot. Rows without a key are
// left for Validate to reject.
func SettleDuplicates(rows []Row) ([]Row, []string) {
	byKey := make(map[string]int, len(rows))    // model key → index in out
	byName := make(map[string][]int, len(rows)) // display name → indexes in out
	out := make([]Row, 0, len(rows))
	var dropped, apart []string
	for _, r := range rows {
		if strings.TrimSpace(r.Model) == "" {
			out = append(out, r)
			continue
		}
		if i, ok := sameEntry(out, byName[r.DisplayName()], r); ok {
			dropped = append(dropped, fmt.Sprintf("%s (as %s)", r.Model, out[i].Model))
			continue
		}
		if _, dup := byKey[r.Model]; dup {
			key := r.Model
			for n := 2; ; n++ {
				k := fmt.Sprintf("%s [%d]", key, n)
				if _, taken := byKey[k]; !taken {
					r.Name = r.DisplayName()
					r.Model = k
					break
				}
			}
			apart = append(apart, fmt.Sprintf("%s kept as %q", key, r.Model))
		}
		byKey[r.Model] = len(out)
		byName[r.DisplayName()] = append(byName[r.DisplayName()], len(out))
		out = append(out, r)
	}
	var notes []string
	if len(dropped) > 0 {
		notes = append(notes, fmt.Sprintf("%d exact duplicate rows dropped: %s", len(dropped), strings.Join(dropped, ", ")))
	}
	if len(apart) > 0 {
		notes = append(notes, fmt.Sprintf("%d rows share a model key with different values and are kept apart: %s",
			len(apart), strings.Join(apart, ", ")))
	}
	return out, notes
}

// sameEntry returns the index among candidates of a row that r repeats
// exactly: everything equal but the key, the ordinal rank and the name
// that the key implies.
func sameEntry(out []Row, candidates []int, r Row) (int, bool) {
	for _, i := range candidates {
		a, b := out[i], r
		if a.Model != b.Model && !repeatKeyOf(b.Model, a.Model) && !repeatKeyOf(a.Model, b.Model) {
			continue
		}
		a.Model, b.Model, a.Name, b.Name, a.Rank, b.Rank = "", "", "", "", 0, 0
		if reflect.DeepEqual(a, b) {
			return i, true
		}
	}
	return 0, false
}

// repeatKeyOf reports whether key is base with an extractor's repeat
// suffix ("base [2]").
func repeatKeyOf(key, base string) bool {
	rest, ok := strings.CutPrefix(key, base+" [")
	if !ok || !strings.HasSuffix(rest, "]") || len(rest) < 2 {
		return false
	}
	for _, c := range rest[:len(rest)-1] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
