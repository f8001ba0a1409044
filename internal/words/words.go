// Package words holds the small pieces of English that several outputs
// share (the report, the site, the charts, the alerts), so that they say
// a position the same way.
package words

import (
	"fmt"
	"strconv"
)

// Ordinal writes n as an English ordinal: "1st", "2nd", "3rd", "4th",
// "11th", "12th", "13th", "21st", "111th".
func Ordinal(n int) string {
	suffix := "th"
	if m := n % 100; m < 11 || m > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// Tokens writes a token count briefly: "25.12T", "340.5B", "12.0M", and
// smaller counts whole.
func Tokens(n int64) string {
	switch f := float64(n); {
	case f >= 1e12:
		return fmt.Sprintf("%.2fT", f/1e12)
	case f >= 1e9:
		return fmt.Sprintf("%.1fB", f/1e9)
	case f >= 1e6:
		return fmt.Sprintf("%.1fM", f/1e6)
	}
	return strconv.FormatInt(n, 10)
}
