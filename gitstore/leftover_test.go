package gitstore

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// packTemps lists what a fetch left in .git/objects/pack.
func packTemps(t *testing.T, m *machine) []string {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(m.dir, ".git", "objects", "pack", "tmp_*"))
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// A fetch killed mid-pack (SIGKILL) leaves go-git's tmp_pack_* behind: the next
// sync removes it and works; a temporary file of git's own that is still fresh
// (a `git fetch` running beside oneone) is left alone.
func TestSyncRemovesKilledFetchLeftovers(t *testing.T) {
	a, b, bare := pair(t, "daemon")
	big := bigNote(1 << 20)
	a.write("alice/2026-12-02.md", big)
	a.mustSync()
	p, url := startProxy(t, remoteURL(t, b), func(int, string) stall { return stall{64 << 10, -1} })
	runGit(t, b.dir, "remote", "set-url", "origin", url)

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 { // two killed fetches: leftovers must not pile up
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "GITSTORE_HELPER=sync", "GITSTORE_DIR="+b.dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		<-p.stalled // mid-pack: the pack is being written
		if round == 1 && len(packTemps(t, b)) > 1 {
			t.Fatalf("leftovers of the first killed fetch still there while the second runs: %v", packTemps(t, b))
		}
		if len(packTemps(t, b)) == 0 {
			t.Fatal("no temporary pack while the fetch runs: the test does not reproduce a killed fetch")
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	if len(packTemps(t, b)) == 0 {
		t.Fatal("the killed fetch left nothing: the test reproduces nothing")
	}
	gitTemp := filepath.Join(b.dir, ".git", "objects", "pack", "tmp_pack_Ab3xQ9")
	writeFile(t, gitTemp, "git's own, in use")
	p.letGo()
	b.mustSync()
	if left := packTemps(t, b); len(left) != 1 || left[0] != gitTemp {
		t.Fatalf("after the next sync: %v, want only git's own %s", left, gitTemp)
	}
	os.Remove(gitTemp)
	b.check(map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, "alice/2026-12-02.md": big})
	fsck(t, bare)
}

// A full disk during a fetch is reported as a full disk, not as offline, and
// leaves no temporary pack behind, however often sync is retried. The disk is
// a 512 KiB tmpfs mounted in a user and mount namespace of its own.
func TestSyncFullDisk(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare not installed")
	}
	if out, err := exec.Command("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /tmp && echo ok").CombinedOutput(); err != nil || !strings.Contains(string(out), "ok") {
		t.Skipf("cannot mount a tmpfs in a user namespace here: %v %s", err, out)
	}
	a, _, _ := pair(t, "daemon")
	a.write("alice/2026-12-02.md", bigNote(2<<20))
	a.mustSync()
	mnt := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs -o size=512k tmpfs "$1" && exec "$2" -test.run='^$'`, "sh", mnt, exe)
	cmd.Env = append(os.Environ(), "GITSTORE_HELPER=fulldisk", "GITSTORE_DIR="+filepath.Join(mnt, "notes"), "GITSTORE_URL="+remoteURL(t, a))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	n := 0
	for sc.Scan() {
		var r struct {
			Error         string
			Offline, Full bool
			Leftovers     int
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("helper said %q: %v", sc.Text(), err)
		}
		n++
		if r.Offline || !r.Full || !strings.Contains(r.Error, "disk is full") || !strings.Contains(r.Error, "free some space") || strings.Contains(r.Error, "\n") {
			t.Errorf("sync %d on a full disk: %+v", n, r)
		}
		if r.Leftovers != 0 {
			t.Errorf("sync %d left %d temporary files in .git/objects/pack", n, r.Leftovers)
		}
	}
	if n != 3 {
		t.Fatalf("helper ran %d syncs:\n%s", n, out)
	}
}
