package render

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/oneone/oneone/notes"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm parses notes the way the notes package does: CommonMark plus GFM.
var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM))

// Extra terminal styles used only by the Markdown renderer.
func (p Palette) italic(s string) string    { return p.wrap("3", s) }
func (p Palette) underline(s string) string { return p.wrap("4", s) }
func (p Palette) strike(s string) string    { return p.wrap("9", s) }
func (p Palette) heading(level int, s string) string {
	switch level {
	case 1:
		return p.wrap("1;4;35", s)
	case 2:
		return p.wrap("1;36", s)
	}
	return p.Bold(s)
}

// NoteHeader is the one-line summary of a note's frontmatter shown above it:
// who, date, kind, status and the themes it rates.
func NoteHeader(n *notes.Note, name string, today time.Time, pal Palette) string {
	status := n.EffectiveStatus(today)
	switch status {
	case notes.StatusSkipped, notes.StatusCancelled:
		status = pal.Yellow(status)
	case "planned":
		status = pal.Cyan(status)
	default:
		status = pal.Green(status)
	}
	kind := n.Kind
	if kind == notes.KindGoals {
		kind = pal.Cyan(kind)
	}
	parts := []string{pal.Bold(clean(name)), notes.FormatDate(n.Date), kind, status}
	var themes []string
	for _, r := range n.Ratings {
		themes = append(themes, clean(r.Theme)+": "+RatingColor(pal, r.Rating))
	}
	if len(themes) > 0 {
		parts = append(parts, strings.Join(themes, "; "))
	}
	return strings.Join(parts, " · ")
}

// RatingColor colours a theme rating: on-track green, at-risk yellow, off-track red.
func RatingColor(pal Palette, r string) string {
	switch r {
	case "on-track":
		return pal.Green(r)
	case "at-risk":
		return pal.Yellow(r)
	case "off-track":
		return pal.Red(r)
	}
	return r
}

// Terminal renders a note body (Markdown without its frontmatter) for a
// terminal. With a disabled palette the result is plain, Markdown-like text
// that reads well in a pipe or a file; HTML comments are always dropped.
func Terminal(body []byte, pal Palette) string {
	src := []byte(cleanControls(string(body)))
	doc := gfm.Parser().Parse(text.NewReader(src))
	t := &termRenderer{src: src, pal: pal}
	lines := t.blocks(doc, false)
	out := strings.TrimRight(strings.Join(lines, "\n"), "\n ")
	if out == "" {
		return ""
	}
	return out + "\n"
}

type termRenderer struct {
	src []byte
	pal Palette
}

// blocks renders the block children of n, separated by a blank line unless tight.
func (t *termRenderer) blocks(n ast.Node, tight bool) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines := t.block(c)
		if len(lines) == 0 {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, "")
		}
		out = append(out, lines...)
	}
	return out
}

func (t *termRenderer) block(n ast.Node) []string {
	p := t.pal
	switch b := n.(type) {
	case *ast.Heading:
		s := strings.Repeat("#", b.Level) + " " + t.inline(b)
		return []string{p.heading(b.Level, s)}
	case *ast.Paragraph, *ast.TextBlock:
		s := t.inline(b)
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return strings.Split(s, "\n")
	case *ast.ThematicBreak:
		if p.Enabled {
			return []string{p.Dim(strings.Repeat("─", 40))}
		}
		return []string{"---"}
	case *ast.FencedCodeBlock:
		return t.code(b, string(b.Language(t.src)))
	case *ast.CodeBlock:
		return t.code(b, "")
	case *ast.Blockquote:
		inner := t.blocks(b, false)
		prefix := "> "
		if p.Enabled {
			prefix = p.Dim("│ ")
		}
		for i, l := range inner {
			inner[i] = strings.TrimRight(prefix+l, " ")
		}
		return inner
	case *ast.List:
		return t.list(b)
	case *ast.HTMLBlock:
		var sb strings.Builder
		for i := 0; i < b.Lines().Len(); i++ {
			seg := b.Lines().At(i)
			sb.Write(seg.Value(t.src))
		}
		if b.HasClosure() {
			sb.Write(b.ClosureLine.Value(t.src))
		}
		s := strings.Trim(notes.StripComments(sb.String()), "\n")
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return strings.Split(s, "\n")
	case *extast.Table:
		return t.table(b)
	}
	// Unknown blocks: their children, or their source lines.
	if n.FirstChild() != nil {
		return t.blocks(n, false)
	}
	var lines []string
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		lines = append(lines, strings.TrimRight(string(seg.Value(t.src)), "\n"))
	}
	return lines
}

func (t *termRenderer) code(n ast.Node, lang string) []string {
	var lines []string
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		lines = append(lines, strings.TrimRight(string(seg.Value(t.src)), "\n"))
	}
	if t.pal.Enabled {
		for i, l := range lines {
			lines[i] = "    " + t.pal.Cyan(l)
		}
		return lines
	}
	out := []string{"```" + lang}
	out = append(out, lines...)
	return append(out, "```")
}

