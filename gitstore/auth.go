package gitstore

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"github.com/oneone/oneone/sealed"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownHostsName is how known_hosts names a host: host, or [host]:port for other ports.
func knownHostsName(host string, port int) string {
	if port == 22 {
		return host
	}
	return fmt.Sprintf("[%s]:%d", host, port)
}

// userinfoRE finds the user part of URLs inside a free text: everything from
// "://" to the last "@" before a space or a quote, so that a password holding
// "/" or "@" (which breaks URL parsing) is covered too.
var userinfoRE = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)([^\s"'<>]*)@`)

// looksLikeToken reports whether the lone user part of an https URL is a token
// (https://ghp_...@github.com/...) rather than a user name. Keeping a token
// is a leak and dropping a user name costs only ONEONE_GIT_USERNAME, so what
// reads like a generated string counts as a token: 16 characters or more, a
// known prefix, or letters and digits mixed (three of each, or both letter
// cases with a digit), as in tok-5d1e88c0a4; dana, dana.reyes, oauth2 stay.
func looksLikeToken(user string) bool {
	if len(user) >= 16 {
		return true
	}
	var digits, letters int
	var upper, lower bool
	for _, r := range user {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z':
			letters++
			lower = true
		case r >= 'A' && r <= 'Z':
			letters++
			upper = true
		}
	}
	if (digits >= 3 && letters >= 3) || (upper && lower && digits > 0) {
		return true
	}
	return hasTokenPrefix(user)
}

// hasTokenPrefix reports whether s starts like a known kind of access token.
func hasTokenPrefix(s string) bool {
	for _, p := range []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glptt-", "xox"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// keptUserinfo is what may be shown or stored of a URL's user part: nothing for
// http(s) when it carries a password (even an empty one: https://TOKEN:@host) or
// when the lone user looks like a token; for other schemes (ssh://git@host) the
// user without its password, unless it looks like a token.
func keptUserinfo(scheme, info string) string {
	user, _, hasPass := strings.Cut(info, ":")
	web := strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")
	switch {
	case strings.ContainsAny(user, "/@?#"): // not a user name: a password that broke the URL
		return ""
	case web && (hasPass || looksLikeToken(user)):
		return ""
	case hasTokenPrefix(user):
		return ""
	}
	return user
}

// Redact removes passwords and tokens from a URL: https://user:tok@host/x becomes
// https://host/x (with a password, neither is kept), a lone user part that looks
// like a token is dropped, and the values in its query string are hidden
// (?access_token=***). The user part is found by position (from "://" to the last
// "@"), never by a URL parser, so that a URL that does not parse is redacted too.
func Redact(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw // scp-like git@host:path carries no secret
	}
	scheme, rest := raw[:i], raw[i+3:]
	if j := strings.LastIndex(rest, "@"); j >= 0 {
		info := rest[:j]
		rest = rest[j+1:]
		if u := keptUserinfo(scheme, info); u != "" {
			rest = u + "@" + rest
		}
	}
	if base, q, ok := strings.Cut(rest, "?"); ok {
		frag := ""
		if k := strings.IndexByte(q, '#'); k >= 0 {
			q, frag = q[:k], q[k:]
		}
		rest = base + "?" + redactQuery(q) + frag
	}
	return scheme + "://" + rest
}

// harmlessQuery are query parameters that never hold a secret (git's own ?service=).
var harmlessQuery = map[string]bool{"service": true}

// redactQuery hides every value of a query string but harmless ones: access_token=***.
func redactQuery(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		switch {
		case !ok && p != "":
			parts[i] = "***" // a bare ?TOKEN
		case ok && v != "" && !harmlessQuery[strings.ToLower(k)]:
			parts[i] = k + "=***"
		}
	}
	return strings.Join(parts, "&")
}

// queryURLRE finds a URL with a query string inside a free text.
var queryURLRE = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.\-]*://[^\s"'<>()?]*\?[^\s"'<>()#]*`)

// RedactText removes credentials from every URL inside a free text: user parts and the
// values of query strings.
func RedactText(s string) string {
	s = queryURLRE.ReplaceAllStringFunc(s, func(m string) string {
		end := len(m)
		for end > 0 && strings.ContainsRune(".,:;!", rune(m[end-1])) { // the sentence's, not the URL's
			end--
		}
		base, q, _ := strings.Cut(m[:end], "?")
		return base + "?" + redactQuery(q) + m[end:]
	})
	return userinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfoRE.FindStringSubmatch(m)
		scheme, info := sub[1], sub[2]
		if u := keptUserinfo(strings.TrimSuffix(scheme, "://"), info); u != "" && !strings.HasPrefix(strings.ToLower(scheme), "http") {
			return scheme + u + "@" // ssh://git@host: the user name is no secret
		}
		return scheme
	})
}

// scrubber redacts URLs and known secret values from error messages.
type scrubber struct{ secrets []string }

