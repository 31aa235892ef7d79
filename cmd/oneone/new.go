package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newNewCmd) }

type newOptions struct {
	Date string
	Kind string
	Edit bool
}

func newNewCmd(a *App) *cobra.Command {
	var o newOptions
	cmd := &cobra.Command{
		Use:   "new SLUG [--date D] [--kind goals] [-e]",
		Short: "Scaffold SLUG/DATE.md from the template, committed",
		Long: `Scaffold the note of a 1:1 from the template: feedback prompts, the report's
topics, a heading for every active theme, and every action item still open
carried over with "(from DATE)" — those of the previous note and any left open
in an earlier one; items written in a Private section go to the new note's
Private section, never to the shareable Action items. When no goals 1:1 was
held within goals_every, new says so and uses the goals template. It never
overwrites a note; a note whose commit fails is removed again.

Templates: templates/regular.md and templates/goals.md in the repository
override the built-in ones (Go text/template; .Actions and .PrivateActions
hold the carried items).`,
		Example: `  oneone new alice
  oneone new alice --date 2026-12-02 -e
  oneone new bob --kind goals`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeCurrentSlug,
		RunE:              func(cmd *cobra.Command, args []string) error { return runNew(a, args[0], o) },
	}
	cmd.Flags().StringVar(&o.Date, "date", "", "date of the 1:1, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&o.Kind, "kind", "", "regular or goals (default: goals when one is due)")
	cmd.Flags().BoolVarP(&o.Edit, "edit", "e", false, "open the note in $VISUAL/$EDITOR, commit when it changed")
	return cmd
}

func runNew(a *App, slug string, o newOptions) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	day, err := a.dateFlag("date", o.Date)
	if err != nil {
		return err
	}
	if o.Kind != "" && o.Kind != notes.KindRegular && o.Kind != notes.KindGoals {
		return fmt.Errorf("--kind: unknown kind %q: use regular or goals", o.Kind)
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	p, err := r.LoadPersonTasks(slug) // summaries with their tasks: all the scaffold reads
	if err != nil {
		return err
	}
	if !p.Profile.Archived.IsZero() {
		return fmt.Errorf("%s was archived on %s: to meet again, delete the `archived:` line from %s/profile.md", slug, notes.FormatDate(p.Profile.Archived), slug)
	}
	rel := notes.NotePath(slug, day)
	if p.Note(day) != nil {
		return fmt.Errorf("%s already exists: open it with `oneone edit %s %s`", rel, slug, notes.FormatDate(day))
	}
	sc, err := r.ScaffoldNote(p, day, o.Kind)
	if err != nil {
		return err
	}
	topics, placed := a.withWaitingTopics(r, st, p, day, sc) // from the report's shared agenda (shareserve.go)
	dir := filepath.Join(r.Root, slug)
	notes.CleanTemp(dir)
	if err := notes.CreateFileAtomic(filepath.Join(r.Root, filepath.FromSlash(rel)), sc.Content); err != nil {
		if errors.Is(err, notes.ErrNoteExists) {
			return fmt.Errorf("%s already exists: open it with `oneone edit %s %s`", rel, slug, notes.FormatDate(day))
		}
		return err
	}
	kindWord := "1:1 note"
	if sc.Kind == notes.KindGoals {
		kindWord = "goals 1:1 note"
	}
	if err := a.commitCreated(r, st, fmt.Sprintf("%s: new %s %s", slug, kindWord, notes.FormatDate(day)), []string{rel}, ""); err != nil {
		return err
	}
	placed()
	if a.JSON {
		if err := a.printJSON(map[string]any{"slug": slug, "date": notes.FormatDate(day), "file": rel, "kind": sc.Kind, "goals_due": sc.GoalsDue, "carried_actions": sc.Carried}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.Stdout, "created %s\n", rel)
		if sc.GoalsDue && o.Kind == "" {
			fmt.Fprintf(a.Stdout, "a goals 1:1 is due (none held within %s): used the goals template\n", notes.FormatDays(r.Config.GoalsEveryDays))
		} else if sc.GoalsDue {
			fmt.Fprintf(a.Stdout, "note: a goals 1:1 is due (none held within %s)\n", notes.FormatDays(r.Config.GoalsEveryDays))
		}
		if sc.Carried > 0 {
			fmt.Fprintf(a.Stdout, "carried over %d open action item(s)\n", sc.Carried)
		}
		if topics > 0 {
			fmt.Fprintf(a.Stdout, "brought %s from %s's shared agenda (next.md)\n", plural(topics, "topic"), slug)
		}
	}
	if o.Edit {
		unlock() // the editor may stay open for long: let other commands in meanwhile
		return a.editAndCommit(r, st, slug, day)
	}
	return nil
}
