package scraper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/arenawatch/arenawatch"
)

// SWEBenchParserVersion names the SWE-bench extractor.
const SWEBenchParserVersion = "swebench-json/1"

// sweBenchData is the script element in which swebench.com ships every
// split's results as JSON (the page renders its tables from it).
var sweBenchData = cascadia.MustCompile(`script#leaderboard-data`)

func init() {
	extractors["swebench"] = extractorSpec{
		version:  SWEBenchParserVersion,
		requests: []string{"page"},
		run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractSWEBench(docs["page"], b.Params["split"])
		},
	}
}

// sweBenchBoards returns one board per SWE-bench split. The rows are agent
// systems (a scaffold plus one or more models) ranked by % resolved, not
// models; ties are common.
func sweBenchBoards() arenawatch.Boards {
	spec := func(id, split, title string, minRows int) arenawatch.Board {
		return arenawatch.Board{
			ID:        id,
			Title:     title,
			Site:      "swebench.com",
			Extractor: "swebench",
			Requests:  []arenawatch.Request{{Name: "page", URL: "https://www.swebench.com/"}},
			Params:    map[string]string{"split": split},
			Rank:      arenawatch.RankByScore,
			Limits:    arenawatch.Limits{MinRows: minRows},
			ScoreName: "% resolved",
		}
	}
	return arenawatch.Boards{
		spec("swebench-verified", "Verified",
			"SWE-bench Verified (500 tasks): agent systems ranked by % resolved; ties are common", 50),
		spec("swebench-lite", "Lite",
			"SWE-bench Lite (300 tasks): agent systems ranked by % resolved; ties are common", 30),
		spec("swebench-test", "Test",
			"SWE-bench Full (test split, 2294 tasks): agent systems ranked by % resolved; ties are common", 10),
		spec("swebench-multimodal", "Multimodal",
			"SWE-bench Multimodal (517 tasks): agent systems ranked by % resolved; ties are common", 10),
		spec("swebench-bash-only", "bash-only",
			"SWE-bench Bash Only (one minimal bash agent per model): ranked by % resolved; ties are common", 10),
	}
}

type sweBenchSplit struct {
	Name    *string           `json:"name"`
	Results []json.RawMessage `json:"results"`
}

type sweBenchResult struct {
	Name          string   `json:"name"`
	Resolved      *float64 `json:"resolved"`
	Date          string   `json:"date"`
	Folder        string   `json:"folder"`
	Cost          *float64 `json:"cost"`
	InstanceCost  *float64 `json:"instance_cost"`
	InstanceCalls *float64 `json:"instance_calls"`
	OSModel       any      `json:"os_model"` // true/false; "checked" is sometimes a sentence
	OSSystem      any      `json:"os_system"`
	Checked       any      `json:"checked"`
	Tags          []string `json:"tags"`
	Warning       any      `json:"warning"`
	MiniVersion   string   `json:"mini-swe-agent_version"`
}

