package ranking

import (
	"strings"

	"github.com/arenawatch/arenawatch"
)

// OrgMatch says what the catalog knows of an organization string.
type OrgMatch struct {
	Text string `json:"text"` // the string looked up
	// Org and Country are set when the string names a known organization.
	Org       string   `json:"organization,omitempty"`
	Country   string   `json:"country,omitempty"`
	Countries []string `json:"countries,omitempty"`
	Note      string   `json:"note,omitempty"`
	// NotDeveloper is true for a serving provider (never the developer).
	NotDeveloper bool `json:"not_developer,omitempty"`
	// DeliberatelyUnknown is true for a string the catalog lists as
	// unclassified on purpose (unclear country, anonymous codename).
	DeliberatelyUnknown bool `json:"deliberately_unknown,omitempty"`
}

// Known reports whether the string resolves to an organization.
func (m OrgMatch) Known() bool { return m.Org != "" }

// LookupOrg looks an organization string up the way Classify does.
func (c *Catalog) LookupOrg(text string) OrgMatch {
	m := OrgMatch{Text: text}
	k := fold(text)
	switch {
	case k == "":
	case c.unknown[k]:
		m.DeliberatelyUnknown = true
	case c.isNotDev(k):
		m.NotDeveloper = true
	default:
		if i, ok := c.keys[k]; ok {
			o := c.orgs[i]
			m.Org, m.Country, m.Countries, m.Note = o.name, o.country, o.countries, o.note
		}
	}
	return m
}

// RuleMatch is a catalog model rule that applies to a model.
type RuleMatch struct {
	Match   string `json:"match"`
	Open    *bool  `json:"open,omitempty"`
	License string `json:"license,omitempty"`
	Base    string `json:"base,omitempty"`
	BaseOrg string `json:"base_organization,omitempty"`
	Reason  string `json:"reason"`
}

// Explanation says how the catalog sees a model name, independent of any
// source's labels.
type Explanation struct {
	Name     string `json:"name"`
	Identity string `json:"identity"`
	Family   string `json:"family"`
	// Brand is the brand prefix that recognises the model when a row has
	// no organization, and BrandOrg its organization.
	Brand    string `json:"brand,omitempty"`
	BrandOrg string `json:"brand_organization,omitempty"`
	// OpenRule and LineageRule are the rules that decide openness and
	// lineage for this name, if any.
	OpenRule    *RuleMatch `json:"open_rule,omitempty"`
	LineageRule *RuleMatch `json:"lineage_rule,omitempty"`
	// OpenLine is the catalog line that decides openness when neither a
	// rule nor the source does.
	OpenLine *LineMatch `json:"open_line,omitempty"`
}

// LineMatch is a catalog line that applies to a model: the glob that
// matched and what the line says.
type LineMatch struct {
	Match   string `json:"match"`
	Open    bool   `json:"open"`
	License string `json:"license,omitempty"`
	Reason  string `json:"reason"`
}

// Explain describes how the catalog treats a model name.
func (c *Catalog) Explain(name string) Explanation {
	ex := Explanation{Name: name, Identity: Identity(name), Family: c.Family(name)}
	row := arenawatch.Row{Model: name}
	if i, basis, ok := c.origin(row); ok && basis == BasisBrand {
		ex.BrandOrg = c.orgs[i].name
		n := baseName(normModel(name))
		for _, b := range c.brands {
			if b.org == i && strings.HasPrefix(n, b.prefix) && wordEnd(n, len(b.prefix)) {
				ex.Brand = b.prefix
				break
			}
		}
	}
	if r := c.matchRule(row, func(m *modelRule) bool { return m.open != nil }); r != nil {
		ex.OpenRule = ruleMatch(r)
	}
	if r := c.matchRule(row, func(m *modelRule) bool { return m.base != "" }); r != nil {
		ex.LineageRule = ruleMatch(r)
	}
	if l, g := c.matchLine(row); l != nil {
		ex.OpenLine = &LineMatch{Match: g, Open: l.open, License: l.license, Reason: l.reason}
	}
	return ex
}

func ruleMatch(r *modelRule) *RuleMatch {
	return &RuleMatch{Match: r.match, Open: r.open, License: r.license, Base: r.base, BaseOrg: r.baseOrg, Reason: r.reason}
}
