package notes

import (
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
