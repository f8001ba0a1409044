// Package ranking classifies leaderboard rows and answers arenawatch's
// questions about them: which open-weight model leads a board, and where the
// best open model that is not from a Chinese lab places.
//
// Classification happens at query time, from an embedded, versioned catalog
// (catalog.yaml, see Embedded and Parse) that a user file can extend with
// Merge. The catalog maps every organization spelling seen on the boards to
// a canonical organization and its ISO 3166-1 alpha-2 country, recognises
// models by brand prefix when a row names no organization, lists serving
// providers that must never be taken for the developer, and holds per-model
// openness corrections. Anything the catalog cannot decide is "unknown", and
// unknown is never counted as open or as non-Chinese: reports count such
// rows instead of guessing.
//
// # JSON output contract
//
// BoardReport and ModelRef are written as JSON for scripts. Their field
// names are stable: fields may be added, never renamed or removed.
//
// BoardReport:
//
//	board                  board id
//	fetched_at             when the snapshot was fetched (RFC 3339)
//	as_of                  the source's own date (RFC 3339); absent when the source states none
//	url                    the board's main URL
//	origin                 how the snapshot was obtained: "scraped", "replayed" (--replay) or "imported"
//	rank_rule              how ranks were computed ("source rank", "by score, higher is better")
//	rows                   number of rows in the snapshot
//	partial                true when the page states more models than it listed
//	stated_total           the page's stated number of models, 0 if not stated
//	leading_open           ModelRef of the highest-scoring open model, or null
//	best_open_non_chinese  ModelRef of the highest-scoring open model whose origin (in origin_view) is known and not CN, or null
//	chinese_open_above     open models of Chinese origin (in origin_view) scoring strictly higher than
//	                       best_open_non_chinese (all of them if it is null)
//	unclassified_above     rows scoring strictly higher than best_open_non_chinese (all rows if it is null) whose
//	                       origin or openness is unknown and that are not known to be closed or Chinese:
//	                       rows that could change the answer
//	unclassified           {rows, origin_unknown, openness_unknown, models}: every row with an unknown
//	                       origin or openness; models lists their model keys in rank order (never null)
//	catalog_version        version of the catalog that classified the rows ("<base>+<override>" when merged)
//	origin_view            "developer" (the organization that released the checkpoint) or "lineage"
//	                       (also its base model's organization); the three fields above answer in this view
//	by_family              true when each model family was counted once (ranks are then family positions)
//	views                  [{view, best_open_non_chinese, chinese_open_above, unclassified_above,
//	                       chinese_open_above_tied, chinese_open_same_score}] for "developer" and
//	                       "lineage", in that order, whatever origin_view is
//	chinese_open_above_tied
//	                       of chinese_open_above, those statistically tied with best_open_non_chinese
//	                       (score intervals overlap); null when it is null or has no interval
//	chinese_open_same_score
//	                       open models of Chinese origin with exactly best_open_non_chinese's score (not
//	                       in chinese_open_above; listed in its exact_ties); null when it is null
//
// ModelRef:
//
//	model          the source's model key
//	name           the display name (the key when the source has no other)
//	organization   canonical organization, or the source's own text when the catalog does not know it
//	country        ISO 3166-1 alpha-2 code, "" when unknown
//	org_basis      "organization field", "brand prefix" or ""
//	license        licence text (the catalog rule's when a rule names one, else the source's)
//	tier           "open-permissive", "open-restricted", "open-noncommercial", "closed" or ""
//	open           "open", "closed" or "unknown"
//	open_basis     "catalog rule <match>", "source flag", "license" or ""
//	score          the board's main score
//	rank           overall rank under rank_rule
//	open_position  place among open models (1 + open models with a strictly higher score), 0 if not open
//	votes          votes or battles behind the score, 0 if unknown
//	family         the model's family key (ranking.Identity folded by the catalog's families)
//	base           for a derivative: its base model; absent for original models
//	base_organization, base_country
//	               the base model's developer and its ISO code ("" when unknown); absent for original models
//	score_lower, score_upper
//	               the score interval the board publishes for the row; each absent when not published
//	rank_range     {best, worst, basis}: the ranks the model plausibly holds; basis "source" (the
//	               board's rank spread) or "intervals" (computed, see confidence.go); absent when
//	               neither applies, and where the list does not compute it (see below)
//	statistical_ties
//	               {models, open, chinese_open, without_interval}: the other models whose score
//	               interval overlaps this one's, among all models; without_interval (absent at 0)
//	               counts rows compared by their score alone; absent when the row has no interval
//	exact_ties     [{model, name, organization, country, open, chinese_open, rank, page, ahead}]: the
//	               other models with exactly this score, in the source's order (page from 1; ahead:
//	               a better rank, or the same rank and earlier on the page); absent when none
//
// rank_range, statistical_ties and exact_ties are computed for the two
// answers of a BoardReport and for ConfidentRefs (rank --json), not by
// NewModelRef alone (which has one row, not the board).
//
// # Adoption (usage boards)
//
// AdoptionReport answers a usage board, whose score is tokens (OpenRouter's
// daily rankings), instead of BoardReport: how a day's tokens split by
// origin and openness. Its field names are stable like those above.
//
// AdoptionReport:
//
//	board, fetched_at, as_of, url, origin, catalog_version, origin_view
//	                       as in BoardReport; as_of is the day the tokens were counted
//	rows                   number of rows in the snapshot, the aggregate "other" row included
//	total_tokens           the day's tokens: the sum over every row, "other" included
//	chinese_open           AdoptionShare of open models whose origin (in origin_view) is Chinese
//	non_chinese_open       AdoptionShare of open models whose origin is known and not Chinese
//	closed                 AdoptionShare of closed models of known origin
//	unclassified           AdoptionShare of the rest: openness unknown, or origin unknown (a closed
//	                       model of unknown origin included), and the aggregate "other" row, which
//	                       sums every model outside the source's top list and so names no model
//	other_tokens           the "other" row's tokens, part of unclassified (0 when there is none)
//	top_chinese_open       the chinese_open model with the most tokens: a ModelRef (score = tokens,
//	                       rank = the source's rank) plus "share"; null when the class is empty
//	top_non_chinese_open   the same for non_chinese_open
//
// The four classes partition the rows, so their tokens sum to total_tokens
// and their shares to 1. Unknown is never counted as open or as non-Chinese.
//
// AdoptionShare:
//
//	tokens   the class's tokens (integer)
//	share    tokens / total_tokens, from 0 to 1 (0 when total_tokens is 0)
//	count    number of rows in the class
//	models   their model keys, most tokens first (never null)
package ranking
