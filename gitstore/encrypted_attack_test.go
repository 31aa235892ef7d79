package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/oneone/oneone/sealed"
)

// encPair is a remote with two recipients that have both synced: a pushed
// twice, b cloned.
func encPair(t *testing.T, kind string) (a, b *machine, url, bare string) {
	t.Helper()
	url, bare, env := encRemote(t, kind)
	a = encMachine(t, url, env)
	b = encMachine(t, "", env)
	a.config(a.key(), b.key())
	a.write("alice/2026-11-18.md", encNote("2026-11-18", "first"))
	a.encrypt()
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	a.write("alice/2026-11-25.md", encNote("2026-11-25", "second"))
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "b")
	st, _, err := Clone(url, dir, b.opts())
	if err != nil {
		t.Fatal(err)
	}
	b.st, b.dir = st, dir
	return a, b, url, bare
}

// host plays the git host: a clone of the bare repository to rewrite it with
// the git binary (returns the clone's folder).
func host(t *testing.T, bare string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "host")
	runGit(t, filepath.Dir(bare), "clone", "-q", bare, dir)
	return dir
}

// pushHost pushes the host's clone back, forced: the host may do anything.
func pushHost(t *testing.T, dir string) {
	t.Helper()
	runGit(t, dir, "push", "-q", "--force", "origin", "HEAD:main")
}

// frozen is what a sync that refuses must leave as it was.
type frozen struct {
	files    map[string]string
	tracking plumbing.Hash
	state    []byte
	head     string
}

func freeze(m *machine) frozen {
	state, _ := os.ReadFile(filepath.Join(m.st.envelopeDir(), "oneone-state.json"))
	h, _ := m.st.Head()
	return frozen{m.files(), m.st.refHash(plumbing.NewRemoteReferenceName(RemoteName, "main")), state, h}
}

func (f frozen) check(t *testing.T, m *machine) {
	t.Helper()
	now := freeze(m)
	if !equalMaps(now.files, f.files) || now.tracking != f.tracking || !bytes.Equal(now.state, f.state) || now.head != f.head {
		t.Fatalf("a refused sync changed something: tracking %s -> %s, head %s -> %s, files %s", f.tracking, now.tracking, f.head, now.head, dump(now.files))
	}
}

