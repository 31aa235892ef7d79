package gitstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/revlist"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/sealed"
)

// An encrypted remote (docs/encrypted-remote.md) is an ordinary git
// repository whose branch is a chain of "envelope" commits: each push adds
// one, whose tree holds a constant README.md, manifest.age (the encrypted
// manifest: the notes' tip, the push's number, the hash of the previous
// manifest, the recipients) and packs/XX/NAME.age, age-encrypted git packs
// named by the SHA-256 of their bytes; the packs of a generation, together,
// hold every object of the notes. Every envelope commit has the same author,
// date and message: nothing about the notes.
//
// encryptedTransport implements Transport over it. The envelope commits live
// in a bare repository of their own under .git/oneone/encrypted/origin (never
// in the notes repository, which stays plain git); what Fetch decrypts goes
// into the notes' object store, so that sync merges as it always does. What
// this computer last saw (the envelope commit and its manifest) is kept
// there too: Refs answers from it when the branch has not moved, and a
// remote that goes back, or offers a manifest that does not follow the one
// seen, is refused.
type encryptedTransport struct {
	s      *Store          // the repository the notes go to (plaintext)
	plain  *goGitTransport // the envelope repository's own transport to the remote
	rawURL string
	ai     *authInfo
}

// Constant parts of every envelope commit.
const (
	envelopeReadme   = "README.md"
	envelopeManifest = "manifest.age"
	envelopePacks    = "packs"
	envelopeMessage  = "oneone encrypted remote\n"
	// envelopeReadmeText is the one plaintext file: what the repository is.
	envelopeReadmeText = `# oneone encrypted remote

This repository holds a oneone notes repository, end-to-end encrypted with
age: manifest.age and every file under packs/ can only be read with the key
of a computer listed as a recipient. Read it with ` + "`oneone clone URL`" + ` (or
` + "`oneone join URL`" + ` for a shared agenda); the format, and how to recover the
notes with the age and git binaries alone, are in oneone's
docs/encrypted-remote.md.

Do not push to this repository with git: oneone appends one commit per push.
`
)

// envelopeSignature is the author and committer of every envelope commit.
var envelopeSignature = object.Signature{Name: "oneone", Email: "oneone", When: time.Unix(0, 0).UTC()}

// ErrEncryptedRemote is wrapped by the error of a plain sync that meets an encrypted remote.
var ErrEncryptedRemote = errors.New("an encrypted remote")

// ErrNotEncrypted is wrapped by the error of an encrypted sync that meets a plain remote.
var ErrNotEncrypted = errors.New("not an encrypted remote")

// ErrRemoteRefused is wrapped by every error of an encrypted remote whose
// content is refused: tampered, truncated, replayed or gone back.
var ErrRemoteRefused = errors.New("refused")

// NotRecipientError says that this computer's key cannot read an encrypted remote.
type NotRecipientError struct {
	URL string // redacted
	Key string // this computer's public key
	New bool   // the key was created just now
}

func (e *NotRecipientError) Error() string {
	made := ""
	if e.New {
		made = " (created just now)"
	}
	return fmt.Sprintf("%s is encrypted, and this computer's key %s%s is not among its recipients: on a computer that can read it, run `oneone recipients add %s` and `oneone sync`, then run this again here (nothing was changed)",
		e.URL, e.Key, made, e.Key)
}

func (e *NotRecipientError) Unwrap() error { return sealed.ErrNotRecipient }

// encryptedState is what this computer remembers of an encrypted remote: for
// each branch, the envelope commit it last saw and that commit's manifest.
type encryptedState struct {
	URL      string                    `json:"url"`
	Branches map[string]*envelopeState `json:"branches"`
}

type envelopeState struct {
	Envelope string `json:"envelope"` // the envelope commit
	Manifest string `json:"manifest"` // its manifest's plaintext
}

func (e *envelopeState) manifest() (*sealed.Manifest, error) {
	return sealed.ParseManifest([]byte(e.Manifest))
}

// envelopeDir is where the envelope repository of origin lives.
func (s *Store) envelopeDir() string {
	return filepath.Join(s.gitDir, "oneone", "encrypted", RemoteName)
}

