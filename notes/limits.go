package notes

import (
	"bytes"
	"fmt"
)

// Limits on the Markdown structure of a note. The Markdown parser takes time
// quadratic in some shapes no real note has (thousands of "[" on one line,
// quotes or lists nested thousands deep): a hostile 100 KB file would stall
// every command for seconds, a 2 MiB one for hours. Such a note is refused.
const (
	maxBracketsPerLine = 1000
	maxNesting         = 100
)

// checkStructure refuses text whose Markdown structure is beyond the limits.
func checkStructure(b []byte) error {
	for n := 1; len(b) > 0; n++ {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if c := bytes.Count(line, []byte("[")); c > maxBracketsPerLine {
			return fmt.Errorf("line %d holds %d [ brackets, more than the %d oneone reads: split the line", n, c, maxBracketsPerLine)
		}
		if d := nesting(line); d > maxNesting {
			return fmt.Errorf("line %d is nested %d levels deep in quotes or lists, more than the %d oneone reads: flatten it", n, d, maxNesting)
		}
	}
	return nil
}

// nesting counts the block quote and list markers that open a line.
func nesting(line []byte) int {
	d := 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '>':
			d++
			i++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t'):
			d++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t') {
				d++
				i = j + 1
				continue
			}
			return d
		default:
			return d
		}
	}
	return d
}
