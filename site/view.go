package site

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/arenawatch/arenawatch/history"
	"github.com/arenawatch/arenawatch/internal/words"
	"github.com/arenawatch/arenawatch/ranking"
	"github.com/arenawatch/arenawatch/sanitize"
)

// maxName is the length, in runes, at which a name from the web is cut.
const maxName = 120

// funcs are the templates' helpers. name is for every text that came
// from the web: control and format characters (a bidi override) are shown
// escaped, and html/template escapes the rest.
var funcs = template.FuncMap{
	"name":     func(s string) string { return sanitize.Text(s, maxName) },
	"orq":      func(s string) string { return cmpOr(sanitize.Text(s, maxName), "?") },
	"date":     fmtDate,
	"datetime": fmtDateTime,
	"ordinal":  words.Ordinal,
	"pct":      func(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" },
	"num":      fmtNum,
	"signed":   func(f float64) string { return strings.Replace(fmt.Sprintf("%+g", f), "-", "−", 1) },
	"tokens":   words.Tokens,
	"days":     describeStale,
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format(time.DateOnly)
}

func fmtDateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// fmtNum writes a score as the source gave it: no exponent, no noise.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// page is what every page's frame shows.
type page struct {
	Title string
	// Root is the way back to the site's root from the page ("" or "../").
	Root string
	Site *Site
}

// card is one board on the index.
type card struct {
	B         *Board
	Spark     *sparkline
	StatusWhy string
}

type indexPage struct {
	page
	Cards []card
}

func indexOf(s *Site) indexPage {
	p := indexPage{page: page{Title: "arenawatch: open models on AI leaderboards", Site: s}}
	for _, b := range s.Boards {
		p.Cards = append(p.Cards, card{B: b, Spark: sparkOf(b), StatusWhy: statusWhy(b, s.AsOf)})
	}
	return p
}

// statusWhy says why a board has its status.
func statusWhy(b *Board, now time.Time) string {
	switch b.Status {
	case Failing:
		msg := sanitize.Text(b.LastRun.Message, 300)
		return fmt.Sprintf("The last read, %s, failed (%s): %s", fmtDateTime(b.LastRun.At), cmpOr(b.LastRun.Kind, "error"), msg)
	case Stale:
		return fmt.Sprintf("No new data for %s (stale after %s for this board)", describeStale(now.Sub(b.Latest)), describeStale(b.StaleAfter))
	}
	return fmt.Sprintf("Last checked %s; stale after %s without new data.", fmtDateTime(b.Checked), describeStale(b.StaleAfter))
}

// aboutPage is the method, the rules and the catalog's gaps.
type aboutPage struct {
	page
	Rules []ruleRow
}

// ruleRow says how one board ranks and when it goes stale.
type ruleRow struct {
	B     *Board
	Terms Terms
}

func aboutOf(s *Site) aboutPage {
	p := aboutPage{page: page{Title: "About arenawatch's report", Site: s}}
	for _, b := range s.Boards {
		p.Rules = append(p.Rules, ruleRow{B: b, Terms: TermsOf(b.Site)})
	}
	return p
}

// boardPage is one board's page.
type boardPage struct {
	page
	B          *Board
	Terms      Terms
	SourceURL  string
	Confidence []string
	Charts     []chartSlot
	Rows       []openRow
	Diff       *history.Diff
}

// openRow is one row of the table of open models.
type openRow struct {
	Position, Rank                     int
	Name, Org, Country, Licence, Score string
	Interval                           string
	Lead, Best                         bool
}

func boardPageOf(s *Site, b *Board, opt Options) (boardPage, []File, error) {
	p := boardPage{page: page{Title: b.ID + " — " + b.Title, Root: "../", Site: s}, B: b, Terms: TermsOf(b.Site), Diff: b.Diff}
	if u := b.SourceURL(); strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		p.SourceURL = u // a config board's URL could be anything: only web links
	}
	p.Confidence = confidence(b)
	for _, e := range b.Open {
		p.Rows = append(p.Rows, openRowOf(e, b.Report))
	}
	charts, files, err := drawCharts(s, b, opt)
	if err != nil {
		return p, nil, err
	}
	p.Charts = charts
	return p, files, nil
}

