package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/sealed"
	"github.com/oneone/oneone/share"
)

// Serving the shared agendas: at every sync, for each report who shares, fetch
// their repository, bring what they wrote into the notes (committed), publish
// the shareable projection on top of what they pushed and push it. The rules
// are package share's; the git work is gitstore's; this file only sequences them.

// shareTarget is a report who shares, read from their profile.
type shareTarget struct {
	slug, url string
	profile   []byte
	keys      []string // the report's age keys: an encrypted shared agenda (share_to)
}

// shareOutcome is what serving one shared agenda did.
type shareOutcome struct {
	Slug      string
	URL       string   // redacted
	Published []string // files of the shared repository written by this sync
	Received  []string // files of the notes repository written from the report's side
	Copies    []share.Copy
	Lines     []string // what happened, in words
	Err       error
}

// shareJSON is one entry of `sync --json`'s shares.
type shareJSON struct {
	Slug      string   `json:"slug"`
	Published []string `json:"published"`
	Received  []string `json:"received"`
	Error     *string  `json:"error"`
}

func (o shareOutcome) json(a *App) shareJSON {
	j := shareJSON{Slug: o.Slug, Published: o.Published, Received: o.Received}
	if j.Published == nil {
		j.Published = []string{}
	}
	if j.Received == nil {
		j.Received = []string{}
	}
	if o.Err != nil {
		msg := a.scrub(oneLine(o.Err.Error()))
		j.Error = &msg
	}
	return j
}

// shareKeyVersion changes whenever what Project writes changes, so that the
// next sync publishes again.
const shareKeyVersion = "2"

// sharesOf lists the reports who share: a share: URL in the profile, and not
// archived as of today (archiving stops the sharing). only limits the list.
func sharesOf(r *notes.Repo, today time.Time, only ...string) ([]shareTarget, error) {
	slugs, err := r.Slugs()
	if err != nil {
		return nil, err
	}
	var out []shareTarget
	for _, slug := range slugs {
		if len(only) > 0 && !contains(only, slug) {
			continue
		}
		data, err := notes.ReadFileLimited(filepath.Join(r.Root, slug, notes.ProfileFile), 1<<20)
		if err != nil {
			continue
		}
		url := share.RemoteOf(data)
		if url == "" {
			continue
		}
		p, err := notes.ParseProfile(slug, data, r.Config)
		if err != nil || p.ArchivedBy(today) {
			continue
		}
		out = append(out, shareTarget{slug: slug, url: url, profile: data, keys: share.KeysOf(data)})
	}
	return out, nil
}

// shareKey is what a shared agenda is made from, as one hash: the report's
// folder and oneone.yaml as committed, and the day.
func shareKey(st *gitstore.Store, slug string, today time.Time) string {
	h, err := st.HeadEntries(slug, notes.ConfigFile)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{shareKeyVersion, notes.FormatDate(today), h[0], h[1]}, "\n")))
	return hex.EncodeToString(sum[:])
}

// serveShares serves the shared agendas (all, or only the named reports). The
// notes must be committed: what comes back is committed on top. It returns one
// outcome per report who shares, and an error only when none could be tried.
func (a *App) serveShares(r *notes.Repo, st *gitstore.Store, opts gitstore.SyncOptions, only ...string) ([]shareOutcome, error) {
	return a.probeShares(r, st, opts, only...).serve(a, r, st, opts)
}

// probedShares are the reports who share and where their remotes were, asked
// all at once: with nothing to do, that round trip is the whole cost.
type probedShares struct {
	done    chan struct{}
	today   time.Time
	targets []shareTarget
	outs    []shareOutcome
	repos   []*gitstore.SharedRepo
	tips    []gitstore.SharedTip
	err     error
}

