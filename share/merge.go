package share

import (
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// A line merge for the parts of a note both sides may write (the report's
// topics): lists of short lines, where two edits of neighbouring lines are
// independent and two additions at the same place are both kept. It is more
// lenient than sync's merge of whole notes (which calls touching edits a
// conflict) because the text merged here is a topic list, and the result is
// always checked again before it is written.

// hunk replaces base lines [s,e) with lines; s == e is an insertion before line s.
type hunk struct {
	s, e  int
	lines []string
	ours  bool
}

// splitLines splits text into lines that keep their "\n".
func splitLines(t string) []string {
	if t == "" {
		return nil
	}
	lines := strings.SplitAfter(t, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// lineHunks returns the changes that turn base into other, line by line.
func lineHunks(base, other []string, ours bool) []hunk {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 5 * time.Second
	r1, r2, arr := dmp.DiffLinesToRunes(strings.Join(base, ""), strings.Join(other, ""))
	diffs := dmp.DiffMainRunes(r1, r2, false)
	var hs []hunk
	bi := 0
	var cur *hunk
	flush := func() {
		if cur != nil {
			hs = append(hs, *cur)
			cur = nil
		}
	}
	for _, d := range diffs {
		rs := []rune(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			flush()
			bi += len(rs)
		case diffmatchpatch.DiffDelete:
			if cur == nil {
				cur = &hunk{s: bi, e: bi, ours: ours}
			}
			bi += len(rs)
			cur.e = bi
		case diffmatchpatch.DiffInsert:
			if cur == nil {
				cur = &hunk{s: bi, e: bi, ours: ours}
			}
			for _, r := range rs {
				cur.lines = append(cur.lines, arr[r])
			}
		}
	}
	flush()
	return hs
}

func sameLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// mergeLines merges ours and theirs, both derived from base. Changes to
// different lines are both applied, even when they touch; additions at the same
// place are both kept (ours first, then theirs' lines that ours does not have);
// the same change on both sides is applied once. ok is false when both sides
// changed the same base line differently, or one side added lines inside a
// stretch the other one rewrote.
func mergeLines(base, ours, theirs []string) ([]string, bool) {
	switch {
	case sameLines(ours, theirs), sameLines(base, theirs):
		return ours, true
	case sameLines(base, ours):
		return theirs, true
	}
	all := append(lineHunks(base, ours, true), lineHunks(base, theirs, false)...)
	// in base order; at one place, insertions before rewrites
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && (all[j].s < all[j-1].s || (all[j].s == all[j-1].s && all[j].e < all[j-1].e)); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	side := func(hs []hunk, s, e int) []string {
		var out []string
		p := s
		for _, h := range hs {
			out = append(out, base[p:h.s]...)
			out = append(out, h.lines...)
			p = h.e
		}
		return append(out, base[p:e]...)
	}
	var out []string
	pos := 0
	for i := 0; i < len(all); {
		gs, ge := all[i].s, all[i].e
		j := i + 1
		for ; j < len(all); j++ {
			h := all[j]
			if ge > gs && h.s < ge || ge == gs && h.s == gs && h.e == gs {
				ge = max(ge, h.e)
				continue
			}
			break
		}
		var o, t []hunk
		for _, h := range all[i:j] {
			if h.ours {
				o = append(o, h)
			} else {
				t = append(t, h)
			}
		}
		out = append(out, base[pos:gs]...)
		switch {
		case len(t) == 0:
			out = append(out, side(o, gs, ge)...)
		case len(o) == 0:
			out = append(out, side(t, gs, ge)...)
		default:
			a, b := side(o, gs, ge), side(t, gs, ge)
			switch {
			case sameLines(a, b):
				out = append(out, a...)
			case gs == ge: // both added lines here: keep both
				out = append(out, a...)
				have := map[string]bool{}
				for _, l := range a {
					have[l] = true
				}
				for _, l := range b {
					if !have[l] {
						out = append(out, l)
					}
				}
			default:
				return nil, false
			}
		}
		pos = ge
		i = j
	}
	return append(out, base[pos:]...), true
}
