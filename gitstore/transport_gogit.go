package gitstore

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// goGitTransport is the plain git Transport: go-git's smart protocol (https,
// ssh, git://, a local bare repository), each Fetch and Push an upload-pack or
// receive-pack session of its own, cancelled as offline after the idle timeout
// without a byte; its errors are one line each, free of credentials, that say
// what to do.
type goGitTransport struct {
	s      *Store
	rawURL string // as stored or given: may hold credentials, never shown
	ai     *authInfo

	mu      sync.Mutex
	kept    transport.ReceivePackSession // opened by PushRefs for the next push
	keptAdv *packp.AdvRefs               // its advertisement
}

// PushRefs reads the remote's branches from a receive-pack session, kept for
// the next Push (see pushProber); a remote that refuses one (read-only
// credentials, a git daemon without receive-pack) is asked with Refs.
func (t *goGitTransport) PushRefs(ctx context.Context) (*RemoteRefs, error) {
	if _, ok := localRemotePath(t.rawURL); ok {
		return t.Refs(ctx) // in process: no session to keep
	}
	_, sess, err := t.session(true)
	if err == nil {
		ar, err := sess.AdvertisedReferencesContext(ctx)
		if err == nil {
			refs := &RemoteRefs{Branches: map[plumbing.ReferenceName]plumbing.Hash{}, HeadUnknown: true}
			for name, h := range ar.References {
				if n := plumbing.ReferenceName(name); n.IsBranch() {
					refs.Branches[n] = h
				}
			}
			t.Release()
			t.mu.Lock()
			t.kept, t.keptAdv = sess, ar
			t.mu.Unlock()
			return refs, nil
		}
		_ = sess.Close()
		if ctx.Err() != nil {
			return nil, err // no answer: asking again would only double the wait
		}
	}
	return t.Refs(ctx)
}

// Release closes the session PushRefs kept, when no push took it.
func (t *goGitTransport) Release() {
	t.mu.Lock()
	sess := t.kept
	t.kept, t.keptAdv = nil, nil
	t.mu.Unlock()
	if sess != nil {
		_ = sess.Close()
	}
}

// takeKept returns the session PushRefs kept and its advertisement (nil when none).
func (t *goGitTransport) takeKept() (transport.ReceivePackSession, *packp.AdvRefs) {
	t.mu.Lock()
	defer t.mu.Unlock()
	sess, ar := t.kept, t.keptAdv
	t.kept, t.keptAdv = nil, nil
	return sess, ar
}

func (t *goGitTransport) URL() string { return Redact(t.rawURL) }

// session opens an upload-pack (receive false) or receive-pack session.
func (t *goGitTransport) session(receive bool) (transport.UploadPackSession, transport.ReceivePackSession, error) {
	ep, err := transport.NewEndpoint(t.rawURL)
	if err != nil {
		return nil, nil, t.ai.sc.err(err)
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return nil, nil, t.ai.sc.err(err)
	}
	if receive {
		sess, err := cl.NewReceivePackSession(ep, t.ai.method)
		return nil, sess, err
	}
	sess, err := cl.NewUploadPackSession(ep, t.ai.method)
	return sess, nil, err
}

// Refs reads origin's branches and default branch from its advertised references, without fetching.
// Its errors are go-git's as they are: sync turns them into a sentence when it fetches.
func (t *goGitTransport) Refs(ctx context.Context) (*RemoteRefs, error) {
	if path, ok := localRemotePath(t.rawURL); ok {
		r, err := openLocalRemote(path)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return r.refs()
	}
	sess, _, err := t.session(false)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return &RemoteRefs{Branches: map[plumbing.ReferenceName]plumbing.Hash{}}, nil
	}
	if err != nil {
		return nil, err
	}
	adv := &RemoteRefs{Branches: map[plumbing.ReferenceName]plumbing.Hash{}}
	for name, h := range ar.References {
		if n := plumbing.ReferenceName(name); n.IsBranch() {
			adv.Branches[n] = h
		}
	}
	for _, v := range ar.Capabilities.Get(capability.SymRef) {
		if src, dst, ok := strings.Cut(v, ":"); ok && src == "HEAD" {
			adv.Head = plumbing.ReferenceName(dst)
		}
	}
	if adv.Head == "" && ar.Head != nil { // an old server without symref: the one branch at HEAD's commit
		var at []plumbing.ReferenceName
		for n, h := range adv.Branches {
			if h == *ar.Head {
				at = append(at, n)
			}
		}
		if len(at) == 1 {
			adv.Head = at[0]
		}
	}
	if _, ok := adv.Branches[adv.Head]; !ok {
		adv.Head = "" // HEAD names a branch not made yet
	}
	return adv, nil
}

