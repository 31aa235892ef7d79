package notes

import (
	"strings"
	"testing"
)

// A report who has left gets only the findings that still ask something of
// the manager: stale action items; never a cadence, theme or preparation one.
func TestArchivedReportsGetNoCadenceFindings(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	profile := "---\nname: Ben Carter\narchived: 2026-10-01\nthemes:\n  - title: Grow\n    started: 2026-05-01\n    due: 2026-07-01\n---\n"
	stale := "## Feedback\n\n## Ben's topics\n\n## Action items\n- [ ] Dana: send Ben the reference letter\n"
	ben := auditTestPerson(t, profile, map[string]string{
		"2026-08-20.md": stale, "2026-09-03.md": stale, "2026-09-17.md": stale, // no feedback, no topics, theme not rated
		"2026-11-26.md": "## Feedback\n", // a stray note planned after he left: not unprepared
	})
	ben.Slug = "ben"
	team := &Team{People: []*Person{ben}}

	current := Audit(&Team{People: []*Person{auditTestPerson(t, strings.Replace(profile, "archived: 2026-10-01\n", "", 1), map[string]string{
		"2026-08-20.md": stale, "2026-09-03.md": stale, "2026-09-17.md": stale, "2026-11-26.md": "## Feedback\n"})}}, DefaultConfig(), today, AuditOptions{})
	codes := map[string]bool{}
	for _, f := range current.Findings {
		codes[f.Code] = true
	}
	for _, c := range []string{FindOverdue, FindGoalsDue, FindThemeOverdue, FindThemeNotRevisited, FindUnprepared, FindNoFeedback, FindOneSided, FindStaleAction} {
		if !codes[c] {
			t.Fatalf("the same report not archived should get %s (the test would prove nothing): %v", c, current.Findings)
		}
	}

	rep := Audit(team, DefaultConfig(), today, AuditOptions{All: true})
	if len(rep.Findings) != 1 || rep.Findings[0].Code != FindStaleAction || rep.Current != 0 || len(rep.People) != 1 {
		t.Errorf("archived: %d current, findings %+v; want only the stale action", rep.Current, rep.Findings)
	}
	never := auditTestPerson(t, profile, nil)
	if rep := Audit(&Team{People: []*Person{never}}, DefaultConfig(), today, AuditOptions{All: true}); len(rep.Findings) != 0 {
		t.Errorf("archived, never met: %+v", rep.Findings)
	}
}
