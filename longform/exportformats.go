package longform

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch/export"
)

// exportColumn is a column of an export file that is read.
type exportColumn struct {
	name     string // the contract's name, or metric_<name>
	kind     export.Kind
	nullable bool
	metric   string // the metric's name for a metric column
}

// readColumns are the columns a row is rebuilt from; the catalog's
// columns (organization, country, open's tier, family, lineage) are not
// read: the catalog answers again at query time.
var readColumns = map[string]bool{
	"board": true, "snapshot_id": true, "fetched_at": true, "as_of": true, "obtained": true, "source_url": true,
	"rank": true, "rank_upper": true, "rank_lower": true, "model": true, "name": true, "underlying": true,
	"organization_source": true, "open": true, "open_basis": true, "license": true,
	"score": true, "score_lower": true, "score_upper": true, "votes": true,
	"catalog_version": true, "arenawatch_version": true,
}

// keyColumns name a row's snapshot: a bad value there fails the file.
var keyColumns = map[string]bool{"board": true, "snapshot_id": true, "fetched_at": true, "obtained": true}

// lookupColumn returns how a column of the given name is read, or false
// for a column that is not read.
func lookupColumn(name string) (exportColumn, bool) {
	if m, ok := strings.CutPrefix(name, export.MetricPrefix); ok && m != "" {
		return exportColumn{name: name, kind: export.Float, nullable: true, metric: m}, true
	}
	if !readColumns[name] {
		return exportColumn{}, false
	}
	for _, c := range export.Columns {
		if c.Name == name {
			return exportColumn{name: name, kind: c.Kind, nullable: c.Nullable}, true
		}
	}
	return exportColumn{}, false
}

// neededColumns must be in every file; board may come from a partition
// directory instead.
func checkNeeded(have map[string]bool, f ExportFile) error {
	for _, n := range []string{"fetched_at", "model", "score"} {
		if !have[n] {
			return fmt.Errorf("%s has no %s column", filepath.Base(f.Path), n)
		}
	}
	if !have["board"] && f.Board == "" {
		return fmt.Errorf("%s has no board column and is not in a board=… directory", filepath.Base(f.Path))
	}
	return nil
}

// assign sets a record's field from a value; a bad value of a key column
// fails the file, any other fails the record's snapshot.
func assign(r *exportRecord, c exportColumn, v export.Value, err error) error {
	if err != nil {
		err = fmt.Errorf("%s, column %s: %v", r.where, c.name, err)
		if keyColumns[c.name] {
			return err
		}
		if r.err == nil {
			r.err = err
		}
		return nil
	}
	if c.metric != "" {
		if !v.Null {
			if r.Metrics == nil {
				r.Metrics = map[string]float64{}
			}
			r.Metrics[c.metric] = v.F
		}
		return nil
	}
	s, i, f := optS(v), optI(v), optF(v)
	switch c.name {
	case "board":
		r.Board = v.S
	case "snapshot_id":
		r.SnapshotID = v.S
	case "fetched_at":
		r.FetchedAt = v.T
	case "as_of":
		if !v.Null {
			t := v.T
			r.AsOf = &t
		}
	case "obtained":
		r.Obtained = v.S
	case "source_url":
		r.SourceURL = v.S
	case "rank":
		r.Rank = i
	case "rank_upper":
		r.RankUpper = i
	case "rank_lower":
		r.RankLower = i
	case "model":
		r.Model = v.S
	case "name":
		r.Name = v.S
	case "underlying":
		r.Underlying = s
	case "organization_source":
		r.OrganizationSource = s
	case "open":
		if !v.Null {
			b := v.B
			r.Open = &b
		}
	case "open_basis":
		r.OpenBasis = v.S
	case "license":
		r.License = s
	case "score":
		if v.Null {
			r.err = cmpErr(r.err, fmt.Errorf("%s: no score", r.where))
		}
		r.Score = v.F
	case "score_lower":
		r.ScoreLower = f
	case "score_upper":
		r.ScoreUpper = f
	case "votes":
		if !v.Null {
			n := v.I
			r.Votes = &n
		}
	case "catalog_version":
		r.CatalogVersion = v.S
	case "arenawatch_version":
		r.ArenawatchVersion = v.S
	}
	return nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func optS(v export.Value) *string {
	if v.Null {
		return nil
	}
	s := v.S
	return &s
}

func optI(v export.Value) *int {
	if v.Null {
		return nil
	}
	n := int(v.I)
	return &n
}

func optF(v export.Value) *float64 {
	if v.Null {
		return nil
	}
	f := v.F
	return &f
}

// csvValue reads a cell of an export's CSV: an empty cell is null, a
// text cell loses the quote that made it safe for spreadsheets
// (export.Restore).
func csvValue(c exportColumn, cell string) (export.Value, error) {
	if cell == "" && c.kind != export.String {
		if !c.nullable {
			return export.Value{}, errors.New("empty")
		}
		return export.Value{Null: true}, nil
	}
	switch c.kind {
	case export.String:
		if cell == "" && c.nullable {
			return export.Value{Null: true}, nil
		}
		return export.Value{S: export.Restore(cell)}, nil
	case export.Int:
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return export.Value{}, fmt.Errorf("%q is not a whole number", cell)
		}
		return export.Value{I: n}, nil
	case export.Float:
		f, err := strconv.ParseFloat(cell, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return export.Value{}, fmt.Errorf("%q is not a finite number", cell)
		}
		return export.Value{F: f}, nil
	case export.Bool:
		b, err := strconv.ParseBool(cell)
		if err != nil {
			return export.Value{}, fmt.Errorf("%q is not true or false", cell)
		}
		return export.Value{B: b}, nil
	case export.Time:
		t, err := time.Parse(time.RFC3339Nano, cell)
		if err != nil {
			return export.Value{}, fmt.Errorf("%q is not an RFC 3339 time", cell)
		}
		return export.Value{T: t.UTC()}, nil
	}
	return export.Value{}, fmt.Errorf("column kind %d", c.kind)
}

