// Package render turns oneone's data into terminal tables, terminal Markdown and HTML.
package render

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Palette colours text when enabled; the zero value never colours.
type Palette struct{ Enabled bool }

func (p Palette) wrap(code, s string) string {
	if !p.Enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Bold, Dim, Red, Yellow, Green and Cyan colour s when the palette is enabled.
func (p Palette) Bold(s string) string   { return p.wrap("1", s) }
func (p Palette) Dim(s string) string    { return p.wrap("2", s) }
func (p Palette) Red(s string) string    { return p.wrap("31", s) }
func (p Palette) Yellow(s string) string { return p.wrap("33", s) }
func (p Palette) Green(s string) string  { return p.wrap("32", s) }
func (p Palette) Cyan(s string) string   { return p.wrap("36", s) }

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// Width returns the number of terminal cells s takes, ignoring colour codes.
func Width(s string) int { return utf8.RuneCountInString(ansi.ReplaceAllString(s, "")) }

// Table writes rows as aligned columns separated by two spaces; the last column is not padded.
type Table struct {
	Header []string
	Rows   [][]string
	Indent string
	// MaxWidth, when positive, is the terminal width the table must fit:
	// the Flex column is shortened (cells cut with …) until it does.
	MaxWidth int
	Flex     int
}

// Add appends a row.
// A line break inside a cell (a file name may hold one) is shown as \ufffd,
// like every other control character, and a tab as a space, so that a row
// stays one line.
func (t *Table) Add(cells ...string) {
	for i, c := range cells {
		if strings.ContainsAny(c, "\n\r\t") {
			cells[i] = cellSpace.Replace(c)
		}
	}
	t.Rows = append(t.Rows, cells)
}

var cellSpace = strings.NewReplacer("\n", "\ufffd", "\r", "\ufffd", "\t", " ")

// Write prints the table to w; the header is printed in bold when p is enabled.
func (t *Table) Write(w io.Writer, p Palette) error {
	all := t.Rows
	if len(t.Header) > 0 {
		all = append([][]string{t.Header}, t.Rows...)
	}
	var widths []int
	for _, r := range all {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(c))
		}
	}
	if t.MaxWidth > 0 && t.Flex >= 0 && t.Flex < len(widths) {
		total := Width(t.Indent) + 2*(len(widths)-1)
		for _, w := range widths {
			total += w
		}
		if over := total - t.MaxWidth; over > 0 {
			widths[t.Flex] = max(widths[t.Flex]-over, 16)
			for _, r := range all {
				if t.Flex < len(r) {
					r[t.Flex] = Truncate(r[t.Flex], widths[t.Flex])
				}
			}
		}
	}
	for ri, r := range all {
		var b strings.Builder
		b.WriteString(t.Indent)
		for i, c := range r {
			if ri == 0 && len(t.Header) > 0 {
				c = p.Bold(c)
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-Width(c)+2))
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

// Truncate shortens s to at most n terminal cells, ending it with … when cut;
// colour codes are dropped from a cut cell.
func Truncate(s string, n int) string {
	if Width(s) <= n {
		return s
	}
	r := []rune(ansi.ReplaceAllString(s, ""))
	if n < 1 {
		return ""
	}
	return string(r[:n-1]) + "…"
}
