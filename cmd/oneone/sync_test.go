package main

import (
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// syncToken is the token the test's https remote accepts.
const syncToken = "tok-3f9a1c77e2"

// TestSyncScript runs the sync scenarios in testdata/sync/*.txtar against real git servers
// on 127.0.0.1, one set per script: an empty bare repository $BARE served by `git daemon`
// ($GIT_URL) and by `git http-backend` behind basic auth ($HTTP_URL, user dana, token
// $TOKEN), and $OFFLINE_URL where nothing listens. The git binary only serves and checks.
func TestSyncScript(t *testing.T) {
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
		Dir:                "testdata/sync",
		RequireUniqueNames: true,
		UpdateScripts:      *update,
		Cmds:               map[string]func(*testscript.TestScript, bool, []string){"status": cmdStatus},
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, "home")
			for k, v := range map[string]string{
				"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM": "1",
				"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
				"GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
				"NO_COLOR": "", "ONEONE_DIR": "", "VISUAL": "", "EDITOR": "",
				"ONEONE_GIT_TOKEN": "", "ONEONE_GIT_USERNAME": "", "SSH_AUTH_SOCK": "",
			} {
				env.Setenv(k, v)
			}
			if err := os.MkdirAll(home, 0o700); err != nil {
				return err
			}
			root := filepath.Join(env.WorkDir, "srv")
			bare := filepath.Join(root, "notes.git")
			if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", bare).CombinedOutput(); err != nil {
				return fmt.Errorf("git init --bare: %v: %s", err, out)
			}
			if out, err := exec.Command("git", "-C", bare, "config", "http.receivepack", "true").CombinedOutput(); err != nil {
				return fmt.Errorf("git config: %v: %s", err, out)
			}
			env.Setenv("BARE", bare)
			env.Setenv("TOKEN", syncToken)

			h := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root}}
			authed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if u, p, ok := r.BasicAuth(); !ok || u != "dana" || p != syncToken {
					w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
					http.Error(w, "unauthorized", http.StatusUnauthorized)
					return
				}
				r.Header.Set("Remote-User", "dana")
				h.ServeHTTP(w, r)
			})
			srv := httptest.NewServer(authed)
			env.Defer(srv.Close)
			env.Setenv("HTTP_URL", srv.URL+"/notes.git")

			// The same over https, with a certificate no system trusts: $CERT is its PEM file.
			tlsSrv := httptest.NewUnstartedServer(authed)
			tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
			tlsSrv.StartTLS()
			env.Defer(tlsSrv.Close)
			env.Setenv("HTTPS_URL", tlsSrv.URL+"/notes.git")
			cert := filepath.Join(env.WorkDir, "server.pem")
			if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}), 0o600); err != nil {
				return err
			}
			env.Setenv("CERT", cert)

			gitURL, stop, err := serveGitDaemon(root)
			if err != nil {
				return err
			}
			env.Defer(stop)
			env.Setenv("GIT_URL", gitURL)

			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			env.Setenv("OFFLINE_URL", "git://"+ln.Addr().String()+"/notes.git")
			return ln.Close()
		},
	})
}

// serveGitDaemon serves root over git:// on 127.0.0.1, with `git daemon --inetd` per connection.
func serveGitDaemon(root string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
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
	return "git://" + ln.Addr().String() + "/notes.git", func() { ln.Close() }, nil
}

// cmdStatus runs `status N PROG ARGS...`: PROG must exit with status N (stdout and stderr
// are kept for the next assertions), e.g. `status 2 oneone sync`.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit status %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}
