// Package history answers the report's questions for every snapshot of a
// board over time, or for the last snapshot of each day, week or month:
// the story of which open model led and where the best open model not
// from a Chinese lab placed.
//
// It does not read the store: a caller lists the board's snapshots as
// Keys, Select picks the ones a history shows, and RowOf answers each
// picked snapshot with ranking.Report, so a history row says exactly what
// 'arenawatch report --at' says for that snapshot. Package answers does
// this for a board of the store, with a cache of answered rows.
//
// # Which time
//
// A snapshot has two times: FetchedAt, when arenawatch fetched the page
// (for an imported dataset: the publish date, 00:00 UTC), and AsOf, the
// source's own date for its data (zero when the source states none). A
// page scraped today may hold data as of last week. Options.Time chooses
// which one Since, Until and Every read: ByFetch (the default, the same
// time 'report --at' selects by) or ByAsOf (the source's date; a snapshot
// without one falls back to its fetch time). Every row carries both times
// and AsOfLag, the whole days by which the data is older than the fetch,
// so old data fetched late is never shown as new. All periods are UTC.
package history
