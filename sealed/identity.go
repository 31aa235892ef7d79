// Package sealed holds the cryptography of oneone's encrypted remotes: this
// computer's age identity, the recipients a remote is encrypted to, the
// manifest that names the notes' tip and chains every push to the one before,
// and age encryption of packs and manifests (X25519 only, so that any age,
// Debian's 1.1.1 included, decrypts them). It knows nothing of git: gitstore
// stores what it seals (docs/encrypted-remote.md has the format).
package sealed

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
)

// IdentityEnv names the variable that points at this computer's identity file.
const IdentityEnv = "ONEONE_IDENTITY"

// Identity is this computer's age X25519 key pair, read from its file.
type Identity struct {
	Path   string
	secret *age.X25519Identity
}

// Public returns the public key (age1...) that others list as a recipient.
func (id *Identity) Public() string { return id.secret.Recipient().String() }

// Age returns the identity for age.Decrypt.
func (id *Identity) Age() age.Identity { return id.secret }

// IdentityPath is where this computer's identity lives: $ONEONE_IDENTITY,
// else ~/.config/oneone/identity.txt. A place that would surprise is refused
// rather than a key written there: a relative $ONEONE_IDENTITY (the key would
// land in whatever folder oneone runs in), or, for the default place, no
// HOME or a relative one.
func IdentityPath(getenv func(string) string, home string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if p := getenv(IdentityEnv); p != "" {
		if !filepath.IsAbs(p) {
			return "", fmt.Errorf("%s=%s is not an absolute path: the key would be read and written wherever oneone runs: give the full path of this computer's key file, such as %s", IdentityEnv, clip(p, 120), filepath.Join("/home/you", ".config", "oneone", "identity.txt"))
		}
		return filepath.Clean(p), nil
	}
	if home == "" {
		home = getenv("HOME")
	}
	if home == "" {
		return "", fmt.Errorf("HOME is not set, so this computer's key has no place (~/.config/oneone/identity.txt): set HOME, or %s to the full path of the key file", IdentityEnv)
	}
	if !filepath.IsAbs(home) {
		return "", fmt.Errorf("HOME=%s is not an absolute path, so this computer's key has no fixed place (~/.config/oneone/identity.txt): set HOME to your home folder, or %s to the full path of the key file", clip(home, 120), IdentityEnv)
	}
	return filepath.Join(home, ".config", "oneone", "identity.txt"), nil
}

// ErrNoIdentity is returned (wrapped) by LoadIdentity when the file does not exist.
var ErrNoIdentity = errors.New("no identity file yet")

// LoadIdentity reads an identity file as age-keygen writes it (comment lines,
// then one AGE-SECRET-KEY-1... line). A file others may read is refused: the
// secret key opens every note.
func LoadIdentity(path string) (*Identity, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w: run `oneone key` to create this computer's key", path, ErrNoIdentity)
	}
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", path, err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if fi, err = os.Stat(path); err != nil {
			return nil, fmt.Errorf("identity %s: %w", path, err)
		}
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("identity %s is not a regular file: point %s at this computer's age key file", path, IdentityEnv)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("identity %s can be read by others (mode %04o): it holds this computer's secret key; run `chmod 600 %s`", path, fi.Mode().Perm(), path)
	}
	if fi.Size() > 64<<10 {
		return nil, fmt.Errorf("identity %s is %d bytes, too large for an age key file: point %s at this computer's age key file", path, fi.Size(), IdentityEnv)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", path, err)
	}
	var found *age.X25519Identity
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "AGE-SECRET-KEY-PQ-") {
			return nil, fmt.Errorf("identity %s:%d: a post-quantum age key, which oneone does not use (Debian's age 1.1.1 cannot read it): create an X25519 key with `age-keygen` or let `oneone key` make one", path, n+1)
		}
		id, err := age.ParseX25519Identity(line)
		if err != nil {
			// never the line itself in the message: it may be a secret
			return nil, fmt.Errorf("identity %s:%d: not an age secret key (AGE-SECRET-KEY-1...): point %s at this computer's age key file", path, n+1, IdentityEnv)
		}
		if found != nil {
			return nil, fmt.Errorf("identity %s holds more than one key: keep one per file (oneone encrypts to one key per computer)", path)
		}
		found = id
	}
	if found == nil {
		return nil, fmt.Errorf("identity %s holds no key: delete it and run `oneone key` to create one", path)
	}
	return &Identity{Path: path, secret: found}, nil
}

// LoadOrCreateIdentity reads the identity at path, creating it first (0600 in
// a 0700 folder, as age-keygen writes it) when there is none; created says so.
func LoadOrCreateIdentity(path string, now time.Time) (id *Identity, created bool, err error) {
	id, err = LoadIdentity(path)
	if !errors.Is(err, ErrNoIdentity) {
		return id, false, err
	}
	secret, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("create %s: %w", dir, err)
	}
	if filepath.Base(dir) == "oneone" {
		_ = os.Chmod(dir, 0o700) // our own folder; a folder named by $ONEONE_IDENTITY is the user's
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# created: %s\n", now.Format(time.RFC3339))
	fmt.Fprintf(&b, "# public key: %s\n", secret.Recipient())
	fmt.Fprintf(&b, "%s\n", secret)
	// Written to a temp file, then linked into place: never a half-written
	// key, and two commands creating it at once keep the first one.
	tmp, err := os.CreateTemp(dir, ".identity-*.tmp")
	if err != nil {
		return nil, false, fmt.Errorf("create identity %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(b.Bytes())
	if err := tmp.Chmod(0o600); werr == nil {
		werr = err
	}
	if err := tmp.Sync(); werr == nil {
		werr = err
	}
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return nil, false, fmt.Errorf("write identity %s: %w", path, werr)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		id, err := LoadIdentity(path)
		return id, false, err
	} else if err != nil {
		return nil, false, fmt.Errorf("create identity %s: %w", path, err)
	}
	return &Identity{Path: path, secret: secret}, true, nil
}
