// Package consensus puts the answers of several boards side by side, as
// 'report' gives them for one time, and draws one answer across them:
// 'arenawatch summary'.
//
// It does not read the store: the caller answers each board at the time
// asked about (ranking.Report for quality boards, ranking.Adoption for
// usage boards, exactly as 'report --at' does) and Summarize marks the
// boards whose data is stale and counts the consensus.
//
// # Groups
//
// Every board belongs to one group, derived from what arenawatch.Board
// carries (GroupOf): "usage" for usage boards (Board.Usage: OpenRouter's
// tokens); "arena" for the boards that rank by human votes (arena.ai and
// its Hugging Face dataset, Design Arena, openlm.ai, SciArena);
// "benchmarks" for the boards that rank by a test score (SWE-bench, Aider,
// LiveBench, BFCL, Artificial Analysis); "other" for user-defined boards.
//
// # Staleness
//
// A board's age is the time from its data's date to the time asked about
// (--at, or now). By default the data's date is the snapshot's as-of date,
// the source's own date for the data, and the fetch time when the source
// states none (ByAsOf). With ByFetch the age reads the fetch time. An
// unchanged re-scrape is not stored again, so a snapshot's fetch time is
// when arenawatch first saw that content: an undated source that has not
// changed ages too. A board is stale when its age exceeds its group's
// threshold (DefaultStaleAfter), chosen from how often the sources really
// publish:
//
//   - arena, 14 days: LMArena's published history (2024-07 to 2025-08, 91
//     dates) has a median gap of 4 days and a longest one of 12;
//   - benchmarks, 60 days: these boards change in batches weeks or months
//     apart (BFCL's data of 2025-12-16 was still the current one in
//     2026-04); Aider has not changed since 2025-10 and is stale,
//     truthfully. LiveBench's as-of date is its release date, while a
//     release keeps receiving models for months: by as-of it ages from the
//     release, by fetch time from its last change;
//   - usage, 3 days: OpenRouter exports every day;
//   - other, 30 days: nothing is known about a user-defined board.
//
// # The consensus
//
// Only quality boards count (usage boards are kept apart, in Usage), each
// board once, and stale boards only when Options.IncludeStale is set; the
// counted boards are listed. Over them:
//
//   - the median of the best open non-Chinese model's position among open
//     models: boards without such a model are left out of the median and
//     listed (None); with an even number of positions the median is the
//     mean of the two middle ones (so it can end in .5); null when no board
//     has one;
//   - on how many boards the leading open model is Chinese, not Chinese,
//     or of unknown origin, of the boards that have a leading open model;
//   - which open non-Chinese model is the best one on the most boards: a
//     model is one identity across boards (ranking.Identity of its name, or
//     its family with --by family); a tie lists every model with the most
//     boards, ordered by identity.
//
// Chinese means what 'report' means in the reports' origin view
// (ranking.Class.Chinese): unknown origin is never counted as Chinese or
// as not Chinese.
package consensus
