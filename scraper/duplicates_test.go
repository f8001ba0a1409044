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

// lmarena20250804Tail is the tail of LMArena's text board (raw scores) of
// 2025-08-04, ranks 192–214, as published: LMArena listed Yi-34B-Chat twice,
// at ranks 200 and 201, with identical values. Source:
// fboulnois/llm-leaderboard-csv csv/lmarena_text.csv @ e964e252a171
// (leaderboard version 2025-08-04); columns rank, model, score, ±CI,
// votes, organization, licence.
var lmarena20250804Tail = []struct {
	rank         int
	model        string
	score, ci    float64
	votes        int64
	org, license string
}{
	{192, "Phi-3-Medium-4k-Instruct", 1143, 4, 26105, "Microsoft", "MIT"},
	{193, "Starling-LM-7B-beta", 1138, 7, 16676, "Nexusflow", "Apache-2.0"},
	{194, "Mixtral-8x7B-Instruct-v0.1", 1138, 3, 76126, "Mistral", "Apache 2.0"},
	{195, "GPT-3.5-Turbo-0314", 1137, 11, 5640, "OpenAI", "Proprietary"},
	{196, "Gemini Pro", 1137, 11, 6557, "Google", "Proprietary"},
	{197, "Granite-3.1-2B-Instruct", 1135, 10, 3380, "IBM", "Apache 2.0"},
	{198, "Claude-Instant-1", 1135, 7, 20631, "Anthropic", "Proprietary"},
	{199, "Qwen1.5-14B-Chat", 1135, 6, 18687, "Alibaba", "Qianwen LICENSE"},
	{200, "Yi-34B-Chat", 1134, 6, 15917, "01 AI", "Yi License"},
	{201, "Yi-34B-Chat", 1134, 6, 15917, "01 AI", "Yi License"},
	{202, "GPT-3.5-Turbo-0125", 1131, 4, 68867, "OpenAI", "Proprietary"},
	{203, "Tulu-2-DPO-70B", 1127, 9, 6658, "AllenAI/UW", "AI2 ImpACT Low-risk"},
	{204, "DBRX-Instruct-Preview", 1125, 5, 33743, "Databricks", "DBRX LICENSE"},
	{205, "WizardLM-70B-v1.0", 1125, 9, 8383, "Microsoft", "Llama 2 Community"},
	{206, "Llama-2-70B-chat", 1122, 5, 39595, "Meta", "Llama 2 Community"},
	{207, "Nous-Hermes-2-Mixtral-8x7B-DPO", 1119, 11, 3836, "NousResearch", "Apache-2.0"},
	{208, "Meta-Llama-3.2-3B-Instruct", 1117, 7, 8390, "Meta", "Llama 3.2"},
	{209, "Phi-3-Small-8k-Instruct", 1117, 5, 18476, "Microsoft", "MIT"},
	{210, "Starling-LM-7B-alpha", 1114, 7, 10415, "UC Berkeley", "CC-BY-NC-4.0"},
	{211, "OpenChat-3.5-0106", 1113, 7, 12990, "OpenChat", "Apache-2.0"},
	{212, "Vicuna-33B", 1112, 5, 22936, "LMSYS", "Non-commercial"},
	{213, "DeepSeek-LLM-67B-Chat", 1110, 11, 4988, "DeepSeek AI", "DeepSeek License"},
	{214, "Snowflake Arctic Instruct", 1108, 5, 34173, "Snowflake", "Apache 2.0"},
}

// repeatedRowsPage builds an arena.ai page in the 2026 live structure
// (entries without modelKey, keyed by display name) from the real rows,
// with a copy of Yi-34B-Chat changed by change (nil: the real, identical
// repeat).
func repeatedRowsPage(t *testing.T, change func(e map[string]any)) []byte {
	t.Helper()
	var entries []map[string]any
	for _, r := range lmarena20250804Tail {
		e := map[string]any{
			"rank": r.rank, "modelDisplayName": r.model, "rating": r.score,
			"ratingLower": r.score - r.ci, "ratingUpper": r.score + r.ci, "votes": r.votes,
			"modelOrganization": r.org, "license": r.license,
		}
		if r.rank == 201 && change != nil {
			change(e)
		}
		entries = append(entries, e)
	}
	board := map[string]any{"leaderboard": map[string]any{
		"arenaSlug": "text", "leaderboardSlug": "overall-no-style-control",
		"params":  map[string]any{"category": "overall", "styleControl": false},
		"id":      "5b1e8a1c-2f0e-4c8e-9d0a-7f3b2c1d4e5f",
		"entries": entries,
	}}
	b, err := json.Marshal([]any{"$", "$L2b", nil, board})
	if err != nil {
		t.Fatal(err)
	}
	return testutil.FlightPage(t, "2a:"+string(b)+"\n", 700, "")
}

// TestRepeatedRowsStore: a real page that lists a model twice does not sink
// the board. An identical repeat is dropped with a note; a repeat with other
// values is kept apart under its own key, with a note.
func TestRepeatedRowsStore(t *testing.T) {
	tests := []struct {
		name     string
		change   func(e map[string]any)
		rows     int
		wantKeys []string
		note     string
	}{
		{"identical, as published", nil, 22, []string{"Yi-34B-Chat"}, "1 exact duplicate rows dropped: Yi-34B-Chat [2] (as Yi-34B-Chat)"},
		{"other votes", func(e map[string]any) { e["votes"] = 15000 }, 23, []string{"Yi-34B-Chat", "Yi-34B-Chat [2]"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := repeatedRowsPage(t, tt.change)
			srv := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/leaderboard/text/overall-no-style-control" {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.Write(page)
					return
				}
				http.NotFound(w, r)
			}))
			b, _ := source.Builtin().Get("arena-text-raw")
			b.Requests = []arenawatch.Request{{Name: "page", URL: srv + "/leaderboard/text/overall-no-style-control"}}
			r := &Runner{Fetcher: fetch.New(fetchopt.Fast())}
			res := r.Board(context.Background(), b)
			if res.Err != nil {
				t.Fatalf("the board failed: %v", res.Err)
			}
			s := res.Snapshot
			var keys []string
			for _, row := range s.Rows {
				if strings.HasPrefix(row.Model, "Yi-34B-Chat") {
					keys = append(keys, row.Model)
					if row.DisplayName() != "Yi-34B-Chat" {
						t.Errorf("%s shows as %q", row.Model, row.DisplayName())
					}
				}
			}
			if len(s.Rows) != tt.rows || fmt.Sprint(keys) != fmt.Sprint(tt.wantKeys) {
				t.Errorf("%d rows, Yi keys %q; want %d, %q", len(s.Rows), keys, tt.rows, tt.wantKeys)
			}
			if tt.note != "" && !strings.Contains(strings.Join(s.Notes, "\n"), tt.note) {
				t.Errorf("notes %q do not say %q", s.Notes, tt.note)
			}
			if s.ContentHash == "" || s.Partial() {
				t.Errorf("content hash %q, partial %v", s.ContentHash, s.Partial())
			}
		})
	}
}
