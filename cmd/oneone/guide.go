package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newGuideCmd) }

type guideOptions struct {
	Write bool
}

func newGuideCmd(a *App) *cobra.Command {
	var o guideOptions
	cmd := &cobra.Command{
		Use:   "guide [--write]",
		Short: "The team's 1:1 process in plain words; --write saves GUIDE.md, committed",
		Long: `Explain the team's 1:1 process in plain words, from oneone.yaml: how often you
meet, what each side prepares, goals 1:1s and themes, action items, and what
stays private. Share it with your reports.

--write saves it as GUIDE.md at the root of the notes repository and commits
it; when nothing changed it says so and commits nothing. A GUIDE.md that
oneone did not write, or that was edited by hand since, is never replaced:
rename it to keep your words, or delete it to let oneone write it again.`,
		Example: `  oneone guide
  oneone guide --write`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runGuide(a, o) },
	}
	cmd.Flags().BoolVar(&o.Write, "write", false, "save GUIDE.md in the repository and commit it")
	return cmd
}

func runGuide(a *App, o guideOptions) error {
	if !o.Write {
		cfg, err := a.Config()
		if err != nil {
			return err
		}
		guide := notes.Guide(cfg)
		if a.JSON {
			return a.printJSON(map[string]any{"file": notes.GuideFile, "markdown": guide})
		}
		_, err = fmt.Fprint(a.Stdout, guide)
		return err
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	guide := []byte(notes.GuideDocument(r.Config))
	path := filepath.Join(r.Root, notes.GuideFile)
	old, err := notes.ReadFileLimited(path, 1<<20)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("%s: %w", notes.GuideFile, err)
	case !bytes.HasPrefix(bytes.TrimPrefix(old, []byte("\ufeff")), []byte(notes.GuideMarker)):
		return fmt.Errorf("%s was not written by oneone: rename it (or merge it into oneone's guide by hand) and run `oneone guide --write` again", notes.GuideFile)
	case !notes.GuideUntouched(old) && !bytes.Equal(old, guide):
		return fmt.Errorf("%s was edited since oneone wrote it: keep your words by renaming the file (or delete it to let oneone write it again), then run `oneone guide --write`", notes.GuideFile)
	}
	changed := !bytes.Equal(old, guide)
	if changed {
		if err := notes.ReplaceFileAtomic(path, guide); err != nil {
			return fmt.Errorf("%s: %w", notes.GuideFile, err)
		}
		if err := a.commit(r, st, "guide: update GUIDE.md", notes.GuideFile); err != nil {
			return err
		}
	}
	if a.JSON {
		return a.printJSON(map[string]any{"file": notes.GuideFile, "changed": changed})
	}
	if changed {
		fmt.Fprintf(a.Stdout, "wrote %s: share it with your reports\n", notes.GuideFile)
	} else {
		fmt.Fprintf(a.Stdout, "%s is up to date\n", notes.GuideFile)
	}
	return nil
}
