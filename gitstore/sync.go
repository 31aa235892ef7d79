package gitstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/oneone/oneone/notes"
)

// SyncOptions configures Sync.
type SyncOptions struct {
	Author Author              // author of the commits sync makes
	Getenv func(string) string // environment lookup (os.Getenv when nil)
	Home   string              // home folder for ~/.ssh and ~/.git-credentials ($HOME when empty)
	// Branch is origin's branch to sync with, remembered as the upstream of the local
	// branch (git config branch.<name>.merge). Empty: the remembered one, else the one
	// of the same name, else origin's default branch, else its only branch.
	Branch string
	// IdleTimeout is how long a transfer may go without a byte before sync gives up
	// as offline (0: IdleTimeout's default, 30 s).
	IdleTimeout time.Duration

	// Progress, when set, is told how many bytes a fetch has received so far
	// (for a progress line on a terminal).
	Progress func(received int64)

	// SharedAgenda says that origin is a report's shared agenda (the report's
	// clone of it, `oneone join`). Otherwise origin holds notes, and a branch
	// that holds a shared agenda is refused before anything is pushed or applied.
	SharedAgenda bool
	// NotEmpty, when set, refuses an origin whose branch is empty (or gone),
	// with this reason, before anything is pushed: origin's URL is also a
	// report's shared agenda, where the notes must never land.
	NotEmpty string

	url string // origin's URL for this sync only (Clone: with the credentials it was given)
}

// Conflict is a file sync could not merge: one version stays at Path, the other
// is kept beside it at Copy; Kind says why and which is where.
type Conflict struct {
	Path, Copy string
	Kind       string
}

// Kinds of conflict.
const (
	// ConflictBoth: changed on both sides; the local file stays, origin's version is the copy.
	ConflictBoth = "both"
	// ConflictDuringSync: saved while sync ran; the local file stays, origin's version is the copy.
	ConflictDuringSync = "during-sync"
	// ConflictIgnored: a local file ignored by git met a file of origin's of the same
	// name; origin's takes the name, the local one is the copy (still ignored).
	ConflictIgnored = "ignored"
	// ConflictFileFolder: a file on one side, a folder on the other; the folder keeps
	// the name, the file is the copy.
	ConflictFileFolder = "file-folder"
)

// Revived is a file deleted on one side and edited on the other: the edit is kept.
type Revived struct {
	Path string
	// DeletedHere: this computer deleted it and it came back with the other
	// side's edit; otherwise the other side deleted it and the local edit stays.
	DeletedHere bool
}

// testHookCheckout lets a test play an editor at a known point of the checkout:
// stage "check" right before a file is compared with what the scan saw,
// "rename" between that check and the write.
var testHookCheckout func(stage, rel string)

// SyncResult says what Sync did.
type SyncResult struct {
	Committed []string // pending edits committed before syncing (Deleted lists the deletions among them)
	Deleted   []string // files of Committed that were deleted
	NoRemote  bool     // origin is not set: committed locally, nothing backed up
	// RemoteHeadMissing: origin's HEAD names a branch it does not have (a bare
	// repository made with plain `git init --bare`, HEAD on master), so a plain
	// `git clone` of it checks out nothing.
	RemoteHeadMissing bool
	Pulled            bool // remote changes were brought in
	// PulledCommits counts the commits integrated: origin's commits this side did not have.
	PulledCommits int
	Pushed        bool              // local commits were sent
	Merged        bool              // a merge commit was made
	Adopted       bool              // this repository held only init's commit and took origin's history
	UpToDate      bool              // nothing to do
	Conflicts     []Conflict        // files kept twice (the copies it left)
	Revived       []Revived         // files deleted on one side and edited on the other: the edit is kept
	Skipped       []string          // work tree files not committed: oneone never commits such a name (rename them)
	Unwritten     []string          // files from origin kept in git but not written to disk: their names are unsafe
	Remote        string            // origin URL, redacted
	Head          string            // the commit both sides share after the sync
	Branch        string            // the local branch
	Upstream      string            // origin's branch it syncs with
	NewUpstream   bool              // Upstream was chosen (and remembered) by this sync
	Refused       []CredentialError // files not committed: a line looks like a credential
	MadePrivate   []string          // files (0600, or 0700 when executable) and folders (0700) made private before they were committed
}

