package main

import (
	"strconv"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newLogCmd) }

// logEntry is one line of `oneone log`; field names are the JSON contract.
type logEntry struct {
	Date     string         `json:"date"`
	Kind     string         `json:"kind"`
	Status   string         `json:"status"`
	Themes   []notes.Rating `json:"themes"`
	Actions  int            `json:"open_actions"`
	File     string         `json:"file"`
	Feedback bool           `json:"feedback"`
	Topics   bool           `json:"topics"`
	// Mood is the report's check-in, 1 to 5, null when none was written.
	Mood *int `json:"mood"`
	// Positive and ToImprove count the Feedback items of each kind.
	Positive  int `json:"positive"`
	ToImprove int `json:"to_improve"`
}

func newLogCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "log SLUG",
		Short: "The 1:1s with SLUG: date, kind, status, check-in, feedback, themes revisited",
		Long: `log lists every 1:1 note of SLUG, newest first: its date, kind and status
(held, skipped, cancelled or planned), the report's check-in (mood, 1 to 5),
the feedback written (+ for positive items, Δ for items to improve) and the
themes rated there.`,
		Example: `  oneone log alice
  oneone log alice --json | jq '.[] | select(.kind == "goals")'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeFirstSlug,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := notes.ValidateSlug(args[0]); err != nil {
				return err
			}
			today, err := a.Today()
			if err != nil {
				return err
			}
			r, err := a.Repo()
			if err != nil {
				return err
			}
			p, err := r.LoadPerson(args[0])
			if err != nil {
				return err
			}
			for _, pr := range p.Problems {
				a.infof("warning: %s: %s (not listed)", pr.Path, pr.Message)
			}
			entries := []logEntry{}
			for i := len(p.Notes) - 1; i >= 0; i-- {
				n := p.Notes[i]
				open := 0
				for _, t := range n.Tasks {
					if !t.Checked {
						open++
					}
				}
				// a theme is revisited only in a held 1:1 that rates it by its exact title
				themes := []notes.Rating{}
				for _, r := range n.Ratings {
					if n.Held(today) && p.Profile.HasTheme(r.Theme) {
						themes = append(themes, r)
					}
				}
				e := logEntry{Date: notes.FormatDate(n.Date), Kind: n.Kind, Status: n.EffectiveStatus(today),
					Themes: themes, Actions: open, File: n.Path, Feedback: !n.FeedbackEmpty(), Topics: !n.TopicsEmpty(p.Profile.FirstName()),
					Positive: n.Positive, ToImprove: n.ToImprove}
				if n.HasMood() {
					m := n.Mood
					e.Mood = &m
				}
				entries = append(entries, e)
			}
			if a.JSON {
				return a.printJSON(entries)
			}
			pal := render.Palette{Enabled: a.Color()}
			if len(entries) == 0 {
				a.infof("no 1:1 notes with %s yet: run `oneone new %s`", p.Profile.Name, p.Slug)
				return nil
			}
			t := render.Table{Header: []string{"DATE", "KIND", "STATUS", "MOOD", "FEEDBACK", "THEMES REVISITED"}, MaxWidth: a.termWidth(), Flex: 5}
			for _, e := range entries {
				var themes []string
				for _, r := range e.Themes {
					themes = append(themes, r.Theme+" ("+r.Rating+")")
				}
				status := e.Status
				switch status {
				case notes.StatusSkipped, notes.StatusCancelled:
					status = pal.Yellow(status)
				case "planned":
					status = pal.Cyan(status)
				}
				mood := "-"
				if e.Mood != nil {
					mood = strconv.Itoa(*e.Mood) + "/5"
					if *e.Mood <= 2 {
						mood = pal.Yellow(mood)
					}
				}
				t.Add(e.Date, e.Kind, status, mood, feedbackLabel(e), strings.Join(themes, "; "))
			}
			return t.Write(a.Stdout, pal)
		},
	}
}

// feedbackLabel says what kinds of feedback a 1:1 holds: "+ Δ" for both,
// "+" praise only, "Δ" points to improve only, "-" none of a kind.
func feedbackLabel(e logEntry) string {
	switch {
	case e.Positive > 0 && e.ToImprove > 0:
		return "+ Δ"
	case e.Positive > 0:
		return "+"
	case e.ToImprove > 0:
		return "Δ"
	}
	return "-"
}
