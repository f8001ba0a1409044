package source

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// sweBenchSite declares the swebench extractor and its boards (see site).
var sweBenchSite = site{
	extractors: map[string]Extractor{"swebench": {
		Version:  SWEBenchParserVersion,
		Requests: []string{"page"},
		Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractSWEBench(docs["page"], b.Params["split"])
		},
	}},
	boards: sweBenchBoards,
}

// sweBenchBoards returns one board per SWE-bench split. The rows are agent
// systems (a scaffold plus one or more models) ranked by % resolved, not
// models; ties are common.
func sweBenchBoards() arenawatch.Boards {
	// Verified, Lite and Bash Only are the default set; the other splits
	// are optional (opt in by name or config).
	spec := func(id, split, title string, minRows int, optional bool) arenawatch.Board {
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
			Optional:  optional,
		}
	}
	return arenawatch.Boards{
		spec("swebench-verified", "Verified",
			"SWE-bench Verified (500 tasks): agent systems ranked by % resolved; ties are common", 50, false),
		spec("swebench-lite", "Lite",
			"SWE-bench Lite (300 tasks): agent systems ranked by % resolved; ties are common", 30, false),
		spec("swebench-test", "Test",
			"SWE-bench Full (test split, 2294 tasks): agent systems ranked by % resolved; ties are common", 10, true),
		spec("swebench-multimodal", "Multimodal",
			"SWE-bench Multimodal (517 tasks): agent systems ranked by % resolved; ties are common", 10, true),
		// Multilingual (from 2026): 300 tasks in 9 programming languages;
		// the 2026-02-26 page lists 13 results.
		spec("swebench-multilingual", "Multilingual",
			"SWE-bench Multilingual (300 tasks, 9 languages): agent systems ranked by % resolved; ties are common", 10, true),
		spec("swebench-bash-only", "bash-only",
			"SWE-bench Bash Only (one minimal bash agent per model): ranked by % resolved; ties are common", 10, false),
	}
}

// ExtractSWEBench reads one split ("Verified", "Lite", "Test",
// "Multimodal", "Multilingual", "bash-only") out of swebench.com's
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
// extra "model". The page states no rank and no date for the split.
//
// Fields the answer needs (missing or malformed fails the board, naming
// the field): each split's "name" and the chosen split's "results"; per
// result "name", "resolved" (a percentage), "os_model" (true/false) and
// "tags" (a list of strings: the "Model:" tags give the underlying model).
// Read when present and well-formed, else left out and counted in a note:
// "date", "folder", "mini-swe-agent_version", "os_system", "checked" (true,
// false or a sentence such as "false (See README.md …)"), "warning",
// "cost", "instance_cost", "instance_calls". Ignored: "logo", "logs",
// "site", "trajs", "trajs_docent", "per_instance_details" (the bulk of a
// live page over 4 MiB), the other splits' results, and any other field.
func ExtractSWEBench(page []byte, split string) (*Extract, error) {
	items, err := sweBenchSplits(page)
	if err != nil {
		return nil, err
	}
	chosenName, results, err := sweBenchResults(items, split)
	if err != nil {
		return nil, err
	}
	ex := &Extract{}
	rd := &sweBenchReader{}
	for i, rawResult := range results {
		r, err := rd.row(rawResult)
		if err != nil {
			where := fmt.Sprintf("split %s, result %d", chosenName, i+1)
			if name := sweBenchName(rawResult); name != "" {
				where += " (" + name + ")"
			}
			return nil, driftf("%s: %v", where, err)
		}
		ex.Rows = append(ex.Rows, r)
	}
	rd.notes(ex, chosenName)
	return ex, nil
}

// sweBenchSplits finds the leaderboard-data script in the page and decodes
// it into the list of splits, unwrapping the {"leaderboards": [...]} form
// of the repository's data file.
func sweBenchSplits(page []byte) ([]json.RawMessage, error) {
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
		wrapped, err := decodeObject(raw, "leaderboard-data")
		if err != nil {
			return nil, err
		}
		if raw = wrapped.raw("leaderboards"); raw == nil {
			return nil, driftf(`leaderboard-data is an object without a "leaderboards" list`)
		}
	}
	items, err := decodeArray(raw, "leaderboard-data")
	if err != nil {
		return nil, driftf("leaderboard-data is not a list of {name, results}: %v", err)
	}
	return items, nil
}

// sweBenchResults picks the split named split (case-insensitively; the
// first match) and returns its name as the data writes it and its results,
// which must be a non-empty list. Every split must have a name.
func sweBenchResults(items []json.RawMessage, split string) (string, []json.RawMessage, error) {
	var names []string
	var chosen *jsonObject
	var chosenName string
	for i, item := range items {
		o, err := decodeObject(item, fmt.Sprintf("leaderboard-data[%d]", i))
		if err != nil {
			return "", nil, err
		}
		name, err := o.needStr("name")
		if err != nil {
			return "", nil, err
		}
		names = append(names, fmt.Sprintf("%q", name))
		if chosen == nil && strings.EqualFold(name, split) {
			chosen, chosenName = &o, name
		}
	}
	if chosen == nil {
		return "", nil, driftf("leaderboard-data has no split %q (it has: %s)", split, strings.Join(names, ", "))
	}
	rawResults := chosen.raw("results")
	if rawResults == nil {
		return "", nil, driftf("split %q: results: missing (a field the answer needs)", chosenName)
	}
	results, err := decodeArray(rawResults, fmt.Sprintf("split %q: results", chosenName))
	if err != nil {
		return "", nil, err
	}
	if len(results) == 0 {
		return "", nil, driftf("split %q has no results", chosenName)
	}
	return chosenName, results, nil
}

