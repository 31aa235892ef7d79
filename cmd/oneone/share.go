package main

import (
	"context"
	"errors"
	"fmt"
	neturl "net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/oneone/oneone/sealed"
	"github.com/oneone/oneone/share"
	"github.com/spf13/cobra"
)

func init() { register(newShareCmd) }

type shareOptions struct {
	Stop    bool
	Encrypt bool
	To      []string
}

func newShareCmd(a *App) *cobra.Command {
	var o shareOptions
	cmd := &cobra.Command{
		Use:   "share [SLUG [URL]] [--stop] [--encrypt --to AGE-KEY]",
		Short: "Show, set or stop a report's shared agenda; list who shares",
		Long: `Give a report a shared agenda: a git repository of their own (create it empty
and private on your git host, give the report write access) where oneone
publishes the shareable part of their 1:1s and the report adds topics.

  oneone share SLUG URL    share SLUG's agenda with URL (recorded in the
                           profile as share: URL, committed) and publish it now
  oneone share SLUG        show it
  oneone share SLUG --stop stop publishing and reading (the remote keeps what
                           it has); archiving the report stops it too
  oneone share             every report who shares

From then on every ` + "`oneone sync`" + ` fetches it, brings the report's topics (next.md,
the topics section of a note) and ticked action items into the notes, and
publishes README.md, share.yaml, next.md, themes.md and one file per note as
` + "`oneone agenda`" + ` prints it. Never a Private section, an HTML comment, the
profile's text, oneone.yaml or anything about another report. The Feedback of
a note dated after today is published from its day on (share_feedback: after;
always or never in oneone.yaml). Anything else the report changes is kept as
SLUG/DATE.conflict-share-HASH.md or SLUG/shared-NAME, reported by audit.

URLs and credentials are those of sync: ssh (host keys checked), https with
ONEONE_GIT_TOKEN or ~/.git-credentials, an absolute path to a bare repository.
No credential is ever stored: a URL given with one is recorded without it.

With --encrypt --to AGE-KEY (the key ` + "`oneone key`" + ` prints on the report's
computer; --to again for each), the shared repository holds only age
ciphertext, encrypted for the report's keys and the recipients of
oneone.yaml (this computer's key is added there): the host reads nothing.
The report then needs oneone: ` + "`oneone join URL`" + `, ` + "`oneone topic`" + `, ` + "`oneone sync`" + `.`,
		Example: `  oneone share alice git@github.com:dana/alice-1on1.git
  oneone share alice https://gitlab.com/dana/alice-1on1.git
  oneone share
  oneone share alice --stop
  oneone share alice git@github.com:dana/alice-1on1.git --encrypt --to age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq`,
		Args:              cobra.MaximumNArgs(2),
		ValidArgsFunction: a.completeCurrentSlug,
		RunE:              func(cmd *cobra.Command, args []string) error { return runShare(a, args, o) },
	}
	cmd.Flags().BoolVar(&o.Stop, "stop", false, "stop publishing SLUG's agenda and reading from it")
	cmd.Flags().BoolVar(&o.Encrypt, "encrypt", false, "end-to-end encrypt the shared agenda with age, for the report's key (--to) and your recipients")
	cmd.Flags().StringSliceVar(&o.To, "to", nil, "the report's `AGE-KEY` (age1..., printed by oneone key on their computer), with --encrypt; repeat for several")
	return cmd
}

// shareListJSON is one report of `oneone share --json`.
type shareListJSON struct {
	Slug          string  `json:"slug"`
	Name          string  `json:"name"`
	URL           string  `json:"url"`
	LastPublished *string `json:"last_published"` // the commit this computer published last
	Encrypted     bool    `json:"encrypted"`      // end-to-end encrypted for the report's keys (share_to)
}

