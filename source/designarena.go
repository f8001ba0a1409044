package source

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
const DesignArenaParserVersion = "designarena-api/2"

// daModel is one entry of the registry's "models" map, decoded only when a
// leaderboard row uses it (or, for displayName, when the board joins by
// name).
type daModel struct {
	id   string
	obj  jsonObject
	name string // displayName, "" when missing or malformed
}

// daRegistry is GET /api/registry read tolerantly: the "models" map kept
// one level deep, an index from display name to ids, and the optional
// display names of providers.
type daRegistry struct {
	models    map[string]daModel
	byName    map[string][]string // cleaned, lower-cased displayName → ids, sorted
	named     int                 // models with a usable displayName
	providers map[string]string   // provider id → display name, when stated
}

func daNameKey(s string) string { return strings.ToLower(cleanText(s)) }

// readDesignArenaRegistry decodes the registry. Only "models" is needed;
// "providers" is read for display names whatever its shape (id →
// {displayName, logoName, website} live, id → string in normalized
// copies), and anything
// else ("pricing", "timestamp", …) is ignored.
func readDesignArenaRegistry(body []byte) (*daRegistry, error) {
	top, err := decodeObject(body, "registry")
	if err != nil {
		return nil, driftf("registry response is not the expected JSON: %v", err)
	}
	mobj, ok, err := top.object("models")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, driftf(`registry: no "models" object (a field the answer needs)`)
	}
	reg := &daRegistry{models: map[string]daModel{}, byName: map[string][]string{}, providers: map[string]string{}}
	for id, raw := range mobj.members {
		o, err := decodeObject(raw, mobj.path(id))
		if err != nil {
			continue // an entry no row uses must not fail the board; a row that uses it reports it
		}
		m := daModel{id: id, obj: o}
		if s, ok := o.optStr("displayName", nil); ok && cleanText(s) != "" {
			m.name = cleanText(s)
			reg.named++
			k := daNameKey(s)
			reg.byName[k] = append(reg.byName[k], id)
		}
		reg.models[id] = m
	}
	for _, ids := range reg.byName {
		sort.Strings(ids)
	}
	if pobj, ok, _ := top.object("providers"); ok {
		for id, raw := range pobj.members {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				reg.providers[id] = cleanText(s)
				continue
			}
			if o, err := decodeObject(raw, id); err == nil {
				if s, ok := o.optStr("displayName", nil); ok {
					reg.providers[id] = cleanText(s)
				}
			}
		}
	}
	return reg, nil
}

// listsCategory reports whether the model's "arenas" object lists category
// under arena; a missing or malformed "arenas" lists nothing.
func (m daModel) listsCategory(arena, category string) bool {
	a, ok, err := m.obj.object("arenas")
	if !ok || err != nil {
		return false
	}
	var cats []string
	if json.Unmarshal(a.raw(arena), &cats) != nil {
		return false
	}
	for _, c := range cats {
		if c == category {
			return true
		}
	}
	return false
}

// facts returns the registry's provider and openSource of a model that a
// row uses: missing is "not stated" (nil), the wrong type is an error
// naming the field.
func (m daModel) facts() (provider string, open *bool, err error) {
	p, _, err := m.obj.str("provider")
	if err != nil {
		return "", nil, err
	}
	open, err = m.obj.boolean("openSource")
	return cleanText(p), open, err
}

// ExtractDesignArena reads a Design Arena leaderboard response (POST
// /api/leaderboard) and joins each row with the model registry (GET
// /api/registry) for its provider and openSource flag. arena and category
// are what was asked for; a response about another board is markup drift,
// not data. The payload has no rank: rows are ranked by elo downstream.
//
// Fields the answer needs (missing or malformed fails the board, naming
// the field):
//   - leaderboard: "data" (array); per row "elo", and an identity:
//     "modelId" (the agents arena, 2026-07) or "displayName" (the models
//     arena, as documented), joined to the registry by display name.
//   - registry: "models" (object id → model); per model a row uses,
//     "provider" and "openSource" when present must be a string and a
//     boolean; a board whose joined models all lack one of them, or whose
//     display-name rows meet a registry with no "displayName" at all,
//     fails (a renamed field, not a model without facts).
//
// Read when present, never failing the board: "success" (false fails it
// with the site's "error"), meta.arena/meta.category (must match what was
// asked), meta.lastUpdated or "timestamp" (the as-of date), per row
// "battles" (votes), "wins", "losses", "winRate", "btStdErr",
// "avgGenerationTimeMs" (metrics), "provider" (organization of a row the
// registry lacks), "openRouterId"; per model "arenas" (to choose among
// models sharing a display name) and "displayName"; "providers" (string or
// {displayName} per id, for extra["provider_name"]). Everything else —
// "pricing", "logoName", "website", "active", "router", "vision",
// "inputModalities", "display", … — is ignored.
//
// A model missing from the registry, or whose display name matches
// registry models that disagree on provider or openSource, is kept with no
// organization and no open flag, so that it is reported as unclassified
// rather than guessed; a note names it.
func ExtractDesignArena(leaderboard, registry []byte, arena, category string) (*Extract, error) {
	top, err := decodeObject(leaderboard, "leaderboard")
	if err != nil {
		return nil, driftf("leaderboard response is not the expected JSON: %v", err)
	}
	rd := &daBoardReader{arena: arena, category: category, used: map[string]bool{}}
	ex := &Extract{}
	if ex.AsOf, err = rd.readEnvelope(top); err != nil {
		return nil, err
	}
	if !top.has("data") {
		return nil, driftf(`leaderboard response has no "data" array`)
	}
	data, err := decodeArray(top.raw("data"), "data")
	if err != nil {
		return nil, err
	}
	if rd.reg, err = readDesignArenaRegistry(registry); err != nil {
		return nil, err
	}
	for i, raw := range data {
		r, err := rd.row(i, raw)
		if err != nil {
			return nil, err
		}
		ex.Rows = append(ex.Rows, r)
	}
	if err := rd.check(); err != nil {
		return nil, err
	}
	ex.Notes = rd.notes()
	return ex, nil
}

