package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSyncLocalPathWithoutGit syncs two computers through a bare repository
// on a local path (a USB drive) with no git binary in PATH: the local
// transport runs in process (issue 19). Push, clone, fetch, a fast-forward, a
// merge after the remote moved, and git fsck clean on all three sides.
func TestSyncLocalPathWithoutGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed (needed to check the repositories)")
	}
	root, env := newTeam(t)
	dir := filepath.Dir(root)
	remote := filepath.Join(dir, "usb", "notes.git")
	git(t, dir, "init", "-q", "--bare", "-b", "main", remote)
	noGit := t.TempDir() // an empty PATH: no git, no git-upload-pack, no git-receive-pack
	for i, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			env[i] = "PATH=" + noGit
		}
	}
	mustRun(t, dir, env, "remote", remote)
	if r := mustRun(t, dir, env, "sync"); !strings.Contains(r.stdout, "pushed") {
		t.Fatalf("first sync did not push: %s", r)
	}
	if got, want := git(t, remote, "rev-parse", "main"), git(t, root, "rev-parse", "HEAD"); got != want {
		t.Fatalf("remote at %s, local at %s", got, want)
	}

	b := filepath.Join(dir, "laptop")
	envB := append(env[:len(env):len(env)], "ONEONE_DIR="+b)
	mustRun(t, dir, envB, "clone", "file://"+remote, b)
	writeFile(t, filepath.Join(b, "alice", "2026-11-18.md"), "---\ndate: 2026-11-18\n---\n# 1:1\n\n## Feedback\n- from the laptop\n")
	mustRun(t, dir, envB, "sync")
	if r := mustRun(t, dir, env, "sync"); !strings.Contains(r.stdout, "pulled") {
		t.Fatalf("sync did not pull the laptop's note: %s", r)
	}
	if _, err := os.Stat(filepath.Join(root, "alice", "2026-11-18.md")); err != nil {
		t.Fatal(err)
	}

	// Both sides write: the second sync finds the remote moved, fetches, merges and pushes.
	writeFile(t, filepath.Join(root, "bob", "2026-11-20.md"), "---\ndate: 2026-11-20\n---\n# 1:1\n\n## Feedback\n- from the desk\n")
	writeFile(t, filepath.Join(b, "alice", "2026-11-19.md"), "---\ndate: 2026-11-19\n---\n# 1:1\n\n## Feedback\n- from the laptop again\n")
	mustRun(t, dir, env, "sync")
	if r := mustRun(t, dir, envB, "sync"); !strings.Contains(r.stdout, "merged") || !strings.Contains(r.stdout, "pushed") {
		t.Fatalf("the laptop's sync did not merge and push: %s", r)
	}
	mustRun(t, dir, env, "sync")
	for _, d := range []string{root, b} {
		checkRepo(t, d)
		if got, want := git(t, remote, "rev-parse", "main"), git(t, d, "rev-parse", "HEAD"); got != want {
			t.Fatalf("%s at %s, remote at %s", d, want, got)
		}
		for _, f := range []string{"alice/2026-11-18.md", "alice/2026-11-19.md", "bob/2026-11-20.md"} {
			if _, err := os.Stat(filepath.Join(d, f)); err != nil {
				t.Errorf("%s: %v", d, err)
			}
		}
	}
	git(t, remote, "fsck", "--no-progress", "--no-dangling")
	if _, err := os.Stat(filepath.Join(remote, "refs", "heads", "main.lock")); err == nil {
		t.Fatal("the ref lock was left behind")
	}
}
