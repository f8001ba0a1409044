package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch"
)

// Partition is the directory layout of a dataset.
type Partition string

// The layouts: board=<id>/part-0.parquet, or
// board=<id>/date=<YYYY-MM-DD>/part-0.parquet with the date of fetched_at
// in UTC.
const (
	ByBoard     Partition = "board"
	ByBoardDate Partition = "board,date"
)

// ParsePartition reads a --partition value ("board/date" is ByBoardDate).
func ParsePartition(s string) (Partition, bool) {
	switch strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "/", ",") {
	case "board":
		return ByBoard, true
	case "board,date":
		return ByBoardDate, true
	}
	return "", false
}

// ManifestName is the file in a dataset directory that lists the files
// the last export into it wrote. Readers skip it: its name starts with
// "_" (Spark, Hive) and it is no .parquet file (DuckDB's glob).
const ManifestName = "_arenawatch_export.json"

// manifest is the content of ManifestName.
type manifest struct {
	WrittenBy string    `json:"written_by"`
	At        time.Time `json:"at"`
	Partition Partition `json:"partition"`
	Files     []string  `json:"files"`
}

// dir writes the partition files of a dataset, one at a time, each to a
// temporary file beside it and renamed over it once complete, so that a
// reader sees either the old file or the new one, whole.
type dir struct {
	root, ext string
	open      func(path string) (*os.File, table, error)
	cur       string // relative path of the file being written
	f         *os.File
	tbl       table
	written   []string
	done      map[string]bool
}

func (d *dir) switchTo(rel string) error {
	if rel == d.cur {
		return nil
	}
	if d.done[rel] {
		// Items come board by board, oldest first, so a partition never
		// comes back; if it did, the file would lose its first part.
		return errorf("partition %s came back after another one", rel)
	}
	if err := d.finish(); err != nil {
		return err
	}
	path := filepath.Join(d.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return errorf("create %s: %w", filepath.Dir(path), err)
	}
	f, tbl, err := d.open(path)
	if err != nil {
		return err
	}
	d.cur, d.f, d.tbl = rel, f, tbl
	return nil
}

// finish completes the current file and puts it in place.
func (d *dir) finish() error {
	if d.f == nil {
		return nil
	}
	f, tmp := d.f, d.f.Name()
	d.f = nil
	err := d.tbl.close()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	path := filepath.Join(d.root, filepath.FromSlash(d.cur))
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return errorf("write %s: %w", path, err)
	}
	d.done[d.cur] = true
	d.written = append(d.written, d.cur)
	return nil
}

// abort removes the file being written.
func (d *dir) abort() {
	if d.f != nil {
		d.f.Close()
		os.Remove(d.f.Name())
		d.f = nil
	}
}

// partitionPath is the relative path of the partition file of board at t.
func partitionPath(p Partition, board string, t time.Time, ext string) string {
	rel := "board=" + board
	if p == ByBoardDate {
		rel += "/date=" + t.UTC().Format(time.DateOnly)
	}
	return rel + "/part-0" + ext
}

// WriteDataset writes the long-format records of items as a Parquet
// dataset under root, one file per partition (see Partition). The board
// (and date) are the directories, not columns of the files, as Hive
// layouts require (Spark refuses a column that is also a partition).
//
// Re-running into the same directory replaces what the last export wrote
// there: each file is replaced whole (written beside it, then renamed),
// and once every file is in place the files the previous export listed in
// ManifestName and this one did not write (a board or date no longer
// selected, or pruned from the database) are removed, with the partition
// directories they leave empty. Files arenawatch did not write are never
// removed.
func WriteDataset(ctx context.Context, root string, part Partition, items []Item, load Loader, opt Options) (Summary, error) {
	var sum Summary
	if opt.Format != Parquet {
		return sum, &arenawatch.Error{Kind: arenawatch.KindInvalid, Err: fmt.Errorf("a partitioned dataset is written as parquet, not %s", opt.Format)}
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return sum, &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: root, Err: fmt.Errorf("cannot make the dataset directory: %w", err)}
	}
	old, err := readManifest(root)
	if err != nil {
		return sum, err
	}
	l := recordLayout(opt.Metrics, true)
	d := &dir{root: root, ext: opt.Format.Ext(), done: map[string]bool{}}
	d.open = func(path string) (*os.File, table, error) {
		f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
		if err != nil {
			return nil, nil, errorf("create a file in %s: %w", filepath.Dir(path), err)
		}
		tbl, err := newTable(opt.Format, f, l.specs(), meta(opt.Converter), opt.RowGroupRows)
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, nil, err
		}
		return f, tbl, nil
	}
	err = recordStream(items, load, opt, &sum)(ctx, func(r *Record) error {
		if err := d.switchTo(partitionPath(part, r.Board, r.FetchedAt, d.ext)); err != nil {
			return err
		}
		sum.Rows++
		return writeRecord(d.tbl, &l, r)
	})
	if err == nil {
		err = d.finish()
	}
	if err != nil {
		d.abort()
		return sum, err
	}
	sum.Files = d.written
	sum.Removed, err = replaceManifest(root, part, old, d.written, opt.Converter.Version)
	return sum, err
}

// readManifest returns the files the last export into root listed; none
// when root or its manifest does not exist yet.
func readManifest(root string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(root, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, errorf("read %s: %w", ManifestName, err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &arenawatch.Error{Kind: arenawatch.KindDamaged, URL: filepath.Join(root, ManifestName),
			Err:  fmt.Errorf("not a manifest of an arenawatch export: %v", err),
			Hint: "remove it, or export into another directory"}
	}
	for _, f := range m.Files {
		// Only paths an export writes are ever removed.
		if !validPartFile(f) {
			return nil, &arenawatch.Error{Kind: arenawatch.KindDamaged, URL: filepath.Join(root, ManifestName),
				Err: fmt.Errorf("the manifest lists %q, which no export writes", f), Hint: "remove it, or export into another directory"}
		}
	}
	return m.Files, nil
}

// validPartFile reports whether rel has the form of a partition file.
func validPartFile(rel string) bool {
	parts := strings.Split(rel, "/")
	if len(parts) < 2 || len(parts) > 3 || !strings.HasPrefix(parts[len(parts)-1], "part-") {
		return false
	}
	if !strings.HasPrefix(parts[0], "board=") || !arenawatch.ValidBoardID(strings.TrimPrefix(parts[0], "board=")) {
		return false
	}
	if len(parts) == 3 {
		_, err := time.Parse("date=2006-01-02", parts[1])
		return err == nil
	}
	return true
}

// replaceManifest writes the new manifest (atomically), then removes the
// old files not written again and the directories they leave empty.
func replaceManifest(root string, part Partition, old, written []string, version string) ([]string, error) {
	m := manifest{WrittenBy: "arenawatch " + version, At: time.Now().UTC(), Partition: part, Files: written}
	if m.Files == nil {
		m.Files = []string{}
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := writeFileAtomic(filepath.Join(root, ManifestName), append(b, '\n')); err != nil {
		return nil, err
	}
	now := map[string]bool{}
	for _, f := range written {
		now[f] = true
	}
	var removed []string
	for _, f := range old {
		if now[f] {
			continue
		}
		path := filepath.Join(root, filepath.FromSlash(f))
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, errorf("remove %s of the previous export: %w", path, err)
		}
		removed = append(removed, f)
		// The partition directories, if now empty (Remove fails otherwise).
		for d := filepath.Dir(path); d != filepath.Clean(root); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	sort.Strings(removed)
	return removed, nil
}

// writeFileAtomic writes data to path through a temporary file beside it.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return errorf("write %s: %w", path, err)
	}
	return nil
}
