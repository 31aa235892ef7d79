// Package gitstore keeps the notes repository in git through go-git alone:
// fast commits of named files, committing hand edits, and sync with a remote.
package gitstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

// ErrNotRepo is returned by Open when the folder is not a git repository.
var ErrNotRepo = errors.New("not a git repository")

// ErrNothingChanged is returned by Commit and CommitAll when there is nothing to commit.
var ErrNothingChanged = errors.New("nothing changed")

// DefaultBranch is the branch Init creates.
const DefaultBranch = "main"

// Store is a notes repository: a git work tree and its .git folder.
type Store struct {
	dir    string // absolute work tree root
	gitDir string // absolute .git folder
	repo   *git.Repository

	mergeDriver func(path string, base, ours, theirs []byte) ([]byte, bool) // see SetMergeDriver
	recipients  []string                                                    // a shared agenda's encrypted remote: the keys it is encrypted to (SharedRepo.Encrypt)
	bulk        bool                                                        // Clone's checkout into a new folder: files synced to disk once at the end (clonefs.go)

	// untrusted is set on the copy of a report's shared agenda: a tree entry
	// with a name git would refuse is passed over (it is the report's tree,
	// read by SharedRepo.Files), never an error that stops the publish.
	untrusted bool

	// retrust is the command that makes this computer trust the encrypted
	// remote anew, for a report's shared agenda served by the manager
	// (SharedRepo.SetRetrust); reportClone marks the report's clone of one
	// (Sync with SyncOptions.SharedAgenda). Neither: origin of the notes,
	// `oneone remote URL --encrypt`. See retrustHint.
	retrust     string
	reportClone bool
	// shareSlug is set on the manager's copy of a report's shared agenda: its
	// errors name `oneone share SLUG`, never `oneone remote` (origin's).
	shareSlug string

	trees *treeCache // the cache-tree of the index last read (cachetree.go)

	keyMu    sync.Mutex // publishRoots, found once per HEAD
	keyHead  plumbing.Hash
	keyRoots []string
}

// Author is the name and email written into commits.
type Author struct{ Name, Email string }

// Dir returns the absolute work tree root of the store.
func (s *Store) Dir() string { return s.dir }

// Repository returns the underlying go-git repository (read-only use advised).
func (s *Store) Repository() *git.Repository { return s.repo }

// Init creates a git repository (branch main) in dir unless one exists, and opens it.
func Init(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := mkdirAll(abs); err != nil {
		return nil, fmt.Errorf("create %s: %w", abs, err)
	}
	if st, err := Open(abs); err == nil {
		return st, nil
	}
	_, err = git.PlainInitWithOptions(abs, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch)},
	})
	if err != nil && !errors.Is(err, git.ErrRepositoryAlreadyExists) {
		return nil, fmt.Errorf("git init %s: %w", abs, err)
	}
	gitDir := filepath.Join(abs, ".git")
	// Private notes: nobody but the owner may read the repository.
	_ = os.Chmod(abs, 0o700)
	_ = filepath.WalkDir(gitDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			return os.Chmod(p, 0o700)
		}
		return os.Chmod(p, 0o600)
	})
	return Open(abs)
}

// Open opens the git repository whose work tree root is dir.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	gitDir := filepath.Join(abs, ".git")
	fi, err := os.Stat(gitDir)
	if err == nil && fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: .git is a file, so this is a linked worktree or a submodule: run oneone in the notes repository's main folder (where .git is a folder)", abs)
	}
	if err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s: %w; run `oneone init %s` to create one", abs, ErrNotRepo, abs)
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{})
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("%s: %w; run `oneone init %s` to create one", abs, ErrNotRepo, abs)
		}
		return nil, fmt.Errorf("open git repository %s: %w", abs, err)
	}
	return &Store{dir: abs, gitDir: gitDir, repo: repo}, nil
}

// DefaultAuthor returns the commit author: manager (or git config user.name, or "oneone")
// with git config user.email (or "oneone@localhost").
func (s *Store) DefaultAuthor(manager string) Author {
	a, _ := s.AuthorFor(manager, os.Getenv)
	return a
}

