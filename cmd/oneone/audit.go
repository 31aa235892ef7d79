package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newAuditCmd) }

type auditOptions struct {
	all bool
}

func newAuditCmd(a *App) *cobra.Command {
	var o auditOptions
	cmd := &cobra.Command{
		Use:   "audit [SLUG...]",
		Short: "Findings about your 1:1 practice: cadence, goals, themes, preparation, action items",
		Long: `audit checks every current report (or the named ones) against the 1:1
practice: on cadence, a goals 1:1 every couple of months, active themes
revisited in every 1:1, notes prepared with feedback, the report's own topics,
and action items that get done. Broken notes and sync conflict copies are
reported too; the rest is still audited.

Finding codes: overdue, never-met, goals-due, no-theme, theme-overdue,
theme-not-revisited, unprepared, empty-note, feedback-unbalanced, mood-drop,
no-feedback, one-sided, stale-action, invalid-note, sync-conflict.

Exit status: 0 no findings, 1 findings, 2 usage or repository error.`,
		Example: `  oneone audit
  oneone audit alice bob
  oneone audit --json | jq '.findings[] | select(.code == "overdue")'`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeSlugs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(a, args, o)
		},
	}
	cmd.Flags().BoolVar(&o.all, "all", false, "include archived reports")
	return cmd
}

// loadReports reads the named reports (all when none are named) for a read-only command;
// named reports are included even when archived, others only with all.
func loadReports(a *App, slugs []string) (*notes.Repo, *notes.Team, time.Time, error) {
	if err := slugsArg(slugs); err != nil {
		return nil, nil, time.Time{}, err
	}
	today, err := a.Today()
	if err != nil {
		return nil, nil, today, err
	}
	r, err := a.Repo()
	if err != nil {
		return nil, nil, today, err
	}
	team, err := r.LoadSummaries(slugs...) // metadata only: cached summaries of unchanged notes
	if err != nil {
		return nil, nil, today, err
	}
	if len(slugs) > 0 {
		var probs []notes.Problem
		for _, p := range team.Problems {
			if contains(slugs, p.Slug) {
				probs = append(probs, p)
			}
		}
		team.Problems = probs
	}
	return r, team, today, nil
}

// unreadableNamed returns the problem of a report named on the command line
// whose profile cannot be read: listing it as "nothing" would be a lie.
func unreadableNamed(team *notes.Team, slugs []string) error {
	for _, p := range team.Problems {
		if contains(slugs, p.Slug) && p.Path == p.Slug+"/"+notes.ProfileFile {
			return fmt.Errorf("%s: %s", p.Path, p.Message)
		}
	}
	return nil
}

// noReports explains an empty listing: no report at all, or only archived ones.
func (a *App) noReports(team *notes.Team) {
	if len(team.People) > 0 {
		a.infof("no current reports: %d archived (--all shows them)", len(team.People))
		return
	}
	if len(team.Problems) > 0 {
		a.infof("no readable reports: fix the profiles named above")
		return
	}
	a.infof("no reports yet: add one with `oneone add SLUG --name NAME`")
}

// warnProblems tells on stderr about report folders that could not be read.
func (a *App) warnProblems(team *notes.Team) {
	for _, p := range team.Problems {
		a.infof("warning: %s: %s", p.Path, p.Message)
	}
}

// current drops the reports archived by today unless all is set.
func current(people []*notes.Person, today time.Time, all bool) []*notes.Person {
	var out []*notes.Person
	for _, p := range people {
		if all || !p.Profile.ArchivedBy(today) {
			out = append(out, p)
		}
	}
	return out
}

func runAudit(a *App, slugs []string, o auditOptions) error {
	r, team, today, err := loadReports(a, slugs)
	if err != nil {
		return err
	}
	opts := notes.AuditOptions{All: o.all || len(slugs) > 0}
	if !a.JSON {
		opts.StaleShown = maxStaleShown // the table counts the rest; --json keeps every finding
	}
	rep := notes.Audit(team, r.Config, today, opts)
	if a.JSON {
		// the report's plain value, HTML escaped as its MarshalJSON writes it:
		// the same bytes, without a compaction pass over them (notes.AuditReport.JSON)
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep.JSON()); err != nil {
			return err
		}
	} else {
		if len(team.People) == 0 && len(rep.Findings) == 0 {
			a.noReports(team)
			return nil
		}
		if err := writeAudit(a.Stdout, rep, render.Palette{Enabled: a.Color()}, a.termWidth()); err != nil {
			return err
		}
	}
	if len(rep.Findings) > 0 {
		return errFindings
	}
	return nil
}

