package gitstore

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneone/oneone/sealed"
)

// The encrypted remote's scenarios run against real servers (git daemon, git
// http-backend behind basic auth) with real age keys. After each, every object
// of the bare repository is scanned: no canary, slug, date or manager's name.

const (
	encManager = "Dana Reyes"
	encCanary  = "CANARY-7f3e"
)

// encNote is a note full of what the host must never see.
func encNote(day, line string) string {
	return "---\ndate: " + day + "\n---\n# 1:1\n\n## Feedback\n- Positive: " + encCanary + " " + line + "\n\n## Private\n- " + encCanary + "-private\n"
}

// encMachine is a machine with an age key of its own ($ONEONE_IDENTITY).
func encMachine(t *testing.T, url string, env map[string]string) *machine {
	t.Helper()
	m := newMachine(t, url)
	for k, v := range env {
		m.env[k] = v
	}
	m.env[sealed.IdentityEnv] = filepath.Join(t.TempDir(), "key", "identity.txt")
	if _, _, err := sealed.LoadOrCreateIdentity(m.env[sealed.IdentityEnv], time.Now()); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *machine) key() string {
	m.t.Helper()
	id, err := sealed.LoadIdentity(m.env[sealed.IdentityEnv])
	if err != nil {
		m.t.Fatal(err)
	}
	return id.Public()
}

func (m *machine) encrypt() {
	m.t.Helper()
	if err := m.st.SetEncrypted(true); err != nil {
		m.t.Fatal(err)
	}
}

func (m *machine) opts() SyncOptions {
	return SyncOptions{Author: Author{encManager, "dana@example.com"}, Getenv: func(k string) string { return m.env[k] }}
}

// config writes oneone.yaml with the recipients.
func (m *machine) config(keys ...string) {
	m.t.Helper()
	var b strings.Builder
	b.WriteString("manager: " + encManager + "\nrecipients:\n")
	for _, k := range keys {
		b.WriteString("  - " + k + "\n")
	}
	m.write("oneone.yaml", b.String())
}

