package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/store"
)

// DefaultFailAfter is the number of failed runs in a row after which a
// board is reported, when Options.FailAfter is 0.
const DefaultFailAfter = 3

// BoardResult is what a scrape run did for one board, as its summary
// line says.
type BoardResult struct {
	Board string
	// Rule is the board's rank rule; Usage marks boards that count tokens,
	// which have no ranking to tell and are never compared.
	Rule  arenawatch.RankRule
	Usage bool
	// Stored is true when the run stored a new snapshot, fetched at
	// SnapshotAt.
	Stored     bool
	SnapshotAt time.Time
	// Failures is the board's number of failed runs in a row after this
	// run, 0 unless it failed; ErrorKind and Error say why it failed.
	Failures  int
	ErrorKind string
	Error     string
}

// Options say how a run's results become a message.
type Options struct {
	// FailAfter is the streak of failed runs that is reported, once: in
	// the run that reaches it. DefaultFailAfter when 0.
	FailAfter int
	// History answers each snapshot (catalog, origin view, counting); its
	// Rule is set per board.
	History history.Options
}

// Collect builds the message of a run at time at from its results: the
// changes of each board that stored a new snapshot (Detect, against the
// snapshot before it in db) and the boards whose failures reached
// opt.FailAfter. A board whose snapshots cannot be read is left out and
// its error returned with the others; the message still holds the rest.
func Collect(ctx context.Context, db *store.DB, at time.Time, results []BoardResult, opt Options) (Message, []error) {
	failAfter := opt.FailAfter
	if failAfter <= 0 {
		failAfter = DefaultFailAfter
	}
	m := Message{At: at, Changes: []Change{}, Failures: []Failure{}}
	var errs []error
	for _, r := range results {
		if ctx.Err() != nil {
			return m, append(errs, &arenawatch.Error{Kind: arenawatch.KindInterrupted, Err: ctx.Err()})
		}
		switch {
		case r.Failures == failAfter:
			m.Failures = append(m.Failures, failure(r.Board, r.Failures, r.ErrorKind, r.Error))
		case r.Stored && !r.Usage:
			hopt := opt.History
			hopt.Rule = r.Rule
			cs, err := boardChanges(db, r.Board, r.SnapshotAt, hopt)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			m.Changes = append(m.Changes, cs...)
		}
	}
	return m, errs
}

// boardChanges compares board's snapshot fetched at t with the latest
// one fetched before it; none when there is no earlier snapshot.
func boardChanges(db *store.DB, board string, t time.Time, opt history.Options) ([]Change, error) {
	cur, err := db.At(board, t)
	if err != nil {
		return nil, err
	}
	old, err := db.At(board, cur.FetchedAt.Add(-time.Nanosecond))
	if arenawatch.IsKind(err, arenawatch.KindNotFound) {
		return nil, nil // the board's first snapshot: nothing to compare with
	}
	if err != nil {
		return nil, err
	}
	return Detect(board, old, cur, opt), nil
}

// Report is what the alert step of a run did. Its JSON field names are
// part of 'scrape --json' (README, "Alerts").
type Report struct {
	// Targets names the notification URLs by position and service only
	// ("#1 (slack)"): the URLs themselves often hold tokens.
	Targets []string `json:"targets"`
	// DryRun is true when nothing was sent on purpose (--notify-dry-run).
	DryRun   bool      `json:"dry_run"`
	Changes  []Change  `json:"changes"`
	Failures []Failure `json:"failures"`
	// Message is the text sent (or, on a dry run, that would have been
	// sent); empty when there was nothing to say, and then nothing is sent.
	Message string `json:"message"`
	// Sent is the number of targets that took the message.
	Sent int `json:"sent"`
	// Errors lists what went wrong: a target that did not take the
	// message (by its name), or a board whose snapshots could not be
	// compared (target empty). None of them changes the exit code.
	Errors []SendError `json:"errors"`
}

// Deliver sends m to targets, unless dryRun, within timeout and ctx, and
// says what happened. An empty message is not sent. errs are the
// errors of Collect, reported with the rest.
func Deliver(ctx context.Context, targets []Target, m Message, errs []error, dryRun bool, timeout time.Duration) Report {
	r := Report{Targets: []string{}, DryRun: dryRun, Changes: m.Changes, Failures: m.Failures, Message: m.Text(), Errors: []SendError{}}
	for _, t := range targets {
		r.Targets = append(r.Targets, t.Name)
	}
	for _, err := range errs {
		r.Errors = append(r.Errors, SendError{Error: Redact(err.Error())})
	}
	if dryRun || r.Message == "" || len(targets) == 0 {
		return r
	}
	if ctx.Err() != nil {
		for _, t := range targets {
			r.Errors = append(r.Errors, SendError{Target: t.Name, Error: "not sent: the run was interrupted"})
		}
		return r
	}
	failed := Send(ctx, targets, r.Message, timeout)
	r.Sent = len(targets) - len(failed)
	r.Errors = append(r.Errors, failed...)
	return r
}

// Step is the alert step of a scrape, as it was asked for.
type Step struct {
	Targets []Target
	// DryRun builds the message and sends nothing.
	DryRun bool
	// Timeout bounds the delivery; DefaultTimeout when 0.
	Timeout time.Duration
	Options Options
}

// Run is the alert step after a run at time at whose results are
// written: it opens the database with open (read-only, after the
// writes), collects the message and delivers it. Nothing it meets is
// returned as an error: the report lists it.
func (s *Step) Run(ctx context.Context, open func() (*store.DB, error), at time.Time, results []BoardResult) Report {
	m, errs := Message{At: at}, []error(nil)
	db, err := open()
	if err == nil {
		m, errs = Collect(ctx, db, at, results, s.Options)
		if cerr := db.Close(); cerr != nil {
			errs = append(errs, cerr)
		}
	} else {
		errs = []error{err}
	}
	return Deliver(ctx, s.Targets, m, errs, s.DryRun, s.Timeout)
}

// Summary is one line for people about r: what was sent, to how many
// targets, or why not.
func (r Report) Summary() string {
	switch {
	case r.Message == "":
		return "notify: no change, nothing to send"
	case r.DryRun:
		return fmt.Sprintf("notify: dry run, nothing sent (%d changes, %d failing boards)", len(r.Changes), len(r.Failures))
	}
	return fmt.Sprintf("notify: sent to %d of %d targets (%d changes, %d failing boards)", r.Sent, len(r.Targets), len(r.Changes), len(r.Failures))
}
