package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects a child process's output for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// sshServer is a real OpenSSH sshd on a loopback port, running as the current user.
type sshServer struct {
	addr    string // 127.0.0.1:port
	hostPub string // the host's public key line ("ssh-ed25519 AAAA...")
	log     *lockedBuffer
}

// knownHosts is a known_hosts line for the server with the given key.
func (s *sshServer) knownHosts(pub string) string {
	host, port, _ := net.SplitHostPort(s.addr)
	return fmt.Sprintf("[%s]:%s %s\n", host, port, pub)
}

// keygen makes an unencrypted ed25519 key pair at path and returns the public key line.
func keygen(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "oneone-test", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(pub))
	return f[0] + " " + f[1]
}

// startSSHD starts sshd -D on a free loopback port with its own host key, accepting the
// given public keys for the current user. It skips the test when OpenSSH is not installed.
func startSSHD(t *testing.T, authorized ...string) *sshServer {
	t.Helper()
	needGit(t)
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		sshd = "/usr/sbin/sshd"
		if _, err := os.Stat(sshd); err != nil {
			t.Skip("sshd not installed (Debian: apt-get install openssh-server)")
		}
	}
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not installed")
	}
	if os.Geteuid() == 0 {
		// sshd started as root wants its privilege separation folder (systemd makes it at boot).
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Skipf("sshd as root needs /run/sshd: %v", err)
		}
	}
	dir := t.TempDir()
	srv := &sshServer{log: &lockedBuffer{}}
	srv.hostPub = keygen(t, filepath.Join(dir, "host_ed25519"))
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), []byte(strings.Join(authorized, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.addr = ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(srv.addr)
	cfg := strings.Join([]string{
		"Port " + port,
		"ListenAddress 127.0.0.1",
		"HostKey " + filepath.Join(dir, "host_ed25519"),
		"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
		"PidFile none",
		"UsePAM no",
		"StrictModes no",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		"AllowTcpForwarding no",
		"X11Forwarding no",
		"PrintMotd no",
		"LogLevel VERBOSE",
		"",
	}, "\n")
	cfgPath := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sshd, "-D", "-e", "-f", cfgPath)
	cmd.Stdout, cmd.Stderr = srv.log, srv.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sshd: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", srv.addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			t.Fatalf("sshd exited:\n%s", srv.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd not listening on %s:\n%s", srv.addr, srv.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return srv
}

// startAgent runs `ssh-agent -D -a SOCK` holding the key at keyPath and returns SOCK.
func startAgent(t *testing.T, keyPath string) string {
	t.Helper()
	if _, err := exec.LookPath("ssh-agent"); err != nil {
		t.Skip("ssh-agent not installed")
	}
	// A short path: unix socket names are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "agent")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	log := &lockedBuffer{}
	cmd := exec.Command("ssh-agent", "-D", "-a", sock)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ssh-agent: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ssh-agent socket %s missing:\n%s", sock, log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	add := exec.Command("ssh-add", keyPath)
	add.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("ssh-add: %v\n%s", err, out)
	}
	return sock
}

