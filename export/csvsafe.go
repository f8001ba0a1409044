package export

import (
	"regexp"
	"strings"
)

// plainNumber matches a decimal number as spreadsheets read one:
// "-3.5", "+2", "1e-05". Such a cell is a number to a spreadsheet, never a
// formula, so it is left as it is.
var plainNumber = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// Neutralize makes a text cell safe to open in a spreadsheet, as OWASP
// recommends against CSV injection: a cell that starts with "=", "+",
// "-", "@", a tab or a carriage return would be read as a formula (or,
// after trimming, as one), so it gets a leading single quote, which
// spreadsheets read as "this is text" and do not show. Two exceptions keep
// data exact:
//
//   - a cell that is a plain decimal number ("-3.5", "+2") is left alone:
//     a spreadsheet reads it as that number, which cannot run anything;
//     number columns (score, rank, metrics) are written by arenawatch
//     from numbers and are never neutralised at all;
//   - a cell that already starts with a single quote gets one more, so
//     that Restore, which drops one leading quote from any text cell that
//     has one, gives back exactly the original text.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '\'':
		return "'" + s
	case '=', '+', '-', '@', '\t', '\r':
		if plainNumber.MatchString(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// Restore undoes Neutralize on a text cell read back from an arenawatch
// CSV export: one leading single quote is dropped.
func Restore(s string) string {
	return strings.TrimPrefix(s, "'")
}
