package notes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// This file edits YAML in place: in a profile's frontmatter or in a plain
// YAML file such as oneone.yaml. yaml.v3 nodes give the positions; the edit
// splices text at those positions so that comments, key order, quoting, other
// keys, line endings, a byte order mark and the Markdown body stay exactly as
// they were. Every edit is checked by parsing the result again: when the
// result does not decode to the old content plus the intended change, the
// edit is refused rather than written.

// ErrEditRefused wraps every refusal of an edit that could not be made safely.
var ErrEditRefused = errors.New("cannot edit the YAML safely")

func refused(format string, args ...any) error {
	return fmt.Errorf("%w: %s; edit the file by hand", ErrEditRefused, fmt.Sprintf(format, args...))
}

// AddTheme appends a theme to the themes list of a profile's frontmatter.
func AddTheme(data []byte, t Theme) ([]byte, error) { return addTheme(data, t, false) }

// SetThemeStatus sets the status of the theme titled title (matched
// case-insensitively) in a profile's frontmatter. An unknown or ambiguous
// title gives a *ThemeMatchError listing the candidates.
func SetThemeStatus(data []byte, title, status string) ([]byte, error) {
	return setThemeStatus(data, title, status, false)
}

// SetTopLevelKey sets a top-level scalar key of a profile's frontmatter, adding it when missing.
func SetTopLevelKey(data []byte, key, value string) ([]byte, error) {
	return setTopLevelKey(data, key, value, false)
}

// AppendAbsence appends {from, to} to the top-level away list of a profile's frontmatter.
func AppendAbsence(data []byte, a Absence) ([]byte, error) { return appendAbsence(data, a, false) }

// SetConfigKey sets a top-level scalar key of a plain YAML file such as oneone.yaml.
func SetConfigKey(data []byte, key, value string) ([]byte, error) {
	return setTopLevelKey(data, key, value, true)
}

// AppendConfigAbsence appends {from, to} to the away list of a plain YAML file such as oneone.yaml.
func AppendConfigAbsence(data []byte, a Absence) ([]byte, error) { return appendAbsence(data, a, true) }

func addTheme(data []byte, t Theme, plain bool) ([]byte, error) {
	if strings.TrimSpace(t.Title) == "" {
		return nil, errors.New("a theme needs a title")
	}
	if t.Status == "" {
		t.Status = ThemeActive
	}
	d, err := openYAML(data, plain)
	if err != nil {
		return nil, err
	}
	fields := []field{{"title", t.Title, true}}
	if !t.Started.IsZero() {
		fields = append(fields, field{"started", FormatDate(t.Started), false})
	}
	if !t.Due.IsZero() {
		fields = append(fields, field{"due", FormatDate(t.Due), false})
	}
	fields = append(fields, field{"status", t.Status, false})
	if _, v := d.entry("themes"); v != nil && v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			if tt := mapGet(item, "title"); tt != nil && themeKey(tt.Value) == themeKey(t.Title) {
				st := "active"
				if s := mapGet(item, "status"); s != nil && s.Value != "" {
					st = strings.ToLower(s.Value)
				}
				// titles name themes in every note's ratings: one title, one theme
				return nil, fmt.Errorf("theme %q already exists (%s): ratings in notes name a theme by its title, so pick another, e.g. %q", tt.Value, st, t.Title+" (again)")
			}
		}
	}
	return d.appendItem("themes", fields)
}

func appendAbsence(data []byte, a Absence, plain bool) ([]byte, error) {
	if a.From.IsZero() || a.To.IsZero() || a.To.Before(a.From) {
		return nil, errors.New("an absence needs a from date on or before its to date")
	}
	d, err := openYAML(data, plain)
	if err != nil {
		return nil, err
	}
	return d.appendItem("away", []field{{"from", FormatDate(a.From), false}, {"to", FormatDate(a.To), false}})
}

// field is one key: value of a mapping oneone writes; str values are always strings.
type field struct {
	key, value string
	str        bool
}

