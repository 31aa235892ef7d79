package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/oneone/oneone/notes"
)

// checkoutCommit moves branch from commit `from` to `to`, updating only the files that differ.
func (s *Store) checkoutCommit(branch plumbing.ReferenceName, from, to plumbing.Hash, res *SyncResult) error {
	ft, err := s.commitTree(from)
	if err != nil {
		return err
	}
	tt, err := s.commitTree(to)
	if err != nil {
		return err
	}
	return s.checkoutTrees(branch, ft, tt, to, res)
}

// checkoutTrees writes the files that differ between trees into the work tree (files first,
// then the branch, then the index, so a crash never loses text).
//
// The work tree may have moved on since the scan that made fromTree: an editor
// saves while sync fetches, a file git ignores sits where origin now has one.
// So every file is checked right before it is written or removed, and checked
// again between its temporary file and the rename: a file that no longer holds
// fromTree's version is never replaced nor removed. It stays as it is and
// origin's version is written beside it as a conflict copy (ConflictDuringSync);
// an ignored file of the user's moves aside instead, so that origin's file takes
// its name and the user's stays ignored (ConflictIgnored); a file where origin
// has a folder moves aside too (ConflictFileFolder).
//
// A path safePath refuses (.., .git, a backslash) is never written nor removed: it stays
// in git as it is, with a skip-worktree index entry so that it does not count as deleted,
// and is listed in res.Unwritten.
func (s *Store) checkoutTrees(branch plumbing.ReferenceName, fromTree, toTree, commit plumbing.Hash, res *SyncResult) error {
	var changes []treeChange
	if err := s.diffTrees(fromTree, toTree, "", &changes); err != nil {
		return err
	}
	idx, _, err := s.readIndex()
	if err != nil {
		return err
	}
	upd := indexUpdate{}
	ign := &ignoreChecker{s: s}
	// Deletions first, so that a file can replace a folder and the other way round.
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].to.absent() && !changes[j].to.absent() })
	for _, c := range changes {
		if !safePath(c.path) {
			if c.to.absent() {
				upd[c.path] = nil
			} else {
				upd[c.path] = &index.Entry{Name: c.path, Hash: c.to.hash, Mode: c.to.mode, SkipWorktree: true}
				res.Unwritten = append(res.Unwritten, c.path)
			}
			continue
		}
		if err := s.checkNoSymlinkParents(c.path); err != nil {
			return err
		}
		full := filepath.Join(s.dir, filepath.FromSlash(c.path))
		if c.to.mode == filemode.Submodule || c.from.mode == filemode.Submodule && c.to.absent() {
			if err := s.checkoutGitlink(c, full, upd); err != nil {
				return err
			}
			continue
		}
		if testHookCheckout != nil {
			testHookCheckout("check", c.path)
		}
		st, err := readDiskState(full)
		if err != nil {
			return err
		}
		if c.to.absent() {
			switch {
			case st.kind == diskAbsent:
			case st.holds(c.from):
				removed, kept, err := removeIfUnchanged(full, notes.TempPath(full), st.stillSame())
				if err != nil {
					return err
				}
				if removed {
					removeEmptyParents(s.dir, filepath.Dir(full))
					break
				}
				if kept != "" { // saved twice meanwhile: the older save beside the newer one
					ks, err := readDiskState(kept)
					if err != nil {
						return err
					}
					cp, err := s.renameToCopy(kept, c.path, ks.hash)
					if err != nil {
						return err
					}
					res.Conflicts = append(res.Conflicts, Conflict{Path: c.path, Copy: cp, Kind: ConflictDuringSync})
				}
				res.Revived = append(res.Revived, Revived{Path: c.path})
			default:
				// Changed since the scan: kept, and no longer tracked, so that the
				// next sync commits it again over origin's deletion.
				if st.kind != diskDir {
					res.Revived = append(res.Revived, Revived{Path: c.path})
				}
			}
			upd[c.path] = nil
			continue
		}
		switch {
		case st.holds(c.to) && (st.kind == diskLink || (c.to.mode == filemode.Executable) == (st.st.mode&0o100 != 0)):
			// already there: the same edit on both sides
			ie := &index.Entry{Name: c.path, Hash: c.to.hash, Mode: c.to.mode}
			fillStat(ie, st.st)
			upd[c.path] = ie
			continue
		case st.holds(c.from):
		case st.kind == diskAbsent:
			// Deleted since the scan while origin changed it: origin's edit is
			// written back, as a merge keeps an edit over a deletion.
			res.Revived = append(res.Revived, Revived{Path: c.path, DeletedHere: true})
		case st.kind == diskDir:
			if os.Remove(full) == nil { // an empty folder: nothing of the user's in the way
				st = diskState{kind: diskAbsent}
				break
			}
			// A folder of the user's where origin has a file: the folder stays,
			// origin's file goes beside it.
			cp, err := s.writeCopy(c.path, c.to, c.to.hash)
			if err != nil {
				return err
			}
			res.Conflicts = append(res.Conflicts, Conflict{Path: c.path, Copy: cp, Kind: ConflictFileFolder})
			upd[c.path] = nil
			continue
		case c.from.absent() && st.kind != diskOther && ign.ignored(c.path):
			// A file git ignores where origin now has one: it moves aside, still
			// ignored (see isIgnoredCopy), and origin's file takes its name.
			cp, err := s.moveAside(c.path, st.hash)
			if err != nil {
				return err
			}
			res.Conflicts = append(res.Conflicts, Conflict{Path: c.path, Copy: cp, Kind: ConflictIgnored})
			st = diskState{kind: diskAbsent}
		default:
			// Saved since the scan (or made since): the user's file stays,
			// origin's version goes beside it; the next sync commits both.
			cp, err := s.writeCopy(c.path, c.to, c.to.hash)
			if err != nil {
				return err
			}
			res.Conflicts = append(res.Conflicts, Conflict{Path: c.path, Copy: cp, Kind: ConflictDuringSync})
			upd[c.path] = &index.Entry{Name: c.path, Hash: c.to.hash, Mode: c.to.mode} // no stat: hashed next time
			continue
		}
		if err := s.clearParents(c.path, ign, res); err != nil {
			return err
		}
		ie, cp, err := s.writeChecked(c.path, c.to, st)
		if err != nil {
			return err
		}
		if cp != "" {
			res.Conflicts = append(res.Conflicts, Conflict{Path: c.path, Copy: cp, Kind: ConflictDuringSync})
		}
		upd[c.path] = ie
	}
	notes.CrashPoint("checkout-files")
	if err := s.setRef(branch, commit); err != nil {
		return err
	}
	notes.CrashPoint("checkout-ref")
	s.updateIndex(idx, upd)
	return s.writeIndex(idx)
}