func runShare(a *App, args []string, o shareOptions) error {
	if len(args) > 0 {
		if err := notes.ValidateSlug(args[0]); err != nil {
			return err
		}
	}
	for _, k := range o.To {
		if sealed.HasSecretKey(k) { // said first, whatever else is wrong: never echoed
			return fmt.Errorf("--to: %w", sealed.ErrSecretKey)
		}
	}
	switch {
	case len(o.To) > 0 && !o.Encrypt:
		return errors.New("--to names the report's key for an encrypted shared agenda: add --encrypt (oneone share SLUG URL --encrypt --to AGE-KEY)")
	case o.Encrypt && (len(args) != 2 || o.Stop):
		return errors.New("--encrypt goes with the URL: oneone share SLUG URL --encrypt --to AGE-KEY")
	case o.Encrypt && len(o.To) == 0:
		return errors.New("--encrypt needs the report's age public key: ask them to run `oneone key` on their computer, then oneone share SLUG URL --encrypt --to AGE-KEY")
	}
	var keys []string
	if o.Encrypt {
		var err error
		if keys, err = sealed.Recipients(o.To); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
	}
	switch {
	case len(args) == 0 && o.Stop:
		return errors.New("--stop needs the report: usage: oneone share SLUG --stop")
	case len(args) == 0:
		return listShares(a)
	case o.Stop && len(args) == 2:
		return errors.New("give either URL or --stop: usage: oneone share SLUG URL, or oneone share SLUG --stop")
	case o.Stop:
		return stopShare(a, args[0])
	case len(args) == 1:
		return showShare(a, args[0])
	}
	return setShare(a, args[0], args[1], keys)
}

func listShares(a *App) (err error) {
	r, err := a.Repo()
	if err != nil {
		return err
	}
	today, err := a.Today()
	if err != nil {
		return err
	}
	targets, err := sharesOf(r, today)
	if err != nil {
		return err
	}
	list := []shareListJSON{}
	var bad []string
	for _, t := range targets {
		_, b := checkedKeys(t.keys, t.slug+"/"+notes.ProfileFile+": "+share.KeysKey)
		bad = append(bad, b...)
		p, err := r.LoadProfile(t.slug)
		if err != nil {
			continue
		}
		e := shareListJSON{Slug: t.slug, Name: p.Name, URL: gitstore.Redact(t.url), Encrypted: len(t.keys) > 0}
		if st, err := gitstore.Open(r.Root); err == nil {
			if b, err := st.SharedRepo(t.slug); err == nil && b.State().Published != "" {
				h := b.State().Published
				e.LastPublished = &h
			}
		}
		list = append(list, e)
	}
	if a.JSON {
		if err := a.printJSON(list); err != nil {
			return err
		}
		return keyProblems(a, bad)
	}
	defer func() {
		if err == nil {
			err = keyProblems(a, bad)
		}
	}()
	if len(list) == 0 {
		a.infof("no report shares an agenda yet: `oneone share SLUG URL` gives one a repository of their own")
		return nil
	}
	t := render.Table{Header: []string{"SLUG", "NAME", "URL", "PUBLISHED"}, MaxWidth: a.termWidth(), Flex: 2}
	for _, e := range list {
		pub := "not yet (oneone sync)"
		if e.LastPublished != nil {
			pub = (*e.LastPublished)[:7]
		}
		t.Add(e.Slug, e.Name, e.URL, pub)
	}
	return t.Write(a.Stdout, render.Palette{Enabled: a.Color()})
}

