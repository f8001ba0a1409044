package reparse

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
	"github.com/arenawatch/arenawatch/source"
)

var fetched = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func shaOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sciArena returns the built-in sciarena board and its fixture page, the
// raw body of the snapshots below.
func sciArena(t *testing.T) (arenawatch.Board, []byte) {
	t.Helper()
	b, ok := source.Builtin().Get("sciarena")
	if !ok {
		t.Fatal("no sciarena board")
	}
	return b, testutil.Fixture(t, "sciarena.allen.ai/api/leaderboard/index.json")
}

// stored is a snapshot as a scrape of body would have stored it, read by
// parser "old/0", with no rows yet.
func stored(b arenawatch.Board, body []byte) *arenawatch.Snapshot {
	sha := shaOf(body)
	return &arenawatch.Snapshot{
		Board: b.ID, FetchedAt: fetched, Origin: arenawatch.OriginScraped, URL: b.URL(), Status: 200, SHA256: sha,
		Documents:     []arenawatch.Document{{Name: "page", Method: "GET", URL: b.URL(), Status: 200, SHA256: sha, Size: len(body)}},
		ParserVersion: "old/0",
		Notes:         []string{"https://old.example/ answered not found; read the same board at " + b.URL() + " (the site moved it)", "a note of the old extractor"},
	}
}

// current is what today's extractor reads from body: the snapshot a
// correct old parser would have stored.
func current(t *testing.T, b arenawatch.Board, body []byte) *arenawatch.Snapshot {
	t.Helper()
	snap, _, err := Snapshot(b, stored(b, body), map[string][]byte{shaOf(body): body})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestSnapshot re-reads old snapshots whose rows differ, in known ways,
// from what their stored body says today.
func TestSnapshot(t *testing.T) {
	b, body := sciArena(t)
	good := current(t, b, body)
	if len(good.Rows) < 20 {
		t.Fatalf("the fixture gives %d rows", len(good.Rows))
	}
	first, second, last := good.Rows[0].Model, good.Rows[1].Model, good.Rows[len(good.Rows)-1].Model
	cases := []struct {
		name string
		edit func(s *arenawatch.Snapshot) // turns a correct snapshot into the old parser's
		want Diff
	}{
		{"same rows: unchanged", func(*arenawatch.Snapshot) {}, Diff{}},
		{"a score and an organization read wrong", func(s *arenawatch.Snapshot) {
			s.Rows[0].Score += 10
			s.Rows[1].Organization = arenawatch.Str("Wrong Labs")
			s.Rows[1].Votes++
		}, Diff{Changed: []RowChange{{first, []string{"score"}}, {second, []string{"organization", "votes"}}}}},
		{"a row missed, a row too many", func(s *arenawatch.Snapshot) {
			s.Rows = s.Rows[:len(s.Rows)-1]
			s.Rows = append(s.Rows, arenawatch.Row{Model: "ghost-model", Score: 1})
		}, Diff{Added: []string{last}, Removed: []string{"ghost-model"}}},
		{"rows swapped", func(s *arenawatch.Snapshot) {
			s.Rows[0], s.Rows[1] = s.Rows[1], s.Rows[0]
		}, Diff{Reordered: true}},
		{"as-of and totals read wrong", func(s *arenawatch.Snapshot) {
			s.AsOf = time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
			s.Totals = arenawatch.Totals{Models: 99}
		}, Diff{AsOf: &Change[time.Time]{time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), good.AsOf},
			Totals: &Change[arenawatch.Totals]{arenawatch.Totals{Models: 99}, good.Totals}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old := stored(b, body)
			old.AsOf, old.Totals = good.AsOf, good.Totals
			old.Rows = slices.Clone(good.Rows)
			tc.edit(old)
			old.ContentHash = old.ComputeContentHash()

			got, diff, err := Snapshot(b, old, map[string][]byte{shaOf(body): body, "unused": []byte("x")})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(diff, tc.want) {
				t.Errorf("diff %+v (%s), want %+v", diff, diff.Summary(), tc.want)
			}
			if unchanged := got.ContentHash == old.ContentHash; unchanged != tc.want.Empty() {
				t.Errorf("content unchanged %v, want %v", unchanged, tc.want.Empty())
			}
			if got.ContentHash != good.ContentHash || !reflect.DeepEqual(got.Rows, good.Rows) {
				t.Errorf("the re-parse does not say what the page says")
			}
			if got.Board != old.Board || !got.FetchedAt.Equal(old.FetchedAt) || got.Origin != old.Origin || got.URL != old.URL ||
				got.SHA256 != old.SHA256 || !reflect.DeepEqual(got.Documents, old.Documents) {
				t.Errorf("the re-parse is not of the same fetch: %+v", got)
			}
			if got.ParserVersion != source.SciArenaParserVersion || got.Reparsed == nil ||
				!got.Reparsed.From.Equal(old.FetchedAt) || got.Reparsed.ParserVersion != "old/0" {
				t.Errorf("parser %q, reparsed %+v", got.ParserVersion, got.Reparsed)
			}
			if len(got.Notes) == 0 || !strings.HasSuffix(got.Notes[0], movedSuffix) || slices.Contains(got.Notes, "a note of the old extractor") {
				t.Errorf("notes %q: want the fetch's note kept, the old extractor's gone", got.Notes)
			}
		})
	}
}

