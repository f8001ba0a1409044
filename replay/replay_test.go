package replay

import (
	"net/http"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

func TestReplayServer(t *testing.T) {
	rp, err := Start(testutil.FixturesDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rp.Close() })
	hosts := strings.Join(rp.Hosts(), ",")
	for _, h := range []string{"arena.ai", "openlm.ai", "www.designarena.ai"} {
		if !strings.Contains(hosts, h) {
			t.Fatalf("hosts %s: no %s", hosts, h)
		}
	}
	if strings.Contains(hosts, "blocked") {
		t.Fatalf("hosts %s: a directory without a dot is not a host", hosts)
	}
	if got := rp.Rewrite("https://elsewhere.example/x"); got != "https://elsewhere.example/x" {
		t.Fatalf("a host not replayed was rewritten: %s", got)
	}
	base := rp.Rewrite("https://www.designarena.ai/")
	website := `{"arenaType":"models","category":"website","variationName":"public","inputModality":"text"}`
	tests := []struct {
		method, path, body string
		status             int
		ctype              string
	}{
		{"POST", "api/leaderboard", website, 200, "application/json"},
		{"POST", "api/leaderboard", `{"arenaType":"models","category":"svg"}`, 404, ""}, // a body never recorded
		{"GET", "api/registry", "", 200, "application/json"},
		{"GET", "api/nothing", "", 404, ""},
		{"GET", "../arena.ai/leaderboard/text", "", 404, ""},
		{"GET", "robots.txt", "", 404, ""},
		{"DELETE", "api/registry", "", 405, ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status || (tt.ctype != "" && resp.Header.Get("Content-Type") != tt.ctype) {
			t.Errorf("%s %s %s: %d %q, want %d %q", tt.method, tt.path, tt.body, resp.StatusCode, resp.Header.Get("Content-Type"), tt.status, tt.ctype)
		}
	}
	if _, err := Start(t.TempDir()); arenawatch.KindOf(err) != arenawatch.KindInvalid {
		t.Fatalf("empty replay dir: %v", err)
	}
}

func TestExchangeKey(t *testing.T) {
	a := ExchangeKey("offset=0&length=100&dataset=a/b", nil)
	if b := ExchangeKey("dataset=a/b&length=100&offset=0", nil); a != b {
		t.Errorf("parameter order changed the key: %q vs %q", a, b)
	}
	if a != "q-dataset=a_b,length=100,offset=0" {
		t.Errorf("key %q", a)
	}
	if ExchangeKey("", nil) != "" || ExchangeKey("", []byte("x")) == ExchangeKey("", []byte("y")) {
		t.Error("body keys do not tell bodies apart")
	}
	long := ExchangeKey("q="+strings.Repeat("x", 500), nil)
	if len(long) > 130 || long == ExchangeKey("q="+strings.Repeat("x", 499), nil) {
		t.Errorf("long key %d bytes, or not unique", len(long))
	}
}
