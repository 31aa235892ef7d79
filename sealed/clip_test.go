package sealed

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestClip: what a message shows of a key, a path or a manifest line is one
// line, at most max bytes, valid UTF-8.
func TestClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"age1abc", 70, "age1abc"},
		{"a\nb\x1b[2Jc\x7f", 70, "a?b?[2Jc?"},
		{strings.Repeat("x", 80), 70, strings.Repeat("x", 67) + "..."},
		{strings.Repeat("é", 80), 70, strings.Repeat("é", 33) + "..."}, // 67 bytes would cut an é in half
	} {
		got := clip(tc.in, tc.max)
		if got != tc.want || len(got) > tc.max || !utf8.ValidString(got) {
			t.Errorf("clip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
