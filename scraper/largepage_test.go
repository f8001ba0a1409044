package scraper

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/internal/testutil/fetchopt"
	"github.com/arenawatch/arenawatch/source"
)

// TestFetchLargePage: swebench.com's page has been over 4 MiB since
// 2026-02 (per_instance_details on each result). A page of that size goes
// through the real collector, the document checks and the extractor whole
// under the default size cap; a cap below the page fails the board loudly
// instead of cutting the page.
func TestFetchLargePage(t *testing.T) {
	page := largeSWEBenchPage(t, 5<<20)
	srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	b, ok := source.Builtin().Get("swebench-verified")
	if !ok {
		t.Fatal("no board swebench-verified")
	}
	b.Requests = []arenawatch.Request{{Name: "page", URL: srv + "/"}}
	tests := []struct {
		name    string
		maxBody int64 // 0: the default cap (32 MiB)
		wantErr string
	}{
		{name: "DefaultCap"},
		{name: "CapAbovePage", maxBody: int64(len(page))},
		{name: "CapBelowPage", maxBody: 4 << 20, wantErr: "larger than the 4194304-byte size cap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := fetchopt.Fast()
			opt.MaxBodySize = tt.maxBody
			res := (&Runner{Fetcher: fetch.New(opt)}).Board(context.Background(), b)
			if tt.wantErr != "" {
				if res.Err == nil || !strings.Contains(res.Err.Error(), tt.wantErr) || res.Snapshot != nil {
					t.Fatalf("error %v, want one containing %q and nothing stored", res.Err, tt.wantErr)
				}
				return
			}
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			s := res.Snapshot
			if len(s.Rows) != 178 || s.Documents[0].Size != len(page) || len(res.Raw[s.Documents[0].SHA256]) != len(page) {
				t.Errorf("%d rows, document of %d bytes (raw %d), want 178 rows from %d bytes",
					len(s.Rows), s.Documents[0].Size, len(res.Raw[s.Documents[0].SHA256]), len(page))
			}
		})
	}
}

// largeSWEBenchPage returns the SWE-bench fixture grown past min bytes the
// way the live page grew: each Verified result gets a per_instance_details
// object of 500 instances shaped like the real ones
// ({"api_calls", "cost", "resolved"}).
func largeSWEBenchPage(t *testing.T, min int) []byte {
	t.Helper()
	var details strings.Builder
	details.WriteString("{")
	for i := range 500 {
		if i > 0 {
			details.WriteString(", ")
		}
		fmt.Fprintf(&details, `"astropy__astropy-%05d": {"api_calls": %d, "cost": 0.%08d, "resolved": %t}`, 12907+i, 20+i%40, 20452585+i*7919, i%3 != 0)
	}
	details.WriteString("}")
	data, put := testutil.SWEBenchJSON(t, testutil.Fixture(t, "www.swebench.com/index.html"))
	var splits []map[string]json.RawMessage
	if err := json.Unmarshal(data, &splits); err != nil {
		t.Fatal(err)
	}
	for _, s := range splits {
		if string(s["name"]) != `"Verified"` {
			continue
		}
		var results []map[string]json.RawMessage
		if err := json.Unmarshal(s["results"], &results); err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			r["per_instance_details"] = json.RawMessage(details.String())
		}
		s["results"], _ = json.Marshal(results)
	}
	data, err := json.Marshal(splits)
	if err != nil {
		t.Fatal(err)
	}
	page := put(data)
	if len(page) <= min {
		t.Fatalf("page of %d bytes, want over %d", len(page), min)
	}
	return page
}
