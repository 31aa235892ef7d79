package notes

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

const auditProfile = "---\nname: Alice Chen\nthemes:\n  - title: Grow\n    started: 2026-11-01\n    due: 2026-12-20\n---\n"

// auditNote is a prepared, held 1:1 that rates the theme Grow.
func auditNote(kind string) string {
	return "---\nkind: " + kind + "\nthemes:\n  Grow: on-track\n---\n## Feedback\n- Positive: clear write-up.\n- To improve: bring the data to the review.\n\n## Alice's topics\n- Q1 roadmap\n"
}

func auditTestPerson(t *testing.T, profile string, files map[string]string) *Person {
	t.Helper()
	prof, err := ParseProfile("alice", []byte(profile), DefaultConfig())
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	p := &Person{Slug: "alice", Profile: prof}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if IsConflictCopy(name) {
			p.Conflicts = append(p.Conflicts, "alice/"+name)
			continue
		}
		n, err := ParseNote("alice", name, []byte(files[name]))
		if err != nil {
			p.Problems = append(p.Problems, Problem{Slug: "alice", Path: "alice/" + name, Message: err.Error()})
			continue
		}
		p.Notes = append(p.Notes, n)
	}
	return p
}

func TestAudit(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	tests := []struct {
		name    string
		profile string
		files   map[string]string
		want    []string // "code file" of every finding
		msg     string   // a substring of the first finding's message
	}{
		{
			name:    "all good",
			profile: auditProfile,
			files:   map[string]string{"2026-10-07.md": auditNote("goals"), "2026-11-20.md": auditNote("regular")},
		},
		{
			name:    "exactly cadence plus grace is not overdue",
			profile: auditProfile,
			files:   map[string]string{"2026-11-16.md": auditNote("goals")},
		},
		{
			name:    "one day more is overdue",
			profile: auditProfile,
			files:   map[string]string{"2026-11-15.md": auditNote("goals")},
			want:    []string{"overdue alice/2026-11-15.md"},
			msg:     "last 1:1 was 10 days ago (cadence 7d)",
		},
		{
			name:    "a cancelled 1:1 does not count",
			profile: auditProfile,
			files:   map[string]string{"2026-11-11.md": auditNote("goals"), "2026-11-18.md": "---\nstatus: cancelled\n---\n"},
			want:    []string{"overdue alice/2026-11-11.md"},
			msg:     "14 days ago",
		},
		{
			name:    "away today, on cadence before the absence: no overdue",
			profile: strings.Replace(auditProfile, "---\nname", "---\naway:\n  - from: 2026-11-20\n    to: 2026-11-30\nname", 1),
			files:   map[string]string{"2026-11-13.md": auditNote("goals")},
		},
		{
			name:    "away today, overdue before the absence: overdue",
			profile: strings.Replace(auditProfile, "---\nname", "---\naway:\n  - from: 2026-11-20\n    to: 2026-11-30\nname", 1),
			files:   map[string]string{"2026-11-01.md": auditNote("goals")},
			want:    []string{"overdue alice/2026-11-01.md"},
			msg:     "last 1:1 was 24 days ago, 18 of them not away (cadence 7d)",
		},
		{
			name:    "never met, a planned note with feedback",
			profile: auditProfile,
			files:   map[string]string{"2026-11-27.md": auditNote("regular")},
			want:    []string{"never-met alice/profile.md"},
			msg:     "no 1:1 held yet (next planned for 2026-11-27)",
		},
		{
			name:    "goals due counted from the first 1:1",
			profile: auditProfile,
			files:   map[string]string{"2026-09-01.md": auditNote("regular"), "2026-11-24.md": auditNote("regular")},
			want:    []string{"goals-due alice/profile.md"},
			msg:     "first 1:1 was 85 days ago (goals every 56d)",
		},
		{
			name:    "goals due after the last goals 1:1",
			profile: auditProfile,
			files:   map[string]string{"2026-09-01.md": auditNote("goals"), "2026-11-24.md": auditNote("regular")},
			want:    []string{"goals-due alice/2026-09-01.md"},
		},
		{
			name:    "no theme",
			profile: "---\nname: Alice\nthemes:\n  - title: Grow\n    status: done\n---\n",
			files:   map[string]string{"2026-11-24.md": auditNote("goals")},
			want:    []string{"no-theme alice/profile.md"},
		},
		{
			name:    "theme overdue and renamed by hand in the note",
			profile: "---\nname: Alice\nthemes:\n  - title: Growth\n    started: 2026-09-01\n---\n",
			files:   map[string]string{"2026-11-24.md": auditNote("goals")},
			want:    []string{"theme-overdue alice/profile.md", "theme-not-revisited alice/2026-11-24.md"},
			msg:     `theme "Growth" was due 2026-10-27, 29 days ago`,
		},
		{
			name:    "theme rated with another letter case",
			profile: auditProfile,
			files:   map[string]string{"2026-11-24.md": strings.Replace(auditNote("goals"), "Grow:", "grow:", 1)},
			want:    []string{"theme-not-revisited alice/2026-11-24.md"},
			msg:     `it rates "grow": use the exact title`,
		},
		{
			name:    "unprepared today and within prepare_ahead, not later, not when cancelled",
			profile: auditProfile,
			files: map[string]string{
				"2026-11-24.md": auditNote("goals"),
				"2026-11-25.md": "---\nthemes:\n  Grow: on-track\n---\n## Feedback\n- \n<!-- later -->\n## Alice's topics\n- x\n",
				"2026-11-26.md": "---\nstatus: cancelled\n---\n",
				"2026-11-27.md": "## Feedback\n",
				"2026-11-28.md": "## Feedback\n",
				"2026-12-02.md": "## Feedback\n",
			},
			want: []string{"unprepared alice/2026-11-25.md", "unprepared alice/2026-11-27.md", "no-feedback alice/2026-11-25.md"},
			msg:  "today's 1:1 has no feedback prepared yet",
		},
		{
			name:    "no feedback, missing section counts as empty",
			profile: auditProfile,
			files:   map[string]string{"2026-11-24.md": "---\nkind: goals\nthemes:\n  Grow: at-risk\n---\n## Alice's topics\n- x\n"},
			want:    []string{"no-feedback alice/2026-11-24.md"},
		},
		{
			name:    "one-sided after three held 1:1s",
			profile: auditProfile,
			files: map[string]string{
				"2026-11-10.md": strings.Replace(auditNote("goals"), "- Q1 roadmap", "", 1),
				"2026-11-17.md": strings.Replace(auditNote("regular"), "- Q1 roadmap", "- <!-- none -->", 1),
				"2026-11-24.md": strings.Replace(auditNote("regular"), "## Alice's topics\n- Q1 roadmap\n", "", 1),
			},
			want: []string{"one-sided alice/2026-11-24.md"},
			msg:  "last 3 1:1s (since 2026-11-10) had no topics from Alice",
		},
		{
			name:    "two held 1:1s are not one-sided yet",
			profile: auditProfile,
			files: map[string]string{
				"2026-11-17.md": strings.Replace(auditNote("goals"), "- Q1 roadmap", "", 1),
				"2026-11-24.md": strings.Replace(auditNote("regular"), "- Q1 roadmap", "", 1),
			},
		},
		{
			name:    "stale action counted from its first note",
			profile: auditProfile,
			files: map[string]string{
				"2026-10-20.md": auditNote("goals") + "\n## Action items\n- [ ] Alice: summary for support\n- [ ] Dana: roadmap\n",
				"2026-11-03.md": auditNote("regular") + "\n## Action items\n- [ ] Alice: summary for support (from 2026-10-20)\n- [x] Dana: roadmap\n",
				"2026-11-04.md": auditNote("regular") + "\n## Action items\n- [ ] Dana: fresh item\n",
				"2026-11-24.md": auditNote("regular") + "\n## Action items\n- [ ] alice:  SUMMARY for support (from 2026-10-20)\n",
			},
			want: []string{"stale-action alice/2026-10-20.md"},
			msg:  `"alice:  SUMMARY for support" open for 36 days (since 2026-10-20)`,
		},
		{
			name:    "21 days is not stale",
			profile: auditProfile,
			files:   map[string]string{"2026-11-04.md": auditNote("goals") + "- [ ] x\n", "2026-11-24.md": auditNote("regular")},
		},
		{
			name:    "invalid note and conflict copy, the rest still audited",
			profile: auditProfile,
			files: map[string]string{
				"2026-11-24.md":                auditNote("goals"),
				"2026-11-20.md":                "---\nkind: [\n---\n",
				"2026-11-24.conflict-ab12c.md": "x",
				"2026-11-10.md":                "---\nstatus: held\n---\n",
			},
			want: []string{"empty-note alice/2026-11-10.md", "invalid-note alice/2026-11-20.md", "sync-conflict alice/2026-11-24.conflict-ab12c.md"},
		},
		{
			name:    "a theme started after the last held 1:1 has nothing to revisit yet",
			profile: twoThemes("2026-11-24"),
			files:   map[string]string{"2026-10-07.md": auditNote("goals"), "2026-11-20.md": auditNote("regular")},
		},
		{
			name:    "a theme started on the day of the last held 1:1 is to be revisited",
			profile: twoThemes("2026-11-20"),
			files:   map[string]string{"2026-10-07.md": auditNote("goals"), "2026-11-20.md": auditNote("regular")},
			want:    []string{"theme-not-revisited alice/2026-11-20.md"},
			msg:     `theme "Mentor" not rated in the last 1:1 (2026-11-20)`,
		},
		{
			name:    "the same theme started the day after is not",
			profile: twoThemes("2026-11-21"),
			files:   map[string]string{"2026-10-07.md": auditNote("goals"), "2026-11-20.md": auditNote("regular")},
		},
		{
			name:    "a planned goals 1:1 silences goals-due",
			profile: auditProfile,
			files:   map[string]string{"2026-09-01.md": auditNote("goals"), "2026-11-24.md": auditNote("regular"), "2026-12-08.md": auditNote("goals")},
		},
		{
			name:    "a cancelled planned goals 1:1 does not",
			profile: auditProfile,
			files: map[string]string{"2026-09-01.md": auditNote("goals"), "2026-11-24.md": auditNote("regular"),
				"2026-12-08.md": strings.Replace(auditNote("goals"), "kind: goals", "kind: goals\nstatus: cancelled", 1)},
			want: []string{"goals-due alice/2026-09-01.md"},
		},
		{
			name:    "nor does a planned regular one",
			profile: auditProfile,
			files:   map[string]string{"2026-09-01.md": auditNote("goals"), "2026-11-24.md": auditNote("regular"), "2026-12-08.md": auditNote("regular")},
			want:    []string{"goals-due alice/2026-09-01.md"},
		},
		{
			name:    "empty note: held, nothing written",
			profile: auditProfile,
			files: map[string]string{
				"2026-10-07.md": auditNote("goals"),
				"2026-11-17.md": "---\nkind: regular\n# themes:\n#   Grow: on-track\n---\n# 1:1 with Alice\n\n## Feedback\n<!-- Positive: ... -->\n\n## Alice's topics\n\n## Action items\n- [ ] \n",
				"2026-11-24.md": auditNote("regular"),
			},
			want: []string{"empty-note alice/2026-11-17.md"},
			msg:  "nothing is written in the 1:1 of 2026-11-17: was it held? write down what was said, or mark it `oneone skip alice 2026-11-17` (or `cancel`)",
		},
		{
			name:    "not when skipped, cancelled, rated or dated today",
			profile: auditProfile,
			files: map[string]string{
				"2026-10-07.md": auditNote("goals"),
				"2026-11-10.md": "---\nstatus: skipped\n---\n## Feedback\n",
				"2026-11-17.md": "---\nstatus: cancelled\n---\n",
				"2026-11-20.md": "---\nthemes:\n  Grow: on-track\n---\n## Feedback\n- Positive: a\n- To improve: b\n## Alice's topics\n- c\n",
				"2026-11-24.md": "---\nthemes:\n  Grow: at-risk\n---\n## Feedback\n- Positive: a\n- To improve: b\n## Alice's topics\n- c\n",
				"2026-11-25.md": "---\nthemes:\n  Grow: on-track\n---\n## Feedback\n- Positive: today\n- To improve: b\n## Alice's topics\n- c\n",
			},
		},
		{
			name:    "feedback-unbalanced: four 1:1s of praise only",
			profile: auditProfile,
			files: map[string]string{
				"2026-10-07.md": auditNote("goals"), // both kinds, but five back
				"2026-10-28.md": praiseOnly("goals"),
				"2026-11-04.md": praiseOnly("regular"),
				"2026-11-11.md": strings.Replace(auditNote("regular"), "## Feedback\n- Positive: clear write-up.\n- To improve: bring the data to the review.\n", "## Feedback\n- thanks for the demo\n", 1), // neither kind: not counted
				"2026-11-12.md": praiseOnly("regular"),
				"2026-11-18.md": praiseOnly("regular"),
			},
			want: []string{"feedback-unbalanced alice/2026-11-18.md"},
			msg:  "last 4 1:1s with feedback (since 2026-10-28) had only praise: prepare something to improve too",
		},
		{
			name:    "three are not enough",
			profile: auditProfile,
			files:   map[string]string{"2026-10-28.md": praiseOnly("goals"), "2026-11-11.md": praiseOnly("regular"), "2026-11-18.md": praiseOnly("regular")},
		},
		{
			name:    "one point to improve among them balances it",
			profile: auditProfile,
			files:   map[string]string{"2026-10-28.md": praiseOnly("goals"), "2026-11-04.md": auditNote("regular"), "2026-11-11.md": praiseOnly("regular"), "2026-11-18.md": praiseOnly("regular")},
		},
		{
			name:    "four 1:1s of criticism only",
			profile: auditProfile,
			files: map[string]string{
				"2026-10-28.md": criticismOnly("goals"), "2026-11-04.md": criticismOnly("regular"),
				"2026-11-11.md": criticismOnly("regular"), "2026-11-18.md": criticismOnly("regular"),
				"2026-11-30.md": praiseOnly("regular"), // planned: not held yet
			},
			want: []string{"feedback-unbalanced alice/2026-11-18.md"},
			msg:  "had only points to improve: say what went well too",
		},
		{
			name:    "mood-drop: the two newest check-ins 2 below the average",
			profile: auditProfile,
			files: map[string]string{
				"2026-08-01.md": moodNote("regular", 1), // more than 90 days before: left out of the average
				"2026-09-16.md": moodNote("goals", 4), "2026-09-30.md": moodNote("regular", 5),
				"2026-10-14.md": auditNote("regular"), // no check-in
				"2026-10-28.md": moodNote("goals", 4),
				"2026-11-11.md": moodNote("regular", 2), "2026-11-18.md": moodNote("regular", 2),
			},
			want: []string{"mood-drop alice/2026-11-18.md"},
			msg:  "Alice's check-in was 2 on 2026-11-11 and 2 on 2026-11-18, against 4.3 on average in the 90 days before: ask how Alice is doing",
		},
		{
			name:    "one low check-in is not a drop",
			profile: auditProfile,
			files: map[string]string{
				"2026-09-30.md": moodNote("regular", 4), "2026-10-28.md": moodNote("goals", 4),
				"2026-11-11.md": moodNote("regular", 3), "2026-11-18.md": moodNote("regular", 2),
			},
		},
		{
			name:    "nor two without anything before them",
			profile: auditProfile,
			files:   map[string]string{"2026-10-28.md": moodNote("goals", 1), "2026-11-18.md": moodNote("regular", 1)},
		},
		{
			name:    "invalid mood is an invalid note",
			profile: auditProfile,
			files:   map[string]string{"2026-10-28.md": auditNote("goals"), "2026-11-18.md": moodNote("regular", 7), "2026-11-20.md": auditNote("regular")},
			want:    []string{"invalid-note alice/2026-11-18.md"},
			msg:     `mood "7"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := auditTestPerson(t, tc.profile, tc.files)
			rep := Audit(&Team{People: []*Person{p}}, DefaultConfig(), today, AuditOptions{})
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Code+" "+f.File)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("findings:\n got %q\nwant %q\n%+v", got, tc.want, rep.Findings)
			}
			if tc.msg != "" && len(rep.Findings) > 0 && !strings.Contains(rep.Findings[0].Message, tc.msg) {
				t.Errorf("message %q does not contain %q", rep.Findings[0].Message, tc.msg)
			}
			if len(rep.People) != 1 {
				t.Fatalf("people: %d", len(rep.People))
			}
		})
	}
}

func TestAuditTeam(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	alice := auditTestPerson(t, auditProfile, map[string]string{"2026-11-24.md": auditNote("goals")})
	bob := auditTestPerson(t, auditProfile, map[string]string{"2026-09-25.md": auditNote("goals")})
	bob.Slug = "bob"
	gone := auditTestPerson(t, strings.Replace(auditProfile, "name:", "archived: 2026-11-01\nname:", 1), nil)
	gone.Slug = "gone"
	team := &Team{People: []*Person{bob, gone, alice}, Problems: []Problem{{Slug: "carl", Path: "carl/profile.md", Message: "name is missing"}}}

	rep := Audit(team, DefaultConfig(), today, AuditOptions{})
	if rep.Current != 2 || rep.OnCadence != 1 || len(rep.People) != 2 || rep.People[0].Slug != "alice" {
		t.Errorf("summary %d of %d, people %+v", rep.OnCadence, rep.Current, rep.People)
	}
	var order []string
	for _, f := range rep.Findings {
		order = append(order, f.Slug+" "+f.Code)
	}
	want := []string{"bob overdue", "bob goals-due", "carl invalid-note"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}

	all := Audit(team, DefaultConfig(), today, AuditOptions{All: true})
	// gone, who left without a 1:1, is shown but gets no never-met: nothing applies to someone who left
	if len(all.People) != 3 || all.Current != 2 || len(all.Findings) != len(rep.Findings) {
		t.Errorf("--all: %d people, %d current, %d findings", len(all.People), all.Current, len(all.Findings))
	}

	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var shape map[string]json.RawMessage
	_ = json.Unmarshal(b, &shape)
	var keys []string
	for k := range shape {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if fmt.Sprint(keys) != "[as_of findings people]" {
		t.Errorf("JSON keys %v", keys)
	}
}

func TestThemes(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	p := auditTestPerson(t, "---\nname: A\nthemes:\n  - title: Grow\n    started: 2026-11-01\n    due: 2026-12-20\n  - title: Old\n    status: done\n---\n", map[string]string{
		"2026-11-10.md": "---\nthemes:\n  Grow: off-track\n---\n",
		"2026-11-17.md": "---\nthemes:\n  Grow: at-risk\n---\n",
		"2026-11-20.md": "---\nstatus: skipped\nthemes:\n  Grow: on-track\n---\n",
		"2026-11-27.md": "---\nthemes:\n  Grow: on-track\n---\n",
	})
	rows := Themes([]*Person{p}, today)
	if len(rows) != 2 {
		t.Fatalf("rows %+v", rows)
	}
	g := rows[0]
	if g.Revisited != 2 || *g.LastRating != "at-risk" || *g.LastRated != "2026-11-17" || *g.DaysLeft != 25 || *g.Started != "2026-11-01" {
		t.Errorf("Grow: %+v", g)
	}
	if o := rows[1]; o.Status != "done" || o.Started != nil || o.DaysLeft != nil || o.LastRating != nil {
		t.Errorf("Old: %+v", o)
	}
}

// TestAuditExampleTeam audits examples/team; the expected findings are read from its notes:
// marcus last met 2026-11-05 (weekly), sofia 2026-10-28 (biweekly); jonas's last goals 1:1 was
// 2026-07-14 and his on-call theme was due 2026-11-10 with Dana's calibration item open since
// 2026-10-06; tomas's 1:1 today is not prepared or rated yet; leo's last three 1:1s had no topics.
func TestAuditExampleTeam(t *testing.T) {
	r, err := Open("../examples/team")
	if err != nil {
		t.Skip("no examples/team:", err)
	}
	team, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	rep := Audit(team, r.Config, ParseDateOr("2026-11-25"), AuditOptions{})
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Slug+" "+f.Code+" "+f.File)
	}
	want := []string{
		"jonas goals-due jonas/2026-07-14.md",
		"jonas theme-overdue jonas/profile.md",
		"jonas stale-action jonas/2026-10-06.md",
		"leo no-feedback leo/2026-11-23.md",
		"leo one-sided leo/2026-11-23.md",
		"marcus overdue marcus/2026-11-05.md",
		"sofia overdue sofia/2026-10-28.md",
		"tomas theme-not-revisited tomas/2026-11-25.md",
		"tomas unprepared tomas/2026-11-25.md",
		"tomas no-feedback tomas/2026-11-25.md",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
	if rep.OnCadence != 5 || rep.Current != 7 {
		t.Errorf("%d of %d on cadence, want 5 of 7", rep.OnCadence, rep.Current)
	}
}

// twoThemes is auditProfile with a second active theme, Mentor, started on day.
func twoThemes(day string) string {
	return strings.TrimSuffix(auditProfile, "---\n") + "  - title: Mentor\n    started: " + day + "\n---\n"
}

func praiseOnly(kind string) string {
	return strings.Replace(auditNote(kind), "- To improve: bring the data to the review.\n", "", 1)
}

func criticismOnly(kind string) string {
	return strings.Replace(auditNote(kind), "- Positive: clear write-up.\n", "", 1)
}

func moodNote(kind string, mood int) string {
	return strings.Replace(auditNote(kind), "kind: "+kind, fmt.Sprintf("kind: %s\nmood: %d", kind, mood), 1)
}