// yamlDoc is a YAML mapping inside src[start:end] with its parsed nodes.
type yamlDoc struct {
	src        []byte
	start, end int
	plain      bool
	nl         string // line ending for new lines
	lines      []int  // absolute offset of each line start in the region; lines[0] is line 1
	root       *yaml.Node
	old        map[string]any
}

func openYAML(data []byte, plain bool) (*yamlDoc, error) {
	d := &yamlDoc{src: data, plain: plain, nl: "\n"}
	if err := checkText(data, 1<<20); err != nil {
		return nil, err
	}
	if plain {
		if bytes.HasPrefix(data, bom) {
			d.start = len(bom)
		}
		d.end = len(data)
	} else {
		parts, err := SplitFrontmatter(data)
		if err != nil {
			return nil, err
		}
		if !parts.HasFront {
			return nil, errors.New("no frontmatter: the file must start with a --- line")
		}
		d.start, d.end = parts.FrontStart, parts.FrontEnd
	}
	region := data[d.start:d.end]
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		d.nl = "\r\n"
	}
	d.lines = []int{d.start}
	for i, c := range region {
		if c == '\n' {
			d.lines = append(d.lines, d.start+i+1)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(region, &doc); err != nil {
		return nil, fmt.Errorf("bad YAML: %s", oneLine(err.Error()))
	}
	if bytes.IndexByte(region, '*') >= 0 {
		if err := checkAliases(&doc); err != nil { // before decodeMap would expand them
			return nil, fmt.Errorf("bad YAML: %w", err)
		}
	}
	if k, first := duplicateKey(&doc); k != nil { // as the readers say it (decodeFront)
		skip := 0
		if !plain {
			skip = 1 // the opening --- line
		}
		return nil, fmt.Errorf("bad YAML: line %d: %q is written twice (first on line %d): keep one of them", k.Line+skip, oneLine(k.Value), first.Line+skip)
	}
	if len(doc.Content) > 0 {
		r := doc.Content[0]
		switch {
		case r.Kind == yaml.MappingNode:
			d.root = r
		case r.Kind == yaml.ScalarNode && r.Tag == "!!null":
		default:
			return nil, fmt.Errorf("bad YAML: expected key: value lines, found a %s", kindName(r))
		}
	}
	var err error
	if d.old, err = decodeMap(region); err != nil {
		return nil, err
	}
	return d, nil
}

func decodeMap(b []byte) (map[string]any, error) {
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, refused("the YAML does not decode: %s", oneLine(err.Error()))
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// entry returns the key and value nodes of a top-level key, or nils.
func (d *yamlDoc) entry(key string) (*yaml.Node, *yaml.Node) {
	if d.root == nil {
		return nil, nil
	}
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		if d.root.Content[i].Value == key {
			return d.root.Content[i], d.root.Content[i+1]
		}
	}
	return nil, nil
}

// pos returns the absolute byte offset of a node's line and (rune) column.
func (d *yamlDoc) pos(n *yaml.Node) (int, error) {
	if n.Line < 1 || n.Line > len(d.lines) || n.Column < 1 {
		return 0, refused("position %d:%d is outside the YAML", n.Line, n.Column)
	}
	off := d.lines[n.Line-1]
	for c := 1; c < n.Column; c++ {
		if off >= d.end || d.src[off] == '\n' {
			return 0, refused("position %d:%d is outside its line", n.Line, n.Column)
		}
		_, w := utf8.DecodeRune(d.src[off:d.end])
		off += w
	}
	return off, nil
}

// lineEnd returns the offset of the end of the line holding off, before any \r\n or \n.
func (d *yamlDoc) lineEnd(off int) int {
	i := bytes.IndexByte(d.src[off:d.end], '\n')
	if i < 0 {
		return d.end
	}
	e := off + i
	if e > off && d.src[e-1] == '\r' {
		e--
	}
	return e
}

// nextLine returns the offset of the line after the one holding off (d.end at the last line).
func (d *yamlDoc) nextLine(off int) int {
	i := bytes.IndexByte(d.src[off:d.end], '\n')
	if i < 0 {
		return d.end
	}
	return off + i + 1
}

// line returns line n (1-based) without its ending, and its indentation in spaces.
func (d *yamlDoc) line(n int) (string, int) {
	s := d.lines[n-1]
	text := string(d.src[s:d.lineEnd(s)])
	return text, len(text) - len(strings.TrimLeft(text, " "))
}

// tokenEnd returns the end of the single-line scalar token at the node's position.
func (d *yamlDoc) tokenEnd(n *yaml.Node, at int) (int, error) {
	le := d.lineEnd(at)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := at + 1; i < le; i++ {
			if d.src[i] == '\\' {
				i++
				continue
			}
			if d.src[i] == '"' {
				return i + 1, nil
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := at + 1; i < le; i++ {
			if d.src[i] == '\'' {
				if i+1 < le && d.src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) == 0 && n.Anchor == "":
		if e := at + len(n.Value); e <= le && string(d.src[at:e]) == n.Value {
			return e, nil
		}
	}
	return 0, refused("the value at line %d is not a simple one-line value", n.Line)
}

// colonEnd returns the offset just after the ':' that follows a mapping key.
func (d *yamlDoc) colonEnd(key *yaml.Node) (int, error) {
	at, err := d.pos(key)
	if err != nil {
		return 0, err
	}
	e, err := d.tokenEnd(key, at)
	if err != nil {
		return 0, err
	}
	le := d.lineEnd(e)
	for e < le && (d.src[e] == ' ' || d.src[e] == '\t') {
		e++
	}
	if e >= le || d.src[e] != ':' {
		return 0, refused("no ':' after the key %q at line %d", key.Value, key.Line)
	}
	return e + 1, nil
}

// restIsComment reports whether src[from:to] holds only blanks and a comment.
func restIsComment(b []byte) bool {
	t := bytes.TrimLeft(b, " \t")
	return len(t) == 0 || t[0] == '#'
}

// blockEnd returns the offset after the last line that belongs to a block
// starting at line first whose lines are indented more than indent (plus
// further "- " items at indent when items is true).
func (d *yamlDoc) blockEnd(first, indent int, items bool) int {
	last := first
	for n := first + 1; n <= len(d.lines); n++ {
		text, ind := d.line(n)
		if strings.TrimSpace(text) == "" {
			continue
		}
		if ind > indent || (items && ind == indent && (text[ind:] == "-" || strings.HasPrefix(text[ind:], "- "))) {
			last = n
			continue
		}
		break
	}
	return d.nextLine(d.lines[last-1])
}

// insertAt returns src with text inserted at off, adding a line ending first when off ends an unterminated last line.
func (d *yamlDoc) insertAt(off int, text string) []byte {
	if off > d.start && d.src[off-1] != '\n' {
		text = d.nl + text
	}
	out := make([]byte, 0, len(d.src)+len(text))
	out = append(out, d.src[:off]...)
	out = append(out, text...)
	return append(out, d.src[off:]...)
}

func (d *yamlDoc) replace(from, to int, text string) []byte {
	out := make([]byte, 0, len(d.src)+len(text))
	out = append(out, d.src[:from]...)
	out = append(out, text...)
	return append(out, d.src[to:]...)
}

// scalarText writes a value as a one-line YAML scalar: plain when that reads back the same, quoted otherwise.
func scalarText(value string, str bool) (string, error) {
	if strings.ContainsAny(value, "\r\n") {
		return "", fmt.Errorf("%q spans several lines: use a single line", value)
	}
	for _, r := range value {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return "", fmt.Errorf("%q holds a control character", value)
		}
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: value}
	if str {
		n.Tag = "!!str"
	}
	b, err := yaml.Marshal(n)
	if err == nil {
		s := strings.TrimSuffix(string(b), "\n")
		if !strings.Contains(s, "\n") {
			return s, nil
		}
	}
	j, err := json.Marshal(value)
	if err != nil {
		return "", err
	}
	return string(j), nil
}

// decodeFields returns the generic value a list item of fields decodes to.
func decodeFields(fields []field) (map[string]any, error) {
	var b strings.Builder
	for _, f := range fields {
		v, err := scalarText(f.value, f.str)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s: %s\n", f.key, v)
	}
	return decodeMap([]byte(b.String()))
}

// appendItem appends a mapping of fields to the top-level list key, creating the key when missing.
func (d *yamlDoc) appendItem(key string, fields []field) ([]byte, error) {
	item, err := decodeFields(fields)
	if err != nil {
		return nil, err
	}
	want := cloneMap(d.old)
	switch cur := want[key].(type) {
	case nil:
		want[key] = []any{item}
	case []any:
		want[key] = append(append([]any(nil), cur...), item)
	default:
		return nil, fmt.Errorf("%s must be a list, not a single value: fix it by hand first", key)
	}

	k, v := d.entry(key)
	var out []byte
	switch {
	case k == nil:
		indent := 0
		if d.root != nil {
			indent = d.root.Column - 1
		}
		pad := strings.Repeat(" ", indent)
		text, err := itemText(fields, pad+"  ", pad+"    ")
		if err != nil {
			return nil, err
		}
		out = d.insertAt(d.end, pad+key+":"+d.nl+strings.ReplaceAll(text, "\n", d.nl))
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0:
		out, err = d.appendBlockItem(v, fields)
	default:
		var items []*yaml.Node
		if v.Kind == yaml.SequenceNode {
			items = v.Content
		}
		out, err = d.rewriteAsBlock(k, v, items, fields)
	}
	if err != nil {
		return nil, err
	}
	return d.verify(out, want)
}

// itemText renders a list item: the first field after "- " at dashPad, the others at keyPad.
func itemText(fields []field, dashPad, keyPad string) (string, error) {
	var b strings.Builder
	for i, f := range fields {
		v, err := scalarText(f.value, f.str)
		if err != nil {
			return "", err
		}
		if i == 0 {
			lead := "- "
			if w := len(keyPad) - len(dashPad) - 1; w > 1 {
				lead = "-" + strings.Repeat(" ", w)
			}
			b.WriteString(dashPad + lead)
		} else {
			b.WriteString(keyPad)
		}
		fmt.Fprintf(&b, "%s: %s\n", f.key, v)
	}
	return b.String(), nil
}

// appendBlockItem adds an item after the last item of a block list, in the same indentation.
func (d *yamlDoc) appendBlockItem(seq *yaml.Node, fields []field) ([]byte, error) {
	first, err := d.pos(seq)
	if err != nil {
		return nil, err
	}
	dashIndent := seq.Column - 1
	if d.src[first] != '-' {
		return nil, refused("the list at line %d does not start with -", seq.Line)
	}
	lastItem := seq.Content[len(seq.Content)-1]
	keyIndent := dashIndent + 2
	if lastItem.Kind == yaml.MappingNode && lastItem.Style&yaml.FlowStyle == 0 && lastItem.Column-1 > dashIndent {
		keyIndent = lastItem.Column - 1
	}
	dashLine := lastItem.Line
	for dashLine > seq.Line {
		if text, ind := d.line(dashLine); ind == dashIndent && strings.HasPrefix(text[ind:], "-") {
			break
		}
		dashLine--
	}
	end := d.blockEnd(dashLine, dashIndent, true)
	text, err := itemText(fields, strings.Repeat(" ", dashIndent), strings.Repeat(" ", keyIndent))
	if err != nil {
		return nil, err
	}
	return d.insertAt(end, strings.ReplaceAll(text, "\n", d.nl)), nil
}

// rewriteAsBlock replaces the value of key k (empty, null, a flow list, or a
// block list holding flow items) by a block list of items plus, when fields
// is not empty, a new item; a comment on the key's line stays.
func (d *yamlDoc) rewriteAsBlock(k, v *yaml.Node, items []*yaml.Node, fields []field) ([]byte, error) {
	ce, err := d.colonEnd(k)
	if err != nil {
		return nil, err
	}
	valEnd, resume := ce, -1
	switch {
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		if v.Value != "" {
			at, err := d.pos(v)
			if err != nil {
				return nil, err
			}
			if valEnd, err = d.tokenEnd(v, at); err != nil {
				return nil, err
			}
		}
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle != 0:
		at, err := d.pos(v)
		if err != nil {
			return nil, err
		}
		if valEnd, err = d.flowEnd(at); err != nil {
			return nil, err
		}
	case v.Kind == yaml.SequenceNode && v.Line > k.Line:
		resume = d.blockEnd(v.Line, v.Column-1, true)
	default:
		return nil, refused("%s at line %d is not a list", k.Value, k.Line)
	}
	le := d.lineEnd(valEnd)
	if !restIsComment(d.src[valEnd:le]) {
		return nil, refused("unexpected text after %s at line %d", k.Value, k.Line)
	}
	if resume < 0 {
		resume = d.nextLine(le)
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
	for _, c := range seq.Content {
		blockStyle(c)
	}
	var enc bytes.Buffer
	e := yaml.NewEncoder(&enc)
	e.SetIndent(2)
	if len(seq.Content) > 0 {
		if err := e.Encode(seq); err != nil {
			return nil, refused("cannot write the list %s: %v", k.Value, err)
		}
	}
	_ = e.Close()
	indent := strings.Repeat(" ", k.Column-1)
	var b strings.Builder
	for _, l := range strings.SplitAfter(enc.String(), "\n") {
		if l != "" {
			b.WriteString(indent + "  " + l)
		}
	}
	if len(fields) > 0 {
		text, err := itemText(fields, indent+"  ", indent+"    ")
		if err != nil {
			return nil, err
		}
		b.WriteString(text)
	}
	block := strings.ReplaceAll(b.String(), "\n", d.nl)
	var out []byte
	out = append(out, d.src[:ce]...)
	out = append(out, d.src[valEnd:le]...) // a comment after the old value
	out = append(out, d.nl...)
	out = append(out, block...)
	return append(out, d.src[resume:]...), nil
}

func blockStyle(n *yaml.Node) {
	// comments read from a CRLF file keep their \r: the encoder would break the line there
	for _, c := range []*string{&n.HeadComment, &n.LineComment, &n.FootComment} {
		*c = strings.ReplaceAll(*c, "\r", "")
	}
	if n.Kind == yaml.MappingNode {
		// yaml.v3 reads a comment between two keys of a CRLF file as the first
		// key's foot comment (LF: the next key's head comment); written as a
		// foot comment it would gain a blank line
		for i := 0; i+2 < len(n.Content); i += 2 {
			if k, next := n.Content[i], n.Content[i+2]; k.FootComment != "" {
				next.HeadComment = strings.TrimPrefix(k.FootComment+"\n"+next.HeadComment, "\n")
				next.HeadComment = strings.TrimSuffix(next.HeadComment, "\n")
				k.FootComment = ""
			}
		}
	}
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style &^= yaml.FlowStyle
		for _, c := range n.Content {
			blockStyle(c)
		}
	}
}

// flowEnd returns the offset after the flow collection opening at at.
func (d *yamlDoc) flowEnd(at int) (int, error) {
	depth := 0
	for i := at; i < d.end; i++ {
		switch c := d.src[i]; c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case '"':
			for i++; i < d.end && d.src[i] != '"'; i++ {
				if d.src[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < d.end; i++ {
				if d.src[i] == '\'' {
					if i+1 < d.end && d.src[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i > at && (d.src[i-1] == ' ' || d.src[i-1] == '\t') {
				i = d.lineEnd(i)
			}
		}
	}
	return 0, refused("a [ list is never closed")
}

func setThemeStatus(data []byte, title, status string, plain bool) ([]byte, error) {
	switch status {
	case ThemeActive, ThemeDone, ThemeDropped:
	default:
		return nil, fmt.Errorf("unknown theme status %q: use active, done or dropped", status)
	}
	return setThemeKey(data, title, "status", status, false, plain)
}

// FinishTheme marks the theme titled title (matched case-insensitively) done
// or dropped and writes `finished: DAY` beside its status, keeping every
// other byte of the file.
func FinishTheme(data []byte, title, status string, day time.Time) ([]byte, error) {
	if status != ThemeDone && status != ThemeDropped {
		return nil, fmt.Errorf("a theme is finished done or dropped, not %q", status)
	}
	out, err := setThemeStatus(data, title, status, false)
	if err != nil {
		return nil, err
	}
	return setThemeKey(out, title, "finished", FormatDate(day), false, false)
}

// RenameTheme gives the theme titled title (matched case-insensitively) the
// title to in a profile's frontmatter, keeping every other byte of the file.
// Another theme already titled to (in any letter case or spacing) is an error.
func RenameTheme(data []byte, title, to string) ([]byte, error) {
	to = strings.TrimSpace(to)
	if to == "" {
		return nil, errors.New("a theme needs a title")
	}
	d, err := openYAML(data, false)
	if err != nil {
		return nil, err
	}
	if _, v := d.entry("themes"); v != nil && v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			if tt := mapGet(item, "title"); tt != nil && themeKey(tt.Value) == themeKey(to) && themeKey(to) != themeKey(title) {
				return nil, fmt.Errorf("there is a theme %q already: notes rate a theme by its title, so pick another title", tt.Value)
			}
		}
	}
	return setThemeKey(data, title, "title", to, true, false)
}

// setThemeKey sets key of the theme titled title (matched case-insensitively)
// to value: in place in a block list, by rewriting a flow list as a block one.
// str writes the value as a string whatever it looks like.
func setThemeKey(data []byte, title, key, value string, str, plain bool) ([]byte, error) {
	d, err := openYAML(data, plain)
	if err != nil {
		return nil, err
	}
	_, v := d.entry("themes")
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil, &ThemeMatchError{Title: title}
	}
	var themes []Theme
	for _, item := range v.Content {
		tt := mapGet(item, "title")
		if tt == nil || tt.Kind != yaml.ScalarNode {
			return nil, refused("a theme at line %d has no title", item.Line)
		}
		themes = append(themes, Theme{Title: tt.Value})
	}
	i, err := FindTheme(themes, title)
	if err != nil {
		return nil, err
	}
	item := v.Content[i]
	want := cloneMap(d.old)
	list, ok := want["themes"].([]any)
	if !ok || len(list) != len(v.Content) {
		return nil, refused("the themes list does not decode as a list")
	}
	list = append([]any(nil), list...)
	m, ok := list[i].(map[string]any)
	if !ok {
		return nil, refused("theme %q is not a mapping", themes[i].Title)
	}
	nv, err := decodeFields([]field{{key, value, str}})
	if err != nil {
		return nil, err
	}
	m = cloneMap(m)
	m[key] = nv[key]
	list[i] = m
	want["themes"] = list

	var out []byte
	switch {
	case v.Style&yaml.FlowStyle != 0 || item.Style&yaml.FlowStyle != 0:
		k, _ := d.entry("themes")
		setKey(item, key, value, str)
		out, err = d.rewriteAsBlock(k, v, v.Content, nil)
	default:
		out, err = d.setMapKey(item, key, value, str)
	}
	if err != nil {
		return nil, err
	}
	return d.verify(out, want)
}

// RenameRating renames the key old (exactly) of a note's frontmatter themes
// map to to, keeping every other byte of the file; a note that does not rate
// old is returned as it is. A note that rates to already is an error.
func RenameRating(data []byte, old, to string) ([]byte, error) {
	parts, err := SplitFrontmatter(data)
	if err != nil || !parts.HasFront {
		return data, err
	}
	d, err := openYAML(data, false)
	if err != nil {
		return nil, err
	}
	_, v := d.entry("themes")
	if v == nil || v.Kind != yaml.MappingNode {
		return data, nil
	}
	var key *yaml.Node
	for i := 0; i+1 < len(v.Content); i += 2 {
		switch k := v.Content[i]; {
		case k.Kind == yaml.ScalarNode && strings.TrimSpace(k.Value) == to && to != old:
			return nil, fmt.Errorf("it rates %q already: merge the two ratings by hand first", to)
		case k.Kind == yaml.ScalarNode && strings.TrimSpace(k.Value) == old:
			key = k
		}
	}
	if key == nil {
		return data, nil
	}
	want := cloneMap(d.old)
	ratings, ok := want["themes"].(map[string]any)
	if !ok {
		return nil, refused("the themes map does not decode as a map")
	}
	ratings = cloneMap(ratings)
	ratings[to] = ratings[key.Value]
	delete(ratings, key.Value)
	want["themes"] = ratings
	text, err := styledScalar(key, to)
	if err != nil {
		return nil, err
	}
	at, err := d.pos(key)
	if err != nil {
		return nil, err
	}
	end, err := d.tokenEnd(key, at)
	if err != nil {
		return nil, err
	}
	return d.verify(d.replace(at, end, text), want)
}

// styledScalar writes value as a one-line string scalar in the quoting style
// of old: a double-quoted key stays double-quoted, a single-quoted one single-quoted.
func styledScalar(old *yaml.Node, value string) (string, error) {
	text, err := scalarText(value, true) // also refuses line breaks and control characters
	if err != nil {
		return "", err
	}
	switch {
	case old.Style&yaml.DoubleQuotedStyle != 0:
		j, err := json.Marshal(value)
		return string(j), err
	case old.Style&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(value, "'", "''") + "'", nil
	}
	return text, nil
}

// SetNoteKey sets a top-level scalar key of a note's frontmatter (status,
// date), keeping every other byte; a note without frontmatter gets one
// holding only that key, above its text.
func SetNoteKey(data []byte, key, value string) ([]byte, error) {
	if bytes.Count(data, []byte("\r")) != bytes.Count(data, []byte("\r\n")) {
		// a lone carriage return ends a line for the reader, not for the editor
		return nil, refused("the file has a line break that is a lone carriage return; save it with LF or CRLF endings first")
	}
	parts, err := SplitFrontmatter(data)
	if err != nil {
		return nil, err
	}
	if parts.HasFront {
		return setTopLevelKey(data, key, value, false)
	}
	nl := "\n"
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		nl = "\r\n"
	}
	text, err := scalarText(value, false)
	if err != nil {
		return nil, err
	}
	start := 0
	if bytes.HasPrefix(data, bom) {
		start = len(bom)
	}
	head := "---" + nl + key + ": " + text + nl + "---" + nl
	out := append(append(append([]byte(nil), data[:start]...), head...), data[start:]...)
	if p, err := SplitFrontmatter(out); err != nil || !p.HasFront || !bytes.Equal(p.Body, data[start:]) {
		return nil, refused("a frontmatter above the text would not read back")
	}
	return out, nil
}

// keepQuotes gives a plain value (a date, a status) the quotes the user wrote
// around the old one, so that an edit changes the value and nothing else.
func keepQuotes(old *yaml.Node, value, text string) string {
	if text != value || old == nil || old.Kind != yaml.ScalarNode {
		return text
	}
	switch {
	case old.Style&yaml.DoubleQuotedStyle != 0:
		return `"` + text + `"`
	case old.Style&yaml.SingleQuotedStyle != 0:
		return "'" + text + "'"
	}
	return text
}

// setKey sets a scalar key of a mapping node, adding it when missing; str tags the value a string.
func setKey(m *yaml.Node, key, value string, str bool) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Value: value}
	if str {
		v.Tag = "!!str"
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

// setMapKey sets key in the block mapping m: the value token is replaced, or a line is added.
func (d *yamlDoc) setMapKey(m *yaml.Node, key, value string, str bool) ([]byte, error) {
	text, err := scalarText(value, str)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value != key {
			continue
		}
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s is a %s, not a single value: fix it by hand", key, kindName(v))
		}
		if v.Tag == "!!null" && v.Value == "" {
			ce, err := d.colonEnd(k)
			if err != nil {
				return nil, err
			}
			return d.replace(ce, ce, " "+text), nil
		}
		at, err := d.pos(v)
		if err != nil {
			return nil, err
		}
		if v.Line != k.Line {
			return nil, refused("the value of %s is not on its key's line", key)
		}
		e, err := d.tokenEnd(v, at)
		if err != nil {
			return nil, err
		}
		return d.replace(at, e, keepQuotes(v, value, text)), nil
	}
	// missing: a new line after the mapping's last line, at its keys' indentation
	indent := m.Column - 1
	if m == d.root {
		return d.insertAt(d.end, strings.Repeat(" ", indent)+key+": "+text+d.nl), nil
	}
	end := d.blockEndItem(m.Line, indent)
	return d.insertAt(end, strings.Repeat(" ", indent)+key+": "+text+d.nl), nil
}