// ErrNoRemote says that origin is not set. Sync itself no longer fails for it:
// it commits and reports SyncResult.NoRemote.
var ErrNoRemote = errors.New("no remote")

// Sync commits pending edits, fetches origin, integrates (fast-forward or a file by file merge) and pushes.
func (s *Store) Sync(opts SyncOptions) (res *SyncResult, err error) {
	defer func() {
		var df *diskFullError
		if IsDiskFull(err) && !errors.As(err, &df) {
			err = &diskFullError{"sync", s.dir, err}
		}
	}()
	unlock, err := s.Lock(DefaultLockTimeout)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.CanCommit(); err != nil {
		return nil, err
	}
	if opts.Author.Name == "" {
		opts.Author = s.DefaultAuthor("")
	}
	s.reportClone = opts.SharedAgenda
	res = &SyncResult{}
	// Each transfer gives up after IdleTimeout without a byte; this caps a
	// server that keeps trickling.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	// Ask the remote where its branch is while the work tree is scanned for
	// hand edits: when nothing changed on either side, sync is done without a fetch.
	rawURL, ok, err := s.RemoteURL()
	if err != nil {
		return res, err
	}
	if opts.url != "" { // Clone: the URL as given, credentials used for this transfer only
		rawURL = opts.url
	}
	branch := s.branch()
	upstream, known := s.upstream(branch)
	if opts.Branch != "" {
		upstream, known = plumbing.NewBranchReferenceName(opts.Branch), true
		if err := upstream.Validate(); err != nil || strings.HasPrefix(opts.Branch, "-") || strings.HasPrefix(opts.Branch, "refs/") {
			return res, fmt.Errorf("--branch %q: not a branch name: give the name of origin's branch, such as main or master", opts.Branch)
		}
	}
	var tr Transport
	var authErr error
	var probe chan remoteProbe
	if ok {
		res.Remote = Redact(rawURL)
		if tr, authErr = s.openTransport(rawURL, &opts); authErr == nil {
			probe = make(chan remoteProbe, 1)
			go func() {
				// a remote that accepts the connection and never answers must not
				// hold the lock (and the user) for long
				pctx, pcancel := context.WithTimeout(ctx, ProbeTimeout)
				defer pcancel()
				var refs *RemoteRefs
				var err error
				if pp, ok := tr.(pushProber); ok && known {
					// the push that usually follows goes on in the same session
					// (the remembered upstream needs no HEAD to choose it)
					refs, err = pp.PushRefs(pctx)
				} else {
					refs, err = tr.Refs(pctx)
				}
				if err != nil && pctx.Err() != nil && ctx.Err() == nil {
					err = &lineError{fmt.Sprintf("cannot reach origin %s: no answer within %s; run `oneone sync` again when it answers (your notes are committed locally)",
						tr.URL(), ProbeTimeout), []error{errOffline}}
				}
				probe <- remoteProbe{refs, err}
			}()
		}
	}

	probed := false // the probe's answer was read: its kept session, if any, is known
	if pp, ok := tr.(pushProber); ok && probe != nil {
		defer func() {
			if probed {
				pp.Release()
				return
			}
			go func() { <-probe; pp.Release() }()
		}()
	}

	ca, err := s.commitAllLocked(opts.Author)
	res.Skipped, res.Refused, res.MadePrivate = ca.skipped, ca.refused, ca.private
	if err != nil && !errors.Is(err, ErrNothingChanged) {
		return res, err
	}
	paths := ca.paths
	res.Committed = paths
	for _, p := range paths {
		if ca.kinds[p] == "delete" {
			res.Deleted = append(res.Deleted, p)
		}
	}
	if !ok {
		res.NoRemote = true // committed locally; nothing is backed up
		return res, nil
	}
	if authErr != nil {
		return res, authErr
	}
	// The probe ran while the work tree was scanned: waiting for it costs
	// nothing, and a remote that does not answer stops sync here.
	p := <-probe
	probed = true
	if errors.Is(p.err, errOffline) {
		return res, p.err
	}
	if !known {
		// No upstream yet: origin's branch of the same name, else its default branch.
		// When origin cannot be read, the fetch below says why.
		upstream = branch
		if p.err == nil {
			if upstream, err = chooseUpstream(branch, p.refs, res.Remote); err != nil {
				return res, err
			}
		}
	}
	res.Branch, res.Upstream = branch.Short(), upstream.Short()
	if len(paths) == 0 {
		_, local, err := s.head()
		tracking := plumbing.NewRemoteReferenceName(RemoteName, upstream.Short())
		if err == nil && p.err == nil && !local.IsZero() && p.refs.Branches[upstream] == local && s.refHash(tracking) == local {
			res.Head, res.UpToDate = local.String(), true
			return res, s.setUpstream(branch, upstream, res)
		}
	}

	// One retry when the remote moved between our fetch and our push.
	for attempt := 0; ; attempt++ {
		err = s.integrateAndPush(ctx, tr, opts.Author, res, upstream, &opts)
		if !errors.Is(err, ErrRemoteMoved) || attempt == 1 {
			break
		}
	}
	if err != nil {
		return res, err
	}
	if res.Pushed && p.err == nil && p.refs.Head == "" && !p.refs.HeadUnknown {
		// Pushed to a remote whose HEAD names no branch of it (`git init --bare`
		// makes HEAD master): a plain `git clone` of it would check out nothing.
		if after, err := tr.Refs(ctx); err == nil && after.Head == "" && len(after.Branches) > 0 {
			// a bare repository on this computer gets its HEAD pointed at the branch
			res.RemoteHeadMissing = !PointLocalHead(rawURL, upstream.Short())
		}
	}
	res.UpToDate = len(res.Committed) == 0 && !res.Pulled && !res.Pushed
	if s.refHash(plumbing.NewRemoteReferenceName(RemoteName, upstream.Short())).IsZero() {
		return res, nil // origin is empty and there was nothing to push: nothing to remember yet
	}
	return res, s.setUpstream(branch, upstream, res)
}

