package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/arenawatch/arenawatch"
)

// config is the YAML config file. Every field is optional. Precedence:
// flags > environment (ARENAWATCH_*) > this file > built-in defaults.
type config struct {
	DB          string            `yaml:"db"`
	LockTimeout duration          `yaml:"lock_timeout"`
	UserAgent   string            `yaml:"user_agent"`
	Catalog     string            `yaml:"catalog"` // catalog override file
	URLs        map[string]string `yaml:"urls"`
	Fetch       struct {
		RequestTimeout duration `yaml:"request_timeout"`
		RunTimeout     duration `yaml:"run_timeout"`
		Retries        *int     `yaml:"retries"`
		HostDelay      duration `yaml:"host_delay"`
		MaxBodySize    int64    `yaml:"max_body_size"`
	} `yaml:"fetch"`
	Boards map[string]struct {
		MinRows *int `yaml:"min_rows"`
	} `yaml:"boards"`
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
	return c, nil
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
