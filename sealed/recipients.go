package sealed

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"filippo.io/age"
)

// ErrSecretKey is the error of a key argument that holds an age secret key.
var ErrSecretKey = errors.New("that holds an age secret key (AGE-SECRET-KEY-...), which must never leave its computer: give only its public key (age1...), as `oneone key` prints it on that computer")

// HasSecretKey reports whether s holds an age secret key, in any letter case.
func HasSecretKey(s string) bool { return strings.Contains(strings.ToUpper(s), "AGE-SECRET-KEY-") }

// ParseRecipient checks that s is an age X25519 public key (age1...) and
// returns it as age writes it. Anything else gets a message that says what
// it is and what to give instead; a secret key is never repeated back.
func ParseRecipient(s string) (string, error) {
	k := strings.TrimSpace(s)
	switch {
	case k == "":
		return "", fmt.Errorf("an empty key: give an age public key (age1...), as `oneone key` prints it")
	case HasSecretKey(k):
		// anywhere in it (after a comma or a space, pasted in the middle): not one byte of it is repeated
		return "", ErrSecretKey
	case strings.HasPrefix(k, "age1pq1"):
		return "", fmt.Errorf("%s is a post-quantum age key, which oneone does not use (Debian's age 1.1.1 cannot decrypt for it): give an X25519 key (age1...), as `oneone key` prints it", clip(k, 70))
	case strings.HasPrefix(k, "ssh-"):
		return "", fmt.Errorf("%s is an ssh key: oneone encrypts to age keys only: give the age1... key that `oneone key` prints", clip(k, 70))
	}
	r, err := age.ParseX25519Recipient(k)
	if err != nil {
		return "", fmt.Errorf("%q is not an age public key (age1..., 62 characters): copy it again from `oneone key`", clip(k, 70))
	}
	return r.String(), nil
}

// clip makes s fit a message: control characters shown as '?', and at most
// max bytes, cut at a character's start (a key, a path from the
// environment, a line of a manifest).
func clip(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if len(s) <= max {
		return s
	}
	cut := max - 3
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// Recipients parses keys as a set: each checked, duplicates dropped, sorted.
func Recipients(keys []string) ([]string, error) {
	var out []string
	for _, k := range keys {
		r, err := ParseRecipient(k)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ageRecipients turns checked keys into age's recipients.
func ageRecipients(keys []string) ([]age.Recipient, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("no recipients: list at least one age public key")
	}
	out := make([]age.Recipient, 0, len(keys))
	for _, k := range keys {
		r, err := age.ParseX25519Recipient(k)
		if err != nil {
			return nil, fmt.Errorf("%q is not an age public key", clip(k, 70))
		}
		out = append(out, r)
	}
	return out, nil
}
