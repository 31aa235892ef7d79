package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newSearchCmd) }

type searchOptions struct {
	Since string
	Until string
}

// searchHit is one line of `oneone search --json`; field names are the JSON contract.
type searchHit struct {
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Date       string `json:"date"`
	File       string `json:"file"`
	Section    string `json:"section"`
	LineNumber int    `json:"line_number"`
	Line       string `json:"line"`
}

func newSearchCmd(a *App) *cobra.Command {
	var o searchOptions
	cmd := &cobra.Command{
		Use:   "search QUERY [SLUG...] [--since D] [--until D]",
		Short: "Case-insensitive search through the notes: person, date, section and the matching line",
		Long: `Search the 1:1 notes of every report (archived ones included), or of the
named reports, for QUERY, ignoring letter case. QUERY is plain text, not a
pattern, and matches within one line. Printed, newest note first: the report,
the note's date, the section the line is under (its level-2 heading, or
"frontmatter") and the line itself.

Searched: the notes' bodies and frontmatter values. Not searched: profile.md,
HTML comments (the template's prompts), YAML comments and key names.

Exit status: 0 when something matched, 1 when nothing did (as grep), 2 on errors.`,
		Example: `  oneone search roadmap
  oneone search "design review" alice bob --since 2026-09-01
  oneone search promotion --json | jq -r '.[].file' | sort -u`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: a.completeSearch,
		RunE:              func(cmd *cobra.Command, args []string) error { return runSearch(a, args[0], args[1:], o) },
	}
	cmd.Flags().StringVar(&o.Since, "since", "", "only notes dated on or after D (YYYY-MM-DD)")
	cmd.Flags().StringVar(&o.Until, "until", "", "only notes dated on or before D (YYYY-MM-DD)")
	return cmd
}

// completeSearch completes slugs after the query.
func (a *App) completeSearch(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return a.completeSlugs(cmd, args[1:], toComplete)
}

func runSearch(a *App, query string, slugs []string, o searchOptions) error {
	if err := slugsArg(slugs); err != nil {
		return err
	}
	q := notes.SearchQuery{Text: query, Slugs: slugs}
	var err error
	if q.Since, err = searchDate("--since", o.Since); err != nil {
		return err
	}
	if q.Until, err = searchDate("--until", o.Until); err != nil {
		return err
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && q.Until.Before(q.Since) {
		return fmt.Errorf("--until %s is before --since %s: swap them", o.Until, o.Since)
	}
	r, err := a.Repo()
	if err != nil {
		return err
	}
	hits, problems, err := r.Search(q)
	if err != nil {
		return err
	}
	for _, p := range problems {
		a.infof("warning: %s: %s", p.Path, p.Message)
	}
	if a.JSON { // an empty array when nothing matches, still with exit 1
		out := make([]searchHit, len(hits))
		for i, h := range hits {
			out[i] = searchHit{Slug: h.Slug, Name: h.Name, Date: notes.FormatDate(h.Date), File: h.File,
				Section: h.Section, LineNumber: h.LineNumber, Line: h.Line}
		}
		if err := a.printJSON(out); err != nil || len(hits) > 0 {
			return err
		}
		return errFindings
	}
	if len(hits) == 0 {
		return errFindings
	}
	pal := render.Palette{Enabled: a.Color()}
	t := render.Table{Header: []string{"SLUG", "DATE", "SECTION", "LINE"}, MaxWidth: a.termWidth(), Flex: 3, Also: []int{2}}
	for _, h := range hits {
		section := h.Section
		if section == "" {
			section = "-"
		}
		t.Add(pal.Cyan(h.Slug), notes.FormatDate(h.Date), pal.Dim(section), searchHighlight(h.Line, h.Spans, pal))
	}
	return t.Write(a.Stdout, pal)
}

// searchHighlight marks the matches in line when colour is on.
func searchHighlight(line string, spans [][2]int, pal render.Palette) string {
	if !pal.Enabled || len(spans) == 0 {
		return line
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(line[last:sp[0]])
		b.WriteString(pal.Red(pal.Bold(line[sp[0]:sp[1]])))
		last = sp[1]
	}
	b.WriteString(line[last:])
	return b.String()
}

// searchDate parses a date flag that may be empty.
func searchDate(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := notes.ParseDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", flag, err)
	}
	return d, nil
}
