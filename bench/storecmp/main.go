// Command storecmp measures the store on three workloads of the issue
// "years of history in one small file", through the API that schema 1 and
// schema 2 share (Open, Save, Latest, Close), so that the same source
// builds against the previous commit and this one (bench/store.sh runs
// both, side by side).
//
//	size       N changed scrapes of a real 214-row board (LMArena text,
//	           fixtures), scores and votes drifting as on the live site:
//	           file bytes per snapshot
//	amp        a 24 MB imported file, then changed scrapes of three
//	           boards with a fresh 300 KB page each: bytes written per
//	           scrape against its new data
//	unchanged  19 boards stored, then the same content again, one Save
//	           each: bytes written and file growth (the CLI's scrape now
//	           writes a run's results in one SaveBatch, which schema 1 has
//	           not: measure that with the CLI, see docs/benchmarks.md)
//
// Bytes written are the process's write(2)/pwrite(2) bytes (wchar in
// /proc/self/io); file bytes are bbolt's high-water mark minus its free
// pages, read with bbolt itself.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/store"
	bolt "go.etcd.io/bbolt"
)

func main() {
	mode := flag.String("mode", "size", "size, amp or unchanged")
	n := flag.Int("n", 200, "scrapes")
	dump := flag.String("dump", "store/testdata/v1/dump.jsonl.gz", "snapshots to start from")
	dir := flag.String("dir", "", "working directory (a temporary one when empty)")
	flag.Parse()
	if *dir == "" {
		d, err := os.MkdirTemp("", "storecmp")
		check(err)
		defer os.RemoveAll(d)
		*dir = d
	}
	base := loadSnapshots(*dump)
	path := filepath.Join(*dir, "bench.db")
	switch *mode {
	case "size":
		size(path, base["arena-text"], *n)
	case "amp":
		amp(path, base, *n)
	case "unchanged":
		unchanged(path, base)
	default:
		check(fmt.Errorf("unknown mode %q", *mode))
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "storecmp:", err)
		os.Exit(1)
	}
}

// loadSnapshots reads the newest snapshot of each board from the dump.
func loadSnapshots(name string) map[string]*arenawatch.Snapshot {
	f, err := os.Open(name)
	check(err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	check(err)
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	out := map[string]*arenawatch.Snapshot{}
	for sc.Scan() {
		var line struct{ Snapshot *arenawatch.Snapshot }
		check(json.Unmarshal(sc.Bytes(), &line))
		if s := line.Snapshot; s != nil && s.Origin != arenawatch.OriginImported {
			out[s.Board] = s
		}
	}
	check(sc.Err())
	return out
}

// drift returns the next scrape of s: every score moves a little, votes
// grow, and now and then a model arrives.
func drift(s *arenawatch.Snapshot, at time.Time, rng *rand.Rand, step int) *arenawatch.Snapshot {
	next := *s
	next.FetchedAt = at
	next.AsOf = at.Truncate(24 * time.Hour)
	next.Documents = nil
	next.SHA256 = ""
	next.Rows = make([]arenawatch.Row, len(s.Rows))
	for i, r := range s.Rows {
		r.Score = float64(int((r.Score+rng.NormFloat64()*0.8)*100)) / 100
		if r.ScoreLower != nil && r.ScoreUpper != nil {
			lo, hi := r.Score-(r.Score-*r.ScoreLower)*0.99, r.Score+(*r.ScoreUpper-r.Score)*0.99
			r.ScoreLower, r.ScoreUpper = &lo, &hi
		}
		r.Votes += int64(rng.IntN(400))
		next.Rows[i] = r
	}
	if step%10 == 9 {
		r := next.Rows[len(next.Rows)-1]
		r.Model = "new-model-" + strconv.Itoa(step)
		r.Name = ""
		next.Rows = append(next.Rows, r)
	}
	next.ContentHash = next.ComputeContentHash()
	return &next
}

// wchar is the bytes this process has passed to write calls so far.
func wchar() int64 {
	b, err := os.ReadFile("/proc/self/io")
	check(err)
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "wchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			check(err)
			return n
		}
	}
	check(fmt.Errorf("no wchar in /proc/self/io"))
	return 0
}

// inUse is the file's bytes in use: bbolt's high-water mark less its free
// pages.
func inUse(path string) int64 {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	check(err)
	defer db.Close()
	var size int64
	check(db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil }))
	st := db.Stats()
	return size - int64(st.FreePageN+st.PendingPageN)*int64(db.Info().PageSize)
}

func open(path string) *store.DB {
	db, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
	check(err)
	return db
}

