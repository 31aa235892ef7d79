package gitstore

import (
	"container/heap"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// A report's shared agenda lives in a git repository of its own (a remote the
// manager created for that report), never in the notes repository. The
// manager's copy of it is a bare repository under .git/oneone/share/SLUG:
// outside the work tree, so `git status` of the notes stays clean, and with
// objects of its own, so nothing of the notes repository can ever be pushed
// to it.

// SharedRepo is the manager's copy of one report's shared agenda (a Mirror).
type SharedRepo struct {
	*Mirror
	slug  string
	notes *Store // the notes repository: its roots key the publish trailer (see publishMAC)
}

// sharedHints are the words of a shared agenda's error messages.
var sharedHints = mirrorHints{notFound: "create it (empty, private) on your git host, or check the URL with `oneone share`",
	again: "run `oneone sync` again when online", answers: "run `oneone sync` again when it answers", access: "access to this repository too"}

// SharedTip is the shared remote's branch and the commit it points at ("" when the remote is empty).
type SharedTip struct {
	Branch string
	Commit string
}

// SharedState is what this computer remembers of a shared agenda (a file in its
// bare repository): the last commit it published and the key of what it was
// made from, so that a sync with nothing to do costs one round trip.
type SharedState struct {
	Published string `json:"published"`
	Key       string `json:"key"`
	Branch    string `json:"branch"`
	// Placed are the keys of next.md's topics already put into a note since
	// the publish PlacedBase (by `new`, or by a sync whose publish failed):
	// the next sync does not place them again, even when the manager has
	// rewritten them in the note meanwhile. A publish clears them.
	Placed     []string `json:"placed,omitempty"`
	PlacedBase string   `json:"placed_base,omitempty"`
	// URL is the shared remote all this was about (without credentials): a
	// state recorded for another URL says nothing about this one.
	URL string `json:"url,omitempty"`
}

// publishTrailer marks the commits oneone publishes: the last one in the
// shared branch's history is what the report's changes are measured against.
// It ends with a MAC of the commit's tree and parents (publishMAC), keyed by
// what only the manager's computers know: a report who copies the trailer
// into a commit of theirs does not make it a publish (which would hide their
// change from the manager and let the next publish drop it).
const publishTrailer = "Oneone-Publish: shared agenda"

// publishMAC signs a publish: an HMAC of its tree and parents, keyed by a
// root commit of the notes' history (the same on every computer of the
// manager's, never published anywhere a report can read) and the report.
func publishMAC(key []byte, tree plumbing.Hash, parents []plumbing.Hash) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("oneone-publish\n" + tree.String() + "\n"))
	for _, p := range parents {
		m.Write([]byte(p.String() + "\n"))
	}
	return hex.EncodeToString(m.Sum(nil))[:24]
}

