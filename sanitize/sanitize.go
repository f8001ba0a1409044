// Package sanitize makes text that came from the web safe to show to
// people in a terminal. Model and organization names are hostile input: a
// page can put escape sequences in them that retitle the terminal, clear
// the screen or forge table rows, bidi overrides that show a name
// backwards, or a name of 100 KB. Stored rows and JSON output keep the
// source's exact bytes; only what is printed for people passes through
// here.
package sanitize

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unsafe reports whether r must not reach a terminal as it is: a C0 or C1
// control character (newline and tab included: inside a field they break
// the layout), DEL, or an invisible format character (bidi overrides and
// isolates, zero-width characters, the byte-order mark).
func Unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// Plain reports whether s is valid UTF-8 and holds no unsafe character.
func Plain(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, Unsafe)
}

// escape writes the visible form of an unsafe rune: \n, \t, \r, \x1b for
// the other C0 characters and DEL, \u202e above.
func escape(b *strings.Builder, r rune) {
	switch r {
	case '\n':
		b.WriteString(`\n`)
	case '\t':
		b.WriteString(`\t`)
	case '\r':
		b.WriteString(`\r`)
	default:
		if r < 0x80 {
			fmt.Fprintf(b, `\x%02x`, r)
		} else {
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
}

// Text returns s fit for one field of terminal output: every unsafe
// character is shown as an escape (\x1b, \n, \u202e), a byte that is not
// UTF-8 as \xff, and when the result would be longer than max runes it is
// cut to max runes ending in "…" (max <= 0: no limit). Plain text of
// fitting length comes back unchanged.
func Text(s string, max int) string {
	if Plain(s) && (max <= 0 || len(s) <= max || utf8.RuneCountInString(s) <= max) {
		return s
	}
	var b strings.Builder
	n := 0 // runes written
	for i := 0; i < len(s); {
		if max > 0 && n > max {
			break // enough to know it must be cut; a 100 KB name stops here
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
			n += 4
		case Unsafe(r):
			before := b.Len()
			escape(&b, r)
			n += b.Len() - before // escapes are ASCII
		default:
			b.WriteRune(r)
			n++
		}
		i += size
	}
	out := b.String()
	if max <= 0 || n <= max {
		return out
	}
	// Keep max-1 runes and the ellipsis.
	k, cut := 0, 0
	for cut < len(out) && k < max-1 {
		_, size := utf8.DecodeRuneInString(out[cut:])
		cut += size
		k++
	}
	return out[:cut] + "…"
}

// Writer is a backstop for output that did not pass through Text: it
// escapes every unsafe character except newline and tab, which the
// program's own layout uses, so that no escape sequence or bidi override
// reaches the terminal whatever a message embeds.
type Writer struct {
	w    io.Writer
	tail []byte // an incomplete UTF-8 sequence left by the last Write
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write escapes p and writes it; it reports len(p) on success, as callers
// of io.Writer expect, though more bytes may reach the underlying writer.
func (w *Writer) Write(p []byte) (int, error) {
	buf := append(w.tail, p...)
	w.tail = nil
	var b strings.Builder
	i := 0
	for i < len(buf) {
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(buf[i:]) {
				w.tail = append([]byte(nil), buf[i:]...) // wait for the rest
				break
			}
			fmt.Fprintf(&b, `\x%02x`, buf[i])
			i++
			continue
		}
		if r != '\n' && r != '\t' && Unsafe(r) {
			escape(&b, r)
		} else {
			b.Write(buf[i : i+size])
		}
		i += size
	}
	if _, err := io.WriteString(w.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
