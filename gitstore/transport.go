package gitstore

import (
	"context"
	"errors"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Transport is how sync's objects travel to and from one remote: the seam
// between what sync does with commits (merge and checkout, sync.go,
// checkout.go, which never see how bytes travel) and how they get there.
//
// It knows three things: the remote's refs, fetching the objects reachable
// from a tip into the local object store, and pushing objects with a
// compare-and-swap of one remote ref. Everything else — which commits to send,
// merge bases, the tracking ref, the work tree — is sync's, so that another
// transport only has to move bytes.
//
// goGitTransport (transport_gogit.go) is the plain git one: go-git's smart
// protocol over https, ssh, git:// and local paths, with the idle timeout,
// credentials and error messages of sync. An encrypted transport can
// implement the same interface by storing age-encrypted packs on an ordinary
// branch of an ordinary git remote (through goGitTransport underneath):
// Fetch decrypts the packs it has not seen into the local object store and
// returns the notes' tip from the newest manifest; Push encrypts a pack of
// objects and appends it (and a manifest naming tip) as a commit on that
// branch, a fast-forward only, never a force push; when another computer
// appended first, the branch's compare-and-swap fails with ErrRemoteMoved and
// sync fetches, merges and pushes again, as it does for plain remotes.
type Transport interface {
	// URL is the remote's address, safe to show: no credential in it.
	URL() string
	// Refs returns the remote's branches and its default branch, without
	// fetching; an empty remote has none.
	Refs(ctx context.Context) (*RemoteRefs, error)
	// Fetch brings every object reachable from the remote's branch into the
	// local object store and returns the branch's tip once they are all
	// there; the zero hash when the remote has no such branch. haves are
	// commits the local side has (the remote may have them too: only newer
	// objects need to travel).
	Fetch(ctx context.Context, branch plumbing.ReferenceName, haves []plumbing.Hash) (plumbing.Hash, error)
	// Push sends objects (all that the remote lacks to hold tip) and moves the
	// remote's branch to tip only if it still is at old (the zero hash: only
	// if the branch does not exist). When it moved, the error wraps
	// ErrRemoteMoved and nothing changed on the remote.
	Push(ctx context.Context, branch plumbing.ReferenceName, old, tip plumbing.Hash, objects []plumbing.Hash) error
}

// RemoteRefs is what a remote has: its branches and the one its HEAD names
// (Head is empty when it has none, or names a branch the remote lacks).
type RemoteRefs struct {
	Branches map[plumbing.ReferenceName]plumbing.Hash
	Head     plumbing.ReferenceName
	// HeadUnknown: read from a push session's advertisement (pushProber),
	// which names no HEAD; Head is empty.
	HeadUnknown bool
}

// pushProber is a Transport that can read the remote's branches from a push
// session and keep that session open for the push that usually follows:
// sync's probe and its push then make one connection (and one process on
// the server) instead of two. On the large bench repository that is one
// git-upload-pack or http-backend run fewer per sync of one note, about 15 ms
// on a git daemon or http remote on 127.0.0.1, and one TLS or ssh handshake
// fewer on a real network.
type pushProber interface {
	// PushRefs is Refs read from a push session kept for Push (or, when the
	// remote refuses one, from Refs).
	PushRefs(ctx context.Context) (*RemoteRefs, error)
	// Release closes the kept session unused (harmless when there is none).
	Release()
}

// ErrRemoteMoved is the error (wrapped) of a Push whose compare-and-swap
// failed: another computer pushed first. Sync fetches, merges and retries.
var ErrRemoteMoved = errors.New("the remote changed while syncing")

// errOffline marks errors where the remote could not be reached (or stalled).
var errOffline = errors.New("offline")

// IsOffline reports whether a Sync error means the remote could not be reached.
func IsOffline(err error) bool { return errors.Is(err, errOffline) }

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

// openTransport returns the transport sync uses for the remote at rawURL,
// with the credentials opts lead to (never prompting).
func (s *Store) openTransport(rawURL string, opts *SyncOptions) (Transport, error) {
	ai, err := resolveAuth(rawURL, opts)
	if err != nil {
		return nil, err
	}
	return newTransport(s, rawURL, ai), nil
}

// newTransport makes the Transport for a remote: the encrypted one when this
// computer knows the remote is encrypted (encrypted_remote.go), else go-git's
// smart protocol; what a test replaces.
var newTransport = func(s *Store, rawURL string, ai *authInfo) Transport {
	if s.encryptedRemote(rawURL) {
		t, err := s.newEncryptedTransport(rawURL, ai)
		if err != nil {
			return &failedTransport{Redact(rawURL), err}
		}
		return t
	}
	return &goGitTransport{s: s, rawURL: rawURL, ai: ai}
}
