package notes

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decodeFront parses frontmatter YAML into a mapping node; empty frontmatter gives nil.
// skip is the number of file lines before the YAML, so that errors name the file's line.
func decodeFront(front []byte, skip int) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil {
		msg := yamlLine.ReplaceAllStringFunc(oneLine(err.Error()), func(m string) string {
			n, _ := strconv.Atoi(m[len("line "):])
			return "line " + strconv.Itoa(n+skip)
		})
		if skip == 0 {
			return nil, fmt.Errorf("bad YAML: %s", msg)
		}
		return nil, fmt.Errorf("bad frontmatter YAML: %s", msg)
	}
	if bytes.IndexByte(front, '*') >= 0 { // no alias without a '*': the fast path skips the walk
		if err := checkAliases(&doc); err != nil {
			if skip == 0 {
				return nil, fmt.Errorf("bad YAML: %w", err)
			}
			return nil, fmt.Errorf("bad frontmatter YAML: %w", err)
		}
	}
	if k, first := duplicateKey(&doc); k != nil {
		what := "bad frontmatter YAML"
		if skip == 0 {
			what = "bad YAML"
		}
		return nil, fmt.Errorf("%s: line %d: %q is written twice (first on line %d): keep one of them", what, k.Line+skip, oneLine(k.Value), first.Line+skip)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	m := doc.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return nil, nil
	}
	if m.Kind != yaml.MappingNode {
		what := "frontmatter"
		if skip == 0 {
			what = "YAML" // a whole file of YAML: oneone.yaml
		}
		return nil, fmt.Errorf("bad %s: expected key: value lines, found a %s", what, kindName(m))
	}
	return m, nil
}

var yamlLine = regexp.MustCompile(`line \d+`)

// duplicateKey returns the first key of a mapping that repeats an earlier key
// of the same mapping, and that earlier key, anywhere in the document (nil
// when there is none). yaml.v3 reads such a document into nodes without a
// word, and oneone's lookups would take the first; but YAML forbids it and
// other readers take the last or refuse the file, so it is bad YAML rather
// than a guess ("status: held" then "status: cancelled": which is it?).
// Aliases are not followed: each node is visited once.
func duplicateKey(n *yaml.Node) (dup, first *yaml.Node) {
	if n == nil {
		return nil, nil
	}
	if n.Kind == yaml.MappingNode {
		type key struct{ tag, value string }
		var seen map[key]*yaml.Node // only for a long mapping: a short one is compared pairwise
		if len(n.Content) > 64 {
			seen = make(map[key]*yaml.Node, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" {
				continue
			}
			if seen != nil {
				kk := key{k.ShortTag(), k.Value}
				if e := seen[kk]; e != nil {
					return k, e
				}
				seen[kk] = k
				continue
			}
			for j := 0; j < i; j += 2 {
				e := n.Content[j]
				if e.Kind == yaml.ScalarNode && e.Value == k.Value && e.ShortTag() == k.ShortTag() {
					return k, e
				}
			}
		}
	}
	for _, c := range n.Content {
		if dup, first := duplicateKey(c); dup != nil {
			return dup, first
		}
	}
	return nil, nil
}

// MaxAliasExpansion is how many values the aliases (*name) of one YAML
// document may stand for once expanded. oneone reads yaml.v3 nodes and never
// expands an alias, but every other reader of the same file does (or refuses
// it): an alias bomb — anchors of anchors, a few hundred bytes standing for
// billions of values — is bad frontmatter, not a note with unknown keys.
// Real frontmatter uses a handful of aliases, if any.
const MaxAliasExpansion = 10000

// errAliasCycle is an alias inside the value it names (&a [*a]): no reader can expand it.
var errAliasCycle = errors.New("an alias (*name) refers to the value that contains it: write the value out instead")

// checkAliases refuses a document whose aliases would expand to more than
// MaxAliasExpansion values, or that refer to themselves. It counts without
// expanding: each node's expanded size is computed once.
func checkAliases(doc *yaml.Node) error {
	const inProgress = -1
	size := map[*yaml.Node]int{}
	var walk func(n *yaml.Node) (int, error)
	walk = func(n *yaml.Node) (int, error) {
		if n == nil {
			return 0, nil
		}
		switch s := size[n]; {
		case s == inProgress:
			return 0, errAliasCycle
		case s > 0:
			return s, nil
		}
		size[n] = inProgress
		total := 1
		kids := n.Content
		if n.Kind == yaml.AliasNode {
			kids = []*yaml.Node{n.Alias}
			total = 0 // the alias is its value
		}
		for _, k := range kids {
			s, err := walk(k)
			if err != nil {
				return 0, err
			}
			total = min(total+s, 1<<40) // saturate: no overflow, however deep the anchors
		}
		size[n] = max(total, 1)
		return size[n], nil
	}
	expanded, err := walk(doc)
	if err != nil {
		return err
	}
	if written := len(size); expanded-written > MaxAliasExpansion {
		return fmt.Errorf("its aliases (*name) stand for more than %d values once expanded (an alias bomb: anchors of anchors); write the values out instead", MaxAliasExpansion)
	}
	return nil
}

// mapGet returns the value node of key in a mapping node, or nil.
func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return resolveAlias(m.Content[i+1])
		}
	}
	return nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 8; depth++ {
		n = n.Alias
	}
	return n
}

// scalar returns the text of a scalar node; other kinds are an error naming key.
func scalar(n *yaml.Node, key string) (string, error) {
	if n == nil {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("%s must be a single value, not a %s", key, kindName(n))
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return strings.TrimSpace(n.Value), nil
}

// dateValue reads an optional date-valued key.
func dateValue(n *yaml.Node, key string) (time.Time, error) {
	s, err := scalar(n, key)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	d, err := ParseDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", key, err)
	}
	return d, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "value"
	case yaml.AliasNode:
		return "alias"
	}
	return "node"
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", "; ")
	return strings.TrimPrefix(s, "yaml: ")
}
