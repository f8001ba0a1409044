package site

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/arenawatch/arenawatch"
	"github.com/arenawatch/arenawatch/answers"
	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/store"
)

// The bounds of a board's StaleAfter (see the package documentation).
const (
	DefaultStale = 14 * 24 * time.Hour
	MinStale     = 3 * 24 * time.Hour
	// MedianOf is the number of recent intervals between snapshots whose
	// median sets StaleAfter.
	MedianOf = 10
)

// Status says whether a board's data is current.
type Status string

// The statuses (see the package documentation).
const (
	Fresh   Status = "fresh"
	Stale   Status = "stale"
	Failing Status = "failing"
)

// LoadOptions say how Load answers.
type LoadOptions struct {
	// Catalog classifies the rows; it must not be nil.
	Catalog *ranking.Catalog
	// Ranking is the origin view and counting, as for 'report'.
	Ranking ranking.Options
	// Every thins the history the sparklines and charts draw; the
	// answers are always the latest. When empty it follows the board's
	// span (EveryFor), so that a long history stays quick to draw.
	Every history.Every
	// Cache, when set, keeps answered history rows between builds (see
	// answers.Cache); a cron job then answers only the new snapshots.
	Cache *answers.Cache
	// MinMove is the diff's threshold of places (history.DefaultMinMove
	// when 0).
	MinMove int
}

// Site is what the pages show, read from the store.
type Site struct {
	CatalogVersion string
	// View and ByFamily are the origin view and counting of every answer.
	View     ranking.View
	ByFamily bool
	// AsOf is the database's newest run or snapshot time: the clock the
	// statuses are judged by, so the same file always gives the same site.
	AsOf   time.Time
	Boards []*Board
	// Unclassified is the catalog audit of the boards' latest snapshots
	// ('catalog check --latest').
	Unclassified []ranking.AuditItem
	AuditRows    int
	// Damaged are the boards left out because a record they need cannot
	// be read (KindDamaged): damage to one board does not take the site
	// down, and the caller says which board and why.
	Damaged []Damaged
}

// Damaged is a board left out of the site, and the error that left it out.
type Damaged struct {
	Board string
	Err   error
}

// Board is one board's page and card.
type Board struct {
	arenawatch.Board
	// Report answers a ranked board; Adoption a usage board (one of the
	// two is set).
	Report   *ranking.BoardReport
	Adoption *ranking.AdoptionReport
	// History is the board's answers over time (thinned by Every).
	History []history.Row
	// Snapshots is the number of snapshots the board has.
	Snapshots int
	// Open are the latest snapshot's open models, best first.
	Open []ranking.Entry
	// Diff compares the latest snapshot with the latest earlier one
	// whose content differs; nil when there is none.
	Diff *history.Diff
	// LastRun is the board's latest run in the run log; nil when there
	// is none (an imported board).
	LastRun *store.Run
	// Checked is the last time a read of the board succeeded (a run that
	// stored a snapshot or found it unchanged, else the latest snapshot).
	Checked    time.Time
	Status     Status
	StaleAfter time.Duration
	// Latest is the latest snapshot's fetch time.
	Latest time.Time
	// Adoptions answer a usage board's history rows, in their order.
	Adoptions []ranking.AdoptionReport
	// intervals are the published score intervals of each history row's
	// two answers, by fetch time and model, for the gap chart's bands.
	intervals map[interval][2]float64
}

// interval names one model's interval in one snapshot.
type interval struct {
	fetched int64 // UnixNano
	model   string
}

// Interval returns the score interval the snapshot fetched at t published
// for model; ok is false when it published none.
func (b *Board) Interval(t time.Time, model string) (lower, upper float64, ok bool) {
	iv, ok := b.intervals[interval{t.UnixNano(), model}]
	return iv[0], iv[1], ok
}