// ExtractSWEBench reads one split ("Verified", "Lite", "Test",
// "Multimodal", "bash-only") out of swebench.com's
// <script type="application/json" id="leaderboard-data">, a list of
// {"name", "results"} objects (the repository's data file wraps the same
// list as {"leaderboards": [...]}; both are read).
//
// Each result is an agent system. Model is its name; a name listed twice in
// a split (one system, several versions) keeps every row, the later ones
// keyed "name [2]", "name [3]". Open is os_model (the model weights are
// open). No Organization is set: the "Org: …" tags name the submitter,
// the scaffold's maker or the model's developer without saying which; they
// are kept in extra "orgs". A row with one "Model: …" tag has it as its
// Underlying model, which the catalog classifies; all model tags are in
// extra "model". The page states no rank and no
// date for the split.
func ExtractSWEBench(page []byte, split string) (*Extract, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, driftf("parse HTML: %v", err)
	}
	script := doc.FindMatcher(sweBenchData).First()
	if script.Length() == 0 {
		return nil, driftf(`no <script id="leaderboard-data"> in the page`)
	}
	raw := bytes.TrimSpace([]byte(script.Text()))
	if len(raw) == 0 {
		return nil, driftf(`<script id="leaderboard-data"> is empty`)
	}
	if raw[0] == '{' {
		var wrapped struct {
			Leaderboards json.RawMessage `json:"leaderboards"`
		}
		if err := json.Unmarshal(raw, &wrapped); err != nil || wrapped.Leaderboards == nil {
			return nil, driftf(`leaderboard-data is an object without a "leaderboards" list`)
		}
		raw = wrapped.Leaderboards
	}
	var splits []sweBenchSplit
	if err := json.Unmarshal(raw, &splits); err != nil {
		return nil, driftf("leaderboard-data is not a list of {name, results}: %v", err)
	}
	var names []string
	var chosen *sweBenchSplit
	for i := range splits {
		if splits[i].Name == nil {
			return nil, driftf("leaderboard-data item %d has no \"name\"", i+1)
		}
		names = append(names, fmt.Sprintf("%q", *splits[i].Name))
		if chosen == nil && strings.EqualFold(*splits[i].Name, split) {
			chosen = &splits[i]
		}
	}
	if chosen == nil {
		return nil, driftf("leaderboard-data has no split %q (it has: %s)", split, strings.Join(names, ", "))
	}
	if len(chosen.Results) == 0 {
		return nil, driftf("split %q has no results", *chosen.Name)
	}
	ex := &Extract{}
	var keys repeatKeys
	multiModel := 0
	for i, rawResult := range chosen.Results {
		var res sweBenchResult
		if err := json.Unmarshal(rawResult, &res); err != nil {
			return nil, driftf("split %s, result %d (%s): %v", *chosen.Name, i+1, sweBenchName(rawResult), err)
		}
		name := cleanText(res.Name)
		if name == "" {
			return nil, driftf("split %s, result %d: no \"name\"", *chosen.Name, i+1)
		}
		if res.Resolved == nil {
			return nil, driftf("split %s, result %d (%s): no numeric \"resolved\"", *chosen.Name, i+1, name)
		}
		if *res.Resolved < 0 || *res.Resolved > 100 {
			return nil, driftf("split %s, result %d (%s): resolved %g is not a percentage", *chosen.Name, i+1, name, *res.Resolved)
		}
		r := arenawatch.Row{Score: *res.Resolved}
		keys.key(&r, name)
		extra := map[string]string{}
		switch v := res.OSModel.(type) {
		case bool:
			r.Open = arenawatch.Bool(v)
		case nil:
		default:
			extra["os_model"] = cleanText(fmt.Sprint(v)) // not a flag: kept, not read as one
		}
		var orgs, models, systems []string
		for _, tag := range res.Tags {
			k, v, ok := strings.Cut(tag, ":")
			v = cleanText(v)
			if !ok || v == "" {
				continue
			}
			switch strings.ToLower(cleanText(k)) {
			case "org":
				orgs = append(orgs, v)
			case "model":
				models = append(models, v)
			case "system":
				systems = append(systems, v)
			}
		}
		// The Org tags name the submitter, the scaffold's maker or the
		// model's developer without saying which ("OpenHands + Kimi K2"
		// carries only "Org: OpenHands"), so none is taken as the
		// developer: the row is classified by its one underlying model.
		if len(orgs) > 0 {
			extra["orgs"] = strings.Join(orgs, "; ")
		}
		if len(models) == 1 {
			r.Underlying = models[0]
		}
		if len(models) > 0 {
			extra["model"] = strings.Join(models, "; ")
		}
		if len(models) > 1 {
			multiModel++
		}
		if len(systems) > 0 {
			extra["system"] = strings.Join(systems, "; ")
		}
		for k, v := range map[string]string{"date": res.Date, "folder": res.Folder, "mini_swe_agent_version": res.MiniVersion} {
			if v = cleanText(v); v != "" {
				extra[k] = v
			}
		}
		for k, v := range map[string]any{"os_system": res.OSSystem, "checked": res.Checked} {
			if v != nil {
				if t := cleanText(fmt.Sprint(v)); t != "" {
					extra[k] = t
				}
			}
		}
		if w, ok := res.Warning.(string); ok && cleanText(w) != "" {
			extra["warning"] = cleanText(w)
		}
		if len(extra) > 0 {
			r.Extra = extra
		}
		metrics := map[string]float64{}
		for k, v := range map[string]*float64{"cost": res.Cost, "instance_cost": res.InstanceCost, "instance_calls": res.InstanceCalls} {
			if v != nil {
				metrics[k] = *v
			}
		}
		if len(metrics) > 0 {
			r.Metrics = metrics
		}
		ex.Rows = append(ex.Rows, r)
	}
	ex.Notes = append(ex.Notes, fmt.Sprintf("split %s: rows are agent systems (scaffold + model), ranked by %% resolved", *chosen.Name))
	if keys.renamed > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d rows repeat an earlier system name; keyed \"name [n]\"", keys.renamed))
	}
	if multiModel > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d rows run several models; their origin is left unknown", multiModel))
	}
	return ex, nil
}

// sweBenchName digs the name out of a result that did not decode, for the
// error message.
func sweBenchName(raw json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) == nil {
		if s, ok := m["name"].(string); ok && s != "" {
			return s
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return "fields " + strings.Join(keys, ", ")
	}
	return "not an object"
}
