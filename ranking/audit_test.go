package ranking

import (
	"testing"

	"github.com/arenawatch/arenawatch"
)

// TestAudit: an unknown organization above the answer could change it; a
// closed model of unknown origin above it could not; what ranks below the
// answer never could; counts add up over snapshots, and "above" is decided
// on the latest snapshot only.
func TestAudit(t *testing.T) {
	str := arenawatch.Str
	snap := &arenawatch.Snapshot{Board: "b", Rows: []arenawatch.Row{
		{Model: "mystery-1", Organization: str("Mystery Lab"), License: str("MIT"), Score: 100},
		{Model: "secret-1", Organization: str("Mystery Lab"), License: str("Proprietary"), Score: 99},
		{Model: "gpt-oss-120b", Organization: str("OpenAI"), License: str("Apache 2.0"), Score: 98},
		{Model: "qwen-unknown-licence", Organization: str("Alibaba"), Score: 97},
		{Model: "nameless-1", License: str("MIT"), Score: 90},
	}}
	a := NewAudit(Embedded())
	a.Add(snap, arenawatch.RankByScore, false)
	a.Add(snap, arenawatch.RankByScore, true)
	if s, r := a.Counts(); s != 2 || r != 10 {
		t.Fatalf("counts %d snapshots, %d rows", s, r)
	}
	items := a.Items()
	want := []struct {
		kind, name string
		above      bool
		models     int
	}{
		{"origin", "Mystery Lab", true, 2}, // mystery-1 is open and above gpt-oss
		{"openness", "qwen-unknown-licence", false, 0},
		{"origin", "nameless-1", false, 0},
	}
	if len(items) != len(want) {
		t.Fatalf("%d items: %+v", len(items), items)
	}
	for i, w := range want {
		it := items[i]
		if it.Kind != w.kind || it.Name != w.name || it.AboveAnswer != w.above || len(it.Models) != w.models || it.Snapshots != 2 {
			t.Errorf("item %d: %+v, want %+v", i, it, w)
		}
	}
}
