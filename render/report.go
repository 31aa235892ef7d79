package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
)

//go:embed report/*.tmpl report/report.css
var reportFS embed.FS

var reportTmpl = template.Must(template.New("report").ParseFS(reportFS, "report/*.tmpl"))

var reportCSS = func() template.CSS {
	b, err := reportFS.ReadFile("report/report.css")
	if err != nil {
		panic(err) // embedded at build time
	}
	return template.CSS(b)
}()

// CSP is the Content-Security-Policy of every report page: nothing may be
// fetched (no scripts, fonts, frames or remote images); only the inline style
// and data: images are allowed.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

// DefaultWeeks is the span of the cadence timeline unless asked otherwise.
const DefaultWeeks = 26

// Report is what `oneone report --html` shows: the team, its audit and the options.
type Report struct {
	Team      *notes.Team
	Audit     *notes.AuditReport // may be nil: no findings section then
	Config    notes.Config
	Today     time.Time
	Weeks     int  // timeline span, DefaultWeeks when 0
	All       bool // include reports that have left
	Shareable bool // leave every Private section out
}

// Page is one file of the report: a slash-separated path relative to the report folder and its content.
type Page struct {
	Path string
	Data []byte
}

// PersonPage returns the report-relative path of a report's page.
func PersonPage(slug string) string { return "people/" + slug + ".html" }

// Pages renders the report: index.html and one page per report, in a stable order.
func (r *Report) Pages() ([]Page, error) {
	if r.Weeks <= 0 {
		r.Weeks = DefaultWeeks
	}
	people := r.people()
	idx, err := r.index(people)
	if err != nil {
		return nil, err
	}
	pages := []Page{{Path: "index.html", Data: idx}}
	for _, p := range people {
		if err := notes.ValidateSlug(p.Slug); err != nil {
			return nil, err // never a file name from anything but a slug
		}
		data, err := r.person(p)
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{Path: PersonPage(p.Slug), Data: data})
	}
	return pages, nil
}

func (r *Report) people() []*notes.Person {
	var out []*notes.Person
	for _, p := range r.Team.People {
		if p.Profile.ArchivedBy(r.Today) && !r.All {
			continue
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Slug < out[j].Slug })
	return out
}

// page is what every template gets.
type page struct {
	Title     string
	CSS       template.CSS
	CSP       string
	Root      string // "" on the index, "../" on a person page
	Today     string
	Manager   string
	Shareable bool
	Weeks     int
}

func (r *Report) page(title, root string) page {
	return page{Title: title, CSS: reportCSS, CSP: CSP, Root: root, Today: notes.FormatDate(r.Today),
		Manager: r.Config.Manager, Shareable: r.Shareable, Weeks: r.Weeks}
}

type personRow struct {
	Slug, Name, Role, Link  string
	Cadence                 string
	LastHeld, NextDue       string
	Status, StatusClass     string
	Held90d                 int
	OnCadence90d            string
	OpenActions, Findings   int
	Archived, AwayUntil     string
	ThemesActive, ThemesAll int
}

type actionRow struct {
	Slug, Name, Text, Since, Link string
	Age                           int
	Stale                         bool
}

type findingRow struct {
	Slug, Name, Code, Message, File, Link string
}

type legendItem struct{ State, Label string }

type indexData struct {
	page
	Current, OnCadence, Overdue, NeverMet int
	People                                []personRow
	Timeline                              template.HTML
	Legend                                []legendItem
	Checkins                              template.HTML
	CheckinLegend                         []legendItem
	Moods                                 []int
	HasAudit                              bool
	Findings                              []findingRow
	Actions                               []actionRow
	Problems                              []notes.Problem
}

func (r *Report) stats(p *notes.Person) notes.Stats {
	if r.Audit != nil {
		for _, s := range r.Audit.People {
			if s.Slug == p.Slug {
				return s
			}
		}
	}
	return notes.ComputeStats(p, r.Config, r.Today)
}