// sweBenchReader holds what reading a split's results shares across rows:
// the keys given so far and the counts the notes report.
type sweBenchReader struct {
	keys       repeatKeys
	multiModel int // rows with several "Model:" tags
	bad        int // optional values left out because they were malformed
}

// notes adds the split's notes to ex.
func (rd *sweBenchReader) notes(ex *Extract, chosenName string) {
	ex.Notes = append(ex.Notes, fmt.Sprintf("split %s: rows are agent systems (scaffold + model), ranked by %% resolved", chosenName))
	if rd.keys.renamed > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d rows repeat an earlier system name; keyed \"name [n]\"", rd.keys.renamed))
	}
	if rd.multiModel > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d rows run several models; their origin is left unknown", rd.multiModel))
	}
	if rd.bad > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(rd.bad))
	}
}

// row reads one result; see ExtractSWEBench for the fields: the needed
// ones first, then the tags, then the optional fields.
func (rd *sweBenchReader) row(raw json.RawMessage) (arenawatch.Row, error) {
	o, err := decodeObject(raw, "")
	if err != nil {
		return arenawatch.Row{}, err
	}
	name, r, tags, err := sweBenchNeeded(o)
	if err != nil {
		return arenawatch.Row{}, err
	}
	rd.keys.key(&r, name)
	extra := map[string]string{}
	rd.tags(&r, tags, extra)
	rd.optional(o, &r, extra)
	return r, nil
}

// sweBenchNeeded reads the fields the answer needs: name, resolved,
// os_model and tags. It returns the name, a row holding score and Open,
// and the tags.
func sweBenchNeeded(o jsonObject) (string, arenawatch.Row, []string, error) {
	var r arenawatch.Row
	name, err := o.needStr("name")
	if err != nil {
		return "", r, nil, err
	}
	if name = cleanText(name); name == "" {
		return "", r, nil, driftf("name: blank (a field the answer needs)")
	}
	resolved, err := o.needNum("resolved")
	if err != nil {
		return "", r, nil, err
	}
	if resolved < 0 || resolved > 100 {
		return "", r, nil, driftf("resolved %g is not a percentage", resolved)
	}
	open, err := o.boolean("os_model")
	if err != nil {
		return "", r, nil, err
	}
	if open == nil {
		return "", r, nil, driftf("os_model: missing (a field the answer needs)")
	}
	tags, err := sweBenchTags(o)
	if err != nil {
		return "", r, nil, err
	}
	return name, arenawatch.Row{Score: resolved, Open: open}, tags, nil
}

// tags sorts the "Org:", "Model:" and "System:" tags into extra and sets
// the row's Underlying model when it has exactly one.
func (rd *sweBenchReader) tags(r *arenawatch.Row, tags []string, extra map[string]string) {
	var orgs, models, systems []string
	for _, tag := range tags {
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
		rd.multiModel++
	}
	if len(systems) > 0 {
		extra["system"] = strings.Join(systems, "; ")
	}
}

// optional reads the fields the answer does not need into extra and the
// row's metrics, then sets r.Extra; a malformed value is left out and
// counted in rd.bad.
func (rd *sweBenchReader) optional(o jsonObject, r *arenawatch.Row, extra map[string]string) {
	bad := &rd.bad
	for field, key := range map[string]string{"date": "date", "folder": "folder", "mini-swe-agent_version": "mini_swe_agent_version", "warning": "warning"} {
		if v, ok := o.optStr(field, bad); ok {
			if v = cleanText(v); v != "" {
				extra[key] = v
			}
		}
	}
	if v, ok := sweBenchFlagText(o, "os_system", bad); ok {
		extra["os_system"] = v
	}
	// "checked" is true/false, or a sentence saying why it is not
	// ("false (See README.md for info on how to get your results verified)").
	if v, ok := sweBenchFlagText(o, "checked", bad); ok {
		extra["checked"] = v
	}
	if len(extra) > 0 {
		r.Extra = extra
	}
	metrics := map[string]float64{}
	for _, k := range []string{"cost", "instance_cost", "instance_calls"} {
		if v, ok := o.optNum(k, bad); ok {
			metrics[k] = v
		}
	}
	if len(metrics) > 0 {
		r.Metrics = metrics
	}
}

// sweBenchTags reads the needed "tags" list ("Model: …", "Org: …",
// "System: …", "Mini: …"); an empty list is allowed.
func sweBenchTags(o jsonObject) ([]string, error) {
	v := o.raw("tags")
	if v == nil {
		return nil, driftf("tags: missing (a field the answer needs: its \"Model:\" tags name the underlying model)")
	}
	var tags []string
	if err := json.Unmarshal(v, &tags); err != nil {
		return nil, driftf("tags: want a list of strings, got %s", head(v, 40))
	}
	return tags, nil
}

// sweBenchFlagText reads an optional true/false member as text, keeping a
// string value (a sentence in place of the flag) as it is. Other types are
// left out and counted in bad.
func sweBenchFlagText(o jsonObject, name string, bad *int) (string, bool) {
	if b, err := o.boolean(name); err == nil {
		if b == nil {
			return "", false
		}
		return fmt.Sprint(*b), true
	}
	if s, ok := o.optStr(name, bad); ok && cleanText(s) != "" {
		return cleanText(s), true
	}
	return "", false
}

// sweBenchName digs the name out of a result that did not read, for the
// error message; "" when it has none.
func sweBenchName(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(m["name"], &s) == nil {
		return cleanText(s)
	}
	return ""
}
