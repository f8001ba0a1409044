package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/PuerkitoBio/goquery"
)

// Next.js App Router pages carry their React Server Components payload
// ("flight" data) as string chunks pushed from inline scripts:
//
//	<script>self.__next_f.push([1,"0:[\"$\",\"html\"...\n1f:{\"leaderboard\":..."])</script>
//
// The chunks are split at arbitrary points, so a value can start in one
// script and end in a later one; only the concatenation is meaningful. The
// joined stream is a sequence of rows "<hex id>:<payload>\n" where payload
// is JSON, a tagged JSON value ("I[...]", "HL[...]"), or a text row
// "T<hex length>,<bytes>" that is not newline-terminated.

const flightPushCall = "self.__next_f.push("

// FlightStream returns the concatenated flight stream of an HTML page and
// the number of chunks found. Chunks of kind 1 (string data) are joined in
// document order; other kinds (0: bootstrap, 2: form state, 3: binary) are
// skipped. A page without any chunk returns ("", 0, nil).
//
// The script elements are those html.Parse builds. A live page is about
// 5 MB, so they are first found by a scan of the bytes (scriptTexts) that
// gives up on any markup where it could disagree with the parser; the page
// is then parsed (flightStreamDOM), as it is for any malformed chunk, so
// that the result and every error are the parser's.
func FlightStream(page []byte) (string, int, error) {
	if !bytes.Contains(page, []byte(flightPushCall)) {
		return "", 0, nil
	}
	if s, n, ok := flightStreamScan(page); ok {
		return s, n, nil
	}
	return flightStreamDOM(page)
}

// flightStreamDOM is FlightStream over the page parsed by html.Parse.
func flightStreamDOM(page []byte) (string, int, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return "", 0, fmt.Errorf("parse HTML: %w", err)
	}
	var b strings.Builder
	n := 0
	var firstErr error
	doc.Find("script").Each(func(i int, s *goquery.Selection) {
		if firstErr != nil {
			return
		}
		text := s.Text()
		for {
			at := strings.Index(text, flightPushCall)
			if at < 0 {
				return
			}
			text = text[at+len(flightPushCall):]
			chunk, used, ok, err := decodePush(strings.NewReader(text))
			if err != nil {
				firstErr = fmt.Errorf("script %d: flight chunk %d %w", i+1, n+1, err)
				return
			}
			text = text[used:]
			if ok {
				b.WriteString(chunk)
				n++
			}
		}
	})
	if firstErr != nil {
		return "", n, firstErr
	}
	return b.String(), n, nil
}

// decodePush reads the arguments of one push call at the start of text
// with encoding/json: the chunk when it is of kind 1, and the length of
// the arguments. An error reads "is not …" (the caller names the chunk).
func decodePush(text io.Reader) (chunk string, used int64, ok bool, err error) {
	dec := json.NewDecoder(text)
	var args []json.RawMessage
	if err := dec.Decode(&args); err != nil {
		return "", 0, false, fmt.Errorf("is not a JSON array: %w", err)
	}
	used = dec.InputOffset()
	if len(args) < 2 || string(args[0]) != "1" {
		return "", used, false, nil
	}
	if err := json.Unmarshal(args[1], &chunk); err != nil {
		return "", 0, false, fmt.Errorf("is not a string: %w", err)
	}
	return chunk, used, true, nil
}

