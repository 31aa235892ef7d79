package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newThemeCmd) }

type themeAddOptions struct {
	due, started string
}

func newThemeCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "theme",
		Short: "Add a theme to a report's profile, or mark one done or dropped",
		Long: `theme changes the themes list in SLUG/profile.md and commits it. Only that
list changes: comments, key order, quoting, other keys and the body of the
profile stay exactly as they were. TITLE may be one quoted argument or several
words; done and drop match it case-insensitively.`,
		Example: `  oneone theme add alice "Mentor a new employee" --due 2027-02-01
  oneone theme done alice "mentor a new employee"
  oneone theme drop alice Better communication with non-technical people`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	var o themeAddOptions
	add := &cobra.Command{
		Use:   "add SLUG TITLE [--due D] [--started D]",
		Short: "Add an active theme (due defaults to started + theme_length)",
		Example: `  oneone theme add alice "Take the lead on a big feature"
  oneone theme add alice "Mentor a new employee" --started 2026-12-01 --due 2027-02-01`,
		Args:              cobra.MinimumNArgs(2),
		ValidArgsFunction: a.completeFirstSlug,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runThemeAdd(a, args[0], strings.Join(args[1:], " "), o)
		},
	}
	add.Flags().StringVar(&o.due, "due", "", "due date YYYY-MM-DD (default: started + theme_length)")
	add.Flags().StringVar(&o.started, "started", "", "start date YYYY-MM-DD (default: today)")
	cmd.AddCommand(add)
	for _, s := range []struct {
		verb, status, short string
		synonyms            []string // suggested for: `theme finish` says "did you mean done?"
	}{
		{"done", notes.ThemeDone, "Mark a theme done", []string{"finish", "finished", "complete", "completed", "close", "achieve", "achieved", "end"}},
		{"drop", notes.ThemeDropped, "Mark a theme dropped", []string{"dropped", "abandon", "remove", "rm", "delete", "del", "cancel", "stop"}},
	} {
		cmd.AddCommand(&cobra.Command{
			Use:               s.verb + " SLUG TITLE",
			Short:             s.short,
			SuggestFor:        s.synonyms,
			Example:           fmt.Sprintf("  oneone theme %s alice \"Mentor a new employee\"", s.verb),
			Args:              cobra.MinimumNArgs(2),
			ValidArgsFunction: a.completeActiveTheme,
			RunE: func(cmd *cobra.Command, args []string) error {
				return runThemeStatus(a, args[0], strings.Join(args[1:], " "), s.verb, s.status)
			},
		})
	}
	return cmd
}

func runThemeAdd(a *App, slug, title string, o themeAddOptions) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	title = strings.TrimSpace(title)
	if title == "" {
		return errors.New("a theme needs a title: oneone theme add SLUG \"TITLE\"")
	}
	if !utf8.ValidString(title) || strings.ContainsFunc(title, unicode.IsControl) {
		return errors.New("the theme title is not plain text (invalid UTF-8 or a control character): type it again")
	}
	started, err := a.dateArg(o.started)
	if err != nil {
		return fmt.Errorf("--started: %w", err)
	}
	r, err := a.Repo()
	if err != nil {
		return err
	}
	due := notes.AddDays(started, r.Config.ThemeLengthDays)
	if o.due != "" {
		if due, err = notes.ParseDate(o.due); err != nil {
			return fmt.Errorf("--due: %w", err)
		}
		if due.Before(started) {
			return fmt.Errorf("--due %s is before the start %s: pick a later due date", o.due, notes.FormatDate(started))
		}
	}
	err = editProfile(a, slug, fmt.Sprintf("%s: theme add %q", slug, title), func(p *notes.Profile, data []byte) ([]byte, string, error) {
		if i, err := notes.FindTheme(p.Themes, title); err == nil {
			// notes rate a theme by its title: one title, one theme, even once done or dropped
			return nil, "", fmt.Errorf("%s/%s already has a theme %q (%s): notes rate themes by title, so pick another, e.g. %q", slug, notes.ProfileFile, p.Themes[i].Title, p.Themes[i].Status, title+" (again)")
		}
		out, err := notes.AddTheme(data, notes.Theme{Title: title, Started: started, Due: due, Status: notes.ThemeActive})
		return out, fmt.Sprintf("added theme %q to %s/%s, due %s", title, slug, notes.ProfileFile, notes.FormatDate(due)), err
	})
	if err != nil || !a.JSON {
		return err
	}
	return a.printJSON(themeJSON(slug, notes.Theme{Title: title, Status: notes.ThemeActive, Started: started, Due: due}))
}

