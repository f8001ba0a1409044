package ranking

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/arenawatch/arenawatch"
)

// AuditItem is one thing the catalog cannot classify, gathered over
// snapshots: an organization string it does not know, a model without an
// organization whose brand it does not know, or a model whose openness
// nothing decides. The JSON fields are those of 'catalog check --json'.
type AuditItem struct {
	Kind  string `json:"kind"`  // "origin" or "openness"
	Name  string `json:"name"`  // organization text (origin) or model (openness, or origin without organization)
	Label string `json:"label"` // what the source said: "organization", "(no organization)", or the licence
	// Boards lists the boards where it was seen, in order of first sight.
	Boards   []string `json:"boards"`
	BestRank int      `json:"best_rank"`
	// AboveAnswer is true when, in a board's latest snapshot, it ranks
	// above the best open non-Chinese model and could be the answer if it
	// were classified (a closed model cannot; a Chinese one cannot).
	AboveAnswer bool `json:"above_answer"`
	Snapshots   int  `json:"snapshots"`
	// Models are the first few models that carry an unknown organization.
	Models []string `json:"models,omitempty"`
}

// Audit collects, over the snapshots it is given, what the catalog cannot
// classify. It is what 'catalog check' reports; the caller reads the
// snapshots (from the store) and hands them over one by one.
type Audit struct {
	cat       *Catalog
	items     map[string]*AuditItem
	seen      map[string]bool // items already counted for the snapshot being added
	order     []string
	snapshots int
	rows      int
}

// NewAudit returns an empty audit with catalog c.
func NewAudit(c *Catalog) *Audit {
	return &Audit{cat: c, items: map[string]*AuditItem{}}
}

// Counts returns how many snapshots and rows were audited.
func (a *Audit) Counts() (snapshots, rows int) { return a.snapshots, a.rows }

// Add classifies every row of snapshot s of a board ranked by rule. latest
// says whether s is the board's latest snapshot: only there is "above the
// answer" decided, since it is about the current answer. Each row is
// classified once.
func (a *Audit) Add(s *arenawatch.Snapshot, rule arenawatch.RankRule, latest bool) {
	a.snapshots++
	a.rows += len(s.Rows)
	a.seen = map[string]bool{}
	es := entries(s, rule, a.cat, Options{})
	var best *ModelRef
	if latest {
		best = answer(es, ViewDeveloper, false).BestOpenNonCN
	}
	for _, en := range es {
		above := latest && (best == nil || en.Row.Score > best.Score)
		cl := en.Class
		if cl.Org == "" {
			orgText := ""
			if en.Row.Organization != nil {
				orgText = strings.TrimSpace(*en.Row.Organization)
			}
			if orgText != "" {
				a.add("origin\x00"+strings.ToLower(orgText), AuditItem{Kind: "origin", Name: orgText, Label: "organization"},
					s.Board, en.Rank, above && cl.Open != Closed, en.Row.DisplayName())
			} else {
				a.add("origin-model\x00"+Identity(en.Row.DisplayName()), AuditItem{Kind: "origin", Name: en.Row.DisplayName(), Label: "(no organization)"},
					s.Board, en.Rank, above && cl.Open != Closed, "")
			}
		}
		if cl.Open == Unknown {
			label := "(no licence, no flag)"
			if en.Row.License != nil {
				label = fmt.Sprintf("licence %q", *en.Row.License)
			}
			cn, _ := cl.Chinese(ViewDeveloper)
			a.add("openness\x00"+Identity(en.Row.DisplayName()), AuditItem{Kind: "openness", Name: en.Row.DisplayName(), Label: label},
				s.Board, en.Rank, above && !cn, "")
		}
	}
}

func (a *Audit) add(key string, it AuditItem, board string, rank int, above bool, model string) {
	cur, ok := a.items[key]
	if !ok {
		it.BestRank = rank
		cur = &it
		a.items[key] = cur
		a.order = append(a.order, key)
	}
	if !a.seen[key] {
		a.seen[key] = true
		cur.Snapshots++ // snapshots it was seen in, not rows
	}
	if !slices.Contains(cur.Boards, board) {
		cur.Boards = append(cur.Boards, board)
	}
	if rank > 0 && (cur.BestRank == 0 || rank < cur.BestRank) {
		cur.BestRank = rank
	}
	cur.AboveAnswer = cur.AboveAnswer || above
	if model != "" && len(cur.Models) < 5 && !slices.Contains(cur.Models, model) {
		cur.Models = append(cur.Models, model)
	}
}

// Items returns what was found: those that could change an answer first,
// then by best rank, in order of first sight among equals. Never nil.
func (a *Audit) Items() []AuditItem {
	out := make([]AuditItem, 0, len(a.order))
	for _, k := range a.order {
		out = append(out, *a.items[k])
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.AboveAnswer != y.AboveAnswer {
			return x.AboveAnswer
		}
		return x.BestRank < y.BestRank
	})
	return out
}

// Matching returns the entries of s whose model key or display name has
// the identity of name (see Identity): how 'catalog show' finds a model's
// stored rows.
func Matching(s *arenawatch.Snapshot, rule arenawatch.RankRule, c *Catalog, name string) []Entry {
	id := Identity(name)
	var out []Entry
	for _, en := range Entries(s, rule, c, Options{}) {
		if Identity(en.Row.Model) == id || Identity(en.Row.DisplayName()) == id {
			out = append(out, en)
		}
	}
	return out
}
