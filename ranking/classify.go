package ranking

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/sanitize"
)

// Openness says whether a model's weights can be downloaded.
type Openness string

// The three openness values. Unknown is never counted as open.
const (
	Open    Openness = "open"
	Closed  Openness = "closed"
	Unknown Openness = "unknown"
)

// Values of Class.OrgBasis.
const (
	BasisOrgField = "organization field"
	BasisBrand    = "brand prefix"
)

// Values of Class.OpenBasis; a catalog rule is "catalog rule <match>".
const (
	BasisSourceFlag = "source flag"
	BasisLicense    = "license"
	basisRule       = "catalog rule "
	basisLine       = "catalog line "
)

// Licence tiers (Class.Tier).
const (
	TierPermissive    = "open-permissive"
	TierRestricted    = "open-restricted"
	TierNonCommercial = "open-noncommercial"
	TierClosed        = "closed"
)

// Class is what the catalog says about one row: who made the model, where,
// and whether its weights are open, each with the basis of the decision.
type Class struct {
	// Org is the canonical developer organization, "" when unknown.
	Org string
	// Country is the organization's primary ISO 3166-1 alpha-2 code, ""
	// exactly when Org is "".
	Country string
	// OrgBasis says how Org was decided: BasisOrgField, BasisBrand, or "".
	OrgBasis string
	// Open is Open, Closed or Unknown.
	Open Openness
	// OpenBasis says how Open was decided: BasisSourceFlag, BasisLicense,
	// "catalog rule <match>", "catalog line <glob>", or "" when Open is
	// Unknown.
	OpenBasis string
	// License is the catalog rule's licence when the rule names one, else
	// the source's licence text ("" when the source has none).
	License string
	// Tier is TierPermissive, TierRestricted, TierNonCommercial or
	// TierClosed, a best effort from the licence text; "" when openness is
	// unknown or an open model's licence is not stated.
	Tier string
	// Base is the model this one was fine-tuned or post-trained from, when
	// a catalog rule says it is a derivative ("" for an original model).
	// BaseOrg and BaseCountry are that base's developer and its country,
	// "" when unknown; LineageBasis names the rule.
	Base, BaseOrg, BaseCountry, LineageBasis string
	// Family is the model's family key (see Catalog.Family).
	Family string
}

// View says which organization a model's origin is taken from.
type View string

// The origin views.
const (
	// ViewDeveloper takes the organization that released the ranked
	// checkpoint, as the public datasets do (the default).
	ViewDeveloper View = "developer"
	// ViewLineage also counts the base models: a model is Chinese if its
	// developer or its base model's developer is Chinese, and non-Chinese
	// only when both are known and neither is.
	ViewLineage View = "lineage"
)

// ParseView reads a view name; "" means ViewDeveloper.
func ParseView(s string) (View, bool) {
	switch View(strings.ToLower(strings.TrimSpace(s))) {
	case "", ViewDeveloper:
		return ViewDeveloper, true
	case ViewLineage:
		return ViewLineage, true
	}
	return "", false
}

// Countries returns the countries a row's origin comprises in view v, and
// whether they are all known. In the developer view that is the
// developer's country; in the lineage view, also the base model's.
func (cl Class) Countries(v View) (ccs []string, known bool) {
	if cl.Country == "" {
		return nil, false
	}
	ccs = []string{cl.Country}
	if v != ViewLineage || cl.Base == "" {
		return ccs, true
	}
	if cl.BaseCountry == "" {
		return ccs, false
	}
	if cl.BaseCountry != cl.Country {
		ccs = append(ccs, cl.BaseCountry)
	}
	return ccs, true
}

// Chinese reports whether a row counts as Chinese in view v: yes when any
// known country of its origin is CN, no when the origin is fully known and
// none is, and unknown (known=false) otherwise.
func (cl Class) Chinese(v View) (cn, known bool) {
	ccs, known := cl.Countries(v)
	for _, c := range ccs {
		if c == "CN" {
			return true, true
		}
	}
	return false, known
}

