package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oneone/oneone/notes"
)

// Crash safety: oneone is killed with SIGKILL at named points of its write path
// (notes.CrashPoint, enabled by ONEONE_TEST_CRASH_AT). Afterwards the repository
// passes git fsck, no note is half-written, no user text is lost, and the next
// run works and removes the lock holder's leftovers (temp files).

// crashPoints are the points of the write path, in the order they are passed.
var crashPoints = []string{
	"write-temp",       // a note or profile written to its temp file, not yet renamed
	"write-renamed",    // renamed into place, not yet committed
	"create-linked",    // new: linked into place, temp name not yet removed
	"git-write-temp:1", // a ref or the index half-way through its atomic write
	"commit-objects",   // objects written, branch not moved
	"git-write-temp:2",
	"commit-ref", // branch moved, index not written
}

// runCrash runs oneone expecting it to die at point; it fails when the point is never reached.
func runCrash(t *testing.T, dir string, env []string, point string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := oneoneCmd(ctx, dir, append(env[:len(env):len(env)], notes.CrashEnv+"="+point), args...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("oneone %s with crash at %s: want a killed process, got %v\n%s", strings.Join(args, " "), point, err, out)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("oneone %s: crash point %s not reached: %v\n%s", strings.Join(args, " "), point, err, out)
	}
}

// git runs the git binary in dir and returns its output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = testEnv(filepath.Join(dir, "..", "home"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// checkRepo asserts git fsck passes, the index matches HEAD and the work tree, and no temp file is left.
func checkRepo(t *testing.T, root string) {
	t.Helper()
	git(t, root, "fsck", "--no-progress", "--no-dangling")
	if st := git(t, root, "status", "--porcelain", "--untracked-files=all"); st != "" {
		t.Fatalf("git status not clean:\n%s", st)
	}
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), notes.TempMarker) {
			t.Errorf("temp file left: %s", p)
		}
		return nil
	})
}

func readOrEmpty(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(b)
}

func TestCrashDuringNewAndThemeAdd(t *testing.T) {
	base, env := newTeam(t)
	// What the note and the profile hold after an uninterrupted run.
	ref := filepath.Join(t.TempDir(), "notes")
	copyTree(t, base, ref)
	refEnv := append(env[:len(env):len(env)], "ONEONE_DIR="+ref)
	mustRun(t, ref, refEnv, "new", "alice")
	mustRun(t, ref, refEnv, "theme", "add", "alice", "Lead the Q1 migration", "--started", "2026-11-25")
	wantNote := readOrEmpty(t, filepath.Join(ref, "alice/2026-11-25.md"))
	wantProfile := readOrEmpty(t, filepath.Join(ref, "alice/profile.md"))
	oldProfile := readOrEmpty(t, filepath.Join(base, "alice/profile.md"))
	if !strings.Contains(wantNote, "write the summary") || !strings.Contains(wantProfile, "Lead the Q1 migration") {
		t.Fatalf("reference run:\n%s\n%s", wantNote, wantProfile)
	}

	for _, cmd := range []string{"new", "theme add"} {
		for _, point := range crashPoints {
			if cmd == "theme add" && point == "create-linked" {
				continue // theme add replaces a file, it never creates one
			}
			t.Run(strings.ReplaceAll(cmd, " ", "-")+"/"+point, func(t *testing.T) {
				dir := t.TempDir()
				root := filepath.Join(dir, "notes")
				copyTree(t, base, root)
				env := append(env[:len(env):len(env)], "ONEONE_DIR="+root)
				notePath, profilePath := filepath.Join(root, "alice/2026-11-25.md"), filepath.Join(root, "alice/profile.md")
				if cmd == "new" {
					runCrash(t, dir, env, point, "new", "alice")
				} else {
					runCrash(t, dir, env, point, "theme", "add", "alice", "Lead the Q1 migration", "--started", "2026-11-25")
				}
				// Never half-written: the old or the new content, nothing in between.
				if got := readOrEmpty(t, notePath); got != "" && got != wantNote {
					t.Fatalf("half-written note after a crash at %s:\n%q", point, got)
				}
				if got := readOrEmpty(t, profilePath); got != oldProfile && got != wantProfile {
					t.Fatalf("half-written profile after a crash at %s:\n%q", point, got)
				}
				git(t, root, "fsck", "--no-progress", "--no-dangling")

				// The next runs work: the lock is free, the command can be finished.
				if cmd == "new" {
					r := run(t, dir, env, 30*time.Second, "new", "alice")
					checkSane(t, r)
					if r.code != 0 && !strings.Contains(r.stderr, "already exists") {
						t.Fatalf("next run: %s", r)
					}
				} else {
					r := run(t, dir, env, 30*time.Second, "theme", "add", "alice", "Lead the Q1 migration", "--started", "2026-11-25")
					checkSane(t, r)
					if r.code != 0 && !strings.Contains(r.stderr, "already has a theme") {
						t.Fatalf("next run: %s", r)
					}
				}
				mustRun(t, dir, env, "new", "bob")
				// sync commits whatever the crash left uncommitted (it has no remote: exit 2).
				if r := run(t, dir, env, 30*time.Second, "sync"); r.code != 0 && !strings.Contains(r.stderr, "no remote") {
					t.Fatalf("sync after the crash: %s", r)
				}
				if got := readOrEmpty(t, notePath); cmd == "new" && got != wantNote {
					t.Fatalf("note after recovery:\n%q", got)
				}
				if got := readOrEmpty(t, profilePath); cmd == "theme add" && got != wantProfile {
					t.Fatalf("profile after recovery:\n%q", got)
				}
				checkRepo(t, root)
				if cmd == "new" && !strings.Contains(git(t, root, "show", "HEAD:alice/2026-11-25.md"), "write the summary") {
					t.Fatal("the note is not committed")
				}
			})
		}
	}
}