func (r *Report) personRow(p *notes.Person, link string) personRow {
	s := r.stats(p)
	row := personRow{Slug: p.Slug, Name: p.Profile.Name, Role: p.Profile.Role, Link: link,
		Cadence: CadenceLabel(s.CadenceDays), LastHeld: deref(s.LastHeld), NextDue: deref(s.NextDue),
		Held90d: s.Held90d, OnCadence90d: strconv.Itoa(int(s.OnCadence90d*100+0.5)) + "%",
		OpenActions: len(r.openActions(p)), Archived: deref(s.Archived), AwayUntil: deref(s.AwayUntil)}
	if s.LastHeld == nil {
		row.OnCadence90d = "–"
	}
	for _, t := range p.Profile.Themes {
		row.ThemesAll++
		if t.Status == notes.ThemeActive {
			row.ThemesActive++
		}
	}
	switch {
	case p.Profile.ArchivedBy(r.Today):
		row.Status, row.StatusClass = "left "+row.Archived, "muted"
	case s.AwayUntil != nil && !s.Overdue:
		row.Status, row.StatusClass = "away until "+*s.AwayUntil, "muted"
	case s.LastHeld == nil:
		row.Status, row.StatusClass = "never met", "warn"
	case s.Overdue:
		row.Status, row.StatusClass = fmt.Sprintf("overdue %d %s", s.DaysOverdue, plural(s.DaysOverdue, "day")), "bad"
	case s.DaysOverdue > 0:
		row.Status, row.StatusClass = fmt.Sprintf("due %d %s ago (in grace)", s.DaysOverdue, plural(s.DaysOverdue, "day")), "warn"
	default:
		row.Status, row.StatusClass = "on cadence", "good"
	}
	if r.Audit != nil {
		for _, f := range r.findings() {
			if f.Slug == p.Slug {
				row.Findings++
			}
		}
	}
	return row
}

func (r *Report) index(people []*notes.Person) ([]byte, error) {
	d := indexData{page: r.page("1:1 report", "")}
	names := map[string]string{}
	var rows []TimelineRow
	var checkins []CheckinRow
	for _, p := range people {
		names[p.Slug] = p.Profile.Name
		row := r.personRow(p, PersonPage(p.Slug))
		d.People = append(d.People, row)
		rows = append(rows, Timeline(p, r.Config, r.Today, r.Weeks))
		checkins = append(checkins, Checkins(p, r.Today, r.Weeks))
		if p.Profile.ArchivedBy(r.Today) {
			continue
		}
		d.Current++
		switch row.StatusClass {
		case "good", "warn":
			if row.Status == "never met" {
				d.NeverMet++
			} else {
				d.OnCadence++
			}
		case "muted": // away counts as on cadence
			d.OnCadence++
		case "bad":
			d.Overdue++
		}
		for _, a := range r.openActions(p) {
			d.Actions = append(d.Actions, r.actionRow(p, a, ""))
		}
	}
	// what you still owe someone who left is listed too, as `oneone actions` does;
	// without --all they have no page to link to
	for _, p := range r.Team.People {
		if p.Profile.ArchivedBy(r.Today) && !r.All {
			for _, a := range r.openActions(p) {
				row := r.actionRow(p, a, "")
				row.Name, row.Link = p.Profile.Name+" (left)", ""
				d.Actions = append(d.Actions, row)
			}
		}
	}
	if r.Audit != nil {
		d.Current, d.OnCadence = r.Audit.Current, r.Audit.OnCadence
	}
	sort.SliceStable(d.Actions, func(i, j int) bool {
		if d.Actions[i].Since != d.Actions[j].Since {
			return d.Actions[i].Since < d.Actions[j].Since
		}
		return d.Actions[i].Slug < d.Actions[j].Slug
	})
	d.Timeline = TimelineSVG(rows, r.Today, r.Weeks)
	for _, l := range Legend {
		d.Legend = append(d.Legend, legendItem{l.State, l.Label})
	}
	d.Checkins = CheckinsSVG(checkins, r.Today, r.Weeks)
	for _, l := range CheckinLegend {
		d.CheckinLegend = append(d.CheckinLegend, legendItem{l.State, l.Label})
	}
	d.Moods = []int{1, 2, 3, 4, 5}
	if r.Audit != nil {
		d.HasAudit = true
		for _, f := range r.findings() {
			d.Findings = append(d.Findings, r.findingRow(f, names, ""))
		}
	}
	d.Problems = r.Team.Problems
	return execute("index", d)
}

func (r *Report) actionRow(p *notes.Person, a notes.Action, root string) actionRow {
	age := a.Age(r.Today)
	return actionRow{Slug: p.Slug, Name: p.Profile.Name, Text: a.Text, Since: notes.FormatDate(a.First),
		Link: root + PersonPage(p.Slug) + "#" + noteID(a.First), Age: age, Stale: age > notes.StaleActionDays}
}

