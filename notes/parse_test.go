package notes

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"2d", 2, false}, {"8w", 56, false}, {"0d", 0, false}, {" 3W ", 21, false},
		{"", 0, true}, {"d", 0, true}, {"-1d", 0, true}, {"+1d", 0, true}, {"2", 0, true},
		{"2m", 0, true}, {"1.5w", 0, true}, {"99999d", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseCadence(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"weekly", 7, false}, {"biweekly", 14, false}, {"monthly", 30, false}, {"Weekly", 7, false},
		{"10d", 10, false}, {"3w", 21, false}, {"0d", 0, true}, {"-3d", 0, true}, {"fortnightly", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseCadence(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseCadence(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestValidateSlug(t *testing.T) {
	good := []string{"alice", "bob-smith", "a", "x1", "a-b-c", strings.Repeat("a", 40)}
	bad := []string{"", "Alice", "1bob", "-bob", "bob-", "bob--smith", "bob smith", "../x", "a/b", ".hidden", "templates", "émile", strings.Repeat("a", 41), "a_b"}
	for _, s := range good {
		if err := ValidateSlug(s); err != nil {
			t.Errorf("ValidateSlug(%q) = %v, want nil", s, err)
		}
	}
	for _, s := range bad {
		if err := ValidateSlug(s); err == nil {
			t.Errorf("ValidateSlug(%q) = nil, want an error", s)
		}
	}
}

func TestClosest(t *testing.T) {
	if got := Closest("alcie", []string{"bob", "alice", "carol"}); got != "alice" {
		t.Errorf("Closest = %q, want alice", got)
	}
	if got := Closest("zzzzzz", []string{"bob", "alice"}); got != "" {
		t.Errorf("Closest = %q, want none", got)
	}
}

func TestSplitFrontmatter(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		hasFront bool
		front    string
		body     string
		wantErr  bool
	}{
		{"plain", "---\na: 1\n---\nbody\n", true, "a: 1\n", "body\n", false},
		{"crlf", "---\r\na: 1\r\n---\r\nbody\r\n", true, "a: 1\r\n", "body\r\n", false},
		{"bom", "\ufeff---\na: 1\n---\nbody", true, "a: 1\n", "body", false},
		{"none", "# title\n", false, "", "# title\n", false},
		{"empty front", "---\n---\nx", true, "", "x", false},
		{"dots close", "---\na: 1\n...\nx", true, "a: 1\n", "x", false},
		{"no newline at end", "---\na: 1\n---", true, "a: 1\n", "", false},
		{"unterminated", "---\na: 1\nbody\n", false, "", "", true},
		{"trailing spaces on delimiter", "--- \na: 1\n---  \nx", true, "a: 1\n", "x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := SplitFrontmatter([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if p.HasFront != tt.hasFront || string(p.Front) != tt.front || string(p.Body) != tt.body {
				t.Errorf("got front=%v %q body %q; want %v %q %q", p.HasFront, p.Front, p.Body, tt.hasFront, tt.front, tt.body)
			}
			if p.HasFront && tt.in[p.FrontStart:p.FrontEnd] != tt.front {
				t.Errorf("offsets %d:%d give %q", p.FrontStart, p.FrontEnd, tt.in[p.FrontStart:p.FrontEnd])
			}
		})
	}
}

const sampleNote = `---
date: 2026-11-25
kind: regular
status: held
energy: good
themes:
  Better communication with non-technical people: on-track
---
# 1:1 with Alice — 2026-11-25

## Feedback
- Positive: the incident write-up was clear and fast.
- To improve: the design review started without the data we agreed on.

## Alice's topics
- Wants more say in the Q1 roadmap.

## Themes
### Better communication with non-technical people
Presented the migration to sales.

## Action items
- [x] Dana: share the Q1 roadmap draft
- [ ] Alice: one-page   migration summary for support (from 2026-11-18)

## Private
Thinking about promotion.
`

func TestParseNote(t *testing.T) {
	for _, variant := range []struct{ name, text string }{
		{"lf", sampleNote},
		{"crlf", strings.ReplaceAll(sampleNote, "\n", "\r\n")},
		{"bom", "\ufeff" + sampleNote},
	} {
		t.Run(variant.name, func(t *testing.T) {
			n, err := ParseNote("alice", "2026-11-25.md", []byte(variant.text))
			if err != nil {
				t.Fatal(err)
			}
			if n.Kind != KindRegular || n.Status != StatusHeld {
				t.Errorf("kind/status = %q/%q", n.Kind, n.Status)
			}
			if r, ok := n.Rating("Better communication with non-technical people"); !ok || r != "on-track" {
				t.Errorf("rating = %q, %v", r, ok)
			}
			var heads []string
			for _, s := range n.Sections {
				heads = append(heads, s.Heading)
			}
			if got := strings.Join(heads, "|"); got != "Feedback|Alice's topics|Themes|Action items|Private" {
				t.Errorf("sections = %s", got)
			}
			if n.FeedbackEmpty() || n.TopicsEmpty("") {
				t.Error("feedback/topics should not be empty")
			}
			if len(n.Tasks) != 2 || !n.Tasks[0].Checked || n.Tasks[1].Checked {
				t.Fatalf("tasks = %+v", n.Tasks)
			}
			if n.Tasks[1].Key != "alice: one-page migration summary for support" {
				t.Errorf("key = %q", n.Tasks[1].Key)
			}
			if FormatDate(n.Tasks[1].From) != "2026-11-18" {
				t.Errorf("from = %v", n.Tasks[1].From)
			}
		})
	}
}

// Values of kind and status are read in any letter case, as ratings are.
func TestParseNoteValueCase(t *testing.T) {
	n, err := ParseNote("alice", "2026-11-25.md", []byte("---\nkind: GOALS\nstatus: Skipped\nthemes:\n  X: On-Track\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n.Kind != KindGoals || n.Status != StatusSkipped || n.Ratings[0].Rating != "on-track" {
		t.Errorf("kind/status/rating = %q/%q/%q", n.Kind, n.Status, n.Ratings[0].Rating)
	}
}

func TestParseNoteErrors(t *testing.T) {
	tests := []struct {
		name, file, text, want string
	}{
		{"date disagrees", "2026-11-25.md", "---\ndate: 2026-11-24\n---\n", "disagrees"},
		{"impossible name", "2026-02-30.md", "x", "not a real date"},
		{"bad name", "notes.md", "x", "not a note name"},
		{"bad yaml", "2026-11-25.md", "---\nkind: [\n---\n", "bad frontmatter"},
		{"bad kind", "2026-11-25.md", "---\nkind: weekly\n---\n", "unknown kind"},
		{"bad status", "2026-11-25.md", "---\nstatus: maybe\n---\n", "unknown status"},
		{"bad rating", "2026-11-25.md", "---\nthemes:\n  X: great\n---\n", "rating"},
		{"empty", "2026-11-25.md", "", "empty"},
		{"binary", "2026-11-25.md", "\x00\x01\x02", "binary"},
		{"invalid utf8", "2026-11-25.md", "caf\xe9", "UTF-8"},
		{"unterminated", "2026-11-25.md", "---\ndate: 2026-11-25\n", "no closing"},
		{"not a mapping", "2026-11-25.md", "---\n- a\n---\n", "key: value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNote("alice", tt.file, []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestSectionEmpty(t *testing.T) {
	tests := []struct {
		name, body string
		empty      bool
	}{
		{"only comments", "## Feedback\n<!-- Positive: -->\n<!-- To improve:\n  multi line -->\n\n## Next\ntext", true},
		{"empty items", "## Feedback\n- \n- [ ] \n*\n", true},
		{"whitespace", "## Feedback\n\n   \n", true},
		{"text", "## Feedback\nGreat job.\n", false},
		{"item", "## Feedback\n- Positive: shipped it\n", false},
		{"comment plus text", "## Feedback\n<!-- p -->\nReal feedback\n", false},
		{"subheading is content", "## Feedback\n### Positive\n", false},
		{"case-insensitive", "## FEEDBACK\nok\n", false},
		{"setext", "Feedback\n--------\n\n<!-- x -->\n\nOther\n=====\ntext", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNote("a", "2026-01-01.md", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if n.Feedback() == nil {
				t.Fatalf("no feedback section in %+v", n.Sections)
			}
			if n.FeedbackEmpty() != tt.empty {
				t.Errorf("empty = %v, want %v", n.FeedbackEmpty(), tt.empty)
			}
		})
	}
}

func TestProfileUnknownKeysAndDefaults(t *testing.T) {
	src := "---\nname: Alice Chen\nfavourite_tea: oolong\nthemes:\n  - title: Mentor\n    started: 2026-10-01\n---\nbody\n"
	p, err := ParseProfile("alice", []byte(src), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if p.CadenceDays != 7 || len(p.Themes) != 1 || p.Themes[0].Status != ThemeActive || FormatDate(p.Themes[0].Due) != "2026-11-26" {
		t.Errorf("profile = %+v", p)
	}
	for _, bad := range []string{"---\nrole: x\n---\n", "no front", "---\nname: A\ncadence: 0d\n---\n", "---\nname: A\nthemes:\n  - title: X\n  - title: x\n---\n"} {
		if _, err := ParseProfile("alice", []byte(bad), DefaultConfig()); err == nil {
			t.Errorf("ParseProfile(%q) = nil error", bad)
		}
	}
}

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig([]byte("manager: Dana\ncadence: biweekly\ngrace: 1d\naway:\n  - from: 2026-12-20\n    to: 2027-01-06\nextra: kept\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.CadenceDays != 14 || c.GraceDays != 1 || c.GoalsEveryDays != 56 || len(c.Away) != 1 {
		t.Errorf("config = %+v", c)
	}
	for _, bad := range []string{"cadence: 0d", "cadence: -1w", "grace: soon", "away:\n  - from: 2026-12-20\n    to: 2026-12-01", "sync: sometimes"} {
		if _, err := ParseConfig([]byte(bad)); err == nil {
			t.Errorf("ParseConfig(%q) = nil error", bad)
		}
	}
}

func TestActionsFollowCarryOver(t *testing.T) {
	mk := func(date, body string) *Note {
		n, err := ParseNote("alice", date+".md", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	p := &Person{Slug: "alice", Profile: &Profile{Name: "Alice"}, Notes: []*Note{
		mk("2026-10-01", "- [ ] Write the RFC\n- [ ] Book the offsite\n"),
		mk("2026-10-08", "- [ ] write  the RFC (from 2026-10-01)\n- [x] Book the offsite (from 2026-10-01)\n- [ ] New thing\n"),
	}}
	open := p.OpenActions()
	if len(open) != 2 || open[0].Key != "write the rfc" || FormatDate(open[0].First) != "2026-10-01" || open[0].FirstPath != "alice/2026-10-01.md" {
		t.Fatalf("open = %+v", open)
	}
	today := time.Date(2026, 10, 29, 0, 0, 0, 0, time.UTC)
	if open[0].Age(today) != 28 {
		t.Errorf("age = %d", open[0].Age(today))
	}
}

func TestCarryOverMarkerMustNameANote(t *testing.T) {
	n, err := ParseNote("alice", "2026-11-20.md", []byte("- [ ] real (from 2026-01-01)\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := &Person{Slug: "alice", Profile: &Profile{Name: "Alice"}, Notes: []*Note{n}}
	open := p.OpenActions()
	if len(open) != 1 || FormatDate(open[0].First) != "2026-11-20" || open[0].FirstPath != "alice/2026-11-20.md" {
		t.Fatalf("a marker naming no note must not date the item: %+v", open)
	}
}

func TestAnyTopicsSectionCounts(t *testing.T) {
	n, err := ParseNote("a", "2026-01-01.md", []byte("## Manager topics\n\n## Alice's topics\n- hers\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n.TopicsEmpty("") {
		t.Error("a non-empty topics section after an empty one: topics are not empty")
	}
	n, _ = ParseNote("a", "2026-01-01.md", []byte("## Manager topics\n\n## Alice's topics\n<!-- x -->\n"))
	if !n.TopicsEmpty("") {
		t.Error("all topics sections empty: topics are empty")
	}
}

func TestIsConflictCopy(t *testing.T) {
	for name, want := range map[string]bool{
		"2026-11-25.conflict-1a2b3c4.md": true, "profile.conflict-1a2b3c4.md": true,
		"2026-11-25.md": false, "profile.md": false, "notes.md": false, "2026-11-25.conflict-.md": false,
	} {
		if got := IsConflictCopy(name); got != want {
			t.Errorf("IsConflictCopy(%q) = %v, want %v", name, got, want)
		}
	}
}

// With several topics sections, the one named after the report is the report's.
func TestTopicsSectionOfTheReport(t *testing.T) {
	tests := []struct {
		name, body, first string
		empty             bool
	}{
		{"the manager's filled, the report's empty", "## Bob's topics\n\n## Dana's topics\n- mine\n", "Bob", true},
		{"the report's filled", "## Bob's topics\n- his\n## Dana's topics\n", "Bob", false},
		{"no heading names the report: any counts", "## Topics\n- x\n## Other topics\n", "Bob", false},
		{"one generic heading, empty", "## Topics\n<!-- prompt -->\n- \n", "Bob", true},
		{"name in another case", "## BOB'S TOPICS\n- x\n## Dana's topics\n", "Bob", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNote("bob", "2026-01-01.md", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := n.TopicsEmpty(tt.first); got != tt.empty {
				t.Errorf("TopicsEmpty(%q) = %v, want %v", tt.first, got, tt.empty)
			}
		})
	}
}

// An item of a planned note (dated after today) is 0 days old, never negative.
func TestActionAgeNeverNegative(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	if got := (Action{First: ParseDateOr("2026-11-26")}).Age(today); got != 0 {
		t.Errorf("age = %d, want 0", got)
	}
	if got := (Action{First: ParseDateOr("2026-11-20")}).Age(today); got != 5 {
		t.Errorf("age = %d, want 5", got)
	}
}

func TestParseDateNoSuchDay(t *testing.T) {
	for in, want := range map[string]string{
		"2026-02-30": `no such day "2026-02-30": February 2026 has 28 days`,
		"2028-02-30": `no such day "2028-02-30": February 2028 has 29 days`,
		"2026-11-31": `no such day "2026-11-31": November 2026 has 30 days`,
		"2026-13-01": `no such day "2026-13-01": there is no month 13`,
		"2026-00-10": `no such day "2026-00-10": there is no month 0`,
		"2026-01-00": `no such day "2026-01-00": days start at 01`,
		"2026-1-01":  `bad date "2026-1-01": write it as YYYY-MM-DD`,
		"tomorrow":   `bad date "tomorrow"`,
		"2026-11-2x": `bad date "2026-11-2x"`,
		"+026-11-25": `bad date "+026-11-25"`,
	} {
		if _, err := ParseDate(in); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseDate(%q) = %v, want %q", in, err, want)
		}
	}
	if d, err := ParseDate("2028-02-29"); err != nil || FormatDate(d) != "2028-02-29" {
		t.Errorf("a leap day: %v %v", d, err)
	}
}
