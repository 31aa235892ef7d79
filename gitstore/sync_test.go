package gitstore

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

const note = "---\ndate: 2026-11-25\n---\n# 1:1\n\n## Feedback\n- one\n- two\n\n## Topics\n- three\n\n## Action items\n- [ ] four\n"

// pair sets up a remote and two machines: a pushed the first notes, b cloned them.
func pair(t *testing.T, transport string) (a, b *machine, bare string) {
	t.Helper()
	isolate(t)
	root, bare := newBare(t)
	var url string
	env := map[string]string{}
	switch transport {
	case "http", "http-close":
		url = httpRemoteServer(t, root, "dana", "s3cret-token", transport == "http")
		env["ONEONE_GIT_TOKEN"] = "s3cret-token"
		env["ONEONE_GIT_USERNAME"] = "dana"
	default:
		url = daemonRemote(t, root)
	}
	a = newMachine(t, url)
	a.env = env
	a.write("oneone.yaml", "manager: Dana\n")
	a.write("alice/2026-11-25.md", note)
	res := a.mustSync()
	if !res.Pushed || len(res.Committed) != 2 {
		t.Fatalf("first sync: %+v", res)
	}
	b = newMachine(t, url)
	b.env = env
	res = b.mustSync()
	if !res.Pulled || res.Pushed {
		t.Fatalf("clone sync: %+v", res)
	}
	return a, b, bare
}

func TestSyncBothWays(t *testing.T) {
	for _, tr := range []string{"http", "daemon"} {
		t.Run(tr, func(t *testing.T) {
			a, b, bare := pair(t, tr)
			want := map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note}
			a.check(want)
			b.check(want)
			if cfg := runGit(t, a.dir, "config", "branch.main.merge"); strings.TrimSpace(cfg) != "refs/heads/main" {
				t.Fatalf("upstream not set: %q", cfg)
			}
			b.write("bob/profile.md", "---\nname: Bob\n---\n")
			if res := b.mustSync(); !res.Pushed || res.Pulled {
				t.Fatalf("b sync: %+v", res)
			}
			if res := a.mustSync(); !res.Pulled || res.Pushed || res.Merged {
				t.Fatalf("a sync: %+v", res)
			}
			want["bob/profile.md"] = "---\nname: Bob\n---\n"
			a.check(want)
			b.check(want)
			if res := a.mustSync(); !res.UpToDate {
				t.Fatalf("no-op sync: %+v", res)
			}
			// fetched packs are as private as every other file
			packs, _ := filepath.Glob(filepath.Join(a.dir, ".git", "objects", "pack", "*"))
			if len(packs) == 0 {
				t.Fatal("no pack fetched")
			}
			for _, p := range packs {
				if fi, err := os.Stat(p); err != nil || fi.Mode().Perm()&0o077 != 0 {
					t.Errorf("%s: mode %v, want no group or other access", p, fi.Mode().Perm())
				}
			}
			fsck(t, bare)
		})
	}
}

