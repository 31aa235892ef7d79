package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// encToken is the token the encrypted scenarios' https server accepts (user dana).
const encToken = "tok-e7c3b1a9d2"

// TestEncryptScript runs the encrypted remote scenarios in
// testdata/encrypt/*.txtar against real git servers on 127.0.0.1 serving the
// empty bare repositories under $SRV (notes.git, plain.git, alice.git):
// `git http-backend` behind basic auth at $HTTP (dana/$TOKEN) and `git daemon`
// at $GIT. Each computer has a HOME of its own ($WORK/home, $WORK/home2,
// $WORK/alice-home), hence an age key of its own.
//
// Custom commands: `scan BARE...` fails when any object of a repository
// holds a canary (CANARY...), a date (YYYY-MM-DD), a slug or a name of the
// scenario (alice, bob, Alice Chen, Dana Reyes), a note's markers or the token, and runs git
// fsck on it; `ffonly BARE` fails unless every push it received moved its
// branch forward (git merge-base --is-ancestor old new, from a post-receive
// log); `fsck DIR...`, `noleak`, `status N ...`.
func TestEncryptScript(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not installed")
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git --exec-path failed")
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Skip("git-http-backend not installed")
	}
	testscript.Run(t, testscript.Params{
		Dir:                "testdata/encrypt",
		RequireUniqueNames: true,
		UpdateScripts:      *update,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"status": cmdStatus, "scan": cmdEncScan, "ffonly": cmdFFOnly, "fsck": cmdFsck, "noleak": cmdNoLeak,
		},
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, "home")
			for k, v := range map[string]string{
				"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM": "1",
				"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
				"GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
				"NO_COLOR": "", "ONEONE_DIR": "", "VISUAL": "", "EDITOR": "", "ONEONE_IDENTITY": "",
				"ONEONE_GIT_TOKEN": "", "ONEONE_GIT_USERNAME": "", "SSH_AUTH_SOCK": "",
				"TOKEN": encToken,
			} {
				env.Setenv(k, v)
			}
			for _, h := range []string{home, filepath.Join(env.WorkDir, "home2"), filepath.Join(env.WorkDir, "home3"), filepath.Join(env.WorkDir, "alice-home")} {
				if err := os.MkdirAll(h, 0o700); err != nil {
					return err
				}
			}
			root := filepath.Join(env.WorkDir, "srv")
			for _, name := range []string{"notes.git", "plain.git", "alice.git"} {
				if err := newLoggedBare(filepath.Join(root, name)); err != nil {
					return err
				}
			}
			env.Setenv("SRV", root)
			h := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root}, Stderr: io.Discard}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if u, p, ok := r.BasicAuth(); !ok || u != "dana" || p != encToken {
					w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
					http.Error(w, "unauthorized", http.StatusUnauthorized)
					return
				}
				r.Header.Set("Remote-User", "dana")
				h.ServeHTTP(w, r)
			}))
			env.Defer(srv.Close)
			env.Setenv("HTTP", srv.URL)
			gitURL, stop, err := serveGitDaemon(root)
			if err != nil {
				return err
			}
			env.Defer(stop)
			env.Setenv("GIT", strings.TrimSuffix(gitURL, "/notes.git"))
			return nil
		},
	})
}

// newLoggedBare makes an empty bare repository whose post-receive hook logs
// every branch update ("old new ref" lines in pushes.log).
func newLoggedBare(bare string) error {
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", bare).CombinedOutput(); err != nil {
		return fmt.Errorf("git init --bare: %v: %s", err, out)
	}
	if out, err := exec.Command("git", "-C", bare, "config", "http.receivepack", "true").CombinedOutput(); err != nil {
		return fmt.Errorf("git config: %v: %s", err, out)
	}
	return os.WriteFile(filepath.Join(bare, "hooks", "post-receive"), []byte("#!/bin/sh\ncat >> \"$GIT_DIR/pushes.log\"\n"), 0o755)
}

// encSecrets is what no object of an encrypted remote may hold: canaries,
// dates, names, slugs (as a path or a tree entry), markers of a note. Each is
// long enough (5 bytes or more) never to turn up by chance in megabytes of
// ciphertext, nor in age's base64 headers.
var encSecrets = regexp.MustCompile(`CANARY[A-Z0-9-]*|[0-9]{4}-[0-9]{2}-[0-9]{2}|alice|Alice Chen|Bob Stone|Dana Reyes|Reyes|(?:bob|carol)[/\x00]|Private|Feedback|name: |date: |` + regexp.QuoteMeta(encToken))

// scanObjects returns every object of a bare repository as git cat-file --batch prints them.
func scanObjects(dir string) ([]byte, error) {
	return exec.Command("git", "--git-dir="+dir, "cat-file", "--batch-all-objects", "--batch").Output()
}

// cmdEncScan runs `scan BARE...` (see TestEncryptScript).
func cmdEncScan(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: scan BARE...")
	}
	for _, dir := range args {
		dir = ts.MkAbs(dir)
		out, err := scanObjects(dir)
		if err != nil || len(out) == 0 {
			ts.Fatalf("git cat-file in %s: %v (%d bytes)", dir, err, len(out))
		}
		if m := encSecrets.FindAll(out, 5); m != nil {
			i := bytes.Index(out, m[0])
			ts.Fatalf("%s holds %q in its objects:\n...%q...", dir, m, out[max(0, i-200):min(len(out), i+100)])
		}
		if err := onlyAgeBlobs(out); err != nil {
			ts.Fatalf("%s: %v", dir, err)
		}
		cmd := exec.Command("git", "--git-dir="+dir, "fsck", "--strict", "--no-progress")
		if o, err := cmd.CombinedOutput(); err != nil || bytes.Contains(o, []byte("error")) || bytes.Contains(o, []byte("warning")) {
			ts.Fatalf("git fsck of %s: %v\n%s", dir, err, o)
		}
	}
}

