package notes

import (
	"bytes"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// IsPrivateHeading reports whether a heading names the manager's Private
// section: "Private" in any letter case, tolerating emphasis, a trailing colon
// and HTML comments ("**Private**", "PRIVATE:", "Private <!-- mine -->": it
// reads "Private"), because leaking is worse than sharing too little.
func IsPrivateHeading(h string) bool {
	if strings.Contains(h, "<!--") {
		h = StripComments(h)
	}
	h = strings.Trim(strings.TrimSpace(h), "*_: \t")
	return strings.EqualFold(h, "private")
}

// PrivateRanges returns the byte ranges [from, to) of body that are the
// manager's alone: every level-2 Private section, and under a Private heading
// of any other level (`# Private`, `### Private`, setext too) everything up
// to the next heading of that level or higher. Leaking is worse than sharing
// too little: a heading that reads "Private" hides what it heads.
func PrivateRanges(body []byte, sections []Section) [][2]int {
	return privateRanges(md.Parser().Parse(text.NewReader(body)), body, sections)
}

// PrivateRanges is PrivateRanges for the note's body (read with its body).
func (n *Note) PrivateRanges() [][2]int { return PrivateRanges(n.Body, n.Sections) }

// HeadingRanges returns the byte ranges [from, to) of body headed by a
// heading (any level, ATX or setext) whose text match accepts: from the
// heading to the next heading of its level or higher.
func HeadingRanges(body []byte, match func(heading string) bool) [][2]int {
	return headingRanges(md.Parser().Parse(text.NewReader(body)), body, nil, match)
}

func privateRanges(doc ast.Node, body []byte, sections []Section) [][2]int {
	return headingRanges(doc, body, sections, IsPrivateHeading)
}

func headingRanges(doc ast.Node, body []byte, sections []Section, match func(string) bool) [][2]int {
	var spans []span
	for _, s := range sections {
		if match(s.Heading) {
			spans = append(spans, span{s.Start, s.End})
		}
	}
	type head struct {
		level, start int
		private      bool
	}
	var heads []head
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		h, ok := c.(*ast.Heading)
		if !ok || h.Lines().Len() == 0 {
			continue
		}
		start := bytes.LastIndexByte(body[:h.Lines().At(0).Start], '\n') + 1
		heads = append(heads, head{h.Level, start, match(string(nodeText(h, body)))})
	}
	for i, h := range heads {
		if !h.private {
			continue
		}
		end := len(body)
		for _, n := range heads[i+1:] {
			if n.level <= h.level {
				end = n.start
				break
			}
		}
		spans = append(spans, span{h.start, end})
	}
	var out [][2]int
	for _, s := range mergeSpans(spans) {
		out = append(out, [2]int{s.from, s.to})
	}
	return out
}

// HasTitle reports whether the body's first block is a level-1 heading.
func HasTitle(body []byte) bool {
	doc := md.Parser().Parse(text.NewReader(body))
	h, ok := doc.FirstChild().(*ast.Heading)
	return ok && h.Level == 1
}

// TitleEnd returns the offset just past the level-1 heading that opens body
// (its line, and the underline of a setext heading, with their line breaks),
// or -1 when body opens with something else.
func TitleEnd(body []byte) int {
	doc := md.Parser().Parse(text.NewReader(body))
	h, ok := doc.FirstChild().(*ast.Heading)
	if !ok || h.Level != 1 {
		return -1
	}
	end := 0
	if lines := h.Lines(); lines.Len() > 0 {
		end = lines.At(lines.Len() - 1).Stop
	}
	lineEnd := func(i int) int {
		if j := bytes.IndexByte(body[i:], '\n'); j >= 0 {
			return i + j + 1
		}
		return len(body)
	}
	end = lineEnd(min(end, len(body)))
	if next := bytes.TrimSpace(body[end:lineEnd(end)]); len(next) > 0 && strings.Trim(string(next), "=") == "" {
		end = lineEnd(end) // a setext heading's underline
	}
	return end
}

// Shareable returns the note's body as Markdown that can be shown to the
// report: every Private section and every HTML comment is left out, the rest
// is kept byte for byte except that runs of blank lines outside code blocks
// collapse to one and leading and trailing blank lines go.
func (n *Note) Shareable() []byte { return ShareableBody(n.Body, n.Sections) }

// ShareableBody is Shareable for a body and its sections (as parsed by ParseNote).
func ShareableBody(body []byte, sections []Section) []byte {
	doc := md.Parser().Parse(text.NewReader(body))
	var cuts []span
	for _, r := range privateRanges(doc, body, sections) {
		cuts = append(cuts, span{r[0], r[1]})
	}
	return cutCommentsDoc(doc, body, cuts)
}

