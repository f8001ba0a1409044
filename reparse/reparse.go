// Package reparse re-reads stored snapshots with today's extractors, so
// that a parser fix repairs history: the raw bodies a snapshot was built
// from are run through the board's extractor again and sealed as a new
// snapshot, with a row-level Diff against the old one.
//
// It stores nothing and reads no store: the caller lists the snapshots
// (Select), hands over each one with its raw bodies (Snapshot) and writes
// the result. A re-parse that gives the same content (as-of, totals,
// rows: the ContentHash) as the snapshot it re-reads is unchanged and
// need not be written.
package reparse

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/source"
)

// Candidate is a stored snapshot as the store lists it, without rows:
// enough to choose what to re-read.
type Candidate struct {
	FetchedAt time.Time
	Origin    string
}

// Choice is a snapshot Select chose: re-read it, or, when Skip is set,
// say why not.
type Choice struct {
	FetchedAt time.Time
	Skip      string
}

// SkipImported is why an imported snapshot is not re-read here. Its one
// document is a whole dataset file holding every publish date, read by
// another reader (source.ImportHFDataset): running it once per date would
// read the file once per date, and a re-import does the same repair in one
// pass (it stores, at the same time, each date whose content changed).
const SkipImported = "imported from a dataset file: re-read it with 'arenawatch import hf-leaderboard BOARD --from FILE', which stores each publish date whose rows changed"

// Select chooses, from a board's snapshots in the store's order (key
// order: by FetchedAt, a re-parse just after the snapshot it re-reads),
// the ones to re-read: for each FetchedAt between since and until (both
// included; a zero bound is open) the last one listed, which is the one a
// question about that time answers from. Earlier snapshots of the same
// FetchedAt are superseded by a re-parse already stored: re-reading them
// would only give what the later one says, so they are counted, not
// chosen. Imported snapshots are chosen with Skip set (see SkipImported).
// The choices are oldest first.
func Select(list []Candidate, since, until time.Time) (chosen []Choice, superseded int) {
	last := make(map[int64]int, len(list)) // FetchedAt → index of its last entry
	for i, c := range list {
		last[c.FetchedAt.UnixNano()] = i
	}
	for i, c := range list {
		t := c.FetchedAt
		if (!since.IsZero() && t.Before(since)) || (!until.IsZero() && t.After(until)) {
			continue
		}
		if last[t.UnixNano()] != i {
			superseded++
			continue
		}
		ch := Choice{FetchedAt: t}
		if c.Origin == arenawatch.OriginImported {
			ch.Skip = SkipImported
		}
		chosen = append(chosen, ch)
	}
	return chosen, superseded
}

