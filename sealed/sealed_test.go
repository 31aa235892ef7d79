package sealed

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newIdentity(t *testing.T) *Identity {
	t.Helper()
	id, created, err := LoadOrCreateIdentity(filepath.Join(t.TempDir(), "oneone", "identity.txt"), time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	if err != nil || !created {
		t.Fatalf("create identity: %v %v", created, err)
	}
	return id
}

func TestIdentityFileAsAgeKeygenWritesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "oneone", "identity.txt")
	id, created, err := LoadOrCreateIdentity(path, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	if err != nil || !created {
		t.Fatal(created, err)
	}
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	if len(lines) != 4 || lines[0] != "# created: 2026-11-25T09:00:00Z" || lines[1] != "# public key: "+id.Public() ||
		!strings.HasPrefix(lines[2], "AGE-SECRET-KEY-1") || lines[3] != "" {
		t.Fatalf("identity file:\n%s", data)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Fatalf("%s: mode %v, want %v (%v)", p, fi.Mode().Perm(), want, err)
		}
	}
	again, created, err := LoadOrCreateIdentity(path, time.Now())
	if err != nil || created || again.Public() != id.Public() {
		t.Fatalf("second use: %v %v %v", created, err, again)
	}
	if age, err := exec.LookPath("age"); err == nil { // the real age reads it
		ct, err := SealBytes([]byte("hello"), []string{id.Public()})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(age, "-d", "-i", path)
		cmd.Stdin = bytes.NewReader(ct)
		out, err := cmd.Output()
		if err != nil || string(out) != "hello" {
			t.Fatalf("age -d: %q %v", out, err)
		}
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadIdentity(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a readable identity: %v", err)
	}
}

func TestLoadIdentityRefusals(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty":   "# nothing\n",
		"garbage": "# created\nnot a key at all\n",
		"pq":      "AGE-SECRET-KEY-PQ-1XYZ\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadIdentity(p)
		if err == nil || strings.Contains(err.Error(), "not a key at all") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := LoadIdentity(filepath.Join(dir, "missing")); !errors.Is(err, ErrNoIdentity) {
		t.Errorf("missing: %v", err)
	}
}

func TestParseRecipient(t *testing.T) {
	id := newIdentity(t)
	if k, err := ParseRecipient("  " + id.Public() + "\n"); err != nil || k != id.Public() {
		t.Fatalf("%q %v", k, err)
	}
	secret := "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQY"
	for _, bad := range []string{"", "age1nope", secret, "age1pq1" + strings.Repeat("q", 100), "ssh-ed25519 AAAA", id.Public()[:61] + "x"} {
		_, err := ParseRecipient(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
		} else if strings.Contains(err.Error(), "QYQSZ") {
			t.Errorf("the secret key is repeated in %q", err)
		}
	}
	two := newIdentity(t)
	set, err := Recipients([]string{two.Public(), id.Public(), two.Public()})
	if err != nil || len(set) != 2 || set[0] > set[1] {
		t.Fatalf("%v %v", set, err)
	}
}

func TestManifestChain(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	rs, _ := Recipients([]string{a.Public()})
	tip := strings.Repeat("ab", 20)
	m1, err := First("refs/heads/main", tip, rs, []string{strings.Repeat("1", 64)})
	if err != nil {
		t.Fatal(err)
	}
	t1 := m1.Encode()
	got, err := ParseManifest(t1)
	if err != nil || string(got.Encode()) != string(t1) {
		t.Fatalf("round trip: %v\n%s", err, t1)
	}
	m2 := Next(m1, t1, strings.Repeat("cd", 20), rs, []string{strings.Repeat("1", 64), strings.Repeat("2", 64)})
	if err := Follows(t1, m2); err != nil || m2.Generation != 1 || m2.Seq != 2 {
		t.Fatalf("m2: %v %+v", err, m2)
	}
	both, _ := Recipients([]string{a.Public(), b.Public()})
	m3 := Next(m2, m2.Encode(), tip, both, []string{strings.Repeat("3", 64)})
	if err := Follows(m2.Encode(), m3); err != nil || m3.Generation != 2 {
		t.Fatalf("m3: %v %+v", err, m3)
	}
	// replays and forgeries
	if err := Follows(m2.Encode(), m2); !errors.Is(err, ErrBrokenChain) {
		t.Errorf("the same manifest again: %v", err)
	}
	if err := Follows(m3.Encode(), m2); !errors.Is(err, ErrBrokenChain) {
		t.Errorf("an older manifest: %v", err)
	}
	forged := *m3
	forged.Prev = Hash([]byte("guess"))
	if err := Follows(m2.Encode(), &forged); !errors.Is(err, ErrBrokenChain) {
		t.Errorf("a forged prev: %v", err)
	}
	sneaky := *m3
	sneaky.Generation = m2.Generation
	if err := Follows(m2.Encode(), &sneaky); !errors.Is(err, ErrBrokenChain) {
		t.Errorf("new recipients in the same generation: %v", err)
	}
	for _, bad := range []string{
		"", "oneone encrypted remote v2\n", string(t1[:len(t1)-1]), strings.Replace(string(t1), "seq 1", "seq 01", 1),
		strings.Replace(string(t1), "seq 1", "seq 0", 1), string(t1) + "extra\n", strings.Replace(string(t1), "tip ", "tip x", 1),
		strings.Replace(string(m3.Encode()), "recipient "+both[0]+"\nrecipient "+both[1], "recipient "+both[1]+"\nrecipient "+both[0], 1),
	} {
		if _, err := ParseManifest([]byte(bad)); !errors.Is(err, ErrBadManifest) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestSealOpen(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	msg := bytes.Repeat([]byte("notes "), 30000) // several age chunks
	ct, err := SealBytes(msg, []string{a.Public()})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := OpenBytes(ct, a, 1<<30); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("open: %v", err)
	}
	if _, err := OpenBytes(ct, b, 1<<30); !errors.Is(err, ErrNotRecipient) || !strings.Contains(err.Error(), b.Public()) {
		t.Fatalf("another key: %v", err)
	}
	flipped := bytes.Clone(ct)
	flipped[len(flipped)-100] ^= 1
	if _, err := OpenBytes(flipped, a, 1<<30); !errors.Is(err, ErrTampered) {
		t.Fatalf("flipped: %v", err)
	}
	if _, err := OpenBytes(ct[:len(ct)-70000], a, 1<<30); !errors.Is(err, ErrTampered) {
		t.Fatalf("truncated: %v", err)
	}
	r, err := Open(bytes.NewReader(ct[:len(ct)/2]), a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r); !errors.Is(err, ErrTampered) {
		t.Fatalf("streamed truncated: %v", err)
	}
	if _, err := OpenBytes([]byte("not age"), a, 10); !errors.Is(err, ErrTampered) {
		t.Fatalf("garbage: %v", err)
	}
}
