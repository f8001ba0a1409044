// Command historygen writes a long synthetic history into a new store
// file, for the store's scale figures (docs/benchmarks.md): B boards, a
// scrape every E for Y years, every scrape a changed snapshot (the worst
// case: live boards change less often) with its run, from the real rows
// of the boards in store/testdata/v1 drifting as on the live sites.
//
//	go run ./bench/historygen -out /tmp/h.db -boards 40 -years 2 -every 4h
package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/source"
	"github.com/arenawatch/arenawatch/store"
)

func main() {
	out := flag.String("out", "", "store file to create (must not exist)")
	boards := flag.Int("boards", 40, "boards")
	years := flag.Float64("years", 2, "years of history")
	every := flag.Duration("every", 4*time.Hour, "time between scrapes")
	dump := flag.String("dump", "store/testdata/v1/dump.jsonl.gz", "real snapshots to start from")
	batch := flag.Int("batch", 500, "snapshots per transaction")
	flag.Parse()
	if *out == "" {
		fail(fmt.Errorf("-out is required"))
	}
	if _, err := os.Stat(*out); err == nil {
		fail(fmt.Errorf("%s exists", *out))
	}
	bases := load(*dump)
	db, err := store.Open(*out, store.Options{Timeout: time.Second})
	fail(err)
	defer db.Close()
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	start := end.Add(-time.Duration(*years * 365 * 24 * float64(time.Hour)))
	steps := int(end.Sub(start) / *every)
	began := time.Now()
	total := 0
	// Real board ids, the default boards first, so that report and rank
	// answer on the file as on a real one.
	var ids []string
	all := source.Builtin()
	for _, set := range []arenawatch.Boards{all.Defaults(), all} {
		for _, b := range set {
			if !slices.Contains(ids, b.ID) {
				ids = append(ids, b.ID)
			}
		}
	}
	if *boards > len(ids) {
		fail(fmt.Errorf("at most %d boards", len(ids)))
	}
	for b := range *boards {
		base := bases[b%len(bases)]
		id := ids[b]
		rng := rand.New(rand.NewPCG(uint64(b), 99))
		cur := *base
		cur.Board = id
		var items []store.SaveItem
		for i := range steps {
			cur = drift(&cur, start.Add(time.Duration(i)**every), rng, i)
			s := cur
			items = append(items, store.SaveItem{Snapshot: &s})
			if len(items) == *batch || i == steps-1 {
				_, err := db.SaveBatch(context.Background(), items)
				fail(err)
				total += len(items)
				items = items[:0]
			}
		}
		fmt.Fprintf(os.Stderr, "%s: %d snapshots (%d in all, %s)\n", id, steps, total, time.Since(began).Round(time.Second))
	}
	fmt.Printf("%d boards × %d scrapes = %d snapshots in %s\n", *boards, steps, total, time.Since(began).Round(time.Second))
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "historygen:", err)
		os.Exit(1)
	}
}

// load returns the newest scraped snapshot of each board in the dump,
// documents dropped (raw bodies are not part of this measure).
func load(name string) []*arenawatch.Snapshot {
	f, err := os.Open(name)
	fail(err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	fail(err)
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	by := map[string]*arenawatch.Snapshot{}
	for sc.Scan() {
		var line struct{ Snapshot *arenawatch.Snapshot }
		fail(json.Unmarshal(sc.Bytes(), &line))
		if s := line.Snapshot; s != nil && s.Origin != arenawatch.OriginImported {
			s.Documents, s.SHA256 = nil, ""
			by[s.Board] = s
		}
	}
	fail(sc.Err())
	var out []*arenawatch.Snapshot
	for _, s := range by {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Board < out[j].Board })
	return out
}

// drift returns the next scrape: scores move, votes grow, a model arrives
// now and then and the oldest listed one leaves.
func drift(s *arenawatch.Snapshot, at time.Time, rng *rand.Rand, step int) arenawatch.Snapshot {
	next := *s
	next.FetchedAt = at
	next.AsOf = at.Truncate(24 * time.Hour)
	next.Rows = make([]arenawatch.Row, len(s.Rows))
	for i, r := range s.Rows {
		r.Score = float64(int((r.Score+rng.NormFloat64()*0.5)*100)) / 100
		r.Votes += int64(rng.IntN(300))
		next.Rows[i] = r
	}
	if step%30 == 29 && len(next.Rows) > 1 {
		r := next.Rows[0]
		r.Model = "model-" + strconv.Itoa(step)
		next.Rows = append(next.Rows[1:], r)
	}
	next.ContentHash = next.ComputeContentHash()
	return next
}
