package notes

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// File and folder modes: notes are private HR material.
const (
	FileMode os.FileMode = 0o600
	DirMode  os.FileMode = 0o700
)

// TempMarker is part of every temporary file name oneone writes, so that leftovers can be found.
const TempMarker = ".oneone-tmp-"

// MkdirPrivate creates dir and its missing parents with mode 0700, whatever the umask.
func MkdirPrivate(dir string) error {
	if fi, err := os.Lstat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a folder", dir)
		}
		return nil
	}
	if err := MkdirPrivate(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, DirMode); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return os.Chmod(dir, DirMode)
}

// ReplaceFileAtomic rewrites a file of the user's (a profile, oneone.yaml,
// GUIDE.md) atomically, refusing one the user made read-only (no owner write
// permission), a link or anything but a regular file.
func ReplaceFileAtomic(path string, data []byte) error {
	fi, err := RegularOrMissing(path)
	if err != nil {
		return err
	}
	if fi != nil && fi.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%s is read-only: make it writable (chmod u+w) if oneone may change it", path)
	}
	return WriteFileAtomic(path, data)
}

// RegularOrMissing returns what is at path when it is a regular file, nil when
// nothing is, and an error naming the path for anything else (a link, a
// folder, a FIFO), which oneone never writes over.
func RegularOrMissing(path string) (os.FileInfo, error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file (a link?): replace it with a file or remove it", path)
	}
	return fi, nil
}

// ReadFileLimited reads a regular file of at most max bytes, refusing a link,
// a FIFO or a device (which could hang or leak what lies outside the repository).
func ReadFileLimited(path string, max int64) ([]byte, error) { return readLimited(path, max) }

// WriteFileAtomic writes data to path through a temporary file in the same
// folder, fsync and rename, so that path holds either the old or the new
// content; the file gets mode 0600. It refuses to write through a symlink.
func WriteFileAtomic(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link; oneone does not write through links", path)
	}
	return WriteFileMode(path, data, FileMode, "write")
}

// WriteFileMode is the atomic write behind WriteFileAtomic, with the file's mode
// (set whatever the umask) and the prefix of its test crash points.
func WriteFileMode(path string, data []byte, mode os.FileMode, crash string) error {
	dir := filepath.Dir(path)
	tmp := TempPath(path)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	CrashPoint(crash + "-temp")
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	CrashPoint(crash + "-renamed")
	return nil
}

// CreateFileAtomic is WriteFileAtomic that never replaces an existing file.
func CreateFileAtomic(path string, data []byte) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, ErrNoteExists)
	}
	tmp := TempPath(path)
	if err := WriteFileAtomic(tmp, data); err != nil {
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	// link fails if path appeared meanwhile: never overwrite
	if err := os.Link(tmp, path); err != nil {
		os.Remove(tmp)
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrNoteExists)
		}
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	CrashPoint("create-linked")
	return os.Remove(tmp)
}

// MaxNameBytes is the longest file name that common file systems hold (ext4,
// APFS, NTFS): a name git accepts from a remote may be that long.
const MaxNameBytes = 255

// TempPath returns a new temporary file name in path's folder,
// ".<name>.oneone-tmp-<random>", with the name shortened (at a character
// boundary) so that it fits MaxNameBytes however long path's name is.
func TempPath(path string) string {
	dir, base := filepath.Split(path)
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	suffix := TempMarker + hex.EncodeToString(rnd[:])
	return filepath.Join(dir, "."+TruncateName(base, MaxNameBytes-1-len(suffix))+suffix)
}

// TruncateName cuts name to at most max bytes without splitting a UTF-8 character.
func TruncateName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	if max < 0 {
		max = 0
	}
	for max > 0 && !utf8.RuneStart(name[max]) {
		max--
	}
	return name[:max]
}

// CleanTemp removes temporary files left in dir by an interrupted oneone.
func CleanTemp(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), TempMarker) && !e.IsDir() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// pathless returns the system error under err's path errors: messages name
// the file the user asked for, not oneone's temporary file.
func pathless(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}