// flightStreamScan is FlightStream over the script texts found by
// scriptTexts. The usual push, [1,"…"], is unquoted by hand into one
// buffer sized from the literals; any other is decoded by encoding/json
// (decodePush). ok is false when the scan gave up or a push is malformed:
// the caller then parses the page, which also words the error.
func flightStreamScan(page []byte) (string, int, bool) {
	texts, ok := scriptTexts(page)
	if !ok {
		return "", 0, false
	}
	// First pass: where each chunk is; a literal is never shorter than
	// the text it stands for, so their lengths size the buffer.
	type piece struct {
		lit   []byte // the JSON string literal without its quotes
		other string // a chunk decoded by encoding/json
		plain bool   // lit has no escape and no byte >= 0x80
	}
	var pieces []piece
	size := 0
	for _, text := range texts {
		for {
			at := bytes.Index(text, []byte(flightPushCall))
			if at < 0 {
				break
			}
			text = text[at+len(flightPushCall):]
			if lit, plain, rest, ok := quickPush(text); ok {
				pieces = append(pieces, piece{lit: lit, plain: plain})
				size += len(lit)
				text = rest
				continue
			}
			chunk, used, isChunk, err := decodePush(bytes.NewReader(text))
			if err != nil {
				return "", 0, false
			}
			text = text[used:]
			if isChunk {
				pieces = append(pieces, piece{other: chunk})
				size += len(chunk)
			}
		}
	}
	buf := make([]byte, 0, size)
	for _, p := range pieces {
		switch {
		case p.lit == nil:
			buf = append(buf, p.other...)
		case p.plain:
			buf = append(buf, p.lit...)
		default:
			var ok bool
			if buf, ok = appendUnquoted(buf, p.lit); !ok {
				return "", 0, false
			}
		}
	}
	return unsafe.String(unsafe.SliceData(buf), len(buf)), len(pieces), true
}

// quickPush reads the arguments of a push call of the usual shape,
// [1,"…"] with optional JSON white space, at the start of text: lit is the
// string literal between its quotes, plain says that it has neither an
// escape nor a byte >= 0x80, rest is the text after the closing bracket.
// ok is false for any other shape, and for a literal encoding/json would
// reject or repair (a control character, a bad escape, invalid UTF-8):
// decodePush reads those.
func quickPush(text []byte) (lit []byte, plain bool, rest []byte, ok bool) {
	i := skipJSONSpace(text, 0)
	if i+1 >= len(text) || text[i] != '[' {
		return nil, false, nil, false
	}
	i = skipJSONSpace(text, i+1)
	if i >= len(text) || text[i] != '1' {
		return nil, false, nil, false
	}
	i = skipJSONSpace(text, i+1)
	if i >= len(text) || text[i] != ',' {
		return nil, false, nil, false
	}
	i = skipJSONSpace(text, i+1)
	if i >= len(text) || text[i] != '"' {
		return nil, false, nil, false
	}
	start := i + 1
	plain = true
	ascii := true
	for i = start; ; i++ {
		if i >= len(text) {
			return nil, false, nil, false
		}
		c := text[i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return nil, false, nil, false
		}
		if c >= 0x80 {
			plain, ascii = false, false
		}
		if c == '\\' {
			plain = false
			if i+1 >= len(text) {
				return nil, false, nil, false
			}
			switch text[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 >= len(text) || hex4(text[i+2:i+6]) < 0 {
					return nil, false, nil, false
				}
				i += 5
			default:
				return nil, false, nil, false
			}
		}
	}
	lit = text[start:i]
	if !ascii && !utf8.Valid(lit) {
		return nil, false, nil, false
	}
	i = skipJSONSpace(text, i+1)
	if i >= len(text) || text[i] != ']' {
		return nil, false, nil, false
	}
	return lit, plain, text[i+1:], true
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// appendUnquoted appends the text of a JSON string literal (without its
// quotes, checked by quickPush) as encoding/json decodes it: a \u escape
// of a surrogate pair is one rune, any other surrogate escape U+FFFD.
func appendUnquoted(buf, lit []byte) ([]byte, bool) {
	for len(lit) > 0 {
		at := bytes.IndexByte(lit, '\\')
		if at < 0 {
			return append(buf, lit...), true
		}
		buf = append(buf, lit[:at]...)
		lit = lit[at:]
		if len(lit) < 2 {
			return buf, false
		}
		switch c := lit[1]; c {
		case '"', '\\', '/':
			buf = append(buf, c)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if len(lit) < 6 {
				return buf, false
			}
			r := hex4(lit[2:6])
			if r < 0 {
				return buf, false
			}
			lit = lit[6:]
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(lit) >= 6 && lit[0] == '\\' && lit[1] == 'u' {
					r2 = hex4(lit[2:6])
				}
				if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
					buf = utf8.AppendRune(buf, d)
					lit = lit[6:]
					continue
				}
				r = unicode.ReplacementChar
			}
			buf = utf8.AppendRune(buf, r)
			continue
		default:
			return buf, false
		}
		lit = lit[2:]
	}
	return buf, true
}