func TestEncryptedRemoteRefusesTamperingAndReplays(t *testing.T) {
	for _, tc := range []struct {
		name  string
		host  func(t *testing.T, dir string, keys []string) // rewrites the host's clone
		force bool
		want  string
	}{
		{"manifest bytes flipped", func(t *testing.T, dir string, _ []string) {
			flip(t, filepath.Join(dir, "manifest.age"), -40)
			runGit(t, dir, "commit", "-qam", "x")
		}, false, "does not decrypt"},
		{"manifest truncated", func(t *testing.T, dir string, _ []string) {
			truncate(t, filepath.Join(dir, "manifest.age"), 30)
			runGit(t, dir, "commit", "-qam", "x")
		}, false, "does not decrypt"},
		{"old manifest replayed on top", func(t *testing.T, dir string, _ []string) {
			old := runGit(t, dir, "show", "HEAD~1:manifest.age")
			if err := os.WriteFile(filepath.Join(dir, "manifest.age"), []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			runGit(t, dir, "commit", "-qam", "x")
		}, false, "does not follow the previous one"},
		{"same manifest pushed again", func(t *testing.T, dir string, _ []string) {
			runGit(t, dir, "commit", "-q", "--allow-empty", "-m", "x")
		}, false, "does not follow the previous one"},
		{"branch rolled back", func(t *testing.T, dir string, _ []string) {
			runGit(t, dir, "reset", "-q", "--hard", "HEAD~1")
		}, true, "does not continue what this computer saw last"},
		{"manifest forged for the public keys", func(t *testing.T, dir string, keys []string) {
			// anyone can encrypt to public keys: a manifest that names another
			// tip and says it follows, without knowing the previous plaintext
			m := &sealed.Manifest{Branch: "refs/heads/main", Tip: strings.Repeat("ab", 20), Seq: 3, Prev: strings.Repeat("0", 64), Generation: 1,
				Recipients: keys, Packs: 1, PackDigest: strings.Repeat("0", 64)}
			ct, err := sealed.SealBytes(m.Encode(), m.Recipients)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "manifest.age"), ct, 0o644); err != nil {
				t.Fatal(err)
			}
			runGit(t, dir, "commit", "-qam", "x")
		}, false, "does not name the previous manifest"},
		{"a plain file added", func(t *testing.T, dir string, _ []string) {
			if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("hello\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			runGit(t, dir, "add", "notes.md")
			runGit(t, dir, "commit", "-qm", "x")
		}, false, "other files than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b, _, bare := encPair(t, "daemon")
			before := strings.TrimSpace(runGit(t, bare, "rev-parse", "main"))
			dir := host(t, bare)
			tc.host(t, dir, mustRecipients(t, a, b))
			if tc.force {
				pushHost(t, dir)
			} else {
				runGit(t, dir, "push", "-q", "origin", "HEAD:main")
			}
			was := freeze(b)
			a.write("alice/2026-12-02.md", encNote("2026-12-02", "third")) // a's push must not go over the tampered branch either
			for _, m := range []*machine{b, a} {
				res, err := m.st.Sync(m.opts())
				if !errors.Is(err, ErrRemoteRefused) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was applied") {
					t.Fatalf("sync of %s over a tampered remote: %+v %v", m.dir, res, err)
				}
			}
			was.check(t, b)
			// once the host puts the branch back, everything works again
			runGit(t, bare, "update-ref", "refs/heads/main", before)
			if _, err := a.st.Sync(a.opts()); err != nil {
				t.Fatal(err)
			}
			if _, err := b.st.Sync(b.opts()); err != nil {
				t.Fatal(err)
			}
			words(t, b, "third")
			a.check(b.files())
			b.check(a.files())
			scanWords(t, bare, "alice") // what oneone pushed, around what the host did (its own plaintext included)
		})
	}
}

func mustRecipients(t *testing.T, ms ...*machine) []string {
	t.Helper()
	var keys []string
	for _, m := range ms {
		keys = append(keys, m.key())
	}
	rs, err := sealed.Recipients(keys)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func flip(t *testing.T, path string, at int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if at < 0 {
		at += len(data)
	}
	data[at] ^= 0x20
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func truncate(t *testing.T, path string, cut int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)-cut], 0o644); err != nil {
		t.Fatal(err)
	}
}

// A computer that has never seen the remote trusts its newest manifest, but
// still checks every pack against its name and the set against the manifest:
// a pack changed, cut short, removed or added is refused, nothing is left.
func TestEncryptedCloneRefusesTamperedPacks(t *testing.T) {
	for _, tc := range []struct {
		name string
		host func(t *testing.T, dir string)
		want string
	}{
		{"pack truncated", func(t *testing.T, dir string) { truncate(t, onePack(t, dir), 100) }, "pack"},
		{"pack bytes flipped", func(t *testing.T, dir string) { flip(t, onePack(t, dir), 200) }, "pack"},
		{"pack removed", func(t *testing.T, dir string) { runGit(t, dir, "rm", "-q", onePack(t, dir)) }, "are not those its manifest names"},
		{"pack added", func(t *testing.T, dir string) {
			p := onePack(t, dir)
			data, _ := os.ReadFile(p)
			data = append(data, '\n')
			name := sealed.Name(data)
			q := filepath.Join(dir, "packs", name[:2], name+".age")
			_ = os.MkdirAll(filepath.Dir(q), 0o755)
			if err := os.WriteFile(q, data, 0o644); err != nil {
				t.Fatal(err)
			}
			runGit(t, dir, "add", ".")
		}, "are not those its manifest names"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, b, url, bare := encPair(t, "daemon")
			dir := host(t, bare)
			tc.host(t, dir)
			runGit(t, dir, "commit", "-qam", "x", "--amend") // the same manifest, other packs
			pushHost(t, dir)
			c := encMachine(t, "", nil)
			c.env[sealed.IdentityEnv] = b.env[sealed.IdentityEnv] // b's key on a new computer
			into := filepath.Join(t.TempDir(), "c")
			_, _, err := Clone(url, into, c.opts())
			if !errors.Is(err, ErrRemoteRefused) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("clone of tampered packs: %v", err)
			}
			if _, err := os.Stat(into); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("a refused clone left %s", into)
			}
			scanContent(t, bare, "alice")
		})
	}
}

