package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command with subcommands, whoever adds it, answers an unknown
// subcommand with one line that says so and lists its subcommands, exit 2.
func TestEveryUnknownSubcommandIsNamed(t *testing.T) {
	root := (&App{Getenv: func(string) string { return "" }}).rootCmd()
	var parents []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasParent() && c.HasAvailableSubCommands() {
			parents = append(parents, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if len(parents) == 0 {
		t.Fatal("no command with subcommands found: theme has some")
	}
	for _, p := range parents {
		path := strings.Fields(p.CommandPath())[1:]
		var first string
		for _, sub := range p.Commands() {
			if sub.IsAvailableCommand() {
				first = sub.Name()
				break
			}
		}
		for _, arg := range []string{"qqqqqq", first + "x"} {
			var stdout, stderr bytes.Buffer
			args := append(append([]string{}, path...), arg, "a", "b")
			code := Main(args, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
			msg := stderr.String()
			says := "oneone: unknown subcommand \"" + arg + "\" for \"" + p.CommandPath() + "\""
			lists := "its subcommands are "
			if p.Name() == "completion" { // its subcommands are shells: it says so in those words
				says, lists = "oneone: no completion for shell \""+arg+"\"", "use bash, zsh, fish or powershell"
			}
			if code != exitError || stdout.Len() > 0 || strings.Count(msg, "\n") != 1 ||
				!strings.HasPrefix(msg, says) || !strings.Contains(msg, lists) {
				t.Errorf("oneone %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout.String(), msg)
			}
			if near := strings.Contains(msg, "did you mean "+first+"?"); near != (arg == first+"x") {
				t.Errorf("oneone %s: suggestion wrong: %q", strings.Join(args, " "), msg)
			}
		}
	}
}
