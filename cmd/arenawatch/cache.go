package main

import (
	"path/filepath"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/answers"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
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
	return answers.History(db, cache, board, opt)
}

// answerWarmer answers the snapshots an import or a scrape stores, with
// the options a plain 'history BOARD' uses (the configured catalog,
// developer origin, each model, the default top list), and writes the rows
// to the answer cache after each batch: the first history after a long
// import then reads them instead of decoding every snapshot again (on
// 10,000 dates, seconds instead of tens). A nil warmer does nothing.
type answerWarmer struct {
	e     *env
	cat   *ranking.Catalog
	rules map[string]arenawatch.RankRule // the boards history answers
	rows  []answers.Answered
}

// answerWarmer returns a warmer, or nil when the cache is off or the
// catalog cannot be read (the command that needs it will say why).
func (e *env) answerWarmer() *answerWarmer {
	if e.getenv("ARENAWATCH_CACHE") == "off" {
		return nil
	}
	cat, err := e.catalog("")
	if err != nil {
		return nil
	}
	bs, err := e.boards(nil)
	if err != nil {
		return nil
	}
	w := &answerWarmer{e: e, cat: cat, rules: map[string]arenawatch.RankRule{}}
	for _, b := range bs {
		if !b.Usage { // history answers ranked boards only
			w.rules[b.ID] = b.Rank
		}
	}
	return w
}

// add answers s, a snapshot just stored.
func (w *answerWarmer) add(s *arenawatch.Snapshot) {
	if w == nil {
		return
	}
	rule, ok := w.rules[s.Board]
	if !ok {
		return
	}
	opt := history.Options{Top: history.DefaultTop, Rule: rule, Catalog: w.cat, Ranking: ranking.Options{View: ranking.ViewDeveloper}}
	w.rows = append(w.rows, answers.Answer(s, opt))
}

// flush writes the rows answered so far, opening the cache only for that
// (a long import does not hold it from other commands).
func (w *answerWarmer) flush() {
	if w == nil || len(w.rows) == 0 {
		return
	}
	c := w.e.answerCache()
	c.Keep(w.rows)
	c.Close() // nil-safe; a cache that cannot be written only costs time
	w.rows = w.rows[:0]
}
