package sealed

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// FormatLine is the first line of every manifest: the format and its version.
const FormatLine = "oneone encrypted remote v1"

// MaxManifest is the largest manifest oneone reads (it holds a few lines).
const MaxManifest = 1 << 20

// Manifest is the plaintext of manifest.age: what one push of an encrypted
// remote's branch holds. Its fields are lines of text, in this order:
//
//	oneone encrypted remote v1
//	branch refs/heads/main
//	tip <the notes' commit, 40 hex digits>
//	seq <1 for the first push, one more for each push after>
//	prev <SHA-256 of the previous manifest's plaintext; 32 random bytes for the first>
//	generation <1, one more each time the recipients change>
//	recipient age1...            (one line per key, sorted)
//	packs <count> <SHA-256 over the pack names, sorted, each followed by "\n">
//
// The packs are the files packs/XX/<name>.age of the same commit, <name> the
// SHA-256 of the file's bytes: age-encrypted git packs whose objects, all
// together, are every object reachable from tip.
type Manifest struct {
	Branch     string
	Tip        string
	Seq        uint64
	Prev       string
	Generation uint64
	Recipients []string
	Packs      int
	PackDigest string
}

var (
	hex40 = regexp.MustCompile(`^[0-9a-f]{40}$`)
	hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Encode writes the manifest as text.
func (m *Manifest) Encode() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nbranch %s\ntip %s\nseq %d\nprev %s\ngeneration %d\n", FormatLine, m.Branch, m.Tip, m.Seq, m.Prev, m.Generation)
	for _, r := range m.Recipients {
		fmt.Fprintf(&b, "recipient %s\n", r)
	}
	fmt.Fprintf(&b, "packs %d %s\n", m.Packs, m.PackDigest)
	return b.Bytes()
}

// ErrBadManifest is wrapped by every error of a manifest that does not read.
var ErrBadManifest = errors.New("not a valid manifest")

// ParseManifest reads a manifest's plaintext strictly: every line in its
// place, nothing else.
func ParseManifest(data []byte) (*Manifest, error) {
	bad := func(format string, args ...any) (*Manifest, error) {
		return nil, fmt.Errorf("%w: %s", ErrBadManifest, fmt.Sprintf(format, args...))
	}
	if len(data) > MaxManifest {
		return bad("%d bytes", len(data))
	}
	text := string(data)
	if !strings.HasSuffix(text, "\n") {
		return bad("it does not end with a new line")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] != FormatLine {
		if len(lines) > 0 && strings.HasPrefix(lines[0], "oneone encrypted remote v") {
			return bad("written in a newer format (%q): upgrade oneone", clip(lines[0], 70))
		}
		return bad("it does not start with %q", FormatLine)
	}
	m := &Manifest{}
	i := 1
	field := func(key string) (string, bool) {
		if i >= len(lines) {
			return "", false
		}
		v, ok := strings.CutPrefix(lines[i], key+" ")
		if ok {
			i++
		}
		return v, ok
	}
	var ok bool
	if m.Branch, ok = field("branch"); !ok || !strings.HasPrefix(m.Branch, "refs/heads/") || strings.ContainsAny(m.Branch, " \t") {
		return bad("line %d: want branch refs/heads/NAME", i+1)
	}
	if m.Tip, ok = field("tip"); !ok || !hex40.MatchString(m.Tip) {
		return bad("line %d: want tip and a commit hash", i+1)
	}
	num := func(key string) (uint64, error) {
		v, ok := field(key)
		n, err := strconv.ParseUint(v, 10, 64)
		if !ok || err != nil || n == 0 || strconv.FormatUint(n, 10) != v {
			return 0, fmt.Errorf("%w: line %d: want %s and a number from 1", ErrBadManifest, i+1, key)
		}
		return n, nil
	}
	var err error
	if m.Seq, err = num("seq"); err != nil {
		return nil, err
	}
	if m.Prev, ok = field("prev"); !ok || !hex64.MatchString(m.Prev) {
		return bad("line %d: want prev and a SHA-256", i+1)
	}
	if m.Generation, err = num("generation"); err != nil {
		return nil, err
	}
	for {
		r, ok := field("recipient")
		if !ok {
			break
		}
		k, err := ParseRecipient(r)
		if err != nil || k != r {
			return bad("line %d: not an age public key", i)
		}
		if n := len(m.Recipients); n > 0 && m.Recipients[n-1] >= r {
			return bad("line %d: recipients out of order or repeated", i)
		}
		m.Recipients = append(m.Recipients, r)
	}
	if len(m.Recipients) == 0 {
		return bad("no recipient")
	}
	v, ok := field("packs")
	count, digest, _ := strings.Cut(v, " ")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n < 0 || strconv.Itoa(n) != count || !hex64.MatchString(digest) {
		return bad("line %d: want packs, a count and a SHA-256", i+1)
	}
	m.Packs, m.PackDigest = n, digest
	if i != len(lines) {
		return bad("line %d: unexpected %q", i+1, clip(lines[i], 70))
	}
	return m, nil
}

