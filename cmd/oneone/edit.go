package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kballard/go-shellquote"
	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newEditCmd) }

func newEditCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "edit SLUG [DATE]",
		Short: "Open a note (default: the newest) in $VISUAL/$EDITOR; commit it if changed",
		Long: `Open SLUG's note of DATE (default: the newest) in $VISUAL, else $EDITOR, else vi.
An editor with arguments works (EDITOR="code --wait"). When the editor exits
and the note changed, oneone commits it.`,
		Example: `  oneone edit alice
  oneone edit alice 2026-11-18
  EDITOR="code --wait" oneone edit bob`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: a.completeSlugDate,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := notes.ValidateSlug(args[0]); err != nil {
				return err
			}
			var day time.Time
			if len(args) == 2 {
				d, err := notes.ParseDate(args[1])
				if err != nil {
					return fmt.Errorf("DATE: %w", err)
				}
				day = d
			}
			// No lock while the editor is open: a long editing session must not
			// block `oneone sync`; the commit takes the lock itself.
			r, err := a.Repo()
			if err != nil {
				return err
			}
			st, err := a.Store()
			if err != nil {
				return err
			}
			if err := st.CanCommit(); err != nil { // say so before the editor opens
				return err
			}
			if day.IsZero() {
				if day, err = newestNote(r, args[0]); err != nil {
					return err
				}
			}
			return a.editAndCommit(r, st, args[0], day)
		},
	}
}

// newestNote returns the date of slug's newest note file.
func newestNote(r *notes.Repo, slug string) (time.Time, error) {
	if _, err := r.LoadProfile(slug); err != nil {
		return time.Time{}, err
	}
	dates, err := noteDates(r, slug)
	if err != nil {
		return time.Time{}, err
	}
	var newest time.Time
	for _, d := range dates {
		if d.After(newest) {
			newest = d
		}
	}
	if newest.IsZero() {
		return newest, fmt.Errorf("%s has no notes yet: run `oneone new %s`", slug, slug)
	}
	return newest, nil
}

// noteDates returns the dates of slug's note files, by their names.
func noteDates(r *notes.Repo, slug string) ([]time.Time, error) {
	entries, err := os.ReadDir(filepath.Join(r.Root, slug))
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for _, e := range entries {
		if d, err := notes.NoteDate(e.Name()); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// editAndCommit opens slug's note of day in the editor and commits it when it changed.
func (a *App) editAndCommit(r *notes.Repo, st *gitstore.Store, slug string, day time.Time) error {
	rel := notes.NotePath(slug, day)
	if err := notes.CheckNoLinks(r.Root, rel); err != nil {
		return err
	}
	path := filepath.Join(r.Root, filepath.FromSlash(rel))
	fi, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			dates, _ := noteDates(r, slug)
			if hint := notes.DateHint(day, dates); hint != "" {
				return fmt.Errorf("%s does not exist: %s (or create it with `oneone new %s --date %s`)", rel, hint, slug, notes.FormatDate(day))
			}
			return fmt.Errorf("%s does not exist: create it with `oneone new %s --date %s`", rel, slug, notes.FormatDate(day))
		}
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a link?); oneone does not follow links", rel)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := a.runEditor(path); err != nil {
		return err
	}
	after, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s after editing: %w", rel, err)
	}
	if bytes.Equal(before, after) {
		a.infof("%s unchanged", rel)
		return nil
	}
	_ = os.Chmod(path, notes.FileMode)
	if _, err := notes.ParseNote(slug, filepath.Base(path), after); err != nil {
		a.infof("warning: %s: %s (committed anyway; fix it and run `oneone edit %s %s`)", rel, err, slug, notes.FormatDate(day))
	}
	if err := a.commit(r, st, fmt.Sprintf("%s: edit 1:1 note %s", slug, notes.FormatDate(day)), rel); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "saved %s\n", rel)
	return nil
}

// runEditor runs $VISUAL, else $EDITOR, else vi on path with the real terminal;
// the command is split like a shell would, the file name is passed as one argument.
func (a *App) runEditor(path string) error {
	name, editor := "VISUAL", strings.TrimSpace(a.Getenv("VISUAL")) // blank counts as unset
	if editor == "" {
		name, editor = "EDITOR", strings.TrimSpace(a.Getenv("EDITOR"))
	}
	if editor == "" {
		name, editor = "", "vi"
	}
	argv, err := shellquote.Split(editor)
	if err != nil {
		return fmt.Errorf("cannot read the editor command $%s=%q: %v; set it to a program, e.g. EDITOR=\"code --wait\"", name, editor, err)
	}
	cmd := exec.Command(argv[0], append(argv[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.Stdin, a.Stderr, a.Stderr
	if f, ok := a.rawStdout.(*os.File); ok {
		cmd.Stdout = f
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("editor %q failed: %v; the note is kept as it is on disk", argv[0], err)
	}
	return nil
}