// TestSyncSSH syncs over ssh:// with a real sshd: with a key file in ~/.ssh, with
// ssh-agent, and refuses unknown and mismatching host keys.
func TestSyncSSH(t *testing.T) {
	isolate(t)
	keys := t.TempDir()
	filePub := keygen(t, filepath.Join(keys, "file", "id_ed25519"))
	agentPub := keygen(t, filepath.Join(keys, "agent", "id_ed25519"))
	srv := startSSHD(t, filePub, agentPub)
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	_, bare := newBare(t)
	url := fmt.Sprintf("ssh://%s@%s%s", me.Username, srv.addr, filepath.ToSlash(bare))

	// A home with the file key and the server's host key in ~/.ssh/known_hosts.
	keyHome := t.TempDir()
	copyFile(t, filepath.Join(keys, "file", "id_ed25519"), filepath.Join(keyHome, ".ssh", "id_ed25519"))
	writeFile(t, filepath.Join(keyHome, ".ssh", "known_hosts"), "# other hosts\ngithub.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"+srv.knownHosts(srv.hostPub))

	// An empty home: the agent holds the other key, SSH_KNOWN_HOSTS names the host keys.
	agentHome := t.TempDir()
	sock := startAgent(t, filepath.Join(keys, "agent", "id_ed25519"))
	kh := filepath.Join(t.TempDir(), "hosts")
	writeFile(t, kh, srv.knownHosts(srv.hostPub))

	before := srv.log.String()
	a := newMachine(t, url)
	a.env = map[string]string{"HOME": keyHome}
	a.write("oneone.yaml", "manager: Dana\n")
	a.write("alice/2026-11-25.md", note)
	res, err := a.sync()
	if err != nil {
		t.Fatalf("sync with a key file: %v\nsshd log:\n%s", err, strings.TrimPrefix(srv.log.String(), before))
	}
	if !res.Pushed || len(res.Committed) != 2 {
		t.Fatalf("first sync over ssh: %+v", res)
	}
	if got := runGit(t, bare, "log", "-1", "--format=%an %s", "main"); !strings.HasPrefix(got, "Dana sync:") {
		t.Fatalf("remote log: %q", got)
	}

	b := newMachine(t, url)
	b.env = map[string]string{"HOME": agentHome, "SSH_AUTH_SOCK": sock, "SSH_KNOWN_HOSTS": kh}
	if res, err := b.sync(); err != nil || !res.Pulled {
		t.Fatalf("sync with ssh-agent: %+v %v\nsshd log:\n%s", res, err, srv.log)
	}
	b.write("bob/profile.md", "---\nname: Bob\n---\n")
	if res, err := b.sync(); err != nil || !res.Pushed {
		t.Fatalf("push with ssh-agent: %+v %v", res, err)
	}
	if res := a.mustSync(); !res.Pulled {
		t.Fatalf("a pulls bob: %+v", res)
	}
	want := map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, "bob/profile.md": "---\nname: Bob\n---\n"}
	a.check(want)
	b.check(want)
	fsck(t, bare)
	remoteHead := runGit(t, bare, "rev-parse", "main")

	// Host keys are always checked: unknown host, no known_hosts at all, a different key.
	otherPub := keygen(t, filepath.Join(keys, "other", "host"))
	refused := []struct {
		name, knownHosts, want string
	}{
		{"unknown host", "github.example " + otherPub + "\n", "is unknown"},
		{"no known_hosts", "", "no known_hosts file"},
		{"key mismatch", srv.knownHosts(otherPub), "does not match"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			copyFile(t, filepath.Join(keys, "file", "id_ed25519"), filepath.Join(home, ".ssh", "id_ed25519"))
			if tc.knownHosts != "" {
				writeFile(t, filepath.Join(home, ".ssh", "known_hosts"), tc.knownHosts)
			}
			c := newMachine(t, url)
			c.env = map[string]string{"HOME": home}
			c.write("carol/profile.md", "---\nname: Carol\n---\n")
			res, err := c.sync()
			if err == nil {
				t.Fatalf("sync accepted the host: %+v", res)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") > 0 || IsOffline(err) {
				t.Fatalf("error %q (offline %v), want one line with %q", msg, IsOffline(err), tc.want)
			}
			t.Logf("%s: %s", tc.name, msg)
			if tc.knownHosts != "" && !strings.Contains(msg, "known_hosts") {
				t.Fatalf("error %q does not say where to add the key", msg)
			}
			if len(res.Committed) != 1 {
				t.Fatalf("local commit not kept: %+v", res)
			}
			if got := runGit(t, bare, "rev-parse", "main"); got != remoteHead {
				t.Fatalf("remote moved: %s -> %s", remoteHead, got)
			}
		})
	}

	// A passphrase-protected key without an agent: one clear error, no prompt.
	t.Run("passphrase", func(t *testing.T) {
		home := t.TempDir()
		key := filepath.Join(home, ".ssh", "id_ed25519")
		if err := os.MkdirAll(filepath.Dir(key), 0o700); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret phrase", "-f", key).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		writeFile(t, filepath.Join(home, ".ssh", "known_hosts"), srv.knownHosts(srv.hostPub))
		c := newMachine(t, url)
		c.env = map[string]string{"HOME": home}
		if _, err := c.sync(); err == nil || !strings.Contains(err.Error(), "passphrase-protected") || !strings.Contains(err.Error(), "ssh-add") {
			t.Fatalf("sync with an encrypted key: %v", err)
		}
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	writeFile(t, to, string(data))
}
