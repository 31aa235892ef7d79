package gitstore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/oneone/oneone/notes"
)

// HeadBlob returns the blob hash of the file at the repository path rel in the
// current commit, "" when the commit holds none.
func (s *Store) HeadBlob(rel string) (string, error) {
	_, h, err := s.head()
	if err != nil || h.IsZero() {
		return "", err
	}
	t, err := s.commitTree(h)
	if err != nil {
		return "", err
	}
	e, err := s.pathEntry(t, rel)
	if err != nil || e.absent() || e.mode == filemode.Dir {
		return "", err
	}
	return e.hash.String(), nil
}

// EditResult says what ReconcileEdit did.
type EditResult struct {
	Merged bool   // the note changed while the editor was open: both edits are in it now
	Copy   string // ... and could not be merged: that version is kept here, beside the note
}

// ReconcileEdit is called with the lock held when an editor that opened the
// note at rel closes: opened is the text it opened, openedBlob what the current
// commit held then (HeadBlob). When a sync (or another command) committed a new
// version of the note while the editor was open, the editor saved a stale
// buffer over it: the editor's text is merged with that version line by line
// (opened is the base), as sync merges, and written back; when the same lines
// changed, the editor's text stays and the committed version is written beside
// it as a conflict copy. The other computer's text is never committed over.
func (s *Store) ReconcileEdit(rel string, opened []byte, openedBlob string) (EditResult, error) {
	var r EditResult
	now, err := s.HeadBlob(rel)
	if err != nil || now == openedBlob || now == "" {
		return r, err // unchanged meanwhile, or deleted: the editor's text is the note
	}
	theirs, err := s.readBlob(plumbing.NewHash(now))
	if err != nil {
		return r, err
	}
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	was, err := readDiskState(full)
	if err != nil {
		return r, err
	}
	if was.kind != diskFile {
		return r, nil
	}
	ours, err := os.ReadFile(full)
	if err != nil {
		return r, err
	}
	if bytes.Equal(ours, theirs) {
		return r, nil
	}
	if bytes.IndexByte(ours, 0) < 0 && bytes.IndexByte(theirs, 0) < 0 && bytes.IndexByte(opened, 0) < 0 {
		if text, ok := merge3(string(opened), string(ours), string(theirs)); ok {
			if !was.unchanged(full) {
				return r, errors.New(rel + " changed again while oneone merged it: run `oneone edit` once your editor is closed")
			}
			if err := notes.WriteFileAtomic(full, []byte(text)); err != nil {
				return r, err
			}
			r.Merged = true
			return r, nil
		}
	}
	cp, err := s.writeCopy(rel, entry{plumbing.NewHash(now), filemode.Regular}, plumbing.NewHash(now))
	if err != nil {
		return r, err
	}
	r.Copy = cp
	return r, nil
}
