// Package arenawatch holds the domain types shared by every part of the
// arenawatch tool: boards and their requests, snapshots and rows, the
// validation rules a snapshot must pass before it is stored, and the one
// error vocabulary the whole program speaks.
//
// The package imports nothing outside the standard library. The data flows
// one way through the sub-packages:
//
//	source (boards) → fetch (HTTP) → source (extract) → arenawatch.Seal → store (bbolt) → ranking (classify, report)
//
// with scraper running the first steps for each board, replay serving
// recorded pages on loopback, and cmd/arenawatch wiring them together.
package arenawatch
