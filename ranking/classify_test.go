package ranking

import (
	"testing"

	"github.com/arenawatch/arenawatch"
)

func TestClassify(t *testing.T) {
	str := arenawatch.Str
	tests := []struct {
		name string
		row  arenawatch.Row
		want Class
	}{
		// Openness from the licence text.
		{"Propretary typo", arenawatch.Row{Model: "claude-3-5-haiku-20241022", Organization: str("Anthropic"), License: str("Propretary")},
			Class{Org: "Anthropic", Country: "US", OrgBasis: BasisOrgField, Open: Closed, OpenBasis: BasisLicense, License: "Propretary", Tier: TierClosed}},
		{"N/A", arenawatch.Row{Model: "m", License: str("N/A")},
			Class{Open: Closed, OpenBasis: BasisLicense, License: "N/A", Tier: TierClosed}},
		{"empty licence", arenawatch.Row{Model: "m", License: str("")},
			Class{Open: Closed, OpenBasis: BasisLicense, Tier: TierClosed}},
		{"Apache 2.0", arenawatch.Row{Model: "gpt-oss-120b", Organization: str("OpenAI"), License: str("Apache 2.0")},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisOrgField, Open: Open, OpenBasis: BasisLicense, License: "Apache 2.0", Tier: TierPermissive}},
		{"community licence", arenawatch.Row{Model: "m", License: str("Llama 3.1 Community")},
			Class{Open: Open, OpenBasis: BasisLicense, License: "Llama 3.1 Community", Tier: TierRestricted}},
		{"non-commercial licence", arenawatch.Row{Model: "m", License: str("CC-BY-NC-4.0")},
			Class{Open: Open, OpenBasis: BasisLicense, License: "CC-BY-NC-4.0", Tier: TierNonCommercial}},
		{"Modified MIT", arenawatch.Row{Model: "m", License: str(" Modified MIT ")},
			Class{Open: Open, OpenBasis: BasisLicense, License: "Modified MIT", Tier: TierPermissive}},
		{"placeholder dash says nothing", arenawatch.Row{Model: "nvila-15b", License: str("-")},
			Class{Org: "NVIDIA", Country: "US", OrgBasis: BasisBrand, Open: Unknown, License: "-"}},
		{"nil licence, no flag", arenawatch.Row{Model: "m", Organization: str("OpenAI")},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisOrgField, Open: Unknown}},
		// The source flag beats the licence.
		{"flag false beats MIT", arenawatch.Row{Model: "m", License: str("MIT"), Open: arenawatch.Bool(false)},
			Class{Open: Closed, OpenBasis: BasisSourceFlag, License: "MIT", Tier: TierClosed}},
		{"flag true, no licence", arenawatch.Row{Model: "olmo-3.1-32b-think", Organization: str("allenai"), Open: arenawatch.Bool(true)},
			Class{Org: "Ai2", Country: "US", OrgBasis: BasisOrgField, Open: Open, OpenBasis: BasisSourceFlag}},
		// Catalog rules beat everything.
		{"qwen-max-0919 labelled Qwen", arenawatch.Row{Model: "qwen-max-0919", Organization: str("Alibaba"), License: str("Qwen")},
			Class{Org: "Alibaba", Country: "CN", OrgBasis: BasisOrgField, Open: Closed, OpenBasis: "catalog rule qwen-max*", License: "Qwen", Tier: TierClosed}},
		{"rule beats flag, display name matched", arenawatch.Row{Model: "x1", Name: "Qwen3 Max Preview", Open: arenawatch.Bool(true)},
			Class{Org: "Alibaba", Country: "CN", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "catalog rule qwen3-max*", Tier: TierClosed}},
		{"maverick experimental labelled Llama", arenawatch.Row{Model: "llama-4-maverick-03-26-experimental", Organization: str("Meta"), License: str("Llama")},
			Class{Org: "Meta", Country: "US", OrgBasis: BasisOrgField, Open: Closed, OpenBasis: "catalog rule llama-4-maverick-03-26-experimental", License: "Llama", Tier: TierClosed}},
		{"maverick release is not caught", arenawatch.Row{Model: "llama-4-maverick-17b-128e-instruct", Organization: str("Meta"), License: str("Llama 4")},
			Class{Org: "Meta", Country: "US", OrgBasis: BasisOrgField, Open: Open, OpenBasis: BasisLicense, License: "Llama 4", Tier: TierRestricted}},
		{"kimi-k2-thinking-turbo open, rule licence", arenawatch.Row{Model: "moonshotai/kimi-k2-thinking-turbo", Organization: str("Moonshot"), License: str("Proprietary")},
			Class{Org: "Moonshot AI", Country: "CN", OrgBasis: BasisOrgField, Open: Open, OpenBasis: "catalog rule kimi-k2-thinking-turbo*", License: "Modified MIT", Tier: TierPermissive}},
		{"rule on a spaced display name", arenawatch.Row{Model: "qwen3.8-max ✅", Organization: str("Alibaba"), License: str("Qwen3")},
			Class{Org: "Alibaba", Country: "CN", OrgBasis: BasisOrgField, Open: Closed, OpenBasis: "catalog rule qwen3.*-max*", License: "Qwen3", Tier: TierClosed}},
		// Catalog lines, only when the source says nothing.
		{"line: bare Claude closed", arenawatch.Row{Model: "Claude-4.1-Opus"},
			Class{Org: "Anthropic", Country: "US", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "catalog line claude*", Tier: TierClosed}},
		{"line: gpt-oss open with licence", arenawatch.Row{Model: "GPT-OSS-120B"},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand, Open: Open, OpenBasis: "catalog line gpt-oss*", License: "Apache 2.0", Tier: TierPermissive}},
		{"line: o3 is not gpt-oss", arenawatch.Row{Model: "o3 (high)"},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "catalog line o3-*", Tier: TierClosed}},
		{"line: namespace dropped", arenawatch.Row{Model: "moonshotai/kimi-k2-0905"},
			Class{Org: "Moonshot AI", Country: "CN", OrgBasis: BasisBrand, Open: Open, OpenBasis: "catalog line kimi-k2*", License: "Modified MIT", Tier: TierPermissive}},
		{"line after a placeholder licence", arenawatch.Row{Model: "olmo-3-32b-think", License: str("-")},
			Class{Org: "Ai2", Country: "US", OrgBasis: BasisBrand, Open: Open, OpenBasis: "catalog line olmo*", License: "Apache 2.0", Tier: TierPermissive}},
		{"a line without a licence keeps the placeholder", arenawatch.Row{Model: "claude-x", License: str("-")},
			Class{Org: "Anthropic", Country: "US", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "catalog line claude*", License: "-", Tier: TierClosed}},
		{"source licence beats a line", arenawatch.Row{Model: "claude-x", License: str("MIT")},
			Class{Org: "Anthropic", Country: "US", OrgBasis: BasisBrand, Open: Open, OpenBasis: BasisLicense, License: "MIT", Tier: TierPermissive}},
		{"source flag beats a line", arenawatch.Row{Model: "gemma-9", Open: arenawatch.Bool(false)},
			Class{Org: "Google", Country: "US", OrgBasis: BasisBrand, Open: Closed, OpenBasis: BasisSourceFlag, Tier: TierClosed}},
		{"rule beats a line", arenawatch.Row{Model: "llama-2-34b-chat"},
			Class{Org: "Meta", Country: "US", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "catalog rule llama-2-34b*", Tier: TierClosed}},
		{"a system with a closed model is closed", arenawatch.Row{Model: "DeepSeek R1 + claude-3-5-sonnet-20241022"},
			Class{Org: "DeepSeek", Country: "CN", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "system: claude-3-5-sonnet-20241022 is closed", Tier: TierClosed}},
		{"a system of closed models (Aider)", arenawatch.Row{Model: "o3 (high) + gpt-4.1"},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "system: o3 (high) is closed", Tier: TierClosed}},
		{"a system of open models is open", arenawatch.Row{Model: "gpt-oss-120b + kimi-k2-0905"},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand, Open: Open, OpenBasis: "system: every model is open"}},
		{"a system with an unknown model and open ones stays unknown", arenawatch.Row{Model: "gpt-oss-120b + mystery-7b"},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand, Open: Unknown}},
		{"a source flag beats the system rule", arenawatch.Row{Model: "o3 + gpt-4.1", Open: arenawatch.Bool(true)},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand, Open: Open, OpenBasis: BasisSourceFlag}},
		{"Quasar Alpha was OpenAI's GPT-4.1 preview", arenawatch.Row{Model: "Quasar Alpha"},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand, Open: Closed, OpenBasis: "catalog rule quasar-alpha", Tier: TierClosed}},
		{"CodeFuse is Ant Group's, on a Qwen base", arenawatch.Row{Model: "CodeFuse-CGM"},
			Class{Org: "Ant Group", Country: "CN", OrgBasis: BasisBrand, Open: Unknown}}, // lineage: TestLineage
		{"Nex-AGI is Chinese", arenawatch.Row{Model: "nex-n2-pro", Organization: str("nex-agi"), Open: arenawatch.Bool(true)},
			Class{Org: "Nex-AGI", Country: "CN", OrgBasis: BasisOrgField, Open: Open, OpenBasis: BasisSourceFlag}},
		{"a name with a bidi override classifies nothing", arenawatch.Row{Model: "gpt-oss-120b\u202e", License: str("Apache 2.0")},
			Class{Open: Open, OpenBasis: BasisLicense, License: "Apache 2.0", Tier: TierPermissive}},
		{"a name with an escape sequence classifies nothing", arenawatch.Row{Model: "gpt-oss-\x1b[8m120b"},
			Class{Open: Unknown}},
		{"a lookalike hyphen is neither OpenAI's brand nor gpt-oss's line", arenawatch.Row{Model: "gpt\u2010oss-120b"},
			Class{Open: Unknown}},
		{"Ideogram is closed", arenawatch.Row{Model: "ideogram-v3-quality", Organization: str("Ideogram")},
			Class{Org: "Ideogram", Country: "CA", OrgBasis: BasisOrgField, Open: Closed, OpenBasis: "catalog rule ideogram*", Tier: TierClosed}},
		{"no line for an unknown line", arenawatch.Row{Model: "qwen3.8-flash"},
			Class{Org: "Alibaba", Country: "CN", OrgBasis: BasisBrand, Open: Unknown}},
		{"Mistral Medium 3.5 is past the closed line", arenawatch.Row{Model: "mistral-medium-3.5"},
			Class{Org: "Mistral AI", Country: "FR", OrgBasis: BasisBrand, Open: Unknown}},
	}
	c := Embedded()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.row)
			// Families and lineage have their own tests.
			got.Family, got.Base, got.BaseOrg, got.BaseCountry, got.LineageBasis = "", "", "", "", ""
			if got != tt.want {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
	if cl := c.Classify(arenawatch.Row{Model: "CodeFuse-CGM"}); cl.BaseOrg != "Alibaba" || cl.BaseCountry != "CN" {
		t.Errorf("CodeFuse-CGM lineage %+v: it is built on Qwen2.5-72B", cl)
	}
}

