package gitstore

import (
	"os"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// fileStat is what an index entry records of a file's lstat.
type fileStat struct {
	mode         os.FileMode
	size         int64
	mtime, ctime time.Time
	dev, ino     uint64
	uid, gid     uint32
}

// fillStat records st in e, as git does, so that `git status` trusts the entry.
func fillStat(e *index.Entry, st fileStat) {
	e.ModifiedAt = st.mtime
	e.CreatedAt = st.ctime
	e.Size = uint32(st.size)
	e.Dev = uint32(st.dev)
	e.Inode = uint32(st.ino)
	e.UID = st.uid
	e.GID = st.gid
}
