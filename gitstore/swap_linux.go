//go:build linux

package gitstore

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// replaceIfUnchanged puts tmp at full only when full is still what was
// checked (absent, or a file that still passes still), with no window between
// the check and the rename: renameat2 RENAME_NOREPLACE when full must be
// absent, RENAME_EXCHANGE otherwise, the file swapped out checked afterwards
// and swapped back when an editor saved in between. It reports whether tmp was
// put in place; when it was not, tmp still holds the new content.
func replaceIfUnchanged(tmp, full string, absent bool, still func(os.FileInfo) bool) (bool, error) {
	if absent {
		err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, full, unix.RENAME_NOREPLACE)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, unix.EEXIST):
			return false, nil // made meanwhile
		case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS):
			return replaceAfterCheck(tmp, full, absent, still)
		}
		return false, err
	}
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, full, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
	case errors.Is(err, unix.ENOENT):
		return false, nil // removed meanwhile
	case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS):
		return replaceAfterCheck(tmp, full, absent, still)
	default:
		return false, err
	}
	// tmp now holds what was at full
	if fi, err := os.Lstat(tmp); err == nil && still(fi) {
		return true, os.Remove(tmp)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, full, unix.RENAME_EXCHANGE); err != nil {
		return false, err
	}
	return false, nil
}

// removeIfUnchanged removes full only when it is still what was checked: it
// is first renamed aside atomically, checked there, and put back when an
// editor saved in between (kept as aside's name when full was made again meanwhile).
func removeIfUnchanged(full, aside string, still func(os.FileInfo) bool) (removed bool, kept string, err error) {
	if err := os.Rename(full, aside); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return true, "", nil
		}
		return false, "", err
	}
	if fi, err := os.Lstat(aside); err == nil && still(fi) {
		return true, "", os.Remove(aside)
	}
	err = unix.Renameat2(unix.AT_FDCWD, aside, unix.AT_FDCWD, full, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EEXIST) {
		return false, aside, nil
	}
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		if _, err := os.Lstat(full); err == nil {
			return false, aside, nil
		}
		err = os.Rename(aside, full)
	}
	return false, "", err
}
