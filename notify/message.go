package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch/sanitize"
)

// Failure is a board whose streak of failed runs reached the threshold
// in this run. Its JSON field names are part of 'scrape --json'.
type Failure struct {
	Board string `json:"board"`
	// Failures is the number of failed runs in a row, this one included.
	Failures int `json:"failures"`
	// Kind is the error kind's slug of this run's failure (markup_drift).
	Kind string `json:"kind"`
	// Message is this run's error, sanitized and cut.
	Message string `json:"message"`
}

// maxError is where an error message is cut in a message line, in runes.
const maxError = 240

// maxLines is the most lines a message lists; a run that changes more
// boards ends with "… and N more", so that chat services take it.
const maxLines = 40

// Message is what one run has to say: the changes of every board and the
// boards that reached their failure threshold.
type Message struct {
	// At is the time of the run the message reports.
	At       time.Time
	Changes  []Change
	Failures []Failure
}

// Empty reports whether there is nothing to send.
func (m Message) Empty() bool { return len(m.Changes) == 0 && len(m.Failures) == 0 }

// Text is the message in plain text: a heading, then one line per change
// ("BOARD: leading open model: OLD → NEW; why: …") and per failing
// board. Every name from a page was sanitized and cut when the change was
// made; the text has no markup, so every service shows it as it is.
func (m Message) Text() string {
	if m.Empty() {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.heading())
	var lines []string
	for _, c := range m.Changes {
		lines = append(lines, c.line())
	}
	for _, f := range m.Failures {
		lines = append(lines, fmt.Sprintf("%s: failed %d runs in a row; last error (%s): %s", f.Board, f.Failures, f.Kind, f.Message))
	}
	for i, l := range lines {
		if i == maxLines {
			fmt.Fprintf(&b, "\n… and %d more", len(lines)-maxLines)
			break
		}
		b.WriteString("\n" + l)
	}
	return b.String()
}

// heading is the first line: what happened, how many boards, when.
func (m Message) heading() string {
	boards := map[string]bool{}
	for _, c := range m.Changes {
		boards[c.Board] = true
	}
	var parts []string
	if n := len(boards); n > 0 {
		parts = append(parts, fmt.Sprintf("the open-model answer changed on %s", count(n, "board")))
	}
	if n := len(m.Failures); n > 0 {
		parts = append(parts, fmt.Sprintf("%s kept failing", count(n, "board")))
	}
	return fmt.Sprintf("arenawatch: %s (scrape of %s UTC)", strings.Join(parts, "; "), m.At.UTC().Format("2006-01-02 15:04"))
}

// line is a change in one line of text.
func (c Change) line() string {
	var what string
	switch c.Kind {
	case KindLeadingOpen:
		what = "leading open model: " + c.From + " → " + c.To
		if c.Flip != "" {
			what += "; the top flips " + c.Flip
		}
	case KindBestNonCN:
		what = "best open non-Chinese model: " + c.From + " → " + c.To
	case KindOpenPosition:
		what = "best open non-Chinese model " + c.Model + " moved " + c.From + " → " + c.To + " among open models"
		if c.Detail != "" {
			what += " (" + c.Detail + ")"
		}
	case KindFlip:
		what = "leading open model " + c.Model + " is now " + c.To + ", was " + c.From
	default:
		what = c.Kind + ": " + c.From + " → " + c.To
	}
	if c.Why != "" {
		what += "; why: " + c.Why
	}
	return c.Board + ": " + what
}

// failure makes the Failure of board's run, its error sanitized and cut
// to one line.
func failure(board string, n int, kind, message string) Failure {
	return Failure{Board: board, Failures: n, Kind: kind, Message: sanitize.Text(message, maxError)}
}
