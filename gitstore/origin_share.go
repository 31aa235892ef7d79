package gitstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/oneone/oneone/notes"
)

// ErrOriginShared is the error (wrapped) of a sync whose origin holds a
// report's shared agenda: the notes are never pushed there.
var ErrOriginShared = errors.New("origin holds a shared agenda")

// sharedAgendaState is the file at the root of every shared agenda
// (share.StateFile; gitstore does not import share).
const sharedAgendaState = "share.yaml"

// holdsSharedAgenda reports whether commit's tree is a shared agenda's: a
// share.yaml and no oneone.yaml at its root.
func (s *Store) holdsSharedAgenda(commit plumbing.Hash) bool {
	tree, err := s.commitTree(commit)
	if err != nil {
		return false
	}
	es, err := s.treeEntries(tree)
	if err != nil {
		return false
	}
	_, state := es[sharedAgendaState]
	_, config := es[notes.ConfigFile]
	return state && !config
}

// originSharedError is the error of a sync whose origin turned out to hold a shared agenda.
func originSharedError(shown string) error {
	return &lineError{fmt.Sprintf("origin %s holds a shared agenda (share.yaml and no oneone.yaml), not your notes: give origin an empty private repository of its own (`oneone remote URL`); nothing was pushed nor applied", shown), []error{ErrOriginShared}}
}

// KnownShares returns, by slug, the URL of every shared agenda this computer
// has served (stopped ones too), as its copy of it remembers; nothing is created.
func (s *Store) KnownShares() map[string]string {
	out := map[string]string{}
	root := filepath.Join(s.gitDir, "oneone", "share")
	ents, err := os.ReadDir(root)
	if err != nil {
		return out
	}
	for _, e := range ents {
		if !e.IsDir() || !safeName(e.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, e.Name(), "oneone-share.json"))
		if err != nil {
			continue
		}
		var st SharedState
		if json.Unmarshal(data, &st) == nil && st.URL != "" {
			out[e.Name()] = st.URL
		}
	}
	return out
}

// OriginHoldsNotes reports whether origin's branch, as this computer last
// fetched it, holds notes (a oneone.yaml at its root): origin has been the
// notes repository all along.
func (s *Store) OriginHoldsNotes() bool {
	upstream, _ := s.upstream(s.branch())
	tip := s.refHash(plumbing.NewRemoteReferenceName(RemoteName, upstream.Short()))
	if tip.IsZero() {
		return false
	}
	tree, err := s.commitTree(tip)
	if err != nil {
		return false
	}
	es, err := s.treeEntries(tree)
	if err != nil {
		return false
	}
	_, ok := es[notes.ConfigFile]
	return ok
}