// writeAudit prints the summary line and the findings grouped by person, worst first.
func writeAudit(w io.Writer, rep *notes.AuditReport, pal render.Palette, width int) error {
	if _, err := fmt.Fprintln(w, auditSummary(rep)); err != nil {
		return err
	}
	if rep.ManagerAwayUntil != nil {
		if _, err := fmt.Fprintf(w, "you are away until %s: those days do not count toward anyone's gap\n", *rep.ManagerAwayUntil); err != nil {
			return err
		}
	}
	for _, p := range rep.People {
		if p.AwayUntil != nil {
			line := fmt.Sprintf("%s is away until %s: not due before then", p.Slug, *p.AwayUntil)
			switch {
			case p.Overdue:
				line = fmt.Sprintf("%s is away until %s, and was already overdue before", p.Slug, *p.AwayUntil)
			case p.DaysOverdue > 0:
				line = fmt.Sprintf("%s is away until %s: the 1:1 due %s waits until then (%d %s late, within the grace)", p.Slug, *p.AwayUntil, *p.NextDue, p.DaysOverdue, map[bool]string{true: "day", false: "days"}[p.DaysOverdue == 1])
			}
			if _, err := fmt.Fprintln(w, line); err != nil {
				return err
			}
		}
	}
	if len(rep.Findings) == 0 {
		msg := "No findings: every 1:1 is on cadence, prepared and followed up."
		if rep.Current == 0 {
			msg = "No findings: no open action item left, no file to fix."
		}
		_, err := fmt.Fprintln(w, msg)
		return err
	}
	groups := map[string][]notes.Finding{}
	var order []string
	for _, f := range rep.Findings {
		if _, ok := groups[f.Slug]; !ok {
			order = append(order, f.Slug)
		}
		groups[f.Slug] = append(groups[f.Slug], f)
	}
	severe := func(slug string) bool {
		for _, f := range groups[slug] {
			if f.Code == notes.FindOverdue || f.Code == notes.FindNeverMet {
				return true
			}
		}
		return false
	}
	sort.SliceStable(order, func(i, j int) bool {
		if (order[i] == "") != (order[j] == "") {
			return order[j] == "" // the team's files after the people
		}
		si, sj := severe(order[i]), severe(order[j])
		if si != sj {
			return si
		}
		// every finding counts, those the table leaves out too (StaleMore)
		if ni, nj := len(groups[order[i]])+rep.StaleMore[order[i]], len(groups[order[j]])+rep.StaleMore[order[j]]; ni != nj {
			return ni > nj
		}
		return order[i] < order[j]
	})
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	t := render.Table{Header: []string{"PERSON", "CODE", "MESSAGE", "FILE"}, MaxWidth: width, Flex: 2, Also: []int{3}, Wrap: true}
	for _, slug := range order {
		fs := groups[slug]
		stale, more := 0, rep.StaleMore[slug]
		for _, f := range fs {
			if f.Code == notes.FindStaleAction {
				if stale++; stale > maxStaleShown {
					more++
				}
			}
		}
		stale = 0
		for i, f := range fs {
			who := ""
			if i == 0 {
				who = pal.Bold(slug)
				if slug == "" {
					who = "(team)" // a file of the whole repository: GUIDE.md, oneone.yaml
				}
			}
			if f.Code == notes.FindStaleAction {
				// A report who never closes an item would bury the table
				// (52,000 lines on the never-closed-items bench): the oldest
				// few, then where to see them all. --json keeps every one.
				if stale++; stale > maxStaleShown {
					continue
				}
				t.Add(who, codeColor(pal, f.Code), f.Message, f.File)
				if last := i+1 == len(fs) || fs[i+1].Code != notes.FindStaleAction; (last || stale == maxStaleShown) && more > 0 {
					t.Add("", "", fmt.Sprintf("and %d more (oneone actions %s)", more, slug), "")
				}
				continue
			}
			t.Add(who, codeColor(pal, f.Code), f.Message, f.File)
		}
	}
	return t.Write(w, pal)
}

// maxStaleShown is how many stale-action findings audit's table shows per report.
const maxStaleShown = 3

// maxArchivedNamed is how many archived reports the summary line names.
const maxArchivedNamed = 5

// auditSummary is the line that opens an audit; it counts every report shown:
// "5 of 7 reports on cadence as of 2026-11-25", then the archived ones that
// --all or a name brought in, who have no cadence to be on.
func auditSummary(rep *notes.AuditReport) string {
	var left []string
	for _, p := range rep.People {
		if p.Archived != nil && *p.Archived <= rep.AsOf {
			left = append(left, fmt.Sprintf("%s (left %s)", p.Slug, *p.Archived))
		}
	}
	noun := func(n int) string {
		if n == 1 {
			return "report"
		}
		return "reports"
	}
	names := ""
	if len(left) > 0 && len(left) <= maxArchivedNamed {
		names = ": " + strings.Join(left, ", ")
	}
	switch {
	case len(left) == 0:
		return fmt.Sprintf("%d of %d %s on cadence as of %s", rep.OnCadence, rep.Current, noun(rep.Current), rep.AsOf)
	case rep.Current == 0:
		return fmt.Sprintf("%d archived %s as of %s, not on a cadence%s", len(left), noun(len(left)), rep.AsOf, names)
	}
	return fmt.Sprintf("%d of %d %s on cadence as of %s; %d archived, not on a cadence%s",
		rep.OnCadence, rep.Current, noun(rep.Current), rep.AsOf, len(left), names)
}

func codeColor(pal render.Palette, code string) string {
	switch code {
	case notes.FindOverdue, notes.FindNeverMet, notes.FindInvalidNote, notes.FindSyncConflict:
		return pal.Red(code)
	}
	return pal.Yellow(code)
}
