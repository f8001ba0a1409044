package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch/sanitize"
)

// hostileNames are model names a page could send to attack a terminal or
// the answer: escape sequences (clear screen, OSC title ending in BEL),
// forged rows (\r, \n, \t), a bidi override, a 100 KB name, and names that
// start like gpt-oss, whose brand and line would otherwise make them the
// best open non-Chinese model.
var hostileNames = []string{
	"evil\x1b[2J\x1b[Hcleared",
	"\x1b]0;pwned\x07title",
	"fake\nrank 1\tqwen-injected\r",
	"gpt-oss-120b\u202e",
	"gpt-oss-\x1b[8mhidden",
	strings.Repeat("w", 100_000),
}

func hostilePage(t *testing.T) []byte {
	t.Helper()
	var entries []map[string]any
	for i := range 30 {
		name, org, lic := "model-"+string(rune('a'+i)), "DeepSeek", "MIT"
		if i < len(hostileNames) {
			name, org, lic = hostileNames[i], "", "Apache 2.0"
		}
		e := map[string]any{"rank": i + 1, "modelDisplayName": name, "rating": 1500.0 - float64(i), "votes": 1000 + i, "license": lic}
		if org != "" {
			e["modelOrganization"] = org
		}
		entries = append(entries, e)
	}
	board, err := json.Marshal(map[string]any{"leaderboard": map[string]any{
		"arenaSlug": "text", "leaderboardSlug": "overall",
		"params":  map[string]any{"category": "overall", "styleControl": true},
		"entries": entries,
	}})
	if err != nil {
		t.Fatal(err)
	}
	stream, _ := json.Marshal("1c:[\"$\",\"$L1d\",null," + string(board) + "]\n")
	return []byte("<!DOCTYPE html><html><head><title>Arena</title></head><body><script>self.__next_f.push([1," + string(stream) + "])</script></body></html>")
}

// TestHostileNames: what a page puts in a name is stored exactly and comes
// back exactly in JSON, but never reaches the terminal as control, bidi or
// invisible characters, never spans lines or 100 KB, and never steers the
// answer.
func TestHostileNames(t *testing.T) {
	url := serve(t, "/leaderboard/text", hostilePage(t))
	c := newCLI(t)
	defer c.checkDB()
	c.must("scrape", "arena-text", "--url", "arena-text="+url, "--quiet")

	rank := decode[rankJSON](t, c.must("rank", "arena-text", "--json").stdout)
	got := map[string]bool{}
	for _, m := range append(rank.Rows, rank.Unclassified...) {
		got[m.Name] = true
	}
	for _, n := range hostileNames {
		// Readers trim white space at the ends of a name; every other
		// byte is kept.
		n = strings.TrimSpace(n)
		if !got[n] {
			t.Errorf("JSON lost the exact bytes of %q", sanitize.Text(n, 40))
		}
	}
	rep := decode[reportJSON](t, c.must("report", "arena-text", "--json").stdout).Boards[0]
	if b := rep.BestOpenNonCN; b != nil {
		t.Errorf("a crafted name answers: best open non-Chinese %q (%s)", sanitize.Text(b.Name, 40), b.OrgBasis)
	}

	for _, args := range [][]string{{"report", "arena-text"}, {"rank", "arena-text"}, {"rank", "arena-text", "--open"}, {"catalog", "check"}} {
		r := c.run(args...)
		if r.code != 0 && r.code != exitUnclassified {
			t.Fatalf("%s: exit %d\n%s", args, r.code, r.stderr)
		}
		for _, out := range []string{r.stdout, r.stderr} {
			if !utf8.ValidString(out) || strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && sanitize.Unsafe(r) }) {
				t.Errorf("%s printed a control, bidi or invisible character:\n%q", args, out)
			}
			if strings.Contains(out, "qwen-injected\n") || strings.Contains(out, "\nrank 1") {
				t.Errorf("%s: a name forged a line:\n%s", args, out)
			}
			if len(out) > 20_000 {
				t.Errorf("%s printed %d bytes: the 100 KB name was not cut", args, len(out))
			}
		}
	}
}
