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

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
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
}

// Conflict is a note changed on both sides: the local file stays at Path and the remote
// version is kept beside it at Copy.
type Conflict struct{ Path, Copy string }

// SyncResult says what Sync did.
type SyncResult struct {
	Committed   []string   // pending edits committed before syncing
	Pulled      bool       // remote changes were brought in
	Pushed      bool       // local commits were sent
	Merged      bool       // a merge commit was made
	UpToDate    bool       // nothing to do
	Conflicts   []Conflict // notes kept twice
	Skipped     []string   // work tree files not committed: oneone never commits such a name (rename them)
	Unwritten   []string   // files from origin kept in git but not written to disk: their names are unsafe
	Remote      string     // origin URL, redacted
	Head        string     // the commit both sides share after the sync
	Branch      string     // the local branch
	Upstream    string     // origin's branch it syncs with
	NewUpstream bool       // Upstream was chosen (and remembered) by this sync
}

// ErrNoRemote is returned by Sync when origin is not set.
var ErrNoRemote = errors.New("no remote")

// Sync commits pending edits, fetches origin, integrates (fast-forward or a file by file merge) and pushes.
func (s *Store) Sync(opts SyncOptions) (*SyncResult, error) {
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
	res := &SyncResult{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// Ask the remote where its branch is while the work tree is scanned for
	// hand edits: when nothing changed on either side, sync is done without a fetch.
	rawURL, ok, err := s.RemoteURL()
	if err != nil {
		return res, err
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

	paths, _, skipped, err := s.commitAllLocked(opts.Author)
	res.Skipped = skipped
	if err != nil && !errors.Is(err, ErrNothingChanged) {
		return res, err
	}
	res.Committed = paths
	if !ok {
		return res, fmt.Errorf("%w: set one with `oneone remote URL` (your notes are committed locally)", ErrNoRemote)
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
func (s *Store) fetch(ctx context.Context, rawURL string, ai *authInfo, branch, tracking plumbing.ReferenceName) (plumbing.Hash, error) {
	rem, err := s.repo.Remote(RemoteName)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	// go-git creates the tracking ref's folders 0777 and the ref 0666 less the umask:
	// the folders are made private first, the ref after.
	refPath := filepath.Join(s.gitDir, filepath.FromSlash(tracking.String()))
	for dir := filepath.Dir(refPath); len(dir) > len(s.gitDir); dir = filepath.Dir(dir) {
		_ = os.Chmod(dir, 0o700) // made 0755 by an older oneone
	}
	if err := mkdirAll(filepath.Dir(refPath)); err != nil {
		return plumbing.ZeroHash, err
	}
	defer func() { _ = os.Chmod(refPath, 0o600) }()
	err = rem.FetchContext(ctx, &git.FetchOptions{
		RemoteName: RemoteName,
		RemoteURL:  rawURL,
		RefSpecs:   []config.RefSpec{config.RefSpec("+" + branch.String() + ":" + tracking.String())},
		Auth:       ai.method,
		Tags:       git.NoTags,
	})
	if err == nil {
		s.privatePacks()
	}
	var noMatch git.NoMatchingRefSpecError
	switch {
	case err == nil || errors.Is(err, git.NoErrAlreadyUpToDate):
	case errors.Is(err, transport.ErrEmptyRemoteRepository) || errors.As(err, &noMatch):
		return plumbing.ZeroHash, nil
	default:
		return plumbing.ZeroHash, s.remoteError("fetch from", rawURL, ai, err)
	}
	ref, err := s.repo.Storer.Reference(tracking)
	if err != nil {
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			return plumbing.ZeroHash, nil
		}
		return plumbing.ZeroHash, err
	}
	return ref.Hash(), nil
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
func (s *Store) push(ctx context.Context, rawURL string, ai *authInfo, branch, tracking plumbing.ReferenceName, local, remote plumbing.Hash) error {
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
		e := packfile.NewEncoder(pw, s.repo.Storer, !caps.Supports(capability.OFSDelta))
		_, err := e.Encode(hashes, 10)
		done <- pw.CloseWithError(err)
	}()
	req.Packfile = pr
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

// Work tree updates ------------------------------------------------------------

// checkoutCommit moves branch from commit `from` to `to`, updating only the files that differ.
func (s *Store) checkoutCommit(branch plumbing.ReferenceName, from, to plumbing.Hash, res *SyncResult) error {
	ft, err := s.commitTree(from)
	if err != nil {
		return err
	}
	tt, err := s.commitTree(to)
	if err != nil {
		return err
	}
	return s.checkoutTrees(branch, ft, tt, to, res)
}

// checkoutTrees writes the files that differ between trees into the work tree (files first,
// then the branch, then the index, so a crash never loses text). A path safePath refuses
// (.., .git, a backslash) is never written nor removed: it stays in git as it is, with a
// skip-worktree index entry so that it does not count as deleted, and is listed in
// res.Unwritten.
func (s *Store) checkoutTrees(branch plumbing.ReferenceName, fromTree, toTree, commit plumbing.Hash, res *SyncResult) error {
	var changes []treeChange
	if err := s.diffTrees(fromTree, toTree, "", &changes); err != nil {
		return err
	}
	idx, _, err := s.readIndex()
	if err != nil {
		return err
	}
	upd := indexUpdate{}
	// Deletions first, so that a file can replace a folder and the other way round.
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].to.absent() && !changes[j].to.absent() })
	for _, c := range changes {
		if !safePath(c.path) {
			if c.to.absent() {
				upd[c.path] = nil
			} else {
				upd[c.path] = &index.Entry{Name: c.path, Hash: c.to.hash, Mode: c.to.mode, SkipWorktree: true}
				res.Unwritten = append(res.Unwritten, c.path)
			}
			continue
		}
		if err := s.checkNoSymlinkParents(c.path); err != nil {
			return err
		}
		full := filepath.Join(s.dir, filepath.FromSlash(c.path))
		if c.to.absent() {
			if err := os.Remove(full); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			upd[c.path] = nil
			removeEmptyParents(s.dir, filepath.Dir(full))
			continue
		}
		if c.to.mode == filemode.Submodule {
			continue
		}
		if err := s.writeWorktreeFile(c.path, c.to); err != nil {
			return err
		}
		fi, err := os.Lstat(full)
		if err != nil {
			return err
		}
		ie := &index.Entry{Name: c.path, Hash: c.to.hash, Mode: c.to.mode}
		fillStat(ie, statOf(fi))
		upd[c.path] = ie
	}
	notes.CrashPoint("checkout-files")
	if err := s.setRef(branch, commit); err != nil {
		return err
	}
	notes.CrashPoint("checkout-ref")
	upd.apply(idx)
	return s.writeIndex(idx)
}

// writeWorktreeFile writes a blob into the work tree (0600 files, 0700 folders, atomic).
func (s *Store) writeWorktreeFile(rel string, e entry) error {
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	if err := mkdirAll(filepath.Dir(full)); err != nil {
		return err
	}
	data, err := s.readBlob(e.hash)
	if err != nil {
		return err
	}
	if fi, err := os.Lstat(full); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot write %s: a folder is in the way", full)
	}
	if e.mode == filemode.Symlink {
		_ = os.Remove(full)
		return os.Symlink(string(data), full)
	}
	mode := os.FileMode(0o600)
	if e.mode == filemode.Executable {
		mode = 0o700
	}
	return writeFileAtomicMode(full, data, mode)
}

func removeEmptyParents(root, dir string) {
	for dir != root && strings.HasPrefix(dir, root) {
		if err := os.Remove(dir); err != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
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
	)
	for _, tc := range theirs {
		oc, both := oursBy[tc.path]
		switch {
		case !both:
			changes = append(changes, change{tc.path, tc.to})
		case oc.to == tc.to:
		case tc.to.absent(): // deleted there, edited here: the edit survives
		case oc.to.absent(): // deleted here, edited there: the edit survives
			changes = append(changes, change{tc.path, tc.to})
		default:
			if text, ok, err := s.mergeFile(tc.path, tc.from, oc.to, tc.to); err != nil {
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
			conflicts = append(conflicts, Conflict{Path: tc.path, Copy: cp})
		}
	}
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
		body = append(body, fmt.Sprintf("conflict in %s: remote version kept as %s", c.Path, c.Copy))
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
	if ext == file {
		ext = ""
	}
	return dir + strings.TrimSuffix(file, ext) + ".conflict-" + short + ext
}