func showShare(a *App, slug string) (err error) {
	r, err := a.Repo()
	if err != nil {
		return err
	}
	p, err := r.LoadProfile(slug)
	if err != nil {
		return err
	}
	data, _ := notes.ReadFileLimited(filepath.Join(r.Root, slug, notes.ProfileFile), 1<<20)
	url := share.RemoteOf(data)
	today, err := a.Today()
	if err != nil {
		return err
	}
	all := share.KeysOf(data)
	if url == "" {
		all = nil
	}
	keys, bad := checkedKeys(all, slug+"/"+notes.ProfileFile+": "+share.KeysKey) // never a secret key pasted there
	if a.JSON {
		out := map[string]any{"slug": slug, "name": p.Name, "url": nil, "sharing": false, "encrypted": len(all) > 0, "to": nonNil(keys)}
		if url != "" {
			out["url"], out["sharing"] = gitstore.Redact(url), !p.ArchivedBy(today)
		}
		if err := a.printJSON(out); err != nil {
			return err
		}
		return keyProblems(a, bad)
	}
	defer func() {
		if err == nil {
			err = keyProblems(a, bad)
		}
	}()
	if len(keys) > 0 {
		a.infof("end-to-end encrypted (age) for %s's %s and the recipients of %s", slug, plural(len(keys), "key"), notes.ConfigFile)
	}
	switch {
	case url == "":
		a.infof("%s does not share an agenda: `oneone share %s URL` gives them a repository of their own", slug, slug)
	case p.ArchivedBy(today):
		fmt.Fprintln(a.Stdout, gitstore.Redact(url))
		a.infof("%s is archived (left %s): their shared agenda is no longer served", slug, notes.FormatDate(p.Archived))
	default:
		fmt.Fprintln(a.Stdout, gitstore.Redact(url))
	}
	return nil
}

func stopShare(a *App, slug string) error {
	msg := fmt.Sprintf("%s: stop sharing the agenda", slug)
	var was string
	err := editProfile(a, slug, msg, func(p *notes.Profile, data []byte) ([]byte, string, error) {
		was = share.RemoteOf(data)
		if was == "" {
			return data, fmt.Sprintf("%s does not share an agenda: nothing to stop", slug), nil
		}
		out, err := notes.SetTopLevelKey(data, share.ProfileKey, share.Stopped)
		return out, fmt.Sprintf("stopped %s's shared agenda: sync no longer publishes to %s nor reads from it (it keeps what it has)", slug, gitstore.Redact(was)), err
	})
	if err != nil {
		return err
	}
	if a.JSON {
		return a.printJSON(map[string]any{"slug": slug, "sharing": false, "file": slug + "/" + notes.ProfileFile})
	}
	return nil
}

