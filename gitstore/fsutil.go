package gitstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

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

// cleanPackTemp removes what an interrupted or failed fetch of go-git leaves in
// .git/objects/pack: tmp_pack_* and tmp_obj_* files. go-git names them with
// decimal digits (os.CreateTemp); git's own (six letters and digits) are left
// to git unless they are over an hour old. Only with the repository lock held.
func (s *Store) cleanPackTemp() {
	dir := filepath.Join(s.gitDir, "objects", "pack")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, "tmp_pack_")
		if !ok {
			if rest, ok = strings.CutPrefix(name, "tmp_obj_"); !ok {
				continue
			}
		}
		if e.IsDir() {
			continue
		}
		ours := rest != "" && strings.Trim(rest, "0123456789") == "" && len(rest) != 6
		if !ours {
			fi, err := e.Info()
			if err != nil || time.Since(fi.ModTime()) < time.Hour {
				continue
			}
		}
		_ = os.Remove(filepath.Join(dir, name))
	}
}

// IsDiskFull reports whether err means the disk is full.
func IsDiskFull(err error) bool {
	return err != nil && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || strings.Contains(err.Error(), "no space left on device"))
}

// diskFullError says that the disk holding dir is full, in one line that names
// the fix; errors.Is still sees the cause.
type diskFullError struct {
	op, dir string
	err     error
}

func (e *diskFullError) Error() string {
	return fmt.Sprintf("%s: the disk is full (no space left on the disk holding %s): free some space, then run `oneone sync` again (your notes are committed locally)", e.op, e.dir)
}
func (e *diskFullError) Unwrap() error { return e.err }
