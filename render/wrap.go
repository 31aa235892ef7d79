package render

import (
	"strings"
	"unicode/utf8"
)

// Wrap breaks s into lines of at most n terminal cells at spaces, for text
// that must be read whole (an audit message, an action item): a word longer
// than n is broken after a '/' (else a '-') where one falls on the line,
// else where the line is full. Colour codes take no room and carry over: a line
// that ends inside a colour closes it, and the next opens it again. With n
// below 1, or when s fits, s is the only line.
func Wrap(s string, n int) []string {
	if n < 1 || Width(s) <= n {
		return []string{s}
	}
	var lines []string
	var line strings.Builder
	used := 0
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		used = 0
	}
	for _, word := range strings.Fields(s) {
		w := Width(word)
		switch {
		case used > 0 && used+1+w <= n:
			line.WriteByte(' ')
			line.WriteString(word)
			used += 1 + w
		case w <= n:
			if used > 0 {
				flush()
			}
			line.WriteString(word)
			used = w
		default: // longer than a line: in pieces
			if used > 0 {
				flush()
			}
			pieces := breakWord(word, n)
			for _, p := range pieces[:len(pieces)-1] {
				line.WriteString(p)
				flush()
			}
			last := pieces[len(pieces)-1]
			line.WriteString(last)
			used = Width(last)
		}
	}
	if used > 0 || line.Len() > 0 {
		flush()
	}
	return carryColour(lines)
}

// atom is a rune or a whole colour code of a word, with the cells it takes.
type atom struct {
	s     string
	cells int
}

func atoms(word string) []atom {
	var out []atom
	for len(word) > 0 {
		if loc := ansi.FindStringIndex(word); loc != nil && loc[0] == 0 {
			out = append(out, atom{word[:loc[1]], 0})
			word = word[loc[1]:]
			continue
		}
		r, size := utf8.DecodeRuneInString(word)
		out = append(out, atom{word[:size], runeCells(r)})
		word = word[size:]
	}
	return out
}

// breakWord cuts a word into pieces of at most n cells, each ending after
// the last '/' that fits when there is one, else after the last '-'.
func breakWord(word string, n int) []string {
	as := atoms(word)
	var pieces []string
	for len(as) > 0 {
		used, end, slash, hyphen := 0, 0, -1, -1
		for end < len(as) && used+as[end].cells <= n {
			used += as[end].cells
			switch as[end].s {
			case "/":
				slash = end + 1
			case "-":
				hyphen = end + 1
			}
			end++
		}
		if end == 0 { // a character wider than the line: it goes alone
			end = 1
		}
		if end < len(as) { // a path breaks after a folder first
			if slash > 0 {
				end = slash
			} else if hyphen > 0 {
				end = hyphen
			}
		}
		var b strings.Builder
		for _, a := range as[:end] {
			b.WriteString(a.s)
		}
		pieces = append(pieces, b.String())
		as = as[end:]
	}
	return pieces
}

// carryColour closes a colour left open at the end of a line and opens it
// again at the start of the next one.
func carryColour(lines []string) []string {
	active := ""
	for i, l := range lines {
		if active != "" {
			l = active + l
		}
		for _, code := range ansi.FindAllString(lines[i], -1) {
			if code == "\x1b[0m" || code == "\x1b[m" {
				active = ""
			} else {
				active += code
			}
		}
		if active != "" {
			l += "\x1b[0m"
		}
		lines[i] = l
	}
	return lines
}

// Hanging lays out label followed by value in at most width cells: a value
// too long continues on the next lines under its own start, as in
//
//	themes:     Take over on-call ownership from the
//	            platform team (due 2026-12-23)
//
// A label that leaves less than 20 cells for the value wraps with the value,
// continued two cells in. With width below 1, or when it fits, it is one line.
func Hanging(label, value string, width int) []string {
	lw := Width(label)
	if width < 1 || lw+Width(value) <= width {
		return []string{label + value}
	}
	indent, lines := lw, []string(nil)
	if width-lw >= 20 {
		lines = Wrap(value, width-lw)
		lines[0] = label + lines[0]
	} else {
		lead := len(label) - len(strings.TrimLeft(label, " "))
		indent = lead + 2
		lines = Wrap(strings.TrimLeft(label, " ")+value, max(width-indent, 1))
		lines[0] = label[:lead] + lines[0]
	}
	pad := strings.Repeat(" ", indent)
	for i := 1; i < len(lines); i++ {
		lines[i] = pad + lines[i]
	}
	return lines
}
