package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/chart"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

const chartLong = `Draws one of arenawatch's answers as a picture, SVG (for web pages and
articles) or PNG (for slides and chats), chosen by the --out file's
extension. KIND is one of:

  position  where the best open model not from a Chinese lab places among
            open models over time, one line per board; the axis is inverted,
            1 = best at the top. Boards: those named, else every ranked board
            with data.
  share     of the top N open models of one BOARD (--top, default 10), the
            share whose developer is Chinese, not Chinese, or unknown, over
            time, stacked to 100%.
  gap       the scores of the leading open model and of the best open model
            not from a Chinese lab on one BOARD over time; where the board
            publishes confidence intervals, each model's is a shaded band.
  board     one BOARD's open models as horizontal bars, best at the top
            (--top, default 20; the two answers are always shown), coloured
            by the developer's country, with interval whiskers; the leading
            open model and the best non-Chinese one are outlined and named.
            Latest snapshot, or the last at or before --at.
  usage     a usage board's token shares (openrouter-daily-tokens, the
            default) by origin and openness: Chinese open, non-Chinese open,
            closed, unclassified, stacked to 100%, over time.

Every point is exactly what 'history' (or 'report --at') answers for that
snapshot. The time axis is the source's own date for the data (as of), or the
fetch time when the source states none; of several snapshots with the same
date the latest fetch is drawn. --since, --until and --every select snapshots
as in 'history' (UTC; --time says which of the two times they read).

Every chart has a title, axis labels, a legend and a caption with the source,
the as-of date and the catalog version. Colours are the Okabe–Ito palette,
which stays readable with colour blindness (Chinese is always vermillion, not
Chinese blue, unknown grey); lines also differ by dash and marker. Sizes are
in pixels, 1200×700 by default (a slide or an article column); text scales
with the size, so --width 600 --height 600 gives a chart that reads on a
phone. Names from the web are drawn with control and bidi characters shown
as escapes and long names cut.

--json prints the chart's data (titles, series, caption) as one JSON
document instead of, or as well as, drawing it.`

// defaultBars is the number of models a board chart draws by default:
// what 1200×700 shows with names that read.
const defaultBars = 20

// chartFlags are the flags of 'chart' beyond the shared query flags.
type chartFlags struct {
	history       historyFlags
	out           string
	width, height int
}

