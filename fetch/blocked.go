package fetch

import (
	"bytes"
	"errors"
	"net/http"
)

// challengeMarkers are byte strings that only a bot-challenge or block
// interstitial contains. "/cdn-cgi/challenge-platform/" is deliberately
// not one: Cloudflare injects a script from there into ordinary pages too. Cloudflare's managed challenge ("Just a
// moment...") answers 403 or 503 and sometimes 200; the body is what tells.
var challengeMarkers = []struct {
	marker []byte
	what   string
}{
	{[]byte("window._cf_chl_opt"), "a Cloudflare challenge page"},
	{[]byte("<title>Just a moment...</title>"), "a Cloudflare challenge page (\"Just a moment...\")"},
	{[]byte("<title>Attention Required! | Cloudflare</title>"), "a Cloudflare block page"},
	{[]byte("cf-browser-verification"), "a Cloudflare browser check"},
}

// CheckBlocked reports whether a response is a bot challenge or block page
// rather than the content asked for. Such a page is never parsed: its
// "rows" would be garbage and its absence of rows is not markup drift.
func CheckBlocked(status int, header http.Header, body []byte) error {
	if header != nil && header.Get("Cf-Mitigated") == "challenge" {
		return errors.New("the server answered with a Cloudflare challenge (cf-mitigated: challenge)")
	}
	// Challenge pages are small; only look at the head of large bodies.
	head := body
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	for _, m := range challengeMarkers {
		if bytes.Contains(head, m.marker) {
			return errors.New("the server answered with " + m.what + " instead of the leaderboard")
		}
	}
	return nil
}
