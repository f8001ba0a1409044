package replay

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/fetch"
)

// Recorded exchanges live in a directory laid out by URL, one directory per
// host and path (see Replay). A plain GET is stored as index.<ext>; a
// request that differs from others on the same path only by its query or
// its body (paged APIs, POST bodies) is stored as <key>.<ext> beside it,
// where key is ExchangeKey. Replay serves <key>.* when it exists and falls
// back to index.*.

// ExchangeKey names the stored response of a request with this query and
// body: "q-…" for the query (parameters sorted), "b-…" for a hash of the
// body, joined by "~"; "" for neither. Keys are safe file names.
func ExchangeKey(rawQuery string, body []byte) string {
	var parts []string
	if rawQuery != "" {
		q, err := url.ParseQuery(rawQuery)
		var enc string
		if err == nil {
			keys := make([]string, 0, len(q))
			for k := range q {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var kv []string
			for _, k := range keys {
				vs := append([]string(nil), q[k]...)
				sort.Strings(vs)
				for _, v := range vs {
					kv = append(kv, k+"="+v)
				}
			}
			enc = strings.Join(kv, "&")
		} else {
			enc = rawQuery
		}
		parts = append(parts, "q-"+safeName(enc))
	}
	if len(body) > 0 {
		sum := sha256.Sum256(body)
		parts = append(parts, "b-"+hex.EncodeToString(sum[:6]))
	}
	return strings.Join(parts, "~")
}

// safeName keeps letters, digits and ".=-_," and turns everything else into
// "_"; long names are cut and given a hash so they stay unique.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(".=-_,", r):
			b.WriteRune(r)
		case r == '&':
			b.WriteByte(',')
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if len(out) > 120 {
		sum := sha256.Sum256([]byte(s))
		out = out[:100] + "-" + hex.EncodeToString(sum[:4])
	}
	return out
}

// extFor picks a file extension from a Content-Type.
func extFor(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return ".html"
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return ".json"
	case mt == "text/csv":
		return ".csv"
	case mt == "text/x-component":
		return ".rsc"
	case mt == "application/javascript" || mt == "text/javascript":
		return ".js"
	case strings.HasPrefix(mt, "text/"):
		return ".txt"
	}
	return ".bin"
}

// MissingHint is the hint of a replayed request the directory has no file
// for: the file to add (index.<ext>, or <key>.<ext> for a request with a
// query or body of its own) or to record.
func MissingHint(req arenawatch.Request) string {
	name := "index"
	if u, err := url.Parse(req.URL); err == nil {
		if k := ExchangeKey(u.RawQuery, []byte(req.Body)); k != "" {
			name = k // a POST body or query has a file of its own
		}
	}
	return "the replay directory has no file for this request: add <dir>/<host>/<path>/" + name + ".<ext>, or record one with 'arenawatch scrape --record <dir>'"
}

// Recorder saves responses in the replay layout, so that a real run can
// become a replay fixture (scrape --record DIR).
type Recorder struct {
	Dir string
}

// Save writes one response. Only 2xx responses are kept: replay serves
// every file with 200.
func (rec *Recorder) Save(resp *fetch.Response) (string, error) {
	if resp.Status < 200 || resp.Status > 299 {
		return "", nil
	}
	// File a replayed or mirrored request under the URL the board defines.
	u, err := url.Parse(cmp.Or(resp.Request.Canonical, resp.Request.URL))
	if err != nil {
		return "", err
	}
	key := ExchangeKey(u.RawQuery, []byte(resp.Request.Body))
	if key == "" {
		key = "index"
	}
	ct := ""
	if resp.Header != nil {
		ct = resp.Header.Get("Content-Type")
	}
	clean := strings.TrimPrefix(path.Clean("/"+u.Path), "/")
	dir := filepath.Join(rec.Dir, safeHost(u.Host), filepath.FromSlash(clean))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("record %s: %w", resp.Request.URL, err)
	}
	file := filepath.Join(dir, key+extFor(ct))
	if err := os.WriteFile(file, resp.Body, 0o644); err != nil {
		return "", fmt.Errorf("record %s: %w", resp.Request.URL, err)
	}
	return file, nil
}

// safeHost keeps a host usable as a directory name: IPv6 brackets become
// "_". A port stays ("127.0.0.1:8080"), so replay finds the host again.
func safeHost(h string) string {
	return strings.NewReplacer("[", "_", "]", "_").Replace(h)
}
