package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Privacy: 1:1 notes are personnel records. Files are 0600 and folders 0700
// whatever the umask, credentials never leave the environment, and the editor
// is started without a shell.

func TestPrivateModesWhateverTheUmask(t *testing.T) {
	for _, mask := range []int{0, 0o077, 0o022} {
		t.Run(fmt.Sprintf("umask-%03o", mask), func(t *testing.T) {
			old := syscall.Umask(mask)
			defer syscall.Umask(old)
			root, env := newTeam(t)
			dir := filepath.Dir(root)
			mustRun(t, dir, env, "new", "alice")
			mustRun(t, dir, env, "theme", "done", "alice", "Mentor a new employee")
			mustRun(t, dir, env, "away", "bob", "2026-12-20", "2027-01-06")
			mustRun(t, dir, env, "guide", "--write")
			mustRun(t, dir, env, "archive", "bob", "--date", "2026-11-30")
			writeFile(t, filepath.Join(root, "alice/2026-11-26.md"), "## Feedback\n")
			run(t, dir, env, 30*time.Second, "sync") // no remote: exit 2, but it commits
			report := filepath.Join(dir, "report")
			mustRun(t, dir, env, "report", "--html", report)
			// sync: a push to a git daemon, then fetches into new repositories from it
			// and from the bare repository by path (refs/remotes/origin/main).
			tops := []string{root, report}
			if _, err := exec.LookPath("git"); err == nil {
				srv := filepath.Join(dir, "srv")
				bare := filepath.Join(srv, "notes.git")
				if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", bare).CombinedOutput(); err != nil {
					t.Fatalf("git init --bare: %v: %s", err, out)
				}
				url, stop, err := serveGitDaemon(srv)
				if err != nil {
					t.Fatal(err)
				}
				defer stop()
				mustRun(t, dir, env, "remote", url)
				mustRun(t, dir, env, "sync")
				for i, remote := range []string{url, bare} {
					clone := filepath.Join(dir, fmt.Sprintf("clone%d", i))
					mustRun(t, dir, env, "init", clone)
					mustRun(t, dir, env, "--dir", clone, "remote", remote)
					if r := mustRun(t, dir, env, "--dir", clone, "sync"); !strings.Contains(r.stdout, "origin") {
						t.Fatalf("%s", r)
					}
					if _, err := os.Stat(filepath.Join(clone, ".git", "refs", "remotes", "origin", "main")); err != nil {
						t.Fatal(err)
					}
					tops = append(tops, clone)
				}
			}
			for _, top := range tops {
				err := filepath.WalkDir(top, func(p string, d os.DirEntry, err error) error {
					if err != nil {
						return err
					}
					fi, err := d.Info()
					if err != nil {
						return err
					}
					inGit := strings.Contains(p, string(filepath.Separator)+".git"+string(filepath.Separator))
					switch perm := fi.Mode().Perm(); {
					case fi.Mode()&os.ModeSymlink != 0:
					case perm&0o077 != 0:
						t.Errorf("%s has mode %o: others may read it (umask %03o)", p, perm, mask)
					case inGit && fi.Mode().IsRegular() && perm == 0o400: // git's read-only objects
					case fi.IsDir() && perm != 0o700:
						t.Errorf("folder %s has mode %o, want 0700 (umask %03o)", p, perm, mask)
					case fi.Mode().IsRegular() && perm != 0o600:
						t.Errorf("file %s has mode %o, want 0600 (umask %03o)", p, perm, mask)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestCredentialsNeverLeak(t *testing.T) {
	const envToken = "envtok-3a7f9c1e5b"
	const urlToken = "urltok-8d2b6f0a4c"
	const urlUser = "dana-secret-user"
	// A remote that wants credentials and refuses them, and one that is not there.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="notes"`)
		http.Error(w, "denied", http.StatusUnauthorized)
	}))
	defer srv.Close()
	root, env := newTeam(t)
	dir := filepath.Dir(root)
	env = append(env, "ONEONE_GIT_TOKEN="+envToken, "ONEONE_GIT_USERNAME=dana")
	host := strings.TrimPrefix(srv.URL, "http://")
	var outputs strings.Builder
	for _, args := range [][]string{
		{"remote", "http://" + urlUser + ":" + urlToken + "@" + host + "/notes.git"},
		{"remote"}, {"--json", "remote"},
		{"sync"}, {"--json", "sync"},
		{"new", "alice"}, {"audit"}, {"--json", "audit"}, {"people"},
		{"remote", "https://" + urlUser + ":" + urlToken + "@127.0.0.1:9/notes.git"},
		{"sync"}, {"remote"},
		{"remote", "ssh://" + urlUser + ":" + urlToken + "@127.0.0.1:9/notes.git"},
		{"sync"}, {"remote"},
	} {
		r := run(t, dir, env, 30*time.Second, args...)
		checkSane(t, r)
		outputs.WriteString(r.stdout + r.stderr)
	}
	files := []string{outputs.String(), readOrEmpty(t, filepath.Join(root, "oneone.yaml")), readOrEmpty(t, filepath.Join(root, ".git/config")),
		git(t, root, "log", "-p", "--all"), git(t, root, "config", "--list", "--show-origin")}
	_ = filepath.WalkDir(filepath.Dir(root), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.Contains(p, "/objects/") {
			files = append(files, readOrEmpty(t, p)) // work tree, refs, logs, index, HOME
		}
		return nil
	})
	for _, f := range files {
		for _, secret := range []string{envToken, urlToken} { // a user name in a URL is not a secret: it stays
			if strings.Contains(f, secret) {
				i := strings.Index(f, secret)
				t.Errorf("%q leaked: ...%s...", secret, f[max(0, i-200):min(len(f), i+100)])
			}
		}
	}
	if !strings.Contains(outputs.String(), host) {
		t.Errorf("the remote's host should still be shown:\n%s", outputs.String())
	}
}

func TestEditorStartedWithoutShell(t *testing.T) {
	root, env := newTeam(t)
	dir := filepath.Dir(root)
	bin := filepath.Join(dir, "my tools")
	editor := filepath.Join(bin, "my editor")
	argsFile := filepath.Join(dir, "args.txt")
	// The editor records its arguments, one per line, and edits the note.
	writeFile(t, editor, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '"+argsFile+"'; done\nfor last; do :; done\nprintf -- '- edited\\n' >> \"$last\"\n")
	if err := os.Chmod(editor, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"VISUAL", "EDITOR"} {
		os.Remove(argsFile)
		e := append(env[:len(env):len(env)], v+`='`+editor+`' --wait "two words" '$(touch pwned)' ;rm\ -rf\ x `+"`touch pwned2`")
		r := mustRun(t, dir, e, "edit", "alice", "2026-11-11")
		if !strings.Contains(r.stdout, "saved alice/2026-11-11.md") {
			t.Fatalf("%s", r)
		}
		want := "--wait\ntwo words\n$(touch pwned)\n;rm -rf x\n`touch\npwned2`\n" + filepath.Join(root, "alice/2026-11-11.md") + "\n"
		if got := readOrEmpty(t, argsFile); got != want {
			t.Errorf("%s: editor got arguments\n%q\nwant\n%q", v, got, want)
		}
		for _, p := range []string{filepath.Join(dir, "pwned"), filepath.Join(dir, "pwned2"), filepath.Join(root, "pwned")} {
			if _, err := os.Lstat(p); err == nil {
				t.Fatalf("a shell ran: %s exists", p)
			}
		}
	}
	if got := readOrEmpty(t, filepath.Join(root, "alice/2026-11-11.md")); strings.Count(got, "- edited\n") != 2 {
		t.Fatalf("note after editing:\n%s", got)
	}
}

// Tokens in the forms hosts hand out (GitHub's token as the user name, GitLab's
// TOKEN:@host, a password holding "/" so that the URL does not parse) are never
// stored, printed or committed; the user is told where a token goes instead.
func TestTokenURLsNeverLeak(t *testing.T) {
	root, env := newTeam(t)
	dir := filepath.Dir(root)
	const canary = "Zq7CANARY9xW"
	for _, u := range []string{
		"https://ghp_" + canary + "abcdefghij0123:x-oauth-basic@127.0.0.1:9/notes.git",
		"https://" + canary + "0123456789:@127.0.0.1:9/notes.git",
		"https://glpat-" + canary + "abcdefgh:@127.0.0.1:9/notes.git",
		"https://dana:pa/ss" + canary + "@127.0.0.1:9/notes.git",
		"https://dana:" + canary + "@127.0.0.1:9/notes.git",
	} {
		var out strings.Builder
		r := run(t, dir, env, 30*time.Second, "remote", u)
		checkSane(t, r)
		out.WriteString(r.stdout + r.stderr)
		if r.code == 0 && !strings.Contains(r.stderr, "ONEONE_GIT_TOKEN") {
			t.Errorf("remote %s: the user is not told where the token goes: %s", u, r)
		}
		for _, args := range [][]string{{"remote"}, {"--json", "remote"}, {"sync"}, {"--json", "sync"}} {
			r := run(t, dir, env, 30*time.Second, args...)
			checkSane(t, r)
			out.WriteString(r.stdout + r.stderr)
		}
		for what, text := range map[string]string{
			"output": out.String(), ".git/config": readOrEmpty(t, filepath.Join(root, ".git/config")),
			"history": git(t, root, "log", "-p", "--all"),
		} {
			if strings.Contains(text, canary) {
				i := strings.Index(text, canary)
				t.Errorf("remote %s: the token leaked into %s: ...%s...", u, what, text[max(0, i-120):min(len(text), i+60)])
			}
		}
	}
}
