package render

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
)

// Cell states of the cadence timeline, most telling first: a week shows the
// first state that applies to it.
const (
	CellGoals   = "goals"   // a goals 1:1 was held
	CellHeld    = "held"    // a regular 1:1 was held
	CellMissed  = "missed"  // a 1:1 was skipped or cancelled, none held
	CellOverdue = "overdue" // overdue on a day of the week that was not an away day
	CellAway    = "away"    // the report or the manager was away
	CellPlanned = "planned" // a 1:1 is planned later this week
	CellNone    = "none"    // nothing to note: on cadence, or before the first 1:1
	CellLeft    = "left"    // the report had left the team
)

// Legend lists the timeline states in the order the legend shows them, with their labels.
var Legend = []struct{ State, Label string }{
	{CellHeld, "1:1 held"},
	{CellGoals, "goals 1:1 held"},
	{CellMissed, "skipped or cancelled"},
	{CellOverdue, "overdue"},
	{CellAway, "away (they or you)"},
	{CellPlanned, "planned"},
	{CellNone, "no 1:1 that week"},
	{CellLeft, "left the team"},
}

// Week is one cell of a timeline row.
type Week struct {
	Start time.Time // Monday
	State string
	Title string // tooltip
}

// TimelineRow is one report's weeks, oldest first.
type TimelineRow struct {
	Slug, Name string
	Weeks      []Week
	Counts     map[string]int
}

// WeekStart returns the Monday of the week holding day.
func WeekStart(day time.Time) time.Time {
	wd := (int(day.Weekday()) + 6) % 7 // Monday 0 ... Sunday 6
	return notes.AddDays(day, -wd)
}

