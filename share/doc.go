package share

import (
	"bytes"
	"regexp"
	"sort"
	"strings"

	"github.com/oneone/oneone/notes"
)

// doc is a file as written, with the text notes parses (no byte order mark, LF
// endings) and the way back from that text to the original bytes, so that an
// edit found on the parsed text is spliced into the file without touching any
// other byte: a CRLF file stays CRLF, a BOM stays, the frontmatter stays.
type doc struct {
	raw       []byte
	norm      []byte
	off       []int  // off[i] is the offset in raw of norm[i]; off[len(norm)] == len(raw)
	nl        string // line ending for new lines: the file's own
	bodyStart int    // offset of the body (after the frontmatter) in norm
}

var bom = []byte{0xEF, 0xBB, 0xBF}

func newDoc(raw []byte) *doc {
	d := &doc{raw: raw, nl: "\n"}
	i := 0
	if bytes.HasPrefix(raw, bom) {
		i = len(bom)
	}
	d.norm = make([]byte, 0, len(raw))
	d.off = make([]int, 0, len(raw)+1)
	for ; i < len(raw); i++ {
		c := raw[i]
		if c == '\r' {
			d.norm = append(d.norm, '\n')
			d.off = append(d.off, i)
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			continue
		}
		d.norm = append(d.norm, c)
		d.off = append(d.off, i)
	}
	d.off = append(d.off, len(raw))
	if nl := bytes.IndexByte(raw, '\n'); nl > 0 && raw[nl-1] == '\r' {
		d.nl = "\r\n"
	}
	if p, err := notes.SplitFrontmatter(d.norm); err == nil {
		d.bodyStart = p.BodyStart
	}
	return d
}

// edit replaces norm[from:to) with text (LF endings).
type edit struct {
	from, to int
	text     string
}

// apply returns the raw file with the edits (non-overlapping) spliced in.
func (d *doc) apply(edits []edit) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	var out bytes.Buffer
	pos := 0
	for _, e := range edits {
		from, to := d.off[e.from], d.off[e.to]
		out.Write(d.raw[pos:from])
		out.WriteString(strings.ReplaceAll(e.text, "\n", d.nl))
		pos = to
	}
	out.Write(d.raw[pos:])
	return out.Bytes()
}

// body returns the parsed text's body.
func (d *doc) body() []byte { return d.norm[d.bodyStart:] }

// parseFile parses a note's file (or a published agenda: a note without
// frontmatter) named name ("2026-11-25.md").
func parseFile(slug, name string, data []byte) (*notes.Note, error) {
	return notes.ParseNote(slug, name, data)
}

// topicsSection returns the report's topics section: a level-2 heading ending
// in "topics"; with several, the first one starting with the report's first
// name (as audit counts them), else the first.
func topicsSection(n *notes.Note, first string) *notes.Section {
	var found *notes.Section
	for i := range n.Sections {
		h := strings.ToLower(n.Sections[i].Heading)
		if !strings.HasSuffix(h, "topics") {
			continue
		}
		if first != "" && strings.HasPrefix(h, strings.ToLower(first)) {
			return &n.Sections[i]
		}
		if found == nil {
			found = &n.Sections[i]
		}
	}
	return found
}

// lineStart returns the body offset of the 1-based line.
func lineStart(body []byte, line int) int {
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

// taskBox finds the checkbox of a GFM task line: "- [ ] text", "1. [x] text",
// also inside block quotes; the offset is that of the character between the brackets.
var taskBox = regexp.MustCompile(`^(?:[ \t]*>)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[([ xX-])\]`)

// boxAt returns the offset in body of the checkbox character of the task on
// the 1-based line, and that character; -1 when the line holds no task box.
func boxAt(body []byte, line int) (int, byte) {
	s := lineStart(body, line)
	e := bytes.IndexByte(body[s:], '\n')
	if e < 0 {
		e = len(body) - s
	}
	m := taskBox.FindSubmatchIndex(body[s : s+e])
	if m == nil {
		return -1, 0
	}
	return s + m[2], body[s+m[2]]
}

// blankRuns collapses runs of blank lines to one and drops leading and
// trailing blank lines, as the agenda does: two texts equal after it read the same.
func blankRuns(lines []string) []string {
	var out []string
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = true
			continue
		}
		if blank && len(out) > 0 {
			out = append(out, "\n")
		}
		blank = false
		l = strings.TrimRight(l, " \t\n") + "\n"
		out = append(out, l)
	}
	return out
}

// sameText reports whether two texts are equal but for their line endings and
// the white space at their ends (an editor's final newline is no edit).
func sameText(a, b []byte) bool {
	na, nb := newDoc(a), newDoc(b)
	return bytes.Equal(bytes.TrimSpace(na.norm), bytes.TrimSpace(nb.norm))
}