func size(path string, s *arenawatch.Snapshot, n int) {
	rng := rand.New(rand.NewPCG(1, 2))
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db := open(path)
	_, err := db.Save(context.Background(), drift(s, t, rng, 0), nil)
	check(err)
	check(db.Close())
	before, w0, start := inUse(path), wchar(), time.Now()
	db = open(path)
	for i := 1; i <= n; i++ {
		_, err := db.Save(context.Background(), drift(s, t.Add(time.Duration(i)*4*time.Hour), rng, i), nil)
		check(err)
	}
	check(db.Close())
	took := time.Since(start)
	after := inUse(path)
	js, _ := json.Marshal(s)
	fmt.Printf("size: %d changed scrapes of %s (%d rows, %d KB of JSON): %.1f KB of file each, %.1f KB written each, %.2f ms each\n",
		n, s.Board, len(s.Rows), len(js)/1024, float64(after-before)/float64(n)/1024,
		float64(wchar()-w0)/float64(n)/1024, float64(took.Microseconds())/float64(n)/1000)
}

// page returns a 300 KB text page, new each call, that compresses like
// HTML (about 5:1).
func page(rng *rand.Rand, step int) []byte {
	words := []string{"<tr>", "<td>", "</td>", "model", "score", "class=\"row\"", "votes", "open", "license", "MIT", "Apache-2.0"}
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!-- scrape %d -->", step)
	for b.Len() < 300<<10 {
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteString(strconv.Itoa(rng.IntN(100000)))
		b.WriteByte(' ')
	}
	return b.Bytes()
}

func shaHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Len()
}

func withPage(s *arenawatch.Snapshot, body []byte) map[string][]byte {
	sha := shaHex(body)
	s.SHA256 = sha
	s.Documents = []arenawatch.Document{{Name: "page", Method: "GET", URL: s.URL, Status: 200, SHA256: sha, Size: len(body)}}
	return map[string][]byte{sha: body}
}

func amp(path string, base map[string]*arenawatch.Snapshot, n int) {
	rng := rand.New(rand.NewPCG(3, 4))
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db := open(path)
	// The imported file: 24 MB that does not compress (like parquet).
	big := make([]byte, 24<<20)
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	imp := drift(base["hf-text"], time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), rng, 0)
	imp.Origin = arenawatch.OriginImported
	_, err := db.Save(context.Background(), imp, withPage(imp, big))
	check(err)
	boards := []string{"arena-text", "arena-vision", "openlm-arena"}
	for _, b := range boards { // a first snapshot each, so that every measured one is a change
		s := drift(base[b], t, rng, 0)
		_, err := db.Save(context.Background(), s, withPage(s, page(rng, 0)))
		check(err)
	}
	check(db.Close())
	var written, newData int64
	start := time.Now()
	db = open(path)
	for i := 1; i <= n; i++ {
		for _, b := range boards {
			s := drift(base[b], t.Add(time.Duration(i)*4*time.Hour), rng, i)
			body := page(rng, i)
			raw := withPage(s, body)
			js, _ := json.Marshal(s)
			w := wchar()
			_, err := db.Save(context.Background(), s, raw)
			check(err)
			written += wchar() - w
			newData += int64(gzipLen(body) + gzipLen(js))
		}
	}
	check(db.Close())
	k := int64(n * len(boards))
	fmt.Printf("amp: after a 24 MB import, %d changed scrapes with a new 300 KB page: %.0f KB written each for %.0f KB of new data (gzip -6 of page and rows): %.2f×; %.1f ms each\n",
		k, float64(written)/float64(k)/1024, float64(newData)/float64(k)/1024, float64(written)/float64(newData),
		float64(time.Since(start).Milliseconds())/float64(k))
}

func unchanged(path string, base map[string]*arenawatch.Snapshot) {
	rng := rand.New(rand.NewPCG(5, 6))
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var snaps []*arenawatch.Snapshot
	var raws []map[string][]byte
	for b, s := range base {
		if len(snaps) == 19 {
			break
		}
		_ = b
		s = drift(s, t, rng, 0)
		raws = append(raws, withPage(s, page(rng, len(snaps))))
		snaps = append(snaps, s)
	}
	db := open(path)
	for i, s := range snaps {
		_, err := db.Save(context.Background(), s, raws[i])
		check(err)
	}
	check(db.Close())
	before, w0 := inUse(path), wchar()
	db = open(path)
	for i, s := range snaps {
		again := *s
		again.FetchedAt = s.FetchedAt.Add(4 * time.Hour)
		res, err := db.Save(context.Background(), &again, raws[i])
		check(err)
		if res.Outcome != store.OutcomeUnchanged {
			check(fmt.Errorf("%s: %s, want unchanged", s.Board, res.Outcome))
		}
	}
	check(db.Close())
	fmt.Printf("unchanged: %d boards re-scraped unchanged: %.1f KB written in all, file grew by %.1f KB\n",
		len(snaps), float64(wchar()-w0)/1024, float64(inUse(path)-before)/1024)
}
