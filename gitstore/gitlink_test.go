package gitstore

import (
	"strings"
	"testing"
)

// A submodule entry (gitlink) from the remote is carried through untouched: it
// reaches the index, later syncs never commit "delete mod", and the remote
// keeps it, also through a merge.
func TestSyncCarriesGitlinks(t *testing.T) {
	for _, merged := range []bool{false, true} {
		name := "pulled"
		if merged {
			name = "merged"
		}
		t.Run(name, func(t *testing.T) {
			a, b, bare := pair(t, "daemon")
			// origin gets a gitlink next to the notes, made with git's plumbing
			head := strings.TrimSpace(gitIn(t, bare, "", "rev-parse", "main"))
			entries := gitIn(t, bare, "", "ls-tree", "main")
			tree := strings.TrimSpace(gitIn(t, bare, entries+"\n160000 commit "+head+"\tmod\n", "mktree"))
			gitIn(t, bare, "", "update-ref", "refs/heads/main", strings.TrimSpace(gitIn(t, bare, "", "commit-tree", tree, "-p", head, "-m", "add submodule")))
			if merged {
				b.write("bob/profile.md", "---\nname: Bob\n---\n") // b moved too: a real merge
			}
			b.mustSync()
			if got := runGit(t, b.dir, "ls-files", "--stage", "mod"); !strings.HasPrefix(got, "160000 "+head) {
				t.Fatalf("gitlink not in b's index: %q\n%s\n%s", got, runGit(t, b.dir, "ls-files", "--stage"), runGit(t, b.dir, "log", "--stat"))
			}
			if s := runGit(t, b.dir, "status", "--porcelain"); s != "" {
				t.Fatalf("git status after the pull:\n%s", s)
			}
			b.write("alice/2026-12-02.md", "next\n")
			res := b.mustSync()
			for _, p := range res.Committed {
				if p == "mod" {
					t.Fatalf("sync committed the gitlink: %+v", res)
				}
			}
			for _, who := range []string{bare, b.dir} {
				if got := gitIn(t, who, "", "ls-tree", "main", "mod"); !strings.HasPrefix(got, "160000 commit "+head) {
					t.Fatalf("%s lost the gitlink: %q", who, got)
				}
			}
			if log := runGit(t, b.dir, "log", "--format=%B"); strings.Contains(log, "delete mod") {
				t.Fatalf("a commit deleted mod:\n%s", log)
			}
			a.mustSync()
			if got := runGit(t, a.dir, "ls-files", "--stage", "mod"); !strings.HasPrefix(got, "160000 "+head) {
				t.Fatalf("gitlink not in a's index: %q", got)
			}
			fsck(t, bare)
			fsck(t, b.dir)
		})
	}
}
