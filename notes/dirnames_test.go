package notes

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadDirNamesMatchesReadDir: the getdents listing (several buffers
// full here: 3,000 names of up to 60 bytes) gives exactly os.ReadDir's names.
func TestReadDirNamesMatchesReadDir(t *testing.T) {
	dir := t.TempDir()
	for i := range 3000 {
		name := fmt.Sprintf("%04d-%s.md", i, strings.Repeat("x", i%50))
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.md"), 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range entries {
		want = append(want, e.Name())
	}
	got, err := readDirNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("readDirNames: %d names, os.ReadDir %d; first difference near %v", len(got), len(want), dirDiff(got, want))
	}
	if _, err := readDirNames(filepath.Join(dir, "missing")); err == nil || !os.IsNotExist(err) {
		t.Fatalf("missing folder: %v, want a not-exist error", err)
	}
}

func dirDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + " / " + b[i]
		}
	}
	return "the end"
}
