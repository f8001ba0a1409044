package arenawatch

import "testing"

func TestBoardURLs(t *testing.T) {
	tests := []struct {
		name           string
		board          Board
		url, sourceURL string
	}{
		{"no requests", Board{ID: "x"}, "", ""},
		{"live", Board{Requests: []Request{{Name: "page", URL: "https://arena.ai/leaderboard/text"}}},
			"https://arena.ai/leaderboard/text", "https://arena.ai/leaderboard/text"},
		{"replayed", Board{Requests: []Request{{Name: "page", URL: "http://127.0.0.1:4242/leaderboard/text", Canonical: "https://arena.ai/leaderboard/text"}}},
			"http://127.0.0.1:4242/leaderboard/text", "https://arena.ai/leaderboard/text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.board.URL(); got != tt.url {
				t.Errorf("URL() = %q, want %q", got, tt.url)
			}
			if got := tt.board.SourceURL(); got != tt.sourceURL {
				t.Errorf("SourceURL() = %q, want %q", got, tt.sourceURL)
			}
		})
	}
}

func TestRankRuleBy(t *testing.T) {
	if RankOwn.By() != "source rank" || RankByScore.By() != "score" {
		t.Errorf("By: %q, %q", RankOwn.By(), RankByScore.By())
	}
}
