package export

import "sort"

// Column is one fixed column of a flat table of T records: CSV and
// Parquet write Get's value under Name.
type Column[T any] struct {
	// Name is the column name, equal to the json tag of T's field.
	Name string
	Kind Kind
	// Nullable columns may hold nulls (empty CSV cells, OPTIONAL Parquet
	// columns); the others always hold a value.
	Nullable bool
	// Get reads the column's value from a record.
	Get func(*T) Value
}

// layout is the flat form of T records: the fixed columns (less those a
// dataset's directories carry), then one column per metric.
type layout[T any] struct {
	cols      []Column[T]
	metrics   []MetricColumn
	metricsOf func(*T) map[string]float64
	vals      []Value
}

// recordLayout is the flat form of Records with the given metric names;
// without the board column when the board is a partition directory.
func recordLayout(metrics []string, noBoard bool) layout[Record] {
	l := layout[Record]{metrics: MetricColumns(metrics), metricsOf: func(r *Record) map[string]float64 { return r.Metrics }}
	for _, c := range Columns {
		if noBoard && c.Name == "board" {
			continue
		}
		l.cols = append(l.cols, c)
	}
	return l
}

// specs are the layout's columns.
func (l *layout[T]) specs() []Spec {
	out := make([]Spec, 0, len(l.cols)+len(l.metrics))
	for _, c := range l.cols {
		out = append(out, Spec{c.Name, c.Kind, c.Nullable})
	}
	for _, m := range l.metrics {
		out = append(out, Spec{m.Column, Float, true})
	}
	return out
}

// values are rec's values in the layout's columns; the slice is reused by
// the next call. A metric without a column is an error, never dropped.
func (l *layout[T]) values(rec *T) ([]Value, error) {
	l.vals = l.vals[:0]
	for _, c := range l.cols {
		l.vals = append(l.vals, c.Get(rec))
	}
	if l.metricsOf == nil {
		return l.vals, nil
	}
	ms := l.metricsOf(rec)
	found := 0
	for _, m := range l.metrics {
		v, ok := ms[m.Metric]
		if ok {
			found++
		}
		l.vals = append(l.vals, Value{Null: !ok, F: v})
	}
	if found < len(ms) {
		for name := range ms {
			if !l.hasMetric(name) {
				return nil, errorf("metric %q has no column: a snapshot changed while it was exported (a reparse?); run the export again", name)
			}
		}
	}
	return l.vals, nil
}

func (l *layout[T]) hasMetric(name string) bool {
	for _, m := range l.metrics {
		if m.Metric == name {
			return true
		}
	}
	return false
}

func sortedNames(names []string) []string {
	sort.Strings(names)
	return names
}