func setShare(a *App, slug, url string, keys []string) error {
	if err := gitstore.CheckRemoteURL(url); err != nil {
		return err
	}
	shown := gitstore.Redact(url)
	for _, sec := range a.secrets() { // the token itself given as the URL's user: never recorded
		if u, err := neturl.Parse(shown); err == nil && u.User != nil && strings.Contains(u.User.String(), sec) {
			u.User = nil
			shown = u.String()
		}
	}
	r, err := a.Repo()
	if err != nil {
		return err
	}
	today, err := a.Today()
	if err != nil {
		return err
	}
	p, err := r.LoadProfile(slug)
	if err != nil {
		return err
	}
	if p.ArchivedBy(today) {
		return fmt.Errorf("%s is archived (left %s): an archived report's agenda is not shared; delete the archived: line of %s/%s to bring them back", slug, notes.FormatDate(p.Archived), slug, notes.ProfileFile)
	}
	st, err := gitstore.Open(r.Root)
	if err != nil {
		return err
	}
	if origin, ok, _ := st.RemoteURL(); ok && gitstore.SameRemote(origin, url) {
		return fmt.Errorf("%s is origin, the repository of all your notes: give %s a repository of their own (create an empty private one on your git host)", shown, slug)
	}
	if org, ok, _ := notes.LoadOrgSettings(r.Root); ok && org.Remote != "" && gitstore.SameRemote(org.Remote, url) {
		return fmt.Errorf("%s is the organisation's repository (org: in %s), which every manager there reads: give %s a repository of their own (create an empty private one on your git host)", shown, notes.ConfigFile, slug)
	}
	others, err := sharesOf(r, today)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.slug != slug && gitstore.SameRemote(o.url, url) {
			return fmt.Errorf("%s is %s's shared agenda already: each report needs a repository of their own, or they would read each other's agendas", shown, o.slug)
		}
	}
	if len(keys) > 0 && st.HasSharedRepo(slug) && sameShare(r, slug, url, keys) {
		// the same command again trusts the encrypted remote as it is now (a
		// repository emptied or started over on purpose), as `oneone remote URL
		// --encrypt` does; a change of keys keeps what this computer saw
		if b, err := st.SharedRepo(slug); err == nil {
			if err := b.Retrust(); err != nil {
				return err
			}
		}
	}
	if err := a.checkNotForeign(st, slug, shown); err != nil {
		return err
	}
	if shown != url {
		a.infof("the credentials in the URL were not saved: put the token in ONEONE_GIT_TOKEN or ~/.git-credentials")
	}
	profileData, _ := notes.ReadFileLimited(filepath.Join(r.Root, slug, notes.ProfileFile), 1<<20)
	if was := share.RemoteOf(profileData); len(keys) == 0 && len(share.KeysOf(profileData)) > 0 && was != "" && gitstore.SameRemote(was, url) {
		// the URL named once: the command to run is this one again, with the keys the profile lists
		to := ""
		if theirs, err := sealed.Recipients(share.KeysOf(profileData)); err == nil {
			for _, k := range theirs {
				to += " --to " + k
			}
		}
		if to == "" {
			to = " --to AGE-KEY"
		}
		return fmt.Errorf("%s is %s's encrypted shared agenda: add --encrypt%s to keep it encrypted; to share in the clear, give a new empty repository (this one holds ciphertext)", shown, slug, to)
	}
	if len(keys) > 0 {
		if err := a.ensureOwnRecipient(r, st); err != nil {
			return err
		}
	}
	msg := fmt.Sprintf("%s: share the agenda with %s", slug, shown)
	if len(keys) > 0 {
		msg = fmt.Sprintf("%s: share the agenda with %s, encrypted", slug, shown)
	}
	err = editProfile(a, slug, msg, func(p *notes.Profile, data []byte) ([]byte, string, error) {
		out, info := data, fmt.Sprintf("%s shares the agenda with %s already", slug, shown)
		if share.RemoteOf(data) != shown {
			var err error
			if out, err = notes.SetTopLevelKey(data, share.ProfileKey, shown); err != nil {
				return nil, "", err
			}
			info = fmt.Sprintf("recorded in %s/%s: share: %s", slug, notes.ProfileFile, shown)
		}
		out, changed, err := setShareKeys(out, keys)
		if err != nil {
			return nil, "", err
		}
		if changed && len(keys) > 0 {
			info = fmt.Sprintf("recorded in %s/%s: share: %s, encrypted for %s", slug, notes.ProfileFile, shown, strings.Join(keys, ", "))
		}
		return out, info, nil
	})
	if err != nil {
		return err
	}
	// Publish at once, so that the report can clone it now.
	outs, err := a.serveShares(r, st, a.syncOpts(st, r.Config.Manager), slug)
	if err != nil {
		return err
	}
	for _, o := range outs {
		for _, l := range o.Lines {
			a.infof("%s", shownPath(l)) // names from the report's repository: no control character reaches the terminal
		}
	}
	if a.JSON {
		out := map[string]any{"slug": slug, "url": shown, "file": slug + "/" + notes.ProfileFile, "published": []string{}, "error": nil}
		if len(outs) == 1 {
			j := outs[0].json(a)
			out["published"], out["error"] = j.Published, j.Error
		}
		if err := a.printJSON(out); err != nil {
			return err
		}
	}
	if err := shareErrors(a, outs); err != nil {
		return fmt.Errorf("%w (the setting is saved: `oneone sync` publishes once it works)", err)
	}
	first := p.FirstName()
	theirs := shown // the report clones with credentials of their own
	if u, err := neturl.Parse(shown); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.User != nil {
		u.User = nil
		theirs = u.String()
	}
	a.infof("%s's shared agenda is published to %s; every `oneone sync` serves it from now on", slug, shown)
	if len(keys) > 0 {
		a.infof("it is end-to-end encrypted: the host sees only ciphertext; send %s the URL: `oneone join %s` on the computer whose key you gave (git alone sees only ciphertext)", first, theirs)
	} else {
		a.infof("send %s the URL and the README's five steps: `git clone %s`, write topics in next.md, commit, push (or `oneone join %s`)", first, theirs, theirs)
	}
	if strings.HasPrefix(shown, "/") || strings.HasPrefix(shown, "file://") {
		a.infof("note: %s is a path on this computer; %s needs access to it", shown, first)
	}
	return nil
}

