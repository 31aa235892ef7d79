package notes

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The fast note parser (issue 19). Reading a note costs a goldmark AST of
// every block and inline and a yaml.v3 document: on the large bench
// repository (42,560 notes) goldmark was 30% of a cold audit's CPU, yaml.v3
// 13%, and their garbage most of the rest (mallocgc 25%, GC 13%);
// BenchmarkParseNote read 27.7 MB/s with 375 allocations per note.
//
// A note written by oneone's templates or by hand is mostly plain: ATX
// headings, paragraphs, "- " lists with task boxes, one-line or multi-line
// HTML comments, and frontmatter of key: value lines. fastBody and fastFront
// read exactly that with a line scanner and give what the goldmark and
// yaml.v3 path gives, byte for byte (TestFastParseMatchesSlow and
// FuzzFastParse compare the two on every note we have and on any input);
// anything else they are not certain of (setext headings, code, quotes,
// tables, tabs, indented text, link definitions, quoted or flow YAML, ...)
// makes them decline, and the note takes the full path. Measured after, on
// the same loaded 2-core machine: BenchmarkParseNote 15.3 -> 176 MB/s (276
// with the memory of task lines below), 378 -> 48 allocations; the first
// audit of the large repository 6.8 s / 278 MB -> 1.1 s / 126 MB (with the
// cache changes in cache.go).

// fastBody is parseMarkdown's fast path; ok is false when body holds anything
// it does not read with certainty.
func fastBody(body []byte) (out parsedBody, ok bool) {
	sc := bodyScratches.Get().(*bodyScratch)
	defer bodyScratches.Put(sc)
	out, ok = sc.body(body)
	if ok { // exactly sized copies: the scratch lists are reused
		out.sections, out.tasks = cloneOrNil(out.sections), cloneOrNil(out.tasks)
	}
	return out, ok
}

// bodyScratch is what fastBody reuses from note to note (a sync.Pool keeps
// one per worker, more or less): its lists' storage, and the tasks of the
// item lines it read lately, since a carried-over item is the same line note
// after note. Fresh lists per note were a fifth of a cold audit's
// allocations, and each task's text, key and date parsed again a tenth of
// its CPU.
type bodyScratch struct {
	sections []Section
	tasks    []Task
	offsets  []int
	seen     map[string]Task // by the item's text after "- "; zero: no task
}

var bodyScratches = sync.Pool{New: func() any { return &bodyScratch{seen: map[string]Task{}} }}

// task is fastTask through the memory of lines seen.
func (sc *bodyScratch) task(content []byte) (Task, bool) {
	if t, ok := sc.seen[string(content)]; ok {
		return t, t.Text != ""
	}
	text := string(content)
	t, ok := fastTask(text)
	if len(sc.seen) >= 4096 {
		clear(sc.seen)
	}
	sc.seen[text] = t
	return t, ok
}

func cloneOrNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append([]T(nil), s...)
}

