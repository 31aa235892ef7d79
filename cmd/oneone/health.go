package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/oneone/oneone/health"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newHealthCmd) }

type healthOptions struct {
	days      int
	anonymous bool
}

// maxWindowDays bounds --days: ten years of 1:1s.
const maxWindowDays = 3660

func newHealthCmd(a *App) *cobra.Command {
	var o healthOptions
	cmd := &cobra.Command{
		Use:   "health [--days N] [--anonymous]",
		Short: "Your 1:1 practice as numbers and dates only: what the organisation sees",
		Long: `health summarises your 1:1 practice over the last N days (default 90) as
numbers and dates only: for each current report, the cadence, the last held
1:1, the next one due, days overdue, 1:1s held, the share of gaps within
cadence + grace, the longest gap (away days not counted), the last goals 1:1,
active themes and the share of themes rated, the shares of 1:1s with feedback
prepared, with the report's topics, and with both positive and to-improve
feedback, open and stale action items, and whether the report shares an
agenda; then the team's pooled figures.

No text written in a note or a profile is in it: no theme title, no action
item, nothing of a Private section. It is what ` + "`oneone org publish`" + ` sends to the
organisation's repository (see ` + "`oneone org --help`" + `). --anonymous replaces
the reports' slugs and names with stable pseudonyms (r- and 8 hex digits)
that nobody without your repository can tie to a slug.

Exit status: 0 ok, 2 usage or repository error.`,
		Example: `  oneone health
  oneone health --days 30
  oneone health --json --anonymous | jq .team`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := computeHealth(a, o)
			if err != nil {
				return err
			}
			if a.JSON {
				return a.printJSON(s)
			}
			return writeHealth(a, s)
		},
	}
	cmd.Flags().IntVar(&o.days, "days", health.DefaultDays, "the window: the last N days, today included")
	cmd.Flags().BoolVar(&o.anonymous, "anonymous", false, "replace slugs and names with stable pseudonyms")
	return cmd
}

// computeHealth reads the repository and computes this manager's summary.
func computeHealth(a *App, o healthOptions) (*health.Summary, error) {
	if o.days < 1 || o.days > maxWindowDays {
		return nil, fmt.Errorf("--days %d: give a number of days from 1 to %d (the window ends today)", o.days, maxWindowDays)
	}
	r, team, today, err := loadReports(a, nil)
	if err != nil {
		return nil, err
	}
	a.warnProblems(team)
	shares, err := sharing(r, today)
	if err != nil {
		return nil, err
	}
	opts := health.Options{Days: o.days, Shares: shares}
	if o.anonymous {
		if opts.Key, err = pseudonymKey(a, r); err != nil {
			return nil, err
		}
	}
	return health.Compute(team, r.Config, today, opts), nil
}

// sharing returns whether a report shares an agenda, by the rule sync serves
// the shared agendas by (shareserve.go's sharesOf).
func sharing(r *notes.Repo, today time.Time) (func(string) bool, error) {
	targets, err := sharesOf(r, today)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(targets))
	for _, t := range targets {
		set[t.slug] = true
	}
	return func(slug string) bool { return set[slug] }, nil
}

func writeHealth(a *App, s *health.Summary) error {
	pal := render.Palette{Enabled: a.Color()}
	who := s.Manager
	if who == "" {
		who = "Your team"
	}
	fmt.Fprintf(a.Stdout, "%s: %s as of %s, over the last %s\n", who, countOf(s.Team.Reports, "current report"), s.AsOf, countOf(s.WindowDays, "day"))
	if len(s.Reports) == 0 {
		return nil
	}
	fmt.Fprintln(a.Stdout)
	t := render.Table{Header: []string{"SLUG", "NAME", "CADENCE", "LAST HELD", "NEXT DUE", "OVERDUE", "HELD", "ON CADENCE", "LONGEST GAP",
		"LAST GOALS", "THEMES RATED", "PREPARED", "TOPICS", "BOTH KINDS", "ACTIONS", "SHARES"},
		MaxWidth: a.termWidth(), Flex: 1, Drop: []int{15, 13, 3, 8}}
	for _, r := range s.Reports {
		over := "-"
		switch {
		case r.LastHeld == nil:
			over = pal.Yellow("never met")
		case r.Overdue:
			over = pal.Red(strconv.Itoa(r.DaysOverdue) + "d")
		case r.DaysOverdue > 0:
			over = pal.Yellow(strconv.Itoa(r.DaysOverdue) + "d (in grace)")
		}
		goals := orDash(r.LastGoals)
		if r.GoalsDue {
			goals += " " + pal.Yellow("(due)")
		}
		share := func(f float64) string { // of the 1:1s held in the window: none, no share
			if r.Held == 0 {
				return "-"
			}
			return percent(f)
		}
		themes := "-"
		if r.Held > 0 && (r.ActiveThemes > 0 || r.ThemesRated > 0) {
			themes = percent(r.ThemesRated) + " of " + countOf(r.ActiveThemes, "theme")
		}
		actions := strconv.Itoa(r.OpenActions)
		if r.StaleActions > 0 {
			actions += fmt.Sprintf(" (%d stale)", r.StaleActions)
		}
		shares := "-"
		if r.Shares {
			shares = "yes"
		}
		onCad := percent(r.OnCadence)
		if health.IsOnCadence(r.OnCadence, r.Overdue) {
			onCad = pal.Green(onCad)
		}
		t.Add(r.Slug, r.Name, cadenceLabel(r.CadenceDays), orDash(r.LastHeld), orDash(r.NextDue), over, strconv.Itoa(r.Held), onCad,
			strconv.Itoa(r.LongestGapDays)+"d", goals, themes, share(r.Prepared), share(r.ReportTopics), share(r.FeedbackBoth), actions, shares)
	}
	if err := t.Write(a.Stdout, pal); err != nil {
		return err
	}
	tm := s.Team
	fmt.Fprintf(a.Stdout, "\n%d of %d reports on cadence (%s of the team's gaps within cadence + grace); %d overdue, %d goals due; feedback prepared in %s of the 1:1s, the report's topics in %s\n",
		tm.OnCadenceReports, tm.Reports, percent(tm.OnCadence), tm.Overdue, tm.GoalsDue, percent(tm.Prepared), percent(tm.ReportTopics))
	return nil
}

// percent writes a share as a whole percentage.
func percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

func countOf(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
