package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch/ranking"
)

// TestCatalogCheckAndOverride scrapes a board with a new lab the catalog
// does not know, sees catalog check flag it as able to change the answer,
// classifies it with a few lines of override file, and sees the answer
// change and the check pass.
func TestCatalogCheckAndOverride(t *testing.T) {
	// An empty org or licence leaves the key out of the entry: the source
	// says nothing (an empty licence string would mean closed).
	entry := func(rank int, name, org, license string, rating float64) map[string]any {
		e := map[string]any{"rank": rank, "modelDisplayName": name, "rating": rating, "votes": 1000 * rank}
		if org != "" {
			e["modelOrganization"] = org
		}
		if license != "" {
			e["license"] = license
		}
		return e
	}
	var entries []map[string]any
	entries = append(entries,
		entry(1, "gemini-3-pro", "Google", "Proprietary", 1500),
		entry(2, "glm-5.3", "Z.ai", "MIT", 1490),
		entry(3, "nova-open-70b", "Novalabs Europe", "Apache 2.0", 1480), // unknown lab
		entry(4, "mystery-ape", "", "", 1475),                            // no org, no licence
		entry(5, "gpt-oss-120b", "OpenAI", "Apache 2.0", 1470),
	)
	for i := 6; i <= 25; i++ {
		entries = append(entries, entry(i, "filler-"+string(rune('a'+i)), "Anthropic", "Proprietary", 1400-float64(i)))
	}
	url := serve(t, "/leaderboard/text", arenaPage(entries, len(entries)))
	c := newCLI(t)
	c.must("scrape", "arena-text", "--url", "arena-text="+url)

	r := c.run("catalog", "check", "--json")
	if r.code != exitUnclassified {
		t.Fatalf("catalog check: exit %d, want %d\n%s", r.code, exitUnclassified, r.stderr)
	}
	got := decode[catalogCheckJSON](t, r.stdout)
	byName := map[string]ranking.AuditItem{}
	for _, it := range got.Unclassified {
		byName[it.Kind+" "+it.Name] = it
	}
	nova, ok := byName["origin Novalabs Europe"]
	if !ok || !nova.AboveAnswer || nova.BestRank != 3 || nova.Boards[0] != "arena-text" || nova.Models[0] != "nova-open-70b" {
		t.Errorf("unknown lab: %+v (all: %+v)", nova, got.Unclassified)
	}
	if ape, ok := byName["openness mystery-ape"]; !ok || !ape.AboveAnswer {
		t.Errorf("model without licence: %+v", ape)
	}
	if len(got.Unclassified) != 3 { // Novalabs origin, mystery-ape origin and openness
		t.Errorf("%d items: %+v", len(got.Unclassified), got.Unclassified)
	}
	rep := decode[reportJSON](t, c.must("report", "--json", "arena-text").stdout).Boards[0]
	if rep.BestOpenNonCN.Model != "gpt-oss-120b" || rep.UnknownAbove != 2 {
		t.Fatalf("before the override: best %s, unclassified above %d", rep.BestOpenNonCN.Model, rep.UnknownAbove)
	}

	// The README's recipe: a few lines classify the lab and the model.
	override := filepath.Join(c.home, "catalog-local.yaml")
	if err := os.WriteFile(override, []byte(`version: "local-1"
organizations:
  - name: Novalabs Europe
    country: FR
    aliases: [Novalabs Europe, novalabs]
models:
  - match: "mystery-ape*"
    open: false
    reason: "anonymous test model, API only"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = decode[reportJSON](t, c.must("report", "--json", "arena-text", "--catalog", override).stdout).Boards[0]
	if rep.BestOpenNonCN.Model != "nova-open-70b" || rep.BestOpenNonCN.Country != "FR" || !strings.HasSuffix(rep.CatalogVersion, "+local-1") {
		t.Fatalf("after the override: %+v, catalog %s", rep.BestOpenNonCN, rep.CatalogVersion)
	}
	// mystery-ape still has no organization: origin stays unknown, but
	// being closed it can no longer change the answer.
	r = c.run("catalog", "check", "--catalog", override, "--json")
	left := decode[catalogCheckJSON](t, r.stdout).Unclassified
	if r.code != exitUnclassified || len(left) != 1 || left[0].Name != "mystery-ape" || left[0].AboveAnswer {
		t.Fatalf("after the override: exit %d, %+v", r.code, left)
	}

	show := c.must("catalog", "show", "nova-open-70b", "--catalog", override).stdout
	if !strings.Contains(show, `source says org "Novalabs Europe"`) || !strings.Contains(show, "Novalabs Europe (FR)") {
		t.Errorf("catalog show:\n%s", show)
	}
	if r := c.run("catalog", "show"); r.code != exitUsage {
		t.Errorf("catalog show without a name: exit %d", r.code)
	}
	if r := c.run("report", "--catalog", filepath.Join(c.home, "missing.yaml")); r.code != exitUsage {
		t.Errorf("missing override file: exit %d", r.code)
	}
}

func TestCatalogShowWithoutDatabase(t *testing.T) {
	c := newCLI(t)
	out := c.must("catalog", "show", "intellect-3").stdout
	for _, want := range []string{"derivative of GLM-4.5-Air (Z.ai)", "brand prefix", "family intellect-3"} {
		if !strings.Contains(out, want) {
			t.Errorf("catalog show intellect-3 does not say %q:\n%s", want, out)
		}
	}
	if r := c.run("catalog", "check"); r.code != exitNoData {
		t.Errorf("catalog check without a database: exit %d", r.code)
	}
	var shown struct {
		Model struct {
			OpenLine *struct {
				Match string `json:"match"`
				Open  bool   `json:"open"`
			} `json:"open_line"`
		} `json:"model"`
	}
	if err := json.Unmarshal([]byte(c.must("catalog", "show", "Claude-4.1-Opus", "--json").stdout), &shown); err != nil {
		t.Fatal(err)
	}
	if l := shown.Model.OpenLine; l == nil || l.Match != "claude*" || l.Open {
		t.Errorf("catalog show --json Claude-4.1-Opus: line %+v, want the closed claude* line", l)
	}
	if out := c.must("catalog", "show", "mimo-v2.6-pro").stdout; !strings.Contains(out, "openness: no rule, no line") {
		t.Errorf("catalog show mimo-v2.6-pro (no line: MiMo models differ) says:\n%s", out)
	}
}
