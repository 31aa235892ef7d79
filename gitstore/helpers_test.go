package gitstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestMain doubles as a helper process for the lock tests.
func TestMain(m *testing.M) {
	switch os.Getenv("GITSTORE_HELPER") {
	case "sync":
		st, err := Open(os.Getenv("GITSTORE_DIR"))
		if err == nil {
			var res *SyncResult
			res, err = st.Sync(SyncOptions{Author: Author{"Helper", "h@example.com"}})
			if err == nil {
				_ = json.NewEncoder(os.Stdout).Encode(res)
				os.Exit(0)
			}
		}
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	case "fulldisk":
		// Runs inside `unshare -rm` with a small tmpfs mounted at GITSTORE_DIR's
		// parent: three syncs from GITSTORE_URL, each reported as a line of JSON.
		st, err := Init(os.Getenv("GITSTORE_DIR"))
		if err == nil {
			err = st.SetRemote(os.Getenv("GITSTORE_URL"))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for range 3 {
			_, err := st.Sync(SyncOptions{Author: Author{"Helper", "h@example.com"}})
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			left, _ := filepath.Glob(filepath.Join(st.gitDir, "objects", "pack", "tmp_*"))
			_ = json.NewEncoder(os.Stdout).Encode(map[string]any{"error": msg, "offline": IsOffline(err), "full": IsDiskFull(err), "leftovers": len(left)})
		}
		os.Exit(0)
	case "hold":
		st, err := Open(os.Getenv("GITSTORE_DIR"))
		if err != nil {
			os.Exit(1)
		}
		unlock, err := st.Lock(time.Second)
		if err != nil {
			os.Exit(1)
		}
		fmt.Println("locked")
		_, _ = os.Stdin.Read(make([]byte, 1))
		unlock()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func needGit(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not installed")
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git --exec-path failed")
	}
	return strings.TrimSpace(string(out))
}

// git runs the git binary (tests only) and returns its output.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// isolate gives the test its own HOME so no real git config or credentials leak in.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("ONEONE_GIT_TOKEN", "")
	t.Setenv("ONEONE_GIT_USERNAME", "")
	return home
}

// newBare creates an empty bare repository named notes.git under a fresh root.
func newBare(t *testing.T) (root, bare string) {
	t.Helper()
	root = t.TempDir()
	bare = filepath.Join(root, "notes.git")
	runGit(t, root, "init", "-q", "--bare", "-b", "main", bare)
	runGit(t, bare, "config", "http.receivepack", "true")
	return root, bare
}

// httpBackend is git http-backend serving root as CGI (the test is skipped without it).
func httpBackend(t *testing.T, root string) *cgi.Handler {
	t.Helper()
	exe := needGit(t)
	backend := filepath.Join(exe, "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Skip("git-http-backend not installed")
	}
	return &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root}, Stderr: io.Discard}
}

// httpRemote serves root through git http-backend behind basic auth (user/pass).
func httpRemote(t *testing.T, root, user, pass string) string {
	t.Helper()
	return httpRemoteServer(t, root, user, pass, true)
}

// httpRemoteServer is httpRemote; without keepAlive every request comes on a
// connection of its own (so that a test proxy can tell the requests apart).
func httpRemoteServer(t *testing.T, root, user, pass string, keepAlive bool) string {
	t.Helper()
	h := httpBackend(t, root)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		r.Header.Set("Remote-User", u)
		h.ServeHTTP(w, r)
	}))
	srv.Config.SetKeepAlivesEnabled(keepAlive)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/notes.git"
}

// daemonRemote serves root with `git daemon --inetd --enable=receive-pack`, one process per connection.
func daemonRemote(t *testing.T, root string) string {
	t.Helper()
	needGit(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				f, err := c.(*net.TCPConn).File()
				if err != nil {
					return
				}
				defer f.Close()
				cmd := exec.Command("git", "daemon", "--inetd", "--export-all", "--enable=receive-pack", "--base-path="+root, root)
				cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1")
				cmd.Stdin, cmd.Stdout = f, f
				_ = cmd.Run()
			}()
		}
	}()
	return "git://" + ln.Addr().String() + "/notes.git"
}

// machine is a notes repository on one "computer".
type machine struct {
	t    *testing.T
	st   *Store
	dir  string
	env  map[string]string
	idle time.Duration // SyncOptions.IdleTimeout (0: the default)
}

func newMachine(t *testing.T, url string) *machine {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "notes")
	st, err := Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	if url != "" {
		if err := st.SetRemote(url); err != nil {
			t.Fatal(err)
		}
	}
	return &machine{t: t, st: st, dir: dir, env: map[string]string{}}
}

func (m *machine) write(rel, content string) {
	m.t.Helper()
	p := filepath.Join(m.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		m.t.Fatal(err)
	}
}

func (m *machine) remove(rel string) {
	m.t.Helper()
	if err := os.Remove(filepath.Join(m.dir, filepath.FromSlash(rel))); err != nil {
		m.t.Fatal(err)
	}
}

// removeAll removes a file or a folder and everything in it.
func (m *machine) removeAll(rel string) {
	m.t.Helper()
	if err := os.RemoveAll(filepath.Join(m.dir, filepath.FromSlash(rel))); err != nil {
		m.t.Fatal(err)
	}
}

func (m *machine) sync() (*SyncResult, error) {
	return m.st.Sync(SyncOptions{Author: Author{"Dana", "dana@example.com"}, Getenv: func(k string) string { return m.env[k] }, IdleTimeout: m.idle})
}

func (m *machine) mustSync() *SyncResult {
	m.t.Helper()
	res, err := m.sync()
	if err != nil {
		m.t.Fatalf("sync %s: %v", m.dir, err)
	}
	return res
}

// files returns every work tree file (outside .git) and its content.
func (m *machine) files() map[string]string {
	m.t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir(m.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(m.dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

// check asserts file contents, `git fsck --strict` and a clean `git status`.
func (m *machine) check(want map[string]string) {
	m.t.Helper()
	got := m.files()
	if !equalMaps(got, want) {
		m.t.Fatalf("files in %s:\n got %s\nwant %s", m.dir, dump(got), dump(want))
	}
	fsck(m.t, m.dir)
	if s := runGit(m.t, m.dir, "status", "--porcelain"); s != "" {
		m.t.Fatalf("git status in %s not clean:\n%s", m.dir, s)
	}
}

func fsck(t *testing.T, dir string) {
	t.Helper()
	out := runGit(t, dir, "fsck", "--strict", "--no-progress")
	if strings.Contains(out, "error") || strings.Contains(out, "warning") || strings.Contains(out, "missing") {
		t.Fatalf("git fsck in %s:\n%s", dir, out)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func dump(m map[string]string) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %s: %q", k, m[k])
	}
	return b.String()
}
