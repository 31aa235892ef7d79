package gitstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// A Mirror is this computer's copy of another git repository that oneone
// publishes to: a report's shared agenda (SharedRepo) or the organisation's
// summaries (OrgRepo). It is a bare repository under .git/oneone/: outside
// the work tree, so `git status` of the notes stays clean, and with objects
// of its own, so nothing of the notes repository can ever be pushed to it.
type Mirror struct {
	st  *Store // the bare repository (no work tree)
	dir string
	// hints make its error messages name the fix for what it holds
	hints mirrorHints
}

// mirrorHints are the words a mirror's error messages use.
type mirrorHints struct {
	name     string // how a message names the remote before its URL: "" or "the organisation's repository "
	notFound string // the fix for a repository that is not found
	again    string // what to run when it can be reached again
	answers  string // what to run when a remote that did not answer answers
	access   string // what the token needs
}

// openMirror opens the bare repository at dir, creating it (0700, files 0600) the first time.
func openMirror(dir string, hints mirrorHints) (*Mirror, error) {
	repo, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		if err := mkdirAll(dir); err != nil {
			return nil, err
		}
		repo, err = git.PlainInitWithOptions(dir, &git.PlainInitOptions{Bare: true,
			InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch)}})
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				return os.Chmod(p, 0o700)
			}
			return os.Chmod(p, 0o600)
		})
	}
	if err != nil {
		return nil, err
	}
	return &Mirror{st: &Store{dir: dir, gitDir: dir, repo: repo}, dir: dir, hints: hints}, nil
}

// Dir is the bare repository's folder.
func (m *Mirror) Dir() string { return m.dir }

// useRemote points the bare repository's origin at url (stored without credentials).
func (m *Mirror) useRemote(url string) error {
	cfg, err := m.st.repo.Config()
	if err != nil {
		return err
	}
	shown := Redact(url)
	if r, ok := cfg.Remotes[RemoteName]; ok && len(r.URLs) == 1 && r.URLs[0] == shown {
		return nil
	}
	cfg.Remotes[RemoteName] = &config.RemoteConfig{Name: RemoteName, URLs: []string{shown},
		Fetch: []config.RefSpec{config.RefSpec("+refs/heads/*:refs/remotes/" + RemoteName + "/*")}}
	return m.st.setConfig(cfg)
}

// refs asks the mirrored remote for its branches without fetching; a remote
// that accepts the connection and never answers is offline after ProbeTimeout.
func (m *Mirror) refs(ctx context.Context, url string, opts SyncOptions) (*RemoteRefs, error) {
	ai, err := resolveAuth(url, &opts)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	adv, err := newTransport(m.st, url, ai).Refs(pctx)
	if err != nil {
		if pctx.Err() != nil && ctx.Err() == nil {
			return nil, &lineError{fmt.Sprintf("cannot reach %s%s: no answer within %s; %s", m.hints.name, Redact(url), ProbeTimeout, m.hints.answers), []error{errOffline}}
		}
		return nil, m.remoteError(url, ai, err)
	}
	return adv, nil
}

// fetchBranch brings the remote's branch into its tracking ref and returns its tip (zero when empty).
func (m *Mirror) fetchBranch(ctx context.Context, url, branch string, opts SyncOptions) (plumbing.Hash, error) {
	if err := m.useRemote(url); err != nil {
		return plumbing.ZeroHash, err
	}
	ai, err := resolveAuth(url, &opts)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := m.st.fetch(ctx, newTransport(m.st, url, ai), plumbing.NewBranchReferenceName(branch), plumbing.NewRemoteReferenceName(RemoteName, branch))
	if err != nil {
		return plumbing.ZeroHash, m.remoteError(url, ai, err)
	}
	return h, nil
}

// remoteError says what went wrong with the mirrored remote in one line that
// names the fix, never a credential; errors.Is still sees the cause.
func (m *Mirror) remoteError(rawURL string, ai *authInfo, err error) error {
	u := m.hints.name + Redact(rawURL)
	wrap := func(msg string, errs ...error) error {
		return ai.sc.err(&lineError{msg, append([]error{err}, errs...)})
	}
	var opErr *net.OpError
	var netErr net.Error
	if detail, ok := tlsProblem(err); ok {
		return wrap(fmt.Sprintf("%s: the server's certificate cannot be trusted (%s): point SSL_CERT_FILE or SSL_CERT_DIR at your host's certificate authority, or have the certificate fixed", u, detail))
	}
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed):
		switch {
		case !ai.haveCreds:
			return wrap(fmt.Sprintf("%s: authentication required: set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME if your host needs your user name) or add the host to ~/.git-credentials", u))
		case ai.source == sourceCredentialsFile:
			return wrap(fmt.Sprintf("%s: the credentials from ~/.git-credentials were refused: fix the line for %s in ~/.git-credentials, or set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME), which comes first", u, ai.host))
		case ai.source == sourceURL:
			return wrap(fmt.Sprintf("%s: the credentials in the URL were refused: give the URL without them and put the token in ONEONE_GIT_TOKEN", u))
		default:
			return wrap(fmt.Sprintf("%s: the credentials from ONEONE_GIT_TOKEN were refused: check ONEONE_GIT_TOKEN and ONEONE_GIT_USERNAME (the token needs %s)", u, m.hints.access))
		}
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return wrap(fmt.Sprintf("%s: repository not found: %s", u, m.hints.notFound))
	case errors.As(err, &opErr) || errors.As(err, &netErr) || IsOffline(err) ||
		strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "no such host"):
		detail := err.Error()
		if opErr != nil {
			detail = opErr.Error()
		}
		return wrap(fmt.Sprintf("cannot reach %s (%s): %s", u, cleanDetail(detail), m.hints.again), errOffline)
	}
	msg := strings.ReplaceAll(cleanDetail(err.Error()), " (your notes are committed locally)", "")
	if strings.Contains(msg, Redact(rawURL)) { // it names the remote already: once is enough
		return wrap(msg)
	}
	return wrap(fmt.Sprintf("%s: %s", u, msg))
}
