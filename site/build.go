package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"

	"github.com/arenawatch/arenawatch"
)

//go:embed assets/*.tmpl assets/style.css assets/sort.js
var assets embed.FS

// ChartFunc draws one chart of a board as SVG into w, width × height
// pixels, and returns its alternative text ("": the site says what the
// chart shows itself). An error of KindNotFound means there is nothing to
// draw (the slot says so); any other error fails the build.
type ChartFunc func(w io.Writer, kind string, b *Board, s *Site, width, height int) (alt string, err error)

// Options say how Build draws the site.
type Options struct {
	// Chart draws the charts (Draw: with package chart); nil leaves them
	// out.
	Chart ChartFunc
	// ChartWidth and ChartHeight are the charts' size (1200 × 700 when 0).
	ChartWidth, ChartHeight int
}

// The chart kinds of a ranked board's page, and of a usage board's.
var (
	RankedCharts = []string{"position", "gap", "share", "board"}
	UsageCharts  = []string{"usage"}
)

// File is one file of a built site.
type File struct {
	// Path is slash-separated, relative to the site's root.
	Path string
	Data []byte
}

// Render draws every file of the site, in a fixed order, in memory.
func Render(s *Site, opt Options) ([]File, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	var files []File
	for _, name := range []string{"style.css", "sort.js"} {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{name, b})
	}
	page := func(path, tmpl string, data any) error {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, tmpl, data); err != nil {
			return fmt.Errorf("page %s: %w", path, err)
		}
		files = append(files, File{path, buf.Bytes()})
		return nil
	}
	if err := page("index.html", "index", indexOf(s)); err != nil {
		return nil, err
	}
	if err := page("about.html", "about", aboutOf(s)); err != nil {
		return nil, err
	}
	for _, b := range s.Boards {
		bp, charts, err := boardPageOf(s, b, opt)
		if err != nil {
			return nil, err
		}
		files = append(files, charts...)
		if err := page("boards/"+b.ID+".html", "board", bp); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// Build renders the site and writes it into dir, creating dir and
// boards/ as needed. Each file is written beside its place and renamed
// over it, so a web server never serves half a page. Files of boards no
// longer built are left as they are.
func Build(s *Site, dir string, opt Options) ([]File, error) {
	files, err := Render(s, opt)
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInternal, Err: err}
	}
	// A directory that cannot be made or written is the --out argument's
	// fault (or the disk's): say which, and nothing is half-written.
	hint := "--out must name a directory arenawatch can create and write"
	if err := os.MkdirAll(filepath.Join(dir, "boards"), 0o755); err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: dir, Err: err, Hint: hint}
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data); err != nil {
			return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: dir, Err: err, Hint: hint}
		}
	}
	return files, nil
}

// writeFile writes data to a temporary file beside path and renames it
// over path. A file is replaced whole or not at all (a rename); the files
// before it in the list are already in place.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".arenawatch-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// parseTemplates parses the page templates with the helpers they use.
func parseTemplates() (*template.Template, error) {
	return template.New("site").Funcs(funcs).ParseFS(assets, "assets/*.tmpl")
}
