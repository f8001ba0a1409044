package notify

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestMessageText(t *testing.T) {
	at := time.Date(2026, 11, 28, 17, 0, 0, 0, time.FixedZone("CET", 3600))
	lead := Change{Board: "hf-text-raw", Kind: KindLeadingOpen, From: "DeepSeek-R1-0528 (DeepSeek, CN)", To: "GLM-4.5 (Z.ai, CN)", Why: "new model"}
	move := Change{Board: "hf-text-raw", Kind: KindOpenPosition, Model: "Gemma-3-27B-it (Google, US)", From: "9th", To: "12th",
		Detail: "Chinese open models above: 8 → 11", Why: "score change"}
	flip := Change{Board: "arena-text", Kind: KindLeadingOpen, From: "Athene-v2-Chat-72B (Nexusflow, US)", To: "DeepSeek-R1 (DeepSeek, CN)",
		Flip: "non-Chinese → Chinese", Why: "new model"}
	fail := failure("openlm-arena", 3, "markup_drift", "openlm-arena: table.sortable has no license column\n\x1b[2J")
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{"Empty", Message{At: at}, ""},
		{"Changes", Message{At: at, Changes: []Change{lead, move}},
			"arenawatch: the open-model answer changed on 1 board (scrape of 2026-11-28 16:00 UTC)\n" +
				"hf-text-raw: leading open model: DeepSeek-R1-0528 (DeepSeek, CN) → GLM-4.5 (Z.ai, CN); why: new model\n" +
				"hf-text-raw: best open non-Chinese model Gemma-3-27B-it (Google, US) moved 9th → 12th among open models (Chinese open models above: 8 → 11); why: score change"},
		{"FlipAndFailure", Message{At: at, Changes: []Change{flip}, Failures: []Failure{fail}},
			"arenawatch: the open-model answer changed on 1 board; 1 board kept failing (scrape of 2026-11-28 16:00 UTC)\n" +
				"arena-text: leading open model: Athene-v2-Chat-72B (Nexusflow, US) → DeepSeek-R1 (DeepSeek, CN); the top flips non-Chinese → Chinese; why: new model\n" +
				`openlm-arena: failed 3 runs in a row; last error (markup_drift): openlm-arena: table.sortable has no license column\n\x1b[2J`},
		{"Reclassified", Message{At: at, Changes: []Change{{Board: "b", Kind: KindFlip, Model: "M (O, US)", From: "unknown origin", To: "non-Chinese", Why: "reclassification"}}},
			"arenawatch: the open-model answer changed on 1 board (scrape of 2026-11-28 16:00 UTC)\n" +
				"b: leading open model M (O, US) is now non-Chinese, was unknown origin; why: reclassification"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Text(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if tt.m.Empty() != (tt.want == "") {
				t.Errorf("Empty() = %v", tt.m.Empty())
			}
		})
	}
}

// TestMessageCut: a run that changes more boards than a message lists
// ends with how many more there are.
func TestMessageCut(t *testing.T) {
	m := Message{At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i := range maxLines + 5 {
		m.Changes = append(m.Changes, Change{Board: fmt.Sprintf("b%d", i), Kind: KindLeadingOpen, From: "x", To: "y"})
	}
	lines := strings.Split(m.Text(), "\n")
	if len(lines) != maxLines+2 || lines[len(lines)-1] != "… and 5 more" || !strings.Contains(lines[0], "45 boards") {
		t.Errorf("%d lines, heading %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}

func TestFailureSanitized(t *testing.T) {
	f := failure("b", 3, "blocked", strings.Repeat("é", 500)+"\x1b]0;x\x07")
	if strings.ContainsRune(f.Message, 0x1b) || len([]rune(f.Message)) != maxError || !strings.HasSuffix(f.Message, "…") {
		t.Errorf("message not cut to %d runes: %d, %q…", maxError, len([]rune(f.Message)), f.Message[:20])
	}
}
