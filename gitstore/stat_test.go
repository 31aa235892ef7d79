//go:build linux || darwin

package gitstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCommitAllSeesSameSizeEditsWithTheMtimeKept: an edit that keeps the size and the
// modification time (`sed -i ...; touch -r ref file`) is still seen, as git sees it,
// from the inode or the change time the index records; a change of the change time alone
// (a touch) is no edit and only refreshes the index entry.
func TestCommitAllSeesSameSizeEditsWithTheMtimeKept(t *testing.T) {
	old := time.Date(2020, 1, 2, 3, 4, 5, 600, time.UTC) // well before the index is written: not racy
	tests := []struct {
		name     string
		edit     func(t *testing.T, p string)
		content  string // after the edit
		wantEdit bool
	}{{
		name: "replaced by rename (sed -i), mtime kept",
		edit: func(t *testing.T, p string) {
			tmp := p + ".sed"
			writeWithMtime(t, tmp, "bbbb\n", old)
			if err := os.Rename(tmp, p); err != nil {
				t.Fatal(err)
			}
		},
		content: "bbbb\n", wantEdit: true,
	}, {
		name: "rewritten in place, mtime kept",
		edit: func(t *testing.T, p string) {
			recorded := ctimeOf(t, p)
			// The change time moves with the kernel's clock tick: rewrite until it did
			// (at most a few milliseconds of retries; the content is the same each time).
			for deadline := time.Now().Add(5 * time.Second); ctimeOf(t, p).Equal(recorded); {
				if time.Now().After(deadline) {
					t.Skip("the change time does not move on this file system")
				}
				writeWithMtime(t, p, "cccc\n", old)
			}
		},
		content: "cccc\n", wantEdit: true,
	}, {
		name: "touched only",
		edit: func(t *testing.T, p string) {
			recorded := ctimeOf(t, p)
			for deadline := time.Now().Add(5 * time.Second); ctimeOf(t, p).Equal(recorded); {
				if time.Now().After(deadline) {
					t.Skip("the change time does not move on this file system")
				}
				if err := os.Chtimes(p, old, old); err != nil {
					t.Fatal(err)
				}
			}
		},
		content: "aaaa\n",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			needGit(t)
			isolate(t)
			m := newMachine(t, "")
			a := Author{"Dana", "dana@example.com"}
			p := filepath.Join(m.dir, "a.md")
			writeWithMtime(t, p, "aaaa\n", old)
			if _, _, err := m.st.CommitAll(a); err != nil {
				t.Fatal(err)
			}
			tc.edit(t, p)
			paths, _, err := m.st.CommitAll(a)
			if tc.wantEdit {
				if err != nil || strings.Join(paths, ",") != "a.md" {
					t.Fatalf("CommitAll after the edit: %v %v", paths, err)
				}
				if got := runGit(t, m.dir, "show", "HEAD:a.md"); got != tc.content {
					t.Fatalf("committed %q, want %q", got, tc.content)
				}
			} else if !errors.Is(err, ErrNothingChanged) {
				t.Fatalf("CommitAll after a touch: %v %v", paths, err)
			}
			// The index now records the file as it is: nothing left to see or refresh.
			idx, _, err := m.st.readIndex()
			if err != nil {
				t.Fatal(err)
			}
			if e := idx.Entries[0]; !e.CreatedAt.Equal(ctimeOf(t, p)) || !e.ModifiedAt.Equal(old) {
				t.Fatalf("index entry ctime %v mtime %v, file ctime %v", e.CreatedAt, e.ModifiedAt, ctimeOf(t, p))
			}
			if got := runGit(t, m.dir, "status", "--porcelain"); got != "" {
				t.Fatalf("git status: %q", got)
			}
		})
	}
}

func writeWithMtime(t *testing.T, p, content string, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func ctimeOf(t *testing.T, p string) time.Time {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return statOf(fi).ctime
}
