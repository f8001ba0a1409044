package source

// A guard for parquet files that parquet-go would mishandle: it checks the
// whole layout (footer, thrift metadata, page headers, compressed sizes)
// before parquet-go opens the file, because three kinds of damage made it
// allocate gigabytes or loop (FuzzHFParquet; see the seeds in
// testdata/fuzz/FuzzHFParquet): a footer length it allocates before
// checking, thrift list lengths it allocates before reading, and an LZ4
// page its decoder retries with ever larger buffers. An out-of-memory
// error is fatal, not a panic a recover could catch.

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"

	"github.com/arenawatch/arenawatch"
)

// damagedf is the error of a file that breaks the layout a parquet file
// must have.
func damagedf(format string, args ...any) *arenawatch.Error {
	return arenawatch.Errorf(arenawatch.KindDamaged, "the parquet file is damaged: "+format, args...)
}

// hfCheckParquetLayout checks, before parquet-go reads the file, that
// what the file states about itself fits in the file and in the bounds
// above: the footer length, every thrift structure parquet-go decodes
// (the footer and each page header), each column chunk's place, each
// page's sizes and value counts, and that each compressed page
// decompresses to no more than the size its header states.
func hfCheckParquetLayout(body []byte) error {
	footerLen := int64(binary.LittleEndian.Uint32(body[len(body)-8:]))
	footerStart := int64(len(body)) - 8 - footerLen
	if footerLen > hfMaxFooter || footerStart < 4 {
		return damagedf("its footer says it is %d bytes long, in a file of %d bytes", footerLen, len(body))
	}
	footer := body[footerStart : len(body)-8]
	if err := (&hfThrift{b: footer}).check(); err != nil {
		return damagedf("file metadata: %v", err)
	}
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), footer, &md); err != nil {
		return nil // not decodable: parquet.OpenFile says why
	}
	if err := hfCheckMetadata(&md); err != nil {
		return err
	}
	// Values cost time to read (and rows of the category, memory to
	// keep), but RLE runs and dictionaries make them nearly free to store:
	// a 3 KB file of one row repeated a million times takes 9 s to import.
	// The dataset's files take about 2 bytes a value.
	budget := hfMaxValuesPerByte * int64(len(body))
	if md.NumRows > budget {
		return damagedf("it says it has %d rows, in %d bytes (at most %d values a byte)", md.NumRows, len(body), hfMaxValuesPerByte)
	}
	sums := hfPageSums{valuesLeft: budget}
	levels := hfLevels(md.Schema)
	for i := range md.RowGroups {
		for j := range md.RowGroups[i].Columns {
			cc := &md.RowGroups[i].Columns[j]
			lv := levels[strings.Join(cc.MetaData.PathInSchema, "\x00")]
			if err := hfCheckChunk(body[:footerStart], cc, lv, &sums); err != nil {
				return damagedf("row group %d, column chunk %d: %v", i, j, err)
			}
		}
	}
	return nil
}

// hfCheckMetadata checks the counts the file metadata states.
func hfCheckMetadata(md *format.FileMetaData) error {
	if len(md.Schema) > hfMaxSchema {
		return damagedf("%d schema elements (at most %d)", len(md.Schema), hfMaxSchema)
	}
	if md.NumRows < 0 || md.NumRows > hfMaxRows {
		return damagedf("it says it has %d rows (at most %d)", md.NumRows, hfMaxRows)
	}
	sum := int64(0)
	for i, rg := range md.RowGroups {
		if rg.NumRows < 0 || rg.NumRows > hfMaxRows {
			return damagedf("row group %d says it has %d rows", i, rg.NumRows)
		}
		if sum += rg.NumRows; sum > hfMaxRows {
			return damagedf("its row groups have more than %d rows", hfMaxRows)
		}
	}
	return nil
}

