package gitstore

import (
	"fmt"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/oneone/oneone/notes"
)

// The merge: file by file, then line by line (merge3.go); never conflict markers.

// merge builds a two-parent merge commit of local and remote, file by file, and checks it out.
func (s *Store) merge(branch, upstream plumbing.ReferenceName, local, remote, base plumbing.Hash, author Author, res *SyncResult) (plumbing.Hash, []Conflict, error) {
	lt, err := s.commitTree(local)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	rt, err := s.commitTree(remote)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	bt, err := s.commitTree(base)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	var ours, theirs []treeChange
	if err := s.diffTrees(bt, lt, "", &ours); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	if err := s.diffTrees(bt, rt, "", &theirs); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	oursBy := make(map[string]treeChange, len(ours))
	for _, c := range ours {
		oursBy[c.path] = c
	}
	localFiles := func(p string) (entry, error) { return s.pathEntry(lt, p) }
	short := remote.String()[:7]
	var (
		changes   []change
		conflicts []Conflict
		merged    []string
		revived   []Revived
	)
	for _, tc := range theirs {
		oc, both := oursBy[tc.path]
		switch {
		case !both:
			changes = append(changes, change{tc.path, tc.to})
		case oc.to == tc.to:
		case tc.to.absent(): // deleted there, edited here: the edit survives
			revived = append(revived, Revived{Path: tc.path})
		case oc.to.absent(): // deleted here, edited there: the edit survives
			changes = append(changes, change{tc.path, tc.to})
			revived = append(revived, Revived{Path: tc.path, DeletedHere: true})
		default:
			if text, ok, err := s.mergeFile(tc.path, tc.from, oc.to, tc.to); err != nil {
				return plumbing.ZeroHash, nil, err
			} else if ok {
				h, err := s.writeObject(plumbing.BlobObject, []byte(text))
				if err != nil {
					return plumbing.ZeroHash, nil, err
				}
				changes = append(changes, change{tc.path, entry{h, oc.to.mode}})
				merged = append(merged, tc.path)
				continue
			}
			cp := conflictName(tc.path, short)
			if e, err := localFiles(cp); err != nil {
				return plumbing.ZeroHash, nil, err
			} else if !e.absent() && e.hash != tc.to.hash {
				cp = conflictName(tc.path, tc.to.hash.String()[:7])
			}
			changes = append(changes, change{cp, tc.to})
			conflicts = append(conflicts, Conflict{Path: tc.path, Copy: cp, Kind: ConflictBoth})
		}
	}
	changes, clashes, err := s.resolveClashes(lt, changes)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	moved := map[string]bool{}
	for _, c := range clashes {
		moved[c.Path] = true
	}
	for _, r := range revived {
		if !moved[r.Path] { // a file moved aside by a clash is said as such
			res.Revived = append(res.Revived, r)
		}
	}
	conflicts = append(conflicts, clashes...)
	mt := lt
	if len(changes) > 0 {
		if mt, err = s.applyTree(lt, changes); err != nil {
			return plumbing.ZeroHash, nil, err
		}
	}
	msg := fmt.Sprintf("sync: merge %s/%s", RemoteName, upstream.Short())
	var body []string
	for _, p := range merged {
		body = append(body, "merged both edits of "+p)
	}
	for _, c := range conflicts {
		if c.Kind == ConflictFileFolder {
			body = append(body, fmt.Sprintf("%s is a file on one side and a folder on the other: the folder kept, the file kept as %s", c.Path, c.Copy))
			continue
		}
		body = append(body, fmt.Sprintf("conflict in %s: remote version kept as %s", c.Path, c.Copy))
	}
	for _, r := range res.Revived {
		body = append(body, fmt.Sprintf("%s deleted on one side, edited on the other: the edit kept", r.Path))
	}
	if len(body) > 0 {
		msg += "\n\n" + strings.Join(body, "\n")
	}
	h, err := s.writeCommit(mt, []plumbing.Hash{local, remote}, msg, author)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	if err := s.checkoutTrees(branch, lt, mt, h, res); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	return h, conflicts, nil
}

// mergeText line-merges two versions of a text file; ok=false on a true conflict or binary data.
func (s *Store) mergeText(base, ours, theirs entry) (string, bool, error) {
	if ours.mode == filemode.Symlink || theirs.mode == filemode.Symlink || ours.mode == filemode.Submodule || theirs.mode == filemode.Submodule {
		return "", false, nil
	}
	read := func(e entry) (string, error) {
		if e.absent() {
			return "", nil
		}
		b, err := s.readBlob(e.hash)
		return string(b), err
	}
	b, err := read(base)
	if err != nil {
		return "", false, err
	}
	o, err := read(ours)
	if err != nil {
		return "", false, err
	}
	t, err := read(theirs)
	if err != nil {
		return "", false, err
	}
	if strings.ContainsRune(b+o+t, 0) {
		return "", false, nil
	}
	text, ok := merge3(b, o, t)
	return text, ok, nil
}

// pathEntry returns the entry at a slash path inside a tree (absent when missing).
func (s *Store) pathEntry(tree plumbing.Hash, p string) (entry, error) {
	cur := tree
	parts := strings.Split(p, "/")
	for i, part := range parts {
		es, err := s.treeEntries(cur)
		if err != nil {
			return entry{}, err
		}
		e, ok := es[part]
		if !ok {
			return entry{}, nil
		}
		if i == len(parts)-1 {
			return e, nil
		}
		if e.mode != filemode.Dir {
			return entry{}, nil
		}
		cur = e.hash
	}
	return entry{}, nil
}

// conflictName is where the remote version of a conflicting file is kept:
// alice/2026-11-25.md -> alice/2026-11-25.conflict-abc1234.md.
func conflictName(p, short string) string {
	dir, file := path.Split(p)
	ext := path.Ext(file)
	if ext == file || len(ext) > 32 {
		ext = ""
	}
	mark := ".conflict-" + short
	stem := notes.TruncateName(strings.TrimSuffix(file, ext), notes.MaxNameBytes-len(mark)-len(ext)) // fits any name git accepts
	return dir + stem + mark + ext
}