// probeShares lists the reports who share and asks their remotes where they
// are, in the background: sync starts it before the notes' own sync. It only
// reads the profiles and touches nothing but the shared copies under
// .git/oneone/share; what it found is checked again under the lock.
func (a *App) probeShares(r *notes.Repo, st *gitstore.Store, opts gitstore.SyncOptions, only ...string) *probedShares {
	ps := &probedShares{done: make(chan struct{})}
	go func() {
		defer close(ps.done)
		if ps.today, ps.err = a.Today(); ps.err != nil {
			return
		}
		if ps.targets, ps.err = sharesOf(r, ps.today, only...); ps.err != nil || len(ps.targets) == 0 {
			return
		}
		ps.outs = make([]shareOutcome, len(ps.targets))
		ps.repos = make([]*gitstore.SharedRepo, len(ps.targets))
		ps.tips = make([]gitstore.SharedTip, len(ps.targets))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		var wg sync.WaitGroup
		// A few at a time: `git daemon` listens with a backlog of 5, and more
		// connections at once wait a second for TCP to retry.
		sem := make(chan struct{}, 4)
		for i, t := range ps.targets {
			ps.outs[i] = shareOutcome{Slug: t.slug, URL: gitstore.Redact(t.url)}
			b, err := st.SharedRepo(t.slug)
			if err != nil {
				ps.outs[i].Err = err
				continue
			}
			if err := encryptShare(r, b, t); err != nil {
				ps.outs[i].Err = err
				continue
			}
			ps.repos[i] = b
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				ps.tips[i], ps.outs[i].Err = b.Probe(ctx, t.url, b.State().Branch, opts)
			}()
		}
		wg.Wait()
	}()
	return ps
}

// encryptShare sets up the shared copy's remote as the profile says: plain,
// or encrypted (share_to) for the report's keys and the manager's recipients.
func encryptShare(r *notes.Repo, b *gitstore.SharedRepo, t shareTarget) error {
	if len(t.keys) == 0 {
		return b.Encrypt(t.url, nil)
	}
	mine, err := configRecipients(r)
	if err != nil {
		return err
	}
	if len(mine) == 0 {
		return fmt.Errorf("%s's shared agenda is encrypted, but %s lists no recipients, so none of your computers could read it: `oneone recipients add KEY` (`oneone key` prints this computer's)", t.slug, notes.ConfigFile)
	}
	keys, err := sealed.Recipients(append(mine, t.keys...))
	if err != nil {
		return fmt.Errorf("%s/%s: %s: %w", t.slug, notes.ProfileFile, share.KeysKey, err)
	}
	b.SetRetrust(retrustShare(t))
	return b.Encrypt(t.url, keys)
}

// retrustShare is the command that trusts a report's encrypted shared agenda
// anew, as it is now: `oneone share SLUG URL --encrypt --to AGE-KEY`, with
// the report's keys from the profile.
func retrustShare(t shareTarget) string {
	cmd := fmt.Sprintf("oneone share %s %s --encrypt", t.slug, gitstore.Redact(t.url))
	theirs, err := sealed.Recipients(t.keys)
	if err != nil || len(theirs) == 0 {
		return cmd + " --to AGE-KEY"
	}
	for _, k := range theirs {
		cmd += " --to " + k
	}
	return cmd
}

// serve waits for the probes and serves each shared agenda in turn, under the notes' lock.
func (ps *probedShares) serve(a *App, r *notes.Repo, st *gitstore.Store, opts gitstore.SyncOptions) ([]shareOutcome, error) {
	<-ps.done
	if ps.err != nil || len(ps.targets) == 0 {
		return nil, ps.err
	}
	cfgData, _ := notes.ReadFileLimited(filepath.Join(r.Root, notes.ConfigFile), 1<<20)
	settings, err := share.ParseSettings(cfgData)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", notes.ConfigFile, err)
	}
	unlock, err := st.Lock(lockTimeout)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	origin, hasOrigin, _ := st.RemoteURL()
	org, hasOrg, _ := notes.LoadOrgSettings(r.Root)
	for i, t := range ps.targets {
		if hasOrigin && gitstore.SameRemote(origin, t.url) {
			// never publish over the notes themselves (the probe only read it)
			ps.outs[i].Err = fmt.Errorf("%s is also origin, the notes repository: give %s a repository of their own with `oneone share %s URL`", gitstore.Redact(t.url), t.slug, t.slug)
			continue
		}
		if hasOrg && org.Remote != "" && gitstore.SameRemote(org.Remote, t.url) {
			// every manager reads it, and the report would read every summary
			ps.outs[i].Err = fmt.Errorf("%s is also the organisation's repository (org: in %s): give %s a repository of their own with `oneone share %s URL`", gitstore.Redact(t.url), notes.ConfigFile, t.slug, t.slug)
			continue
		}
		if ps.outs[i].Err != nil {
			continue
		}
		ps.outs[i].Err = a.serveShare(ctx, r, st, opts, settings, ps.today, t, ps.repos[i], ps.tips[i], &ps.outs[i])
	}
	return ps.outs, nil
}

