package main

import (
	"fmt"
	"strconv"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newThemesCmd) }

type themesOptions struct {
	all bool
}

func newThemesCmd(a *App) *cobra.Command {
	var o themesOptions
	cmd := &cobra.Command{
		Use:   "themes [SLUG...]",
		Short: "Every theme: status, started, due, times revisited, last rating",
		Long: `themes lists the growth themes of every current report (or the named ones),
in all statuses: when each started and is due, the days left (or overdue), how
many held 1:1s revisited it (rated it in their themes map, by exact title),
and the last rating with its date.`,
		Example: `  oneone themes
  oneone themes alice
  oneone themes --json | jq '.[] | select(.status == "active" and .days_left < 0)'`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeSlugs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runThemes(a, args, o)
		},
	}
	cmd.Flags().BoolVar(&o.all, "all", false, "include archived reports")
	return cmd
}

func runThemes(a *App, slugs []string, o themesOptions) error {
	_, team, today, err := loadReports(a, slugs)
	if err != nil {
		return err
	}
	if err := unreadableNamed(team, slugs); err != nil {
		return err
	}
	for _, p := range team.Problems {
		a.infof("warning: %s: %s", p.Path, p.Message)
	}
	rows := notes.Themes(current(team.People, today, o.all || len(slugs) > 0), today)
	if a.JSON {
		return a.printJSON(rows)
	}
	if len(rows) == 0 {
		a.infof("no themes yet: agree on one in a goals 1:1, then `oneone theme add SLUG TITLE`")
		return nil
	}
	pal := render.Palette{Enabled: a.Color()}
	// narrow terminal: the title is cut first, then STARTED and DUE go (LEFT says it), then the rating is cut
	t := render.Table{Header: []string{"SLUG", "THEME", "STATUS", "STARTED", "DUE", "LEFT", "REVISITED", "LAST RATING"}, MaxWidth: a.termWidth(), Flex: 1, Drop: []int{3, 4}, Also: []int{7}}
	for _, r := range rows {
		status := r.Status
		switch status {
		case notes.ThemeActive:
			status = pal.Green(status)
		default:
			status = pal.Dim(status)
		}
		last := "-"
		if r.LastRating != nil {
			last = ratingColor(pal, *r.LastRating) + " (" + *r.LastRated + ")"
		}
		t.Add(r.Slug, r.Title, status, orDash(r.Started), orDash(r.Due), daysLeft(pal, r), strconv.Itoa(r.Revisited), last)
	}
	return t.Write(a.Stdout, pal)
}

// daysLeft says how long an active theme has to go: "12d left", "due today", "3d overdue".
func daysLeft(pal render.Palette, r notes.ThemeStatus) string {
	if r.DaysLeft == nil || r.Status != notes.ThemeActive {
		return "-"
	}
	switch n := *r.DaysLeft; {
	case n > 0:
		return fmt.Sprintf("%dd left", n)
	case n == 0:
		return pal.Yellow("due today")
	default:
		return pal.Red(fmt.Sprintf("%dd overdue", -n))
	}
}

func ratingColor(pal render.Palette, r string) string {
	switch r {
	case "on-track":
		return pal.Green(r)
	case "at-risk":
		return pal.Yellow(r)
	}
	return pal.Red(r)
}
