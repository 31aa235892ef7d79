package notes

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for the parsers that read hand-written files. The seed corpus
// lives in testdata/fuzz/<Target>/ (real notes, hostile cases and every
// crasher found so far); `go test` runs it as a regression test, `.ci/fuzz`
// fuzzes each target for a bounded time.

const fuzzNote = `---
date: 2026-11-25
kind: regular
themes:
  Better communication: on-track
---
# 1:1 with Alice — 2026-11-25

## Feedback
- Positive: clear write-up.

## Alice's topics
- [ ] Alice: summary (from 2026-11-18)
- [x] Dana: roadmap

## Private
secret
`

// oneLineErr fails when an error message would break the one-line error contract.
func oneLineErr(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
		t.Fatalf("error message spans lines: %q", err.Error())
	}
}

func FuzzSplitFrontmatter(f *testing.F) {
	for _, s := range []string{fuzzNote, "", "---", "---\n", "---\n---\n", "\ufeff---\r\nname: a\r\n...\r\nbody", "body only\n---\n", "---\nx: 1\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		in := append([]byte(nil), src...)
		p, err := SplitFrontmatter(src)
		if !bytes.Equal(in, src) {
			t.Fatal("input modified")
		}
		if err != nil {
			if p.HasFront || p.Body != nil {
				t.Fatalf("error with parts: %+v", p)
			}
			return
		}
		if p.BOM != bytes.HasPrefix(src, bom) {
			t.Fatal("BOM flag wrong")
		}
		if p.BodyStart < 0 || p.BodyStart > len(src) || !bytes.Equal(p.Body, src[p.BodyStart:]) {
			t.Fatalf("body offsets wrong: %d of %d", p.BodyStart, len(src))
		}
		if !p.HasFront {
			if p.Front != nil || (p.BodyStart != 0 && p.BodyStart != len(bom)) {
				t.Fatalf("no frontmatter but front %q, body at %d", p.Front, p.BodyStart)
			}
			return
		}
		if !(p.FrontStart <= p.FrontEnd && p.FrontEnd <= p.BodyStart) || !bytes.Equal(p.Front, src[p.FrontStart:p.FrontEnd]) {
			t.Fatalf("front offsets wrong: %d %d %d", p.FrontStart, p.FrontEnd, p.BodyStart)
		}
		// The file is exactly: [BOM] opening line, front, closing line, body.
		open := src[:p.FrontStart]
		if !isDelim(bytes.TrimSuffix(bytes.TrimPrefix(open, bom), []byte("\n")), "---") {
			t.Fatalf("opening line %q", open)
		}
		closing := bytes.TrimSuffix(src[p.FrontEnd:p.BodyStart], []byte("\n"))
		if !isDelim(closing, "---") && !isDelim(closing, "...") {
			t.Fatalf("closing line %q", closing)
		}
	})
}

func FuzzParseNote(f *testing.F) {
	for _, s := range []string{fuzzNote, "", "---\n---\n", "---\ndate: 2026-11-24\n---\n", "## Feedback\n<!-- x -->\n- [ ]\n##\n## Themes\n", "Feedback\n--------\n- [x] a\n", "---\nthemes: &a {x: *a}\n---\n", "\x00", "\xff\xfe"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseNote("alice", "2026-11-25.md", data)
		oneLineErr(t, err)
		if err != nil {
			return
		}
		if n.Kind != KindRegular && n.Kind != KindGoals {
			t.Fatalf("kind %q", n.Kind)
		}
		if !utf8.Valid(n.Body) {
			t.Fatal("body not UTF-8")
		}
		prev := 0
		for _, s := range n.Sections {
			if !(prev <= s.Start && s.Start <= s.ContentStart && s.ContentStart <= s.End && s.End <= len(n.Body)) {
				t.Fatalf("section %q offsets %d %d %d (prev %d, body %d)", s.Heading, s.Start, s.ContentStart, s.End, prev, len(n.Body))
			}
			prev = s.End
		}
		lines := bytes.Count(n.Body, []byte("\n")) + 1
		for _, tk := range n.Tasks {
			if tk.Text == "" || tk.Key != TaskKey(tk.Text) || tk.Line < 0 || tk.Line > lines {
				t.Fatalf("task %+v (lines %d)", tk, lines)
			}
			if TaskKey(tk.Key) != tk.Key {
				t.Fatalf("task key not stable: %q -> %q", tk.Key, TaskKey(tk.Key))
			}
		}
		for _, r := range n.Ratings {
			if !validRating(r.Rating) {
				t.Fatalf("rating %q", r.Rating)
			}
		}
		_ = n.TopicsEmpty("")
		if n.Mood < 0 || n.Mood > MaxMood {
			t.Fatalf("mood %d", n.Mood)
		}
		for _, tk := range n.Tasks {
			if tk.Dropped && tk.Checked {
				t.Fatalf("task %+v both dropped and checked", tk)
			}
		}
		if n.Positive < 0 || n.ToImprove < 0 || (n.FeedbackEmpty() && (n.Positive > 0 || n.ToImprove > 0)) {
			t.Fatalf("feedback %d positive, %d to improve, empty %v", n.Positive, n.ToImprove, n.FeedbackEmpty())
		}
		for _, s := range n.Sections {
			// A blank note ignores headings; a section's emptiness does not
			// (a sub-heading is written text in it, as the spec lists only
			// whitespace, comments and empty list items).
			if n.Blank && !s.Empty && !bytes.Contains(n.Body[s.ContentStart:s.End], []byte("#")) {
				t.Fatalf("a blank note with a section %q that is not empty", s.Heading)
			}
		}
	})
}

