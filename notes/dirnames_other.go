//go:build !linux

package notes

import (
	"os"
	"slices"
)

// readDirNames lists a folder by name, sorted: cheaper than os.ReadDir, which
// also sorts DirEntry values through an interface. Plain strings, not
// DirEntry values: boxing each name in an interface was an allocation per note.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}