// setShareKeys makes the profile's share_to list exactly keys (removed when keys is empty).
func setShareKeys(data []byte, keys []string) ([]byte, bool, error) {
	have := share.KeysOf(data)
	out := data
	var err error
	for _, k := range have {
		if !slices.Contains(keys, k) {
			if out, err = notes.RemoveListItem(out, share.KeysKey, k); err != nil {
				return nil, false, err
			}
		}
	}
	for _, k := range keys {
		if !slices.Contains(have, k) {
			if out, err = notes.AddListItem(out, share.KeysKey, k); err != nil {
				return nil, false, err
			}
		}
	}
	return out, string(out) != string(data), nil
}

// ensureOwnRecipient adds this computer's key to the recipients of
// oneone.yaml (committed) when it is not there: the manager's computers read
// every encrypted remote.
func (a *App) ensureOwnRecipient(r *notes.Repo, st *gitstore.Store) error {
	id, created, err := a.identity()
	if err != nil {
		return err
	}
	if created {
		a.infof("created this computer's age key in %s (keep a copy: without it this computer cannot read encrypted remotes)", id.Path)
	}
	have, err := configRecipients(r)
	if err != nil || slices.Contains(have, id.Public()) {
		return err
	}
	unlock, err := st.Lock(lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	if err := writeRecipients(a, r, st, "add", id.Public()); err != nil {
		return err
	}
	a.infof("added this computer's key %s to the recipients in %s (committed)", id.Public(), notes.ConfigFile)
	return nil
}

// checkNotForeign refuses, before anything is recorded, a repository that
// holds another report's shared agenda (one that stopped sharing or left, or
// one published from other notes). A remote that cannot be reached now is
// not refused here: the publish that follows says why.
func (a *App) checkNotForeign(st *gitstore.Store, slug, url string) error {
	b, err := st.SharedRepo(slug)
	if err != nil {
		return nil
	}
	opts := a.syncOpts(st, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	tip, err := b.Probe(ctx, url, "", opts)
	if err != nil || tip.Commit == "" {
		return nil
	}
	if !b.Known(tip) {
		if tip, err = b.Fetch(ctx, url, tip, opts); err != nil {
			return nil
		}
	}
	if base, err := b.LastPublished(tip.Commit); err != nil || base != "" {
		return nil // this report's own
	}
	if state := b.State(); state.Published != "" && b.Has(state.Published) && (state.URL == "" || gitstore.SameRemote(state.URL, url)) {
		return nil // this report's own, its history rewritten by the report
	}
	return refuseForeign(b, tip.Commit, slug, url)
}

// sameShare reports whether the profile already shares SLUG's agenda with url,
// encrypted for exactly keys.
func sameShare(r *notes.Repo, slug, url string, keys []string) bool {
	data, err := notes.ReadFileLimited(filepath.Join(r.Root, slug, notes.ProfileFile), 1<<20)
	if err != nil {
		return false
	}
	was := share.RemoteOf(data)
	have, err := sealed.Recipients(share.KeysOf(data))
	return err == nil && was != "" && gitstore.SameRemote(was, url) && slices.Equal(have, keys)
}
