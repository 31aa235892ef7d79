package notes

import (
	"math"
	"time"
)

// Window is a report's held 1:1s and the gaps between them over the days up
// to and including today: what held_90d, on_cadence_90d and longest_gap_days
// are made of (a window of 90 days), and the same figures over any other
// window (`health --days N`).
type Window struct {
	Days  int       // the window's length, today included
	Start time.Time // its first day
	// Held are the held 1:1s dated in the window, oldest first.
	Held []*Note
	// Gaps counts the gaps between consecutive held 1:1s in the window plus
	// the open gap from the last held 1:1 (wherever it is) up to today;
	// GapsOK those of them within cadence + grace, away days not counted.
	// Both are 0 for a report never met.
	Gaps, GapsOK int
	// LongestGapDays is the longest of those gaps, away days not counted
	// (longest_gap_days, in audit, people and health alike: "a day on which
	// either person is away does not count toward a gap").
	LongestGapDays int
}

// OnCadence is the share of the window's gaps within cadence + grace, rounded
// to two decimals; 0 for a report never met.
func (w Window) OnCadence() float64 { return Share(w.GapsOK, w.Gaps) }

// Share is part of whole rounded to two decimals, 0 when whole is 0.
func Share(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*100) / 100
}

// HeldWindow returns the report's window of days days ending today (at least
// one day). held are the report's held notes as of today, oldest first
// (p.Held(today)); away the absences that do not count toward a gap.
func HeldWindow(p *Person, cfg Config, away Away, held []*Note, today time.Time, days int) Window {
	days = max(days, 1)
	w := Window{Days: days, Start: AddDays(today, -(days - 1))}
	if len(held) == 0 {
		return w
	}
	for _, n := range held {
		if !n.Date.Before(w.Start) {
			w.Held = append(w.Held, n)
		}
	}
	limit := p.Profile.CadenceDays + cfg.GraceDays
	count := func(a, b time.Time) {
		w.Gaps++
		present := away.Gap(a, b)
		if present <= limit {
			w.GapsOK++
		}
		w.LongestGapDays = max(w.LongestGapDays, present)
	}
	for i := 1; i < len(w.Held); i++ {
		count(w.Held[i-1].Date, w.Held[i].Date)
	}
	count(held[len(held)-1].Date, today)
	return w
}