// TestClassifyOrigin checks who develops a model and where; openness has
// its own cases in TestClassify.
func TestClassifyOrigin(t *testing.T) {
	str := arenawatch.Str
	tests := []struct {
		name string
		row  arenawatch.Row
		want Class
	}{
		// Origin from the organization field.
		{"DeepSeek AI", arenawatch.Row{Model: "deepseek-v2-chat", Organization: str("DeepSeek AI")},
			Class{Org: "DeepSeek", Country: "CN", OrgBasis: BasisOrgField}},
		{"Z.ai", arenawatch.Row{Model: "glm-4.6", Organization: str("Z.ai")},
			Class{Org: "Z.ai", Country: "CN", OrgBasis: BasisOrgField}},
		{"Zhipu", arenawatch.Row{Model: "glm-4-plus", Organization: str("Zhipu")},
			Class{Org: "Z.ai", Country: "CN", OrgBasis: BasisOrgField}},
		{"zai slug", arenawatch.Row{Model: "glm-5", Organization: str("zai")},
			Class{Org: "Z.ai", Country: "CN", OrgBasis: BasisOrgField}},
		{"thudm provider id", arenawatch.Row{Model: "glm-4.5", Organization: str("thudm")},
			Class{Org: "Z.ai", Country: "CN", OrgBasis: BasisOrgField}},
		{"Moonshot", arenawatch.Row{Model: "kimi-k2", Organization: str("Moonshot")},
			Class{Org: "Moonshot AI", Country: "CN", OrgBasis: BasisOrgField}},
		{"moonshot_legacy provider id", arenawatch.Row{Model: "kimi-k2-0711-preview", Organization: str("moonshot_legacy")},
			Class{Org: "Moonshot AI", Country: "CN", OrgBasis: BasisOrgField}},
		{"Nvidia", arenawatch.Row{Model: "llama-3.1-nemotron-70b-instruct", Organization: str("Nvidia")},
			Class{Org: "NVIDIA", Country: "US", OrgBasis: BasisOrgField}},
		{"Mistral", arenawatch.Row{Model: "mistral-large-2411", Organization: str("Mistral")},
			Class{Org: "Mistral AI", Country: "FR", OrgBasis: BasisOrgField}},
		{"Cohere", arenawatch.Row{Model: "command-a-03-2025", Organization: str("Cohere")},
			Class{Org: "Cohere", Country: "CA", OrgBasis: BasisOrgField}},
		{"folded case and spaces", arenawatch.Row{Model: "x", Organization: str("  ANT group ")},
			Class{Org: "Ant Group", Country: "CN", OrgBasis: BasisOrgField}},
		{"openrouter is a serving route", arenawatch.Row{Model: "gpt-4o", Organization: str("openrouter")},
			Class{}},
		{"googleVertex glob", arenawatch.Row{Model: "claude-opus-4", Organization: str("googleVertexAnthropic")},
			Class{}},
		{"unknown org text gets no brand fallback", arenawatch.Row{Model: "gpt-4o", Organization: str("Some Lab")},
			Class{}},
		{"deliberately unknown", arenawatch.Row{Model: "recraft-v3", Organization: str("Recraft")},
			Class{}},
		// Origin from a brand prefix when the organization is absent or empty.
		{"gpt-oss brand, nil org", arenawatch.Row{Model: "gpt-oss-120b"},
			Class{Org: "OpenAI", Country: "US", OrgBasis: BasisBrand}},
		{"brand, empty org", arenawatch.Row{Model: "kimi-k2.6", Organization: str(" ")},
			Class{Org: "Moonshot AI", Country: "CN", OrgBasis: BasisBrand}},
		{"phind is not phi", arenawatch.Row{Model: "phind-codellama-34b-v2"},
			Class{}},
		{"phi-4 is phi", arenawatch.Row{Model: "phi-4"},
			Class{Org: "Microsoft", Country: "US", OrgBasis: BasisBrand}},
		{"digit ends a brand", arenawatch.Row{Model: "qwen3-235b-a22b"},
			Class{Org: "Alibaba", Country: "CN", OrgBasis: BasisBrand}},
		{"longest brand wins", arenawatch.Row{Model: "llama-3.1-nemotron-ultra-253b-v1"},
			Class{Org: "NVIDIA", Country: "US", OrgBasis: BasisBrand}},
		{"gpt4all is not OpenAI", arenawatch.Row{Model: "gpt4all-13b-snoozy"},
			Class{Org: "Nomic AI", Country: "US", OrgBasis: BasisBrand}},
		{"namespace dropped", arenawatch.Row{Model: "meta-llama/Llama-3.1-8B-Instruct"},
			Class{Org: "Meta", Country: "US", OrgBasis: BasisBrand}},
		{"brand from display name", arenawatch.Row{Model: "c0ffee-uuid", Name: "Claude Opus 4.5"},
			Class{Org: "Anthropic", Country: "US", OrgBasis: BasisBrand}},
		{"codename stays unknown", arenawatch.Row{Model: "yivon-beta"},
			Class{}},
	}
	c := Embedded()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.row)
			if got.Org != tt.want.Org || got.Country != tt.want.Country || got.OrgBasis != tt.want.OrgBasis {
				t.Errorf("\n got %s %s (%s)\nwant %s %s (%s)", got.Org, got.Country, got.OrgBasis, tt.want.Org, tt.want.Country, tt.want.OrgBasis)
			}
		})
	}
}

