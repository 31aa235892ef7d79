package render

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableAlignsAndFits(t *testing.T) {
	tbl := Table{Header: []string{"A", "MESSAGE", "FILE"}, Flex: 1}
	tbl.Add("x", "a rather long message that will not fit", "f.md")
	tbl.Add("yy", "short", "g.md")
	var b bytes.Buffer
	if err := tbl.Write(&b, Palette{}); err != nil {
		t.Fatal(err)
	}
	want := "A   MESSAGE                                  FILE\n" +
		"x   a rather long message that will not fit  f.md\n" +
		"yy  short                                    g.md\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	tbl.MaxWidth = 30
	b.Reset()
	if err := tbl.Write(&b, Palette{}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if Width(line) > 30 {
			t.Errorf("line %q is %d wide, more than 30", line, Width(line))
		}
	}
	if !strings.Contains(b.String(), "…") {
		t.Errorf("the long message should be cut with …:\n%s", b.String())
	}
}

func TestTruncateKeepsShortAndStripsColour(t *testing.T) {
	if got := Truncate("short", 10); got != "short" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("\x1b[31mabcdefghij\x1b[0m", 5); got != "abcd…" {
		t.Errorf("Truncate = %q", got)
	}
}

// A file name with a line break must not break a row in two.
func TestTableCellsStayOnOneLine(t *testing.T) {
	var b strings.Builder
	tb := Table{Header: []string{"A", "B"}}
	tb.Add("x", "nl\nname.md")
	tb.Add("y", "tab\there")
	if err := tb.Write(&b, Palette{}); err != nil {
		t.Fatal(err)
	}
	want := "A  B\nx  nl\ufffdname.md\ny  tab here\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
