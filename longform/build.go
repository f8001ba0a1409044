package longform

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/source"
)

// maxProblems is how many bad values one date's error lists.
const maxProblems = 5

// tally counts what was set right or left out in one date's rows, for its
// notes.
type tally struct {
	ci      [ciBare + 1]int // rows by the form of their CI cell
	sep     map[Field]int   // rows whose number had thousands separators
	dropped map[string][]string
	bad     []string // problems that fail the date
}

// drop records an optional value that is malformed and left out.
func (t *tally) drop(col string, line int, err error) {
	t.dropped[col] = append(t.dropped[col], fmt.Sprintf("line %d: %v", line, err))
}

// fail records a problem that fails the date.
func (t *tally) fail(col string, line int, err error) {
	t.bad = append(t.bad, fmt.Sprintf("line %d, column %q: %v", line, col, err))
}

// buildDate reads one date's rows and seals its snapshot.
func buildDate(opt CSVOptions, cols *Columns, fileQuirks []string, d time.Time, recs []record) source.DatedSnapshot {
	ds := source.DatedSnapshot{Date: d, Rows: len(recs)}
	day := d.Format(time.DateOnly)
	if d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
		day = d.Format(time.RFC3339Nano)
	}
	t := &tally{sep: map[Field]int{}, dropped: map[string][]string{}}
	rows := make([]arenawatch.Row, 0, len(recs))
	for _, rec := range recs {
		if r, ok := readRow(cols, rec, t); ok {
			rows = append(rows, r)
		}
	}
	if len(t.bad) > 0 {
		msg := strings.Join(t.bad[:min(len(t.bad), maxProblems)], "; ")
		if len(t.bad) > maxProblems {
			msg += fmt.Sprintf("; … and %d more", len(t.bad)-maxProblems)
		}
		ds.Err = &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: opt.Board.ID, URL: opt.Doc.URL,
			Err: fmt.Errorf("%s: %s", day, msg), Hint: "the other dates are read; fix the file or map the column with --map"}
		return ds
	}
	snap := &arenawatch.Snapshot{
		Board:         opt.Board.ID,
		FetchedAt:     d,
		AsOf:          d,
		Origin:        arenawatch.OriginImported,
		URL:           opt.Doc.URL,
		Status:        opt.Doc.Status,
		SHA256:        opt.Doc.SHA256,
		Documents:     []arenawatch.Document{opt.Doc},
		ParserVersion: CSVParserVersion,
		Notes:         dateNotes(opt, cols, fileQuirks, day, len(recs), t),
		Rows:          rows,
	}
	if err := arenawatch.Seal(snap, opt.Board.Limits); err != nil {
		var ae *arenawatch.Error
		if errors.As(err, &ae) {
			e := *ae
			e.Err = fmt.Errorf("%s: %w", day, ae.Err)
			err = &e
		}
		ds.Err = err
		return ds
	}
	ds.Snapshot = snap
	return ds
}

// cell returns the text of a field's column in rec ("" when the field is
// not read), and the column's name.
func cell(cols *Columns, rec record, f Field) (string, string, bool) {
	c, ok := cols.by[f]
	if !ok || c.index >= len(rec.fields) {
		return "", c.name, false
	}
	return strings.TrimSpace(rec.fields[c.index]), c.name, true
}

// readRow reads one row: the needed fields fail the date when malformed,
// the optional ones are left out and counted.
func readRow(cols *Columns, rec record, t *tally) (arenawatch.Row, bool) {
	if len(rec.fields) != cols.width {
		t.bad = append(t.bad, fmt.Sprintf("line %d has %d fields, the header %d (an unquoted comma, as in 12,345?)", rec.line, len(rec.fields), cols.width))
		return arenawatch.Row{}, false
	}
	var r arenawatch.Row
	model, mcol, _ := cell(cols, rec, FieldModel)
	if model == "" {
		t.fail(mcol, rec.line, errors.New("no model"))
	}
	r.Model = model
	s, scol, _ := cell(cols, rec, FieldScore)
	score, ok, sep, err := number(s)
	switch {
	case err != nil:
		t.fail(scol, rec.line, err)
	case !ok:
		t.fail(scol, rec.line, errors.New("no score"))
	case sep:
		t.sep[FieldScore]++
	}
	r.Score = score
	if name, _, ok := cell(cols, rec, FieldName); ok && name != model {
		r.Name = name
	}
	if org, _, ok := cell(cols, rec, FieldOrganization); ok {
		r.Organization = &org
	}
	if lic, _, ok := cell(cols, rec, FieldLicense); ok {
		r.License = &lic
	}
	r.Rank = optWhole(cols, rec, t, FieldRank, 1)
	r.RankUpper = optWhole(cols, rec, t, FieldRankUpper, 1)
	r.RankLower = optWhole(cols, rec, t, FieldRankLower, 1)
	r.Votes = int64(optWhole(cols, rec, t, FieldVotes, 0))
	readBounds(cols, rec, t, &r)
	readMore(cols, rec, t, &r)
	return r, true
}