// onlyAgeBlobs checks git cat-file --batch output: every blob is an age
// file (an encrypted remote holds no plaintext file, not even a constant one).
func onlyAgeBlobs(out []byte) error {
	for len(out) > 0 {
		head, rest, ok := bytes.Cut(out, []byte("\n"))
		f := strings.Fields(string(head))
		if !ok || len(f) != 3 {
			return fmt.Errorf("cat-file --batch: bad header %q", head)
		}
		size, err := strconv.Atoi(f[2])
		if err != nil || size+1 > len(rest) {
			return fmt.Errorf("cat-file --batch: bad size in %q", head)
		}
		if f[1] == "blob" && !bytes.HasPrefix(rest[:size], []byte("age-encryption.org/v1\n")) {
			return fmt.Errorf("blob %s is not age ciphertext: %q", f[0], rest[:min(size, 80)])
		}
		out = rest[size+1:]
	}
	return nil
}

// cmdFFOnly runs `ffonly BARE`: every logged push was a fast-forward.
func cmdFFOnly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: ffonly BARE")
	}
	bare := ts.MkAbs(args[0])
	if err := fastForwardsOnly(bare); err != nil {
		ts.Fatalf("%v", err)
	}
}

// fastForwardsOnly checks the post-receive log of a bare repository: each
// update's old tip is an ancestor of its new one.
func fastForwardsOnly(bare string) error {
	data, err := os.ReadFile(filepath.Join(bare, "pushes.log"))
	if err != nil {
		return fmt.Errorf("%s received no push: %v", bare, err)
	}
	for n, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.Trim(f[0], "0") == "" {
			continue
		}
		if err := exec.Command("git", "--git-dir="+bare, "merge-base", "--is-ancestor", f[0], f[1]).Run(); err != nil {
			return fmt.Errorf("push %d to %s moved %s from %s to %s: not a fast-forward", n+1, bare, f[2], f[0][:7], f[1][:7])
		}
	}
	return nil
}

// encryptedSyncPoints are the crash points of a sync to an encrypted remote:
// before the push, with the envelope commit made but not pushed, pushed but
// not yet remembered, and remembered.
var encryptedSyncPoints = []string{"commit-ref", "checkout-files", "sync-before-push", "encrypted-before-push", "encrypted-pushed", "sync-pushed"}

// SIGKILL during a sync to an encrypted remote: the next sync completes,
// nothing is lost, the remote only moved forward and holds no plaintext.
func TestCrashDuringEncryptedSync(t *testing.T) {
	base, env := newTeam(t)
	for _, point := range encryptedSyncPoints {
		t.Run(point, func(t *testing.T) {
			dir := t.TempDir()
			remote := filepath.Join(dir, "notes.git")
			if err := newLoggedBare(remote); err != nil {
				t.Fatal(err)
			}
			// over git daemon: its receive-pack runs the hook that logs every push
			// (a local path is written in process, hooks not run)
			url, stop, err := serveGitDaemon(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			a := filepath.Join(dir, "work")
			copyTree(t, base, a)
			envA := append(env[:len(env):len(env)], "ONEONE_DIR="+a, "ONEONE_IDENTITY="+filepath.Join(dir, "a-key.txt"))
			envB := append(env[:len(env):len(env)], "ONEONE_IDENTITY="+filepath.Join(dir, "b-key.txt"))
			mustRun(t, dir, envA, "remote", url, "--encrypt")
			mustRun(t, dir, envA, "sync")
			keyB := strings.TrimSpace(mustRun(t, dir, envB, "key").stdout)
			mustRun(t, dir, envA, "recipients", "add", keyB)
			mustRun(t, dir, envA, "sync")
			b := filepath.Join(dir, "b")
			mustRun(t, dir, envB, "clone", url, b)
			envB = append(envB, "ONEONE_DIR="+b)

			// A adds a note and pushes; B edits a note by hand, then syncs and dies.
			mustRun(t, dir, envA, "new", "bob", "--date", "2026-11-20")
			mustRun(t, dir, envA, "sync")
			edited := filepath.Join(b, "alice/2026-11-11.md")
			text := readOrEmpty(t, edited) + "- B's precious hand-written line CANARY-B\n"
			writeFile(t, edited, text)
			runCrash(t, dir, envB, point, "sync")

			if got := readOrEmpty(t, edited); got != text {
				t.Fatalf("hand edit lost after a crash at %s:\n%q", point, got)
			}
			git(t, b, "fsck", "--no-progress", "--no-dangling")
			git(t, remote, "fsck", "--no-progress", "--no-dangling")
			r := mustRun(t, dir, envB, "sync")
			checkSane(t, r)
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
			if r := mustRun(t, dir, envB, "sync"); !strings.Contains(r.stdout, "up to date") {
				t.Fatalf("B after A: %s", r)
			}
			if err := fastForwardsOnly(remote); err != nil {
				t.Fatal(err)
			}
			out, err := scanObjects(remote)
			if err != nil {
				t.Fatal(err)
			}
			if m := encSecrets.Find(out); m != nil {
				t.Fatalf("the remote holds %q", m)
			}
		})
	}
}
