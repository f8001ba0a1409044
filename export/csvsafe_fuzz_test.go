package export

import "testing"

// FuzzNeutralize checks the two promises of the CSV cell guard on any
// text: Restore gives back exactly what Neutralize was given, and a
// neutralised cell starts with a character a spreadsheet runs as a
// formula only when it is a plain number.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"", "=HYPERLINK(\"http://x\")", "+1", "-3.5", "@SUM(A1)", "\tcmd", "\r=1", "'quoted", "''", "gpt-4o", "-", "1e-05", "-.5e+3x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Neutralize(s)
		if got := Restore(n); got != s {
			t.Fatalf("Restore(Neutralize(%q)) = %q", s, got)
		}
		if n != "" {
			switch n[0] {
			case '=', '+', '-', '@', '\t', '\r':
				if !plainNumber.MatchString(n) {
					t.Fatalf("Neutralize(%q) = %q starts a formula", s, n)
				}
			}
		}
	})
}
