package longform

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/export"
	"github.com/arenawatch/arenawatch/source"
)

// ExportParserVersion names the reader of arenawatch's own exports.
const ExportParserVersion = "longform-export/1"

// ExportSnapshot is one snapshot read back from an export: the dated
// snapshot (Date is its fetch time), or why it could not be read.
type ExportSnapshot struct {
	source.DatedSnapshot
	Board string
	// ID is the export's snapshot_id; Obtained how the snapshot had come
	// to be where it was exported ("scraped", "replayed", …).
	ID       string
	Obtained string
}

// ExportFile is one file of an export, with its format ("csv", "jsonl",
// "parquet") and, in a Hive-partitioned dataset, the board its directory
// names (board=arena-text) when its rows do not.
type ExportFile struct {
	Path   string
	Format string
	Board  string
}

// ExportFiles lists the files of an export: path itself when it is a
// file, else every .csv, .jsonl and .parquet file under it, in path
// order (a Hive-partitioned Parquet dataset, or a directory of part
// files). The format comes from the extension.
func ExportFiles(path string) ([]ExportFile, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: err}
	}
	if !fi.IsDir() {
		f, ok := exportFile(path, "")
		if !ok {
			return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path,
				Err:  fmt.Errorf("cannot tell the format of %s from its extension", filepath.Base(path)),
				Hint: "an export ends in .csv, .jsonl or .parquet"}
		}
		return []ExportFile{f}, nil
	}
	var files []ExportFile
	err = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if f, ok := exportFile(p, hiveBoard(path, p)); ok {
			files = append(files, f)
		}
		return nil
	})
	if err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: err}
	}
	if len(files) == 0 {
		return nil, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path,
			Err: errors.New("the directory holds no .csv, .jsonl or .parquet file")}
	}
	slices.SortFunc(files, func(a, b ExportFile) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// exportFile tells a file's format by its extension.
func exportFile(path, board string) (ExportFile, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return ExportFile{path, "csv", board}, true
	case ".jsonl", ".ndjson":
		return ExportFile{path, "jsonl", board}, true
	case ".parquet":
		return ExportFile{path, "parquet", board}, true
	}
	return ExportFile{}, false
}

// hiveBoard returns the board a Hive partition directory names
// (…/board=arena-text/…) between root and path, or "".
func hiveBoard(root, path string) string {
	rel, err := filepath.Rel(root, filepath.Dir(path))
	if err != nil {
		return ""
	}
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if b, ok := strings.CutPrefix(part, "board="); ok {
			return b
		}
	}
	return ""
}

// exportRecord is one record read from a file, with where it was.
type exportRecord struct {
	export.Record
	where string
	err   error // a value that could not be read: fails its snapshot
	csv   bool  // read from CSV, where an empty cell is null and "" alike
}

// key names the snapshot a record belongs to. A re-parse shares its
// original's fetch time (and so its snapshot_id): how each was obtained
// keeps them apart.
func (r *exportRecord) key() string { return r.Board + "\x00" + r.SnapshotID + "\x00" + r.Obtained }

// BoardFunc returns the board with an id, and whether it is known.
type BoardFunc func(id string) (arenawatch.Board, bool)

// ReadExport reads an export (the files of ExportFiles) and hands each
// snapshot to emit as soon as its last row has been read: rows are
// grouped by board, snapshot_id and obtained, wherever they are in the
// files. Each snapshot keeps its board, fetch time (to the nanosecond,
// from the snapshot id), as-of date and source URL, and is marked
// "imported" (Origin); its notes say how it had been obtained. The rows
// get back what the source stated (rank, rank spread, model, name,
// organization and licence as the source gave them, the source's
// open-weights flag, score, CI, votes, metrics); the catalog's columns
// are not read, since the catalog answers again at query time.
//
// A file that cannot be read, or a row without a board, snapshot id or
// fetch time, fails the whole read before emit is called; a row with a
// malformed value fails its snapshot. An error from emit stops the read.
func ReadExport(files []ExportFile, boards BoardFunc, emit func(ExportSnapshot) error) error {
	// Pass 1: the ordinal of each snapshot's last row.
	last := map[string]int{}
	n := 0
	err := eachRecord(files, func(r *exportRecord) error {
		last[r.key()] = n
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: files[0].Path, Err: errors.New("the export has no rows")}
	}
	// Pass 2: collect each snapshot's rows and emit it at its last.
	open := map[string][]*exportRecord{}
	i := 0
	return eachRecord(files, func(r *exportRecord) error {
		k := r.key()
		rec := *r
		open[k] = append(open[k], &rec)
		if last[k] == i {
			if err := emit(buildExported(open[k], boards)); err != nil {
				return err
			}
			delete(open, k)
		}
		i++
		return nil
	})
}

// eachRecord calls fn with every record of the files, in order.
func eachRecord(files []ExportFile, fn func(*exportRecord) error) error {
	for _, f := range files {
		var err error
		switch f.Format {
		case "csv":
			err = csvRecords(f, fn)
		case "jsonl":
			err = jsonlRecords(f, fn)
		case "parquet":
			err = parquetRecords(f, fn)
		}
		if err != nil {
			var ae *arenawatch.Error
			if errors.As(err, &ae) {
				return err // fn's own, or already placed
			}
			return &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: f.Path, Err: err,
				Hint: "nothing was imported; is it an arenawatch export?"}
		}
	}
	return nil
}

// checkKey refuses a record that names no snapshot: it could belong to
// any.
func checkKey(r *exportRecord, board string) error {
	if r.Board == "" {
		r.Board = board
	}
	switch {
	case r.Board == "":
		return fmt.Errorf("%s: no board (neither a board column nor a board=… directory)", r.where)
	case r.FetchedAt.IsZero():
		return fmt.Errorf("%s: no fetched_at", r.where)
	case r.SnapshotID == "":
		r.SnapshotID = export.SnapshotID(r.Board, r.FetchedAt)
	}
	return nil
}

// fetchedAt returns a snapshot's fetch time: the snapshot id's, which
// keeps nanoseconds (Parquet's timestamps keep microseconds), when it
// agrees with the fetched_at column.
func fetchedAt(r *exportRecord) time.Time {
	_, ts, ok := strings.Cut(r.SnapshotID, "@")
	if !ok {
		return r.FetchedAt.UTC()
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil || t.Sub(r.FetchedAt).Abs() >= time.Microsecond {
		return r.FetchedAt.UTC()
	}
	return t.UTC()
}
