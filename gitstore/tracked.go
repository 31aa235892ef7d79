package gitstore

import (
	"github.com/go-git/go-git/v5/plumbing/object"
)

// InHead reports whether the current commit holds a file at the repository-relative path.
func (s *Store) InHead(path string) bool {
	_, h, err := s.head()
	if err != nil || h.IsZero() {
		return false
	}
	c, err := object.GetCommit(s.repo.Storer, h)
	if err != nil {
		return false
	}
	_, err = c.File(path)
	return err == nil
}
