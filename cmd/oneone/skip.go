package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() {
	register(func(a *App) *cobra.Command { return newStatusCmd(a, "skip", notes.StatusSkipped) })
	register(func(a *App) *cobra.Command { return newStatusCmd(a, "cancel", notes.StatusCancelled) })
}

// statusResult is what `skip --json` and `cancel --json` print.
type statusResult struct {
	Slug    string `json:"slug"`
	Date    string `json:"date"`
	File    string `json:"file"`
	Status  string `json:"status"`
	Created bool   `json:"created"` // no note was there: one holding only the status was written
	Changed bool   `json:"changed"` // false when the note had that status already
}

func newStatusCmd(a *App, verb, status string) *cobra.Command {
	what := map[string]string{
		notes.StatusSkipped:   "did not take place this time (a sick day, a clash): it does not count as held and drops no action item",
		notes.StatusCancelled: "was called off: it does not count as held and drops no action item",
	}[status]
	return &cobra.Command{
		Use:   verb + " SLUG [DATE]",
		Short: fmt.Sprintf("Mark a 1:1 %s: status: %s in its note, committed", status, status),
		Long: fmt.Sprintf(`%s sets "status: %s" in SLUG's note of DATE: the 1:1 %s.
Only that line of the frontmatter changes (added, or its value replaced);
every other byte of the note stays as it was, and the change is committed.

Without DATE: today's note, else the planned one (the next note dated after
today that is not skipped or cancelled), else today. When there is no note for
that day, %s writes one holding only the status.`, verb, status, what, verb),
		Example: fmt.Sprintf(`  oneone %s alice                  # today's 1:1, or the planned one
  oneone %s alice 2026-11-18
  oneone %s bob --json`, verb, verb, verb),
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: a.completeSlugDate,
		RunE: func(cmd *cobra.Command, args []string) error {
			date := ""
			if len(args) == 2 {
				date = args[1]
			}
			return runStatus(a, args[0], date, verb, status)
		},
	}
}

func runStatus(a *App, slug, date, verb, status string) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	var day time.Time
	if date != "" {
		d, err := dateArgument("DATE", date)
		if err != nil {
			return err
		}
		day = d
	}
	today, err := a.Today()
	if err != nil {
		return err
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := r.LoadProfile(slug); err != nil {
		return err
	}
	dir := filepath.Join(r.Root, slug)
	notes.CleanTemp(dir) // left by an interrupted oneone; we hold the lock
	which := ""
	if day.IsZero() {
		if day, which, err = defaultStatusDay(r, slug, verb, today); err != nil {
			return err
		}
	}
	rel := notes.NotePath(slug, day)
	if err := notes.CheckNoLinks(r.Root, rel); err != nil {
		return err
	}
	path := filepath.Join(r.Root, filepath.FromSlash(rel))
	res := statusResult{Slug: slug, Date: notes.FormatDate(day), File: rel, Status: status}
	data, err := notes.ReadFileLimited(path, notes.MaxNoteSize)
	switch {
	case errors.Is(err, os.ErrNotExist):
		a.warnFarDate("DATE", day, today)
		content := []byte("---\nstatus: " + status + "\n---\n")
		if err := notes.CreateFileAtomic(path, content); err != nil {
			return err
		}
		if err := a.commitCreated(r, st, fmt.Sprintf("%s: %s 1:1 %s", slug, verb, res.Date), []string{rel}, ""); err != nil {
			return err
		}
		res.Created, res.Changed = true, true
		a.infof("wrote %s holding only status: %s (no note was there)", rel, status)
	case err != nil:
		return fmt.Errorf("%s: %w", rel, err)
	default:
		if n, err := notes.ParseNote(slug, filepath.Base(rel), data); err == nil && n.Status == status {
			a.infof("%s is %s already: nothing changed", rel, status)
			break
		}
		out, err := notes.SetNoteKey(data, "status", status)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if _, err := notes.ParseNote(slug, filepath.Base(rel), out); err != nil {
			return fmt.Errorf("%s: the note cannot be read (%v): fix it first, then run `oneone %s %s %s`", rel, err, verb, slug, res.Date)
		}
		if err := notes.ReplaceFileAtomic(path, out); err != nil {
			return err
		}
		if err := a.commit(r, st, fmt.Sprintf("%s: %s 1:1 %s", slug, verb, res.Date), rel); err != nil {
			return fmt.Errorf("%s was changed but not committed: %w (run `oneone sync` to commit it)", rel, err)
		}
		res.Changed = true
		msg := fmt.Sprintf("%s is now %s", rel, status)
		if which != "" {
			msg += " (" + which + ")"
		}
		a.infof("%s: it does not count as held; its text stays as written", msg)
	}
	if a.JSON {
		return a.printJSON(res)
	}
	return nil
}

// defaultStatusDay is the note skip and cancel change without a DATE: today's,
// else the planned one (the first note after today neither skipped nor
// cancelled), else today; which says which it is when it is not today's.
func defaultStatusDay(r *notes.Repo, slug, verb string, today time.Time) (time.Time, string, error) {
	entries, err := os.ReadDir(filepath.Join(r.Root, slug))
	if err != nil {
		return today, "", err
	}
	var later []time.Time
	for _, e := range entries {
		d, err := notes.NoteDate(e.Name())
		if err != nil {
			continue
		}
		if d.Equal(today) {
			return today, "", nil
		}
		if d.After(today) {
			later = append(later, d)
		}
	}
	sort.Slice(later, func(i, j int) bool { return later[i].Before(later[j]) })
	for _, d := range later {
		rel := notes.NotePath(slug, d)
		data, err := notes.ReadFileLimited(filepath.Join(r.Root, filepath.FromSlash(rel)), notes.MaxNoteSize)
		if err != nil {
			continue
		}
		n, err := notes.ParseNote(slug, filepath.Base(rel), data)
		if err != nil {
			return d, "", fmt.Errorf("%s, the planned 1:1, cannot be read (%s): fix it, or name the day: oneone %s %s DATE", rel, strings.TrimSuffix(err.Error(), "."), verb, slug)
		}
		if n.Status != notes.StatusSkipped && n.Status != notes.StatusCancelled {
			return d, "the planned 1:1", nil
		}
	}
	return today, "", nil
}