func (sc *scrubber) add(v string) {
	if len(v) >= 3 {
		sc.secrets = append(sc.secrets, v)
		if e := url.QueryEscape(v); e != v {
			sc.secrets = append(sc.secrets, e)
		}
		if e := url.PathEscape(v); e != v {
			sc.secrets = append(sc.secrets, e)
		}
	}
}

func (sc *scrubber) text(s string) string {
	s = RedactText(s)
	for _, v := range sc.secrets {
		s = strings.ReplaceAll(s, v, "***")
	}
	return s
}

// scrubbedError keeps errors.Is/As working while its text is scrubbed.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func (sc *scrubber) err(err error) error {
	if err == nil {
		return nil
	}
	return &scrubbedError{sc.text(err.Error()), err}
}

// authInfo is the authentication chosen for a remote URL.
type authInfo struct {
	method    transport.AuthMethod
	haveCreds bool   // an https credential was found
	source    string // where the credential came from (never the credential)
	host      string // the remote's host
	sc        *scrubber
	idle      time.Duration // a transfer with no byte for this long is cancelled (0: IdleTimeout)
	progress  func(int64)   // told the bytes a fetch received so far (SyncOptions.Progress)
	// identityPath is this computer's age key file, for an encrypted remote
	// (identityExplicit: named by $ONEONE_IDENTITY).
	identityPath     string
	identityExplicit bool
	identityErr      error // no place for the key (sealed.IdentityPath): said when an encrypted remote needs it
}

// Where an https credential came from.
const (
	sourceEnv             = "ONEONE_GIT_TOKEN"
	sourceURL             = "the remote URL"
	sourceCredentialsFile = "~/.git-credentials"
)

func (o *SyncOptions) getenv(k string) string {
	if o.Getenv != nil {
		return o.Getenv(k)
	}
	return os.Getenv(k)
}

func (o *SyncOptions) home() string {
	if o.Home != "" {
		return o.Home
	}
	if h := o.getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// resolveAuth picks credentials for rawURL without ever prompting.
func resolveAuth(rawURL string, o *SyncOptions) (*authInfo, error) {
	ai := &authInfo{sc: &scrubber{}, idle: o.IdleTimeout, progress: o.Progress, identityExplicit: o.getenv(sealed.IdentityEnv) != ""}
	ai.identityPath, ai.identityErr = sealed.IdentityPath(o.getenv, o.home())
	ep, err := transport.NewEndpoint(rawURL)
	if err != nil {
		return nil, fmt.Errorf("bad remote URL %s: %v", Redact(rawURL), RedactText(err.Error()))
	}
	ai.host = ep.Host
	if ep.Password != "" {
		ai.sc.add(ep.Password)
	}
	if u, err := url.Parse(rawURL); err == nil && u.RawQuery != "" { // set by hand in .git/config
		for k, vs := range u.Query() {
			for _, v := range vs {
				if !harmlessQuery[strings.ToLower(k)] {
					ai.sc.add(v)
				}
			}
		}
	}
	if u, err := url.Parse(rawURL); err == nil && u.User != nil {
		pass, hasPass := u.User.Password()
		if looksLikeToken(u.User.Username()) || hasPass && pass == "" {
			ai.sc.add(u.User.Username()) // the https://TOKEN@host and TOKEN:@host forms
		}
	}
	switch ep.Protocol {
	case "http", "https":
		user, tok := o.getenv("ONEONE_GIT_USERNAME"), o.getenv("ONEONE_GIT_TOKEN")
		ai.sc.add(tok)
		switch {
		case tok != "":
			if user == "" {
				user = ep.User
			}
			if user == "" {
				user = "oneone"
			}
			ai.method, ai.haveCreds, ai.source = &githttp.BasicAuth{Username: user, Password: tok}, true, sourceEnv
		case ep.Password != "":
			user := ep.User
			if user == "" {
				user = "oneone"
			}
			ai.method, ai.haveCreds, ai.source = &githttp.BasicAuth{Username: user, Password: ep.Password}, true, sourceURL
		default:
			if u, p, ok := gitCredentials(filepath.Join(o.home(), ".git-credentials"), ep); ok {
				ai.sc.add(p)
				if u == "" {
					u = "oneone"
				}
				ai.method, ai.haveCreds, ai.source = &githttp.BasicAuth{Username: u, Password: p}, true, sourceCredentialsFile
			}
		}
		return ai, nil
	case "ssh":
		m, err := sshAuth(ep, o)
		if err != nil {
			return nil, err
		}
		ai.method = m
		return ai, nil
	case "git", "file":
		return ai, nil
	}
	return nil, fmt.Errorf("unsupported remote URL %s: %s", Redact(rawURL), acceptedRemotes)
}

// gitCredentials finds a user and password for the endpoint in a git-credentials file.
func gitCredentials(path string, ep *transport.Endpoint) (string, string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		u, err := url.Parse(strings.TrimSpace(sc.Text()))
		if err != nil || u.User == nil || u.Scheme != ep.Protocol {
			continue
		}
		host := u.Hostname()
		if !strings.EqualFold(host, ep.Host) {
			continue
		}
		if u.Port() != "" && ep.Port != 0 && u.Port() != fmt.Sprint(ep.Port) {
			continue
		}
		if p := strings.Trim(u.Path, "/"); p != "" && !strings.HasPrefix(strings.Trim(ep.Path, "/"), p) {
			continue
		}
		if ep.User != "" && u.User.Username() != ep.User {
			continue
		}
		pass, _ := u.User.Password()
		return u.User.Username(), pass, true
	}
	return "", "", false
}

