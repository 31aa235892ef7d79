package gitstore

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/oneone/oneone/sealed"
)

// Encrypt makes the shared agenda's remote at url an encrypted remote for
// keys (the manager's recipients and the report's keys), or a plain one when
// keys is empty. The setting lives in the shared copy's own config, made
// again from the committed profile at every sync: a second computer of the
// manager encrypts as the first does.
func (b *SharedRepo) Encrypt(url string, keys []string) error {
	b.st.recipients = nil
	if len(keys) > 0 {
		b.st.recipients = slices.Clone(keys)
	}
	on := len(keys) > 0
	cfg, err := b.st.repo.Config()
	if err != nil {
		return err
	}
	if r, ok := cfg.Remotes[RemoteName]; ok && len(r.URLs) == 1 && r.URLs[0] == Redact(url) && (remoteOption(cfg, encryptedOption) == "true") == on {
		return nil // as it was: nothing written
	}
	if err := b.useRemote(url); err != nil {
		return err
	}
	if cfg, err = b.st.repo.Config(); err != nil {
		return err
	}
	sub := cfg.Raw.Section("remote").Subsection(RemoteName)
	if on {
		sub.SetOption(encryptedOption, "true")
	} else {
		sub.RemoveOption(encryptedOption)
	}
	return b.st.setConfig(cfg)
}

// Encrypted reports whether the shared agenda's remote is encrypted.
func (b *SharedRepo) Encrypted() bool { return b.st.Encrypted() }

// NeedsRekey reports whether the shared agenda's encrypted remote is
// encrypted for other keys than those set now (a computer of the manager's
// added or removed, the report's key changed): the next publish encrypts it
// again, even when no file changed. It reads only what this computer
// remembers of the remote.
func (b *SharedRepo) NeedsRekey(tip SharedTip) bool {
	if len(b.st.recipients) == 0 || !b.st.Encrypted() || tip.Commit == "" {
		return false
	}
	want, err := sealed.Recipients(b.st.recipients)
	if err != nil {
		return false // the push says why
	}
	var st encryptedState
	data, err := os.ReadFile(filepath.Join(b.st.envelopeDir(), "oneone-state.json"))
	if err != nil || json.Unmarshal(data, &st) != nil {
		return false
	}
	e := st.Branches[plumbing.NewBranchReferenceName(tip.Branch).String()]
	if e == nil {
		return false
	}
	m, err := e.manifest()
	return err == nil && m.Tip == tip.Commit && !slices.Equal(m.Recipients, want)
}

// rekey pushes the shared agenda's tip again, encrypted for the keys set now
// (a new generation of the encrypted remote; the same commit).
func (b *SharedRepo) rekey(ctx context.Context, tr Transport, branch plumbing.ReferenceName, tip plumbing.Hash) error {
	return tr.Push(ctx, branch, tip, tip, nil)
}

// SetRetrust gives the command that makes this computer trust the shared
// agenda's encrypted remote anew (`oneone share SLUG URL --encrypt --to
// AGE-KEY`), which the errors of a remote it can no longer check name.
func (b *SharedRepo) SetRetrust(cmd string) { b.st.retrust = cmd }

// Retrust forgets what this computer saw of the shared agenda's encrypted
// remote: the next fetch takes it as it is then (what `oneone share SLUG URL
// --encrypt` does, as `oneone remote URL --encrypt` does for origin).
func (b *SharedRepo) Retrust() error {
	if err := os.RemoveAll(b.st.envelopeDir()); err != nil {
		return fmt.Errorf("forget the encrypted remote's copy %s: %w", b.st.envelopeDir(), err)
	}
	return nil
}
