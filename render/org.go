package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"

	"github.com/oneone/oneone/health"
	"github.com/oneone/oneone/org"
)

//go:embed org/org.tmpl org/org.css
var orgFS embed.FS

var orgTmpl = template.Must(template.New("org").ParseFS(orgFS, "org/org.tmpl"))

var orgCSS = func() template.CSS {
	b, err := orgFS.ReadFile("org/org.css")
	if err != nil {
		panic(err) // embedded at build time
	}
	return template.CSS(b)
}()

type orgPage struct {
	CSP      string
	CSS      template.CSS
	AsOf     string
	Managers string
	Line     string
	Fine     bool
	Rows     []orgRow
	Skipped  []org.Skipped
}

type orgRow struct {
	Name                                  string
	Reports, OnCadence, Overdue, GoalsDue int
	Prepared, ReportTopics                string
	AsOf                                  string
	Stale                                 bool
	Strip                                 template.HTML
}

// Swatch is one square of the legend.
func (orgPage) Swatch(class string) template.HTML {
	return template.HTML(`<svg class="strip" width="12" height="12" aria-hidden="true" style="display:inline;vertical-align:middle"><rect x="0.5" y="0.5" width="11" height="11" rx="2" class="` + class + `"/></svg>`)
}

// OrgPage renders the organisation's roll-up as one self-contained HTML
// page: inline CSS and SVG, no script, a Content-Security-Policy that
// forbids every request. line is the headline ("N of M reports ...").
func OrgPage(roll *org.Rollup, line string) ([]byte, error) {
	p := orgPage{CSP: CSP, CSS: orgCSS, AsOf: roll.AsOf, Line: line, Fine: roll.Fine(), Skipped: roll.Skipped}
	p.Managers = fmt.Sprintf("%d managers", roll.Org.Managers)
	if roll.Org.Managers == 1 {
		p.Managers = "1 manager"
	}
	if roll.Org.Stale > 0 {
		p.Managers += fmt.Sprintf(" (%d stale)", roll.Org.Stale)
	}
	for _, m := range roll.Managers {
		p.Rows = append(p.Rows, orgRow{Name: m.Name, Reports: m.Reports, OnCadence: m.OnCadence, Overdue: m.Overdue, GoalsDue: m.GoalsDue,
			Prepared: pct(m.Prepared), ReportTopics: pct(m.ReportTopics), AsOf: m.AsOf, Stale: m.Stale, Strip: strip(m)})
	}
	var buf bytes.Buffer
	if err := orgTmpl.ExecuteTemplate(&buf, "org", p); err != nil {
		return nil, fmt.Errorf("render the organisation's page: %w", err)
	}
	return buf.Bytes(), nil
}

func pct(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

// strip draws a manager's cadence strip: one square per report, overdue
// first, then under 80%, then never met, then on cadence. A square's title
// gives its figures, never a slug or a name.
func strip(m org.Manager) template.HTML {
	type sq struct {
		class, title string
		rank         int
	}
	var sqs []sq
	if m.Summary != nil {
		for i, r := range m.Summary.Reports {
			s := sq{class: "s-on", rank: 3}
			switch {
			case m.OverdueOf[i]:
				s.class, s.rank = "s-overdue", 0
			case r.LastHeld == nil:
				s.class, s.rank = "s-never", 2
			case !m.OnCadenceOf[i]:
				s.class, s.rank = "s-under", 1
			}
			s.title = squareTitle(r, m.OverdueOf[i])
			sqs = append(sqs, s)
		}
	}
	sort.SliceStable(sqs, func(i, j int) bool { return sqs[i].rank < sqs[j].rank })
	const size, gap, perRow = 14, 3, 25
	rows := (len(sqs) + perRow - 1) / perRow
	width := min(len(sqs), perRow)*(size+gap) + 1
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="strip" width="%d" height="%d" role="img" aria-label="%d of %d reports on cadence">`,
		max(width, 1), max(rows*(size+gap), 1), m.OnCadence, m.Reports)
	for i, s := range sqs {
		x, y := (i%perRow)*(size+gap), (i/perRow)*(size+gap)
		fmt.Fprintf(&b, `<rect x="%d.5" y="%d.5" width="%d" height="%d" rx="2" class="%s"><title>%s</title></rect>`,
			x, y, size-1, size-1, s.class, template.HTMLEscapeString(s.title))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func squareTitle(r health.Report, overdue bool) string {
	if r.LastHeld == nil {
		return "no 1:1 held yet"
	}
	t := fmt.Sprintf("%d held, %s of gaps within cadence, last 1:1 %s", r.Held, pct(r.OnCadence), *r.LastHeld)
	if overdue {
		t += fmt.Sprintf(", %d days overdue", r.DaysOverdue)
	}
	return t
}