// blockEndItem returns the offset after the last line of a block mapping
// (a list item) whose keys start at column indent+1 and whose first key is on
// line first: its lines are indented at least as far as its keys.
func (d *yamlDoc) blockEndItem(first, indent int) int {
	last := first
	for n := first + 1; n <= len(d.lines); n++ {
		text, ind := d.line(n)
		if strings.TrimSpace(text) == "" {
			continue
		}
		if ind < indent {
			break
		}
		last = n
	}
	return d.nextLine(d.lines[last-1])
}

var keyName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func setTopLevelKey(data []byte, key, value string, plain bool) ([]byte, error) {
	if !keyName.MatchString(key) {
		return nil, fmt.Errorf("bad key %q", key)
	}
	d, err := openYAML(data, plain)
	if err != nil {
		return nil, err
	}
	str := true
	if _, err := ParseDate(value); err == nil {
		str = false
	}
	text, err := scalarText(value, str)
	if err != nil {
		return nil, err
	}
	if d.root != nil {
		_, old := d.entry(key)
		text = keepQuotes(old, value, text)
	}
	nv, err := decodeMap([]byte("v: " + text + "\n"))
	if err != nil {
		return nil, err
	}
	want := cloneMap(d.old)
	want[key] = nv["v"]
	var out []byte
	if d.root == nil {
		out = d.insertAt(d.end, key+": "+text+d.nl)
	} else {
		out, err = d.setMapKey(d.root, key, value, str)
		if err != nil {
			return nil, err
		}
	}
	return d.verify(out, want)
}

