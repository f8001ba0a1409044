package notify

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
)

// row is one leaderboard row as LMArena's dataset (hf-text-raw) lists
// it: model, organization (nil: none stated), licence, score.
type row struct {
	model, org, license string
	score               float64
	noOrg               bool
}

// snap builds a snapshot of rows ranked by score, a closed model first
// so that the open positions differ from the ranks.
func snap(rows ...row) *arenawatch.Snapshot {
	s := &arenawatch.Snapshot{Board: "hf-text-raw", FetchedAt: time.Date(2025, 2, 18, 0, 0, 0, 0, time.UTC), Origin: "imported"}
	s.Rows = append(s.Rows, arenawatch.Row{Model: "Gemini-Exp-1206", Organization: arenawatch.Str("Google"), License: arenawatch.Str("Proprietary"), Score: 1400})
	for _, r := range rows {
		ar := arenawatch.Row{Model: r.model, License: arenawatch.Str(r.license), Score: r.score}
		if !r.noOrg {
			ar.Organization = arenawatch.Str(r.org)
		}
		s.Rows = append(s.Rows, ar)
	}
	return s
}

// Rows of LMArena's text board without style control (the dataset
// 'lmarena-ai/leaderboard-dataset', config text), with their real scores
// on the publish date named.
var (
	athene1220   = row{"Athene-v2-Chat-72B", "Nexusflow", "NexusFlow", 1277, false}
	nemotron1220 = row{"Llama-3.1-Nemotron-70B-Instruct", "NVIDIA", "Llama 3.1", 1269, false}
	llama1220    = row{"Meta-Llama-3.1-405B-Instruct-bf16", "Meta", "Llama 3.1 Community", 1266, false}
	dsv25_1220   = row{"Deepseek-v2.5", "DeepSeek", "DeepSeek", 1258, false}

	r1_0218       = row{"DeepSeek-R1", "DeepSeek", "MIT", 1361, false}
	v3_0218       = row{"DeepSeek-V3", "DeepSeek", "DeepSeek", 1317, false}
	dsv25_1210    = row{"Deepseek-v2.5-1210", "DeepSeek", "DeepSeek", 1279, false}
	athene0218    = row{"Athene-v2-Chat-72B", "Nexusflow", "NexusFlow", 1275, false}
	nemotron0218  = row{"Llama-3.1-Nemotron-70B-Instruct", "NVIDIA", "Llama 3.1", 1268, false}
	llama0218     = row{"Meta-Llama-3.1-405B-Instruct-bf16", "Meta", "Llama 3.1 Community", 1269, false}
	llama405_0814 = row{"Meta-Llama-3.1-405b-Instruct", "Meta", "Llama 3.1 Community", 1266, false}
	llama405_1016 = row{"Meta-Llama-3.1-405b-Instruct-fp8", "Meta", "Llama 3.1 Community", 1267, false}

	starling0619 = row{"Starling-LM-7B-beta", "Nexusflow", "Apache-2.0", 1119, false}
	yi0619       = row{"Yi-34B-Chat", "01.AI", "Yi License", 1111, false}
)