// NoEmail is the address commits carry when git knows none.
const NoEmail = "oneone@localhost"

// AuthorFor returns the commit author as git would: manager (else
// GIT_AUTHOR_NAME, else user.name, else "oneone") with GIT_AUTHOR_EMAIL, else
// user.email (the repository's, then the global one), else EMAIL; ok is false
// when none is set and commits carry NoEmail.
func (s *Store) AuthorFor(manager string, getenv func(string) string) (Author, bool) {
	if getenv == nil {
		getenv = os.Getenv
	}
	a := Author{Name: strings.TrimSpace(manager)}
	if a.Name == "" {
		a.Name = strings.TrimSpace(getenv("GIT_AUTHOR_NAME"))
	}
	a.Email = strings.TrimSpace(getenv("GIT_AUTHOR_EMAIL"))
	var scopes []*config.Config
	if c, err := s.repo.Config(); err == nil {
		scopes = append(scopes, c)
	}
	if c, err := config.LoadConfig(config.GlobalScope); err == nil {
		scopes = append(scopes, c)
	}
	for _, c := range scopes {
		if a.Name == "" && c.User.Name != "" {
			a.Name = c.User.Name
		}
		if a.Email == "" && c.User.Email != "" {
			a.Email = c.User.Email
		}
	}
	if a.Email == "" {
		a.Email = strings.TrimSpace(getenv("EMAIL"))
	}
	if a.Name == "" {
		a.Name = "oneone"
	}
	if a.Email == "" {
		return Author{a.Name, NoEmail}, false
	}
	return a, true
}

// CanCommit tells, before anything is written, why a commit could not be made
// now: a detached HEAD, or a git command holding the index.
func (s *Store) CanCommit() error {
	if err := s.onBranch(); err != nil {
		return err
	}
	if _, err := os.Lstat(filepath.Join(s.gitDir, "index.lock")); err == nil {
		return fmt.Errorf("%s: .git/index.lock exists, so a git command is running (or one crashed): wait for it, or remove the file if no git is running", s.dir)
	}
	return nil
}

// onBranch refuses to commit on a detached HEAD: the commit would belong to no branch.
func (s *Store) onBranch() error {
	ref, err := s.repo.Storer.Reference(plumbing.HEAD)
	if err != nil || ref.Type() == plumbing.SymbolicReference {
		return nil // unborn or missing HEAD: commits go to the default branch
	}
	return fmt.Errorf("%s: HEAD is detached (at %s, on no branch): check out your branch first, e.g. `git switch %s`", s.dir, ref.Hash().String()[:7], DefaultBranch)
}

// branch returns the reference name HEAD points to (refs/heads/main by default).
func (s *Store) branch() plumbing.ReferenceName {
	ref, err := s.repo.Storer.Reference(plumbing.HEAD)
	if err == nil && ref.Type() == plumbing.SymbolicReference {
		return ref.Target()
	}
	return plumbing.NewBranchReferenceName(DefaultBranch)
}

// head returns the commit hash of the current branch, or ZeroHash when unborn.
func (s *Store) head() (plumbing.ReferenceName, plumbing.Hash, error) {
	b := s.branch()
	ref, err := s.repo.Storer.Reference(b)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return b, plumbing.ZeroHash, nil
	}
	if err != nil {
		return b, plumbing.ZeroHash, fmt.Errorf("read %s: %w", b, err)
	}
	return b, ref.Hash(), nil
}

// Head returns the hash of the current commit, or "" when there is none yet.
func (s *Store) Head() (string, error) {
	_, h, err := s.head()
	if err != nil || h.IsZero() {
		return "", err
	}
	return h.String(), nil
}

// setRef writes a loose reference atomically.
func (s *Store) setRef(name plumbing.ReferenceName, h plumbing.Hash) error {
	p := filepath.Join(s.gitDir, filepath.FromSlash(name.String()))
	if err := mkdirAll(filepath.Dir(p)); err != nil {
		return err
	}
	return WriteFileAtomic(p, []byte(h.String()+"\n"))
}
