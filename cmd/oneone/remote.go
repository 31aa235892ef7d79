package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/share"
	"github.com/spf13/cobra"
)

func init() { register(remoteCmd) }

// remoteInfo is the JSON shape of `oneone remote --json`.
type remoteInfo struct {
	Name      string  `json:"name"`
	URL       *string `json:"url"` // null when there is no remote
	Encrypted bool    `json:"encrypted"`
}

func remoteCmd(a *App) *cobra.Command {
	var encrypt bool
	cmd := &cobra.Command{
		Use:   "remote [URL] [--encrypt]",
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
user name, https://TOKEN@host) is saved with neither.

With --encrypt, origin is end-to-end encrypted with age: it holds only
ciphertext (no file name, note, commit message, author or date of the notes),
readable by the computers whose keys oneone.yaml lists as recipients; this
computer's key (` + "`oneone key`" + `) is added and committed. Every push appends,
never forces. Other computers: ` + "`oneone recipients add KEY`" + ` here, sync, then
` + "`oneone clone URL`" + ` there. That origin is encrypted is this computer's own
setting (.git/config), never committed; ` + "`oneone remote URL`" + ` without --encrypt
makes it plain again. Give an empty repository: one that holds plain commits
is refused (that history would stay readable).

Origin is never a report's shared agenda (oneone share) nor the
organisation's repository (oneone org join): their URLs are refused here,
and sync refuses an origin that holds one, before anything is pushed.`,
		Example: `  oneone remote git@github.com:dana/oneone-notes.git
  oneone remote https://github.com/dana/oneone-notes.git
  oneone remote git@github.com:dana/oneone-notes.git --encrypt
  oneone remote
  oneone remote --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if encrypt && len(args) == 0 {
				return fmt.Errorf("--encrypt needs the URL: oneone remote URL --encrypt (an empty repository)")
			}
			if encrypt {
				return encryptRemote(a, args[0])
			}
			st, err := a.Store()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				if r, err := a.Repo(); err == nil {
					if why := shareOrigin(r, st, args[0]); why != "" {
						return errors.New(why)
					}
				}
				wasEncrypted := st.Encrypted()
				if err := st.SetRemote(args[0]); err != nil {
					return err
				}
				shown := gitstore.Redact(args[0])
				if shown != args[0] {
					a.infof("oneone: the credentials in the URL were not saved (neither the user name nor the token): for sync set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME if your host needs your user name), or put them in ~/.git-credentials")
				}
				if wasEncrypted {
					if err := st.SetEncrypted(false); err != nil {
						return err
					}
				}
				if a.JSON {
					return a.printJSON(remoteInfo{gitstore.RemoteName, &shown, false})
				}
				a.infof("origin is now %s; run `oneone sync` to push your notes", shown)
				if wasEncrypted {
					a.infof("note: origin is no longer encrypted on this computer; `oneone remote %s --encrypt` encrypts it again", shown)
				}
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
			enc := ok && st.Encrypted()
			if a.JSON {
				return a.printJSON(remoteInfo{gitstore.RemoteName, shown, enc})
			}
			if !ok {
				a.infof("no remote yet: set one with `oneone remote URL`")
				return nil
			}
			if enc {
				a.infof("origin is end-to-end encrypted (age): only the recipients of %s can read it", notes.ConfigFile)
			}
			_, err = a.Stdout.Write([]byte(*shown + "\n"))
			return err
		},
	}
	cmd.Flags().BoolVar(&encrypt, "encrypt", false, "end-to-end encrypt origin with age for the recipients of oneone.yaml (this computer's key is added)")
	return cmd
}

