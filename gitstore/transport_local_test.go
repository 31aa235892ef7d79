package gitstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestLocalPushCompareAndSwap: a push to a local-path remote moves the branch
// only from where the pusher saw it (else ErrRemoteMoved and the remote keeps
// its branch), waits for no one when git's lock file is held (ErrRemoteMoved:
// sync fetches and tries again), and leaves a repository git fsck accepts.
func TestLocalPushCompareAndSwap(t *testing.T) {
	isolate(t)
	_, bare := newBare(t)
	a := newMachine(t, bare)
	a.write("alice/2026-11-01.md", "# one\n")
	a.mustSync()
	first := strings.TrimSpace(runGit(t, bare, "rev-parse", "main"))

	a.write("alice/2026-11-02.md", "# two\n")
	if _, _, err := a.st.CommitAll(Author{"Dana", "dana@example.com"}); err != nil {
		t.Fatal(err)
	}
	_, local, _ := a.st.head()
	objects, err := a.st.objectsToPush(local, plumbing.NewHash(first))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := a.st.openTransport(bare, &SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	branch := plumbing.NewBranchReferenceName("main")
	// A stale old value: refused, nothing moved.
	err = tr.Push(context.Background(), branch, local, local, objects)
	if !errors.Is(err, ErrRemoteMoved) {
		t.Fatalf("push over a stale old value: %v, want ErrRemoteMoved", err)
	}
	if got := strings.TrimSpace(runGit(t, bare, "rev-parse", "main")); got != first {
		t.Fatalf("remote moved to %s on a refused push", got)
	}
	// git's ref lock held by another push: refused too, and the lock is not ours to remove.
	lock := filepath.Join(bare, "refs", "heads", "main.lock")
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := tr.Push(context.Background(), branch, plumbing.NewHash(first), local, objects); !errors.Is(err, ErrRemoteMoved) {
		t.Fatalf("push while the ref is locked: %v, want ErrRemoteMoved", err)
	}
	if _, err := os.Stat(lock); err != nil {
		t.Fatalf("another process's lock was removed: %v", err)
	}
	os.Remove(lock)
	if err := tr.Push(context.Background(), branch, plumbing.NewHash(first), local, objects); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(runGit(t, bare, "rev-parse", "main")); got != local.String() {
		t.Fatalf("remote at %s, want %s", got, local)
	}
	runGit(t, bare, "fsck", "--no-progress", "--no-dangling")

	// A missing repository says so.
	gone, err := a.st.openTransport(filepath.Join(t.TempDir(), "none.git"), &SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gone.Fetch(context.Background(), branch, nil); err == nil || !strings.Contains(err.Error(), "repository not found") {
		t.Fatalf("fetch from a missing path: %v", err)
	}
}