// daBoardReader holds what ExtractDesignArena gathers across the rows of
// one leaderboard: the registry, the ids already joined, the rows to name
// in notes and the count of malformed optional fields.
type daBoardReader struct {
	arena, category string
	reg             *daRegistry
	used            map[string]bool // registry ids already given to a row

	missing, ambiguous, paired []string
	noProvider, noOpen         []string
	joined                     int // rows whose registry model was found
	bad                        int // malformed optional fields left out
}

// daJoin is how a row met the registry.
type daJoin int

const (
	daMissing   daJoin = iota // no registry model: the row's own provider, if any
	daFound                   // one registry model (by id, or by name)
	daAmbiguous               // named like models that disagree: no facts
)

// readEnvelope is the first step: it checks the response's "success" and
// meta (a response about another board is drift, not data) and returns
// the as-of date, meta.lastUpdated or else "timestamp".
func (rd *daBoardReader) readEnvelope(top jsonObject) (time.Time, error) {
	if ok, err := top.boolean("success"); err == nil && ok != nil && !*ok {
		msg, _ := top.optStr("error", nil)
		return time.Time{}, driftf("leaderboard response says success=false (%s)", firstNonEmpty(msg, "no error message"))
	}
	var asOf time.Time
	if meta, ok, err := top.object("meta"); err != nil {
		rd.bad++
	} else if ok {
		if a, _ := meta.optStr("arena", &rd.bad); rd.arena != "" && a != "" && a != rd.arena {
			return time.Time{}, driftf("leaderboard response is for arena %q, asked for %q", a, rd.arena)
		}
		if c, _ := meta.optStr("category", &rd.bad); rd.category != "" && c != "" && c != rd.category {
			return time.Time{}, driftf("leaderboard response is for category %q, asked for %q", c, rd.category)
		}
		if s, ok := meta.optStr("lastUpdated", &rd.bad); ok {
			asOf = daTime(s, &rd.bad)
		}
	}
	if s, ok := top.optStr("timestamp", &rd.bad); ok && asOf.IsZero() {
		asOf = daTime(s, &rd.bad)
	}
	return asOf, nil
}

// row reads data[i]: its identity and elo, then its registry model, then
// its organization and open flag, then the optional details.
func (rd *daBoardReader) row(i int, raw json.RawMessage) (arenawatch.Row, error) {
	d, err := decodeObject(raw, fmt.Sprintf("data[%d]", i))
	if err != nil {
		return arenawatch.Row{}, err
	}
	modelID, display, err := daRowIdentity(i, d)
	if err != nil {
		return arenawatch.Row{}, err
	}
	label := firstNonEmpty(modelID, display)
	elo, err := d.needNum("elo")
	if err != nil {
		return arenawatch.Row{}, driftf("%v (%s)", err, label)
	}
	r := arenawatch.Row{Score: elo, Model: label}
	m, join, err := rd.findModel(i, modelID, display, &r)
	if err != nil {
		return arenawatch.Row{}, err
	}
	provider, err := rd.facts(d, m, join, &r)
	if err != nil {
		return arenawatch.Row{}, err
	}
	rd.details(d, firstNonEmpty(m.name, display), provider, &r)
	return r, nil
}

