package scraper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/arenawatch/arenawatch"
)

// SciArenaParserVersion names the SciArena extractor.
const SciArenaParserVersion = "sciarena-api/1"

func init() {
	extractors["sciarena"] = extractorSpec{
		version: SciArenaParserVersion, requests: []string{"page"},
		run: func(_ arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractSciArena(docs["page"])
		},
	}
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

type sciArenaRow struct {
	ModelID    string          `json:"modelId"`
	Rating     *float64        `json:"rating"`
	Lower      *float64        `json:"rating_q025"`
	Upper      *float64        `json:"rating_q975"`
	Variance   *float64        `json:"variance"`
	NumBattles *float64        `json:"num_battles"`
	Rank       *float64        `json:"rank"`
	Cost       json.RawMessage `json:"cost_per_100_calls_usd"`
}

// ExtractSciArena reads SciArena's leaderboard API: a bare JSON array of
// {modelId, rating, rating_q025, rating_q975, variance, num_battles, rank,
// cost_per_100_calls_usd}. The API names no developer and no licence, so
// rows carry neither and the catalog classifies them by modelId. Rank is
// the API's own; the cost, which third-party readers found is sometimes
// missing or not a number, is kept only when it is one. The response
// states no date.
func ExtractSciArena(body []byte) (*Extract, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '[' {
		return nil, driftf("the API did not answer with a JSON array (starts %q)", head(body, 40))
	}
	var in []sciArenaRow
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, driftf("API response is not the expected JSON: %v", err)
	}
	ex := &Extract{}
	seen := map[string]bool{}
	noCost := 0
	for i, s := range in {
		if s.ModelID == "" {
			return nil, driftf("row %d: no modelId", i+1)
		}
		if seen[s.ModelID] {
			return nil, driftf("row %d: modelId %q listed twice", i+1, s.ModelID)
		}
		seen[s.ModelID] = true
		if s.Rating == nil {
			return nil, driftf("row %d (%s): no rating", i+1, s.ModelID)
		}
		r := arenawatch.Row{Model: s.ModelID, Score: *s.Rating, ScoreLower: s.Lower, ScoreUpper: s.Upper}
		if s.Rank != nil {
			if *s.Rank < 1 || *s.Rank != math.Trunc(*s.Rank) {
				return nil, driftf("row %d (%s): rank %v is not a positive whole number", i+1, s.ModelID, *s.Rank)
			}
			r.Rank = int(*s.Rank)
		}
		if s.NumBattles != nil {
			if *s.NumBattles < 0 || *s.NumBattles != math.Trunc(*s.NumBattles) {
				return nil, driftf("row %d (%s): num_battles %v is not a count", i+1, s.ModelID, *s.NumBattles)
			}
			r.Votes = int64(*s.NumBattles)
		}
		if s.Variance != nil {
			r.Metrics = map[string]float64{"variance": *s.Variance}
		}
		if c, ok := sciArenaCost(s.Cost); ok {
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
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d of %d rows without a numeric cost_per_100_calls_usd", noCost, len(in)))
	}
	return ex, nil
}

// sciArenaCost reads the cost field: a number, or a string holding one.
func sciArenaCost(raw json.RawMessage) (float64, bool) {
	var f float64
	if err := json.Unmarshal(raw, &f); err == nil && len(raw) > 0 && string(raw) != "null" {
		return f, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, true
		}
	}
	return 0, false
}

// head returns at most n bytes of b, for error messages about what a
// response held instead of the expected data.
func head(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
