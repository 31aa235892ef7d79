package gitstore

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

// bigNote is a note of about size bytes that does not compress: its pack is
// about that big on the wire.
func bigNote(size int) string {
	raw := make([]byte, size*3/4)
	_, _ = rand.Read(raw)
	enc := base64.StdEncoding.EncodeToString(raw)
	var b strings.Builder
	b.WriteString("---\ndate: 2026-11-25\n---\n# 1:1\n\n")
	for len(enc) > 76 {
		b.WriteString("- " + enc[:76] + "\n")
		enc = enc[76:]
	}
	return b.String()
}

// syncWithin runs m's sync and fails the test when it has not returned within d.
func syncWithin(t *testing.T, m *machine, d time.Duration) (*SyncResult, error) {
	t.Helper()
	type out struct {
		res *SyncResult
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := m.sync()
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(d):
		t.Fatalf("sync in %s still running after %s", m.dir, d)
		return nil, nil
	}
}

// lockFree asserts that the repository lock is not held.
func lockFree(t *testing.T, m *machine) {
	t.Helper()
	unlock, err := m.st.Lock(0)
	if err != nil {
		t.Fatalf("lock still held after sync: %v", err)
	}
	unlock()
}

// A server that answers and then stalls: mid-pack while fetching, or after its
// advertisement while pushing. With no byte for IdleTimeout sync gives up as
// offline and releases the lock; once the server answers again the same sync
// works and nothing was lost.
func TestSyncStalledTransfers(t *testing.T) {
	for _, tr := range []string{"daemon", "http-close"} {
		t.Run("fetch/"+tr, func(t *testing.T) {
			a, b, bare := pair(t, tr)
			big := bigNote(1 << 20)
			a.write("alice/2026-12-02.md", big)
			a.mustSync()
			// every connection stalls once the server sent 64 KiB: only the pack is that big
			p, url := startProxy(t, remoteURL(t, b), func(int, string) stall { return stall{64 << 10, -1} })
			runGit(t, b.dir, "remote", "set-url", "origin", url)
			b.write("bob/profile.md", "---\nname: Bob\n---\n")
			b.idle = 300 * time.Millisecond
			start := time.Now()
			res, err := syncWithin(t, b, 20*time.Second)
			if err == nil || !IsOffline(err) || !strings.Contains(err.Error(), "stalled") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("stalled fetch: error %v", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("stalled fetch took %s", d)
			}
			if res == nil || len(res.Committed) != 1 {
				t.Fatalf("the local commit is not reported: %+v", res)
			}
			lockFree(t, b)
			if left := packTemps(t, b); len(left) != 0 {
				t.Errorf("the stalled fetch left %v", left)
			}
			p.letGo()
			b.idle = 0 // a loaded machine may pause longer than the test's 300 ms
			b.mustSync()
			want := map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, "alice/2026-12-02.md": big, "bob/profile.md": "---\nname: Bob\n---\n"}
			b.check(want)
			a.mustSync()
			a.check(want)
			fsck(t, bare)
		})
		t.Run("push/"+tr, func(t *testing.T) {
			a, _, bare := pair(t, tr)
			// the push's request reaches the server, its commands and pack never do
			p, url := startProxy(t, remoteURL(t, a), func(_ int, first string) stall {
				switch {
				case strings.HasPrefix(first, "POST") && isService(first, "git-receive-pack"):
					return stall{0, -1} // http: the advertisement came with the GET before; no answer to the pack
				case !strings.HasPrefix(first, "GET") && isService(first, "git-receive-pack"):
					return stall{-1, 0} // git://: the advertisement comes, the commands and pack never reach the server
				}
				return noStall
			})
			runGit(t, a.dir, "remote", "set-url", "origin", url)
			a.write("alice/2026-12-02.md", "from a\n")
			a.idle = 300 * time.Millisecond
			_, err := syncWithin(t, a, 20*time.Second)
			if err == nil || !IsOffline(err) || !strings.Contains(err.Error(), "stalled") {
				t.Fatalf("stalled push: error %v", err)
			}
			lockFree(t, a)
			// The stalled pack may still reach the server once it answers again (the
			// proxy forwards what it held): either way the next sync leaves origin at
			// this side's commit.
			p.letGo()
			a.idle = 0
			a.mustSync()
			if got, want := runGit(t, bare, "rev-parse", "main"), runGit(t, a.dir, "rev-parse", "HEAD"); got != want {
				t.Fatalf("origin at %s, a at %s", got, want)
			}
			a.check(map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, "alice/2026-12-02.md": "from a\n"})
			fsck(t, bare)
		})
	}
}

// remoteURL returns origin's URL as stored.
func remoteURL(t *testing.T, m *machine) string {
	t.Helper()
	u, ok, err := m.st.RemoteURL()
	if err != nil || !ok {
		t.Fatalf("no origin: %v", err)
	}
	return u
}
