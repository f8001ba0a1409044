package ranking

import (
	"math"
	"sort"

	"github.com/arenawatch/arenawatch"
)

// AdoptionShare is the part of a day's tokens that went to one class of
// models. Its JSON field names are a documented contract (see the package
// documentation).
type AdoptionShare struct {
	// Tokens is the class's total (the rows' scores).
	Tokens int64 `json:"tokens"`
	// Share is Tokens over the day's total, between 0 and 1.
	Share float64 `json:"share"`
	// Count is the number of rows in the class.
	Count int `json:"count"`
	// Models lists the rows' model keys, most tokens first (never null).
	Models []string `json:"models"`
}

// AdoptionModel is the most-used model of a class, with its share.
type AdoptionModel struct {
	ModelRef
	Share float64 `json:"share"`
}

// AdoptionReport splits one snapshot of a usage board (score = tokens) by
// origin and openness. The four classes partition the rows: every token is
// in exactly one. Its JSON field names are a documented contract (see the
// package documentation).
type AdoptionReport struct {
	SnapshotHeader
	// TotalTokens is the day's total: every row, the aggregate one included.
	TotalTokens int64 `json:"total_tokens"`
	// ChineseOpen: open models whose origin (in OriginView) is Chinese.
	ChineseOpen AdoptionShare `json:"chinese_open"`
	// NonChineseOpen: open models whose origin is known and not Chinese.
	NonChineseOpen AdoptionShare `json:"non_chinese_open"`
	// Closed: closed models of known origin.
	Closed AdoptionShare `json:"closed"`
	// Unclassified: rows whose openness or origin is unknown, and the
	// aggregate "other" row.
	Unclassified AdoptionShare `json:"unclassified"`
	// OtherTokens is the aggregate row's part of Unclassified (0 when the
	// snapshot has none).
	OtherTokens int64 `json:"other_tokens"`
	// TopChineseOpen and TopNonChineseOpen are the most-used model of
	// each open class; null when the class is empty.
	TopChineseOpen    *AdoptionModel `json:"top_chinese_open"`
	TopNonChineseOpen *AdoptionModel `json:"top_non_chinese_open"`
	CatalogVersion    string         `json:"catalog_version"`
	OriginView        View           `json:"origin_view"`
}

// Adoption splits a usage snapshot's tokens (each row's score) into four
// classes, classifying every row with c in origin view v (ViewDeveloper
// when empty):
//
//   - chinese_open: open weights, origin Chinese;
//   - non_chinese_open: open weights, origin known and not Chinese;
//   - closed: closed weights, origin known;
//   - unclassified: openness unknown, or origin unknown, and the aggregate
//     row "other" (models outside the published top list, which names no
//     model).
//
// Unknown is never counted as open or as non-Chinese. Shares are tokens
// over the total of every row. A nil snapshot gives an empty report that
// names only the catalog.
func Adoption(s *arenawatch.Snapshot, c *Catalog, v View) AdoptionReport {
	if v == "" {
		v = ViewDeveloper
	}
	rep := AdoptionReport{
		ChineseOpen:    newShare(),
		NonChineseOpen: newShare(),
		Closed:         newShare(),
		Unclassified:   newShare(),
		CatalogVersion: c.Version(),
		OriginView:     v,
	}
	if s == nil {
		return rep
	}
	rep.SnapshotHeader = headerOf(s)

	es := entries(s, arenawatch.RankOwn, c, Options{View: v})
	// The aggregate row has no rank, but its tokens are part of the day's.
	for i, r := range s.Rows {
		if r.Aggregate() {
			es = append(es, Entry{Row: r, Class: c.Classify(r), Page: i + 1})
		}
	}
	// Most tokens first; entries keeps page order among equals.
	byTokens := make([]*Entry, len(es))
	for i := range es {
		byTokens[i] = &es[i]
	}
	sortByScore(byTokens)
	var topCN, topNonCN *Entry
	for _, e := range byTokens {
		tokens := tokenCount(e.Row.Score)
		rep.TotalTokens += tokens
		cn, known := e.Class.Chinese(v)
		var cls *AdoptionShare
		switch {
		case e.Row.Aggregate():
			cls = &rep.Unclassified
			rep.OtherTokens += tokens
		case e.Class.Open == Unknown || !known:
			cls = &rep.Unclassified
		case e.Class.Open == Closed:
			cls = &rep.Closed
		case cn:
			cls = &rep.ChineseOpen
			if topCN == nil {
				topCN = e
			}
		default:
			cls = &rep.NonChineseOpen
			if topNonCN == nil {
				topNonCN = e
			}
		}
		cls.Tokens += tokens
		cls.Count++
		cls.Models = append(cls.Models, e.Row.Model)
	}
	for _, cls := range []*AdoptionShare{&rep.ChineseOpen, &rep.NonChineseOpen, &rep.Closed, &rep.Unclassified} {
		cls.Share = share(cls.Tokens, rep.TotalTokens)
	}
	rep.TopChineseOpen = adoptionModel(topCN, rep.TotalTokens)
	rep.TopNonChineseOpen = adoptionModel(topNonCN, rep.TotalTokens)
	return rep
}

func newShare() AdoptionShare { return AdoptionShare{Models: []string{}} }

// tokenCount reads a score as a token count; negative or non-finite scores
// (which validation does not let through) count as none.
func tokenCount(score float64) int64 {
	if math.IsNaN(score) || score <= 0 {
		return 0
	}
	if score >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(math.Round(score))
}

func share(part, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return float64(part) / float64(total)
}

func adoptionModel(e *Entry, total int64) *AdoptionModel {
	if e == nil {
		return nil
	}
	return &AdoptionModel{ModelRef: NewModelRef(*e), Share: share(tokenCount(e.Row.Score), total)}
}

// sortByScore orders entries by score, higher first, then page order.
func sortByScore(es []*Entry) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].Row.Score != es[j].Row.Score {
			return es[i].Row.Score > es[j].Row.Score
		}
		return es[i].Page < es[j].Page
	})
}
