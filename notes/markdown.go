package notes

import (
	"bytes"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Section is a level-2 section of a note body: its heading and the blocks up
// to the next heading of level 1 or 2.
type Section struct {
	Heading      string // the heading's text, trimmed
	Start        int    // offset of the heading line in the body
	ContentStart int    // offset just after the heading
	End          int    // offset of the next level-1 or level-2 heading, or the end
	Empty        bool   // nothing but whitespace, HTML comments and empty list items
}

// Is reports whether the section's heading is name, ignoring letter case.
func (s *Section) Is(name string) bool { return strings.EqualFold(s.Heading, name) }

// Task is a GFM task list item of a note, or a dropped one ("- [-] text",
// the Obsidian Tasks convention for cancelled).
type Task struct {
	Text    string    // as written, without the checkbox
	Key     string    // identity: lower case, spaces collapsed, no carry-over marker
	Checked bool      // - [x]
	Dropped bool      // - [-]: neither open nor done, never carried again
	Private bool      // written in a level-2 Private section
	From    time.Time // the date of a trailing "(from YYYY-MM-DD)" marker, if any
	Line    int       // 1-based line in the body
}

var md = goldmark.New(goldmark.WithExtensions(extension.GFM))

var (
	htmlComment = regexp.MustCompile(`(?s)<!--.*?(-->|$)`)
	checkbox    = regexp.MustCompile(`^\s*\[[ xX-]\]\s?`)
	emptyATX    = regexp.MustCompile(`(?m)^ {0,3}#{1,2}[ \t]*#*[ \t]*$`)
)

// StripComments removes HTML comments from Markdown text.
func StripComments(s string) string { return htmlComment.ReplaceAllString(s, "") }

// TaskKey returns the identity of an action item text.
func TaskKey(s string) string {
	s, _ = cutFromMarker(s)
	if k, ok := asciiKey(s); ok {
		return k
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// asciiKey is TaskKey's lower case and collapsed white space for ASCII
// text, in one allocation (none when s is a key already): strings.Fields
// was 5% of a cold audit's allocations.
func asciiKey(s string) (string, bool) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' }
	key, space := true, true // space: after white space, or at the start
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			return "", false
		case isSpace(c):
			key = key && !space && c == ' '
			space = true
		default:
			key = key && (c < 'A' || c > 'Z')
			space = false
		}
	}
	if key && (!space || s == "") {
		return s, true
	}
	b := make([]byte, 0, len(s))
	space = false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSpace(c) {
			space = true
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b), true
}

// TaskBase returns the action item text without its carry-over marker.
func TaskBase(s string) string {
	s, _ = cutFromMarker(s)
	return strings.TrimSpace(s)
}

// asciiSpace is what \s matches in a Go regular expression.
const asciiSpace = "\t\n\f\r "

// cutFromMarker removes a trailing carry-over marker "(from YYYY-MM-DD)",
// with the white space around it, and returns the marker's date; it matches
// what the regular expression `\s*\(from (\d{4}-\d{2}-\d{2})\)\s*$` would
// (a hand-written matcher: the expression backtracks at every space and was
// a quarter of the time spent reading a large repository).
func cutFromMarker(s string) (rest, date string) {
	t := strings.TrimRight(s, asciiSpace)
	const marker = len("(from 2006-01-02)")
	if len(t) < marker || t[len(t)-1] != ')' {
		return s, ""
	}
	m := t[len(t)-marker:]
	if !strings.HasPrefix(m, "(from ") {
		return s, ""
	}
	date = m[len("(from ") : marker-1]
	for i := 0; i < len(date); i++ {
		if i == 4 || i == 7 {
			if date[i] != '-' {
				return s, ""
			}
		} else if date[i] < '0' || date[i] > '9' {
			return s, ""
		}
	}
	return strings.TrimRight(t[:len(t)-marker], asciiSpace), date
}

// parsedBody is what parseMarkdown reads from a note's body.
type parsedBody struct {
	sections []Section
	tasks    []Task
	// blank: nothing but headings, whitespace, HTML comments and empty list items
	blank bool
	// feedback items of each kind in the Feedback section
	positive, toImprove int
}

