package gitstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitOnlyNamedPaths(t *testing.T) {
	needGit(t)
	isolate(t)
	m := newMachine(t, "")
	a := Author{"Dana", "dana@example.com"}
	m.write("oneone.yaml", "manager: Dana\n")
	m.write("alice/profile.md", "---\nname: Alice\n---\n")
	// First commit on an unborn branch.
	if _, err := m.st.Commit("init", a, "oneone.yaml", "alice/profile.md"); err != nil {
		t.Fatal(err)
	}
	m.write("alice/2026-11-25.md", "note\n")
	m.write("alice/profile.md", "---\nname: Alice Chen\n---\n") // unrelated hand edit
	h, err := m.st.Commit("new alice 2026-11-25", a, "alice/2026-11-25.md")
	if err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, m.dir, "log", "-1", "--name-only", "--format=%H %s"); got != h+" new alice 2026-11-25\n\nalice/2026-11-25.md\n" {
		t.Fatalf("git log: %q", got)
	}
	if got := runGit(t, m.dir, "status", "--porcelain"); got != " M alice/profile.md\n" {
		t.Fatalf("git status: %q", got)
	}
	if _, err := m.st.Commit("again", a, "alice/2026-11-25.md"); !errors.Is(err, ErrNothingChanged) {
		t.Fatalf("recommit: %v", err)
	}
	// Deletion of a named path.
	m.remove("alice/2026-11-25.md")
	if _, err := m.st.Commit("delete", a, "alice/2026-11-25.md"); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, m.dir, "ls-files"); got != "alice/profile.md\noneone.yaml\n" {
		t.Fatalf("ls-files: %q", got)
	}
	if _, err := m.st.Commit("bad", a, "../x"); err == nil {
		t.Fatal("path outside the repository accepted")
	}
	if _, err := m.st.Commit("bad", a, ".git/config"); err == nil {
		t.Fatal(".git path accepted")
	}
	fsck(t, m.dir)

	// CommitAll picks up the hand edit, new and deleted files, and respects .gitignore.
	m.write(".gitignore", "*.tmp\n")
	m.write("scratch.tmp", "x")
	m.write("alice/.2026-11-25.md.swp", "swap")
	m.write("bob/profile.md", "---\nname: Bob\n---\n")
	m.remove("oneone.yaml")
	paths, _, err := m.st.CommitAll(a)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(paths, ",") != ".gitignore,alice/profile.md,bob/profile.md,oneone.yaml" {
		t.Fatalf("CommitAll paths: %v", paths)
	}
	msg := runGit(t, m.dir, "log", "-1", "--format=%s")
	if msg != "sync: add .gitignore, edit alice/profile.md, add bob/profile.md, delete oneone.yaml\n" {
		t.Fatalf("message: %q", msg)
	}
	if got := runGit(t, m.dir, "status", "--porcelain", "--untracked-files=no"); got != "" {
		t.Fatalf("status: %q", got)
	}
	if _, _, err := m.st.CommitAll(a); !errors.Is(err, ErrNothingChanged) {
		t.Fatalf("second CommitAll: %v", err)
	}
	fsck(t, m.dir)
	if fi, _ := os.Stat(filepath.Join(m.dir, ".git")); fi.Mode().Perm() != 0o700 {
		t.Fatalf(".git mode %v", fi.Mode())
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.md")
	if err := WriteFileAtomic(p, []byte("x")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("temp files left: %v", ents)
	}
}

