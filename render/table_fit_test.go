package render

import (
	"strings"
	"testing"
)

// A wide table on a narrow terminal: optional columns go, the free text is
// cut, and no line is wider than the terminal (CJK counted as two cells).
func TestTableFitsNarrowTerminals(t *testing.T) {
	rows := [][]string{
		{"sofia", "Own the nightly data quality report end to end", "dropped", "2026-05-01", "2026-07-01", "-", "5", "off-track (2026-08-04)"},
		{"leo", "日本語のテーマ: speak up in design reviews", "active", "2026-05-01", "2026-07-01", "31d overdue", "8", "off-track (2026-11-20)"},
	}
	for _, width := range []int{140, 100, 80, 60} {
		tb := Table{Header: []string{"SLUG", "THEME", "STATUS", "STARTED", "DUE", "LEFT", "REVISITED", "LAST RATING"},
			MaxWidth: width, Flex: 1, Drop: []int{3, 4}, Also: []int{7}}
		for _, r := range rows {
			tb.Add(append([]string(nil), r...)...)
		}
		var b strings.Builder
		if err := tb.Write(&b, Palette{}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		for _, l := range lines {
			if Width(l) > width {
				t.Errorf("width %d: line of %d cells: %q", width, Width(l), l)
			}
		}
		header := lines[0]
		switch width {
		case 140:
			if !strings.Contains(header, "STARTED") || !strings.Contains(b.String(), "Own the nightly data quality report end to end") {
				t.Errorf("width 140: nothing should go:\n%s", b.String())
			}
		case 100:
			// cutting the theme to 16 cells would do, but dropping STARTED gives it room
			if strings.Contains(header, "STARTED") || !strings.Contains(header, "DUE") || !strings.Contains(b.String(), "Own the nightly data qu…") {
				t.Errorf("width 100: STARTED should go first, and the theme keep the room:\n%s", b.String())
			}
		case 80:
			if strings.Contains(header, "STARTED") || strings.Contains(header, "  DUE") || !strings.Contains(header, "LEFT") {
				t.Errorf("width 80: STARTED and DUE should go, LEFT stay:\n%s", b.String())
			}
		}
	}
}

func TestWidthCountsCells(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "日本語": 6, "Cafe\u0301": 4, "\x1b[31mred\x1b[0m": 3, "😀": 2} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
	if got := Truncate("日本語のテーマ", 7); Width(got) > 7 || got != "日本語…" {
		t.Errorf("Truncate = %q (%d cells)", got, Width(got))
	}
}
