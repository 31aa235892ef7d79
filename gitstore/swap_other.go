//go:build !linux

package gitstore

import (
	"errors"
	"os"
)

// replaceIfUnchanged puts tmp at full only when full is still what was
// checked; without renameat2 the check comes right before the rename.
func replaceIfUnchanged(tmp, full string, absent bool, still func(os.FileInfo) bool) (bool, error) {
	return replaceAfterCheck(tmp, full, absent, still)
}

// removeIfUnchanged removes full only when it is still what was checked.
func removeIfUnchanged(full, aside string, still func(os.FileInfo) bool) (bool, string, error) {
	fi, err := os.Lstat(full)
	if errors.Is(err, os.ErrNotExist) {
		return true, "", nil
	}
	if err != nil || !still(fi) {
		return false, "", err
	}
	if err := os.Remove(full); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, "", err
	}
	return true, "", nil
}