// envelopeStore opens (creating it the first time) the bare repository of origin's envelope commits.
func (s *Store) envelopeStore() (*Store, error) {
	dir := s.envelopeDir()
	repo, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		if err := mkdirAll(dir); err != nil {
			return nil, err
		}
		repo, err = git.PlainInitWithOptions(dir, &git.PlainInitOptions{Bare: true,
			InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch)}})
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				return os.Chmod(p, 0o700)
			}
			return os.Chmod(p, 0o600)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("open the encrypted remote's copy %s: %w", dir, err)
	}
	return &Store{dir: dir, gitDir: dir, repo: repo}, nil
}

func (s *Store) newEncryptedTransport(rawURL string, ai *authInfo) (Transport, error) {
	env, err := s.envelopeStore()
	if err != nil {
		return nil, err
	}
	return &encryptedTransport{s: s, plain: &goGitTransport{s: env, rawURL: rawURL, ai: ai}, rawURL: rawURL, ai: ai}, nil
}

func (t *encryptedTransport) env() *Store { return t.plain.s }

func (t *encryptedTransport) URL() string { return Redact(t.rawURL) }

func (t *encryptedTransport) statePath() string {
	return filepath.Join(t.env().gitDir, "oneone-state.json")
}

// state reads what this computer remembers (nothing for another URL).
func (t *encryptedTransport) state() *encryptedState {
	st := &encryptedState{}
	if data, err := os.ReadFile(t.statePath()); err == nil {
		_ = json.Unmarshal(data, st)
	}
	if st.Branches == nil || !SameRemote(st.URL, t.rawURL) {
		st = &encryptedState{Branches: map[string]*envelopeState{}}
	}
	st.URL = Redact(t.rawURL)
	return st
}

func (t *encryptedTransport) saveState(st *encryptedState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(t.statePath(), data)
}

// refused is an error of a remote whose content cannot be trusted; nothing was applied.
func (t *encryptedTransport) refused(format string, args ...any) error {
	return &lineError{fmt.Sprintf("%s: %s; nothing was applied (your notes are committed locally)", t.URL(), fmt.Sprintf(format, args...)), []error{ErrRemoteRefused}}
}

// Why a computer must trust an encrypted remote anew (retrustHint).
const (
	retrustGone      = iota // the branch it saw is gone
	retrustRestarted        // the branch does not continue what it saw
	retrustRelisted         // a push it could not read (its key removed, then listed again)
)

// retrustHint is the clause that says how to trust the remote as it is now,
// in the words of who reads it: the manager of the notes (`oneone remote URL
// --encrypt`), the manager serving a shared agenda (`oneone share SLUG URL
// --encrypt --to AGE-KEY`, the store's retrust), or the report in their clone.
func (t *encryptedTransport) retrustHint(why int) string {
	switch {
	case t.s.reportClone && why == retrustGone:
		return "if your manager emptied it on purpose, join it again in a new folder (`oneone join URL DIR`) once they have run `oneone sync`"
	case t.s.reportClone:
		return "if that is expected, join it again in a new folder (`oneone join URL DIR`) to trust it as it is now"
	}
	cmd := fmt.Sprintf("oneone remote %s --encrypt", t.URL())
	if t.s.retrust != "" {
		cmd = t.s.retrust
	}
	switch why {
	case retrustGone:
		return fmt.Sprintf("if it was emptied on purpose, run `%s` to push everything again from here", cmd)
	case retrustRestarted:
		return fmt.Sprintf("if the repository was started again on purpose, run `%s` to trust it as it is now", cmd)
	}
	return fmt.Sprintf("to trust the remote as it is now, run `%s`", cmd)
}

// refusedAgain is refused for a message whose hint names the remote already
// (the command to run): the URL is said once, not twice.
func (t *encryptedTransport) refusedAgain(format string, args ...any) error {
	if t.s.retrust == "" && !t.s.reportClone {
		return t.refused(format, args...)
	}
	return &lineError{fmt.Sprintf("%s; nothing was applied (your notes are committed locally)", fmt.Sprintf(format, args...)), []error{ErrRemoteRefused}}
}

