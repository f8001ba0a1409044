package scraper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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
func FlightStream(page []byte) (string, int, error) {
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
			dec := json.NewDecoder(strings.NewReader(text))
			var args []json.RawMessage
			if err := dec.Decode(&args); err != nil {
				firstErr = fmt.Errorf("script %d: flight chunk %d is not a JSON array: %w", i+1, n+1, err)
				return
			}
			text = text[dec.InputOffset():]
			if len(args) < 2 || string(args[0]) != "1" {
				continue
			}
			var chunk string
			if err := json.Unmarshal(args[1], &chunk); err != nil {
				firstErr = fmt.Errorf("script %d: flight chunk %d is not a string: %w", i+1, n+1, err)
				return
			}
			b.WriteString(chunk)
			n++
		}
	})
	if firstErr != nil {
		return "", n, firstErr
	}
	return b.String(), n, nil
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
