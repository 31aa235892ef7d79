package gitstore

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// localRemote is a remote that is a repository on this computer's disk (an
// absolute path or a file:// URL, such as a bare repository on a USB drive),
// read and written in process: go-git's file transport would exec the git
// binary's git-upload-pack and git-receive-pack, and oneone needs no git
// binary at run time. goGitTransport hands its Refs, Fetch and Push to it.
//
// A fetch copies exactly the objects this side lacks (a walk from the tip
// that stops at what the local store has), a push writes exactly the objects
// sync names into one pack of the remote, and the branch moves as git's
// receive-pack moves it: under git's lock file (refs/heads/NAME.lock, so a git
// push into the same repository waits its turn), only if it is still at old
// (else ErrRemoteMoved, nothing changed), with an atomic rename. The remote's
// hooks are not run.
type localRemote struct {
	gitDir string // the repository's git folder (the bare repository itself, or PATH/.git)
	bare   bool
	sto    *filesystem.Storage
}

// localRemotePath returns the path of a local-path remote (false for any other URL).
func localRemotePath(rawURL string) (string, bool) {
	ep, err := transport.NewEndpoint(rawURL)
	if err != nil || ep.Protocol != "file" {
		return "", false
	}
	return ep.Path, true
}

// openLocalRemote opens the repository at path; transport.ErrRepositoryNotFound when there is none.
func openLocalRemote(path string) (*localRemote, error) {
	r := &localRemote{gitDir: path, bare: true}
	if _, err := os.Stat(filepath.Join(path, "config")); err != nil {
		r.gitDir, r.bare = filepath.Join(path, ".git"), false
		if fi, err := os.Stat(filepath.Join(r.gitDir, "config")); err != nil || fi.IsDir() {
			return nil, transport.ErrRepositoryNotFound
		}
	}
	if _, err := os.Stat(filepath.Join(r.gitDir, "objects")); err != nil {
		return nil, transport.ErrRepositoryNotFound
	}
	r.sto = filesystem.NewStorage(osfs.New(r.gitDir), cache.NewObjectLRUDefault())
	return r, nil
}

func (r *localRemote) Close() error { return r.sto.Close() }

