package ranking

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/arenawatch/arenawatch"
)

//go:embed catalog.yaml
var embeddedYAML []byte

// Catalog is a parsed model/organization catalog: who develops which model,
// in which country, and the per-model openness corrections. A Catalog is
// immutable once built and safe for concurrent use.
type Catalog struct {
	version string
	orgs    []org
	// keys maps a folded organization spelling (name or alias) to its index
	// in orgs.
	keys map[string]int
	// brands, longest prefix first.
	brands []brand
	// rules in precedence order: the first match wins (separately for
	// openness and for lineage).
	rules []modelRule
	// lines are the openness of whole model lines, in file order (the
	// first match wins); read only when the source says nothing.
	lines []lineRule
	// families in file order: the first match wins.
	families []family
	// notDevs are folded globs of serving providers.
	notDevs []string
	// unknown holds folded spellings that are deliberately left unclassified.
	unknown map[string]bool
	// fingerprint identifies the files the catalog was built from (see
	// Fingerprint).
	fingerprint string
	// memo remembers Classify's answers (see classMemo).
	memo classMemo
}

type org struct {
	name      string
	country   string
	countries []string
	note      string
}

type brand struct {
	prefix string // normalised model-name prefix
	org    int
}

type modelRule struct {
	match   string // normalised glob
	open    *bool  // nil: the rule says nothing about openness
	license string
	reason  string
	// base is the model this one was fine-tuned or post-trained from;
	// baseOrg the canonical organization of that base ("" when unknown).
	base, baseOrg string
}

// lineRule states the openness shared by every model of a line.
type lineRule struct {
	match   []string // normalised globs
	open    bool
	license string
	reason  string
}

type family struct {
	name  string
	match []string // normalised globs over Identity
}

// The file format. Field tags are the catalog's YAML contract.
type catalogFile struct {
	Version              string              `yaml:"version"`
	Organizations        []orgFile           `yaml:"organizations"`
	Models               []ruleFile          `yaml:"models"`
	Lines                []lineFile          `yaml:"lines"`
	Families             []familyFile        `yaml:"families"`
	NotDevelopers        []string            `yaml:"not_developers"`
	UnknownOrganizations map[string][]string `yaml:"unknown_organizations"`
}

type orgFile struct {
	Name      string   `yaml:"name"`
	Country   string   `yaml:"country"`
	Countries []string `yaml:"countries"`
	Aliases   []string `yaml:"aliases"`
	Brands    []string `yaml:"brands"`
	// Note documents a deliberate choice, e.g. why the country differs
	// from what a public dataset says.
	Note string `yaml:"note"`
}

type ruleFile struct {
	Match   string `yaml:"match"`
	Open    *bool  `yaml:"open"`
	License string `yaml:"license"`
	Reason  string `yaml:"reason"`
	Base    string `yaml:"base"`
	BaseOrg string `yaml:"base_org"`
}

type lineFile struct {
	Match   []string `yaml:"match"`
	Open    *bool    `yaml:"open"`
	License string   `yaml:"license"`
	Reason  string   `yaml:"reason"`
}

type familyFile struct {
	Name  string   `yaml:"name"`
	Match []string `yaml:"match"`
}

var embedded = sync.OnceValue(func() *Catalog {
	c, err := Parse(embeddedYAML)
	if err != nil {
		panic(fmt.Sprintf("ranking: the embedded catalog.yaml is broken: %v", err))
	}
	return c
})

// Embedded returns the catalog built into the binary. It is parsed once, on
// first use; it panics only if the embedded file is broken, which a test
// guards against.
func Embedded() *Catalog { return embedded() }

// Version returns the catalog's version, e.g. "2026-11-28.1", or
// "<base>+<override>" for a merged catalog.
func (c *Catalog) Version() string { return c.version }

// Fingerprint identifies what the catalog says: the SHA-256 of the file
// it was parsed from, or of the two fingerprints of a merge. Unlike
// Version, which a person writes, it changes with any edit of the file, so
// answers kept for one catalog are never served for another.
func (c *Catalog) Fingerprint() string { return c.fingerprint }

