package share

import (
	"bytes"
	"strings"

	"github.com/oneone/oneone/notes"
	"gopkg.in/yaml.v3"
)

// KeysKey is the key of a profile's frontmatter that lists the report's age
// public keys when the shared agenda is end-to-end encrypted (`oneone share
// SLUG URL --encrypt --to KEY`): the shared repository is then encrypted to
// them and to the manager's recipients of oneone.yaml.
const KeysKey = "share_to"

// KeysOf returns the report's keys a profile lists (none: the shared agenda is plain).
func KeysOf(profile []byte) []string {
	if !bytes.Contains(profile, []byte(KeysKey+":")) {
		return nil
	}
	parts, err := notes.SplitFrontmatter(newDoc(profile).norm)
	if err != nil || !parts.HasFront {
		return nil
	}
	var m map[string]yaml.Node
	if yaml.Unmarshal(parts.Front, &m) != nil {
		return nil
	}
	n, ok := m[KeysKey]
	if !ok {
		return nil
	}
	var out []string
	switch n.Kind {
	case yaml.ScalarNode:
		if v := strings.TrimSpace(n.Value); v != "" && n.Tag != "!!null" {
			out = append(out, v)
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			if it.Kind == yaml.ScalarNode && strings.TrimSpace(it.Value) != "" {
				out = append(out, strings.TrimSpace(it.Value))
			}
		}
	}
	return out
}
