package notes

import (
	"fmt"
	"strings"
	"testing"
)

// TestDuplicateKeysAreBadYAML: a key written twice in one mapping, at any
// depth and in a short or a long mapping, is an error naming both lines; the
// same key in two different mappings is not.
func TestDuplicateKeysAreBadYAML(t *testing.T) {
	long := func(dupAt int) string {
		var b strings.Builder
		for i := 0; i < 200; i++ {
			fmt.Fprintf(&b, "k%d: v\n", i)
		}
		if dupAt >= 0 {
			fmt.Fprintf(&b, "k%d: again\n", dupAt)
		}
		return b.String()
	}
	tests := []struct {
		name, yaml, want string // want "" for no error
	}{
		{"top level", "a: 1\nb: 2\na: 3\n", `line 3: "a" is written twice (first on line 1)`},
		{"nested mapping", "themes:\n  X: on-track\n  X: off-track\n", `line 3: "X" is written twice (first on line 2)`},
		{"in a list item", "themes:\n  - title: A\n    title: B\n", `line 3: "title" is written twice (first on line 2)`},
		{"quoted and plain are the same key", "'a': 1\na: 2\n", `line 2: "a" is written twice`},
		{"a long mapping", long(7), `line 201: "k7" is written twice (first on line 8)`},
		{"same key in two mappings", "x:\n  a: 1\ny:\n  a: 2\n", ""},
		{"a string and a number differ", "1: a\n\"1\": b\n", ""},
		{"a long mapping without duplicates", long(-1), ""},
		{"merge keys", "base: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n", ""},
	}
	for _, tt := range tests {
		_, err := decodeFront([]byte(tt.yaml), 0)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
