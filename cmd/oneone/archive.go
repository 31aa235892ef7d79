package main

import (
	"fmt"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newArchiveCmd) }

type archiveOptions struct {
	Date string
}

func newArchiveCmd(a *App) *cobra.Command {
	var o archiveOptions
	cmd := &cobra.Command{
		Use:   "archive SLUG [--date D]",
		Short: "Record that a report left the team (or moved to another manager); committed",
		Long: `Record in SLUG/profile.md that the report left on D (default today): the line
"archived: D" is added to the frontmatter (or its date changed), every other
byte of the file stays as it was, and the change is committed.

An archived report keeps every note, and search still finds them; from D on
the report drops out of people, audit, next, themes and calendar (--all shows
them again), and new refuses to scaffold a note. To bring a report back,
delete the archived: line from the profile.`,
		Example: `  oneone archive bob
  oneone archive bob --date 2026-10-01
  oneone people --all`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeCurrentSlug,
		RunE:              func(cmd *cobra.Command, args []string) error { return runArchive(a, args[0], o) },
	}
	cmd.Flags().StringVar(&o.Date, "date", "", "the day the report left, YYYY-MM-DD (default today)")
	return cmd
}

func runArchive(a *App, slug string, o archiveOptions) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	day, err := a.dateFlag("date", o.Date)
	if err != nil {
		return err
	}
	d := notes.FormatDate(day)
	err = editProfile(a, slug, fmt.Sprintf("%s: archive (left %s)", slug, d), func(p *notes.Profile, data []byte) ([]byte, string, error) {
		if !p.Archived.IsZero() && (p.Archived.Equal(day) || o.Date == "") {
			// without --date an archived report keeps the day it left
			d = notes.FormatDate(p.Archived)
			return data, fmt.Sprintf("%s is already archived as of %s (--date D changes the day)", slug, d), nil
		}
		info := fmt.Sprintf("archived %s as of %s: the notes stay, `oneone people --all` shows %s", slug, d, slug)
		if !p.Archived.IsZero() {
			info = fmt.Sprintf("%s's archive date changed from %s to %s", slug, notes.FormatDate(p.Archived), d)
		}
		out, err := notes.SetTopLevelKey(data, "archived", d)
		return out, info, err
	})
	if err != nil {
		return err
	}
	if a.JSON {
		return a.printJSON(map[string]string{"slug": slug, "archived": d, "file": slug + "/" + notes.ProfileFile})
	}
	return nil
}