// TestSnapshotFails: what cannot be re-read fails the snapshot, with the
// kind that says why.
func TestSnapshotFails(t *testing.T) {
	b, body := sciArena(t)
	good := current(t, b, body)
	empty := []byte("[]")
	cases := []struct {
		name   string
		edit   func(s *arenawatch.Snapshot)
		bodies map[string][]byte
		want   arenawatch.Kind
	}{
		{"body missing", func(*arenawatch.Snapshot) {}, map[string][]byte{}, arenawatch.KindDamaged},
		{"body does not match its sha256", func(*arenawatch.Snapshot) {}, map[string][]byte{shaOf(body): empty}, arenawatch.KindDamaged},
		{"imported", func(s *arenawatch.Snapshot) { s.Origin = arenawatch.OriginImported }, nil, arenawatch.KindInvalid},
		{"no documents", func(s *arenawatch.Snapshot) { s.Documents = nil }, nil, arenawatch.KindInvalid},
		{"another board", func(s *arenawatch.Snapshot) { s.Board = "aider-polyglot" }, nil, arenawatch.KindInternal},
		{"today's extractor cannot read it", func(s *arenawatch.Snapshot) {
			s.Documents[0].SHA256, s.SHA256 = shaOf(empty), shaOf(empty)
		}, map[string][]byte{shaOf(empty): empty}, arenawatch.KindDrift},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old := stored(b, body)
			old.Rows, old.ContentHash = good.Rows, good.ContentHash
			tc.edit(old)
			bodies := tc.bodies
			if bodies == nil {
				bodies = map[string][]byte{shaOf(body): body}
			}
			got, _, err := Snapshot(b, old, bodies)
			if got != nil || arenawatch.KindOf(err) != tc.want {
				t.Fatalf("got %v, error %v (kind %v), want kind %v", got != nil, err, arenawatch.KindOf(err), tc.want)
			}
		})
	}
}

// TestExtractPanics: an extractor that panics fails its snapshot alone.
func TestExtractPanics(t *testing.T) {
	spec := source.Extractor{Run: func(arenawatch.Board, map[string][]byte) (*source.Extract, error) { panic("index out of range") }}
	ex, err := extract(spec, arenawatch.Board{ID: "x", Extractor: "x"}, nil)
	if ex != nil || arenawatch.KindOf(err) != arenawatch.KindInternal || !strings.Contains(err.Error(), "index out of range") {
		t.Fatalf("got %v, %v", ex, err)
	}
}

func TestSelect(t *testing.T) {
	at := func(h int) time.Time { return fetched.Add(time.Duration(h) * time.Hour) }
	s, i := arenawatch.OriginScraped, arenawatch.OriginImported
	list := []Candidate{{at(0), s}, {at(1), s}, {at(1), s}, {at(2), i}, {at(3), s}, {at(3), s}, {at(3), s}}
	cases := []struct {
		name         string
		since, until time.Time
		want         []Choice
		superseded   int
	}{
		{"all: the last of each time, imported skipped", time.Time{}, time.Time{},
			[]Choice{{at(0), ""}, {at(1), ""}, {at(2), SkipImported}, {at(3), ""}}, 3},
		{"since, included", at(1), time.Time{}, []Choice{{at(1), ""}, {at(2), SkipImported}, {at(3), ""}}, 3},
		{"until, included", time.Time{}, at(1), []Choice{{at(0), ""}, {at(1), ""}}, 1},
		{"one time", at(3), at(3), []Choice{{at(3), ""}}, 2},
		{"none in range", at(4), time.Time{}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, sup := Select(list, tc.since, tc.until)
			if !reflect.DeepEqual(got, tc.want) || sup != tc.superseded {
				t.Errorf("got %v, %d superseded; want %v, %d", got, sup, tc.want, tc.superseded)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	d0 := time.Date(2025, 11, 6, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		diff Diff
		want string
	}{
		{"empty", Diff{}, "no change"},
		{"rows", Diff{Added: []string{"a", "b"}, Removed: []string{"c"},
			Changed: []RowChange{{"d", []string{"organization", "score"}}, {"e", []string{"score"}}}},
			"+2 rows, -1 row, 2 changed: score, organization"},
		{"order and as-of only", Diff{Reordered: true, AsOf: &Change[time.Time]{d0, d0.AddDate(0, 0, 1)}},
			"rows in another order; as of 2025-11-06 → 2025-11-07"},
		{"totals", Diff{Removed: []string{"a"}, Totals: &Change[arenawatch.Totals]{arenawatch.Totals{}, arenawatch.Totals{Models: 3}}},
			"-1 row; stated totals none → 3 models, 0 votes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.diff.Summary(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
