package source

import (
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// Fixtures of the two agents boards (POST bodies keyed by replay.ExchangeKey).
const (
	daWebappsFixture   = "www.designarena.ai/api/leaderboard/b-d5af87d9ddb8.json"
	daFullstackFixture = "www.designarena.ai/api/leaderboard/b-a9ce8186daf4.json"
)

// TestDesignArenaFixtures checks facts of the three recorded boards written
// down by hand from fixtures/README.md (section 2), independently of the
// golden file.
func TestDesignArenaFixtures(t *testing.T) {
	reg := testutil.Fixture(t, daRegFixture)
	tests := []struct {
		name            string
		file            string
		arena, category string
		rows            int
		asOf            string // "" when the response states no date
		check           func(t *testing.T, ex *Extract)
	}{
		{name: "ModelsWebsite", file: daBoardFixture, arena: "models", category: "website", rows: 176, asOf: "2026-09-15",
			check: func(t *testing.T, ex *Extract) {
				// The two leaders are newer than the registry of 2026-08-22:
				// kept by display name, unclassified.
				top := ex.Rows[0]
				if top.Model != "Muse Spark 1.3 (xhigh)" || top.Score != 1364 || top.Organization != nil || top.Open != nil || top.Votes != 8142 {
					t.Errorf("top row %+v", top)
				}
				k := findRow(t, ex.Rows, "kimi-k3")
				if k.Name != "Kimi K3" || deref(k.Organization) != "moonshot" || k.Open == nil || !*k.Open || k.Score != 1352 ||
					k.Extra["provider_name"] != "Moonshot AI" || k.Metrics["win_rate"] != 60.9 {
					t.Errorf("Kimi K3 row %+v", k)
				}
				// A code-name id joined by display name.
				if g := findRow(t, ex.Rows, "cortado"); g.Name != "GLM-5.3" || deref(g.Organization) != "zhipu" || g.Open == nil || !*g.Open {
					t.Errorf("GLM-5.3 row %+v", g)
				}
				// The registry's open models-arena entry wins over the closed
				// agents-arena entry of the same name.
				if m := findRow(t, ex.Rows, "mistral-medium-3.5"); m.Open == nil || !*m.Open {
					t.Errorf("Mistral Medium 3.5 row %+v", m)
				}
				// Two rows named "Inkling": two ids, in id order.
				if a, b := findRow(t, ex.Rows, "camellia"), findRow(t, ex.Rows, "inkling"); a.Score != 1246 || b.Score != 1228 {
					t.Errorf("Inkling rows %v, %v", a.Score, b.Score)
				}
				notes := strings.Join(ex.Notes, "\n")
				for _, want := range []string{"7 models not in the registry", "GLM-5.3-Flash", "DeepSeek-V4.1-Flash", "Inkling"} {
					if !strings.Contains(notes, want) {
						t.Errorf("notes %q lack %q", notes, want)
					}
				}
			}},
		{name: "AgentsWebapps", file: daWebappsFixture, arena: "agents", category: "agon_webapps", rows: 34,
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Model != "claude-fable-5" || r.Score != 1317 || deref(r.Organization) != "anthropic" || r.Open == nil || *r.Open {
					t.Errorf("top row %+v", r)
				}
				if len(ex.Notes) != 0 {
					t.Errorf("every agents id is in the registry, notes %v", ex.Notes)
				}
			}},
		{name: "AgentsFullstack", file: daFullstackFixture, arena: "agents", category: "fullstack", rows: 30,
			check: func(t *testing.T, ex *Extract) {
				if r := findRow(t, ex.Rows, "glm-5"); deref(r.Organization) != "zhipu" || r.Open == nil || !*r.Open || r.Extra["provider_name"] == "" {
					t.Errorf("glm-5 row %+v", r)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractDesignArena(testutil.Fixture(t, tt.file), reg, tt.arena, tt.category)
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.Rows) != tt.rows {
				t.Fatalf("%d rows, want %d", len(ex.Rows), tt.rows)
			}
			got := ""
			if !ex.AsOf.IsZero() {
				got = ex.AsOf.Format(time.DateOnly)
			}
			if got != tt.asOf {
				t.Errorf("as of %q, want %q", got, tt.asOf)
			}
			seen := map[string]bool{}
			for _, r := range ex.Rows {
				if seen[r.Model] {
					t.Errorf("model %q twice", r.Model)
				}
				seen[r.Model] = true
			}
			tt.check(t, ex)
		})
	}
}

