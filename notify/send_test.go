package notify

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/internal/testutil"
)

// receiver is a loopback webhook that keeps what it was sent.
type receiver struct {
	mu     sync.Mutex
	bodies []string
	types  []string
}

func (rc *receiver) handler(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, string(b))
		rc.types = append(rc.types, r.Header.Get("Content-Type"))
		rc.mu.Unlock()
		w.WriteHeader(status)
	})
}

// hanging is a webhook that never answers until the test ends.
func hanging(t *testing.T) string {
	release := make(chan struct{})
	u := testutil.Server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	return u
}

// refused is a loopback address nothing listens on any more.
func refused(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func webhook(u string) string { return "generic+" + u + "/hook" }

func TestSend(t *testing.T) {
	const text = "arenawatch: test\nb: leading open model: a → b"
	tests := []struct {
		name     string
		url      func(t *testing.T, rc *receiver) string
		cancel   bool
		wantErr  string // "" for delivered
		received int
	}{
		{"Delivered", func(t *testing.T, rc *receiver) string {
			return webhook(testutil.Server(t, rc.handler(http.StatusNoContent)))
		}, false, "", 1},
		{"ServerError", func(t *testing.T, rc *receiver) string {
			return webhook(testutil.Server(t, rc.handler(http.StatusInternalServerError)))
		}, false, "500 Internal Server Error", 1},
		{"Hangs", func(t *testing.T, _ *receiver) string { return webhook(hanging(t)) }, false, "no answer within 200ms", 0},
		{"Refused", func(t *testing.T, _ *receiver) string { return webhook(refused(t)) }, false, "connection refused", 0},
		{"Interrupted", func(t *testing.T, _ *receiver) string { return webhook(hanging(t)) }, true, "interrupted before it answered", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{}
			u := tt.url(t, rc)
			targets, err := ParseTargets([]string{u}, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			errs := Send(ctx, targets, text, 200*time.Millisecond)
			switch {
			case tt.wantErr == "" && len(errs) != 0:
				t.Fatalf("errors %+v", errs)
			case tt.wantErr != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error, tt.wantErr) || errs[0].Target != "#1 (generic)"):
				t.Fatalf("errors %+v, want one of #1 (generic) saying %q", errs, tt.wantErr)
			}
			for _, e := range errs {
				if strings.Contains(e.Error, "/hook") {
					t.Errorf("error quotes the URL: %s", e.Error)
				}
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if len(rc.bodies) != tt.received {
				t.Fatalf("received %d messages, want %d", len(rc.bodies), tt.received)
			}
			if tt.received > 0 && (rc.bodies[0] != text || rc.types[0] != "text/plain") {
				t.Errorf("received %q as %q, want the text as text/plain", rc.bodies[0], rc.types[0])
			}
		})
	}
}

// TestDeliverCounts: two targets, one down: the other takes the message
// and the report says which failed.
func TestDeliverCounts(t *testing.T) {
	rc := &receiver{}
	good := webhook(testutil.Server(t, rc.handler(http.StatusOK)))
	targets, err := ParseTargets([]string{webhook(refused(t)), good}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	m := Message{At: time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC), Changes: []Change{{Board: "b", Kind: KindLeadingOpen, From: "x", To: "y"}}}
	tests := []struct {
		name           string
		m              Message
		dryRun         bool
		sent, received int
		errs           int
	}{
		{"Sent", m, false, 1, 1, 1},
		{"DryRun", m, true, 0, 0, 0},
		{"NothingToSay", Message{At: m.At}, false, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc.mu.Lock()
			rc.bodies = nil
			rc.mu.Unlock()
			r := Deliver(context.Background(), targets, tt.m, nil, tt.dryRun, 5*time.Second)
			rc.mu.Lock()
			got := len(rc.bodies)
			rc.mu.Unlock()
			if r.Sent != tt.sent || got != tt.received || len(r.Errors) != tt.errs || r.DryRun != tt.dryRun || r.Message != tt.m.Text() {
				t.Errorf("sent %d, received %d, errors %+v, report %+v", r.Sent, got, r.Errors, r)
			}
			if tt.errs > 0 && r.Errors[0].Target != "#1 (generic)" {
				t.Errorf("failed target %q, want #1 (generic)", r.Errors[0].Target)
			}
			if len(r.Targets) != 2 || r.Targets[1] != "#2 (generic)" {
				t.Errorf("targets %v", r.Targets)
			}
		})
	}
}

func TestParseTargets(t *testing.T) {
	env := map[string]string{"HOOK_TOKEN": "s3cret"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name    string
		urls    []string
		wantErr string // "" for accepted
	}{
		{"Generic", []string{"generic+https://example.org/hook", "generic://example.org/hook?template=json"}, ""},
		{"Services", []string{"ntfy://ntfy.sh/arenawatch-alerts", "discord://token@123456789"}, ""},
		{"FromEnvironment", []string{"generic+https://example.org/hook?token=${HOOK_TOKEN}"}, ""},
		{"UnknownService", []string{"ntfy://ntfy.sh/ok", "pigeon://s3cret@loft"}, "notification URL #2 (pigeon)"},
		{"NotSet", []string{"generic+https://example.org/${NOPE}"}, "environment variable NOPE is not set"},
		{"NoScheme", []string{"s3cret"}, "notification URL #1 (?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			targets, err := ParseTargets(tt.urls, getenv)
			if tt.wantErr == "" {
				if err != nil || len(targets) != len(tt.urls) {
					t.Fatalf("%d targets, error %v", len(targets), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !arenawatch.IsKind(err, arenawatch.KindInvalid) {
				t.Fatalf("error %v, want KindInvalid with %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error quotes a secret: %v", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		`Post "http://user:tok@127.0.0.1:9/hook?k=v": dial tcp 127.0.0.1:9: connect: connection refused`: `Post "http://…": dial tcp 127.0.0.1:9: connect: connection refused`,
		"locating service for URL slack://hook:T0/B0/XX@webhook: bad":                                    "locating service for URL slack://…: bad",
		"no url here": "no url here",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