// Refs reads the envelope repository's branches. A branch still where this
// computer last saw it is given as the notes' tip its manifest names,
// without decrypting anything; one that moved is given as its envelope
// commit, which this side never has, so sync fetches.
func (t *encryptedTransport) Refs(ctx context.Context) (*RemoteRefs, error) {
	adv, err := t.plain.Refs(ctx)
	if err != nil {
		return nil, err
	}
	st := t.state()
	out := &RemoteRefs{Branches: map[plumbing.ReferenceName]plumbing.Hash{}, Head: adv.Head}
	for name, h := range adv.Branches {
		out.Branches[name] = h
		if known := st.Branches[name.String()]; known != nil && known.Envelope == h.String() {
			if m, err := known.manifest(); err == nil {
				out.Branches[name] = plumbing.NewHash(m.Tip)
			}
		}
	}
	return out, nil
}

// identity loads this computer's key, creating it when there is none yet at
// the default place (the error then names the new key, for another computer
// to add). A key file $ONEONE_IDENTITY names is never made up: a missing one
// may be on a drive not mounted.
func (t *encryptedTransport) identity() (*sealed.Identity, bool, error) {
	if t.ai.identityErr != nil {
		return nil, false, t.ai.identityErr
	}
	if t.ai.identityExplicit {
		id, err := sealed.LoadIdentity(t.ai.identityPath)
		if errors.Is(err, sealed.ErrNoIdentity) {
			return nil, false, fmt.Errorf("%s names %s, which does not exist: make it available (a drive not mounted?), or create a key there with `oneone key`", sealed.IdentityEnv, t.ai.identityPath)
		}
		return id, false, err
	}
	return sealed.LoadOrCreateIdentity(t.ai.identityPath, time.Now())
}

