//go:build linux || darwin

package gitstore

import (
	"io/fs"
	"time"

	"golang.org/x/sys/unix"
)

// folderStat stats the files of one folder relative to the folder: one
// fstatat each, without a path lookup from the root or an os.FileInfo.
type folderStat struct{ fd int }

func openFolderStat(dir string) (*folderStat, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	return &folderStat{fd}, nil
}

func (f *folderStat) close() { unix.Close(f.fd) }

// lstat stats name in the folder without following a link.
func (f *folderStat) lstat(name string) (fileStat, error) {
	var sys unix.Stat_t
	if err := unix.Fstatat(f.fd, name, &sys, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fileStat{}, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	st := fileStat{
		size:  sys.Size,
		mtime: time.Unix(int64(sys.Mtim.Sec), int64(sys.Mtim.Nsec)),
		ctime: time.Unix(int64(sys.Ctim.Sec), int64(sys.Ctim.Nsec)),
		dev:   uint64(sys.Dev), ino: uint64(sys.Ino), uid: sys.Uid, gid: sys.Gid,
		mode: fs.FileMode(sys.Mode & 0o777),
	}
	switch sys.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFLNK:
		st.mode |= fs.ModeSymlink
	case unix.S_IFDIR:
		st.mode |= fs.ModeDir
	default:
		st.mode |= fs.ModeIrregular
	}
	return st, nil
}
