package render

import (
	"reflect"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want []string
	}{
		{"fits", 10, []string{"fits"}},
		{"no limit at all", 0, []string{"no limit at all"}},
		{`theme "Lead the migration" was due 2026-11-10`, 16, []string{`theme "Lead the`, `migration" was`, "due 2026-11-10"}},
		{"marcus/2026-11-05.md", 13, []string{"marcus/", "2026-11-05.md"}},                        // after the '/'
		{"a supercalifragilistic word", 8, []string{"a", "supercal", "ifragili", "stic", "word"}}, // no break character: where the line is full
		{"日本語のテーマ です", 6, []string{"日本語", "のテー", "マ", "です"}},                                      // two cells each
		{"\x1b[33mfeedback not written yet\x1b[0m", 12, []string{"\x1b[33mfeedback not\x1b[0m", "\x1b[33mwritten yet\x1b[0m"}},
	}
	for _, tt := range tests {
		got := Wrap(tt.s, tt.n)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
		for _, l := range got {
			if tt.n > 0 && Width(l) > tt.n {
				t.Errorf("Wrap(%q, %d): line %q is %d cells", tt.s, tt.n, l, Width(l))
			}
		}
		if tt.n > 0 && strings.Join(strings.Fields(ansi.ReplaceAllString(strings.Join(got, " "), "")), "") != strings.Join(strings.Fields(ansi.ReplaceAllString(tt.s, "")), "") {
			t.Errorf("Wrap(%q, %d) lost or added text: %q", tt.s, tt.n, got)
		}
	}
}

// A wrapping table on a 60-column terminal: the message is never cut, it
// continues under itself; the other cells stay on the row's first line.
func TestTableWrapsInsteadOfCutting(t *testing.T) {
	tb := Table{Header: []string{"PERSON", "CODE", "MESSAGE", "FILE"}, MaxWidth: 60, Flex: 2, Also: []int{3}, Wrap: true}
	tb.Add("jonas", "theme-overdue", `theme "Lead the migration to the new billing system" was due 2026-11-10, 15 days ago: mark it done or dropped`, "jonas/profile.md")
	tb.Add("", "stale-action", `"Dana: send Jonas the calibration feedback from the staff panel" open for 50 days (since 2026-10-06)`, "jonas/2026-10-06.md")
	var b strings.Builder
	if err := tb.Write(&b, Palette{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if Width(l) > 60 {
			t.Errorf("line of %d cells: %q", Width(l), l)
		}
	}
	if strings.Contains(out, "…") {
		t.Errorf("nothing is cut when wrapping:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	col := strings.Index(lines[0], "MESSAGE")
	if !strings.HasPrefix(lines[1][col:], `theme "Lead the`) || strings.TrimSpace(lines[2][:col]) != "" || !strings.HasPrefix(lines[2][col:], "migration") {
		t.Errorf("the message should continue under itself:\n%s", out)
	}
	var joined []string
	for _, l := range lines[1:] {
		if len(l) > col {
			joined = append(joined, strings.Fields(l[col:min(len(l), col+16)])...)
		}
	}
	if !strings.Contains(strings.Join(joined, " "), "mark it done or dropped") {
		t.Errorf("the whole message should be there:\n%s", out)
	}
	// piped (no width): one line per row, nothing wrapped
	tb.MaxWidth = 0
	b.Reset()
	_ = tb.Write(&b, Palette{})
	if n := strings.Count(b.String(), "\n"); n != 3 {
		t.Errorf("without a width: %d lines, want 3:\n%s", n, b.String())
	}
}