// WithoutComments returns body as written, minus its HTML comments (the
// template's prompts), with runs of blank lines outside code collapsed:
// Markdown that reads back exactly as the note, for a pipe or a file.
func WithoutComments(body []byte) []byte { return cutComments(body, nil) }

// cutComments cuts the spans in cuts and every HTML comment outside code from body.
func cutComments(body []byte, cuts []span) []byte {
	return cutCommentsDoc(md.Parser().Parse(text.NewReader(body)), body, cuts)
}

// cutCommentsDoc is cutComments over the body's parsed document.
func cutCommentsDoc(doc ast.Node, body []byte, cuts []span) []byte {
	var code []span
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch b := n.(type) {
		case *ast.HTMLBlock:
			lines := b.Lines()
			start, end := -1, -1
			if lines.Len() > 0 {
				start, end = lines.At(0).Start, lines.At(lines.Len()-1).Stop
			}
			if b.HasClosure() {
				if start < 0 {
					start = b.ClosureLine.Start
				}
				end = b.ClosureLine.Stop
			}
			if start >= 0 {
				for _, m := range htmlComment.FindAllIndex(body[start:end], -1) {
					cuts = append(cuts, span{start + m[0], start + m[1]})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			segs := b.Segments
			if segs.Len() > 0 {
				first, last := segs.At(0), segs.At(segs.Len()-1)
				if bytes.HasPrefix(body[first.Start:], []byte("<!--")) {
					cuts = append(cuts, span{first.Start, last.Stop})
				}
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if lines := n.Lines(); lines.Len() > 0 {
				code = append(code, span{lines.At(0).Start, lines.At(lines.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return assemble(body, mergeSpans(cuts), code)
}

// span is a half-open byte range [from, to) of a body.
type span struct{ from, to int }

func mergeSpans(in []span) []span {
	sort.Slice(in, func(i, j int) bool { return in[i].from < in[j].from })
	var out []span
	for _, s := range in {
		if s.to <= s.from {
			continue
		}
		if k := len(out) - 1; k >= 0 && s.from <= out[k].to {
			out[k].to = max(out[k].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

func inSpans(spans []span, i int) bool {
	for _, s := range spans {
		if i >= s.from && i < s.to {
			return true
		}
	}
	return false
}

// assemble writes body without the cuts, collapsing blank lines outside code.
func assemble(body []byte, cuts, code []span) []byte {
	type line struct {
		text []byte
		code bool
		cut  bool // a cut removed text from the line
	}
	var lines []line
	var cur line
	ci := 0
	for i := 0; i < len(body); i++ {
		for ci < len(cuts) && i >= cuts[ci].to {
			ci++
		}
		if ci < len(cuts) && i >= cuts[ci].from {
			i = cuts[ci].to - 1
			cur.cut = true
			continue
		}
		cur.code = cur.code || inSpans(code, i)
		if body[i] == '\n' {
			lines = append(lines, cur)
			cur = line{}
			continue
		}
		cur.text = append(cur.text, body[i])
	}
	if len(cur.text) > 0 {
		lines = append(lines, cur)
	}
	var out bytes.Buffer
	blank := true // at the start: drop leading blank lines
	pending := false
	heading := false // the last line written is an ATX heading
	for _, l := range lines {
		if !l.code && len(bytes.TrimSpace(l.text)) == 0 {
			if l.cut && (heading || blank) {
				continue // a line that held only a comment, under a heading: gone without a trace
			}
			if !blank {
				pending = true
			}
			blank = true
			continue
		}
		if l.cut && !l.code {
			// "text <!-- c -->" must not end in spaces: two would make a hard line break
			l.text = bytes.TrimRight(l.text, " \t")
		}
		if pending {
			out.WriteByte('\n')
			pending = false
		}
		out.Write(l.text)
		out.WriteByte('\n')
		blank = false
		_, _, isHeading := atxHeading(l.text)
		heading = !l.code && isHeading
	}
	return out.Bytes()
}

// PrivateTaskKeys returns the keys of the action items written in a Private
// section of any of p's notes (notes read with their bodies: summaries have no offsets).
func (p *Person) PrivateTaskKeys() map[string]bool {
	keys := map[string]bool{}
	for _, n := range p.Notes {
		if len(n.Tasks) == 0 {
			continue
		}
		for _, r := range n.PrivateRanges() {
			for _, t := range n.Tasks {
				if off := lineOffset(n.Body, t.Line); off >= r[0] && off < r[1] {
					keys[t.Key] = true
				}
			}
		}
	}
	return keys
}

// lineOffset returns the byte offset of the 1-based line in body.
func lineOffset(body []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(body[off:], '\n')
		if i < 0 {
			return len(body)
		}
		off += i + 1
	}
	return off
}
