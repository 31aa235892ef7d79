package gitstore

import (
	"errors"
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
