package notes

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/oneone/oneone/internal/benchgen"
	"github.com/rogpeppe/go-internal/txtar"
	"gopkg.in/yaml.v3"
)

// fastCases are shapes at the edge of what the fast parser reads: each must
// give what the full path gives, read or declined.
var fastCases = []string{
	fuzzNote,
	"## A\n### x\n",
	"Text\n-\n", "Text\n- \n", "- a\n-\n- b\n", "-\n  - b\n", "-\n\n  - b\n", "- a\n\n\n  - b\n", "- a\n\n  - b\n\n- c\n",
	"- a\n  - b\n    - [ ] c\n  - d\n- e\n", "- a\n - b\n", "- a\n   - b\n", "- a\n    - b\n",
	"<!-- a\nb -->\ntext\n", "<!-->x\n", "<!--->\n", "<!-- a --> b\n", "<!-- a\n- [ ] no task\n## not a heading\n-->\n## A\n- [ ] t\n",
	"<!-- a\n -- -->\n", "<!-- a -\n--> b\n", "<!-- a\n\n-->\n", "<!-- never closed\n## A\n",
	"- [x]foo\n", "- [x] foo\n", "- [X]\n", "- [ ]\n", "- [ ] \n", "- [-]\n", "- [-] gone\n", "- [-]x\n", "- [y] z\n", "- [ ]: /url\n",
	"- [x] a (from 2026-11-18)\n", "- [ ] a (from 2026-13-18)\n", "- [ ]  two spaces\n",
	"para\n<!-- c -->\n", "para\n- a\n", "para\n## H\n", "- a\n## H\n", "- a\n<!-- c -->\n", "- a\nlazy\n", "- a\n  cont\n",
	"*x*\n", "**P:** y\n", "* x\n", "***\n", "___\n", "_x_\n", "---\n", "- - -\n", "-- x\n", "+ x\n", "1. x\n", "1) x\n", "2026 was\n",
	"# H1\ntext\n## A\n\n## B\ntext\n# H1 again\n## C\n- [ ]\n",
	"## A ##\n", "##\n", "## \n", "#tag\n", "####### x\n", "## \u00a0\n", "## Feedback\n\u00a0\n", "## Feedback\n- \u00a0\n",
	"## Feedback\n- Positive: a\n- To improve: b\n\n## Private\n- [ ] p\n",
	"## Feedback\n<!-- prompt -->\n- Positive: x\n+ y\n", "## Feedback\ntext <!-- c\nd --> more\n", "## Feedback\n<!-- c\nd -->\n",
	"## Private\n- [ ] p\n### sub\n- [x] q\n## Action items\n- [ ] a\n",
	"a\n===\n", "a\n---\n", "> - [ ] q\n", "```\n- [ ] c\n```\n", "    code\n", "\tx\n", "a\r\nb\n", "| a |\n| - |\n",
	"[x]: /u\n- [x]\n", "<div>\n- [ ] x\n</div>\n", "\\# x\n", "&amp;\n",
	"---\ndate: 2026-11-25\nthemes:\n  A: on-track\n  B:\n---\n## A\n",
	"---\nkind: goals\n# c\nthemes:\n  # x\n---\n",
	"---\nkind: Goals\nstatus: Skipped\nmood: 3\n---\n",
	"---\nkind: other\n---\n", "---\nmood: 9\n---\n", "---\ndate: 2026-11-24\n---\n", "---\nthemes: x\n---\n",
	"---\nstatus: null\n---\n", "---\nstatus: ~\n---\n", "---\nstatus:\n---\n", "---\nkind: goals\nkind: regular\n---\n",
	"---\nthemes:\n  A: on-track\n  A: at-risk\n---\n", "---\nthemes:\n  A: on-track\n   B: at-risk\n---\n", "---\nthemes:\n  A:\n    x: y\n---\n",
	"---\nother:\n  - a\n---\n", "---\n  date: 2026-11-25\n---\n", "---\nkind: regular # c\n---\n", "---\nkind: 'goals'\n---\n",
	"---\nkind:goals\n---\n", "---\nkind : goals\n---\n", "---\nthemes:\n  A: on-track\nkind: goals\n---\n", "---\n# only a comment\n---\n",
	"---\nthemes:\n  A: bad\n---\n", "---\nthemes:\n  \"A\": on-track\n---\n", "---\ntrue: x\nTrue: y\n---\n",
	"---\ndate: 2026-11-25T10:00:00Z\n---\n",
}

// fastInputs returns every note we have: the example team, the fuzz corpus,
// the notes of the command scripts, scaffolded notes, generated ones and fastCases.
func fastInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := map[string][]byte{}
	paths, _ := filepath.Glob("../examples/team/*/*.md")
	for _, p := range paths {
		if filepath.Base(p) == ProfileFile {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in[p] = data
	}
	corpus, _ := filepath.Glob("testdata/fuzz/FuzzParseNote/*")
	for _, p := range corpus {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if s, ok := strings.CutPrefix(line, "[]byte("); ok {
				v, err := strconv.Unquote(strings.TrimSuffix(s, ")"))
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				in[fmt.Sprintf("%s:%d", p, i)] = []byte(v)
			}
		}
	}
	scripts, _ := filepath.Glob("../cmd/oneone/testdata/*.txtar")
	for _, p := range scripts {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".md") && filepath.Base(f.Name) != ProfileFile {
				in[p+":"+f.Name] = f.Data
			}
		}
	}
	r, err := Open("../examples/team")
	if err != nil {
		t.Fatal(err)
	}
	team, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	day, _ := ParseDate("2026-11-25")
	for _, p := range team.People {
		for _, kind := range []string{KindRegular, KindGoals} {
			s, err := r.ScaffoldNote(p, day, kind)
			if err != nil {
				t.Fatal(err)
			}
			in["scaffold:"+p.Slug+":"+kind] = s.Content
		}
	}
	for _, f := range benchgen.Files(benchgen.Spec{Reports: 6, Years: 2, Seed: 7}) {
		if strings.Count(f.Path, "/") == 1 && strings.HasSuffix(f.Path, ".md") && !strings.HasSuffix(f.Path, "/"+ProfileFile) {
			in["benchgen:"+f.Path] = f.Data
		}
	}
	for i, c := range fastCases {
		in[fmt.Sprintf("case %d", i)] = []byte(c)
	}
	return in
}

