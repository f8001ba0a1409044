package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil/storetest"
)

// The columns are the json tags of Record, in order, less the metrics map:
// one definition for every format.
func TestColumnsAreTheRecordFields(t *testing.T) {
	var tags []string
	rt := reflect.TypeFor[Record]()
	for i := range rt.NumField() {
		tag := strings.Split(rt.Field(i).Tag.Get("json"), ",")[0]
		if tag != "metrics" {
			tags = append(tags, tag)
		}
	}
	var names []string
	for _, c := range Columns {
		names = append(names, c.Name)
	}
	if !reflect.DeepEqual(names, tags) {
		t.Errorf("Columns %v\nRecord   %v", names, tags)
	}
}

func TestNeutralize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain name", "gpt-oss-120b", "gpt-oss-120b"},
		{"formula", "=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"plus formula", "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"minus DDE", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"at", "@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1+1", "'\r=1+1"},
		{"licence placeholder dash", "-", "'-"},
		{"negative number", "-3.5", "-3.5"},
		{"signed exponent", "+1e-05", "+1e-05"},
		{"number then text", "-3.5x", "'-3.5x"},
		{"quote kept reversible", "'90s model", "''90s model"},
		{"empty", "", ""},
		{"formula later in the cell", "a=1+1", "a=1+1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Neutralize(tt.in)
			if got != tt.want {
				t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := Restore(got); back != tt.in {
				t.Errorf("Restore(%q) = %q, want %q", got, back, tt.in)
			}
		})
	}
}

func TestMetricColumns(t *testing.T) {
	tests := []struct {
		name  string
		in    []string
		wants []MetricColumn
	}{
		{"snake case unchanged, sorted, repeats once", []string{"win_rate", "coding", "coding"},
			[]MetricColumn{{"coding", "metric_coding"}, {"win_rate", "metric_win_rate"}}},
		{"unsafe characters", []string{"Win Rate (%)"}, []MetricColumn{{"Win Rate (%)", "metric_win_rate"}}},
		{"two names, one column", []string{"a-b", "a b"}, []MetricColumn{{"a b", "metric_a_b"}, {"a-b", "metric_a_b_2"}}},
		{"nothing left", []string{"%%"}, []MetricColumn{{"%%", "metric_unnamed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MetricColumns(tt.in); !reflect.DeepEqual(got, tt.wants) {
				t.Errorf("got %v, want %v", got, tt.wants)
			}
		})
	}
}