func onePack(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "packs", "*", "*.age"))
	if len(m) == 0 {
		t.Fatal("no pack")
	}
	return m[len(m)-1]
}

// A recipient removed cannot read what is pushed after: not the manifest,
// not a pack; its sync says so and leaves its notes as they were.
func TestEncryptedRecipientRemoved(t *testing.T) {
	a, b, _, bare := encPair(t, "http")
	was := freeze(b)
	oldPacks := map[string]bool{}
	for _, p := range strings.Fields(runGit(t, bare, "ls-tree", "-r", "--name-only", "main", "packs")) {
		oldPacks[p] = true
	}
	a.config(a.key()) // b removed
	a.write("alice/2026-12-02.md", encNote("2026-12-02", "after b left"))
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	_, err := b.st.Sync(b.opts())
	var nr *NotRecipientError
	if !errors.As(err, &nr) || nr.Key != b.key() || !errors.Is(err, sealed.ErrNotRecipient) {
		t.Fatalf("b's sync after its removal: %v", err)
	}
	was.check(t, b)
	id, err := sealed.LoadIdentity(b.env[sealed.IdentityEnv])
	if err != nil {
		t.Fatal(err)
	}
	fresh := 0
	for _, p := range append([]string{"manifest.age"}, strings.Fields(runGit(t, bare, "ls-tree", "-r", "--name-only", "main", "packs"))...) {
		if oldPacks[p] {
			continue
		}
		fresh++
		ct := runGit(t, bare, "show", "main:"+p)
		if _, err := sealed.OpenBytes([]byte(ct), id, 1<<30); !errors.Is(err, sealed.ErrNotRecipient) {
			t.Fatalf("b opens %s pushed after its removal: %v", p, err)
		}
	}
	if fresh < 2 {
		t.Fatalf("the new generation holds %d new files", fresh)
	}
	// a, still listed, reads on; b's notes are what it had
	words(t, b, "second")
	scanBare(t, bare, "alice")

	// listed again: b cannot check the pushes it could not read, and says so;
	// trusting the remote as it is now (remote --encrypt) reads on
	a.config(a.key(), b.key())
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.Sync(b.opts()); !errors.Is(err, ErrRemoteRefused) || !strings.Contains(err.Error(), "then added again") {
		t.Fatalf("b listed again: %v", err)
	}
	was.check(t, b)
	b.encrypt()
	if _, err := b.st.Sync(b.opts()); err != nil {
		t.Fatal(err)
	}
	words(t, b, "after b left")
	a.check(b.files())
	scanBare(t, bare, "alice")
}

