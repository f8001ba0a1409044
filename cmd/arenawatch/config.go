package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/source"
)

// config is the YAML config file. Every field is optional. Precedence:
// flags > environment (ARENAWATCH_*) > this file > built-in defaults.
type config struct {
	DB          string   `yaml:"db"`
	LockTimeout duration `yaml:"lock_timeout"`
	UserAgent   string   `yaml:"user_agent"`
	Catalog     string   `yaml:"catalog"` // catalog override file
	// Scrape lists the boards a bare "scrape" fetches; the default boards
	// (those not marked optional) when empty.
	Scrape []string          `yaml:"scrape"`
	URLs   map[string]string `yaml:"urls"`
	Fetch  struct {
		RequestTimeout duration `yaml:"request_timeout"`
		RunTimeout     duration `yaml:"run_timeout"`
		Retries        *int     `yaml:"retries"`
		HostDelay      duration `yaml:"host_delay"`
		MaxBodySize    int64    `yaml:"max_body_size"`
	} `yaml:"fetch"`
	Boards map[string]struct {
		MinRows *int `yaml:"min_rows"`
	} `yaml:"boards"`
	// Sources are user-defined boards, read by a generic extractor.
	Sources []sourceConfig `yaml:"sources"`
	// Notify lists the shoutrrr URLs a scrape alerts (scrape --notify);
	// NotifyFailures and NotifyTimeout are --notify-failures and
	// --notify-timeout.
	Notify         []string `yaml:"notify"`
	NotifyFailures int      `yaml:"notify_failures"`
	NotifyTimeout  duration `yaml:"notify_timeout"`
}

// sourceConfig is one user-defined board in the config file.
type sourceConfig struct {
	ID        string            `yaml:"id"`
	Title     string            `yaml:"title"`
	Kind      string            `yaml:"kind"` // htmltable, json, csv
	URL       string            `yaml:"url"`
	Method    string            `yaml:"method"`
	Body      string            `yaml:"body"`
	Headers   map[string]string `yaml:"headers"` // values may use ${ENV_VAR}
	Rows      string            `yaml:"rows"`    // htmltable: row selector; json: path to the rows array
	Fields    map[string]string `yaml:"fields"`  // field → header (htmltable, csv) or key path (json)
	RankBy    string            `yaml:"rank_by"` // "score" (default) or "source"
	MinRows   int               `yaml:"min_rows"`
	ScoreName string            `yaml:"score_name"`
	Optional  bool              `yaml:"optional"`
}

// duration reads "30s", "2m" in YAML.
type duration struct{ time.Duration }

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration like 30s or 2m", n.Line, n.Value)
	}
	d.Duration = v
	return nil
}

// configPath returns the config file to read and whether the user named it
// (a named file must exist; the default one may be absent).
func (e *env) configPath(flag string) (string, bool) {
	if flag != "" {
		return flag, true
	}
	if v := e.getenv("ARENAWATCH_CONFIG"); v != "" {
		return v, true
	}
	dir := e.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := e.getenv("HOME")
		if home == "" {
			return "", false
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "arenawatch", "config.yaml"), false
}

func loadConfig(path string, required bool) (*config, error) {
	c := &config{}
	if path == "" {
		return c, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return c, nil
	}
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: fmt.Errorf("config file: %w", err)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// io.EOF: an empty file is a valid, empty config.
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: fmt.Errorf("config file: %w", err),
			Hint: "see the README's configuration section for the fields"}
	}
	if err := c.check(); err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: fmt.Errorf("config file: %w", err),
			Hint: "see the README's configuration section for the fields"}
	}
	return c, nil
}

// check rejects values that decode but mean nothing: a negative time,
// count or size would otherwise be dropped in silence (the same value in
// the environment or a flag is an error too).
func (c *config) check() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"lock_timeout", c.LockTimeout.Duration},
		{"fetch.request_timeout", c.Fetch.RequestTimeout.Duration},
		{"fetch.run_timeout", c.Fetch.RunTimeout.Duration},
		{"fetch.host_delay", c.Fetch.HostDelay.Duration},
		{"notify_timeout", c.NotifyTimeout.Duration},
	} {
		if d.v < 0 {
			return fmt.Errorf("%s: %v is negative", d.name, d.v)
		}
	}
	if c.Fetch.Retries != nil && *c.Fetch.Retries < 0 {
		return fmt.Errorf("fetch.retries: %d is negative (0 means no retry)", *c.Fetch.Retries)
	}
	if c.NotifyFailures < 0 {
		return fmt.Errorf("notify_failures: %d is negative", c.NotifyFailures)
	}
	if c.Fetch.MaxBodySize < 0 {
		return fmt.Errorf("fetch.max_body_size: %d is negative", c.Fetch.MaxBodySize)
	}
	for _, id := range slices.Sorted(maps.Keys(c.Boards)) {
		if m := c.Boards[id].MinRows; m != nil && *m < 1 {
			return fmt.Errorf("boards.%s.min_rows: %d, want at least 1", id, *m)
		}
	}
	return nil
}

