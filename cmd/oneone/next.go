package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newNextCmd) }

type nextOptions struct {
	Days int
	All  bool
}

func newNextCmd(a *App) *cobra.Command {
	var o nextOptions
	cmd := &cobra.Command{
		Use:   "next [--days N] [--all]",
		Short: "The 1:1s due soon or overdue, soonest first, with what to prepare",
		Long: `List today's 1:1s (a note dated today), then the 1:1s due within the next N
days, any overdue ones and reports never met, soonest first, each with what to prepare: the prep note (a note dated
today or later) and whether its Feedback is written, the active themes to
revisit, the open action items, and whether a goals 1:1 is due.

Reports away today are listed last as "away until D" and are not due, unless
they were overdue already before the absence.
Archived reports are left out unless --all is given.`,
		Example: `  oneone next
  oneone next --days 14
  oneone next --json | jq '.[] | select(.feedback_ready | not) | .slug'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runNext(a, o) },
	}
	cmd.Flags().IntVar(&o.Days, "days", 7, "look this many days ahead")
	cmd.Flags().BoolVar(&o.All, "all", false, "include archived reports")
	return cmd
}

func runNext(a *App, o nextOptions) error {
	if dir := a.joinedDir(); dir != "" { // the report's side of a shared agenda (join.go)
		return runJoinedNext(a, dir)
	}
	if o.Days < 0 || o.Days > 3660 {
		return fmt.Errorf("--days %d: give a number of days from 0 to 3660", o.Days)
	}
	r, team, today, err := loadReports(a, nil)
	if err != nil {
		return err
	}
	a.warnProblems(team)
	list := notes.NextUp(team.People, r.Config, today, o.Days, o.All)
	if a.JSON {
		return a.printJSON(list)
	}
	if len(team.People) == 0 {
		a.noReports(team)
		return nil
	}
	if u := notes.ManagerAwayUntil(r.Config, today); u != nil {
		fmt.Fprintf(a.Stdout, "You are away until %s: those days do not count toward anyone's gap.\n\n", *u)
	}
	if len(list) == 0 {
		fmt.Fprintf(a.Stdout, "No 1:1 due in the next %s and none overdue.\n", daysWord(o.Days))
		return nil
	}
	writeNext(a.Stdout, list, r.Config, today, r.Root, render.Palette{Enabled: a.Color()}, a.termWidth())
	return nil
}

func daysWord(n int) string {
	if n == 1 {
		return "day"
	}
	return fmt.Sprintf("%d days", n)
}

// writeNext prints one block per report: the headline, then what to prepare.
// On a terminal of width cells (0: not a terminal) a line too long continues
// under its own value instead of running into the next line's labels.
func writeNext(w io.Writer, list []notes.Prep, cfg notes.Config, day time.Time, root string, pal render.Palette, width int) {
	today := notes.FormatDate(day)
	put := func(label, value string) {
		for _, l := range render.Hanging(label, value, width) {
			fmt.Fprintln(w, l)
		}
	}
	for i, p := range list {
		if i > 0 {
			fmt.Fprintln(w)
		}
		archived := p.Archived != nil && *p.Archived <= today
		put(fmt.Sprintf("%s (%s): ", pal.Bold(p.Name), p.Slug), nextHeadline(p, archived, pal))
		if (p.AwayUntil != nil && !p.Overdue) || archived {
			continue
		}
		switch {
		case p.PrepNote == nil:
			put("  prep note:  ", fmt.Sprintf("none yet (%s)", newCommand(root, p, day)))
		case p.FeedbackOK:
			put("  prep note:  ", fmt.Sprintf("%s, feedback written", *p.PrepNote))
		default:
			put("  prep note:  ", fmt.Sprintf("%s, %s", *p.PrepNote, pal.Yellow("feedback not written yet")))
		}
		if p.PrepNote == nil {
			put("  feedback:   ", pal.Yellow("not written yet: one positive, one to improve"))
		}
		if !p.TopicsOK {
			put("  topics:     ", fmt.Sprintf("ask %s to add theirs: it is their 1:1", firstName(p.Name)))
		}
		if p.GoalsDue {
			since := "never held"
			if p.LastGoals != nil {
				since = "last " + *p.LastGoals
			}
			line := fmt.Sprintf("goals 1:1 due (%s; every %s)", since, weeksLabel(cfg.GoalsEveryDays))
			if p.PrepKind != nil && *p.PrepKind == notes.KindGoals {
				line += ": the prep note is a goals 1:1"
			}
			put("  goals:      ", pal.Yellow(line))
		}
		if len(p.Themes) == 0 {
			put("  themes:     ", pal.Yellow("no active theme: agree on one (oneone theme add "+p.Slug+" TITLE)"))
		}
		for j, t := range p.Themes {
			label := "  themes:     "
			if j > 0 {
				label = "              "
			}
			var extra []string
			if t.Due != nil {
				extra = append(extra, "due "+*t.Due)
			}
			if t.LastRating != nil {
				extra = append(extra, "last "+*t.LastRating)
			}
			s := t.Title
			if len(extra) > 0 {
				s += " (" + strings.Join(extra, ", ") + ")"
			}
			put(label, s)
		}
		if len(p.Actions) > 0 {
			old := p.Actions[0]
			put("  actions:    ", fmt.Sprintf("%d open, oldest %dd: %s (since %s)", len(p.Actions), old.AgeDays, old.Text, old.Since))
		}
	}
}

func nextHeadline(p notes.Prep, archived bool, pal render.Palette) string {
	switch {
	case archived:
		return "archived " + *p.Archived + ", not due"
	case p.TodayNote != nil:
		return pal.Bold("1:1 today")
	case p.AwayUntil != nil && p.Overdue:
		return pal.Red(fmt.Sprintf("overdue %dd (due %s), away until %s", p.DaysOverdue, *p.NextDue, *p.AwayUntil))
	case p.AwayUntil != nil:
		return "away until " + *p.AwayUntil + ", not due"
	case p.NeverMet:
		return pal.Yellow("never met: hold a first 1:1")
	case p.Overdue:
		return pal.Red(fmt.Sprintf("overdue %dd (due %s)", p.DaysOverdue, *p.NextDue))
	case p.DaysOverdue > 0:
		return pal.Yellow(fmt.Sprintf("due %s, %dd late (in grace)", *p.NextDue, p.DaysOverdue))
	}
	return "due " + *p.NextDue
}

// weeksLabel writes a number of days as weeks when it divides evenly.
func weeksLabel(days int) string {
	if days%7 == 0 {
		if days == 7 {
			return "week"
		}
		return fmt.Sprintf("%d weeks", days/7)
	}
	return fmt.Sprintf("%d days", days)
}

func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}

// newCommand is the `oneone new` that scaffolds p's prep note: for today,
// unless a note (a cancelled or skipped 1:1) already holds that name.
func newCommand(root string, p notes.Prep, today time.Time) string {
	if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(notes.NotePath(p.Slug, today)))); err != nil {
		return "oneone new " + p.Slug
	}
	day := notes.AddDays(today, 1)
	if p.NextDue != nil {
		if d, err := notes.ParseDate(*p.NextDue); err == nil && d.After(today) {
			day = d
		}
	}
	return fmt.Sprintf("oneone new %s --date %s", p.Slug, notes.FormatDate(day))
}