// fingerprintOf hashes parts into a fingerprint.
func fingerprintOf(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p)) // lengths keep ("ab","c") apart from ("a","bc")
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

var isoCode = regexp.MustCompile(`^[A-Z]{2}$`)

// ValidCountry reports whether code has the form of an ISO 3166-1 alpha-2
// code as the catalog writes them: two upper-case letters ("CN", "US").
func ValidCountry(code string) bool { return isoCode.MatchString(code) }

// Parse reads a catalog file (the format of ranking/catalog.yaml). It is
// strict: unknown fields, a missing version, a country that is not two
// upper-case letters, a model rule without open or reason, and any spelling
// claimed twice (an alias of two organizations, a brand of two
// organizations, an alias that is also a serving provider or a deliberately
// unknown string) are KindInvalid errors that name the offending entry.
func Parse(data []byte) (*Catalog, error) {
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	c, err := build(f, true)
	if err != nil {
		return nil, err
	}
	c.fingerprint = fingerprintOf(data)
	return c, nil
}

// Override parses an override file (same format as Parse) and merges it
// over c (see Merge). Unlike Parse, a model rule's base_org may name an
// organization of c rather than of the file itself, as a user's file
// usually does ("base_org: Alibaba"); it must exist in the merged catalog.
func (c *Catalog) Override(data []byte) (*Catalog, error) {
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	over, err := build(f, false)
	if err != nil {
		return nil, err
	}
	over.fingerprint = fingerprintOf(data)
	merged := c.Merge(over)
	for i := range merged.rules {
		r := &merged.rules[i]
		if r.baseOrg == "" {
			continue
		}
		j, ok := merged.keys[fold(r.baseOrg)]
		if !ok {
			return nil, invalid("model rule %q: base_org %q is an organization of neither the file nor the built-in catalog", r.match, r.baseOrg)
		}
		r.baseOrg = merged.orgs[j].name
	}
	return merged, nil
}

// decodeFile decodes one strict YAML catalog document.
func decodeFile(data []byte) (*catalogFile, error) {
	var f catalogFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, invalid("the catalog file is empty")
		}
		return nil, invalid("%v", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, invalid("the catalog file holds more than one YAML document")
	}
	return &f, nil
}

func invalid(format string, args ...any) error {
	return &arenawatch.Error{Kind: arenawatch.KindInvalid,
		Err:  fmt.Errorf("catalog: "+format, args...),
		Hint: "fix the catalog file; its format is described at the top of ranking/catalog.yaml"}
}

// build makes a catalog of one file. With ownRefs, a rule's base_org must
// be an organization of the same file (a complete catalog); without, it is
// kept as written, for Override to resolve after the merge. It reads the
// sections in file-format order, one step per section; the order matters,
// as later sections are checked against the organizations (and
// unknown_organizations against not_developers).
func build(f *catalogFile, ownRefs bool) (*Catalog, error) {
	c := &Catalog{
		version: strings.TrimSpace(f.Version),
		keys:    map[string]int{},
		unknown: map[string]bool{},
	}
	if c.version == "" {
		return nil, invalid("no version")
	}
	if strings.Contains(c.version, "+") {
		return nil, invalid("version %q: '+' is reserved for merged catalogs", c.version)
	}
	b := &catalogBuilder{c: c, ownRefs: ownRefs, keyOwner: map[string]string{}, brandOwner: map[string]string{}}
	if err := b.organizations(f.Organizations); err != nil {
		return nil, err
	}
	if err := b.models(f.Models); err != nil {
		return nil, err
	}
	if err := b.lines(f.Lines); err != nil {
		return nil, err
	}
	if err := b.families(f.Families); err != nil {
		return nil, err
	}
	if err := b.notDevelopers(f.NotDevelopers); err != nil {
		return nil, err
	}
	if err := b.unknownOrganizations(f.UnknownOrganizations); err != nil {
		return nil, err
	}
	return c, nil
}

