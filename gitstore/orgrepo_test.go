package gitstore

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// orgManager is one manager's notes repository with its copy of the organisation's repository.
func orgManager(t *testing.T) *OrgRepo {
	t.Helper()
	st, err := Init(filepath.Join(t.TempDir(), "notes"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.OrgRepo()
	if err != nil {
		t.Fatal(err)
	}
	if !st.HasOrgRepo() {
		t.Fatal("no copy after OrgRepo")
	}
	if fi, err := os.Stat(o.Dir()); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("copy folder %v %v", fi, err)
	}
	return o
}

func orgOpts() SyncOptions {
	return SyncOptions{Getenv: func(k string) string {
		switch k {
		case "ONEONE_GIT_USERNAME":
			return "dana"
		case "ONEONE_GIT_TOKEN":
			return "s3cret-token"
		}
		return ""
	}}
}

// TestOrgPublishKeepsOthers: each manager's publish adds or replaces only
// their own file, on top of whatever the others published, over
// http-backend with auth; publishing the same bytes again pushes nothing.
func TestOrgPublishKeepsOthers(t *testing.T) {
	isolate(t)
	root, bare := newBare(t)
	url := httpRemote(t, root, "dana", "s3cret-token")
	// someone set the repository up with a README of their own
	seed := t.TempDir()
	runGit(t, seed, "clone", "-q", bare, "c")
	if err := os.WriteFile(filepath.Join(seed, "c", "README.md"), []byte("org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runGit(t, filepath.Join(seed, "c"), "add", "README.md")
	runGit(t, filepath.Join(seed, "c"), "commit", "-qm", "readme")
	runGit(t, filepath.Join(seed, "c"), "push", "-q", "origin", "HEAD:main")

	ctx := context.Background()
	a, b := orgManager(t), orgManager(t)
	author := Author{"Dana", "d@example.com"}
	if _, err := a.PublishFile(ctx, url, "managers/dana.json", []byte(`{"v":1}`), "dana", author, orgOpts()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.PublishFile(ctx, url, "managers/lee.json", []byte(`{"v":22}`), "lee", author, orgOpts()); err != nil {
		t.Fatal(err)
	}
	res, err := a.PublishFile(ctx, url, "managers/dana.json", []byte(`{"v":3}`), "dana again", author, orgOpts())
	if err != nil || !res.Pushed {
		t.Fatal(res, err)
	}
	if again, err := a.PublishFile(ctx, url, "managers/dana.json", []byte(`{"v":3}`), "same", author, orgOpts()); err != nil || again.Pushed {
		t.Fatalf("same bytes pushed again: %+v %v", again, err)
	}
	got := runGit(t, bare, "ls-tree", "-r", "--name-only", "main")
	if got != "README.md\nmanagers/dana.json\nmanagers/lee.json\n" {
		t.Fatalf("tree:\n%s", got)
	}
	if v := runGit(t, bare, "show", "main:managers/dana.json"); v != `{"v":3}` {
		t.Fatalf("dana.json %q", v)
	}
	if log := runGit(t, bare, "log", "--format=%s", "main"); log != "dana again\nlee\ndana\nreadme\n" {
		t.Fatalf("history (fast-forwards only):\n%s", log)
	}
	fsck(t, bare)

	// what a fetch brings: the files of the managers folder, bounded
	if err := a.Fetch(ctx, url, mustProbe(t, a, url), orgOpts()); err != nil {
		t.Fatal(err)
	}
	files, err := a.Files(a.Tip().Commit, "managers", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Path != "managers/dana.json" || string(files[0].Data) != `{"v":3}` || files[1].Path != "managers/lee.json" || files[1].Data != nil || !strings.Contains(files[1].Problem, "more than") {
		t.Fatalf("files %+v", files)
	}
}

func mustProbe(t *testing.T, o *OrgRepo, url string) OrgTip {
	t.Helper()
	tip, err := o.Probe(context.Background(), url, orgOpts())
	if err != nil {
		t.Fatal(err)
	}
	return tip
}

// TestOrgPublishLostRace: two managers publish at the same moment into an
// empty repository; the one whose push loses the race fetches the other's
// commit and lands on top of it. Both files are there, neither overwritten.
func TestOrgPublishLostRace(t *testing.T) {
	isolate(t)
	root, bare := newBare(t)
	url := httpRemote(t, root, "dana", "s3cret-token")
	a, b := orgManager(t), orgManager(t)
	ctx := context.Background()

	// a makes its commit, then waits until b has pushed before pushing its own
	bDone := make(chan struct{})
	aBuilt := make(chan struct{})
	var once sync.Once
	orgBeforePush = func(attempt int) {
		if attempt == 1 {
			once.Do(func() { close(aBuilt); <-bDone })
		}
	}
	t.Cleanup(func() { orgBeforePush = nil })
	var resA OrgPublished
	var errA error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		resA, errA = a.PublishFile(ctx, url, "managers/dana.json", []byte("A\n"), "dana", Author{"Dana", "d@x"}, orgOpts())
	}()
	<-aBuilt
	orgBeforePushB := orgBeforePush
	orgBeforePush = nil // b pushes at once
	resB, errB := b.PublishFile(ctx, url, "managers/lee.json", []byte("B\n"), "lee", Author{"Lee", "l@x"}, orgOpts())
	orgBeforePush = orgBeforePushB
	close(bDone)
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if resB.Attempts != 1 || resA.Attempts != 2 || !resA.Pushed || !resB.Pushed {
		t.Fatalf("attempts a=%+v b=%+v", resA, resB)
	}
	if got := runGit(t, bare, "ls-tree", "-r", "--name-only", "main"); got != "managers/dana.json\nmanagers/lee.json\n" {
		t.Fatalf("tree:\n%s", got)
	}
	if log := runGit(t, bare, "log", "--format=%s", "main"); log != "dana\nlee\n" {
		t.Fatalf("history:\n%s", log)
	}
	fsck(t, bare)
}

// TestOrgPublishErrors: a wrong token and an unreachable remote are one line
// each, naming the fix and never the token.
func TestOrgPublishErrors(t *testing.T) {
	isolate(t)
	root, _ := newBare(t)
	url := httpRemote(t, root, "dana", "right-token")
	a := orgManager(t)
	_, err := a.PublishFile(context.Background(), url, "managers/dana.json", []byte("x"), "m", Author{}, orgOpts())
	if err == nil || !strings.Contains(err.Error(), "ONEONE_GIT_TOKEN were refused") || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "committed locally") {
		t.Fatalf("wrong token: %v", err)
	}
	_, err = a.PublishFile(context.Background(), "http://127.0.0.1:1/org.git", "managers/dana.json", []byte("x"), "m", Author{}, orgOpts())
	if err == nil || !IsOffline(err) || !strings.Contains(err.Error(), "cannot reach the organisation's repository") {
		t.Fatalf("offline: %v", err)
	}
	if _, err := a.PublishFile(context.Background(), url, "../x.json", []byte("x"), "m", Author{}, orgOpts()); err == nil {
		t.Fatal("an unsafe path was published")
	}
}