// publishRoots returns the root commits of the notes' history, smallest hash
// first: a publish is signed with the first and verified with any, so two
// computers whose histories were joined (two roots) agree once both have the
// merge, and a publish signed before it still verifies. Remembered with the
// HEAD they were found from under .git/oneone/share, so that a later sync
// walks only the commits made since.
func (s *Store) publishRoots() []string {
	head, err := s.repo.Head()
	if err != nil {
		return nil
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.keyHead == head.Hash() {
		return s.keyRoots
	}
	cache := filepath.Join(s.gitDir, "oneone", "share", "publish-roots")
	var knownHead plumbing.Hash
	roots := map[string]bool{}
	if data, err := os.ReadFile(cache); err == nil {
		if f := strings.Fields(string(data)); len(f) >= 2 {
			knownHead = plumbing.NewHash(f[0])
			for _, r := range f[1:] {
				roots[r] = true
			}
		}
	}
	if _, err := object.GetCommit(s.repo.Storer, knownHead); knownHead.IsZero() || err != nil {
		knownHead, roots = plumbing.ZeroHash, map[string]bool{}
	}
	if head.Hash() != knownHead {
		kept := roots
		roots = map[string]bool{}
		seen := map[plumbing.Hash]bool{}
		todo := []plumbing.Hash{head.Hash()}
		metKnown := false
		for len(todo) > 0 {
			h := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if seen[h] {
				continue
			}
			seen[h] = true
			if h == knownHead {
				metKnown = true
				continue
			}
			c, err := object.GetCommit(s.repo.Storer, h)
			if err != nil {
				return nil
			}
			if len(c.ParentHashes) == 0 {
				roots[h.String()] = true
			}
			todo = append(todo, c.ParentHashes...)
		}
		if metKnown { // the history up to the known HEAD has the roots found then
			for r := range kept {
				roots[r] = true
			}
		}
	}
	list := make([]string, 0, len(roots))
	for r := range roots {
		list = append(list, r)
	}
	sort.Strings(list)
	if len(list) > 0 && mkdirAll(filepath.Dir(cache)) == nil {
		_ = WriteFileAtomic(cache, []byte(head.Hash().String()+" "+strings.Join(list, " ")+"\n"))
	}
	s.keyHead, s.keyRoots = head.Hash(), list
	return list
}

// keys returns the keys this report's publishes are signed with (the first)
// and verified with (any).
func (b *SharedRepo) keys() [][]byte {
	if b.notes == nil {
		return nil
	}
	var out [][]byte
	for _, r := range b.notes.publishRoots() {
		out = append(out, []byte(r+"\x00"+b.slug)) // one key per report: a publish for one never passes for another's
	}
	return out
}

// SharedRepo opens (creating it the first time) the manager's copy of a report's shared agenda.
func (s *Store) SharedRepo(slug string) (*SharedRepo, error) {
	if !safeName(slug) || strings.ContainsAny(slug, "/.") {
		return nil, fmt.Errorf("bad slug %q", slug)
	}
	dir := filepath.Join(s.gitDir, "oneone", "share", slug)
	m, err := openMirror(dir, sharedHints)
	if err != nil {
		return nil, fmt.Errorf("open the shared agenda of %s (%s): %w", slug, dir, err)
	}
	m.st.untrusted = true // a tree entry from the report is never trusted (see Store.untrusted)
	m.st.shareSlug = slug
	return &SharedRepo{Mirror: m, slug: slug, notes: s}, nil
}

// HasSharedRepo reports whether this computer has a copy of the report's shared agenda.
func (s *Store) HasSharedRepo(slug string) bool {
	fi, err := os.Lstat(filepath.Join(s.gitDir, "oneone", "share", slug))
	return err == nil && fi.IsDir() && safeName(slug)
}

// Author is who publishes: the manager's name, and the address of git's
// global configuration (never the notes repository's own), else oneone@localhost.
func (b *SharedRepo) Author(manager string) Author { return b.st.DefaultAuthor(manager) }

func (b *SharedRepo) statePath() string { return filepath.Join(b.dir, "oneone-share.json") }

// State returns what this computer remembers (zero when nothing).
func (b *SharedRepo) State() SharedState {
	var st SharedState
	if data, err := os.ReadFile(b.statePath()); err == nil {
		_ = json.Unmarshal(data, &st)
	}
	return st
}

// SetState records what this computer published.
func (b *SharedRepo) SetState(st SharedState) error {
	data, _ := json.Marshal(st)
	return WriteFileAtomic(b.statePath(), data)
}

// Probe asks the shared remote where its branch is, without fetching: the
// branch named branch, else its default branch, else its only one, else main.
func (b *SharedRepo) Probe(ctx context.Context, url, branch string, opts SyncOptions) (SharedTip, error) {
	adv, err := b.refs(ctx, url, opts)
	if err != nil {
		return SharedTip{}, err
	}
	return pickShared(adv, branch), nil
}

func pickShared(adv *RemoteRefs, branch string) SharedTip {
	if branch != "" {
		if h, ok := adv.Branches[plumbing.NewBranchReferenceName(branch)]; ok {
			return SharedTip{branch, h.String()}
		}
	}
	name := plumbing.ReferenceName("")
	switch {
	case adv.Head != "":
		name = adv.Head
	case len(adv.Branches) == 1:
		for n := range adv.Branches {
			name = n
		}
	default:
		if _, ok := adv.Branches[plumbing.NewBranchReferenceName(DefaultBranch)]; ok {
			name = plumbing.NewBranchReferenceName(DefaultBranch)
		}
	}
	if name == "" {
		if branch == "" {
			branch = DefaultBranch
		}
		return SharedTip{Branch: branch}
	}
	return SharedTip{name.Short(), adv.Branches[name].String()}
}

// Known reports whether the tip's commit is already here (nothing to fetch).
func (b *SharedRepo) Known(tip SharedTip) bool {
	if tip.Commit == "" {
		return true
	}
	tracking := plumbing.NewRemoteReferenceName(RemoteName, tip.Branch)
	return b.st.refHash(tracking).String() == tip.Commit
}

// Fetch brings the shared remote's branch here and returns its tip.
func (b *SharedRepo) Fetch(ctx context.Context, url string, tip SharedTip, opts SyncOptions) (SharedTip, error) {
	h, err := b.fetchBranch(ctx, url, tip.Branch, opts)
	if err != nil {
		return tip, err
	}
	tip.Commit = ""
	if !h.IsZero() {
		tip.Commit = h.String()
	}
	return tip, nil
}

// LastPublished returns the newest commit oneone published in the history of
// commit ("" when there is none: the report rewrote the history, or nothing
// was published yet).
func (b *SharedRepo) LastPublished(commit string) (string, error) {
	if commit == "" {
		return "", nil
	}
	q := &commitQueue{}
	seen := map[plumbing.Hash]bool{}
	push := func(h plumbing.Hash) error {
		if seen[h] {
			return nil
		}
		seen[h] = true
		c, err := object.GetCommit(b.st.repo.Storer, h)
		if err != nil {
			return fmt.Errorf("read commit %s of the shared agenda: %w", h, err)
		}
		heap.Push(q, qitem{h, c.Committer.When})
		return nil
	}
	if err := push(plumbing.NewHash(commit)); err != nil {
		return "", err
	}
	mine := b.State().Published
	for n := 0; q.Len() > 0 && n < 100000; n++ {
		it := heap.Pop(q).(qitem)
		c, err := object.GetCommit(b.st.repo.Storer, it.h)
		if err != nil {
			return "", err
		}
		if b.isPublish(c) || (mine != "" && it.h.String() == mine) {
			return it.h.String(), nil
		}
		for _, p := range c.ParentHashes {
			if err := push(p); err != nil {
				return "", err
			}
		}
	}
	return "", nil
}

// PublishedElsewhere reports whether the history of commit holds a publish
// that is not one of this report's (its trailer does not verify for them):
// the shared agenda of another report, or of another notes repository.
func (b *SharedRepo) PublishedElsewhere(commit string) (bool, error) {
	if commit == "" {
		return false, nil
	}
	seen := map[plumbing.Hash]bool{}
	todo := []plumbing.Hash{plumbing.NewHash(commit)}
	for n := 0; len(todo) > 0 && n < 100000; n++ {
		h := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		c, err := object.GetCommit(b.st.repo.Storer, h)
		if err != nil {
			return false, fmt.Errorf("read commit %s of the shared agenda: %w", h, err)
		}
		for _, l := range strings.Split(c.Message, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), publishTrailer) && !b.isPublish(c) {
				return true, nil
			}
		}
		todo = append(todo, c.ParentHashes...)
	}
	return false, nil
}