// TestDesignArenaTolerance changes every field the extractor ignores (the
// boards must store the same rows) and removes every field it needs (the
// board must fail naming it), in the leaderboard of each arena and in the
// registry.
func TestDesignArenaTolerance(t *testing.T) {
	reg := testutil.Fixture(t, daRegFixture)
	rows := func(lb, reg []byte, arena, category string) (int, error) {
		ex, err := ExtractDesignArena(lb, reg, arena, category)
		if err != nil {
			return 0, err
		}
		return len(ex.Rows), nil
	}
	tests := []struct {
		name string
		tc   tolerance
	}{
		{"ModelsLeaderboard", tolerance{
			body:    testutil.Fixture(t, daBoardFixture),
			extract: func(b []byte) (int, error) { return rows(b, reg, "models", "website") },
			needed:  []string{"data", "elo", "displayName"},
			ignored: []string{"success", "meta", "lastUpdated", "timestamp", "provider", "openRouterId", "battles", "winRate", "avgGenerationTimeMs"},
		}},
		{"AgentsLeaderboard", tolerance{
			body:    testutil.Fixture(t, daFullstackFixture),
			extract: func(b []byte) (int, error) { return rows(b, reg, "agents", "fullstack") },
			needed:  []string{"data", "elo", "modelId"},
			ignored: []string{"success", "meta", "wins", "losses", "battles", "winRate", "btStdErr", "avgGenerationTimeMs"},
		}},
		{"Registry", tolerance{
			body:    reg,
			extract: func(b []byte) (int, error) { return rows(testutil.Fixture(t, daBoardFixture), b, "models", "website") },
			needed:  []string{"models", "displayName", "provider", "openSource"},
			ignored: []string{"providers", "logoName", "website", "pricing", "text", "arenas", "active", "router", "vision", "inputModalities", "display"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkTolerance(t, tt.tc) })
	}
}

// TestDesignArenaProviders reads "providers" as id → {displayName,
// logoName, website} (live, every capture since 2026-04) and as id → name
// (the shape of normalized copies), and ignores shapes it never had.
func TestDesignArenaProviders(t *testing.T) {
	lb := `{"success":true,"data":[{"modelId":"glm-5","elo":1200}]}`
	model := `"models":{"glm-5":{"displayName":"GLM 5","provider":"zhipu","openSource":true}}`
	tests := []struct {
		name, providers, want string
	}{
		{"Objects", `{"zhipu":{"displayName":"Z.ai","logoName":"zai.png","website":"https://z.ai"}}`, "Z.ai"},
		{"Strings", `{"zhipu":"Z.ai"}`, "Z.ai"},
		{"ObjectWithoutName", `{"zhipu":{"logoName":"zai.png"}}`, ""},
		{"Number", `{"zhipu":7}`, ""},
		{"List", `[{"id":"zhipu","displayName":"Z.ai"}]`, ""},
		{"Missing", `null`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractDesignArena([]byte(lb), []byte(`{`+model+`,"providers":`+tt.providers+`}`), "agents", "fullstack")
			if err != nil {
				t.Fatal(err)
			}
			r := ex.Rows[0]
			if r.Extra["provider_name"] != tt.want || deref(r.Organization) != "zhipu" || r.Open == nil || !*r.Open {
				t.Errorf("row %+v, want provider_name %q", r, tt.want)
			}
		})
	}
}