// hfCheckChunk checks one column chunk: its bytes are in data (the file
// before the footer), and each of its pages has a sound header, fits in
// the chunk and decompresses within its stated size. sums counts what the
// pages so far hold.
func hfCheckChunk(data []byte, cc *format.ColumnChunk, lv hfMaxLevels, sums *hfPageSums) error {
	if cc.FilePath != "" {
		return fmt.Errorf("its data is in another file (%q)", cc.FilePath)
	}
	m := &cc.MetaData
	start := m.DataPageOffset
	if m.DictionaryPageOffset != 0 {
		start = m.DictionaryPageOffset
	}
	if start < 4 || m.TotalCompressedSize < 0 || m.TotalCompressedSize > int64(len(data))-start {
		return fmt.Errorf("it says it is %d bytes at offset %d, in %d bytes of data", m.TotalCompressedSize, start, len(data))
	}
	if m.NumValues < 0 || m.NumValues > hfMaxRows*16 {
		return fmt.Errorf("it says it has %d values", m.NumValues)
	}
	chunk := data[start : start+m.TotalCompressedSize]
	for pos := 0; pos < len(chunk); {
		h, n, err := hfReadPageHeader(chunk[pos:])
		if err != nil {
			return fmt.Errorf("page header at offset %d: %v", start+int64(pos), err)
		}
		pos += n
		if h.compressed > int64(len(chunk)-pos) {
			return fmt.Errorf("a page of %d bytes at offset %d, past the end of the chunk", h.compressed, start+int64(pos))
		}
		if err := h.check(m.NumValues); err != nil {
			return fmt.Errorf("page at offset %d: %v", start+int64(pos), err)
		}
		if sums.bytes += h.uncompressed; sums.bytes > hfMaxAllPages {
			return fmt.Errorf("its pages hold more than %d bytes", hfMaxAllPages)
		}
		if sums.valuesLeft -= h.dataValues; sums.valuesLeft < 0 {
			return fmt.Errorf("its pages hold more than %d values a byte of the file", hfMaxValuesPerByte)
		}
		page := chunk[pos : pos+int(h.compressed)]
		values, err := hfCheckDecompress(m.Codec, h, page)
		if err != nil {
			return fmt.Errorf("page at offset %d: %v", start+int64(pos), err)
		}
		if err := hfCheckRuns(h, lv, page, values); err != nil {
			return fmt.Errorf("page at offset %d: %v", start+int64(pos), err)
		}
		pos += int(h.compressed)
	}
	return nil
}

// hfPageSums is what hfCheckChunk counts over all pages of the file.
type hfPageSums struct {
	bytes      int64 // uncompressed bytes
	valuesLeft int64 // values the data pages may still hold
}

// hfPageHeader is what hfCheckChunk reads of a page header.
type hfPageHeader struct {
	uncompressed, compressed int64
	values                   int64 // num_values of the data or dictionary page (the largest, if it has both)
	dataValues               int64 // num_values of the data page: values read once a row, not once
	levels                   int64 // v2: bytes of repetition and definition levels, stored uncompressed
	v2, compressedV2         bool
	repLen, defLen           int64 // v2: bytes of repetition and definition levels
	encoding                 int64 // of the data page's values
	repEnc, defEnc           int64 // v1: of the levels
	ptype                    int64 // the page type, as parquet-go reads it (0 data, 3 data v2)
	headers                  int   // how many of the data, dictionary and data v2 headers it has
}

func (h *hfPageHeader) check(chunkValues int64) error {
	switch {
	case h.uncompressed < 0 || h.compressed < 0 || h.values < 0 || h.levels < 0:
		return errors.New("a negative size or count")
	case h.uncompressed > hfMaxPageBytes:
		return fmt.Errorf("%d bytes uncompressed (at most %d)", h.uncompressed, hfMaxPageBytes)
	case h.values > hfMaxPageValues || h.values > max(chunkValues, 1):
		return fmt.Errorf("%d values, in a chunk of %d", h.values, chunkValues)
	case h.levels > h.compressed || h.levels > h.uncompressed:
		return fmt.Errorf("%d bytes of levels in a page of %d", h.levels, h.compressed)
	}
	return nil
}

