package longform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/arenawatch/arenawatch"
)

// Field is what a column of a community archive holds: one of the
// constants below, or "metric:NAME" (a further number, kept in the row's
// metrics) or "extra:NAME" (a further text, kept in the row's extras).
type Field string

// The fields a column can feed. FieldIgnore, in a mapping, stops a column
// from being read under a default name.
const (
	FieldDate         Field = "date"         // the snapshot's date (needed)
	FieldModel        Field = "model"        // the model key (needed)
	FieldScore        Field = "score"        // the board's main metric (needed)
	FieldName         Field = "name"         // the display name, when it differs from the key
	FieldRank         Field = "rank"         // the source's rank
	FieldRankUpper    Field = "rank_upper"   // best plausible rank
	FieldRankLower    Field = "rank_lower"   // worst plausible rank
	FieldCI           Field = "ci"           // a CI as half-widths: "±6", "+6/-6", "-6/+7", "6"
	FieldScoreLower   Field = "score_lower"  // the CI's lower bound, a score
	FieldScoreUpper   Field = "score_upper"  // the CI's upper bound, a score
	FieldVotes        Field = "votes"        // votes or battles, "12,345" allowed
	FieldOrganization Field = "organization" // the developer as the archive labels it
	FieldLicense      Field = "license"      // the licence text
	FieldIgnore       Field = "-"
)

// needed are the fields without which no row can be read.
var needed = []Field{FieldDate, FieldModel, FieldScore}

// synonyms are the header names each field is recognised by, in order of
// preference, after normalising (see normalise). The first present wins;
// a column is read for one field only.
var synonyms = []struct {
	field Field
	names []string
}{
	{FieldDate, []string{"snapshot_date", "date", "leaderboard_publish_date", "publish_date", "as_of", "asof", "day"}},
	{FieldModel, []string{"model", "model_name", "model_key", "modelkey", "model_id", "key", "name"}},
	{FieldName, []string{"display_name", "name", "public_name"}},
	{FieldScore, []string{"score", "arena_score", "rating", "elo", "arena_elo", "elo_rating", "arena_elo_rating"}},
	{FieldRank, []string{"rank", "ranking", "position", "place"}},
	{FieldRankUpper, []string{"rank_upper"}},
	{FieldRankLower, []string{"rank_lower"}},
	{FieldCI, []string{"ci95", "ci", "95_ci", "ci_95", "confidence_interval"}},
	{FieldScoreLower, []string{"score_lower", "rating_q025", "rating_lower", "ci_lower", "lower_bound", "lower"}},
	{FieldScoreUpper, []string{"score_upper", "rating_q975", "rating_upper", "ci_upper", "upper_bound", "upper"}},
	{FieldVotes, []string{"votes", "vote_count", "num_votes", "num_battles", "battles"}},
	{FieldOrganization, []string{"organization", "organisation", "org", "developer", "lab"}},
	{FieldLicense, []string{"license", "licence"}},
}

// Fields lists the field names a mapping may use, for help and errors.
func Fields() []string {
	var out []string
	for _, s := range synonyms {
		out = append(out, string(s.field))
	}
	return append(out, "metric:NAME", "extra:NAME", "-")
}

// normalise makes a header comparable: lower case, every run of other
// characters than letters and digits one "_", none at the ends ("95% CI"
// → "95_ci", "Arena Score" → "arena_score").
func normalise(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f && r != '\ufeff' {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			gap = false
			b.WriteRune(r)
		} else {
			gap = true
		}
	}
	return b.String()
}

// column is one column that is read.
type column struct {
	index int
	name  string // as the header spells it
}

// Columns says how a header was read: which column feeds which field, and
// which columns were not read.
type Columns struct {
	// Read maps each column read (as the header spells it) to its field.
	Read map[string]Field
	// Ignored lists the other columns, in header order.
	Ignored []string

	by      map[Field]column
	metrics []namedColumn
	extras  []namedColumn
	header  []string
	width   int // fields in the header
}

type namedColumn struct {
	column
	key string // the metric or extra name
}

