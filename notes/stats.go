package notes

import (
	"sort"
	"time"
)

// Figures are a report's cadence figures as of a day: exactly the fields of a
// person in `audit --json`, whose names are the JSON contract.
type Figures struct {
	Slug           string  `json:"slug"`
	Name           string  `json:"name"`
	CadenceDays    int     `json:"cadence_days"`
	LastHeld       *string `json:"last_held"`
	NextDue        *string `json:"next_due"`
	DaysOverdue    int     `json:"days_overdue"`
	Held90d        int     `json:"held_90d"`
	OnCadence90d   float64 `json:"on_cadence_90d"`
	LongestGapDays int     `json:"longest_gap_days"`
}

// Stats are a report's figures plus what `people --json` adds and what the commands compute with.
type Stats struct {
	Figures
	Role *string `json:"role"` // null when the profile has none
	// AwayUntil is the last day of the report's own absence covering today
	// (the manager's is ManagerAwayUntil).
	AwayUntil *string `json:"away_until"`
	Archived  *string `json:"archived"`
	// Slot is the profile's recurring 1:1 time ("mon 10:00 30m"), null without one.
	Slot *string `json:"slot"`

	// Overdue is true once the gap exceeds cadence plus grace.
	Overdue bool `json:"-"`
	// GapDays counts the days since the last held 1:1 that are not away days.
	GapDays int `json:"-"`
	// CalendarGapDays counts every day since the last held 1:1.
	CalendarGapDays int `json:"-"`
	// Last, Due are LastHeld and NextDue as dates (zero when unknown).
	Last, Due time.Time `json:"-"`
}

// Away tells whether a day is an away day for a report or for the manager.
type Away struct{ spans []Absence }

// AwayFor combines a report's absences with the manager's.
func AwayFor(p *Profile, cfg Config) Away {
	a := Away{spans: append([]Absence(nil), cfg.Away...)}
	if p != nil {
		a.spans = append(a.spans, p.Away...)
	}
	return a
}

// ManagerAwayUntil returns the last day of the manager's absence covering today, or nil.
func ManagerAwayUntil(cfg Config, today time.Time) *string {
	u := AwayFor(nil, cfg).Until(today)
	if u.IsZero() {
		return nil
	}
	v := FormatDate(u)
	return &v
}

// On reports whether day d is an away day.
func (a Away) On(d time.Time) bool {
	for _, s := range a.spans {
		if s.Contains(d) {
			return true
		}
	}
	return false
}

// Until returns the last day of the away stretch covering d, or the zero time.
func (a Away) Until(d time.Time) time.Time {
	if !a.On(d) {
		return time.Time{}
	}
	// jump from span to span: a long absence must not be walked day by day
	end := d
	for grown := true; grown; {
		grown = false
		for _, s := range a.spans {
			if !s.From.After(AddDays(end, 1)) && s.To.After(end) {
				end, grown = s.To, true
			}
		}
	}
	return end
}

// Gap counts the days after a up to and including b that are not away days:
// the calendar days less the away days among them, span by span (not day by
// day: a gap may be years long).
func (a Away) Gap(from, to time.Time) int {
	n := max(DaysBetween(from, to), 0)
	if n == 0 || len(a.spans) == 0 {
		return n
	}
	first := AddDays(from, 1)
	for _, s := range a.merged() {
		start, end := s.From, s.To
		if start.Before(first) {
			start = first
		}
		if end.After(to) {
			end = to
		}
		if !end.Before(start) {
			n -= DaysBetween(start, end) + 1
		}
	}
	return n
}

// merged returns the away spans sorted and merged where they overlap or touch.
func (a Away) merged() []Absence {
	spans := append([]Absence(nil), a.spans...)
	sort.Slice(spans, func(i, j int) bool { return spans[i].From.Before(spans[j].From) })
	var out []Absence
	for _, s := range spans {
		if k := len(out) - 1; k >= 0 && !s.From.After(AddDays(out[k].To, 1)) {
			if s.To.After(out[k].To) {
				out[k].To = s.To
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// After returns the day on which n non-away days have passed since from.
func (a Away) After(from time.Time, n int) time.Time {
	if len(a.spans) == 0 {
		return AddDays(from, n)
	}
	d := from
	for count := 0; count < n; {
		d = AddDays(d, 1)
		if a.On(d) {
			d = a.Until(d)
			continue
		}
		count++
	}
	return d
}

// NextDue returns the day the 1:1 after one held on last is due: the cadence
// after it, away days not counted, then the first slot day on or after that
// (not an away day) when the profile has a slot.
func NextDue(prof *Profile, away Away, last time.Time) time.Time {
	due := away.After(last, prof.CadenceDays)
	if !prof.Slot.IsZero() {
		due = nextSlotDay(prof.Slot, away, due)
	}
	return due
}

// ComputeStats returns a report's cadence figures as of today.
func ComputeStats(p *Person, cfg Config, today time.Time) Stats {
	prof := p.Profile
	s := Stats{Figures: Figures{Slug: p.Slug, Name: prof.Name, CadenceDays: prof.CadenceDays}}
	if prof.Role != "" {
		role := prof.Role
		s.Role = &role
	}
	if !prof.Archived.IsZero() {
		v := FormatDate(prof.Archived)
		s.Archived = &v
	}
	if !prof.Slot.IsZero() {
		v := prof.Slot.String()
		s.Slot = &v
	}
	away := AwayFor(prof, cfg)
	if u := AwayFor(prof, Config{}).Until(today); !u.IsZero() {
		v := FormatDate(u)
		s.AwayUntil = &v
	}
	held := p.Held(today)
	if len(held) == 0 {
		return s
	}
	last := held[len(held)-1].Date
	s.Last = last
	lv := FormatDate(last)
	s.LastHeld = &lv
	s.Due = NextDue(prof, away, last)
	dv := FormatDate(s.Due)
	s.NextDue = &dv
	s.GapDays = away.Gap(last, today)
	s.CalendarGapDays = DaysBetween(last, today)
	// the days from next_due to today, away days not counted; without a slot
	// this is the gap less the cadence, and overdue is a gap past cadence + grace
	s.DaysOverdue = max(away.Gap(s.Due, today), 0)
	s.Overdue = s.DaysOverdue > cfg.GraceDays

	w := HeldWindow(p, cfg, away, held, today, 90) // the 90 days up to and including today
	s.Held90d = len(w.Held)
	s.OnCadence90d = w.OnCadence()
	s.LongestGapDays = w.LongestGapDays
	return s
}
