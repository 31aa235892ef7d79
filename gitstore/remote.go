package gitstore

import (
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// RemoteName is the remote oneone syncs with.
const RemoteName = "origin"

// RemoteURL returns the URL of origin (as stored, possibly with credentials: redact before showing).
func (s *Store) RemoteURL() (string, bool, error) {
	cfg, err := s.repo.Config()
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", filepath.Join(s.gitDir, "config"), err)
	}
	r, ok := cfg.Remotes[RemoteName]
	if !ok || len(r.URLs) == 0 {
		return "", false, nil
	}
	return r.URLs[0], true, nil
}

var remoteHelper = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*::`) // git's "ext::cmd" remote helpers

// badEndpoint refuses what is not a network remote oneone syncs with (https, ssh, git) or a local path.
func badEndpoint(raw string, ep *transport.Endpoint) bool {
	switch ep.Protocol {
	case "https", "http", "ssh", "git":
		return ep.Host == "" || strings.HasPrefix(ep.Host, "-") || strings.ContainsAny(ep.Host, " /")
	case "file": // a local bare repository by absolute path: go-git runs git-upload-pack for it
		return !strings.HasPrefix(raw, "file://") && !filepath.IsAbs(raw)
	}
	return true
}

// acceptedRemotes lists the remote forms oneone syncs with, as the README does.
const acceptedRemotes = "use https://host/owner/notes.git, ssh://git@host/owner/notes.git or git@host:owner/notes.git, git://host/notes.git, an absolute path to a bare repository (/media/usb/notes.git) or file:///media/usb/notes.git"

// CheckRemoteURL refuses what `oneone remote` would refuse (a remote helper, a
// relative path, a query string that may hold a token, anything but https,
// ssh, git or a local bare repository), with the same message.
func CheckRemoteURL(url string) error {
	ep, err := transport.NewEndpoint(url)
	if err != nil || url == "" || strings.HasPrefix(url, "-") || remoteHelper.MatchString(url) || strings.ContainsAny(url, "\t\n") || badEndpoint(url, ep) {
		looksLikePath := (strings.Contains(url, "/") || strings.HasSuffix(url, ".git")) && !strings.ContainsAny(url, " \t\n")
		if err == nil && ep.Protocol == "file" && looksLikePath && !strings.Contains(url, "://") && !strings.HasPrefix(url, "-") && !remoteHelper.MatchString(url) {
			if abs, err := filepath.Abs(url); err == nil {
				return fmt.Errorf("bad remote URL %q: a local path must be absolute, such as %s; %s", clipURL(Redact(url)), clipURL(abs), acceptedRemotes)
			}
		}
		return fmt.Errorf("bad remote URL %q: %s", clipURL(Redact(url)), acceptedRemotes)
	}
	if u, err := neturl.Parse(url); err == nil && strings.Contains(url, "://") && (u.RawQuery != "" || u.ForceQuery) {
		return fmt.Errorf("bad remote URL %q: a query string may hold a token and oneone never stores one: give the URL without \"?...\" and put the token in ONEONE_GIT_TOKEN or ~/.git-credentials instead", clipURL(Redact(url)))
	}
	if i := strings.IndexByte(url, '#'); i >= 0 && strings.Contains(url, "://") {
		// git never sends a fragment: after "#" there can only be a mistake, or a secret
		return fmt.Errorf("bad remote URL %q: a remote URL has no \"#...\" part (oneone never stores what follows it): give the URL without it, and a token in ONEONE_GIT_TOKEN or ~/.git-credentials", clipURL(Redact(url[:i]))+"#***")
	}
	return nil
}

// SetRemote creates or changes origin; credentials embedded in url are never stored
// (use ONEONE_GIT_TOKEN), so the stored URL is Redact(url).
func (s *Store) SetRemote(url string) error {
	if err := CheckRemoteURL(url); err != nil {
		return err
	}
	stored := Redact(url)
	if u, err := neturl.Parse(url); err == nil && strings.Contains(url, "://") {
		if r, err := neturl.Parse(stored); err != nil || r.Host != u.Host {
			// an "@" in the path: oneone finds credentials by position and would cut the URL there
			return fmt.Errorf("bad remote URL %q: it holds an \"@\" after its host; if that is part of a password, leave the password out and put it in ONEONE_GIT_TOKEN or ~/.git-credentials; %s", clipURL(stored), acceptedRemotes)
		}
	}
	url = stored
	unlock, err := s.Lock(DefaultLockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	cfg, err := s.repo.Config()
	if err != nil {
		return err
	}
	if r, ok := cfg.Remotes[RemoteName]; ok {
		if len(r.URLs) > 0 && !SameRemote(r.URLs[0], url) {
			forgetEncryption(s, cfg) // another remote: plain until said otherwise
		}
		if len(r.URLs) > 0 && r.URLs[0] != url {
			// Another remote may name its branches differently: the next sync picks
			// the upstream again (same name, else the remote's default branch).
			for _, b := range cfg.Branches {
				if b.Remote == RemoteName {
					b.Remote, b.Merge = "", ""
				}
			}
		}
		r.URLs = []string{url}
	} else {
		cfg.Remotes[RemoteName] = &config.RemoteConfig{
			Name:  RemoteName,
			URLs:  []string{url},
			Fetch: []config.RefSpec{config.RefSpec("+refs/heads/*:refs/remotes/" + RemoteName + "/*")},
		}
	}
	return s.setConfig(cfg)
}

func (s *Store) setConfig(cfg *config.Config) error {
	if err := s.repo.SetConfig(cfg); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(s.gitDir, "config"), err)
	}
	_ = os.Chmod(filepath.Join(s.gitDir, "config"), 0o600)
	return nil
}

// clipURL shortens a URL for a message: a very long one (pasted by mistake,
// or hostile) is cut, never echoed whole.
func clipURL(u string) string {
	const max = 160
	if len(u) <= max {
		return u
	}
	cut := max - 3
	for cut > 0 && !utf8.RuneStart(u[cut]) {
		cut--
	}
	return u[:cut] + "..."
}
