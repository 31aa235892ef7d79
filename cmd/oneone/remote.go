package main

import (
	"github.com/oneone/oneone/gitstore"
	"github.com/spf13/cobra"
)

func init() { register(remoteCmd) }

// remoteInfo is the JSON shape of `oneone remote --json`.
type remoteInfo struct {
	Name string  `json:"name"`
	URL  *string `json:"url"` // null when there is no remote
}

func remoteCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "remote [URL]",
		Short: "Show or set the origin remote that sync uses",
		Long: `Without an argument, show the origin remote (any password or token in it is
hidden). With a URL, create or change origin. A remote added with
` + "`git remote add origin URL`" + ` works the same.

URL forms: https://host/owner/notes.git, ssh://git@host/owner/notes.git or
git@host:owner/notes.git, git://host/notes.git, and an absolute path or
file:// URL of a bare repository (a USB drive).

Credentials are never stored: for https set ONEONE_GIT_TOKEN (and
ONEONE_GIT_USERNAME if your host wants your user name) or use
~/.git-credentials; for ssh use ssh-agent or ~/.ssh/id_ed25519, with the host
key in ~/.ssh/known_hosts. A URL given with a password (or a token as its
user name, https://TOKEN@host) is saved with neither.`,
		Example: `  oneone remote git@github.com:dana/oneone-notes.git
  oneone remote https://github.com/dana/oneone-notes.git
  oneone remote
  oneone remote --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.Store()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				if err := st.SetRemote(args[0]); err != nil {
					return err
				}
				shown := gitstore.Redact(args[0])
				if shown != args[0] {
					a.infof("oneone: the credentials in the URL were not saved (neither the user name nor the token): for sync set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME if your host needs your user name), or put them in ~/.git-credentials")
				}
				if a.JSON {
					return a.printJSON(remoteInfo{gitstore.RemoteName, &shown})
				}
				a.infof("origin is now %s; run `oneone sync` to push your notes", shown)
				return nil
			}
			url, ok, err := st.RemoteURL()
			if err != nil {
				return err
			}
			var shown *string
			if ok {
				r := gitstore.Redact(url)
				shown = &r
			}
			if a.JSON {
				return a.printJSON(remoteInfo{gitstore.RemoteName, shown})
			}
			if !ok {
				a.infof("no remote yet: set one with `oneone remote URL`")
				return nil
			}
			_, err = a.Stdout.Write([]byte(*shown + "\n"))
			return err
		},
	}
}
