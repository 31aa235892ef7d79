package render

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
)

// Feedback states of a week in the check-ins chart: what the held 1:1s of
// the week wrote in their Feedback.
const (
	FeedbackBoth      = "both"       // positive and to-improve items
	FeedbackPraise    = "positive"   // positive items only
	FeedbackCriticism = "to-improve" // items to improve only
	FeedbackNeither   = "neither"    // a held 1:1 with feedback of no kind, or none
)

// CheckinLegend lists the feedback states in the order the legend shows them.
var CheckinLegend = []struct{ State, Label string }{
	{FeedbackBoth, "positive and to improve"},
	{FeedbackPraise, "only praise"},
	{FeedbackCriticism, "only points to improve"},
	{FeedbackNeither, "neither kind"},
}

// CheckinWeek is one week of a report's check-ins and feedback.
type CheckinWeek struct {
	Start    time.Time // Monday
	Mood     int       // the lowest check-in of the week's held 1:1s, 0 when none
	Feedback string    // a Feedback state, "" when no 1:1 was held that week
	Title    string    // tooltip
}

// CheckinRow is one report's weeks of check-ins and feedback, oldest first,
// with the counts its text alternative says.
type CheckinRow struct {
	Slug, Name string
	Weeks      []CheckinWeek
	Moods      []int // every check-in in the span, oldest first
	LastMood   time.Time
	Counts     map[string]int // held 1:1s per Feedback state
}

// Checkins computes p's check-ins and feedback balance over n weeks ending
// with the week that holds today: the weeks line up with Timeline's.
func Checkins(p *notes.Person, today time.Time, n int) CheckinRow {
	row := CheckinRow{Slug: p.Slug, Name: p.Profile.Name, Counts: map[string]int{}}
	first := notes.AddDays(WeekStart(today), -7*(n-1))
	for w := 0; w < n; w++ {
		start := notes.AddDays(first, 7*w)
		end := notes.AddDays(start, 6)
		wk := CheckinWeek{Start: start}
		var words []string
		positive, improve, held := false, false, false
		for _, nt := range p.Notes {
			if nt.Date.Before(start) || nt.Date.After(end) || !nt.Held(today) {
				continue
			}
			held = true
			if nt.HasMood() {
				row.Moods = append(row.Moods, nt.Mood)
				row.LastMood = nt.Date
				if wk.Mood == 0 || nt.Mood < wk.Mood {
					wk.Mood = nt.Mood
				}
				words = append(words, fmt.Sprintf("check-in %d of 5 on %s", nt.Mood, notes.FormatDate(nt.Date)))
			}
			state := feedbackState(nt)
			row.Counts[state]++
			words = append(words, fmt.Sprintf("feedback on %s: %s", notes.FormatDate(nt.Date), checkinLabel(state)))
			positive = positive || nt.HasPositiveFeedback()
			improve = improve || nt.HasToImproveFeedback()
		}
		if held {
			switch {
			case positive && improve:
				wk.Feedback = FeedbackBoth
			case positive:
				wk.Feedback = FeedbackPraise
			case improve:
				wk.Feedback = FeedbackCriticism
			default:
				wk.Feedback = FeedbackNeither
			}
		}
		if len(words) == 0 {
			words = append(words, "no 1:1 held")
		}
		wk.Title = fmt.Sprintf("%s, week of %s: %s", p.Profile.Name, notes.FormatDate(start), strings.Join(words, "; "))
		row.Weeks = append(row.Weeks, wk)
	}
	return row
}

// feedbackState is the Feedback state of one held note.
func feedbackState(n *notes.Note) string {
	switch {
	case n.FeedbackBoth():
		return FeedbackBoth
	case n.HasPositiveFeedback():
		return FeedbackPraise
	case n.HasToImproveFeedback():
		return FeedbackCriticism
	}
	return FeedbackNeither
}

func checkinLabel(state string) string {
	for _, l := range CheckinLegend {
		if l.State == state {
			return l.Label
		}
	}
	return state
}

// Geometry of the check-ins chart: the label column and the week columns of
// the cadence timeline, so that the two read as one.
const (
	ciRowH  = 30
	ciBarY  = tlCell + 3
	ciBarH  = 6
	ciHeadH = 6
)

