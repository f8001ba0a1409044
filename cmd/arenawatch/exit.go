package main

import (
	"errors"

	"github.com/arenawatch/arenawatch"
)

// Exit codes. This table is the one place they are defined; the README
// repeats it. Scripts should treat any code not listed as a failure.
const (
	exitOK           = 0   // everything asked for was done
	exitFailure      = 1   // a board failed to scrape, or another error
	exitUsage        = 2   // bad flags, arguments or config
	exitNoData       = 3   // nothing stored for what was asked (report/rank)
	exitUnclassified = 4   // catalog check found rows the catalog cannot classify
	exitLocked       = 11  // the database is held by another arenawatch
	exitDamaged      = 12  // stored data cannot be read back: a damaged database file or record, a corrupt import file
	exitInterrupted  = 130 // SIGINT/SIGTERM
)

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	if errors.Is(err, errUnclassified) {
		return exitUnclassified
	}
	switch arenawatch.KindOf(err) {
	case arenawatch.KindInvalid:
		return exitUsage
	case arenawatch.KindNotFound:
		return exitNoData
	case arenawatch.KindLocked:
		return exitLocked
	case arenawatch.KindInterrupted:
		return exitInterrupted
	case arenawatch.KindDamaged:
		return exitDamaged
	}
	return exitFailure
}

// usageError is a command-line mistake: exit 2 and a pointer to --help.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// errUnclassified is returned by catalog check when it listed something.
var errUnclassified = errors.New("the catalog cannot classify some rows")

// errBoardsFailed is returned by scrape when at least one board failed;
// the per-board lines have already said why.
var errBoardsFailed = errors.New("some boards failed")
