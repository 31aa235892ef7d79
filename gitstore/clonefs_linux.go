package gitstore

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS flushes to disk everything written on the file system holding dir.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
