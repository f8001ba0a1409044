package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress is the progress bar of a long command at a terminal (count,
// rate, and the share done when the total is known). Every method does
// nothing when bar is nil: not a terminal, --quiet or --json, so cron and
// scripts see nothing of it.
type progress struct{ bar *progressbar.ProgressBar }

// progressBar makes a bar for total items (-1: not known, a count and a
// rate only) on the raw stderr (it moves the cursor with \r, which the
// sanitizing writer would escape), when stderr is a terminal and silent is
// false.
func (e *env) progressBar(total int, what, unit string, silent bool) *progress {
	if total == 0 || silent || !isTerminal(e.rawStderr) {
		return &progress{}
	}
	return &progress{bar: newProgressBar(e.rawStderr, total, what, unit)}
}

func newProgressBar(w io.Writer, total int, what, unit string) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func (p *progress) describe(what string) {
	if p.bar != nil {
		p.bar.Describe(what)
	}
}

func (p *progress) add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

// clear takes the bar off its line before other lines are printed; the
// next add draws it again below them.
func (p *progress) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
	}
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