// daRowIdentity reads a row's "modelId" and "displayName" (cleaned); a
// row needs one of them.
func daRowIdentity(i int, d jsonObject) (modelID, display string, err error) {
	modelID, _, err = d.str("modelId")
	if err != nil {
		return "", "", err
	}
	display, _, err = d.str("displayName")
	if err != nil {
		return "", "", err
	}
	modelID, display = cleanText(modelID), cleanText(display)
	if firstNonEmpty(modelID, display) == "" {
		return "", "", driftf(`data[%d]: missing "modelId" or "displayName" (a field the answer needs)`, i)
	}
	return modelID, display, nil
}

// findModel finds the row's registry model: by id, else by display name
// (then r.Model becomes the registry id the name was joined to).
func (rd *daBoardReader) findModel(i int, modelID, display string, r *arenawatch.Row) (daModel, daJoin, error) {
	if modelID != "" {
		if m, ok := rd.reg.models[modelID]; ok {
			return m, daFound, nil
		}
		return daModel{}, daMissing, nil
	}
	if rd.reg.named == 0 {
		return daModel{}, daMissing, driftf(`registry: no model has a "displayName", so data[%d] (%s) cannot be joined`, i, display)
	}
	id, how := rd.reg.joinByName(display, rd.arena, rd.category, rd.used)
	switch how {
	case "none":
		return daModel{}, daMissing, nil
	case "ambiguous":
		rd.ambiguous = append(rd.ambiguous, display)
		return daModel{}, daAmbiguous, nil
	}
	if how == "paired" {
		rd.paired = append(rd.paired, display)
	}
	rd.used[id] = true
	r.Model = id
	return rd.reg.models[id], daFound, nil
}

// facts sets the row's open flag and returns its provider: the registry's
// for a found model, none for an ambiguous one, else the row's own. Rows
// lacking a fact are remembered for check and the notes.
func (rd *daBoardReader) facts(d jsonObject, m daModel, join daJoin, r *arenawatch.Row) (string, error) {
	provider := ""
	switch join {
	case daFound:
		rd.joined++
		p, open, err := m.facts()
		if err != nil {
			return "", err
		}
		provider, r.Open = p, open
		if p == "" {
			rd.noProvider = append(rd.noProvider, r.Model)
		}
		if open == nil {
			rd.noOpen = append(rd.noOpen, r.Model)
		}
	case daAmbiguous:
		// No facts: any candidate's would be a guess.
	default:
		rd.missing = append(rd.missing, r.Model)
		// The row's own provider, when it states one, still names the
		// developer; the open flag stays unknown.
		provider, _ = d.optStr("provider", &rd.bad)
		provider = cleanText(provider)
	}
	if provider != "" {
		r.Organization = arenawatch.Str(provider)
	}
	return provider, nil
}

// details fills the row's optional parts, never failing the board: its
// display name (when it differs from Model), votes, metrics and extras.
func (rd *daBoardReader) details(d jsonObject, name, provider string, r *arenawatch.Row) {
	r.Name = name
	if r.Name == r.Model {
		r.Name = ""
	}
	if v, ok := d.optNum("battles", &rd.bad); ok {
		r.Votes = int64(math.Round(v))
	}
	metrics := map[string]float64{}
	for _, f := range [][2]string{{"wins", "wins"}, {"losses", "losses"}, {"winRate", "win_rate"}, {"btStdErr", "bt_std_err"}, {"avgGenerationTimeMs", "avg_generation_time_ms"}} {
		if v, ok := d.optNum(f[0], &rd.bad); ok {
			metrics[f[1]] = v
		}
	}
	if len(metrics) > 0 {
		r.Metrics = metrics
	}
	extra := map[string]string{}
	if name := rd.reg.providers[provider]; name != "" {
		extra["provider_name"] = name
	}
	if s, ok := d.optStr("openRouterId", &rd.bad); ok && s != "" {
		extra["openrouter_id"] = s
	}
	if len(extra) > 0 {
		r.Extra = extra
	}
}

// check is the last step: a field gone from every joined model is a
// rename, not missing facts.
func (rd *daBoardReader) check() error {
	if rd.joined > 0 && len(rd.noOpen) == rd.joined {
		return driftf(`registry: none of the %d models on the board has "openSource" (a field the answer needs)`, rd.joined)
	}
	if rd.joined > 0 && len(rd.noProvider) == rd.joined {
		return driftf(`registry: none of the %d models on the board has "provider" (a field the answer needs)`, rd.joined)
	}
	return nil
}

// notes names the rows joined imperfectly (ids sorted) and counts the
// malformed optional fields; nil when there is nothing to say.
func (rd *daBoardReader) notes() []string {
	var notes []string
	for _, n := range []struct {
		ids  []string
		what string
	}{
		{rd.missing, "not in the registry (no provider or openSource flag)"},
		{rd.ambiguous, "named like several registry models that disagree on provider or openSource (left unclassified)"},
		{rd.paired, "named like several registry models that agree on provider and openSource (given their ids in id order)"},
		{rd.noOpen, "without an openSource flag in the registry"},
		{rd.noProvider, "without a provider in the registry"},
	} {
		if len(n.ids) > 0 {
			ids := append([]string(nil), n.ids...)
			sort.Strings(ids)
			notes = append(notes, fmt.Sprintf("%d models %s: %s", len(ids), n.what, strings.Join(ids, ", ")))
		}
	}
	if rd.bad > 0 {
		notes = append(notes, badFieldsNote(rd.bad))
	}
	return notes
}