// Fetch brings origin's branch's objects in one pack over an upload-pack
// session of its own and returns its tip (zero when origin has no such branch).
func (t *goGitTransport) Fetch(ctx context.Context, branch plumbing.ReferenceName, haves []plumbing.Hash) (plumbing.Hash, error) {
	s, ai := t.s, t.ai
	if path, ok := localRemotePath(t.rawURL); ok { // in process, without the git binary (transport_local.go)
		r, err := openLocalRemote(path)
		if err != nil {
			return plumbing.ZeroHash, t.localError("fetch from", err)
		}
		defer r.Close()
		tip, err := r.fetch(s, branch)
		if err != nil {
			return plumbing.ZeroHash, t.localError("fetch from", err)
		}
		return tip, nil
	}
	w := newIdleWatch(ctx, ai.idle)
	w.progress = ai.progress
	defer w.done()
	fail := func(err error) (plumbing.Hash, error) {
		if w.stalled() {
			return plumbing.ZeroHash, s.stalledError("fetch from", t.rawURL, ai, w)
		}
		return plumbing.ZeroHash, s.remoteError("fetch from", t.rawURL, ai, err)
	}
	sess, _, err := t.session(false)
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
	if s.repo.Storer.HasEncodedObject(tip) == nil {
		return tip, nil // already here
	}
	req := packp.NewUploadPackRequestFromCapabilities(ar.Capabilities)
	req.Wants = []plumbing.Hash{tip}
	req.Haves = haves
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
	return tip, nil
}

// Push sends objects to origin's branch and moves it from old to tip, over a
// receive-pack session of its own.
func (t *goGitTransport) Push(ctx context.Context, branch plumbing.ReferenceName, old, tip plumbing.Hash, objects []plumbing.Hash) error {
	if path, ok := localRemotePath(t.rawURL); ok { // in process, without the git binary (transport_local.go)
		r, err := openLocalRemote(path)
		if err != nil {
			return t.localError("push to", err)
		}
		defer r.Close()
		if err := r.push(t.s, t.URL(), branch, old, tip, objects); err != nil {
			return t.localError("push to", err)
		}
		return nil
	}
	w := newIdleWatch(ctx, t.ai.idle)
	defer w.done()
	err := t.push(w, branch, old, tip, objects)
	if err != nil && w.stalled() {
		return t.s.stalledError("push to", t.rawURL, t.ai, w)
	}
	return err
}

func (t *goGitTransport) push(w *idleWatch, branch plumbing.ReferenceName, old, tip plumbing.Hash, objects []plumbing.Hash) error {
	s, ai, rawURL, ctx := t.s, t.ai, t.rawURL, w.ctx
	// The session sync's probe opened (PushRefs), else one of its own. Its
	// advertisement may be older than the remote's branch: the server's own
	// compare-and-swap on old refuses the push then (ErrRemoteMoved below).
	sess, ar := t.takeKept()
	if sess == nil {
		var err error
		if _, sess, err = t.session(true); err != nil {
			return s.remoteError("push to", rawURL, ai, err)
		}
		if ar, err = sess.AdvertisedReferencesContext(ctx); err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
			sess.Close()
			return s.remoteError("push to", rawURL, ai, err)
		}
	}
	defer sess.Close()
	w.touch(0)
	at := plumbing.ZeroHash
	caps := capability.NewList()
	if ar != nil {
		caps = ar.Capabilities
		if refs, err := ar.AllReferences(); err == nil {
			if r, err := refs.Reference(branch); err == nil {
				at = r.Hash()
			}
		}
	}
	if at != old {
		return fmt.Errorf("push to %s rejected: %w; run `oneone sync` again (your notes are committed locally)", Redact(rawURL), ErrRemoteMoved)
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(caps)
	req.Commands = []*packp.Command{{Name: branch, Old: old, New: tip}}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		e := packfile.NewEncoder(w.writer(pw), s.repo.Storer, !caps.Supports(capability.OFSDelta))
		_, err := e.Encode(objects, 10)
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
			return ai.sc.err(fmt.Errorf("push to %s rejected (%v, %w): run `oneone sync` again to merge the remote changes (your notes are committed locally)", Redact(rawURL), err, ErrRemoteMoved))
		case strings.Contains(msg, "hook declined"):
			return ai.sc.err(fmt.Errorf("push to %s refused by the remote's hook (%v): its owner's rules decide what it accepts; ask them (your notes are committed locally)", Redact(rawURL), err))
		}
		return s.remoteError("push to", rawURL, ai, err)
	}
	if encErr != nil && !errors.Is(encErr, io.ErrClosedPipe) {
		return fmt.Errorf("push to %s: pack: %w", Redact(rawURL), encErr)
	}
	return nil
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