// serveShare brings one report's writing in and publishes their agenda, again
// from the fetch when the report pushed meanwhile.
func (a *App) serveShare(ctx context.Context, r *notes.Repo, st *gitstore.Store, opts gitstore.SyncOptions, settings share.Settings,
	today time.Time, t shareTarget, b *gitstore.SharedRepo, tip gitstore.SharedTip, out *shareOutcome) error {
	state := b.State()
	if state.URL != "" && !gitstore.SameRemote(state.URL, t.url) {
		// shared again to another repository: what this computer knew was of the old one
		state = gitstore.SharedState{URL: out.URL}
		if err := b.SetState(state); err != nil {
			return err
		}
	}
	state.URL = out.URL
	if key := shareKey(st, t.slug, today); tip.Commit != "" && tip.Commit == state.Published && key == state.Key && b.Known(tip) && !b.NeedsRekey(tip) {
		return nil // nothing on either side
	}
	// the manager's name and their global git address, never the notes
	// repository's own user.email (kept for the notes alone)
	author := b.Author(r.Config.Manager)
	for attempt := 0; ; attempt++ {
		var err error
		if !b.Known(tip) {
			if tip, err = b.Fetch(ctx, t.url, tip, opts); err != nil {
				return err
			}
		}
		base, err := b.LastPublished(tip.Commit)
		if err != nil {
			return err
		}
		if base == "" && tip.Commit != "" && state.Published != "" && b.Has(state.Published) {
			base = state.Published // the report rewrote the history: measure against what this computer published
		}
		if base == "" && tip.Commit != "" {
			if err := refuseForeign(b, tip.Commit, t.slug, out.URL); err != nil {
				return err
			}
		}
		var published share.Files
		if base != "" {
			if published, _, err = b.Files(base); err != nil {
				return err
			}
		}
		remote, big, err := b.Files(tip.Commit)
		if err != nil {
			return err
		}
		p, err := r.LoadPerson(t.slug)
		if err != nil {
			return err
		}
		short := "0000000"
		if len(tip.Commit) >= 7 {
			short = tip.Commit[:7]
		}
		var placed map[string]bool
		if state.PlacedBase == base {
			placed = map[string]bool{}
			for _, k := range state.Placed {
				placed[k] = true
			}
		}
		rc, err := share.Receive(share.Incoming{Person: p, Today: today, Published: published, Remote: remote, Short: short,
			Read: func(rel string) ([]byte, bool) { return readNotesFile(r.Root, rel) }, Placed: placed})
		if errors.Is(err, share.ErrNotShared) {
			return fmt.Errorf("%s: %w (a notes repository?): give %s an empty repository of their own and run `oneone share %s URL`", out.URL, err, t.slug, t.slug)
		}
		if err != nil {
			return err
		}
		for _, f := range big {
			out.Lines = append(out.Lines, fmt.Sprintf("%s: %s in the shared agenda is %s: left there, not copied", t.slug, f.Path, f.Why))
		}
		if err := writeReceived(a, r, st, t.slug, rc, out); err != nil {
			return err
		}
		if len(rc.Placed) > 0 {
			// remembered before publishing: should the publish fail, the next
			// sync does not place them again (the manager may edit them meanwhile)
			state = withPlaced(state, base, rc.Placed)
			if err := b.SetState(state); err != nil {
				return err
			}
		}
		if len(rc.Writes) > 0 {
			if p, err = r.LoadPerson(t.slug); err != nil {
				return err
			}
		}
		profile, _ := notes.ReadFileLimited(filepath.Join(r.Root, t.slug, notes.ProfileFile), 1<<20)
		files := share.Project(share.Source{Config: r.Config, Settings: settings, Person: p, Profile: profile, Today: today, Pending: rc.Pending})
		msg := fmt.Sprintf("oneone: publish %s's shared agenda", t.slug)
		pub, err := b.Publish(ctx, t.url, tip, files, msg, author, base != tip.Commit, opts)
		if errors.Is(err, gitstore.ErrSharedMoved) && attempt < 2 {
			// the report pushed meanwhile: what they pushed comes in first
			if tip, err = b.Probe(ctx, t.url, tip.Branch, opts); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if pub.Pushed {
			out.Published = pub.Changed
		}
		for _, d := range rc.Deleted {
			out.Lines = append(out.Lines, fmt.Sprintf("%s: %s was deleted in the shared agenda: not applied, published again", t.slug, d))
		}
		return b.SetState(gitstore.SharedState{Published: pub.Commit, Key: shareKey(st, t.slug, today), Branch: tip.Branch, URL: out.URL})
	}
}

// refuseForeign refuses a shared repository whose history holds another
// shared agenda (another report's, or one published from other notes): all
// of its history would be this report's to read.
func refuseForeign(b *gitstore.SharedRepo, commit, slug, url string) error {
	foreign, err := b.PublishedElsewhere(commit)
	if err != nil || !foreign {
		return err
	}
	whose := "someone else"
	if files, _, err := b.Files(commit); err == nil {
		if st, err := share.ParseState(files[share.StateFile]); err == nil && strings.TrimSpace(st.Report) != "" {
			whose = shownPath(oneLine(st.Report))
		}
	}
	return fmt.Errorf("%s holds the shared agenda of %s (published for another report, or from other notes): its whole history would be %s's to read; give %s an empty repository of their own with `oneone share %s URL`", url, whose, slug, slug, slug)
}

// withPlaced records topics put into a note since the publish base.
func withPlaced(st gitstore.SharedState, base string, keys []string) gitstore.SharedState {
	if st.PlacedBase != base {
		st.Placed = nil
	}
	st.PlacedBase = base
	for _, k := range keys {
		if !contains(st.Placed, k) {
			st.Placed = append(st.Placed, k)
		}
	}
	return st
}

// readNotesFile reads a file of the notes repository for the merge-back (no links followed).
func readNotesFile(root, rel string) ([]byte, bool) {
	full := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := os.Lstat(full); err != nil {
		return nil, false
	}
	data, err := notes.ReadFileLimited(full, notes.MaxNoteSize)
	if err != nil {
		return nil, true // there, but not a file oneone reads: never replaced
	}
	return data, true
}

// writeReceived writes what came back from the report and commits it.
func writeReceived(a *App, r *notes.Repo, st *gitstore.Store, slug string, rc *share.Received, out *shareOutcome) error {
	paths := rc.Paths()
	var written []string
	for _, rel := range paths {
		full := filepath.Join(r.Root, filepath.FromSlash(rel))
		var err error
		if rc.Created[rel] {
			err = notes.CreateFileAtomic(full, rc.Writes[rel])
			if errors.Is(err, notes.ErrNoteExists) {
				continue // appeared meanwhile: the next sync keeps the copy under another name
			}
		} else {
			err = notes.ReplaceFileAtomic(full, rc.Writes[rel])
		}
		if err != nil {
			return err
		}
		written = append(written, rel)
	}
	out.Lines = append(out.Lines, rc.Lines...)
	out.Copies = rc.Copies
	if len(written) == 0 {
		return nil
	}
	said := make([]string, len(rc.Lines))
	for i, l := range rc.Lines {
		said[i] = shownPath(l) // names from the report's repository: one line each, no escape sequence in git log
	}
	msg := fmt.Sprintf("%s: from the shared agenda\n\n%s", slug, strings.Join(said, "\n"))
	if _, err := st.Commit(msg, a.author(st, r.Config.Manager), written...); err != nil && !errors.Is(err, gitstore.ErrNothingChanged) {
		return fmt.Errorf("%s written but not committed: %w (run `oneone sync` to commit it)", strings.Join(written, ", "), err)
	}
	sort.Strings(written)
	out.Received = written
	return nil
}

// syncShares serves the shared agendas after the notes were synced with origin
// (or committed, without origin), and pushes to origin what came back from
// the reports. ps is probeShares started before the notes' sync (nil: probe
// now); res and err are the notes' sync. It returns the outcomes and the
// sync's error (the shares' own errors are in the outcomes).
func (a *App) syncShares(r *notes.Repo, st *gitstore.Store, opts gitstore.SyncOptions, ps *probedShares, res *gitstore.SyncResult, err error) ([]shareOutcome, error) {
	if res == nil { // the notes could not even be committed
		return nil, err
	}
	if ps == nil || res.Pulled {
		// origin may have changed who shares (a profile, oneone.yaml): ask again
		if ps != nil {
			<-ps.done
		}
		ps = a.probeShares(r, st, opts)
	}
	outs, serr := ps.serve(a, r, st, opts)
	if serr != nil {
		if err == nil {
			err = serr
		}
		return outs, err
	}
	var received []string
	for _, o := range outs {
		received = append(received, o.Received...)
	}
	if len(received) == 0 {
		return outs, err
	}
	for _, p := range received { // the manager's edit of the same note may be committed already
		if !contains(res.Committed, p) {
			res.Committed = append(res.Committed, p)
		}
	}
	if err != nil {
		return outs, err // origin was not reached: what came back is committed, pushed next time
	}
	again, err := st.Sync(opts)
	if again != nil {
		res.Pushed = res.Pushed || again.Pushed
		res.Pulled = res.Pulled || again.Pulled
		res.Merged = res.Merged || again.Merged
		res.Conflicts = append(res.Conflicts, again.Conflicts...)
		res.Revived = append(res.Revived, again.Revived...)
		res.PulledCommits += again.PulledCommits
		res.RemoteHeadMissing = res.RemoteHeadMissing || again.RemoteHeadMissing
		res.UpToDate = false
	}
	return outs, err
}

// shareLines describes the shares of a sync for the manager, one line each
// (what came back and every copy are said on stderr, from o.Lines).
func shareLines(outs []shareOutcome) []string {
	var lines []string
	for _, o := range outs {
		if o.Err != nil {
			continue
		}
		switch {
		case len(o.Published) > 0:
			names := make([]string, len(o.Published))
			for i, p := range o.Published {
				names[i] = shownPath(p) // the report's names: no control character reaches the terminal
			}
			lines = append(lines, fmt.Sprintf("published %s's shared agenda (%s): %s", o.Slug, o.URL, strings.Join(names, ", ")))
		default:
			lines = append(lines, fmt.Sprintf("%s's shared agenda is up to date (%s)", o.Slug, o.URL))
		}
	}
	return lines
}

// shareErrors reports the shares that failed, one line each on stderr, and
// returns the error that makes sync exit 2 (nil when all were served).
func shareErrors(a *App, outs []shareOutcome) error {
	var failed []shareOutcome
	for _, o := range outs {
		if o.Err != nil {
			failed = append(failed, o)
		}
	}
	switch len(failed) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("shared agenda of %s: %w", failed[0].Slug, failed[0].Err)
	}
	var slugs []string
	for _, o := range failed {
		a.infof("oneone: shared agenda of %s: %s", o.Slug, a.scrub(oneLine(o.Err.Error())))
		slugs = append(slugs, o.Slug)
	}
	return fmt.Errorf("%d shared agendas were not served (%s): see above", len(failed), strings.Join(slugs, ", "))
}

