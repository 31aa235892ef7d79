package notes

import (
	"encoding/binary"
	"io/fs"
	"slices"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// direntBufs are getdents buffers, reused across folders and loads.
var direntBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// readDirNames lists a folder by name, sorted, with getdents into a 64 KiB
// buffer: a folder of 500 notes (about 16 KiB of entries) in one call plus
// the one that sees the end, where os.File.Readdirnames reads 8 KiB at a time
// and allocates a string per name. Here every name of a folder shares one
// allocation. On large-items readDirNames was 12-16% of a warm audit's CPU.
func readDirNames(dir string) ([]string, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	bp := direntBufs.Get().(*[]byte)
	defer direntBufs.Put(bp)
	buf := *bp
	var names []string
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			break
		}
		names = appendDirents(names, buf[:n])
	}
	slices.Sort(names)
	return names, nil
}

// appendDirents appends the names of the linux_dirent64 records in b (but
// "." and ".."), all in one new allocation.
func appendDirents(names []string, b []byte) []string {
	arena := make([]byte, 0, len(b)) // names are shorter than their records
	for len(b) >= 19 {
		reclen := int(binary.NativeEndian.Uint16(b[16:18]))
		if reclen < 19 || reclen > len(b) {
			break
		}
		name := b[19:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		b = b[reclen:]
		if len(name) == 0 || string(name) == "." || string(name) == ".." {
			continue
		}
		start := len(arena)
		arena = append(arena, name...)
		names = append(names, unsafe.String(&arena[start], len(name)))
	}
	return names
}