// Fetch brings the envelope commits the remote has and this side does not,
// checks that they follow the one last seen (or, the first time, takes the
// newest as it is), decrypts the packs that are new into the notes' object
// store, and returns the notes' tip.
func (t *encryptedTransport) Fetch(ctx context.Context, branch plumbing.ReferenceName, _ []plumbing.Hash) (plumbing.Hash, error) {
	st := t.state()
	known := st.Branches[branch.String()]
	var haves []plumbing.Hash
	if known != nil {
		haves = []plumbing.Hash{plumbing.NewHash(known.Envelope)}
	}
	tip, err := t.plain.Fetch(ctx, branch, haves)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if tip.IsZero() {
		if known != nil {
			return plumbing.ZeroHash, t.refusedAgain("its branch %s is gone (this computer last saw it at %s): the repository was emptied, or the host lost it; %s",
				branch.Short(), known.Envelope[:7], t.retrustHint(retrustGone))
		}
		return plumbing.ZeroHash, nil
	}
	if known != nil && tip.String() == known.Envelope {
		m, err := known.manifest()
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if t.s.hasCommit(plumbing.NewHash(m.Tip)) {
			return plumbing.NewHash(m.Tip), nil
		}
		known = nil // the notes lack what was decrypted before: decrypt it again
	}
	id, created, err := t.identity()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	m, text, err := t.follow(branch, tip, known, id, created)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var seen map[string]bool
	if known != nil {
		if seen, err = t.packNames(plumbing.NewHash(known.Envelope)); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if err := t.apply(tip, m, seen, id); err != nil {
		return plumbing.ZeroHash, err
	}
	st.Branches[branch.String()] = &envelopeState{Envelope: tip.String(), Manifest: string(text)}
	if err := t.saveState(st); err != nil {
		return plumbing.ZeroHash, err
	}
	return plumbing.NewHash(m.Tip), nil
}

// envelope is what one envelope commit holds.
type envelope struct {
	manifest plumbing.Hash // blob
	packs    plumbing.Hash // tree
}

// readEnvelope checks that commit is an envelope commit and returns its parts.
func (t *encryptedTransport) readEnvelope(commit plumbing.Hash) (*object.Commit, envelope, error) {
	env := t.env()
	c, err := object.GetCommit(env.repo.Storer, commit)
	if err != nil {
		return nil, envelope{}, fmt.Errorf("read %s of %s: %w", commit, t.URL(), err)
	}
	es, err := env.treeEntries(c.TreeHash)
	if err != nil {
		return nil, envelope{}, err
	}
	if !looksEnvelope(es) {
		return nil, envelope{}, &lineError{fmt.Sprintf("%s is not an encrypted remote: its branch holds plain git commits (%s has no %s): to sync with it as it is, run `oneone remote %s` without --encrypt; to encrypt, give an empty repository",
			t.URL(), commit.String()[:7], envelopeManifest, t.URL()), []error{ErrNotEncrypted}}
	}
	readme, manifest, packs := es[envelopeReadme], es[envelopeManifest], es[envelopePacks]
	switch {
	case len(es) != 3 || readme.mode != filemode.Regular || manifest.mode != filemode.Regular || packs.mode != filemode.Dir:
		return nil, envelope{}, t.refused("its commit %s holds other files than README.md, manifest.age and packs/ (changed by hand, or tampered with)", commit.String()[:7])
	case len(c.ParentHashes) > 1:
		return nil, envelope{}, t.refused("its commit %s is a merge: oneone never makes one (changed by hand, or tampered with)", commit.String()[:7])
	}
	return c, envelope{manifest.hash, packs.hash}, nil
}

// looksEnvelope reports whether a root tree is an envelope commit's.
func looksEnvelope(es map[string]entry) bool {
	m, ok := es[envelopeManifest]
	p, ok2 := es[envelopePacks]
	return ok && ok2 && m.mode == filemode.Regular && p.mode == filemode.Dir
}

// isEnvelope reports whether commit (in this store) is an envelope commit of an encrypted remote.
func (s *Store) isEnvelope(commit plumbing.Hash) bool {
	tree, err := s.commitTree(commit)
	if err != nil {
		return false
	}
	es, err := s.treeEntries(tree)
	return err == nil && looksEnvelope(es)
}

// openManifest decrypts and parses the manifest of an envelope.
func (t *encryptedTransport) openManifest(commit plumbing.Hash, e envelope, id *sealed.Identity, created bool) (*sealed.Manifest, []byte, error) {
	ct, err := t.env().readBlob(e.manifest)
	if err != nil {
		return nil, nil, err
	}
	text, err := sealed.OpenBytes(ct, id, sealed.MaxManifest)
	switch {
	case errors.Is(err, sealed.ErrNotRecipient):
		return nil, nil, &NotRecipientError{URL: t.URL(), Key: id.Public(), New: created}
	case err != nil:
		return nil, nil, t.refused("the manifest of %s does not decrypt (%v)", commit.String()[:7], err)
	}
	m, err := sealed.ParseManifest(text)
	if err != nil {
		return nil, nil, t.refused("the manifest of %s: %v", commit.String()[:7], err)
	}
	return m, text, nil
}

// follow checks the envelope commits from the one last seen (known) to tip:
// each a child of the one before, with a manifest that follows the previous
// one. Without known (the first fetch), tip is taken as it is. It returns
// tip's manifest and plaintext.
func (t *encryptedTransport) follow(branch plumbing.ReferenceName, tip plumbing.Hash, known *envelopeState, id *sealed.Identity, created bool) (*sealed.Manifest, []byte, error) {
	var chain []plumbing.Hash // newest first
	var parts []envelope
	for h := tip; ; {
		c, e, err := t.readEnvelope(h)
		if err != nil {
			return nil, nil, err
		}
		chain, parts = append(chain, h), append(parts, e)
		if known == nil {
			break
		}
		if len(c.ParentHashes) == 0 {
			return nil, nil, t.refusedAgain("its branch %s does not continue what this computer saw last (%s): an older state served again, or a history started over; %s",
				branch.Short(), known.Envelope[:7], t.retrustHint(retrustRestarted))
		}
		h = c.ParentHashes[0]
		if h.String() == known.Envelope {
			break
		}
	}
	// the newest first: a computer that cannot read it was removed (or never listed)
	newest, newestText, err := t.openManifest(chain[0], parts[0], id, created)
	if err != nil {
		return nil, nil, err
	}
	var text []byte
	var m *sealed.Manifest
	if known != nil {
		text = []byte(known.Manifest)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		next, nextText := newest, newestText
		if i > 0 {
			next, nextText, err = t.openManifest(chain[i], parts[i], id, created)
		}
		var nr *NotRecipientError
		if errors.As(err, &nr) {
			// removed, then listed again: the pushes in between cannot be checked
			return nil, nil, t.refusedAgain("this computer's key can read its newest push but not the push %s before it (was it removed from the recipients, then added again?), so it cannot check that the newest follows what it saw last; %s",
				chain[i].String()[:7], t.retrustHint(retrustRelisted))
		}
		if err != nil {
			return nil, nil, err
		}
		if text != nil {
			if err := sealed.Follows(text, next); err != nil {
				return nil, nil, t.refused("the manifest of %s: %v", chain[i].String()[:7], err)
			}
		}
		if next.Branch != branch.String() {
			return nil, nil, t.refused("the manifest of %s is for the branch %s, not %s", chain[i].String()[:7], next.Branch, branch)
		}
		m, text = next, nextText
	}
	return m, text, nil
}

// packNames lists the pack names of an envelope commit (checked: NAME.age under packs/NAME[:2]/).
func (t *encryptedTransport) packNames(commit plumbing.Hash) (map[string]bool, error) {
	names, _, err := t.packList(commit)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = true
	}
	return out, nil
}