// encRemote is an empty bare repository served by git daemon or http-backend.
func encRemote(t *testing.T, kind string) (url, bare string, env map[string]string) {
	t.Helper()
	isolate(t)
	root, bare := newBare(t)
	env = map[string]string{}
	if kind == "http" {
		url = httpRemote(t, root, "dana", "tok-enc-4411")
		env["ONEONE_GIT_TOKEN"], env["ONEONE_GIT_USERNAME"] = "tok-enc-4411", "dana"
	} else {
		url = daemonRemote(t, root)
	}
	// every update of the branch is logged: the test checks each one was a fast-forward
	hook := filepath.Join(bare, "hooks", "post-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\ncat >> \"$GIT_DIR/pushes.log\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return url, bare, env
}

var datePattern = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}`)

// scanBare fails when any object of the bare repository holds a canary, a
// date, a slug or the manager's name, and checks it with git fsck; it also
// checks that every push only moved the branch forward.
func scanBare(t *testing.T, bare string, slugs ...string) {
	t.Helper()
	scanContent(t, bare, slugs...)
	checkFastForwards(t, bare)
}

// scanContent is scanBare without the fast-forward check (for a remote the
// test's host rewrote by force).
func scanContent(t *testing.T, bare string, slugs ...string) {
	t.Helper()
	scanWords(t, bare, slugs...)
	onlyCiphertextBlobs(t, bare)
}

// scanWords is scanContent without the every-blob-is-ciphertext check (for a
// remote where the test's host added plaintext of its own).
func scanWords(t *testing.T, bare string, slugs ...string) {
	t.Helper()
	cmd := exec.Command("git", "--git-dir="+bare, "cat-file", "--batch-all-objects", "--batch")
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("git cat-file in %s: %v", bare, err)
	}
	// 5 bytes or more: never found by chance in megabytes of ciphertext
	words := append([]string{encCanary, encManager, "Reyes", "dana@example.com", "Private", "Feedback", "name: ", "date: "}, slugs...)
	for _, w := range words {
		if len(w) < 5 {
			t.Fatalf("scanBare: %q is too short to scan ciphertext for", w)
		}
		if i := bytes.Index(out, []byte(w)); i >= 0 {
			t.Fatalf("%s holds %q in its objects: ...%q...", bare, w, out[max(0, i-100):min(len(out), i+100)])
		}
	}
	if m := datePattern.Find(out); m != nil {
		t.Fatalf("%s holds a date %q in its objects", bare, m)
	}
	fsck(t, bare)
}

// onlyCiphertextBlobs fails unless every blob of bare is age ciphertext: the
// remote holds no plaintext file at all, not even a constant one.
func onlyCiphertextBlobs(t *testing.T, bare string) {
	t.Helper()
	list, err := exec.Command("git", "--git-dir="+bare, "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)").Output()
	if err != nil {
		t.Fatalf("git cat-file in %s: %v", bare, err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		hash, kind, _ := strings.Cut(line, " ")
		if kind != "blob" {
			continue
		}
		blob, err := exec.Command("git", "--git-dir="+bare, "cat-file", "blob", hash).Output()
		if err != nil {
			t.Fatalf("git cat-file blob %s in %s: %v", hash, bare, err)
		}
		if !bytes.HasPrefix(blob, []byte("age-encryption.org/v1\n")) {
			t.Fatalf("%s holds blob %s that is not age ciphertext: %q", bare, hash, blob[:min(len(blob), 80)])
		}
	}
}

// checkFastForwards reads the log the post-receive hook wrote: every update
// of a branch must have its old tip as an ancestor of the new one.
func checkFastForwards(t *testing.T, bare string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(bare, "pushes.log"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		n++
		if strings.Trim(f[0], "0") == "" {
			continue // the branch was created
		}
		c := exec.Command("git", "--git-dir="+bare, "merge-base", "--is-ancestor", f[0], f[1])
		if err := c.Run(); err != nil {
			t.Fatalf("push %d moved %s from %s to %s, not a fast-forward (%v)", n, f[2], f[0][:7], f[1][:7], err)
		}
	}
	return n
}

func TestEncryptedFirstPushAndSecondComputer(t *testing.T) {
	for _, kind := range []string{"http", "daemon"} {
		t.Run(kind, func(t *testing.T) {
			url, bare, env := encRemote(t, kind)
			a := encMachine(t, url, env)
			a.config(a.key())
			a.write("alice/profile.md", "---\nname: Alice Chen\n---\n"+encCanary+" wants to lead\n")
			a.write("alice/2026-11-25.md", encNote("2026-11-25", "the write-up"))
			a.encrypt()
			res, err := a.st.Sync(a.opts())
			if err != nil || !res.Pushed {
				t.Fatalf("first push: %+v %v", res, err)
			}
			scanBare(t, bare, "alice")
			// the remote holds the envelope, ciphertext only: manifest.age, packs/XX/NAME.age
			ls := runGit(t, bare, "ls-tree", "-r", "--name-only", "main")
			if !regexp.MustCompile(`^manifest.age\n(packs/[0-9a-f]{2}/[0-9a-f]{64}\.age\n)+$`).MatchString(ls) {
				t.Fatalf("remote tree:\n%s", ls)
			}
			if log := runGit(t, bare, "log", "--format=%an <%ae> %ad %s", "--date=iso"); !strings.HasPrefix(log, "oneone <oneone> 1970-01-01 00:00:00 +0000 oneone encrypted remote\n") {
				t.Fatalf("envelope commit: %q", log)
			}
			// the local repository stays plain git, with the ciphertext outside it
			if out := runGit(t, a.dir, "log", "--format=%s", "origin/main"); !strings.Contains(out, "oneone") && out == "" {
				t.Fatalf("origin/main: %q", out)
			}
			if s := runGit(t, a.dir, "cat-file", "--batch-all-objects", "--batch-check"); strings.Contains(runGit(t, a.dir, "cat-file", "--batch-all-objects", "--batch"), "age-encryption.org") {
				t.Fatalf("ciphertext in the notes repository:\n%s", s)
			}

			// a second computer whose key is not listed: one clear error, nothing left
			b := encMachine(t, "", env)
			dir := filepath.Join(t.TempDir(), "b")
			_, _, err = Clone(url, dir, b.opts())
			var nr *NotRecipientError
			if !errors.As(err, &nr) || nr.Key != b.key() || !strings.Contains(err.Error(), "oneone recipients add "+b.key()) {
				t.Fatalf("clone by a computer not listed: %v", err)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("a failed clone left %s", dir)
			}

			// a adds b's key: the next push re-encrypts everything to both
			a.config(a.key(), b.key())
			if res, err := a.st.Sync(a.opts()); err != nil || !res.Pushed {
				t.Fatalf("push with the new recipient: %+v %v", res, err)
			}
			st, res, err := Clone(url, dir, b.opts())
			if err != nil || res.PulledCommits == 0 || !st.Encrypted() {
				t.Fatalf("clone by the new recipient: %+v %v", res, err)
			}
			b.st, b.dir = st, dir
			a.check(b.files())
			scanBare(t, bare, "alice")

			// both ways, and a merge
			b.write("alice/2026-12-02.md", encNote("2026-12-02", "from b"))
			a.write("alice/2026-11-25.md", encNote("2026-11-25", "the write-up, edited on a"))
			if _, err := b.st.Sync(b.opts()); err != nil {
				t.Fatal(err)
			}
			if res, err := a.st.Sync(a.opts()); err != nil || !res.Merged || !res.Pushed {
				t.Fatalf("a merges: %+v %v", res, err)
			}
			if _, err := b.st.Sync(b.opts()); err != nil {
				t.Fatal(err)
			}
			a.check(b.files())
			b.check(a.files())
			words(t, b, "the write-up, edited on a", "from b")
			// a sync with nothing to do decrypts nothing: the branch did not move
			if res, err := a.st.Sync(a.opts()); err != nil || !res.UpToDate {
				t.Fatalf("no-op: %+v %v", res, err)
			}
			scanBare(t, bare, "alice")
			if n := checkFastForwards(t, bare); n != 4 {
				t.Fatalf("%d pushes logged, want 4", n)
			}
		})
	}
}

// A key file named by $ONEONE_IDENTITY that is missing (a drive not mounted)
// is never made up: the error says so and nothing is created; at the default
// place a missing key is created, and named in the error.
func TestEncryptedIdentityNotMadeUp(t *testing.T) {
	url, _, env := encRemote(t, "daemon")
	a := encMachine(t, url, env)
	a.config(a.key())
	a.write("alice/2026-11-25.md", encNote("2026-11-25", "x"))
	a.encrypt()
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "usb", "key.txt")
	b := encMachine(t, "", env)
	b.env[sealed.IdentityEnv] = missing
	_, _, err := Clone(url, filepath.Join(t.TempDir(), "b"), b.opts())
	if err == nil || !strings.Contains(err.Error(), "ONEONE_IDENTITY names "+missing+", which does not exist") {
		t.Fatalf("clone with a missing $ONEONE_IDENTITY: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("made %s: %v", filepath.Dir(missing), err)
	}
	home := t.TempDir()
	c := encMachine(t, "", env)
	delete(c.env, sealed.IdentityEnv)
	c.env["HOME"] = home
	_, _, err = Clone(url, filepath.Join(t.TempDir(), "c"), c.opts())
	var nr *NotRecipientError
	if !errors.As(err, &nr) || !nr.New {
		t.Fatalf("clone without a key: %v", err)
	}
	id, err := sealed.LoadIdentity(filepath.Join(home, ".config", "oneone", "identity.txt"))
	if err != nil || id.Public() != nr.Key {
		t.Fatalf("the key created: %v %v", id, err)
	}
}
