package ranking

import (
	"regexp"
	"strings"
	"unicode"
)

// Model names come in many spellings across boards and snapshots:
// "claude-opus-4-6-thinking" (arena.ai), "claude opus 4.6 thinking"
// (openlm.ai), "Claude Opus 4.6" (Design Arena), "kimi-k3 ✅",
// "muse-spark-1.2 (xHigh)", "claude-sonnet-4-5-20250929". Identity folds
// what does not change the model's weights, so one model is one identity.

// effortSuffixes are reasoning-effort and thinking-mode settings: the same
// weights served another way. "-max", "-pro", "-flash", "-mini" are not
// here: in some families they name different models (qwen3-max is not
// qwen3); catalog families fold them where that is right.
var effortSuffixes = map[string]bool{
	"minimal": true, "low": true, "medium": true, "high": true, "xhigh": true,
	"thinking": true, "reasoning": true, "non-reasoning": true, "no-thinking": true,
	"nothink": true, "think": true,
	// BFCL's evaluation modes: function calling or prompting, one model.
	"fc": true, "prompt": true,
}

var (
	isoDate      = regexp.MustCompile(`-(19|20)\d\d-[01]\d-[0-3]\d(-|$)`)
	compactDate  = regexp.MustCompile(`-(19|20)\d\d[01]\d[0-3]\d(-|$)`)
	thinkBudget  = regexp.MustCompile(`-thinking-\d+k$`)
	digitDashDig = regexp.MustCompile(`(^|-)(\d)-(\d)(-|$)`)
)

// Identity normalises a model name so that the same model has one
// identity across boards and snapshots:
//
//   - lower case; a "namespace/" prefix dropped ("meta-llama/Llama-3" → "llama-3");
//   - marks and symbols dropped ("kimi-k3 ✅" → "kimi-k3");
//   - spaces, "_" and brackets become "-" ("muse-spark-1.2 (xHigh)" → "muse-spark-1.2-xhigh" before the next step);
//   - version numbers written with a dash between single digits become dotted ("claude-opus-4-6" → "claude-opus-4.6");
//   - release dates dropped ("-20250929", "-2024-08-06");
//   - trailing reasoning-effort and thinking-mode words dropped ("-high", "-xhigh", "-thinking", "-thinking-32k").
//
// Words that name different models in some families ("-max", "-pro",
// "-flash", "-mini") are kept.
func Identity(name string) string {
	// " + " joins a mode and a setting ("(Prompt + Thinking)"); a "+"
	// inside a word ("command-r+") names a model and stays.
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), " + ", " ")
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		n = n[i+1:]
	}
	var b strings.Builder
	for _, r := range n {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '+':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '_' || r == '(' || r == ')' || r == '[' || r == ']' || r == ':' || r == ',':
			b.WriteByte('-')
		default:
			// marks (✅), symbols and punctuation carry no identity
		}
	}
	n = collapseDashes(b.String())
	// Dates go before versions are dotted: a date dropped from the middle
	// ("0-20000000-0") can bring two single digits together, and dotting
	// after it keeps Identity idempotent (FuzzIdentity).
	// Adjacent dates share the dash between them, which one pass consumes
	// ("0-20000000-20000000"): repeat until none is left.
	for prev := ""; prev != n; {
		prev = n
		n = isoDate.ReplaceAllString(n, "$2")
		n = compactDate.ReplaceAllString(n, "$2")
	}
	for {
		m := digitDashDig.FindStringSubmatchIndex(n)
		if m == nil {
			break
		}
		// Replace only the dash after the first digit (group 2 ends there).
		n = n[:m[5]] + "." + n[m[5]+1:]
	}
	n = strings.Trim(n, "-")
	n = thinkBudget.ReplaceAllString(n, "-thinking")
	for {
		i := strings.LastIndexByte(n, '-')
		if i < 0 {
			break
		}
		// Two-word modes first ("non-reasoning" before "reasoning").
		if j := strings.LastIndexByte(n[:i], '-'); j >= 0 && effortSuffixes[n[j+1:]] {
			n = n[:j]
			continue
		}
		if effortSuffixes[n[i+1:]] {
			n = n[:i]
			continue
		}
		break
	}
	return n
}

func collapseDashes(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r == '-' {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

// Family returns the model's family key: the first catalog family whose
// pattern matches the model's identity (e.g. every DeepSeek-V3.x variant
// is "deepseek-v3"), else the identity itself.
func (c *Catalog) Family(name string) string {
	id := Identity(name)
	for _, f := range c.families {
		for _, m := range f.match {
			if glob(m, id) {
				return f.name
			}
		}
	}
	return id
}