func (e *env) chartCommand() *cobra.Command {
	var (
		qf queryFlags
		cf chartFlags
	)
	cmd := &cobra.Command{
		Use:   "chart KIND [BOARD...] --out FILE.svg|FILE.png",
		Short: "Draw an answer over time, or a board today, as SVG or PNG",
		Long:  chartLong,
		Example: `  arenawatch chart position --out position.svg                 # every ranked board
  arenawatch chart position arena-text arena-webdev --since 2026-01 --every week --out pos.png
  arenawatch chart share hf-text-raw --top 20 --out share.svg
  arenawatch chart gap arena-text --every day --out gap.png
  arenawatch chart board arena-text --top 30 --out board.svg --width 1200 --height 1000
  arenawatch chart usage --every day --out usage.svg
  arenawatch chart board arena-text --width 600 --height 700 --out phone.png   # for a phone
  arenawatch chart share arena-text --json | jq '.series[0].points[-1]'`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &usageError{errors.New("name a KIND: position, share, gap, board or usage")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.chart(qf, cf, args[0], args[1:])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&cf.out, "out", "o", "", "write the chart to this file, FILE.svg or FILE.png (replaced whole)")
	f.IntVar(&cf.width, "width", chart.DefaultWidth, fmt.Sprintf("width in pixels (%d to %d)", chart.MinSize, chart.MaxSize))
	f.IntVar(&cf.height, "height", chart.DefaultHeight, fmt.Sprintf("height in pixels (%d to %d)", chart.MinSize, chart.MaxSize))
	h := &cf.history
	f.StringVar(&h.since, "since", "", "from this time on (UTC; see --time): 2026-03-14T12:00:00Z, a date or a month (its start)")
	f.StringVar(&h.until, "until", "", "up to this time (UTC; see --time): a time, a date or a month (its end)")
	f.StringVar(&h.time, "time", "fetched", "the time --since, --until and --every read: fetched (when arenawatch fetched it) or asof (the source's date)")
	f.StringVar(&h.every, "every", "snapshot", "one point per snapshot, or per UTC day, week or month (its last snapshot)")
	f.IntVar(&h.top, "top", 0, "share: the open top N whose origins are counted (default 10); board: bars drawn (default 20)")
	f.BoolVar(&h.asJSON, "json", false, "print the chart's data as one JSON document")
	qf.add(f, true, true)
	return cmd
}

// chart draws one chart.
func (e *env) chart(qf queryFlags, cf chartFlags, kindName string, ids []string) error {
	kind, err := chart.ParseKind(kindName)
	if err != nil {
		return &usageError{err}
	}
	format, err := e.chartOutput(cf)
	if err != nil {
		return err
	}
	if qf.at != "" && kind != chart.KindBoard {
		return &usageError{fmt.Errorf("--at is for 'chart board'; over time use --until")}
	}
	q, err := e.query(qf, ids)
	if err != nil {
		return err
	}
	db, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := e.chartData(db, kind, q, cf.history, len(ids) > 0)
	if err != nil {
		return err
	}
	db.Close() // before drawing: a reader blocks writers
	if cf.history.asJSON {
		if err := e.writeJSON(c); err != nil {
			return err
		}
	}
	if cf.out == "" {
		return nil
	}
	if err := writeChart(cf.out, c, format, cf.width, cf.height); err != nil {
		return err
	}
	if isTerminal(e.stderr) || isTerminal(e.rawStderr) {
		fmt.Fprintf(e.stderr, "wrote %s (%s chart, %s)\n", cf.out, kind, format)
	}
	return nil
}

// chartOutput checks --out, --json and the size before any work.
func (e *env) chartOutput(cf chartFlags) (chart.Format, error) {
	if cf.out == "" {
		if !cf.history.asJSON {
			return "", &usageError{errors.New("say where to draw: --out FILE.svg or --out FILE.png (or --json for the data)")}
		}
		return "", nil
	}
	format, err := chart.FormatOf(cf.out)
	if err != nil {
		return "", &usageError{err}
	}
	for _, s := range []struct {
		flag string
		v    int
	}{{"--width", cf.width}, {"--height", cf.height}} {
		if s.v < chart.MinSize || s.v > chart.MaxSize {
			return "", &usageError{fmt.Errorf("%s %d: want %d to %d pixels", s.flag, s.v, chart.MinSize, chart.MaxSize)}
		}
	}
	return format, nil
}

// chartData loads what the kind needs and makes its series.
func (e *env) chartData(db *store.DB, kind chart.Kind, q queryArgs, hf historyFlags, named bool) (chart.Chart, error) {
	switch {
	case hf.top == 0 && kind == chart.KindBoard:
		hf.top = defaultBars
	case hf.top == 0:
		hf.top = history.DefaultTop
	}
	bs, err := chartBoards(db, kind, q.boards, named)
	if err != nil {
		return chart.Chart{}, err
	}
	q.boards = bs
	opt, err := historyOptions(hf, q)
	if err != nil {
		return chart.Chart{}, err
	}
	m := chart.Meta{Source: sites(bs), Catalog: q.cat.Version(), View: q.opt.View, ByFamily: q.opt.ByFamily, ScoreName: bs[0].ScoreName}
	b := bs[0]
	switch kind {
	case chart.KindPosition:
		rows, err := e.positionHistories(db, bs, opt, named)
		return chart.PositionSeries(rows, m), err
	case chart.KindShare, chart.KindGap:
		rows, _, err := e.historyRows(db, b.ID, opt)
		if err != nil {
			return chart.Chart{}, err
		}
		if kind == chart.KindShare {
			return chart.ShareSeries(b.ID, rows, m), nil
		}
		ci := chart.SnapshotCI(func(t time.Time) (*arenawatch.Snapshot, error) { return db.At(b.ID, t) })
		return chart.GapSeries(b.ID, rows, ci, m), nil
	case chart.KindBoard:
		snap, err := snapshotFor(db, b.ID, q.at)
		if err != nil {
			return chart.Chart{}, err
		}
		rep := ranking.Report(snap, b.Rank, q.cat, q.opt)
		return chart.BoardSeries(ranking.Entries(snap, b.Rank, q.cat, q.opt), rep, hf.top, m), nil
	}
	reps, err := adoptionHistory(db, b.ID, q, opt)
	if err != nil {
		return chart.Chart{}, err
	}
	return chart.UsageSeries(b.ID, reps, m), nil
}

// positionHistories answers each board's history (through the answer
// cache, as 'history' does); a board with no snapshot in the window is
// left out unless it was named.
func (e *env) positionHistories(db *store.DB, bs arenawatch.Boards, opt history.Options, named bool) (map[string][]history.Row, error) {
	rows := map[string][]history.Row{}
	for _, b := range bs {
		opt.Rule = b.Rank
		r, _, err := e.historyRows(db, b.ID, opt)
		if err != nil && !(arenawatch.IsKind(err, arenawatch.KindNotFound) && !named) {
			return nil, err
		}
		rows[b.ID] = r
	}
	return rows, nil
}

// chartBoards checks the boards against the kind: position takes any
// number of ranked boards (every one with data when none is named),
// usage one usage board (the one with data when none is named), the
// others exactly one ranked board.
func chartBoards(db *store.DB, kind chart.Kind, bs arenawatch.Boards, named bool) (arenawatch.Boards, error) {
	usage := kind == chart.KindUsage
	if !named {
		if kind != chart.KindPosition && !usage {
			return nil, &usageError{fmt.Errorf("'chart %s' draws one BOARD: name it ('arenawatch sources' lists them)", kind)}
		}
		var err error
		if bs, err = withSnapshots(db, bs); err != nil {
			return nil, err
		}
	}
	var kept arenawatch.Boards
	for _, b := range bs {
		switch {
		case b.Usage == usage:
			kept = append(kept, b)
		case named && usage:
			return nil, &usageError{fmt.Errorf("%s ranks models, it does not count tokens: 'chart usage' is for usage boards (openrouter-daily-tokens)", b.ID)}
		case named:
			return nil, &usageError{fmt.Errorf("%s counts tokens, not ranks: draw it with 'arenawatch chart usage %s'", b.ID, b.ID)}
		}
	}
	switch {
	case len(kept) == 0:
		return nil, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(), Err: fmt.Errorf("no board with data to draw a %s chart of", kind),
			Hint: "run 'arenawatch scrape' first"}
	case len(kept) > 1 && kind != chart.KindPosition:
		return nil, &usageError{fmt.Errorf("'chart %s' draws one BOARD, got %d", kind, len(kept))}
	}
	return kept, nil
}

