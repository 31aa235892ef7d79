package notes

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

const longBody = `Free text about alice: what she wants ("move into management").

## Context
- Joined 2024; came from the data team.
- Likes written feedback before the 1:1.

---

A thematic break above, and some YAML-looking text below:
themes: []
name: not the frontmatter
`

var editCases = []struct {
	name  string
	in    string
	title string
	want  string // expected frontmatter after AddTheme
}{
	{
		name: "block list with comments and odd key order",
		in: `# who
role: Backend engineer   # since 2025
name: "Alice Chen"
themes:
  # growth
  - title: Better communication with non-technical people
    started: 2026-10-06
    due: 2026-12-01
    status: active          # active | done | dropped
cadence: weekly # default
`,
		title: "Mentor a new employee",
		want: `# who
role: Backend engineer   # since 2025
name: "Alice Chen"
themes:
  # growth
  - title: Better communication with non-technical people
    started: 2026-10-06
    due: 2026-12-01
    status: active          # active | done | dropped
  - title: Mentor a new employee
    started: 2026-11-25
    due: 2027-01-20
    status: active
cadence: weekly # default
`,
	},
	{
		name:  "empty flow list",
		in:    "name: Alice\nthemes: []  # none yet\nrole: x\n",
		title: "Lead: the Q1 feature",
		want:  "name: Alice\nthemes:  # none yet\n  - title: 'Lead: the Q1 feature'\n    started: 2026-11-25\n    due: 2027-01-20\n    status: active\nrole: x\n",
	},
	{
		name:  "missing key",
		in:    "name: Alice\n",
		title: "yes",
		want:  "name: Alice\nthemes:\n  - title: yes\n    started: 2026-11-25\n    due: 2027-01-20\n    status: active\n",
	},
	{
		name:  "null key",
		in:    "themes:\nname: Alice\n",
		title: "A",
		want:  "themes:\n  - title: A\n    started: 2026-11-25\n    due: 2027-01-20\n    status: active\nname: Alice\n",
	},
	{
		name:  "flow list with items",
		in:    "name: Alice\nthemes: [{title: A, status: done}]\n",
		title: "B",
		want:  "name: Alice\nthemes:\n  - title: A\n    status: done\n  - title: B\n    started: 2026-11-25\n    due: 2027-01-20\n    status: active\n",
	},
	{
		name:  "dashes at column one and a nested list",
		in:    "name: Alice\nthemes:\n- title: A\n  tags:\n  - x\n  - y\nrole: r\n",
		title: "B",
		want:  "name: Alice\nthemes:\n- title: A\n  tags:\n  - x\n  - y\n- title: B\n  started: 2026-11-25\n  due: 2027-01-20\n  status: active\nrole: r\n",
	},
}

func TestAddThemeKeepsEverythingElse(t *testing.T) {
	for _, tc := range editCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, variant := range []struct {
				name string
				conv func(string) string
			}{
				{"lf", func(s string) string { return s }},
				{"crlf+bom", func(s string) string { return "\ufeff" + strings.ReplaceAll(s, "\n", "\r\n") }},
			} {
				in := variant.conv("---\n" + tc.in + "---\n" + longBody)
				want := variant.conv("---\n" + tc.want + "---\n" + longBody)
				got, err := AddTheme([]byte(in), Theme{Title: tc.title, Started: ParseDateOr("2026-11-25"), Due: ParseDateOr("2027-01-20")})
				if err != nil {
					t.Fatalf("%s: %v", variant.name, err)
				}
				if string(got) != want {
					t.Errorf("%s:\ngot:\n%s\nwant:\n%s", variant.name, got, want)
				}
				if _, err := ParseProfile("alice", got, DefaultConfig()); err != nil && strings.Contains(tc.in, "name") {
					t.Errorf("%s: result does not parse: %v", variant.name, err)
				}
			}
		})
	}
}

func TestAddThemeDuplicate(t *testing.T) {
	in := "---\nname: A\nthemes:\n  - title: Mentor\n---\n"
	if _, err := AddTheme([]byte(in), Theme{Title: "mentor"}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("want duplicate error, got %v", err)
	}
}

