package longform

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/source"
)

// CSVParserVersion names the reader of community archives.
const CSVParserVersion = "longform-csv/1"

// CSVOptions say how to read a community archive.
type CSVOptions struct {
	// Board is the board the archive holds: its id names the snapshots,
	// its Limits validate them.
	Board arenawatch.Board
	// Map maps a column (as the header spells it, case-insensitively) to a
	// Field; the columns it does not name are recognised by their default
	// names (see Fields).
	Map map[string]string
	// Doc describes the file; ReadCSV fills in its SHA256 and Size.
	Doc arenawatch.Document
}

// CSVResult is what ReadCSV read.
type CSVResult struct {
	Columns *Columns
	// File lists what was set right in the file as a whole: a byte order
	// mark, CRLF line ends, blank lines. Each snapshot's notes repeat it.
	File []string
	// Dates holds one entry per date (or time) of the archive, oldest
	// first: a sealed snapshot, or the reason that date was not read.
	Dates []source.DatedSnapshot
}

// ReadCSV reads a long-format archive of one board, one row per model per
// date, into one snapshot per date. Each snapshot has Origin "imported",
// FetchedAt and AsOf both at the date (00:00 UTC for a bare date), the
// file as its one document, and is sealed with the board's limits: an
// exact repeat of a row is dropped and a row that shares a model with
// another but says something else is kept apart (arenawatch.Seal says so
// in the notes). A date whose rows are wrong fails alone.
//
// The whole file fails (KindInvalid) when it is not UTF-8, has no header,
// lacks a needed column, or has a row whose date cannot be read (that row
// could belong to any snapshot).
func ReadCSV(body []byte, opt CSVOptions) (*CSVResult, error) {
	sum := sha256.Sum256(body)
	opt.Doc.SHA256, opt.Doc.Size = hex.EncodeToString(sum[:]), len(body)
	fail := func(err error) error {
		var ae *arenawatch.Error
		if errors.As(err, &ae) {
			e := *ae
			e.Board, e.URL = opt.Board.ID, opt.Doc.URL
			return &e
		}
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, Board: opt.Board.ID, URL: opt.Doc.URL, Err: err}
	}
	text, quirks, err := cleanFile(body)
	if err != nil {
		return nil, fail(err)
	}
	rd := csv.NewReader(bytes.NewReader(text))
	rd.FieldsPerRecord = -1 // a short or long row fails its date, not the file
	rd.ReuseRecord = false
	header, err := rd.Read()
	if err != nil {
		return nil, fail(fmt.Errorf("no header row: %v", csvError(err)))
	}
	cols, err := MapColumns(header, opt.Map)
	if err != nil {
		return nil, fail(err)
	}
	if err := checkRequired(cols, opt.Board.Limits); err != nil {
		return nil, fail(err)
	}
	groups, empty, err := readRecords(rd, cols)
	if err != nil {
		return nil, fail(err)
	}
	if empty > 0 {
		quirks = append(quirks, fmt.Sprintf("%d rows with every cell empty skipped", empty))
	}
	res := &CSVResult{Columns: cols, File: quirks}
	dates := make([]time.Time, 0, len(groups))
	for d := range groups {
		dates = append(dates, d)
	}
	slices.SortFunc(dates, time.Time.Compare)
	for _, d := range dates {
		res.Dates = append(res.Dates, buildDate(opt, cols, quirks, d, groups[d]))
	}
	if len(res.Dates) == 0 {
		return nil, fail(errors.New("the file has a header but no rows"))
	}
	return res, nil
}

// cleanFile checks that the file is UTF-8 and removes a byte order mark;
// it says what it found about the file as a whole.
func cleanFile(body []byte) ([]byte, []string, error) {
	var quirks []string
	if b, ok := bytes.CutPrefix(body, []byte("\ufeff")); ok {
		body = b
		quirks = append(quirks, "UTF-8 byte order mark removed")
	}
	if !utf8.Valid(body) {
		line := 1 + bytes.Count(body[:firstInvalid(body)], []byte("\n"))
		return nil, nil, &arenawatch.Error{Kind: arenawatch.KindInvalid,
			Err:  fmt.Errorf("line %d is not UTF-8", line),
			Hint: "convert the file first, e.g. iconv -f WINDOWS-1252 -t UTF-8"}
	}
	if bytes.Contains(body, []byte("\r\n")) {
		quirks = append(quirks, "CRLF line ends")
	}
	if n := blankLines(body); n > 0 {
		quirks = append(quirks, fmt.Sprintf("%d blank lines skipped", n))
	}
	return body, quirks, nil
}

// firstInvalid returns the offset of the first byte that is not UTF-8.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// blankLines counts the empty lines outside quoted fields, which
// encoding/csv skips without a word.
func blankLines(b []byte) int {
	n, quoted, start := 0, false, true
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			quoted = !quoted
			start = false
		case c == '\n' && !quoted:
			if start {
				n++
			}
			start = true
		case c == '\r' && !quoted && start && i+1 < len(b) && b[i+1] == '\n':
			// still the start of an empty CRLF line
		default:
			start = false
		}
	}
	return n
}

// checkRequired refuses a board whose rows need a field the file lacks,
// once, instead of failing every date.
func checkRequired(cols *Columns, lim arenawatch.Limits) error {
	switch {
	case lim.RequireOrganization && !cols.has(FieldOrganization):
		return missingColumn(FieldOrganization, cols.header)
	case lim.RequireLicense && !cols.has(FieldLicense):
		return missingColumn(FieldLicense, cols.header)
	}
	return nil
}

// record is one row of the file, kept as text until its date is built.
type record struct {
	line   int
	fields []string
}

// readRecords groups the rows by their date. A row of empty cells
// (spreadsheets write them) is skipped and counted.
func readRecords(rd *csv.Reader, cols *Columns) (map[time.Time][]record, int, error) {
	groups := map[time.Time][]record{}
	dateCol := cols.by[FieldDate]
	empty := 0
	for {
		fields, err := rd.Read()
		if err == io.EOF {
			return groups, empty, nil
		}
		if err != nil {
			return nil, 0, csvError(err)
		}
		line, _ := rd.FieldPos(0)
		if allEmpty(fields) {
			empty++
			continue
		}
		if dateCol.index >= len(fields) {
			return nil, 0, fmt.Errorf("line %d has %d fields and no %q (the header has %d)", line, len(fields), dateCol.name, cols.width)
		}
		d, err := parseDate(fields[dateCol.index])
		if err != nil {
			return nil, 0, fmt.Errorf("line %d, column %q: %v", line, dateCol.name, err)
		}
		groups[d] = append(groups[d], record{line, fields})
	}
}

func allEmpty(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvError turns encoding/csv's error into a message that names the line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
	}
	return err
}
