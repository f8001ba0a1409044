package export

import (
	"context"
	"io"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
)

// AnswerRecord is one row of 'export --answers': the headline answer for
// one snapshot, the row 'history' shows (history.Row, whose fields and
// JSON names it carries unchanged), with the board and how it was
// answered. JSON and JSON Lines write it nested as 'history --json' does
// (leading_open, best_open_non_chinese, top_open, gap as objects, null
// when absent); CSV and Parquet flatten it into AnswerColumns.
type AnswerRecord struct {
	// Board is the board id.
	Board string `json:"board"`
	// SnapshotID names the snapshot answered, as Record.SnapshotID does,
	// so that answers join the long format.
	SnapshotID string `json:"snapshot_id"`
	history.Row
	// OriginView is the origin view the answer used ("developer" or
	// "lineage"), and ByFamily whether each family counted once.
	OriginView ranking.View `json:"origin_view"`
	ByFamily   bool         `json:"by_family"`
	// CatalogVersion and ArenawatchVersion are as in Record.
	CatalogVersion    string `json:"catalog_version"`
	ArenawatchVersion string `json:"arenawatch_version"`
}

// AnswerColumns are the columns of AnswerRecord in CSV and Parquet: the
// nested objects of the JSON are flattened as <object>_<field>
// ("best_open_non_chinese_rank"), all null when the object is.
var AnswerColumns = answerColumns()

func answerColumns() []Column[AnswerRecord] {
	cols := []Column[AnswerRecord]{
		{"board", String, false, func(a *AnswerRecord) Value { return str(a.Board) }},
		{"snapshot_id", String, false, func(a *AnswerRecord) Value { return str(a.SnapshotID) }},
		{"period", String, true, func(a *AnswerRecord) Value { return optStr(optString(a.Period)) }},
		{"fetched_at", Time, false, func(a *AnswerRecord) Value { return Value{T: a.FetchedAt.UTC()} }},
		{"as_of", Time, true, func(a *AnswerRecord) Value {
			if a.AsOf.IsZero() {
				return Value{Null: true}
			}
			return Value{T: a.AsOf.UTC()}
		}},
		{"as_of_lag_days", Int, false, func(a *AnswerRecord) Value { return Value{I: int64(a.AsOfLag)} }},
		{"origin", String, false, func(a *AnswerRecord) Value { return str(a.Origin) }},
	}
	cols = append(cols, modelColumns("leading_open", func(a *AnswerRecord) *ranking.ModelRef { return a.LeadingOpen })...)
	cols = append(cols, modelColumns("best_open_non_chinese", func(a *AnswerRecord) *ranking.ModelRef { return a.BestOpenNonCN })...)
	cols = append(cols,
		Column[AnswerRecord]{"chinese_open_above", Int, false, func(a *AnswerRecord) Value { return Value{I: int64(a.ChineseOpenAbove)} }},
		intCol("top_open_n", func(a *AnswerRecord) int { return a.TopOpen.N }),
		intCol("top_open_models", func(a *AnswerRecord) int { return a.TopOpen.Models }),
		intCol("top_open_chinese", func(a *AnswerRecord) int { return a.TopOpen.Chinese }),
		intCol("top_open_non_chinese", func(a *AnswerRecord) int { return a.TopOpen.NonChinese }),
		intCol("top_open_unknown", func(a *AnswerRecord) int { return a.TopOpen.Unknown }),
		floatCol("top_open_chinese_share", func(a *AnswerRecord) float64 { return a.TopOpen.ChineseShare }),
		floatCol("top_open_non_chinese_share", func(a *AnswerRecord) float64 { return a.TopOpen.NonChineseShare }),
		floatCol("top_open_unknown_share", func(a *AnswerRecord) float64 { return a.TopOpen.UnknownShare }),
		Column[AnswerRecord]{"gap_score", Float, true, func(a *AnswerRecord) Value {
			if a.Gap == nil {
				return Value{Null: true}
			}
			return Value{F: a.Gap.Score}
		}},
		Column[AnswerRecord]{"gap_lower", Float, true, func(a *AnswerRecord) Value {
			if a.Gap == nil {
				return Value{Null: true}
			}
			return optFloat(a.Gap.Lower)
		}},
		Column[AnswerRecord]{"gap_upper", Float, true, func(a *AnswerRecord) Value {
			if a.Gap == nil {
				return Value{Null: true}
			}
			return optFloat(a.Gap.Upper)
		}},
		intCol("rows", func(a *AnswerRecord) int { return a.Rows }),
		intCol("unclassified_rows", func(a *AnswerRecord) int { return a.Unclassified }),
		Column[AnswerRecord]{"origin_view", String, false, func(a *AnswerRecord) Value { return str(string(a.OriginView)) }},
		Column[AnswerRecord]{"by_family", Bool, false, func(a *AnswerRecord) Value { return Value{B: a.ByFamily} }},
		Column[AnswerRecord]{"catalog_version", String, false, func(a *AnswerRecord) Value { return str(a.CatalogVersion) }},
		Column[AnswerRecord]{"arenawatch_version", String, false, func(a *AnswerRecord) Value { return str(a.ArenawatchVersion) }},
	)
	return cols
}

