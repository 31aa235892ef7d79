package notes

import (
	"strings"
	"testing"
)

func TestShareable(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "private last section and comments",
			in:   "---\ndate: 2026-11-25\n---\n# 1:1 with Alice\n\n## Feedback\n<!-- prompt -->\n- Positive: clear write-up.\n\n## Private\nThinks about leaving.\n",
			want: "# 1:1 with Alice\n\n## Feedback\n- Positive: clear write-up.\n", // a comment's line under a heading goes
		},
		{
			name: "private in the middle, upper case, up to the next level-2 heading",
			in:   "## Feedback\nok\n\n## PRIVATE\nsecret\n### sub\nstill secret\n\n## Action items\n- [ ] Alice: summary\n",
			want: "## Feedback\nok\n\n## Action items\n- [ ] Alice: summary\n",
		},
		{
			name: "two private sections",
			in:   "## private\nsecret one\n## Topics\nroadmap\n## Private\nsecret two\n# Appendix\nshared\n",
			want: "## Topics\nroadmap\n# Appendix\nshared\n",
		},
		{
			name: "private ends at a level-1 heading",
			in:   "## Private\nsecret\n# Next part\nshared\n",
			want: "# Next part\nshared\n",
		},
		{
			name: "setext private heading",
			in:   "Feedback\n--------\nok\n\nPrivate\n-------\nsecret\n\nTopics\n------\nroadmap\n",
			want: "Feedback\n--------\nok\n\nTopics\n------\nroadmap\n",
		},
		{
			name: "emphasis and colon still private",
			in:   "## **Private:**\nsecret\n## Topics\nx\n",
			want: "## Topics\nx\n",
		},
		{
			name: "private notes is not private",
			in:   "## Private notes\nshared\n",
			want: "## Private notes\nshared\n",
		},
		{
			name: "a comment in the heading: it reads Private, it is private",
			in:   "## Feedback\nok\n\n## Private <!-- mine -->\nsecret\n\n## Topics\nx\n",
			want: "## Feedback\nok\n\n## Topics\nx\n",
		},
		{
			name: "a Private heading of another level hides up to the next heading of its level or higher",
			in:   "## Feedback\nok\n### Private\nsecret\n#### deeper\nsecret too\n### Next\nshared\n## Topics\nx\n# Private\nsecret\n## Themes\nsecret as well\n# Appendix\nshared\n",
			want: "## Feedback\nok\n### Next\nshared\n## Topics\nx\n# Appendix\nshared\n",
		},
		{
			name: "comment spanning lines",
			in:   "## Feedback\n<!-- line one\nline two\nline three -->\n- kept\n",
			want: "## Feedback\n- kept\n", // under a heading the comment's lines go: nothing can merge
		},
		{
			name: "a #hashtag line is no heading: the comment's line after it turns blank",
			in:   "#hashtag\n<!-- note -->\nSecond paragraph.\n",
			want: "#hashtag\n\nSecond paragraph.\n",
		},
		{
			name: "a comment's line between paragraphs turns blank: they never merge",
			in:   "First paragraph.\n<!-- note -->\nSecond paragraph.\n",
			want: "First paragraph.\n\nSecond paragraph.\n",
		},
		{
			name: "inline comment spanning lines",
			in:   "Text before <!-- a\nsecret b --> text after.\n",
			want: "Text before  text after.\n",
		},
		{
			name: "comment inside a fenced code block is text",
			in:   "## Notes\n```html\n<!-- keep me -->\n\n\n<p>x</p>\n```\nand `<!-- inline code -->` too\n",
			want: "## Notes\n```html\n<!-- keep me -->\n\n\n<p>x</p>\n```\nand `<!-- inline code -->` too\n",
		},
		{
			name: "comment inside an indented code block is text",
			in:   "Para.\n\n    <!-- code -->\n",
			want: "Para.\n\n    <!-- code -->\n",
		},
		{
			name: "unclosed comment hides the rest",
			in:   "shared\n\n<!-- never closed\nsecret\n",
			want: "shared\n",
		},
		{
			name: "blank lines collapse",
			in:   "\n\n# T\n\n\n\n## A\n\n<!-- x -->\n\n<!-- y -->\n\nline   \n",
			want: "# T\n\n## A\n\nline   \n",
		},
		{
			name: "comment in a list item",
			in:   "- one <!-- hidden -->\n- two\n",
			want: "- one\n- two\n",
		},
		{
			name: "comment in a blockquote",
			in:   "> quoted\n> <!-- hidden -->\n> more\n",
			want: "> quoted\n>\n> more\n",
		},
		{
			name: "empty body",
			in:   "---\ndate: 2026-11-25\n---\n## Private\nonly secret\n",
			want: "",
		},
		{
			name: "no trailing newline",
			in:   "## Topics\nroadmap",
			want: "## Topics\nroadmap\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNote("alice", "2026-11-25.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got := string(n.Shareable())
			if got != tt.want {
				t.Errorf("Shareable:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestShareableNeverLeaks runs many shapes of notes and checks that no text
// marked secret survives and that every shared line is kept.
func TestShareableNeverLeaks(t *testing.T) {
	headings := []string{"## Private", "## private", "## PRIVATE", "## PrIvAtE ##", "Private\n---", "  ## Private  ", "## Private <!-- x -->", "## <!-- x --> Private"}
	afters := []string{"", "## Topics\nSHARED\n", "# Part\nSHARED\n", "### Deep\nsecret too\n## Themes\nSHARED\n"}
	comments := []string{"<!-- secret -->", "<!--\nsecret\n-->", "x <!-- secret --> SHARED", "<!-- a --><!-- secret -->"}
	for _, h := range headings {
		for _, a := range afters {
			for _, c := range comments {
				in := "# Title SHARED\n\n" + c + "\n\n" + h + "\nsecret\n- [ ] secret task\n\n" + a
				n, err := ParseNote("alice", "2026-11-25.md", []byte(in))
				if err != nil {
					t.Fatal(err)
				}
				got := string(n.Shareable())
				if strings.Contains(strings.ToLower(got), "secret") || strings.Contains(strings.ToLower(got), "private") {
					t.Errorf("leak for %q:\n%s", in, got)
				}
				if want := strings.Count(in, "SHARED"); strings.Count(got, "SHARED") != want {
					t.Errorf("lost shared text for %q:\n%s", in, got)
				}
				if strings.Contains(got, "\n\n\n") {
					t.Errorf("blank lines not collapsed for %q:\n%q", in, got)
				}
			}
		}
	}
}

func TestIsPrivateHeading(t *testing.T) {
	for h, want := range map[string]bool{
		"Private": true, "PRIVATE": true, " private ": true, "*Private*": true, "Private:": true,
		"Private notes": false, "Privacy": false, "": false, "Not private": false,
		"Private <!-- mine -->": true, "<!-- a --> **Private**": true, "<!-- Private -->": false,
	} {
		if got := IsPrivateHeading(h); got != want {
			t.Errorf("IsPrivateHeading(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestHasTitle(t *testing.T) {
	for body, want := range map[string]bool{
		"# 1:1 with Alice\n\n## Feedback\n": true,
		"\n\n# Title\n":                     true,
		"## Feedback\n# Late title\n":       false,
		"Title\n=====\n":                    true,
		"":                                  false,
	} {
		if got := HasTitle([]byte(body)); got != want {
			t.Errorf("HasTitle(%q) = %v, want %v", body, got, want)
		}
	}
}

func FuzzShareable(f *testing.F) {
	for _, s := range []string{
		"## Private\nx\n", "<!-- a -->\n", "```\n<!--\n```\n", "a <!--\nb --> c", "Private\n---\nx", "<!<!-- x -->-- y -->",
		"> <!--\n> x\n> -->\n", "- <!--\n  x -->\n", "## Private\n## Private\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := ParseNote("alice", "2026-11-25.md", []byte(in))
		if err != nil {
			return
		}
		out := n.Shareable()
		if len(out) > len(n.Body)+1 {
			t.Errorf("output longer than the body: %q -> %q", n.Body, out)
		}
	})
}

func TestTitleEnd(t *testing.T) {
	tests := []struct {
		body string
		want int // the length of the title's lines, -1 for none
	}{
		{"# 1:1 with Alice\n\n## Feedback\n", len("# 1:1 with Alice\n")},
		{"# Title #\r\nbody\r\n", len("# Title #\r\n")},
		{"Title\n=====\n\ntext\n", len("Title\n=====\n")},
		{"# Only a title", len("# Only a title")},
		{"## Feedback\n- Positive: x\n", -1},
		{"text first\n# Title\n", -1},
		{"", -1},
	}
	for _, tt := range tests {
		if got := TitleEnd([]byte(tt.body)); got != tt.want {
			t.Errorf("TitleEnd(%q) = %d, want %d", tt.body, got, tt.want)
		}
	}
}
