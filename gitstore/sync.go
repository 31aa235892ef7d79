package gitstore

import (
	"container/heap"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
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
	// Shares is one entry per shared report's agenda this sync served.
	Shares []ShareResult
	Pulled bool // remote changes were brought in
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

// ShareResult is what a sync did for one report's shared agenda: the files it
// published to the shared repository and those it brought back from it, or why
// it could not (sync goes on with the others). The shared-agenda feature fills
// SyncResult.Shares; until it does, the list is empty.
type ShareResult struct {
	Slug      string
	Published []string
	Received  []string
	Err       error
}

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
	var ai *authInfo
	var authErr error
	var probe chan remoteProbe
	if ok {
		res.Remote = Redact(rawURL)
		if ai, authErr = resolveAuth(rawURL, &opts); authErr == nil {
			probe = make(chan remoteProbe, 1)
			go func() {
				// a remote that accepts the connection and never answers must not
				// hold the lock (and the user) for long
				pctx, pcancel := context.WithTimeout(ctx, ProbeTimeout)
				defer pcancel()
				refs, err := s.remoteRefs(pctx, rawURL, ai)
				if err != nil && pctx.Err() != nil && ctx.Err() == nil {
					err = &lineError{fmt.Sprintf("cannot reach origin %s: no answer within %s; run `oneone sync` again when it answers (your notes are committed locally)",
						Redact(rawURL), ProbeTimeout), []error{errOffline}}
				}
				probe <- remoteProbe{refs, err}
			}()
		}
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
		if err == nil && p.err == nil && !local.IsZero() && p.refs.branches[upstream] == local && s.refHash(tracking) == local {
			res.Head, res.UpToDate = local.String(), true
			return res, s.setUpstream(branch, upstream, res)
		}
	}

	// One retry when the remote moved between our fetch and our push.
	for attempt := 0; ; attempt++ {
		err = s.integrateAndPush(ctx, rawURL, ai, opts.Author, res, upstream)
		if !errors.Is(err, errRemoteMoved) || attempt == 1 {
			break
		}
	}
	if err != nil {
		return res, err
	}
	if res.Pushed && p.err == nil && p.refs.head == "" {
		// Pushed to a remote whose HEAD names no branch of it (`git init --bare`
		// makes HEAD master): a plain `git clone` of it would check out nothing.
		if after, err := s.remoteRefs(ctx, rawURL, ai); err == nil && after.head == "" && len(after.branches) > 0 {
			res.RemoteHeadMissing = true
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
	refs *advertised
	err  error
}

// advertised is origin's branches and the branch its HEAD points to ("" when unknown).
type advertised struct {
	branches map[plumbing.ReferenceName]plumbing.Hash
	head     plumbing.ReferenceName
}

// remoteRefs reads origin's branches and default branch from its advertised references, without fetching.
func (s *Store) remoteRefs(ctx context.Context, rawURL string, ai *authInfo) (*advertised, error) {
	ep, err := transport.NewEndpoint(rawURL)
	if err != nil {
		return nil, err
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return nil, err
	}
	sess, err := cl.NewUploadPackSession(ep, ai.method)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return &advertised{branches: map[plumbing.ReferenceName]plumbing.Hash{}}, nil
	}
	if err != nil {
		return nil, err
	}
	adv := &advertised{branches: map[plumbing.ReferenceName]plumbing.Hash{}}
	for name, h := range ar.References {
		if n := plumbing.ReferenceName(name); n.IsBranch() {
			adv.branches[n] = h
		}
	}
	for _, v := range ar.Capabilities.Get(capability.SymRef) {
		if src, dst, ok := strings.Cut(v, ":"); ok && src == "HEAD" {
			adv.head = plumbing.ReferenceName(dst)
		}
	}
	if adv.head == "" && ar.Head != nil { // an old server without symref: the one branch at HEAD's commit
		var at []plumbing.ReferenceName
		for n, h := range adv.branches {
			if h == *ar.Head {
				at = append(at, n)
			}
		}
		if len(at) == 1 {
			adv.head = at[0]
		}
	}
	if _, ok := adv.branches[adv.head]; !ok {
		adv.head = "" // HEAD names a branch not made yet
	}
	return adv, nil
}

// chooseUpstream picks origin's branch for a local branch that has no upstream yet: the one
// of the same name, else origin's default branch, else its only branch; the local name for
// an empty origin. Anything else is ambiguous: the error says which branches exist.
func chooseUpstream(local plumbing.ReferenceName, adv *advertised, shownURL string) (plumbing.ReferenceName, error) {
	_, same := adv.branches[local]
	switch {
	case len(adv.branches) == 0:
		return local, nil
	case adv.head != "" && (adv.head == local || !same):
		return adv.head, nil
	case adv.head != "": // both our name and another default branch
		return "", fmt.Errorf("origin %s has both a %s branch and its default branch %s: run `oneone sync --branch %s` to sync with the default branch, or `oneone sync --branch %s`; oneone remembers the choice",
			shownURL, local.Short(), adv.head.Short(), adv.head.Short(), local.Short())
	case same:
		return local, nil
	case len(adv.branches) == 1:
		for n := range adv.branches {
			return n, nil
		}
	}
	var names []string
	for n := range adv.branches {
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

// errRemoteMoved marks a push refused because the remote changed after the fetch.
var errRemoteMoved = errors.New("the remote changed while syncing")

// integrateAndPush fetches origin, fast-forwards or merges, and pushes, recording what happened in res.
func (s *Store) integrateAndPush(ctx context.Context, rawURL string, ai *authInfo, author Author, res *SyncResult, upstream plumbing.ReferenceName) error {
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
			err := s.pushNow(ctx, rawURL, ai, upstream, tracking, local, known)
			if err == nil {
				res.Pushed, res.Head = true, local.String()
				return nil
			}
			if !errors.Is(err, errRemoteMoved) {
				return err
			}
		}
	}

	remote, err := s.fetch(ctx, rawURL, ai, upstream, tracking)
	if err != nil {
		return err
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
		if err := s.pushNow(ctx, rawURL, ai, upstream, tracking, local, remote); err != nil {
			return err
		}
		res.Pushed = true
	}
	res.Head = local.String()
	return nil
}

// pushNow pushes local to origin's branch over remote, with the crash points and the test hook around it.
func (s *Store) pushNow(ctx context.Context, rawURL string, ai *authInfo, branch, tracking plumbing.ReferenceName, local, remote plumbing.Hash) error {
	notes.CrashPoint("sync-before-push")
	if testHookBeforePush != nil {
		testHookBeforePush()
	}
	if err := s.push(ctx, rawURL, ai, branch, tracking, local, remote); err != nil {
		return err
	}
	notes.CrashPoint("sync-pushed")
	return nil
}

// refHash returns the hash a reference points at, or the zero hash.
func (s *Store) refHash(name plumbing.ReferenceName) plumbing.Hash {
	ref, err := s.repo.Storer.Reference(name)
	if err != nil {
		return plumbing.ZeroHash
	}
	return ref.Hash()
}

// fetch brings origin's branch into the tracking ref and returns its hash (zero when the remote is empty).
// The objects come in one pack over an upload-pack session of its own; a transfer
// that goes without a byte for the idle timeout is cancelled as offline.
func (s *Store) fetch(ctx context.Context, rawURL string, ai *authInfo, branch, tracking plumbing.ReferenceName) (plumbing.Hash, error) {
	w := newIdleWatch(ctx, ai.idle)
	defer w.done()
	fail := func(err error) (plumbing.Hash, error) {
		if w.stalled() {
			return plumbing.ZeroHash, s.stalledError("fetch from", rawURL, ai, w)
		}
		return plumbing.ZeroHash, s.remoteError("fetch from", rawURL, ai, err)
	}
	ep, err := transport.NewEndpoint(rawURL)
	if err != nil {
		return plumbing.ZeroHash, ai.sc.err(err)
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return plumbing.ZeroHash, ai.sc.err(err)
	}
	sess, err := cl.NewUploadPackSession(ep, ai.method)
	if err != nil {
		return fail(err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(w.ctx)
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return fail(err)
	}
	w.touch(0)
	refs, err := ar.AllReferences()
	if err != nil {
		return fail(err)
	}
	ref, err := refs.Reference(branch)
	if err != nil || ref.Type() != plumbing.HashReference {
		return plumbing.ZeroHash, nil // origin has no such branch (yet)
	}
	tip := ref.Hash()
	if s.repo.Storer.HasEncodedObject(tip) != nil {
		req := packp.NewUploadPackRequestFromCapabilities(ar.Capabilities)
		req.Wants = []plumbing.Hash{tip}
		req.Haves = s.haves(tracking)
		resp, err := sess.UploadPack(w.ctx, req)
		if err != nil && !errors.Is(err, transport.ErrEmptyUploadPackRequest) {
			return fail(err)
		}
		if err == nil {
			pack := w.reader(sidebandReader(req.Capabilities, resp, w))
			err = packfile.UpdateObjectStorage(s.repo.Storer, pack)
			_ = resp.Close()
			if err != nil {
				s.cleanPackTemp()
				return fail(err)
			}
		}
		s.privatePacks()
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

// sidebandReader demultiplexes a pack sent over side-band (progress messages go to progress).
func sidebandReader(caps *capability.List, r io.Reader, progress sideband.Progress) io.Reader {
	var t sideband.Type
	switch {
	case caps.Supports(capability.Sideband64k):
		t = sideband.Sideband64k
	case caps.Supports(capability.Sideband):
		t = sideband.Sideband
	default:
		return r
	}
	d := sideband.NewDemuxer(t, r)
	d.Progress = progress
	return d
}

// stalledError says that a transfer went without a byte for the idle timeout.
func (s *Store) stalledError(op, rawURL string, ai *authInfo, w *idleWatch) error {
	return ai.sc.err(&lineError{fmt.Sprintf("cannot reach origin %s: the transfer stalled (no data for %s while trying to %s it): your notes are committed locally; run `oneone sync` again when it answers",
		Redact(rawURL), w.d, strings.TrimSuffix(strings.TrimSuffix(op, " from"), " to")), []error{errOffline, errStalled}})
}

// privatePacks makes the pack files a fetch wrote (0444 from go-git) private like
// every other object: 0400 files in a 0700 folder, whatever the umask.
func (s *Store) privatePacks() {
	dir := filepath.Join(s.gitDir, "objects", "pack")
	_ = os.Chmod(dir, 0o700)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			_ = os.Chmod(filepath.Join(dir, e.Name()), 0o400)
		}
	}
}

// remoteError turns a transport error into one clear, credential-free sentence that
// names the fix; errors.Is/As still see the transport error.
func (s *Store) remoteError(op, rawURL string, ai *authInfo, err error) error {
	const kept = " (your notes are committed locally)"
	u := Redact(rawURL)
	if IsDiskFull(err) { // before the network checks: a failed write closes the connection too
		return ai.sc.err(&diskFullError{op + " " + u, s.dir, err})
	}
	var opErr *net.OpError
	var netErr net.Error
	wrap := func(msg string, errs ...error) error {
		return ai.sc.err(&lineError{msg, append([]error{err}, errs...)})
	}
	if detail, ok := tlsProblem(err); ok {
		fix := "if your host uses a certificate authority of its own, point SSL_CERT_FILE (a file) or SSL_CERT_DIR (a folder) at its certificate; otherwise the server's certificate must be fixed"
		if strings.Contains(detail, "does not look like a TLS handshake") {
			fix = "this server does not speak https: check the URL with `oneone remote`"
		}
		return wrap(fmt.Sprintf("%s %s: the server's certificate cannot be trusted (%s): %s%s", op, u, detail, fix, kept))
	}
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed):
		switch {
		case !ai.haveCreds:
			return wrap(fmt.Sprintf("%s %s: authentication required: set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME if your host needs your user name) or add the host to ~/.git-credentials%s", op, u, kept))
		case ai.source == sourceCredentialsFile:
			return wrap(fmt.Sprintf("%s %s: the credentials from ~/.git-credentials were refused: fix the line for %s in ~/.git-credentials, or set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME), which comes first%s", op, u, ai.host, kept))
		case ai.source == sourceURL:
			return wrap(fmt.Sprintf("%s %s: the credentials in the remote URL were refused: set the URL without them with `oneone remote URL` and put the token in ONEONE_GIT_TOKEN%s", op, u, kept))
		default:
			return wrap(fmt.Sprintf("%s %s: the credentials from ONEONE_GIT_TOKEN were refused: check ONEONE_GIT_TOKEN and ONEONE_GIT_USERNAME%s", op, u, kept))
		}
	case errors.Is(err, transport.ErrRepositoryNotFound):
		hint := "check the URL with `oneone remote`"
		if !ai.haveCreds && strings.HasPrefix(rawURL, "http") {
			hint += "; a private repository needs ONEONE_GIT_TOKEN"
		}
		return wrap(fmt.Sprintf("%s %s: repository not found: %s%s", op, u, hint, kept))
	case errors.As(err, &opErr) || errors.As(err, &netErr) || strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "no such host"):
		detail := err.Error()
		if opErr != nil {
			detail = opErr.Error()
		}
		return wrap(fmt.Sprintf("cannot reach origin %s (%s): your notes are committed locally; run `oneone sync` again when online", u, cleanDetail(detail)), errOffline)
	}
	return wrap(fmt.Sprintf("%s %s: %s%s", op, u, cleanDetail(err.Error()), kept))
}

