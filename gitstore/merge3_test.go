package gitstore

import (
	"fmt"
	"strings"
	"testing"
)

func TestMerge3(t *testing.T) {
	base := "a\nb\nc\nd\ne\nf\ng\n"
	tests := []struct {
		name, ours, theirs, want string
		ok                       bool
	}{
		{"disjoint", "A\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\ne\nf\nG\n", "A\nb\nc\nd\ne\nf\nG\n", true},
		{"same change", "a\nB\nc\nd\ne\nf\ng\n", "a\nB\nc\nd\ne\nf\ng\n", "a\nB\nc\nd\ne\nf\ng\n", true},
		{"one side", base, "a\nb\nc\nX\ne\nf\ng\n", "a\nb\nc\nX\ne\nf\ng\n", true},
		{"conflict", "a\nb\nc\nOURS\ne\nf\ng\n", "a\nb\nc\nTHEIRS\ne\nf\ng\n", "", false},
		{"adjacent", "a\nb\nC\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n", "", false},
		{"insert both ends", "top\n" + base, base + "bottom\n", "top\n" + base + "bottom\n", true},
		{"append same point", base + "x\n", base + "y\n", "", false},
		{"delete and edit apart", "a\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\ne\nF\ng\n", "a\nc\nd\ne\nF\ng\n", true},
		{"no trailing newline", "A\nb\nc\nd\ne\nf\ng", "a\nb\nc\nd\ne\nf\ng", "A\nb\nc\nd\ne\nf\ng", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := merge3(base, tc.ours, tc.theirs)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("merge3 = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// Files with more distinct lines than go-diff has runes below the surrogates
// (55,296): one side edits both ends, the other moves a line from the top
// half to the bottom half and edits one in the middle. The merge must hold
// every change exactly once and nothing else (it used to drop one line and
// duplicate another, or fail with an index out of range).
func TestMerge3ManyDistinctLines(t *testing.T) {
	for _, n := range []int{60000, 200000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			lines := make([]string, n)
			for i := range lines {
				lines[i] = fmt.Sprintf("line %d\n", i)
			}
			base := strings.Join(lines, "")
			ours := append([]string{"first, edited here\n"}, lines[1:n-1]...)
			ours = append(ours, "last, edited here\n")
			// theirs: line 1000 moves to after line n-1000; line n/2 is edited
			moved := lines[1000]
			var theirs []string
			for i, l := range lines {
				switch {
				case i == 1000:
					continue
				case i == n/2:
					theirs = append(theirs, "middle, edited there\n")
				default:
					theirs = append(theirs, l)
				}
				if i == n-1000 {
					theirs = append(theirs, moved)
				}
			}
			var want []string
			for i, l := range theirs {
				switch i {
				case 0:
					l = "first, edited here\n"
				case len(theirs) - 1:
					l = "last, edited here\n"
				}
				want = append(want, l)
			}
			got, ok := merge3(base, strings.Join(ours, ""), strings.Join(theirs, ""))
			if !ok {
				t.Fatal("merge3 found a conflict in edits far apart")
			}
			if w := strings.Join(want, ""); got != w {
				g, wl := splitLines(got), splitLines(w)
				for i := 0; i < len(g) && i < len(wl); i++ {
					if g[i] != wl[i] {
						t.Fatalf("%d lines, want %d; first difference at line %d: %q, want %q", len(g), len(wl), i+1, g[i], wl[i])
					}
				}
				t.Fatalf("%d lines, want %d", len(g), len(wl))
			}
		})
	}
}

// The same through sync: a 60,000-line file edited at both ends on two machines.
func TestSyncMergesFileWithManyDistinctLines(t *testing.T) {
	a, b, bare := pair(t, "daemon")
	lines := make([]string, 60000)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d\n", i)
	}
	big := strings.Join(lines, "")
	a.write("log.txt", big)
	a.mustSync()
	b.mustSync()
	a.write("log.txt", "top from a\n"+big)
	b.write("log.txt", big+"bottom from b\n")
	a.mustSync()
	if res := b.mustSync(); !res.Merged || len(res.Conflicts) != 0 {
		t.Fatalf("b sync: %+v", res)
	}
	a.mustSync()
	want := map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, "log.txt": "top from a\n" + big + "bottom from b\n"}
	a.check(want)
	b.check(want)
	fsck(t, bare)
}
