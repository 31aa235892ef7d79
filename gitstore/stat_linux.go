//go:build linux

package gitstore

import (
	"os"
	"syscall"
	"time"
)

// statOf converts what os.Lstat returned.
func statOf(fi os.FileInfo) fileStat {
	st := fileStat{mode: fi.Mode(), size: fi.Size(), mtime: fi.ModTime(), ctime: fi.ModTime()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ctime = time.Unix(int64(sys.Ctim.Sec), int64(sys.Ctim.Nsec))
		st.dev, st.ino, st.uid, st.gid = uint64(sys.Dev), uint64(sys.Ino), sys.Uid, sys.Gid
	}
	return st
}
