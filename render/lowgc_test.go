package render

import (
	"runtime/debug"
	"strings"
	"testing"
)

// gcPercent returns the current GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestLowGCOverlapsAndRestores(t *testing.T) {
	prev := debug.SetGCPercent(150)
	defer debug.SetGCPercent(prev)
	a := lowGC()
	b := lowGC()
	if p := gcPercent(); p != 25 {
		t.Fatalf("GOGC %d during a big render, want 25", p)
	}
	a()
	if p := gcPercent(); p != 25 {
		t.Fatalf("GOGC %d while another big render runs, want 25", p)
	}
	b()
	if p := gcPercent(); p != 150 {
		t.Fatalf("GOGC %d after the big renders, want 150 back", p)
	}
	// a big render goes through lowGC and leaves GOGC as it was
	out := MarkdownHTML([]byte(strings.Repeat("- [ ] an item with **bold**\n", bigMarkdown/20)), 0)
	if !strings.Contains(string(out), "<strong>bold</strong>") || gcPercent() != 150 {
		t.Fatalf("big render: GOGC %d after, output %.80q", gcPercent(), out)
	}
}
