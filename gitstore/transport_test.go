package gitstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// objectStoreTransport is a Transport of the test's own, with no git
// protocol at all: it copies objects between the local store and a bare
// repository's, and moves the remote branch with a compare-and-swap under a
// lock — the contract an encrypted transport keeps too. Sync working through
// it shows that merge and checkout do not care how the bytes travel.
type objectStoreTransport struct {
	s      *Store
	remote *git.Repository
	url    string
	mu     *sync.Mutex
	calls  *[]string
}

func (t *objectStoreTransport) URL() string { return t.url }

func (t *objectStoreTransport) Refs(context.Context) (*RemoteRefs, error) {
	*t.calls = append(*t.calls, "refs")
	out := &RemoteRefs{Branches: map[plumbing.ReferenceName]plumbing.Hash{}}
	iter, err := t.remote.Storer.IterReferences()
	if err != nil {
		return nil, err
	}
	_ = iter.ForEach(func(r *plumbing.Reference) error {
		if r.Name().IsBranch() && r.Type() == plumbing.HashReference {
			out.Branches[r.Name()] = r.Hash()
		}
		return nil
	})
	if head, err := t.remote.Storer.Reference(plumbing.HEAD); err == nil {
		if _, ok := out.Branches[head.Target()]; ok {
			out.Head = head.Target()
		}
	}
	return out, nil
}

// copyObjects copies the objects of from that to lacks (all of them: a superset
// of what is reachable from any tip).
func copyObjects(from, to storer.EncodedObjectStorer, only []plumbing.Hash) error {
	put := func(h plumbing.Hash) error {
		if to.HasEncodedObject(h) == nil {
			return nil
		}
		o, err := from.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return err
		}
		_, err = to.SetEncodedObject(o)
		return err
	}
	if only != nil {
		for _, h := range only {
			if err := put(h); err != nil {
				return err
			}
		}
		return nil
	}
	iter, err := from.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		return err
	}
	return iter.ForEach(func(o plumbing.EncodedObject) error { return put(o.Hash()) })
}

func (t *objectStoreTransport) Fetch(_ context.Context, branch plumbing.ReferenceName, _ []plumbing.Hash) (plumbing.Hash, error) {
	*t.calls = append(*t.calls, "fetch")
	t.mu.Lock()
	defer t.mu.Unlock()
	ref, err := t.remote.Storer.Reference(branch)
	if err != nil {
		return plumbing.ZeroHash, nil
	}
	return ref.Hash(), copyObjects(t.remote.Storer, t.s.repo.Storer, nil)
}

func (t *objectStoreTransport) Push(_ context.Context, branch plumbing.ReferenceName, old, tip plumbing.Hash, objects []plumbing.Hash) error {
	*t.calls = append(*t.calls, "push")
	t.mu.Lock()
	defer t.mu.Unlock()
	at := plumbing.ZeroHash
	if ref, err := t.remote.Storer.Reference(branch); err == nil {
		at = ref.Hash()
	}
	if at != old {
		return fmt.Errorf("push to %s: %w", t.url, ErrRemoteMoved)
	}
	if err := copyObjects(t.s.repo.Storer, t.remote.Storer, objects); err != nil {
		return err
	}
	return t.remote.Storer.SetReference(plumbing.NewHashReference(branch, tip))
}

// Two machines sync through a transport that is not git's protocol: pushes,
// pulls, a line merge, and a lost compare-and-swap race that sync resolves by
// fetching, merging and pushing again. Every object pushed is what the remote
// needs (git fsck of the bare repository is clean).
func TestSyncThroughAnotherTransport(t *testing.T) {
	isolate(t)
	_, bare := newBare(t)
	remote, err := git.PlainOpen(bare)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var calls []string
	old := newTransport
	newTransport = func(s *Store, rawURL string, ai *authInfo) Transport {
		return &objectStoreTransport{s: s, remote: remote, url: rawURL, mu: &mu, calls: &calls}
	}
	defer func() { newTransport = old }()
	url := filepath.Join(filepath.Dir(bare), "never-opened.git")
	a, b := newMachine(t, url), newMachine(t, url)
	a.write("oneone.yaml", "manager: Dana\n")
	a.write("alice/2026-11-25.md", note)
	if res := a.mustSync(); !res.Pushed {
		t.Fatalf("first push: %+v", res)
	}
	if res := b.mustSync(); !res.Pulled || res.PulledCommits != 1 {
		t.Fatalf("b pulls: %+v", res)
	}
	a.write("alice/2026-11-25.md", strings.Replace(note, "- one\n", "- one from a\n", 1))
	b.write("alice/2026-11-25.md", strings.Replace(note, "- three\n", "- three from b\n", 1))
	a.mustSync()
	// b loses the race once: a pushes again right before b's push
	fired := false
	testHookBeforePush = func() {
		if fired {
			return
		}
		fired = true
		testHookBeforePush = nil
		a.write("bob/profile.md", "---\nname: Bob\n---\n")
		a.mustSync()
	}
	defer func() { testHookBeforePush = nil }()
	if res := b.mustSync(); !res.Merged || !res.Pushed || !fired {
		t.Fatalf("b merges and pushes after losing the race: %+v", res)
	}
	a.mustSync()
	a.check(b.files())
	b.check(a.files())
	words(t, a, "- one from a", "- three from b", "name: Bob")
	fsck(t, bare)
	if !strings.Contains(strings.Join(calls, " "), "push") {
		t.Fatalf("the transport was not used: %v", calls)
	}
}
