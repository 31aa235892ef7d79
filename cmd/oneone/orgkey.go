package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/oneone/oneone/notes"
)

// pseudonymKey returns the secret the --anonymous pseudonyms are made with:
// the org settings' key in oneone.yaml (written by `org join --anonymous`,
// so that every computer of the manager publishes the same pseudonyms), else
// this user's key file (~/.config/oneone/org-key, made on first use, 0600,
// never committed).
func pseudonymKey(a *App, r *notes.Repo) ([]byte, error) {
	if o, ok, err := notes.LoadOrgSettings(r.Root); err != nil {
		return nil, err
	} else if ok && o.Key != "" {
		return hex.DecodeString(o.Key)
	}
	path := a.orgKeyPath()
	if path == "" {
		return nil, errors.New("--anonymous needs a key file and HOME is not set: set HOME (the key goes to ~/.config/oneone/org-key)")
	}
	if k, err := readKeyFile(path); err == nil {
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := notes.MkdirPrivate(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := notes.CreateFileAtomic(path, []byte(newKey()+"\n")); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return readKeyFile(path) // the one written, or the one another oneone wrote first
}

func (a *App) orgKeyPath() string {
	if d := a.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "oneone", "org-key")
	}
	if h := a.Getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "oneone", "org-key")
	}
	return ""
}

func readKeyFile(path string) ([]byte, error) {
	data, err := notes.ReadFileLimited(path, 4096)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(k) < 16 {
		return nil, fmt.Errorf("%s is not a pseudonym key (64 hex digits): delete it to make a new one (the pseudonyms then change)", path)
	}
	return k, nil
}

// newKey returns a fresh random key as 64 hex digits.
func newKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