// optWhole reads an optional whole number of at least min; 0 when absent
// or malformed.
func optWhole(cols *Columns, rec record, t *tally, f Field, min int64) int {
	s, col, ok := cell(cols, rec, f)
	if !ok {
		return 0
	}
	n, ok, sep, err := whole(s, min)
	if err != nil {
		t.drop(col, rec.line, err)
		return 0
	}
	if sep {
		t.sep[f]++
	}
	if !ok {
		return 0
	}
	return int(n)
}

// readBounds sets the row's CI: from the bound columns when the file has
// them, else from a CI of half-widths around the score.
func readBounds(cols *Columns, rec record, t *tally, r *arenawatch.Row) {
	if cols.has(FieldScoreLower) || cols.has(FieldScoreUpper) {
		r.ScoreLower = optNumber(cols, rec, t, FieldScoreLower)
		r.ScoreUpper = optNumber(cols, rec, t, FieldScoreUpper)
		return
	}
	s, col, ok := cell(cols, rec, FieldCI)
	if !ok {
		return
	}
	plus, minus, form, err := parseCI(s)
	if err != nil {
		t.drop(col, rec.line, err)
		return
	}
	t.ci[form]++
	if form != ciNone {
		r.ScoreLower, r.ScoreUpper = arenawatch.Float(r.Score-minus), arenawatch.Float(r.Score+plus)
	}
}

// optNumber reads an optional number; nil when absent or malformed.
func optNumber(cols *Columns, rec record, t *tally, f Field) *float64 {
	s, col, ok := cell(cols, rec, f)
	if !ok {
		return nil
	}
	v, ok, _, err := number(s)
	if err != nil {
		t.drop(col, rec.line, err)
		return nil
	}
	if !ok {
		return nil
	}
	return &v
}

// readMore reads the metric and extra columns of the mapping.
func readMore(cols *Columns, rec record, t *tally, r *arenawatch.Row) {
	for _, m := range cols.metrics {
		v, ok, _, err := number(rec.fields[m.index])
		if err != nil {
			t.drop(m.name, rec.line, err)
			continue
		}
		if ok {
			if r.Metrics == nil {
				r.Metrics = map[string]float64{}
			}
			r.Metrics[m.key] = v
		}
	}
	for _, x := range cols.extras {
		if v := strings.TrimSpace(rec.fields[x.index]); v != "" {
			if r.Extra == nil {
				r.Extra = map[string]string{}
			}
			r.Extra[x.key] = v
		}
	}
}

// dateNotes says where a date's snapshot came from and what was set right
// or left out in its rows.
func dateNotes(opt CSVOptions, cols *Columns, fileQuirks []string, day string, lines int, t *tally) []string {
	notes := []string{fmt.Sprintf("imported from the long-format CSV %s: %d rows dated %s", opt.Doc.URL, lines, day)}
	if len(fileQuirks) > 0 {
		notes = append(notes, "file: "+strings.Join(fileQuirks, "; "))
	}
	if len(cols.Ignored) > 0 {
		notes = append(notes, "columns not read: "+strings.Join(cols.Ignored, ", "))
	}
	if c := t.ci; c[ciPlusMinus]+c[ciSymmetric]+c[ciAsymmetric]+c[ciBare] > 0 {
		var forms []string
		for _, f := range []struct {
			form ciForm
			what string
		}{{ciPlusMinus, `"±x"`}, {ciSymmetric, `"+x/-x"`}, {ciAsymmetric, `"+x/-y" asymmetric`}, {ciBare, `"x" (no sign, read as ±x)`}} {
			if c[f.form] > 0 {
				forms = append(forms, fmt.Sprintf("%d %s", c[f.form], f.what))
			}
		}
		notes = append(notes, fmt.Sprintf("column %q read as half-widths around the score: %s",
			cols.by[FieldCI].name, strings.Join(forms, ", ")))
	}
	for _, f := range []Field{FieldScore, FieldVotes, FieldRank, FieldRankUpper, FieldRankLower} {
		if n := t.sep[f]; n > 0 {
			notes = append(notes, fmt.Sprintf("column %q: thousands separators removed in %d rows", cols.by[f].name, n))
		}
	}
	for _, col := range sortedKeys(t.dropped) {
		bad := t.dropped[col]
		notes = append(notes, fmt.Sprintf("column %q: %d malformed values left out (%s)", col, len(bad),
			strings.Join(bad[:min(len(bad), 3)], "; ")))
	}
	return notes
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// provenance are the prefixes of the notes that say where a snapshot came
// from rather than what was set right in its rows.
var provenance = []string{"imported from ", "file: ", "columns not read: "}

// QuirkNotes returns the notes of an imported snapshot that say what was
// set right or left out in its rows (repeats dropped, CIs read, separators
// removed, malformed values), without those that say where it came from.
func QuirkNotes(notes []string) []string {
	var out []string
	for _, n := range notes {
		if !slices.ContainsFunc(provenance, func(p string) bool { return strings.HasPrefix(n, p) }) {
			out = append(out, n)
		}
	}
	return out
}