func TestDetect(t *testing.T) {
	opt := history.Options{Rule: arenawatch.RankByScore, Catalog: ranking.Embedded()}
	// The same row with no organization: its origin is unknown (no
	// brand prefix or catalog rule names Starling's developer), while its
	// licence keeps it open.
	starlingNoOrg := starling0619
	starlingNoOrg.noOrg = true
	tests := []struct {
		name     string
		old, cur []row
		want     []Change
	}{
		{"SameRows", []row{athene1220, nemotron1220}, []row{athene1220, nemotron1220}, nil},
		{
			// 2024-12-20 → 2025-02-18: DeepSeek-R1 arrives and leads; Athene
			// stays the best non-Chinese open model, but three Chinese open
			// models now score above it (1361, 1317, 1279 > 1275): 1st → 4th.
			"NewChineseLeader",
			[]row{athene1220, nemotron1220, dsv25_1220},
			[]row{r1_0218, v3_0218, dsv25_1210, athene0218, nemotron0218},
			[]Change{
				{Board: "b", Kind: KindLeadingOpen, From: "Athene-v2-Chat-72B (Nexusflow, US)", To: "DeepSeek-R1 (DeepSeek, CN)",
					Flip: "non-Chinese → Chinese", Why: "new model"},
				{Board: "b", Kind: KindOpenPosition, Model: "Athene-v2-Chat-72B (Nexusflow, US)", From: "1st", To: "4th",
					Detail: "Chinese open models above: 0 → 3",
					Why:    "3 new open models above it (DeepSeek-R1, DeepSeek-V3, Deepseek-v2.5-1210)"},
			},
		},
		{
			// The same two models on both dates; their scores swapped order
			// (1269 > 1266, then 1268 < 1269): both answers change, by score.
			"ScoresReorder",
			[]row{nemotron1220, llama1220},
			[]row{nemotron0218, llama0218},
			[]Change{
				{Board: "b", Kind: KindLeadingOpen, From: "Llama-3.1-Nemotron-70B-Instruct (NVIDIA, US)", To: "Meta-Llama-3.1-405B-Instruct-bf16 (Meta, US)", Why: "score change"},
				{Board: "b", Kind: KindBestNonCN, From: "Llama-3.1-Nemotron-70B-Instruct (NVIDIA, US), 1st among open models",
					To: "Meta-Llama-3.1-405B-Instruct-bf16 (Meta, US), 1st among open models", Why: "score change"},
			},
		},
		{
			// 2024-08-14 → 2024-10-16: the dataset renamed its leader.
			"Renamed",
			[]row{llama405_0814, dsv25_1220},
			[]row{llama405_1016, dsv25_1220},
			[]Change{
				{Board: "b", Kind: KindLeadingOpen, From: "Meta-Llama-3.1-405b-Instruct (Meta, US)", To: "Meta-Llama-3.1-405b-Instruct-fp8 (Meta, US)", Why: "new model, dropped out"},
				{Board: "b", Kind: KindBestNonCN, From: "Meta-Llama-3.1-405b-Instruct (Meta, US), 1st among open models",
					To: "Meta-Llama-3.1-405b-Instruct-fp8 (Meta, US), 1st among open models", Why: "new model, dropped out"},
			},
		},
		{
			// 2024-06-19 rows; the leader gains its organization label:
			// unknown origin → non-Chinese, and it becomes the best
			// non-Chinese open model (there was none: Yi is Chinese).
			"Relabelled",
			[]row{starlingNoOrg, yi0619},
			[]row{starling0619, yi0619},
			[]Change{
				{Board: "b", Kind: KindFlip, Model: "Starling-LM-7B-beta (Nexusflow, US)", From: "unknown origin", To: "non-Chinese",
					Flip: "unknown origin → non-Chinese", Why: "reclassification"},
				{Board: "b", Kind: KindBestNonCN, From: "none", To: "Starling-LM-7B-beta (Nexusflow, US), 1st among open models", Why: "reclassification"},
			},
		},
		{
			// A Chinese model falls out of the top: Athene moves up from 2nd
			// to 1st and leads; DeepSeek-V3's row is gone.
			"ChineseLeaderDropped",
			[]row{v3_0218, athene0218},
			[]row{athene0218},
			[]Change{
				{Board: "b", Kind: KindLeadingOpen, From: "DeepSeek-V3 (DeepSeek, CN)", To: "Athene-v2-Chat-72B (Nexusflow, US)",
					Flip: "Chinese → non-Chinese", Why: "dropped out"},
				{Board: "b", Kind: KindOpenPosition, Model: "Athene-v2-Chat-72B (Nexusflow, US)", From: "2nd", To: "1st",
					Detail: "Chinese open models above: 1 → 0", Why: "1 open model above it dropped out (DeepSeek-V3)"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Detect("b", snap(tt.old...), snap(tt.cur...), opt)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDetectSanitizes(t *testing.T) {
	opt := history.Options{Rule: arenawatch.RankByScore, Catalog: ranking.Embedded()}
	hostile := row{"evil\x1b]0;owned\x07-" + strings.Repeat("x", 200), "Meta", "Llama 3.1 Community", 1300, false}
	got := Detect("b", snap(athene1220), snap(hostile, athene1220), opt)
	if len(got) == 0 {
		t.Fatal("no change")
	}
	to := got[0].To
	if strings.ContainsRune(to, 0x1b) || strings.ContainsRune(to, 0x07) || !strings.Contains(to, `\x1b`) || !strings.Contains(to, "…") || len([]rune(to)) > maxName+len(" (Meta, US)") {
		t.Errorf("name not sanitized and cut: %q", to)
	}
}