// parseMarkdown finds the level-2 sections, the task items, the feedback
// kinds and whether anything is written in a body: with the fast line
// scanner when it is certain (fastparse.go), else with goldmark.
func parseMarkdown(body []byte) parsedBody {
	if out, ok := fastBody(body); ok {
		return out
	}
	return slowBody(body)
}

// slowBody is parseMarkdown through goldmark's AST: any Markdown.
func slowBody(body []byte) parsedBody {
	doc := md.Parser().Parse(text.NewReader(body))
	var out parsedBody
	out.blank = true
	var cur *Section
	var curNodes []ast.Node
	feedback := -1 // index of the first Feedback section
	var feedbackNodes []ast.Node
	closeSection := func(end int) {
		if cur != nil {
			cur.End = end
			cur.Empty = blocksEmpty(curNodes, body)
			if feedback < 0 && cur.Is("feedback") {
				feedback, feedbackNodes = len(out.sections), curNodes
			}
			out.sections = append(out.sections, *cur)
			cur, curNodes = nil, nil
		}
	}
	pos := 0
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, isHeading := n.(*ast.Heading)
		if !isHeading && out.blank && !blocksEmpty([]ast.Node{n}, body) {
			out.blank = false
		}
		if isHeading && h.Level <= 2 {
			start, after := headingSpan(h, body, pos)
			pos = after
			closeSection(start)
			if h.Level == 2 {
				cur = &Section{Heading: strings.TrimSpace(string(nodeText(h, body))), Start: start, ContentStart: after}
			}
			continue
		}
		if cur != nil {
			curNodes = append(curNodes, n)
		}
	}
	closeSection(len(body))
	var offsets []int
	out.tasks, offsets = findTasks(doc, body)
	var code []span
	if feedback >= 0 && !out.sections[feedback].Empty {
		code = codeSpans(feedbackNodes)
	}
	out.finish(body, offsets, code)
	return out
}

// finish marks the tasks (at offsets in body) of Private sections and counts
// the feedback of the first Feedback section, whose code blocks are at code.
func (out *parsedBody) finish(body []byte, offsets []int, code []span) {
	for _, s := range out.sections {
		if !IsPrivateHeading(s.Heading) {
			continue
		}
		for i, off := range offsets {
			if off >= s.Start && off < s.End {
				out.tasks[i].Private = true
			}
		}
	}
	for _, s := range out.sections {
		if s.Is("feedback") {
			if !s.Empty {
				out.positive, out.toImprove = countFeedback(body[s.ContentStart:s.End], s.ContentStart, code)
			}
			break
		}
	}
}

