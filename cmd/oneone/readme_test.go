package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestReadmeExamples runs the README's examples on examples/team as of
// 2026-11-25 and compares their output with what the README shows, so that
// the README cannot drift from what oneone prints.
func TestReadmeExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip("no README:", err)
	}
	text := strings.ReplaceAll(string(readme), "\r\n", "\n")
	tests := []struct {
		shown string   // the line that opens the block in the README
		args  []string // what runs
		cut   bool     // the README shows the start only, up to "..."
	}{
		{"$ ONEONE_TODAY=2026-11-25 oneone --dir examples/team audit", []string{"audit"}, false},
		{"$ oneone themes priya jonas", []string{"themes", "priya", "jonas"}, false},
		{"$ oneone actions", []string{"actions"}, false},
		{"$ oneone actions --mine", []string{"actions", "--mine"}, false},
		{"$ oneone next --days 3", []string{"next", "--days", "3"}, false},
		{"$ oneone agenda priya", []string{"agenda", "priya"}, false},
		{"$ oneone calendar --weeks 1", []string{"calendar", "--weeks", "1"}, true},
		{"$ oneone search on-call --since 2026-11-15", []string{"search", "on-call", "--since", "2026-11-15"}, false},
		{"`people` on the demo team:\n\n```", []string{"people"}, false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			i := strings.Index(text, tt.shown+"\n")
			if i < 0 {
				t.Fatalf("the README has no %q", tt.shown)
			}
			rest := text[i+len(tt.shown)+1:]
			want := rest[:strings.Index(rest, "```")]
			var out, errb bytes.Buffer
			env := map[string]string{"ONEONE_TODAY": "2026-11-25", "NO_COLOR": "1"}
			Main(append([]string{"--dir", "../../examples/team"}, tt.args...), strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
			got := strings.ReplaceAll(out.String(), "\r\n", "\n")
			if tt.cut {
				want = strings.TrimSuffix(want, "...\n")
				if !strings.HasPrefix(got, want) {
					t.Errorf("the README shows:\n%s\noneone prints:\n%s", want, got)
				}
				return
			}
			if got != want {
				t.Errorf("the README shows:\n%s\noneone prints:\n%s", want, got)
			}
		})
	}
}
