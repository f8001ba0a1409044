// Package duckcheck checks arenawatch's Parquet export with a real
// consumer: DuckDB (through its Go driver, which needs cgo) reads the
// Hive-partitioned dataset and answers a board's headline question in SQL,
// and the answer must equal 'arenawatch report --json'. It is a module of
// its own so that DuckDB and cgo never enter arenawatch's own build.
package duckcheck