// waitingTopics returns the topics of a report's next.md that wait for a 1:1,
// as this computer last published them (none when the report does not share).
// The base is that publish's commit.
func waitingTopics(r *notes.Repo, st *gitstore.Store, slug string) (topics []share.Topic, base string) {
	data, err := notes.ReadFileLimited(filepath.Join(r.Root, slug, notes.ProfileFile), 1<<20)
	if err != nil || share.RemoteOf(data) == "" || !st.HasSharedRepo(slug) {
		return nil, ""
	}
	b, err := st.SharedRepo(slug)
	if err != nil {
		return nil, ""
	}
	state := b.State()
	files, _, err := b.Files(state.Published)
	if err != nil {
		return nil, ""
	}
	for _, t := range share.ParseNext(files[share.NextFile]) {
		if state.PlacedBase != state.Published || !contains(state.Placed, t.Key()) {
			topics = append(topics, t)
		}
	}
	return topics, state.Published
}

// withWaitingTopics puts the topics waiting in a report's next.md into a note
// new scaffolds, when it is the next 1:1's (dated today or later, before any
// other planned note); it returns how many it added.
//
// Once the note is committed, record() remembers them as placed, so that the
// next sync does not place them again when the manager rewrites them first.
func (a *App) withWaitingTopics(r *notes.Repo, st *gitstore.Store, p *notes.Person, day time.Time, sc *notes.Scaffold) (n int, record func()) {
	record = func() {}
	today, err := a.Today()
	if err != nil || day.Before(today) {
		return 0, record
	}
	if n := share.PlannedNote(p, today); n != nil && n.Date.Before(day) {
		return 0, record // the earlier planned note has them
	}
	topics, base := waitingTopics(r, st, p.Slug)
	if len(topics) == 0 {
		return 0, record
	}
	out, added, _, err := share.AddTopics(p.Slug, notes.FormatDate(day)+".md", p.Profile.FirstName(), sc.Content, topics)
	if err != nil || len(added) == 0 {
		return 0, record // they still wait: the next sync places them
	}
	sc.Content = out
	record = func() {
		b, err := st.SharedRepo(p.Slug)
		if err != nil {
			return
		}
		var keys []string
		for _, t := range added {
			keys = append(keys, t.Key())
		}
		_ = b.SetState(withPlaced(b.State(), base, keys))
	}
	return len(added), record
}