// lineError is a message of its own that still unwraps to its causes.
type lineError struct {
	msg  string
	errs []error
}

func (e *lineError) Error() string   { return e.msg }
func (e *lineError) Unwrap() []error { return e.errs }

// cleanDetail makes an error text fit inside a sentence: one line, no trailing colon.
func cleanDetail(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, ": ")
}

// tlsProblem reports a TLS or certificate failure and its gist ("x509: certificate
// signed by unknown authority"). go-git does not always wrap the cause, hence the text.
func tlsProblem(err error) (string, bool) {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	var header tls.RecordHeaderError
	typed := errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) || errors.As(err, &verify) || errors.As(err, &header)
	msg := err.Error()
	for _, marker := range []string{"x509: ", "tls: "} {
		if i := strings.Index(msg, marker); i >= 0 {
			return cleanDetail(strings.TrimRight(msg[i:], "\")")), true
		}
	}
	if typed {
		return cleanDetail(msg), true
	}
	return "", false
}

// errOffline marks errors where the remote could not be reached.
var errOffline = errors.New("offline")

// IsOffline reports whether a Sync error means the remote could not be reached.
func IsOffline(err error) bool { return errors.Is(err, errOffline) }

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

// push sends local to origin's branch (branch is origin's name for it), which must still be at remote.
// A transfer that goes without a byte for the idle timeout is cancelled as offline.
func (s *Store) push(ctx context.Context, rawURL string, ai *authInfo, branch, tracking plumbing.ReferenceName, local, remote plumbing.Hash) error {
	w := newIdleWatch(ctx, ai.idle)
	defer w.done()
	ctx = w.ctx
	err := s.pushSession(ctx, rawURL, ai, w, branch, tracking, local, remote)
	if err != nil && w.stalled() {
		return s.stalledError("push to", rawURL, ai, w)
	}
	return err
}

