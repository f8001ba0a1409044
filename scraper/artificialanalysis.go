package scraper

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

func init() {
	extractors["artificialanalysis"] = extractorSpec{
		version: ArtificialAnalysisParserVersion, requests: []string{"page"},
		run: func(b arenawatch.Board, docs map[string][]byte) (*Extract, error) {
			return ExtractArtificialAnalysis(docs["page"], b.Params["index"])
		},
	}
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

type aaModel struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Slug         string `json:"slug"`
	ReleaseDate  string `json:"release_date"`
	ModelCreator struct {
		Name string `json:"name"`
		Slug string `json:"slug"`
	} `json:"model_creator"`
	Evaluations map[string]*float64 `json:"evaluations"`
	// IsOpenWeights and LicenseName appear on the site's own pages; whether
	// the API carries them is not verified, so they are read when present.
	IsOpenWeights *bool   `json:"is_open_weights"`
	LicenseName   *string `json:"license_name"`
}

// ExtractArtificialAnalysis reads the API v2 model list, ranking by the
// named evaluation index. Models without that index are skipped (counted in
// a note): the API lists every model, scored or not. There is no rank in
// the payload.
func ExtractArtificialAnalysis(body []byte, index string) (*Extract, error) {
	var doc struct {
		Status *int      `json:"status"`
		Data   []aaModel `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, driftf("API response is not the expected JSON: %v", err)
	}
	if doc.Data == nil {
		return nil, driftf("API response has no \"data\" array")
	}
	ex := &Extract{}
	skipped := 0
	for i, m := range doc.Data {
		key := firstNonEmpty(m.Slug, m.ID, m.Name)
		if key == "" {
			return nil, driftf("data[%d]: no slug, id or name", i)
		}
		v := m.Evaluations[index]
		if v == nil {
			skipped++
			continue
		}
		r := arenawatch.Row{Model: key, Score: *v}
		if m.Name != "" && m.Name != key {
			r.Name = m.Name
		}
		if creator := firstNonEmpty(m.ModelCreator.Name, m.ModelCreator.Slug); creator != "" {
			r.Organization = arenawatch.Str(creator)
		}
		r.Open = m.IsOpenWeights
		r.License = m.LicenseName
		if m.ReleaseDate != "" {
			r.Extra = map[string]string{"release_date": m.ReleaseDate}
		}
		for name, x := range m.Evaluations {
			if x != nil && name != index {
				if r.Metrics == nil {
					r.Metrics = map[string]float64{}
				}
				r.Metrics[strings.TrimPrefix(name, "artificial_analysis_")] = *x
			}
		}
		ex.Rows = append(ex.Rows, r)
	}
	if skipped > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d models without %s skipped", skipped, index))
	}
	return ex, nil
}
