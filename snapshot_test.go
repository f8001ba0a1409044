package arenawatch

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func rows(n int) []Row {
	out := make([]Row, n)
	for i := range out {
		out[i] = Row{Rank: i + 1, Model: fmt.Sprintf("model-%d", i+1), Score: 1500 - float64(i),
			Organization: Str("Org"), License: Str("MIT")}
	}
	return out
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		snap   func() *Snapshot
		limits Limits
		want   []string // substrings of the error; none means valid
	}{
		{"OK", func() *Snapshot { return &Snapshot{Board: "b", Rows: rows(20)} }, Limits{MinRows: 20}, nil},
		{"TooFewRows", func() *Snapshot { return &Snapshot{Board: "b", Rows: rows(3)} }, Limits{MinRows: 20},
			[]string{"too few rows: 3, want at least 20"}},
		{"NoRowsEvenWithoutLimit", func() *Snapshot { return &Snapshot{Board: "b"} }, Limits{}, []string{"too few rows: 0, want at least 1"}},
		{"MoreRowsThanStated", func() *Snapshot { return &Snapshot{Board: "b", Rows: rows(5), Totals: Totals{Models: 4}} }, Limits{},
			[]string{"5 rows but the page states 4 models"}},
		{"FewerRowsThanStatedIsPartialNotInvalid", func() *Snapshot { return &Snapshot{Board: "b", Rows: rows(5), Totals: Totals{Models: 410}} }, Limits{}, nil},
		{"Duplicate", func() *Snapshot {
			r := rows(3)
			r[2].Model = "model-1"
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{}, []string{"row 3 (model-1): duplicate of row 1"}},
		{"NaNScore", func() *Snapshot {
			r := rows(2)
			r[1].Score = math.NaN()
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{}, []string{"row 2 (model-2): score is not a finite number"}},
		{"InfiniteCI", func() *Snapshot {
			r := rows(2)
			r[0].ScoreUpper = Float(math.Inf(1))
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{}, []string{"confidence bound is not a finite number"}},
		{"ReversedCI", func() *Snapshot {
			r := rows(2)
			r[0].ScoreLower, r[0].ScoreUpper = Float(10), Float(5)
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{}, []string{"lower 10 > upper 5"}},
		{"ReversedSpread", func() *Snapshot {
			r := rows(2)
			r[0].RankUpper, r[0].RankLower = 9, 2
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{}, []string{"rank spread 9–2 is reversed"}},
		{"NoModelName", func() *Snapshot {
			r := rows(2)
			r[1].Model = "  "
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{}, []string{"no model name"}},
		{"MissingRequiredFields", func() *Snapshot {
			r := rows(2)
			r[0].Organization, r[1].License = nil, nil
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{RequireOrganization: true, RequireLicense: true},
			[]string{"row 1 (model-1): no organization field", "row 2 (model-2): no license field"}},
		{"ManyBadRowsAreSummarised", func() *Snapshot {
			r := rows(30)
			for i := range r {
				r[i].Score = math.Inf(-1)
			}
			return &Snapshot{Board: "b", Rows: r}
		}, Limits{}, []string{"row 5 (model-5)", "… and 25 more rows failing the same score check"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.snap(), tt.limits)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error containing %q", tt.want)
			}
			if KindOf(err) != KindDrift {
				t.Errorf("kind %v, want markup drift", KindOf(err))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	base := func() *Snapshot {
		return &Snapshot{Board: "b", FetchedAt: time.Unix(100, 0), AsOf: time.Unix(50, 0), Rows: rows(3), Totals: Totals{Models: 3}}
	}
	h := base().ComputeContentHash()
	same := base()
	same.FetchedAt = time.Unix(999, 0) // fetch time and URL are not content
	same.URL = "http://mirror"
	if same.ComputeContentHash() != h {
		t.Error("fetch time or URL changed the content hash")
	}
	for name, change := range map[string]func(*Snapshot){
		"score":  func(s *Snapshot) { s.Rows[1].Score += 0.01 },
		"as-of":  func(s *Snapshot) { s.AsOf = s.AsOf.Add(time.Second) },
		"totals": func(s *Snapshot) { s.Totals.Votes = 1 },
		"order":  func(s *Snapshot) { s.Rows[0], s.Rows[1] = s.Rows[1], s.Rows[0] },
		"org":    func(s *Snapshot) { s.Rows[2].Organization = Str("Other") },
	} {
		s := base()
		change(s)
		if s.ComputeContentHash() == h {
			t.Errorf("changing %s did not change the content hash", name)
		}
	}
}

func TestErrors(t *testing.T) {
	cause := errors.New("HTTP 403 Forbidden")
	e := &Error{Kind: KindBlocked, Board: "arena-text", URL: "https://arena.ai/leaderboard/text", Err: cause, Hint: "use a mirror"}
	wrapped := fmt.Errorf("scrape: %w", e)
	if got := e.Error(); got != "arena-text: https://arena.ai/leaderboard/text: HTTP 403 Forbidden" {
		t.Errorf("Error() = %q", got)
	}
	if KindOf(wrapped) != KindBlocked || !IsKind(wrapped, KindBlocked) || IsKind(nil, KindBlocked) {
		t.Error("KindOf does not see through wrapping")
	}
	if !errors.Is(wrapped, cause) || HintOf(wrapped) != "use a mirror" {
		t.Error("cause or hint lost")
	}
	if KindOf(errors.New("plain")) != KindInternal {
		t.Error("a plain error must be internal")
	}
	annotated := WithBoard(Errorf(KindDrift, "no table"), "openlm-arena", "https://openlm.ai/chatbot-arena/")
	if annotated.Error() != "openlm-arena: https://openlm.ai/chatbot-arena/: no table" || KindOf(annotated) != KindDrift {
		t.Errorf("WithBoard = %q (%v)", annotated, KindOf(annotated))
	}
	if WithBoard(e, "other", "x").Error() != e.Error() {
		t.Error("WithBoard overwrote a board the error already names")
	}
	for k := KindInternal; k <= KindInterrupted; k++ {
		if strings.HasPrefix(k.String(), "kind(") || strings.Contains(k.Slug(), " ") {
			t.Errorf("kind %d has no name: %q / %q", k, k, k.Slug())
		}
	}
}

func TestBoards(t *testing.T) {
	bs := Boards{
		{ID: "a", Requests: []Request{{Name: "page", URL: "https://x.example/api/lb", Body: "{}"}, {Name: "registry", URL: "/api/registry"}}},
		{ID: "b", Requests: []Request{{Name: "page", URL: "ftp://x.example/"}}},
	}
	reqs, err := bs[0].ResolvedRequests()
	if err != nil {
		t.Fatal(err)
	}
	if reqs[1].URL != "https://x.example/api/registry" || reqs[0].Method != "GET" || reqs[0].ContentType != "application/json" {
		t.Errorf("resolved %+v", reqs)
	}
	// A board sent to a replay server keeps the URLs it defines, relative
	// requests included.
	moved := bs[0]
	moved.Requests = []Request{{Name: "page", URL: "http://127.0.0.1:9/api/lb", Canonical: "https://x.example/api/lb"}, bs[0].Requests[1]}
	if reqs, err := moved.ResolvedRequests(); err != nil || reqs[1].URL != "http://127.0.0.1:9/api/registry" || reqs[1].Canonical != "https://x.example/api/registry" {
		t.Errorf("moved board: %+v, %v", reqs, err)
	}
	if _, err := bs[1].ResolvedRequests(); KindOf(err) != KindInvalid {
		t.Errorf("ftp URL accepted: %v", err)
	}
	sel, err := bs.Select([]string{"b", "a", "b"})
	if err != nil || len(sel) != 2 || sel[0].ID != "b" {
		t.Errorf("Select = %v, %v", sel.IDs(), err)
	}
	if _, err := bs.Select([]string{"c"}); KindOf(err) != KindInvalid || !strings.Contains(HintOf(err), "a b") {
		t.Errorf("unknown board: %v (hint %q)", err, HintOf(err))
	}
	for id, ok := range map[string]bool{"arena-text": true, "Arena": false, "-x": false, "a_b": false, "": false} {
		if ValidBoardID(id) != ok {
			t.Errorf("ValidBoardID(%q) != %v", id, ok)
		}
	}
}
