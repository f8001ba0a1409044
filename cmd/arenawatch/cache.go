package main

import (
	"path/filepath"

	"github.com/arenawatch/arenawatch/answers"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/store"
)

// answerCache opens the cache of answered history rows: ARENAWATCH_CACHE
// (a file, or "off"), else $XDG_CACHE_HOME/arenawatch/answers.db, else
// ~/.cache/arenawatch/answers.db. It returns nil, and the question is
// answered without it, when the cache is off or cannot be opened (another
// arenawatch holds it, the directory is not writable): a cache only ever
// saves time.
func (e *env) answerCache() *answers.Cache {
	path := e.getenv("ARENAWATCH_CACHE")
	switch {
	case path == "off":
		return nil
	case path != "":
	case e.getenv("XDG_CACHE_HOME") != "":
		path = filepath.Join(e.getenv("XDG_CACHE_HOME"), "arenawatch", "answers.db")
	case e.getenv("HOME") != "":
		path = filepath.Join(e.getenv("HOME"), ".cache", "arenawatch", "answers.db")
	default:
		return nil
	}
	c, err := answers.OpenCache(path, e.now)
	if err != nil {
		return nil
	}
	return c
}

// historyRows answers the board's history through the answer cache,
// writing the rows it answered back before it returns.
func (e *env) historyRows(db *store.DB, board string, opt history.Options) ([]history.Row, int, error) {
	cache := e.answerCache()
	defer cache.Close() // nil-safe; a failed write only costs time next run
	return answers.HistoryCached(db, cache, board, opt)
}