func (s *Store) pushSession(ctx context.Context, rawURL string, ai *authInfo, w *idleWatch, branch, tracking plumbing.ReferenceName, local, remote plumbing.Hash) error {
	ep, err := transport.NewEndpoint(rawURL)
	if err != nil {
		return ai.sc.err(err)
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return ai.sc.err(err)
	}
	sess, err := cl.NewReceivePackSession(ep, ai.method)
	if err != nil {
		return s.remoteError("push to", rawURL, ai, err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return s.remoteError("push to", rawURL, ai, err)
	}
	w.touch(0)
	old := plumbing.ZeroHash
	caps := capability.NewList()
	if ar != nil {
		caps = ar.Capabilities
		if refs, err := ar.AllReferences(); err == nil {
			if r, err := refs.Reference(branch); err == nil {
				old = r.Hash()
			}
		}
	}
	if old != remote {
		return fmt.Errorf("push to %s rejected: %w; run `oneone sync` again (your notes are committed locally)", Redact(rawURL), errRemoteMoved)
	}
	hashes, err := s.objectsToPush(local, remote)
	if err != nil {
		return err
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(caps)
	req.Commands = []*packp.Command{{Name: branch, Old: old, New: local}}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		e := packfile.NewEncoder(w.writer(pw), s.repo.Storer, !caps.Supports(capability.OFSDelta))
		_, err := e.Encode(hashes, 10)
		done <- pw.CloseWithError(err)
	}()
	req.Packfile = pr
	req.Progress = w // the server's progress while it takes the pack in counts as activity
	rs, err := sess.ReceivePack(ctx, req)
	_ = pr.Close()
	encErr := <-done
	if err == nil && rs != nil {
		err = rs.Error()
	}
	if err != nil {
		msg := err.Error()
		switch {
		case strings.Contains(msg, "non-fast-forward") || strings.Contains(msg, "rejected") || strings.Contains(msg, "fetch first") ||
			strings.Contains(msg, "failed to update ref") || strings.Contains(msg, "failed to lock"):
			// another push won the race: the branch moved (or was being moved) on the remote
			return ai.sc.err(fmt.Errorf("push to %s rejected (%v, %w): run `oneone sync` again to merge the remote changes (your notes are committed locally)", Redact(rawURL), err, errRemoteMoved))
		case strings.Contains(msg, "hook declined"):
			return ai.sc.err(fmt.Errorf("push to %s refused by the remote's hook (%v): its owner's rules decide what it accepts; ask them (your notes are committed locally)", Redact(rawURL), err))
		}
		return s.remoteError("push to", rawURL, ai, err)
	}
	if encErr != nil && !errors.Is(encErr, io.ErrClosedPipe) {
		return fmt.Errorf("push to %s: pack: %w", Redact(rawURL), encErr)
	}
	return s.setRef(tracking, local)
}

// Commit ancestry ------------------------------------------------------------

const (
	fromLocal  = 1
	fromRemote = 2
	stale      = 4
)

type graph struct {
	flags     map[plumbing.Hash]uint8
	localOnly []plumbing.Hash
	bases     []plumbing.Hash
}

type qitem struct {
	h    plumbing.Hash
	when time.Time
}
type commitQueue []qitem

func (q commitQueue) Len() int           { return len(q) }
func (q commitQueue) Less(i, j int) bool { return q[i].when.After(q[j].when) }
func (q commitQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)        { *q = append(*q, x.(qitem)) }
func (q *commitQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// paint walks both histories newest first (like git's paint_down_to_common) and finds
// the commits only local has and the merge bases, visiting only recent history.
func (s *Store) paint(local, remote plumbing.Hash) (*graph, error) {
	g := &graph{flags: map[plumbing.Hash]uint8{}}
	done := map[plumbing.Hash]uint8{}
	commits := map[plumbing.Hash]*object.Commit{}
	q := &commitQueue{}
	get := func(h plumbing.Hash) (*object.Commit, error) {
		if c, ok := commits[h]; ok {
			return c, nil
		}
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", h, err)
		}
		commits[h] = c
		return c, nil
	}
	add := func(h plumbing.Hash, f uint8) error {
		if g.flags[h]|f == g.flags[h] {
			return nil
		}
		g.flags[h] |= f
		c, err := get(h)
		if err != nil {
			return err
		}
		heap.Push(q, qitem{h, c.Committer.When})
		return nil
	}
	if err := add(local, fromLocal); err != nil {
		return nil, err
	}
	if !remote.IsZero() {
		if err := add(remote, fromRemote); err != nil {
			return nil, err
		}
	}
	// Keep walking while a commit may still change class: local-only or unrecorded
	// bases in the queue, or remote-side commits not older than a local-only one
	// (commit times are only seconds, so ties are common).
	var minLocal time.Time
	interesting := func() bool {
		for _, it := range *q {
			f := g.flags[it.h]
			if f&3 == fromLocal || (f&3 == 3 && f&stale == 0) {
				return true
			}
			if f&fromRemote != 0 && !minLocal.IsZero() && !it.when.Before(minLocal) {
				return true
			}
		}
		return false
	}
	var popped []plumbing.Hash
	for q.Len() > 0 && interesting() {
		it := heap.Pop(q).(qitem)
		f := g.flags[it.h]
		if done[it.h] == f {
			continue
		}
		done[it.h] = f
		switch {
		case f&3 == 3 && f&stale == 0:
			g.bases = append(g.bases, it.h)
			f |= stale
			g.flags[it.h] = f
		case f&3 == fromLocal:
			popped = append(popped, it.h)
			if minLocal.IsZero() || it.when.Before(minLocal) {
				minLocal = it.when
			}
		}
		c, err := get(it.h)
		if err != nil {
			return nil, err
		}
		for _, p := range c.ParentHashes {
			if err := add(p, f); err != nil {
				return nil, err
			}
		}
	}
	for _, h := range popped {
		if g.flags[h]&3 == fromLocal {
			g.localOnly = append(g.localOnly, h)
		}
	}
	return g, nil
}

// remoteOnly lists the commits reachable from remote and not from local (git's
// local..remote), newest first: both histories are walked by date until every
// commit still queued is known to both sides.
func (s *Store) remoteOnly(local, remote plumbing.Hash) ([]plumbing.Hash, error) {
	flags := map[plumbing.Hash]uint8{}
	q := &commitQueue{}
	add := func(h plumbing.Hash, f uint8) error {
		if flags[h]|f == flags[h] {
			return nil
		}
		flags[h] |= f
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return fmt.Errorf("read commit %s: %w", h, err)
		}
		heap.Push(q, qitem{h, c.Committer.When})
		return nil
	}
	if err := add(remote, fromRemote); err != nil {
		return nil, err
	}
	if !local.IsZero() {
		if err := add(local, fromLocal); err != nil {
			return nil, err
		}
	}
	// The walk goes on while a queued commit is not known to be local's.
	pending := func() bool {
		for _, it := range *q {
			if flags[it.h]&fromLocal == 0 {
				return true
			}
		}
		return false
	}
	done := map[plumbing.Hash]uint8{}
	var order []plumbing.Hash
	for q.Len() > 0 && pending() {
		it := heap.Pop(q).(qitem)
		f := flags[it.h]
		if done[it.h] == f {
			continue
		}
		if done[it.h] == 0 {
			order = append(order, it.h)
		}
		done[it.h] = f
		c, err := object.GetCommit(s.repo.Storer, it.h)
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", it.h, err)
		}
		for _, p := range c.ParentHashes {
			if err := add(p, f); err != nil {
				return nil, err
			}
		}
	}
	var out []plumbing.Hash
	for _, h := range order {
		if flags[h] == fromRemote {
			out = append(out, h)
		}
	}
	for _, it := range *q { // queued, never expanded, yet not local's
		if flags[it.h] == fromRemote && done[it.h] == 0 {
			out = append(out, it.h)
		}
	}
	return out, nil
}

