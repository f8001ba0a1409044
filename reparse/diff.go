package reparse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// Diff is how a re-parsed snapshot's content differs from the snapshot it
// re-reads, row by row: rows are matched by model key (Row.Model). Fields
// are named as in the stored JSON ("score", "organization", "rank").
type Diff struct {
	// Added and Removed are the model keys only the new or only the old
	// snapshot has, in their snapshot's row order.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Changed are the rows both have that say something different.
	Changed []RowChange `json:"changed,omitempty"`
	// Reordered is set when the rows both have come in another order.
	Reordered bool `json:"reordered,omitempty"`
	// AsOf is set when the source's date was read differently.
	AsOf *Change[time.Time] `json:"as_of,omitempty"`
	// Totals is set when the page's stated totals were read differently.
	Totals *Change[arenawatch.Totals] `json:"totals,omitempty"`
}

// RowChange is one row whose fields differ.
type RowChange struct {
	Model  string   `json:"model"`
	Fields []string `json:"fields"`
}

// Change is an old and a new value.
type Change[T any] struct {
	Old T `json:"old"`
	New T `json:"new"`
}

// Empty reports whether the diff found nothing: the content is the same.
func (d Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0 && !d.Reordered && d.AsOf == nil && d.Totals == nil
}

// Compare returns how new's content differs from old's.
func Compare(old, new *arenawatch.Snapshot) Diff {
	var d Diff
	if !old.AsOf.Equal(new.AsOf) {
		d.AsOf = &Change[time.Time]{old.AsOf.UTC(), new.AsOf.UTC()}
	}
	if old.Totals != new.Totals {
		d.Totals = &Change[arenawatch.Totals]{old.Totals, new.Totals}
	}
	oldAt := make(map[string]int, len(old.Rows))
	for i, r := range old.Rows {
		oldAt[r.Model] = i
	}
	newHas := make(map[string]bool, len(new.Rows))
	prev := -1 // old index of the previous row both have
	for _, r := range new.Rows {
		newHas[r.Model] = true
		i, ok := oldAt[r.Model]
		if !ok {
			d.Added = append(d.Added, r.Model)
			continue
		}
		if i < prev {
			d.Reordered = true
		}
		prev = i
		if fields := changedFields(old.Rows[i], r); len(fields) > 0 {
			d.Changed = append(d.Changed, RowChange{Model: r.Model, Fields: fields})
		}
	}
	for _, r := range old.Rows {
		if !newHas[r.Model] {
			d.Removed = append(d.Removed, r.Model)
		}
	}
	return d
}

// changedFields names the JSON fields in which two rows differ. It
// compares the JSON the store keeps (and the content hash is made of), so
// a nil map and an empty one, both left out, are the same.
func changedFields(a, b arenawatch.Row) []string {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA == nil && errB == nil && bytes.Equal(ja, jb) {
		return nil
	}
	var ma, mb map[string]json.RawMessage
	if json.Unmarshal(ja, &ma) != nil || json.Unmarshal(jb, &mb) != nil {
		// Only a non-finite float fails to encode, and Seal rejects those.
		return []string{"row"}
	}
	var out []string
	for k, va := range ma {
		if vb, ok := mb[k]; !ok || !bytes.Equal(va, vb) {
			out = append(out, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Fields returns the fields that changed in any row, the most often
// changed first (then by name).
func (d Diff) Fields() []string {
	count := map[string]int{}
	for _, c := range d.Changed {
		for _, f := range c.Fields {
			count[f]++
		}
	}
	out := make([]string, 0, len(count))
	for f := range count {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		if count[out[i]] != count[out[j]] {
			return count[out[i]] > count[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// Summary says the diff in one line for people, e.g.
// "+2 rows, -1 row, 5 changed: score, organization; as of 2025-11-06 → 2025-11-07".
func (d Diff) Summary() string {
	if d.Empty() {
		return "no change"
	}
	var parts []string
	if n := len(d.Added); n > 0 {
		parts = append(parts, "+"+rows(n))
	}
	if n := len(d.Removed); n > 0 {
		parts = append(parts, "-"+rows(n))
	}
	if n := len(d.Changed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d changed: %s", n, strings.Join(d.Fields(), ", ")))
	}
	line := strings.Join(parts, ", ")
	var more []string
	if d.Reordered {
		more = append(more, "rows in another order")
	}
	if d.AsOf != nil {
		more = append(more, fmt.Sprintf("as of %s → %s", day(d.AsOf.Old), day(d.AsOf.New)))
	}
	if d.Totals != nil {
		more = append(more, fmt.Sprintf("stated totals %s → %s", totals(d.Totals.Old), totals(d.Totals.New)))
	}
	if len(more) > 0 {
		if line != "" {
			line += "; "
		}
		line += strings.Join(more, "; ")
	}
	return line
}

func rows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

func day(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.DateOnly)
}

func totals(t arenawatch.Totals) string {
	if t == (arenawatch.Totals{}) {
		return "none"
	}
	return fmt.Sprintf("%d models, %d votes", t.Models, t.Votes)
}