// isPublish reports whether a commit is one of the manager's publishes: its
// trailer carries the MAC of its own tree and parents.
func (b *SharedRepo) isPublish(c *object.Commit) bool {
	for _, l := range strings.Split(c.Message, "\n") {
		mac, ok := strings.CutPrefix(strings.TrimSpace(l), publishTrailer+" ")
		if !ok {
			continue
		}
		for _, k := range b.keys() {
			if hmac.Equal([]byte(mac), []byte(publishMAC(k, c.TreeHash, c.ParentHashes))) {
				return true
			}
		}
	}
	return false
}

// Has reports whether a commit is in the bare repository.
func (b *SharedRepo) Has(commit string) bool {
	if commit == "" {
		return false
	}
	_, err := object.GetCommit(b.st.repo.Storer, plumbing.NewHash(commit))
	return err == nil
}

// MaxSharedFile is the largest file read from a shared agenda; a larger one is listed but left empty.
const MaxSharedFile = 16 << 20

// SkippedFile is a file of a shared agenda's commit that Files leaves out, and why.
type SkippedFile struct {
	Path string
	Why  string
}

// Files returns every file of a commit by path ("" gives none). Links are read
// as the text of their target, submodules are left out; a file larger than
// MaxSharedFile, or a folder git cannot read, is listed in skipped and left
// out too. The report may push trees git itself would never check out: names
// such as "../x.md" or "a/b.md" are read under their path as written (never
// a path on disk: what comes back is kept under a flat name), an entry
// without a name is left out. Only a commit whose root cannot be read at all
// is an error.
func (b *SharedRepo) Files(commit string) (files map[string][]byte, skipped []SkippedFile, err error) {
	files = map[string][]byte{}
	if commit == "" {
		return files, nil, nil
	}
	root, err := b.st.commitTree(plumbing.NewHash(commit))
	if err != nil {
		return nil, nil, err
	}
	skipped, err = b.walk(root, func(p string, e object.TreeEntry) (string, error) {
		obj, err := b.st.repo.Storer.EncodedObject(plumbing.BlobObject, e.Hash)
		if err != nil {
			return "", fmt.Errorf("read %s of the shared agenda: %w", p, err)
		}
		if obj.Size() > MaxSharedFile {
			return fmt.Sprintf("larger than %d MiB", MaxSharedFile>>20), nil
		}
		data, err := b.st.readBlob(e.Hash)
		if err != nil {
			return "", err
		}
		files[p] = data
		return "", nil
	})
	if err != nil {
		if strings.Contains(err.Error(), "cannot be read") {
			err = fmt.Errorf("commit %s of the shared agenda holds %w", commit[:min(7, len(commit))], err)
		}
		return nil, nil, err
	}
	return files, skipped, nil
}