// A plain sync pointed at an encrypted remote, and an encrypted one pointed
// at a plain remote: one clear error each, nothing merged.
func TestEncryptedAndPlainRemotesMixedUp(t *testing.T) {
	a, _, url, bare := encPair(t, "daemon")
	_ = a
	plain := newMachine(t, url)
	plain.write("oneone.yaml", "manager: Someone\n")
	res, err := plain.sync()
	if !errors.Is(err, ErrEncryptedRemote) || !strings.Contains(err.Error(), "--encrypt") {
		t.Fatalf("plain sync of an encrypted remote: %+v %v", res, err)
	}
	if _, ok := plain.files()["manifest.age"]; ok || plain.st.refHash(plumbing.NewRemoteReferenceName(RemoteName, "main")) != plumbing.ZeroHash {
		t.Fatalf("ciphertext checked out or tracked: %s", dump(plain.files()))
	}
	// the converse: a plain remote with notes, synced as if encrypted
	root2, bare2 := newBare(t)
	purl := daemonRemote(t, root2)
	p := newMachine(t, purl)
	p.write("oneone.yaml", "manager: Dana\n")
	p.write("alice/2026-11-25.md", note)
	p.mustSync()
	e := encMachine(t, purl, nil)
	e.config(e.key())
	e.encrypt()
	if _, _, err := e.st.CommitAll(e.opts().Author); err != nil {
		t.Fatal(err)
	}
	was := freeze(e)
	_, err = e.st.Sync(e.opts())
	if !errors.Is(err, ErrNotEncrypted) || !strings.Contains(err.Error(), "is not an encrypted remote") {
		t.Fatalf("encrypted sync of a plain remote: %v", err)
	}
	was.check(t, e)
	scanBare(t, bare, "alice")
	fsck(t, bare2) // the plain remote: plain notes, as pushed by the plain computer
	// clone finds out by itself which kind each is
	for _, c := range []struct {
		url string
		enc bool
	}{{url, true}, {purl, false}} {
		m := encMachine(t, "", nil)
		if c.enc {
			m.env[sealed.IdentityEnv] = a.env[sealed.IdentityEnv]
		}
		st, _, err := Clone(c.url, filepath.Join(t.TempDir(), "c"), m.opts())
		if err != nil || st.Encrypted() != c.enc {
			t.Fatalf("clone of %s: encrypted %v, want %v (%v)", c.url, st != nil && st.Encrypted(), c.enc, err)
		}
		if _, err := os.Stat(st.envelopeDir()); c.enc == errors.Is(err, os.ErrNotExist) {
			t.Fatalf("envelope copy of %s: %v", c.url, err)
		}
		fsck(t, st.Dir())
	}
}

// Two computers push at once, many times: every change lands, and the
// remote's branch only ever moves forward (the post-receive log is checked
// push by push with git merge-base --is-ancestor).
func TestEncryptedConcurrentPushes(t *testing.T) {
	a, b, _, bare := encPair(t, "daemon")
	const rounds = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	lost := 0
	errs := make(chan error, 2)
	for i, m := range []*machine{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				day := fmt.Sprintf("2027-%02d-%02d", i+1, r+1)
				m.write(fmt.Sprintf("%s/%s.md", []string{"carol", "david"}[i], day), encNote(day, fmt.Sprintf("round %d of %d", r, i)))
				var err error
				for try := 0; try < 20; try++ {
					if _, err = m.st.Sync(m.opts()); !errors.Is(err, ErrRemoteMoved) {
						break
					}
					mu.Lock()
					lost++
					mu.Unlock()
				}
				if err != nil {
					errs <- fmt.Errorf("%s round %d: %w", m.dir, r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, m := range []*machine{a, b, a} {
		if _, err := m.st.Sync(m.opts()); err != nil {
			t.Fatal(err)
		}
	}
	a.check(b.files())
	for i := 0; i < 2; i++ {
		for r := 0; r < rounds; r++ {
			words(t, a, fmt.Sprintf("round %d of %d", r, i))
		}
	}
	n := checkFastForwards(t, bare)
	t.Logf("%d pushes, %d syncs lost a race twice in a row and ran again", n, lost)
	if n < 2+2*rounds {
		t.Fatalf("%d pushes, want at least %d", n, 2+2*rounds)
	}
	scanBare(t, bare, "alice", "carol", "david")
}

// What Refs gives for a branch that did not move is the notes' tip, read from
// what this computer remembers: no decryption, no fetch.
func TestEncryptedNoOpDecryptsNothing(t *testing.T) {
	a, _, _, _ := encPair(t, "daemon")
	if res, err := a.st.Sync(a.opts()); err != nil || !res.UpToDate {
		t.Fatalf("%+v %v", res, err)
	}
	// without the key, a sync with nothing to do still works
	key := a.env[sealed.IdentityEnv]
	if err := os.Rename(key, key+".away"); err != nil {
		t.Fatal(err)
	}
	defer os.Rename(key+".away", key)
	start := time.Now()
	res, err := a.st.Sync(a.opts())
	if err != nil || !res.UpToDate {
		t.Fatalf("no-op without the key: %+v %v", res, err)
	}
	if _, err := os.Stat(key); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a no-op sync created a key (%v) in %s", err, time.Since(start))
	}
	_ = exec.Command
}
