package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newActionsCmd) }

type actionsOptions struct {
	all          bool
	mine, theirs bool
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
	// Owner is the owner's first name as written ("Dana: ..."), null when the
	// item names neither the manager nor the report.
	Owner *string `json:"owner"`
	// Private: the item's newest occurrence is in a Private section.
	Private bool `json:"private"`
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
its age from the first note it appeared in, which is the file shown. An item
written "- [-]" is dropped, and so is one a later held 1:1 no longer lists
while it lists others (you deleted it where new had carried it).

An item's owner is the word before its first colon when it is your first
name (oneone.yaml's manager) or the report's ("Dana: share the roadmap"):
--mine lists yours, --theirs the reports'.`,
		Example: `  oneone actions
  oneone actions --mine
  oneone actions alice --theirs --json`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeSlugs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runActions(a, args, o)
		},
	}
	cmd.Flags().BoolVar(&o.mine, "mine", false, "only the items you own (\"Dana: ...\")")
	cmd.Flags().BoolVar(&o.theirs, "theirs", false, "only the items the reports own (\"Alice: ...\")")
	cmd.Flags().BoolVar(&o.all, "all", false, "include archived reports (they always are)")
	_ = cmd.Flags().MarkHidden("all")
	return cmd
}

func runActions(a *App, slugs []string, o actionsOptions) error {
	if o.mine && o.theirs {
		return fmt.Errorf("--mine and --theirs exclude each other: give one (or neither, for every item)")
	}
	r, team, today, err := loadReports(a, slugs)
	if err != nil {
		return err
	}
	manager := firstName(r.Config.Manager)
	if o.mine && manager == "" {
		return fmt.Errorf("--mine needs your name: set manager in %s (e.g. manager: Dana Reyes), so that \"Dana: ...\" items are yours", notes.ConfigFile)
	}
	if err := unreadableNamed(team, slugs); err != nil {
		return err
	}
	for _, p := range team.Problems {
		a.infof("warning: %s: %s", p.Path, p.Message)
	}
	rows := []actionRow{}
	for _, p := range team.People { // archived reports too: the spec leaves them out of other lists only
		report := p.Profile.FirstName()
		for _, act := range p.OpenActionsOn(today) {
			row := actionRow{
				Slug: p.Slug, Text: act.Text, FirstSeen: notes.FormatDate(act.First),
				AgeDays: act.Age(today), File: act.FirstPath,
				LastSeen: notes.FormatDate(act.Last), LastFile: act.LastPath, Private: act.Private,
			}
			owner := act.Owner(manager, report)
			if owner != "" {
				row.Owner = &owner
			}
			switch {
			case o.mine && !strings.EqualFold(owner, manager),
				o.theirs && (owner == "" || !strings.EqualFold(owner, report)):
				continue
			}
			rows = append(rows, row)
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
		switch {
		case o.mine:
			a.infof("no open action items of yours")
		case o.theirs:
			a.infof("no open action items of the reports'")
		default:
			a.infof("no open action items")
		}
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
