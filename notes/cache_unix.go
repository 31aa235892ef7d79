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

// readNoFollow reads the regular file at path into buf (reused), up to max+1
// bytes; a link, or anything that would block (a FIFO put there since the
// stat), is an error. Plain system calls: os.File's open registers every
// file with the poller and allocates, which was a tenth of a cold audit.
//
// size is the file's size as its stat said (-1: unknown): a read that
// brings the file to exactly that size, short of the buffer, is taken as
// the end of the file, which spares the read that would return 0 (one
// system call per note, 42,560 on the large bench repository, about 3% of
// a cold audit). A file that grew since its stat is seen by the next run,
// whose stat key differs.
func readNoFollow(path string, buf []byte, max, size int) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return buf, err
	}
	defer unix.Close(fd)
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grown since the stat
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return buf, err
		case n == 0:
			return buf, nil
		}
		buf = buf[:len(buf)+n]
		if len(buf) > max || (len(buf) == size && len(buf) < cap(buf)) {
			return buf, nil
		}
	}
}

// mapIndex maps the cache file read-only and returns its bytes [start,
// start+size), or nil when it cannot be mapped (then the caller reads them).
// The index is 15 MB on large-items, mostly item texts: reading it into the
// heap was 3,600 page faults (a quarter of a warm audit's) and a copy, where
// the file's pages, already in the page cache, map 16 to a fault. Never
// unmapped: the decoded summaries are strings into it. The cache is only
// ever replaced by a rename, never rewritten in place, so the mapped pages
// stay those of the file that was checked.
func mapIndex(f *os.File, fileSize, start, size int64) []byte {
	if fileSize <= 0 || fileSize > 1<<31 || size == 0 {
		return nil
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(fileSize), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return b[start : start+size : start+size]
}
