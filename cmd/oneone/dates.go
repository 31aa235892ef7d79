package main

import (
	"fmt"
	"time"

	"github.com/oneone/oneone/notes"
)

// A day given on the command line this far back or ahead is allowed but
// said on stderr: 2025-11-25 for 2026-11-25 is a typo more often than a plan.
const (
	farPastDays   = 60
	farFutureDays = 90
)

// dateFlag parses the date of the flag --name (today when s is empty): a
// day that does not exist is an error naming the flag; one far from today
// is allowed, with a warning.
func (a *App) dateFlag(name, s string) (time.Time, error) {
	if s == "" {
		return a.Today()
	}
	d, err := notes.ParseDate(s)
	if err != nil {
		return d, fmt.Errorf("--%s: %w", name, err)
	}
	today, err := a.Today()
	if err != nil {
		return d, err
	}
	a.warnFarDate("--"+name, d, today)
	return d, nil
}

// dateArgument parses a positional date argument named what (DATE, NEWDATE).
func dateArgument(what, s string) (time.Time, error) {
	d, err := notes.ParseDate(s)
	if err != nil {
		return d, fmt.Errorf("%s: %w", what, err)
	}
	return d, nil
}

// warnFarDate says on stderr when day is more than farPastDays before today
// or more than farFutureDays after it.
func (a *App) warnFarDate(what string, day, today time.Time) {
	switch n := notes.DaysBetween(today, day); {
	case n < -farPastDays:
		a.infof("warning: %s %s is %d days ago (more than %d): check the year and month if you did not mean that", what, notes.FormatDate(day), -n, farPastDays)
	case n > farFutureDays:
		a.infof("warning: %s %s is %d days ahead (more than %d): check the year and month if you did not mean that", what, notes.FormatDate(day), n, farFutureDays)
	}
}
