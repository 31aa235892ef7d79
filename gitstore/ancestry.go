package gitstore

import (
	"container/heap"
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Commit ancestry: what each side has, merge bases, what to push.

const (
	fromLocal  = 1
	fromRemote = 2
	stale      = 4
)

type graph struct {
	flags     map[plumbing.Hash]uint8
	localOnly []plumbing.Hash
	bases     []plumbing.Hash
}

type qitem struct {
	h    plumbing.Hash
	when time.Time
}
type commitQueue []qitem

func (q commitQueue) Len() int           { return len(q) }
func (q commitQueue) Less(i, j int) bool { return q[i].when.After(q[j].when) }
func (q commitQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)        { *q = append(*q, x.(qitem)) }
func (q *commitQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// paint walks both histories newest first (like git's paint_down_to_common) and finds
// the commits only local has and the merge bases, visiting only recent history.
func (s *Store) paint(local, remote plumbing.Hash) (*graph, error) {
	g := &graph{flags: map[plumbing.Hash]uint8{}}
	done := map[plumbing.Hash]uint8{}
	commits := map[plumbing.Hash]*object.Commit{}
	q := &commitQueue{}
	get := func(h plumbing.Hash) (*object.Commit, error) {
		if c, ok := commits[h]; ok {
			return c, nil
		}
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", h, err)
		}
		commits[h] = c
		return c, nil
	}
	add := func(h plumbing.Hash, f uint8) error {
		if g.flags[h]|f == g.flags[h] {
			return nil
		}
		g.flags[h] |= f
		c, err := get(h)
		if err != nil {
			return err
		}
		heap.Push(q, qitem{h, c.Committer.When})
		return nil
	}
	if err := add(local, fromLocal); err != nil {
		return nil, err
	}
	if !remote.IsZero() {
		if err := add(remote, fromRemote); err != nil {
			return nil, err
		}
	}
	// Keep walking while a commit may still change class: local-only or unrecorded
	// bases in the queue, or remote-side commits not older than a local-only one
	// (commit times are only seconds, so ties are common).
	var minLocal time.Time
	interesting := func() bool {
		for _, it := range *q {
			f := g.flags[it.h]
			if f&3 == fromLocal || (f&3 == 3 && f&stale == 0) {
				return true
			}
			if f&fromRemote != 0 && !minLocal.IsZero() && !it.when.Before(minLocal) {
				return true
			}
		}
		return false
	}
	var popped []plumbing.Hash
	for q.Len() > 0 && interesting() {
		it := heap.Pop(q).(qitem)
		f := g.flags[it.h]
		if done[it.h] == f {
			continue
		}
		done[it.h] = f
		switch {
		case f&3 == 3 && f&stale == 0:
			g.bases = append(g.bases, it.h)
			f |= stale
			g.flags[it.h] = f
		case f&3 == fromLocal:
			popped = append(popped, it.h)
			if minLocal.IsZero() || it.when.Before(minLocal) {
				minLocal = it.when
			}
		}
		c, err := get(it.h)
		if err != nil {
			return nil, err
		}
		for _, p := range c.ParentHashes {
			if err := add(p, f); err != nil {
				return nil, err
			}
		}
	}
	for _, h := range popped {
		if g.flags[h]&3 == fromLocal {
			g.localOnly = append(g.localOnly, h)
		}
	}
	return g, nil
}

// remoteOnly lists the commits reachable from remote and not from local (git's
// local..remote), newest first: both histories are walked by date until every
// commit still queued is known to both sides.
func (s *Store) remoteOnly(local, remote plumbing.Hash) ([]plumbing.Hash, error) {
	flags := map[plumbing.Hash]uint8{}
	q := &commitQueue{}
	add := func(h plumbing.Hash, f uint8) error {
		if flags[h]|f == flags[h] {
			return nil
		}
		flags[h] |= f
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return fmt.Errorf("read commit %s: %w", h, err)
		}
		heap.Push(q, qitem{h, c.Committer.When})
		return nil
	}
	if err := add(remote, fromRemote); err != nil {
		return nil, err
	}
	if !local.IsZero() {
		if err := add(local, fromLocal); err != nil {
			return nil, err
		}
	}
	// The walk goes on while a queued commit is not known to be local's.
	pending := func() bool {
		for _, it := range *q {
			if flags[it.h]&fromLocal == 0 {
				return true
			}
		}
		return false
	}
	done := map[plumbing.Hash]uint8{}
	var order []plumbing.Hash
	for q.Len() > 0 && pending() {
		it := heap.Pop(q).(qitem)
		f := flags[it.h]
		if done[it.h] == f {
			continue
		}
		if done[it.h] == 0 {
			order = append(order, it.h)
		}
		done[it.h] = f
		c, err := object.GetCommit(s.repo.Storer, it.h)
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", it.h, err)
		}
		for _, p := range c.ParentHashes {
			if err := add(p, f); err != nil {
				return nil, err
			}
		}
	}
	var out []plumbing.Hash
	for _, h := range order {
		if flags[h] == fromRemote {
			out = append(out, h)
		}
	}
	for _, it := range *q { // queued, never expanded, yet not local's
		if flags[it.h] == fromRemote && done[it.h] == 0 {
			out = append(out, it.h)
		}
	}
	return out, nil
}