func (sc *bodyScratch) body(body []byte) (out parsedBody, ok bool) {
	out.sections, out.tasks, sc.offsets = sc.sections[:0], sc.tasks[:0], sc.offsets[:0]
	defer func() { sc.sections, sc.tasks = out.sections, out.tasks }()
	const (
		prevNone = iota // the start, a blank line, a heading or an HTML block
		prevPara
		prevItem
		prevEmptyItem
	)
	out.blank = true
	var (
		cur         = -1 // index in out.sections of the open section
		prev        = prevNone
		emptyIndent int   // the indent of the last empty item
		stack       []int // content columns of the open list items, outermost first
		stackBuf    [8]int
		para        [][]byte // lines of the open paragraph
		paraBuf     [8][]byte
		offsets     = sc.offsets
	)
	stack, para = stackBuf[:0], paraBuf[:0]
	// written marks a block holding text: the note is not blank, its section not empty.
	written := func() {
		out.blank = false
		if cur >= 0 {
			out.sections[cur].Empty = false
		}
	}
	flushPara := func() {
		if len(para) > 0 && !paragraphEmpty(para) {
			written()
		}
		para = para[:0]
	}
	lineNo := 0
	for off := 0; off < len(body); {
		line, next := readLine(body, off)
		lineNo++
		if !plainLine(line) {
			return out, false
		}
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		rest := line[indent:]
		switch {
		case len(rest) == 0: // a blank line: ends a paragraph, not a list
			flushPara()
			prev = prevNone

		case rest[0] == '-' && (len(rest) == 1 || rest[1] == ' '): // a list item
			content := rest[1:]
			if len(content) > 0 {
				content = content[1:]
			}
			if len(content) > 0 && content[0] == ' ' {
				return out, false // wider marker spacing moves the content column (or is code)
			}
			depth := 0 // the index in stack of the item's parent's content column, +1
			if indent > 0 {
				depth = -1
				for j, col := range stack {
					if col == indent {
						depth = j + 1
					}
				}
				if depth < 0 {
					return out, false // not aligned with an open item's content: lazy text or code
				}
			}
			empty := len(content) == 0
			switch {
			case empty && (prev == prevPara || prev == prevItem):
				return out, false // "text\n-" is a setext heading
			case empty && prev == prevEmptyItem && indent > emptyIndent:
				return out, false
			case prev == prevPara && indent > 0:
				return out, false
			}
			flushPara()
			stack = stack[:depth]
			if empty {
				emptyIndent, prev = indent, prevEmptyItem
				break // nothing may nest in an empty item here: its column is not pushed
			}
			if !itemTextSafe(content) {
				return out, false
			}
			stack = append(stack, indent+2)
			prev = prevItem
			if !itemTextEmpty(content) {
				written()
			}
			if content[0] != '[' {
				break
			}
			if t, ok := sc.task(content); ok {
				t.Line = lineNo
				out.tasks = append(out.tasks, t)
				offsets = append(offsets, off+indent+2)
			}

		case indent > 0:
			return out, false // indented text: a continuation, lazy text or code

		case rest[0] == '#':
			level := 0
			for level < len(rest) && rest[level] == '#' {
				level++
			}
			if level > 6 || level == len(rest) || rest[level] != ' ' {
				return out, false // "#tag", "#######", an empty "##"
			}
			content := rest[level+1:]
			if bytes.IndexByte(content, '#') >= 0 || len(bytes.Trim(content, " ")) == 0 {
				return out, false // a closing sequence, or an empty heading
			}
			flushPara()
			stack, prev = stack[:0], prevNone
			if level > 2 {
				if cur >= 0 {
					out.sections[cur].Empty = false // a sub-heading is text in its section
				}
				break
			}
			if cur >= 0 {
				out.sections[cur].End = off
				cur = -1
			}
			if level == 2 {
				out.sections = append(out.sections, Section{Heading: strings.TrimSpace(string(content)), Start: off, ContentStart: next, Empty: true})
				cur = len(out.sections) - 1
			}

		case bytes.HasPrefix(rest, []byte("<!--")): // an HTML block of a comment
			if prev == prevItem || prev == prevEmptyItem {
				return out, false
			}
			flushPara()
			stack, prev = stack[:0], prevNone
			// goldmark's block: up to the first line holding "-->", this one
			// included; its text is the lines before the closing one joined by
			// spaces, then the closing line as it is.
			if bytes.Contains(line, []byte("-->")) {
				if !commentOnly(string(line)) {
					written()
				}
				break
			}
			var text strings.Builder
			text.Write(line)
			for {
				off, lineNo = next, lineNo+1
				if off >= len(body) {
					return out, false // never closed: the rest of the note is the comment
				}
				line, next = readLine(body, off)
				if !plainLine(line) {
					return out, false
				}
				if bytes.Contains(line, []byte("-->")) {
					text.Write(body[off:next])
					break
				}
				text.WriteByte(' ')
				text.Write(line)
			}
			if !commentOnly(text.String()) {
				written()
			}

		default: // a paragraph line
			if !paragraphSafe(rest) || prev == prevItem || prev == prevEmptyItem {
				return out, false
			}
			stack = stack[:0]
			para = append(para, line)
			prev = prevPara
		}
		off = next
	}
	flushPara()
	if cur >= 0 {
		out.sections[cur].End = len(body)
	}
	out.finish(body, offsets, nil)
	sc.offsets = offsets
	return out, true
}

// plainLine reports whether a line has none of the bytes the fast parser
// leaves to goldmark: tabs (columns), other ASCII white space, and the pipes
// of tables.
func plainLine(line []byte) bool {
	for _, c := range line {
		switch c {
		case '\t', '\r', '\v', '\f', '|':
			return false
		}
	}
	return true
}