// Timeline computes a row of n weeks for p, ending with the week that holds today.
func Timeline(p *notes.Person, cfg notes.Config, today time.Time, n int) TimelineRow {
	row := TimelineRow{Slug: p.Slug, Name: p.Profile.Name, Counts: map[string]int{}}
	away := notes.AwayFor(p.Profile, cfg)
	theirs := notes.AwayFor(p.Profile, notes.Config{}) // the report's own absences only
	limit := p.Profile.CadenceDays + cfg.GraceDays
	first := notes.AddDays(WeekStart(today), -7*(n-1))
	var held []time.Time
	for _, nt := range p.Notes {
		if nt.Held(today) {
			held = append(held, nt.Date)
		}
	}
	lastHeld := func(d time.Time) time.Time {
		var last time.Time
		for _, h := range held {
			if h.After(d) {
				break
			}
			last = h
		}
		return last
	}
	for w := 0; w < n; w++ {
		start := notes.AddDays(first, 7*w)
		end := notes.AddDays(start, 6)
		var events []string
		has := map[string]bool{}
		for _, nt := range p.Notes {
			if nt.Date.Before(start) || nt.Date.After(end) {
				continue
			}
			st := nt.EffectiveStatus(today)
			switch {
			case st == notes.StatusHeld && nt.Kind == notes.KindGoals:
				has[CellGoals] = true
				events = append(events, "goals 1:1 held "+notes.FormatDate(nt.Date))
			case st == notes.StatusHeld:
				has[CellHeld] = true
				events = append(events, "1:1 held "+notes.FormatDate(nt.Date))
			case st == "planned":
				has[CellPlanned] = true
				events = append(events, nt.Kind+" 1:1 planned "+notes.FormatDate(nt.Date))
			default:
				has[CellMissed] = true
				events = append(events, "1:1 "+st+" "+notes.FormatDate(nt.Date))
			}
		}
		overdueDays, awayDays, theirDays, leftDays, days := 0, 0, 0, 0, 0
		maxGap := 0
		for d := start; !d.After(end) && !d.After(today); d = notes.AddDays(d, 1) {
			days++
			if p.Profile.ArchivedBy(d) {
				leftDays++
				continue
			}
			if away.On(d) {
				awayDays++
				if theirs.On(d) {
					theirDays++
				}
				continue
			}
			if last := lastHeld(d); !last.IsZero() {
				if gap := away.Gap(last, d); gap > limit {
					overdueDays++
					maxGap = max(maxGap, notes.DaysBetween(last, d))
				}
			}
		}
		if overdueDays > 0 {
			has[CellOverdue] = true
			events = append(events, fmt.Sprintf("overdue on %d %s (up to %d days since the last 1:1)", overdueDays, plural(overdueDays, "day"), maxGap))
		}
		if awayDays > 0 {
			has[CellAway] = true
			switch {
			case theirDays == awayDays:
				events = append(events, fmt.Sprintf("away %d %s", awayDays, plural(awayDays, "day")))
			case theirDays == 0:
				events = append(events, fmt.Sprintf("you were away %d %s", awayDays, plural(awayDays, "day")))
			default:
				events = append(events, fmt.Sprintf("away %d %s (you %d)", theirDays, plural(theirDays, "day"), awayDays-theirDays))
			}
		}
		if days > 0 && leftDays == days {
			has[CellLeft] = true
			events = append(events, "left the team")
		}
		state := CellNone
		for _, s := range []string{CellGoals, CellHeld, CellMissed, CellOverdue, CellLeft, CellAway, CellPlanned} {
			if has[s] {
				state = s
				break
			}
		}
		if len(events) == 0 {
			events = append(events, "no 1:1")
		}
		title := fmt.Sprintf("%s, week of %s: %s", p.Profile.Name, notes.FormatDate(start), strings.Join(events, "; "))
		row.Weeks = append(row.Weeks, Week{Start: start, State: state, Title: title})
		row.Counts[state]++
	}
	return row
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Timeline geometry, in SVG user units.
const (
	tlLabelW = 170
	tlCell   = 16
	tlGap    = 4
	tlRowH   = 24
	tlHeadH  = 22
)

// TimelineSVG draws the rows as an accessible inline SVG: role="img", a
// <title> and a <desc> that says in words what the picture shows, one
// <g class="row"> per report and one <rect class="cell STATE"> per week, each
// with a <title> tooltip.
func TimelineSVG(rows []TimelineRow, today time.Time, weeks int) template.HTML {
	width := tlLabelW + weeks*(tlCell+tlGap)
	height := tlHeadH + max(len(rows), 1)*tlRowH
	var b strings.Builder
	esc := html.EscapeString
	first := notes.AddDays(WeekStart(today), -7*(weeks-1))
	fmt.Fprintf(&b, `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="timeline-title timeline-desc" viewBox="0 0 %d %d" width="%d" height="%d" data-weeks="%d">`+"\n",
		width, height, width, height, weeks)
	fmt.Fprintf(&b, `<title id="timeline-title">Cadence timeline: %d %s, %d weeks from %s to %s</title>`+"\n",
		len(rows), plural(len(rows), "report"), weeks, notes.FormatDate(first), notes.FormatDate(today))
	var desc []string
	for _, r := range rows {
		desc = append(desc, rowSummary(r))
	}
	if len(rows) == 0 {
		desc = append(desc, "No reports.")
	}
	fmt.Fprintf(&b, `<desc id="timeline-desc">%s</desc>`+"\n", esc(strings.Join(desc, " ")))
	b.WriteString(`<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)"><rect class="hatch-bg" width="4" height="4"/><line class="hatch-line" x1="0" y1="0" x2="0" y2="4"/></pattern></defs>` + "\n")
	// month labels above the first week of each month
	b.WriteString(`<g class="months" aria-hidden="true">`)
	labelled := false
	for w := 0; w < weeks; w++ {
		start := notes.AddDays(first, 7*w)
		if start.Day() > 7 {
			continue // label only the first Monday of a month
		}
		label := start.Format("Jan")
		if !labelled || start.Month() == time.January {
			label = start.Format("Jan 2006")
		}
		labelled = true
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, tlLabelW+w*(tlCell+tlGap), tlHeadH-8, esc(label))
	}
	b.WriteString("</g>\n")
	for i, r := range rows {
		y := tlHeadH + i*tlRowH
		fmt.Fprintf(&b, `<g class="row" data-slug="%s" transform="translate(0 %d)">`, esc(r.Slug), y)
		fmt.Fprintf(&b, `<text class="label" x="0" y="%d">%s</text>`, tlCell-3, esc(truncate(r.Name, 22)))
		for w, wk := range r.Weeks {
			fmt.Fprintf(&b, "\n"+`<rect class="cell %s" data-week="%s" x="%d" y="0" width="%d" height="%d" rx="3"><title>%s</title></rect>`,
				wk.State, notes.FormatDate(wk.Start), tlLabelW+w*(tlCell+tlGap), tlCell, tlCell, esc(wk.Title))
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// rowSummary says a timeline row in words, for the SVG's text alternative.
func rowSummary(r TimelineRow) string {
	var parts []string
	for _, l := range Legend {
		if c := r.Counts[l.State]; c > 0 && l.State != CellNone {
			parts = append(parts, fmt.Sprintf("%s in %d %s", l.Label, c, plural(c, "week")))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no 1:1s")
	}
	return fmt.Sprintf("%s: %s.", r.Name, strings.Join(parts, ", "))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// RevisitsSVG draws a small chart of a theme: one square per held 1:1 since the
// theme started, coloured by the rating it got there (grey when not revisited).
func RevisitsSVG(p *notes.Person, t notes.Theme, today time.Time) template.HTML {
	type mark struct {
		date   time.Time
		rating string
	}
	var marks []mark
	end := today
	if t.Status != notes.ThemeActive && !t.Due.IsZero() && t.Due.Before(today) {
		end = t.Due
	}
	for _, n := range p.Held(today) {
		if (!t.Started.IsZero() && n.Date.Before(t.Started)) || n.Date.After(end) {
			continue
		}
		r, _ := n.Rating(t.Title)
		marks = append(marks, mark{n.Date, r})
	}
	const maxMarks = 16
	if len(marks) > maxMarks {
		marks = marks[len(marks)-maxMarks:]
	}
	revisited := 0
	var words []string
	for _, m := range marks {
		if m.rating != "" {
			revisited++
			words = append(words, notes.FormatDate(m.date)+" "+m.rating)
		} else {
			words = append(words, notes.FormatDate(m.date)+" not revisited")
		}
	}
	label := fmt.Sprintf("Revisited in %d of %d 1:1s", revisited, len(marks))
	if len(words) > 0 {
		label += ": " + strings.Join(words, ", ")
	}
	if len(marks) == 0 {
		return template.HTML(`<span class="muted">no 1:1 since it started</span>`)
	}
	const size, gap = 10, 3
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="revisits" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d">`,
		html.EscapeString(label), len(marks)*(size+gap), size, len(marks)*(size+gap), size)
	for i, m := range marks {
		state := "not-rated"
		if m.rating != "" {
			state = m.rating
		}
		what := "not revisited"
		if m.rating != "" {
			what = m.rating
		}
		fmt.Fprintf(&b, `<rect class="mark %s" x="%d" y="0" width="%d" height="%d" rx="2"><title>%s: %s</title></rect>`,
			state, i*(size+gap), size, size, notes.FormatDate(m.date), what)
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
