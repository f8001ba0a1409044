package source

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/arenawatch/arenawatch"
)

// ArtificialAnalysisParserVersion names the Artificial Analysis extractor.
const ArtificialAnalysisParserVersion = "artificialanalysis-api/1"

// ArtificialAnalysisKeyEnv holds the user's API key. Boards that need it
// are skipped, with one line, when it is not set.
const ArtificialAnalysisKeyEnv = "ARTIFICIAL_ANALYSIS_API_KEY"

// artificialAnalysisSite declares the artificialanalysis extractor and its boards (see site).
var artificialAnalysisSite = site{
	extractors: map[string]Extractor{"artificialanalysis": {
		Version: ArtificialAnalysisParserVersion, Requests: []string{"page"},
		Run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractArtificialAnalysis(docs["page"], b.Params["index"])
		},
	}},
	boards: artificialAnalysisBoards,
}

// artificialAnalysisBoards returns the Artificial Analysis boards. They
// read the official API v2 with the user's own key, so they are optional:
// its terms forbid redistributing the data, and the key is personal.
func artificialAnalysisBoards() arenawatch.Boards {
	spec := func(id, title, index, score string) arenawatch.Board {
		return arenawatch.Board{
			ID: id, Title: title, Site: "artificialanalysis.ai", Extractor: "artificialanalysis",
			Requests: []arenawatch.Request{{Name: "page", URL: "https://artificialanalysis.ai/api/v2/data/llms/models",
				Header: map[string]string{"x-api-key": "${" + ArtificialAnalysisKeyEnv + "}"}}},
			Params:    map[string]string{"index": index},
			Rank:      arenawatch.RankByScore,
			Limits:    arenawatch.Limits{MinRows: 20},
			ScoreName: score,
			Optional:  true,
		}
	}
	return arenawatch.Boards{
		spec("aa-intelligence", "Artificial Analysis Intelligence Index (API v2, your key)", "artificial_analysis_intelligence_index", "Intelligence Index"),
		spec("aa-coding", "Artificial Analysis Coding Index (API v2, your key)", "artificial_analysis_coding_index", "Coding Index"),
	}
}

// ExtractArtificialAnalysis reads the API v2 model list, ranking by the
// named evaluation index. Models without that index (null or absent) are
// skipped, counted in a note: the API lists every model, scored or not.
// There is no rank in the payload.
//
// Needed (missing or malformed fails the board, naming the field): data;
// each model's slug (the model key, stable across snapshots); its
// evaluations object, and evaluations.<index> on at least one model (a
// number, or null when unscored). Read when present and well-formed, else
// left out and counted in a note: name, model_creator.name or
// model_creator.slug (the organization), is_open_weights and license_name
// (seen on the site's pages; whether API v2 carries them is not verified),
// release_date, and the other evaluations (kept as metrics). Ignored: id,
// model_creator.id, status, prompt_options, pricing,
// median_output_tokens_per_second and anything else.
func ExtractArtificialAnalysis(body []byte, index string) (*Extract, error) {
	items, err := artificialAnalysisItems(body)
	if err != nil {
		return nil, err
	}
	rd := &artificialAnalysisReader{index: index, ex: &Extract{}}
	for i, item := range items {
		if err := rd.model(i, item); err != nil {
			return nil, err
		}
	}
	if len(items) > 0 && rd.withIndex == 0 {
		return nil, driftf("no model has evaluations.%s (a field the answer needs): the index was renamed or removed", index)
	}
	ex := rd.ex
	if rd.skipped > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d models without %s skipped", rd.skipped, index))
	}
	if rd.bad > 0 {
		ex.Notes = append(ex.Notes, badFieldsNote(rd.bad))
	}
	return ex, nil
}

// artificialAnalysisItems decodes the response envelope and returns its
// needed "data" list of models.
func artificialAnalysisItems(body []byte) ([]json.RawMessage, error) {
	doc, err := decodeObject(body, "API response")
	if err != nil {
		return nil, driftf("API response is not the expected JSON: %v", err)
	}
	data := doc.raw("data")
	if data == nil {
		return nil, driftf(`API response has no "data" array (data: missing, a field the answer needs)`)
	}
	return decodeArray(data, "data")
}

// artificialAnalysisReader holds the state of reading the model list: the
// index ranked by, the rows so far and the counts for the final check and
// the notes.
type artificialAnalysisReader struct {
	index     string
	ex        *Extract
	skipped   int // models without a value of the index
	withIndex int // models whose evaluations have the index member at all
	bad       int // optional values left out because they were malformed
}

// model reads data[i]: the needed slug, evaluations and index value; a
// model without an index value is skipped and counted.
func (rd *artificialAnalysisReader) model(i int, item json.RawMessage) error {
	m, err := decodeObject(item, fmt.Sprintf("data[%d]", i))
	if err != nil {
		return err
	}
	key, err := m.needStr("slug")
	if err != nil {
		return err
	}
	evals, ok, err := m.object("evaluations")
	if err != nil {
		return err
	}
	if !ok {
		return driftf("data[%d] (%s).evaluations: missing (a field the answer needs)", i, key)
	}
	if _, present := evals.members[rd.index]; present {
		rd.withIndex++
	}
	v, ok, err := evals.num(rd.index)
	if err != nil {
		return err
	}
	if !ok {
		rd.skipped++
		return nil
	}
	r := arenawatch.Row{Model: key, Score: v}
	rd.optional(m, evals, &r)
	rd.ex.Rows = append(rd.ex.Rows, r)
	return nil
}

// optional reads the fields the answer does not need into r: name,
// organization, open flag, license, release date and the other
// evaluations as metrics. A malformed value is left out and counted.
func (rd *artificialAnalysisReader) optional(m, evals jsonObject, r *arenawatch.Row) {
	bad := &rd.bad
	if name, ok := m.optStr("name", bad); ok && name != "" && name != r.Model {
		r.Name = name
	}
	if creator, ok, err := m.object("model_creator"); err != nil {
		*bad++
	} else if ok {
		cn, _ := creator.optStr("name", bad)
		cs, _ := creator.optStr("slug", bad)
		if org := firstNonEmpty(cn, cs); org != "" {
			r.Organization = arenawatch.Str(org)
		}
	}
	if open, err := m.boolean("is_open_weights"); err != nil {
		*bad++
	} else {
		r.Open = open
	}
	if lic, ok := m.optStr("license_name", bad); ok {
		r.License = &lic
	}
	if date, ok := m.optStr("release_date", bad); ok && date != "" {
		r.Extra = map[string]string{"release_date": date}
	}
	for name := range evals.members {
		if name == rd.index {
			continue
		}
		if x, ok := evals.optNum(name, bad); ok {
			if r.Metrics == nil {
				r.Metrics = map[string]float64{}
			}
			r.Metrics[strings.TrimPrefix(name, "artificial_analysis_")] = x
		}
	}
}