// defaultDBPath is $XDG_DATA_HOME/arenawatch/arenawatch.db, or
// ~/.local/share/arenawatch/arenawatch.db when XDG_DATA_HOME is unset.
func (e *env) defaultDBPath() (string, error) {
	dir := e.getenv("XDG_DATA_HOME")
	if dir == "" {
		home := e.getenv("HOME")
		if home == "" {
			return "", arenawatch.Errorf(arenawatch.KindInvalid, "cannot place the database: neither XDG_DATA_HOME nor HOME is set; pass --db")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "arenawatch", "arenawatch.db"), nil
}

// customBoards turns the config's sources into boards; a malformed source
// is a usage error that names it. Header values keep their ${ENV_VAR}
// references until a run expands them (expandEnv).
func customBoards(c *config, known arenawatch.Boards) (arenawatch.Boards, error) {
	var out arenawatch.Boards
	seen := map[string]bool{}
	for _, id := range known.IDs() {
		seen[id] = true
	}
	for i, sc := range c.Sources {
		where := fmt.Sprintf("config sources[%d]", i)
		if sc.ID != "" {
			where = fmt.Sprintf("config source %q", sc.ID)
		}
		if !arenawatch.ValidBoardID(sc.ID) {
			return nil, &usageError{fmt.Errorf("%s: id must be lower-case letters, digits and dashes", where)}
		}
		if seen[sc.ID] {
			return nil, &usageError{fmt.Errorf("%s: a board with this id already exists", where)}
		}
		seen[sc.ID] = true
		if !slices.Contains(source.CustomKinds, sc.Kind) {
			return nil, &usageError{fmt.Errorf("%s: kind %q: want one of %s", where, sc.Kind, strings.Join(source.CustomKinds, ", "))}
		}
		params := map[string]string{"rows": sc.Rows}
		for f, src := range sc.Fields {
			params["field."+f] = src
		}
		b := arenawatch.Board{
			ID: sc.ID, Title: cmp.Or(sc.Title, sc.ID+" (user-defined)"), Site: "user-defined", Extractor: sc.Kind,
			Requests:  []arenawatch.Request{{Name: "page", Method: strings.ToUpper(cmp.Or(sc.Method, "GET")), URL: sc.URL, Body: sc.Body, Header: sc.Headers}},
			Params:    params,
			Rank:      arenawatch.RankByScore,
			Limits:    arenawatch.Limits{MinRows: cmp.Or(sc.MinRows, 5)},
			ScoreName: cmp.Or(sc.ScoreName, "score"),
			Optional:  sc.Optional,
		}
		switch sc.RankBy {
		case "", "score":
		case "source":
			b.Rank = arenawatch.RankOwn
		default:
			return nil, &usageError{fmt.Errorf("%s: rank_by %q: want score or source", where, sc.RankBy)}
		}
		if err := source.CheckBoard(b); err != nil {
			return nil, &usageError{fmt.Errorf("%s: %w", where, err)}
		}
		out = append(out, b)
	}
	return out, nil
}

// expandEnv replaces ${ENV_VAR} in the boards' request headers (API keys,
// tokens). A board that needs a variable that is not set is left out, and
// skipped says so in one line: a missing key is a choice, not an error.
func expandEnv(bs arenawatch.Boards, getenv func(string) string) (kept arenawatch.Boards, skipped []string) {
	for _, b := range bs {
		var missing string
		reqs := make([]arenawatch.Request, len(b.Requests))
		for i, r := range b.Requests {
			if len(r.Header) > 0 {
				h := make(map[string]string, len(r.Header))
				for k, v := range r.Header {
					h[k] = os.Expand(v, func(name string) string {
						val := getenv(name)
						if val == "" && missing == "" {
							missing = name
						}
						return val
					})
				}
				r.Header = h
			}
			reqs[i] = r
		}
		if missing != "" {
			skipped = append(skipped, fmt.Sprintf("%s: skipped: environment variable %s is not set", b.ID, missing))
			continue
		}
		b.Requests = reqs
		kept = append(kept, b)
	}
	return kept, skipped
}

// applyBoards returns the built-in boards with config and flag URL
// overrides and config limits applied. overrides are "BOARD=URL" strings
// from --url; they win over the config file.
func applyBoards(bs arenawatch.Boards, c *config, overrides []string) (arenawatch.Boards, error) {
	urls := map[string]string{}
	for id, u := range c.URLs {
		urls[id] = u
	}
	for _, o := range overrides {
		id, u, ok := strings.Cut(o, "=")
		if !ok || id == "" || u == "" {
			return nil, &usageError{fmt.Errorf("--url %q: want BOARD=URL", o)}
		}
		urls[id] = u
	}
	out := make(arenawatch.Boards, len(bs))
	copy(out, bs)
	known := map[string]int{}
	for i, b := range out {
		known[b.ID] = i
	}
	var ids []string
	for id := range urls {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		i, ok := known[id]
		if !ok {
			return nil, &usageError{fmt.Errorf("URL override for unknown board %q (known: %s)", id, strings.Join(bs.IDs(), ", "))}
		}
		b := out[i]
		reqs := make([]arenawatch.Request, len(b.Requests))
		copy(reqs, b.Requests)
		reqs[0].URL = urls[id]
		reqs[0].Alternates = nil // the user chose the URL
		b.Requests = reqs
		if _, err := b.ResolvedRequests(); err != nil {
			return nil, &usageError{fmt.Errorf("URL override for %s: %w", id, err)}
		}
		out[i] = b
	}
	for id, bc := range c.Boards {
		i, ok := known[id]
		if !ok {
			return nil, &usageError{fmt.Errorf("config boards: unknown board %q (known: %s)", id, strings.Join(bs.IDs(), ", "))}
		}
		if bc.MinRows != nil {
			if *bc.MinRows < 1 {
				return nil, &usageError{fmt.Errorf("config boards.%s.min_rows must be at least 1", id)}
			}
			out[i].Limits.MinRows = *bc.MinRows
		}
	}
	return out, nil
}