func TestTier(t *testing.T) {
	tests := []struct {
		open    Openness
		license string
		want    string
	}{
		{Closed, "MIT", TierClosed},
		{Unknown, "MIT", ""},
		{Open, "", ""},
		{Open, "MIT", TierPermissive},
		{Open, "Apache-2.0", TierPermissive},
		{Open, "CC-BY-4.0", TierPermissive},
		{Open, "CC-BY-NC-SA-4.0", TierNonCommercial},
		{Open, "Non-commercial", TierNonCommercial},
		{Open, "MRL", TierNonCommercial},
		{Open, "Mistral Research", TierNonCommercial},
		{Open, "Gemma license", TierRestricted},
		{Open, "Qianwen LICENSE", TierRestricted},
		{Open, "NVIDIA Open Model", TierRestricted},
		{Open, "Permit-all", TierRestricted}, // "mit" only as a word
	}
	for _, tt := range tests {
		t.Run(string(tt.open)+" "+tt.license, func(t *testing.T) {
			if got := tier(tt.open, tt.license); got != tt.want {
				t.Errorf("tier(%s, %q) = %q, want %q", tt.open, tt.license, got, tt.want)
			}
		})
	}
}

// TestBrandPrefixes covers the brand → organization list of the catalog
// issue: a row without an organization is recognised by its model name.
func TestBrandPrefixes(t *testing.T) {
	c := Embedded()
	for model, want := range map[string]string{
		"kimi-k2": "Moonshot AI", "glm-4.6": "Z.ai", "qwen3-32b": "Alibaba", "qwq-32b": "Alibaba", "wan2.5-t2v": "Alibaba",
		"hunyuan-t1": "Tencent", "ernie-4.5": "Baidu", "doubao-seed-1.6": "ByteDance", "seed-oss-36b": "ByteDance",
		"longcat-flash": "Meituan", "ling-1t": "Ant Group", "ring-1t": "Ant Group", "mimo-v2": "Xiaomi",
		"gemma-3-27b": "Google", "gemini-3-pro": "Google", "llama-4-scout": "Meta", "muse-spark": "Meta",
		"gpt-oss-120b": "OpenAI", "nemotron-4-340b": "NVIDIA", "grok-4": "xAI", "mistral-large-3": "Mistral AI",
		"magistral-medium": "Mistral AI", "devstral-2": "Mistral AI", "command-a": "Cohere", "aya-expanse-32b": "Cohere",
		"jamba-1.5-large": "AI21 Labs", "falcon-180b": "Technology Innovation Institute", "exaone-4.0": "LG AI Research",
		"solar-pro-2": "Upstage", "trinity-large": "Arcee AI", "intellect-3": "Prime Intellect",
	} {
		if got := c.Classify(arenawatch.Row{Model: model}); got.Org != want || got.OrgBasis != BasisBrand {
			t.Errorf("%s: %q via %q, want %q by brand prefix", model, got.Org, got.OrgBasis, want)
		}
	}
}

// TestUnderlyingModel: an agent row is classified by the model it runs,
// never by a scaffold named in its key.
func TestUnderlyingModel(t *testing.T) {
	c := Embedded()
	cl := c.Classify(arenawatch.Row{Model: "OpenHands + Kimi K2", Underlying: "moonshot/kimi-k2-0711-preview", Open: arenawatch.Bool(true)})
	if cl.Org != "Moonshot AI" || cl.Country != "CN" || cl.OrgBasis != BasisBrand || cl.Open != Open {
		t.Errorf("agent on Kimi K2: %+v", cl)
	}
	if cl := c.Classify(arenawatch.Row{Model: "TRAE + Doubao-Seed-Code"}); cl.Org != "" {
		t.Errorf("a system without an underlying model got an organization: %+v", cl)
	}
}
