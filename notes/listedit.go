package notes

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Lists of plain values at the top level of a YAML file (recipients: in
// oneone.yaml, share_to: in a profile), edited in place like the rest of
// fmedit.go: every other byte stays as it was, and the result is checked by
// parsing it again.

// AddConfigListItem appends value to the top-level list key of a plain YAML
// file such as oneone.yaml, creating the key when missing.
func AddConfigListItem(data []byte, key, value string) ([]byte, error) {
	return addListItem(data, key, value, true)
}

// RemoveConfigListItem removes every item equal to value from the top-level
// list key of a plain YAML file; removing the last one leaves the key empty.
func RemoveConfigListItem(data []byte, key, value string) ([]byte, error) {
	return removeListItem(data, key, value, true)
}

// AddListItem appends value to a top-level list key of a profile's frontmatter.
func AddListItem(data []byte, key, value string) ([]byte, error) {
	return addListItem(data, key, value, false)
}

// RemoveListItem removes value from a top-level list key of a profile's frontmatter.
func RemoveListItem(data []byte, key, value string) ([]byte, error) {
	return removeListItem(data, key, value, false)
}

// listValues returns the plain values of a top-level list (a single value
// counts as a list of one), and whether the key is there.
func listValues(v any) ([]any, bool, error) {
	switch cur := v.(type) {
	case nil:
		return nil, false, nil
	case []any:
		return cur, true, nil
	case string:
		return []any{cur}, true, nil
	}
	return nil, true, fmt.Errorf("must be a list of values")
}

func addListItem(data []byte, key, value string, plain bool) ([]byte, error) {
	if !keyName.MatchString(key) {
		return nil, fmt.Errorf("bad key %q", key)
	}
	text, err := scalarText(value, true)
	if err != nil {
		return nil, err
	}
	d, err := openYAML(data, plain)
	if err != nil {
		return nil, err
	}
	cur, _, err := listValues(d.old[key])
	if err != nil {
		return nil, fmt.Errorf("%s %w: fix it by hand first", key, err)
	}
	want := cloneMap(d.old)
	want[key] = append(append([]any(nil), cur...), value)
	k, v := d.entry(key)
	var out []byte
	switch {
	case k == nil:
		indent := 0
		if d.root != nil {
			indent = d.root.Column - 1
		}
		pad := strings.Repeat(" ", indent)
		out = d.insertAt(d.end, pad+key+":"+d.nl+pad+"  - "+text+d.nl)
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0:
		first, err := d.pos(v)
		if err != nil {
			return nil, err
		}
		dashIndent := v.Column - 1
		if d.src[first] != '-' {
			return nil, refused("the list at line %d does not start with -", v.Line)
		}
		last := v.Content[len(v.Content)-1]
		dashLine := last.Line
		for dashLine > v.Line {
			if t, ind := d.line(dashLine); ind == dashIndent && strings.HasPrefix(t[ind:], "-") {
				break
			}
			dashLine--
		}
		end := d.blockEnd(dashLine, dashIndent, true)
		out = d.insertAt(end, strings.Repeat(" ", dashIndent)+"- "+text+d.nl)
	case v.Kind == yaml.ScalarNode && v.Tag != "!!null":
		// a single value: the list of it and the new one
		items := []*yaml.Node{{Kind: yaml.ScalarNode, Value: v.Value, Style: v.Style}, {Kind: yaml.ScalarNode, Value: value}}
		out, err = d.rewriteScalarAsList(k, v, items)
	default:
		var items []*yaml.Node
		if v.Kind == yaml.SequenceNode {
			items = append(items, v.Content...)
		}
		items = append(items, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
		out, err = d.rewriteAsBlock(k, v, items, nil)
	}
	if err != nil {
		return nil, err
	}
	return d.verify(out, want)
}

// rewriteScalarAsList replaces key: VALUE (on one line) by a block list of items.
func (d *yamlDoc) rewriteScalarAsList(k, v *yaml.Node, items []*yaml.Node) ([]byte, error) {
	at, err := d.pos(v)
	if err != nil {
		return nil, err
	}
	if v.Line != k.Line {
		return nil, refused("the value of %s is not on its key's line", k.Value)
	}
	e, err := d.tokenEnd(v, at)
	if err != nil {
		return nil, err
	}
	ce, err := d.colonEnd(k)
	if err != nil {
		return nil, err
	}
	le := d.lineEnd(e)
	if !restIsComment(d.src[e:le]) {
		return nil, refused("unexpected text after %s at line %d", k.Value, k.Line)
	}
	pad := strings.Repeat(" ", k.Column-1) + "  - "
	var b strings.Builder
	for _, it := range items {
		t, err := scalarText(it.Value, true)
		if err != nil {
			return nil, err
		}
		b.WriteString(pad + t + d.nl)
	}
	var out []byte
	out = append(out, d.src[:ce]...)
	out = append(out, d.src[e:le]...) // a comment after the old value
	out = append(out, d.nl...)
	out = append(out, b.String()...)
	return append(out, d.src[d.nextLine(le):]...), nil
}

func removeListItem(data []byte, key, value string, plain bool) ([]byte, error) {
	d, err := openYAML(data, plain)
	if err != nil {
		return nil, err
	}
	cur, there, err := listValues(d.old[key])
	if err != nil {
		return nil, fmt.Errorf("%s %w: fix it by hand first", key, err)
	}
	if !there {
		return data, nil
	}
	var keep []any
	for _, c := range cur {
		if s, ok := c.(string); !ok || s != value {
			keep = append(keep, c)
		}
	}
	if len(keep) == len(cur) {
		return data, nil
	}
	want := cloneMap(d.old)
	want[key] = keep
	if len(keep) == 0 {
		want[key] = nil
	}
	k, v := d.entry(key)
	if v.Kind == yaml.ScalarNode { // a single value, the one that goes: the key stays, empty
		at, err := d.pos(v)
		if err != nil {
			return nil, err
		}
		e, err := d.tokenEnd(v, at)
		if err != nil {
			return nil, err
		}
		ce, err := d.colonEnd(k)
		if err != nil {
			return nil, err
		}
		return d.verify(d.replace(ce, e, ""), want)
	}
	if v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 {
		// a block list: drop the lines of the items that go, when each is a
		// plain "- value" line of its own
		out := d.src
		removed := 0
		for i := len(v.Content) - 1; i >= 0; i-- {
			it := v.Content[i]
			if it.Kind != yaml.ScalarNode || it.Value != value {
				continue
			}
			t, ind := d.line(it.Line)
			rest := strings.TrimSpace(strings.TrimPrefix(t[ind:], "-"))
			if !strings.HasPrefix(t[ind:], "-") || (rest != it.Value && !strings.HasPrefix(rest, it.Value+" #") && rest != `"`+it.Value+`"` && rest != "'"+it.Value+"'") {
				removed = -1
				break
			}
			from := d.lines[it.Line-1]
			to := d.nextLine(from)
			out = append(append([]byte(nil), out[:from]...), out[to:]...)
			removed++
		}
		if removed > 0 {
			if r, err := d.verify(out, want); err == nil {
				return r, nil
			}
		}
	}
	var items []*yaml.Node
	if v.Kind == yaml.SequenceNode {
		for _, it := range v.Content {
			if !(it.Kind == yaml.ScalarNode && it.Value == value) {
				items = append(items, it)
			}
		}
	}
	out, err := d.rewriteAsBlock(k, v, items, nil)
	if err != nil {
		return nil, err
	}
	return d.verify(out, want)
}

// stringList reads a top-level key holding a list of plain values (or one
// value): nil when the key is missing, empty (not nil) when it holds nothing.
func stringList(n *yaml.Node, key string) ([]string, error) {
	if n == nil {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return []string{}, nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{strings.TrimSpace(n.Value)}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s must be a list, not a %s", key, kindName(n))
	}
	out := make([]string, 0, len(n.Content))
	for i, it := range n.Content {
		it = resolveAlias(it)
		if it == nil || it.Kind != yaml.ScalarNode || it.Tag == "!!null" {
			return nil, fmt.Errorf("%s[%d] must be a single value", key, i+1)
		}
		out = append(out, strings.TrimSpace(it.Value))
	}
	return out, nil
}