// Load reads boards from db and answers them with opt. A board without
// snapshots is KindNotFound; the caller leaves out the boards it did not
// name that have none (Boards lists those with data).
func Load(db *store.DB, boards arenawatch.Boards, opt LoadOptions) (*Site, error) {
	if opt.Catalog == nil {
		return nil, arenawatch.Errorf(arenawatch.KindInvalid, "site: no catalog")
	}
	s := &Site{CatalogVersion: opt.Catalog.Version(), View: viewOf(opt.Ranking), ByFamily: opt.Ranking.ByFamily}
	loaded, err := loadAll(db, boards, opt)
	if err != nil {
		return nil, err
	}
	audit := ranking.NewAudit(opt.Catalog)
	for i, b := range boards {
		if loaded[i].damaged != nil {
			s.Damaged = append(s.Damaged, Damaged{Board: b.ID, Err: loaded[i].damaged})
			continue
		}
		sb := loaded[i].board
		audit.Add(loaded[i].latest, b.Rank, true)
		s.Boards = append(s.Boards, sb)
		s.AsOf = later(s.AsOf, sb.Latest)
		if sb.LastRun != nil {
			s.AsOf = later(s.AsOf, sb.LastRun.At)
		}
	}
	for _, sb := range s.Boards {
		sb.Status = statusOf(sb, s.AsOf)
	}
	_, s.AuditRows = audit.Counts()
	s.Unclassified = audit.Items()
	return s, nil
}

// loaded is one board as loadBoard read it.
type loaded struct {
	board  *Board
	latest *arenawatch.Snapshot
	// damaged is why a board whose records cannot be read is left out.
	damaged error
}

