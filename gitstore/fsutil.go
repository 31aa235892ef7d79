package gitstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/oneone/oneone/notes"
)

// TempMarker is part of every temporary file name oneone writes (".<name>.oneone-tmp-<random>").
const TempMarker = notes.TempMarker

// IsTempFile reports whether a file name is one of oneone's temporary files.
func IsTempFile(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, TempMarker)
}

// WriteFileAtomic writes data to path with mode 0600: temp file in the same folder, fsync, rename.
func WriteFileAtomic(path string, data []byte) error {
	return writeFileAtomicMode(path, data, 0o600)
}

func writeFileAtomicMode(path string, data []byte, mode os.FileMode) error {
	return notes.WriteFileMode(path, data, mode, "git-write")
}

// mkdirAll creates dir and its missing parents with mode 0700 whatever the umask.
func mkdirAll(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a folder", dir)
		}
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := mkdirAll(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// cleanTemp removes oneone temp files directly inside dir (never recursive).
func cleanTemp(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() && IsTempFile(e.Name()) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