// revivedIn finds, in merge commits made elsewhere (pulled), files deleted on
// one side of the merge and kept because the other side edited them, seen
// from this side: a file this side deleted that came back (DeletedHere), or a
// file this side edited that the other side had deleted.
func (s *Store) revivedIn(pulled []plumbing.Hash) ([]Revived, error) {
	isPulled := make(map[plumbing.Hash]bool, len(pulled))
	for _, h := range pulled {
		isPulled[h] = true
	}
	var out []Revived
	seen := map[string]bool{}
	for _, h := range pulled {
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return nil, err
		}
		if len(c.ParentHashes) != 2 {
			continue
		}
		p0, p1 := c.ParentHashes[0], c.ParentHashes[1]
		var mine, theirs plumbing.Hash // the parent from this side's history, the other
		switch {
		case !isPulled[p0] && isPulled[p1]:
			mine, theirs = p0, p1
		case isPulled[p0] && !isPulled[p1]:
			mine, theirs = p1, p0
		default:
			continue
		}
		g, err := s.paint(mine, theirs)
		if err != nil || len(g.bases) == 0 {
			continue
		}
		mt, err1 := s.commitTree(mine)
		tt, err2 := s.commitTree(theirs)
		bt, err3 := s.commitTree(g.bases[0])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, err
		}
		var diff []treeChange
		if err := s.diffTrees(mt, tt, "", &diff); err != nil {
			return nil, err
		}
		for _, d := range diff {
			if d.from.absent() == d.to.absent() || seen[d.path] {
				continue
			}
			inBase, err := s.pathEntry(bt, d.path)
			if err != nil {
				return nil, err
			}
			inMerge, err := s.pathEntry(c.TreeHash, d.path)
			if err != nil {
				return nil, err
			}
			if inBase.absent() || inMerge.absent() {
				continue
			}
			seen[d.path] = true
			out = append(out, Revived{Path: d.path, DeletedHere: d.from.absent()})
		}
	}
	return out, nil
}

