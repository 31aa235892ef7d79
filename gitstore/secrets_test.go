package gitstore

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneone/oneone/sealed"
)

// Values that look like credentials are never committed, by a command or by
// sync: the error names the file and the line, the other files still go.
func TestCredentialsNeverCommitted(t *testing.T) {
	secrets := []struct{ kind, text string }{
		{"github", "token: ghp_" + strings.Repeat("a1B2", 9) + "\n"},
		{"github-short", "token: ghp_CANARY1\n"},
		{"github-pat", "- github_pat_11ABCDEFG0123456789_abcdefghijklmnop\n"},
		{"gitlab", "  url: https://x/?t=glpat-abcdefghijklmnopqrst\n"},
		{"slack", "slack: xoxb-123456789012-abcdefABCDEF\n"},
		{"aws", "AKIAIOSFODNN7EXAMPLE is the key id\n"},
		{"private-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"},
		{"rsa-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n"},
		{"age", "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS\n"},
		{"age-pq", "- AGE-SECRET-KEY-PQ-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS\n"},
	}
	for _, sec := range secrets {
		t.Run(sec.kind, func(t *testing.T) {
			isolate(t)
			root, bare := newBare(t)
			m := newMachine(t, daemonRemote(t, root))
			m.write("alice/profile.md", "---\nname: Alice\n---\n")
			m.write("alice/2026-11-25.md", "# 1:1\n\nline two\n"+sec.text)
			// a command's commit of named files is refused as a whole
			_, err := m.st.Commit("alice: new", Author{"Dana", "d@example.com"}, "alice/profile.md", "alice/2026-11-25.md")
			var ce *CredentialError
			if !errors.As(err, &ce) || ce.Path != "alice/2026-11-25.md" || ce.Line != 4 || !strings.Contains(err.Error(), "alice/2026-11-25.md:4:") {
				t.Fatalf("Commit: %v", err)
			}
			if h, _ := m.st.Head(); h != "" {
				t.Fatal("Commit made a commit")
			}
			// sync leaves that file out, commits and pushes the rest, and says which line
			res, err := m.sync()
			if err != nil {
				t.Fatalf("sync: %v", err)
			}
			if len(res.Committed) != 1 || res.Committed[0] != "alice/profile.md" || len(res.Refused) != 1 || res.Refused[0].Path != "alice/2026-11-25.md" || res.Refused[0].Line != 4 {
				t.Fatalf("sync: committed %v, refused %+v", res.Committed, res.Refused)
			}
			out, err := exec.Command("git", "--git-dir="+bare, "cat-file", "--batch-all-objects", "--batch").Output()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), "line two") || strings.Contains(string(out), strings.TrimSpace(sec.text)) {
				t.Fatal("the refused file reached the remote")
			}
			// once the line is gone, the note is synced
			m.write("alice/2026-11-25.md", "# 1:1\n\nline two\n")
			if res := m.mustSync(); len(res.Committed) != 1 || len(res.Refused) != 0 {
				t.Fatalf("sync after the fix: %+v", res)
			}
		})
	}
	// Words that only mention such things are no credentials.
	isolate(t)
	m := newMachine(t, "")
	m.write("a.md", "the ghp_ prefix marks GitHub tokens; AKIA keys too\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
	if _, err := m.st.Commit("a", Author{"Dana", "d@example.com"}, "a.md"); err != nil {
		t.Fatalf("harmless text refused: %v", err)
	}
	// age public keys (recipients: in oneone.yaml) are no secret: committed
	id, _, err := sealed.LoadOrCreateIdentity(filepath.Join(t.TempDir(), "identity.txt"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m.write("oneone.yaml", "manager: Dana\nrecipients:\n  - "+id.Public()+"\n  - "+strings.ToLower(id.Public())+"\n")
	if _, err := m.st.Commit("recipients: add", Author{"Dana", "d@example.com"}, "oneone.yaml"); err != nil {
		t.Fatalf("an age public key refused: %v", err)
	}
}