// checkoutGitlink carries a gitlink (submodule) through untouched: in the index,
// with an empty folder where git would leave one; a nested repository is never removed.
func (s *Store) checkoutGitlink(c treeChange, full string, upd indexUpdate) error {
	if c.to.absent() {
		_ = os.Remove(full) // only when empty
		upd[c.path] = nil
		return nil
	}
	if c.from.mode != filemode.Submodule {
		if c.from.absent() {
			if _, err := os.Lstat(full); errors.Is(err, os.ErrNotExist) {
				if err := mkdirAll(full); err != nil {
					return err
				}
			}
		} else if err := os.Remove(full); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	upd[c.path] = &index.Entry{Name: c.path, Hash: c.to.hash, Mode: filemode.Submodule}
	return nil
}

// What is at a work tree path.
const (
	diskAbsent = iota
	diskFile   // a regular file
	diskLink   // a symbolic link
	diskDir
	diskOther // a FIFO, a device, a socket
)

// diskState is what a work tree path held when it was checked: its kind, the
// blob hash of its content (a file or a link) and its lstat, to tell later
// whether it changed since.
type diskState struct {
	kind int
	hash plumbing.Hash
	st   fileStat
}

// readDiskState looks at full: lstat, content, lstat again; a file being
// written meanwhile reads as one that changed (its hash matches nothing).
func readDiskState(full string) (diskState, error) {
	fi, err := os.Lstat(full)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return diskState{kind: diskAbsent}, nil
	}
	if err != nil {
		return diskState{}, err
	}
	d := diskState{st: statOf(fi)}
	var data []byte
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		d.kind = diskLink
		t, err := os.Readlink(full)
		if err != nil {
			return diskState{}, err
		}
		data = []byte(filepath.ToSlash(t))
	case fi.Mode().IsRegular():
		d.kind = diskFile
		if data, err = os.ReadFile(full); err != nil {
			return diskState{}, err
		}
	case fi.IsDir():
		d.kind = diskDir
		return d, nil
	default:
		d.kind = diskOther
		return d, nil
	}
	d.hash = plumbing.ComputeHash(plumbing.BlobObject, data)
	if fi2, err := os.Lstat(full); err != nil || !sameStat(statOf(fi2), d.st) {
		d.hash = plumbing.ZeroHash // changing under our eyes
	}
	return d, nil
}

