package gitstore

import "testing"

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
