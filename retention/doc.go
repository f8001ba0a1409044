// Package retention decides which snapshots of one board survive a prune,
// in the manner of restic's "forget" policy. It is pure: it reads a Policy
// and a list of Items (a snapshot's fetch time and whether it was imported)
// and returns one Decision per item, with the reasons it is kept. It knows
// nothing of the store and imports only the standard library.
//
// # Rules
//
// The snapshots are ordered newest first. An item is kept when any rule keeps
// it, and every rule that keeps it is listed in its Decision's Reasons:
//
//   - newest: the newest snapshot is always kept, whatever the policy.
//   - last N: the N newest snapshots.
//   - hourly, daily, weekly, monthly, yearly N: for the N newest periods
//     (UTC hours, UTC days, ISO 8601 weeks, calendar months, calendar years)
//     that hold one or more snapshots, the newest snapshot of each period.
//     Periods without a snapshot do not count, so "daily 7" on a board
//     scraped on 7 scattered days keeps one snapshot for each of those days.
//     ISO weeks run Monday to Sunday and belong to the ISO year of their
//     Thursday: 2025-12-29 is in week 2026-W01.
//   - within S: every snapshot fetched at or after S before the newest
//     snapshot (inclusive; restic's bound is exclusive). The span is
//     measured from the board's newest snapshot, not from now, so a board
//     that stopped being scraped keeps its last stretch. S is a calendar
//     Span such as "1y6m" or "30d"; see ParseSpan and Span.Before.
//   - imported: unless Policy.IncludeImported is set, imported snapshots are
//     always kept. They still take part in the other rules like any other
//     snapshot (an imported snapshot can be a day's newest and so take that
//     day's slot); the protection is only added on top.
//
// A count of Unlimited (-1) applies a rule without limit; 0 leaves it unused.
//
// # Ties and order
//
// Items may be passed in any order, and decisions come back in that order.
// Items with the same Time are ordered deterministically: a non-imported one
// counts as newer than an imported one, and otherwise the one earlier in the
// input counts as newer. Identical items are indistinguishable to the
// policy, so which of them is kept follows their input order only.
//
// # Properties
//
// The tests check these against a deliberately naive model of the rules:
// the newest item is always kept; imported items are kept unless
// IncludeImported; a prune is idempotent (applying the same policy to the
// survivors keeps all of them, because each rule keeps what it kept before:
// the periods it selected are still the newest ones and their newest
// snapshots are still there); reordering the input does not change any
// item's decision; and raising a count never keeps fewer items.
//
// # Empty and invalid policies
//
// A policy with no rule (Policy.Empty) would keep only the newest and the
// imported snapshots, which is almost never meant: callers must refuse to
// prune with one, and Apply, as a second guard, keeps every item under it
// with the reason "empty policy", as restic does. Apply refuses an invalid
// policy (Policy.Validate) with an error.
//
// # Not done
//
// restic's tag rules, its per-period "within" rules (--keep-within-daily and
// so on) and, since restic 0.17, keeping the oldest snapshot when a period
// rule has fewer periods than its count are not implemented.
package retention
