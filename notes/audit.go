package notes

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Finding codes, in the order the spec lists them (the order findings sort in).
const (
	FindOverdue           = "overdue"
	FindNeverMet          = "never-met"
	FindGoalsDue          = "goals-due"
	FindNoTheme           = "no-theme"
	FindThemeOverdue      = "theme-overdue"
	FindThemeNotRevisited = "theme-not-revisited"
	FindUnprepared        = "unprepared"
	FindEmptyNote         = "empty-note"
	FindUnbalanced        = "feedback-unbalanced"
	FindMoodDrop          = "mood-drop"
	FindNoFeedback        = "no-feedback"
	FindOneSided          = "one-sided"
	FindStaleAction       = "stale-action"
	FindInvalidNote       = "invalid-note"
	FindSyncConflict      = "sync-conflict"
)

// FindingCodes lists every finding code in report order.
var FindingCodes = []string{
	FindOverdue, FindNeverMet, FindGoalsDue, FindNoTheme, FindThemeOverdue,
	FindThemeNotRevisited, FindUnprepared, FindEmptyNote, FindUnbalanced, FindMoodDrop, FindNoFeedback, FindOneSided,
	FindStaleAction, FindInvalidNote, FindSyncConflict,
}

// StaleActionDays is the age beyond which an open action item is stale.
const StaleActionDays = 21

// OneSidedCount is how many held 1:1s in a row without the report's topics make a one-sided finding.
const OneSidedCount = 3

// Finding is one thing audit tells the manager about a report.
type Finding struct {
	Slug    string `json:"slug"` // "" for a file of the whole team (GUIDE.md, oneone.yaml): null in JSON
	Code    string `json:"code"`
	Message string `json:"message"`
	File    string `json:"file"`
}

// MarshalJSON writes a team finding's empty slug as null.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	if f.Slug != "" {
		return json.Marshal(plain(f))
	}
	return json.Marshal(struct {
		Slug *string `json:"slug"`
		plain
	}{nil, plain(f)})
}

// AuditReport is the result of an audit; the JSON shape is the spec's.
type AuditReport struct {
	AsOf     string    `json:"as_of"`
	People   []Stats   `json:"people"`
	Findings []Finding `json:"findings"`

	// Current counts the audited reports that have not left; OnCadence those of
	// them with a held 1:1 who are not overdue.
	Current   int `json:"-"`
	OnCadence int `json:"-"`
	// ManagerAwayUntil is the last day of the manager's absence covering the day audited.
	ManagerAwayUntil *string `json:"-"`
	// StaleMore counts, per report, the stale-action findings left out by
	// AuditOptions.StaleShown (nil when none were).
	StaleMore map[string]int `json:"-"`
}

// MarshalJSON writes the report in the spec's shape: people with their figures only.
func (r *AuditReport) MarshalJSON() ([]byte, error) { return json.Marshal(r.JSON()) }

// JSON returns the report in the spec's shape as a plain value, with no
// MarshalJSON of its own or of its findings: encoded with HTML escaping on
// (as json.Marshal does), it gives MarshalJSON's bytes without the pass
// encoding/json makes over every Marshaler's output to compact it (12 MB on
// the never-closed-items bench), nor a json.Marshal call per finding.
func (r *AuditReport) JSON() any {
	people := make([]Figures, len(r.People))
	for i, s := range r.People {
		people[i] = s.Figures
	}
	findings := make([]findingJSON, len(r.Findings))
	for i := range r.Findings {
		f := &r.Findings[i]
		findings[i] = findingJSON{Code: f.Code, Message: f.Message, File: f.File}
		if f.Slug != "" {
			findings[i].Slug = &f.Slug
		}
	}
	return auditReportJSON{r.AsOf, people, findings}
}

type auditReportJSON struct {
	AsOf     string        `json:"as_of"`
	People   []Figures     `json:"people"`
	Findings []findingJSON `json:"findings"`
}

// findingJSON is a Finding as MarshalJSON writes it: a team finding's slug null.
type findingJSON struct {
	Slug    *string `json:"slug"`
	Code    string  `json:"code"`
	Message string  `json:"message"`
	File    string  `json:"file"`
}

// AuditOptions tune an audit.
type AuditOptions struct {
	// All includes reports archived on or before today.
	All bool
	// StaleShown, when above 0, makes only that many stale-action findings
	// per report (the oldest, the ones the table shows) and counts the rest
	// in AuditReport.StaleMore: a report who never closes an item has
	// hundreds (53,000 in all on the never-closed-items bench), whose
	// messages audit's table would only count.
	StaleShown int
}

