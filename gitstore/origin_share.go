package gitstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/oneone/oneone/notes"
)

// ErrOriginShared is the error (wrapped) of a sync whose origin holds a
// report's shared agenda: the notes are never pushed there.
var ErrOriginShared = errors.New("origin holds a shared agenda")

// sharedAgendaState is the file at the root of every shared agenda
// (share.StateFile; gitstore does not import share).
const sharedAgendaState = "share.yaml"

// orgManagers is the folder of the organisation's repository (org.Dir).
const orgManagers = "managers"

// foreignRoot says what commit's tree holds when it is not notes but a
// repository oneone publishes to for others to read: "a shared agenda"
// (share.yaml, no oneone.yaml at its root), "the organisation's summaries"
// (managers/, no oneone.yaml); "" otherwise.
func (s *Store) foreignRoot(commit plumbing.Hash) string {
	tree, err := s.commitTree(commit)
	if err != nil {
		return ""
	}
	es, err := s.treeEntries(tree)
	if err != nil {
		return ""
	}
	if _, config := es[notes.ConfigFile]; config {
		return ""
	}
	if _, ok := es[sharedAgendaState]; ok {
		return "a shared agenda (share.yaml and no oneone.yaml)"
	}
	if e, ok := es[orgManagers]; ok && e.mode == filemode.Dir {
		return "the organisation's summaries (managers/ and no oneone.yaml)"
	}
	return ""
}

// originSharedError is the error of a sync whose origin turned out to hold
// what others read (a shared agenda, the organisation's summaries).
func originSharedError(shown, what string) error {
	return &lineError{fmt.Sprintf("origin %s holds %s, not your notes: give origin an empty private repository of its own (`oneone remote URL`); nothing was pushed nor applied", shown, what), []error{ErrOriginShared}}
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
