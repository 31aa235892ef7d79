//go:build !linux && !darwin

package gitstore

import (
	"os"
	"path/filepath"
)

// statOf converts what os.Lstat returned.
func statOf(fi os.FileInfo) fileStat {
	return fileStat{mode: fi.Mode(), size: fi.Size(), mtime: fi.ModTime(), ctime: fi.ModTime()}
}

// folderStat stats the files of one folder.
type folderStat struct{ dir string }

func openFolderStat(dir string) (*folderStat, error) { return &folderStat{dir}, nil }

func (f *folderStat) close() {}

// lstat stats name in the folder without following a link.
func (f *folderStat) lstat(name string) (fileStat, error) {
	fi, err := os.Lstat(filepath.Join(f.dir, name))
	if err != nil {
		return fileStat{}, err
	}
	return statOf(fi), nil
}