// remoteProbe is what origin advertised, or why it could not be read.
type remoteProbe struct {
	refs *RemoteRefs
	err  error
}

// chooseUpstream picks origin's branch for a local branch that has no upstream yet: the one
// of the same name, else origin's default branch, else its only branch; the local name for
// an empty origin. Anything else is ambiguous: the error says which branches exist.
func chooseUpstream(local plumbing.ReferenceName, adv *RemoteRefs, shownURL string) (plumbing.ReferenceName, error) {
	_, same := adv.Branches[local]
	switch {
	case len(adv.Branches) == 0:
		return local, nil
	case adv.Head != "" && (adv.Head == local || !same):
		return adv.Head, nil
	case adv.Head != "": // both our name and another default branch
		return "", fmt.Errorf("origin %s has both a %s branch and its default branch %s: run `oneone sync --branch %s` to sync with the default branch, or `oneone sync --branch %s`; oneone remembers the choice",
			shownURL, local.Short(), adv.Head.Short(), adv.Head.Short(), local.Short())
	case same:
		return local, nil
	case len(adv.Branches) == 1:
		for n := range adv.Branches {
			return n, nil
		}
	}
	var names []string
	for n := range adv.Branches {
		names = append(names, n.Short())
	}
	sort.Strings(names)
	if len(names) > 10 {
		names = append(names[:10], fmt.Sprintf("and %d more", len(names)-10))
	}
	return "", fmt.Errorf("origin %s has the branches %s and no default branch: run `oneone sync --branch NAME` with the one that holds your notes; oneone remembers the choice",
		shownURL, strings.Join(names, ", "))
}

// upstream returns origin's branch the local branch syncs with, when one is remembered.
func (s *Store) upstream(branch plumbing.ReferenceName) (plumbing.ReferenceName, bool) {
	cfg, err := s.repo.Config()
	if err != nil {
		return branch, false
	}
	b, ok := cfg.Branches[branch.Short()]
	if !ok || b.Remote != RemoteName || !b.Merge.IsBranch() {
		return branch, false
	}
	return b.Merge, true
}

