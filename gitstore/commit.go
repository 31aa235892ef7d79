package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/oneone/oneone/notes"
)

// Commit commits exactly the given repository-relative paths (new, changed or deleted files,
// or folders) and nothing else; it returns an error wrapping ErrNothingChanged when they match HEAD.
func (s *Store) Commit(msg string, author Author, paths ...string) (string, error) {
	unlock, err := s.Lock(DefaultLockTimeout)
	if err != nil {
		return "", err
	}
	defer unlock()
	if err := s.CanCommit(); err != nil {
		return "", err
	}
	idx, _, err := s.readIndex()
	if err != nil {
		return "", err
	}
	var rels []string
	for _, p := range paths {
		r, err := s.relPath(p)
		if err != nil {
			return "", err
		}
		rels = append(rels, r)
	}
	changes, upd, err := s.collect(idx, rels, nil)
	if err != nil {
		return "", err
	}
	h, err := s.commitChanges(msg, author, idx, changes, upd)
	if err != nil {
		return "", err
	}
	return h.String(), nil
}

// collectReport is what collect left out or changed, for sync to say.
type collectReport struct {
	refused []CredentialError // files left out: a line looks like a credential
	private []string          // files and folders whose mode collect made private
}

// collect turns work tree paths into tree changes and index updates. Every file
// it commits is made private first (0600, 0700 when executable, in 0700
// folders), whoever created it. A file that looks like it holds a credential
// stops it with a *CredentialError, or, when rep is not nil, is left out and
// recorded there.
func (s *Store) collect(idx *index.Index, rels []string, rep *collectReport) ([]change, indexUpdate, error) {
	madePrivate := func(rel string) {
		if rep != nil {
			rep.private = append(rep.private, rel)
		}
	}
	checkedDirs := map[string]bool{}
	privateDirs := func(rel string) {
		for d := path.Dir(rel); d != "." && !checkedDirs[d]; d = path.Dir(d) {
			checkedDirs[d] = true
			full := filepath.Join(s.dir, filepath.FromSlash(d))
			if fi, err := os.Lstat(full); err == nil && fi.IsDir() && fi.Mode().Perm()&0o077 != 0 {
				if os.Chmod(full, 0o700) == nil {
					madePrivate(d)
				}
			}
		}
	}
	var changes []change
	upd := indexUpdate{}
	tracked := func(p string) bool {
		i := sort.Search(len(idx.Entries), func(i int) bool { return idx.Entries[i].Name >= p })
		return i < len(idx.Entries) && idx.Entries[i].Name == p
	}
	trackedUnder := func(dir string) []string {
		prefix := dir + "/"
		i := sort.Search(len(idx.Entries), func(i int) bool { return idx.Entries[i].Name >= prefix })
		var out []string
		for ; i < len(idx.Entries) && strings.HasPrefix(idx.Entries[i].Name, prefix); i++ {
			out = append(out, idx.Entries[i].Name)
		}
		return out
	}
	seen := map[string]bool{}
	var addFile func(rel string) error
	del := func(rel string) {
		if seen[rel] {
			return
		}
		seen[rel] = true
		changes = append(changes, change{rel, entry{}})
		upd[rel] = nil
	}
	addFile = func(rel string) error {
		if seen[rel] {
			return nil
		}
		full := filepath.Join(s.dir, filepath.FromSlash(rel))
		if err := s.checkNoSymlinkParents(rel); err != nil {
			return err
		}
		fi, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) {
			if tracked(rel) {
				del(rel)
			}
			for _, p := range trackedUnder(rel) {
				del(p)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if fi.IsDir() {
			if tracked(rel) { // a file replaced by a folder
				del(rel)
			}
			for _, p := range trackedUnder(rel) {
				if _, err := os.Lstat(filepath.Join(s.dir, filepath.FromSlash(p))); errors.Is(err, fs.ErrNotExist) {
					del(p)
				}
			}
			ents, err := os.ReadDir(full)
			if err != nil {
				return err
			}
			for _, e := range ents {
				if !safeName(e.Name()) || IsTempFile(e.Name()) { // a name never committed (the scan warns)
					continue
				}
				if err := addFile(rel + "/" + e.Name()); err != nil {
					return err
				}
			}
			return nil
		}
		seen[rel] = true
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if tracked(d) { // a file replaced by a folder that holds this one
				del(d)
			}
		}
		if fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
			mode := os.FileMode(0o600)
			if fi.Mode()&0o100 != 0 {
				mode = 0o700
			}
			if err := os.Chmod(full, mode); err != nil {
				return err
			}
			if fi, err = os.Lstat(full); err != nil {
				return err
			}
			madePrivate(rel)
		}
		privateDirs(rel)
		e, ie, err := s.fileEntry(rel, fi)
		var ce *CredentialError
		if rep != nil && errors.As(err, &ce) {
			rep.refused = append(rep.refused, *ce)
			return nil
		}
		if err != nil {
			return err
		}
		changes = append(changes, change{rel, e})
		upd[rel] = ie
		for _, p := range trackedUnder(rel) { // a folder replaced by a file
			del(p)
		}
		return nil
	}
	for _, r := range rels {
		if err := addFile(r); err != nil {
			return nil, nil, err
		}
	}
	return changes, upd, nil
}

