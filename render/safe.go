package render

import (
	"bytes"
	"io"
	"regexp"
)

// SafeWriter passes text to a terminal or a pipe without the control
// characters a hostile note could use to drive the terminal (clear the screen,
// set the title, move the cursor): each becomes U+FFFD. Newlines, tabs and
// carriage returns stay, and so do colour codes when keepColor is set.
type SafeWriter struct {
	w         io.Writer
	keepColor bool
}

// NewSafeWriter wraps w.
func NewSafeWriter(w io.Writer, keepColor bool) *SafeWriter {
	return &SafeWriter{w: w, keepColor: keepColor}
}

// Write writes p with its control characters replaced.
func (s *SafeWriter) Write(p []byte) (int, error) {
	if _, err := s.w.Write(Sanitize(p, s.keepColor)); err != nil {
		return 0, err
	}
	return len(p), nil
}

var sgr = regexp.MustCompile("^\x1b\\[[0-9;]*m")

// Sanitize replaces C0 and C1 control characters and DEL, except newline, tab
// and carriage return (and colour codes when keepColor), with U+FFFD.
func Sanitize(p []byte, keepColor bool) []byte {
	if controlFree(p) {
		return p
	}
	var b bytes.Buffer
	b.Grow(len(p) + 16)
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\n' || c == '\t' || c == '\r':
			b.WriteByte(c)
		case c == 0x1b && keepColor:
			if m := sgr.Find(p[i:]); m != nil {
				b.Write(m)
				i += len(m) - 1
				continue
			}
			b.WriteString("\uFFFD")
		case c < 0x20 || c == 0x7f:
			b.WriteString("\uFFFD")
		case c == 0xc2 && i+1 < len(p) && p[i+1] >= 0x80 && p[i+1] <= 0x9f: // U+0080..U+009F
			b.WriteString("\uFFFD")
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.Bytes()
}

// controlFree reports whether p holds no character Sanitize would change.
func controlFree(p []byte) bool {
	for i, c := range p {
		if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f {
			return false
		}
		if c == 0xc2 && i+1 < len(p) && p[i+1] >= 0x80 && p[i+1] <= 0x9f {
			return false
		}
	}
	return true
}
