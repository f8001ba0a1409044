package ranking

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/arenawatch/arenawatch"
)

func TestEmbeddedParses(t *testing.T) {
	c := Embedded()
	if c == nil {
		t.Fatal("Embedded() returned nil")
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}\.[1-9]\d*$`).MatchString(c.Version()) {
		t.Errorf("version %q does not follow YYYY-MM-DD.N", c.Version())
	}
	if _, err := Parse(embeddedYAML); err != nil {
		t.Fatalf("Parse(catalog.yaml): %v", err)
	}
	// Floors, so that a truncated file cannot pass unnoticed.
	if len(c.orgs) < 60 || len(c.keys) < 150 || len(c.brands) < 100 || len(c.rules) < 5 {
		t.Errorf("catalog looks truncated: %d orgs, %d aliases, %d brands, %d rules",
			len(c.orgs), len(c.keys), len(c.brands), len(c.rules))
	}
}

// TestEmbeddedNoDuplicates is stricter than Parse: within the whole file,
// every spelling (name, alias, unknown entry) folds to a distinct key, every
// brand is listed once, and every organization has a country.
func TestEmbeddedNoDuplicates(t *testing.T) {
	var f catalogFile
	if err := yaml.Unmarshal(embeddedYAML, &f); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	claim := func(spelling, owner string) {
		t.Helper()
		k := fold(spelling)
		if prev, dup := seen[k]; dup {
			if prev == owner && fold(spelling) == fold(owner) {
				return // the canonical name repeated among its own aliases
			}
			t.Errorf("%q (%s) folds to %q, already listed by %s", spelling, owner, k, prev)
			return
		}
		seen[k] = owner
	}
	brands := map[string]string{}
	for _, o := range f.Organizations {
		claim(o.Name, o.Name)
		for _, a := range o.Aliases {
			claim(a, o.Name)
		}
		for _, b := range o.Brands {
			if prev, dup := brands[normModel(b)]; dup {
				t.Errorf("brand %q of %s is already a brand of %s", b, o.Name, prev)
			}
			brands[normModel(b)] = o.Name
		}
	}
	for g, list := range f.UnknownOrganizations {
		for _, u := range list {
			claim(u, "unknown_organizations."+g)
		}
	}
}

// The deliberately unknown strings really classify as unknown, and every
// alias really resolves to its organization.
func TestEmbeddedEntriesResolve(t *testing.T) {
	var f catalogFile
	if err := yaml.Unmarshal(embeddedYAML, &f); err != nil {
		t.Fatal(err)
	}
	c := Embedded()
	for g, list := range f.UnknownOrganizations {
		for _, u := range list {
			if cl := c.Classify(arenawatch.Row{Model: "x", Organization: arenawatch.Str(u)}); cl.Org != "" {
				t.Errorf("unknown_organizations.%s %q resolves to %s", g, u, cl.Org)
			}
		}
	}
	for _, o := range f.Organizations {
		for _, a := range append([]string{o.Name}, o.Aliases...) {
			cl := c.Classify(arenawatch.Row{Model: "x", Organization: arenawatch.Str(a)})
			if cl.Org != o.Name || cl.Country != o.Country {
				t.Errorf("alias %q: got %q/%q, want %q/%q", a, cl.Org, cl.Country, o.Name, o.Country)
			}
		}
	}
}

func TestParseRejects(t *testing.T) {
	const org = "version: \"1\"\norganizations:\n"
	tests := []struct {
		name, yaml string
		want       string // text the error must contain
	}{
		{"empty file", "", "empty"},
		{"no version", "organizations: []\n", "no version"},
		{"plus in version", "version: a+b\n", "reserved"},
		{"unknown top-level field", "version: \"1\"\norgs: []\n", "orgs"},
		{"unknown org field", org + "  - {name: Acme, country: US, city: Boston}\n", "city"},
		{"unknown rule field", "version: \"1\"\nmodels:\n  - {match: x, open: true, reason: r, why: y}\n", "why"},
		{"lower-case country", org + "  - {name: Acme, country: us}\n", `"Acme": country "us"`},
		{"three-letter country", org + "  - {name: Acme, country: USA}\n", `"Acme": country "USA"`},
		{"missing country", org + "  - {name: Acme}\n", `"Acme": country ""`},
		{"digit in country", org + "  - {name: Acme, country: U1}\n", `country "U1"`},
		{"bad countries entry", org + "  - {name: Acme, country: US, countries: [US, gb]}\n", `"gb"`},
		{"countries without primary", org + "  - {name: Acme, country: US, countries: [GB]}\n", "primary"},
		{"no name", org + "  - {country: US}\n", "organization 1 has no name"},
		{"alias clash", org + "  - {name: Zeta, country: CN, aliases: [Z.ai]}\n  - {name: Other, country: US, aliases: [z-AI]}\n",
			`"Other": alias "z-AI" is already claimed by organization "Zeta"`},
		{"alias is another org's name", org + "  - {name: Acme, country: US}\n  - {name: Beta, country: FR, aliases: [ACME]}\n",
			`"Beta": alias "ACME"`},
		{"brand clash", org + "  - {name: A, country: US, brands: [foo]}\n  - {name: B, country: US, brands: [Foo]}\n",
			`"B": brand "Foo" is already claimed by organization "A"`},
		{"rule without open", "version: \"1\"\nmodels:\n  - {match: qwen-max*, reason: api only}\n", `"qwen-max*": give open`},
		{"rule without reason", "version: \"1\"\nmodels:\n  - {match: qwen-max*, open: false}\n", `"qwen-max*": a reason`},
		{"rule twice", "version: \"1\"\nmodels:\n  - {match: a, open: false, reason: r}\n  - {match: A, open: true, reason: r}\n", "twice"},
		{"serving provider is an alias", org + "  - {name: Together AI, country: US, aliases: [together]}\nnot_developers: [together]\n",
			`"together" matches alias`},
		{"serving glob matches everything", "version: \"1\"\nnot_developers: [\"*\"]\n", "everything"},
		{"unknown entry is an alias", org + "  - {name: Recraft, country: US}\nunknown_organizations:\n  unclear: [recraft]\n",
			`unknown_organizations.unclear: "recraft" is an alias`},
		{"unknown entry is a serving provider", "version: \"1\"\nnot_developers: [host*]\nunknown_organizations:\n  unclear: [hostco]\n",
			`"hostco" is listed in not_developers`},
		{"two documents", "version: \"1\"\n---\nversion: \"2\"\n", "more than one"},
		{"not yaml", "version: [\n", "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse accepted it: version %q", c.Version())
			}
			if !arenawatch.IsKind(err, arenawatch.KindInvalid) {
				t.Errorf("kind = %v, want invalid input", arenawatch.KindOf(err))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	c, err := Parse([]byte(`version: "2026-01-01.1"
organizations:
  - {name: Acme, country: US, countries: [US, GB], aliases: [Acme, ACME Inc, acme-inc], brands: [acm]}
models:
  - {match: "acm-1*", open: true, license: MIT, reason: weights released}
not_developers: [hostco*]
unknown_organizations:
  codenames: [bluebird]
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Version() != "2026-01-01.1" {
		t.Errorf("version %q", c.Version())
	}
	cl := c.Classify(arenawatch.Row{Model: "acm-1-large"})
	if cl.Org != "Acme" || cl.Open != Open || cl.License != "MIT" {
		t.Errorf("got %+v", cl)
	}
}