// walk calls fn for every file of a tree (submodules left out) by its path
// as written, whatever its name (never a path on disk); fn returns why a file
// is skipped ("" when it is not). A folder that cannot be read is skipped; a
// root that cannot be read is an error.
func (b *SharedRepo) walk(root plumbing.Hash, fn func(p string, e object.TreeEntry) (string, error)) ([]SkippedFile, error) {
	var skipped []SkippedFile
	var walk func(h plumbing.Hash, prefix string) error
	walk = func(h plumbing.Hash, prefix string) error {
		t, err := object.GetTree(b.st.repo.Storer, h)
		if err != nil {
			if prefix == "" {
				return fmt.Errorf("a tree that cannot be read (%v): the report must push a commit without it", err)
			}
			skipped = append(skipped, SkippedFile{strings.TrimSuffix(prefix, "/"), fmt.Sprintf("a folder that cannot be read (%v)", err)})
			return nil
		}
		for _, e := range t.Entries {
			if e.Name == "" {
				continue
			}
			p := prefix + e.Name
			switch e.Mode {
			case filemode.Dir:
				if err := walk(e.Hash, p+"/"); err != nil {
					return err
				}
			case filemode.Submodule:
			default:
				why, err := fn(p, e)
				if err != nil {
					return err
				}
				if why != "" {
					skipped = append(skipped, SkippedFile{p, why})
				}
			}
		}
		return nil
	}
	if root.IsZero() || root == emptyTreeHash {
		return nil, nil
	}
	if err := walk(root, ""); err != nil {
		return nil, err
	}
	sort.Slice(skipped, func(i, j int) bool { return skipped[i].Path < skipped[j].Path })
	return skipped, nil
}

// entries returns the files of a tree by path, read as walk reads them.
func (b *SharedRepo) entries(root plumbing.Hash) (map[string]object.TreeEntry, error) {
	out := map[string]object.TreeEntry{}
	_, err := b.walk(root, func(p string, e object.TreeEntry) (string, error) {
		out[p] = e
		return "", nil
	})
	return out, err
}

// Published is what Publish did.
type Published struct {
	Commit  string   // the new tip (the old one when nothing changed)
	Changed []string // paths written or removed by the new commit
	Pushed  bool
}

// ErrSharedMoved is returned by Publish when the report pushed meanwhile: fetch and try again.
var ErrSharedMoved = errors.New("the shared agenda changed while publishing")