// revivedIn finds, in merge commits made elsewhere (pulled), files deleted on
// one side of the merge and kept because the other side edited them, seen
// from this side: a file this side deleted that came back (DeletedHere), or a
// file this side edited that the other side had deleted.
func (s *Store) revivedIn(pulled []plumbing.Hash) ([]Revived, error) {
	isPulled := make(map[plumbing.Hash]bool, len(pulled))
	for _, h := range pulled {
		isPulled[h] = true
	}
	var out []Revived
	seen := map[string]bool{}
	for _, h := range pulled {
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return nil, err
		}
		if len(c.ParentHashes) != 2 {
			continue
		}
		p0, p1 := c.ParentHashes[0], c.ParentHashes[1]
		var mine, theirs plumbing.Hash // the parent from this side's history, the other
		switch {
		case !isPulled[p0] && isPulled[p1]:
			mine, theirs = p0, p1
		case isPulled[p0] && !isPulled[p1]:
			mine, theirs = p1, p0
		default:
			continue
		}
		g, err := s.paint(mine, theirs)
		if err != nil || len(g.bases) == 0 {
			continue
		}
		mt, err1 := s.commitTree(mine)
		tt, err2 := s.commitTree(theirs)
		bt, err3 := s.commitTree(g.bases[0])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, err
		}
		var diff []treeChange
		if err := s.diffTrees(mt, tt, "", &diff); err != nil {
			return nil, err
		}
		for _, d := range diff {
			if d.from.absent() == d.to.absent() || seen[d.path] {
				continue
			}
			inBase, err := s.pathEntry(bt, d.path)
			if err != nil {
				return nil, err
			}
			inMerge, err := s.pathEntry(c.TreeHash, d.path)
			if err != nil {
				return nil, err
			}
			if inBase.absent() || inMerge.absent() {
				continue
			}
			seen[d.path] = true
			out = append(out, Revived{Path: d.path, DeletedHere: d.from.absent()})
		}
	}
	return out, nil
}

// objectsToPush lists the commits, trees and blobs local has and remote lacks.
func (s *Store) objectsToPush(local, remote plumbing.Hash) ([]plumbing.Hash, error) {
	g, err := s.paint(local, remote)
	if err != nil {
		return nil, err
	}
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	addh := func(h plumbing.Hash) {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	var walk func(tree plumbing.Hash, parents []plumbing.Hash) error
	walk = func(tree plumbing.Hash, parents []plumbing.Hash) error {
		if seen[tree] {
			return nil
		}
		for _, p := range parents {
			if p == tree {
				return nil
			}
		}
		addh(tree)
		es, err := s.treeEntries(tree)
		if err != nil {
			return err
		}
		pes := make([]map[string]entry, 0, len(parents))
		for _, p := range parents {
			m, err := s.treeEntries(p)
			if err != nil {
				return err
			}
			pes = append(pes, m)
		}
		for name, e := range es {
			known := false
			var sub []plumbing.Hash
			for _, pm := range pes {
				pe, ok := pm[name]
				if ok && pe.hash == e.hash {
					known = true
					break
				}
				if ok && pe.mode == filemode.Dir {
					sub = append(sub, pe.hash)
				}
			}
			if known || e.mode == filemode.Submodule {
				continue
			}
			if e.mode == filemode.Dir {
				if err := walk(e.hash, sub); err != nil {
					return err
				}
			} else {
				addh(e.hash)
			}
		}
		return nil
	}
	for _, h := range g.localOnly {
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			return nil, err
		}
		addh(h)
		var pts []plumbing.Hash
		for _, p := range c.ParentHashes {
			t, err := s.commitTree(p)
			if err != nil {
				return nil, err
			}
			pts = append(pts, t)
		}
		if err := walk(c.TreeHash, pts); err != nil {
			return nil, err
		}
	}
	return out, nil
}
