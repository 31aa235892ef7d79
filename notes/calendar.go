package notes

import (
	"sort"
	"strconv"
	"time"
)

// Meeting is an upcoming 1:1 on the calendar: who, which day, which kind.
type Meeting struct {
	Slug    string
	Name    string
	Date    time.Time
	Kind    string // regular or goals
	Planned bool   // the date of a note already written for it
	Seq     int    // 1 for the next 1:1 with the report, 2 for the one after, ...
	Slot    Slot   // the report's recurring time: a timed event; zero for an all-day one
}

// Title is the meeting's calendar title: "1:1 with Alice Chen" or "Goals 1:1 with Alice Chen".
func (m Meeting) Title() string {
	if m.Kind == KindGoals {
		return "Goals 1:1 with " + m.Name
	}
	return "1:1 with " + m.Name
}

// UID is the meeting's calendar identity: the report and its place in the
// schedule ("the next 1:1 with alice"), not its day, so that importing again
// moves the event when the day moves (an overdue 1:1 is due today, every day;
// a 1:1 held off schedule shifts the ones after it) instead of leaving the old
// day behind as a duplicate.
func (m Meeting) UID() string { return m.Slug + "-" + strconv.Itoa(m.Seq) + "@oneone" }

// Schedule returns the upcoming 1:1s with p from today for days days:
//   - the first is today's note or the earliest planned note (dated after
//     today), not skipped or cancelled, when there is one, every later
//     planned note too; else the
//     next due day, today when overdue or never met, moved past an absence;
//   - then every cadence after the last of those (away days do not count, as
//     for next_due), until the window or the report's archive day ends;
//   - with a slot in the profile, each of those not planned yet falls on the
//     first slot day on or after it (as next_due does), and every meeting
//     carries the slot's time and length;
//   - a 1:1 is a goals 1:1 when more than goals_every days have passed since
//     the last goals 1:1 (or the first 1:1 where there is none), as `new` and
//     `audit` decide; a planned note keeps the kind it was written with.
//
// With all, an archived report is scheduled as if it had not left.
func Schedule(p *Person, cfg Config, today time.Time, days int, all bool) []Meeting {
	end := AddDays(today, days) // exclusive
	prof := p.Profile
	if !prof.Archived.IsZero() && !all {
		if !prof.Archived.After(today) {
			return nil
		}
		if prof.Archived.Before(end) {
			end = prof.Archived
		}
	}
	cadence := max(prof.CadenceDays, 1)
	away := AwayFor(prof, cfg)
	var out []Meeting
	var ref time.Time // the last goals 1:1, or the first 1:1
	for _, n := range p.Held(today) {
		if ref.IsZero() || n.Kind == KindGoals {
			ref = n.Date
		}
	}
	for _, n := range p.Notes {
		// a note dated today is a held 1:1, but today's meeting is still on the calendar
		if (n.Planned(today) || n.Date.Equal(today)) && n.Status != StatusSkipped && n.Status != StatusCancelled {
			out = append(out, Meeting{Date: n.Date, Kind: n.Kind, Planned: true})
		}
	}
	// with a slot, every 1:1 not planned yet falls on the slot's weekday
	after := func(d time.Time) time.Time {
		d = away.After(d, cadence)
		if !prof.Slot.IsZero() {
			d = nextSlotDay(prof.Slot, away, d)
		}
		return d
	}
	var next time.Time
	if len(out) > 0 {
		next = after(out[len(out)-1].Date)
	} else {
		next = today
		if s := ComputeStats(p, cfg, today); s.LastHeld != nil && s.Due.After(today) {
			next = s.Due
		}
		if away.On(next) {
			next = AddDays(away.Until(next), 1)
		}
		if !prof.Slot.IsZero() {
			next = nextSlotDay(prof.Slot, away, next)
		}
	}
	for ; next.Before(end); next = after(next) {
		out = append(out, Meeting{Date: next, Kind: KindRegular})
	}
	var kept []Meeting
	for _, m := range out {
		switch {
		case ref.IsZero():
			ref = m.Date
		case !m.Planned && DaysBetween(ref, m.Date) > cfg.GoalsEveryDays:
			m.Kind = KindGoals
		}
		if m.Kind == KindGoals {
			ref = m.Date
		}
		if m.Date.Before(end) {
			m.Slug, m.Name, m.Seq, m.Slot = p.Slug, prof.Name, len(kept)+1, prof.Slot
			kept = append(kept, m)
		}
	}
	return kept
}

// TeamSchedule returns the upcoming 1:1s of every report, by date then slug.
// Archived reports have none, unless all is set: then they are scheduled as
// if they had not left (`calendar --all` shows them again, as the spec says).
func TeamSchedule(people []*Person, cfg Config, today time.Time, days int, all bool) []Meeting {
	var out []Meeting
	for _, p := range people {
		out = append(out, Schedule(p, cfg, today, days, all)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.Before(out[j].Date)
		}
		return out[i].Slug < out[j].Slug
	})
	return out
}
