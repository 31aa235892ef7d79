// Package render turns oneone's data into terminal tables, terminal Markdown and HTML.
package render

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/width"
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

// Width returns the number of terminal cells s takes, ignoring colour codes:
// East Asian wide and fullwidth characters (CJK, most emoji) take two,
// combining marks and zero-width characters none.
func Width(s string) int {
	n := 0
	for _, r := range ansi.ReplaceAllString(s, "") {
		n += runeCells(r)
	}
	return n
}

// runeCells is the number of terminal cells r takes.
func runeCells(r rune) int {
	switch {
	case r < 0x300: // ASCII and Latin: the common case, one cell
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// Table writes rows as aligned columns separated by two spaces; the last column is not padded.
type Table struct {
	Header []string
	Rows   [][]string
	Indent string
	// MaxWidth, when positive, is the terminal width the table must fit:
	// the Flex column is shortened (cells cut with …) down to 16 cells; when
	// that is not enough, the Drop columns are left out first, one by one, and
	// Flex gets the room they leave; then the Also columns are shortened down
	// to 8 cells, and Flex too, as a last resort.
	MaxWidth int
	Flex     int
	Drop     []int
	Also     []int
	// Wrap, with MaxWidth, wraps the Flex and Also cells that do not fit onto
	// the next lines, under themselves, instead of cutting them: for text that
	// must be read whole (an audit message, an action item, a file name).
	Wrap bool
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
	dropped := map[int]bool{}
	wrapped := map[int]bool{}
	if t.MaxWidth > 0 && t.Flex >= 0 && t.Flex < len(widths) {
		over := Width(t.Indent) - 2 - t.MaxWidth
		for _, w := range widths {
			over += w + 2
		}
		shrink := func(col, least int) {
			if over > 0 && col >= 0 && col < len(widths) && !dropped[col] && widths[col] > least {
				cut := min(over, widths[col]-least)
				widths[col] -= cut
				over -= cut
				if t.Wrap {
					wrapped[col] = true
					return
				}
				for _, r := range all {
					if col < len(r) {
						r[col] = Truncate(r[col], widths[col])
					}
				}
			}
		}
		// columns go only when cutting Flex to its least would not be enough,
		// and then before it is cut: the room they leave is Flex's
		overAtLeast := over - max(widths[t.Flex]-16, 0)
		for _, col := range t.Drop {
			if overAtLeast > 0 && col >= 0 && col < len(widths) && col != t.Flex && !dropped[col] {
				dropped[col] = true
				over -= widths[col] + 2
				overAtLeast -= widths[col] + 2
			}
		}
		shrink(t.Flex, 16)
		for _, col := range t.Also {
			shrink(col, 8)
		}
		shrink(t.Flex, 8) // a very narrow terminal: the free text too, as a last resort
	}
	for ri, r := range all {
		if ri == 0 && len(t.Header) > 0 {
			r = append([]string(nil), r...)
			for i := range r {
				r[i] = p.Bold(r[i])
			}
		}
		for _, line := range t.lines(r, widths, dropped, wrapped) {
			if _, err := fmt.Fprintln(w, line); err != nil {
				return err
			}
		}
	}
	return nil
}

// lines lays out one row: one line, or several when a wrapped cell needs
// them (the other cells on the first line, blank below).
func (t *Table) lines(r []string, widths []int, dropped, wrapped map[int]bool) []string {
	cells := make([][]string, len(r))
	height := 1
	for i, c := range r {
		cells[i] = []string{c}
		if wrapped[i] {
			cells[i] = Wrap(c, widths[i])
			height = max(height, len(cells[i]))
		}
	}
	last := len(r) - 1
	for last > 0 && dropped[last] {
		last--
	}
	out := make([]string, height)
	for k := range out {
		var b strings.Builder
		b.WriteString(t.Indent)
		for i := range r {
			if dropped[i] {
				continue
			}
			c := ""
			if k < len(cells[i]) {
				c = cells[i][k]
			}
			b.WriteString(c)
			if i < last {
				b.WriteString(strings.Repeat(" ", max(widths[i]-Width(c), 0)+2))
			}
		}
		out[k] = strings.TrimRight(b.String(), " ")
	}
	return out
}

// Truncate shortens s to at most n terminal cells, ending it with … when cut;
// colour codes are dropped from a cut cell.
func Truncate(s string, n int) string {
	if Width(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	var b strings.Builder
	used := 0
	for _, r := range ansi.ReplaceAllString(s, "") {
		c := runeCells(r)
		if used+c > n-1 { // room for the …
			break
		}
		b.WriteRune(r)
		used += c
	}
	return b.String() + "…"
}