// encryptRemote is `oneone remote URL --encrypt`: origin set and encrypted,
// this computer's key among the recipients (committed).
func encryptRemote(a *App, url string) error {
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	if err := gitstore.CheckRemoteURL(url); err != nil {
		return err
	}
	if why := shareOrigin(r, st, url); why != "" {
		return errors.New(why)
	}
	if err := st.CheckEmptyForEncryption(url, a.syncOpts(st, r.Config.Manager)); err != nil {
		return err
	}
	id, created, err := a.identity()
	if err != nil {
		return err
	}
	have, err := configRecipients(r)
	if err != nil {
		return err
	}
	if err := st.SetRemote(url); err != nil {
		return err
	}
	shown := gitstore.Redact(url)
	if shown != url {
		a.infof("oneone: the credentials in the URL were not saved (neither the user name nor the token): for sync set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME if your host needs your user name), or put them in ~/.git-credentials")
	}
	if err := st.SetEncrypted(true); err != nil {
		return err
	}
	if created {
		a.infof("created this computer's age key in %s (keep a copy: without it this computer cannot read encrypted remotes)", id.Path)
	}
	if !slices.Contains(have, id.Public()) {
		if err := writeRecipients(a, r, st, "add", id.Public()); err != nil {
			return err
		}
		have = append(have, id.Public())
		a.infof("added this computer's key %s to the recipients in %s (committed)", id.Public(), notes.ConfigFile)
	}
	if a.JSON {
		return a.printJSON(remoteInfo{gitstore.RemoteName, &shown, true})
	}
	a.infof("origin is now %s, end-to-end encrypted (age) for %s; run `oneone sync` to push your notes", shown, syncPlural(len(have), "recipient"))
	a.infof("another computer: run `oneone key` there, `oneone recipients add KEY` and `oneone sync` here, then `oneone clone %s` there", shown)
	return nil
}

// shareOrigin refuses url as origin when it is a report's shared agenda: a
// profile's share: URL, or one this computer published to before the share
// stopped. Sync would push every note there, Private sections included.
// It returns the reason ("" when url is no shared agenda).
func shareOrigin(r *notes.Repo, st *gitstore.Store, url string) string {
	shown := gitstore.Redact(url)
	if slugs, err := r.Slugs(); err == nil {
		for _, slug := range slugs {
			data, err := notes.ReadFileLimited(filepath.Join(r.Root, slug, notes.ProfileFile), 1<<20)
			if err != nil {
				continue
			}
			if u := share.RemoteOf(data); u != "" && gitstore.SameRemote(u, url) {
				return fmt.Sprintf("%s is %s's shared agenda (share: in %s/%s), not a repository for all your notes: give origin an empty private repository of its own", shown, slug, slug, notes.ProfileFile)
			}
		}
	}
	if org, ok, _ := notes.LoadOrgSettings(r.Root); ok && org.Remote != "" && gitstore.SameRemote(org.Remote, url) {
		return fmt.Sprintf("%s is the organisation's repository (org: in %s), which every manager there reads, not a repository for all your notes: give origin an empty private repository of its own", shown, notes.ConfigFile)
	}
	known := st.KnownShares()
	slugs := make([]string, 0, len(known))
	for slug := range known {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	for _, slug := range slugs {
		if gitstore.SameRemote(known[slug], url) {
			return fmt.Sprintf("%s was %s's shared agenda (it holds what was published for %s), not a repository for all your notes: give origin an empty private repository of its own", shown, slug, slug)
		}
	}
	return ""
}

// checkOriginNotShare refuses a sync whose origin is a report's shared
// agenda, before anything is pushed. An origin this computer has synced notes
// with is the notes repository: then the share: URL is the mistake, and
// serving that share refuses it (shareserve.go).
//
// When origin held notes, opts is told to refuse it should it be empty now
// (origin's URL changed by hand to a report's empty repository).
func checkOriginNotShare(r *notes.Repo, st *gitstore.Store, opts *gitstore.SyncOptions) error {
	url, ok, err := st.RemoteURL()
	if err != nil || !ok {
		return err
	}
	why := shareOrigin(r, st, url)
	if why == "" {
		return nil
	}
	msg := fmt.Sprintf("origin %s (`oneone remote URL`); nothing was pushed", why)
	if st.OriginHoldsNotes() {
		opts.NotEmpty = msg
		return nil
	}
	return errors.New(msg)
}
