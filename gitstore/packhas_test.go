package gitstore

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestHasObjectPacked: hasObject finds every object of a repository whose
// objects are packed (git gc) and loose, and no other.
func TestHasObjectPacked(t *testing.T) {
	isolate(t)
	m := newMachine(t, "")
	for _, f := range []string{"alice/a.md", "bob/b.md", "carol/c.md", "x.md"} {
		m.write(f, f+"\n")
	}
	if _, _, err := m.st.CommitAll(Author{"Dana", "dana@example.com"}); err != nil {
		t.Fatal(err)
	}
	runGit(t, m.dir, "gc", "-q")
	m.write("dave/d.md", "loose\n")
	if _, _, err := m.st.CommitAll(Author{"Dana", "dana@example.com"}); err != nil {
		t.Fatal(err)
	}
	st, err := Open(m.dir)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Fields(runGit(t, m.dir, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)"))
	if len(all) < 10 {
		t.Fatalf("only %d objects", len(all))
	}
	packs, _ := filepath.Glob(filepath.Join(m.dir, ".git", "objects", "pack", "*.idx"))
	if len(packs) == 0 {
		t.Fatal("git gc made no pack")
	}
	for _, h := range all {
		if !st.hasObject(plumbing.NewHash(h)) {
			t.Errorf("%s not found", h)
		}
		flipped := []byte(h)
		flipped[39] = "10"[map[bool]int{true: 1, false: 0}[flipped[39] == '1']]
		if x := plumbing.NewHash(string(flipped)); !strings.Contains(strings.Join(all, " "), x.String()) && st.hasObject(x) {
			t.Errorf("%s found, but it is not there", x)
		}
	}
}