// Hash is the SHA-256 of a manifest's plaintext, as the next one's prev names it.
func Hash(plaintext []byte) string {
	s := sha256.Sum256(plaintext)
	return hex.EncodeToString(s[:])
}

// Name is the name of a file stored on the remote: the SHA-256 of its bytes.
func Name(ciphertext []byte) string { return Hash(ciphertext) }

// PackDigest is the SHA-256 over the pack names, sorted, each followed by a new line.
func PackDigest(names []string) string {
	s := slices.Clone(names)
	slices.Sort(s)
	h := sha256.New()
	for _, n := range s {
		h.Write([]byte(n + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// First returns the manifest of a branch's first push: seq 1, generation 1,
// and 32 random bytes as prev, so that the chain starts from a secret.
func First(branch, tip string, recipients []string, packs []string) (*Manifest, error) {
	var nonce [32]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, err
	}
	return &Manifest{Branch: branch, Tip: tip, Seq: 1, Prev: hex.EncodeToString(nonce[:]), Generation: 1,
		Recipients: recipients, Packs: len(packs), PackDigest: PackDigest(packs)}, nil
}

// Next returns the manifest that follows prev (whose plaintext is prevText):
// seq one more, prev its hash, a new generation when the recipients changed.
func Next(prev *Manifest, prevText []byte, tip string, recipients []string, packs []string) *Manifest {
	m := &Manifest{Branch: prev.Branch, Tip: tip, Seq: prev.Seq + 1, Prev: Hash(prevText), Generation: prev.Generation,
		Recipients: recipients, Packs: len(packs), PackDigest: PackDigest(packs)}
	if !slices.Equal(recipients, prev.Recipients) {
		m.Generation++
	}
	return m
}

// ErrBrokenChain is wrapped by Follows: a manifest that is not the next one.
var ErrBrokenChain = errors.New("the manifest does not follow the previous one")

// Follows checks that next is the manifest pushed right after the one whose
// plaintext is prevText: the next seq, prev naming its hash, the same branch,
// a generation that changes exactly when the recipients do. Only someone who
// could read the previous manifest can write one that follows it.
func Follows(prevText []byte, next *Manifest) error {
	prev, err := ParseManifest(prevText)
	if err != nil {
		return err
	}
	switch {
	case next.Prev != Hash(prevText):
		return fmt.Errorf("%w: it does not name the previous manifest (an old manifest replayed, or one written by someone who cannot read the remote)", ErrBrokenChain)
	case next.Seq != prev.Seq+1:
		return fmt.Errorf("%w: push %d after push %d", ErrBrokenChain, next.Seq, prev.Seq)
	case next.Branch != prev.Branch:
		return fmt.Errorf("%w: it is for %s, the previous one for %s", ErrBrokenChain, next.Branch, prev.Branch)
	case slices.Equal(next.Recipients, prev.Recipients) && next.Generation != prev.Generation,
		!slices.Equal(next.Recipients, prev.Recipients) && next.Generation != prev.Generation+1:
		return fmt.Errorf("%w: generation %d after generation %d", ErrBrokenChain, next.Generation, prev.Generation)
	}
	return nil
}
