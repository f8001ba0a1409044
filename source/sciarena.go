package source

import (
	"bytes"
	"fmt"
	"math"

	"github.com/arenawatch/arenawatch"
)

// SciArenaParserVersion names the SciArena extractor.
const SciArenaParserVersion = "sciarena-api/1"

// sciArenaSite declares the sciarena extractor and its boards (see site).
var sciArenaSite = site{
	extractors: map[string]Extractor{"sciarena": {
		Version: SciArenaParserVersion, Requests: []string{"page"},
		Run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractSciArena(docs["page"])
		},
	}},
	boards: sciArenaBoards,
}

// sciArenaBoards returns Ai2's SciArena board: experts vote on answers to
// questions about the scientific literature.
func sciArenaBoards() arenawatch.Boards {
	return arenawatch.Boards{{
		ID:        "sciarena",
		Title:     "SciArena (Ai2): literature-grounded scientific questions, expert votes",
		Site:      "sciarena.allen.ai",
		Extractor: "sciarena",
		Requests:  []arenawatch.Request{{Name: "page", URL: "https://sciarena.allen.ai/api/leaderboard"}},
		Rank:      arenawatch.RankOwn,
		Limits:    arenawatch.Limits{MinRows: 20},
		ScoreName: "Elo",
	}}
}

// ExtractSciArena reads SciArena's leaderboard API: a bare JSON array of
// {modelId, rating, rating_q025, rating_q975, variance, num_battles, rank,
// cost_per_100_calls_usd}. The API names no developer and no licence, so
// rows carry neither and the catalog classifies them by modelId. The
// response states no date.
//
// Needed (missing or malformed fails the board, naming the field):
// modelId (unique) and rating. Optional, read when well-formed and else
// left out (counted in a note): rank (the API's own; without it the board
// ranks by rating), num_battles, rating_q025 and rating_q975 (kept as a
// pair), variance, and cost_per_100_calls_usd (third-party readers found
// it sometimes missing or not a number; rows without it are counted in a
// note of their own). A rank or battle count of the right type but an
// impossible value (2.5, -1) fails the board: it would be used as it is.
// Any other field is ignored.
func ExtractSciArena(body []byte) (*Extract, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '[' {
		return nil, driftf("the API did not answer with a JSON array (starts %q)", head(body, 40))
	}
	items, err := decodeArray(body, "API response")
	if err != nil {
		return nil, driftf("API response is not the expected JSON: %v", err)
	}
	ex := &Extract{}
	noCost, bad := 0, 0
	for i, item := range items {
		where := fmt.Sprintf("row %d", i+1)
		o, err := decodeObject(item, "")
		if err != nil {
			return nil, driftf("%s is not a JSON object (starts %q)", where, head(item, 40))
		}
		id, err := o.needStr("modelId")
		if err != nil {
			return nil, driftf("%s: %v", where, err)
		}
		where += " (" + id + ")"
		rating, err := o.needNum("rating")
		if err != nil {
			return nil, driftf("%s: %v", where, err)
		}
		r := arenawatch.Row{Model: id, Score: rating}
		if rank, ok := o.optNum("rank", &bad); ok {
			if rank < 1 || rank != math.Trunc(rank) {
				return nil, driftf("%s: rank %v is not a positive whole number", where, rank)
			}
			r.Rank = int(rank)
		}
		if n, ok := o.optNum("num_battles", &bad); ok {
			if n < 0 || n != math.Trunc(n) {
				return nil, driftf("%s: num_battles %v is not a count", where, n)
			}
			r.Votes = int64(n)
		}
		lo, okLo := o.optNum("rating_q025", &bad)
		hi, okHi := o.optNum("rating_q975", &bad)
		if okLo && okHi {
			r.ScoreLower, r.ScoreUpper = &lo, &hi
		}
		if v, ok := o.optNum("variance", &bad); ok {
			r.Metrics = map[string]float64{"variance": v}
		}
		if c, ok := o.optNum("cost_per_100_calls_usd", nil); ok {
			if r.Metrics == nil {
				r.Metrics = map[string]float64{}
			}
			r.Metrics["cost_per_100_calls_usd"] = c
		} else {
			noCost++
		}
		ex.Rows = append(ex.Rows, r)
	}
	if noCost > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d of %d rows without a numeric cost_per_100_calls_usd", noCost, len(items)))
	}
	if bad > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(bad))
	}
	return ex, nil
}

// head returns at most n bytes of b, for error messages about what a
// response held instead of the expected data.
func head(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