// FlightRow is one decoded row of a flight stream.
type FlightRow struct {
	ID    string // hex row id
	Tag   string // "" for plain JSON, "T" for text, else the tag letters ("I", "HL", ...)
	Value any    // decoded JSON (nil for text rows)
	Text  string // text rows only
}

// ParseFlight splits a flight stream into rows and decodes the JSON of
// each. Rows it cannot decode are skipped up to the next newline and
// counted in skipped, so one unknown row type does not hide the rest; the
// caller decides whether what it needs was found.
func ParseFlight(stream string) (rows []FlightRow, skipped int) {
	pos := 0
	for pos < len(stream) {
		// Skip blank lines between rows.
		if stream[pos] == '\n' {
			pos++
			continue
		}
		colon := strings.IndexByte(stream[pos:], ':')
		if colon <= 0 || !isHex(stream[pos:pos+colon]) {
			skipped++
			pos = nextLine(stream, pos)
			continue
		}
		id := stream[pos : pos+colon]
		p := pos + colon + 1
		// Tag letters, if any.
		t := p
		for t < len(stream) && stream[t] >= 'A' && stream[t] <= 'Z' {
			t++
		}
		tag := stream[p:t]
		if tag == "T" {
			comma := strings.IndexByte(stream[t:], ',')
			if comma < 0 {
				skipped++
				pos = len(stream)
				continue
			}
			n, err := strconv.ParseInt(stream[t:t+comma], 16, 64)
			start := t + comma + 1
			if err != nil || n < 0 || start+int(n) > len(stream) {
				skipped++
				pos = nextLine(stream, pos)
				continue
			}
			rows = append(rows, FlightRow{ID: id, Tag: tag, Text: stream[start : start+int(n)]})
			pos = start + int(n)
			continue
		}
		dec := json.NewDecoder(strings.NewReader(stream[t:]))
		var v any
		if err := dec.Decode(&v); err != nil {
			skipped++
			pos = nextLine(stream, pos)
			continue
		}
		rows = append(rows, FlightRow{ID: id, Tag: tag, Value: v})
		pos = t + int(dec.InputOffset())
	}
	return rows, skipped
}

func nextLine(s string, pos int) int {
	i := strings.IndexByte(s[pos:], '\n')
	if i < 0 {
		return len(s)
	}
	return pos + i + 1
}

