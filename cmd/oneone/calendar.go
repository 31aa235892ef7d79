package main

import (
	"fmt"
	"time"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newCalendarCmd) }

type calendarOptions struct {
	Weeks int
	All   bool
}

func newCalendarCmd(a *App) *cobra.Command {
	var o calendarOptions
	cmd := &cobra.Command{
		Use:   "calendar [--weeks N]",
		Short: "An iCalendar file of upcoming due 1:1s and goals 1:1s, titles only",
		Long: `Write an iCalendar file (RFC 5545) to stdout with one event per
upcoming 1:1 of every current report within N weeks from today: today's 1:1
(a note dated today), the dates of notes already planned, else the next due
day (today when overdue or never met), then every cadence after it. A 1:1
becomes "Goals 1:1 with NAME" when more than goals_every has passed since the
last goals 1:1, then again every goals_every. Events carry titles only, never
note content. UIDs name the report's n-th upcoming 1:1 (SLUG-1@oneone is the
next), and SEQUENCE grows day by day, so importing a newer file moves the
events instead of duplicating them. DTSTAMP is today (ONEONE_TODAY), so a
day's file is reproducible.

A report with a slot in the profile (slot: mon 10:00 45m) gets timed events
at that time, in local time, for that length (30 minutes when none is given),
on the slot's weekday: the first one on or after each due day. Others get
all-day events.`,
		Example: `  oneone calendar > oneone.ics
  oneone calendar --weeks 12 > oneone.ics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCalendar(a, o) },
	}
	cmd.Flags().IntVar(&o.Weeks, "weeks", 8, "look this many weeks ahead")
	cmd.Flags().BoolVar(&o.All, "all", false, "include archived reports, scheduled as if they had not left")
	return cmd
}

func runCalendar(a *App, o calendarOptions) error {
	if o.Weeks < 1 || o.Weeks > 104 {
		return fmt.Errorf("--weeks %d: give a number of weeks from 1 to 104", o.Weeks)
	}
	r, team, today, err := loadReports(a, nil)
	if err != nil {
		return err
	}
	a.warnProblems(team)
	meetings := notes.TeamSchedule(team.People, r.Config, today, 7*o.Weeks, o.All)
	if a.JSON {
		type event struct {
			Slug  string  `json:"slug"`
			Name  string  `json:"name"`
			Date  string  `json:"date"`
			Kind  string  `json:"kind"`
			Title string  `json:"title"`
			UID   string  `json:"uid"`
			Start *string `json:"start"` // local time of a slot, 2026-11-30T10:00; null for an all-day event
			End   *string `json:"end"`
		}
		out := []event{}
		for _, m := range meetings {
			ev := event{m.Slug, m.Name, notes.FormatDate(m.Date), m.Kind, m.Title(), m.UID(), nil, nil}
			if !m.Slot.IsZero() {
				start := m.Slot.Start(m.Date, time.UTC)
				s, e := start.Format("2006-01-02T15:04"), start.Add(time.Duration(m.Slot.Minutes)*time.Minute).Format("2006-01-02T15:04")
				ev.Start, ev.End = &s, &e
			}
			out = append(out, ev)
		}
		return a.printJSON(out)
	}
	if err := render.ICalendar(a.Stdout, meetings, today); err != nil {
		return fmt.Errorf("write the calendar: %w", err)
	}
	return nil
}
