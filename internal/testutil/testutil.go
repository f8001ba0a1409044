// Package testutil holds the helpers the tests of several packages share:
// the repository's fixtures, golden files and loopback servers. Only tests
// import it.
package testutil

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files (review the diff before committing)")

// FixturesDir returns the path of the repository's fixtures/ directory,
// found from the working directory of a test (its package's directory)
// upwards: the directory beside the first go.mod. It panics when there is
// none, which only a test run outside the repository would see.
var FixturesDir = sync.OnceValue(func() string {
	dir, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "fixtures")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			panic("testutil: no go.mod above the working directory")
		}
		dir = parent
	}
})

// Fixture reads a file under the repository's fixtures/ directory; rel is
// slash-separated.
func Fixture(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(FixturesDir(), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Gunzip reads a gzip-compressed file (path relative to the package
// directory, or absolute) and returns its content.
func Gunzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Golden compares got with the file at path (relative to the package
// directory), rewriting the file when the tests run with -update. A string
// or []byte is compared as it is; any other value as indented JSON ending
// in a newline.
func Golden(t testing.TB, path string, got any) {
	t.Helper()
	var b []byte
	switch g := got.(type) {
	case []byte:
		b = g
	case string:
		b = []byte(g)
	default:
		var err error
		if b, err = json.MarshalIndent(got, "", "  "); err != nil {
			t.Fatal(err)
		}
		b = append(b, '\n')
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update in this package to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("output differs from the golden file %s (run go test -update in this package, then review the diff)", path)
		diffLines(t, string(want), string(b))
	}
}

// diffLines reports the first few differing lines.
func diffLines(t testing.TB, want, got string) {
	t.Helper()
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 5; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			t.Logf("line %d:\n  want %s\n  got  %s", i+1, a, b)
			shown++
		}
	}
}

// Server starts a loopback HTTP server, closed when the test ends, and
// returns its URL.
func Server(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
