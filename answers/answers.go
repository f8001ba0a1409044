// Package answers answers a board's stored snapshots over time: it reads
// them from the store and answers each one as 'report --at' would, with
// package history. It is what history, streaks, charts, the static site
// and 'export --answers' share, so that they all tell the same story. A
// Cache keeps the answers, so that a long history is answered once.
package answers

import (
	"fmt"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/store"
)

// History selects the board's snapshots that opt asks for and answers
// each, reading and keeping answers in cache (nil for none; rows answered
// here are written by cache.Flush or Close). It returns the rows, in time
// order, and the number of snapshots the board has in all. No snapshot at
// all, or none in the window, is KindNotFound.
func History(db *store.DB, cache *Cache, board string, opt history.Options) ([]history.Row, int, error) {
	infos, err := db.Snapshots(board)
	if err != nil {
		return nil, 0, err
	}
	if len(infos) == 0 {
		return nil, 0, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(),
			Err: fmt.Errorf("no snapshots of board %s", board), Hint: "run 'arenawatch scrape " + board + "' (or 'arenawatch import')"}
	}
	keys := make([]history.Key, len(infos))
	hashes := make(map[int64]string, len(infos))
	for i, in := range infos {
		keys[i] = history.Key{FetchedAt: in.FetchedAt, AsOf: in.AsOf}
		hashes[in.FetchedAt.UnixNano()] = in.ContentHash // the last listed wins, as in Select
	}
	picked := history.Select(keys, opt)
	if len(picked) == 0 {
		return nil, len(infos), &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(),
			Err:  fmt.Errorf("none of the %d snapshots of %s is in the window asked for (--time %s)", len(infos), board, opt.Time),
			Hint: "'arenawatch history " + board + "' without --since/--until lists them all"}
	}
	gen := ""
	if cache != nil {
		gen = cache.generation(opt)
	}
	rowKeys := make([]string, len(picked))
	for i, p := range picked {
		rowKeys[i] = rowKey(board, p.FetchedAt, hashes[p.FetchedAt.UnixNano()])
	}
	kept := cache.getAll(gen, rowKeys)
	rows := make([]history.Row, len(picked))
	for i, p := range picked {
		row, ok := kept[rowKeys[i]]
		if !ok {
			// At(FetchedAt) is the snapshot 'report --at' answers from at that time.
			s, err := db.At(board, p.FetchedAt)
			if err != nil {
				return nil, len(infos), err
			}
			row = history.RowOf(s, opt)
			cache.put(gen, rowKeys[i], row)
		}
		row.Period = p.Period
		rows[i] = row
	}
	return rows, len(infos), nil
}
