package gitstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// The organisation's repository (managers/NAME.json, one summary per
// manager) is a git repository of its own. This computer's copy of it is a
// Mirror under .git/oneone/org, like the shared agendas' copies: probe,
// fetch, read, publish as a fast-forward on top of the remote's tip.

// OrgRepo is this computer's copy of the organisation's repository.
type OrgRepo struct{ *Mirror }

// orgHints are the words of the organisation repository's error messages.
var orgHints = mirrorHints{name: "the organisation's repository ",
	notFound: "ask for the organisation repository's URL, or check it in oneone.yaml (org: remote)",
	again:    "try again when online", answers: "try again when it answers", access: "write access to the organisation's repository"}

// OrgTip is the organisation remote's branch and the commit it points at ("" when the remote is empty).
type OrgTip struct {
	Branch string
	Commit string
}

// OrgFile is a file of the organisation's repository, read with a size bound.
type OrgFile struct {
	Path    string
	Data    []byte
	Problem string // why it was not read: too large, a link, not a file
}

// orgDir is where the organisation repository's copy lives inside .git.
func (s *Store) orgDir() string { return filepath.Join(s.gitDir, "oneone", "org") }

// HasOrgRepo reports whether this computer has a copy of the organisation's repository.
func (s *Store) HasOrgRepo() bool {
	fi, err := os.Lstat(filepath.Join(s.orgDir(), "HEAD"))
	return err == nil && fi.Mode().IsRegular()
}

// OrgRepo opens (creating it the first time) this computer's copy of the organisation's repository.
func (s *Store) OrgRepo() (*OrgRepo, error) {
	m, err := openMirror(s.orgDir(), orgHints)
	if err != nil {
		return nil, fmt.Errorf("open the copy of the organisation's repository (%s): %w", s.orgDir(), err)
	}
	return &OrgRepo{m}, nil
}

// OpenBareOrgRepo opens a bare repository holding an organisation's summaries, to read it.
func OpenBareOrgRepo(dir string) (*OrgRepo, error) {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return nil, err
	}
	return &OrgRepo{&Mirror{st: &Store{dir: dir, gitDir: dir, repo: repo}, dir: dir, hints: orgHints}}, nil
}

// SetRemote checks url as `oneone remote` does (https, ssh, git or a local
// bare repository; no remote helper, no query string) and remembers it
// without credentials.
func (o *OrgRepo) SetRemote(url string) error { return o.st.SetRemote(url) }

// Probe asks the organisation's remote where its branch is, without
// fetching: its default branch, else its only one, else main.
func (o *OrgRepo) Probe(ctx context.Context, url string, opts SyncOptions) (OrgTip, error) {
	adv, err := o.refs(ctx, url, opts)
	if err != nil {
		return OrgTip{}, err
	}
	name := adv.Head
	if name == "" && len(adv.Branches) == 1 {
		for n := range adv.Branches {
			name = n
		}
	}
	if name == "" {
		if _, ok := adv.Branches[plumbing.NewBranchReferenceName(DefaultBranch)]; ok || len(adv.Branches) == 0 {
			name = plumbing.NewBranchReferenceName(DefaultBranch)
		} else {
			var names []string
			for n := range adv.Branches {
				names = append(names, n.Short())
			}
			sort.Strings(names)
			return OrgTip{}, fmt.Errorf("%s has several branches (%s) and no default one: set its default branch on the git host", Redact(url), strings.Join(names, ", "))
		}
	}
	tip := OrgTip{Branch: name.Short()}
	if h, ok := adv.Branches[name]; ok {
		tip.Commit = h.String()
	}
	return tip, nil
}

// Fetch brings the remote's branch here when it is not here yet.
func (o *OrgRepo) Fetch(ctx context.Context, url string, tip OrgTip, opts SyncOptions) error {
	tracking := plumbing.NewRemoteReferenceName(RemoteName, tip.Branch)
	if tip.Commit == "" || o.st.refHash(tracking).String() == tip.Commit {
		return o.remember(tip)
	}
	h, err := o.fetchBranch(ctx, url, tip.Branch, opts)
	if err != nil {
		return err
	}
	tip.Commit = h.String() // what was fetched is what there is, had it moved again meanwhile
	return o.remember(tip)
}