// codeSpans returns the byte ranges of the code blocks among nodes and their descendants.
func codeSpans(nodes []ast.Node) []span {
	var out []span
	for _, n := range nodes {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch c.(type) {
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				if lines := c.Lines(); lines.Len() > 0 {
					out = append(out, span{lines.At(0).Start, lines.At(lines.Len() - 1).Stop})
				}
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	return out
}

// headingSpan returns the offsets of a heading's first line and of the line after it.
func headingSpan(h *ast.Heading, body []byte, from int) (int, int) {
	lines := h.Lines()
	if lines.Len() == 0 {
		// An empty ATX heading ("##") has no lines: find it after the previous heading.
		m := emptyATX.FindIndex(body[from:])
		if m == nil {
			return from, from
		}
		_, after := readLine(body, from+m[0])
		return from + m[0], after
	}
	first, last := lines.At(0), lines.At(lines.Len()-1)
	start := bytes.LastIndexByte(body[:first.Start], '\n') + 1
	_, after := readLine(body, last.Start)
	if h.Lines().Len() > 0 && !isATX(body[start:first.Start]) {
		// setext heading: skip the underline too
		_, after = readLine(body, after)
	}
	if after > len(body) {
		after = len(body)
	}
	return start, after
}

func isATX(prefix []byte) bool { return bytes.Contains(prefix, []byte("#")) }

// nodeText returns the raw source of a block's lines joined by spaces.
func nodeText(n ast.Node, body []byte) []byte {
	lines := n.Lines()
	var b bytes.Buffer
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(bytes.TrimRight(s.Value(body), "\n"))
	}
	return b.Bytes()
}

// blocksEmpty reports whether blocks hold nothing but whitespace, HTML comments and empty list items.
func blocksEmpty(nodes []ast.Node, body []byte) bool {
	for _, n := range nodes {
		switch b := n.(type) {
		case *ast.HTMLBlock:
			var buf bytes.Buffer
			buf.Write(nodeText(b, body))
			if b.HasClosure() {
				buf.Write(b.ClosureLine.Value(body))
			}
			if strings.TrimSpace(StripComments(buf.String())) != "" {
				return false
			}
		case *ast.Paragraph, *ast.TextBlock:
			if strings.TrimSpace(StripComments(string(nodeText(b, body)))) != "" {
				return false
			}
		case *ast.List:
			for it := b.FirstChild(); it != nil; it = it.NextSibling() {
				if !listItemEmpty(it, body) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

func listItemEmpty(item ast.Node, body []byte) bool {
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.HTMLBlock:
			t := StripComments(string(nodeText(c, body)))
			t = checkbox.ReplaceAllString(t, "")
			if strings.TrimSpace(t) != "" {
				return false
			}
		default:
			if !blocksEmpty([]ast.Node{c}, body) {
				return false
			}
		}
	}
	return true
}

// droppedBox opens the text of a dropped item: "[-]" then a space or nothing.
func droppedBox(raw string) (string, bool) {
	t := strings.TrimLeft(raw, asciiSpace)
	if !strings.HasPrefix(t, "[-]") {
		return raw, false
	}
	rest := t[len("[-]"):]
	if rest != "" && !strings.ContainsRune(asciiSpace, rune(rest[0])) {
		return raw, false // "[-]x" is text, as "[x]y" is no task
	}
	return rest, true
}

// findTasks collects every GFM task list item in the document, and every
// dropped one ("- [-] text"), with the offset of each in the body.
func findTasks(doc ast.Node, body []byte) ([]Task, []int) {
	var tasks []Task
	var offsets []int
	// Line numbers are counted on from the previous task's offset, not from
	// the start of the body for each task: the walk goes in document order,
	// so the whole count is linear. Counting from the start was quadratic,
	// 36% of `report --html` CPU on a 2 MiB note; goldmark's path over the
	// 2 MiB note of TestHostileRepositories/big-note-under-limit (25,000 tasks)
	// went from 743 to 172 ms.
	lineOff, line := 0, 1 // line is the line number at body offset lineOff
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		item, ok := n.(*ast.ListItem)
		if !ok {
			return ast.WalkContinue, nil
		}
		first := item.FirstChild()
		if first == nil {
			return ast.WalkContinue, nil
		}
		var t Task
		var raw string
		if cb, ok := first.FirstChild().(*extast.TaskCheckBox); ok {
			raw = checkbox.ReplaceAllString(string(nodeText(first, body)), "")
			t.Checked = cb.IsChecked
		} else if _, para := first.(*ast.Paragraph); para || isTextBlock(first) {
			if raw, ok = droppedBox(string(nodeText(first, body))); !ok {
				return ast.WalkContinue, nil
			}
			t.Dropped = true
		} else {
			return ast.WalkContinue, nil
		}
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return ast.WalkContinue, nil
		}
		t.setText(raw)
		off := 0
		if first.Lines().Len() > 0 {
			off = first.Lines().At(0).Start
			if off < lineOff { // not in document order: count from the start
				lineOff, line = 0, 1
			}
			line += bytes.Count(body[lineOff:off], []byte("\n"))
			lineOff = off
			t.Line = line
		}
		tasks = append(tasks, t)
		offsets = append(offsets, off)
		return ast.WalkContinue, nil
	})
	return tasks, offsets
}

// setText sets a task's text (trimmed, not empty), its key and its carry-over date.
func (t *Task) setText(raw string) {
	t.Text, t.Key = raw, TaskKey(raw)
	if _, from := cutFromMarker(raw); from != "" {
		if d, err := ParseDate(from); err == nil {
			t.From = d
		}
	}
}

func isTextBlock(n ast.Node) bool { _, ok := n.(*ast.TextBlock); return ok }
