package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newShowCmd) }

// shownNote is `oneone show --json`; field names are the JSON contract.
type shownNote struct {
	Slug   string         `json:"slug"`
	Date   string         `json:"date"`
	Kind   string         `json:"kind"`
	Status string         `json:"status"`
	Themes []notes.Rating `json:"themes"`
	File   string         `json:"file"`
	Body   string         `json:"body"`
}

func newShowCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "show SLUG [DATE]",
		Short: "A note rendered for the terminal (default: the newest)",
		Long: `Show SLUG's note of DATE (default: the newest) rendered for the terminal:
a header line from the frontmatter (name, date, kind, status, theme ratings),
then the Markdown with headings, emphasis, lists, task boxes, code, links,
quotes and tables. HTML comments (template prompts) are left out.

Colour only on a terminal, never with NO_COLOR, --no-color or TERM=dumb;
piped, the body is the note's Markdown as written, minus HTML comments, so it
reads back exactly. --json prints the note's fields and its Markdown body as
written.`,
		Example: `  oneone show alice
  oneone show alice 2026-11-18
  oneone show alice --json | jq -r .body`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: a.completeSlugDate,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := notes.ValidateSlug(args[0]); err != nil {
				return err
			}
			if len(args) == 2 {
				if _, err := notes.ParseDate(args[1]); err != nil {
					return fmt.Errorf("DATE: %w", err)
				}
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
			n, err := pickNote(p, args[1:])
			if err != nil {
				return err
			}
			if len(args) == 1 {
				a.warnNewerProblems(p, n)
			}
			if a.JSON {
				themes := n.Ratings
				if themes == nil {
					themes = []notes.Rating{}
				}
				return a.printJSON(shownNote{Slug: n.Slug, Date: notes.FormatDate(n.Date), Kind: n.Kind,
					Status: n.EffectiveStatus(today), Themes: themes, File: n.Path, Body: string(n.Body)})
			}
			return writeNote(a.Stdout, p, n, today, render.Palette{Enabled: a.Color()}, !a.isTerminal())
		},
	}
}

// warnNewerProblems tells on stderr about unreadable notes newer than the one shown.
func (a *App) warnNewerProblems(p *notes.Person, n *notes.Note) {
	for _, pr := range p.Problems {
		if d, err := notes.NoteDate(baseOf(pr.Path)); err == nil && d.After(n.Date) {
			a.infof("warning: %s: %s (showing %s)", pr.Path, pr.Message, n.Path)
		}
	}
}

func baseOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// Piped (asText), the body is the note's Markdown as written minus HTML
// comments, so that it reads back exactly; on a terminal it is rendered.
func writeNote(w io.Writer, p *notes.Person, n *notes.Note, today time.Time, pal render.Palette, asText bool) error {
	if _, err := fmt.Fprintf(w, "%s\n\n", render.NoteHeader(n, p.Profile.Name, today, pal)); err != nil {
		return err
	}
	var body string
	if asText {
		body = strings.TrimSpace(string(notes.WithoutComments(n.Body)))
		if body != "" {
			body += "\n"
		}
	} else {
		body = render.Terminal(n.Body, pal)
	}
	if body == "" {
		body = pal.Dim("(empty note)") + "\n"
	}
	_, err := io.WriteString(w, body)
	return err
}
