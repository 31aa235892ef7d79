package gitstore

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// hunk replaces base lines [s,e) with the other side's lines.
type hunk struct {
	s, e  int
	lines []string
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

// maxLineIDs is how many distinct lines lineRunes can tell apart: every valid
// rune but the surrogates, which do not survive go-diff's string conversions.
const maxLineIDs = utf8.MaxRune + 1 - (0xE000 - 0xD800)

// lineRune is the rune that stands for the line numbered id, and lineID its inverse.
// go-diff's own DiffLinesToRunes shifts the numbers from 0xD800 on but leaves
// callers to undo it, so oneone numbers the lines itself.
func lineRune(id int) rune {
	if id >= 0xD800 {
		id += 0xE000 - 0xD800
	}
	return rune(id)
}

func lineID(r rune) int {
	if r >= 0xE000 {
		r -= 0xE000 - 0xD800
	}
	return int(r)
}

// lineRunes turns both texts into one rune per line, the same rune for the same
// line; ok=false when they hold more distinct lines than runes can number.
func lineRunes(a, b []string) (ra, rb []rune, lines []string, ok bool) {
	ids := map[string]int{}
	conv := func(ls []string) []rune {
		out := make([]rune, len(ls))
		for i, l := range ls {
			id, seen := ids[l]
			if !seen {
				id = len(lines)
				ids[l] = id
				lines = append(lines, l)
			}
			out[i] = lineRune(id)
		}
		return out
	}
	ra, rb = conv(a), conv(b)
	return ra, rb, lines, len(lines) <= maxLineIDs
}

// lineHunks returns the changes that turn base into other, line by line; ok=false
// when the texts are too big to diff by line.
func lineHunks(base, other string) ([]hunk, bool) {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 5 * time.Second
	r1, r2, arr, ok := lineRunes(splitLines(base), splitLines(other))
	if !ok {
		return nil, false
	}
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
				cur = &hunk{s: bi, e: bi}
			}
			bi += len(rs)
			cur.e = bi
		case diffmatchpatch.DiffInsert:
			if cur == nil {
				cur = &hunk{s: bi, e: bi}
			}
			for _, r := range rs {
				cur.lines = append(cur.lines, arr[lineID(r)])
			}
		}
	}
	flush()
	return hs, true
}

// merge3 merges ours and theirs, both derived from base, line by line. It reports
// ok=false when both sides changed the same or adjacent lines differently.
func merge3(base, ours, theirs string) (string, bool) {
	if ours == theirs {
		return ours, true
	}
	if base == ours {
		return theirs, true
	}
	if base == theirs {
		return ours, true
	}
	bl := splitLines(base)
	ho, ok1 := lineHunks(base, ours)
	ht, ok2 := lineHunks(base, theirs)
	if !ok1 || !ok2 {
		return "", false // kept as a conflict copy: never a guess
	}
	var out bytes.Buffer
	pos, i, j := 0, 0, 0
	// side returns base[s:e) as rewritten by the hunks hs.
	side := func(hs []hunk, s, e int) string {
		var b strings.Builder
		p := s
		for _, h := range hs {
			for ; p < h.s; p++ {
				b.WriteString(bl[p])
			}
			for _, l := range h.lines {
				b.WriteString(l)
			}
			p = h.e
		}
		for ; p < e; p++ {
			b.WriteString(bl[p])
		}
		return b.String()
	}
	for i < len(ho) || j < len(ht) {
		// Start a group with the hunk that begins first, then absorb every hunk
		// from either side that overlaps or touches the group.
		var s, e int
		gi, gj := i, j
		if j >= len(ht) || (i < len(ho) && ho[i].s <= ht[j].s) {
			s, e = ho[i].s, ho[i].e
			i++
		} else {
			s, e = ht[j].s, ht[j].e
			j++
		}
		for {
			if i < len(ho) && ho[i].s <= e {
				if ho[i].e > e {
					e = ho[i].e
				}
				i++
				continue
			}
			if j < len(ht) && ht[j].s <= e {
				if ht[j].e > e {
					e = ht[j].e
				}
				j++
				continue
			}
			break
		}
		for ; pos < s; pos++ {
			out.WriteString(bl[pos])
		}
		o, t := ho[gi:i], ht[gj:j]
		switch {
		case len(t) == 0:
			out.WriteString(side(o, s, e))
		case len(o) == 0:
			out.WriteString(side(t, s, e))
		default:
			a, b := side(o, s, e), side(t, s, e)
			if a != b {
				return "", false
			}
			out.WriteString(a)
		}
		pos = e
	}
	for ; pos < len(bl); pos++ {
		out.WriteString(bl[pos])
	}
	return out.String(), true
}