// paragraphSafe reports whether a line at column 0 is paragraph text for
// certain: it opens no other block (quote, fence, list, break, setext
// underline, HTML, link definition).
func paragraphSafe(rest []byte) bool {
	switch rest[0] {
	case '*', '_': // emphasis, unless a list marker or a thematic break
		if len(rest) == 1 || rest[1] == ' ' || len(bytes.Trim(rest, string(rest[:1])+" ")) == 0 {
			return false
		}
	case '>', '`', '~', '+', '-', '=', '<', '[':
		return false
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	return !(i > 0 && i < len(rest) && (rest[i] == '.' || rest[i] == ')'))
}

// itemTextSafe reports whether a list item's text (after "- ") is a line of
// paragraph text for certain, or opens with a task box the fast parser reads.
func itemTextSafe(content []byte) bool {
	if content[0] == '[' {
		if len(content) < 3 || content[2] != ']' || !strings.ContainsRune(" xX-", rune(content[1])) {
			return false // a link or a link definition
		}
		return len(content) == 3 || content[3] == ' '
	}
	if content[0] == '#' {
		return false
	}
	return paragraphSafe(content)
}

// fastTask reads a list item's text as findTasks does.
func fastTask(text string) (Task, bool) {
	if len(text) < 3 || text[0] != '[' || text[2] != ']' {
		return Task{}, false
	}
	var t Task
	var raw string
	switch text[1] {
	case ' ', 'x', 'X':
		raw, t.Checked = stripCheckbox(text), text[1] != ' '
	case '-':
		raw, _ = droppedBox(text)
		t.Dropped = true
	default:
		return Task{}, false
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Task{}, false
	}
	t.setText(raw)
	return t, true
}

// stripCheckbox is checkbox.ReplaceAllString(s, "") without the regular expression.
func stripCheckbox[T string | []byte](s T) T {
	i := 0
	for i < len(s) && strings.IndexByte(asciiSpace, s[i]) >= 0 {
		i++
	}
	if len(s)-i < 3 || s[i] != '[' || s[i+2] != ']' || strings.IndexByte(" xX-", s[i+1]) < 0 {
		return s
	}
	i += 3
	if i < len(s) && strings.IndexByte(asciiSpace, s[i]) >= 0 {
		i++
	}
	return s[i:]
}

// itemTextEmpty is listItemEmpty for an item of one line of text.
func itemTextEmpty(text []byte) bool {
	if bytes.Contains(text, []byte("<!--")) {
		return isSpace(stripCheckbox(StripComments(string(text))))
	}
	return isSpace(stripCheckbox(text))
}

// paragraphEmpty is blocksEmpty for a paragraph of lines.
func paragraphEmpty(lines [][]byte) bool {
	comment := false
	for _, l := range lines {
		if bytes.Contains(l, []byte("<!--")) {
			comment = true
			break
		}
	}
	if !comment {
		for _, l := range lines {
			if !isSpace(l) {
				return false
			}
		}
		return true
	}
	return commentOnly(string(bytes.Join(lines, []byte(" "))))
}

// commentOnly reports whether text is nothing but white space and HTML comments.
func commentOnly(text string) bool { return isSpace(StripComments(text)) }

// isSpace is strings.TrimSpace(s) == "", quick for ASCII text.
func isSpace[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			return strings.TrimSpace(string(s[i:])) == ""
		} else if strings.IndexByte(asciiSpace+"\v", c) < 0 {
			return false
		}
	}
	return true
}

