package gitstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/oneone/oneone/notes"
)

// InitMessage is the message of the commit `oneone init` makes.
const InitMessage = "init: oneone notes repository"

// RecipientsCommitPrefix starts the message of the commits that change the
// recipients of oneone.yaml (oneone recipients, oneone remote --encrypt).
const RecipientsCommitPrefix = "recipients: "

// onlyInitCommit reports whether h is the lone commit `oneone init` makes:
// no parent, init's message, nothing but oneone.yaml and .gitignore; the
// commits of `oneone remote URL --encrypt` (this computer's key added to
// oneone.yaml) on top of it do not count: a new computer set up that way
// adopts the encrypted remote's history, where its key already is.
func (s *Store) onlyInitCommit(h plumbing.Hash) bool {
	c, err := object.GetCommit(s.repo.Storer, h)
	for n := 0; err == nil && n < 8 && strings.HasPrefix(c.Message, RecipientsCommitPrefix) && len(c.ParentHashes) == 1; n++ {
		var changes []treeChange
		parent, perr := object.GetCommit(s.repo.Storer, c.ParentHashes[0])
		if perr != nil || s.diffTrees(parent.TreeHash, c.TreeHash, "", &changes) != nil || len(changes) != 1 || changes[0].path != notes.ConfigFile {
			return false
		}
		c = parent
	}
	if err != nil || len(c.ParentHashes) != 0 || strings.TrimSpace(c.Message) != InitMessage {
		return false
	}
	es, err := s.treeEntries(c.TreeHash)
	if err != nil {
		return false
	}
	for name, e := range es {
		if (name != "oneone.yaml" && name != ".gitignore") || e.mode == filemode.Dir {
			return false
		}
	}
	return true
}

// Clone sets up a notes repository in dir from the remote at url, the way to
// bring the notes to a second computer: a git repository with origin set
// (without any credentials the URL holds, which serve this first transfer
// only), the remote's history checked out and its branch remembered. dir must
// not exist or be an empty folder; a failed clone leaves nothing behind.
func Clone(url, dir string, opts SyncOptions) (*Store, *SyncResult, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, err
	}
	created := false
	switch ents, err := os.ReadDir(abs); {
	case errors.Is(err, os.ErrNotExist):
		created = true
	case err != nil:
		return nil, nil, fmt.Errorf("clone into %s: %w", abs, err)
	case len(ents) > 0:
		return nil, nil, fmt.Errorf("clone into %s: the folder is not empty: clone into a new folder (a repository that is already there syncs with `oneone sync`)", abs)
	}
	cleanup := func() {
		if created {
			_ = os.RemoveAll(abs)
			return
		}
		ents, _ := os.ReadDir(abs) // it was empty: everything in it is the clone's
		for _, e := range ents {
			_ = os.RemoveAll(filepath.Join(abs, e.Name()))
		}
	}
	st, err := Init(abs)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if err := st.SetRemote(url); err != nil {
		cleanup()
		return nil, nil, err
	}
	opts.url = url
	if _, err := st.DetectEncryption(opts); err != nil { // an encrypted remote says so by itself
		cleanup()
		return nil, nil, err
	}
	st.bulk = true // a new folder: a failed clone leaves nothing, so files need not reach the disk one by one
	res, err := st.Sync(opts)
	st.bulk = false
	if err == nil {
		err = syncFS(abs)
	}
	if err != nil {
		cleanup()
		return nil, res, err
	}
	if h, _ := st.Head(); h == "" {
		cleanup()
		return nil, res, fmt.Errorf("origin %s has no notes yet: on the computer that has them run `oneone remote %s` and `oneone sync` first", Redact(url), Redact(url))
	}
	if !st.InHead(notes.ConfigFile) {
		cleanup()
		return nil, res, fmt.Errorf("origin %s holds no %s at its top: it is not a oneone notes repository; check the URL", Redact(url), notes.ConfigFile)
	}
	return st, res, nil
}