// noteFileName names input name's note: its own file name when it is one.
func noteFileName(name string) string {
	if base := filepath.Base(name); noteName.MatchString(base) {
		return base
	}
	return "2026-11-25.md"
}

// checkFastSlow fails when the fast path gives anything but what the full
// path gives for data, and reports which parts the fast path read.
func checkFastSlow(t *testing.T, what, file string, data []byte) (frontRead, bodyRead bool) {
	t.Helper()
	slow, errSlow := parseNote("alice", file, data, false)
	fast, errFast := parseNote("alice", file, data, true)
	if fmt.Sprint(errSlow) != fmt.Sprint(errFast) {
		t.Fatalf("%s: errors differ:\nfast %v\nslow %v", what, errFast, errSlow)
	}
	if !reflect.DeepEqual(slow, fast) {
		t.Fatalf("%s: notes differ for %q:\nfast %+v\nslow %+v", what, data, fast, slow)
	}
	if errSlow != nil {
		return false, false
	}
	parts, _ := SplitFrontmatter(normalizeText(data))
	if parts.HasFront {
		m, ok := fastFront(parts.Front, nil)
		if ok {
			want, err := decodeFront(parts.Front, 1)
			if err != nil || yamlDump(m) != yamlDump(want) {
				t.Fatalf("%s: fast frontmatter %s, yaml.v3 %s (%v)", what, yamlDump(m), yamlDump(want), err)
			}
		}
		frontRead = ok
	} else {
		frontRead = true
	}
	got, ok := fastBody(parts.Body)
	if ok && !reflect.DeepEqual(got, slowBody(parts.Body)) {
		t.Fatalf("%s: fast body %+v, goldmark %+v", what, got, slowBody(parts.Body))
	}
	return frontRead, ok
}

// yamlDump is what readFront reads of a node: kinds, values and null scalars.
func yamlDump(n *yaml.Node) string {
	if n == nil {
		return "nil"
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return strconv.Quote(n.Value)
	case yaml.MappingNode:
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i+1 < len(n.Content); i += 2 {
			fmt.Fprintf(&b, "%s: %s, ", yamlDump(n.Content[i]), yamlDump(n.Content[i+1]))
		}
		return b.String() + "}"
	}
	return fmt.Sprintf("kind %d", n.Kind)
}

// TestFastParseMatchesSlow: on every note we have, the fast parser gives
// exactly what goldmark and yaml.v3 give, and it reads every generated note
// and every scaffolded one (else the cold audit quietly loses its speed).
func TestFastParseMatchesSlow(t *testing.T) {
	in := fastInputs(t)
	read := 0
	for name, data := range in {
		front, body := checkFastSlow(t, name, noteFileName(name), data)
		if front && body {
			read++
		}
		if strings.HasPrefix(name, "benchgen:") || strings.HasPrefix(name, "scaffold:") {
			if !front || !body {
				t.Errorf("%s: the fast parser declined it (frontmatter read %v, body read %v):\n%s", name, front, body, data)
			}
		}
	}
	t.Logf("%d inputs, %d read by the fast parser", len(in), read)
}

// FuzzFastParse: for any input the fast path gives what the full path gives
// (or declines, and the full path runs).
func FuzzFastParse(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastSlow(t, "input", "2026-11-25.md", data)
		if s := string(data); TaskKey(s) != slowTaskKey(s) {
			t.Fatalf("TaskKey(%q) = %q, want %q", s, TaskKey(s), slowTaskKey(s))
		}
	})
}

// slowTaskKey is TaskKey as it was written first.
func slowTaskKey(s string) string {
	s, _ = cutFromMarker(s)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func TestThematicBreak(t *testing.T) {
	old := func(s string) bool {
		t := strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\t", "")
		return len(t) >= 3 && strings.Trim(t, t[:1]) == "" && strings.ContainsAny(t[:1], "-*")
	}
	for _, s := range []string{"", "-", "--", "---", "- - -", "* * *", "***", "-*-", "___", " -\t- -", "---x", "ééé", "-- ", "- a", "**"} {
		if got, want := thematicBreak(s), old(s); got != want {
			t.Errorf("thematicBreak(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestTaskKeyASCII(t *testing.T) {
	for _, s := range []string{"", " ", "a", "A", " a", "a ", "a  b", "a\tb", "a b", "Ada: share X (from 2026-01-02)", "\v", "a\u00a0b", "ÄB c", "x\r\n"} {
		if got, want := TaskKey(s), slowTaskKey(s); got != want {
			t.Errorf("TaskKey(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestStripCheckbox(t *testing.T) {
	for _, s := range []string{"", "[", "[ ]", "[ ] x", "[x]x", " \t[X]  y", "[-]", "[y] z", "\n[ ]\n", "\v[ ] a", "x [ ]", "[ ]\u00a0x"} {
		if got, want := stripCheckbox(s), checkbox.ReplaceAllString(s, ""); got != want {
			t.Errorf("stripCheckbox(%q) = %q, want %q", s, got, want)
		}
	}
	if !bytes.Equal([]byte(stripCheckbox("[x] a")), []byte("a")) {
		t.Fatal("stripCheckbox")
	}
}