// checkNoSymlinkParents refuses paths that go through a symbolic link to a folder.
func (s *Store) checkNoSymlinkParents(rel string) error {
	parts := strings.Split(rel, "/")
	cur := s.dir
	for _, p := range parts[:len(parts)-1] {
		cur = filepath.Join(cur, p)
		fi, err := os.Lstat(cur)
		if err != nil {
			return nil // missing parents are fine
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("refusing %s: %s is a symbolic link", rel, cur)
		}
	}
	return nil
}

// commitChanges applies changes to HEAD's tree, commits, moves the branch and writes the index.
func (s *Store) commitChanges(msg string, author Author, idx *index.Index, changes []change, upd indexUpdate) (plumbing.Hash, error) {
	branch, head, err := s.head()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	base, err := s.commitTree(head)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	tree := base
	applied := false
	if t := s.treesFor(idx); t != nil && !base.IsZero() && t.known[""] == base && len(changes) > 0 && sameChanges(idx, changes, upd) {
		// Fast path (cachetree.go): the index is HEAD's tree (its cache-tree
		// root is HEAD's) and upd holds exactly the changes, so the new tree is
		// the updated index's: only the folders on the changed paths are hashed,
		// no tree of HEAD is read (about 20 ms on the large bench repository).
		s.updateIndex(idx, upd)
		applied = true
		root, ok, err := s.indexTrees(idx)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if ok {
			tree = root.hash
		} else if tree, err = s.applyTree(base, changes); err != nil {
			return plumbing.ZeroHash, err
		}
	} else if len(changes) > 0 {
		if tree, err = s.applyTree(base, changes); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if tree == base || (head.IsZero() && tree.IsZero()) {
		if len(upd) > 0 {
			if !applied {
				s.updateIndex(idx, upd)
			}
			if err := s.writeIndex(idx); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		return plumbing.ZeroHash, fmt.Errorf("commit: %w", ErrNothingChanged)
	}
	var parents []plumbing.Hash
	if !head.IsZero() {
		parents = append(parents, head)
	}
	h, err := s.writeCommit(tree, parents, msg, author)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	notes.CrashPoint("commit-objects")
	// Order matters for crash safety: objects, then the branch, then the index.
	if err := s.setRef(branch, h); err != nil {
		return plumbing.ZeroHash, err
	}
	notes.CrashPoint("commit-ref")
	if !applied {
		s.updateIndex(idx, upd)
	}
	if err := s.writeIndex(idx); err != nil {
		return plumbing.ZeroHash, err
	}
	return h, nil
}

// sameChanges reports whether upd makes exactly changes of idx: each change
// is in upd with its blob (nil for a deletion), and whatever else upd holds
// only refreshes an entry's stat data (same name, hash and mode).
func sameChanges(idx *index.Index, changes []change, upd indexUpdate) bool {
	inChanges := make(map[string]bool, len(changes))
	for _, c := range changes {
		e, ok := upd[c.path]
		if !ok || c.e.absent() != (e == nil) || e != nil && (e.Hash != c.e.hash || e.Mode != c.e.mode) {
			return false
		}
		inChanges[c.path] = true
	}
	for p, e := range upd {
		if inChanges[p] {
			continue
		}
		i := sort.Search(len(idx.Entries), func(i int) bool { return idx.Entries[i].Name >= p })
		if e == nil || i == len(idx.Entries) || idx.Entries[i].Name != p || idx.Entries[i].Hash != e.Hash || idx.Entries[i].Mode != e.Mode {
			return false
		}
	}
	return len(inChanges) == len(changes)
}

// builtinIgnores are editor and OS droppings never committed by CommitAll.
var builtinIgnores = []string{".*.swp", ".*.swo", ".*.swx", "*~", ".#*", "#*#", ".DS_Store", "Thumbs.db", "4913", "*.oneone-tmp-*"}

// pendingChange is a file whose work tree state differs from the index.
type pendingChange struct {
	path string
	kind string // add | edit | delete
}

// CommitAll commits every pending edit in the work tree (new, changed and deleted files,
// respecting .gitignore) and returns the paths it committed. Files whose names oneone
// never writes (see safeName) are left out; Sync reports them.
func (s *Store) CommitAll(author Author) ([]string, string, error) {
	unlock, err := s.Lock(DefaultLockTimeout)
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	if err := s.CanCommit(); err != nil {
		return nil, "", err
	}
	r, err := s.commitAllLocked(author)
	if err == nil && len(r.refused) > 0 {
		ce := r.refused[0]
		err = &ce
	}
	return r.paths, r.hash, err
}

// committedAll is what commitAllLocked did.
type committedAll struct {
	paths   []string          // committed (added, changed or deleted)
	kinds   map[string]string // path -> add | edit | delete
	hash    string            // the new commit ("" when none)
	skipped []string          // left out for their names (sorted, once each)
	refused []CredentialError // left out: a line looks like a credential
	private []string          // files and folders made private (0600/0700) before they were committed
}

// commitAllLocked is CommitAll under the lock; it also returns the work tree files left
// out because of their names or contents.
func (s *Store) commitAllLocked(author Author) (committedAll, error) {
	r, err := s.commitAllScan(author)
	sort.Strings(r.skipped)
	out := r.skipped[:0]
	for i, p := range r.skipped {
		if i == 0 || p != r.skipped[i-1] {
			out = append(out, p)
		}
	}
	r.skipped = out
	return r, err
}

func (s *Store) commitAllScan(author Author) (r committedAll, err error) {
	idx, idxTime, err := s.readIndex()
	if err != nil {
		return r, err
	}
	// What the index stages (against HEAD) is computed while the work tree is scanned.
	var staged []treeChange
	var stagedErr error
	stagedDone := make(chan struct{})
	go func() {
		defer close(stagedDone)
		staged, stagedErr = s.stagedChanges(idx)
	}()
	pending, refresh, skipped, err := s.scan(idx, idxTime)
	<-stagedDone
	if err != nil {
		return r, err
	}
	if stagedErr != nil {
		return r, stagedErr
	}
	// Changes staged by hand (`git add`) to a name oneone never writes are left out too.
	inScan := make(map[string]bool, len(pending))
	for _, p := range pending {
		inScan[p.path] = true
	}
	kept := staged[:0]
	for _, c := range staged {
		if !c.to.absent() && !safePath(c.path) && !inScan[c.path] {
			skipped = append(skipped, c.path)
			continue
		}
		kept = append(kept, c)
	}
	staged = kept
	if len(pending) == 0 && len(staged) == 0 {
		if len(refresh) > 0 {
			s.updateIndex(idx, refresh)
			_ = s.writeIndex(idx)
		}
		r.skipped = skipped
		return r, fmt.Errorf("commit all: %w", ErrNothingChanged)
	}
	var paths []string
	inWorkTree := make(map[string]bool, len(pending))
	for _, p := range pending {
		paths = append(paths, p.path)
		inWorkTree[p.path] = true
	}
	var rep collectReport
	changes, upd, err := s.collect(idx, paths, &rep)
	refused := rep.refused
	sort.Strings(rep.private)
	r.private = rep.private
	if err != nil {
		r.skipped = skipped
		return r, err
	}
	// Changes staged by hand whose work tree file matches the index: commit the index's version.
	for _, c := range staged {
		if inWorkTree[c.path] {
			continue
		}
		if !c.to.absent() && c.to.mode != filemode.Symlink && c.to.mode != filemode.Submodule {
			data, err := s.readBlob(c.to.hash)
			if err != nil {
				r.skipped = skipped
				return r, err
			}
			var ce *CredentialError
			if errors.As(checkCredentials(c.path, data), &ce) {
				refused = append(refused, *ce)
				continue
			}
		}
		changes = append(changes, change{c.path, c.to})
		kind := "edit"
		switch {
		case c.from.absent():
			kind = "add"
		case c.to.absent():
			kind = "delete"
		}
		pending = append(pending, pendingChange{c.path, kind})
	}
	r.skipped, r.refused = skipped, refused
	if len(refused) > 0 { // left out: they stay on disk, uncommitted, until the line is gone
		no := map[string]bool{}
		for _, ce := range refused {
			no[ce.Path] = true
		}
		kept := pending[:0]
		for _, p := range pending {
			if !no[p.path] {
				kept = append(kept, p)
			}
		}
		pending = kept
		if len(pending) == 0 {
			if len(refresh) > 0 {
				s.updateIndex(idx, refresh)
				_ = s.writeIndex(idx)
			}
			return r, fmt.Errorf("commit all: %w", ErrNothingChanged)
		}
	}
	sort.Slice(pending, func(i, j int) bool { return pending[i].path < pending[j].path })
	paths = paths[:0]
	r.kinds = make(map[string]string, len(pending))
	for _, p := range pending {
		paths = append(paths, p.path)
		r.kinds[p.path] = p.kind
	}
	for k, v := range refresh {
		if _, ok := upd[k]; !ok {
			upd[k] = v
		}
	}
	h, err := s.commitChanges(commitAllMessage(pending), author, idx, changes, upd)
	if err != nil {
		return r, err
	}
	r.paths, r.hash = paths, h.String()
	return r, nil
}

func commitAllMessage(p []pendingChange) string {
	var subject []string
	for i, c := range p {
		if i == 5 {
			subject = append(subject, fmt.Sprintf("and %d more", len(p)-5))
			break
		}
		subject = append(subject, c.kind+" "+c.path)
	}
	msg := "sync: " + strings.Join(subject, ", ")
	if len(p) > 5 {
		msg += "\n"
		for _, c := range p {
			msg += "\n" + c.kind + " " + c.path
		}
	}
	return msg
}

// scan compares the work tree with the index like `git status` does for unstaged and
// untracked files: stat first, hashing only files whose stat changed (or racily clean ones).
// It returns pending changes, index entries whose stat data only needs refreshing, and the
// files left out because oneone never commits such a name (safeName): a file it could
// not check out again, on this computer or another one.
func (s *Store) scan(idx *index.Index, idxTime time.Time) ([]pendingChange, indexUpdate, []string, error) {
	tracked := make(map[string]int, len(idx.Entries)) // index in idx.Entries
	dirs := map[string]bool{}
	gitlinks := map[string]bool{} // submodules: carried through untouched, never walked into
	for i, e := range idx.Entries {
		tracked[e.Name] = i
		if e.Mode == filemode.Submodule {
			gitlinks[e.Name] = true
		}
		for d := e.Name; ; {
			i := strings.LastIndexByte(d, '/')
			if i < 0 {
				break
			}
			d = d[:i]
			if dirs[d] {
				break
			}
			dirs[d] = true
		}
	}
	var base []gitignore.Pattern
	for _, p := range builtinIgnores {
		base = append(base, gitignore.ParsePattern(p, nil))
	}
	base = append(base, readIgnoreFile(filepath.Join(s.gitDir, "info", "exclude"), nil)...)

	// The tracked files of each folder are checked by workers, folder by
	// folder, while the walk goes on: stat relative to the folder, in parallel.
	type fileJob struct {
		name, rel string
		e         *index.Entry
	}
	type result struct {
		edit    bool
		refresh *index.Entry
		err     error
	}
	type batch struct {
		full    string
		jobs    []fileJob
		results []result
	}
	// Each folder at the top is walked by a goroutine of its own, into its own walkAcc.
	type walkAcc struct {
		pending []pendingChange
		skipped []string
		batches []*batch
		err     error
	}
	var (
		seen  = make([]bool, len(idx.Entries)) // by index in idx.Entries: each written by one walker
		work  = make(chan *batch, 64)
		wg    sync.WaitGroup
		accs  []*walkAcc
		walks sync.WaitGroup
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.results = make([]result, len(b.jobs))
				folder, openErr := openFolderStat(b.full)
				for i, j := range b.jobs {
					lstat := func() (fileStat, error) { return fileStat{}, openErr } // a folder gone: its files are deleted
					if openErr == nil {
						lstat = func() (fileStat, error) { return folder.lstat(j.name) }
					}
					edit, ref, err := s.checkTracked(j.rel, j.e, idxTime, lstat)
					b.results[i] = result{edit, ref, err}
				}
				if openErr == nil {
					folder.close()
				}
			}
		}()
	}
	// On an early return the workers still end: the channel is always closed.
	closed := false
	closeWork := func() {
		if !closed {
			closed = true
			close(work)
			wg.Wait()
		}
	}
	defer closeWork()
	var walk func(rel string, parts []string, ps []gitignore.Pattern, a *walkAcc) error
	walk = func(rel string, parts []string, ps []gitignore.Pattern, a *walkAcc) error {
		full := s.dir
		if rel != "" {
			full = filepath.Join(s.dir, filepath.FromSlash(rel))
		}
		ents, err := readDirUnsorted(full) // the changes are sorted at the end
		if err != nil {
			if rel != "" && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		for _, e := range ents {
			if e.Name() == ".gitignore" && e.Type().IsRegular() {
				ps = append(ps[:len(ps):len(ps)], readIgnoreFile(filepath.Join(full, ".gitignore"), parts)...)
				break
			}
		}
		b := &batch{full: full}
		a.batches = append(a.batches, b)
		defer func() {
			if len(b.jobs) > 0 {
				work <- b
			}
		}()
		var m gitignore.Matcher
		ignored := func(name string, isDir bool) bool {
			if m == nil {
				m = gitignore.NewMatcher(ps)
			}
			return m.Match(append(parts[:len(parts):len(parts)], name), isDir)
		}
		for _, e := range ents {
			name := e.Name()
			p := name
			if rel != "" {
				p = rel + "/" + name
			}
			if e.IsDir() {
				if name == ".git" || gitlinks[p] {
					continue
				}
				if !dirs[p] && ignored(name, true) {
					continue
				}
				if !safeName(name) { // .GIT, a\b: never committed; tracked files in it stay as they are
					a.skipped = append(a.skipped, p)
					continue
				}
				if _, err := os.Lstat(filepath.Join(full, name, ".git")); err == nil && !dirs[p] {
					continue // a nested repository
				}
				subParts := append(parts[:len(parts):len(parts)], name)
				if rel == "" { // a folder at the top: walked in parallel
					sub := &walkAcc{}
					accs = append(accs, sub)
					walks.Add(1)
					go func() {
						defer walks.Done()
						sub.err = walk(p, subParts, ps, sub)
					}()
					continue
				}
				if err := walk(p, subParts, ps, a); err != nil {
					return err
				}
				continue
			}
			if IsTempFile(name) {
				_ = os.Remove(filepath.Join(full, name)) // left by an interrupted oneone; we hold the lock
				continue
			}
			ti, isTracked := tracked[p]
			if !safeName(name) {
				// Never committed: a tree holding it could not be checked out safely.
				// A tracked one (from an older commit) stays in git as it is.
				if isTracked {
					seen[ti] = true
				}
				if isTracked || (e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0) && !ignored(name, false) {
					a.skipped = append(a.skipped, p)
				}
				continue
			}
			if isTracked {
				seen[ti] = true
				b.jobs = append(b.jobs, fileJob{name, p, idx.Entries[ti]})
				continue
			}
			if !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
				continue
			}
			if ignored(name, false) || isIgnoredCopy(name, func(n string) bool { return ignored(n, false) }) {
				continue // a conflict copy of an ignored file stays ignored: it never leaves this computer
			}
			a.pending = append(a.pending, pendingChange{p, "add"})
		}
		return nil
	}
	top := &walkAcc{}
	err := walk("", nil, base, top)
	walks.Wait()
	for _, a := range accs {
		if err == nil {
			err = a.err
		}
	}
	if err != nil {
		return nil, nil, nil, err
	}
	pending, batches, skipped := top.pending, top.batches, top.skipped
	for _, a := range accs {
		pending, batches = append(pending, a.pending...), append(batches, a.batches...)
		skipped = append(skipped, a.skipped...)
	}
	for i, e := range idx.Entries {
		if !seen[i] && !e.SkipWorktree && !e.IntentToAdd && e.Mode != filemode.Submodule {
			// gone, or a folder now (a file replaced by a folder of the same name)
			if fi, err := os.Lstat(filepath.Join(s.dir, filepath.FromSlash(e.Name))); errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || err == nil && fi.IsDir() {
				pending = append(pending, pendingChange{e.Name, "delete"})
			}
		}
	}

	closeWork()
	refresh := indexUpdate{}
	for _, b := range batches {
		for i, r := range b.results {
			if r.err != nil {
				return nil, nil, nil, r.err
			}
			if r.edit {
				pending = append(pending, pendingChange{b.jobs[i].rel, "edit"})
			} else if r.refresh != nil {
				refresh[b.jobs[i].rel] = r.refresh
			}
		}
	}
	sort.Slice(pending, func(i, j int) bool { return pending[i].path < pending[j].path })
	return pending, refresh, skipped, nil
}