// has reports whether a field is read.
func (c *Columns) has(f Field) bool { _, ok := c.by[f]; return ok }

// MapColumns works out which column feeds which field: first the explicit
// mapping (column → field, columns matched case-insensitively), then the
// synonyms for the fields still open. It fails with a KindInvalid error
// that names the column when the mapping names a column the header lacks
// or a field that does not exist, and when a needed field (date, model,
// score) has no column.
func MapColumns(header []string, mapping map[string]string) (*Columns, error) {
	c := &Columns{Read: map[string]Field{}, by: map[Field]column{}, header: header, width: len(header)}
	taken := make([]bool, len(header))
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normalise(h)
	}
	// Explicit mappings, in a stable order so that errors are too.
	keys := make([]string, 0, len(mapping))
	for k := range mapping {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, name := range keys {
		if err := c.mapOne(header, norm, taken, name, mapping[name]); err != nil {
			return nil, err
		}
	}
	for _, s := range synonyms {
		if c.has(s.field) {
			continue
		}
		for _, syn := range s.names {
			if i := slices.Index(norm, syn); i >= 0 && !taken[i] {
				taken[i] = true
				c.by[s.field] = column{i, header[i]}
				c.Read[header[i]] = s.field
				break
			}
		}
	}
	for _, h := range header {
		if _, read := c.Read[h]; !read {
			c.Ignored = append(c.Ignored, h) // not mapped, or mapped to "-"
		}
	}
	for _, f := range needed {
		if !c.has(f) {
			return nil, missingColumn(f, header)
		}
	}
	return c, nil
}

// mapOne applies one COLUMN=FIELD of an explicit mapping.
func (c *Columns) mapOne(header, norm []string, taken []bool, name, field string) error {
	i := slices.Index(header, name)
	if i < 0 {
		i = slices.Index(norm, normalise(name))
	}
	if i < 0 {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid,
			Err:  fmt.Errorf("--map %s=%s: the file has no column %q (columns: %s)", name, field, name, strings.Join(header, ", ")),
			Hint: "name a column as the header spells it (case does not matter)"}
	}
	if taken[i] {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, Err: fmt.Errorf("--map: column %q is mapped twice", header[i])}
	}
	taken[i] = true
	f := Field(strings.TrimSpace(field))
	col := column{i, header[i]}
	switch {
	case f == FieldIgnore:
		return nil
	case strings.HasPrefix(string(f), "metric:") && len(f) > len("metric:"):
		c.metrics = append(c.metrics, namedColumn{col, strings.TrimPrefix(string(f), "metric:")})
	case strings.HasPrefix(string(f), "extra:") && len(f) > len("extra:"):
		c.extras = append(c.extras, namedColumn{col, strings.TrimPrefix(string(f), "extra:")})
	case slices.Contains(Fields()[:len(synonyms)], string(f)):
		if prev, dup := c.by[f]; dup {
			return &arenawatch.Error{Kind: arenawatch.KindInvalid,
				Err: fmt.Errorf("--map: columns %q and %q are both mapped to %s", prev.name, header[i], f)}
		}
		c.by[f] = col
	default:
		return &arenawatch.Error{Kind: arenawatch.KindInvalid,
			Err:  fmt.Errorf("--map %s=%s: unknown field %q", name, field, field),
			Hint: "fields: " + strings.Join(Fields(), ", ")}
	}
	c.Read[header[i]] = f
	return nil
}

// missingColumn is the error for a needed field without a column.
func missingColumn(f Field, header []string) error {
	var names []string
	for _, s := range synonyms {
		if s.field == f {
			names = s.names
		}
	}
	flag := fmt.Sprintf("--map COLUMN=%s", f)
	if f == FieldDate {
		flag = "--date-column COLUMN"
	}
	return &arenawatch.Error{Kind: arenawatch.KindInvalid,
		Err: fmt.Errorf("no %s column: the header has none of %s (columns: %s)",
			f, strings.Join(names, ", "), strings.Join(header, ", ")),
		Hint: "name the column with " + flag}
}