// holds reports whether the path held exactly e (absent for an absent entry).
func (d diskState) holds(e entry) bool {
	if e.absent() {
		return d.kind == diskAbsent
	}
	if d.hash.IsZero() || d.hash != e.hash {
		return false
	}
	return (e.mode == filemode.Symlink) == (d.kind == diskLink) && (d.kind == diskFile || d.kind == diskLink)
}

// unchanged reports whether full is still what d saw (by lstat).
func (d diskState) unchanged(full string) bool {
	fi, err := os.Lstat(full)
	if err != nil {
		return d.kind == diskAbsent && errors.Is(err, fs.ErrNotExist)
	}
	return d.kind != diskAbsent && sameStat(statOf(fi), d.st)
}

// sameStat compares what tells a file's edit: size, times, inode, type and mode.
func sameStat(a, b fileStat) bool {
	return a.size == b.size && a.mtime.Equal(b.mtime) && a.ctime.Equal(b.ctime) && a.ino == b.ino && a.dev == b.dev && a.mode == b.mode
}

// writeChecked writes e at rel through a temporary file and renames it into
// place only when the path still holds what was checked (was): when an editor
// saved meanwhile, the temporary file becomes a conflict copy instead (its name
// is returned) and the index entry records e without stat data, so that the next
// sync commits the user's file over it.
func (s *Store) writeChecked(rel string, e entry, was diskState) (*index.Entry, string, error) {
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	if err := mkdirAll(filepath.Dir(full)); err != nil {
		return nil, "", err
	}
	data, err := s.readBlob(e.hash)
	if err != nil {
		return nil, "", err
	}
	tmp := notes.TempPath(full)
	if e.mode == filemode.Symlink {
		if err := os.Symlink(string(data), tmp); err != nil {
			return nil, "", err
		}
	} else if err := s.writeTempFile(tmp, data, blobMode(e.mode)); err != nil {
		return nil, "", fmt.Errorf("write %s: %w", rel, err)
	}
	if testHookCheckout != nil {
		testHookCheckout("rename", rel)
	}
	replaced, err := replaceIfUnchanged(tmp, full, was.kind == diskAbsent, was.stillSame())
	if err != nil {
		_ = os.Remove(tmp)
		return nil, "", fmt.Errorf("write %s: %w", rel, err)
	}
	if !replaced { // saved (or made) since the check: the user's file stays
		cp, err := s.renameToCopy(tmp, rel, e.hash)
		if err != nil {
			return nil, "", err
		}
		return &index.Entry{Name: rel, Hash: e.hash, Mode: e.mode}, cp, nil
	}
	fi, err := os.Lstat(full)
	if err != nil {
		return nil, "", err
	}
	ie := &index.Entry{Name: rel, Hash: e.hash, Mode: e.mode}
	fillStat(ie, statOf(fi))
	return ie, "", nil
}

