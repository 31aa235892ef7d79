package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

// cobra's argument-count errors, in plain words.
var argErrors = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "expected ${1} argument(s), got ${2}"},
	{regexp.MustCompile(`^accepts between (\d+) and (\d+) arg\(s\), received (\d+)$`), "expected ${1} to ${2} arguments, got ${3}"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "expected at least ${1} argument(s), got ${2}"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "expected at most ${1} argument(s), got ${2}"},
	{regexp.MustCompile(`^unknown command ("[^"]*") for "[^"]*"$`), "unexpected argument ${1}"},
}

// explainArgErrors makes every command's argument errors say what is wrong and
// show the usage line, e.g. "expected 1 argument(s), got 0: usage: oneone log SLUG".
//
// A command with subcommands says so when the first argument names none:
// `unknown subcommand "finish" for "oneone theme": did you mean done?`.
func explainArgErrors(c *cobra.Command) {
	for _, sub := range c.Commands() {
		explainArgErrors(sub)
	}
	check := c.Args
	ownArgs := check != nil && c.Runnable() // like `org [DIR]`: a first argument may be its own
	if check == nil {
		if !c.HasSubCommands() || !c.HasParent() {
			return
		}
		check = cobra.NoArgs // cobra's own check for a command with subcommands
	}
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			return nil
		}
		if cmd.HasAvailableSubCommands() && len(args) > 0 && !(ownArgs && isFolder(args[0])) {
			return unknownSubcommand(cmd, args[0])
		}
		msg := err.Error()
		for _, e := range argErrors {
			if e.re.MatchString(msg) {
				msg = e.re.ReplaceAllString(msg, e.with)
				break
			}
		}
		use := strings.TrimSuffix(cmd.UseLine(), " [flags]")
		return fmt.Errorf("%s: usage: %s (see `%s --help`)", msg, use, cmd.CommandPath())
	}
}

// isFolder reports whether p names an existing folder: `oneone org DIR extra`
// has too many arguments, it does not name an unknown subcommand DIR.
func isFolder(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

var strconvError = regexp.MustCompile(`strconv\.Parse(\w+): parsing "[^"]*": (invalid syntax|value out of range)`)

// plainFlagError replaces Go's parsing wording in a flag error.
func plainFlagError(msg string) string {
	return strconvError.ReplaceAllStringFunc(msg, func(m string) string {
		switch {
		case strings.HasSuffix(m, "out of range"):
			return "out of range"
		case strings.HasPrefix(m, "strconv.ParseBool"):
			return "give true or false"
		}
		return "not a whole number"
	})
}

// unknownSubcommand is the error for a first argument of parent that names
// none of its subcommands, with the nearest one when there is a close one.
func unknownSubcommand(parent *cobra.Command, name string) error {
	var names []string
	for _, sub := range parent.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	msg := fmt.Sprintf("unknown subcommand %q for %q", name, parent.CommandPath())
	if near := nearestCommand(parent, name); near != "" {
		msg += ": did you mean " + near + "?"
	}
	return fmt.Errorf("%s (its subcommands are %s; see `%s --help`)", msg, strings.Join(names, ", "), parent.CommandPath())
}

// nearestCommand returns the subcommand of parent to suggest for name: one
// that lists name among its SuggestFor words (finish -> done), else the
// closest by the rule every suggestion follows (notes.Closest), else "".
func nearestCommand(parent *cobra.Command, name string) string {
	var names []string
	for _, sub := range parent.Commands() {
		if !sub.IsAvailableCommand() {
			continue
		}
		for _, w := range sub.SuggestFor {
			if strings.EqualFold(w, name) {
				return sub.Name()
			}
		}
		names = append(names, sub.Name())
		for _, alias := range sub.Aliases {
			names = append(names, alias)
		}
	}
	near := notes.Closest(name, names)
	for _, sub := range parent.Commands() {
		if sub.HasAlias(near) {
			return sub.Name()
		}
	}
	return near
}
