package gitstore

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// stagedChanges lists the files whose index entry differs from HEAD's tree: changes staged
// by hand (`git add`, `git rm`) that a comparison of the work tree with the index misses.
// It hashes the index's trees in memory; objects are written only when something is staged.
func (s *Store) stagedChanges(idx *index.Index) ([]treeChange, error) {
	_, head, err := s.head()
	if err != nil {
		return nil, err
	}
	headTree, err := s.commitTree(head)
	if err != nil {
		return nil, err
	}
	if headTree == emptyTreeHash {
		headTree = plumbing.ZeroHash
	}
	if t := s.treesFor(idx); t != nil && !headTree.IsZero() && t.known[""] == headTree {
		return nil, nil // the cache-tree's root is HEAD's tree: nothing staged (cachetree.go; saves hashing every tree, about 7 ms)
	}
	root, err := indexTree(idx.Entries, "", nil)
	if err != nil || root == headTree {
		return nil, err
	}
	// Something is staged: store the index's trees so that diffTrees can read them.
	store := func(data []byte) error {
		_, err := s.writeObject(plumbing.TreeObject, data)
		return err
	}
	if root, err = indexTree(idx.Entries, "", store); err != nil {
		return nil, err
	}
	var out []treeChange
	if err := s.diffTrees(headTree, root, "", &out); err != nil {
		return nil, err
	}
	return out, nil
}

// indexTree computes the tree hash of the index entries under prefix, zero when there is
// none, passing every encoded tree to store when it is not nil. The index's order (full
// paths, bytewise) is git's tree order, so trees are encoded as they come, without sorting.
// Unmerged and intent-to-add entries are left out, as `git write-tree` would.
func indexTree(es []*index.Entry, prefix string, store func([]byte) error) (plumbing.Hash, error) {
	var buf []byte
	add := func(mode filemode.FileMode, name string, h plumbing.Hash) {
		buf = appendTreeEntry(buf, mode, name, h)
	}
	for i := 0; i < len(es); {
		e := es[i]
		if e.Stage != 0 || e.IntentToAdd || !strings.HasPrefix(e.Name, prefix) {
			i++
			continue
		}
		rest := e.Name[len(prefix):]
		dir, _, nested := strings.Cut(rest, "/")
		if !nested {
			add(e.Mode, rest, e.Hash)
			i++
			continue
		}
		sub := prefix + dir + "/"
		k := i + 1
		for k < len(es) && strings.HasPrefix(es[k].Name, sub) {
			k++
		}
		h, err := indexTree(es[i:k], sub, store)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if !h.IsZero() {
			add(filemode.Dir, dir, h)
		}
		i = k
	}
	if len(buf) == 0 {
		return plumbing.ZeroHash, nil
	}
	if store != nil {
		if err := store(buf); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	return plumbing.ComputeHash(plumbing.TreeObject, buf), nil
}