// themeResult is what `theme add|done|drop --json` print.
type themeResult struct {
	Slug    string  `json:"slug"`
	Title   string  `json:"title"`
	Status  string  `json:"status"`
	Started *string `json:"started"`
	Due     *string `json:"due"`
	File    string  `json:"file"`
}

func runThemeStatus(a *App, slug, title, verb, status string) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	var name string
	var found notes.Theme
	err := editProfile(a, slug, "", func(p *notes.Profile, data []byte) ([]byte, string, error) {
		i, err := notes.FindTheme(p.Themes, title)
		if err != nil {
			return nil, "", fmt.Errorf("%s/%s: %w", slug, notes.ProfileFile, err)
		}
		found, name = p.Themes[i], p.Themes[i].Title
		if p.Themes[i].Status == status {
			return data, fmt.Sprintf("theme %q is already %s", name, status), nil
		}
		out, err := notes.SetThemeStatus(data, name, status)
		return out, fmt.Sprintf("theme %q of %s is now %s", name, slug, status), err
	}, func() string { return fmt.Sprintf("%s: theme %s %q", slug, verb, name) })
	if err != nil || !a.JSON {
		return err
	}
	found.Status = status
	return a.printJSON(themeJSON(slug, found))
}

func themeJSON(slug string, t notes.Theme) themeResult {
	return themeResult{Slug: slug, Title: t.Title, Status: t.Status, Started: notes.DatePtr(t.Started), Due: notes.DatePtr(t.Due), File: slug + "/" + notes.ProfileFile}
}

// editProfile changes slug/profile.md through edit, checks the result still
// reads as a profile, writes it atomically and commits it with msg (or
// msgf() when msg is empty). An unchanged file is neither written nor committed.
func editProfile(a *App, slug, msg string, edit func(*notes.Profile, []byte) ([]byte, string, error), msgf ...func() string) error {
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	p, err := r.LoadProfile(slug)
	if err != nil {
		return err
	}
	rel := slug + "/" + notes.ProfileFile
	path := filepath.Join(r.Root, slug, notes.ProfileFile)
	notes.CleanTemp(filepath.Join(r.Root, slug)) // left by an interrupted oneone; we hold the lock
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	out, info, err := edit(p, data)
	if err != nil {
		var me *notes.ThemeMatchError
		if errors.As(err, &me) || strings.HasPrefix(err.Error(), rel) {
			return err
		}
		return fmt.Errorf("%s: %w", rel, err)
	}
	if string(out) == string(data) {
		a.infof("%s", info)
		return nil
	}
	if _, err := notes.ParseProfile(slug, out, r.Config); err != nil {
		return fmt.Errorf("%s: the edit would leave an unreadable profile (%v); nothing was changed", rel, err)
	}
	if err := notes.ReplaceFileAtomic(path, out); err != nil {
		return err
	}
	if msg == "" && len(msgf) > 0 {
		msg = msgf[0]()
	}
	if err := a.commit(r, st, msg, rel); err != nil {
		return fmt.Errorf("%s was changed but not committed: %w (run `oneone sync` to commit it)", rel, err)
	}
	a.infof("%s", info)
	return nil
}