// remember makes the bare repository's HEAD and branch follow the fetched tip (git log works in it).
func (o *OrgRepo) remember(tip OrgTip) error {
	branch := plumbing.NewBranchReferenceName(tip.Branch)
	if tip.Commit != "" {
		if err := o.st.setRef(branch, plumbing.NewHash(tip.Commit)); err != nil {
			return err
		}
	}
	return o.st.repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, branch))
}

// Tip returns the last fetched or published tip ("" commit when there is none).
func (o *OrgRepo) Tip() OrgTip {
	ref, err := o.st.repo.Storer.Reference(plumbing.HEAD)
	if err != nil || ref.Type() != plumbing.SymbolicReference {
		return OrgTip{Branch: DefaultBranch}
	}
	tip := OrgTip{Branch: ref.Target().Short()}
	if h := o.st.refHash(ref.Target()); !h.IsZero() {
		tip.Commit = h.String()
	}
	return tip
}

// FetchedAt returns when the copy was last fetched or published (zero when never).
func (o *OrgRepo) FetchedAt() time.Time {
	tip := o.Tip()
	fi, err := os.Stat(filepath.Join(o.dir, filepath.FromSlash(plumbing.NewBranchReferenceName(tip.Branch).String())))
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// Files returns the files directly in folder dir of commit ("" commit gives
// none), each read only when it is a regular file of at most max bytes;
// others are listed with the reason they were not read.
func (o *OrgRepo) Files(commit, dir string, max int64) ([]OrgFile, error) {
	if commit == "" {
		return nil, nil
	}
	tree, err := o.st.commitTree(plumbing.NewHash(commit))
	if err != nil {
		return nil, err
	}
	e, err := o.st.pathEntry(tree, dir)
	if err != nil || e.absent() || e.mode != filemode.Dir {
		return nil, err
	}
	es, err := o.st.treeEntries(e.hash)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(es))
	for n := range es {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []OrgFile
	for _, n := range names {
		e := es[n]
		f := OrgFile{Path: dir + "/" + n}
		switch e.mode {
		case filemode.Regular, filemode.Executable:
			obj, err := o.st.repo.Storer.EncodedObject(plumbing.BlobObject, e.hash)
			if err != nil {
				return nil, fmt.Errorf("read %s of the organisation's repository: %w", f.Path, err)
			}
			if obj.Size() > max {
				f.Problem = fmt.Sprintf("%d bytes, more than the %d bytes a file may have here", obj.Size(), max)
				break
			}
			if f.Data, err = o.st.readBlob(e.hash); err != nil {
				return nil, err
			}
		case filemode.Dir:
			continue // not a summary
		case filemode.Symlink:
			f.Problem = "a symbolic link, not a file"
		default:
			f.Problem = "not a file"
		}
		out = append(out, f)
	}
	return out, nil
}

// MaxGuardedFile is the largest file PublishFileIf shows its guard; a larger
// one is no summary (org reads none over 1 MiB) and is replaced.
const MaxGuardedFile = 1 << 20

// OrgPublished is what PublishFile did.
type OrgPublished struct {
	Commit   string // the remote's tip afterwards
	Pushed   bool   // false when the remote already had the file as it is
	Attempts int    // pushes tried (a lost race is fetched and tried again)
}

// orgAttempts bounds the retries of a publish that keeps losing the race.
const orgAttempts = 5

// orgBeforePush, when set by a test, runs after a publish's commit is made
// and before it is pushed: where a race with another manager is lost.
var orgBeforePush func(attempt int)

// PublishFile writes one file at path on top of the remote's tip, every
// other file as it is there, and pushes it as a fast-forward. When another
// manager pushed meanwhile, it fetches their commit and puts the file on top
// of it again, so that both land and neither overwrites the other.
func (o *OrgRepo) PublishFile(ctx context.Context, url, path string, data []byte, msg string, author Author, opts SyncOptions) (OrgPublished, error) {
	return o.PublishFileIf(ctx, url, path, data, msg, author, opts, nil)
}

// PublishFileIf is PublishFile asking guard first, at every attempt, about
// the file the remote's tip holds at path (a regular file of at most
// MaxGuardedFile bytes; guard is not asked when there is none): an error
// from guard stops the publish, nothing pushed. It keeps one manager from
// overwriting the summary another one published under the same name.
func (o *OrgRepo) PublishFileIf(ctx context.Context, url, path string, data []byte, msg string, author Author, opts SyncOptions, guard func(current []byte) error) (OrgPublished, error) {
	var res OrgPublished
	if !safePath(path) {
		return res, fmt.Errorf("refusing to publish %q: not a safe file name", path)
	}
	if err := o.useRemote(url); err != nil {
		return res, err
	}
	ai, err := resolveAuth(url, &opts)
	if err != nil {
		return res, err
	}
	unlock, err := o.st.Lock(DefaultLockTimeout) // one publish at a time from this computer
	if err != nil {
		return res, err
	}
	defer unlock()
	blob, err := o.st.writeObject(plumbing.BlobObject, data)
	if err != nil {
		return res, err
	}
	for attempt := 1; ; attempt++ {
		tip, err := o.Probe(ctx, url, opts)
		if err != nil {
			return res, err
		}
		if err := o.Fetch(ctx, url, tip, opts); err != nil {
			return res, err
		}
		var parent, parentTree plumbing.Hash
		if tip.Commit != "" {
			parent = plumbing.NewHash(tip.Commit)
			if parentTree, err = o.st.commitTree(parent); err != nil {
				return res, err
			}
		}
		res.Commit = tip.Commit
		cur, err := o.st.pathEntry(parentTree, path)
		if err == nil && cur.hash == blob && cur.mode == filemode.Regular {
			return res, nil // the remote has it as it is
		}
		if err == nil && guard != nil && cur.mode == filemode.Regular {
			obj, err := o.st.repo.Storer.EncodedObject(plumbing.BlobObject, cur.hash)
			if err != nil {
				return res, fmt.Errorf("read %s of the organisation's repository: %w", path, err)
			}
			if obj.Size() <= MaxGuardedFile {
				old, err := o.st.readBlob(cur.hash)
				if err != nil {
					return res, err
				}
				if err := guard(old); err != nil {
					return res, err
				}
			}
		}
		tree, err := o.st.applyTree(parentTree, []change{{path, entry{blob, filemode.Regular}}})
		if err != nil {
			return res, err
		}
		var parents []plumbing.Hash
		if !parent.IsZero() {
			parents = append(parents, parent)
		}
		commit, err := o.st.writeCommit(tree, parents, msg, author)
		if err != nil {
			return res, err
		}
		if orgBeforePush != nil {
			orgBeforePush(attempt)
		}
		res.Attempts = attempt
		branch := plumbing.NewBranchReferenceName(tip.Branch)
		tracking := plumbing.NewRemoteReferenceName(RemoteName, tip.Branch)
		err = o.st.pushTo(ctx, newTransport(o.st, url, ai), branch, tracking, commit, parent)
		if err == nil {
			_ = o.remember(OrgTip{tip.Branch, commit.String()})
			PointLocalHead(url, tip.Branch) // a plain `git clone` of a local bare repository checks it out
			res.Commit, res.Pushed = commit.String(), true
			return res, nil
		}
		if !errors.Is(err, ErrRemoteMoved) {
			return res, o.remoteError(url, ai, err)
		}
		if attempt == orgAttempts {
			return res, fmt.Errorf("publish to %s: the repository kept changing under %d attempts (other managers publishing): run it again", Redact(url), orgAttempts)
		}
	}
}
