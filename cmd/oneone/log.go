package main

import (
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
}

func newLogCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "log SLUG",
		Short: "The 1:1s with SLUG: date, kind, status, themes revisited",
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
				entries = append(entries, logEntry{Date: notes.FormatDate(n.Date), Kind: n.Kind, Status: n.EffectiveStatus(today),
					Themes: themes, Actions: open, File: n.Path, Feedback: !n.FeedbackEmpty(), Topics: !n.TopicsEmpty(p.Profile.FirstName())})
			}
			if a.JSON {
				return a.printJSON(entries)
			}
			pal := render.Palette{Enabled: a.Color()}
			if len(entries) == 0 {
				a.infof("no 1:1 notes with %s yet: run `oneone new %s`", p.Profile.Name, p.Slug)
				return nil
			}
			t := render.Table{Header: []string{"DATE", "KIND", "STATUS", "THEMES REVISITED"}, MaxWidth: a.termWidth(), Flex: 3}
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
				t.Add(e.Date, e.Kind, status, strings.Join(themes, "; "))
			}
			return t.Write(a.Stdout, pal)
		},
	}
}
