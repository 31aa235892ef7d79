package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

// completeSlugs completes report slugs for every argument.
func (a *App) completeSlugs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return a.slugsWhere(args, toComplete, nil), cobra.ShellCompDirectiveNoFileComp
}

// slugsWhere lists the slugs starting with prefix, not in args, that keep accepts (all when nil).
func (a *App) slugsWhere(args []string, prefix string, keep func(r *notes.Repo, slug string) bool) []string {
	r, err := a.Repo()
	if err != nil {
		return nil
	}
	slugs, _ := r.Slugs()
	var out []string
	for _, s := range slugs {
		if strings.HasPrefix(s, prefix) && !contains(args, s) && (keep == nil || keep(r, s)) {
			out = append(out, s)
		}
	}
	return out
}

// completeFirstSlug completes a slug as the first argument only.
func (a *App) completeFirstSlug(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return a.completeSlugs(cmd, args, toComplete)
}

// completeCurrentSlug completes, as the first argument only, the slugs of
// reports who have not left: `new` and `archive` make no sense for the others.
func (a *App) completeCurrentSlug(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	current := func(r *notes.Repo, slug string) bool {
		p, err := r.LoadProfile(slug)
		return err == nil && p.Archived.IsZero()
	}
	return a.slugsWhere(args, toComplete, current), cobra.ShellCompDirectiveNoFileComp
}

// completeActiveTheme completes a slug, then the titles of that report's active themes.
func (a *App) completeActiveTheme(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return a.completeAfterSlug(cmd, args, toComplete, func(r *notes.Repo, slug string) ([]string, cobra.ShellCompDirective) {
		p, err := r.LoadProfile(slug)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, t := range p.Themes {
			if t.Status == notes.ThemeActive && strings.HasPrefix(strings.ToLower(t.Title), strings.ToLower(toComplete)) {
				out = append(out, t.Title)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// completeAfterSlug completes a slug as the first argument, then what more
// offers for that report as the second, nothing after.
func (a *App) completeAfterSlug(cmd *cobra.Command, args []string, toComplete string, more func(r *notes.Repo, slug string) ([]string, cobra.ShellCompDirective)) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return a.completeSlugs(cmd, args, toComplete)
	}
	if len(args) > 1 || notes.ValidateSlug(args[0]) != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	r, err := a.Repo()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return more(r, args[0])
}

// completeSlugDate completes a slug, then the dates of that report's notes, newest first.
func (a *App) completeSlugDate(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return a.completeAfterSlug(cmd, args, toComplete, func(r *notes.Repo, slug string) ([]string, cobra.ShellCompDirective) {
		entries, _ := os.ReadDir(filepath.Join(r.Root, slug))
		var out []string
		for _, e := range entries {
			if d, err := notes.NoteDate(e.Name()); err == nil {
				if s := notes.FormatDate(d); strings.HasPrefix(s, toComplete) {
					out = append(out, s)
				}
			}
		}
		sort.Sort(sort.Reverse(sort.StringSlice(out)))
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// setupHelpAndCompletion replaces cobra's help command (an unknown topic is an
// error, exit 2) and gives the completion command examples and an error for an
// unknown shell.
func setupHelpAndCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return fmt.Errorf("unknown help topic %q: see `oneone --help` for the commands", strings.Join(args, " "))
			}
			return target.Help()
		},
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			var out []string
			for _, sub := range root.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, sub.Name())
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
	})
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = `  source <(oneone completion bash)                                   # bash, this shell
  oneone completion bash > ~/.local/share/bash-completion/completions/oneone
  oneone completion zsh > "${fpath[1]}/_oneone"                      # zsh
  oneone completion fish > ~/.config/fish/completions/oneone.fish    # fish`
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					if near := nearestCommand(cmd, args[0]); near != "" {
						return fmt.Errorf("no completion for shell %q: did you mean %s? (use bash, zsh, fish or powershell)", args[0], near)
					}
					return fmt.Errorf("no completion for shell %q: use bash, zsh, fish or powershell", args[0])
				}
				return cmd.Help()
			}
		}
	}
}