func mustParse(t *testing.T, s string) *Catalog {
	t.Helper()
	c, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMerge(t *testing.T) {
	base := mustParse(t, `version: "2026-01-01.1"
organizations:
  - {name: Acme, country: US, aliases: [acme-labs], brands: [acm]}
  - {name: Beta, country: FR, aliases: [beta-ai, shared, beta-cloud], brands: [bet]}
  - {name: Gamma, country: DE}
models:
  - {match: "acm-*", open: false, reason: base says closed}
  - {match: "bet-*", open: false, reason: base rule kept}
unknown_organizations:
  unclear: [newco]
`)
	over := mustParse(t, `version: "user.3"
organizations:
  - {name: ACME, country: CA, aliases: [acme-canada]}
  - {name: Newco, country: JP, aliases: [newco, shared]}
  - {name: Delta, country: KR, brands: [bet-x]}
models:
  - {match: "acm-*", open: true, license: Apache 2.0, reason: user says open}
not_developers: [beta-cloud*]
unknown_organizations:
  codenames: [gamma]
`)
	m := base.Merge(over)
	row := func(org, model string) arenawatch.Row {
		r := arenawatch.Row{Model: model}
		if org != "" {
			r.Organization = arenawatch.Str(org)
		}
		return r
	}
	tests := []struct {
		name            string
		row             arenawatch.Row
		org, country    string
		open            Openness
		basis           string
		againstBaseOrg  string
		againstBaseOpen Openness
	}{
		{"same-name org replaced", row("Acme", "acm-1"), "ACME", "CA", Open, "catalog rule acm-*", "Acme", Closed},
		{"replaced org loses its old aliases", row("acme-labs", "x"), "", "", Unknown, "", "Acme", Unknown},
		{"replaced org loses its old brands", row("", "acm-2"), "", "", Open, "catalog rule acm-*", "Acme", Closed},
		{"new org added", row("acme canada", "x"), "ACME", "CA", Unknown, "", "", Unknown},
		{"override org claims a string the base left unknown", row("Newco", "x"), "Newco", "JP", Unknown, "", "", Unknown},
		{"alias moved to override org", row("shared", "x"), "Newco", "JP", Unknown, "", "Beta", Unknown},
		{"override serving provider removes base alias", row("Beta Cloud", "x"), "", "", Unknown, "", "Beta", Unknown},
		{"base org keeps its other aliases", row("beta-ai", "x"), "Beta", "FR", Unknown, "", "Beta", Unknown},
		{"override unknown removes base org name", row("Gamma", "x"), "", "", Unknown, "", "Gamma", Unknown},
		{"longer override brand wins", row("", "bet-x-1"), "Delta", "KR", Closed, "catalog rule bet-*", "Beta", Closed},
		{"base brand kept", row("", "bet-2"), "Beta", "FR", Closed, "catalog rule bet-*", "Beta", Closed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Classify(tt.row)
			if got.Org != tt.org || got.Country != tt.country || got.Open != tt.open || got.OpenBasis != tt.basis {
				t.Errorf("merged: got org %q/%q open %s (%s), want %q/%q %s (%s)",
					got.Org, got.Country, got.Open, got.OpenBasis, tt.org, tt.country, tt.open, tt.basis)
			}
			b := base.Classify(tt.row)
			if b.Org != tt.againstBaseOrg || b.Open != tt.againstBaseOpen {
				t.Errorf("base changed by Merge: got %q %s, want %q %s", b.Org, b.Open, tt.againstBaseOrg, tt.againstBaseOpen)
			}
		})
	}
	if m.Version() != "2026-01-01.1+user.3" {
		t.Errorf("version %q", m.Version())
	}
	if base.Merge(nil) != base {
		t.Error("Merge(nil) should return the base catalog")
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Z.ai", "zai"}, {" zai ", "zai"}, {"Zhipu AI", "zhipuai"}, {"moonshot_legacy", "moonshotlegacy"},
		{"ant-group", "antgroup"}, {"\u200bZhipu\u00a0AI\ufeff", "zhipuai"}, {"AllenAI/UW", "allenai/uw"}, {"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := fold(tt.in); got != tt.want {
				t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"qwen-max*", "qwen-max-0919", true},
		{"qwen-max*", "qwen-max", true},
		{"qwen-max*", "qwen3-max", false},
		{"qwen3.*-max*", "qwen3.8-max-0902", true},
		{"qwen3.*-max*", "qwen3-max-preview", false},
		{"command-r*-08-2024", "command-r-plus-08-2024", true},
		{"command-r*-08-2024", "command-r-08-2024-x", false},
		{"step-3", "step-3", true},
		{"step-3", "step-3-mini", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"googlevertex*", "googlevertexanthropic", true},
		{"*", "", true},
		{"a*b*c", "a/x/b/y/c", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.name, func(t *testing.T) {
			if got := glob(tt.pattern, tt.name); got != tt.want {
				t.Errorf("glob(%q, %q) = %v", tt.pattern, tt.name, got)
			}
		})
	}
}

