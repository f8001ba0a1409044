package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/arenawatch/arenawatch"
	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// Snapshot values (schema 2). A snapshot is its JSON, compressed with
// zstd, in one of two forms, told apart by the first byte:
//
//	0x01 frame                 full: the snapshot's JSON
//	0x02 base-key(8) frame     delta: the JSON compressed with the JSON of
//	                           the board's snapshot at base-key as zstd's
//	                           raw dictionary
//
// A base is always a full snapshot of the same board, so reading any
// snapshot decodes at most two frames. Consecutive snapshots of a board
// share most of their bytes (model names, organisations, licences), so a
// delta is a third to a half of a full frame (docs/benchmarks.md).
// Schema-1 values are the bare JSON, starting with '{'; they are read
// as they are until a migration rewrites them.
const (
	tagFull  byte = 0x01
	tagDelta byte = 0x02
)

// deltaWorth is the largest delta, as a share of the full frame, worth
// keeping: past it the board has drifted from its base, and the snapshot
// becomes a new base.
const deltaWorth = 0.6

// dictID names the raw dictionary inside delta frames; any constant works
// since the base key, not the id, says which dictionary it is.
const dictID = 1

// fullEncoder compresses full frames; zstd encoders are safe for
// concurrent EncodeAll calls.
var fullEncoder = sync.OnceValue(func() *zstd.Encoder {
	e, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBetterCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(err) // only for invalid options
	}
	return e
})

// plainDecoder reads full frames.
var plainDecoder = sync.OnceValue(func() *zstd.Decoder {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxSnapshotJSON))
	if err != nil {
		panic(err)
	}
	return d
})

// maxSnapshotJSON bounds what a frame may expand to: a damaged or hostile
// frame must not claim gigabytes. The largest real snapshot is a few
// hundred kilobytes.
const maxSnapshotJSON = 256 << 20

// encodeFull returns the full value of a snapshot's JSON.
func encodeFull(js []byte) []byte {
	return fullEncoder().EncodeAll(js, []byte{tagFull})
}

// encodeDelta returns the delta value of js against the base snapshot at
// baseKey, whose JSON is base.
func encodeDelta(js, base, baseKey []byte) ([]byte, error) {
	e, err := dictCoders.encoder(base)
	if err != nil {
		return nil, err
	}
	dst := append([]byte{tagDelta}, baseKey...)
	return e.EncodeAll(js, dst), nil
}

// decodeFrame expands the frame of a full value.
func decodeFrame(frame []byte) ([]byte, error) {
	return plainDecoder().DecodeAll(frame, nil)
}

// decodeDeltaFrame expands a delta frame with its base's JSON.
func decodeDeltaFrame(frame, base []byte) ([]byte, error) {
	d, err := dictCoders.decoder(base)
	if err != nil {
		return nil, err
	}
	return d.DecodeAll(frame, nil)
}

// dictCoders keeps the zstd coders of the bases used last. Making one
// costs far more than using it (it loads the dictionary and allocates its
// tables), and a board's snapshots share a base for long stretches: a
// backfill writes, and a history reads, hundreds of deltas of one base.
var dictCoders = &coderCache{}

// coderCache is a small most-recently-used cache of dictionary coders,
// keyed by the dictionary's sha256. Coders are safe for concurrent
// EncodeAll/DecodeAll calls; a coder pushed out of the cache is left to
// the garbage collector (closing it could race a caller still using it).
type coderCache struct {
	mu  sync.Mutex
	enc []cachedCoder[*zstd.Encoder]
	dec []cachedCoder[*zstd.Decoder]
}

type cachedCoder[T any] struct {
	key   [32]byte
	coder T
}

// dictWindow is the zstd window of deltas: a base and the snapshot after
// it, a few hundred kilobytes at most.
const dictWindow = 1 << 20

// encoderCacheSize is how many bases' encoders are kept: writes work
// through one board at a time, and an encoder holds ~10 MB of tables.
const encoderCacheSize = 2

// coderCacheSize is how many bases' decoders are kept: one per board a
// history works through, and a few more.
const coderCacheSize = 4

func (c *coderCache) encoder(dict []byte) (*zstd.Encoder, error) {
	return cached(&c.mu, &c.enc, dict, encoderCacheSize, func() (*zstd.Encoder, error) {
		// The fastest level compresses deltas as well as the better ones
		// (a dictionary does most of the work) and allocates a fraction
		// of their tables; the window covers the base and the snapshot.
		return zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBetterCompression), zstd.WithLowerEncoderMem(true),
			zstd.WithWindowSize(dictWindow), zstd.WithEncoderConcurrency(1), zstd.WithEncoderDictRaw(dictID, bytes.Clone(dict)))
	})
}

func (c *coderCache) decoder(dict []byte) (*zstd.Decoder, error) {
	return cached(&c.mu, &c.dec, dict, coderCacheSize, func() (*zstd.Decoder, error) {
		return zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxSnapshotJSON),
			zstd.WithDecoderDictRaw(dictID, bytes.Clone(dict)))
	})
}

// cached returns the coder for dict from list, making it with make and
// putting it first when missing.
func cached[T any](mu *sync.Mutex, list *[]cachedCoder[T], dict []byte, size int, make func() (T, error)) (T, error) {
	key := sha256.Sum256(dict)
	mu.Lock()
	for i, e := range *list {
		if e.key == key {
			copy((*list)[1:i+1], (*list)[:i])
			(*list)[0] = e
			mu.Unlock()
			return e.coder, nil
		}
	}
	mu.Unlock()
	coder, err := make()
	if err != nil {
		return coder, err
	}
	mu.Lock()
	defer mu.Unlock()
	*list = append([]cachedCoder[T]{{key, coder}}, *list...)
	if len(*list) > size {
		*list = (*list)[:size]
	}
	return coder, nil
}