// objectsToPush lists the commits, trees and blobs local has and remote lacks.
func (s *Store) objectsToPush(local, remote plumbing.Hash) ([]plumbing.Hash, error) {
	g, err := s.paint(local, remote)
	if err != nil {
		return nil, err
	}
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	addh := func(h plumbing.Hash) {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	var walk func(tree plumbing.Hash, parents []plumbing.Hash) error
	walk = func(tree plumbing.Hash, parents []plumbing.Hash) error {
		if seen[tree] {
			return nil
		}
		for _, p := range parents {
			if p == tree {
				return nil
			}
		}
		addh(tree)
		es, err := s.treeEntries(tree)
		if err != nil {
			return err
		}
		pes := make([]map[string]entry, 0, len(parents))
		for _, p := range parents {
			m, err := s.treeEntries(p)
			if err != nil {
				return err
			}
			pes = append(pes, m)
		}
		for name, e := range es {
			known := false
			var sub []plumbing.Hash
			for _, pm := range pes {
				pe, ok := pm[name]
				if ok && pe.hash == e.hash {
					known = true
					break
				}
				if ok && pe.mode == filemode.Dir {
					sub = append(sub, pe.hash)
				}
			}
			if known || e.mode == filemode.Submodule {
				continue
			}
			if e.mode == filemode.Dir {
				if err := walk(e.hash, sub); err != nil {
					return err
				}
			} else {
				addh(e.hash)
			}
		}
		return nil
	}
	for _, h := range g.localOnly {
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return nil, err
		}
		addh(h)
		var pts []plumbing.Hash
		for _, p := range c.ParentHashes {
			t, err := s.commitTree(p)
			if err != nil {
				return nil, err
			}
			pts = append(pts, t)
		}
		if err := walk(c.TreeHash, pts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Merge ------------------------------------------------------------------------

// merge builds a two-parent merge commit of local and remote, file by file, and checks it out.
func (s *Store) merge(branch, upstream plumbing.ReferenceName, local, remote, base plumbing.Hash, author Author, res *SyncResult) (plumbing.Hash, []Conflict, error) {
	lt, err := s.commitTree(local)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	rt, err := s.commitTree(remote)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	bt, err := s.commitTree(base)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	var ours, theirs []treeChange
	if err := s.diffTrees(bt, lt, "", &ours); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	if err := s.diffTrees(bt, rt, "", &theirs); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	oursBy := make(map[string]treeChange, len(ours))
	for _, c := range ours {
		oursBy[c.path] = c
	}
	localFiles := func(p string) (entry, error) { return s.pathEntry(lt, p) }
	short := remote.String()[:7]
	var (
		changes   []change
		conflicts []Conflict
		merged    []string
		revived   []Revived
	)
	for _, tc := range theirs {
		oc, both := oursBy[tc.path]
		switch {
		case !both:
			changes = append(changes, change{tc.path, tc.to})
		case oc.to == tc.to:
		case tc.to.absent(): // deleted there, edited here: the edit survives
			revived = append(revived, Revived{Path: tc.path})
		case oc.to.absent(): // deleted here, edited there: the edit survives
			changes = append(changes, change{tc.path, tc.to})
			revived = append(revived, Revived{Path: tc.path, DeletedHere: true})
		default:
			if text, ok, err := s.mergeText(tc.from, oc.to, tc.to); err != nil {
				return plumbing.ZeroHash, nil, err
			} else if ok {
				h, err := s.writeObject(plumbing.BlobObject, []byte(text))
				if err != nil {
					return plumbing.ZeroHash, nil, err
				}
				changes = append(changes, change{tc.path, entry{h, oc.to.mode}})
				merged = append(merged, tc.path)
				continue
			}
			cp := conflictName(tc.path, short)
			if e, err := localFiles(cp); err != nil {
				return plumbing.ZeroHash, nil, err
			} else if !e.absent() && e.hash != tc.to.hash {
				cp = conflictName(tc.path, tc.to.hash.String()[:7])
			}
			changes = append(changes, change{cp, tc.to})
			conflicts = append(conflicts, Conflict{Path: tc.path, Copy: cp, Kind: ConflictBoth})
		}
	}
	changes, clashes, err := s.resolveClashes(lt, changes)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	moved := map[string]bool{}
	for _, c := range clashes {
		moved[c.Path] = true
	}
	for _, r := range revived {
		if !moved[r.Path] { // a file moved aside by a clash is said as such
			res.Revived = append(res.Revived, r)
		}
	}
	conflicts = append(conflicts, clashes...)
	mt := lt
	if len(changes) > 0 {
		if mt, err = s.applyTree(lt, changes); err != nil {
			return plumbing.ZeroHash, nil, err
		}
	}
	msg := fmt.Sprintf("sync: merge %s/%s", RemoteName, upstream.Short())
	var body []string
	for _, p := range merged {
		body = append(body, "merged both edits of "+p)
	}
	for _, c := range conflicts {
		if c.Kind == ConflictFileFolder {
			body = append(body, fmt.Sprintf("%s is a file on one side and a folder on the other: the folder kept, the file kept as %s", c.Path, c.Copy))
			continue
		}
		body = append(body, fmt.Sprintf("conflict in %s: remote version kept as %s", c.Path, c.Copy))
	}
	for _, r := range res.Revived {
		body = append(body, fmt.Sprintf("%s deleted on one side, edited on the other: the edit kept", r.Path))
	}
	if len(body) > 0 {
		msg += "\n\n" + strings.Join(body, "\n")
	}
	h, err := s.writeCommit(mt, []plumbing.Hash{local, remote}, msg, author)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	if err := s.checkoutTrees(branch, lt, mt, h, res); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	return h, conflicts, nil
}

// mergeText line-merges two versions of a text file; ok=false on a true conflict or binary data.
func (s *Store) mergeText(base, ours, theirs entry) (string, bool, error) {
	if ours.mode == filemode.Symlink || theirs.mode == filemode.Symlink || ours.mode == filemode.Submodule || theirs.mode == filemode.Submodule {
		return "", false, nil
	}
	read := func(e entry) (string, error) {
		if e.absent() {
			return "", nil
		}
		b, err := s.readBlob(e.hash)
		return string(b), err
	}
	b, err := read(base)
	if err != nil {
		return "", false, err
	}
	o, err := read(ours)
	if err != nil {
		return "", false, err
	}
	t, err := read(theirs)
	if err != nil {
		return "", false, err
	}
	if strings.ContainsRune(b+o+t, 0) {
		return "", false, nil
	}
	text, ok := merge3(b, o, t)
	return text, ok, nil
}

// pathEntry returns the entry at a slash path inside a tree (absent when missing).
func (s *Store) pathEntry(tree plumbing.Hash, p string) (entry, error) {
	cur := tree
	parts := strings.Split(p, "/")
	for i, part := range parts {
		es, err := s.treeEntries(cur)
		if err != nil {
			return entry{}, err
		}
		e, ok := es[part]
		if !ok {
			return entry{}, nil
		}
		if i == len(parts)-1 {
			return e, nil
		}
		if e.mode != filemode.Dir {
			return entry{}, nil
		}
		cur = e.hash
	}
	return entry{}, nil
}

// conflictName is where the remote version of a conflicting file is kept:
// alice/2026-11-25.md -> alice/2026-11-25.conflict-abc1234.md.
func conflictName(p, short string) string {
	dir, file := path.Split(p)
	ext := path.Ext(file)
	if ext == file || len(ext) > 32 {
		ext = ""
	}
	mark := ".conflict-" + short
	stem := notes.TruncateName(strings.TrimSuffix(file, ext), notes.MaxNameBytes-len(mark)-len(ext)) // fits any name git accepts
	return dir + stem + mark + ext
}
