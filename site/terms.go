package site

// Terms is what is known of the licence or terms of a site's data, as
// the README's table of boards records it (the sources state nothing a
// program could read).
type Terms struct {
	Text string
	// NoRedistribution is set when the terms forbid republishing the
	// data: such boards are left out of a site unless named.
	NoRedistribution bool
}

// siteTerms maps a board's Site to its terms.
var siteTerms = map[string]Terms{
	"arena.ai":                {Text: "arena.ai terms of use; the same data is published as CC BY 4.0 (LMArena's Hugging Face dataset)"},
	"huggingface.co":          {Text: "CC BY 4.0 (lmarena-ai/leaderboard-dataset)"},
	"designarena.ai":          {Text: "keyless public API; no licence stated"},
	"openlm.ai":               {Text: "no licence stated; an aggregator"},
	"swebench.com":            {Text: "no licence stated in the published data"},
	"aider.chat":              {Text: "Apache-2.0 (Aider's repository)"},
	"livebench.ai":            {Text: "no licence stated in the published data"},
	"gorilla.cs.berkeley.edu": {Text: "Apache-2.0 (gorilla repository)"},
	"sciarena.allen.ai":       {Text: "no licence stated"},
	"openrouter.ai":           {Text: "CC BY 4.0"},
	"artificialanalysis.ai":   {Text: "terms forbid redistribution", NoRedistribution: true},
}

// TermsOf returns the terms recorded for a board's site; a site not
// recorded (a board from the config) gets "not recorded".
func TermsOf(site string) Terms {
	if t, ok := siteTerms[site]; ok {
		return t
	}
	return Terms{Text: "not recorded"}
}