// CheckinsSVG draws each report's check-ins (a square per week with the
// lowest mood of the week, coloured from 1 to 5) and the balance of its
// feedback (a bar under it: both kinds, only praise, only points to improve,
// neither) as an accessible inline SVG with a tooltip per week and a text
// alternative per report.
func CheckinsSVG(rows []CheckinRow, today time.Time, weeks int) template.HTML {
	width := tlLabelW + weeks*(tlCell+tlGap)
	height := ciHeadH + max(len(rows), 1)*ciRowH
	esc := html.EscapeString
	first := notes.AddDays(WeekStart(today), -7*(weeks-1))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="checkins" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="checkins-title checkins-desc" viewBox="0 0 %d %d" width="%d" height="%d" data-weeks="%d">`+"\n",
		width, height, width, height, weeks)
	fmt.Fprintf(&b, `<title id="checkins-title">Check-ins and feedback: %d %s, %d weeks from %s to %s</title>`+"\n",
		len(rows), plural(len(rows), "report"), weeks, notes.FormatDate(first), notes.FormatDate(today))
	var desc []string
	for _, r := range rows {
		desc = append(desc, checkinSummary(r))
	}
	if len(rows) == 0 {
		desc = append(desc, "No reports.")
	}
	fmt.Fprintf(&b, `<desc id="checkins-desc">%s</desc>`+"\n", esc(strings.Join(desc, " ")))
	for i, r := range rows {
		fmt.Fprintf(&b, `<g class="row" data-slug="%s" transform="translate(0 %d)">`, esc(r.Slug), ciHeadH+i*ciRowH)
		fmt.Fprintf(&b, `<text class="label" x="0" y="%d">%s</text>`, tlCell-3, esc(truncate(r.Name, 22)))
		for w, wk := range r.Weeks {
			x := tlLabelW + w*(tlCell+tlGap)
			if wk.Mood == 0 && wk.Feedback == "" {
				fmt.Fprintf(&b, "\n"+`<rect class="mood none" data-week="%s" x="%d" y="0" width="%d" height="%d" rx="3"><title>%s</title></rect>`,
					notes.FormatDate(wk.Start), x, tlCell, tlCell, esc(wk.Title))
				continue
			}
			fmt.Fprintf(&b, "\n"+`<g class="week" data-week="%s"><title>%s</title>`, notes.FormatDate(wk.Start), esc(wk.Title))
			if wk.Mood > 0 {
				fmt.Fprintf(&b, `<rect class="mood m%d" x="%d" y="0" width="%d" height="%d" rx="3"/><text class="mood-digit" x="%d" y="%d">%d</text>`,
					wk.Mood, x, tlCell, tlCell, x+tlCell/2, tlCell-4, wk.Mood)
			} else {
				fmt.Fprintf(&b, `<rect class="mood unknown" x="%d" y="0" width="%d" height="%d" rx="3"/>`, x, tlCell, tlCell)
			}
			if wk.Feedback != "" {
				fmt.Fprintf(&b, `<rect class="fb %s" x="%d" y="%d" width="%d" height="%d" rx="2"/>`, wk.Feedback, x, ciBarY, tlCell, ciBarH)
			}
			b.WriteString("</g>")
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// checkinSummary says a row in words, for the SVG's text alternative.
func checkinSummary(r CheckinRow) string {
	var parts []string
	if len(r.Moods) > 0 {
		moods := make([]string, len(r.Moods))
		for i, m := range r.Moods {
			moods[i] = strconv.Itoa(m)
		}
		parts = append(parts, fmt.Sprintf("check-ins %s (the last on %s)", strings.Join(moods, ", "), notes.FormatDate(r.LastMood)))
	} else {
		parts = append(parts, "no check-in")
	}
	held := 0
	var fb []string
	for _, l := range CheckinLegend {
		if c := r.Counts[l.State]; c > 0 {
			held += c
			fb = append(fb, fmt.Sprintf("%s in %d", l.Label, c))
		}
	}
	if held == 0 {
		parts = append(parts, "no 1:1 held")
	} else {
		parts = append(parts, fmt.Sprintf("feedback over %d held %s: %s", held, plural(held, "1:1"), strings.Join(fb, ", ")))
	}
	return fmt.Sprintf("%s: %s.", r.Name, strings.Join(parts, "; "))
}
