package retention_test

import (
	"fmt"
	"time"

	"github.com/arenawatch/arenawatch/retention"
)

func ExampleApply() {
	within, err := retention.ParseSpan("1d")
	if err != nil {
		panic(err)
	}
	p := retention.Policy{Daily: 3, Weekly: 2, Within: within}
	// A board scraped every 6 hours from 2026-11-20 until it stopped on 2026-11-30.
	var items []retention.Item
	for t := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC); !t.After(time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)); t = t.Add(6 * time.Hour) {
		items = append(items, retention.Item{Time: t})
	}
	items = append(items, retention.Item{Time: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Imported: true})
	if p.Empty() {
		panic("refuse to prune with an empty policy")
	}
	ds, err := retention.Apply(p, items)
	if err != nil {
		panic(err)
	}
	for i, d := range ds {
		if d.Keep {
			fmt.Println(items[i].Time.Format("2006-01-02 15:04"), d.Reasons)
		}
	}
	// Output:
	// 2026-11-28 18:00 [daily 2026-11-28]
	// 2026-11-29 06:00 [within 1d]
	// 2026-11-29 12:00 [within 1d]
	// 2026-11-29 18:00 [daily 2026-11-29 weekly 2026-W48 within 1d]
	// 2026-11-30 00:00 [within 1d]
	// 2026-11-30 06:00 [newest daily 2026-11-30 weekly 2026-W49 within 1d]
	// 2025-06-01 00:00 [imported]
}
