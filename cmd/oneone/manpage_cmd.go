//go:build manpage

package main

import (
	"os"
	"strconv"
	"time"

	"github.com/oneone/oneone/internal/manpage"
	"github.com/spf13/cobra"
)

// Built only with `-tags manpage` (by `make release`): the released binary
// has no man page generator in it.
func init() { register(newManpageCmd) }

func newManpageCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:    "manpage DIR",
		Short:  "Write the manual pages into DIR (release builds only)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			date := time.Now().UTC()
			if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" { // reproducible: the commit's date
				sec, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return err
				}
				date = time.Unix(sec, 0).UTC()
			}
			return manpage.Write(cmd.Root(), args[0], version, date)
		},
	}
}
