package render

import (
	"bytes"
	"testing"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in string
		color    bool
		want     string
	}{
		{"plain", "Alice Chen\tweekly\r\n", false, "Alice Chen\tweekly\r\n"},
		{"title and clear screen", "Evil \x1b]0;TITLE\a\x1b[2J name", false, "Evil \uFFFD]0;TITLE\uFFFD\uFFFD[2J name"},
		{"colour dropped without colour", "\x1b[31mred\x1b[0m", false, "\uFFFD[31mred\uFFFD[0m"},
		{"colour kept with colour", "\x1b[1;31mred\x1b[0m", true, "\x1b[1;31mred\x1b[0m"},
		{"other escapes go with colour", "\x1b[2J\x1b[31m", true, "\uFFFD[2J\x1b[31m"},
		{"C1 and DEL", "a\u009bb\x7fc\x00", false, "a\uFFFDb\uFFFDc\uFFFD"},
		{"non-ASCII kept", "Sofía Álvarez — ☑", false, "Sofía Álvarez — ☑"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Sanitize([]byte(tt.in), tt.color)); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			var b bytes.Buffer
			n, err := NewSafeWriter(&b, tt.color).Write([]byte(tt.in))
			if err != nil || n != len(tt.in) || b.String() != tt.want {
				t.Errorf("SafeWriter wrote %q (%d, %v)", b.String(), n, err)
			}
		})
	}
}