func TestSetThemeStatus(t *testing.T) {
	profile := "---\n# top\nname: Alice\nthemes:\n  - title: Better communication\n    status: \"active\"   # keep me\n  - title: Mentor a new employee\n    started: 2026-06-01\n  - title: Mentor a new intern\n    status:\n---\n" + longBody
	tests := []struct {
		title, status string
		want          string // the changed line(s): old -> new
		old, new      string
		err           string
	}{
		{title: "better COMMUNICATION", status: "done", old: "    status: \"active\"   # keep me\n", new: "    status: \"done\"   # keep me\n"},
		{title: "mentor a new employee", status: "dropped", old: "    started: 2026-06-01\n", new: "    started: 2026-06-01\n    status: dropped\n"},
		{title: "Mentor a new intern", status: "done", old: "    status:\n", new: "    status: done\n"},
		{title: "mentor", status: "done", err: `no theme "mentor": the themes are "Better communication", "Mentor a new employee", "Mentor a new intern"`},
		{title: "x", status: "finished", err: "unknown theme status"},
	}
	for _, tc := range tests {
		t.Run(tc.title, func(t *testing.T) {
			got, err := SetThemeStatus([]byte(profile), tc.title, tc.status)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want error %q, got %v", tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(profile, tc.old, tc.new, 1)
			if string(got) != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestSetThemeStatusAmbiguous(t *testing.T) {
	// two titles differing only in spacing are the same theme for matching
	in := "---\nname: A\nthemes:\n  - title: Mentor  someone\n  - title: mentor someone\n---\n"
	_, err := SetThemeStatus([]byte(in), "MENTOR SOMEONE", "done")
	var me *ThemeMatchError
	if !errors.As(err, &me) || !me.Ambiguous || len(me.Candidates) != 2 {
		t.Fatalf("want ambiguous ThemeMatchError, got %v", err)
	}
}

func TestSetThemeStatusFlow(t *testing.T) {
	in := "---\nname: A\nthemes: [{title: X, due: 2026-12-01}, {title: Y}] # flow\n---\nbody\n"
	got, err := SetThemeStatus([]byte(in), "y", "done")
	if err != nil {
		t.Fatal(err)
	}
	want := "---\nname: A\nthemes: # flow\n  - title: X\n    due: 2026-12-01\n  - title: Y\n    status: done\n---\nbody\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSetTopLevelKey(t *testing.T) {
	tests := []struct {
		name, in, key, value, want string
	}{
		{"add", "---\nname: A # n\n---\nb\n", "archived", "2026-10-01", "---\nname: A # n\narchived: 2026-10-01\n---\nb\n"},
		{"replace", "---\narchived: 2026-01-01 # left\nname: A\n---\n", "archived", "2026-10-01", "---\narchived: 2026-10-01 # left\nname: A\n---\n"},
		{"quoted string", "---\nname: A\nrole: 'x'\n---\n", "role", "Lead: platform", "---\nname: A\nrole: 'Lead: platform'\n---\n"},
		{"empty frontmatter", "---\n---\nbody\n", "name", "A", "---\nname: A\n---\nbody\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SetTopLevelKey([]byte(tc.in), tc.key, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := SetTopLevelKey([]byte("---\nrole: |\n  x\n---\n"), "role", "y"); err == nil {
		t.Error("want a refusal for a block scalar")
	}
	if _, err := SetTopLevelKey([]byte("no frontmatter\n"), "name", "y"); err == nil {
		t.Error("want an error without frontmatter")
	}
}

func TestAppendAbsence(t *testing.T) {
	a := Absence{From: ParseDateOr("2026-12-20"), To: ParseDateOr("2027-01-06")}
	tests := []struct {
		name, in, want string
		plain          bool
	}{
		{"profile new key", "---\nname: A\n---\nbody", "---\nname: A\naway:\n  - from: 2026-12-20\n    to: 2027-01-06\n---\nbody", false},
		{"profile existing", "---\naway:\n  - from: 2026-01-01\n    to: 2026-01-02 # flu\nname: A\n---\n", "---\naway:\n  - from: 2026-01-01\n    to: 2026-01-02 # flu\n  - from: 2026-12-20\n    to: 2027-01-06\nname: A\n---\n", false},
		{"config without final newline", "manager: Dana # me\ngrace: 2d", "manager: Dana # me\ngrace: 2d\naway:\n  - from: 2026-12-20\n    to: 2027-01-06\n", true},
		{"config crlf", "manager: Dana\r\naway: []\r\n", "manager: Dana\r\naway:\r\n  - from: 2026-12-20\r\n    to: 2027-01-06\r\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			var err error
			if tc.plain {
				got, err = AppendConfigAbsence([]byte(tc.in), a)
			} else {
				got, err = AppendAbsence([]byte(tc.in), a)
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	got, err := SetConfigKey([]byte("\ufeffmanager: Dana\ncadence: weekly # default\n"), "cadence", "biweekly")
	if err != nil || string(got) != "\ufeffmanager: Dana\ncadence: biweekly # default\n" {
		t.Errorf("SetConfigKey: %q, %v", got, err)
	}
}

// insertedOnly reports whether out is in with one contiguous insertion.
func insertedOnly(in, out []byte) bool {
	p := 0
	for p < len(in) && p < len(out) && in[p] == out[p] {
		p++
	}
	return len(out) >= len(in) && bytes.Equal(in[p:], out[len(out)-(len(in)-p):])
}

func fuzzSeeds(f *testing.F) {
	for _, tc := range editCases {
		f.Add([]byte("---\n"+tc.in+"---\n"+longBody), tc.title)
	}
	f.Add([]byte("\ufeff---\r\nname: A\r\nthemes:\r\n  - title: X\r\n---\r\nbody\r\n"), "x2")
	f.Add([]byte("---\nname: A\nthemes: [a, {title: b}]\n---\n"), "b")
	f.Add([]byte("---\n---\n"), "z")
}

func FuzzAddTheme(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, title string) {
		in := append([]byte(nil), data...)
		out, err := AddTheme(data, Theme{Title: title, Started: ParseDateOr("2026-11-25")})
		if !bytes.Equal(in, data) {
			t.Fatal("input modified")
		}
		if err != nil {
			return
		}
		pin, _ := SplitFrontmatter(in)
		pout, err := SplitFrontmatter(out)
		if err != nil || !bytes.Equal(pin.Body, pout.Body) || pin.BOM != pout.BOM || !bytes.Equal(in[:pin.FrontStart], out[:pout.FrontStart]) {
			t.Fatalf("outside the frontmatter changed:\n%q\n%q", in, out)
		}
		d, _ := openYAML(in, false)
		if _, v := d.entry("themes"); v != nil && v.Kind == 2 && v.Style == 0 && len(v.Content) > 0 && !insertedOnly(in, out) {
			t.Fatalf("a block list should only grow by an insertion:\n%q\n%q", in, out)
		}
		if bytes.Contains(in, []byte("\r\n")) && !bytes.Contains(in, []byte("\n\n")) && bytes.Count(out, []byte("\n")) != bytes.Count(out, []byte("\r\n")) && bytes.Count(in, []byte("\n")) == bytes.Count(in, []byte("\r\n")) {
			t.Fatalf("line endings mixed:\n%q", out)
		}
	})
}

func FuzzSetThemeStatus(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, title string) {
		out, err := SetThemeStatus(data, title, ThemeDone)
		if err != nil {
			return
		}
		pin, _ := SplitFrontmatter(data)
		pout, err := SplitFrontmatter(out)
		if err != nil || !bytes.Equal(pin.Body, pout.Body) || !bytes.Equal(data[:pin.FrontStart], out[:pout.FrontStart]) {
			t.Fatalf("outside the frontmatter changed:\n%q\n%q", data, out)
		}
		// read the titles the way ParseProfile does: a scalar's text, so `title: 0` is "0"
		m, err := decodeFront(pout.Front, 1)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		if list := mapGet(m, "themes"); list != nil {
			for _, it := range list.Content {
				it = resolveAlias(it)
				got, _ := scalar(mapGet(it, "title"), "title")
				status, _ := scalar(mapGet(it, "status"), "status")
				if themeKey(got) == themeKey(title) && status == ThemeDone {
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("status not set:\n%s", out)
		}
	})
}

// A CRLF profile whose flow-style theme is rewritten as a block: the other
// themes' comments stay where they were, without a stray blank line.
func TestSetThemeStatusCRLFComment(t *testing.T) {
	in := "---\r\nname: Dan\r\nthemes:\r\n  - title: A\r\n    # c\r\n    status: done\r\n  - {title: B, started: 2026-10-01}\r\n---\r\nbody\r\n"
	out, err := SetThemeStatus([]byte(in), "B", ThemeDropped)
	if err != nil {
		t.Fatal(err)
	}
	want := "---\r\nname: Dan\r\nthemes:\r\n  - title: A\r\n    # c\r\n    status: done\r\n  - title: B\r\n    started: 2026-10-01\r\n    status: dropped\r\n---\r\nbody\r\n"
	if string(out) != want {
		t.Errorf("got %q\nwant %q", out, want)
	}
}

func TestFinishTheme(t *testing.T) {
	profile := "---\nname: Alice\nthemes:\n  - title: Grow   # the big one\n    started: 2026-06-01\n    status: active\n  - {title: Mentor, started: 2026-07-01}\n---\n" + longBody
	day := ParseDateOr("2026-11-25")
	got, err := FinishTheme([]byte(profile), "grow", ThemeDone, day)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(profile, "    status: active\n", "    status: done\n    finished: 2026-11-25\n", 1)
	if string(got) != want {
		t.Errorf("block item:\n%s\nwant:\n%s", got, want)
	}
	got, err = FinishTheme([]byte(profile), "Mentor", ThemeDropped, day)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProfile("alice", got, DefaultConfig())
	if err != nil || p.Themes[1].Status != ThemeDropped || FormatDate(p.Themes[1].Finished) != "2026-11-25" || !strings.HasSuffix(string(got), longBody) {
		t.Errorf("flow item: %v %+v\n%s", err, p, got)
	}
	// marked again: the day is replaced
	again, err := FinishTheme(want2(t, profile, day), "grow", ThemeDropped, ParseDateOr("2026-11-26"))
	if err != nil || !strings.Contains(string(again), "    status: dropped\n    finished: 2026-11-26\n") {
		t.Errorf("again: %v\n%s", err, again)
	}
	if _, err := FinishTheme([]byte(profile), "grow", ThemeActive, day); err == nil {
		t.Error("active is no finish")
	}
}

func want2(t *testing.T, profile string, day time.Time) []byte {
	t.Helper()
	out, err := FinishTheme([]byte(profile), "grow", ThemeDone, day)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRenameTheme(t *testing.T) {
	profile := "\ufeff---\r\nname: Alice\r\nthemes:\r\n  - title: \"Grow\"  # quoted\r\n    status: active\r\n  - title: Mentor\r\n---\r\nbody\r\n"
	got, err := RenameTheme([]byte(profile), "grow", "Grow: as a lead")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(profile, `"Grow"`, `'Grow: as a lead'`, 1)
	if string(got) != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
	if _, err := RenameTheme([]byte(profile), "grow", "MENTOR"); err == nil || !strings.Contains(err.Error(), `there is a theme "Mentor" already`) {
		t.Errorf("rename onto another theme: %v", err)
	}
	if got, err := RenameTheme([]byte(profile), "grow", "GROW"); err != nil || !strings.Contains(string(got), `title: "GROW"  # quoted`) {
		t.Errorf("a new letter case of the same title: %v %q", err, got)
	}
	var me *ThemeMatchError
	if _, err := RenameTheme([]byte(profile), "nope", "x"); !errors.As(err, &me) {
		t.Errorf("unknown theme: %v", err)
	}
}

func TestRenameRating(t *testing.T) {
	note := "---\ndate: 2026-11-18\nthemes:\n  Grow: on-track   # keep\n  \"Other: x\": at-risk\n# Grow: commented\n---\n## Themes\n### Grow\nGrow stays here.\n"
	got, err := RenameRating([]byte(note), "Grow", "Grow as a lead")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(note, "  Grow: on-track", "  Grow as a lead: on-track", 1); string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	got, err = RenameRating([]byte(note), "Other: x", "Other")
	if err != nil || !strings.Contains(string(got), "  \"Other\": at-risk\n") { // its quotes stay
		t.Errorf("quoted key: %v\n%s", err, got)
	}
	if got, err := RenameRating([]byte("---\nthemes:\n  'Grow': on-track\n---\n"), "Grow", "Dana's theme"); err != nil || string(got) != "---\nthemes:\n  'Dana''s theme': on-track\n---\n" {
		t.Errorf("single quotes: %v %q", err, got)
	}
	flow := "---\nthemes: {Grow: on-track, B: at-risk}\n---\nx\n"
	if got, err := RenameRating([]byte(flow), "Grow", "Lead"); err != nil || string(got) != "---\nthemes: {Lead: on-track, B: at-risk}\n---\nx\n" {
		t.Errorf("flow: %v %q", err, got)
	}
	// not rated, a case that only looks alike, no frontmatter: unchanged
	for _, in := range []string{note, "## Themes\n### Grow\n", "---\nthemes:\n  grow: on-track\n---\n"} {
		if got, err := RenameRating([]byte(in), "Other", "x"); err != nil || string(got) != in && !strings.Contains(in, "Other") {
			t.Errorf("%q: %v %q", in, err, got)
		}
		if got, err := RenameRating([]byte(in), "GROW", "x"); err != nil || string(got) != in {
			t.Errorf("%q: %v %q", in, err, got)
		}
	}
	if _, err := RenameRating([]byte("---\nthemes:\n  A: on-track\n  B: at-risk\n---\n"), "A", "B"); err == nil || !strings.Contains(err.Error(), `rates "B" already`) {
		t.Errorf("collision: %v", err)
	}
}

func TestSetNoteKey(t *testing.T) {
	for _, tt := range []struct{ in, key, value, want string }{
		{"---\ndate: 2026-11-25\nkind: regular\n# status: held    # held | skipped | cancelled\n---\n# Title\n", "status", "skipped",
			"---\ndate: 2026-11-25\nkind: regular\n# status: held    # held | skipped | cancelled\nstatus: skipped\n---\n# Title\n"},
		{"---\nstatus: held  # was\n---\nx\n", "status", "cancelled", "---\nstatus: cancelled  # was\n---\nx\n"},
		{"## Feedback\n- x\n", "status", "skipped", "---\nstatus: skipped\n---\n## Feedback\n- x\n"},
		{"\ufeff## Feedback\r\n- x\r\n", "status", "skipped", "\ufeff---\r\nstatus: skipped\r\n---\r\n## Feedback\r\n- x\r\n"},
		{"---\n---\nx\n", "status", "skipped", "---\nstatus: skipped\n---\nx\n"},
		{"---\ndate: 2026-12-02\nkind: goals\n---\nx\n", "date", "2026-12-04", "---\ndate: 2026-12-04\nkind: goals\n---\nx\n"},
	} {
		got, err := SetNoteKey([]byte(tt.in), tt.key, tt.value)
		if err != nil || string(got) != tt.want {
			t.Errorf("SetNoteKey(%q, %s, %s) = %q, %v; want %q", tt.in, tt.key, tt.value, got, err, tt.want)
		}
	}
}

func TestMoveNoteDate(t *testing.T) {
	day := ParseDateOr("2026-12-04")
	for in, want := range map[string]string{
		"---\ndate: 2026-12-02  # moved?\nkind: goals\n---\n# 1:1 with Alice — 2026-12-02\n": "---\ndate: 2026-12-04  # moved?\nkind: goals\n---\n# 1:1 with Alice — 2026-12-02\n",
		"---\nkind: goals\n---\nx\n":                        "---\nkind: goals\n---\nx\n",
		"no frontmatter\n":                                  "no frontmatter\n",
		"\ufeff---\r\ndate: \"2026-12-02\"\r\n---\r\nx\r\n": "\ufeff---\r\ndate: \"2026-12-04\"\r\n---\r\nx\r\n",
		"---\ndate: '2026-12-02'\n---\nx\n":                 "---\ndate: '2026-12-04'\n---\nx\n",
	} {
		got, err := MoveNoteDate([]byte(in), day)
		if err != nil || string(got) != want {
			t.Errorf("MoveNoteDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
