package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newAwayCmd) }

type awayOptions struct {
	Manager bool
}

func newAwayCmd(a *App) *cobra.Command {
	var o awayOptions
	cmd := &cobra.Command{
		Use:   "away SLUG FROM TO | away --manager FROM TO",
		Short: "Record an absence of a report (or your own with --manager); committed",
		Long: `Record that a report is away from FROM to TO, both days included (parental
leave, a sabbatical, a long vacation): {from, to} is appended to the away list
in SLUG/profile.md. With --manager, the absence is yours and goes to
oneone.yaml. Every other byte of the file stays as it was; the change is
committed.

Away days do not count toward the gap since the last 1:1: overdue,
days_overdue, next_due and on_cadence_90d are computed without them, for the
report's own absences and, for every report, for yours.

A range that ends before it starts, or that overlaps an absence already
recorded for the same person, is refused.`,
		Example: `  oneone away alice 2026-12-20 2027-01-06
  oneone away --manager 2026-12-24 2027-01-02`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.Manager {
				if len(args) != 2 {
					return fmt.Errorf("away --manager takes FROM and TO, got %d argument(s): oneone away --manager 2026-12-24 2027-01-02", len(args))
				}
				return nil
			}
			if len(args) != 3 {
				return fmt.Errorf("away takes SLUG FROM TO (or --manager FROM TO), got %d argument(s): oneone away alice 2026-12-20 2027-01-06", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if o.Manager {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return a.completeFirstSlug(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Manager {
				return runAwayManager(a, args[0], args[1])
			}
			return runAway(a, args[0], args[1], args[2])
		},
	}
	cmd.Flags().BoolVar(&o.Manager, "manager", false, "the absence is yours (recorded in oneone.yaml)")
	return cmd
}

// awayRange parses and checks FROM and TO.
func awayRange(from, to string) (notes.Absence, error) {
	f, err := notes.ParseDate(from)
	if err != nil {
		return notes.Absence{}, fmt.Errorf("FROM: %w", err)
	}
	t, err := notes.ParseDate(to)
	if err != nil {
		return notes.Absence{}, fmt.Errorf("TO: %w", err)
	}
	if t.Before(f) {
		return notes.Absence{}, fmt.Errorf("the absence ends (%s) before it starts (%s): give FROM first, then TO", to, from)
	}
	return notes.Absence{From: f, To: t}, nil
}

// checkOverlap refuses an absence that shares a day with one already recorded in file.
func checkOverlap(file string, have []notes.Absence, add notes.Absence) error {
	for _, h := range have {
		if !add.From.After(h.To) && !add.To.Before(h.From) {
			what := "overlaps"
			if add.From.Equal(h.From) && add.To.Equal(h.To) {
				what = "is already recorded as"
			}
			return fmt.Errorf("%s: the absence %s %s the absence %s already there: edit that one by hand or pick other days",
				file, spanText(add), what, spanText(h))
		}
	}
	return nil
}

func spanText(a notes.Absence) string {
	return notes.FormatDate(a.From) + " to " + notes.FormatDate(a.To)
}

func runAway(a *App, slug, from, to string) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	span, err := awayRange(from, to)
	if err != nil {
		return err
	}
	rel := slug + "/" + notes.ProfileFile
	err = editProfile(a, slug, fmt.Sprintf("%s: away %s", slug, spanText(span)), func(p *notes.Profile, data []byte) ([]byte, string, error) {
		if err := checkOverlap(rel, p.Away, span); err != nil {
			return nil, "", err
		}
		out, err := notes.AppendAbsence(data, span)
		return out, fmt.Sprintf("%s is away from %s (%s): recorded in %s", slug, spanText(span), dayCount(notes.DaysBetween(span.From, span.To)+1), rel), err
	})
	if err != nil {
		return err
	}
	return printAway(a, slug, rel, span)
}

func runAwayManager(a *App, from, to string) error {
	span, err := awayRange(from, to)
	if err != nil {
		return err
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	rel := notes.ConfigFile
	path := filepath.Join(r.Root, rel)
	if fi, err := os.Lstat(path); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a link?): replace it with the file itself", rel)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	cfg, err := notes.ParseConfig(data)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if err := checkOverlap(rel, cfg.Away, span); err != nil {
		return err
	}
	out, err := notes.AppendConfigAbsence(data, span)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if _, err := notes.ParseConfig(out); err != nil {
		return fmt.Errorf("%s: the edit would leave an unreadable file (%v); nothing was changed", rel, err)
	}
	if err := notes.ReplaceFileAtomic(path, out); err != nil {
		return err
	}
	if err := a.commit(r, st, "manager: away "+spanText(span), rel); err != nil {
		return fmt.Errorf("%s was changed but not committed: %w (run `oneone sync` to commit it)", rel, err)
	}
	a.infof("you are away from %s (%s): recorded in %s; it pauses the cadence of every report", spanText(span), dayCount(notes.DaysBetween(span.From, span.To)+1), rel)
	return printAway(a, "", rel, span)
}

func printAway(a *App, slug, file string, span notes.Absence) error {
	if !a.JSON {
		return nil
	}
	var who *string // null for the manager's own absence
	if slug != "" {
		who = &slug
	}
	v := struct {
		Slug    *string `json:"slug"`
		Manager bool    `json:"manager"`
		From    string  `json:"from"`
		To      string  `json:"to"`
		File    string  `json:"file"`
	}{who, slug == "", notes.FormatDate(span.From), notes.FormatDate(span.To), file}
	return a.printJSON(v)
}

// dayCount writes n days in words: "1 day", "21 days".
func dayCount(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