func FuzzParseProfile(f *testing.F) {
	for _, s := range []string{
		"---\nname: Alice\ncadence: 3w\nthemes:\n  - title: X\n    started: 2026-10-06\n---\nbody\n",
		"---\nname: A\nthemes:\n  - &t {title: X}\n  - *t\n---\n",
		"---\nname: A\naway:\n  - {from: 2026-12-20, to: 2026-12-01}\n---\n",
		"---\nname: A\ncadence: 0d\n---\n",
		"---\nname: [a, b]\n---\n",
	} {
		f.Add([]byte(s))
	}
	cfg := DefaultConfig()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile("alice", data, cfg)
		oneLineErr(t, err)
		if err != nil {
			return
		}
		if p.Name == "" || p.CadenceDays < 1 {
			t.Fatalf("profile %+v", p)
		}
		seen := map[string]bool{}
		for _, th := range p.Themes {
			k := strings.ToLower(th.Title)
			if th.Title == "" || seen[k] {
				t.Fatalf("theme title %q empty or twice", th.Title)
			}
			seen[k] = true
			switch th.Status {
			case ThemeActive, ThemeDone, ThemeDropped:
			default:
				t.Fatalf("theme status %q", th.Status)
			}
		}
		for _, a := range p.Away {
			if a.To.Before(a.From) {
				t.Fatalf("absence %v", a)
			}
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"manager: Dana\ncadence: weekly\ngrace: 2d\ngoals_every: 8w\ntheme_length: 8w\n",
		"cadence: 0d\n", "cadence: -1w\n", "grace: -2d\n", "a: &a [*a, *a]\n", "- list\n", "sync: auto\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		oneLineErr(t, err)
		if err != nil {
			return
		}
		if c.CadenceDays < 1 || c.GraceDays < 0 || c.GoalsEveryDays < 1 || c.ThemeLengthDays < 1 {
			t.Fatalf("config %+v", c)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"2d", "8w", "0d", " 3W ", "", "d", "-1d", "+1d", "1.5w", "99999d", "3650w", "weekly", "biweekly", "monthly", "0w", "٣d", "1_0d", "0x10d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseDuration(s)
		oneLineErr(t, err)
		if err == nil {
			if n < 0 || n > 3660 {
				t.Fatalf("ParseDuration(%q) = %d: outside 0..ten years", s, n)
			}
			if back, err := ParseDuration(FormatDays(n)); err != nil || back != n {
				t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, n, FormatDays(n), back, err)
			}
		}
		c, err := ParseCadence(s)
		oneLineErr(t, err)
		if err == nil {
			if c < 1 || c > 3660 {
				t.Fatalf("ParseCadence(%q) = %d: outside 1..ten years", s, c)
			}
			if back, err := ParseCadence(FormatDays(c)); err != nil || back != c {
				t.Fatalf("cadence round trip of %q: %d -> %d, %v", s, c, back, err)
			}
		}
	})
}

var slugRE = regexp.MustCompile(`^[a-z](?:[a-z0-9]|-[a-z0-9])*$`)

func FuzzValidateSlug(f *testing.F) {
	for _, s := range []string{"alice", "bob-smith", "a", "templates", "", "..", ".", "a/b", "a--b", "-a", "a-", "Alice", "a b", "ä", "a\x00", strings.Repeat("a", 40), strings.Repeat("a", 41), "x1-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateSlug(s)
		oneLineErr(t, err)
		want := slugRE.MatchString(s) && len(s) <= 40 && s != "templates"
		if (err == nil) != want {
			t.Fatalf("ValidateSlug(%q) = %v, want ok=%v", s, err, want)
		}
		if err == nil && (filepath.Clean(s) != s || filepath.Base(s) != s || strings.HasPrefix(s, ".") || filepath.IsAbs(s)) {
			t.Fatalf("slug %q escapes its folder", s)
		}
		if err != nil && !strings.Contains(err.Error(), "invalid slug") {
			t.Fatalf("unclear error %q", err)
		}
	})
}

func TestCheckStructure(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"## Feedback\n- [ ] a [link](x) > not a quote\n", true},
		{strings.Repeat("[", maxBracketsPerLine) + "\n", true},
		{strings.Repeat("[", maxBracketsPerLine+1) + "\n", false},
		{strings.Repeat("[a]\n", 5000), true},
		{strings.Repeat("> ", maxNesting) + "x\n", true},
		{strings.Repeat("> ", maxNesting+1) + "x\n", false},
		{strings.Repeat("- ", maxNesting+1) + "x\n", false},
		{strings.Repeat("1. ", maxNesting+1) + "x\n", false},
		{strings.Repeat("---\n", 500), true},
		{strings.Repeat("-", 5000) + "\n", true},
	}
	for _, tt := range tests {
		err := checkStructure([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("checkStructure(%.40q...) = %v, want ok=%v", tt.in, err, tt.ok)
		}
		oneLineErr(t, err)
	}
}
