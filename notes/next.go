package notes

import (
	"sort"
	"time"
)

// Prep is one upcoming or overdue 1:1 and what to prepare for it.
type Prep struct {
	Slug        string  `json:"slug"`
	Name        string  `json:"name"`
	CadenceDays int     `json:"cadence_days"`
	LastHeld    *string `json:"last_held"`
	NextDue     *string `json:"next_due"` // null when never met
	DaysOverdue int     `json:"days_overdue"`
	Overdue     bool    `json:"overdue"` // past cadence plus grace
	NeverMet    bool    `json:"never_met"`
	AwayUntil   *string `json:"away_until"`
	Archived    *string `json:"archived"`
	TodayNote   *string `json:"today_note"`     // a 1:1 today: its note's path
	PrepNote    *string `json:"prep_note"`      // the planned note's path (today's when there is one), or null
	PrepKind    *string `json:"prep_kind"`      // the planned note's kind, null without one
	FeedbackOK  bool    `json:"feedback_ready"` // the prep note's Feedback is written
	TopicsOK    bool    `json:"topics_ready"`   // the prep note's topics section has the report's topics
	GoalsDue    bool    `json:"goals_due"`
	LastGoals   *string `json:"last_goals"`
	Slot        *string `json:"slot"` // the profile's recurring time, "mon 10:00 30m"
	// FeedbackOnly is "positive" when the last 4 held 1:1s with feedback of a
	// kind held only praise, "to-improve" when only points to improve, null otherwise.
	FeedbackOnly *string      `json:"feedback_only"`
	Themes       []PrepTheme  `json:"themes"`
	Actions      []PrepAction `json:"open_actions"`

	Due time.Time `json:"-"` // the day the 1:1 is due; today for a report never met
}

// PrepTheme is an active theme to revisit.
type PrepTheme struct {
	Title      string  `json:"title"`
	Due        *string `json:"due"`
	LastRating *string `json:"last_rating"` // in the last held 1:1 that rated it
}

// PrepAction is an open action item to follow up on.
type PrepAction struct {
	Text    string `json:"text"`
	Since   string `json:"since"`
	AgeDays int    `json:"age_days"`
	File    string `json:"file"`
}

// PrepFor works out the next 1:1 with p and what to prepare for it, as of today.
func PrepFor(p *Person, cfg Config, today time.Time) Prep {
	s := ComputeStats(p, cfg, today)
	pr := Prep{
		Slug: p.Slug, Name: p.Profile.Name, CadenceDays: s.CadenceDays, LastHeld: s.LastHeld, NextDue: s.NextDue,
		DaysOverdue: s.DaysOverdue, Overdue: s.Overdue, NeverMet: s.LastHeld == nil, AwayUntil: s.AwayUntil,
		Archived: s.Archived,
		Due:      s.Due, Themes: []PrepTheme{}, Actions: []PrepAction{}, Slot: s.Slot,
	}
	if b := FeedbackBalance(p, today); b.Unbalanced() {
		kind := b.Kind
		pr.FeedbackOnly = &kind
	}
	if pr.NeverMet {
		pr.Due = today
	}
	n := PlannedNote(p, today)
	if t := p.Note(today); t != nil && t.Status != StatusSkipped && t.Status != StatusCancelled {
		// a 1:1 today counts as held, but the day is not over: it is what to prepare now
		path := t.Path
		pr.TodayNote, n = &path, t
	}
	if n != nil {
		path := n.Path
		kind := n.Kind
		pr.PrepNote, pr.PrepKind = &path, &kind
		pr.FeedbackOK = !n.FeedbackEmpty()
		pr.TopicsOK = !n.TopicsEmpty(p.Profile.FirstName())
	}
	// Is a goals 1:1 due by the day of the 1:1? Only what was held by today counts.
	held := p.Held(today)
	day := pr.Due
	if day.Before(today) {
		day = today
	}
	due, last := GoalsDue(&Person{Slug: p.Slug, Profile: p.Profile, Notes: held}, cfg, day)
	pr.GoalsDue = due
	if !last.IsZero() {
		v := FormatDate(last)
		pr.LastGoals = &v
	}
	for _, t := range p.Profile.ActiveThemes() {
		pt := PrepTheme{Title: t.Title}
		if !t.Due.IsZero() {
			v := FormatDate(t.Due)
			pt.Due = &v
		}
		for i := len(held) - 1; i >= 0; i-- {
			if r, ok := held[i].Rating(t.Title); ok {
				pt.LastRating = &r
				break
			}
		}
		pr.Themes = append(pr.Themes, pt)
	}
	for _, a := range p.OpenActionsOn(today) {
		pr.Actions = append(pr.Actions, PrepAction{Text: a.Text, Since: FormatDate(a.First), AgeDays: a.Age(today), File: a.FirstPath})
	}
	return pr
}

// PlannedNote returns the note prepared for the next 1:1: the earliest note
// dated today or later that is not yet held, skipped or cancelled. A note dated
// today counts as held, so it is the prep note only when nothing else is.
func PlannedNote(p *Person, today time.Time) *Note {
	last := p.LastHeld(today)
	for _, n := range p.Notes {
		if n.Date.Before(today) || n.Status == StatusSkipped || n.Status == StatusCancelled {
			continue
		}
		if last != nil && !n.Date.After(last.Date) {
			continue
		}
		return n
	}
	return nil
}

// NextUp returns the 1:1s due within days after today, overdue ones and
// reports never met, soonest first; reports away today and not overdue come
// last, marked and not due, whatever their due date. Archived reports are left out unless all is set.
func NextUp(people []*Person, cfg Config, today time.Time, days int, all bool) []Prep {
	limit := AddDays(today, days)
	out := []Prep{}
	for _, p := range people {
		if p.Profile.ArchivedBy(today) && !all {
			continue
		}
		pr := PrepFor(p, cfg, today)
		if pr.AwayUntil == nil && !pr.NeverMet && pr.TodayNote == nil && pr.Due.After(limit) {
			continue
		}
		out = append(out, pr)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ai, aj := out[i].AwayUntil != nil && !out[i].Overdue, out[j].AwayUntil != nil && !out[j].Overdue
		switch {
		case ai != aj:
			return aj // reports away come last: they are not due
		case ai && *out[i].AwayUntil != *out[j].AwayUntil:
			return *out[i].AwayUntil < *out[j].AwayUntil
		case (out[i].TodayNote != nil) != (out[j].TodayNote != nil):
			return out[i].TodayNote != nil // today's 1:1s first
		case !out[i].Due.Equal(out[j].Due):
			return out[i].Due.Before(out[j].Due)
		}
		return out[i].Slug < out[j].Slug
	})
	return out
}