// checkTracked reports whether a tracked file changed; when only its stat data changed it
// returns a refreshed index entry.
func (s *Store) checkTracked(rel string, e *index.Entry, idxTime time.Time, lstat func() (fileStat, error)) (bool, *index.Entry, error) {
	if e.Stage != 0 {
		return true, nil, nil
	}
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	st, err := lstat()
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return true, nil, nil
		}
		return false, nil, err
	}
	var mode filemode.FileMode
	switch {
	case st.mode&os.ModeSymlink != 0:
		mode = filemode.Symlink
	case st.mode.IsRegular():
		mode = filemode.Regular
		if st.mode&0o111 != 0 {
			mode = filemode.Executable
		}
	default:
		return true, nil, nil
	}
	if mode != e.Mode {
		return true, nil, nil
	}
	// As git does (core.trustctime, core.checkStat default): size, mtime, and the change
	// time and inode when the entry records them, so that a same-size edit whose mtime was
	// put back (`sed -i`, `touch -r`) is hashed. A file modified no earlier than the index
	// was written is racily clean: hashed too.
	sameStat := uint32(st.size) == e.Size && st.mtime.Equal(e.ModifiedAt) &&
		(e.CreatedAt.IsZero() || st.ctime.Equal(e.CreatedAt)) &&
		(e.Inode == 0 || uint32(st.ino) == e.Inode)
	if sameStat && st.mtime.Before(idxTime) {
		return false, nil, nil
	}
	if uint32(st.size) != e.Size {
		return true, nil, nil
	}
	var data []byte
	if mode == filemode.Symlink {
		t, err := os.Readlink(full)
		if err != nil {
			return false, nil, err
		}
		data = []byte(filepath.ToSlash(t))
	} else if data, err = os.ReadFile(full); err != nil {
		return false, nil, err
	}
	if plumbing.ComputeHash(plumbing.BlobObject, data) != e.Hash {
		return true, nil, nil
	}
	if sameStat {
		return false, nil, nil // racily clean but unchanged: nothing to refresh
	}
	ne := *e
	fillStat(&ne, st)
	return false, &ne, nil
}

// readIgnoreFile parses a .gitignore-style file; a missing file gives no patterns.
func readIgnoreFile(p string, domain []string) []gitignore.Pattern {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))), "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// readDirUnsorted is os.ReadDir without the sort by name.
func readDirUnsorted(dir string) ([]os.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}
