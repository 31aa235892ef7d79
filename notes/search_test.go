package notes

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeRepo creates a notes repository from path -> content.
func writeRepo(t testing.TB, files map[string]string) *Repo {
	t.Helper()
	root := t.TempDir()
	if _, ok := files[ConfigFile]; !ok {
		files[ConfigFile] = "manager: Dana\n"
	}
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const searchNote = `---
date: 2026-11-25
kind: regular
# status: held    # roadmap in a comment
themes:
  Better communication: on-track   # roadmap
---
# 1:1 with Alice — 2026-11-25

## Feedback
<!-- Positive: the roadmap prompt -->
- Positive: the incident write-up was clear.

## Alice's topics
- Wants more say in the Q1 ROADMAP. Roadmap!
` + "```" + `
## not a heading roadmap
` + "```" + `

Setext heading
--------------
- roadmap under setext <!-- roadmap hidden --> visible
<!--
roadmap in a long comment
-->
# Title roadmap
`

func TestSearch(t *testing.T) {
	r := writeRepo(t, map[string]string{
		"alice/profile.md":                    "---\nname: Alice Chen\narchived: 2026-10-01\n---\nroadmap in the profile\n",
		"alice/2026-11-25.md":                 searchNote,
		"alice/2026-11-18.md":                 "\ufeff---\r\ndate: 2026-11-18\r\n---\r\n## Action items\r\n- [ ] Dana: share the ROADMAP draft\r\n",
		"alice/2026-11-11.md":                 "## Feedback\nnothing\n",
		"alice/2026-11-18.conflict-abc123.md": "roadmap\n",
		"alice/notes.md":                      "roadmap\n",
		"bob/profile.md":                      "---\nname: Bob\n---\n",
		"bob/2026-11-20.md":                   "---\nstatus: held\ntopic: \"Roadmap #2\"\n---\nWhy the Roadmap?\n",
		"bob/2026-11-21.md":                   "binary roadmap\x00\n",
		"carol/2026-11-22.md":                 "roadmap but no profile\n",
	})
	hits, probs, err := r.Search(SearchQuery{Text: "roadmap"})
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	var got []string
	for _, h := range hits {
		for _, sp := range h.Spans {
			if w := strings.ToLower(h.Line[sp[0]:sp[1]]); w != "roadmap" {
				t.Errorf("%s: span %v is %q", h.File, sp, w)
			}
		}
		got = append(got, fmt.Sprintf("%s|%s|%s|%d|%s|%s|%v", h.Slug, h.Name, FormatDate(h.Date), h.LineNumber, h.Section, h.Line, h.Spans))
	}
	want := []string{
		"alice|Alice Chen|2026-11-25|15|Alice's topics|- Wants more say in the Q1 ROADMAP. Roadmap!|[[27 34] [36 43]]",
		"alice|Alice Chen|2026-11-25|17|Alice's topics|## not a heading roadmap|[[17 24]]",
		"alice|Alice Chen|2026-11-25|22|Setext heading|- roadmap under setext <!-- roadmap hidden --> visible|[[2 9]]",
		"alice|Alice Chen|2026-11-25|26||# Title roadmap|[[8 15]]",
		"bob|Bob|2026-11-20|3|frontmatter|topic: \"Roadmap #2\"|[[8 15]]",
		"bob|Bob|2026-11-20|5||Why the Roadmap?|[[8 15]]",
		"alice|Alice Chen|2026-11-18|5|Action items|- [ ] Dana: share the ROADMAP draft|[[22 29]]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSearchFilters(t *testing.T) {
	r := writeRepo(t, map[string]string{
		"alice/profile.md":    "---\nname: Alice\n---\n",
		"alice/2026-11-01.md": "---\nthemes:\n  Mentor a new employee: at-risk\n---\nmentor\n",
		"alice/2026-11-08.md": "Mentor\n",
		"alice/2026-11-15.md": "MENTOR\n",
		"bob/profile.md":      "---\nname: Bob\n---\n",
		"bob/2026-11-09.md":   "---\nstatus: held\n---\nmentoring\n",
		"dora/profile.md":     "---\nname: Dora Ünal\n---\n",
		"dora/2026-11-09.md":  "Grüße an ÄRGER und straße\n",
	})
	cases := []struct {
		name string
		q    SearchQuery
		want []string // file:line
	}{
		{"all", SearchQuery{Text: "mentor"}, []string{"alice/2026-11-15.md:1", "bob/2026-11-09.md:4", "alice/2026-11-08.md:1", "alice/2026-11-01.md:3", "alice/2026-11-01.md:5"}},
		{"since", SearchQuery{Text: "mentor", Since: ParseDateOr("2026-11-08")}, []string{"alice/2026-11-15.md:1", "bob/2026-11-09.md:4", "alice/2026-11-08.md:1"}},
		{"until", SearchQuery{Text: "mentor", Until: ParseDateOr("2026-11-08")}, []string{"alice/2026-11-08.md:1", "alice/2026-11-01.md:3", "alice/2026-11-01.md:5"}},
		{"since and until", SearchQuery{Text: "mentor", Since: ParseDateOr("2026-11-09"), Until: ParseDateOr("2026-11-09")}, []string{"bob/2026-11-09.md:4"}},
		{"slugs", SearchQuery{Text: "mentor", Slugs: []string{"bob", "bob"}}, []string{"bob/2026-11-09.md:4"}},
		{"frontmatter value", SearchQuery{Text: "at-risk"}, []string{"alice/2026-11-01.md:3"}},
		{"top-level key is not a value", SearchQuery{Text: "themes"}, nil},
		{"status value", SearchQuery{Text: "held"}, []string{"bob/2026-11-09.md:2"}},
		{"unicode folding", SearchQuery{Text: "ärger"}, []string{"dora/2026-11-09.md:1"}},
		{"unicode upper query", SearchQuery{Text: "GRÜSSE"}, nil},
		{"unicode upper query found", SearchQuery{Text: "GRÜẞE"}, []string{"dora/2026-11-09.md:1"}},
		{"no match", SearchQuery{Text: "zebra"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits, _, err := r.Search(c.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.File+":"+strconv.Itoa(h.LineNumber))
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestSearchErrors(t *testing.T) {
	r := writeRepo(t, map[string]string{"alice/profile.md": "---\nname: Alice\n---\n"})
	cases := []struct {
		q    SearchQuery
		want string
	}{
		{SearchQuery{Text: "  "}, "empty"},
		{SearchQuery{Text: "a\nb"}, "spans lines"},
		{SearchQuery{Text: "x", Slugs: []string{"alicee"}}, `did you mean "alice"`},
		{SearchQuery{Text: "x", Slugs: []string{"../etc"}}, "invalid slug"},
	}
	for _, c := range cases {
		_, _, err := r.Search(c.q)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Search(%+v) = %v, want an error containing %q", c.q, err, c.want)
		}
	}
}

func TestSearchSkipsLinksAndHugeFiles(t *testing.T) {
	r := writeRepo(t, map[string]string{
		"alice/profile.md": "---\nname: Alice\n---\n",
		"secret.md":        "roadmap\n",
	})
	if err := os.Symlink(filepath.Join(r.Root, "secret.md"), filepath.Join(r.Root, "alice", "2026-11-01.md")); err != nil {
		t.Skip("no symlinks:", err)
	}
	big := strings.Repeat("roadmap\n", MaxNoteSize/8+1)
	if err := os.WriteFile(filepath.Join(r.Root, "alice", "2026-11-02.md"), []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(r.Root, "alice"), filepath.Join(r.Root, "linked")); err != nil {
		t.Fatal(err)
	}
	hits, _, err := r.Search(SearchQuery{Text: "roadmap"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 0 {
		t.Errorf("hits through a link or in a huge file: %v", hits)
	}
}

func TestFrontValue(t *testing.T) {
	cases := []struct{ in, want string }{
		{"status: held", "_______ held"},
		{"  Theme: on-track  # rate it", "  Theme: on-track  _________"},
		{"# a comment", "___________"},
		{`title: "Fix #12" # why`, `______ "Fix #12" _____`},
		{"- item: x", "- item: x"},
	}
	for _, c := range cases {
		got := strings.ReplaceAll(string(frontValue([]byte(c.in))), "\x00", "_")
		if got != c.want {
			t.Errorf("frontValue(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// BenchmarkSearch searches a generated repository; ONEONE_BENCH_NOTES sets the
// notes per report (default 50; 520 gives the Scale issue's 52,000 notes).
func BenchmarkSearch(b *testing.B) {
	per := 50
	if s := os.Getenv("ONEONE_BENCH_NOTES"); s != "" {
		per, _ = strconv.Atoi(s)
	}
	root := b.TempDir()
	if err := os.WriteFile(filepath.Join(root, ConfigFile), []byte("manager: Dana\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	filler := strings.Repeat("- Positive: the incident write-up was clear and fast, and the team noticed.\n", 40)
	start := ParseDateOr("2016-01-01")
	for i := range 100 {
		slug := fmt.Sprintf("report-%d", i)
		dir := filepath.Join(root, slug)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, ProfileFile), []byte("---\nname: Report "+strconv.Itoa(i)+"\n---\n"), 0o600)
		for j := range per {
			d := AddDays(start, j*7)
			extra := ""
			if (i*per+j)%997 == 0 {
				extra = "- Wants to talk about the Kubernetes migration.\n"
			}
			body := "---\ndate: " + FormatDate(d) + "\nkind: regular\n---\n# 1:1\n\n## Feedback\n" + filler + extra + "\n## Action items\n- [ ] something\n"
			if err := os.WriteFile(filepath.Join(dir, FormatDate(d)+".md"), []byte(body), 0o600); err != nil {
				b.Fatal(err)
			}
		}
	}
	r, err := Open(root)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"kubernetes", "incident"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				hits, _, err := r.Search(SearchQuery{Text: q})
				if err != nil || len(hits) == 0 {
					b.Fatal(err, len(hits))
				}
			}
		})
	}
}