func TestSyncMerges(t *testing.T) {
	edited := func(old, repl string) string { return strings.Replace(note, old, repl, 1) }
	tests := []struct {
		name      string
		a, b      func(m *machine)
		want      map[string]string // after both synced
		conflicts int
	}{{
		name: "disjoint files",
		a:    func(m *machine) { m.write("alice/2026-12-02.md", "a\n") },
		b:    func(m *machine) { m.write("bob/profile.md", "b\n") },
		want: map[string]string{"alice/2026-11-25.md": note, "alice/2026-12-02.md": "a\n", "bob/profile.md": "b\n"},
	}, {
		name: "clean line merge",
		a:    func(m *machine) { m.write("alice/2026-11-25.md", edited("- one\n", "- one (from A)\n")) },
		b:    func(m *machine) { m.write("alice/2026-11-25.md", edited("- [ ] four\n", "- [x] four (B)\n")) },
		want: map[string]string{"alice/2026-11-25.md": strings.Replace(edited("- one\n", "- one (from A)\n"), "- [ ] four\n", "- [x] four (B)\n", 1)},
	}, {
		name: "true conflict",
		a:    func(m *machine) { m.write("alice/2026-11-25.md", edited("- three\n", "- three by A\n")) },
		b:    func(m *machine) { m.write("alice/2026-11-25.md", edited("- three\n", "- three by B\n")) },
		want: map[string]string{
			"alice/2026-11-25.md":            edited("- three\n", "- three by B\n"),
			"alice/2026-11-25.conflict-*.md": edited("- three\n", "- three by A\n"),
		},
		conflicts: 1,
	}, {
		name: "deleted here, edited there",
		a:    func(m *machine) { m.write("alice/2026-11-25.md", edited("- two\n", "- two, edited\n")) },
		b:    func(m *machine) { m.remove("alice/2026-11-25.md"); m.write("x.md", "x\n") },
		want: map[string]string{"alice/2026-11-25.md": edited("- two\n", "- two, edited\n"), "x.md": "x\n"},
	}, {
		name: "edited here, deleted there",
		a:    func(m *machine) { m.remove("alice/2026-11-25.md"); m.write("x.md", "x\n") },
		b:    func(m *machine) { m.write("alice/2026-11-25.md", edited("- two\n", "- two, edited\n")) },
		want: map[string]string{"alice/2026-11-25.md": edited("- two\n", "- two, edited\n"), "x.md": "x\n"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b, bare := pair(t, "daemon")
			tc.a(a)
			tc.b(b)
			if res := a.mustSync(); !res.Pushed {
				t.Fatalf("a sync: %+v", res)
			}
			res := b.mustSync()
			if !res.Merged || !res.Pushed || len(res.Conflicts) != tc.conflicts {
				t.Fatalf("b sync: %+v", res)
			}
			h, _ := b.st.Head()
			c, err := object.GetCommit(b.st.repo.Storer, plumbing.NewHash(h))
			if err != nil || len(c.ParentHashes) != 2 {
				t.Fatalf("merge commit %s: %v parents %d", h, err, len(c.ParentHashes))
			}
			if res := a.mustSync(); !res.Pulled || res.Pushed {
				t.Fatalf("a second sync: %+v", res)
			}
			want := map[string]string{"oneone.yaml": "manager: Dana\n"}
			for k, v := range tc.want {
				if strings.Contains(k, "*") {
					k = strings.Replace(k, "*", res.Conflicts[0].Copy[len("alice/2026-11-25.conflict-"):][:7], 1)
					if res.Conflicts[0].Copy != k {
						t.Fatalf("conflict copy %q, want %q", res.Conflicts[0].Copy, k)
					}
				}
				want[k] = v
			}
			a.check(want)
			b.check(want)
			fsck(t, bare)
			if tc.conflicts > 0 && strings.Contains(strings.Join(mapValues(want), ""), "<<<<<<<") {
				t.Fatal("conflict markers written")
			}
		})
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestSyncOffline(t *testing.T) {
	isolate(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	for _, url := range []string{"git://" + addr + "/notes.git", "http://" + addr + "/notes.git"} {
		m := newMachine(t, url)
		m.write("alice/profile.md", "---\nname: Alice\n---\n")
		res, err := m.sync()
		if err == nil || !IsOffline(err) || !strings.Contains(err.Error(), "cannot reach origin") || !strings.Contains(err.Error(), "committed locally") {
			t.Fatalf("offline sync error = %v", err)
		}
		if res == nil || len(res.Committed) != 1 {
			t.Fatalf("local commit not reported: %+v", res)
		}
		if out := runGit(t, m.dir, "log", "--name-only", "--format="); !strings.Contains(out, "alice/profile.md") {
			t.Fatalf("local commit lost: %q", out)
		}
		m.check(map[string]string{"alice/profile.md": "---\nname: Alice\n---\n"})
	}
}

// A remote that accepts the connection and never answers: sync gives up as
// offline after ProbeTimeout instead of holding the lock for ten minutes.
func TestSyncSilentRemote(t *testing.T) {
	isolate(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var conns []net.Conn
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	old := ProbeTimeout
	ProbeTimeout = 300 * time.Millisecond
	defer func() { ProbeTimeout = old }()
	for _, url := range []string{"git://" + ln.Addr().String() + "/notes.git", "http://" + ln.Addr().String() + "/notes.git"} {
		m := newMachine(t, url)
		m.write("alice/profile.md", "---\nname: Alice\n---\n")
		start := time.Now()
		res, err := m.sync()
		if err == nil || !IsOffline(err) || !strings.Contains(err.Error(), "no answer within") {
			t.Fatalf("%s: sync error = %v", url, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: sync took %v", url, d)
		}
		if res == nil || len(res.Committed) != 1 {
			t.Fatalf("%s: the local commit is not reported: %+v", url, res)
		}
	}
}

// A remote whose pre-receive hook refuses the push: one line that says so, not "offline".
func TestSyncHookDeclined(t *testing.T) {
	isolate(t)
	root, bare := newBare(t)
	hook := filepath.Join(bare, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho no pushes today >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	m := newMachine(t, daemonRemote(t, root))
	m.write("alice/profile.md", "---\nname: Alice\n---\n")
	_, err := m.sync()
	if err == nil || !strings.Contains(err.Error(), "refused by the remote's hook") || IsOffline(err) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("sync error = %v", err)
	}
}

func TestSyncAuth(t *testing.T) {
	home := isolate(t)
	root, _ := newBare(t)
	url := httpRemote(t, root, "dana", "right-token-123")
	m := newMachine(t, url)
	m.write("a.md", "a\n")

	m.env["ONEONE_GIT_TOKEN"] = "wrong-token-456"
	_, err := m.sync()
	if err == nil || !strings.Contains(err.Error(), "ONEONE_GIT_TOKEN") || strings.Contains(err.Error(), "wrong-token-456") {
		t.Fatalf("wrong token error = %v", err)
	}
	delete(m.env, "ONEONE_GIT_TOKEN")
	_, err = m.sync()
	if err == nil || !strings.Contains(err.Error(), "set ONEONE_GIT_TOKEN") {
		t.Fatalf("missing token error = %v", err)
	}
	// ~/.git-credentials
	host := strings.TrimPrefix(strings.SplitN(url, "/notes.git", 2)[0], "http://")
	if err := os.WriteFile(filepath.Join(home, ".git-credentials"), []byte("http://dana:right-token-123@"+host+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := m.st.Sync(SyncOptions{Home: home, Getenv: func(string) string { return "" }}); err != nil {
		t.Fatalf("git-credentials first sync: %v", err)
	}
	if res, err := m.st.Sync(SyncOptions{Home: home, Getenv: func(string) string { return "" }}); err != nil || !res.UpToDate {
		t.Fatalf("git-credentials sync: %+v %v", res, err)
	}
	// A token in the URL works but is never stored in .git/config nor printed.
	m2 := newMachine(t, strings.Replace(url, "http://", "http://dana:right-token-123@", 1))
	cfg, _ := os.ReadFile(filepath.Join(m2.dir, ".git", "config"))
	if strings.Contains(string(cfg), "right-token-123") {
		t.Fatal("token written to .git/config")
	}
	runGit(t, m2.dir, "remote", "set-url", "origin", strings.Replace(url, "http://", "http://dana:right-token-123@", 1))
	res, err := m2.sync()
	if err != nil || !res.Pulled || res.Remote != url {
		t.Fatalf("token in URL: %+v %v", res, err)
	}
	m2.check(map[string]string{"a.md": "a\n"})
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:tok@host/x": "https://host/x", // with a password, neither is kept
		"https://ghp_T0kenT0kenT0kenT0ken12:x-oauth-basic@github.com/o/r.git": "https://github.com/o/r.git",
		"https://T0KEN:@host/x":                            "https://host/x", // a user with an empty password is a token
		"https://glpat-abcdefghij0123456789:@gitlab.com/x": "https://gitlab.com/x",
		"https://dana:pa/ss@host/x.git":                    "https://host/x.git", // does not parse: redacted by position
		"https://dana:p@ss/w@rd@host/x.git":                "https://host/x.git",
		"https://dana:pa/ss@host/x.git?tok=1":              "https://host/x.git?tok=***",
		"http://[::1:pa/ss@host/x":                         "http://host/x",
		"https://ghp_abcdefghij1234@host/x":                "https://host/x",
		"https://host/x":                                   "https://host/x",
		"https://dana@host/x":                              "https://dana@host/x",
		"https://glpat-abc@host/x":                         "https://host/x",
		"git@github.com:o/notes.git":                       "git@github.com:o/notes.git",
		"ssh://git:pw@host/x":                              "ssh://git@host/x",
		// a token in the query string
		"https://host/x.git?access_token=SECRET":                       "https://host/x.git?access_token=***",
		"https://u:p@host/x?private_token=abc&service=git-upload-pack": "https://host/x?private_token=***&service=git-upload-pack",
		"ssh://git@host/x?token=abc":                                   "ssh://git@host/x?token=***",
		"https://host/x.git?ghp_abcdef":                                "https://host/x.git?***",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	for _, text := range []string{
		`Get "https://u:secret@h/x/info/refs": 401`,
		`Get "https://h/x.git/info/refs?access_token=secret&service=git-upload-pack": 401`,
		`fetch from https://h/x.git?private_token=secret: refused`,
		`bad remote URL "https://dana:pa/secret@h/x.git": use https://...`,
		`parse "https://ghp_secret:x-oauth-basic@h/x": no`,
		`Get https://secret:@h/x failed`,
	} {
		if got := RedactText(text); strings.Contains(got, "secret") || !strings.Contains(got, "h/x") {
			t.Errorf("RedactText(%q) = %q", text, got)
		}
	}
	if got := RedactText(`"https://h/x.git/info/refs?service=git-upload-pack"`); !strings.Contains(got, "service=git-upload-pack") {
		t.Errorf("RedactText hid a harmless parameter: %s", got)
	}
}

func TestSyncConcurrentProcesses(t *testing.T) {
	a, b, _ := pair(t, "daemon")
	_ = b
	a.write("alice/2026-12-02.md", "new\n")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([]string, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), "GITSTORE_HELPER=sync", "GITSTORE_DIR="+a.dir)
			out, err := cmd.CombinedOutput()
			outs[i], errs[i] = string(out), err
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil && !strings.Contains(outs[i], "another oneone process") {
			t.Fatalf("sync %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	if n := strings.Count(outs[0]+outs[1], `"Pushed":true`); n != 1 {
		t.Fatalf("want exactly one push, got %d:\n%s\n%s", n, outs[0], outs[1])
	}
	a.check(map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, "alice/2026-12-02.md": "new\n"})
	b.mustSync()
	b.check(a.files())
}

func TestLockHeldByOtherProcess(t *testing.T) {
	isolate(t)
	m := newMachine(t, "")
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "GITSTORE_HELPER=hold", "GITSTORE_DIR="+m.dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := stdout.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("helper: %q %v", buf, err)
	}
	_, err := m.st.Lock(50e6)
	if err == nil || !strings.Contains(err.Error(), "another oneone process (pid "+strconv.Itoa(cmd.Process.Pid)+")") || !strings.Contains(err.Error(), "oneone.lock") {
		t.Fatalf("lock error = %v", err)
	}
	// A wait of more than a second is announced once, naming the holder; a short one is not.
	var notices []string
	LockNotice = func(pid, dir string) { notices = append(notices, pid+" "+dir) }
	defer func() { LockNotice = nil }()
	if _, err := m.st.Lock(lockNoticeAfter + 300*time.Millisecond); err == nil {
		t.Fatal("lock taken while held")
	}
	if want := strconv.Itoa(cmd.Process.Pid) + " " + m.st.Dir(); len(notices) != 1 || notices[0] != want {
		t.Fatalf("notices = %q, want [%q]", notices, want)
	}
	stdin.Close()
	_ = cmd.Wait()
	// The helper is gone: the lock is free again (also after a crash, the kernel releases it).
	unlock, err := m.st.Lock(DefaultLockTimeout)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if res, err := m.sync(); err != nil || !res.NoRemote {
		t.Fatalf("sync without remote: %+v, %v", res, err)
	}
}

// TestSyncRetriesWhenRemoteMoves pushes from a second machine right before each
// of the first machine's first two pushes: its fast push is refused, the fetch
// and merge that follow are overtaken again, and the retry still lands.
func TestSyncRetriesWhenRemoteMoves(t *testing.T) {
	a, b, bare := pair(t, "daemon")
	a.write("alice/2026-12-02.md", "from a\n")
	want := map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, "alice/2026-12-02.md": "from a\n"}
	fired := 0
	testHookBeforePush = func() {
		if fired == 2 {
			return
		}
		fired++
		hook := testHookBeforePush
		testHookBeforePush = nil // b's own sync must not recurse
		rel := fmt.Sprintf("bob/%d.md", fired)
		b.write(rel, "from b\n")
		want[rel] = "from b\n"
		b.mustSync()
		testHookBeforePush = hook
	}
	defer func() { testHookBeforePush = nil }()
	res, err := a.sync()
	if err != nil {
		t.Fatalf("sync with a moving remote: %v", err)
	}
	if fired != 2 || !res.Pushed || !res.Merged {
		t.Fatalf("want two interruptions, then a merge and a push: fired %d, %+v", fired, res)
	}
	b.mustSync()
	a.check(want)
	b.check(want)
	fsck(t, bare)
}

func TestSetRemoteRefusesOddURLs(t *testing.T) {
	m := newMachine(t, "")
	for _, u := range []string{"", "not a url", "-oProxyCommand=touch x", "ext::sh -c touch% x", "ssh://-oProxyCommand=x/y", "https:///nohost", "../x.git", "x.git"} {
		err := m.st.SetRemote(u)
		if err == nil {
			t.Errorf("SetRemote(%q) accepted", u)
			continue
		}
		// Every accepted form is named, as in the README.
		for _, form := range []string{"https://", "ssh://", "git@host:", "git://", "an absolute path", "file://"} {
			if !strings.Contains(err.Error(), form) {
				t.Errorf("SetRemote(%q): %q does not name %s", u, err, form)
			}
		}
	}
	if err := m.st.SetRemote("../x.git"); err == nil || !strings.Contains(err.Error(), "a local path must be absolute, such as /") {
		t.Errorf("relative path: %v", err)
	}
	// A token as the user name, a user with an empty password, a password with a
	// slash (the URL does not parse): nothing of the credentials is stored or shown.
	for _, u := range []string{
		"https://ghp_SECRETSECRETSECRET0123:x-oauth-basic@github.com/dana/notes.git",
		"https://SECRETSECRET:@github.com/dana/notes.git",
		"https://glpat-SECRETSECRETSECRET01:@gitlab.com/dana/notes.git",
		"https://dana:pa/SECRET@github.com/dana/notes.git",
		"https://oauth2:SECRETSECRET@gitlab.com/dana/notes.git",
	} {
		err := m.st.SetRemote(u)
		if err != nil && strings.Contains(err.Error(), "SECRET") {
			t.Errorf("SetRemote(%q) error shows the secret: %v", u, err)
		}
		if err != nil {
			continue
		}
		got, _, _ := m.st.RemoteURL()
		cfg, _ := os.ReadFile(filepath.Join(m.dir, ".git", "config"))
		if strings.Contains(got, "SECRET") || strings.Contains(string(cfg), "SECRET") || strings.Contains(got, "@") {
			t.Errorf("SetRemote(%q) stored %q", u, got)
		}
	}
	// An "@" in the path would be cut as a user part: refused, not stored cut.
	if err := m.st.SetRemote("https://host/dana@example.com/notes.git"); err == nil || !strings.Contains(err.Error(), "after its host") {
		t.Errorf("@ in the path: %v", err)
	}
	// A token in the query string is never stored, nor shown in the error.
	for _, u := range []string{"https://host/x.git?access_token=SECRET-123", "https://host/x.git?private_token=SECRET-123&a=b"} {
		err := m.st.SetRemote(u)
		if err == nil || strings.Contains(err.Error(), "SECRET-123") || !strings.Contains(err.Error(), "ONEONE_GIT_TOKEN or ~/.git-credentials") {
			t.Errorf("SetRemote(%q): %v", u, err)
		}
	}
	for _, u := range []string{"https://github.com/dana/notes.git", "git@github.com:dana/notes.git", "ssh://git@[::1]:2222/x.git", "git://127.0.0.1/notes.git", "file:///tmp/backup/notes.git"} {
		if err := m.st.SetRemote(u); err != nil {
			t.Errorf("SetRemote(%q): %v", u, err)
		}
	}
}
