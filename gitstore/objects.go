package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// entry is a file in a tree: its blob (or tree) hash and mode; a zero hash means absent.
type entry struct {
	hash plumbing.Hash
	mode filemode.FileMode
}

func (e entry) absent() bool { return e.hash.IsZero() }

// change sets (or, with an absent entry, deletes) one path in a tree.
type change struct {
	path string
	e    entry
}

// treeChange is one path that differs between two trees.
type treeChange struct {
	path     string
	from, to entry
}

var emptyTreeHash = plumbing.ComputeHash(plumbing.TreeObject, nil)

// writeObject stores an object unless it is already there.
func (s *Store) writeObject(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(t, data)
	if s.hasObject(h) { // packhas.go: without loading go-git's pack index
		return h, nil
	}
	obj := s.repo.Storer.NewEncodedObject()
	obj.SetType(t)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.private(s.repo.Storer.SetEncodedObject(obj))
}

// private makes a new loose object and its folder private: go-git creates them
// 0444 in 0755 folders whatever the umask.
func (s *Store) private(h plumbing.Hash, err error) (plumbing.Hash, error) {
	if err == nil {
		dir := filepath.Join(s.gitDir, "objects", h.String()[:2])
		_ = os.Chmod(dir, 0o700)
		_ = os.Chmod(filepath.Join(dir, h.String()[2:]), 0o400)
	}
	return h, err
}

// readBlob returns the content of a blob.
func (s *Store) readBlob(h plumbing.Hash) ([]byte, error) {
	obj, err := s.repo.Storer.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// treeEntries returns the entries of a tree keyed by name (empty for the zero hash).
func (s *Store) treeEntries(h plumbing.Hash) (map[string]entry, error) {
	m := map[string]entry{}
	if h.IsZero() || h == emptyTreeHash {
		return m, nil
	}
	t, err := object.GetTree(s.repo.Storer, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	for _, te := range t.Entries {
		// Any other name is carried over as it is: a tree holding a name oneone
		// would never write to disk (see safeName) must not stop later commits.
		if te.Name == "" || strings.ContainsAny(te.Name, "/\x00") {
			if s.untrusted {
				continue
			}
			return nil, fmt.Errorf("refusing tree %s: corrupt entry name %q: the repository is damaged; `git fsck` says more", h, te.Name)
		}
		m[te.Name] = entry{te.Hash, te.Mode}
	}
	return m, nil
}

// safeName reports whether oneone may write a file of that name to disk and commit one from
// disk: not empty, ".", ".." or .git in any letter case, no slash, NUL or backslash (a
// folder separator on Windows, where such a name would escape its folder). Trees are read
// whatever their names; checkout and the scan of hand edits skip what this refuses.
func safeName(n string) bool {
	if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\x00") || strings.EqualFold(n, ".git") {
		return false
	}
	return !strings.Contains(n, "\\")
}

// safePath reports whether every part of a slash-separated repository path is a safeName.
func safePath(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if !safeName(part) {
			return false
		}
	}
	return true
}

// UnsafeReason says in a few words why oneone never writes nor commits a file at the
// repository path p ("" when it would).
func UnsafeReason(p string) string {
	for _, n := range strings.Split(p, "/") {
		switch {
		case safeName(n):
		case strings.Contains(n, "\\"):
			return "its name has a backslash, a folder separator on Windows"
		case strings.EqualFold(n, ".git"):
			return "the name .git is reserved for git"
		default:
			return "its name could escape the repository"
		}
	}
	return ""
}

// commitTree returns the root tree of a commit (zero for the zero hash).
func (s *Store) commitTree(c plumbing.Hash) (plumbing.Hash, error) {
	if c.IsZero() {
		return plumbing.ZeroHash, nil
	}
	co, err := object.GetCommit(s.repo.Storer, c)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", c, err)
	}
	return co.TreeHash, nil
}

// encodeTree encodes entries in git order.
func encodeTree(entries map[string]entry) []byte {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	key := func(n string) string {
		if entries[n].mode == filemode.Dir {
			return n + "/"
		}
		return n
	}
	sort.Slice(names, func(i, j int) bool { return key(names[i]) < key(names[j]) })
	var b []byte
	for _, n := range names {
		e := entries[n]
		b = appendTreeEntry(b, e.mode, n, e.hash)
	}
	return b
}

// appendTreeEntry appends one entry of a git tree object: "MODE NAME\0HASH",
// the mode in octal without leading zeros.
func appendTreeEntry(b []byte, mode filemode.FileMode, name string, h plumbing.Hash) []byte {
	b = strconv.AppendUint(b, uint64(mode), 8)
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, 0)
	return append(b, h[:]...)
}