func openRowOf(e ranking.Entry, rep *ranking.BoardReport) openRow {
	r := ranking.NewModelRef(e)
	row := openRow{Position: e.OpenPosition, Rank: e.Rank, Name: r.Name, Org: r.Organization, Country: r.Country, Licence: r.License, Score: fmtNum(r.Score)}
	if e.Row.ScoreLower != nil && e.Row.ScoreUpper != nil {
		row.Interval = fmtNum(*e.Row.ScoreLower) + "–" + fmtNum(*e.Row.ScoreUpper)
	}
	if rep != nil {
		row.Lead = rep.LeadingOpen != nil && rep.LeadingOpen.Model == r.Model
		row.Best = rep.BestOpenNonCN != nil && rep.BestOpenNonCN.Model == r.Model
	}
	return row
}

// confidence says how sure the answer is: the gap and its interval, what
// unclassified rows could change, the other origin view, a partial list,
// and old data.
func confidence(b *Board) []string {
	rep := b.Report
	if rep == nil {
		return nil
	}
	var out []string
	if n := len(b.History); n > 0 {
		if g := b.History[n-1].Gap; g != nil && rep.LeadingOpen != nil && rep.BestOpenNonCN != nil && rep.LeadingOpen.Model != rep.BestOpenNonCN.Model {
			line := fmt.Sprintf("The leading open model scores %s above the best non-Chinese one.", fmtNum(g.Score))
			switch {
			case g.Lower == nil:
				line += " The board publishes no confidence intervals for both, so the gap cannot be judged."
			case *g.Lower > 0:
				line += fmt.Sprintf(" Their confidence intervals do not overlap (the gap lies between %s and %s): the order is clear.", fmtNum(*g.Lower), fmtNum(*g.Upper))
			default:
				line += fmt.Sprintf(" Their confidence intervals overlap (the gap lies between %s and %s): the order could flip.", fmtNum(*g.Lower), fmtNum(*g.Upper))
			}
			out = append(out, line)
		}
	}
	if rep.UnknownAbove > 0 {
		out = append(out, fmt.Sprintf("%d rows above the answer are not classified (origin or openness unknown) and could change it.", rep.UnknownAbove))
	} else {
		out = append(out, "No unclassified row scores above the answer.")
	}
	for _, v := range rep.Views {
		if v.View == rep.OriginView {
			continue
		}
		if sameRef(v.BestOpenNonCN, rep.BestOpenNonCN) && v.ChineseOpenAbove == rep.ChineseOpenAbove {
			out = append(out, fmt.Sprintf("Counting origin by %s gives the same answer.", v.View))
		} else {
			out = append(out, fmt.Sprintf("Counting origin by %s, the answer is %s, with %d Chinese open models above.", v.View, refName(v.BestOpenNonCN), v.ChineseOpenAbove))
		}
	}
	if rep.Partial {
		out = append(out, fmt.Sprintf("The page lists %d of the %d models it states: the answer covers the listed rows only.", rep.Rows, rep.StatedTotal))
	}
	if !rep.AsOf.IsZero() {
		if lag := int(rep.FetchedAt.UTC().Truncate(24*time.Hour).Sub(rep.AsOf.UTC().Truncate(24*time.Hour)) / (24 * time.Hour)); lag > 1 {
			out = append(out, fmt.Sprintf("The source dates its data %s, %d days before it was fetched.", fmtDate(rep.AsOf), lag))
		}
	}
	return out
}

func sameRef(a, b *ranking.ModelRef) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Model == b.Model)
}

func refName(m *ranking.ModelRef) string {
	if m == nil {
		return "none"
	}
	return sanitize.Text(m.Name, maxName)
}
