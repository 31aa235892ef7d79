//go:build unix

package notes

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/oneone/oneone/internal/benchgen"
)

// TestHostileCacheFile: whatever sits at .git/oneone-cache (a FIFO, which
// would block an open; an empty file, which cannot be mapped; garbage; a
// symlink to a note), the audit is a full scan's, with no hang and no crash.
func TestHostileCacheFile(t *testing.T) {
	dir := t.TempDir()
	if err := benchgen.WriteFiles(dir, benchgen.Spec{Name: "tiny", Reports: 3, Years: 1, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o700); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := fullAudit(t, r)
	cache := filepath.Join(dir, ".git", CacheFile)
	notes, _ := filepath.Glob(filepath.Join(dir, "*", "*.md"))
	for name, make := range map[string]func() error{
		"fifo":    func() error { return syscall.Mkfifo(cache, 0o600) },
		"empty":   func() error { return os.WriteFile(cache, nil, 0o600) },
		"garbage": func() error { return os.WriteFile(cache, bytes.Repeat([]byte("oneone\x00\xff"), 4096), 0o600) },
		"symlink": func() error { return os.Symlink(notes[0], cache) },
	} {
		t.Run(name, func(t *testing.T) {
			WaitCache()
			os.Remove(cache)
			if err := make(); err != nil {
				t.Fatal(err)
			}
			got, _ := summaryAudit(t, r)
			if !bytes.Equal(got, want) {
				t.Fatalf("audit over a %s cache differs from a full scan:\n%s", name, firstDiff(got, want))
			}
		})
	}
	WaitCache()
}