func (r *Report) findingRow(f notes.Finding, names map[string]string, root string) findingRow {
	row := findingRow{Slug: f.Slug, Name: names[f.Slug], Code: f.Code, Message: f.Message, File: f.File}
	if row.Name == "" {
		row.Name = f.Slug
	}
	if _, ok := names[f.Slug]; ok {
		row.Link = root + PersonPage(f.Slug)
		if d, err := notes.NoteDate(baseName(f.File)); err == nil {
			row.Link += "#" + noteID(d)
		}
	}
	return row
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// noteID is the HTML id of a note's article on a person page.
func noteID(d time.Time) string { return "note-" + notes.FormatDate(d) }

type themeRow struct {
	Title, Status, Started, Due, LastRating, DueClass string
	Revisited                                         int
	Chart                                             template.HTML
}

type noteView struct {
	ID, Date, Kind, Status, File string
	Ratings                      []notes.Rating
	Body                         template.HTML
	Empty                        bool
	Mood                         int // the report's check-in, 0 when none
}

type personData struct {
	page
	Person    personRow
	Profile   template.HTML
	Themes    []themeRow
	Actions   []actionRow
	Findings  []findingRow
	HasAudit  bool
	Problems  []notes.Problem
	Conflicts []string
	Notes     []noteView
}

func (r *Report) person(p *notes.Person) ([]byte, error) {
	d := personData{page: r.page(p.Profile.Name+" — 1:1 report", "../")}
	d.Person = r.personRow(p, "")
	profile := []byte(p.Profile.Body)
	if r.Shareable {
		profile = withoutPrivate(profile)
	}
	if len(bytes.TrimSpace(profile)) > 0 {
		d.Profile = MarkdownHTML(profile, 2)
	}
	for _, t := range p.Profile.Themes {
		row := themeRow{Title: t.Title, Status: t.Status, Started: dateOr(t.Started), Due: dateOr(t.Due),
			Chart: RevisitsSVG(p, t, r.Today)}
		if t.Status == notes.ThemeActive && !t.Due.IsZero() && t.Due.Before(r.Today) {
			row.DueClass = "bad"
		}
		for _, n := range p.Held(r.Today) {
			if rt, ok := n.Rating(t.Title); ok {
				row.Revisited++
				row.LastRating = rt
			}
		}
		d.Themes = append(d.Themes, row)
	}
	for _, a := range r.openActions(p) {
		d.Actions = append(d.Actions, r.actionRow(p, a, "../"))
	}
	if r.Audit != nil {
		d.HasAudit = true
		names := map[string]string{p.Slug: p.Profile.Name}
		for _, f := range r.findings() {
			if f.Slug == p.Slug {
				row := r.findingRow(f, names, "../")
				row.Link = ""
				if dt, err := notes.NoteDate(baseName(f.File)); err == nil && p.Note(dt) != nil {
					row.Link = "#" + noteID(dt)
				}
				d.Findings = append(d.Findings, row)
			}
		}
	}
	d.Problems = p.Problems
	d.Conflicts = p.Conflicts
	for i := len(p.Notes) - 1; i >= 0; i-- {
		n := p.Notes[i]
		body := n.Body
		if r.Shareable {
			body = n.Shareable()
		}
		v := noteView{ID: noteID(n.Date), Date: notes.FormatDate(n.Date), Kind: n.Kind, Status: n.EffectiveStatus(r.Today),
			File: n.Path, Ratings: n.Ratings, Body: MarkdownHTML(body, 3), Mood: n.Mood}
		v.Empty = len(bytes.TrimSpace([]byte(notes.StripComments(string(body))))) == 0
		d.Notes = append(d.Notes, v)
	}
	return execute("person", d)
}

// openActions returns p's open action items; a shareable report leaves out
// those written in a Private section.
func (r *Report) openActions(p *notes.Person) []notes.Action {
	open := p.OpenActionsOn(r.Today)
	if !r.Shareable {
		return open
	}
	private := p.PrivateTaskKeys()
	var out []notes.Action
	for _, a := range open {
		if !private[a.Key] {
			out = append(out, a)
		}
	}
	return out
}

// findings returns the audit findings; a shareable report leaves out the
// stale-action findings that quote an action item from a Private section.
func (r *Report) findings() []notes.Finding {
	if r.Audit == nil || !r.Shareable {
		if r.Audit == nil {
			return nil
		}
		return r.Audit.Findings
	}
	private := map[string]map[string]bool{}
	for _, p := range r.Team.People {
		private[p.Slug] = p.PrivateTaskKeys()
	}
	var out []notes.Finding
	for _, f := range r.Audit.Findings {
		leak := false
		if f.Code == notes.FindStaleAction {
			msg := notes.TaskKey(f.Message)
			for key := range private[f.Slug] {
				if strings.Contains(msg, key) {
					leak = true
				}
			}
		}
		if !leak {
			out = append(out, f)
		}
	}
	return out
}

func execute(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := reportTmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render the report: %w", err)
	}
	return buf.Bytes(), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dateOr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return notes.FormatDate(t)
}

// CadenceLabel writes a cadence in days the way people say it.
func CadenceLabel(days int) string {
	switch days {
	case 7:
		return "weekly"
	case 14:
		return "biweekly"
	case 30:
		return "monthly"
	}
	return notes.FormatDays(days)
}
