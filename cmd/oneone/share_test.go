package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// Tokens the test's https server accepts: the manager's and the reports'.
const (
	shareToken = "tok-5d1e88c0a4"
	aliceToken = "tok-a11ce90b7f"
)

// TestShareScript runs the shared agenda scenarios in testdata/share/*.txtar:
// a manager and reports on folders of their own (each with a HOME of their
// own), against real git servers on 127.0.0.1 serving the bare repositories
// under $SRV (notes.git, alice.git, bob.git, all empty): `git http-backend`
// behind basic auth at $HTTP (users dana/$TOKEN and alice/$ALICE_TOKEN) and
// `git daemon` at $GIT; $OFFLINE is a git:// address where nothing listens.
//
// Custom commands: `scan BARE` fails when any object of a repository holds a
// canary (text that must never be published: CANARY..., an HTML comment, the
// manager's away days 2031-02-0x, the manager's token); `noleak` fails when the
// last command printed one; `fsck DIR` runs git fsck --strict; `status N ...`.
func TestShareScript(t *testing.T) {
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
		Dir:                "testdata/share",
		RequireUniqueNames: true,
		UpdateScripts:      *update,
		Cmds:               map[string]func(*testscript.TestScript, bool, []string){"status": cmdStatus, "scan": cmdScan, "noleak": cmdNoLeak, "fsck": cmdFsck},
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, "home")
			for k, v := range map[string]string{
				"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM": "1",
				"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
				"GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
				"NO_COLOR": "", "ONEONE_DIR": "", "VISUAL": "", "EDITOR": "",
				"ONEONE_GIT_TOKEN": "", "ONEONE_GIT_USERNAME": "", "SSH_AUTH_SOCK": "",
				"TOKEN": shareToken, "ALICE_TOKEN": aliceToken,
			} {
				env.Setenv(k, v)
			}
			for _, h := range []string{home, filepath.Join(env.WorkDir, "alice-home"), filepath.Join(env.WorkDir, "bob-home")} {
				if err := os.MkdirAll(h, 0o700); err != nil {
					return err
				}
			}
			root := filepath.Join(env.WorkDir, "srv")
			for _, name := range []string{"notes.git", "alice.git", "bob.git"} {
				bare := filepath.Join(root, name)
				if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", bare).CombinedOutput(); err != nil {
					return fmt.Errorf("git init --bare: %v: %s", err, out)
				}
				if out, err := exec.Command("git", "-C", bare, "config", "http.receivepack", "true").CombinedOutput(); err != nil {
					return fmt.Errorf("git config: %v: %s", err, out)
				}
			}
			env.Setenv("SRV", root)
			h := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root}, Stderr: io.Discard}
			users := map[string]string{"dana": shareToken, "alice": aliceToken}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if u, p, ok := r.BasicAuth(); !ok || users[u] == "" || users[u] != p {
					w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
					http.Error(w, "unauthorized", http.StatusUnauthorized)
					return
				}
				r.Header.Set("Remote-User", "user")
				h.ServeHTTP(w, r)
			}))
			env.Defer(srv.Close)
			env.Setenv("HTTP", srv.URL)
			env.Setenv("HTTP_HOSTPORT", strings.TrimPrefix(srv.URL, "http://"))
			gitURL, stop, err := serveGitDaemon(root)
			if err != nil {
				return err
			}
			env.Defer(stop)
			env.Setenv("GIT", strings.TrimSuffix(gitURL, "/notes.git"))
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			env.Setenv("OFFLINE", "git://"+ln.Addr().String())
			return ln.Close()
		},
	})
}

// canaries is what no shared repository and no printed byte may ever hold.
var canaries = regexp.MustCompile(`CANARY[A-Z0-9-]*|<!--|2031-02-0[0-9]|` + regexp.QuoteMeta(shareToken))

// cmdScan runs `scan BARE...`: every object of each repository (git cat-file
// --batch-all-objects --batch, so also objects no branch reaches) is searched
// for canaries.
func cmdScan(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: scan BARE...")
	}
	for _, dir := range args {
		dir = ts.MkAbs(dir)
		cmd := exec.Command("git", "--git-dir="+dir, "cat-file", "--batch-all-objects", "--batch")
		out, err := cmd.Output()
		if err != nil {
			ts.Fatalf("git cat-file in %s: %v", dir, err)
		}
		if len(out) == 0 {
			ts.Fatalf("scan %s: no objects at all", dir)
		}
		if m := canaries.FindAll(out, 5); m != nil {
			i := bytes.Index(out, m[0])
			from := max(0, i-200)
			ts.Fatalf("%s holds %q in its objects:\n...%s...", dir, m, out[from:min(len(out), i+100)])
		}
	}
}

// cmdNoLeak fails when the last command's stdout or stderr holds a canary.
func cmdNoLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: noleak")
	}
	for _, f := range []string{"stdout", "stderr"} {
		if m := canaries.FindString(ts.ReadFile(f)); m != "" {
			ts.Fatalf("%s printed %q:\n%s", f, m, ts.ReadFile(f))
		}
	}
}

// cmdFsck runs `fsck DIR...`: git fsck --strict must find nothing.
func cmdFsck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: fsck DIR...")
	}
	for _, dir := range args {
		dir = ts.MkAbs(dir)
		cmd := exec.Command("git", "fsck", "--strict", "--no-progress")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil || bytes.Contains(out, []byte("error")) || bytes.Contains(out, []byte("warning")) || bytes.Contains(out, []byte("missing")) {
			ts.Fatalf("git fsck in %s: %v\n%s", dir, err, out)
		}
	}
}