// Audit checks every report of the team against the team's 1:1 practice as of today.
func Audit(t *Team, cfg Config, today time.Time, opts AuditOptions) *AuditReport {
	today = Day(today)
	rep := &AuditReport{AsOf: FormatDate(today), People: []Stats{}, Findings: []Finding{}, ManagerAwayUntil: ManagerAwayUntil(cfg, today)}
	for _, pr := range t.Problems {
		rep.Findings = append(rep.Findings, Finding{Slug: pr.Slug, Code: FindInvalidNote, Message: pr.Message, File: pr.Path})
	}
	for _, c := range t.Conflicts {
		rep.Findings = append(rep.Findings, conflictFinding("", c))
	}
	var perPerson [][]Finding
	total := 0
	for _, p := range t.People {
		archived := p.Profile.ArchivedBy(today)
		if archived && !opts.All {
			continue
		}
		s := ComputeStats(p, cfg, today)
		rep.People = append(rep.People, s)
		if !archived {
			rep.Current++
			if s.LastHeld != nil && !s.Overdue {
				rep.OnCadence++
			}
		}
		// --all shows archived reports again, with the findings that still apply
		fs, more := auditPerson(p, s, cfg, today, opts.StaleShown)
		if more > 0 {
			if rep.StaleMore == nil {
				rep.StaleMore = map[string]int{}
			}
			rep.StaleMore[p.Slug] = more
		}
		if archived {
			fs = archivedFindings(fs)
		}
		files := fileFindings(p)
		perPerson = append(perPerson, fs, files)
		total += len(fs) + len(files)
	}
	// one allocation for every finding: appended report by report, 52,000
	// stale-action findings were copied over and over as the slice grew
	rep.Findings = slices.Grow(rep.Findings, total)
	for _, fs := range perPerson {
		rep.Findings = append(rep.Findings, fs...)
	}
	sort.Slice(rep.People, func(i, j int) bool { return rep.People[i].Slug < rep.People[j].Slug })
	SortFindings(rep.Findings)
	return rep
}

// SortFindings orders findings by slug, then code in the spec's order, then file; ties keep their order.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Slug != b.Slug {
			return a.Slug < b.Slug
		}
		if ca, cb := codeRank(a.Code), codeRank(b.Code); ca != cb {
			return ca < cb
		}
		return a.File < b.File
	})
}

func codeRank(code string) int {
	for i, c := range FindingCodes {
		if c == code {
			return i
		}
	}
	return len(FindingCodes)
}

// fileFindings reports the files of a person that need a hand: unreadable notes and conflict copies.
func fileFindings(p *Person) []Finding {
	var out []Finding
	for _, pr := range p.Problems {
		out = append(out, Finding{Slug: p.Slug, Code: FindInvalidNote, Message: pr.Message, File: pr.Path})
	}
	for _, c := range p.Conflicts {
		out = append(out, conflictFinding(p.Slug, c))
	}
	return out
}

// conflictFinding is the sync-conflict finding of a conflict copy.
func conflictFinding(slug, path string) Finding {
	msg := fmt.Sprintf("conflict copy left by sync: merge what you need into %s, then delete it", conflictOriginal(path))
	switch {
	case strings.Contains(path, ".conflict-share-"):
		msg = fmt.Sprintf("the report's edit of the shared agenda, not applied: merge what you need into %s, then delete it", conflictOriginal(path))
	case IsSharedCopy(path[strings.LastIndex(path, "/")+1:]):
		msg = "a file the report added to the shared agenda: move what you need into a note, then delete it"
	}
	return Finding{Slug: slug, Code: FindSyncConflict, Message: msg, File: path}
}

// conflictOriginal returns the note a conflict copy belongs to: alice/2026-11-18.conflict-ab12.md -> alice/2026-11-18.md.
func conflictOriginal(path string) string {
	if i := strings.Index(path, ".conflict-"); i >= 0 {
		return path[:i] + path[strings.LastIndex(path, "."):] // the same extension
	}
	return path
}