// field reads the fields of a page header hfCheckChunk needs.
func (h *hfPageHeader) field(t *hfThrift, id int16, typ byte, depth int) (bool, error) {
	switch {
	case id == 1 && typ == hfTI32:
		v, err := t.int()
		h.ptype = v
		return true, err
	case id == 2 && typ == hfTI32:
		v, err := t.int()
		h.uncompressed = v
		return true, err
	case id == 3 && typ == hfTI32:
		v, err := t.int()
		h.compressed = v
		return true, err
	case (id == 5 || id == 7 || id == 8) && typ == hfTStruct:
		h.v2 = id == 8
		h.compressedV2 = true
		h.headers++
		return true, t.walkStruct(depth+1, func(sid int16, styp byte) (bool, error) {
			switch {
			case sid == 1 && styp == hfTI32:
				v, err := t.int()
				if v < 0 {
					h.values = -1
				} else if h.values >= 0 {
					h.values = max(h.values, v)
				}
				if id != 7 && v > h.dataValues {
					h.dataValues = v
				}
				return true, err
			case id == 8 && (sid == 5 || sid == 6) && styp == hfTI32:
				v, err := t.int()
				if v < 0 {
					h.levels = -1 << 40
				}
				h.levels += v
				if sid == 5 {
					h.defLen = v
				} else {
					h.repLen = v
				}
				return true, err
			case (id == 5 && sid == 2 || id == 8 && sid == 4) && styp == hfTI32:
				v, err := t.int()
				h.encoding = v
				return true, err
			case id == 5 && (sid == 3 || sid == 4) && styp == hfTI32:
				v, err := t.int()
				if sid == 3 {
					h.defEnc = v
				} else {
					h.repEnc = v
				}
				return true, err
			case id == 8 && sid == 7 && (styp == hfTTrue || styp == hfTFalse):
				h.compressedV2 = styp == hfTTrue
				return true, nil
			}
			return false, nil
		})
	}
	return false, nil
}

// hfReadPageHeader reads the page header at the start of b and returns
// it with its length in bytes.
func hfReadPageHeader(b []byte) (hfPageHeader, int, error) {
	var h hfPageHeader
	t := &hfThrift{b: b}
	err := t.walkStruct(0, func(id int16, typ byte) (bool, error) { return h.field(t, id, typ, 0) })
	if err == nil && !h.v2 {
		h.levels = 0
	}
	return h, t.pos, err
}

// hfCheckDecompress checks that a page decompresses to no more than the
// size its header states (parquet-go would grow its buffer without
// bound), reading at most that many bytes plus one. It returns the
// decompressed page (of a v2 page, what follows the levels), or nil when
// it cannot tell: a stream parquet-go fails to read, or a codec it does
// not read.
func hfCheckDecompress(codec format.CompressionCodec, h hfPageHeader, page []byte) ([]byte, error) {
	if h.v2 {
		page = page[h.levels:]
		if !h.compressedV2 {
			return page, nil
		}
	}
	limit := h.uncompressed - h.levels
	var r io.Reader
	switch codec {
	case format.Uncompressed:
		return page, nil
	case format.Snappy:
		n, err := snappy.DecodedLen(page)
		if err != nil {
			return nil, fmt.Errorf("snappy: %v", err)
		}
		if int64(n) > limit {
			return nil, fmt.Errorf("snappy data of %d bytes, in a page of %d", n, limit)
		}
		out, err := snappy.Decode(nil, page)
		if err != nil {
			return nil, nil
		}
		return out, nil
	case format.Lz4Raw:
		if len(page) == 0 {
			return nil, nil
		}
		out := make([]byte, limit)
		n, err := lz4.UncompressBlock(page, out)
		if err != nil {
			return nil, fmt.Errorf("lz4 data that does not decompress to at most %d bytes: %v", limit, err)
		}
		return out[:n], nil
	case format.Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(page))
		if err != nil {
			return nil, nil // parquet-go fails on it too, without growing
		}
		r = zr
	case format.Zstd:
		zr, err := zstd.NewReader(bytes.NewReader(page), zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxMemory(uint64(limit)+1), zstd.WithDecoderMaxWindow(max(uint64(limit), 1<<10)))
		if err != nil {
			return nil, nil
		}
		defer zr.Close()
		r = zr
	case format.Brotli:
		r = brotli.NewReader(bytes.NewReader(page))
	default:
		return nil, nil // a codec parquet-go does not read
	}
	var out bytes.Buffer
	n, err := io.CopyN(&out, r, limit+1)
	if n > limit {
		return nil, fmt.Errorf("%v data of more than %d bytes, the size the page states", codec, limit)
	}
	if err != io.EOF {
		return nil, nil // a stream that fails before the limit is parquet-go's to report
	}
	return out.Bytes(), nil
}