// applyTree returns the tree base with changes applied (paths relative to base);
// the zero hash when the result is empty.
func (s *Store) applyTree(base plumbing.Hash, changes []change) (plumbing.Hash, error) {
	entries, err := s.treeEntries(base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	groups := map[string][]change{}
	var order []string
	for _, c := range changes {
		first, rest, sub := strings.Cut(c.path, "/")
		if !sub {
			if c.e.absent() {
				delete(entries, first)
			} else {
				entries[first] = c.e
			}
			continue
		}
		if _, ok := groups[first]; !ok {
			order = append(order, first)
		}
		groups[first] = append(groups[first], change{rest, c.e})
	}
	for _, name := range order {
		var subBase plumbing.Hash
		if e, ok := entries[name]; ok && e.mode == filemode.Dir {
			subBase = e.hash
		}
		h, err := s.applyTree(subBase, groups[name])
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if h.IsZero() {
			if e, ok := entries[name]; ok && e.mode == filemode.Dir {
				delete(entries, name) // a folder emptied; a file set in its place stays
			}
		} else {
			entries[name] = entry{h, filemode.Dir}
		}
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil
	}
	return s.writeObject(plumbing.TreeObject, encodeTree(entries))
}

// diffTrees lists the files that differ between trees a and b (recursively, skipping equal subtrees).
func (s *Store) diffTrees(a, b plumbing.Hash, prefix string, out *[]treeChange) error {
	if a == b {
		return nil
	}
	ea, err := s.treeEntries(a)
	if err != nil {
		return err
	}
	eb, err := s.treeEntries(b)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(ea)+len(eb))
	for n := range ea {
		names = append(names, n)
	}
	for n := range eb {
		if _, ok := ea[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		x, y := ea[n], eb[n]
		if x == y {
			continue
		}
		p := prefix + n
		xd, yd := x.mode == filemode.Dir, y.mode == filemode.Dir
		switch {
		case xd && yd:
			if err := s.diffTrees(x.hash, y.hash, p+"/", out); err != nil {
				return err
			}
		case xd || yd:
			// A folder replaced by a file or the other way round.
			var dx, dy plumbing.Hash
			if xd {
				dx = x.hash
			} else if !x.absent() {
				*out = append(*out, treeChange{p, x, entry{}})
			}
			if yd {
				dy = y.hash
			} else if !y.absent() {
				*out = append(*out, treeChange{p, entry{}, y})
			}
			if err := s.diffTrees(dx, dy, p+"/", out); err != nil {
				return err
			}
		default:
			*out = append(*out, treeChange{p, x, y})
		}
	}
	return nil
}

// writeCommit stores a commit object.
func (s *Store) writeCommit(tree plumbing.Hash, parents []plumbing.Hash, msg string, a Author) (plumbing.Hash, error) {
	if tree.IsZero() {
		h, err := s.writeObject(plumbing.TreeObject, nil)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		tree = h
	}
	clean := func(v string) string {
		return strings.Map(func(r rune) rune {
			if r == '<' || r == '>' || r == '\n' || r == '\r' || r == 0 {
				return -1
			}
			return r
		}, strings.TrimSpace(v))
	}
	sig := object.Signature{Name: clean(a.Name), Email: clean(a.Email), When: time.Now()}
	if sig.Name == "" {
		sig.Name = "oneone"
	}
	if sig.Email == "" {
		sig.Email = "oneone@localhost"
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree, ParentHashes: parents}
	obj := s.repo.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.private(s.repo.Storer.SetEncodedObject(obj))
}

// readIndex reads .git/index (an empty index when there is none) and its modification time.
func (s *Store) readIndex() (*index.Index, time.Time, error) {
	p := filepath.Join(s.gitDir, "index")
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		idx := &index.Index{Version: 2}
		s.trees = &treeCache{idx: idx, known: map[string]plumbing.Hash{}}
		return idx, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	data := make([]byte, fi.Size()) // read whole at once: the index of a big repository is megabytes
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, time.Time{}, fmt.Errorf("read %s: %w", p, err)
	}
	if idx, known, err := decodeIndexTrees(data); err == nil {
		if known == nil {
			known = map[string]plumbing.Hash{}
		}
		s.trees = &treeCache{idx: idx, known: known}
		return idx, fi.ModTime(), nil
	}
	idx := &index.Index{}
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		return nil, time.Time{}, fmt.Errorf("read %s: %w (remove it and run `git reset` to rebuild it)", p, err)
	}
	return idx, fi.ModTime(), nil
}

