package source

import (
	"math"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    float64
		ok      bool
		wantErr bool
	}{
		{"Plain", "1452", 1452, true, false},
		{"Thousands", "62,764", 62764, true, false},
		{"NBSPThousands", "8\u00a0602\u00a0501", 8602501, true, false},
		{"Percent", "77.47%", 77.47, true, false},
		{"Dollar", "$1.25", 1.25, true, false},
		{"MinusSign", "\u221212", -12, true, false},
		{"Padded", "  \n 1,505 \t", 1505, true, false},
		{"EmptyIsNotError", "", 0, false, false},
		{"Dash", "—", 0, false, false},
		{"NA", "N/A", 0, false, false},
		{"Letters", "12abc", 0, false, true},
		{"NaNText", "NaN", 0, false, true},
		{"Inf", "1e999", 0, false, true},
		{"OnlyComma", ",", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ParseNumber(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseNumber(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if ok != tt.ok || got != tt.want {
				t.Fatalf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseInt(t *testing.T) {
	if n, ok, err := ParseInt("12,345"); err != nil || !ok || n != 12345 {
		t.Fatalf("ParseInt(12,345) = %d, %v, %v", n, ok, err)
	}
	if _, _, err := ParseInt("12.5"); err == nil {
		t.Fatal("ParseInt(12.5) accepted a fraction")
	}
}

func TestParseScoreCI(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		score       float64
		plus, minus float64
		hasCI       bool
		wantErr     bool
	}{
		{"Bare", "1452", 1452, 0, 0, false, false},
		{"PlusMinus", "1505 ±8", 1505, 8, 8, true, false},
		{"PlusMinusTight", "1505±8", 1505, 8, 8, true, false},
		{"Asymmetric", "1452 +5/-6", 1452, 5, 6, true, false},
		{"AsymmetricSpaces", "1452 +5 / -6", 1452, 5, 6, true, false},
		{"Decimal", "1,301.7 ±3.2", 1301.7, 3.2, 3.2, true, false},
		{"Empty", "", 0, 0, 0, false, true},
		{"CIOnly", "±8", 0, 0, 0, false, true},
		{"BadCI", "1452 ±x", 0, 0, 0, false, true},
		{"NegativeHalfWidth", "1452 +-5/-6", 0, 0, 0, false, true},
		{"Garbage", "n/a ±3", 0, 0, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseScoreCI(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseScoreCI(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			want := ScoreCI{tt.score, tt.plus, tt.minus, tt.hasCI}
			if got != want {
				t.Fatalf("ParseScoreCI(%q) = %+v, want %+v", tt.in, got, want)
			}
		})
	}
}

func TestParseCI(t *testing.T) {
	tests := []struct {
		in          string
		plus, minus float64
		wantErr     bool
	}{
		{"±4", 4, 4, false},
		{"+14/-14", 14, 14, false},
		{"+/-3", 3, 3, false},
		{"+5/\u22126", 5, 6, false},
		{"14", 0, 0, true},
		{"+14", 0, 0, true},
		{"+14/+3", 0, 0, true},
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, m, err := ParseCI(tt.in)
			if (err != nil) != tt.wantErr || (err == nil && (p != tt.plus || m != tt.minus)) {
				t.Fatalf("ParseCI(%q) = %v, %v, %v; want %v, %v, err=%v", tt.in, p, m, err, tt.plus, tt.minus, tt.wantErr)
			}
		})
	}
}

func TestParseRankSpread(t *testing.T) {
	tests := []struct {
		in           string
		upper, lower int
		wantErr      bool
	}{
		{"2 ◄─► 8", 2, 8, false},
		{"2◄─►8", 2, 8, false},
		{"1 - 1", 1, 1, false},
		{"12–27", 12, 27, false},
		{"7", 0, 0, true},
		{"0 ◄─► 3", 0, 0, true},
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, l, err := ParseRankSpread(tt.in)
			if (err != nil) != tt.wantErr || (err == nil && (u != tt.upper || l != tt.lower)) {
				t.Fatalf("ParseRankSpread(%q) = %d, %d, %v", tt.in, u, l, err)
			}
		})
	}
}

// FuzzParseScoreCI checks the score/CI parser never panics and that what
// it accepts is finite with non-negative half-widths.
func FuzzParseScoreCI(f *testing.F) {
	for _, s := range []string{"1505 ±8", "+14/-14", "1,234", "1452 +5/-6", "", "±", "1e5 ±1e5", "−3 ± 2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseScoreCI(s)
		if err != nil {
			return
		}
		for _, v := range []float64{got.Score, got.Plus, got.Minus} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("ParseScoreCI(%q) accepted a non-finite value: %+v", s, got)
			}
		}
		if got.Plus < 0 || got.Minus < 0 {
			t.Fatalf("ParseScoreCI(%q) gave a negative half-width: %+v", s, got)
		}
		if !got.HasCI && (got.Plus != 0 || got.Minus != 0) {
			t.Fatalf("ParseScoreCI(%q) has CI values without HasCI", s)
		}
	})
}

// FuzzParseNumber checks ParseNumber accepts only finite numbers and that
// what it accepts survives printing with thousands separators.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"62,764", "77.47%", "$1.25", "N/A", "—", "1e3", "−7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok, err := ParseNumber(s)
		if err != nil || !ok {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, v)
		}
		if strings.TrimSpace(s) == "" {
			t.Fatalf("ParseNumber(%q) accepted blank text", s)
		}
	})
}