// refs lists the repository's branches and the one its HEAD names.
func (r *localRemote) refs() (*RemoteRefs, error) {
	out := &RemoteRefs{Branches: map[plumbing.ReferenceName]plumbing.Hash{}}
	iter, err := r.sto.IterReferences()
	if err != nil {
		return nil, err
	}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Name().IsBranch() && ref.Type() == plumbing.HashReference {
			out.Branches[ref.Name()] = ref.Hash()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if head, err := r.sto.Reference(plumbing.HEAD); err == nil && head.Type() == plumbing.SymbolicReference {
		if _, ok := out.Branches[head.Target()]; ok {
			out.Head = head.Target()
		}
	}
	return out, nil
}

// branchAt returns where the branch is (zero when it does not exist).
func (r *localRemote) branchAt(branch plumbing.ReferenceName) (plumbing.Hash, error) {
	ref, err := r.sto.Reference(branch)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if ref.Type() != plumbing.HashReference {
		return plumbing.ZeroHash, nil
	}
	return ref.Hash(), nil
}

// missing lists the objects reachable from tip in from that to lacks: the
// commits, trees and blobs of a walk that stops at every object to has (a
// commit or tree there has everything under it: both stores are written
// objects first, then what names them).
func missing(from, to storer.EncodedObjectStorer, tip plumbing.Hash) ([]plumbing.Hash, error) {
	var out []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	need := func(h plumbing.Hash) bool {
		if seen[h] {
			return false
		}
		seen[h] = true
		return to.HasEncodedObject(h) != nil
	}
	var walkTree func(h plumbing.Hash) error
	walkTree = func(h plumbing.Hash) error {
		if !need(h) {
			return nil
		}
		out = append(out, h)
		t, err := object.GetTree(from, h)
		if err != nil {
			return err
		}
		for _, e := range t.Entries {
			switch {
			case e.Mode == filemode.Submodule:
			case e.Mode == filemode.Dir:
				if err := walkTree(e.Hash); err != nil {
					return err
				}
			case need(e.Hash):
				out = append(out, e.Hash)
			}
		}
		return nil
	}
	for stack := []plumbing.Hash{tip}; len(stack) > 0; {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !need(h) {
			continue
		}
		out = append(out, h)
		c, err := object.GetCommit(from, h)
		if err != nil {
			return nil, err
		}
		if err := walkTree(c.TreeHash); err != nil {
			return nil, err
		}
		stack = append(stack, c.ParentHashes...)
	}
	return out, nil
}

// copyPack sends objects from one store to another as one pack.
func copyPack(from storer.EncodedObjectStorer, to storer.Storer, objects []plumbing.Hash, window uint) error {
	if len(objects) == 0 {
		return nil
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := packfile.NewEncoder(pw, from, false).Encode(objects, window)
		done <- pw.CloseWithError(err)
	}()
	err := packfile.UpdateObjectStorage(to, pr)
	_ = pr.CloseWithError(errors.New("pack not taken"))
	if encErr := <-done; err == nil {
		err = encErr
	}
	return err
}

// fetch copies the branch's objects that s lacks into s and returns its tip (zero when there is no such branch).
func (r *localRemote) fetch(s *Store, branch plumbing.ReferenceName) (plumbing.Hash, error) {
	tip, err := r.branchAt(branch)
	if err != nil || tip.IsZero() {
		return tip, err
	}
	if s.repo.Storer.HasEncodedObject(tip) == nil {
		return tip, nil // already here
	}
	objects, err := missing(r.sto, s.repo.Storer, tip)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	// Window 10, as a push's pack: the objects stay in the local store as they come.
	if err := copyPack(r.sto, s.repo.Storer, objects, 10); err != nil {
		s.cleanPackTemp()
		return plumbing.ZeroHash, err
	}
	s.privatePacks()
	return tip, nil
}

// push writes objects into the repository and moves branch from old to tip
// under git's ref lock; ErrRemoteMoved (wrapped) when it is not at old.
func (r *localRemote) push(s *Store, shown string, branch plumbing.ReferenceName, old, tip plumbing.Hash, objects []plumbing.Hash) error {
	if !r.bare {
		if head, err := r.sto.Reference(plumbing.HEAD); err == nil && head.Type() == plumbing.SymbolicReference && head.Target() == branch {
			return fmt.Errorf("push to %s refused: it is a repository with a work tree and %s is checked out there (git refuses it too): use a bare repository (`git init --bare`) as the remote (your notes are committed locally)", shown, branch.Short())
		}
	}
	refPath := filepath.Join(r.gitDir, filepath.FromSlash(branch.String()))
	if err := os.MkdirAll(filepath.Dir(refPath), 0o700); err != nil {
		return err
	}
	lockPath := refPath + ".lock"
	lock, err := os.OpenFile(lockPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("push to %s rejected (%s is locked: another push is under way, %w): run `oneone sync` again to merge the remote changes (your notes are committed locally)", shown, branch.Short(), ErrRemoteMoved)
	}
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			lock.Close()
			_ = os.Remove(lockPath)
		}
	}()
	at, err := r.branchAt(branch)
	if err != nil {
		return err
	}
	if at != old {
		return fmt.Errorf("push to %s rejected: %w; run `oneone sync` again (your notes are committed locally)", shown, ErrRemoteMoved)
	}
	if err := r.receive(s, objects); err != nil {
		return fmt.Errorf("push to %s: %w", shown, err)
	}
	if r.sto.HasEncodedObject(tip) != nil {
		return fmt.Errorf("push to %s: %s is missing after the pack was written", shown, tip)
	}
	if _, err := lock.WriteString(tip.String() + "\n"); err != nil {
		return err
	}
	if err := lock.Sync(); err != nil {
		return err
	}
	if err := lock.Close(); err != nil {
		return err
	}
	if err := os.Rename(lockPath, refPath); err != nil {
		return err
	}
	renamed = true
	if d, err := os.Open(filepath.Dir(refPath)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// receive stores objects in the repository: loose (each written to a
// temporary file and renamed) below unpackLimit (git's receive.unpackLimit,
// encrypted.go), as git's receive-pack does, else as one pack. A sync of one
// note (5 objects or so) so also spares go-git the load of every .idx of the
// remote that writing a pack starts with (about 10 ms on the large bench
// repository's bare clone).
func (r *localRemote) receive(s *Store, objects []plumbing.Hash) error {
	if len(objects) >= unpackLimit {
		// Window 10, as the network push: the remote keeps the pack as it is.
		if err := copyPack(s.repo.Storer, r.sto, objects, 10); err != nil {
			return fmt.Errorf("pack: %w", err)
		}
		return nil
	}
	for _, h := range objects {
		o, err := s.repo.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return err
		}
		if _, err := r.sto.SetEncodedObject(o); err != nil {
			return err
		}
	}
	return nil
}

// localError is a local remote's error as sync says it.
func (t *goGitTransport) localError(op string, err error) error {
	if strings.Contains(err.Error(), "rejected") || errors.Is(err, ErrRemoteMoved) {
		return err
	}
	return t.s.remoteError(op, t.rawURL, t.ai, err)
}
