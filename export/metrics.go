package export

import (
	"fmt"
	"sort"
	"strings"
)

// MetricColumn ties a metric name, as rows carry it, to its column in CSV
// and Parquet.
type MetricColumn struct {
	Metric string // the name in Record.Metrics
	Column string // "metric_" + the name made safe
}

// MetricColumns returns the metric columns for the names given (in any
// order, repeats allowed), sorted by metric name. A column is "metric_"
// followed by the name, lower-cased, with every run of characters other
// than a-z, 0-9 and "_" written as one "_" (every board's metric names
// are already of that form, so they appear unchanged). Two names that
// come out the same keep apart as "…_2", "…_3" in name order.
func MetricColumns(names []string) []MetricColumn {
	uniq := map[string]bool{}
	for _, n := range names {
		uniq[n] = true
	}
	sorted := make([]string, 0, len(uniq))
	for n := range uniq {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	taken := map[string]bool{}
	for _, c := range Columns {
		taken[c.Name] = true
	}
	out := make([]MetricColumn, 0, len(sorted))
	for _, n := range sorted {
		col := MetricPrefix + columnSafe(n)
		for i := 2; taken[col]; i++ {
			col = fmt.Sprintf("%s%s_%d", MetricPrefix, columnSafe(n), i)
		}
		taken[col] = true
		out = append(out, MetricColumn{Metric: n, Column: col})
	}
	return out
}

// columnSafe lower-cases name and writes each run of other characters than
// a-z, 0-9 and "_" as one "_"; "" becomes "unnamed".
func columnSafe(name string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			gap = false
			b.WriteRune(r)
			continue
		}
		gap = true
	}
	if b.Len() == 0 {
		return "unnamed"
	}
	return b.String()
}
