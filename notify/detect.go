package notify

import (
	"fmt"
	"strings"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/internal/words"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/sanitize"
)

// The kinds of change a message reports.
const (
	// KindLeadingOpen: another model leads the open models.
	KindLeadingOpen = "leading_open"
	// KindBestNonCN: another model is the best open non-Chinese one.
	KindBestNonCN = "best_open_non_chinese"
	// KindOpenPosition: the best open non-Chinese model is the same, its
	// position among open models is not.
	KindOpenPosition = "open_position"
	// KindFlip: the leading open model is the same, its origin class
	// (Chinese, not Chinese, unknown) is not.
	KindFlip = "flip"
)

// The origin classes of a model (Class).
const (
	ClassChinese    = "Chinese"
	ClassNonChinese = "non-Chinese"
	ClassUnknown    = "unknown origin"
)

// maxName is where a model or organization name from a page is cut in a
// message, in runes.
const maxName = 60

// Change is one change of one board's headline answer. Its JSON field
// names are part of 'scrape --json' (README, "Alerts").
type Change struct {
	Board string `json:"board"`
	// Kind is one of the Kind* constants.
	Kind string `json:"kind"`
	// Model names the model of a change that keeps its model (open
	// position, flip): "Gemma-3-27B-it (Google, US)".
	Model string `json:"model,omitempty"`
	// From and To are the old and new answer as the message shows them:
	// a model ("GLM-4.5 (Z.ai, CN)", "none" when there was none), a
	// position among open models ("9th"), an origin class ("Chinese").
	From string `json:"from"`
	To   string `json:"to"`
	// Detail adds to a position change how many Chinese open models score
	// above the model: "Chinese open models above: 8 → 11".
	Detail string `json:"detail,omitempty"`
	// Flip is set when the leading open model's origin class changed:
	// "non-Chinese → Chinese".
	Flip string `json:"flip,omitempty"`
	// Why says why, in words ("new model", "5 new open models above it").
	Why string `json:"why,omitempty"`
}

// Detect compares the headline answers of old and cur, two snapshots of
// board (old the earlier), as 'report' answers them with opt, and
// returns the changes, leader first. It is empty when nothing changed.
func Detect(board string, old, cur *arenawatch.Snapshot, opt history.Options) []Change {
	a, b := history.RowOf(old, opt), history.RowOf(cur, opt)
	view := opt.Ranking.View
	var d *history.Diff
	diff := func() *history.Diff { // only when an answer changed: it ranks every row again
		if d == nil {
			c := history.Compare(old, cur, opt, 0)
			d = &c
		}
		return d
	}
	var out []Change
	if !history.SameModel(a.LeadingOpen, b.LeadingOpen, opt) {
		c := Change{Board: board, Kind: KindLeadingOpen, From: describe(a.LeadingOpen), To: describe(b.LeadingOpen),
			Why: strings.Join(diff().LeadingOpen.Why, ", ")}
		if ca, cb := Class(a.LeadingOpen, view), Class(b.LeadingOpen, view); a.LeadingOpen != nil && b.LeadingOpen != nil && ca != cb {
			c.Flip = ca + " → " + cb
		}
		out = append(out, c)
	} else if ca, cb := Class(a.LeadingOpen, view), Class(b.LeadingOpen, view); a.LeadingOpen != nil && ca != cb {
		out = append(out, Change{Board: board, Kind: KindFlip, Model: describe(b.LeadingOpen), From: ca, To: cb,
			Flip: ca + " → " + cb, Why: history.WhyReclass})
	}
	switch {
	case !history.SameModel(a.BestOpenNonCN, b.BestOpenNonCN, opt):
		out = append(out, Change{Board: board, Kind: KindBestNonCN, From: describePlaced(a.BestOpenNonCN), To: describePlaced(b.BestOpenNonCN),
			Why: strings.Join(diff().BestOpenNonCN.Why, ", ")})
	case a.BestOpenNonCN != nil && a.BestOpenNonCN.OpenPosition != b.BestOpenNonCN.OpenPosition:
		out = append(out, Change{Board: board, Kind: KindOpenPosition, Model: describe(b.BestOpenNonCN),
			From: words.Ordinal(a.BestOpenNonCN.OpenPosition), To: words.Ordinal(b.BestOpenNonCN.OpenPosition),
			Detail: fmt.Sprintf("Chinese open models above: %d → %d", a.ChineseOpenAbove, b.ChineseOpenAbove),
			Why:    whyMoved(diff(), a.BestOpenNonCN, b.BestOpenNonCN)})
	}
	return out
}

// Class is the origin class of m in view v: Chinese when its developer
// (or, in the lineage view, its base model's developer) is Chinese,
// unknown when its country is, non-Chinese otherwise; "" for no model.
func Class(m *ranking.ModelRef, v ranking.View) string {
	switch {
	case m == nil:
		return ""
	case m.Country == "CN" || v == ranking.ViewLineage && m.BaseCountry == "CN":
		return ClassChinese
	case m.Country == "" || v == ranking.ViewLineage && m.Base != "" && m.BaseCountry == "":
		return ClassUnknown
	}
	return ClassNonChinese
}

// describe names a model for a message: "GLM-4.5 (Z.ai, CN)", its name
// and organization sanitized and cut; "none" for no model.
func describe(m *ranking.ModelRef) string {
	if m == nil {
		return "none"
	}
	name := m.Name
	if name == "" {
		name = m.Model
	}
	where := []string{}
	if m.Organization != "" {
		where = append(where, sanitize.Text(m.Organization, maxName))
	}
	if m.Country != "" {
		where = append(where, sanitize.Text(m.Country, 8))
	}
	if len(where) == 0 {
		return sanitize.Text(name, maxName)
	}
	return sanitize.Text(name, maxName) + " (" + strings.Join(where, ", ") + ")"
}

// describePlaced is describe with the model's position among open models.
func describePlaced(m *ranking.ModelRef) string {
	if m == nil {
		return "none"
	}
	return fmt.Sprintf("%s, %s among open models", describe(m), words.Ordinal(m.OpenPosition))
}

// whyMoved explains a move of the best non-Chinese open model, was in the
// old snapshot and is in the new one, from the diff: open models that
// are new above it, and open models above it that dropped out. When
// neither, the scores reordered them.
func whyMoved(d *history.Diff, was, is *ranking.ModelRef) string {
	var added, gone []string
	for _, l := range d.Appeared {
		if l.Open == ranking.Open && l.Rank < is.Rank {
			added = append(added, sanitize.Text(l.Name, maxName))
		}
	}
	for _, l := range d.Dropped {
		if l.Open == ranking.Open && l.Rank < was.Rank {
			gone = append(gone, sanitize.Text(l.Name, maxName))
		}
	}
	var why []string
	if len(added) > 0 {
		why = append(why, fmt.Sprintf("%s above it (%s)", count(len(added), "new open model"), list(added, 3)))
	}
	if len(gone) > 0 {
		why = append(why, fmt.Sprintf("%s above it dropped out (%s)", count(len(gone), "open model"), list(gone, 3)))
	}
	if len(why) == 0 {
		return history.WhyScore
	}
	return strings.Join(why, "; ")
}

// count is "1 new open model", "5 new open models".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// list joins the first n names, with "…" when there are more.
func list(names []string, n int) string {
	if len(names) > n {
		return strings.Join(names[:n], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}
