package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch/internal/testutil"
)

// customSite serves one leaderboard three ways: an HTML table, a JSON API
// that wants a bearer token, and a CSV. Values are real (openlm.ai
// Chatbot Arena+, 2026-08-22, see fixtures/README.md).
func customSite(t *testing.T) string {
	rows := []struct{ model, org, license, score string }{
		{"claude opus 5", "Anthropic", "Proprietary", "1511"},
		{"kimi-k3", "Moonshot", "Kimi K3", "1506"},
		{"glm-5.3", "Z.ai", "MIT", "1505"},
		{"deepseek-v4-pro", "DeepSeek", "MIT", "1502"},
		{"gemma-4-31b-it", "Google", "Apache 2.0", "1441"},
		{"gpt-oss-120b", "OpenAI", "Apache 2.0", "1398"},
	}
	var html, csv, js strings.Builder
	html.WriteString(`<html><body><table id="lb"><thead><tr><th>Score ▼</th><th>Model</th><th>Lab</th><th>Licence</th></tr></thead><tbody>`)
	csv.WriteString("model,lab,licence,elo\r\n")
	js.WriteString(`{"data":{"items":[`)
	for i, r := range rows {
		html.WriteString("<tr><td>" + r.score + "</td><td>" + r.model + "</td><td>" + r.org + "</td><td>" + r.license + "</td></tr>")
		csv.WriteString(r.model + "," + r.org + "," + r.license + "," + r.score + "\r\n")
		if i > 0 {
			js.WriteString(",")
		}
		js.WriteString(`{"name":"` + r.model + `","lab":{"name":"` + r.org + `"},"license":"` + r.license + `","elo":` + r.score + `}`)
	}
	html.WriteString("</tbody></table></body></html>")
	js.WriteString(`]}}`)
	return testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/table":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(html.String()))
		case "/api":
			if r.Header.Get("Authorization") != "Bearer s3cret" || r.Method != "POST" {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(js.String()))
		case "/board.csv":
			w.Write([]byte(csv.String()))
		default:
			http.NotFound(w, r)
		}
	}))
}

func writeConfig(t *testing.T, c *cli, body string) {
	t.Helper()
	dir := filepath.Join(c.home, ".config", "arenawatch")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUserDefinedSources(t *testing.T) {
	site := customSite(t)
	c := newCLI(t)
	c.env["LB_TOKEN"] = "s3cret"
	writeConfig(t, c, `
fetch: {host_delay: 1ms}
sources:
  - id: my-table
    kind: htmltable
    url: `+site+`/table
    rows: "table#lb tbody tr"
    min_rows: 5
    fields: {model: Model, score: Score, organization: Lab, license: Licence}
  - id: my-api
    kind: json
    url: `+site+`/api
    method: POST
    body: '{"board":"text"}'
    headers: {Authorization: "Bearer ${LB_TOKEN}"}
    rows: data.items
    min_rows: 5
    fields: {model: name, score: elo, organization: lab.name, license: license}
  - id: my-csv
    kind: csv
    url: `+site+`/board.csv
    min_rows: 5
    fields: {model: model, score: elo, organization: lab, license: licence}
`)
	r := c.must("scrape", "my-table", "my-api", "my-csv", "--json")
	for _, b := range decode[scrapeJSON](t, r.stdout).Boards {
		if b.Status != "stored" || b.Rows != 6 {
			t.Errorf("%s: %s, %d rows %+v", b.Board, b.Status, b.Rows, b.Error)
		}
	}
	rep := decode[reportJSON](t, c.must("report", "my-table", "my-api", "my-csv", "--json").stdout)
	for _, b := range rep.Boards {
		if b.LeadingOpen == nil || b.LeadingOpen.Model != "kimi-k3" || b.BestOpenNonCN == nil || b.BestOpenNonCN.Model != "gemma-4-31b-it" || b.ChineseOpenAbove != 3 {
			t.Errorf("%s: leading %+v, best %+v, %d Chinese above", b.Board, b.LeadingOpen, b.BestOpenNonCN, b.ChineseOpenAbove)
		}
	}

	// Without the token the JSON source is skipped with one line (none
	// with --quiet); the others still run.
	delete(c.env, "LB_TOKEN")
	r = c.run("scrape", "my-table", "my-api", "my-csv")
	if r.code != 0 || !strings.HasPrefix(r.stderr, "arenawatch: my-api: skipped: environment variable LB_TOKEN is not set\n") {
		t.Errorf("missing secret: exit %d, stderr %q", r.code, r.stderr)
	}
	if r = c.run("scrape", "my-table", "my-api", "my-csv", "--quiet"); r.code != 0 || r.stderr != "" {
		t.Errorf("missing secret, --quiet: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUserDefinedSourceErrors(t *testing.T) {
	tests := []struct{ name, source, want string }{
		{"BadSelector", "kind: htmltable\n    url: http://x.example/\n    rows: 'td['\n    fields: {model: M, score: S}", `config source "bad": bad: rows selector "td["`},
		{"NoScore", "kind: csv\n    url: http://x.example/\n    fields: {model: M}", "score is required"},
		{"UnknownField", "kind: csv\n    url: http://x.example/\n    fields: {model: M, score: S, colour: C}", "unknown fields colour"},
		{"UnknownKind", "kind: xml\n    url: http://x.example/\n    fields: {model: M, score: S}", `kind "xml"`},
		{"RelativeURL", "kind: csv\n    url: /x\n    fields: {model: M, score: S}", "absolute http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			writeConfig(t, c, "sources:\n  - id: bad\n    "+tt.source+"\n")
			r := c.run("sources")
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, exitUsage, tt.want)
			}
		})
	}
	t.Run("DuplicateID", func(t *testing.T) {
		c := newCLI(t)
		writeConfig(t, c, "sources:\n  - id: arena-text\n    kind: csv\n    url: http://x.example/\n    fields: {model: M, score: S}\n")
		if r := c.run("sources"); r.code != exitUsage || !strings.Contains(r.stderr, "already exists") {
			t.Fatalf("exit %d, %q", r.code, r.stderr)
		}
	})
	t.Run("MarkupDrift", func(t *testing.T) {
		site := customSite(t)
		c := newCLI(t)
		writeConfig(t, c, "sources:\n  - id: drifted\n    kind: htmltable\n    url: "+site+"/table\n    rows: 'table#lb tbody tr'\n    fields: {model: Model, score: Rating}\n")
		r := c.run("scrape", "drifted")
		if r.code != exitFailure || !strings.Contains(r.stderr, `columns missing: score ("Rating")`) {
			t.Fatalf("exit %d, %q", r.code, r.stderr)
		}
	})
}