// blobMode is the file mode a blob is written with: 0600, 0700 when executable.
func blobMode(m filemode.FileMode) os.FileMode {
	if m == filemode.Executable {
		return 0o700
	}
	return 0o600
}

// writeTemp writes a new temporary file with mode, fsynced.
func writeTemp(tmp string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err == nil {
		if err = f.Chmod(mode); err == nil {
			err = f.Sync()
		}
		if err != nil {
			f.Close()
			os.Remove(tmp)
			return err
		}
	} else {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// freeCopyName returns a conflict copy name for rel that nothing on disk uses yet.
func (s *Store) freeCopyName(rel string, h plumbing.Hash) string {
	hex := h.String()
	for n := 7; n < len(hex); n += 5 {
		cp := conflictName(rel, hex[:n])
		if _, err := os.Lstat(filepath.Join(s.dir, filepath.FromSlash(cp))); errors.Is(err, fs.ErrNotExist) {
			return cp
		}
	}
	return conflictName(rel, hex)
}

// writeCopy writes e beside rel as a conflict copy and returns its path.
func (s *Store) writeCopy(rel string, e entry, h plumbing.Hash) (string, error) {
	data, err := s.readBlob(e.hash)
	if err != nil {
		return "", err
	}
	cp := s.freeCopyName(rel, h)
	full := filepath.Join(s.dir, filepath.FromSlash(cp))
	if err := mkdirAll(filepath.Dir(full)); err != nil {
		return "", err
	}
	if e.mode == filemode.Symlink {
		return cp, os.Symlink(string(data), full)
	}
	return cp, notes.CreateFileAtomic(full, data)
}

// renameToCopy turns a temporary file holding version h of rel into a conflict copy.
func (s *Store) renameToCopy(tmp, rel string, h plumbing.Hash) (string, error) {
	cp := s.freeCopyName(rel, h)
	if err := os.Link(tmp, filepath.Join(s.dir, filepath.FromSlash(cp))); err != nil { // never over a file
		_ = os.Remove(tmp)
		return "", err
	}
	return cp, os.Remove(tmp)
}

// moveAside renames the user's file at rel (content hash h) to a conflict copy beside it.
func (s *Store) moveAside(rel string, h plumbing.Hash) (string, error) {
	if h.IsZero() {
		h = plumbing.ComputeHash(plumbing.BlobObject, []byte(rel))
	}
	cp := s.freeCopyName(rel, h)
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	if err := os.Link(full, filepath.Join(s.dir, filepath.FromSlash(cp))); err != nil { // never over a file
		if err := os.Rename(full, filepath.Join(s.dir, filepath.FromSlash(cp))); err != nil {
			return "", err
		}
		return cp, nil
	}
	return cp, os.Remove(full)
}

// clearParents makes room for a file at rel: a file (or link) where one of its
// folders goes moves aside as a conflict copy (the folder keeps the name).
func (s *Store) clearParents(rel string, ign *ignoreChecker, res *SyncResult) error {
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		p := strings.Join(parts[:i], "/")
		full := filepath.Join(s.dir, filepath.FromSlash(p))
		fi, err := os.Lstat(full)
		if err != nil {
			return nil // missing from here on: mkdirAll makes them
		}
		if fi.IsDir() {
			continue
		}
		st, err := readDiskState(full)
		if err != nil {
			return err
		}
		cp, err := s.moveAside(p, st.hash)
		if err != nil {
			return err
		}
		kind := ConflictFileFolder
		if ign.ignored(p) {
			kind = ConflictIgnored
		}
		res.Conflicts = append(res.Conflicts, Conflict{Path: p, Copy: cp, Kind: kind})
		return nil
	}
	return nil
}

func removeEmptyParents(root, dir string) {
	for dir != root && strings.HasPrefix(dir, root) {
		if err := os.Remove(dir); err != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// ignoreChecker tells whether git ignores a work tree path (oneone's own
// ignores, .git/info/exclude, every .gitignore on the way), reading the
// pattern files only when first asked.
type ignoreChecker struct {
	s    *Store
	base []gitignore.Pattern
	dirs map[string][]gitignore.Pattern
}

func (c *ignoreChecker) ignored(rel string) bool {
	if c.dirs == nil {
		c.dirs = map[string][]gitignore.Pattern{}
		for _, p := range builtinIgnores {
			c.base = append(c.base, gitignore.ParsePattern(p, nil))
		}
		c.base = append(c.base, readIgnoreFile(filepath.Join(c.s.gitDir, "info", "exclude"), nil)...)
	}
	parts := strings.Split(rel, "/")
	ps := c.base
	for i := 0; i < len(parts); i++ {
		dir := strings.Join(parts[:i], "/")
		got, ok := c.dirs[dir]
		if !ok {
			got = readIgnoreFile(filepath.Join(c.s.dir, filepath.FromSlash(dir), ".gitignore"), parts[:i])
			c.dirs[dir] = got
		}
		ps = append(ps[:len(ps):len(ps)], got...)
		// a folder on the way that is ignored ignores everything in it
		if i > 0 && gitignore.NewMatcher(ps).Match(parts[:i], true) {
			return true
		}
	}
	return gitignore.NewMatcher(ps).Match(parts, false)
}

// conflictOriginal returns the name a conflict copy was made from
// ("draft.conflict-1a2b3c4.md" -> "draft.md"), or "" when name is no conflict copy.
func conflictOriginal(name string) string {
	i := strings.LastIndex(name, ".conflict-")
	if i <= 0 {
		return ""
	}
	rest := name[i+len(".conflict-"):]
	j := 0
	for j < len(rest) && strings.IndexByte("0123456789abcdef", rest[j]) >= 0 {
		j++
	}
	if j < 7 || (j < len(rest) && rest[j] != '.') {
		return ""
	}
	return name[:i] + rest[j:]
}

// isIgnoredCopy reports whether a file name is a conflict copy of a name that
// ignored matches: a copy of an ignored file stays ignored, on this computer.
func isIgnoredCopy(name string, ignored func(string) bool) bool {
	orig := conflictOriginal(name)
	return orig != "" && ignored(orig)
}

// resolveClashes finds, among a merge's changes to the local tree lt, a file
// whose path the merged tree also needs as a folder (one side replaced a file
// by a folder while the other edited it, or the reverse). The folder keeps the
// name; the file moves beside it as a conflict copy, so no edit on either side
// is lost. It returns the changes to apply instead and the conflicts.
func (s *Store) resolveClashes(lt plumbing.Hash, changes []change) ([]change, []Conflict, error) {
	set := make(map[string]int, len(changes))
	for i, c := range changes {
		set[c.path] = i
	}
	// final returns what the merged tree holds at p (a file entry, a folder, or absent).
	final := func(p string) (entry, error) {
		if i, ok := set[p]; ok {
			return changes[i].e, nil
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) { // under a path a change sets to a file: nothing
			if i, ok := set[d]; ok && !changes[i].e.absent() && changes[i].e.mode != filemode.Dir {
				return entry{}, nil
			}
		}
		return s.pathEntry(lt, p)
	}
	// hasUnder reports whether the merged tree holds anything under p/.
	hasUnder := func(p string) (bool, error) {
		prefix := p + "/"
		for _, c := range changes {
			if strings.HasPrefix(c.path, prefix) && !c.e.absent() {
				return true, nil
			}
		}
		e, err := s.pathEntry(lt, p)
		if err != nil || e.mode != filemode.Dir {
			return false, err
		}
		found := false
		err = s.walkTree(e.hash, prefix, func(f string) bool {
			if i, ok := set[f]; ok && changes[i].e.absent() {
				return true // deleted by the merge
			}
			found = true
			return false
		})
		return found, err
	}
	var cands []string
	seen := map[string]bool{}
	for _, c := range changes {
		if c.e.absent() {
			continue
		}
		if c.e.mode != filemode.Dir && !seen[c.path] {
			seen[c.path] = true
			cands = append(cands, c.path)
		}
		for d := path.Dir(c.path); d != "."; d = path.Dir(d) {
			if !seen[d] {
				seen[d] = true
				cands = append(cands, d)
			}
		}
	}
	sort.Strings(cands)
	var out []Conflict
	for _, p := range cands {
		e, err := final(p)
		if err != nil {
			return nil, nil, err
		}
		if e.absent() || e.mode == filemode.Dir {
			continue
		}
		under, err := hasUnder(p)
		if err != nil {
			return nil, nil, err
		}
		if !under {
			continue
		}
		le, err := s.pathEntry(lt, p)
		if err != nil {
			return nil, nil, err
		}
		if i, ok := set[p]; ok && le.mode == filemode.Dir {
			changes[i].e = entry{} // marked below: the local folder stays as it is
			changes[i].path = ""
		} else if ok {
			changes[i].e = entry{} // the local file at p goes
		} else {
			set[p] = len(changes)
			changes = append(changes, change{p, entry{}})
		}
		cp := ""
		for n := 7; n <= 40; n += 5 {
			cp = conflictName(p, e.hash.String()[:n])
			if fe, err := final(cp); err == nil && fe.absent() {
				break
			}
		}
		set[cp] = len(changes)
		changes = append(changes, change{cp, e})
		out = append(out, Conflict{Path: p, Copy: cp, Kind: ConflictFileFolder})
	}
	kept := changes[:0]
	for _, c := range changes {
		if c.path != "" {
			kept = append(kept, c)
		}
	}
	return kept, out, nil
}

// walkTree calls fn with the path (prefix + name) of every file under tree
// until fn returns false.
func (s *Store) walkTree(tree plumbing.Hash, prefix string, fn func(string) bool) error {
	var walk func(h plumbing.Hash, prefix string) (bool, error)
	walk = func(h plumbing.Hash, prefix string) (bool, error) {
		es, err := s.treeEntries(h)
		if err != nil {
			return false, err
		}
		names := make([]string, 0, len(es))
		for n := range es {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			e := es[n]
			if e.mode == filemode.Dir {
				if more, err := walk(e.hash, prefix+n+"/"); err != nil || !more {
					return more, err
				}
				continue
			}
			if !fn(prefix + n) {
				return false, nil
			}
		}
		return true, nil
	}
	_, err := walk(tree, prefix)
	return err
}

// replaceAfterCheck is replaceIfUnchanged where the file system cannot swap:
// the check comes right before a plain rename.
func replaceAfterCheck(tmp, full string, absent bool, still func(os.FileInfo) bool) (bool, error) {
	fi, err := os.Lstat(full)
	switch {
	case absent && errors.Is(err, fs.ErrNotExist):
	case absent || err != nil || !still(fi):
		return false, nil
	}
	return true, os.Rename(tmp, full)
}

// stillSame returns a test of whether a file is the one d saw: same inode,
// size, modification time and type (a rename changes the change time).
func (d diskState) stillSame() func(os.FileInfo) bool {
	return func(fi os.FileInfo) bool {
		st := statOf(fi)
		return st.ino == d.st.ino && st.dev == d.st.dev && st.size == d.st.size && st.mtime.Equal(d.st.mtime) && st.mode == d.st.mode
	}
}
