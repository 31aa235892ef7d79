package gitstore

import (
	"io"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tlsRemote serves root through git http-backend over https with the test server's own
// certificate, which no system trusts.
func tlsRemote(t *testing.T, root string) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(httpBackend(t, root))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/notes.git"
}

// TestSyncErrorLines: every remote failure is one clean sentence (no dangling
// "…: authentication required:" tail), with the fix that matches its cause: the file a
// refused credential came from, the certificate settings for a TLS failure (which is
// not "offline").
func TestSyncErrorLines(t *testing.T) {
	home := isolate(t)
	root, _ := newBare(t)
	url := httpRemote(t, root, "dana", "right-token-123")
	host := strings.TrimPrefix(strings.SplitN(url, "/notes.git", 2)[0], "http://")
	tlsURL := tlsRemote(t, root)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	offline := "http://" + ln.Addr().String() + "/notes.git"
	ln.Close()
	tests := []struct {
		name        string
		url         string
		env         map[string]string
		credentials string // ~/.git-credentials
		wants       []string
		notWants    []string
		offline     bool
	}{{
		name:     "no credential",
		url:      url,
		wants:    []string{"authentication required: set ONEONE_GIT_TOKEN", "~/.git-credentials"},
		notWants: []string{"unauthorized"},
	}, {
		name:     "token refused",
		url:      url,
		env:      map[string]string{"ONEONE_GIT_TOKEN": "wrong-token-456", "ONEONE_GIT_USERNAME": "dana"},
		wants:    []string{"the credentials from ONEONE_GIT_TOKEN were refused: check ONEONE_GIT_TOKEN and ONEONE_GIT_USERNAME"},
		notWants: []string{"wrong-token-456", ".git-credentials"},
	}, {
		name:        "git-credentials refused",
		url:         url,
		credentials: "http://dana:wrong-token-789@" + host + "\n",
		wants:       []string{"the credentials from ~/.git-credentials were refused", "fix the line for " + strings.Split(host, ":")[0] + " in ~/.git-credentials"},
		notWants:    []string{"wrong-token-789"},
	}, {
		name:  "not found",
		url:   strings.Replace(url, "notes.git", "missing.git", 1),
		env:   map[string]string{"ONEONE_GIT_TOKEN": "right-token-123", "ONEONE_GIT_USERNAME": "dana"},
		wants: []string{"repository not found: check the URL with `oneone remote`"},
	}, {
		name:    "offline",
		url:     offline,
		wants:   []string{"cannot reach origin", "run `oneone sync` again when online"},
		offline: true,
	}, {
		name:     "untrusted certificate",
		url:      tlsURL,
		wants:    []string{"certificate", "SSL_CERT_FILE", "SSL_CERT_DIR"},
		notWants: []string{"cannot reach", "when online"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_ = os.Remove(filepath.Join(home, ".git-credentials"))
			if tc.credentials != "" {
				if err := os.WriteFile(filepath.Join(home, ".git-credentials"), []byte(tc.credentials), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			m := newMachine(t, tc.url)
			if tc.env != nil {
				m.env = tc.env
			}
			m.write("a.md", "a\n")
			res, err := m.st.Sync(SyncOptions{Author: Author{"Dana", "d@x"}, Home: home, Getenv: func(k string) string { return m.env[k] }})
			if err == nil {
				t.Fatalf("sync succeeded: %+v", res)
			}
			msg := err.Error()
			t.Log(msg)
			for _, w := range tc.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not say %q:\n%s", w, msg)
				}
			}
			for _, w := range tc.notWants {
				if strings.Contains(msg, w) {
					t.Errorf("error says %q:\n%s", w, msg)
				}
			}
			if strings.ContainsAny(msg, "\n\r") || strings.HasSuffix(strings.TrimSpace(msg), ":") || strings.Contains(msg, ": :") || strings.Contains(msg, ":  ") {
				t.Errorf("not one clean line: %q", msg)
			}
			if !strings.HasSuffix(msg, "(your notes are committed locally)") && !strings.HasSuffix(msg, "when online") {
				t.Errorf("does not end with the state of the notes: %q", msg)
			}
			if IsOffline(err) != tc.offline {
				t.Errorf("IsOffline = %v", IsOffline(err))
			}
			if res == nil || len(res.Committed) != 1 {
				t.Errorf("local commit not reported: %+v", res)
			}
		})
	}
}