func intCol(name string, get func(*AnswerRecord) int) Column[AnswerRecord] {
	return Column[AnswerRecord]{name, Int, false, func(a *AnswerRecord) Value { return Value{I: int64(get(a))} }}
}

func floatCol(name string, get func(*AnswerRecord) float64) Column[AnswerRecord] {
	return Column[AnswerRecord]{name, Float, false, func(a *AnswerRecord) Value { return Value{F: get(a)} }}
}

// modelColumns flattens a ranking.ModelRef under prefix; every column is
// null when the model is.
func modelColumns(prefix string, m func(*AnswerRecord) *ranking.ModelRef) []Column[AnswerRecord] {
	text := func(name string, get func(*ranking.ModelRef) string) Column[AnswerRecord] {
		return Column[AnswerRecord]{prefix + "_" + name, String, true, func(a *AnswerRecord) Value {
			if r := m(a); r != nil {
				return str(get(r))
			}
			return Value{Null: true}
		}}
	}
	num := func(name string, get func(*ranking.ModelRef) int64) Column[AnswerRecord] {
		return Column[AnswerRecord]{prefix + "_" + name, Int, true, func(a *AnswerRecord) Value {
			if r := m(a); r != nil {
				return Value{I: get(r)}
			}
			return Value{Null: true}
		}}
	}
	return []Column[AnswerRecord]{
		text("model", func(r *ranking.ModelRef) string { return r.Model }),
		text("name", func(r *ranking.ModelRef) string { return r.Name }),
		text("organization", func(r *ranking.ModelRef) string { return r.Organization }),
		text("country", func(r *ranking.ModelRef) string { return r.Country }),
		text("license", func(r *ranking.ModelRef) string { return r.License }),
		text("family", func(r *ranking.ModelRef) string { return r.Family }),
		{prefix + "_score", Float, true, func(a *AnswerRecord) Value {
			if r := m(a); r != nil {
				return Value{F: r.Score}
			}
			return Value{Null: true}
		}},
		num("rank", func(r *ranking.ModelRef) int64 { return int64(r.Rank) }),
		num("open_position", func(r *ranking.ModelRef) int64 { return int64(r.OpenPosition) }),
		num("votes", func(r *ranking.ModelRef) int64 { return r.Votes }),
	}
}

// AnswerBoard is one board's answers to write: its history rows, as
// answers.History gives them.
type AnswerBoard struct {
	Board string
	Rows  []history.Row
}

// AnswerOptions say how answers were made and are written.
type AnswerOptions struct {
	Format  Format
	Catalog *ranking.Catalog
	Ranking ranking.Options
	Version string
}

// WriteAnswers writes the boards' answers, board by board, to w as one
// table; next returns the next board, or false when there is none (so
// that only one board's history is held at a time).
func WriteAnswers(ctx context.Context, w io.Writer, next func() (AnswerBoard, bool, error), opt AnswerOptions) (Summary, error) {
	var sum Summary
	l := layout[AnswerRecord]{cols: AnswerColumns}
	tbl, err := newTable(opt.Format, w, l.specs(), map[string]string{"arenawatch_version": opt.Version, "catalog_version": opt.Catalog.Version()}, 0)
	if err != nil {
		return sum, err
	}
	view := opt.Ranking.View
	if view == "" {
		view = ranking.ViewDeveloper
	}
	for {
		if err := interrupted(ctx); err != nil {
			return sum, err
		}
		b, ok, err := next()
		if err != nil {
			return sum, err
		}
		if !ok {
			break
		}
		for _, row := range b.Rows {
			rec := AnswerRecord{Board: b.Board, SnapshotID: SnapshotID(b.Board, row.FetchedAt), Row: row,
				OriginView: view, ByFamily: opt.Ranking.ByFamily, CatalogVersion: opt.Catalog.Version(), ArenawatchVersion: opt.Version}
			rec.FetchedAt = rec.FetchedAt.UTC()
			if !rec.AsOf.IsZero() {
				rec.AsOf = rec.AsOf.UTC()
			}
			if err := writeRecord(tbl, &l, &rec); err != nil {
				return sum, err
			}
			sum.Rows++
		}
		sum.Snapshots += len(b.Rows)
	}
	return sum, wrapWrite(tbl.close())
}