// loadAll loads the boards, as many at a time as there are CPUs (a read
// transaction does not block another), and returns them in their order.
// A board with a damaged record is marked and left out; of the other
// errors, the first board's in that order wins.
func loadAll(db *store.DB, boards arenawatch.Boards, opt LoadOptions) ([]loaded, error) {
	out := make([]loaded, len(boards))
	errs := make([]error, len(boards))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	var cacheMu sync.Mutex // a Cache is not safe for concurrent use
	for i, b := range boards {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i].board, out[i].latest, errs[i] = loadBoard(db, b, opt, &cacheMu)
		})
	}
	wg.Wait()
	for i, err := range errs {
		switch {
		case arenawatch.IsKind(err, arenawatch.KindDamaged):
			out[i] = loaded{damaged: err}
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

func viewOf(o ranking.Options) ranking.View {
	if o.View == "" {
		return ranking.ViewDeveloper
	}
	return o.View
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// loadBoard reads one board: its latest snapshot and report, its history,
// its open models, the last change and its runs.
func loadBoard(db *store.DB, b arenawatch.Board, opt LoadOptions, cacheMu *sync.Mutex) (*Board, *arenawatch.Snapshot, error) {
	infos, err := db.Snapshots(b.ID)
	if err != nil {
		return nil, nil, err
	}
	every := opt.Every
	if every == "" && len(infos) > 0 {
		every = EveryFor(infos[len(infos)-1].FetchedAt.Sub(infos[0].FetchedAt))
	}
	hopt := history.Options{Every: every, Rule: b.Rank, Catalog: opt.Catalog, Ranking: opt.Ranking}
	if opt.Cache != nil {
		cacheMu.Lock()
	}
	rows, total, err := answers.History(db, opt.Cache, b.ID, hopt)
	if opt.Cache != nil {
		cacheMu.Unlock()
	}
	if err != nil {
		return nil, nil, err
	}
	snap, err := db.At(b.ID, infos[len(infos)-1].FetchedAt)
	if err != nil {
		return nil, nil, err
	}
	sb := &Board{Board: b, History: rows, Snapshots: total, Latest: snap.FetchedAt, Checked: snap.FetchedAt}
	sb.StaleAfter = staleAfter(infos)
	if b.Usage {
		a := ranking.Adoption(snap, opt.Catalog, opt.Ranking.View)
		sb.Adoption = &a
	} else {
		r := ranking.Report(snap, b.Rank, opt.Catalog, opt.Ranking)
		sb.Report = &r
	}
	for _, e := range ranking.Entries(snap, b.Rank, opt.Catalog, opt.Ranking) {
		if e.Class.Open == ranking.Open {
			sb.Open = append(sb.Open, e)
		}
	}
	if !b.Usage {
		if sb.Diff, err = lastChange(db, b, infos, snap, hopt, opt.MinMove); err != nil {
			return nil, nil, err
		}
	}
	if err := readRuns(db, sb); err != nil {
		return nil, nil, err
	}
	if err := overTime(db, sb, opt, hasIntervals(snap)); err != nil {
		return nil, nil, err
	}
	return sb, snap, nil
}

// EveryFor is the period a site's history keeps one snapshot of, for a
// board whose snapshots span span: a day up to 120 days, a week up to
// two years (about 100 points), a month beyond.
func EveryFor(span time.Duration) history.Every {
	const day = 24 * time.Hour
	switch {
	case span <= 120*day:
		return history.EveryDay
	case span <= 2*365*day:
		return history.EveryWeek
	}
	return history.EveryMonth
}

// lastChange compares cur, the latest snapshot, with the latest earlier
// snapshot whose content differs (history.Pair), as 'diff BOARD' does;
// nil when there is none.
func lastChange(db *store.DB, b arenawatch.Board, infos []store.SnapshotInfo, cur *arenawatch.Snapshot, hopt history.Options, minMove int) (*history.Diff, error) {
	stamps := make([]history.Stamp, len(infos))
	for i, in := range infos {
		stamps[i] = history.Stamp{Key: history.Key{FetchedAt: in.FetchedAt, AsOf: in.AsOf}, ContentHash: in.ContentHash}
	}
	old, _, err := history.Pair(stamps, history.ByFetch, time.Time{}, time.Time{})
	if err != nil {
		return nil, nil // no earlier snapshot with other content
	}
	prev, err := db.At(b.ID, old.FetchedAt)
	if err != nil {
		return nil, err
	}
	if minMove <= 0 {
		minMove = history.DefaultMinMove
	}
	d := history.Compare(prev, cur, hopt, minMove)
	return &d, nil
}

// overTime reads what the charts need beyond the history rows: a usage
// board's token shares per row, a ranked board's intervals of the two
// answers per row. It reads each row's snapshot once more; a ranked
// board whose latest snapshot publishes no interval (bands) is skipped.
func overTime(db *store.DB, sb *Board, opt LoadOptions, bands bool) error {
	sb.intervals = map[interval][2]float64{}
	for _, r := range sb.History {
		if !sb.Usage && (!bands || (r.LeadingOpen == nil && r.BestOpenNonCN == nil)) {
			continue
		}
		s, err := db.At(sb.ID, r.FetchedAt)
		if err != nil {
			return err
		}
		if sb.Usage {
			sb.Adoptions = append(sb.Adoptions, ranking.Adoption(s, opt.Catalog, opt.Ranking.View))
			continue
		}
		for _, ref := range []*ranking.ModelRef{r.LeadingOpen, r.BestOpenNonCN} {
			if ref == nil {
				continue
			}
			for _, row := range s.Rows {
				if row.Model == ref.Model && row.ScoreLower != nil && row.ScoreUpper != nil {
					sb.intervals[interval{r.FetchedAt.UnixNano(), ref.Model}] = [2]float64{*row.ScoreLower, *row.ScoreUpper}
				}
			}
		}
	}
	return nil
}

// hasIntervals reports whether any row of s publishes a score interval.
func hasIntervals(s *arenawatch.Snapshot) bool {
	for _, r := range s.Rows {
		if r.ScoreLower != nil && r.ScoreUpper != nil {
			return true
		}
	}
	return false
}

// readRuns sets the board's last run and the last time a read of it
// succeeded, from the run log (the latest few runs).
func readRuns(db *store.DB, sb *Board) error {
	runs, err := db.Runs(sb.ID, 50)
	if err != nil {
		return err
	}
	if len(runs) > 0 {
		r := runs[0]
		sb.LastRun = &r
	}
	for _, r := range runs {
		if r.Outcome != store.OutcomeFailed {
			sb.Checked = later(sb.Checked, r.At)
			break
		}
	}
	return nil
}

// staleAfter is three times the median of the last MedianOf intervals
// between the snapshots infos lists (in time order), at least MinStale;
// DefaultStale with fewer than two intervals.
func staleAfter(infos []store.SnapshotInfo) time.Duration {
	if len(infos) < 3 {
		return DefaultStale
	}
	var gaps []time.Duration
	for i := len(infos) - 1; i > 0 && len(gaps) < MedianOf; i-- {
		gaps = append(gaps, infos[i].FetchedAt.Sub(infos[i-1].FetchedAt))
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	return max(MinStale, 3*gaps[len(gaps)/2])
}

// statusOf judges a board at time now (Site.AsOf).
func statusOf(sb *Board, now time.Time) Status {
	switch {
	case sb.LastRun != nil && sb.LastRun.Outcome == store.OutcomeFailed:
		return Failing
	case now.Sub(sb.Latest) > sb.StaleAfter:
		return Stale
	}
	return Fresh
}

// String names a status for people.
func (s Status) String() string { return string(s) }

// describeStale says a StaleAfter in days, for the pages.
func describeStale(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	if days == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", days)
}
