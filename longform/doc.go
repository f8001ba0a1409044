// Package longform reads leaderboard histories kept in long format, one row
// per model per snapshot, back into snapshots that are sealed and validated
// like a scrape (arenawatch.Seal):
//
//   - community archives of a board, such as the CSV files people keep of
//     the Arena text leaderboard (snapshot_date, rank, model, score, ci95,
//     votes, organization, license): [ReadCSV], one snapshot per date;
//   - arenawatch's own exports in CSV, JSON Lines or Parquet (the columns of
//     package export): [ReadExport], one snapshot per exported snapshot.
//
// Both are tolerant readers: they decode only the columns they map to a
// field and ignore the rest. A column a snapshot needs (date, model, score)
// that is missing fails the whole file, naming the column; a value that is
// malformed fails the snapshot it belongs to, naming the line and the
// column, and the other snapshots are still read. An optional value that is
// malformed (a rank, a CI, votes) is left out and counted in a note of the
// snapshot. The functions are pure: they read only what they are given.
package longform
