package gitstore

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// treeCache is the index's cache-tree (git's TREE extension): the tree hash
// of every folder of the index, as git keeps it. oneone reads it with the
// index, forgets the folders on the paths an update changes, and writes it
// back with the index, computed from the entries written (the folders it
// forgot hashed again, the others taken as they are).
//
// What it saves, on the large bench repository (42,560 notes, one pack of
// 92,000 objects): a commit of one note hashes the trees on that note's path
// only (its report's folder, about 430 entries, and the root) instead of
// reading HEAD's trees from the pack, which loads go-git's pack index and its
// reverse index first (about 20 ms of CPU per commit); and sync's check for
// changes staged by hand (`git add`) compares one hash with HEAD's tree
// instead of hashing the trees of all 42,560 entries (about 7 ms).
type treeCache struct {
	idx   *index.Index             // the index it describes
	known map[string]plumbing.Hash // folder ("" the root, "a/b" below) -> tree hash, for the valid folders
	built *ctNode                  // the whole cache-tree of idx as it is, once indexTrees computed it
}

// treesFor returns the cache of idx, nil when there is none.
func (s *Store) treesFor(idx *index.Index) *treeCache {
	if s.trees == nil || s.trees.idx != idx {
		return nil
	}
	return s.trees
}

// cacheable reports whether the index's trees can be cached: entries in
// order, none in conflict or intent-to-add, which a tree leaves out (git
// writes no valid cache-tree for an index holding them either).
func cacheable(idx *index.Index) bool {
	if len(idx.Entries) == 0 {
		return false
	}
	for i, e := range idx.Entries {
		if e.Stage != 0 || e.IntentToAdd || i > 0 && idx.Entries[i-1].Name >= e.Name {
			return false
		}
	}
	return true
}

// invalidate forgets the folders that hold any path of u.
func (t *treeCache) invalidate(u indexUpdate) {
	t.built = nil
	for p := range u {
		delete(t.known, "")
		for i := strings.IndexByte(p, '/'); i >= 0; {
			delete(t.known, p[:i])
			j := strings.IndexByte(p[i+1:], '/')
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
}

// updateIndex applies u to idx, forgetting the cached trees u changes.
func (s *Store) updateIndex(idx *index.Index, u indexUpdate) {
	if len(u) == 0 {
		return
	}
	if t := s.treesFor(idx); t != nil {
		t.invalidate(u)
	}
	u.apply(idx)
}

// ctNode is one folder of the cache-tree being written.
type ctNode struct {
	name     string
	count    int // index entries under it
	hash     plumbing.Hash
	children []*ctNode
}

// buildTrees returns the tree of es (every entry under prefix, sorted):
// folders that known has are taken from it, the others are encoded from
// their entries, passed to store (which returns the hash) and added to known.
func buildTrees(es []*index.Entry, prefix, name string, known map[string]plumbing.Hash, store func([]byte) (plumbing.Hash, error)) (*ctNode, error) {
	n := &ctNode{name: name, count: len(es)}
	h, ok := known[strings.TrimSuffix(prefix, "/")]
	var buf []byte
	add := func(mode filemode.FileMode, name string, h plumbing.Hash) {
		if !ok {
			buf = appendTreeEntry(buf, mode, name, h)
		}
	}
	for i := 0; i < len(es); {
		rest := es[i].Name[len(prefix):]
		dir, _, nested := strings.Cut(rest, "/")
		if !nested {
			add(es[i].Mode, rest, es[i].Hash)
			i++
			continue
		}
		sub := prefix + dir + "/"
		k := i + 1
		for k < len(es) && strings.HasPrefix(es[k].Name, sub) {
			k++
		}
		c, err := buildTrees(es[i:k], sub, dir, known, store)
		if err != nil {
			return nil, err
		}
		n.children = append(n.children, c)
		add(filemode.Dir, dir, c.hash)
		i = k
	}
	if !ok {
		var err error
		if h, err = store(buf); err != nil {
			return nil, err
		}
		known[strings.TrimSuffix(prefix, "/")] = h
	}
	n.hash = h
	return n, nil
}

// indexTrees returns the root tree of idx (its cache updated, every tree
// stored), or false when idx has no cache or cannot have one.
func (s *Store) indexTrees(idx *index.Index) (*ctNode, bool, error) {
	t := s.treesFor(idx)
	if t != nil && t.built != nil {
		return t.built, true, nil // nothing changed since
	}
	if t == nil || !cacheable(idx) {
		return nil, false, nil
	}
	root, err := buildTrees(idx.Entries, "", "", t.known, func(data []byte) (plumbing.Hash, error) {
		return s.writeObject(plumbing.TreeObject, data)
	})
	if err != nil {
		return nil, false, err
	}
	t.built = root
	return root, true, nil
}

// encodeTreeExtension appends the TREE extension of root to out: each folder
// as "name NUL entries SP subtrees LF hash", parents before their children.
func encodeTreeExtension(out []byte, root *ctNode) []byte {
	var body []byte
	var walk func(n *ctNode)
	walk = func(n *ctNode) {
		body = append(body, n.name...)
		body = append(body, 0)
		body = strconv.AppendInt(body, int64(n.count), 10)
		body = append(body, ' ')
		body = strconv.AppendInt(body, int64(len(n.children)), 10)
		body = append(body, '\n')
		body = append(body, n.hash[:]...)
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	out = append(out, 'T', 'R', 'E', 'E')
	out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
	return append(out, body...)
}

// decodeTreeExtension reads a TREE extension into folder -> hash (valid folders only); nil when malformed.
func decodeTreeExtension(data []byte) map[string]plumbing.Hash {
	known := map[string]plumbing.Hash{}
	var read func(prefix string) bool
	read = func(prefix string) bool {
		nul := bytes.IndexByte(data, 0)
		if nul < 0 {
			return false
		}
		name := string(data[:nul])
		data = data[nul+1:]
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return false
		}
		count, err := strconv.Atoi(string(data[:sp]))
		if err != nil {
			return false
		}
		data = data[sp+1:]
		lf := bytes.IndexByte(data, '\n')
		if lf < 0 {
			return false
		}
		subs, err := strconv.Atoi(string(data[:lf]))
		if err != nil || subs < 0 {
			return false
		}
		data = data[lf+1:]
		path := prefix + name
		if count >= 0 {
			if len(data) < 20 {
				return false
			}
			var h plumbing.Hash
			copy(h[:], data[:20])
			known[path] = h
			data = data[20:]
		}
		next := path + "/"
		if path == "" {
			next = ""
		}
		for i := 0; i < subs; i++ {
			if !read(next) {
				return false
			}
		}
		return true
	}
	if !read("") || prefixed(known) {
		return nil
	}
	return known
}

// prefixed reports a root entry with a name (the root's is always empty): a malformed extension.
func prefixed(known map[string]plumbing.Hash) bool {
	for k := range known {
		if strings.HasPrefix(k, "/") {
			return true
		}
	}
	return false
}
