package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/arenawatch/arenawatch/sanitize"
)

// boardLines prints the per-board status lines of scrape, sources --check
// and import for people, in one layout and on one stream (stderr: stdout
// is for answers and JSON):
//
//	arena-text                   stored     214 rows, as of 2025-11-06 (0.1s)
//	openlm-arena                 FAILED     markup drift: https://…: …
//	                                        hint: …
//
// The board column is as wide as the longest board id of the run (at
// least 28). Messages quote pages, so they are escaped and cut.
type boardLines struct {
	w     io.Writer
	width int
}

// lines returns the printer for a run over boards with these ids.
func (e *env) lines(ids []string) boardLines {
	w := 28
	for _, id := range ids {
		w = max(w, len(id))
	}
	return boardLines{w: e.stderr, width: w}
}

// status prints a board's line: its id, a status word and the detail.
func (l boardLines) status(board, status, detail string) {
	fmt.Fprintf(l.w, "%-*s %-10s %s\n", l.width, board, status, detail)
}

// more prints a continuation line under the detail column.
func (l boardLines) more(text string) {
	fmt.Fprintf(l.w, "%-*s            %s\n", l.width, "", text)
}

// failure prints a FAILED line for err (the board's id is not repeated
// from the message), and its hint below.
func (l boardLines) failure(board string, err *errorJSON) {
	msg := strings.TrimPrefix(err.Message, board+": ")
	l.status(board, "FAILED", strings.ReplaceAll(err.Kind, "_", " ")+": "+sanitize.Text(msg, maxMessage))
	if err.Hint != "" {
		l.more("hint: " + sanitize.Text(err.Hint, maxMessage))
	}
}