// syncPoints are the crash points sync passes: committing pending edits,
// checking out the remote's files, moving the branch, writing the index, pushing.
var syncPoints = []string{
	"commit-objects", "commit-ref", "git-write-temp:1", "git-write-temp:2", "git-write-temp:3",
	"checkout-files", "checkout-ref", "sync-before-push", "sync-pushed",
}

func TestCrashDuringSync(t *testing.T) {
	base, env := newTeam(t)
	for _, point := range syncPoints {
		t.Run(point, func(t *testing.T) {
			dir := t.TempDir()
			remote := filepath.Join(dir, "remote.git")
			git(t, dir, "init", "-q", "--bare", "-b", "main", remote)
			a := filepath.Join(dir, "notes")
			copyTree(t, base, a)
			envA := append(env[:len(env):len(env)], "ONEONE_DIR="+a)
			mustRun(t, dir, envA, "remote", "file://"+remote)
			mustRun(t, dir, envA, "sync")
			b := filepath.Join(dir, "b")
			git(t, dir, "clone", "-q", remote, b)
			envB := append(env[:len(env):len(env)], "ONEONE_DIR="+b)

			// A adds a note and pushes; B edits a note by hand, then syncs and dies.
			mustRun(t, dir, envA, "new", "bob", "--date", "2026-11-20")
			mustRun(t, dir, envA, "sync")
			edited := filepath.Join(b, "alice/2026-11-11.md")
			text := readOrEmpty(t, edited) + "- B's precious hand-written line\n"
			writeFile(t, edited, text)
			runCrash(t, dir, envB, point, "sync")

			if got := readOrEmpty(t, edited); got != text {
				t.Fatalf("hand edit lost after a crash at %s:\n%q", point, got)
			}
			git(t, b, "fsck", "--no-progress", "--no-dangling")
			git(t, remote, "fsck", "--no-progress", "--no-dangling")
			mustRun(t, dir, envB, "sync")
			if got := readOrEmpty(t, edited); got != text {
				t.Fatalf("hand edit changed by the next sync:\n%q", got)
			}
			if got := readOrEmpty(t, filepath.Join(b, "bob/2026-11-20.md")); !strings.Contains(got, "## Feedback") {
				t.Fatalf("A's note did not arrive: %q", got)
			}
			checkRepo(t, b)
			mustRun(t, dir, envA, "sync")
			if got := readOrEmpty(t, filepath.Join(a, "alice/2026-11-11.md")); got != text {
				t.Fatalf("B's edit did not reach A:\n%q", got)
			}
			checkRepo(t, a)
		})
	}
}