// packList returns the pack names of an envelope commit and their blobs.
func (t *encryptedTransport) packList(commit plumbing.Hash) ([]string, map[string]plumbing.Hash, error) {
	env := t.env()
	tree, err := env.commitTree(commit)
	if err != nil {
		return nil, nil, err
	}
	root, err := env.treeEntries(tree)
	if err != nil {
		return nil, nil, err
	}
	fan, err := env.treeEntries(root[envelopePacks].hash)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	blobs := map[string]plumbing.Hash{}
	for dir, d := range fan {
		if d.mode != filemode.Dir || len(dir) != 2 || strings.Trim(dir, "0123456789abcdef") != "" {
			return nil, nil, t.refused("packs/%s of %s is not a folder of packs", dir, commit.String()[:7])
		}
		es, err := env.treeEntries(d.hash)
		if err != nil {
			return nil, nil, err
		}
		for file, e := range es {
			name, ok := strings.CutSuffix(file, ".age")
			if !ok || e.mode != filemode.Regular || len(name) != 64 || strings.Trim(name, "0123456789abcdef") != "" || name[:2] != dir {
				return nil, nil, t.refused("packs/%s/%s of %s is not a pack", dir, file, commit.String()[:7])
			}
			names = append(names, name)
			blobs[name] = e.hash
		}
	}
	slices.Sort(names)
	return names, blobs, nil
}

// unpackLimit: packs with fewer objects are stored as loose objects (as git
// does), so that many small pushes do not leave as many pack files.
const unpackLimit = 100