// catalogBuilder holds what build shares between the sections of one file:
// the catalog being made and, for error messages, who claimed a spelling.
type catalogBuilder struct {
	c *Catalog
	// ownRefs: see build.
	ownRefs bool
	// keyOwner names whoever claimed a folded spelling, for error messages.
	keyOwner map[string]string
	// brandOwner names whoever claimed a normalised brand prefix.
	brandOwner map[string]string
}

// organizations reads the organizations section, then sorts the brands
// longest prefix first, as the lookup expects.
func (b *catalogBuilder) organizations(ofs []orgFile) error {
	for i, of := range ofs {
		if err := b.organization(i, of); err != nil {
			return err
		}
	}
	sortBrands(b.c.brands)
	return nil
}

// organization checks and adds one organization (i is its position in the
// file), then claims its name, aliases and brands for it.
func (b *catalogBuilder) organization(i int, of orgFile) error {
	name := strings.TrimSpace(of.Name)
	where := fmt.Sprintf("organization %d", i+1)
	if name == "" {
		return invalid("%s has no name", where)
	}
	where = fmt.Sprintf("organization %q", name)
	if err := checkCountries(where, of); err != nil {
		return err
	}
	idx := len(b.c.orgs)
	b.c.orgs = append(b.c.orgs, org{name: name, country: of.Country, countries: of.Countries, note: strings.TrimSpace(of.Note)})
	if err := b.claimAliases(where, idx, append([]string{name}, of.Aliases...)); err != nil {
		return err
	}
	return b.claimBrands(where, idx, of.Brands)
}

// checkCountries checks an organization's country codes: the primary
// country, each of countries, and that countries (when given) include the
// primary one.
func checkCountries(where string, of orgFile) error {
	if !isoCode.MatchString(of.Country) {
		return invalid("%s: country %q is not an ISO 3166-1 alpha-2 code (two upper-case letters, e.g. CN, US)", where, of.Country)
	}
	hasPrimary := len(of.Countries) == 0
	for _, cc := range of.Countries {
		if !isoCode.MatchString(cc) {
			return invalid("%s: countries: %q is not an ISO 3166-1 alpha-2 code", where, cc)
		}
		hasPrimary = hasPrimary || cc == of.Country
	}
	if !hasPrimary {
		return invalid("%s: countries %v do not include the primary country %s", where, of.Countries, of.Country)
	}
	return nil
}

// claimAliases maps each folded spelling (the name and the aliases) to
// organization idx, refusing one already claimed by another organization.
func (b *catalogBuilder) claimAliases(where string, idx int, aliases []string) error {
	for _, a := range aliases {
		k := fold(a)
		if k == "" {
			return invalid("%s: empty alias", where)
		}
		if j, dup := b.c.keys[k]; dup {
			if j == idx {
				continue // the same spelling twice for one organization is harmless
			}
			return invalid("%s: alias %q is already claimed by %s", where, a, b.keyOwner[k])
		}
		b.c.keys[k] = idx
		b.keyOwner[k] = where
	}
	return nil
}

// claimBrands adds the brands of organization idx, refusing one already
// claimed by another organization.
func (b *catalogBuilder) claimBrands(where string, idx int, brands []string) error {
	for _, br := range brands {
		p := normModel(br)
		if p == "" {
			return invalid("%s: empty brand", where)
		}
		if owner, dup := b.brandOwner[p]; dup {
			if owner == where {
				continue
			}
			return invalid("%s: brand %q is already claimed by %s", where, br, owner)
		}
		b.brandOwner[p] = where
		b.c.brands = append(b.c.brands, brand{prefix: p, org: idx})
	}
	return nil
}