// TestCommitAllStaged: changes staged by hand (`git add`, `git rm`), where the index
// differs from HEAD but the work tree matches the index, are committed too.
func TestCommitAllStaged(t *testing.T) {
	needGit(t)
	isolate(t)
	m := newMachine(t, "")
	a := Author{"Dana", "dana@example.com"}
	m.write("oneone.yaml", "manager: Dana\n")
	m.write("alice/profile.md", "---\nname: Alice\n---\n")
	m.write("alice/2026-11-18.md", "old note\n")
	m.write("zed/profile.md", "---\nname: Zed\n---\n")
	if _, _, err := m.st.CommitAll(a); err != nil {
		t.Fatal(err)
	}
	m.write("alice/profile.md", "---\nname: Alice Chen\n---\n")
	m.write("bob/profile.md", "---\nname: Bob\n---\n")
	runGit(t, m.dir, "add", "alice/profile.md", "bob/profile.md")
	runGit(t, m.dir, "rm", "-q", "alice/2026-11-18.md")
	// Staged, then edited again: the work tree wins, as with `git commit -a`.
	m.write("zed/profile.md", "---\nname: Zed\n---\nstaged\n")
	runGit(t, m.dir, "add", "zed/profile.md")
	m.write("zed/profile.md", "---\nname: Zed\n---\nstaged, then edited\n")
	if got := runGit(t, m.dir, "status", "--porcelain"); got != "D  alice/2026-11-18.md\nM  alice/profile.md\nA  bob/profile.md\nMM zed/profile.md\n" {
		t.Fatalf("status before: %q", got)
	}
	paths, _, err := m.st.CommitAll(a)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(paths, ",") != "alice/2026-11-18.md,alice/profile.md,bob/profile.md,zed/profile.md" {
		t.Fatalf("CommitAll paths: %v", paths)
	}
	if msg := runGit(t, m.dir, "log", "-1", "--format=%s"); msg != "sync: delete alice/2026-11-18.md, edit alice/profile.md, add bob/profile.md, edit zed/profile.md\n" {
		t.Fatalf("message: %q", msg)
	}
	if got := runGit(t, m.dir, "status", "--porcelain"); got != "" {
		t.Fatalf("status after: %q", got)
	}
	if got := runGit(t, m.dir, "show", "HEAD:zed/profile.md"); got != "---\nname: Zed\n---\nstaged, then edited\n" {
		t.Fatalf("zed: %q", got)
	}
	if got := runGit(t, m.dir, "show", "HEAD:alice/profile.md"); got != "---\nname: Alice Chen\n---\n" {
		t.Fatalf("alice: %q", got)
	}
	if _, _, err := m.st.CommitAll(a); !errors.Is(err, ErrNothingChanged) {
		t.Fatalf("second CommitAll: %v", err)
	}
	// Only a new file staged with `git add`, nothing else changed.
	m.write("carol/profile.md", "---\nname: Carol\n---\n")
	runGit(t, m.dir, "add", "carol/profile.md")
	if paths, _, err := m.st.CommitAll(a); err != nil || strings.Join(paths, ",") != "carol/profile.md" {
		t.Fatalf("CommitAll carol: %v %v", paths, err)
	}
	// The index's tree hash computed in memory is git's: `git write-tree` agrees.
	idx, _, err := m.st.readIndex()
	if err != nil {
		t.Fatal(err)
	}
	root, err := indexTree(idx.Entries, "", nil)
	if err != nil || root.String()+"\n" != runGit(t, m.dir, "write-tree") {
		t.Fatalf("indexTree %s (%v), git write-tree %s", root, err, runGit(t, m.dir, "write-tree"))
	}
	fsck(t, m.dir)
}

// A note created by hand with mode 0644 (in a folder made 0755) is made private
// when sync commits it, and sync says so; an executable keeps its x bit.
func TestSyncMakesHandMadeFilesPrivate(t *testing.T) {
	isolate(t)
	m := newMachine(t, "")
	dir := filepath.Join(m.dir, "alice")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{"alice/2026-11-25.md": 0o644, "alice/profile.md": 0o600, "tool.sh": 0o755} {
		p := filepath.Join(m.dir, name)
		if err := os.WriteFile(p, []byte("x\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := m.sync()
	if err != nil || !res.NoRemote {
		t.Fatal(res, err)
	}
	if want := []string{"alice", "alice/2026-11-25.md", "tool.sh"}; fmt.Sprint(res.MadePrivate) != fmt.Sprint(want) {
		t.Fatalf("MadePrivate = %v, want %v", res.MadePrivate, want)
	}
	for name, want := range map[string]os.FileMode{"alice": 0o700, "alice/2026-11-25.md": 0o600, "alice/profile.md": 0o600, "tool.sh": 0o700} {
		fi, err := os.Stat(filepath.Join(m.dir, name))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode().Perm(), want)
		}
	}
	if s := runGit(t, m.dir, "status", "--porcelain"); s != "" {
		t.Fatalf("git status:\n%s", s)
	}
	if got := runGit(t, m.dir, "ls-files", "-s", "tool.sh"); !strings.HasPrefix(got, "100755") {
		t.Fatalf("tool.sh lost its x bit: %s", got)
	}
}