// apply decrypts the packs of the envelope commit tip that are not in seen,
// checks each against its name and the set against the manifest, and only
// then stores their objects in the notes' object store.
func (t *encryptedTransport) apply(tip plumbing.Hash, m *sealed.Manifest, seen map[string]bool, id *sealed.Identity) error {
	names, blobs, err := t.packList(tip)
	if err != nil {
		return err
	}
	if len(names) != m.Packs || sealed.PackDigest(names) != m.PackDigest {
		return t.refused("the packs of %s are not those its manifest names (%d there, %d named): some were removed, added or replaced", tip.String()[:7], len(names), m.Packs)
	}
	// what a killed fetch left: decrypted packs (under the lock, nobody else's)
	if old, _ := filepath.Glob(filepath.Join(t.env().gitDir, "open-*")); len(old) > 0 {
		for _, d := range old {
			_ = os.RemoveAll(d)
		}
	}
	tmp, err := os.MkdirTemp(t.env().gitDir, "open-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	type opened struct {
		path    string
		objects uint32
	}
	var todo []opened
	for _, name := range names {
		if seen[name] {
			continue
		}
		p := filepath.Join(tmp, name+".pack")
		n, err := t.openPack(name, blobs[name], id, p)
		if err != nil {
			return err
		}
		todo = append(todo, opened{p, n})
	}
	for _, o := range todo {
		if err := t.s.storePack(o.path, o.objects >= unpackLimit); err != nil {
			return fmt.Errorf("store the objects of %s: %w", t.URL(), err)
		}
	}
	if len(todo) > 0 {
		t.s.privatePacks()
	}
	tipHash := plumbing.NewHash(m.Tip)
	c, err := object.GetCommit(t.s.repo.Storer, tipHash)
	if err == nil {
		_, err = object.GetTree(t.s.repo.Storer, c.TreeHash)
	}
	if err != nil {
		return t.refused("its packs do not hold the notes' commit %s its manifest names (%v)", m.Tip[:7], err)
	}
	return nil
}

// openPack checks one pack's ciphertext against its name and decrypts it to
// path (0600); it returns the number of objects the pack holds.
func (t *encryptedTransport) openPack(name string, blob plumbing.Hash, id *sealed.Identity, path string) (uint32, error) {
	obj, err := t.env().repo.Storer.EncodedObject(plumbing.BlobObject, blob)
	if err != nil {
		return 0, fmt.Errorf("read pack %s of %s: %w", name[:12], t.URL(), err)
	}
	r, err := obj.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	h := sha256.New()
	pr, err := sealed.Open(io.TeeReader(r, h), id)
	if errors.Is(err, sealed.ErrNotRecipient) {
		return 0, t.refused("this computer's key cannot open the pack %s, though it reads the manifest (written by a broken oneone, or tampered with)", name[:12])
	}
	if err != nil {
		return 0, t.refused("the pack %s does not decrypt (%v)", name[:12], err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	var head [12]byte
	n, err := io.Copy(f, io.TeeReader(pr, &prefixWriter{buf: head[:]}))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, sealed.ErrTampered) {
		return 0, t.refused("the pack %s does not decrypt: %v", name[:12], err)
	}
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(h, r) // what follows the age payload (there should be nothing)
	if hex.EncodeToString(h.Sum(nil)) != name {
		return 0, t.refused("the pack %s is not the file of that name (its bytes were changed)", name[:12])
	}
	if n < 32 || !bytes.Equal(head[:4], []byte("PACK")) {
		return 0, t.refused("the pack %s decrypts to something that is not a git pack", name[:12])
	}
	return binary.BigEndian.Uint32(head[8:12]), nil
}

// prefixWriter keeps the first len(buf) bytes written to it.
type prefixWriter struct {
	buf []byte
	n   int
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if p.n < len(p.buf) {
		p.n += copy(p.buf[p.n:], b)
	}
	return len(b), nil
}

// storePack stores the objects of a git pack file: as a pack of its own, or
// (asPack false) as loose objects, 0400 in 0700 folders like every other.
func (s *Store) storePack(path string, asPack bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if asPack {
		err = packfile.UpdateObjectStorage(s.repo.Storer, f)
		if err != nil {
			s.cleanPackTemp()
		}
		return err
	}
	return packfile.UpdateObjectStorage(looseStorer{s.repo.Storer, s}, f)
}

// looseStorer hides the store's pack writer, so that a pack's objects are
// written one by one (private, as writeObject makes them).
type looseStorer struct {
	storer.Storer
	s *Store
}

func (l looseStorer) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	if l.Storer.HasEncodedObject(o.Hash()) == nil {
		return o.Hash(), nil
	}
	return l.s.private(l.Storer.SetEncodedObject(o))
}

// hasCommit reports whether the commit and its tree are in the object store.
func (s *Store) hasCommit(h plumbing.Hash) bool {
	c, err := object.GetCommit(s.repo.Storer, h)
	if err != nil {
		return false
	}
	return s.repo.Storer.HasEncodedObject(c.TreeHash) == nil
}