// models reads the models section: the model rules, in file order (their
// precedence order).
func (b *catalogBuilder) models(rfs []ruleFile) error {
	seen := map[string]bool{}
	for i, rf := range rfs {
		r, err := b.modelRule(i, rf, seen)
		if err != nil {
			return err
		}
		b.c.rules = append(b.c.rules, r)
	}
	return nil
}

// modelRule checks one model rule (i is its position in the file); seen
// holds the normalised matches of the rules before it.
func (b *catalogBuilder) modelRule(i int, rf ruleFile, seen map[string]bool) (modelRule, error) {
	m := normModel(rf.Match)
	if m == "" {
		return modelRule{}, invalid("model rule %d has no match", i+1)
	}
	where := fmt.Sprintf("model rule %q", rf.Match)
	if seen[m] {
		return modelRule{}, invalid("%s is listed twice", where)
	}
	seen[m] = true
	base, baseOrg := strings.TrimSpace(rf.Base), strings.TrimSpace(rf.BaseOrg)
	if rf.Open == nil && base == "" {
		return modelRule{}, invalid("%s: give open (true or false), a base model, or both", where)
	}
	if baseOrg != "" && base == "" {
		return modelRule{}, invalid("%s: base_org without base", where)
	}
	if baseOrg != "" {
		i, ok := b.c.keys[fold(baseOrg)]
		switch {
		case ok:
			baseOrg = b.c.orgs[i].name
		case b.ownRefs:
			return modelRule{}, invalid("%s: base_org %q is not an organization of the catalog", where, baseOrg)
		}
	}
	if strings.TrimSpace(rf.Reason) == "" {
		return modelRule{}, invalid("%s: a reason is required", where)
	}
	return modelRule{match: m, open: rf.Open,
		license: strings.TrimSpace(rf.License), reason: strings.TrimSpace(rf.Reason),
		base: base, baseOrg: baseOrg}, nil
}

// lines reads the lines section, in file order (the first match wins).
func (b *catalogBuilder) lines(lfs []lineFile) error {
	// seen maps each normalised match to the line that holds it.
	seen := map[string]string{}
	for i, lf := range lfs {
		lr, err := lineRuleOf(i, lf, seen)
		if err != nil {
			return err
		}
		b.c.lines = append(b.c.lines, lr)
	}
	return nil
}

// lineRuleOf checks one line (i is its position in the file); a match may
// appear in one line only.
func lineRuleOf(i int, lf lineFile, seen map[string]string) (lineRule, error) {
	where := fmt.Sprintf("line %d", i+1)
	if len(lf.Match) > 0 {
		where = fmt.Sprintf("line %q", lf.Match[0])
	}
	if len(lf.Match) == 0 {
		return lineRule{}, invalid("%s has no match", where)
	}
	if lf.Open == nil {
		return lineRule{}, invalid("%s: give open (true or false)", where)
	}
	if strings.TrimSpace(lf.Reason) == "" {
		return lineRule{}, invalid("%s: a reason is required", where)
	}
	lr := lineRule{open: *lf.Open, license: strings.TrimSpace(lf.License), reason: strings.TrimSpace(lf.Reason)}
	for _, m := range lf.Match {
		g := normModel(m)
		if g == "" || g == "*" {
			return lineRule{}, invalid("%s: match %q would match nothing or everything", where, m)
		}
		if other, dup := seen[g]; dup {
			return lineRule{}, invalid("%s: match %q is already in %s", where, m, other)
		}
		seen[g] = where
		lr.match = append(lr.match, g)
	}
	return lr, nil
}

// families reads the families section, in file order (the first match
// wins); a family name may appear once.
func (b *catalogBuilder) families(ffs []familyFile) error {
	seen := map[string]bool{}
	for i, ff := range ffs {
		name := Identity(ff.Name)
		if name == "" || len(ff.Match) == 0 {
			return invalid("family %d needs a name and at least one match", i+1)
		}
		if seen[name] {
			return invalid("family %q is listed twice", ff.Name)
		}
		seen[name] = true
		fam := family{name: name}
		for _, m := range ff.Match {
			g := normModel(m)
			if g == "" {
				return invalid("family %q: empty match", ff.Name)
			}
			fam.match = append(fam.match, g)
		}
		b.c.families = append(b.c.families, fam)
	}
	return nil
}

