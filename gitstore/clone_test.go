package gitstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// initCommit makes m's repository hold only what `oneone init` commits.
func initCommit(t *testing.T, m *machine) {
	t.Helper()
	m.write("oneone.yaml", "manager: \"\"\ncadence: weekly\n")
	m.write(".gitignore", ".*.oneone-tmp-*\n")
	if _, err := m.st.Commit(InitMessage, Author{"Dana", "d@example.com"}, "oneone.yaml", ".gitignore"); err != nil {
		t.Fatal(err)
	}
}

// A repository that only holds init's commit meets a remote with history: it
// adopts the remote's history, its oneone.yaml included, instead of merging
// two unrelated histories (where the fresh default settings would win).
func TestSyncAdoptsTheRemotesHistory(t *testing.T) {
	isolate(t)
	root, bare := newBare(t)
	url := daemonRemote(t, root)
	a := newMachine(t, url)
	a.write("oneone.yaml", "manager: Dana\ncadence: biweekly\naway:\n  - from: 2026-12-20\n    to: 2027-01-06\n")
	a.write("alice/profile.md", "---\nname: Alice\n---\n")
	a.mustSync()
	b := newMachine(t, url)
	initCommit(t, b)
	res := b.mustSync()
	if !res.Adopted || res.Merged || res.Pushed || !res.Pulled {
		t.Fatalf("b sync: %+v", res)
	}
	want := map[string]string{"oneone.yaml": a.files()["oneone.yaml"], "alice/profile.md": "---\nname: Alice\n---\n"}
	b.check(want)
	if got, want := runGit(t, b.dir, "rev-parse", "HEAD"), runGit(t, a.dir, "rev-parse", "HEAD"); got != want {
		t.Fatalf("b at %s, a at %s: not the same history", got, want)
	}
	fsck(t, bare)

	// One more commit than init's: a real merge, as before.
	c := newMachine(t, url)
	initCommit(t, c)
	c.write("bob/profile.md", "---\nname: Bob\n---\n")
	if res := c.mustSync(); res.Adopted || !res.Merged {
		t.Fatalf("c sync: %+v", res)
	}
}

// Clone sets up a second computer: the remote's history, origin set (without
// the credentials of the URL), the upstream remembered; it refuses a folder
// that is not empty and leaves nothing behind when it fails.
func TestClone(t *testing.T) {
	home := isolate(t)
	root, _ := newBare(t)
	url := httpRemote(t, root, "dana", "tok-clone-123")
	a := newMachine(t, url)
	a.env = map[string]string{"ONEONE_GIT_USERNAME": "dana", "ONEONE_GIT_TOKEN": "tok-clone-123"}
	a.write("oneone.yaml", "manager: Dana\ncadence: biweekly\n")
	a.write("alice/profile.md", "---\nname: Alice\n---\n")
	a.mustSync()

	dir := filepath.Join(t.TempDir(), "notes")
	withCreds := strings.Replace(url, "http://", "http://dana:tok-clone-123@", 1)
	var got []int64
	st, res, err := Clone(withCreds, dir, SyncOptions{Home: home, Getenv: func(string) string { return "" }, Progress: func(n int64) { got = append(got, n) }})
	if err != nil {
		t.Fatalf("clone: %v", err)
	}
	if res.PulledCommits != 1 || st.Dir() != dir {
		t.Fatalf("clone: %+v", res)
	}
	if len(got) == 0 || got[len(got)-1] < 100 {
		t.Fatalf("progress: %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			t.Fatalf("progress goes back: %v", got)
		}
	}
	b := &machine{t: t, st: st, dir: dir, env: a.env}
	b.check(a.files())
	if got, _, _ := st.RemoteURL(); got != url {
		t.Fatalf("origin %q, want %q (no credentials)", got, url)
	}
	if cfg := runGit(t, dir, "config", "branch.main.merge"); strings.TrimSpace(cfg) != "refs/heads/main" {
		t.Fatalf("upstream: %q", cfg)
	}
	for _, fi := range []string{dir, filepath.Join(dir, "alice/profile.md")} {
		if st, err := os.Stat(fi); err != nil || st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v", fi, st.Mode().Perm())
		}
	}
	// a folder that is not empty is refused, untouched
	if _, _, err := Clone(url, dir, SyncOptions{}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("clone into a full folder: %v", err)
	}
	b.check(a.files())
	// a failed clone (no credentials) leaves nothing; an empty remote is refused
	bad := filepath.Join(t.TempDir(), "bad")
	if _, _, err := Clone(url, bad, SyncOptions{Home: home, Getenv: func(string) string { return "" }}); err == nil || !strings.Contains(err.Error(), "ONEONE_GIT_TOKEN") {
		t.Fatalf("clone without credentials: %v", err)
	}
	if _, err := os.Lstat(bad); !os.IsNotExist(err) {
		t.Fatalf("a failed clone left %s", bad)
	}
	root2, _ := newBare(t)
	empty := filepath.Join(t.TempDir(), "empty")
	if _, _, err := Clone(daemonRemote(t, root2), empty, SyncOptions{}); err == nil || !strings.Contains(err.Error(), "no notes yet") {
		t.Fatalf("clone of an empty remote: %v", err)
	}
	if _, err := os.Lstat(empty); !os.IsNotExist(err) {
		t.Fatalf("a failed clone left %s", empty)
	}
}
