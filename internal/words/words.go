// Package words holds the small pieces of English that several outputs
// share (the report, the site, the charts, the alerts), so that they say
// a position the same way.
package words

import "strconv"

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
