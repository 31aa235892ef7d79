package main

import (
	"bytes"
	"fmt"
	"html"
	"path"
	"time"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/share"
	"github.com/spf13/cobra"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

func init() { register(newAgendaCmd) }

type agendaOptions struct {
	HTML bool
}

func newAgendaCmd(a *App) *cobra.Command {
	var o agendaOptions
	cmd := &cobra.Command{
		Use:   "agenda SLUG [DATE]",
		Short: "The shareable agenda of a note: everything but Private sections and HTML comments",
		Long: `Print the agenda of a 1:1 note (default: the newest) as clean Markdown, ready
to paste into chat or email: every level-2 "Private" section (any letter case)
and every HTML comment is left out, and so is the frontmatter; the rest is kept
as written. A title line is added when the note has none.

--html prints a mail-friendly HTML fragment instead (raw HTML is shown as
text, never passed through).`,
		Example: `  oneone agenda alice
  oneone agenda alice 2026-11-25 | pbcopy
  oneone agenda alice --html > agenda.html`,
		Args: func(cmd *cobra.Command, args []string) error {
			if a.joinedDir() != "" { // the report's side of a shared agenda: agenda [DATE] (join.go)
				return cobra.MaximumNArgs(1)(cmd, args)
			}
			return cobra.RangeArgs(1, 2)(cmd, args)
		},
		ValidArgsFunction: a.completeSlugDate,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir := a.joinedDir(); dir != "" {
				return runJoinedAgenda(a, dir, args, o)
			}
			return runAgenda(a, args, o)
		},
	}
	cmd.Flags().BoolVar(&o.HTML, "html", false, "print an HTML fragment for email")
	return cmd
}

func runAgenda(a *App, args []string, o agendaOptions) error {
	slug := args[0]
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	r, err := a.Repo()
	if err != nil {
		return err
	}
	p, err := r.LoadPerson(slug)
	if err != nil {
		return err
	}
	n, err := pickNote(p, args[1:])
	if err != nil {
		return err
	}
	md := share.Agenda(p.Profile.Name, n, false) // what a shared agenda publishes, Feedback included
	switch {
	case a.JSON:
		return a.printJSON(map[string]any{
			"slug": slug, "name": p.Profile.Name, "date": notes.FormatDate(n.Date), "kind": n.Kind,
			"file": n.Path, "markdown": string(md), "html": agendaHTML(md),
		})
	case o.HTML:
		_, err = a.Stdout.Write([]byte(agendaHTML(md)))
	default:
		_, err = a.Stdout.Write(md)
	}
	return err
}

// pickNote returns the note of the date argument, or the newest note.
func pickNote(p *notes.Person, args []string) (*notes.Note, error) {
	if len(args) == 0 {
		n := p.Latest()
		if n == nil {
			if len(p.Problems) > 0 {
				return nil, fmt.Errorf("%s: %s", p.Problems[len(p.Problems)-1].Path, p.Problems[len(p.Problems)-1].Message)
			}
			return nil, fmt.Errorf("%s has no notes yet: scaffold one with `oneone new %s`", p.Slug, p.Slug)
		}
		return n, nil
	}
	day, err := notes.ParseDate(args[0])
	if err != nil {
		return nil, fmt.Errorf("DATE: %w", err)
	}
	if n := p.Note(day); n != nil {
		return n, nil
	}
	rel := notes.NotePath(p.Slug, day)
	for _, prob := range p.Problems {
		if prob.Path == rel {
			return nil, fmt.Errorf("%s: %s", prob.Path, prob.Message)
		}
	}
	var dates []time.Time // every note file, the unreadable ones too: showing one says what is wrong
	for _, n := range p.Notes {
		dates = append(dates, n.Date)
	}
	for _, prob := range p.Problems {
		if d, err := notes.NoteDate(path.Base(prob.Path)); err == nil {
			dates = append(dates, d)
		}
	}
	if hint := notes.DateHint(day, dates); hint != "" {
		return nil, fmt.Errorf("no note %s: %s (list the notes with `oneone log %s`, or scaffold it with `oneone new %s --date %s`)", rel, hint, p.Slug, p.Slug, notes.FormatDate(day))
	}
	return nil, fmt.Errorf("no note %s: list the notes with `oneone log %s` or scaffold it with `oneone new %s --date %s`", rel, p.Slug, p.Slug, notes.FormatDate(day))
}

// agendaMD renders Markdown to HTML for email: GFM, raw HTML shown as text.
var agendaMD = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escapeRaw{}, 100))),
)

// agendaHTML renders the shareable Markdown as an HTML fragment.
func agendaHTML(md []byte) string {
	var buf bytes.Buffer
	if err := agendaMD.Convert(md, &buf); err != nil {
		return "<pre>" + html.EscapeString(string(md)) + "</pre>\n"
	}
	return buf.String()
}

// escapeRaw shows raw HTML as escaped text instead of passing it through, and
// task boxes as characters (mail clients drop <input> elements).
type escapeRaw struct{}

func (escapeRaw) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(extast.KindTaskCheckBox, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			box := "☐ "
			if node.(*extast.TaskCheckBox).IsChecked {
				box = "☑ "
			}
			_, _ = w.WriteString(box)
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.HTMLBlock)
			var b bytes.Buffer
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(src))
			}
			if n.HasClosure() {
				b.Write(n.ClosureLine.Value(src))
			}
			if s := bytes.TrimSpace(b.Bytes()); len(s) > 0 {
				_, _ = w.WriteString("<p>" + html.EscapeString(string(s)) + "</p>\n")
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.RawHTML)
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				_, _ = w.WriteString(html.EscapeString(string(seg.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
}
