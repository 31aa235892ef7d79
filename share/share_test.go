package share

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/oneone/oneone/notes"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

const profile = `---
name: Alice Chen
role: Backend engineer
cadence: weekly
slot: wed 10:00
share: https://example.com/alice.git
themes:
  - title: Better communication with non-technical people
    started: 2026-10-06
    due: 2026-12-01
---
CANARY-PROFILE-BODY: wants to move into management.
`

// template is what `oneone new` writes, filled in.
const planned = `---
date: 2026-12-02
kind: regular
---
# 1:1 with Alice — 2026-12-02

## Feedback
<!-- Positive: CANARY-COMMENT-1 -->
- Positive: the incident write-up.
- To improve: the design review.

## Alice's topics
<!-- Alice's platform: ask Alice to add topics before the 1:1. -->

## Themes

### Better communication with non-technical people
<!-- Progress since last time. -->

## Action items
- [ ] Dana: share the Q1 roadmap draft (from 2026-11-18)
- [ ] Alice: one-page migration summary

## Private
- CANARY-PRIVATE-1: thinking about a promotion case.
- [ ] Dana: talk to HR CANARY-PRIVATE-TASK
`

const held = `---
date: 2026-11-18
themes:
  Better communication with non-technical people: on-track
---
# 1:1 with Alice — 2026-11-18

## Feedback
- Positive: clear incident write-up.

## Alice's topics
- Wants more say in the Q1 roadmap.
- On-call load. <!-- CANARY-COMMENT-2 -->

## Action items
- [ ] Dana: share the Q1 roadmap draft
- [x] Alice: fix the flaky test

## PRIVATE
CANARY-PRIVATE-2
`

// team is a report's folder: profile and notes by file name.
type team map[string]string