// TestDesignArena covers the board-level checks and the registry join.
func TestDesignArena(t *testing.T) {
	lb, reg := testutil.Fixture(t, daBoardFixture), testutil.Fixture(t, daRegFixture)
	const (
		okLB   = `{"success":true,"data":[{"displayName":"Twin","elo":1200}],"meta":{"arena":"models","category":"website"}}`
		twins  = `{"models":{"a":{"displayName":"Twin","provider":"p","openSource":true,"arenas":{"models":["website"]}},"b":{"displayName":"Twin","provider":"q","openSource":false,"arenas":{"models":["website"]}}}}`
		oneReg = `{"models":{"a":{"displayName":"Twin","provider":"p","openSource":%s},"z":{"displayName":"Zed","provider":"p","openSource":true}}}`
	)
	tests := []struct {
		name    string
		lb, reg string
		wantErr string
		check   func(t *testing.T, ex *Extract)
	}{
		{name: "OtherCategory", lb: strings.Replace(string(lb), `"category":"website"`, `"category":"svg"`, 1), reg: string(reg),
			wantErr: `response is for category "svg", asked for "website"`},
		{name: "OtherArena", lb: strings.Replace(string(lb), `"arena":"models"`, `"arena":"agents"`, 1), reg: string(reg),
			wantErr: `response is for arena "agents", asked for "models"`},
		{name: "Failure", lb: `{"success":false,"error":"rate limited"}`, reg: string(reg),
			wantErr: "success=false (rate limited)"},
		{name: "NoData", lb: `{"success":true,"meta":{}}`, reg: string(reg), wantErr: `no "data" array`},
		{name: "DataNotArray", lb: `{"success":true,"data":{"rows":[]}}`, reg: string(reg), wantErr: `data: not a JSON array`},
		{name: "NotJSON", lb: `<html>`, reg: string(reg), wantErr: "leaderboard response is not the expected JSON"},
		{name: "NoElo", lb: `{"success":true,"data":[{"modelId":"glm-5"}]}`, reg: string(reg), wantErr: `data[0].elo: missing`},
		{name: "EloNotNumber", lb: `{"success":true,"data":[{"modelId":"glm-5","elo":"high"}]}`, reg: string(reg), wantErr: `data[0].elo: want a number`},
		{name: "RowNotObject", lb: `{"success":true,"data":["glm-5"]}`, reg: string(reg), wantErr: `data[0]: not a JSON object`},
		{name: "RegistryNotJSON", lb: string(lb), reg: "<html>oops</html>", wantErr: "registry response is not the expected JSON"},
		{name: "RegistryWithoutModels", lb: string(lb), reg: `{"providers":{}}`, wantErr: `registry: no "models" object`},
		{name: "OpenSourceWrongType", lb: okLB, reg: strings.Replace(oneReg, "%s", `"yes"`, 1),
			wantErr: `models.a.openSource: want true or false`},
		{name: "ProviderWrongType", lb: okLB, reg: `{"models":{"a":{"displayName":"Twin","provider":{"id":"p"},"openSource":true}}}`,
			wantErr: `models.a.provider: want a string`},
		{name: "OpenSourceMissingOnOneModel",
			lb:  `{"success":true,"data":[{"displayName":"Twin","elo":1200},{"displayName":"Zed","elo":1100}]}`,
			reg: strings.Replace(strings.Replace(oneReg, `,"openSource":%s`, "", 1), "%s", "true", 1),
			check: func(t *testing.T, ex *Extract) {
				if a := ex.Rows[0]; a.Model != "a" || a.Open != nil || deref(a.Organization) != "p" {
					t.Errorf("a model without a flag is unclassified, not closed: %+v", a)
				}
				if z := ex.Rows[1]; z.Open == nil || !*z.Open {
					t.Errorf("row %+v", z)
				}
				if !strings.Contains(strings.Join(ex.Notes, "\n"), "1 models without an openSource flag in the registry: a") {
					t.Errorf("notes %v", ex.Notes)
				}
			}},
		{name: "MalformedUnusedModelIgnored", lb: okLB, reg: `{"models":{"a":{"displayName":"Twin","provider":"p","openSource":false},"x":"broken","y":{"displayName":7,"openSource":"maybe"}}}`,
			check: func(t *testing.T, ex *Extract) {
				if a := ex.Rows[0]; a.Model != "a" || a.Open == nil || *a.Open {
					t.Errorf("row %+v", a)
				}
			}},
		{name: "NamesThatDisagreeStayUnclassified", lb: okLB, reg: twins,
			check: func(t *testing.T, ex *Extract) {
				r := ex.Rows[0]
				if r.Model != "Twin" || r.Open != nil || r.Organization != nil {
					t.Errorf("an ambiguous name got facts: %+v", r)
				}
				if !strings.Contains(strings.Join(ex.Notes, "\n"), "disagree") {
					t.Errorf("notes %v", ex.Notes)
				}
			}},
		{name: "ArenaListDecidesBetweenNames", lb: okLB, reg: strings.Replace(twins, `"openSource":false,"arenas":{"models":["website"]}`, `"openSource":false,"arenas":{"agents":["fullstack"]}`, 1),
			check: func(t *testing.T, ex *Extract) {
				if r := ex.Rows[0]; r.Model != "a" || r.Open == nil || !*r.Open {
					t.Errorf("row %+v", r)
				}
			}},
		{name: "UnknownModelIsKeptUnclassified",
			lb:  `{"success":true,"data":[{"modelId":"mystery-1","elo":1200,"battles":300},{"displayName":"GLM 5","elo":1190},{"displayName":"Nova X","provider":"amazon","elo":1000}],"meta":{"arena":"models","category":"website"}}`,
			reg: string(reg),
			check: func(t *testing.T, ex *Extract) {
				m := ex.Rows[0]
				if m.Organization != nil || m.Open != nil || m.Votes != 300 {
					t.Errorf("unknown model got facts it does not have: %+v", m)
				}
				if len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "mystery-1") || !strings.Contains(ex.Notes[0], "Nova X") {
					t.Errorf("notes %v should name the models missing from the registry", ex.Notes)
				}
				g := ex.Rows[1]
				if g.Model != "glm-5" || deref(g.Organization) != "zhipu" || g.Open == nil || !*g.Open {
					t.Errorf("display-name join: %+v", g)
				}
				// The row's own provider names the developer; openness stays unknown.
				if n := ex.Rows[2]; n.Model != "Nova X" || deref(n.Organization) != "amazon" || n.Open != nil {
					t.Errorf("row %+v", n)
				}
			}},
		{name: "MalformedDateIsNoDate", lb: `{"success":true,"data":[{"modelId":"glm-5","elo":1190}],"meta":{"lastUpdated":"yesterday"}}`, reg: string(reg),
			check: func(t *testing.T, ex *Extract) {
				if !ex.AsOf.IsZero() || len(ex.Notes) != 1 || !strings.Contains(ex.Notes[0], "1 optional values ignored") {
					t.Errorf("as of %v, notes %v", ex.AsOf, ex.Notes)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExtractDesignArena([]byte(tt.lb), []byte(tt.reg), "models", "website")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
				}
				if arenawatch.KindOf(err) != arenawatch.KindDrift {
					t.Errorf("error %v is not markup drift", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, ex)
		})
	}
}
