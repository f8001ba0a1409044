package arenawatch

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what sort of failure an error is. The set is small and closed so
// that the CLI can map every error to one exit code in one place, and so that
// a caller can decide to retry (Transient) or to alert (Drift, Blocked)
// without parsing messages.
type Kind int

// The kinds of error. New kinds are appended, never renumbered.
const (
	// KindInternal is a bug or an unexpected condition in arenawatch itself.
	KindInternal Kind = iota
	// KindInvalid is bad input from the user: a flag, a config file, a board id.
	KindInvalid
	// KindNotFound means the thing asked for does not exist, e.g. no snapshot
	// of a board at or before the requested time.
	KindNotFound
	// KindLocked means another process holds the database.
	KindLocked
	// KindTransient is a failure that may pass on its own: a timeout, a
	// connection reset, HTTP 429 or 5xx after the retries ran out.
	KindTransient
	// KindDrift means the page arrived but no longer has the shape the
	// extractor knows: a key, a selector or a column is missing, or the rows
	// fail validation.
	KindDrift
	// KindBlocked means the site refused us: HTTP 401/403, a Cloudflare
	// challenge, or robots.txt.
	KindBlocked
	// KindInterrupted means the user or the system cancelled the run.
	KindInterrupted
	// KindDamaged means stored data cannot be read back: a truncated or
	// corrupt database file, an undecodable record, a corrupt file given to
	// import. It is never a usage error and never a crash.
	KindDamaged
	// KindTooLarge means a response was larger than the size cap
	// (--max-body-size): nothing of it was read.
	KindTooLarge
)

var kindNames = [...]string{
	KindInternal:    "internal",
	KindInvalid:     "invalid input",
	KindNotFound:    "not found",
	KindLocked:      "locked",
	KindTransient:   "transient",
	KindDrift:       "markup drift",
	KindBlocked:     "blocked",
	KindInterrupted: "interrupted",
	KindDamaged:     "damaged data",
	KindTooLarge:    "too large",
}

// String returns the kind's name as shown to users and in JSON output.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Slug returns the kind's name in a form fit for JSON keys and scripts
// ("markup_drift").
func (k Kind) Slug() string {
	return strings.ReplaceAll(k.String(), " ", "_")
}

// Error is the error type used across arenawatch. Board and URL say where a
// failure happened, so that a message on a cron mail names the board and the
// address without the reader having to guess.
type Error struct {
	Kind  Kind
	Board string // board id, if the error concerns one board
	URL   string // address that was being fetched or read, if any
	Err   error  // the underlying cause; its message is the main text
	Hint  string // what the user can do about it, if we know
}

// Error formats the error as "board: url: message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Board != "" {
		b.WriteString(e.Board)
		b.WriteString(": ")
	}
	if e.URL != "" {
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString(e.Kind.String())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind whose cause is formatted like
// fmt.Errorf (so %w wraps).
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Err: fmt.Errorf(format, args...)}
}

// KindOf returns the kind of the outermost *Error in err's chain, or
// KindInternal when err carries none. A nil error has no kind; KindOf(nil)
// returns KindInternal and callers must check for nil first.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	return err != nil && KindOf(err) == k
}

// HintOf returns the first hint found in err's chain, or "".
func HintOf(err error) string {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return ""
		}
		if e.Hint != "" {
			return e.Hint
		}
		err = e.Err
	}
	return ""
}

// WithBoard returns err annotated with a board id and URL. An *Error that
// already names a board keeps its own; other errors are wrapped, keeping
// their kind.
func WithBoard(err error, board, url string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		c := *e
		if c.Board == "" {
			c.Board = board
		}
		if c.URL == "" {
			c.URL = url
		}
		if c.Board == e.Board && c.URL == e.URL {
			return err
		}
		return &c
	}
	return &Error{Kind: KindInternal, Board: board, URL: url, Err: err}
}