// verify parses the edited file again and refuses it unless only the intended change was made.
func (d *yamlDoc) verify(out []byte, want map[string]any) ([]byte, error) {
	tail := len(d.src) - d.end
	if len(out) < d.start+tail || !bytes.Equal(out[:d.start], d.src[:d.start]) || !bytes.Equal(out[len(out)-tail:], d.src[d.end:]) {
		return nil, refused("the edit would touch text outside the YAML")
	}
	nd, err := openYAML(out, d.plain)
	if err != nil {
		return nil, refused("the edited YAML does not parse: %v", err)
	}
	if nd.start != d.start || nd.end != len(out)-tail {
		return nil, refused("the edit would move the frontmatter's end")
	}
	if !reflect.DeepEqual(nd.old, want) {
		return nil, refused("the edited YAML does not read back as intended")
	}
	return out, nil
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// MoveNoteDate returns a note's content for another day: its frontmatter's
// date key, when it has one, set to day; every other byte as it was (the
// title line in the body is the user's text).
func MoveNoteDate(data []byte, day time.Time) ([]byte, error) {
	parts, err := SplitFrontmatter(data)
	if err != nil {
		return nil, err
	}
	if !parts.HasFront {
		return data, nil
	}
	d, err := openYAML(data, false)
	if err != nil {
		return nil, err
	}
	if k, _ := d.entry("date"); k == nil {
		return data, nil
	}
	return SetNoteKey(data, "date", FormatDate(day))
}
