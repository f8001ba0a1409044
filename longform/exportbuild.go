package longform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/export"
)

// buildExported rebuilds one snapshot from its records and seals it.
// The limits are the board's but for its minimum rows: the snapshot was
// validated when it was first stored, perhaps with a lower --min-rows (an
// early date of an import), and a row count is not what a round trip can
// break.
func buildExported(recs []*exportRecord, boards BoardFunc) ExportSnapshot {
	first := recs[0]
	at := fetchedAt(first)
	es := ExportSnapshot{Board: first.Board, ID: first.SnapshotID, Obtained: first.Obtained}
	es.Date, es.Rows = at, len(recs)
	fail := func(err error) ExportSnapshot {
		es.Err = &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: first.Board,
			Err: fmt.Errorf("%s: %w", first.SnapshotID, err)}
		return es
	}
	b, ok := boards(first.Board)
	if !ok {
		es.Err = &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: first.Board,
			Err:  fmt.Errorf("%s: unknown board %q", first.SnapshotID, first.Board),
			Hint: "a board of your own must be defined (sources: in the config) before its snapshots can be imported"}
		return es
	}
	var bad []string
	rows := make([]arenawatch.Row, 0, len(recs))
	for _, r := range recs {
		if r.err != nil {
			bad = append(bad, r.err.Error())
			continue
		}
		rows = append(rows, exportedRow(r, b))
	}
	if len(bad) > 0 {
		msg := strings.Join(bad[:min(len(bad), maxProblems)], "; ")
		if len(bad) > maxProblems {
			msg += fmt.Sprintf("; … and %d more", len(bad)-maxProblems)
		}
		return fail(errors.New(msg))
	}
	snap := &arenawatch.Snapshot{
		Board:         first.Board,
		FetchedAt:     at,
		Origin:        arenawatch.OriginImported,
		URL:           first.SourceURL,
		ParserVersion: ExportParserVersion,
		Notes: []string{fmt.Sprintf("imported from an arenawatch export (%s), snapshot %s; it had been obtained: %s; exported by arenawatch %s with catalog %s",
			first.where, first.SnapshotID, first.Obtained, first.ArenawatchVersion, first.CatalogVersion)},
		Rows: rows,
	}
	if first.AsOf != nil {
		snap.AsOf = first.AsOf.UTC()
	}
	lim := b.Limits
	lim.MinRows = 1
	if err := arenawatch.Seal(snap, lim); err != nil {
		var ae *arenawatch.Error
		if errors.As(err, &ae) {
			e := *ae
			e.Err = fmt.Errorf("%s: %w", first.SnapshotID, ae.Err)
			err = &e
		}
		es.Err = err
		return es
	}
	es.Snapshot = snap
	return es
}

// exportedRow gives back what the source stated about a row. The rank
// is kept on boards ranked by the source's own rank; on boards ranked by
// score the export's rank is worked out from the scores, and is again.
func exportedRow(r *exportRecord, b arenawatch.Board) arenawatch.Row {
	row := arenawatch.Row{
		Model:        r.Model,
		Organization: r.OrganizationSource,
		License:      r.License,
		Score:        r.Score,
		ScoreLower:   r.ScoreLower,
		ScoreUpper:   r.ScoreUpper,
	}
	if r.Name != r.Model {
		row.Name = r.Name
	}
	if r.Underlying != nil {
		row.Underlying = *r.Underlying
	}
	if r.Rank != nil && b.Rank == arenawatch.RankOwn {
		row.Rank = *r.Rank
	}
	if r.RankUpper != nil {
		row.RankUpper = *r.RankUpper
	}
	if r.RankLower != nil {
		row.RankLower = *r.RankLower
	}
	if r.Votes != nil {
		row.Votes = *r.Votes
	}
	if r.OpenBasis == export.BasisSourceFlag && r.Open != nil {
		row.Open = arenawatch.Bool(*r.Open)
	}
	if len(r.Metrics) > 0 {
		row.Metrics = r.Metrics
	}
	if r.csv {
		// CSV writes null and "" alike as an empty cell. A board whose rows
		// always carry the field, or a licence that decided openness, was
		// an empty field, not a missing one.
		if row.Organization == nil && b.Limits.RequireOrganization {
			row.Organization = arenawatch.Str("")
		}
		if row.License == nil && (b.Limits.RequireLicense || r.OpenBasis == export.BasisLicense) {
			row.License = arenawatch.Str("")
		}
	}
	return row
}