// testHookBeforePush lets a test change the remote between fetch and push.
var testHookBeforePush func()

// ProbeTimeout is how long sync waits for origin to list its branches before
// it gives up as offline (a variable for tests).
var ProbeTimeout = 30 * time.Second

// integrateAndPush fetches origin, fast-forwards or merges, and pushes, recording what happened in res.
// It talks to the remote only through tr.
// Unless opts.SharedAgenda, a remote branch that holds a shared agenda is
// refused; with opts.NotEmpty, so is an empty one.
func (s *Store) integrateAndPush(ctx context.Context, tr Transport, author Author, res *SyncResult, upstream plumbing.ReferenceName, opts *SyncOptions) error {
	branch, local, err := s.head()
	if err != nil {
		return err
	}
	tracking := plumbing.NewRemoteReferenceName(RemoteName, upstream.Short())

	// Fast path: when only this side moved since the last sync, push straight
	// away; the push itself checks that the remote is still where we left it,
	// which saves a fetch round trip. When it moved, fetch and merge below.
	if known := s.refHash(tracking); !known.IsZero() && !local.IsZero() && known != local {
		if g, err := s.paint(local, known); err == nil && g.flags[known]&fromLocal != 0 {
			err := s.pushNow(ctx, tr, upstream, tracking, local, known)
			if err == nil {
				res.Pushed, res.Head = true, local.String()
				return nil
			}
			if !errors.Is(err, ErrRemoteMoved) {
				return err
			}
		}
	}

	if pp, ok := tr.(pushProber); ok {
		pp.Release() // not pushing through the probe's session: it would idle through the fetch
	}
	remote, err := s.fetch(ctx, tr, upstream, tracking)
	if err != nil {
		return err
	}
	if !opts.SharedAgenda && !remote.IsZero() {
		if what := s.foreignRoot(remote); what != "" {
			// a report's or the organisation's: the notes (Private sections, every report) never go there
			return originSharedError(tr.URL(), what)
		}
	}
	if opts.NotEmpty != "" && remote.IsZero() {
		return &lineError{opts.NotEmpty, []error{ErrOriginShared}}
	}

	// Integrate.
	if !remote.IsZero() && remote != local {
		pulled, err := s.remoteOnly(local, remote)
		if err != nil {
			return err
		}
		res.PulledCommits += len(pulled)
		if !local.IsZero() {
			// a merge made elsewhere may have kept a file this side deleted, or
			// dropped one this side edited: said on this side too
			rv, err := s.revivedIn(pulled)
			if err != nil {
				return err
			}
			res.Revived = append(res.Revived, rv...)
		}
	}
	switch {
	case remote.IsZero() || remote == local:
	case local.IsZero():
		if err := s.checkoutCommit(branch, plumbing.ZeroHash, remote, res); err != nil {
			return err
		}
		local, res.Pulled = remote, true
	default:
		g, err := s.paint(local, remote)
		if err != nil {
			return err
		}
		switch {
		case g.flags[local]&fromRemote != 0: // local is behind: fast-forward
			if err := s.checkoutCommit(branch, local, remote, res); err != nil {
				return err
			}
			local, res.Pulled = remote, true
		case g.flags[remote]&fromLocal != 0: // remote is behind: just push
		case len(g.bases) == 0 && s.onlyInitCommit(local):
			// A repository set up with `oneone init` meets a remote with history:
			// it takes the remote's history (settings included) rather than merging
			// two unrelated ones, where init's default oneone.yaml would win.
			if err := s.checkoutCommit(branch, local, remote, res); err != nil {
				return err
			}
			local, res.Pulled, res.Adopted = remote, true, true
		default:
			var base plumbing.Hash
			if len(g.bases) > 0 {
				base = g.bases[0]
			}
			m, conflicts, err := s.merge(branch, upstream, local, remote, base, author, res)
			if err != nil {
				return err
			}
			local, res.Pulled, res.Merged = m, true, true
			res.Conflicts = append(res.Conflicts, conflicts...)
		}
	}

	// Push.
	if local != remote && !local.IsZero() {
		if err := s.pushNow(ctx, tr, upstream, tracking, local, remote); err != nil {
			return err
		}
		res.Pushed = true
	}
	res.Head = local.String()
	return nil
}

