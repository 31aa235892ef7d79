package main

import (
	"fmt"
	"strconv"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newPeopleCmd) }

func newPeopleCmd(a *App) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "people",
		Short: "Each report: cadence, last held 1:1, next due, days overdue",
		Long: `people lists every current report (--all: those who left too) with the
cadence, the last held 1:1, the day the next one is due and how late it is.
A report with a slot in the profile (slot: mon 10:00) shows the next due
day's weekday: the 1:1 is on that day.`,
		Example: `  oneone people
  oneone people --all --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, team, today, err := loadReports(a, nil)
			if err != nil {
				return err
			}
			a.warnProblems(team)
			rows := []notes.Stats{}
			for _, p := range team.People {
				if p.Profile.ArchivedBy(today) && !all {
					continue
				}
				rows = append(rows, notes.ComputeStats(p, r.Config, today))
			}
			if a.JSON {
				return a.printJSON(rows)
			}
			if len(rows) == 0 {
				a.noReports(team)
				return nil
			}
			if u := notes.ManagerAwayUntil(r.Config, today); u != nil {
				a.infof("you are away until %s: those days do not count toward anyone's gap", *u)
			}
			pal := render.Palette{Enabled: a.Color()}
			t := render.Table{Header: []string{"SLUG", "NAME", "CADENCE", "LAST HELD", "NEXT DUE", "OVERDUE"}, MaxWidth: a.termWidth(), Flex: 1, Drop: []int{3}, Also: []int{5}}
			for _, s := range rows {
				over := "-"
				switch {
				case s.Archived != nil && !notes.ParseDateOr(*s.Archived).After(today):
					over = "archived " + *s.Archived
				case s.AwayUntil != nil && !s.Overdue:
					over = "away until " + *s.AwayUntil
				case s.LastHeld == nil:
					over = pal.Yellow("never met")
				case s.Overdue:
					over = pal.Red(strconv.Itoa(s.DaysOverdue) + "d")
				case s.DaysOverdue > 0:
					over = pal.Yellow(strconv.Itoa(s.DaysOverdue) + "d (in grace)")
				}
				next := orDash(s.NextDue)
				if s.NextDue != nil && s.Slot != nil {
					next += " " + notes.ParseDateOr(*s.NextDue).Weekday().String()[:3]
				}
				t.Add(s.Slug, s.Name, cadenceLabel(s.CadenceDays), orDash(s.LastHeld), next, over)
			}
			return t.Write(a.Stdout, pal)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include archived reports")
	return cmd
}

func orDash(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// cadenceLabel writes a cadence in days the way people say it.
func cadenceLabel(days int) string {
	switch days {
	case 7:
		return "weekly"
	case 14:
		return "biweekly"
	case 30:
		return "monthly"
	}
	return fmt.Sprintf("%dd", days)
}
