package gitstore

import (
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"
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
	slug string
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
}

// publishTrailer marks the commits oneone publishes: the last one in the
// shared branch's history is what the report's changes are measured against.
const publishTrailer = "Oneone-Publish: shared agenda"

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
	return &SharedRepo{Mirror: m, slug: slug}, nil
}

// HasSharedRepo reports whether this computer has a copy of the report's shared agenda.
func (s *Store) HasSharedRepo(slug string) bool {
	fi, err := os.Lstat(filepath.Join(s.gitDir, "oneone", "share", slug))
	return err == nil && fi.IsDir() && safeName(slug)
}

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
	for n := 0; q.Len() > 0 && n < 100000; n++ {
		it := heap.Pop(q).(qitem)
		c, err := object.GetCommit(b.st.repo.Storer, it.h)
		if err != nil {
			return "", err
		}
		if isPublish(c) {
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

func isPublish(c *object.Commit) bool {
	for _, l := range strings.Split(c.Message, "\n") {
		if strings.TrimSpace(l) == publishTrailer {
			return true
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

// Files returns every file of a commit by path ("" gives none). Links are read
// as the text of their target, submodules are left out; a file larger than
// MaxSharedFile is listed in big and left out too.
func (b *SharedRepo) Files(commit string) (files map[string][]byte, big []string, err error) {
	files = map[string][]byte{}
	if commit == "" {
		return files, nil, nil
	}
	tree, err := b.st.commitTree(plumbing.NewHash(commit))
	if err != nil {
		return nil, nil, err
	}
	var walk func(h plumbing.Hash, prefix string) error
	walk = func(h plumbing.Hash, prefix string) error {
		es, err := b.st.treeEntries(h)
		if err != nil {
			return err
		}
		for name, e := range es {
			switch e.mode {
			case filemode.Dir:
				if err := walk(e.hash, prefix+name+"/"); err != nil {
					return err
				}
			case filemode.Submodule:
			default:
				obj, err := b.st.repo.Storer.EncodedObject(plumbing.BlobObject, e.hash)
				if err != nil {
					return fmt.Errorf("read %s%s of the shared agenda: %w", prefix, name, err)
				}
				if obj.Size() > MaxSharedFile {
					big = append(big, prefix+name)
					continue
				}
				data, err := b.st.readBlob(e.hash)
				if err != nil {
					return err
				}
				files[prefix+name] = data
			}
		}
		return nil
	}
	if err := walk(tree, ""); err != nil {
		return nil, nil, err
	}
	sort.Strings(big)
	return files, big, nil
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
	var diff []treeChange
	if err := b.st.diffTrees(parentTree, tree, "", &diff); err != nil {
		return res, err
	}
	for _, c := range diff {
		res.Changed = append(res.Changed, c.path)
	}
	if !force && !parent.IsZero() && tree == parentTree {
		return res, nil
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	var parents []plumbing.Hash
	if !parent.IsZero() {
		parents = append(parents, parent)
	}
	commit, err := b.st.writeCommit(tree, parents, msg+"\n"+publishTrailer+"\n", author)
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

// CheckRemoteURL refuses what `oneone remote` would refuse (a remote helper, a
// relative path, a query string that may hold a token, anything but https,
// ssh, git or a local bare repository), with the same message.
func CheckRemoteURL(url string) error {
	ep, err := transport.NewEndpoint(url)
	if err != nil || url == "" || strings.HasPrefix(url, "-") || remoteHelper.MatchString(url) || strings.ContainsAny(url, "\t\n") || badEndpoint(url, ep) {
		looksLikePath := (strings.Contains(url, "/") || strings.HasSuffix(url, ".git")) && !strings.ContainsAny(url, " \t\n")
		if err == nil && ep.Protocol == "file" && looksLikePath && !strings.Contains(url, "://") && !strings.HasPrefix(url, "-") && !remoteHelper.MatchString(url) {
			if abs, err := filepath.Abs(url); err == nil {
				return fmt.Errorf("bad remote URL %q: a local path must be absolute, such as %s; %s", url, abs, acceptedRemotes)
			}
		}
		return fmt.Errorf("bad remote URL %q: %s", Redact(url), acceptedRemotes)
	}
	if u, err := neturl.Parse(url); err == nil && strings.Contains(url, "://") && (u.RawQuery != "" || u.ForceQuery) {
		return fmt.Errorf("bad remote URL %q: a query string may hold a token and oneone never stores one: give the URL without \"?...\" and put the token in ONEONE_GIT_TOKEN or ~/.git-credentials instead", Redact(url))
	}
	return nil
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