// auditPerson returns p's findings, with at most staleShown stale-action
// findings when staleShown is above 0, and how many more there are.
func auditPerson(p *Person, s Stats, cfg Config, today time.Time, staleShown int) ([]Finding, int) {
	var out []Finding
	add := func(code, file, format string, args ...any) {
		out = append(out, Finding{Slug: p.Slug, Code: code, Message: fmt.Sprintf(format, args...), File: file})
	}
	prof := p.Profile
	held := p.Held(today)
	var last *Note
	if len(held) > 0 {
		last = held[len(held)-1]
	}

	// cadence
	switch {
	case last == nil:
		msg := "no 1:1 held yet"
		if next := p.nextPlanned(today); next != nil {
			msg += fmt.Sprintf(" (next planned for %s)", FormatDate(next.Date))
		} else {
			msg += fmt.Sprintf(": plan one with `oneone new %s`", p.Slug)
		}
		add(FindNeverMet, prof.Path, "%s", msg)
	case s.Overdue: // away days are left out of the gap, so an absence never hides an older one
		msg := fmt.Sprintf("last 1:1 was %d days ago (cadence %s)", s.CalendarGapDays, FormatDays(s.CadenceDays))
		if away := s.CalendarGapDays - s.GapDays; away > 0 {
			msg = fmt.Sprintf("last 1:1 was %d days ago, %d of them not away (cadence %s)", s.CalendarGapDays, s.GapDays, FormatDays(s.CadenceDays))
		}
		add(FindOverdue, last.Path, "%s", msg)
	}

	// goals: due unless one is on the calendar already
	if due, lastGoals := GoalsDue(p, cfg, today); due && p.PlannedGoals(today) == nil {
		if lastGoals.IsZero() {
			first := held[0].Date
			add(FindGoalsDue, prof.Path, "no goals 1:1 yet; the first 1:1 was %d days ago (goals every %s)",
				DaysBetween(first, today), FormatDays(cfg.GoalsEveryDays))
		} else {
			add(FindGoalsDue, NotePath(p.Slug, lastGoals), "last goals 1:1 was %d days ago (goals every %s)",
				DaysBetween(lastGoals, today), FormatDays(cfg.GoalsEveryDays))
		}
	}

	// themes
	active := prof.ActiveThemes()
	if len(active) == 0 {
		add(FindNoTheme, prof.Path, "no active theme: agree on one in a goals 1:1")
	}
	for _, t := range active {
		if !t.Due.IsZero() && t.Due.Before(today) {
			add(FindThemeOverdue, prof.Path, "theme %q was due %s, %s ago: mark it done or dropped",
				t.Title, FormatDate(t.Due), plural(DaysBetween(t.Due, today), "day"))
		}
	}
	if last != nil {
		for _, t := range active {
			if _, ok := last.Rating(t.Title); ok {
				continue
			}
			if !t.Started.IsZero() && t.Started.After(last.Date) {
				continue // added after the last 1:1: nothing to revisit yet
			}
			msg := fmt.Sprintf("theme %q not rated in the last 1:1 (%s)", t.Title, FormatDate(last.Date))
			if near := Closest(t.Title, unknownRatings(last, prof)); near != "" { // a typo, or another case or spacing
				msg += fmt.Sprintf("; it rates %q: use the exact title", near)
			} else if unknown := unknownRatings(last, prof); len(unknown) > 0 {
				msg += fmt.Sprintf("; it rates %s, not a theme of the profile: use the exact title", quoteList(unknown))
			}
			add(FindThemeNotRevisited, last.Path, "%s", msg)
		}
	}

	// preparation: today's note and those close enough to prepare now
	horizon := AddDays(today, cfg.PrepareAheadDays)
	for _, n := range p.Notes {
		if n.Date.Before(today) || n.Date.After(horizon) || n.Status == StatusSkipped || n.Status == StatusCancelled {
			continue
		}
		if n.FeedbackEmpty() {
			when := "the 1:1 on " + FormatDate(n.Date)
			if n.Date.Equal(today) {
				when = "today's 1:1"
			}
			add(FindUnprepared, n.Path, "%s has no feedback prepared yet", when)
		}
	}
	for _, n := range p.Notes {
		if !n.Date.Before(today) {
			break
		}
		if n.Status != StatusSkipped && n.Status != StatusCancelled && n.Empty() {
			d := FormatDate(n.Date)
			add(FindEmptyNote, n.Path, "nothing is written in the 1:1 of %s: was it held? write down what was said, or mark it `oneone skip %s %s` (or `cancel`)", d, p.Slug, d)
		}
	}
	if b := FeedbackBalance(p, today); b.Unbalanced() {
		what, fix := "only praise", "prepare something to improve too, with a concrete example"
		if b.Kind == FeedbackToImprove {
			what, fix = "only points to improve", "say what went well too, as specifically"
		}
		add(FindUnbalanced, b.Last.Path, "last %d 1:1s with feedback (since %s) had %s: %s (feedback means both)",
			FeedbackBalanceCount, FormatDate(b.Since), what, fix)
	}
	if m := MoodDropOf(p, today); m.Dropped {
		add(FindMoodDrop, m.Newest.Path, "%s's check-in was %d on %s and %d on %s, against %.1f on average in the 90 days before: ask how %s is doing before anything else",
			prof.FirstName(), m.Older.Mood, FormatDate(m.Older.Date), m.Newest.Mood, FormatDate(m.Newest.Date), m.Average, prof.FirstName())
	}
	if last != nil && last.FeedbackEmpty() {
		add(FindNoFeedback, last.Path, "last 1:1 (%s) has no feedback written down", FormatDate(last.Date))
	}
	if len(held) >= OneSidedCount {
		recent := held[len(held)-OneSidedCount:]
		oneSided := true
		for _, n := range recent {
			if !n.TopicsEmpty(p.Profile.FirstName()) {
				oneSided = false
				break
			}
		}
		if oneSided {
			add(FindOneSided, last.Path, "last %d 1:1s (since %s) had no topics from %s",
				OneSidedCount, FormatDate(recent[0].Date), prof.FirstName())
		}
	}

	// action items
	return p.appendStaleActions(out, today, staleShown)
}

