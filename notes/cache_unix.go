//go:build linux || darwin

package notes

import (
	"os"

	"golang.org/x/sys/unix"
)

const canStat = true

// statAll returns the stat key of each regular file names[i] in dir (nil for
// anything else: a link, a folder, a file that is gone) and which names are
// folders, with fstatat relative to the folder: no path lookups.
func statAll(dir string, names []string) ([]*statKey, []bool) {
	keys := make([]*statKey, len(names))
	dirs := make([]bool, len(names))
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return keys, dirs
	}
	defer unix.Close(fd)
	slab := make([]statKey, len(names))
	var st unix.Stat_t
	for i, name := range names {
		if unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) != nil {
			continue
		}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFREG:
			slab[i] = statKey{Size: st.Size, Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano(), Ino: uint64(st.Ino)}
			keys[i] = &slab[i]
		case unix.S_IFDIR:
			dirs[i] = true
		}
	}
	return keys, dirs
}

// openNoFollow opens a file for reading, failing on a symbolic link.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW, 0)
}