// TestReadmeOverrideExample runs the override example of the README, as
// written there: its base_org names a built-in organization, which a file
// merged over the built-in catalog may do.
func TestReadmeOverrideExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "write an\noverride file")
	if !ok {
		t.Fatal("the README no longer has the override example this test reads")
	}
	_, block, ok := strings.Cut(after, "```yaml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml block after the override paragraph")
	}
	c, err := Embedded().Override([]byte(block))
	if err != nil {
		t.Fatalf("the README's example is rejected: %v", err)
	}
	if v := c.Version(); v != Embedded().Version()+"+local-1" {
		t.Errorf("version %q", v)
	}
	coder := c.Classify(arenawatch.Row{Model: "exa-2-coder-32b"})
	if coder.Org != "Example Labs" || coder.Country != "FR" || coder.BaseOrg != "Alibaba" || coder.BaseCountry != "CN" {
		t.Errorf("exa-2-coder: %+v", coder)
	}
	if cn, known := coder.Chinese(ViewLineage); !cn || !known {
		t.Errorf("a fine-tune of Qwen is not Chinese in the lineage view: %+v", coder)
	}
	if p := c.Classify(arenawatch.Row{Model: "exa-2-preview-0901", License: arenawatch.Str("MIT")}); p.Open != Closed {
		t.Errorf("exa-2-preview: %+v", p)
	}
	// A base_org that neither catalog knows is still an error.
	bad := strings.Replace(block, "base_org: Alibaba", "base_org: Nowhere Labs", 1)
	if _, err := Embedded().Override([]byte(bad)); err == nil || !strings.Contains(err.Error(), `"Nowhere Labs"`) {
		t.Errorf("unknown base_org: %v", err)
	}
}