// hfMaxLevels are the largest repetition and definition levels of a
// column.
type hfMaxLevels struct{ rep, def int }

// hfLevels returns the levels of each leaf column of a schema, by path
// (names joined by NUL), as parquet-go works them out; a schema it
// cannot read is its to report.
func hfLevels(schema []format.SchemaElement) map[string]hfMaxLevels {
	out := map[string]hfMaxLevels{}
	i := 1 // the root
	var walk func(path []string, lv hfMaxLevels, n int)
	walk = func(path []string, lv hfMaxLevels, n int) {
		for ; n > 0 && i < len(schema); n-- {
			e := &schema[i]
			i++
			l := lv
			if e.RepetitionType.Valid {
				switch e.RepetitionType.V {
				case format.Optional:
					l.def++
				case format.Repeated:
					l.def++
					l.rep++
				}
			}
			p := append(path[:len(path):len(path)], e.Name)
			if c := int(e.NumChildren.V); e.NumChildren.Valid && c > 0 {
				walk(p, l, c)
			} else {
				out[strings.Join(p, "\x00")] = l
			}
		}
	}
	if len(schema) > 0 {
		walk(nil, hfMaxLevels{}, int(schema[0].NumChildren.V))
	}
	return out
}

// hfCheckRuns checks the RLE runs parquet-go decodes in full before it
// looks at how many values the page holds (a run of 2^31 levels is six
// bytes, and 2 GB and 13 s to decode): the repetition and definition
// levels, and the indices of a dictionary-encoded page, must not count
// more values than the page has (with up to 8 of padding). page is the
// page as stored, values what hfCheckDecompress returned.
func hfCheckRuns(h hfPageHeader, lv hfMaxLevels, page, values []byte) error {
	if h.ptype != int64(format.DataPage) && h.ptype != int64(format.DataPageV2) {
		return nil
	}
	// parquet-go reads the header the type names; the checks here, the
	// one the page has.
	if h.headers > 1 || h.v2 != (h.ptype == int64(format.DataPageV2)) {
		return fmt.Errorf("a page of type %d with %d page headers", h.ptype, h.headers)
	}
	limit := h.dataValues + 8
	if h.v2 {
		if h.repLen < 0 || h.defLen < 0 || h.repLen+h.defLen > int64(len(page)) {
			return nil // checked in check; parquet-go fails on it
		}
		if err := hfCheckRLE(page[:h.repLen], bits.Len(uint(lv.rep)), limit, "repetition levels"); err != nil {
			return err
		}
		if err := hfCheckRLE(page[h.repLen:h.repLen+h.defLen], bits.Len(uint(lv.def)), limit, "definition levels"); err != nil {
			return err
		}
	} else {
		for _, l := range []struct {
			max  int
			enc  int64
			what string
		}{{lv.rep, h.repEnc, "repetition levels"}, {lv.def, h.defEnc, "definition levels"}} {
			if l.max == 0 {
				continue
			}
			if len(values) < 4 {
				return nil
			}
			n := int64(binary.LittleEndian.Uint32(values))
			if n > int64(len(values)-4) {
				return nil
			}
			if l.enc != int64(format.BitPacked) {
				if err := hfCheckRLE(values[4:4+n], bits.Len(uint(l.max)), limit, l.what); err != nil {
					return err
				}
			}
			values = values[4+n:]
		}
	}
	switch format.Encoding(h.encoding) {
	case format.RLEDictionary, format.PlainDictionary:
		if len(values) > 0 {
			return hfCheckRLE(values[1:], int(values[0]), limit, "dictionary indices")
		}
	case format.DeltaBinaryPacked, format.DeltaLengthByteArray, format.DeltaByteArray:
		// The first DELTA_BINARY_PACKED header (of the values, the lengths,
		// the prefix lengths): parquet-go allocates its total count first.
		t := &hfThrift{b: values}
		_, err1 := t.uvarint() // block size
		_, err2 := t.uvarint() // mini blocks
		n, err3 := t.uvarint() // total values
		if err1 == nil && err2 == nil && err3 == nil && n > uint64(limit) {
			return fmt.Errorf("delta-encoded data of %d values, in a page of %d", n, limit-8)
		}
	}
	return nil
}

