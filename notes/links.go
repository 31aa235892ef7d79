package notes

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CheckNoLinks refuses a repository-relative path that goes through a
// symbolic link to a folder (a report folder or templates/ pointing elsewhere):
// oneone never reads or writes outside the repository. The last element is not
// checked here; readLimited and WriteFileAtomic refuse links themselves.
func CheckNoLinks(root, rel string) error {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	cur := root
	for _, p := range parts[:len(parts)-1] {
		cur = filepath.Join(cur, p)
		fi, err := os.Lstat(cur)
		if err != nil {
			return nil // missing: the caller reports it
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link; oneone does not follow links out of the repository: replace it with a real folder", strings.TrimPrefix(filepath.ToSlash(strings.TrimPrefix(cur, root)), "/"))
		}
	}
	return nil
}