// records converts one snapshot, copying each record.
func records(t *testing.T, s *arenawatch.Snapshot, rule arenawatch.RankRule) []Record {
	t.Helper()
	var out []Record
	if err := converter().Records(s, rule, func(r *Record) error { out = append(out, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRecords(t *testing.T) {
	s := snap("b", t0,
		arenawatch.Row{Model: "glm-4.6", Rank: 1, RankUpper: 1, RankLower: 3, Score: 1400, Organization: arenawatch.Str("Z.ai"),
			License: arenawatch.Str("MIT"), ScoreLower: arenawatch.Float(1390), ScoreUpper: arenawatch.Float(1410), Votes: 5000},
		arenawatch.Row{Model: "mystery-model", Name: "Mystery", Score: 1300, Organization: arenawatch.Str("Nobody Knows Inc")},
		arenawatch.Row{Model: "flagged", Score: 1350, Organization: arenawatch.Str("Meta"), Open: arenawatch.Bool(true)},
		arenawatch.Row{Model: "other", Score: 5},
	)
	s.AsOf = t0.Add(-48 * time.Hour)
	s.Reparsed = &arenawatch.Reparse{From: t0, ParserVersion: "old"}
	recs := records(t, s, arenawatch.RankByScore)
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	byModel := map[string]Record{}
	for _, r := range recs {
		byModel[r.Model] = r
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"rank order", []string{recs[0].Model, recs[1].Model, recs[2].Model, recs[3].Model}, []string{"glm-4.6", "flagged", "mystery-model", "other"}},
		{"obtained", recs[0].Obtained, ObtainedReparsed},
		{"snapshot id", recs[0].SnapshotID, "b@2026-11-28T17:00:00Z"},
		{"as of", *recs[0].AsOf, t0.Add(-48 * time.Hour)},
		{"rank by score", *byModel["flagged"].Rank, 2},
		{"rank spread", []int{*byModel["glm-4.6"].RankUpper, *byModel["glm-4.6"].RankLower}, []int{1, 3}},
		{"no rank spread is null", byModel["flagged"].RankUpper, (*int)(nil)},
		{"catalog organization", *byModel["glm-4.6"].Organization, "Z.ai"},
		{"country", *byModel["glm-4.6"].Country, "CN"},
		{"open by licence", byModel["glm-4.6"].OpenBasis, BasisLicense},
		{"open by source flag", byModel["flagged"].OpenBasis, BasisSourceFlag},
		{"unknown organization is null", byModel["mystery-model"].Organization, (*string)(nil)},
		{"source organization kept", *byModel["mystery-model"].OrganizationSource, "Nobody Knows Inc"},
		{"unknown openness is null", byModel["mystery-model"].Open, (*bool)(nil)},
		{"unknown basis", byModel["mystery-model"].OpenBasis, BasisUnknown},
		{"display name", byModel["mystery-model"].Name, "Mystery"},
		{"no votes is null", byModel["mystery-model"].Votes, (*int64)(nil)},
		{"aggregate has no rank", byModel["other"].Rank, (*int)(nil)},
		{"aggregate has no class", byModel["other"].Family, (*string)(nil)},
		{"metrics never null", byModel["other"].Metrics, map[string]float64{}},
		{"versions", []string{recs[0].CatalogVersion, recs[0].ArenawatchVersion}, []string{converter().Catalog.Version(), "test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// hostile are model names a page could send to attack a spreadsheet.
var hostile = []string{"=1+1", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@A1", "\tx", "\rx", "'quoted", "-7", "a,b \"c\"\nd"}

func TestCSVNeutralisesHostileText(t *testing.T) {
	db, _ := storetest.Open(t)
	var rows []arenawatch.Row
	for i, name := range hostile {
		rows = append(rows, arenawatch.Row{Model: name, Score: float64(-i) - 0.5, Organization: arenawatch.Str("=evil()"),
			Metrics: map[string]float64{"delta": -3.5}})
	}
	save(t, db, snap("hostile", t0, rows...))
	items, err := Plan(db, Selection{Boards: []BoardRule{{ID: "hostile", Rule: arenawatch.RankByScore}}})
	if err != nil {
		t.Fatal(err)
	}
	load := StoreLoader(db)
	opt := Options{Format: CSV, Converter: converter()}
	if opt.Metrics, err = MetricNames(context.Background(), items, load); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := Write(context.Background(), &out, items, load, opt); err != nil {
		t.Fatal(err)
	}
	cells, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180 CSV: %v", err)
	}
	col := map[string]int{}
	for i, name := range cells[0] {
		col[name] = i
	}
	for _, row := range cells[1:] {
		name, org := row[col["name"]], row[col["organization_source"]]
		t.Run(strings.ToValidUTF8(name, "?"), func(t *testing.T) {
			if c := name[0]; strings.ContainsRune("=+@\t\r", rune(c)) || (c == '-' && name != "-7") {
				t.Errorf("name cell %q starts with a formula character", name)
			}
			if !contains(hostile, Restore(name)) {
				t.Errorf("Restore(%q) = %q, not one of the names", name, Restore(name))
			}
			if org != "'=evil()" {
				t.Errorf("organization cell %q, want '=evil()", org)
			}
			if s := row[col["score"]]; !strings.HasPrefix(s, "-") || !strings.HasSuffix(s, ".5") {
				t.Errorf("score cell %q: a negative number is written as it is", s)
			}
			if m := row[col["metric_delta"]]; m != "-3.5" {
				t.Errorf("metric cell %q, want -3.5", m)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// JSON writes one array, JSON Lines one object a line, both with every
// key present.
func TestJSONFormats(t *testing.T) {
	db, _ := storetest.Open(t)
	save(t, db, snap("a", t0, filler(3, "a")...))
	save(t, db, snap("a", t0.Add(time.Hour), filler(2, "b")...))
	items, err := Plan(db, Selection{Boards: []BoardRule{{ID: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{JSON, JSONL} {
		t.Run(string(f), func(t *testing.T) {
			var out bytes.Buffer
			sum, err := Write(context.Background(), &out, items, StoreLoader(db), Options{Format: f, Converter: converter()})
			if err != nil {
				t.Fatal(err)
			}
			var docs []map[string]any
			if f == JSON {
				if err := json.Unmarshal(out.Bytes(), &docs); err != nil {
					t.Fatalf("not one JSON document: %v\n%s", err, out.String())
				}
			} else {
				for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
					var d map[string]any
					if err := json.Unmarshal([]byte(line), &d); err != nil {
						t.Fatalf("line %q: %v", line, err)
					}
					docs = append(docs, d)
				}
			}
			if len(docs) != 5 || sum.Rows != 5 || sum.Snapshots != 2 {
				t.Fatalf("%d documents, summary %+v; want 5 rows of 2 snapshots", len(docs), sum)
			}
			if len(docs[0]) != len(Columns)+1 {
				t.Errorf("%d keys, want %d (every column and metrics)", len(docs[0]), len(Columns)+1)
			}
			if _, ok := docs[0]["as_of"]; !ok || docs[0]["as_of"] != nil {
				t.Errorf("as_of = %v, want a null that is present", docs[0]["as_of"])
			}
		})
	}
}

// An empty selection is still a valid document in every format.
func TestEmptyOutput(t *testing.T) {
	for _, f := range []Format{CSV, JSONL, JSON} {
		t.Run(string(f), func(t *testing.T) {
			var out bytes.Buffer
			if _, err := Write(context.Background(), &out, nil, nil, Options{Format: f, Converter: converter()}); err != nil {
				t.Fatal(err)
			}
			want := map[Format]string{JSON: "[]\n", JSONL: ""}[f]
			if f == CSV {
				want = strings.Split(out.String(), "\n")[0] + "\n"
				if !strings.HasPrefix(want, "board,snapshot_id,") {
					t.Errorf("CSV without rows has no header: %q", out.String())
				}
			}
			if out.String() != want {
				t.Errorf("got %q, want %q", out.String(), want)
			}
		})
	}
}
