package main

import (
	"testing"

	"github.com/oneone/oneone/render"
)

func TestSearchHighlight(t *testing.T) {
	cases := []struct {
		line  string
		spans [][2]int
		color bool
		want  string
	}{
		{"the Roadmap and the roadmap", [][2]int{{4, 11}, {20, 27}}, true, "the \x1b[31m\x1b[1mRoadmap\x1b[0m\x1b[0m and the \x1b[31m\x1b[1mroadmap\x1b[0m\x1b[0m"},
		{"the Roadmap", [][2]int{{4, 11}}, false, "the Roadmap"},
		{"no spans", nil, true, "no spans"},
	}
	for _, c := range cases {
		if got := searchHighlight(c.line, c.spans, render.Palette{Enabled: c.color}); got != c.want {
			t.Errorf("searchHighlight(%q, %v, %v) = %q, want %q", c.line, c.spans, c.color, got, c.want)
		}
	}
}
