package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newMoveCmd) }

// moveResult is what `move --json` prints.
type moveResult struct {
	Slug     string `json:"slug"`
	From     string `json:"from"`
	To       string `json:"to"`
	FromFile string `json:"from_file"`
	File     string `json:"file"`
}

func newMoveCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "move SLUG DATE NEWDATE",
		Short: "Move a planned 1:1 to another day: the note renamed, its date updated, committed",
		Long: `move renames SLUG/DATE.md, a planned note (dated after today), to
SLUG/NEWDATE.md and sets its frontmatter's date to NEWDATE when it has one.
Nothing else in the note changes, the title line included (it is your text).
It refuses when NEWDATE has a note already. The rename is one commit.

A 1:1 that took place (dated today or earlier) stays on its day: mark it
with skip or cancel instead, or write the one that happened with new --date.`,
		Example: `  oneone move alice 2026-12-02 2026-12-04
  oneone move bob 2026-12-01 2026-11-30 --json`,
		Args:              cobra.ExactArgs(3),
		ValidArgsFunction: a.completeMove,
		RunE:              func(cmd *cobra.Command, args []string) error { return runMove(a, args[0], args[1], args[2]) },
	}
}

func runMove(a *App, slug, from, to string) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	day, err := dateArgument("DATE", from)
	if err != nil {
		return err
	}
	newDay, err := dateArgument("NEWDATE", to)
	if err != nil {
		return err
	}
	today, err := a.Today()
	if err != nil {
		return err
	}
	oldRel, newRel := notes.NotePath(slug, day), notes.NotePath(slug, newDay)
	if day.Equal(newDay) {
		return fmt.Errorf("%s is on %s already: give another NEWDATE", oldRel, from)
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := r.LoadProfile(slug); err != nil {
		return err
	}
	for _, rel := range []string{oldRel, newRel} {
		if err := notes.CheckNoLinks(r.Root, rel); err != nil {
			return err
		}
	}
	notes.CleanTemp(filepath.Join(r.Root, slug))
	oldPath := filepath.Join(r.Root, filepath.FromSlash(oldRel))
	newPath := filepath.Join(r.Root, filepath.FromSlash(newRel))
	data, err := notes.ReadFileLimited(oldPath, notes.MaxNoteSize)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no note %s: see the notes with `oneone log %s`", oldRel, slug)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", oldRel, err)
	}
	if !day.After(today) {
		return fmt.Errorf("%s is not a planned 1:1 (it is dated today or earlier), so it stays on its day: mark it `oneone skip %s %s` or `cancel`, and write the one that took place with `oneone new %s --date D`", oldRel, slug, from, slug)
	}
	if _, err := os.Lstat(newPath); err == nil {
		return fmt.Errorf("%s exists already: pick another day, or merge the two notes by hand", newRel)
	}
	out, err := notes.MoveNoteDate(data, newDay)
	if err != nil {
		return fmt.Errorf("%s: %w", oldRel, err)
	}
	a.warnFarDate("NEWDATE", newDay, today)
	if err := notes.CreateFileAtomic(newPath, out); err != nil {
		if errors.Is(err, notes.ErrNoteExists) {
			return fmt.Errorf("%s exists already: pick another day, or merge the two notes by hand", newRel)
		}
		return err
	}
	if err := os.Remove(oldPath); err != nil {
		os.Remove(newPath)
		return fmt.Errorf("%s: %w", oldRel, err)
	}
	if err := a.commit(r, st, fmt.Sprintf("%s: move 1:1 %s to %s", slug, from, to), oldRel, newRel); err != nil {
		// put everything back: a failed move changes nothing
		os.Remove(newPath)
		if werr := notes.WriteFileAtomic(oldPath, data); werr != nil {
			return fmt.Errorf("the move of %s was not committed (%v) and the note could not be put back (%v): its text is in %s", oldRel, err, werr, newRel)
		}
		return err
	}
	a.infof("moved %s to %s", oldRel, newRel)
	if newDay.Before(today) {
		a.infof("note: %s is dated before today: it now counts as held", newRel)
	}
	if a.JSON {
		return a.printJSON(moveResult{Slug: slug, From: from, To: to, FromFile: oldRel, File: newRel})
	}
	return nil
}

// completeMove completes a slug, then the dates of its planned notes, then
// the next days without a note.
func (a *App) completeMove(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return a.completeSlugs(cmd, args, toComplete)
	}
	if len(args) > 2 || notes.ValidateSlug(args[0]) != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	r, err := a.Repo()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	today, err := a.Today()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	taken := map[string]bool{}
	entries, _ := os.ReadDir(filepath.Join(r.Root, args[0]))
	var planned []string
	for _, e := range entries {
		if d, err := notes.NoteDate(e.Name()); err == nil {
			taken[notes.FormatDate(d)] = true
			if d.After(today) {
				planned = append(planned, notes.FormatDate(d))
			}
		}
	}
	var out []string
	if len(args) == 1 {
		sort.Strings(planned)
		for _, d := range planned {
			if strings.HasPrefix(d, toComplete) {
				out = append(out, d)
			}
		}
	} else {
		for i := 0; i <= 28; i++ {
			if d := notes.FormatDate(notes.AddDays(today, i)); !taken[d] && strings.HasPrefix(d, toComplete) {
				out = append(out, d)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
}