// Push seals the objects the remote lacks into one pack for the recipients,
// and appends an envelope commit holding it and a manifest that names tip,
// on top of the envelope commit last seen: a fast-forward, which the remote
// refuses when another computer pushed first (the error wraps
// ErrRemoteMoved). When the recipients changed, the pack holds every object
// and starts a new generation.
func (t *encryptedTransport) Push(ctx context.Context, branch plumbing.ReferenceName, old, tip plumbing.Hash, objects []plumbing.Hash) error {
	st := t.state()
	known := st.Branches[branch.String()]
	var prev *sealed.Manifest
	var prevText []byte
	oldEnvelope := plumbing.ZeroHash
	at := plumbing.ZeroHash
	if known != nil {
		var err error
		if prev, err = known.manifest(); err != nil {
			return err
		}
		prevText, oldEnvelope, at = []byte(known.Manifest), plumbing.NewHash(known.Envelope), plumbing.NewHash(prev.Tip)
	}
	if at != old && old.IsZero() && known != nil {
		// pushed as onto an empty remote, which this computer saw holding a branch
		return t.refusedAgain("its branch %s is gone (this computer last saw it at %s): the repository was emptied, or the host lost it; %s",
			branch.Short(), known.Envelope[:7], t.retrustHint(retrustGone))
	}
	if at != old {
		return fmt.Errorf("push to %s rejected: %w; run `oneone sync` again (your notes are committed locally)", t.URL(), ErrRemoteMoved)
	}
	id, created, err := t.identity()
	if err != nil {
		return err
	}
	recipients, err := t.s.recipientsFor(tip, prev)
	if err != nil {
		return err
	}
	if !slices.Contains(recipients, id.Public()) {
		made := ""
		if created {
			made = " (created just now)"
		}
		return fmt.Errorf("not pushed to %s: this computer's key %s%s is not among the recipients, so it could not read back what it pushes: run `oneone recipients add %s` (or push from a computer that is listed); your notes are committed locally",
			t.URL(), id.Public(), made, id.Public())
	}
	generation := prev == nil || !slices.Equal(recipients, prev.Recipients)
	if generation {
		// new recipients read everything: one pack of every object
		if objects, err = revlist.Objects(t.s.repo.Storer, []plumbing.Hash{tip}, nil); err != nil {
			return fmt.Errorf("list the objects to encrypt again: %w", err)
		}
	}
	env := t.env()
	var fan map[string]entry // packs/ of the generation so far
	var names []string
	if !generation {
		tree, err := env.commitTree(oldEnvelope)
		if err != nil {
			return err
		}
		root, err := env.treeEntries(tree)
		if err != nil {
			return err
		}
		if fan, err = env.treeEntries(root[envelopePacks].hash); err != nil {
			return err
		}
		if names, _, err = t.packList(oldEnvelope); err != nil {
			return err
		}
	} else {
		fan = map[string]entry{}
	}
	var sent []plumbing.Hash // the envelope objects the remote lacks
	if len(objects) > 0 {
		ct, err := t.s.sealPack(objects, recipients)
		if err != nil {
			return err
		}
		name := sealed.Name(ct)
		blob, err := env.writeObject(plumbing.BlobObject, ct)
		if err != nil {
			return err
		}
		dir := name[:2]
		sub := map[string]entry{}
		if d, ok := fan[dir]; ok {
			if sub, err = env.treeEntries(d.hash); err != nil {
				return err
			}
		}
		sub[name+".age"] = entry{blob, filemode.Regular}
		subTree, err := env.writeObject(plumbing.TreeObject, encodeTree(sub))
		if err != nil {
			return err
		}
		fan[dir] = entry{subTree, filemode.Dir}
		names = append(names, name)
		sent = append(sent, blob, subTree)
	}
	var m *sealed.Manifest
	if prev == nil {
		if m, err = sealed.First(branch.String(), tip.String(), recipients, names); err != nil {
			return err
		}
	} else {
		m = sealed.Next(prev, prevText, tip.String(), recipients, names)
	}
	text := m.Encode()
	mct, err := sealed.SealBytes(text, recipients)
	if err != nil {
		return err
	}
	readme, err := env.writeObject(plumbing.BlobObject, []byte(envelopeReadmeText))
	if err != nil {
		return err
	}
	manifest, err := env.writeObject(plumbing.BlobObject, mct)
	if err != nil {
		return err
	}
	packs, err := env.writeObject(plumbing.TreeObject, encodeTree(fan))
	if err != nil {
		return err
	}
	root, err := env.writeObject(plumbing.TreeObject, encodeTree(map[string]entry{
		envelopeReadme:   {readme, filemode.Regular},
		envelopeManifest: {manifest, filemode.Regular},
		envelopePacks:    {packs, filemode.Dir},
	}))
	if err != nil {
		return err
	}
	var parents []plumbing.Hash
	if !oldEnvelope.IsZero() {
		parents = []plumbing.Hash{oldEnvelope}
	}
	commit, err := env.writeEnvelopeCommit(root, parents)
	if err != nil {
		return err
	}
	sent = append(sent, commit, root, packs, manifest, readme)
	notes.CrashPoint("encrypted-before-push")
	if err := t.plain.Push(ctx, branch, oldEnvelope, commit, sent); err != nil {
		return err
	}
	notes.CrashPoint("encrypted-pushed")
	st.Branches[branch.String()] = &envelopeState{Envelope: commit.String(), Manifest: string(text)}
	return t.saveState(st)
}

