package ranking

import (
	"testing"

	"github.com/arenawatch/arenawatch"
)

func TestIdentity(t *testing.T) {
	tests := []struct{ in, want string }{
		{"claude-opus-4-6-thinking", "claude-opus-4.6"},
		{"claude opus 4.6 thinking", "claude-opus-4.6"},
		{"Claude Opus 4.6", "claude-opus-4.6"},
		{"claude-sonnet-4-5-20250929-thinking-32k", "claude-sonnet-4.5"},
		{"claude-3-5-sonnet-20241022", "claude-3.5-sonnet"},
		{"gpt-4o-2024-08-06", "gpt-4o"},
		{"kimi-k3 ✅", "kimi-k3"},
		{"muse-spark-1.2 (xHigh)", "muse-spark-1.2"},
		{"gpt-5.5-high", "gpt-5.5"},
		{"grok-4.20-0309-reasoning", "grok-4.20-0309"},
		{"deepseek-v3.1-terminus-thinking", "deepseek-v3.1-terminus"},
		{"gpt-oss-120b", "gpt-oss-120b"},
		{"meta-llama/Llama-3.1-405B-Instruct", "llama-3.1-405b-instruct"},
		{"Meta-Llama-3.1-70B-Instruct", "meta-llama-3.1-70b-instruct"},
		{"qwen3-235b-a22b-instruct-2507", "qwen3-235b-a22b-instruct-2507"},
		{"gemini-2.5-flash-lite-preview-06-17-thinking", "gemini-2.5-flash-lite-preview-06-17"},
		{"llama-3-1-405b", "llama-3.1-405b"},
		{"gpt-4-1106-preview", "gpt-4-1106-preview"},
		{"deepseek-v3.2-exp-non-reasoning", "deepseek-v3.2-exp"},
		{"GLM-4.5 (FC)", "glm-4.5"},
		{"Qwen3-235B-A22B-Instruct-2507 (Prompt + Thinking)", "qwen3-235b-a22b-instruct-2507"},
		{"o3-2025-04-16 (FC thinking)", "o3"},
		{"command-r+", "command-r+"},
		// Words that name different models are kept.
		{"qwen3-max", "qwen3-max"},
		{"gemini-3-pro", "gemini-3-pro"},
		{"kimi-k3-max", "kimi-k3-max"},
		{"glm-4.5-air", "glm-4.5-air"},
		{"", ""},
		{"✅", ""},
	}
	for _, tt := range tests {
		if got := Identity(tt.in); got != tt.want {
			t.Errorf("Identity(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFamily(t *testing.T) {
	c := Embedded()
	tests := []struct{ in, want string }{
		{"deepseek-v3.1-terminus-thinking", "deepseek-v3"},
		{"deepseek-v3-0324", "deepseek-v3"},
		{"deepseek-v3.2-exp", "deepseek-v3"},
		{"deepseek-r1-0528", "deepseek-r1"},
		{"qwen3-235b-a22b-instruct-2507", "qwen3"},
		{"qwen3-max-preview", "qwen3-max"},
		{"qwen3.8-max", "qwen3-max"},
		{"qwen3-vl-235b-a22b-thinking", "qwen3-vl"},
		{"gemma-3-27b-it", "gemma-3"},
		{"gemma-3n-e4b-it", "gemma-3n"},
		{"gpt-oss-20b", "gpt-oss"},
		{"kimi-k2-0905-preview", "kimi-k2"},
		{"llama-3.1-nemotron-ultra-253b-v1", "llama-3.1-nemotron"},
		{"Meta-Llama-3.1-70B-Instruct", "llama-3.1"},
		// No family rule: the identity is the family.
		{"claude-opus-4-6-thinking", "claude-opus-4.6"},
	}
	for _, tt := range tests {
		if got := c.Family(tt.in); got != tt.want {
			t.Errorf("Family(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineage(t *testing.T) {
	c := Embedded()
	str := func(s string) *string { return &s }
	tests := []struct {
		name           string
		row            arenawatch.Row
		devCN, devKnow bool // developer view
		linCN, linKnow bool // lineage view
		base           string
	}{
		{"original US model", arenawatch.Row{Model: "gpt-oss-120b", Organization: str("OpenAI"), License: str("Apache 2.0")},
			false, true, false, true, ""},
		{"original CN model", arenawatch.Row{Model: "glm-4.6", Organization: str("Z.ai"), License: str("MIT")},
			true, true, true, true, ""},
		{"US post-train of a CN base", arenawatch.Row{Model: "athene-v2-chat", Organization: str("NexusFlow"), License: str("NexusFlow")},
			false, true, true, true, "Qwen2.5-72B"},
		{"US post-train of GLM", arenawatch.Row{Model: "intellect-3", Organization: str("prime-intellect")},
			false, true, true, true, "GLM-4.5-Air"},
		{"US post-train of a US base", arenawatch.Row{Model: "llama-3.1-nemotron-ultra-253b-v1", Organization: str("Nvidia"), License: str("Nvidia Open Model")},
			false, true, false, true, "Llama 3.1"},
		{"CN distillation into a US base", arenawatch.Row{Model: "deepseek-r1-distill-llama-70b", Organization: str("DeepSeek")},
			true, true, true, true, "Llama 3"},
		{"two-level: Starling on OpenChat", arenawatch.Row{Model: "starling-lm-7b-beta", Organization: str("Nexusflow"), License: str("Apache-2.0")},
			false, true, true, true, "OpenChat 3.5"},
		{"derivative whose base developer is unknown (org chosen so only the base is unknown)", arenawatch.Row{Model: "uigen-t3-32b", Organization: str("openai")},
			false, true, false, false, "unknown"},
		{"unknown developer", arenawatch.Row{Model: "mystery-model", Organization: str("nobody-knows")},
			false, false, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := c.Classify(tt.row)
			if cl.Base != tt.base {
				t.Errorf("base %q, want %q", cl.Base, tt.base)
			}
			if cn, known := cl.Chinese(ViewDeveloper); cn != tt.devCN || known != tt.devKnow {
				t.Errorf("developer view: chinese %v known %v, want %v %v", cn, known, tt.devCN, tt.devKnow)
			}
			if cn, known := cl.Chinese(ViewLineage); cn != tt.linCN || known != tt.linKnow {
				t.Errorf("lineage view: chinese %v known %v, want %v %v (%+v)", cn, known, tt.linCN, tt.linKnow, cl)
			}
		})
	}
}

// FuzzIdentity checks the normaliser never panics, is idempotent, and only
// produces lower-case dash-separated names without marks.
func FuzzIdentity(f *testing.F) {
	for _, s := range []string{"claude-opus-4-6-thinking", "kimi-k3 ✅", "muse-spark-1.2 (xHigh)", "a-1-2-3", "--", "gpt-4o-2024-08-06", "Ⅻ-ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := Identity(s)
		if again := Identity(id); again != id {
			t.Fatalf("Identity not idempotent: %q → %q → %q", s, id, again)
		}
		if len(id) > 0 && (id[0] == '-' || id[len(id)-1] == '-') {
			t.Fatalf("Identity(%q) = %q has an edge dash", s, id)
		}
	})
}
