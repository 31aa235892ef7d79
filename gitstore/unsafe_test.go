package gitstore

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// gitIn runs git with stdin in dir (tests only) and returns its trimmed output.
func gitIn(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// lsTree lists the paths of a commit's tree (git quotes odd names: core.quotePath off keeps them readable).
func lsTree(t *testing.T, dir, rev string) []string {
	t.Helper()
	out := gitIn(t, dir, "", "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "-z", rev)
	return strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestUnsafeNamesNeverBrickTheRepository: a file name oneone would never check out (a
// backslash here) is not committed by sync, and a tree that already holds one, committed
// by an older oneone or by git, is carried over by later commits instead of refusing them.
func TestUnsafeNamesNeverBrickTheRepository(t *testing.T) {
	const weird = `hos/weird\name.md`
	tests := []struct {
		name        string
		committed   bool // the weird file is in HEAD already (committed with git)
		wantSkipped []string
	}{
		{name: "new file", wantSkipped: []string{weird}},
		{name: "committed by git or an older oneone", committed: true, wantSkipped: []string{weird}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			isolate(t)
			root, bare := newBare(t)
			m := newMachine(t, daemonRemote(t, root))
			m.write("hos/profile.md", "---\nname: H\n---\n")
			if _, err := m.st.Commit("add hos", Author{"Dana", "d@x"}, "hos"); err != nil {
				t.Fatal(err)
			}
			m.write(weird, "odd\n")
			if tc.committed {
				gitIn(t, m.dir, "", "add", "--", weird)
				gitIn(t, m.dir, "", "commit", "-q", "-m", "weird")
			}
			res, err := m.sync()
			if err != nil {
				t.Fatalf("sync: %v", err)
			}
			if !reflect.DeepEqual(res.Skipped, tc.wantSkipped) {
				t.Fatalf("skipped %q, want %q", res.Skipped, tc.wantSkipped)
			}
			if got := lsTree(t, m.dir, "HEAD"); contains(got, weird) != tc.committed {
				t.Fatalf("HEAD holds %q", got)
			}
			// Later commits work, and carry the entry over untouched.
			m.write("hos/2026-11-20.md", "new\n")
			if _, err := m.st.Commit("new", Author{"Dana", "d@x"}, "hos/2026-11-20.md"); err != nil {
				t.Fatalf("commit after sync: %v", err)
			}
			if got := lsTree(t, m.dir, "HEAD"); contains(got, weird) != tc.committed || !contains(got, "hos/2026-11-20.md") {
				t.Fatalf("HEAD holds %q", got)
			}
			if _, err := m.sync(); err != nil {
				t.Fatalf("second sync: %v", err)
			}
			// Renaming the file fixes it: the new name is committed, the old one removed.
			if err := os.Rename(filepath.Join(m.dir, filepath.FromSlash(weird)), filepath.Join(m.dir, "hos", "weird-name.md")); err != nil {
				t.Fatal(err)
			}
			res = m.mustSync()
			if len(res.Skipped) != 0 || !res.Pushed {
				t.Fatalf("sync after rename: %+v", res)
			}
			got := lsTree(t, bare, "main")
			if contains(got, weird) || !contains(got, "hos/weird-name.md") {
				t.Fatalf("remote holds %q", got)
			}
			m.check(map[string]string{"hos/profile.md": "---\nname: H\n---\n", "hos/2026-11-20.md": "new\n", "hos/weird-name.md": "odd\n"})
		})
	}
}

// hostileCommit makes main in bare a commit whose tree holds names oneone must never
// write: a backslash, "..", ".git" and ".GIT" (with a hook in them), next to a normal note.
func hostileCommit(t *testing.T, bare string, parent string) {
	t.Helper()
	blob := gitIn(t, bare, "hi\n", "hash-object", "-w", "--stdin")
	note := gitIn(t, bare, "---\nname: Alice\n---\n", "hash-object", "-w", "--stdin")
	hooks := gitIn(t, bare, "100755 blob "+blob+"\tpost-checkout\n", "mktree")
	dotgit := gitIn(t, bare, "040000 tree "+hooks+"\thooks\n", "mktree")
	up := gitIn(t, bare, "100644 blob "+blob+"\tescaped.md\n", "mktree")
	alice := gitIn(t, bare, "100644 blob "+note+"\tprofile.md\n100644 blob "+blob+"\tweird\\name.md\n", "mktree")
	tree := gitIn(t, bare, "040000 tree "+up+"\t..\n040000 tree "+dotgit+"\t.GIT\n040000 tree "+dotgit+"\t.git\n040000 tree "+alice+"\talice\n", "mktree")
	args := []string{"commit-tree", tree, "-m", "hostile"}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	gitIn(t, bare, "", "update-ref", "refs/heads/main", gitIn(t, bare, "", args...))
}

// TestHostileRemoteTree: names from a remote that oneone refuses to write are never
// written nor followed (no file outside the work tree, nothing in .git), yet sync goes on,
// later commits keep them in git untouched, and they never count as deleted.
func TestHostileRemoteTree(t *testing.T) {
	unsafe := []string{"..", ".GIT", ".git", `alice/weird\name.md`}
	for _, localFirst := range []bool{false, true} { // pulled into an empty repository, or merged
		name := "clone"
		if localFirst {
			name = "merge"
		}
		t.Run(name, func(t *testing.T) {
			isolate(t)
			root, bare := newBare(t)
			parent := ""
			if localFirst {
				seed := newMachine(t, daemonRemote(t, root))
				seed.write("seed.md", "seed\n")
				seed.mustSync()
				parent = gitIn(t, bare, "", "rev-parse", "main")
			}
			hostileCommit(t, bare, parent)
			m := newMachine(t, daemonRemote(t, root))
			want := map[string]string{"alice/profile.md": "---\nname: Alice\n---\n"}
			if localFirst {
				m.write("local.md", "local\n")
				want["local.md"] = "local\n"
			}
			res, err := m.sync()
			if err != nil {
				t.Fatalf("sync: %v", err)
			}
			if len(res.Unwritten) != 4 || !res.Pulled {
				t.Fatalf("sync: %+v", res)
			}
			for _, p := range res.Unwritten {
				if !contains(unsafe, strings.SplitN(p, "/", 2)[0]) && !contains(unsafe, p) {
					t.Errorf("unwritten %q is a safe path", p)
				}
			}
			for _, p := range []string{filepath.Join(filepath.Dir(m.dir), "escaped.md"), filepath.Join(m.dir, ".git", "hooks", "post-checkout"), filepath.Join(m.dir, ".GIT")} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s was written", p)
				}
			}
			if got := m.files(); !equalMaps(got, want) {
				t.Fatalf("files:\n got %s\nwant %s", dump(got), dump(want))
			}
			if s := runGit(t, m.dir, "status", "--porcelain"); s != "" {
				t.Fatalf("git status not clean:\n%s", s)
			}
			if res := m.mustSync(); !res.UpToDate {
				t.Fatalf("second sync: %+v", res)
			}
			m.write("alice/2026-11-25.md", note)
			if res := m.mustSync(); !res.Pushed || len(res.Committed) != 1 {
				t.Fatalf("sync of a new note: %+v", res)
			}
			got := lsTree(t, bare, "main")
			for _, p := range []string{"../escaped.md", ".git/hooks/post-checkout", ".GIT/hooks/post-checkout", `alice/weird\name.md`, "alice/2026-11-25.md"} {
				if !contains(got, p) {
					t.Errorf("remote lost %q: %q", p, got)
				}
			}
		})
	}
}
