package gitstore

import (
	"slices"
)

// Encrypt makes the shared agenda's remote at url an encrypted remote for
// keys (the manager's recipients and the report's keys), or a plain one when
// keys is empty. The setting lives in the shared copy's own config, made
// again from the committed profile at every sync: a second computer of the
// manager encrypts as the first does.
func (b *SharedRepo) Encrypt(url string, keys []string) error {
	if err := b.useRemote(url); err != nil {
		return err
	}
	b.st.recipients = nil
	if len(keys) > 0 {
		b.st.recipients = slices.Clone(keys)
	}
	on := len(keys) > 0
	if b.st.Encrypted() == on {
		return nil
	}
	cfg, err := b.st.repo.Config()
	if err != nil {
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
