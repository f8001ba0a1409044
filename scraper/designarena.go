package scraper

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// DesignArenaParserVersion names the Design Arena extractor.
const DesignArenaParserVersion = "designarena-api/1"

// designArenaLeaderboard is the response of POST /api/leaderboard. Rows
// carry modelId (2026-07) or displayName (the documented API example).
type designArenaLeaderboard struct {
	Success *bool             `json:"success"`
	Error   string            `json:"error"`
	Data    []json.RawMessage `json:"data"`
	Meta    struct {
		Arena       string `json:"arena"`
		Category    string `json:"category"`
		LastUpdated string `json:"lastUpdated"`
	} `json:"meta"`
	Timestamp string `json:"timestamp"`
}

type designArenaRow struct {
	ModelID      string   `json:"modelId"`
	DisplayName  string   `json:"displayName"`
	Provider     string   `json:"provider"`
	OpenRouterID *string  `json:"openRouterId"`
	Wins         *float64 `json:"wins"`
	Losses       *float64 `json:"losses"`
	Battles      *float64 `json:"battles"`
	WinRate      *float64 `json:"winRate"`
	Elo          *float64 `json:"elo"`
	BTStdErr     *float64 `json:"btStdErr"`
	AvgGenMs     *float64 `json:"avgGenerationTimeMs"`
}

// designArenaRegistry is the response of GET /api/registry.
type designArenaRegistry struct {
	Models map[string]struct {
		DisplayName string `json:"displayName"`
		Provider    string `json:"provider"`
		OpenSource  *bool  `json:"openSource"`
	} `json:"models"`
	Providers map[string]string `json:"providers"`
}

// ExtractDesignArena reads a Design Arena leaderboard response and joins
// each row with the model registry for its provider and openSource flag.
// arena and category are what was asked for; a response about another
// board is markup drift, not data. The payload has no rank: rows are
// ranked by elo downstream. Rows missing from the registry are kept with
// no organization and no open flag, so that they are reported as
// unclassified rather than guessed.
func ExtractDesignArena(leaderboard, registry []byte, arena, category string) (*Extract, error) {
	var lb designArenaLeaderboard
	if err := json.Unmarshal(leaderboard, &lb); err != nil {
		return nil, driftf("leaderboard response is not the expected JSON: %v", err)
	}
	if lb.Success != nil && !*lb.Success {
		msg := lb.Error
		if msg == "" {
			msg = "no error message"
		}
		return nil, driftf("leaderboard response says success=false (%s)", msg)
	}
	if lb.Data == nil {
		return nil, driftf("leaderboard response has no \"data\" array")
	}
	if arena != "" && lb.Meta.Arena != "" && lb.Meta.Arena != arena {
		return nil, driftf("leaderboard response is for arena %q, asked for %q", lb.Meta.Arena, arena)
	}
	if category != "" && lb.Meta.Category != "" && lb.Meta.Category != category {
		return nil, driftf("leaderboard response is for category %q, asked for %q", lb.Meta.Category, category)
	}
	var reg designArenaRegistry
	if err := json.Unmarshal(registry, &reg); err != nil {
		return nil, driftf("registry response is not the expected JSON: %v", err)
	}
	if reg.Models == nil {
		return nil, driftf("registry response has no \"models\" object")
	}
	byName := map[string]string{}
	for id, m := range reg.Models {
		key := strings.ToLower(cleanText(m.DisplayName))
		if prev, dup := byName[key]; dup && prev < id {
			continue // keep the smallest id for a stable join
		}
		byName[key] = id
	}

	ex := &Extract{}
	var missing []string
	for i, raw := range lb.Data {
		var d designArenaRow
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, driftf("data[%d]: %v", i, err)
		}
		if d.Elo == nil {
			return nil, driftf("data[%d] (%s): no \"elo\"", i, firstNonEmpty(d.ModelID, d.DisplayName))
		}
		r := arenawatch.Row{Score: *d.Elo}
		id := d.ModelID
		if id == "" && d.DisplayName != "" {
			id = byName[strings.ToLower(cleanText(d.DisplayName))]
		}
		m, inRegistry := reg.Models[id]
		switch {
		case d.ModelID != "":
			r.Model = d.ModelID
		case inRegistry:
			r.Model = id
		default:
			r.Model = d.DisplayName
		}
		if r.Model == "" {
			return nil, driftf("data[%d]: no \"modelId\" or \"displayName\"", i)
		}
		r.Name = firstNonEmpty(m.DisplayName, d.DisplayName)
		if r.Name == r.Model {
			r.Name = ""
		}
		provider := firstNonEmpty(m.Provider, d.Provider)
		if provider != "" {
			r.Organization = arenawatch.Str(provider)
		}
		if inRegistry && m.OpenSource != nil {
			r.Open = arenawatch.Bool(*m.OpenSource)
		}
		if !inRegistry {
			missing = append(missing, r.Model)
		}
		if d.Battles != nil {
			r.Votes = int64(math.Round(*d.Battles))
		}
		metrics := map[string]float64{}
		for _, f := range []struct {
			name string
			v    *float64
		}{{"wins", d.Wins}, {"losses", d.Losses}, {"win_rate", d.WinRate}, {"bt_std_err", d.BTStdErr}, {"avg_generation_time_ms", d.AvgGenMs}} {
			if f.v != nil {
				metrics[f.name] = *f.v
			}
		}
		if len(metrics) > 0 {
			r.Metrics = metrics
		}
		extra := map[string]string{}
		if name := reg.Providers[provider]; name != "" {
			extra["provider_name"] = name
		}
		if d.OpenRouterID != nil && *d.OpenRouterID != "" {
			extra["openrouter_id"] = *d.OpenRouterID
		}
		if len(extra) > 0 {
			r.Extra = extra
		}
		ex.Rows = append(ex.Rows, r)
	}
	for _, s := range []string{lb.Meta.LastUpdated, lb.Timestamp} {
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, driftf("leaderboard date %q: %v", s, err)
		}
		ex.AsOf = t.UTC()
		break
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d models not in the registry (no provider or openSource flag): %s",
			len(missing), strings.Join(missing, ", ")))
	}
	return ex, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
