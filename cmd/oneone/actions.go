package main

import (
	"sort"
	"strconv"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newActionsCmd) }

type actionsOptions struct {
	all bool
}

// actionRow is one open action item; field names are the JSON contract.
type actionRow struct {
	Slug      string `json:"slug"`
	Text      string `json:"text"`
	FirstSeen string `json:"first_seen"`
	AgeDays   int    `json:"age_days"`
	File      string `json:"file"`
	LastSeen  string `json:"last_seen"`
	LastFile  string `json:"last_file"`
}

func newActionsCmd(a *App) *cobra.Command {
	var o actionsOptions
	cmd := &cobra.Command{
		Use:   "actions [SLUG...]",
		Short: "Open action items across reports, oldest first, with the note they came from",
		Long: `actions lists the open action items (GFM task items, "- [ ] ...") of every
report, or of the named ones, oldest first. Archived reports are included: an
item you still owe someone who left is still yours to close. An item is open when its
newest occurrence is unchecked; an item carried over from note to note counts
its age from the first note it appeared in, which is the file shown.`,
		Example: `  oneone actions
  oneone actions alice --json`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeSlugs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runActions(a, args, o)
		},
	}
	cmd.Flags().BoolVar(&o.all, "all", false, "include archived reports (they always are)")
	_ = cmd.Flags().MarkHidden("all")
	return cmd
}

func runActions(a *App, slugs []string, o actionsOptions) error {
	_, team, today, err := loadReports(a, slugs)
	if err != nil {
		return err
	}
	if err := unreadableNamed(team, slugs); err != nil {
		return err
	}
	for _, p := range team.Problems {
		a.infof("warning: %s: %s", p.Path, p.Message)
	}
	rows := []actionRow{}
	for _, p := range team.People { // archived reports too: the spec leaves them out of other lists only
		for _, act := range p.OpenActions() {
			rows = append(rows, actionRow{
				Slug: p.Slug, Text: act.Text, FirstSeen: notes.FormatDate(act.First),
				AgeDays: act.Age(today), File: act.FirstPath,
				LastSeen: notes.FormatDate(act.Last), LastFile: act.LastPath,
			})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].FirstSeen != rows[j].FirstSeen {
			return rows[i].FirstSeen < rows[j].FirstSeen
		}
		return rows[i].Slug < rows[j].Slug
	})
	for _, p := range team.People {
		for _, pr := range p.Problems {
			a.infof("warning: %s: %s (skipped)", pr.Path, pr.Message)
		}
	}
	if a.JSON {
		return a.printJSON(rows)
	}
	if len(rows) == 0 {
		a.infof("no open action items")
		return nil
	}
	pal := render.Palette{Enabled: a.Color()}
	t := render.Table{Header: []string{"AGE", "SLUG", "ACTION ITEM", "FROM"}, MaxWidth: a.termWidth(), Flex: 2, Also: []int{3}, Wrap: true}
	for _, r := range rows {
		age := strconv.Itoa(r.AgeDays) + "d"
		if r.AgeDays > notes.StaleActionDays {
			age = pal.Red(age)
		}
		t.Add(age, r.Slug, r.Text, r.File)
	}
	return t.Write(a.Stdout, pal)
}