// sites names the boards' sites, each once, in board order.
func sites(bs arenawatch.Boards) string {
	var out []string
	for _, b := range bs {
		if s := b.Site; s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// adoptionHistory answers a usage board's snapshots that opt selects with
// token shares, as 'report' answers the latest one.
func adoptionHistory(db *store.DB, board string, q queryArgs, opt history.Options) ([]ranking.AdoptionReport, error) {
	infos, err := db.Snapshots(board)
	if err != nil {
		return nil, err
	}
	keys := make([]history.Key, len(infos))
	for i, in := range infos {
		keys[i] = history.Key{FetchedAt: in.FetchedAt, AsOf: in.AsOf}
	}
	picked := history.Select(keys, opt)
	if len(picked) == 0 {
		return nil, &arenawatch.Error{Kind: arenawatch.KindNotFound, URL: db.Path(),
			Err: fmt.Errorf("none of the %d snapshots of %s is in the window asked for", len(infos), board)}
	}
	reps := make([]ranking.AdoptionReport, 0, len(picked))
	for _, p := range picked {
		s, err := db.At(board, p.FetchedAt)
		if err != nil {
			return nil, err
		}
		reps = append(reps, ranking.Adoption(s, q.cat, q.opt.View))
	}
	return reps, nil
}

// writeChart draws c into a temporary file beside path and renames it
// over path, so that a web server never serves half a chart.
func writeChart(path string, c chart.Chart, format chart.Format, width, height int) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".chart-*")
	if err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: fmt.Errorf("cannot write the chart: %w", err)}
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing to remove
	if err := chart.Render(f, c, format, width, height); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInternal, URL: path, Err: err}
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInternal, URL: path, Err: err}
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return &arenawatch.Error{Kind: arenawatch.KindInvalid, URL: path, Err: fmt.Errorf("cannot write the chart: %w", err)}
	}
	return nil
}
