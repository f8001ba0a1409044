package ranking

import (
	"fmt"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
)

// labelledModel is a model with its openness as a public dataset labels it.
type labelledModel struct {
	model, name string
	open        bool
	desc        string
}

// labelledModels reads every row of the accuracy datasets that labels a
// model's openness: LMArena-style licences, Design Arena's openSource flag
// and Epoch AI's accessibility.
func labelledModels(t *testing.T) []labelledModel {
	t.Helper()
	var out []labelledModel
	for _, r := range readAccuracyCSV(t, "lmarena_labels.csv", "model", "name", "organization", "license") {
		if open, ok := licenseLabel(r["license"]); ok {
			out = append(out, labelledModel{r["model"], r["name"], open, fmt.Sprintf("%q licence %q [%s]", r["model"], r["license"], r["source"])})
		}
	}
	for _, r := range readAccuracyCSV(t, "designarena_registry.csv", "id", "display_name", "open_source") {
		out = append(out, labelledModel{r["id"], r["display_name"], r["open_source"] == "true", fmt.Sprintf("%q openSource %s [Design Arena]", r["id"], r["open_source"])})
	}
	for _, r := range readAccuracyCSV(t, "epoch_models.csv", "model", "accessibility") {
		if open, ok := epochAccessibility(t, r["accessibility"]); ok {
			out = append(out, labelledModel{r["model"], "", open, fmt.Sprintf("%q %q [Epoch AI]", r["model"], r["accessibility"])})
		}
	}
	return out
}

// TestLinesAgreeWithLabels hides each labelled model's own label and
// classifies it by name alone, as on a board that states no licence. Where
// a catalog line decides, it must agree with the label it could not see,
// and every line must be backed by at least one labelled model: a line
// is a claim about every model of a family, so it is held to the public
// labels rather than to our memory.
func TestLinesAgreeWithLabels(t *testing.T) {
	c := Embedded()
	support := map[*lineRule]int{}
	decided, total := 0, 0
	for _, m := range labelledModels(t) {
		total++
		row := arenawatch.Row{Model: m.model, Name: m.name}
		cl := c.Classify(row)
		glob, ok := strings.CutPrefix(cl.OpenBasis, basisLine)
		if !ok {
			continue
		}
		decided++
		if (cl.Open == Open) != m.open {
			t.Errorf("line %s says %s; the source says open=%v: %s", glob, cl.Open, m.open, m.desc)
			continue
		}
		l, _ := c.matchLine(row)
		support[l]++
	}
	for i := range c.lines {
		if support[&c.lines[i]] == 0 {
			t.Errorf("line %v: no labelled model in ranking/testdata/accuracy supports it", c.lines[i].match)
		}
	}
	t.Logf("lines decide %d of %d labelled models when the label is hidden; %d lines", decided, total, len(c.lines))
}

func TestParseLines(t *testing.T) {
	base := "version: \"1\"\norganizations: []\n"
	tests := []struct{ name, yaml, wantErr string }{
		{"no match", base + "lines:\n  - open: true\n    reason: r\n", "line 1 has no match"},
		{"no open", base + "lines:\n  - match: [a*]\n    reason: r\n", `line "a*": give open`},
		{"no reason", base + "lines:\n  - match: [a*]\n    open: false\n", `line "a*": a reason is required`},
		{"match everything", base + "lines:\n  - match: [\"*\"]\n    open: false\n    reason: r\n", `match "*" would match nothing or everything`},
		{"glob twice", base + "lines:\n  - match: [a*]\n    open: false\n    reason: r\n  - match: [b*, A*]\n    open: true\n    reason: r\n", `line "b*": match "A*" is already in line "a*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
	c, err := Parse([]byte(base + "lines:\n  - match: [foo*]\n    open: true\n    license: MIT\n    reason: r\n"))
	if err != nil {
		t.Fatal(err)
	}
	over, err := Parse([]byte(base + "lines:\n  - match: [foo-2*]\n    open: false\n    reason: closed from 2 on\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Merge(over)
	for model, want := range map[string]Openness{"foo-1": Open, "foo-2-pro": Closed, "bar": Unknown} {
		if got := m.Classify(arenawatch.Row{Model: model}).Open; got != want {
			t.Errorf("merged: %s is %s, want %s (an override's line comes first)", model, got, want)
		}
	}
}