// Publish commits files as the whole content of the shared branch, on top of
// tip (a fast-forward: the report's history stays), and pushes it. With force
// unset, files equal to tip's are not published again.
func (b *SharedRepo) Publish(ctx context.Context, url string, tip SharedTip, files map[string][]byte, msg string, author Author, force bool, opts SyncOptions) (Published, error) {
	res := Published{Commit: tip.Commit}
	if err := b.useRemote(url); err != nil {
		return res, err
	}
	ai, err := resolveAuth(url, &opts)
	if err != nil {
		return res, err
	}
	var parent plumbing.Hash
	var parentTree plumbing.Hash
	if tip.Commit != "" {
		parent = plumbing.NewHash(tip.Commit)
		if parentTree, err = b.st.commitTree(parent); err != nil {
			return res, err
		}
	}
	var changes []change
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if !safePath(p) {
			return res, fmt.Errorf("refusing to publish %q: not a safe file name", p)
		}
		h, err := b.st.writeObject(plumbing.BlobObject, files[p])
		if err != nil {
			return res, err
		}
		changes = append(changes, change{p, entry{h, filemode.Regular}})
	}
	tree, err := b.st.applyTree(plumbing.ZeroHash, changes)
	if err != nil {
		return res, err
	}
	if tree.IsZero() {
		if tree, err = b.st.writeObject(plumbing.TreeObject, nil); err != nil {
			return res, err
		}
	}
	// what changed, read as Files reads the report's trees (whatever their names)
	before, err := b.entries(parentTree)
	if err != nil {
		return res, err
	}
	after, err := b.entries(tree)
	if err != nil {
		return res, err
	}
	for p, e := range after {
		if o, ok := before[p]; !ok || o.Hash != e.Hash || o.Mode != e.Mode {
			res.Changed = append(res.Changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			res.Changed = append(res.Changed, p)
		}
	}
	sort.Strings(res.Changed)
	if !force && !parent.IsZero() && tree == parentTree {
		if b.NeedsRekey(tip) { // nothing new, but encrypted for other keys: encrypted again
			if err := b.rekey(ctx, newTransport(b.st, url, ai), plumbing.NewBranchReferenceName(tip.Branch), parent); err != nil {
				if errors.Is(err, ErrRemoteMoved) {
					return res, fmt.Errorf("%w: %v", ErrSharedMoved, err)
				}
				return res, b.remoteError(url, ai, err)
			}
			res.Pushed = true
		}
		return res, nil
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	var parents []plumbing.Hash
	if !parent.IsZero() {
		parents = append(parents, parent)
	}
	keys := b.keys()
	if len(keys) == 0 {
		return res, errors.New("the notes repository has no commit yet: commit first (`oneone sync`), then publish")
	}
	commit, err := b.st.writeCommit(tree, parents, msg+"\n"+publishTrailer+" "+publishMAC(keys[0], tree, parents)+"\n", author)
	if err != nil {
		return res, err
	}
	branch := plumbing.NewBranchReferenceName(tip.Branch)
	tracking := plumbing.NewRemoteReferenceName(RemoteName, tip.Branch)
	if err := b.st.pushTo(ctx, newTransport(b.st, url, ai), branch, tracking, commit, parent); err != nil {
		if errors.Is(err, ErrRemoteMoved) {
			return res, fmt.Errorf("%w: %v", ErrSharedMoved, err)
		}
		return res, b.remoteError(url, ai, err)
	}
	// the bare repository's own branch follows what was published (git log works in it)
	_ = b.st.setRef(branch, commit)
	_ = b.st.repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, branch))
	res.Commit, res.Pushed = commit.String(), true
	return res, nil
}

// HeadEntries returns the hashes of paths (files or folders) in HEAD's tree, "" for a missing one.
func (s *Store) HeadEntries(paths ...string) ([]string, error) {
	_, head, err := s.head()
	if err != nil {
		return nil, err
	}
	tree, err := s.commitTree(head)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		e, err := s.pathEntry(tree, p)
		if err != nil {
			return nil, err
		}
		if !e.absent() {
			out[i] = e.hash.String()
		}
	}
	return out, nil
}

// SameRemote reports whether two remote URLs name the same repository (credentials, a
// trailing slash or ".git" and the letter case of the host aside).
func SameRemote(a, b string) bool {
	norm := func(u string) string {
		ep, err := transport.NewEndpoint(u)
		if err != nil {
			return u
		}
		p := strings.TrimSuffix(strings.TrimSuffix(ep.Path, "/"), ".git")
		if ep.Protocol == "file" {
			if abs, err := filepath.Abs(p); err == nil {
				p = filepath.Clean(abs)
			}
			return "file:" + p
		}
		return strings.ToLower(ep.Host) + ":" + strings.TrimPrefix(p, "/")
	}
	return norm(a) == norm(b)
}

// SetMergeDriver gives sync a merge of its own for the files both sides
// changed: when merge returns ok, its result is the merged file; otherwise
// the file is merged line by line as always (the report's clone of a shared
// agenda merges next.md by topic).
func (s *Store) SetMergeDriver(merge func(path string, base, ours, theirs []byte) ([]byte, bool)) {
	s.mergeDriver = merge
}

// mergeFile is mergeText with the merge driver consulted first.
func (s *Store) mergeFile(p string, base, ours, theirs entry) (string, bool, error) {
	if s.mergeDriver != nil && ours.mode != filemode.Symlink && theirs.mode != filemode.Symlink && ours.mode != filemode.Submodule && theirs.mode != filemode.Submodule {
		read := func(e entry) ([]byte, error) {
			if e.absent() {
				return nil, nil
			}
			return s.readBlob(e.hash)
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
		if out, ok := s.mergeDriver(p, b, o, t); ok {
			return string(out), true, nil
		}
	}
	return s.mergeText(base, ours, theirs)
}
