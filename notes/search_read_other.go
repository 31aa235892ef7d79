//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package notes

import (
	"errors"
	"io"
	"os"
)

// readNoteFile reads a regular file of at most MaxNoteSize bytes into buf; it
// returns nil for a link, a file that is not regular or one that is too large.
func readNoteFile(path string, buf *[]byte) ([]byte, error) {
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > MaxNoteSize {
		return nil, nil
	}
	size := int(fi.Size())
	if cap(*buf) < size {
		*buf = make([]byte, size, max(size, 64<<10))
	}
	b := (*buf)[:size]
	got, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:got], nil
}