// valueKind reads the form of a stored snapshot value and, for a delta,
// its base key.
func valueKind(v []byte) (tag byte, baseKey []byte, err error) {
	switch {
	case len(v) == 0:
		return 0, nil, fmt.Errorf("empty value")
	case v[0] == '{':
		return '{', nil, nil // schema 1: bare JSON
	case v[0] == tagFull:
		return tagFull, nil, nil
	case v[0] == tagDelta && len(v) >= 9:
		return tagDelta, v[1:9], nil
	}
	return 0, nil, fmt.Errorf("unknown snapshot encoding 0x%02x", v[0])
}

// snapshotJSON returns the JSON of the snapshot whose value v is stored at
// key k in snaps (its board's snapshots bucket), following a delta to its
// base.
func snapshotJSON(snaps *bolt.Bucket, k, v []byte) ([]byte, error) {
	tag, baseKey, err := valueKind(v)
	if err != nil {
		return nil, err
	}
	switch tag {
	case '{':
		return v, nil
	case tagFull:
		return decodeFrame(v[1:])
	}
	base := snaps.Get(baseKey)
	if base == nil {
		return nil, fmt.Errorf("its base snapshot %s is missing", keyString(baseKey))
	}
	btag, _, err := valueKind(base)
	if err != nil || btag == tagDelta {
		return nil, fmt.Errorf("its base snapshot %s is not a full snapshot", keyString(baseKey))
	}
	baseJSON, err := snapshotJSON(snaps, baseKey, base)
	if err != nil {
		return nil, fmt.Errorf("its base snapshot %s: %w", keyString(baseKey), err)
	}
	return decodeDeltaFrame(v[9:], baseJSON)
}

// encodeSnapshot returns the value to store for a snapshot whose JSON is
// js, in a board whose previous snapshot (in time) is prevKey/prevVal
// (nil when none): a delta against that snapshot's base when it is worth
// it, else a full value.
func encodeSnapshot(snaps *bolt.Bucket, js, prevKey, prevVal []byte) ([]byte, error) {
	full := encodeFull(js)
	if prevKey == nil {
		return full, nil
	}
	baseKey, baseVal := prevKey, prevVal
	tag, bk, err := valueKind(prevVal)
	if err != nil {
		return full, nil // a damaged neighbour is no base; Check names it
	}
	if tag == tagDelta {
		baseKey, baseVal = bk, snaps.Get(bk)
		if baseVal == nil {
			return full, nil
		}
	}
	if tag == '{' {
		return full, nil // a schema-1 value is no base (migration rewrites it)
	}
	if tag == tagFull && !worthTrying(snaps, prevKey) {
		return full, nil
	}
	baseJSON, err := snapshotJSON(snaps, baseKey, baseVal)
	if err != nil {
		return full, nil
	}
	delta, err := encodeDelta(js, baseJSON, baseKey)
	if err != nil {
		return nil, err
	}
	if float64(len(delta)) > deltaWorth*float64(len(full)) {
		return full, nil
	}
	return delta, nil
}

// worthTrying says whether to try a delta against the full snapshot at
// prevKey. A board whose snapshots share little (deltas did not pay for
// the last few) is stored whole without trying every time, since a try
// makes a dictionary coder of a new base, the dearest step of a save
// (milliseconds, where an encode is tens of microseconds). It counts the
// full snapshots just before (prevKey included, up to 17, reading one
// byte each) and tries after 1, 2, 4, 8 and 16 of them, and past that for
// about one in 16 (by a hash of prevKey): decided by what is stored, so
// the same history encodes the same way every time.
func worthTrying(snaps *bolt.Bucket, prevKey []byte) bool {
	c := snaps.Cursor()
	n := 0
	for k, v := c.Seek(prevKey); k != nil && n <= 16; k, v = c.Prev() {
		if len(v) == 0 || v[0] != tagFull {
			break
		}
		n++
	}
	if n > 16 {
		h := fnv.New32a()
		h.Write(prevKey)
		return h.Sum32()%16 == 0
	}
	return n <= 2 || n == 4 || n == 8 || n == 16
}

// decodeSnapshotJSON decodes a snapshot's JSON and checks that it is the
// record it claims to be.
func decodeSnapshotJSON(board string, js []byte) (*arenawatch.Snapshot, error) {
	var s arenawatch.Snapshot
	if err := json.Unmarshal(js, &s); err != nil {
		return nil, err
	}
	if s.Board != board || !keyable(s.FetchedAt) {
		// Valid JSON that is not this board's snapshot ("null", a
		// damaged key) is a damaged record, not an empty snapshot.
		return nil, fmt.Errorf("the record names board %q, fetched %s", s.Board, s.FetchedAt.Format("2006-01-02T15:04:05Z07:00"))
	}
	return &s, nil
}

// baseOf returns the base key of a delta value, or nil.
func baseOf(v []byte) []byte {
	if tag, bk, err := valueKind(v); err == nil && tag == tagDelta {
		return bk
	}
	return nil
}

// keyU64 decodes an 8-byte key.
func keyU64(k []byte) uint64 { return binary.BigEndian.Uint64(k) }