// csvRecords reads an export's CSV file.
func csvRecords(f ExportFile, fn func(*exportRecord) error) error {
	fh, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer fh.Close()
	br := bufio.NewReaderSize(fh, 1<<16)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	rd := csv.NewReader(br)
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err != nil {
		return fmt.Errorf("%s: no header row: %v", filepath.Base(f.Path), csvError(err))
	}
	header = slices.Clone(header)
	cols := make([]exportColumn, len(header))
	have := map[string]bool{}
	for i, h := range header {
		if c, ok := lookupColumn(h); ok {
			cols[i], have[h] = c, true
		}
	}
	if err := checkNeeded(have, f); err != nil {
		return err
	}
	base := filepath.Base(f.Path)
	for {
		fields, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %v", base, csvError(err))
		}
		line, _ := rd.FieldPos(0)
		r := &exportRecord{where: fmt.Sprintf("%s line %d", base, line), csv: true}
		for i, cell := range fields {
			if cols[i].name == "" {
				continue
			}
			v, verr := csvValue(cols[i], cell)
			if err := assign(r, cols[i], v, verr); err != nil {
				return err
			}
		}
		if err := checkKey(r, f.Board); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

// maxJSONLine is the longest line of a JSON Lines export read: a row is
// a few hundred bytes, a row with many metrics a few KB.
const maxJSONLine = 16 << 20

// jsonlRecords reads an export's JSON Lines file: each line one record
// with the contract's keys. A key that is missing or null is null; a
// value of the wrong type fails its snapshot.
func jsonlRecords(f ExportFile, fn func(*exportRecord) error) error {
	fh, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<16), maxJSONLine)
	base := filepath.Base(f.Path)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte("\ufeff"))
		}
		if len(text) == 0 {
			continue
		}
		r := &exportRecord{where: fmt.Sprintf("%s line %d", base, line)}
		if err := jsonRecord(r, text); err != nil {
			return err
		}
		if err := checkKey(r, f.Board); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %v", base, err)
	}
	return nil
}

// jsonRecord decodes one JSON record in one pass: a line that is not
// JSON, or a key field of the wrong type, fails the file; another value
// of the wrong type, or no score, fails the snapshot.
func jsonRecord(r *exportRecord, text []byte) error {
	var rec struct {
		export.Record
		Score *float64 `json:"score"` // to tell a missing score from 0
	}
	err := json.Unmarshal(text, &rec)
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) && !keyColumns[te.Field]:
		r.err = fmt.Errorf("%s: %v", r.where, err)
	case err != nil:
		return fmt.Errorf("%s: %v", r.where, err)
	}
	r.Record = rec.Record
	r.FetchedAt = r.FetchedAt.UTC()
	if rec.Score != nil {
		r.Score = *rec.Score
	} else if r.err == nil {
		r.err = fmt.Errorf("%s: no score", r.where)
	}
	return nil
}
