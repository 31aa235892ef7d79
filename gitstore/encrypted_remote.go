package gitstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

// Which remote is encrypted is this computer's own setting, never committed
// and never in the URL: `encrypted = true` in origin's section of
// .git/config (remote.origin.oneone-encrypted). A second computer learns it
// from the remote itself (oneone clone and oneone join look); a plain sync
// that meets an encrypted remote stops with a clear error.
const encryptedOption = "oneone-encrypted"

// remoteOption reads an option of origin's section of the raw config ("" when unset).
func remoteOption(cfg *config.Config, key string) string {
	if !cfg.Raw.HasSection("remote") || !cfg.Raw.Section("remote").HasSubsection(RemoteName) {
		return ""
	}
	return cfg.Raw.Section("remote").Subsection(RemoteName).Option(key)
}

// Encrypted reports whether origin is an encrypted remote.
func (s *Store) Encrypted() bool {
	cfg, err := s.repo.Config()
	if err != nil {
		return false
	}
	if _, ok := cfg.Remotes[RemoteName]; !ok {
		return false
	}
	return remoteOption(cfg, encryptedOption) == "true"
}

// encryptedRemote reports whether rawURL is origin and origin is encrypted.
func (s *Store) encryptedRemote(rawURL string) bool {
	cfg, err := s.repo.Config()
	if err != nil {
		return false
	}
	r, ok := cfg.Remotes[RemoteName]
	if !ok || len(r.URLs) == 0 || remoteOption(cfg, encryptedOption) != "true" {
		return false
	}
	return SameRemote(r.URLs[0], rawURL)
}

// SetEncrypted makes origin (which must be set) an encrypted remote, or a
// plain one again. Either way this computer forgets what it saw of origin's
// envelope commits: the next fetch takes the remote as it is then.
func (s *Store) SetEncrypted(on bool) error {
	unlock, err := s.Lock(DefaultLockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	cfg, err := s.repo.Config()
	if err != nil {
		return err
	}
	if _, ok := cfg.Remotes[RemoteName]; !ok {
		return errors.New("no origin to encrypt: set it with `oneone remote URL --encrypt`")
	}
	sub := cfg.Raw.Section("remote").Subsection(RemoteName) // the same options the remote's config writes back
	if on {
		sub.SetOption(encryptedOption, "true")
	} else {
		sub.RemoveOption(encryptedOption)
	}
	if err := os.RemoveAll(s.envelopeDir()); err != nil {
		return fmt.Errorf("forget the encrypted remote's copy %s: %w", s.envelopeDir(), err)
	}
	if err := s.setConfig(cfg); err != nil {
		return err
	}
	if s.Encrypted() != on {
		return fmt.Errorf("could not record in %s that origin is encrypted", filepath.Join(s.gitDir, "config"))
	}
	return nil
}

// forgetEncryption is what SetRemote does when origin's URL changes: the new
// remote is plain until said otherwise.
func forgetEncryption(s *Store, cfg *config.Config) {
	if cfg.Raw.HasSection("remote") && cfg.Raw.Section("remote").HasSubsection(RemoteName) {
		cfg.Raw.Section("remote").Subsection(RemoteName).RemoveOption(encryptedOption)
	}
	_ = os.RemoveAll(s.envelopeDir())
}

// encryptedRemoteError is the error of a plain sync whose remote turns out to be encrypted.
func encryptedRemoteError(shown string) error {
	return &lineError{fmt.Sprintf("%s is an encrypted remote of oneone (it holds only age ciphertext: manifest.age and packs/), not plain notes: sync with it with `oneone remote %s --encrypt`; on a new computer set the notes up with `oneone clone %s` (a shared agenda with `oneone join %s`); nothing was applied",
		shown, shown, shown, shown), []error{ErrEncryptedRemote}}
}

// checkPlainFetch refuses what a plain transport fetched when it is an
// encrypted remote's envelope commit: never ciphertext merged as notes.
func (s *Store) checkPlainFetch(tr Transport, tip plumbing.Hash) error {
	if _, enc := tr.(*encryptedTransport); enc || tip.IsZero() {
		return nil
	}
	if s.isEnvelope(tip) && s.shareSlug != "" {
		return &lineError{fmt.Sprintf("it holds only age ciphertext (an encrypted shared agenda), and %s/profile.md lists no key to encrypt for: run `oneone share %s %s --encrypt --to AGE-KEY` with the key `oneone key` prints on the report's computer; nothing was applied",
			s.shareSlug, s.shareSlug, tr.URL()), []error{ErrEncryptedRemote}}
	}
	if s.isEnvelope(tip) {
		return encryptedRemoteError(tr.URL())
	}
	return nil
}

// failedTransport stands for a transport that could not be opened.
type failedTransport struct {
	url string
	err error
}

func (f *failedTransport) URL() string                               { return f.url }
func (f *failedTransport) Refs(context.Context) (*RemoteRefs, error) { return nil, f.err }
func (f *failedTransport) Fetch(context.Context, plumbing.ReferenceName, []plumbing.Hash) (plumbing.Hash, error) {
	return plumbing.ZeroHash, f.err
}
func (f *failedTransport) Push(context.Context, plumbing.ReferenceName, plumbing.Hash, plumbing.Hash, []plumbing.Hash) error {
	return f.err
}

// DetectEncryption finds out whether origin (opts' URL when Clone gives one)
// is an encrypted remote, and records it: what `oneone clone` and `oneone
// join` do before their first sync. It fetches the branch sync would use into
// the envelope repository; when that is an envelope commit, origin is marked
// encrypted (the next sync finds the ciphertext there already); otherwise the
// fetched pack moves into the repository's own objects, so nothing travels
// twice. An empty remote is left plain.
func (s *Store) DetectEncryption(opts SyncOptions) (bool, error) {
	rawURL := opts.url
	if rawURL == "" {
		u, ok, err := s.RemoteURL()
		if err != nil || !ok {
			return false, err
		}
		rawURL = u
	}
	unlock, err := s.Lock(DefaultLockTimeout)
	if err != nil {
		return false, err
	}
	defer unlock()
	ai, err := resolveAuth(rawURL, &opts)
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	env, err := s.envelopeStore()
	if err != nil {
		return false, err
	}
	forget := func() { _ = os.RemoveAll(s.envelopeDir()) }
	plain := &goGitTransport{s: env, rawURL: rawURL, ai: ai}
	refs, err := plain.Refs(ctx)
	if err != nil {
		forget()
		return false, s.remoteError("fetch from", rawURL, ai, err)
	}
	if len(refs.Branches) == 0 {
		forget()
		return false, nil
	}
	branch := s.branch()
	upstream, known := s.upstream(branch)
	if opts.Branch != "" {
		upstream, known = plumbing.NewBranchReferenceName(opts.Branch), true
	}
	if !known {
		if upstream, err = chooseUpstream(branch, refs, Redact(rawURL)); err != nil {
			forget()
			return false, err
		}
	}
	tip, err := plain.Fetch(ctx, upstream, nil)
	if err != nil || tip.IsZero() {
		forget()
		return false, err
	}
	if env.isEnvelope(tip) {
		if err := s.markEncrypted(); err != nil {
			forget()
			return false, err
		}
		return true, nil
	}
	// plain: the objects belong in the repository itself
	err = movePacks(filepath.Join(env.gitDir, "objects", "pack"), filepath.Join(s.gitDir, "objects", "pack"))
	forget()
	if err != nil {
		return false, err
	}
	repo, err := git.PlainOpen(s.dir)
	if err != nil {
		return false, err
	}
	s.repo = repo
	return false, nil
}

// markEncrypted records that origin is encrypted, keeping the envelope repository.
func (s *Store) markEncrypted() error {
	cfg, err := s.repo.Config()
	if err != nil {
		return err
	}
	if _, ok := cfg.Remotes[RemoteName]; !ok {
		return errors.New("no origin")
	}
	cfg.Raw.Section("remote").Subsection(RemoteName).SetOption(encryptedOption, "true")
	return s.setConfig(cfg)
}

// movePacks moves the pack files of one object store into another's.
func movePacks(from, to string) error {
	ents, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	if err := mkdirAll(to); err != nil {
		return err
	}
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(n, "pack-") {
			continue
		}
		if err := os.Rename(filepath.Join(from, n), filepath.Join(to, n)); err != nil {
			return fmt.Errorf("move the fetched objects: %w", err)
		}
	}
	return nil
}