// notDevelopers reads the not_developers section: globs of serving
// providers, none of which may match an organization's spelling.
func (b *catalogBuilder) notDevelopers(nds []string) error {
	c := b.c
	for _, nd := range nds {
		p := fold(nd)
		if p == "" || p == "*" {
			return invalid("not_developers: %q would match nothing or everything", nd)
		}
		for k, i := range c.keys {
			if glob(p, k) {
				return invalid("not_developers: %q matches alias %q of organization %q", nd, k, c.orgs[i].name)
			}
		}
		c.notDevs = append(c.notDevs, p)
	}
	return nil
}

// unknownOrganizations reads the unknown_organizations section, group by
// group in sorted order (so that the first error is the same every run).
// It runs after not_developers, which its entries are checked against.
func (b *catalogBuilder) unknownOrganizations(groups map[string][]string) error {
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		if err := b.unknownGroup(g, groups[g]); err != nil {
			return err
		}
	}
	return nil
}

// unknownGroup adds the spellings of one unknown_organizations group,
// refusing one that is an organization's alias or a serving provider.
func (b *catalogBuilder) unknownGroup(g string, spellings []string) error {
	c := b.c
	for _, u := range spellings {
		k := fold(u)
		if k == "" {
			return invalid("unknown_organizations.%s: empty entry", g)
		}
		if i, ok := c.keys[k]; ok {
			return invalid("unknown_organizations.%s: %q is an alias of organization %q", g, u, c.orgs[i].name)
		}
		if c.isNotDev(k) {
			return invalid("unknown_organizations.%s: %q is listed in not_developers", g, u)
		}
		c.unknown[k] = true
	}
	return nil
}

func sortBrands(bs []brand) {
	sort.SliceStable(bs, func(i, j int) bool { return len(bs[i].prefix) > len(bs[j].prefix) })
}

func (c *Catalog) isNotDev(key string) bool {
	for _, p := range c.notDevs {
		if glob(p, key) {
			return true
		}
	}
	return false
}

// Merge layers an override catalog (a user's file) on top of c and returns
// the result; neither input changes. An organization of over replaces the
// base organization of the same name, or whose name over claims as an
// alias, together with all of that organization's aliases and brands; new
// organizations are added. Wherever the two disagree, over wins: a spelling
// or brand that over gives to an organization, lists as a serving provider
// or lists as deliberately unknown is taken from the base. Model rules and
// lines of over take precedence over the base's. The version becomes
// "<base>+<over>". Merge(nil) returns c.
func (c *Catalog) Merge(over *Catalog) *Catalog {
	if over == nil {
		return c
	}
	m := &catalogMerge{base: c, over: over, out: &Catalog{
		version:     c.version + "+" + over.version,
		fingerprint: fingerprintOf([]byte(c.fingerprint), []byte(over.fingerprint)),
		keys:        map[string]int{},
		unknown:     map[string]bool{},
	}}
	m.orgs()
	m.keys()
	m.brands()
	m.rules()
	out := m.out
	// Lines of over come first, so that its first match wins.
	out.lines = append(append([]lineRule(nil), over.lines...), c.lines...)
	m.families()
	out.notDevs = append(append([]string(nil), over.notDevs...), c.notDevs...)
	m.unknown()
	return out
}

// catalogMerge holds the state of one Merge: the two inputs, the result,
// and where the base's organizations went in it.
type catalogMerge struct {
	base, over, out *Catalog
	// newIdx maps the index of a kept base organization to its index in
	// out; a replaced one is missing.
	newIdx map[int]int
	// offset is the index in out of over's first organization.
	offset int
}