// appendStaleActions appends a stale-action finding for every item open as
// of today for more than StaleActionDays, oldest first: the message
// fmt.Sprintf("%q open for %d days (since %s)", text, age, date) would
// write. A report who never closes an item has hundreds of them (about 530
// each, 53,000 in all, on the never-closed-items bench, where formatting them
// one by one through OpenActionsOn and Sprintf was a fifth of a warm audit's
// CPU time): the messages are
// written into one buffer and cut from one string, and the items first
// written in the same note share its path. With limit above 0, only the
// oldest limit are made (findings sort by file, which is by first date: the
// same ones SortFindings would put first), and the rest counted.
func (p *Person) appendStaleActions(out []Finding, today time.Time, limit int) ([]Finding, int) {
	states, order := p.followedInOrder()
	// items in order share their first date often: its age is computed once
	var ageOf time.Time
	age := -1
	ageOn := func(day time.Time) int {
		if age < 0 || !day.Equal(ageOf) {
			ageOf, age = day, max(DaysBetween(day, today), 0)
		}
		return age
	}
	n, size, more := 0, 0, 0
	for _, k := range order {
		if st := &states[k]; ageOn(st.first) > StaleActionDays && p.openOn(st, today) {
			if limit > 0 && n == limit {
				more++
				continue
			}
			n, size = n+1, size+len(st.text)+len(`"" open for 99999 days (since 2006-01-02)`)
		}
	}
	if n == 0 {
		return out, 0
	}
	buf := make([]byte, 0, size) // quoting may need more: append grows it then
	ends, stale := make([]int32, 0, n), make([]int32, 0, n)
	for _, k := range order {
		st := &states[k]
		age := ageOn(st.first)
		if age <= StaleActionDays || !p.openOn(st, today) {
			continue
		}
		if len(stale) == n {
			break // the limit
		}
		buf = appendQuote(buf, TaskBase(st.text))
		buf = append(buf, " open for "...)
		buf = strconv.AppendInt(buf, int64(age), 10)
		buf = append(buf, " days (since "...)
		buf = st.first.AppendFormat(buf, DateLayout)
		buf = append(buf, ')')
		ends, stale = append(ends, int32(len(buf))), append(stale, k)
	}
	msgs := string(buf)
	out = slices.Grow(out, len(stale))
	var start int32
	var lastFirst time.Time
	lastPath := ""
	for i, k := range stale {
		st := &states[k]
		file := st.firstPath
		if file == "" {
			if lastPath == "" || !st.first.Equal(lastFirst) {
				lastFirst, lastPath = st.first, NotePath(p.Slug, st.first)
			}
			file = lastPath
		}
		out = append(out, Finding{Slug: p.Slug, Code: FindStaleAction, Message: msgs[start:ends[i]], File: file})
		start = ends[i]
	}
	return out, more
}

// appendQuote appends s as strconv.AppendQuote (and so %q) writes it,
// copying it at once when it is printable ASCII with no quote or backslash,
// as an action item's text nearly always is.
func appendQuote(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return strconv.AppendQuote(buf, s)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// nextPlanned returns the earliest note dated after today that is not skipped or cancelled.
func (p *Person) nextPlanned(today time.Time) *Note {
	for _, n := range p.Notes {
		if n.Planned(today) && n.Status != StatusSkipped && n.Status != StatusCancelled {
			return n
		}
	}
	return nil
}

// unknownRatings lists the titles a note rates that name no theme of the profile.
func unknownRatings(n *Note, prof *Profile) []string {
	var out []string
	for _, r := range n.Ratings {
		known := false
		for _, t := range prof.Themes {
			if t.Title == r.Theme {
				known = true
				break
			}
		}
		if !known {
			out = append(out, r.Theme)
		}
	}
	return out
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
