package gitstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCacheTreeMatchesGit: commits made through the index's cache-tree
// (cachetree.go) hold exactly the index's files, and the cache-tree oneone
// writes is the one git computes: after each commit `git ls-tree -r HEAD`
// lists what `git ls-files -s` does, `git write-tree` (which trusts the
// cache-tree) gives HEAD's tree, and git fsck is clean; a change staged by
// hand with `git add` is not taken into a commit of another path.
func TestCacheTreeMatchesGit(t *testing.T) {
	isolate(t)
	dir := filepath.Join(t.TempDir(), "notes")
	st, err := Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	au := Author{"Dana", "dana@example.com"}
	write := func(rel, content string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string) {
		t.Helper()
		files := runGit(t, dir, "ls-files", "-s")
		var fromTree []string
		for _, l := range strings.Split(strings.TrimSpace(runGit(t, dir, "ls-tree", "-r", "HEAD")), "\n") {
			// "100644 blob HASH\tpath" -> "100644 HASH 0\tpath", as ls-files -s
			f := strings.Fields(strings.SplitN(l, "\t", 2)[0])
			fromTree = append(fromTree, f[0]+" "+f[2]+" 0\t"+strings.SplitN(l, "\t", 2)[1])
		}
		if got := strings.Join(fromTree, "\n"); got != strings.TrimSpace(files) {
			t.Fatalf("%s: HEAD's tree\n%s\nis not the index\n%s", step, got, files)
		}
		if wt, head := strings.TrimSpace(runGit(t, dir, "write-tree")), strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD^{tree}")); wt != head {
			t.Fatalf("%s: git write-tree %s, HEAD's tree %s: the cache-tree is wrong", step, wt, head)
		}
		runGit(t, dir, "fsck", "--no-progress", "--no-dangling")
	}
	write("alice/2026-11-01.md", "one\n")
	write("bob/2026-11-01.md", "one\n")
	write("oneone.yaml", "x: 1\n")
	if _, _, err := st.CommitAll(au); err != nil {
		t.Fatal(err)
	}
	check("first commit")
	steps := []struct {
		name string
		do   func()
		path string
	}{
		{"a new note", func() { write("alice/2026-11-08.md", "two\n") }, "alice/2026-11-08.md"},
		{"an edit", func() { write("alice/2026-11-01.md", "one, edited\n") }, "alice/2026-11-01.md"},
		{"a nested folder", func() { write("alice/notes/deep/x.md", "deep\n") }, "alice/notes/deep/x.md"},
		{"a deletion", func() { os.Remove(filepath.Join(dir, "bob/2026-11-01.md")) }, "bob/2026-11-01.md"},
		{"a top file", func() { write("README.md", "hi\n") }, "README.md"},
		{"a folder back", func() { write("bob/2026-11-15.md", "three\n") }, "bob/2026-11-15.md"},
	}
	for _, s := range steps {
		s.do()
		if _, err := st.Commit(s.name, au, s.path); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		check(s.name)
	}
	// A change staged by hand stays out of a commit of another path, and in the index.
	write("carol/2026-11-01.md", "staged\n")
	runGit(t, dir, "add", "carol/2026-11-01.md")
	write("alice/2026-11-22.md", "four\n")
	if _, err := st.Commit("another", au, "alice/2026-11-22.md"); err != nil {
		t.Fatal(err)
	}
	if out := runGit(t, dir, "ls-tree", "-r", "--name-only", "HEAD"); strings.Contains(out, "carol/") {
		t.Fatalf("the staged file was committed:\n%s", out)
	}
	if out := runGit(t, dir, "diff", "--cached", "--name-only"); strings.TrimSpace(out) != "carol/2026-11-01.md" {
		t.Fatalf("staged: %q", out)
	}
	if wt := strings.TrimSpace(runGit(t, dir, "write-tree")); wt == strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD^{tree}")) {
		t.Fatal("git write-tree lost the staged file")
	}
	// Sync's commit of everything takes it, through the cache-tree again afterwards.
	if _, _, err := st.CommitAll(au); err != nil {
		t.Fatal(err)
	}
	check("commit all")
	write("alice/2026-11-29.md", "five\n")
	if _, _, err := st.CommitAll(au); err != nil {
		t.Fatal(err)
	}
	check("commit all again")
}