// orgs lays out the organizations of out: the base's that over does not
// replace, in order, then all of over's. It must run first: the other
// steps map organization indices through newIdx and offset.
func (m *catalogMerge) orgs() {
	c, over, out := m.base, m.over, m.out
	// Base organizations that over replaces.
	replaced := map[int]bool{}
	for k := range over.keys {
		if i, ok := c.keys[k]; ok && fold(c.orgs[i].name) == k {
			replaced[i] = true
		}
	}
	m.newIdx = map[int]int{}
	for i, o := range c.orgs {
		if !replaced[i] {
			m.newIdx[i] = len(out.orgs)
			out.orgs = append(out.orgs, o)
		}
	}
	m.offset = len(out.orgs)
	out.orgs = append(out.orgs, over.orgs...)
}

// keys merges the spellings: the base's of kept organizations, unless
// over lists them as unknown or as a serving provider, then over's, which
// win.
func (m *catalogMerge) keys() {
	c, over, out := m.base, m.over, m.out
	for k, i := range c.keys {
		ni, ok := m.newIdx[i]
		if !ok || over.unknown[k] || over.isNotDev(k) {
			continue
		}
		out.keys[k] = ni
	}
	for k, i := range over.keys {
		out.keys[k] = m.offset + i
	}
}

// brands merges the brands: over's, then the base's of kept organizations
// that over does not claim; sorted longest prefix first.
func (m *catalogMerge) brands() {
	c, over, out := m.base, m.over, m.out
	overBrand := map[string]bool{}
	for _, b := range over.brands {
		overBrand[b.prefix] = true
		out.brands = append(out.brands, brand{prefix: b.prefix, org: m.offset + b.org})
	}
	for _, b := range c.brands {
		if ni, ok := m.newIdx[b.org]; ok && !overBrand[b.prefix] {
			out.brands = append(out.brands, brand{prefix: b.prefix, org: ni})
		}
	}
	sortBrands(out.brands)
}

// rules merges the model rules: over's first (they take precedence), then
// the base's whose match over does not repeat.
func (m *catalogMerge) rules() {
	c, over, out := m.base, m.over, m.out
	overRule := map[string]bool{}
	for _, r := range over.rules {
		overRule[r.match] = true
		out.rules = append(out.rules, r)
	}
	for _, r := range c.rules {
		if !overRule[r.match] {
			out.rules = append(out.rules, r)
		}
	}
}

// families merges the families: over's first, then the base's whose name
// over does not repeat.
func (m *catalogMerge) families() {
	c, over, out := m.base, m.over, m.out
	overFamily := map[string]bool{}
	for _, f := range over.families {
		overFamily[f.name] = true
		out.families = append(out.families, f)
	}
	for _, f := range c.families {
		if !overFamily[f.name] {
			out.families = append(out.families, f)
		}
	}
}

// unknown merges the deliberately unknown spellings: the base's that over
// does not give to an organization, and all of over's.
func (m *catalogMerge) unknown() {
	c, over, out := m.base, m.over, m.out
	for k := range c.unknown {
		if _, claimed := over.keys[k]; !claimed {
			out.unknown[k] = true
		}
	}
	for k := range over.unknown {
		out.unknown[k] = true
	}
}

// fold normalises an organization spelling for lookup: trimmed, lower-case,
// with "-", "_", ".", white space and invisible format characters (zero-width
// space, BOM) removed ("Z.ai", "z-ai", "ZAI" → "zai").
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == '-' || r == '_' || r == '.' || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// normModel normalises a model name for rules and brands: trimmed,
// lower-case, runs of white space and "_" turned into one "-".
func normModel(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == '_' || unicode.IsSpace(r) {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// glob reports whether name matches pattern, where "*" matches any run of
// characters (including "/") and "?" exactly one; everything else matches
// itself. A pattern without wildcards must equal the name.
func glob(pattern, name string) bool {
	p, n := []rune(pattern), []rune(name)
	pi, ni := 0, 0
	star, mark := -1, 0
	for ni < len(n) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == n[ni]):
			pi++
			ni++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ni
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ni = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