// fastFront is decodeFront's fast path for frontmatter of plain "key: value"
// lines and one nested mapping of plain "title: value" lines under themes,
// with full-line comments and blank lines: the nodes yaml.v3 would give for
// what readFront reads (Kind, Value and a !!null Tag). ok is false for
// anything else: quotes, flow collections, anchors, trailing comments, tabs,
// non-ASCII text, null words, duplicate keys, deeper nesting.
//
// The nodes come from scratch, reused from note to note (nil: a new one):
// they were an eighth of a cold audit's allocations. They are valid until
// scratch is used again.
func fastFront(front []byte, scratch *[]yaml.Node) (m *yaml.Node, ok bool) {
	var top, nested []*yaml.Node
	var parent *yaml.Node // the value of the last key, when it was empty
	nestedIndent := 0
	if scratch == nil {
		scratch = new([]yaml.Node)
	}
	// 2 nodes per line at most, and the mapping: the slab never moves
	slab := (*scratch)[:0]
	if need := 2*(bytes.Count(front, []byte("\n"))+1) + 1; cap(slab) < need {
		slab = make([]yaml.Node, 0, need)
	}
	defer func() { *scratch = slab }()
	node := func(kind yaml.Kind, tag, value string) *yaml.Node {
		slab = append(slab, yaml.Node{Kind: kind, Tag: tag, Value: value})
		return &slab[len(slab)-1]
	}
	closeNested := func() bool {
		if parent != nil && nested != nil {
			if dupKey(nested) {
				return false
			}
			parent.Kind, parent.Tag, parent.Content = yaml.MappingNode, "!!map", nested
		}
		parent, nested = nil, nil
		return true
	}
	for off := 0; off < len(front); {
		line, next := readLine(front, off)
		off = next
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		rest := line[indent:]
		if len(rest) == 0 || rest[0] == '#' {
			for _, r := range string(rest) {
				if !yamlPrintable(r) {
					return nil, false
				}
			}
			continue // a blank line or a comment line
		}
		k, v, ok := plainPair(rest)
		if !ok {
			return nil, false
		}
		if indent > 0 {
			if parent == nil || (nested != nil && indent != nestedIndent) {
				return nil, false
			}
			nestedIndent = indent
			val := node(yaml.ScalarNode, "!!null", "")
			if v != "" {
				val = node(yaml.ScalarNode, "!!str", v)
			}
			nested = append(nested, node(yaml.ScalarNode, "!!str", k), val)
			continue
		}
		if !closeNested() {
			return nil, false
		}
		key := node(yaml.ScalarNode, "!!str", k)
		var val *yaml.Node
		if v == "" {
			val = node(yaml.ScalarNode, "!!null", "")
			if k == "themes" {
				parent = val // its mapping, if lines follow
			}
		} else {
			val = node(yaml.ScalarNode, "!!str", v)
		}
		top = append(top, key, val)
	}
	if !closeNested() || dupKey(top) {
		return nil, false
	}
	if len(top) == 0 {
		return nil, true
	}
	m = node(yaml.MappingNode, "!!map", "")
	m.Content = top
	return m, true
}

// frontScratch holds the node slabs of fastFront.
var frontScratch = sync.Pool{New: func() any { return new([]yaml.Node) }}

// plainPair reads "key: value" or "key:" where both are plain YAML scalars
// of a safe alphabet that yaml.v3 reads as written (value "" when there is
// none). The value must not be a null word.
func plainPair(line []byte) (key, value string, ok bool) {
	i := bytes.IndexByte(line, ':')
	// (YAML allows no implicit key of over 1024 characters)
	if i <= 0 || i > 256 || !safeScalar(line[:i]) || line[i-1] == ' ' {
		return "", "", false
	}
	v := line[i+1:]
	if len(v) > 0 {
		if v[0] != ' ' {
			return "", "", false
		}
		v = bytes.TrimRight(bytes.TrimLeft(v, " "), " ")
	}
	if len(v) > 0 && !safeScalar(v) {
		return "", "", false
	}
	switch string(v) {
	case "null", "Null", "NULL":
		return "", "", false
	}
	return string(line[:i]), string(v), true
}

// safeScalar: starts with a letter or digit, then letters, digits, spaces,
// - _ . / ' ( ) , and other printable text beyond ASCII — no indicator YAML
// gives a meaning to.
func safeScalar(s []byte) bool {
	for i, r := range string(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case i > 0 && r < utf8.RuneSelf && strings.IndexByte(" -_./'(),", byte(r)) >= 0:
		case i > 0 && r >= utf8.RuneSelf && yamlPrintable(r):
		default:
			return false
		}
	}
	return true
}

// yamlPrintable reports whether yaml.v3 reads r as a printable character of
// a line, not a line break (NEL, LS, PS), a byte order mark or a control
// character; tabs are left to yaml.v3.
func yamlPrintable(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r >= 0x20 && r != 0x7f
	case r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff, r == utf8.RuneError:
		return false
	}
	return true
}

// dupKey reports whether two keys of a mapping's content are written alike.
func dupKey(content []*yaml.Node) bool {
	for i := 0; i < len(content); i += 2 {
		for j := 0; j < i; j += 2 {
			if content[i].Value == content[j].Value {
				return true
			}
		}
	}
	return false
}
