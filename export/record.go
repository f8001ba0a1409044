package export

import (
	"time"
)

// Record is one row of the long format: one model in one snapshot of one
// board, with what the catalog says about it. It is the single definition
// every format derives from: JSON and JSON Lines write it with these json
// tags (every key present, null where a value is unknown), and CSV and
// Parquet write the columns of Columns, in that order, followed by one
// metric_<name> column per metric (see MetricColumns). A test keeps
// Columns and the json tags the same.
//
// The contract, column by column, is documented on the fields; the README
// ("Export") repeats it for people. Columns are only ever added at the
// end of Columns (before the metric columns), never renamed or removed.
type Record struct {
	// Board is the board id ("arena-text"). In a Parquet dataset
	// partitioned by board it is the directory name (board=arena-text),
	// not a column of the files, as Hive layouts require.
	Board string `json:"board"`
	// SnapshotID names the snapshot: "<board>@<fetched_at>", fetched_at
	// in RFC 3339 UTC with nanoseconds when it has them
	// ("arena-text@2026-11-30T19:01:02.5Z"). It is unique within an
	// export: a re-parsed snapshot keeps the fetch time of the one it
	// re-reads, and of the two only the re-parse (what 'report --at'
	// answers from) is exported. It survives an export → import round
	// trip.
	SnapshotID string `json:"snapshot_id"`
	// FetchedAt is when arenawatch read the page (for an imported
	// snapshot, the dataset's date), UTC. Parquet: TIMESTAMP(MICROS, UTC).
	FetchedAt time.Time `json:"fetched_at"`
	// AsOf is the source's own date for its data (vote cutoff, publish
	// date), UTC; null when the source states none.
	AsOf *time.Time `json:"as_of"`
	// Obtained says how the snapshot came to be: "scraped" (from the live
	// site or a --url mirror), "replayed" (from a --replay directory),
	// "imported" (by 'arenawatch import'), or "reparsed" (rebuilt by
	// 'arenawatch reparse' from the stored pages of a snapshot obtained in
	// one of the other ways).
	Obtained string `json:"obtained"`
	// SourceURL is the page or endpoint the snapshot was read from.
	SourceURL string `json:"source_url"`
	// Rank is the row's overall rank as 'report' and 'rank' give it: the
	// source's own rank on boards that publish one, else 1 + the number of
	// rows with a strictly higher score (ties share a rank). Null only for
	// an aggregate row (OpenRouter's "other", many models in one row).
	Rank *int `json:"rank"`
	// RankUpper and RankLower are the best and worst plausible rank the
	// source publishes from its confidence interval ("rank spread"); null
	// when it publishes none.
	RankUpper *int `json:"rank_upper"`
	RankLower *int `json:"rank_lower"`
	// Model is the source's stable key for the model, unique within a
	// snapshot: the key a model keeps across snapshots.
	Model string `json:"model"`
	// Name is the name the page shows (the key when the page shows no
	// other).
	Name string `json:"name"`
	// Underlying is the one model a system row runs (an agent on a
	// SWE-bench board), which the catalog classifies the row by when the
	// source names no developer; null for a plain model. Not in the
	// issue's list: an import needs it to classify such rows the same.
	Underlying *string `json:"underlying"`
	// OrganizationSource is the developer exactly as the source labels it;
	// null when the source has no such field, "" when the field is empty.
	OrganizationSource *string `json:"organization_source"`
	// Organization is the catalog's canonical developer; null when the
	// catalog cannot place the row.
	Organization *string `json:"organization"`
	// Country is the developer's ISO 3166-1 alpha-2 code from the catalog
	// ("CN", "US"); null exactly when Organization is null.
	Country *string `json:"country"`
	// Open is true for open weights, false for closed, null when the
	// catalog cannot tell. Null is never counted as open.
	Open *bool `json:"open"`
	// OpenBasis says how Open was decided: "source flag" (the board's own
	// open-weights flag), "license" (the licence text the source shows:
	// a named licence is open, "Proprietary" or empty is closed),
	// "catalog rule" (a model rule or model line of the catalog, or a
	// system all of whose models the catalog knows), or "unknown" (Open is
	// null).
	OpenBasis string `json:"open_basis"`
	// License is the licence text exactly as the source shows it; null
	// when the source states none. The catalog's reading of it (or of its
	// own rule) is LicenseTier.
	License *string `json:"license"`
	// LicenseTier is "open-permissive", "open-restricted",
	// "open-noncommercial" or "closed"; null when openness is unknown or
	// an open model's licence is not stated.
	LicenseTier *string `json:"license_tier"`
	// Family is the catalog's family key of the model ("deepseek-v3"), the
	// unit 'report --by family' counts once; null for an aggregate row.
	Family *string `json:"family"`
	// LineageBase is the model this one was fine-tuned or post-trained
	// from, when a catalog rule says it is a derivative; null for an
	// original model.
	LineageBase *string `json:"lineage_base"`
	// LineageCountry is that base model's developer's country; null when
	// there is no base or its developer is unknown. A row counts as
	// Chinese in the lineage view when Country or LineageCountry is "CN".
	LineageCountry *string `json:"lineage_country"`
	// Score is the board's main metric (Arena score, Elo, % resolved,
	// tokens); higher is better.
	Score float64 `json:"score"`
	// ScoreLower and ScoreUpper bound the score's confidence interval as
	// the source publishes it (usually 95 %); null when it publishes none.
	ScoreLower *float64 `json:"score_lower"`
	ScoreUpper *float64 `json:"score_upper"`
	// Votes is the number of votes or battles behind the score; null when
	// the source states none.
	Votes *int64 `json:"votes"`
	// Metrics are the board's other numbers by name ("coding",
	// "win_rate", "input_price_per_million"): an object in JSON and JSON
	// Lines ({} when none), metric_<name> columns in CSV and Parquet,
	// empty or null where a row lacks that metric.
	Metrics map[string]float64 `json:"metrics"`
	// CatalogVersion is the version of the catalog that classified the
	// row (built in, plus --catalog): the same snapshot exported with a
	// newer catalog can say more.
	CatalogVersion string `json:"catalog_version"`
	// ArenawatchVersion is the version of the arenawatch that wrote the
	// export.
	ArenawatchVersion string `json:"arenawatch_version"`
}

