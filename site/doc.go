// Package site builds arenawatch's static web report from the store: an
// index with one card per board, one page per board and an about page,
// plain HTML and SVG that read from file:// or any static host, without
// JavaScript (sort.js only makes the tables sortable).
//
// Load reads what the pages show (answers through package answers, the
// run log, the change since the previous snapshot through history.Compare,
// the catalog audit); Build writes the files. Every text that came from
// the web goes through html/template, and through sanitize.Text first, so
// that a bidi override or a control character is shown escaped, never
// obeyed.
//
// # Determinism
//
// The same database, catalog and options give the same bytes: nothing
// reads the wall clock, and every list is in a fixed order. The time the
// statuses are judged at is the database's own clock: its newest run or
// snapshot (Site.AsOf), which the index states.
//
// # Status
//
// A board is failing when its latest run in the run log failed; else
// stale when its latest snapshot (the last time its content changed) is
// older, at Site.AsOf, than the board's StaleAfter; else fresh. StaleAfter
// follows how often the board changes: three times the median interval
// between its last MedianOf+1 snapshots, at least MinStale; a board with
// fewer than three snapshots gets DefaultStale. So a board that changes
// daily is stale after three quiet days, and one that changes monthly
// only after three quiet months.
//
// # Layout
//
//	index.html                 the cards
//	about.html                 method, rules, catalog, what is unclassified
//	style.css, sort.js         shared by every page
//	boards/<board>.html        one page per board
//	boards/<board>-<kind>.svg  its charts (position, gap, share, board; usage)
package site
