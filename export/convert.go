package export

import (
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/ranking"
)

// The values of Record.OpenBasis.
const (
	BasisSourceFlag  = "source flag"
	BasisLicense     = "license"
	BasisCatalogRule = "catalog rule"
	BasisUnknown     = "unknown"
)

// ObtainedReparsed is Record.Obtained for a snapshot rebuilt by
// 'arenawatch reparse'; the other values are the snapshot's Origin.
const ObtainedReparsed = "reparsed"

// Converter turns snapshots into records.
type Converter struct {
	// Catalog classifies the rows; it must not be nil.
	Catalog *ranking.Catalog
	// Version is the arenawatch version written in every record.
	Version string
}

// SnapshotID returns the id of a board's snapshot fetched at t, as
// Record.SnapshotID gives it.
func SnapshotID(board string, t time.Time) string {
	return board + "@" + t.UTC().Format(time.RFC3339Nano)
}

// Records converts one snapshot into records, in rank order (as 'rank'
// lists them; an aggregate row last), and calls fn with each. The record
// passed to fn is reused for the next row: fn must not keep it. It stops
// at the first error fn returns.
func (c Converter) Records(s *arenawatch.Snapshot, rule arenawatch.RankRule, fn func(*Record) error) error {
	head := Record{
		Board:             s.Board,
		SnapshotID:        SnapshotID(s.Board, s.FetchedAt),
		FetchedAt:         s.FetchedAt.UTC(),
		Obtained:          obtained(s),
		SourceURL:         s.URL,
		CatalogVersion:    c.Catalog.Version(),
		ArenawatchVersion: c.Version,
	}
	if !s.AsOf.IsZero() {
		t := s.AsOf.UTC()
		head.AsOf = &t
	}
	var rec Record
	for _, e := range ranking.Entries(s, rule, c.Catalog, ranking.Options{}) {
		rec = head
		fillRow(&rec, e.Row)
		rank := e.Rank
		rec.Rank = &rank
		fillClass(&rec, e.Class)
		if err := fn(&rec); err != nil {
			return err
		}
	}
	// Entries leaves out aggregate rows (many models in one row): they
	// have no rank and no class, but their numbers are data.
	for _, r := range s.Rows {
		if !r.Aggregate() {
			continue
		}
		rec = head
		fillRow(&rec, r)
		rec.OpenBasis = BasisUnknown
		if err := fn(&rec); err != nil {
			return err
		}
	}
	return nil
}

// obtained names how a snapshot came to be.
func obtained(s *arenawatch.Snapshot) string {
	if s.Reparsed != nil {
		return ObtainedReparsed
	}
	if s.Origin == "" {
		return BasisUnknown // not written by any released arenawatch
	}
	return s.Origin
}

// fillRow copies what the source states about a row.
func fillRow(rec *Record, r arenawatch.Row) {
	rec.Model, rec.Name = r.Model, r.DisplayName()
	rec.Underlying = optString(r.Underlying)
	rec.RankUpper, rec.RankLower = positive(r.RankUpper), positive(r.RankLower)
	rec.OrganizationSource, rec.License = r.Organization, r.License
	rec.Score, rec.ScoreLower, rec.ScoreUpper = r.Score, r.ScoreLower, r.ScoreUpper
	if r.Votes > 0 {
		v := r.Votes
		rec.Votes = &v
	}
	rec.Metrics = r.Metrics
	if rec.Metrics == nil {
		rec.Metrics = map[string]float64{}
	}
}

// fillClass copies what the catalog says about a row.
func fillClass(rec *Record, cl ranking.Class) {
	rec.Organization, rec.Country = optString(cl.Org), optString(cl.Country)
	switch cl.Open {
	case ranking.Open:
		rec.Open = arenawatch.Bool(true)
	case ranking.Closed:
		rec.Open = arenawatch.Bool(false)
	}
	rec.OpenBasis = openBasis(cl)
	rec.LicenseTier = optString(cl.Tier)
	rec.Family = optString(cl.Family)
	rec.LineageBase, rec.LineageCountry = optString(cl.Base), nil
	if cl.Base != "" {
		rec.LineageCountry = optString(cl.BaseCountry)
	}
}

// openBasis reduces the catalog's basis ("catalog rule gpt-oss-*",
// "catalog line claude*", "system: o3 is closed") to the four values of
// the contract; 'arenawatch catalog show NAME' explains a row in full.
func openBasis(cl ranking.Class) string {
	switch {
	case cl.Open == ranking.Unknown || cl.OpenBasis == "":
		return BasisUnknown
	case cl.OpenBasis == ranking.BasisSourceFlag:
		return BasisSourceFlag
	case cl.OpenBasis == ranking.BasisLicense:
		return BasisLicense
	case strings.HasPrefix(cl.OpenBasis, "catalog "), strings.HasPrefix(cl.OpenBasis, "system"):
		return BasisCatalogRule
	}
	return BasisUnknown
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func positive(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}