// writeEnvelopeCommit stores an envelope commit: constant author, date and message.
func (s *Store) writeEnvelopeCommit(tree plumbing.Hash, parents []plumbing.Hash) (plumbing.Hash, error) {
	c := &object.Commit{Author: envelopeSignature, Committer: envelopeSignature, Message: envelopeMessage, TreeHash: tree, ParentHashes: parents}
	obj := s.repo.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.private(s.repo.Storer.SetEncodedObject(obj))
}

// sealPack encodes objects as a git pack (self-contained: deltas only
// against objects in it) and encrypts it for the recipients.
func (s *Store) sealPack(objects []plumbing.Hash, recipients []string) ([]byte, error) {
	var out bytes.Buffer
	w, err := sealed.Seal(&out, recipients)
	if err != nil {
		return nil, err
	}
	if _, err := packfile.NewEncoder(w, s.repo.Storer, false).Encode(objects, 10); err != nil {
		return nil, fmt.Errorf("pack the objects to push: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// recipientsFor returns the keys a push of tip is encrypted to: those set for
// this repository (a shared agenda's), else the recipients: of tip's
// oneone.yaml, else (no such key: a report's clone of a shared agenda) the
// recipients of the manifest pushed before.
func (s *Store) recipientsFor(tip plumbing.Hash, prev *sealed.Manifest) ([]string, error) {
	if s.recipients != nil {
		return sealed.Recipients(s.recipients)
	}
	tree, err := s.commitTree(tip)
	if err != nil {
		return nil, err
	}
	if e, err := s.pathEntry(tree, notes.ConfigFile); err == nil && !e.absent() && e.mode != filemode.Dir {
		data, err := s.readBlob(e.hash)
		if err != nil {
			return nil, err
		}
		cfg, err := notes.ParseConfig(data)
		if err != nil {
			return nil, fmt.Errorf("%s as committed: %w", notes.ConfigFile, err)
		}
		if cfg.Recipients != nil {
			if len(cfg.Recipients) == 0 {
				return nil, fmt.Errorf("%s lists no recipients, so nobody could read the encrypted remote: run `oneone recipients add KEY` (`oneone key` prints this computer's)", notes.ConfigFile)
			}
			rs, err := sealed.Recipients(cfg.Recipients)
			if err != nil {
				return nil, fmt.Errorf("%s: recipients: %w", notes.ConfigFile, err)
			}
			return rs, nil
		}
	}
	if prev != nil {
		return prev.Recipients, nil
	}
	return nil, fmt.Errorf("no recipients for the encrypted remote: %s lists none; run `oneone recipients add KEY` (`oneone key` prints this computer's)", notes.ConfigFile)
}