// sshAuth uses ssh-agent keys, else unencrypted ~/.ssh keys, with host keys checked
// against known_hosts (and HostKeyAlgorithms set from it, the go-git #1551 workaround).
func sshAuth(ep *transport.Endpoint, o *SyncOptions) (transport.AuthMethod, error) {
	user := ep.User
	if user == "" {
		user = "git"
	}
	home := o.home()
	var signers []ssh.Signer
	if sock := o.getenv("SSH_AUTH_SOCK"); sock != "" {
		if conn, err := net.Dial("unix", sock); err == nil {
			if ss, err := agent.NewClient(conn).Signers(); err == nil {
				signers = append(signers, ss...)
			}
			// the connection stays open for signing during the session
		}
	}
	var encrypted []string
	for _, name := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
		p := filepath.Join(home, ".ssh", name)
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		sg, err := ssh.ParsePrivateKey(data)
		if err != nil {
			var pm *ssh.PassphraseMissingError
			if errors.As(err, &pm) {
				encrypted = append(encrypted, p)
			}
			continue
		}
		signers = append(signers, sg)
	}
	if len(signers) == 0 {
		if len(encrypted) > 0 {
			return nil, fmt.Errorf("ssh key %s is passphrase-protected: load it into ssh-agent (`ssh-add %s`) and make sure SSH_AUTH_SOCK is set", encrypted[0], encrypted[0])
		}
		return nil, fmt.Errorf("no ssh key for %s: start ssh-agent with your key (`ssh-add`) or create ~/.ssh/id_ed25519", ep.Host)
	}
	var files []string
	if env := o.getenv("SSH_KNOWN_HOSTS"); env != "" {
		files = filepath.SplitList(env)
	} else {
		files = []string{filepath.Join(home, ".ssh", "known_hosts"), "/etc/ssh/ssh_known_hosts"}
	}
	var existing []string
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			existing = append(existing, f)
		}
	}
	port := ep.Port
	if port == 0 {
		port = 22
	}
	scan := "ssh-keyscan " + ep.Host
	if port != 22 {
		scan = fmt.Sprintf("ssh-keyscan -p %d %s", port, ep.Host)
	}
	if len(existing) == 0 {
		return nil, fmt.Errorf("no known_hosts file to check the host key of %s: run `%s >> ~/.ssh/known_hosts` and check the key's fingerprint with your host (or set SSH_KNOWN_HOSTS)", ep.Host, scan)
	}
	db, err := gitssh.NewKnownHostsDb(existing...)
	if err != nil {
		return nil, fmt.Errorf("read known_hosts: %w", err)
	}
	hostPort := net.JoinHostPort(ep.Host, fmt.Sprint(port))
	cb := db.HostKeyCallback()
	checked := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := cb(hostname, remote, key)
		if err == nil {
			return nil
		}
		fp := ssh.FingerprintSHA256(key)
		var ke *knownhosts.KeyError
		if errors.As(err, &ke) && len(ke.Want) > 0 {
			return fmt.Errorf("host key of %s does not match the one in %s:%d (offered %s %s): the server's key changed or someone is intercepting the connection; only if your host confirms a new key, remove the old one with `ssh-keygen -R %s` and add the new one",
				hostPort, ke.Want[0].Filename, ke.Want[0].Line, key.Type(), fp, knownHostsName(ep.Host, port))
		}
		if errors.As(err, &ke) {
			return fmt.Errorf("host key of %s is unknown (offered %s %s, not in %s): check the fingerprint with your host, then add it with `%s >> %s`",
				hostPort, key.Type(), fp, strings.Join(existing, ", "), scan, existing[0])
		}
		return fmt.Errorf("host key of %s not trusted (%v): check it and add it to %s", hostPort, err, existing[0])
	}
	return &gitssh.PublicKeysCallback{
		User:     user,
		Callback: func() ([]ssh.Signer, error) { return signers, nil },
		HostKeyCallbackHelper: gitssh.HostKeyCallbackHelper{
			HostKeyCallback:   checked,
			HostKeyAlgorithms: db.HostKeyAlgorithms(hostPort),
		},
	}, nil
}
