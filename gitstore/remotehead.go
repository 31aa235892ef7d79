package gitstore

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// PointLocalHead makes a plain `git clone` of a bare repository on this
// computer check out branch: when rawURL is an absolute path or a file://
// URL whose HEAD names a branch it does not have (plain `git init --bare`
// points HEAD at master) and it has branch, HEAD is pointed at branch, as a
// git host makes the first branch pushed its default. It reports whether
// HEAD now names a branch the repository has; a remote it cannot read that
// way (a network URL, a folder that is not a bare repository) is left alone.
func PointLocalHead(rawURL, branch string) bool {
	dir := rawURL
	if strings.HasPrefix(rawURL, "file://") {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Host != "" && u.Host != "localhost") {
			return false
		}
		dir = u.Path
	}
	if !filepath.IsAbs(dir) || branch == "" {
		return false
	}
	if fi, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil || !fi.Mode().IsRegular() {
		return false // not a bare repository
	}
	r, err := git.PlainOpen(dir)
	if err != nil {
		return false
	}
	head, err := r.Storer.Reference(plumbing.HEAD)
	if err != nil || head.Type() != plumbing.SymbolicReference {
		return false
	}
	if _, err := r.Storer.Reference(head.Target()); err == nil {
		return true // HEAD names a branch it has: the owner's choice
	}
	want := plumbing.NewBranchReferenceName(branch)
	if _, err := r.Storer.Reference(want); err != nil {
		return false
	}
	return r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, want)) == nil
}