func person(t *testing.T, files team) *notes.Person {
	t.Helper()
	cfg := notes.DefaultConfig()
	cfg.Manager = "Dana Reyes"
	prof, err := notes.ParseProfile("alice", []byte(files["profile.md"]), cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &notes.Person{Slug: "alice", Profile: prof}
	for name, data := range files {
		if _, err := notes.NoteDate(name); err != nil {
			continue // profile, copies
		}
		n, err := notes.ParseNote("alice", name, []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p.Notes = append(p.Notes, n)
	}
	sort.Slice(p.Notes, func(i, j int) bool { return p.Notes[i].Date.Before(p.Notes[j].Date) })
	return p
}

func source(t *testing.T, files team, pending []Topic) Source {
	cfg := notes.DefaultConfig()
	cfg.Manager = "Dana Reyes"
	cfg.Away = []notes.Absence{{From: time.Date(2031, 2, 3, 0, 0, 0, 0, time.UTC), To: time.Date(2031, 2, 4, 0, 0, 0, 0, time.UTC)}}
	return Source{Config: cfg, Settings: Settings{Feedback: FeedbackAfter}, Person: person(t, files), Profile: []byte(files["profile.md"]), Today: today, Pending: pending}
}

func TestMergeLines(t *testing.T) {
	for _, tc := range []struct {
		name               string
		base, ours, theirs string
		want               string
		ok                 bool
	}{
		{"theirs only", "a\nb\n", "a\nb\n", "a\nb\nc\n", "a\nb\nc\n", true},
		{"both append: both kept", "a\n", "a\nours\n", "a\ntheirs\n", "a\nours\ntheirs\n", true},
		{"both append the same", "a\n", "a\nx\n", "a\nx\n", "a\nx\n", true},
		{"neighbouring lines", "a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n", "A\nB\nc\n", true},
		{"edit and append", "a\nb\n", "a\nB\n", "a\nb\nc\n", "a\nB\nc\n", true},
		{"same line, two edits", "a\nb\n", "a\nX\n", "a\nY\n", "", false},
		{"insert inside a rewrite", "a\nb\nc\n", "a\nb\nnew\nc\n", "a\nZ\n", "", false},
		{"delete and edit elsewhere", "a\nb\nc\n", "b\nc\n", "a\nb\nC\n", "b\nC\n", true},
		{"empty base", "", "x\n", "y\n", "x\ny\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := mergeLines(splitLines(tc.base), splitLines(tc.ours), splitLines(tc.theirs))
			if ok != tc.ok || (ok && strings.Join(got, "") != tc.want) {
				t.Fatalf("mergeLines = %q, %v; want %q, %v", strings.Join(got, ""), ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseNext(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []Topic
	}{
		{"oneone's own file", string(NextContent("Dana Reyes", nil)), nil},
		{"items", string(NextContent("Dana", nil)) + "- Roadmap say\n* On-call\n1. Pairing\n",
			[]Topic{{Text: "Roadmap say"}, {Text: "On-call"}, {Text: "Pairing"}}},
		{"continuation", "- Growth\n  into management?\n\n  next year\n- Other\n",
			[]Topic{{Text: "Growth", More: []string{"  into management?", "", "  next year"}}, {Text: "Other"}}},
		{"plain lines are topics", "# Topics\nI want to talk about the reorg\n", []Topic{{Text: "I want to talk about the reorg"}}},
		{"a hashtag is no heading", "#1 priority: the reorg\n", []Topic{{Text: "#1 priority: the reorg"}}},
		{"empty items", "- \n-\n- real\n", []Topic{{Text: "real"}}},
		{"crlf", "- one\r\n- two\r\n", []Topic{{Text: "one"}, {Text: "two"}}},
		{"tasks stay tasks", "- [ ] ask about budget\n", []Topic{{Text: "[ ] ask about budget"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseNext([]byte(tc.in))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseNext:\n got %#v\nwant %#v", got, tc.want)
			}
		})
	}
	// what NextContent writes reads back as the same topics
	ts := []Topic{{Text: "a"}, {Text: "b", More: []string{"  more"}}}
	if got := ParseNext(NextContent("Dana", ts)); !reflect.DeepEqual(got, ts) {
		t.Fatalf("round trip: %#v", got)
	}
}

// TestProjectLeavesPrivateOut is the attacker's view of the projection: no canary
// from a Private section, an HTML comment, the profile's text or frontmatter,
// oneone.yaml's away list reaches any published file.
func TestProjectLeavesPrivateOut(t *testing.T) {
	src := source(t, team{"profile.md": profile, "2026-12-02.md": planned, "2026-11-18.md": held}, nil)
	files := Project(src)
	want := []string{"2026-11-18.md", "2026-12-02.md", ReadmeFile, NextFile, StateFile, ThemesFile}
	if got := files.Paths(); !reflect.DeepEqual(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	for p, data := range files {
		for _, bad := range []string{"CANARY", "<!--", "2031-02-03", "2031-02-04", "example.com", "Backend engineer", "---\n"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s holds %q:\n%s", p, bad, data)
			}
		}
	}
	// The planned note's Feedback waits for its day; the held one's is there.
	if bytes.Contains(files["2026-12-02.md"], []byte("Feedback")) || !bytes.Contains(files["2026-11-18.md"], []byte("## Feedback")) {
		t.Fatalf("feedback:\n%s\n%s", files["2026-12-02.md"], files["2026-11-18.md"])
	}
	src.Today = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	if f := Project(src); !bytes.Contains(f["2026-12-02.md"], []byte("- To improve: the design review.")) {
		t.Fatalf("feedback on its day:\n%s", f["2026-12-02.md"])
	}
	src.Settings.Feedback = FeedbackNever
	if f := Project(src); bytes.Contains(f["2026-11-18.md"], []byte("Feedback")) {
		t.Fatalf("never:\n%s", f["2026-11-18.md"])
	}
	src.Settings.Feedback, src.Today = FeedbackAlways, today
	if f := Project(src); !bytes.Contains(f["2026-12-02.md"], []byte("## Feedback")) {
		t.Fatalf("always:\n%s", f["2026-12-02.md"])
	}
	st := string(files[StateFile])
	for _, line := range []string{"manager: Dana Reyes", "report: Alice Chen", "cadence_days: 7", "last_held: \"2026-11-18\"", "next_due: \"2026-11-25\"", "slot: wed 10:00"} {
		if !strings.Contains(st, line+"\n") {
			t.Errorf("share.yaml lacks %q:\n%s", line, st)
		}
	}
	if th := string(files[ThemesFile]); !strings.Contains(th, "## Better communication with non-technical people") || !strings.Contains(th, "- latest rating: on-track (2026-11-18)") {
		t.Errorf("themes.md:\n%s", th)
	}
	if rd := string(files[ReadmeFile]); !strings.Contains(rd, "next.md") || !strings.Contains(rd, "## How our 1:1s work") {
		t.Errorf("README.md:\n%s", rd)
	}
}

// TestProjectPrivateHeadings: a heading that reads "Private" hides what it
// heads, whatever its level and with a comment in it; a tick of the shared
// task never lands on the same task written under it.
func TestProjectPrivateHeadings(t *testing.T) {
	note := `---
date: 2026-11-18
---
# 1:1 with Alice — 2026-11-18

## Feedback
- Positive: ok.
### Private
- CANARY-H3 only mine
- [ ] Dana: pair with Alice

## Alice's topics
- Roadmap

## Action items
- [ ] Dana: pair with Alice

## Private <!-- mine -->
CANARY-COMMENTED-HEADING

# Private
CANARY-H1
`
	files := team{"profile.md": profile, "2026-11-18.md": note}
	pub := Project(source(t, files, nil))
	got := string(pub["2026-11-18.md"])
	if strings.Contains(got, "CANARY") || strings.Contains(got, "Private") {
		t.Fatalf("leak:\n%s", got)
	}
	if !strings.Contains(got, "## Action items\n- [ ] Dana: pair with Alice\n") || !strings.Contains(got, "- Roadmap") {
		t.Fatalf("lost shared text:\n%s", got)
	}
	rem := edited(pub, "2026-11-18.md", func(s string) string {
		return strings.Replace(s, "- [ ] Dana: pair with Alice", "- [x] Dana: pair with Alice", 1)
	})
	_, after := exchange(t, files, pub, rem)
	want := strings.Replace(note, "## Action items\n- [ ] Dana", "## Action items\n- [x] Dana", 1)
	if after["2026-11-18.md"] != want {
		t.Fatalf("tick landed elsewhere:\n%s", after["2026-11-18.md"])
	}
}

// TestFeedbackVariantsWaitForTheirDay: before a note's day, every heading
// that names feedback (any level, emphasis, a colon, a comment, "Positive
// feedback", "Feedback for Alice") keeps what it heads out of the shared
// agenda; the report's topics section stays, whatever its name.
func TestFeedbackVariantsWaitForTheirDay(t *testing.T) {
	note := `---
date: 2026-12-02
---
# 1:1 with Alice — 2026-12-02

## **Feedback:** <!-- prepare both -->
- CANARY-F1

## Positive feedback
- CANARY-F2

## Negative Feedback
- CANARY-F3

## Alice's topics
- Roadmap
### Feedback for Alice
- CANARY-F4
### Next
- shared under topics

## Action items
- [ ] Dana: book the room

# Feedback
CANARY-F5
`
	files := team{"profile.md": profile, "2026-12-02.md": note}
	got := string(Project(source(t, files, nil))["2026-12-02.md"])
	if strings.Contains(got, "CANARY") || strings.Contains(strings.ToLower(got), "feedback") {
		t.Fatalf("feedback before its day:\n%s", got)
	}
	for _, want := range []string{"## Alice's topics\n- Roadmap\n", "### Next\n- shared under topics\n", "- [ ] Dana: book the room"} {
		if !strings.Contains(got, want) {
			t.Fatalf("lost %q:\n%s", want, got)
		}
	}
	src := source(t, files, nil)
	src.Today = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	if on := string(Project(src)["2026-12-02.md"]); strings.Count(on, "CANARY-F") != 5 {
		t.Fatalf("on its day:\n%s", on)
	}
}

func TestSettings(t *testing.T) {
	for in, want := range map[string]string{"": "after", "share_feedback: always\n": "always", "share_feedback: Never\n": "never", "share_feedback:\n": "after"} {
		s, err := ParseSettings([]byte(in))
		if err != nil || s.Feedback != want {
			t.Errorf("%q: %v %v", in, s, err)
		}
	}
	if _, err := ParseSettings([]byte("share_feedback: sometimes\n")); err == nil || !strings.Contains(err.Error(), "after") {
		t.Errorf("bad value: %v", err)
	}
}

func TestSlotIsAFigure(t *testing.T) {
	for in, want := range map[string]string{
		"---\nname: A\nslot: mon 10:00\n---\n":     "mon 10:00",
		"---\nname: A\nslot: Tue 9:30 45m\n---\n":  "Tue 9:30 45m",
		"---\nname: A\nslot: CANARY secret\n---\n": "",
		"---\nname: A\n---\n":                      "",
	} {
		got := Slot([]byte(in))
		if (got == nil) != (want == "") || (got != nil && *got != want) {
			t.Errorf("%q: %v", in, got)
		}
	}
}

// exchange is one round: oneone published pub, the report's repository now holds rem.
func exchange(t *testing.T, files team, pub, rem Files) (*Received, team) {
	t.Helper()
	in := Incoming{Person: person(t, files), Today: today, Published: pub, Remote: rem, Short: "abc1234",
		Read: func(rel string) ([]byte, bool) {
			s, ok := files[strings.TrimPrefix(rel, "alice/")]
			return []byte(s), ok && strings.HasPrefix(rel, "alice/")
		}}
	r, err := Receive(in)
	if err != nil {
		t.Fatal(err)
	}
	out := team{}
	for k, v := range files {
		out[k] = v
	}
	for rel, data := range r.Writes {
		if !strings.HasPrefix(rel, "alice/") {
			t.Fatalf("write outside the report's folder: %s", rel)
		}
		out[strings.TrimPrefix(rel, "alice/")] = string(data)
	}
	return r, out
}

func edited(f Files, name string, change func(string) string) Files {
	out := Files{}
	for k, v := range f {
		out[k] = v
	}
	out[name] = []byte(change(string(f[name])))
	return out
}

func TestReceiveNextTopics(t *testing.T) {
	files := team{"profile.md": profile, "2026-12-02.md": planned, "2026-11-18.md": held}
	pub := Project(source(t, files, nil))
	rem := edited(pub, NextFile, func(s string) string { return s + "- Roadmap: who decides?\n- On-call load\n" })
	r, after := exchange(t, files, pub, rem)
	want := strings.Replace(planned, "<!-- Alice's platform: ask Alice to add topics before the 1:1. -->\n",
		"<!-- Alice's platform: ask Alice to add topics before the 1:1. -->\n\n- Roadmap: who decides?\n- On-call load\n", 1)
	if after["2026-12-02.md"] != want {
		t.Fatalf("note:\n%s", after["2026-12-02.md"])
	}
	if len(r.Pending) != 0 || !reflect.DeepEqual(r.Notes, []string{"alice/2026-12-02.md"}) || len(r.Copies) != 0 {
		t.Fatalf("%+v", r)
	}
	// Exactly once: the same next.md met again (a crash before the publish) adds nothing.
	r2, after2 := exchange(t, after, pub, rem)
	if len(r2.Writes) != 0 || after2["2026-12-02.md"] != want {
		t.Fatalf("second receipt wrote %v", r2.Paths())
	}
	// The next publish shows them in the note's file, not in next.md.
	pub2 := Project(source(t, after, nil))
	if got := ParseNext(pub2[NextFile]); len(got) != 0 || !strings.Contains(string(pub2["2026-12-02.md"]), "- On-call load\n") {
		t.Fatalf("published:\n%s\n%s", pub2[NextFile], pub2["2026-12-02.md"])
	}

	// No planned note: they wait in next.md.
	files = team{"profile.md": profile, "2026-11-18.md": held}
	pub = Project(source(t, files, nil))
	rem = edited(pub, NextFile, func(s string) string { return s + "- Roadmap\n" })
	r, after = exchange(t, files, pub, rem)
	if len(r.Writes) != 0 || !reflect.DeepEqual(r.Pending, []Topic{{Text: "Roadmap"}}) {
		t.Fatalf("%+v", r)
	}
	if got := ParseNext(Project(source(t, after, r.Pending))[NextFile]); !reflect.DeepEqual(got, r.Pending) {
		t.Fatalf("pending not republished: %v", got)
	}
	// next.md deleted by the report: what waited still waits.
	pubP := Project(source(t, files, r.Pending))
	remD := Files{}
	for k, v := range pubP {
		if k != NextFile {
			remD[k] = v
		}
	}
	if r, _ := exchange(t, files, pubP, remD); !reflect.DeepEqual(r.Pending, []Topic{{Text: "Roadmap"}}) || !reflect.DeepEqual(r.Deleted, []string(nil)) {
		t.Fatalf("%+v", r)
	}
}

func TestReceiveTopicsEditAndTicks(t *testing.T) {
	files := team{"profile.md": profile, "2026-11-18.md": held}
	pub := Project(source(t, files, nil))
	// the report adds a topic and ticks the manager's item; the manager meanwhile
	// added a topic of their own and edited the Feedback
	rem := edited(pub, "2026-11-18.md", func(s string) string {
		s = strings.Replace(s, "- On-call load.\n", "- On-call load.\n- Conference budget\n", 1)
		return strings.Replace(s, "- [ ] Dana: share the Q1 roadmap draft", "- [x] Dana: share the Q1 roadmap draft", 1)
	})
	files["2026-11-18.md"] = strings.Replace(held, "- Positive: clear incident write-up.\n", "- Positive: clear incident write-up.\n- To improve: review depth.\n", 1)
	files["2026-11-18.md"] = strings.Replace(files["2026-11-18.md"], "- Wants more say in the Q1 roadmap.\n", "- Wants more say in the Q1 roadmap.\n- Dana: hiring plan\n", 1)
	r, after := exchange(t, files, pub, rem)
	got := after["2026-11-18.md"]
	for _, want := range []string{"- Wants more say in the Q1 roadmap.\n- Dana: hiring plan\n- On-call load. <!-- CANARY-COMMENT-2 -->\n- Conference budget\n",
		"- [x] Dana: share the Q1 roadmap draft\n", "- To improve: review depth.\n", "CANARY-PRIVATE-2"} {
		if !strings.Contains(got, want) {
			t.Fatalf("note lacks %q:\n%s", want, got)
		}
	}
	if len(r.Copies) != 0 {
		t.Fatalf("copies: %+v", r.Copies)
	}

	// A true conflict: both rewrote the same topic. The manager's text stays,
	// the report's version is kept beside it.
	rem = edited(pub, "2026-11-18.md", func(s string) string { return strings.Replace(s, "- On-call load.", "- On-call load is too high", 1) })
	files["2026-11-18.md"] = strings.Replace(held, "- On-call load. <!-- CANARY-COMMENT-2 -->", "- On-call: fixed in Q1 <!-- CANARY-COMMENT-2 -->", 1)
	r, after = exchange(t, files, pub, rem)
	if after["2026-11-18.md"] != files["2026-11-18.md"] {
		t.Fatalf("manager's text changed:\n%s", after["2026-11-18.md"])
	}
	if len(r.Copies) != 1 || r.Copies[0].Copy != "alice/2026-11-18.conflict-share-abc1234.md" || after["2026-11-18.conflict-share-abc1234.md"] != string(rem["2026-11-18.md"]) {
		t.Fatalf("%+v", r)
	}
}

func TestReceiveOtherChangesAreKept(t *testing.T) {
	files := team{"profile.md": profile, "2026-11-18.md": held}
	pub := Project(source(t, files, nil))
	rem := edited(pub, "2026-11-18.md", func(s string) string { return strings.Replace(s, "clear incident write-up", "I disagree with this", 1) })
	rem["ideas.md"] = []byte("my ideas\n")
	rem["sub/dir/x.txt"] = []byte("x\n")
	rem[ThemesFile] = []byte("edited\n")
	delete(rem, "README.md")
	r, after := exchange(t, files, pub, rem)
	if after["2026-11-18.md"] != held {
		t.Fatalf("feedback edit applied:\n%s", after["2026-11-18.md"])
	}
	for name, want := range map[string]string{
		"2026-11-18.conflict-share-abc1234.md": string(rem["2026-11-18.md"]),
		"shared-ideas.md":                      "my ideas\n",
		"shared-sub-dir-x.txt":                 "x\n",
		"shared-themes.md":                     "edited\n",
	} {
		if after[name] != want {
			t.Errorf("%s = %q, want %q", name, after[name], want)
		}
		if !r.Created["alice/"+name] {
			t.Errorf("%s not created", name)
		}
	}
	if !reflect.DeepEqual(r.Deleted, []string{"README.md"}) {
		t.Errorf("deleted %v", r.Deleted)
	}
	// the same receipt again keeps nothing twice
	r2, _ := exchange(t, after, pub, rem)
	if len(r2.Writes) != 0 {
		t.Errorf("second receipt wrote %v", r2.Paths())
	}
}

func TestReceiveRefusesNotesRepository(t *testing.T) {
	files := team{"profile.md": profile}
	_, err := Receive(Incoming{Person: person(t, files), Today: today, Remote: Files{"oneone.yaml": []byte("manager: X\n"), "bob/profile.md": []byte("x")}})
	if !errors.Is(err, ErrNotShared) {
		t.Fatalf("err = %v", err)
	}
	// a host's README on an empty repository is no report's text
	r, err := Receive(Incoming{Person: person(t, files), Today: today, Remote: Files{"README.md": []byte("# alice\n"), NextFile: []byte("- early topic\n")}})
	if err != nil || len(r.Writes) != 0 || !reflect.DeepEqual(r.Pending, []Topic{{Text: "early topic"}}) {
		t.Fatalf("%+v %v", r, err)
	}
}

// TestReceiveKeepsBytes: a CRLF note with a BOM gets the topic and the tick and
// nothing else changes, byte for byte.
func TestReceiveKeepsBytes(t *testing.T) {
	crlf := "\ufeff" + strings.ReplaceAll(planned, "\n", "\r\n")
	files := team{"profile.md": profile, "2026-12-02.md": crlf}
	pub := Project(source(t, files, nil))
	rem := edited(pub, NextFile, func(s string) string { return s + "- Topic one\n" })
	rem = edited(rem, "2026-12-02.md", func(s string) string {
		return strings.Replace(s, "- [ ] Alice: one-page migration summary", "- [x] Alice: one-page migration summary", 1)
	})
	_, after := exchange(t, files, pub, rem)
	want := strings.Replace(crlf, "topics before the 1:1. -->\r\n", "topics before the 1:1. -->\r\n\r\n- Topic one\r\n", 1)
	want = strings.Replace(want, "- [ ] Alice: one-page", "- [x] Alice: one-page", 1)
	if after["2026-12-02.md"] != want {
		t.Fatalf("got %q\nwant %q", after["2026-12-02.md"], want)
	}
}

func TestAddTopicsPlaces(t *testing.T) {
	for _, tc := range []struct{ name, note, want string }{
		{"after the list", "## Alice's topics\n- one\n\n## Themes\n", "## Alice's topics\n- one\n- two\n\n## Themes\n"},
		{"an empty item is filled", "## Alice's topics\n- \n", "## Alice's topics\n- two\n"},
		{"no section: before Private", "## Feedback\n- x\n\n## Private\nsecret\n", "## Feedback\n- x\n\n## Alice's topics\n- two\n\n## Private\nsecret\n"},
		{"no section, no newline at the end", "## Feedback\n- x", "## Feedback\n- x\n\n## Alice's topics\n- two\n"},
		{"after a paragraph", "## Alice's topics\nSome words.\n", "## Alice's topics\nSome words.\n\n- two\n"},
		{"already there", "## Alice's topics\n- TWO\n", "## Alice's topics\n- TWO\n"},
		{"empty section at the end", "## Alice's topics\n", "## Alice's topics\n- two\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, refused, err := AddTopics("alice", "2026-12-02.md", "Alice", []byte(tc.note), []Topic{{Text: "two"}})
			if err != nil || len(refused) != 0 || string(out) != tc.want {
				t.Fatalf("got %q, %v\nwant %q", out, err, tc.want)
			}
		})
	}
}

// TestReceiveTopicThatCannotGoIn: a topic that would not show on the agenda
// (an HTML comment) or would make the note too large waits in next.md, and
// never keeps the others out of the note.
func TestReceiveTopicThatCannotGoIn(t *testing.T) {
	files := team{"profile.md": profile, "2026-12-02.md": planned, "2026-11-18.md": held}
	pub := Project(source(t, files, nil))
	huge := strings.Repeat("A", notes.MaxNoteSize)
	rem := edited(pub, NextFile, func(s string) string {
		return s + "- Roadmap\n- <!-- hidden -->\n- " + huge + "\n- On-call\n"
	})
	r, after := exchange(t, files, pub, rem)
	note := after["2026-12-02.md"]
	if !strings.Contains(note, "- Roadmap\n- On-call\n") || strings.Contains(note, "hidden") || strings.Contains(note, "AAAA") {
		t.Fatalf("note:\n%.2000s", note)
	}
	if len(r.Pending) != 2 || r.Pending[0].Text != "<!-- hidden -->" || r.Pending[1].Text != huge {
		t.Fatalf("pending: %.200v", r.Pending)
	}
	said := strings.Join(r.Lines, "\n")
	if !strings.Contains(said, `"<!-- hidden -->"`) || !strings.Contains(said, "2 topics from next.md added") || len(said) > 2000 {
		t.Fatalf("lines: %.3000s", said)
	}
	// what waits is published again, the placed ones leave next.md
	if got := ParseNext(Project(source(t, after, r.Pending))[NextFile]); len(got) != 2 {
		t.Fatalf("next.md: %.200v", got)
	}
}

// TestReceivePlacedTopics: a topic already placed since the last publish (by
// new, or by a receipt whose publish failed) is neither placed again nor left
// waiting, though the manager rewrote it in the note.
func TestReceivePlacedTopics(t *testing.T) {
	files := team{"profile.md": profile, "2026-12-02.md": strings.Replace(planned,
		"<!-- Alice's platform: ask Alice to add topics before the 1:1. -->\n",
		"<!-- Alice's platform: ask Alice to add topics before the 1:1. -->\n- Roadmap: Alice decides from Q1\n", 1), "2026-11-18.md": held}
	pub := Project(source(t, files, []Topic{{Text: "Roadmap"}}))
	rem := edited(pub, NextFile, func(s string) string { return s + "- On-call\n" })
	in := Incoming{Person: person(t, files), Today: today, Published: pub, Remote: rem, Short: "abc1234",
		Read: func(rel string) ([]byte, bool) {
			s, ok := files[strings.TrimPrefix(rel, "alice/")]
			return []byte(s), ok
		},
		Placed: map[string]bool{"roadmap": true}}
	r, err := Receive(in)
	if err != nil {
		t.Fatal(err)
	}
	note := string(r.Writes["alice/2026-12-02.md"])
	if strings.Count(note, "Roadmap") != 1 || !strings.Contains(note, "- On-call\n") || len(r.Pending) != 0 || !reflect.DeepEqual(r.Placed, []string{"on-call"}) {
		t.Fatalf("%+v\n%s", r, note)
	}
}

// TestReceiveCopiesAreBounded: a report who pushes thousands of files (or
// copies of notes in bulk) never floods the notes repository: at most
// MaxCopies files and MaxCopyBytes come back per sync, the rest is named in
// one line and stays in the shared repository's history.
func TestReceiveCopiesAreBounded(t *testing.T) {
	files := team{"profile.md": profile, "2026-11-18.md": held}
	pub := Project(source(t, files, nil))
	rem := Files{}
	for k, v := range pub {
		rem[k] = v
	}
	for i := range 3000 {
		rem[fmt.Sprintf("junk/f%04d.md", i)] = []byte("junk\n")
	}
	rem["2026-11-18.md"] = append([]byte("## Feedback\nthe report rewrote it\n"), bytes.Repeat([]byte("x"), MaxReportFile+1)...)
	r, _ := exchange(t, files, pub, rem)
	if len(r.Writes) != MaxCopies || len(r.Copies) != MaxCopies {
		t.Fatalf("%d writes, %d copies", len(r.Writes), len(r.Copies))
	}
	if len(r.Skipped) != 3001-MaxCopies || len(r.Lines) > MaxCopies+3 {
		t.Fatalf("%d skipped, %d lines", len(r.Skipped), len(r.Lines))
	}
	said := strings.Join(r.Lines, "\n")
	if !strings.Contains(said, "2026-11-18.md") || !strings.Contains(said, fmt.Sprintf("%d more files", 3000-MaxCopies)) {
		t.Fatalf("lines:\n%s", said[max(0, len(said)-1500):])
	}
	total := 0
	for _, w := range r.Writes {
		total += len(w)
	}
	if total > MaxCopyBytes {
		t.Fatalf("%d bytes copied", total)
	}
}

func TestFlatName(t *testing.T) {
	for in, want := range map[string]string{"a/b.md": "a-b.md", "x\\y:z\n.md": "x_y_z_.md", ".gitignore": ".gitignore"} {
		if got := flatName(in); got != want {
			t.Errorf("flatName(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 200) + ".md"
	if got := flatName(long); len(got) > 180 || path.Ext(got) != ".md" {
		t.Errorf("long name: %d bytes %q", len(got), path.Ext(got))
	}
}

func TestMergeNext(t *testing.T) {
	hdr := string(NextContent("Dana", nil))
	withA := string(NextContent("Dana", []Topic{{Text: "A"}, {Text: "B"}}))
	for _, tc := range []struct {
		name, base, ours, theirs string
		want                     []Topic
	}{
		// the report added C while the publish moved A and B into a note
		{"added while placed", withA, withA + "- C\n", hdr, []Topic{{Text: "C"}}},
		// the report deleted B, which still waited
		{"deleted a waiting one", withA, strings.Replace(withA, "- B\n", "", 1), withA, []Topic{{Text: "A"}}},
		{"added twice", hdr, hdr + "- X\n", hdr + "- X\n", []Topic{{Text: "X"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mergeNext([]byte(tc.base), []byte(tc.ours), []byte(tc.theirs))
			if ts := ParseNext(got); !reflect.DeepEqual(ts, tc.want) {
				t.Fatalf("topics %v, want %v:\n%s", ts, tc.want, got)
			}
			if !strings.HasPrefix(string(got), "# Topics for your next 1:1 with Dana\n") {
				t.Fatalf("header lost:\n%s", got)
			}
		})
	}
}

// TestReportMerge: on the report's side, a topic written locally survives a
// newer publish that changed the same file (Feedback appeared on its day).
func TestReportMerge(t *testing.T) {
	files := team{"profile.md": profile, "2026-12-02.md": planned}
	src := source(t, files, nil)
	base := Project(src)["2026-12-02.md"]
	src.Today = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	theirs := Project(src)["2026-12-02.md"] // now with its Feedback
	ours := []byte(strings.Replace(string(base), "## Alice's topics\n", "## Alice's topics\n- Mine\n", 1))
	got, ok := ReportMerge("Alice")("2026-12-02.md", base, ours, theirs)
	if !ok || !strings.Contains(string(got), "## Alice's topics\n- Mine\n") || !strings.Contains(string(got), "- To improve: the design review.") {
		t.Fatalf("%v:\n%s", ok, got)
	}
	// the report rewrote the feedback too: not this merge's to decide
	ours2 := []byte(strings.Replace(string(ours), "# 1:1 with", "# My 1:1 with", 1))
	if _, ok := ReportMerge("Alice")("2026-12-02.md", base, ours2, theirs); ok {
		t.Fatal("merged a change outside the topics")
	}
	if _, ok := ReportMerge("Alice")("README.md", base, ours, theirs); ok {
		t.Fatal("merged README.md")
	}
}
