package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

// renameResult is what `theme rename --json` prints.
type renameResult struct {
	Slug  string   `json:"slug"`
	From  string   `json:"from"`
	To    string   `json:"to"`
	Files []string `json:"files"` // the profile, then every note whose ratings changed
}

// renamed is one file rename rewrites: its path, its old and its new content.
type renamed struct {
	rel, path string
	old, new  []byte
}

func runThemeRename(a *App, slug, oldTitle, newTitle string) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	oldTitle, newTitle = strings.TrimSpace(oldTitle), strings.TrimSpace(newTitle)
	if newTitle == "" {
		return errors.New("a theme needs a title: oneone theme rename SLUG \"OLD\" \"NEW\"")
	}
	if err := plainTitle(newTitle); err != nil {
		return err
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	prof, err := r.LoadProfile(slug)
	if err != nil {
		return err
	}
	profRel := slug + "/" + notes.ProfileFile
	i, err := notes.FindTheme(prof.Themes, oldTitle)
	if err != nil {
		return fmt.Errorf("%s: %w", profRel, err)
	}
	exact := prof.Themes[i].Title // notes rate a theme by its exact title
	if exact == newTitle {
		a.infof("theme %q is titled so already: nothing changed", exact)
		return nil
	}
	dir := filepath.Join(r.Root, slug)
	notes.CleanTemp(dir)
	var files []renamed
	profPath := filepath.Join(dir, notes.ProfileFile)
	data, err := os.ReadFile(profPath)
	if err != nil {
		return fmt.Errorf("%s: %w", profRel, err)
	}
	out, err := notes.RenameTheme(data, exact, newTitle)
	if err != nil {
		return fmt.Errorf("%s: %w", profRel, err)
	}
	if _, err := notes.ParseProfile(slug, out, r.Config); err != nil {
		return fmt.Errorf("%s: the rename would leave an unreadable profile (%v); nothing was changed", profRel, err)
	}
	files = append(files, renamed{profRel, profPath, data, out})
	// every note of the report that rates the theme under its exact title
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if _, err := notes.NoteDate(e.Name()); err == nil && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		rel := slug + "/" + name
		path := filepath.Join(dir, name)
		data, err := notes.ReadFileLimited(path, notes.MaxNoteSize)
		if err != nil {
			return fmt.Errorf("%s: %w; nothing was renamed", rel, err)
		}
		n, perr := notes.ParseNote(slug, name, data)
		if perr != nil {
			if bytes.Contains(data, []byte(exact)) {
				return fmt.Errorf("%s cannot be read (%v) and may rate %q: fix it first; nothing was renamed", rel, perr, exact)
			}
			continue // it names the theme nowhere: nothing to rename there
		}
		if _, ok := n.Rating(exact); !ok {
			continue
		}
		out, err := notes.RenameRating(data, exact, newTitle)
		if err != nil {
			return fmt.Errorf("%s: %w; nothing was renamed", rel, err)
		}
		if m, err := notes.ParseNote(slug, name, out); err != nil || !rates(m, newTitle) {
			return fmt.Errorf("%s: the rename would not read back (%v); nothing was renamed", rel, err)
		}
		files = append(files, renamed{rel, path, data, out})
	}
	var rels []string
	for k, f := range files {
		if err := notes.ReplaceFileAtomic(f.path, f.new); err != nil {
			restore(files[:k])
			return err
		}
		rels = append(rels, f.rel)
	}
	msg := fmt.Sprintf("%s: theme rename %q to %q", slug, exact, newTitle)
	if err := a.commit(r, st, msg, rels...); err != nil {
		restore(files)
		return err
	}
	a.infof("renamed theme %q to %q in %s and in the ratings of %s; headings in the notes stay as written", exact, newTitle, profRel, plural(len(files)-1, "note"))
	if a.JSON {
		return a.printJSON(renameResult{Slug: slug, From: exact, To: newTitle, Files: rels})
	}
	return nil
}

func rates(n *notes.Note, title string) bool { _, ok := n.Rating(title); return ok }

// restore puts back what a rename had written when it cannot be committed.
func restore(files []renamed) {
	for _, f := range files {
		_ = notes.WriteFileAtomic(f.path, f.old)
	}
}

// completeAnyTheme completes a slug, then the titles of all of that report's themes.
func (a *App) completeAnyTheme(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return a.completeAfterSlug(cmd, args, toComplete, func(r *notes.Repo, slug string) ([]string, cobra.ShellCompDirective) {
		p, err := r.LoadProfile(slug)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, t := range p.Themes {
			if strings.HasPrefix(strings.ToLower(t.Title), strings.ToLower(toComplete)) {
				out = append(out, t.Title)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}
