package main

import (
	"fmt"
	"regexp"
	"strings"

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
	{regexp.MustCompile(`^unknown command ("[^"]*") for "[^"]*"$`), "unexpected argument ${1}"},
}

// explainArgErrors makes every command's argument errors say what is wrong and
// show the usage line, e.g. "expected 1 argument(s), got 0: usage: oneone log SLUG".
func explainArgErrors(c *cobra.Command) {
	for _, sub := range c.Commands() {
		explainArgErrors(sub)
	}
	check := c.Args
	if check == nil {
		return
	}
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			return nil
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
