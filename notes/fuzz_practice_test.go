package notes

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
)

// Fuzz targets for the rules of issue 15: feedback kinds by prefix, dropped
// items ("- [-]"), check-in moods, slots and the note edits of skip, cancel
// and move. `.ci/fuzz` runs each for a bounded time.

func FuzzFeedbackKind(f *testing.F) {
	for _, s := range []string{"Positive: a", "+ a", "+", "To improve: x", "to   improve: x", "Δ x", "∆x", "**Positive:** a", "Positively: a", "Improve", "Negative:", "- Positive: a", "\t+1", "constructive:  ", "Note: x", "PoSiTiVe : y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind := FeedbackKind(s)
		switch kind {
		case FeedbackOther, FeedbackPositive, FeedbackToImprove:
		default:
			t.Fatalf("FeedbackKind(%q) = %q", s, kind)
		}
		said := strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsSpace(r) && r != '*' && r != '_' && r != '\uFFFD' })
		if one := strings.ContainsAny(s, "\r\n"); !one && said {
			// a prefix in front decides the kind, whatever follows
			if got := FeedbackKind("Positive: " + s); got != FeedbackPositive {
				t.Fatalf("FeedbackKind(Positive: %q) = %q", s, got)
			}
			if got := FeedbackKind("To improve: " + s); got != FeedbackToImprove {
				t.Fatalf("FeedbackKind(To improve: %q) = %q", s, got)
			}
			if got := FeedbackKind("Δ " + s); got != FeedbackToImprove {
				t.Fatalf("FeedbackKind(Δ %q) = %q", s, got)
			}
		}
		if kind != FeedbackOther && !said {
			t.Fatalf("FeedbackKind(%q) = %q for nothing said", s, kind)
		}
		// counting a section never panics, never counts more items than lines
		p, i := CountFeedback([]byte(s))
		if p < 0 || i < 0 || p+i > strings.Count(s, "\n")+1 {
			t.Fatalf("CountFeedback(%q) = %d, %d", s, p, i)
		}
		// as the item of a list (markers after the first character would nest lists)
		if line := "- " + s; !strings.ContainsAny(s, "\r\n<`~#") && !strings.ContainsAny(strings.TrimPrefix(s, "+"), "+-*") &&
			kind != FeedbackOther && strings.TrimLeft(s, " \t") == s {
			p, i := CountFeedback([]byte(line))
			if (kind == FeedbackPositive) != (p == 1) || (kind == FeedbackToImprove) != (i == 1) {
				t.Fatalf("CountFeedback(%q) = %d, %d; the item is %q", line, p, i, kind)
			}
		}
	})
}

func FuzzMood(f *testing.F) {
	for _, s := range []string{"1", "5", "0", "6", "3.0", "\"3\"", "'5'", "~", "", "+3", "-1", "03", "3 # ok", "[3]", "{a: 1}", "&a 3", "!!int 3", "0x3", "three", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsAny(v, "\r\n") {
			return // one line of frontmatter
		}
		n, err := ParseNote("alice", "2026-11-25.md", []byte("---\nmood: "+v+"\n---\n## Feedback\n- Positive: a\n"))
		oneLineErr(t, err)
		if err != nil {
			return
		}
		if n.Mood != 0 && (n.Mood < MinMood || n.Mood > MaxMood) {
			t.Fatalf("mood %q read as %d", v, n.Mood)
		}
		if n.Mood != 0 && !strings.Contains(v, string(rune('0'+n.Mood))) {
			t.Fatalf("mood %q read as %d", v, n.Mood)
		}
	})
}

func FuzzDroppedItems(f *testing.F) {
	for _, s := range []string{"- [-] a\n", "- [-]\n", "* [-]  b  \n- [x] c\n", "1. [-] d\n", "- [-]x\n", "  - [-] nested\n", "> - [-] quoted\n", "- [ ] a\n- [-] a\n", "## Private\n- [-] p\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		n, err := ParseNote("alice", "2026-11-25.md", []byte("## Action items\n"+body))
		oneLineErr(t, err)
		if err != nil {
			return
		}
		private := false
		for _, s := range n.Sections {
			private = private || IsPrivateHeading(s.Heading)
		}
		for _, tk := range n.Tasks {
			if tk.Dropped && tk.Checked {
				t.Fatalf("task %+v both dropped and checked", tk)
			}
			if tk.Private && !private {
				t.Fatalf("task %+v private without a Private section", tk)
			}
			if tk.Text == "" || tk.Key != TaskKey(tk.Text) {
				t.Fatalf("task %+v", tk)
			}
		}
		// a dropped item is never open, whatever came before it in the same note
		p := &Person{Slug: "alice", Profile: &Profile{Name: "Alice"}, Notes: []*Note{n}}
		for _, a := range p.OpenActionsOn(n.Date) {
			for _, tk := range n.Tasks {
				if tk.Key == a.Key && !tk.Dropped && !tk.Checked {
					goto ok
				}
			}
			t.Fatalf("open item %q has no unchecked occurrence", a.Text)
		ok:
		}
	})
}

func FuzzParseSlot(f *testing.F) {
	for _, s := range []string{"mon 10:00", "Monday 9:05 45m", "thu 14:30 1h30m", "sun 23:59 8h", "fri 24:00", "x", "", "mon 10:00 0m", "tue 07:00 1h1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sl, err := ParseSlot(s)
		oneLineErr(t, err)
		if err != nil {
			return
		}
		if sl.IsZero() || sl.Hour > 23 || sl.Minute > 59 || sl.Minutes < 5 || sl.Minutes > 8*60 {
			t.Fatalf("ParseSlot(%q) = %+v", s, sl)
		}
		if back, err := ParseSlot(sl.String()); err != nil || back != sl {
			t.Fatalf("round trip of %q: %q -> %+v, %v", s, sl.String(), back, err)
		}
	})
}

func FuzzSetNoteKey(f *testing.F) {
	for _, s := range []string{fuzzNote, "", "## Feedback\n", "\ufeff---\r\nstatus: held\r\n---\r\nx\r\n", "---\nthemes: {a: on-track}\n# status: held\n---\n", "---\n---\n", "---\nstatus: [x]\n---\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		before, err := ParseNote("alice", "2026-11-25.md", data)
		if err != nil {
			return
		}
		out, err := SetNoteKey(data, "status", StatusSkipped)
		oneLineErr(t, err)
		if err != nil {
			return
		}
		after, err := ParseNote("alice", "2026-11-25.md", out)
		if err != nil {
			t.Fatalf("the edit broke the note: %v\n%q", err, out)
		}
		if after.Status != StatusSkipped || !bytes.Equal(after.Body, before.Body) || after.Kind != before.Kind || len(after.Ratings) != len(before.Ratings) || after.Mood != before.Mood {
			t.Fatalf("the edit changed more than the status:\n%q\n%q", data, out)
		}
	})
}
