package gitstore

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oneone/oneone/sealed"
)

// recoveryScript returns the script of docs/encrypted-remote.md's recovery
// section, exactly as written there.
func recoveryScript(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "encrypted-remote.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- recovery:begin -->\n```sh\n(.*?)```\n<!-- recovery:end -->").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/encrypted-remote.md has no recovery script between <!-- recovery:begin --> and <!-- recovery:end -->")
	}
	return string(m[1])
}

// The notes come back with the age and git binaries alone, by the documented
// procedure: over several generations (a recipient added), several packs, a
// merge; with each recipient's key. The recovered repository has the same
// commits and files as the computers that sync with it.
func TestEncryptedRecoveryWithAgeAndGitAlone(t *testing.T) {
	ageBin, err := exec.LookPath("age")
	if err != nil {
		t.Fatal("the age binary is not installed (Debian: apt-get install age; .ci/run installs it): the recovery procedure needs it")
	}
	script := recoveryScript(t)
	url, bare, env := encRemote(t, "http")
	a := encMachine(t, url, env)
	a.config(a.key())
	a.write("alice/profile.md", "---\nname: Alice Chen\n---\n")
	a.write("alice/2026-11-18.md", encNote("2026-11-18", "first"))
	a.encrypt()
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	a.write("alice/2026-11-25.md", encNote("2026-11-25", "second"))
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	b := encMachine(t, "", env)
	a.config(a.key(), b.key()) // generation 2
	if _, err := a.st.Sync(a.opts()); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "b")
	st, _, err := Clone(url, dir, b.opts())
	if err != nil {
		t.Fatal(err)
	}
	b.st, b.dir = st, dir
	b.write("bob/profile.md", "---\nname: Bob\n---\n")
	a.write("alice/2026-12-02.md", encNote("2026-12-02", "third"))
	for _, m := range []*machine{b, a, b} { // a merges
		if _, err := m.st.Sync(m.opts()); err != nil {
			t.Fatal(err)
		}
	}
	if packs := strings.Count(runGit(t, bare, "ls-tree", "-r", "--name-only", "main", "packs"), "\n"); packs < 3 {
		t.Fatalf("the generation holds %d packs: the test wants several", packs)
	}
	want := a.files()
	head, _ := a.st.Head()
	for _, m := range []*machine{a, b} {
		out := filepath.Join(t.TempDir(), "recovered")
		cmd := exec.Command("sh", "-c", script)
		// the URL with the credentials in it: plain git over http, no oneone
		authed := strings.Replace(url, "http://", "http://dana:tok-enc-4411@", 1)
		cmd.Env = append(os.Environ(), "URL="+authed, "IDENTITY="+m.env[sealed.IdentityEnv], "OUT="+out,
			"PATH="+filepath.Dir(ageBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
			"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the documented recovery failed with %s's key: %v\n%s", m.dir, err, o)
		}
		rec := &machine{t: t, dir: out}
		rec.check(want) // same files, git fsck --strict, clean status
		if got := strings.TrimSpace(runGit(t, out, "rev-parse", "HEAD")); got != head {
			t.Fatalf("recovered HEAD %s, want %s", got, head)
		}
		if got, want := runGit(t, out, "log", "--format=%H %s"), runGit(t, a.dir, "log", "--format=%H %s", "HEAD"); got != want {
			t.Fatalf("recovered history:\n%s\nwant\n%s", got, want)
		}
	}
	// a key that is not listed recovers nothing
	c := encMachine(t, "", env)
	out := filepath.Join(t.TempDir(), "nothing")
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = append(os.Environ(), "URL="+strings.Replace(url, "http://", "http://dana:tok-enc-4411@", 1), "IDENTITY="+c.env[sealed.IdentityEnv], "OUT="+out, "GIT_CONFIG_NOSYSTEM=1")
	if o, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(o), "no identity matched") {
		t.Fatalf("recovery with a key not listed: %v\n%s", err, o)
	}
	scanBare(t, bare, "alice", "bob/p", "name: Bob")
}
