package notes

import (
	"sort"
	"strings"
	"testing"
)

// testPerson builds a report from its profile frontmatter lines and notes by date.
func testPerson(t testing.TB, slug, front string, notes map[string]string) *Person {
	t.Helper()
	cfg := DefaultConfig()
	prof, err := ParseProfile(slug, []byte("---\n"+front+"\n---\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &Person{Slug: slug, Profile: prof}
	var dates []string
	for d := range notes {
		dates = append(dates, d)
	}
	sort.Strings(dates)
	for _, d := range dates {
		n, err := ParseNote(slug, d+".md", []byte(notes[d]))
		if err != nil {
			t.Fatal(err)
		}
		p.Notes = append(p.Notes, n)
	}
	return p
}

const heldNote = "# 1:1\n\n## Feedback\n- good\n"

func TestNextUp(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	cfg := DefaultConfig()
	people := []*Person{
		testPerson(t, "alice", "name: Alice Chen", map[string]string{"2026-11-20": heldNote}),                                         // due 11-27
		testPerson(t, "bob", "name: Bob Stone", map[string]string{"2026-11-02": heldNote}),                                            // due 11-09, overdue 16
		testPerson(t, "carol", "name: Carol", nil),                                                                                    // never met
		testPerson(t, "dan", "name: Dan", map[string]string{"2026-11-24": heldNote}),                                                  // due 12-01: outside 3 days
		testPerson(t, "erin", "name: Erin\narchived: 2026-11-01", map[string]string{"2026-10-01": heldNote}),                          // archived
		testPerson(t, "fay", "name: Fay\naway:\n  - from: 2026-11-20\n    to: 2026-12-10", map[string]string{"2026-11-16": heldNote}), // away, not overdue before
		testPerson(t, "gus", "name: Gus", map[string]string{"2026-11-21": heldNote}),                                                  // due 11-28 (same window)
		testPerson(t, "hal", "name: Hal", map[string]string{"2026-11-18": heldNote, "2026-11-25": heldNote}),                          // 1:1 today: first
	}
	tests := []struct {
		days int
		all  bool
		want []string
	}{
		{3, false, []string{"hal", "bob", "carol", "alice", "gus", "fay"}},
		{0, false, []string{"hal", "bob", "carol", "fay"}},
		{7, false, []string{"hal", "bob", "carol", "alice", "gus", "dan", "fay"}},
		{0, true, []string{"hal", "erin", "bob", "carol", "fay"}},
	}
	for _, tt := range tests {
		got := NextUp(people, cfg, today, tt.days, tt.all)
		var slugs []string
		for _, p := range got {
			slugs = append(slugs, p.Slug)
		}
		if strings.Join(slugs, ",") != strings.Join(tt.want, ",") {
			t.Errorf("NextUp(days=%d, all=%v) = %v, want %v", tt.days, tt.all, slugs, tt.want)
		}
	}
}

func TestPrepFor(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	cfg := DefaultConfig()
	themes := "name: Alice Chen\nthemes:\n  - title: Communication\n    started: 2026-10-06\n  - title: Old\n    started: 2026-01-01\n    status: done"
	rated := "---\nthemes:\n  Communication: at-risk\n---\n## Feedback\n- ok\n## Action items\n- [ ] Alice: write the summary\n- [x] Dana: share roadmap\n"
	emptyPrep := "---\ndate: 2026-11-27\n---\n## Feedback\n<!-- prompt -->\n- \n"
	readyPrep := "## Feedback\n- Positive: the demo.\n"
	tests := []struct {
		name  string
		p     *Person
		check func(t *testing.T, pr Prep)
	}{
		{"never met", testPerson(t, "alice", "name: Alice Chen", nil), func(t *testing.T, pr Prep) {
			if !pr.NeverMet || pr.NextDue != nil || !pr.Due.Equal(today) || pr.GoalsDue || pr.PrepNote != nil {
				t.Errorf("got %+v", pr)
			}
		}},
		{"prep note with empty feedback", testPerson(t, "alice", themes, map[string]string{"2026-11-20": rated, "2026-11-27": emptyPrep}), func(t *testing.T, pr Prep) {
			if pr.PrepNote == nil || *pr.PrepNote != "alice/2026-11-27.md" || pr.FeedbackOK {
				t.Errorf("prep note: got %v feedback %v", pr.PrepNote, pr.FeedbackOK)
			}
			if len(pr.Themes) != 1 || pr.Themes[0].Title != "Communication" || *pr.Themes[0].Due != "2026-12-01" || *pr.Themes[0].LastRating != "at-risk" {
				t.Errorf("themes: %+v", pr.Themes)
			}
			if len(pr.Actions) != 1 || pr.Actions[0].Text != "Alice: write the summary" || pr.Actions[0].AgeDays != 5 || pr.Actions[0].File != "alice/2026-11-20.md" {
				t.Errorf("actions: %+v", pr.Actions)
			}
			if *pr.NextDue != "2026-11-27" || pr.Overdue || pr.DaysOverdue != 0 {
				t.Errorf("due: %v overdue %v %d", *pr.NextDue, pr.Overdue, pr.DaysOverdue)
			}
		}},
		{"prep note with feedback, dated today after an older 1:1", testPerson(t, "alice", "name: A", map[string]string{"2026-11-10": heldNote, "2026-11-26": readyPrep}), func(t *testing.T, pr Prep) {
			if pr.PrepNote == nil || !pr.FeedbackOK || !pr.Overdue || pr.DaysOverdue != 8 {
				t.Errorf("got %+v", pr)
			}
		}},
		{"note dated today is held, and today's 1:1 to prepare", testPerson(t, "alice", "name: A", map[string]string{"2026-11-25": heldNote}), func(t *testing.T, pr Prep) {
			if pr.TodayNote == nil || *pr.TodayNote != "alice/2026-11-25.md" || pr.PrepNote == nil || *pr.PrepNote != "alice/2026-11-25.md" || *pr.NextDue != "2026-12-02" {
				t.Errorf("got %+v", pr)
			}
		}},
		{"a cancelled 1:1 today is none", testPerson(t, "alice", "name: A", map[string]string{"2026-11-20": heldNote, "2026-11-25": "---\nstatus: cancelled\n---\n"}), func(t *testing.T, pr Prep) {
			if pr.TodayNote != nil || pr.PrepNote != nil {
				t.Errorf("got %+v", pr)
			}
		}},
		{"cancelled future note is no prep note", testPerson(t, "alice", "name: A", map[string]string{"2026-11-20": heldNote, "2026-11-27": "---\nstatus: cancelled\n---\n"}), func(t *testing.T, pr Prep) {
			if pr.PrepNote != nil {
				t.Errorf("got %v", *pr.PrepNote)
			}
		}},
		{"goals due by the 1:1's day", testPerson(t, "alice", "name: A", map[string]string{"2026-09-28": heldNote, "2026-11-20": heldNote}), func(t *testing.T, pr Prep) {
			// first held 09-28; 56 days later is 11-23; the 1:1 on 11-27 is past it
			if !pr.GoalsDue || pr.LastGoals != nil {
				t.Errorf("got goals due %v", pr.GoalsDue)
			}
		}},
		{"goals held recently", testPerson(t, "alice", "name: A", map[string]string{"2026-09-28": heldNote, "2026-11-20": "---\nkind: goals\n---\n"}), func(t *testing.T, pr Prep) {
			if pr.GoalsDue || pr.LastGoals == nil || *pr.LastGoals != "2026-11-20" {
				t.Errorf("got goals due %v last %v", pr.GoalsDue, pr.LastGoals)
			}
		}},
		{"away today is not due", testPerson(t, "alice", "name: A\naway:\n  - from: 2026-11-24\n    to: 2026-11-30", map[string]string{"2026-11-20": heldNote}), func(t *testing.T, pr Prep) {
			if pr.AwayUntil == nil || *pr.AwayUntil != "2026-11-30" || pr.Overdue || pr.DaysOverdue != 0 {
				t.Errorf("got %+v", pr)
			}
		}},
		{"an absence does not hide an older overdue", testPerson(t, "alice", "name: A\naway:\n  - from: 2026-11-24\n    to: 2026-11-30", map[string]string{"2026-10-01": heldNote}), func(t *testing.T, pr Prep) {
			// 2026-10-02..2026-11-23 is 53 days nobody was away: 46 past the due day
			if pr.AwayUntil == nil || *pr.AwayUntil != "2026-11-30" || !pr.Overdue || pr.DaysOverdue != 46 {
				t.Errorf("got %+v", pr)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, PrepFor(tt.p, cfg, today)) })
	}
}
