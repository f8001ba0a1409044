// Package replay serves a directory of recorded pages on loopback
// servers, one per host, so that a scrape runs without the internet, and
// records responses in the same layout (Recorder, ExchangeKey).
package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// Replay serves a directory of recorded pages on loopback so that the very
// same fetchers and extractors run without the internet. The directory
// holds one sub-directory per host, mirroring URL paths:
//
//	DIR/arena.ai/leaderboard/text/index.html      ← GET https://arena.ai/leaderboard/text
//	DIR/www.designarena.ai/api/registry/index.json ← GET https://www.designarena.ai/api/registry
//
// A request for a path that is a directory is answered with the one file
// named <key>.* inside it, where key is ExchangeKey of the request's query
// and body, or else with index.*. Each host gets its own loopback server, so
// robots.txt, rate limits and concurrency behave per host as they do live.
type Replay struct {
	servers map[string]*replayServer // original host → server
}

type replayServer struct {
	base string // http://127.0.0.1:port
	srv  *http.Server
}

// Start starts one loopback server per host directory in dir. A
// directory counts as a host when its name contains a dot.
func Start(dir string) (*Replay, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: dir, Err: fmt.Errorf("replay directory: %w", err)}
	}
	rp := &Replay{servers: map[string]*replayServer{}}
	for _, e := range entries {
		if !e.IsDir() || !strings.Contains(e.Name(), ".") {
			continue
		}
		root, err := os.OpenRoot(path.Join(dir, e.Name()))
		if err != nil {
			rp.Close()
			return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: dir, Err: err}
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			rp.Close()
			return nil, &arenawatch.Error{Kind: arenawatch.KindInternal, Err: fmt.Errorf("replay: listen on loopback: %w", err)}
		}
		srv := &http.Server{Handler: replayHandler(root), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln) //nolint:errcheck // returns when closed
		rp.servers[e.Name()] = &replayServer{base: "http://" + ln.Addr().String(), srv: srv}
	}
	if len(rp.servers) == 0 {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: dir,
			Err: errors.New("replay directory has no host directories (like arena.ai/)")}
	}
	return rp, nil
}

// Hosts returns the hosts being replayed, sorted.
func (rp *Replay) Hosts() []string {
	var hs []string
	for h := range rp.servers {
		hs = append(hs, h)
	}
	sort.Strings(hs)
	return hs
}

// Rewrite points an absolute URL at the replay server of its host. URLs of
// hosts that are not replayed are returned unchanged.
func (rp *Replay) Rewrite(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	s, ok := rp.servers[u.Host]
	if !ok {
		return raw
	}
	b, _ := url.Parse(s.base)
	u.Scheme, u.Host = b.Scheme, b.Host
	return u.String()
}

// RewriteBoards returns the boards with every absolute request URL
// rewritten to the replay servers.
func (rp *Replay) RewriteBoards(bs arenawatch.Boards) arenawatch.Boards {
	out := make(arenawatch.Boards, len(bs))
	for i, b := range bs {
		reqs := make([]arenawatch.Request, len(b.Requests))
		for j, r := range b.Requests {
			if u, err := url.Parse(r.URL); err == nil && u.IsAbs() {
				r.Canonical = r.URL
				r.URL = rp.Rewrite(r.URL)
			}
			reqs[j] = r
		}
		b.Requests = reqs
		out[i] = b
	}
	return out
}

// Allow rejects requests that would leave the replay servers: a replay run
// never reaches the internet, and a host missing from the directory is
// named rather than fetched live.
func (rp *Replay) Allow(req arenawatch.Request) error {
	u, err := url.Parse(req.URL)
	if err != nil {
		return err
	}
	for _, s := range rp.servers {
		if b, _ := url.Parse(s.base); b != nil && b.Host == u.Host {
			return nil
		}
	}
	return &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: req.URL,
		Err:  fmt.Errorf("the replay directory has no pages for host %s", u.Host),
		Hint: "record one with 'arenawatch scrape --record DIR', or add DIR/" + u.Host + "/…"}
}

// Close stops every replay server.
func (rp *Replay) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var errs []error
	for _, s := range rp.servers {
		errs = append(errs, s.srv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

func replayHandler(root *os.Root) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "."
		}
		fi, err := root.Stat(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if fi.IsDir() {
			idx, err := findIndex(root, name, ExchangeKey(r.URL.RawQuery, body))
			if err != nil {
				http.Error(w, err.Error(), http.StatusNotFound)
				return
			}
			name = idx
		}
		data, err := root.ReadFile(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ct := mime.TypeByExtension(path.Ext(name))
		switch path.Ext(name) {
		case ".html":
			ct = "text/html; charset=utf-8"
		case ".json":
			ct = "application/json"
		case ".csv":
			ct = "text/csv; charset=utf-8"
		}
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		if r.Method != http.MethodHead {
			w.Write(data) //nolint:errcheck // client gone
		}
	})
}

// findIndex picks the file that answers a request for directory dir: the
// one named <key>.* for the request's query and body, else index.*.
func findIndex(root *os.Root, dir, key string) (string, error) {
	f, err := root.Open(dir)
	if err != nil {
		return "", err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return "", err
	}
	for _, stem := range []string{key, "index"} {
		if stem == "" {
			continue
		}
		var found []string
		for _, e := range ents {
			if !e.IsDir() && strings.TrimSuffix(e.Name(), path.Ext(e.Name())) == stem {
				found = append(found, path.Join(dir, e.Name()))
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		}
		return "", fmt.Errorf("%s has %d files named %s.*", dir, len(found), stem)
	}
	return "", fs.ErrNotExist
}