// Classify decides a row's developer, country and openness.
//
// Origin: the row's organization text is looked up, folded (trimmed,
// case-insensitive, "-", "_", "." and spaces ignored), among the catalog's
// names and aliases. A serving provider (not_developers) or a deliberately
// unknown string gives an unknown origin. Only when the organization is
// absent or empty is the model recognised by a brand prefix of its key,
// display name or underlying model (the longest brand wins; it must end at a word boundary).
// Anything else is unknown.
//
// Openness, first answer wins: (1) a catalog model rule matching the model
// key or display name; (2) the source's open flag; (3) the source's licence
// text: "Proprietary", "Propretary", "N/A", "NA", "closed" or empty mean
// closed, a placeholder ("-", "?", "unknown") says nothing, any other
// licence means open; (4) a catalog line: the openness every model of a
// line shares ("claude*" closed, "gpt-oss-*" open), used only when the
// source says nothing, as on benchmark boards that name bare models; (5)
// unknown, except for (6) a system of several models joined by "+",
// which is closed when any of its models is and open when all are.
//
// The answer for each row identity is remembered by the catalog (see
// classMemo), so a history of many snapshots classifies each model once.
func (c *Catalog) Classify(r arenawatch.Row) Class {
	return c.memo.classify(c, r)
}

// classify is Classify without the memo.
func (c *Catalog) classify(r arenawatch.Row) Class {
	var cl Class
	if i, basis, ok := c.origin(r); ok {
		o := c.orgs[i]
		cl.Org, cl.Country, cl.OrgBasis = o.name, o.country, basis
	}

	cl.Open = Unknown
	if r.License != nil {
		cl.License = strings.TrimSpace(*r.License)
	}
	if rule := c.matchRule(r, func(m *modelRule) bool { return m.base != "" }); rule != nil {
		cl.Base, cl.BaseOrg, cl.LineageBasis = rule.base, rule.baseOrg, basisRule+rule.match
		if i, ok := c.keys[fold(rule.baseOrg)]; ok && rule.baseOrg != "" {
			cl.BaseCountry = c.orgs[i].country
		}
	}
	cl.Family = c.Family(cmp.Or(r.Name, r.Model))
	switch rule := c.matchRule(r, func(m *modelRule) bool { return m.open != nil }); {
	case rule != nil:
		cl.Open, cl.OpenBasis = Closed, basisRule+rule.match
		if *rule.open {
			cl.Open = Open
		}
		if rule.license != "" {
			cl.License = rule.license
		}
	case r.Open != nil:
		cl.Open, cl.OpenBasis = Closed, BasisSourceFlag
		if *r.Open {
			cl.Open = Open
		}
	case r.License != nil:
		if o := licenseOpenness(cl.License); o != Unknown {
			cl.Open, cl.OpenBasis = o, BasisLicense
		}
	}
	if cl.Open == Unknown {
		if l, m := c.matchLine(r); l != nil {
			cl.Open, cl.OpenBasis = Closed, basisLine+m
			if l.open {
				cl.Open = Open
			}
			if l.license != "" {
				cl.License = l.license // the source stated none, or a placeholder
			}
		}
	}
	if cl.Open == Unknown {
		cl.Open, cl.OpenBasis = c.systemOpenness(r)
	}
	cl.Tier = tier(cl.Open, cl.License)
	return cl
}

// basisSystem starts the OpenBasis of a system of several models.
const basisSystem = "system: "

// systemOpenness decides a system of several models ("o3 (high) +
// gpt-4.1", Aider's architect + editor pairs) that the source says
// nothing about, from its parts as the catalog knows them: it is closed
// when any part is closed (running it needs that model's API), open when
// every part is open, and unknown otherwise. A row that names one model
// gives Unknown.
func (c *Catalog) systemOpenness(r arenawatch.Row) (Openness, string) {
	name := r.DisplayName()
	if !strings.Contains(name, "+") || !sanitize.Plain(name) {
		return Unknown, ""
	}
	parts := strings.Split(name, "+")
	open := 0
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return Unknown, ""
		}
		switch c.Classify(arenawatch.Row{Model: p}).Open {
		case Closed:
			return Closed, basisSystem + p + " is closed"
		case Open:
			open++
		}
	}
	if open == len(parts) {
		return Open, basisSystem + "every model is open"
	}
	return Unknown, ""
}