// ErrPlainHistory is the error of `oneone remote URL --encrypt` for a
// remote whose branch already holds plain git commits.
var ErrPlainHistory = errors.New("holds plain git commits")

// CheckEmptyForEncryption asks the remote at url, before it becomes an
// encrypted origin, whether its branch holds plain git commits (refused: that
// history would stay readable, and sync could never push on top of it). An
// empty remote, an encrypted one, or one that cannot be asked now (offline,
// credentials, several branches) passes: sync says why later. The caller
// holds the repository's lock; what was fetched to look is removed again.
func (s *Store) CheckEmptyForEncryption(url string, opts SyncOptions) error {
	ai, err := resolveAuth(url, &opts)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), ProbeTimeout)
	defer cancel()
	dir := filepath.Join(s.gitDir, "oneone", "encrypt-check")
	_ = os.RemoveAll(dir)
	defer os.RemoveAll(dir)
	m, err := openMirror(dir, mirrorHints{})
	if err != nil {
		return nil
	}
	plain := &goGitTransport{s: m.st, rawURL: url, ai: ai}
	refs, err := plain.Refs(ctx)
	if err != nil || len(refs.Branches) == 0 {
		return nil
	}
	upstream, err := chooseUpstream(s.branch(), refs, Redact(url))
	if err != nil {
		return nil
	}
	tip, err := plain.Fetch(ctx, upstream, nil)
	if err != nil || tip.IsZero() || m.st.isEnvelope(tip) {
		return nil
	}
	return &lineError{fmt.Sprintf("%s holds plain git commits already: an encrypted remote needs an empty repository (a plain history there would stay readable): create an empty one, or run the same command without --encrypt to sync with this one as it is", clipURL(Redact(url))), []error{ErrPlainHistory}}
}
