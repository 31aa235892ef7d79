package gitstore

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// The fast index reader agrees with go-git's decoder on an index written by real git.
func TestDecodeIndexFast(t *testing.T) {
	needGit(t)
	isolate(t)
	dir := t.TempDir()
	runGit(t, dir, "init", "-q", "-b", "main")
	for _, p := range []string{"a.md", "b/c.md", "b/d/e.md", "long/" + string(bytes.Repeat([]byte("x"), 300)) + ".md"} {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o700)
		os.WriteFile(full, []byte(p), 0o600)
	}
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-qm", "x") // writes a TREE extension too
	data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeIndexFast(data)
	if err != nil {
		t.Fatal(err)
	}
	want := &index.Index{}
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(want); err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != len(want.Entries) {
		t.Fatalf("%d entries, want %d", len(got.Entries), len(want.Entries))
	}
	for i := range got.Entries {
		if !reflect.DeepEqual(*got.Entries[i], *want.Entries[i]) {
			t.Fatalf("entry %d:\n got %+v\nwant %+v", i, *got.Entries[i], *want.Entries[i])
		}
	}
}