// Kind is the type of a column.
type Kind int

// The column kinds. In CSV every value is text: String as it is (made safe
// for spreadsheets, see Neutralize), Int and Float as decimal numbers
// (never neutralised: see Neutralize), Bool as true or false, Time as RFC
// 3339 in UTC; a null is an empty cell.
const (
	String Kind = iota // Parquet BYTE_ARRAY (STRING), dictionary-encoded
	Int                // Parquet INT64
	Float              // Parquet DOUBLE
	Bool               // Parquet BOOLEAN
	Time               // Parquet INT64 TIMESTAMP(MICROS, UTC)
)

// Value is one cell: its kind's field holds the value unless Null.
type Value struct {
	Null bool
	S    string
	I    int64
	F    float64
	B    bool
	T    time.Time
}

// Columns are the fixed columns of CSV and Parquet, in order; the metric
// columns follow them. Metrics itself is not one of them.
var Columns = []Column[Record]{
	{"board", String, false, func(r *Record) Value { return str(r.Board) }},
	{"snapshot_id", String, false, func(r *Record) Value { return str(r.SnapshotID) }},
	{"fetched_at", Time, false, func(r *Record) Value { return Value{T: r.FetchedAt} }},
	{"as_of", Time, true, func(r *Record) Value { return optTime(r.AsOf) }},
	{"obtained", String, false, func(r *Record) Value { return str(r.Obtained) }},
	{"source_url", String, false, func(r *Record) Value { return str(r.SourceURL) }},
	{"rank", Int, true, func(r *Record) Value { return optInt(r.Rank) }},
	{"rank_upper", Int, true, func(r *Record) Value { return optInt(r.RankUpper) }},
	{"rank_lower", Int, true, func(r *Record) Value { return optInt(r.RankLower) }},
	{"model", String, false, func(r *Record) Value { return str(r.Model) }},
	{"name", String, false, func(r *Record) Value { return str(r.Name) }},
	{"underlying", String, true, func(r *Record) Value { return optStr(r.Underlying) }},
	{"organization_source", String, true, func(r *Record) Value { return optStr(r.OrganizationSource) }},
	{"organization", String, true, func(r *Record) Value { return optStr(r.Organization) }},
	{"country", String, true, func(r *Record) Value { return optStr(r.Country) }},
	{"open", Bool, true, func(r *Record) Value {
		if r.Open == nil {
			return Value{Null: true}
		}
		return Value{B: *r.Open}
	}},
	{"open_basis", String, false, func(r *Record) Value { return str(r.OpenBasis) }},
	{"license", String, true, func(r *Record) Value { return optStr(r.License) }},
	{"license_tier", String, true, func(r *Record) Value { return optStr(r.LicenseTier) }},
	{"family", String, true, func(r *Record) Value { return optStr(r.Family) }},
	{"lineage_base", String, true, func(r *Record) Value { return optStr(r.LineageBase) }},
	{"lineage_country", String, true, func(r *Record) Value { return optStr(r.LineageCountry) }},
	{"score", Float, false, func(r *Record) Value { return Value{F: r.Score} }},
	{"score_lower", Float, true, func(r *Record) Value { return optFloat(r.ScoreLower) }},
	{"score_upper", Float, true, func(r *Record) Value { return optFloat(r.ScoreUpper) }},
	{"votes", Int, true, func(r *Record) Value {
		if r.Votes == nil {
			return Value{Null: true}
		}
		return Value{I: *r.Votes}
	}},
	{"catalog_version", String, false, func(r *Record) Value { return str(r.CatalogVersion) }},
	{"arenawatch_version", String, false, func(r *Record) Value { return str(r.ArenawatchVersion) }},
}

// MetricPrefix starts the name of every metric column in CSV and Parquet.
const MetricPrefix = "metric_"

func str(s string) Value { return Value{S: s} }

func optStr(p *string) Value {
	if p == nil {
		return Value{Null: true}
	}
	return Value{S: *p}
}

func optInt(p *int) Value {
	if p == nil {
		return Value{Null: true}
	}
	return Value{I: int64(*p)}
}

func optFloat(p *float64) Value {
	if p == nil {
		return Value{Null: true}
	}
	return Value{F: *p}
}

func optTime(p *time.Time) Value {
	if p == nil {
		return Value{Null: true}
	}
	return Value{T: *p}
}
