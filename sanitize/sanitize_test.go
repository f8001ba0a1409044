package sanitize

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "glm-4.6", 80, "glm-4.6"},
		{"non-ASCII kept", "Qwen3 ✅ — 通义", 80, "Qwen3 ✅ — 通义"},
		{"CSI clear screen", "gpt\x1b[2J\x1b[H", 80, `gpt\x1b[2J\x1b[H`},
		{"OSC title ending in BEL", "\x1b]0;pwned\x07model", 80, `\x1b]0;pwned\x07model`},
		{"newline, tab and CR forge rows", "a\nrank 1\tb\rc", 80, `a\nrank 1\tb\rc`},
		{"bidi override", "evil\u202egnp.exe", 80, `evil\u202egnp.exe`},
		{"bidi isolate and zero width", "a\u2066b\u200bc", 80, `a\u2066b\u200bc`},
		{"C1 CSI", "a\u009b31mb", 80, `a\u009b31mb`},
		{"DEL", "a\x7fb", 80, `a\x7fb`},
		{"invalid UTF-8", "a\xffb", 80, `a\xffb`},
		{"long name cut", strings.Repeat("x", 100), 10, "xxxxxxxxx…"},
		{"escapes count toward the limit", "ab\x1b[31mcd", 8, `ab\x1b[…`},
		{"exactly max", "abcde", 5, "abcde"},
		{"one over max", "abcdef", 5, "abcd…"},
		{"no limit", strings.Repeat("y", 300), 0, strings.Repeat("y", 300)},
		{"multi-byte cut by runes", strings.Repeat("通", 20), 5, "通通通通…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in, tt.max); got != tt.want {
				t.Errorf("Text(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	in := "row 1\tok\n\x1b]0;t\x07evil\u202eX\n通"
	// Split inside the three-byte rune at the end and inside the bidi mark.
	raw := []byte(in)
	for _, part := range [][]byte{raw[:18], raw[18:24], raw[24 : len(raw)-1], raw[len(raw)-1:]} {
		if n, err := w.Write(part); err != nil || n != len(part) {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	want := "row 1\tok\n" + `\x1b]0;t\x07evil\u202eX` + "\n通"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// FuzzText: whatever comes in, Text's output is valid UTF-8, holds no
// unsafe character and no more runes than asked.
func FuzzText(f *testing.F) {
	for _, s := range []string{"glm-4.6", "a\x1b[31mb", "\u202e", "\xff\xfe", "通\n"} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max % 200
		got := Text(s, max)
		if !utf8.ValidString(got) || strings.ContainsFunc(got, Unsafe) {
			t.Fatalf("Text(%q, %d) = %q", s, max, got)
		}
		if max > 0 && utf8.RuneCountInString(got) > max {
			t.Fatalf("Text(%q, %d) = %q: %d runes", s, max, got, utf8.RuneCountInString(got))
		}
		var b bytes.Buffer
		if _, err := NewWriter(&b).Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsFunc(b.String(), func(r rune) bool { return r != '\n' && r != '\t' && Unsafe(r) }) {
			t.Fatalf("Writer passed %q", b.String())
		}
	})
}