// Snapshot re-reads old, a stored snapshot of board b, from its raw
// bodies (sha256 hex → body, every one of old.Documents; more are
// ignored) with the board's extractor of today, and seals the result with
// the board's limits. The new snapshot has old's Board, FetchedAt, Origin,
// URL, status and documents, today's ParserVersion, what the extractor
// reads (as-of, totals, notes, rows), and Reparsed naming old. The Diff
// says how its rows differ from old's; the content is unchanged when
// new.ContentHash == old.ContentHash.
//
// It fails with KindInvalid for an imported snapshot or one without
// documents, KindDamaged for a body missing or not matching its sha256,
// and with the extractor's or Validate's error (KindDrift, mostly) when
// today's extractor cannot read the old bodies. An extractor that panics
// on an old body fails the snapshot (KindInternal), not the caller.
func Snapshot(b arenawatch.Board, old *arenawatch.Snapshot, bodies map[string][]byte) (*arenawatch.Snapshot, Diff, error) {
	fail := func(kind arenawatch.Kind, format string, args ...any) (*arenawatch.Snapshot, Diff, error) {
		return nil, Diff{}, &arenawatch.Error{Kind: kind, Board: old.Board, URL: old.URL, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case old.Board != b.ID:
		return fail(arenawatch.KindInternal, "snapshot of board %q given with board %q", old.Board, b.ID)
	case old.Origin == arenawatch.OriginImported:
		return fail(arenawatch.KindInvalid, "%s", SkipImported)
	case len(old.Documents) == 0:
		return fail(arenawatch.KindInvalid, "the snapshot names no documents: there is nothing to re-read")
	}
	spec, ok := source.Lookup(b.Extractor)
	if !ok {
		return fail(arenawatch.KindInvalid, "unknown extractor %q", b.Extractor)
	}
	docs, err := documents(old, bodies)
	if err != nil {
		return nil, Diff{}, err
	}
	ex, err := extract(spec, b, docs)
	if err != nil {
		return nil, Diff{}, &arenawatch.Error{Kind: arenawatch.KindOf(err), Board: old.Board, URL: old.URL, Err: err,
			Hint: "today's extractor cannot read this stored page; the snapshot is kept as it is"}
	}
	snap := &arenawatch.Snapshot{
		Board:         old.Board,
		FetchedAt:     old.FetchedAt,
		AsOf:          ex.AsOf,
		Origin:        old.Origin,
		URL:           old.URL,
		Status:        old.Status,
		SHA256:        old.SHA256,
		Documents:     append([]arenawatch.Document(nil), old.Documents...),
		ParserVersion: spec.Version,
		Totals:        ex.Totals,
		Notes:         append(movedNotes(old.Notes), ex.Notes...),
		Rows:          ex.Rows,
		Reparsed:      &arenawatch.Reparse{From: old.FetchedAt, ParserVersion: old.ParserVersion},
	}
	if err := arenawatch.Seal(snap, b.Limits); err != nil {
		return nil, Diff{}, err
	}
	return snap, Compare(old, snap), nil
}

// documents rebuilds the extractor's input, request name → body, from the
// snapshot's documents, checking each body against its sha256.
func documents(old *arenawatch.Snapshot, bodies map[string][]byte) (map[string][]byte, error) {
	docs := make(map[string][]byte, len(old.Documents))
	for _, d := range old.Documents {
		damaged := func(format string, args ...any) error {
			return &arenawatch.Error{Kind: arenawatch.KindDamaged, Board: old.Board, URL: d.URL,
				Err:  fmt.Errorf("document %q: "+format, append([]any{d.Name}, args...)...),
				Hint: "run 'arenawatch db check': the raw body this snapshot was read from is not in the store as it should be"}
		}
		body, ok := bodies[d.SHA256]
		if !ok {
			return nil, damaged("raw body %s is not in the store", d.SHA256)
		}
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != d.SHA256 {
			return nil, damaged("raw body %s hashes to %s", d.SHA256, got)
		}
		if _, dup := docs[d.Name]; dup {
			return nil, damaged("named twice among the snapshot's documents")
		}
		docs[d.Name] = body
	}
	return docs, nil
}

// extract runs the extractor, turning a panic on an old body into an
// error: years of stored pages hold shapes no test has seen, and one of
// them must not stop a re-parse of the rest.
func extract(spec source.Extractor, b arenawatch.Board, docs map[string][]byte) (ex *source.Extract, err error) {
	defer func() {
		if r := recover(); r != nil {
			ex, err = nil, arenawatch.Errorf(arenawatch.KindInternal, "the %s extractor failed on this page: %v", b.Extractor, r)
		}
	}()
	ex, err = spec.Run(b, docs)
	if err == nil && ex == nil {
		err = arenawatch.Errorf(arenawatch.KindInternal, "the %s extractor returned nothing", b.Extractor)
	}
	return ex, err
}

// movedSuffix ends the note the scraper writes when a board was read at
// another of its addresses. That note is about the fetch, not the parse,
// so a re-parse keeps it; every other note is the old extractor's and is
// replaced by today's.
const movedSuffix = "(the site moved it)"

func movedNotes(notes []string) []string {
	var out []string
	for _, n := range notes {
		if strings.HasSuffix(n, movedSuffix) {
			out = append(out, n)
		}
	}
	return out
}