// joinByName finds the registry id of a row known only by its display
// name. Models that list the asked arena and category are preferred (the
// registry repeats a display name across arenas, e.g. "Mistral Medium
// 3.5" as an open models-arena entry and a closed agents-arena one); ids
// already given to an earlier row are skipped, so two rows with one name
// get two ids. how is "one" (a single candidate), "paired" (several that
// agree on provider and openSource: the first is taken), "ambiguous"
// (several that disagree) or "none".
func (reg *daRegistry) joinByName(name, arena, category string, used map[string]bool) (id, how string) {
	var cands, pref []string
	for _, id := range reg.byName[daNameKey(name)] {
		if used[id] {
			continue
		}
		cands = append(cands, id)
		if reg.models[id].listsCategory(arena, category) {
			pref = append(pref, id)
		}
	}
	if len(pref) > 0 {
		cands = pref
	}
	switch len(cands) {
	case 0:
		return "", "none"
	case 1:
		return cands[0], "one"
	}
	p0, o0, err0 := reg.models[cands[0]].facts()
	for _, id := range cands[1:] {
		p, o, err := reg.models[id].facts()
		if err != nil || err0 != nil || p != p0 || !sameFlag(o, o0) {
			return "", "ambiguous"
		}
	}
	return cands[0], "paired"
}

func sameFlag(a, b *bool) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// daTime parses the API's RFC 3339 dates; a malformed one is no date,
// counted in *bad (the as-of date is not needed for the answer).
func daTime(s string, bad *int) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		*bad++
		return time.Time{}
	}
	return t.UTC()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// designArenaSite declares the Design Arena extractor and boards (see site).
var designArenaSite = site{
	extractors: map[string]Extractor{"designarena": {Version: DesignArenaParserVersion, Requests: []string{"page", "registry"}, Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
		return ExtractDesignArena(docs["page"], docs["registry"], b.Params["arena"], b.Params["category"])
	}}},
	boards: designArenaBoards,
}

// designArenaSpec describes one Design Arena board: a POST to the
// leaderboard API for an arena type and category, joined with the model
// registry (fetched once per run for all boards).
func designArenaSpec(id, title, arenaType, category string, optional bool) arenawatch.Board {
	return arenawatch.Board{
		ID:        id,
		Title:     title,
		Site:      "designarena.ai",
		Extractor: "designarena",
		Requests: []arenawatch.Request{
			{Name: "page", Method: "POST", URL: "https://www.designarena.ai/api/leaderboard",
				Body: fmt.Sprintf(`{"arenaType":%q,"category":%q,"variationName":"public","inputModality":"text"}`, arenaType, category)},
			{Name: "registry", URL: "/api/registry"},
		},
		Params:    map[string]string{"arena": arenaType, "category": category},
		Rank:      arenawatch.RankByScore,
		Limits:    arenawatch.Limits{MinRows: 10},
		ScoreName: "Elo",
		Optional:  optional,
	}
}

// designArenaBoards returns Design Arena's boards: the models arena's code
// and design categories, the agents arena and the builders arena. The
// website models board and the two agents boards are the default set; the
// others are optional (no capture to test them against).
func designArenaBoards() arenawatch.Boards {
	bs := arenawatch.Boards{
		designArenaSpec("designarena-website", "Design Arena (intelligence.ai) models, website category", "models", "website", false),
		designArenaSpec("designarena-agents-webapps", "Design Arena agents, web apps (agon_webapps)", "agents", "agon_webapps", false),
		designArenaSpec("designarena-agents-fullstack", "Design Arena agents, full-stack apps", "agents", "fullstack", false),
	}
	for _, c := range []struct{ arena, category, title string }{
		{"models", "uicomponent", "models, UI components"},
		{"models", "svg", "models, SVG"},
		{"models", "dataviz", "models, data visualisation"},
		{"models", "gamedev", "models, game development"},
		{"models", "3d", "models, 3D"},
		{"models", "ascii", "models, ASCII art"},
		{"models", "logo", "models, logos"},
		{"models", "graphicdesign", "models, graphic design"},
		{"models", "image", "models, images"},
		{"builders", "website", "builders, websites"},
	} {
		id := "designarena-" + c.category
		if c.arena != "models" {
			id = "designarena-" + c.arena + "-" + c.category
		}
		bs = append(bs, designArenaSpec(id, "Design Arena "+c.title, c.arena, c.category, true))
	}
	return bs
}
