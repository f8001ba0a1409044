package site

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// cssColours reads the custom properties of style.css that hold a #rrggbb
// colour.
func cssColours(t *testing.T) map[string][3]float64 {
	t.Helper()
	css, err := assets.ReadFile("assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][3]float64{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*#([0-9a-fA-F]{6});`).FindAllStringSubmatch(string(css), -1) {
		var c [3]float64
		for i := range 3 {
			v, _ := strconv.ParseUint(m[2][2*i:2*i+2], 16, 8)
			c[i] = float64(v) / 255
		}
		out[m[1]] = c
	}
	// Every colour the rules use must be one of the properties checked.
	rules := regexp.MustCompile(`(?s)/\*.*?\*/|:root\s*\{[^}]*\}`).ReplaceAllString(string(css), "")
	if bare := regexp.MustCompile(`#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(`).FindString(rules); bare != "" {
		t.Errorf("a rule uses a colour that is not a custom property: %q", bare)
	}
	return out
}

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(c [3]float64) float64 {
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(a, b [3]float64) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestContrast checks every pair of text and background colours the
// stylesheet puts together against WCAG AA for normal text (4.5:1).
func TestContrast(t *testing.T) {
	cs := cssColours(t)
	pairs := [][2]string{
		{"fg", "bg"}, {"muted", "bg"}, {"link", "bg"},
		{"fg", "card"}, {"muted", "card"}, {"link", "card"},
		{"fg", "head"}, {"fg", "lead-bg"}, {"fg", "best-bg"},
		{"muted", "lead-bg"}, {"muted", "best-bg"}, {"link", "lead-bg"}, {"link", "best-bg"},
		{"fresh-fg", "fresh-bg"}, {"stale-fg", "stale-bg"}, {"failing-fg", "failing-bg"},
		{"spark", "card"},
	}
	for _, p := range pairs {
		fg, ok1 := cs[p[0]]
		bg, ok2 := cs[p[1]]
		if !ok1 || !ok2 {
			t.Errorf("--%s or --%s is not defined in style.css", p[0], p[1])
			continue
		}
		if r := contrast(fg, bg); r < 4.5 {
			t.Errorf("--%s on --%s: contrast %.2f:1, want at least 4.5:1", p[0], p[1], r)
		}
	}
	// The formula, on the values WCAG's own examples give.
	if r := contrast([3]float64{0, 0, 0}, [3]float64{1, 1, 1}); math.Abs(r-21) > 1e-9 {
		t.Errorf("black on white: %.3f, want 21", r)
	}
}