// writeIndex writes .git/index atomically (cache-tree and other extensions are dropped).
func (s *Store) writeIndex(idx *index.Index) error {
	idx.Cache = nil
	idx.ResolveUndo = nil
	idx.EndOfIndexEntry = nil
	if idx.Version < 2 {
		idx.Version = 2
	}
	if idx.Version == 2 {
		for _, e := range idx.Entries {
			if e.SkipWorktree || e.IntentToAdd { // extended flags need version 3
				idx.Version = 3
				break
			}
		}
	}
	// The cache-tree goes back with the index (cachetree.go), computed from
	// the entries written; the folders an update changed are hashed again.
	root, _, err := s.indexTrees(idx)
	if err != nil {
		return err
	}
	data, err := encodeIndexTrees(idx, root)
	if errors.Is(err, errIndexFormat) {
		var b bytes.Buffer
		err = index.NewEncoder(&b).Encode(idx)
		data = b.Bytes()
	}
	if err != nil {
		return fmt.Errorf("encode index: %w", err)
	}
	return WriteFileAtomic(filepath.Join(s.gitDir, "index"), data)
}

// indexUpdate collects index changes: a nil entry removes the path.
type indexUpdate map[string]*index.Entry

// apply rewrites idx.Entries with the updates (and drops entries under removed folders' paths replaced by files).
func (u indexUpdate) apply(idx *index.Index) {
	if len(u) == 0 || u.applySorted(idx) {
		return
	}
	out := idx.Entries[:0]
	for _, e := range idx.Entries {
		if _, ok := u[e.Name]; ok {
			continue
		}
		out = append(out, e)
	}
	for _, e := range u {
		if e != nil {
			out = append(out, e)
		}
	}
	idx.Entries = out
	sort.Slice(idx.Entries, func(i, j int) bool { return idx.Entries[i].Name < idx.Entries[j].Name })
}

// applySorted is apply for a few paths on an index sorted by name with no
// name twice (no conflict stages), as oneone and git write it: each path is
// found by binary search and replaced, removed or inserted in place, instead
// of a map lookup per entry and a sort of all of them (issue 19: 3 ms of a
// `new` + commit on the large bench repository's 42,560 entries). It
// reports false, changing nothing, when idx is not such an index.
func (u indexUpdate) applySorted(idx *index.Index) bool {
	if len(u) > 64 {
		return false
	}
	es := idx.Entries
	for i := 1; i < len(es); i++ {
		if es[i-1].Name >= es[i].Name {
			return false
		}
	}
	for name, e := range u {
		i, found := slices.BinarySearchFunc(es, name, func(e *index.Entry, name string) int { return strings.Compare(e.Name, name) })
		switch {
		case found && e == nil:
			es = slices.Delete(es, i, i+1)
		case found:
			es[i] = e
		case e != nil:
			es = slices.Insert(es, i, e)
		}
	}
	idx.Entries = es
	return true
}

// fileEntry describes a work tree file as a blob (storing it) and an index entry.
func (s *Store) fileEntry(rel string, fi os.FileInfo) (entry, *index.Entry, error) {
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	var data []byte
	var mode filemode.FileMode
	var err error
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		var target string
		target, err = os.Readlink(full)
		data, mode = []byte(filepath.ToSlash(target)), filemode.Symlink
	case fi.Mode().IsRegular():
		data, err = os.ReadFile(full)
		mode = filemode.Regular
		if fi.Mode()&0o111 != 0 {
			mode = filemode.Executable
		}
	default:
		return entry{}, nil, fmt.Errorf("%s is not a regular file", full)
	}
	if err != nil {
		return entry{}, nil, err
	}
	if mode != filemode.Symlink {
		if err := checkCredentials(rel, data); err != nil {
			return entry{}, nil, err
		}
	}
	h, err := s.writeObject(plumbing.BlobObject, data)
	if err != nil {
		return entry{}, nil, fmt.Errorf("store %s: %w", rel, err)
	}
	ie := &index.Entry{Name: rel, Hash: h, Mode: mode}
	fillStat(ie, statOf(fi))
	return entry{h, mode}, ie, nil
}

// relPath validates a repository-relative (or absolute, inside the repository) path.
func (s *Store) relPath(p string) (string, error) {
	if filepath.IsAbs(p) {
		r, err := filepath.Rel(s.dir, p)
		if err != nil {
			return "", fmt.Errorf("%s is outside the repository %s", p, s.dir)
		}
		p = r
	}
	p = path.Clean(filepath.ToSlash(p))
	if p == "." || p == "" || strings.HasPrefix(p, "../") || p == ".." || strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("%q is not a path inside the repository %s", p, s.dir)
	}
	for _, part := range strings.Split(p, "/") {
		if !safeName(part) {
			return "", fmt.Errorf("refusing path %q: it names .git or escapes the repository", p)
		}
	}
	return p, nil
}
