package notes

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// An alias bomb (anchors of anchors) is bad frontmatter wherever oneone reads
// YAML: it is refused without being expanded, while a few honest aliases are fine.
func TestAliasBombIsRefused(t *testing.T) {
	bomb := "a: &a [x,x,x,x,x,x,x,x,x]\n"
	for i, c := range "bcdefghi" {
		prev := string("abcdefgh"[i])
		bomb += fmt.Sprintf("%c: &%c [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", c, c, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	small := "x: &x [a, b]\ny: [*x, *x]\n" // a few honest aliases
	cycle := "a: &a [1, *a]\n"
	t.Run("note", func(t *testing.T) {
		start := time.Now()
		_, err := ParseNote("alice", "2026-11-25.md", []byte("---\n"+bomb+"---\n## Feedback\n- x\n"))
		if err == nil || !strings.Contains(err.Error(), "bad frontmatter YAML: its aliases") || !strings.Contains(err.Error(), "alias bomb") {
			t.Errorf("err = %v, want an alias bomb refused", err)
		}
		if d := time.Since(start); d > 2*time.Second { // not a timing assertion: an expansion would take minutes
			t.Errorf("took %v: was it expanded?", d)
		}
		if _, err := ParseNote("alice", "2026-11-25.md", []byte("---\n"+small+"---\n")); err != nil {
			t.Errorf("honest aliases: %v", err)
		}
		if _, err := ParseNote("alice", "2026-11-25.md", []byte("---\n"+cycle+"---\n")); err == nil || !strings.Contains(err.Error(), "contains it") {
			t.Errorf("self-referring alias: err = %v", err)
		}
	})
	t.Run("profile", func(t *testing.T) {
		_, err := ParseProfile("alice", []byte("---\nname: Alice\n"+bomb+"---\n"), DefaultConfig())
		if err == nil || !strings.Contains(err.Error(), "alias bomb") {
			t.Errorf("err = %v, want an alias bomb refused", err)
		}
	})
	t.Run("oneone.yaml", func(t *testing.T) {
		_, err := ParseConfig([]byte("manager: Dana\n" + bomb))
		if err == nil || !strings.Contains(err.Error(), "bad YAML: its aliases") {
			t.Errorf("err = %v, want an alias bomb refused", err)
		}
	})
	t.Run("edits", func(t *testing.T) {
		if _, err := SetTopLevelKey([]byte("---\nname: Alice\n"+bomb+"---\n"), "archived", "2026-11-25"); err == nil || !strings.Contains(err.Error(), "alias bomb") {
			t.Errorf("err = %v, want an alias bomb refused", err)
		}
		if _, err := SetConfigKey([]byte("manager: Dana\n"+small), "grace", "3d"); err != nil {
			t.Errorf("honest aliases: %v", err)
		}
	})
}
