package render

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/oneone/oneone/notes"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the output (run go test ./render -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line that differs.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + wl + "\ngot:  " + gl
		}
	}
	return ""
}

func fixtureNote(t *testing.T) *notes.Note {
	t.Helper()
	data, err := os.ReadFile("testdata/note.md")
	if err != nil {
		t.Fatal(err)
	}
	n, err := notes.ParseNote("alice", "2026-11-18.md", data)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTerminalGolden(t *testing.T) {
	n := fixtureNote(t)
	today := notes.ParseDateOr("2026-11-25")
	for _, tc := range []struct {
		file string
		pal  Palette
	}{
		{"show_plain.golden", Palette{}},
		{"show_color.golden", Palette{Enabled: true}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out := NoteHeader(n, "Alice Chen", today, tc.pal) + "\n\n" + Terminal(n.Body, tc.pal)
			golden(t, tc.file, []byte(out))
		})
	}
}

func TestTerminal(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		color      bool
		want       []string // substrings expected
		wantAbsent []string
	}{
		{name: "comments dropped", in: "## Feedback\n<!-- a prompt -->\n- Positive: x <!-- inline -->\n",
			want: []string{"## Feedback", "- Positive: x"}, wantAbsent: []string{"<!--", "prompt", "inline"}},
		{name: "multi-line comment block dropped", in: "<!--\nprompt one\nprompt two\n-->\n\ntext\n",
			want: []string{"text"}, wantAbsent: []string{"prompt"}},
		{name: "tasks plain", in: "- [ ] open one\n- [x] done one\n",
			want: []string{"- [ ] open one", "- [x] done one"}},
		{name: "tasks colour", in: "- [ ] open one\n- [x] done one\n", color: true,
			want: []string{"☐ open one", "☑"}, wantAbsent: []string{"[ ]", "[x]"}},
		{name: "link text and URL", in: "see [the doc](https://example.com/a) and <https://example.com/b>\n",
			want: []string{"the doc (https://example.com/a)", "https://example.com/b"}},
		{name: "plain has no escape codes", in: "# T\n**b** *i* `c` ~~s~~\n",
			want: []string{"# T", "**b** *i* `c` ~~s~~"}, wantAbsent: []string{"\x1b"}},
		{name: "colour styles", in: "# T\n**b**\n", color: true, want: []string{"\x1b[1;4;35m# T\x1b[0m", "\x1b[1mb\x1b[0m"}},
		{name: "control characters from the note never reach the terminal", in: "evil \x1b[2J and &#27;[31m\n",
			wantAbsent: []string{"\x1b"}},
		{name: "ordered and nested lists", in: "3. three\n4. four\n   - sub\n",
			want: []string{"3. three", "4. four", "   - sub"}},
		{name: "block quote", in: "> quoted\n> more\n", want: []string{"> quoted", "> more"}},
		{name: "fenced code keeps its fences when plain", in: "```sh\nls -l\n```\n", want: []string{"```sh\nls -l\n```"}},
		{name: "table aligned", in: "| a | bb |\n|---|---|\n| ccc | d |\n",
			want: []string{"| a   | bb  |", "| ccc | d   |"}},
		{name: "escapes resolved", in: `1 \* 2 &amp; 3` + "\n", want: []string{"1 * 2 & 3"}},
		{name: "empty body", in: "<!-- only a prompt -->\n", wantAbsent: []string{"prompt"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Terminal([]byte(tc.in), Palette{Enabled: tc.color})
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.wantAbsent {
				if strings.Contains(got, w) {
					t.Errorf("output holds %q:\n%q", w, got)
				}
			}
		})
	}
}

func TestNoteHeader(t *testing.T) {
	n := fixtureNote(t)
	got := NoteHeader(n, "Alice Chen", notes.ParseDateOr("2026-11-25"), Palette{})
	want := "Alice Chen · 2026-11-18 · regular · held · Better communication with non-technical people: on-track; Mentor a new employee: at-risk"
	if got != want {
		t.Errorf("header:\n got %q\nwant %q", got, want)
	}
	planned := NoteHeader(n, "Alice Chen", notes.ParseDateOr("2026-11-01"), Palette{})
	if !strings.Contains(planned, "· planned ·") {
		t.Errorf("a note after today should read planned: %q", planned)
	}
}
