package main

import (
	"fmt"

	"github.com/oneone/oneone/sealed"
	"github.com/spf13/cobra"
)

func init() { register(newKeyCmd) }

// keyInfo is the JSON shape of `oneone key --json`.
type keyInfo struct {
	PublicKey string `json:"public_key"`
	Identity  string `json:"identity"`
	Created   bool   `json:"created"`
}

func newKeyCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "key",
		Short: "Print this computer's age public key (created on first use)",
		Long: `Print this computer's age public key (age1...), the one to list as a recipient
of an encrypted remote (` + "`oneone recipients add KEY`" + ` on a computer that already
reads it) or to give your manager for an encrypted shared agenda.

The key pair is created on first use in $ONEONE_IDENTITY, default
~/.config/oneone/identity.txt (0600, in a 0700 folder), a standard age key
file as age-keygen writes it: ` + "`age -d -i ~/.config/oneone/identity.txt`" + ` opens
what oneone encrypts for this computer. It is never committed and never
pushed; keep a copy somewhere safe: without it (or another listed key), an
encrypted remote cannot be read.`,
		Example: `  oneone key
  oneone key --json
  ONEONE_IDENTITY=/media/usb/oneone-key.txt oneone key`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			id, created, err := a.identity()
			if err != nil {
				return err
			}
			if a.JSON {
				return a.printJSON(keyInfo{id.Public(), id.Path, created})
			}
			if created {
				a.infof("created this computer's age key in %s (keep a copy: without it this computer cannot read encrypted remotes)", id.Path)
			}
			_, err = fmt.Fprintln(a.Stdout, id.Public())
			return err
		},
	}
}

// identityPath is where this computer's age key lives (an error when it has no fixed place).
func (a *App) identityPath() (string, error) { return sealed.IdentityPath(a.Getenv, a.Getenv("HOME")) }

// identity loads this computer's key, creating it the first time.
func (a *App) identity() (*sealed.Identity, bool, error) {
	p, err := a.identityPath()
	if err != nil {
		return nil, false, err
	}
	return sealed.LoadOrCreateIdentity(p, a.now())
}

// ownKey is this computer's public key when it has one ("" otherwise; nothing is created).
func (a *App) ownKey() string {
	p, err := a.identityPath()
	if err != nil {
		return ""
	}
	id, err := sealed.LoadIdentity(p)
	if err != nil {
		return ""
	}
	return id.Public()
}