func isHex(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// walkJSON calls fn for every object in v, depth first, with the object's
// parent object (nil at the top or when the parent is an array).
func walkJSON(v any, parent map[string]any, fn func(obj, parent map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		fn(t, parent)
		for _, c := range t {
			walkJSON(c, t, fn)
		}
	case []any:
		for _, c := range t {
			walkJSON(c, parent, fn)
		}
	}
}

// scriptTexts returns the text of every script element of page, in
// document order, as html.Parse builds them, reading only the bytes. It
// follows the parser's tokenizer (tags and their quoted attributes,
// comments, raw-text and RCDATA elements, the script end tag) and returns
// ok=false wherever the tree could differ from that reading: foreign
// content other than plain SVG icons, <math>, <template>, <frameset>,
// <plaintext>, a script inside a table (the parser may move content out
// of a table), "<!--" inside a script, CDATA, a carriage return or NUL in
// a script, a self-closing raw-text tag, a tag or comment cut by the end
// of the page.
func scriptTexts(page []byte) (texts [][]byte, ok bool) {
	s := scriptScan{page: page}
	i := 0
	for {
		at := bytes.IndexByte(page[i:], '<')
		if at < 0 || i+at+1 >= len(page) {
			return s.texts, true
		}
		i += at
		var ok bool
		switch c := page[i+1]; {
		case isASCIILetter(c):
			i, ok = s.startTag(i)
		case c == '/':
			i, ok = s.endTag(i)
		case c == '!':
			i, ok = s.markup(i)
		case c == '?':
			gt := bytes.IndexByte(page[i+1:], '>')
			if gt < 0 {
				return nil, false
			}
			i, ok = i+1+gt+1, true
		default:
			i, ok = i+1, true
		}
		if !ok {
			return nil, false
		}
	}
}

// scriptScan is the state of scriptTexts between tags. Each step reads
// the markup at a "<" and returns the index after it, or ok=false where
// the scan gives up (see scriptTexts).
type scriptScan struct {
	page  []byte
	buf   [16]byte // tag names, lower-cased (see tagName)
	svg   int      // open <svg> elements
	table int      // open <table> elements, as far as start and end tags tell
	texts [][]byte // the script texts so far
}

// startTag reads the start tag at i ("<" and a letter) and, for a
// raw-text or RCDATA element, its text and end tag.
func (s *scriptScan) startTag(i int) (int, bool) {
	page := s.page
	n, end, ok := scanTag(page, i+1, &s.buf)
	name := string(n) // no allocation: only compared
	if !ok {
		return 0, false
	}
	selfClosing := page[end-2] == '/'
	if s.svg > 0 {
		return s.svgStartTag(name, end, selfClosing)
	}
	switch name {
	case "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title":
		if selfClosing || (name == "script" && s.table > 0) {
			return 0, false
		}
		stop := rawTextEnd(page, end, name)
		if stop < 0 {
			return 0, false
		}
		if name == "script" {
			text := page[end:stop]
			if bytes.Contains(text, []byte("<!--")) || bytes.IndexByte(text, '\r') >= 0 || bytes.IndexByte(text, 0) >= 0 {
				return 0, false
			}
			s.texts = append(s.texts, text)
		}
		return stop, true
	case "svg":
		if selfClosing {
			return 0, false
		}
		s.svg = 1
	case "table":
		s.table++
	case "math", "template", "frameset", "plaintext":
		return 0, false
	}
	return end, true
}

// svgStartTag reads a start tag inside <svg> (its name, the index after
// it, whether it closes itself): only icon elements are let through.
func (s *scriptScan) svgStartTag(name string, end int, selfClosing bool) (int, bool) {
	switch {
	case name == "svg":
		if selfClosing {
			return 0, false
		}
		s.svg++
	case name == "title":
		// Plain text up to </title>: RCDATA or not, it
		// reads the same.
		lt := bytes.IndexByte(s.page[end:], '<')
		if selfClosing || lt < 0 || !hasPrefixFold(s.page[end+lt:], "</title>") {
			return 0, false
		}
		end += lt
	case !svgIcon[name]:
		return 0, false
	}
	return end, true
}

// endTag reads the markup at i that starts with "</": an end tag, "</>"
// (nothing), or a bogus comment up to ">".
func (s *scriptScan) endTag(i int) (int, bool) {
	page := s.page
	if i+2 >= len(page) {
		return 0, false
	}
	c2 := page[i+2]
	switch {
	case c2 == '>':
		return i + 3, true
	case isASCIILetter(c2):
		n, end, ok := scanTag(page, i+2, &s.buf)
		name := string(n)
		if !ok {
			return 0, false
		}
		if s.svg > 0 {
			switch {
			case name == "svg":
				s.svg--
			case !svgIcon[name]:
				return 0, false
			}
		} else if name == "table" && s.table > 0 {
			s.table--
		}
		return end, true
	}
	gt := bytes.IndexByte(page[i+2:], '>')
	if gt < 0 {
		return 0, false
	}
	return i + 2 + gt + 1, true
}

// markup reads the markup at i that starts with "<!": a comment, or a
// doctype or bogus comment up to ">" (CDATA ends the scan).
func (s *scriptScan) markup(i int) (int, bool) {
	page := s.page
	if bytes.HasPrefix(page[i:], []byte("<!--")) {
		return commentEnd(page, i+4)
	}
	if i+2 < len(page) && page[i+2] == '[' {
		return 0, false
	}
	gt := bytes.IndexByte(page[i+2:], '>')
	if gt < 0 {
		return 0, false
	}
	return i + 2 + gt + 1, true
}

// svgIcon names the SVG elements of icons; inside <svg>, any other
// element ends the scan, so that no HTML element or integration point
// (foreignObject, desc) hides there. title is handled apart.
var svgIcon = map[string]bool{
	"path": true, "g": true, "rect": true, "circle": true, "ellipse": true,
	"line": true, "polyline": true, "polygon": true, "use": true, "defs": true,
	"symbol": true, "clippath": true, "mask": true, "lineargradient": true,
	"radialgradient": true, "stop": true, "title": true,
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// scanTag reads a tag as html.Tokenizer does, from the first letter of its
// name (after "<" or "</"): its lower-case name and the index after its
// ">". ok is false when the page ends inside the tag.
func scanTag(page []byte, k int, buf *[16]byte) (name []byte, end int, ok bool) {
	start := k
	k++
	for ; ; k++ {
		if k >= len(page) {
			return nil, 0, false
		}
		if c := page[k]; isHTMLSpace(c) || c == '/' || c == '>' {
			break
		}
	}
	name = tagName(page[start:k], buf)
	if isHTMLSpace(page[k]) {
		k++
	}
	skip := func() {
		for k < len(page) && isHTMLSpace(page[k]) {
			k++
		}
	}
	skip()
	for {
		if k >= len(page) {
			return nil, 0, false
		}
		if page[k] == '>' {
			return name, k + 1, true
		}
		// Attribute name: up to white space, "/", ">" or "=" (an "="
		// that starts it belongs to it).
		for first := k; ; k++ {
			if k >= len(page) {
				return nil, 0, false
			}
			c := page[k]
			if c == '=' && k == first {
				continue
			}
			if c == '=' || c == '/' || c == '>' || isHTMLSpace(c) {
				break
			}
		}
		// Attribute value.
		skip()
		if k >= len(page) {
			return nil, 0, false
		}
		switch page[k] {
		case '/':
			k++
		case '=':
			k++
			skip()
			if k >= len(page) {
				return nil, 0, false
			}
			switch q := page[k]; q {
			case '>':
			case '"', '\'':
				close := bytes.IndexByte(page[k+1:], q)
				if close < 0 {
					return nil, 0, false
				}
				k += 1 + close + 1
			default:
				for k < len(page) && page[k] != '>' && !isHTMLSpace(page[k]) {
					k++
				}
			}
		}
		skip()
	}
}

// tagName lower-cases A-Z only, as html.Tokenizer does tag names, into
// buf; a name longer than buf is returned as "", which names no element
// the scan treats apart (inside <svg> it ends the scan).
func tagName(b []byte, buf *[16]byte) []byte {
	if len(b) > len(buf) {
		return nil
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(b)]
}

// hasPrefixFold reports whether b starts with prefix (lower case) in any
// ASCII case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := range len(prefix) {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// rawTextEnd returns the index of the end tag "</name" (any case) that
// ends a raw-text or RCDATA element whose text starts at from, or -1 when
// the page ends first.
func rawTextEnd(page []byte, from int, name string) int {
	for k := from; ; {
		at := bytes.Index(page[k:], []byte("</"))
		if at < 0 {
			return -1
		}
		k += at
		after := k + 2 + len(name)
		if after < len(page) && hasPrefixFold(page[k+2:], name) {
			if c := page[after]; isHTMLSpace(c) || c == '/' || c == '>' {
				return k
			}
		}
		k += 2
	}
}

// commentEnd returns the index after a comment whose text starts at k
// (after "<!--"), following html.Tokenizer: "-->", "--!>", or ">" right
// at the start ("<!-->", "<!--->"). ok is false when the page ends first.
func commentEnd(page []byte, k int) (int, bool) {
	dashes, beginning := 0, true
	for ; k < len(page); k++ {
		switch page[k] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return k + 1, true
			}
		case '!':
			if dashes >= 2 {
				k++
				if k >= len(page) {
					return 0, false
				}
				if page[k] == '>' {
					return k + 1, true
				}
				if page[k] == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	return 0, false
}