func (c *Catalog) origin(r arenawatch.Row) (idx int, basis string, ok bool) {
	if r.Organization != nil && strings.TrimSpace(*r.Organization) != "" {
		k := fold(*r.Organization)
		if c.unknown[k] {
			return 0, "", false
		}
		if i, ok := c.keys[k]; ok {
			return i, BasisOrgField, true
		}
		return 0, "", false // a serving provider, or a name we do not know
	}
	for _, name := range []string{r.Model, r.Name, r.Underlying} {
		if !sanitize.Plain(name) {
			continue // see ruleNames
		}
		n := baseName(normModel(name))
		for _, b := range c.brands { // longest first
			if strings.HasPrefix(n, b.prefix) && wordEnd(n, len(b.prefix)) {
				return b.org, BasisBrand, true
			}
		}
	}
	return 0, "", false
}

// baseName drops a "namespace/" prefix ("meta-llama/llama-3" → "llama-3").
func baseName(n string) string {
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		return n[i+1:]
	}
	return n
}

// wordEnd reports whether position i of s ends a word: the end of s, or an
// ASCII character that is not a letter ("phi-4": yes after "phi"; "phind":
// no). A non-ASCII separator does not end a brand: "gpt\u2010oss" only
// looks like gpt-oss.
func wordEnd(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	c := s[i]
	return c < utf8.RuneSelf && !unicode.IsLetter(rune(c))
}

// matchRule returns the first rule that matches the row's key or display
// name and passes want (rules that speak to the question asked).
func (c *Catalog) matchRule(r arenawatch.Row, want func(*modelRule) bool) *modelRule {
	names := ruleNames(r)
	for i := range c.rules {
		if !want(&c.rules[i]) {
			continue
		}
		for _, n := range names {
			if glob(c.rules[i].match, n) {
				return &c.rules[i]
			}
		}
	}
	return nil
}

// matchLine returns the first line, in catalog order, one of whose globs
// matches the row's key, display name or underlying model (also without a
// "namespace/" prefix), and the glob that matched.
func (c *Catalog) matchLine(r arenawatch.Row) (*lineRule, string) {
	var names []string
	for _, n := range ruleNames(r) {
		// "DeepSeek R1 + claude-3-5-sonnet": a system of several models,
		// whose openness no one line decides.
		if !strings.Contains(n, "+") {
			names = append(names, n)
		}
	}
	for i := range c.lines {
		for _, g := range c.lines[i].match {
			for _, n := range names {
				if glob(g, n) {
					return &c.lines[i], g
				}
			}
		}
	}
	return nil, ""
}

// ruleNames returns the normalised names rules and lines are matched
// against: key, display name and underlying model, each also without a
// "namespace/" prefix.
func ruleNames(r arenawatch.Row) []string {
	var names []string
	for _, s := range []string{r.Model, r.Name, r.Underlying} {
		// A name with control, bidi or invisible characters is not a
		// model's name but a page's trick ("gpt-oss-\u202e…" shows as
		// something else): it classifies nothing, so it stays unknown.
		if !sanitize.Plain(s) {
			continue
		}
		if n := normModel(s); n != "" {
			names = append(names, n)
			if b := baseName(n); b != n {
				names = append(names, b)
			}
		}
	}
	return names
}

// licenseOpenness reads a licence label: closed markers, placeholders that
// say nothing (Unknown), or a named licence (Open).
func licenseOpenness(text string) Openness {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "", "proprietary", "propretary", "n/a", "na", "closed":
		return Closed
	case "-", "–", "—", "?", "unknown":
		return Unknown
	}
	return Open
}

// tier derives a licence tier from the openness and the licence text.
func tier(o Openness, license string) string {
	switch o {
	case Closed:
		return TierClosed
	case Unknown:
		return ""
	}
	words := strings.FieldsFunc(strings.ToLower(license), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return ""
	}
	has := map[string]bool{}
	for _, w := range words {
		has[w] = true
	}
	joined := strings.Join(words, " ")
	switch {
	case has["nc"] || has["noncommercial"] || strings.Contains(joined, "non commercial") ||
		has["research"] || has["mrl"]:
		return TierNonCommercial
	case has["apache"] || has["mit"] || has["bsd"] || has["gpl"] || has["lgpl"] ||
		has["agpl"] || has["mpl"] || has["unlicense"] || has["cc0"] ||
		(has["cc"] && has["by"]):
		return TierPermissive
	}
	return TierRestricted
}
