package store

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/arenawatch/arenawatch"
	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// Raw bodies (schema 2). Each body is kept once, compressed, in a bucket
// of its own under "bodies", keyed by an append-ordered sequence number;
// "bodyindex" maps its sha256 to that number:
//
//	bodies/<seq>/sha     sha256 hex of the body
//	bodies/<seq>/codec   "zstd"; "none" for a body zstd does not shrink (parquet);
//	                     "gzip" for bodies carried over from schema 1
//	bodies/<seq>/data    the compressed body
//	bodyindex            sha256 hex → seq (8 bytes)
//
// Why a bucket each: bbolt keeps at least two values on a leaf page, so
// large values stored side by side in one bucket are rewritten whenever a
// neighbour is inserted (schema 1 kept bodies in one bucket keyed by
// sha256, and a scrape after importing a 23 MB parquet rewrote it every
// time). A body in a bucket of its own is written once and never again;
// inserting a body rewrites only the small leaf of bucket headers and of
// the sha index.
var (
	bucketBodies    = []byte("bodies")
	bucketBodyIndex = []byte("bodyindex")

	keyBodySHA   = []byte("sha")
	keyBodyCodec = []byte("codec")
	keyBodyData  = []byte("data")

	codecZstd = []byte("zstd")
	codecGzip = []byte("gzip")
	codecNone = []byte("none") // a body zstd would not shrink by 5%
)

// maxRawBody bounds what a stored body may expand to (a damaged frame must
// not claim more); the largest bodies are imported parquet files.
const maxRawBody = 4 << 30

var (
	rawEncoder = sync.OnceValue(func() *zstd.Encoder {
		e, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
		if err != nil {
			panic(err)
		}
		return e
	})
	rawDecoder = sync.OnceValue(func() *zstd.Decoder {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxRawBody))
		if err != nil {
			panic(err)
		}
		return d
	})
)

// hasBody reports whether the store holds the body with this sha256 hex,
// in either layout.
func hasBody(tx *bolt.Tx, sha []byte) bool {
	if idx := tx.Bucket(bucketBodyIndex); idx != nil && idx.Get(sha) != nil {
		return true
	}
	if v1 := tx.Bucket(bucketRaw); v1 != nil && v1.Get(sha) != nil {
		return true
	}
	return false
}

// putBody stores a compressed body under a new sequence number. codec
// says how data is compressed.
func putBody(tx *bolt.Tx, sha, codec, data []byte) error {
	bodies, idx := tx.Bucket(bucketBodies), tx.Bucket(bucketBodyIndex)
	if bodies == nil || idx == nil {
		return fmt.Errorf("no bodies or bodyindex bucket")
	}
	seq, err := bodies.NextSequence()
	if err != nil {
		return err
	}
	key := u64(seq)
	nb, err := bodies.CreateBucket(key)
	if err != nil {
		return err
	}
	for _, kv := range [][2][]byte{{keyBodySHA, sha}, {keyBodyCodec, codec}, {keyBodyData, data}} {
		if err := nb.Put(kv[0], kv[1]); err != nil {
			return err
		}
	}
	idx.FillPercent = 1 // sha keys arrive in random order; full leaves keep the index small
	return idx.Put(sha, key)
}

// putRaw checks that every document's body is available and writes the
// bodies in raw that the store lacks.
func (db *DB) putRaw(tx *bolt.Tx, board string, snap *arenawatch.Snapshot, raw map[string][]byte) error {
	for i, d := range snap.Documents {
		if d.SHA256 == "" {
			return db.errf(arenawatch.KindInvalid, board, "document %d (%s) has no sha256", i, d.Name)
		}
		if _, ok := raw[d.SHA256]; !ok && !hasBody(tx, []byte(d.SHA256)) {
			return db.errf(arenawatch.KindInvalid, board, "document %d (%s %s): raw body %s was not given", i, d.Name, d.URL, d.SHA256)
		}
	}
	// Sorted, so that the same input writes the same pages in the same order.
	shas := make([]string, 0, len(raw))
	for sha := range raw {
		shas = append(shas, sha)
	}
	sort.Strings(shas)
	for _, sha := range shas {
		if hasBody(tx, []byte(sha)) {
			continue
		}
		body := raw[sha]
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != sha {
			return db.errf(arenawatch.KindInvalid, board, "raw body given as %s hashes to %s", sha, got)
		}
		codec, data := codecZstd, rawEncoder().EncodeAll(body, nil)
		if len(data) > len(body)-len(body)/20 {
			// Already compressed (a parquet file, an image): kept as it is,
			// which saves reading it through zstd every time.
			codec, data = codecNone, body
		}
		if err := putBody(tx, []byte(sha), codec, data); err != nil {
			return err
		}
	}
	return nil
}

// getBody returns the decompressed body with this sha256 hex, from either
// layout; found is false when the store does not hold it.
func getBody(tx *bolt.Tx, sha []byte) (body []byte, found bool, err error) {
	codec, data, found, err := storedBody(tx, sha)
	if !found || err != nil {
		return nil, found, err
	}
	body, err = decompressBody(codec, data)
	return body, true, err
}

// storedBody returns a body's codec and compressed bytes as stored.
func storedBody(tx *bolt.Tx, sha []byte) (codec, data []byte, found bool, err error) {
	if idx := tx.Bucket(bucketBodyIndex); idx != nil {
		if seq := idx.Get(sha); seq != nil {
			nb := (*bolt.Bucket)(nil)
			if bodies := tx.Bucket(bucketBodies); bodies != nil {
				nb = bodies.Bucket(seq)
			}
			if nb == nil {
				return nil, nil, true, fmt.Errorf("the index names body %s, which is missing", keyU64String(seq))
			}
			if got := nb.Get(keyBodySHA); !bytes.Equal(got, sha) {
				return nil, nil, true, fmt.Errorf("body %s holds sha256 %q", keyU64String(seq), got)
			}
			return nb.Get(keyBodyCodec), nb.Get(keyBodyData), true, nil
		}
	}
	if v1 := tx.Bucket(bucketRaw); v1 != nil {
		if z := v1.Get(sha); z != nil {
			return codecGzip, z, true, nil
		}
	}
	return nil, nil, false, nil
}

// decompressBody expands a stored body.
func decompressBody(codec, data []byte) ([]byte, error) {
	switch {
	case bytes.Equal(codec, codecZstd):
		return rawDecoder().DecodeAll(data, nil)
	case bytes.Equal(codec, codecNone):
		return bytes.Clone(data), nil
	case bytes.Equal(codec, codecGzip):
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(io.LimitReader(zr, maxRawBody))
	}
	return nil, fmt.Errorf("unknown codec %q", codec)
}

// keyU64String renders a sequence key for messages.
func keyU64String(k []byte) string {
	if len(k) != 8 {
		return fmt.Sprintf("%x", k)
	}
	return fmt.Sprintf("#%d", keyU64(k))
}

// Raw returns the decompressed body stored under sha256hex, or
// KindNotFound.
func (db *DB) Raw(sha256hex string) ([]byte, error) {
	var out []byte
	err := db.view(func(tx *bolt.Tx) error {
		body, found, err := getBody(tx, []byte(sha256hex))
		switch {
		case !found:
			return db.errf(arenawatch.KindNotFound, "", "no raw body %s", sha256hex)
		case err != nil:
			return db.errf(arenawatch.KindDamaged, "", "raw body %s: %v", sha256hex, err)
		}
		out = body
		return nil
	})
	if err != nil {
		return nil, db.wrap(err, "", "read raw body")
	}
	return out, nil
}