// hfCheckRLE adds up the values of the runs of an RLE / bit-packed hybrid
// stream of the given bit width: at most limit. It reads each run header
// once and stops at the first it cannot read.
func hfCheckRLE(b []byte, bitWidth int, limit int64, what string) error {
	total := int64(0)
	for len(b) > 0 {
		u, n := binary.Uvarint(b)
		if n <= 0 {
			return nil
		}
		b = b[n:]
		count := u >> 1
		if count > uint64(limit) {
			return fmt.Errorf("%s in a run of %d, in a page of %d values", what, count, limit-8)
		}
		skip := (bitWidth + 7) / 8
		if u&1 == 1 {
			count *= 8
			skip = int(count) * bitWidth / 8
		}
		if total += int64(count); total > limit {
			return fmt.Errorf("%s that count %d values, in a page of %d", what, total, limit-8)
		}
		if skip > len(b) {
			return nil
		}
		b = b[skip:]
	}
	return nil
}

// Compact protocol types.
const (
	hfTTrue   = 1
	hfTFalse  = 2
	hfTByte   = 3
	hfTI16    = 4
	hfTI32    = 5
	hfTI64    = 6
	hfTDouble = 7
	hfTBinary = 8
	hfTList   = 9
	hfTSet    = 10
	hfTMap    = 11
	hfTStruct = 12
)

// hfThrift walks a thrift compact protocol struct without decoding it:
// every list, map and string must fit in the bytes left, the nesting must
// be shallow, and cost estimates what parquet-go would allocate to decode
// it (each list element sized as a large struct).
type hfThrift struct {
	b    []byte
	pos  int
	cost int64
}

// check walks one struct that must fill b.
func (t *hfThrift) check() error {
	if err := t.walkStruct(0, func(int16, byte) (bool, error) { return false, nil }); err != nil {
		return err
	}
	if t.pos != len(t.b) {
		return nil // trailing bytes: parquet.OpenFile says why
	}
	return nil
}

func (t *hfThrift) byte() (byte, error) {
	if t.pos >= len(t.b) {
		return 0, io.ErrUnexpectedEOF
	}
	t.pos++
	return t.b[t.pos-1], nil
}

func (t *hfThrift) uvarint() (uint64, error) {
	v, n := binary.Uvarint(t.b[t.pos:])
	if n <= 0 {
		return 0, errors.New("a bad varint")
	}
	t.pos += n
	return v, nil
}

