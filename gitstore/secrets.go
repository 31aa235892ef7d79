package gitstore

import (
	"bytes"
	"fmt"
	"regexp"
)

// CredentialError is a file oneone does not commit because one of its lines
// looks like a credential (a token, a private key): a secret in a commit is in
// the remote's history for good.
type CredentialError struct {
	Path string // repository-relative
	Line int
	Kind string // what it looks like: "a GitHub token"
}

func (e *CredentialError) Error() string {
	return fmt.Sprintf("%s:%d: looks like %s, and oneone never commits a credential: remove it from the file (keep tokens in ONEONE_GIT_TOKEN or ~/.git-credentials)", e.Path, e.Line, e.Kind)
}

// credentialKinds are the shapes of the credentials oneone refuses to commit,
// each with the literal its matches contain (a cheap first test on big files).
var credentialKinds = []struct {
	literal string
	re      *regexp.Regexp
	kind    string
}{
	{"gh", regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{4,}`), "a GitHub token"},
	{"github_pat_", regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{4,}`), "a GitHub token"},
	{"glpat-", regexp.MustCompile(`\bglpat-[A-Za-z0-9_\-]{4,}`), "a GitLab token"},
	{"xox", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9\-]{4,}`), "a Slack token"},
	{"AKIA", regexp.MustCompile(`\bAKIA[0-9A-Z]{16}\b`), "an AWS access key"},
	{"-----BEGIN ", regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----`), "a private key"},
	{"AGE-SECRET-KEY-", regexp.MustCompile(`AGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]{10,}`), "an age secret key"},
}

// findCredential returns the line (from 1) of the first thing in data that looks
// like a credential, and what it looks like; 0 when there is none.
func findCredential(data []byte) (int, string) {
	line, kind := 0, ""
	at := len(data)
	for _, k := range credentialKinds {
		if !bytes.Contains(data, []byte(k.literal)) {
			continue
		}
		if loc := k.re.FindIndex(data[:min(len(data), at+64)]); loc != nil && loc[0] < at {
			at, kind = loc[0], k.kind
		}
	}
	if kind == "" {
		return 0, ""
	}
	line = bytes.Count(data[:at], []byte("\n")) + 1
	return line, kind
}

// checkCredentials returns a *CredentialError when the content of the file at
// the repository path rel looks like it holds a credential.
func checkCredentials(rel string, data []byte) error {
	if line, kind := findCredential(data); line > 0 {
		return &CredentialError{Path: rel, Line: line, Kind: kind}
	}
	return nil
}
