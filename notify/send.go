package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/nicholas-fedor/shoutrrr/pkg/router"
	"github.com/nicholas-fedor/shoutrrr/pkg/types"

	"github.com/arenawatch/arenawatch"
)

// DefaultTimeout bounds the delivery of one message to all targets when
// no other timeout is given.
const DefaultTimeout = 30 * time.Second

// Target is one notification URL, ready to send.
type Target struct {
	// Name says which target without quoting its URL, which often holds
	// a token: "#2 (slack)".
	Name    string
	service types.Service
}

// ParseTargets checks every URL and prepares its service; ${VAR} in a
// URL is replaced by the environment variable VAR, through getenv, so a
// token need not be written in the config file. A URL that shoutrrr does
// not accept, or that names a variable that is not set, is KindInvalid,
// named by its position and scheme only.
func ParseTargets(urls []string, getenv func(string) string) ([]Target, error) {
	var sr router.ServiceRouter
	out := make([]Target, 0, len(urls))
	for i, raw := range urls {
		name := fmt.Sprintf("#%d (%s)", i+1, scheme(raw))
		var missing string
		expanded := os.Expand(raw, func(v string) string {
			val := getenv(v)
			if val == "" && missing == "" {
				missing = v
			}
			return val
		})
		if missing != "" {
			return nil, arenawatch.Errorf(arenawatch.KindInvalid, "notification URL %s: environment variable %s is not set", name, missing)
		}
		svc, err := sr.Locate(expanded)
		if err != nil {
			return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, Err: fmt.Errorf("notification URL %s: %s", name, Redact(err.Error())),
				Hint: "see https://shoutrrr.nickfedor.com/ for the URL of each service, e.g. slack://, discord://, telegram://, ntfy://, smtp://, generic+https://"}
		}
		out = append(out, Target{Name: name, service: svc})
	}
	return out, nil
}

// scheme is the service part of a URL's scheme ("slack", "generic"), or
// "?" when it has none.
func scheme(raw string) string {
	s, _, ok := strings.Cut(raw, "://")
	if !ok || s == "" || strings.ContainsAny(s, "/?#@ ") {
		return "?"
	}
	s, _, _ = strings.Cut(strings.ToLower(s), "+")
	return s
}

// urlPattern finds URLs in an error text.
var urlPattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"']+`)

// Redact replaces every URL in s by its scheme ("https://…"): the errors
// of shoutrrr and of net/http quote the URL they failed on, and a
// notification URL often carries a token in its user, host, path or
// query.
func Redact(s string) string {
	return urlPattern.ReplaceAllStringFunc(s, func(u string) string {
		sch, _, _ := strings.Cut(u, "://")
		rest := strings.TrimRight(u, ".,:;)") // punctuation after the URL stays
		return sch + "://…" + u[len(rest):]
	})
}

// SendError is a target that did not take the message.
type SendError struct {
	Target string `json:"target"`
	Error  string `json:"error"`
}

// Send delivers text to every target at once and returns the targets
// that failed, each with why. It returns when all have answered, when
// timeout has passed (those still sending fail as timed out) or when ctx
// is done (interrupted); a send that is left behind goes on in the
// background and its answer is ignored.
func Send(ctx context.Context, targets []Target, text string, timeout time.Duration) []SendError {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	type answer struct {
		i   int
		err error
	}
	answers := make(chan answer, len(targets)) // buffered: a late answer never blocks
	for i, t := range targets {
		go func() { answers <- answer{i, t.service.Send(text, &types.Params{})} }()
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	errs := make([]error, len(targets))
	pending := len(targets)
	for pending > 0 {
		select {
		case a := <-answers:
			errs[a.i] = a.err
			if errs[a.i] == nil {
				errs[a.i] = errDelivered
			}
			pending--
		case <-timer.C:
			return collect(targets, errs, fmt.Errorf("no answer within %v", timeout))
		case <-ctx.Done():
			return collect(targets, errs, errors.New("interrupted before it answered"))
		}
	}
	return collect(targets, errs, nil)
}

// errDelivered marks a target that answered without error.
var errDelivered = errors.New("delivered")

// collect lists the targets whose send failed; those without an answer
// yet failed with late.
func collect(targets []Target, errs []error, late error) []SendError {
	out := []SendError{}
	for i, err := range errs {
		switch {
		case err == errDelivered:
			continue
		case err == nil:
			err = late
		}
		out = append(out, SendError{Target: targets[i].Name, Error: Redact(err.Error())})
	}
	return out
}