// pushNow pushes local to origin's branch over remote (a compare-and-swap:
// only if origin is still there) with the objects origin lacks, then moves the
// tracking ref; with the crash points and the test hook around it.
func (s *Store) pushNow(ctx context.Context, tr Transport, branch, tracking plumbing.ReferenceName, local, remote plumbing.Hash) error {
	notes.CrashPoint("sync-before-push")
	if testHookBeforePush != nil {
		testHookBeforePush()
	}
	if err := s.pushTo(ctx, tr, branch, tracking, local, remote); err != nil {
		return err
	}
	notes.CrashPoint("sync-pushed")
	return nil
}

// pushTo pushes local to the remote's branch over remote (only if the remote
// is still there) with the objects it lacks, then moves the tracking ref.
func (s *Store) pushTo(ctx context.Context, tr Transport, branch, tracking plumbing.ReferenceName, local, remote plumbing.Hash) error {
	objects, err := s.objectsToPush(local, remote)
	if err != nil {
		return err
	}
	if err := tr.Push(ctx, branch, remote, local, objects); err != nil {
		return err
	}
	return s.setRef(tracking, local)
}

// fetch brings origin's branch into the local object store and the tracking
// ref, and returns its tip (zero when origin has no such branch).
func (s *Store) fetch(ctx context.Context, tr Transport, branch, tracking plumbing.ReferenceName) (plumbing.Hash, error) {
	tip, err := tr.Fetch(ctx, branch, s.haves(tracking))
	if err != nil || tip.IsZero() {
		return tip, err
	}
	if err := s.checkPlainFetch(tr, tip); err != nil {
		return plumbing.ZeroHash, err
	}
	// go-git would create the tracking ref's folders 0777 less the umask; setRef makes them 0700.
	refPath := filepath.Join(s.gitDir, filepath.FromSlash(tracking.String()))
	for dir := filepath.Dir(refPath); len(dir) > len(s.gitDir); dir = filepath.Dir(dir) {
		_ = os.Chmod(dir, 0o700) // made 0755 by an older oneone
	}
	if err := s.setRef(tracking, tip); err != nil {
		return plumbing.ZeroHash, err
	}
	return tip, nil
}

// refHash returns the hash a reference points at, or the zero hash.
func (s *Store) refHash(name plumbing.ReferenceName) plumbing.Hash {
	ref, err := s.repo.Storer.Reference(name)
	if err != nil {
		return plumbing.ZeroHash
	}
	return ref.Hash()
}

// haves lists the commits this side has that origin probably has too: the
// tracking ref and the branch's recent history, so that only new objects come.
func (s *Store) haves(tracking plumbing.ReferenceName) []plumbing.Hash {
	var out []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	add := func(h plumbing.Hash) {
		if !h.IsZero() && !seen[h] && s.repo.Storer.HasEncodedObject(h) == nil {
			seen[h] = true
			out = append(out, h)
		}
	}
	add(s.refHash(tracking))
	_, local, _ := s.head()
	for i := 0; i < 32 && !local.IsZero(); i++ {
		add(local)
		c, err := object.GetCommit(s.repo.Storer, local)
		if err != nil || len(c.ParentHashes) == 0 {
			break
		}
		local = c.ParentHashes[0]
	}
	return out
}

// setUpstream records origin's branch upstream as the upstream of the local branch
// (branch.<name>.remote/merge) unless it already is.
func (s *Store) setUpstream(branch, upstream plumbing.ReferenceName, res *SyncResult) error {
	cfg, err := s.repo.Config()
	if err != nil {
		return err
	}
	name := branch.Short()
	b, ok := cfg.Branches[name]
	if ok && b.Remote == RemoteName && b.Merge == upstream {
		return nil
	}
	if !ok {
		b = &config.Branch{Name: name}
		cfg.Branches[name] = b
	}
	b.Remote, b.Merge = RemoteName, upstream
	res.NewUpstream = true
	return s.setConfig(cfg)
}
