package notes

import (
	"bytes"
	"errors"
	"fmt"
)

// Parts is a file split into its YAML frontmatter and Markdown body; the
// offsets point into the original bytes so that an edit can be spliced back.
type Parts struct {
	BOM        bool   // the file starts with a UTF-8 byte order mark
	HasFront   bool   // the file opens with a --- frontmatter block
	Front      []byte // the YAML between the delimiters, as written
	FrontStart int    // offset of Front in the original bytes
	FrontEnd   int    // offset just after Front (the start of the closing delimiter line)
	BodyStart  int    // offset of the body in the original bytes
	Body       []byte // everything after the closing delimiter line
	CRLF       bool   // the first line ends in \r\n
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// ErrUnterminated reports frontmatter that opens with --- and never closes.
var ErrUnterminated = errors.New("frontmatter opens with --- but has no closing --- line")

// SplitFrontmatter splits src into frontmatter and body. A file that does not
// start with a --- line has no frontmatter and is all body.
func SplitFrontmatter(src []byte) (Parts, error) {
	var p Parts
	off := 0
	if bytes.HasPrefix(src, bom) {
		p.BOM = true
		off = len(bom)
	}
	line, next := readLine(src, off)
	if !isDelim(line, "---") {
		p.BodyStart = off
		p.Body = src[off:]
		return p, nil
	}
	p.CRLF = bytes.HasSuffix(src[off:next], []byte("\r\n"))
	p.HasFront = true
	p.FrontStart = next
	for pos := next; pos < len(src); {
		line, nl := readLine(src, pos)
		if isDelim(line, "---") || isDelim(line, "...") {
			p.FrontEnd = pos
			p.Front = src[p.FrontStart:pos]
			p.BodyStart = nl
			p.Body = src[nl:]
			return p, nil
		}
		pos = nl
	}
	return Parts{}, ErrUnterminated
}

// readLine returns the line starting at off (without its ending) and the offset of the next line.
func readLine(src []byte, off int) ([]byte, int) {
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return src[off:], len(src)
	}
	return src[off : off+i], off + i + 1
}

func isDelim(line []byte, d string) bool {
	return string(bytes.TrimRight(line, " \t\r")) == d
}

// normalizeText strips a BOM and turns CRLF and lone CR endings into LF.
func normalizeText(b []byte) []byte {
	b = bytes.TrimPrefix(b, bom)
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

// checkText refuses content that is not text oneone can read.
func checkText(b []byte, max int) error {
	if len(b) > max {
		return fmt.Errorf("file is %d bytes, larger than the %d MiB oneone reads; split or shrink it", len(b), max>>20)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return errors.New("file is binary (it contains NUL bytes), not a Markdown note; move it out of the report's folder")
	}
	if !validUTF8(b) {
		return errors.New("file is not valid UTF-8; re-save it as UTF-8")
	}
	return nil
}