func (t *termRenderer) list(l *ast.List) []string {
	var out []string
	num := l.Start
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		marker := "- "
		if t.pal.Enabled {
			marker = "• "
		}
		if l.IsOrdered() {
			marker = fmt.Sprintf("%d%c ", num, l.Marker)
			num++
		}
		checked, isTask := taskBox(it)
		if isTask {
			switch {
			case t.pal.Enabled && checked:
				marker = t.pal.Green("☑") + " "
			case t.pal.Enabled:
				marker = "☐ "
			case checked:
				marker += "[x] "
			default:
				marker += "[ ] "
			}
		}
		inner := t.blocks(it, l.IsTight)
		if len(inner) == 0 {
			inner = []string{""}
		}
		if isTask && checked && t.pal.Enabled {
			inner[0] = t.pal.Dim(inner[0])
		}
		pad := strings.Repeat(" ", Width(marker))
		for i, line := range inner {
			switch {
			case i == 0:
				line = marker + line
			case line != "":
				line = pad + line
			}
			inner[i] = strings.TrimRight(line, " ")
		}
		if len(out) > 0 && !l.IsTight {
			out = append(out, "")
		}
		out = append(out, inner...)
	}
	return out
}

// taskBox reports whether a list item is a GFM task item and whether it is checked.
func taskBox(item ast.Node) (checked, ok bool) {
	first := item.FirstChild()
	if first == nil {
		return false, false
	}
	cb, ok := first.FirstChild().(*extast.TaskCheckBox)
	if !ok {
		return false, false
	}
	return cb.IsChecked, true
}

func (t *termRenderer) table(tb *extast.Table) []string {
	var rows [][]string
	for r := tb.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cell := strings.ReplaceAll(t.inline(c), "\n", " ")
			if !t.pal.Enabled {
				cell = strings.ReplaceAll(cell, "|", `\|`) // stays a Markdown table
			}
			cells = append(cells, cell)
		}
		rows = append(rows, cells)
	}
	cols := len(tb.Alignments)
	widths := make([]int, cols)
	for _, r := range rows {
		for i := 0; i < len(r) && i < cols; i++ {
			widths[i] = max(widths[i], Width(r[i]), 3)
		}
	}
	format := func(cells []string, header bool) string {
		var b strings.Builder
		b.WriteString("|")
		for i := 0; i < cols; i++ {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			gap := widths[i] - Width(c)
			if header {
				c = t.pal.Bold(c)
			}
			switch tb.Alignments[i] {
			case extast.AlignRight:
				c = strings.Repeat(" ", gap) + c
			case extast.AlignCenter:
				c = strings.Repeat(" ", gap/2) + c + strings.Repeat(" ", gap-gap/2)
			default:
				c += strings.Repeat(" ", gap)
			}
			b.WriteString(" " + c + " |")
		}
		return b.String()
	}
	var out []string
	for i, r := range rows {
		out = append(out, format(r, i == 0))
		if i == 0 {
			var b strings.Builder
			b.WriteString("|")
			for c := 0; c < cols; c++ {
				rule := strings.Repeat("-", widths[c])
				switch tb.Alignments[c] {
				case extast.AlignLeft:
					rule = ":" + rule[1:]
				case extast.AlignRight:
					rule = rule[1:] + ":"
				case extast.AlignCenter:
					rule = ":" + rule[2:] + ":"
				}
				b.WriteString(" " + rule + " |")
			}
			out = append(out, t.pal.Dim(b.String()))
		}
	}
	return out
}

// inline renders the inline children of n as one string; line breaks stay "\n".
func (t *termRenderer) inline(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.WriteString(t.inlineNode(c))
	}
	return b.String()
}

func (t *termRenderer) inlineNode(n ast.Node) string {
	p := t.pal
	switch v := n.(type) {
	case *ast.Text:
		s := v.Value(t.src)
		if !v.IsRaw() {
			s = unescape(s)
		}
		out := string(s)
		if v.SoftLineBreak() || v.HardLineBreak() {
			out += "\n"
		}
		return out
	case *ast.String:
		return string(v.Value)
	case *ast.CodeSpan:
		var b strings.Builder
		for c := v.FirstChild(); c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok {
				b.WriteString(strings.ReplaceAll(string(tx.Value(t.src)), "\n", " "))
			}
		}
		if p.Enabled {
			return p.Cyan(b.String())
		}
		return "`" + b.String() + "`"
	case *ast.Emphasis:
		inner := t.inline(v)
		switch {
		case p.Enabled && v.Level >= 2:
			return p.Bold(inner)
		case p.Enabled:
			return p.italic(inner)
		}
		return strings.Repeat("*", v.Level) + inner + strings.Repeat("*", v.Level)
	case *extast.Strikethrough:
		if p.Enabled {
			return p.strike(t.inline(v))
		}
		return "~~" + t.inline(v) + "~~"
	case *ast.Link:
		label := t.inline(v)
		url := string(unescape(v.Destination))
		if label == "" || label == url {
			return p.underline(url)
		}
		return p.underline(label) + " " + p.Dim("("+url+")")
	case *ast.AutoLink:
		return p.underline(string(v.Label(t.src)))
	case *ast.Image:
		alt := t.inline(v)
		url := string(unescape(v.Destination))
		if alt == "" {
			alt = "image"
		}
		return p.Dim("[image: "+alt+"]") + " " + p.Dim("("+url+")")
	case *ast.RawHTML:
		var b strings.Builder
		for i := 0; i < v.Segments.Len(); i++ {
			seg := v.Segments.At(i)
			b.Write(seg.Value(t.src))
		}
		return notes.StripComments(b.String())
	case *extast.TaskCheckBox:
		return ""
	}
	return t.inline(n)
}

// unescape resolves backslash escapes and entity references; a reference
// cannot smuggle a control character in.
func unescape(b []byte) []byte {
	b = util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(b)))
	return []byte(cleanControls(string(b)))
}

// cleanControls replaces control characters other than tab and newline, so
// that a note cannot send escape sequences to the terminal.
func cleanControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return '\uFFFD'
	}, s)
}

// clean removes control characters, newlines included, from a single-line value.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