// int reads a zigzag varint.
func (t *hfThrift) int() (int64, error) {
	u, err := t.uvarint()
	return int64(u>>1) ^ -int64(u&1), err
}

// count reads a list, map or string length: at most the bytes left (each
// element takes at least one byte).
func (t *hfThrift) count(n uint64, what string) (int, error) {
	if n > uint64(len(t.b)-t.pos) {
		return 0, fmt.Errorf("a %s of %d, with %d bytes left", what, n, len(t.b)-t.pos)
	}
	return int(n), nil
}

func (t *hfThrift) spend(n int) error {
	if t.cost += int64(n) * 512; t.cost > hfMaxThriftCost {
		return fmt.Errorf("more than %d bytes of decoded metadata", hfMaxThriftCost)
	}
	return nil
}

// walkStruct walks a struct's fields to its stop byte; visit may read a
// field's value itself (returning true), else it is skipped.
func (t *hfThrift) walkStruct(depth int, visit func(id int16, typ byte) (bool, error)) error {
	if depth > hfMaxDepth {
		return errors.New("structures nested too deep")
	}
	id := int16(0)
	for {
		b, err := t.byte()
		if err != nil {
			return err
		}
		if b == 0 {
			return nil
		}
		typ := b & 0x0f
		if d := int16(b >> 4); d != 0 {
			id += d
		} else {
			v, err := t.int()
			if err != nil {
				return err
			}
			id = int16(v)
		}
		done, err := visit(id, typ)
		if err != nil {
			return err
		}
		if !done {
			if err := t.skip(typ, depth+1); err != nil {
				return err
			}
		}
	}
}

func (t *hfThrift) skip(typ byte, depth int) error {
	if depth > hfMaxDepth {
		return errors.New("structures nested too deep")
	}
	switch typ {
	case hfTTrue, hfTFalse:
		return nil
	case hfTByte:
		_, err := t.byte()
		return err
	case hfTI16, hfTI32, hfTI64:
		_, err := t.uvarint()
		return err
	case hfTDouble:
		if len(t.b)-t.pos < 8 {
			return io.ErrUnexpectedEOF
		}
		t.pos += 8
		return nil
	case hfTBinary:
		u, err := t.uvarint()
		if err != nil {
			return err
		}
		n, err := t.count(u, "string")
		t.pos += n
		return err
	case hfTList, hfTSet:
		return t.skipList(depth)
	case hfTMap:
		return t.skipMap(depth)
	case hfTStruct:
		return t.walkStruct(depth, func(int16, byte) (bool, error) { return false, nil })
	}
	return fmt.Errorf("unknown thrift type %d", typ)
}

func (t *hfThrift) skipList(depth int) error {
	b, err := t.byte()
	if err != nil {
		return err
	}
	u := uint64(b >> 4)
	if u == 0x0f {
		if u, err = t.uvarint(); err != nil {
			return err
		}
	}
	n, err := t.count(u, "list")
	if err != nil {
		return err
	}
	if err := t.spend(n); err != nil {
		return err
	}
	et := b & 0x0f
	for range n {
		if et == hfTTrue || et == hfTFalse { // a bool element is a byte
			if _, err := t.byte(); err != nil {
				return err
			}
			continue
		}
		if err := t.skip(et, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (t *hfThrift) skipMap(depth int) error {
	u, err := t.uvarint()
	if err != nil || u == 0 {
		return err
	}
	n, err := t.count(u, "map")
	if err != nil {
		return err
	}
	if err := t.spend(2 * n); err != nil {
		return err
	}
	kv, err := t.byte()
	if err != nil {
		return err
	}
	for range n {
		for _, et := range []byte{kv >> 4, kv & 0x0f} {
			if et == hfTTrue || et == hfTFalse {
				if _, err := t.byte(); err != nil {
					return err
				}
				continue
			}
			if err := t.skip(et, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
