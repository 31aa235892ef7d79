package notes

import (
	"fmt"
	"strings"
	"testing"
)

// fresh returns a Person with the same notes as p and nothing memoized.
func fresh(p *Person) *Person {
	return &Person{Slug: p.Slug, Profile: p.Profile, Notes: append([]*Note(nil), p.Notes...)}
}

// TestActionsMemoNeverStale changes a Person every way a caller could after
// a first OpenActionsOn and checks each answer against a Person that never
// memoized anything (issue 19: the memo must never be used stale).
func TestActionsMemoNeverStale(t *testing.T) {
	p := testPerson(t, "alice", "name: Alice Chen", map[string]string{
		"2026-10-05": "## Action items\n- [ ] A: one\n- [ ] B: two\n",
		"2026-10-12": "## Action items\n- [ ] A: one (from 2026-10-05)\n- [x] B: two (from 2026-10-05)\n- [ ] C: three\n",
	})
	today := ParseDateOr("2026-11-25")
	check := func(step string) {
		t.Helper()
		got, want := actionSummary(p.ActionsOn(today)), actionSummary(fresh(p).ActionsOn(today))
		if got != want {
			t.Fatalf("%s: ActionsOn\n%s\nwant\n%s", step, got, want)
		}
		got, want = actionSummary(p.OpenActionsOn(today)), actionSummary(fresh(p).OpenActionsOn(today))
		if got != want {
			t.Fatalf("%s: OpenActionsOn\n%s\nwant\n%s", step, got, want)
		}
	}
	check("as read")
	if got := len(p.OpenActionsOn(today)); got != 2 {
		t.Fatalf("open items: %d, want 2 (A, C)", got)
	}

	n, err := ParseNote("alice", "2026-10-19.md", []byte("## Action items\n- [x] A: one (from 2026-10-05)\n- [ ] D: four\n"))
	if err != nil {
		t.Fatal(err)
	}
	p.Notes = append(p.Notes, n) // a note added: A done, C deleted
	check("note appended")
	p.Notes[2].Tasks[0].Checked = false // a task edited in place
	check("task unchecked in place")
	p.Notes[2].Tasks[1].Text, p.Notes[2].Tasks[1].Key = "D: four, reworded", "d: four, reworded"
	check("task text edited in place")
	p.Notes[2].Tasks = p.Notes[2].Tasks[:1] // a task removed
	check("task removed")
	p.Notes[2].Status = StatusCancelled // a cancelled 1:1 drops nothing
	check("note cancelled")
	p.Notes[1], p.Notes[2] = p.Notes[2], p.Notes[1] // re-sorted
	check("notes swapped")
	p.Notes = p.Notes[:1] // notes removed
	check("notes truncated")
	p.Notes = nil
	check("no notes")
	if got := p.OpenActionsOn(today); got != nil {
		t.Fatalf("no notes: %v, want nil", got)
	}
}

// TestOpenActionsAllocations: once followed, asking again for the open items
// of a report with thousands of them costs one allocation for the result
// (plus one path per carried item), not a map and an allocation per task.
func TestOpenActionsAllocations(t *testing.T) {
	var b strings.Builder
	b.WriteString("## Action items\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "- [ ] Dana: item %d\n", i)
	}
	p := testPerson(t, "alice", "name: Alice Chen", map[string]string{"2026-10-05": b.String()})
	today := ParseDateOr("2026-11-25")
	if got := len(p.OpenActionsOn(today)); got != 5000 {
		t.Fatalf("open items: %d, want 5000", got)
	}
	if allocs := testing.AllocsPerRun(5, func() { p.OpenActionsOn(today) }); allocs > 2 {
		t.Errorf("OpenActionsOn allocates %.0f times per call once memoized, want at most 2", allocs)
	}
	if allocs := testing.AllocsPerRun(5, func() { p.ActionsOn(today) }); allocs > 2 {
		t.Errorf("ActionsOn allocates %.0f times per call once memoized, want at most 2", allocs)
	}
}

// TestStaleActionMessages: the stale-action findings written into one buffer
// say exactly what fmt.Sprintf over OpenActionsOn said, for any item text.
func TestStaleActionMessages(t *testing.T) {
	items := []string{`Dana: say "hi"`, "Ada: café \u00e9t\u00e9 🎉", "tab\there", "ctl \x01 and \u2028 sep", `back\slash`, "Dana: `code` and <b>", "plain", "del \x7f char", "tilde ~ and space"}
	var older, newer strings.Builder
	older.WriteString("## Action items\n")
	newer.WriteString("## Action items\n")
	for i, it := range items {
		fmt.Fprintf(&older, "- [ ] %s %d\n", it, i)
		fmt.Fprintf(&newer, "- [ ] %s %d (from 2026-09-01)\n", it, i)
	}
	newer.WriteString("- [ ] fresh, not stale\n- [x] done already\n")
	p := testPerson(t, "alice", "name: Alice Chen", map[string]string{
		"2026-09-01": older.String(), "2026-10-01": "## Action items\n- [ ] October item\n", "2026-11-20": newer.String() + "- [ ] October item (from 2026-10-01)\n"})
	today := ParseDateOr("2026-11-25")
	var want []Finding
	for _, a := range p.OpenActionsOn(today) {
		if age := a.Age(today); age > StaleActionDays {
			want = append(want, Finding{Slug: p.Slug, Code: FindStaleAction, File: a.FirstPath,
				Message: fmt.Sprintf("%q open for %d days (since %s)", a.Text, age, FormatDate(a.First))})
		}
	}
	got, more := p.appendStaleActions(nil, today, 0)
	if len(got) != len(items)+1 || fmt.Sprint(got) != fmt.Sprint(want) || more != 0 {
		t.Errorf("stale-action findings:\n%v\nwant (%d):\n%v", got, len(items)+1, want)
	}
	// with a limit: the oldest 3 made, the rest counted
	got, more = p.appendStaleActions(nil, today, 3)
	if fmt.Sprint(got) != fmt.Sprint(want[:3]) || more != len(want)-3 {
		t.Errorf("limited to 3: %v and %d more, want %v and %d more", got, more, want[:3], len(want)-3)
	}
}

// TestAuditStaleShown: an audit that makes at most 3 stale-action findings
// per report makes the 3 the full audit sorts first, and counts the rest.
func TestAuditStaleShown(t *testing.T) {
	var first, carried strings.Builder
	first.WriteString("## Feedback\n- good\n## Action items\n")
	carried.WriteString("## Feedback\n- good\n## Action items\n- [ ] Dana: later\n")
	for i := 0; i < 9; i++ {
		fmt.Fprintf(&first, "- [ ] Dana: item %d\n", i)
		fmt.Fprintf(&carried, "- [ ] Dana: item %d (from 2026-09-01)\n", i)
	}
	older := testPerson(t, "alice", "name: Alice Chen", map[string]string{"2026-09-01": first.String(), "2026-09-20": carried.String()})
	other := testPerson(t, "bob", "name: Bob Lee", map[string]string{"2026-09-01": "## Action items\n- [ ] Bob: only one\n"})
	team := &Team{People: []*Person{older, other}}
	today := ParseDateOr("2026-11-25")
	full := Audit(team, DefaultConfig(), today, AuditOptions{})
	capped := Audit(team, DefaultConfig(), today, AuditOptions{StaleShown: 3})
	stale := func(fs []Finding, slug string) []Finding {
		var out []Finding
		for _, f := range fs {
			if f.Slug == slug && f.Code == FindStaleAction {
				out = append(out, f)
			}
		}
		return out
	}
	if got, want := stale(capped.Findings, "alice"), stale(full.Findings, "alice")[:3]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the 3 shown:\n%v\nwant\n%v", got, want)
	}
	if got, want := capped.StaleMore["alice"], len(stale(full.Findings, "alice"))-3; got != want || want != 7 {
		t.Errorf("StaleMore[alice] = %d, want %d (7)", got, want)
	}
	if _, ok := capped.StaleMore["bob"]; ok || len(stale(capped.Findings, "bob")) != 1 {
		t.Errorf("bob has one stale item, all shown: %v %v", capped.StaleMore, stale(capped.Findings, "bob"))
	}
	if full.StaleMore != nil {
		t.Errorf("a full audit leaves nothing out: %v", full.StaleMore)
	}
}

// TestActionsOrderWhenCarriedFromOlder: an item first written in a later
// note with a "(from DATE)" naming an older note is older than the items
// before it: ActionsOn still lists items by first occurrence.
func TestActionsOrderWhenCarriedFromOlder(t *testing.T) {
	p := testPerson(t, "alice", "name: Alice Chen", map[string]string{
		"2026-09-01": "## Feedback\n- good\n",
		"2026-10-01": "## Action items\n- [ ] B: second\n",
		"2026-10-08": "## Action items\n- [ ] B: second (from 2026-10-01)\n- [ ] A: first (from 2026-09-01)\n",
	})
	today := ParseDateOr("2026-11-25")
	for _, acts := range [][]Action{p.ActionsOn(today), p.OpenActionsOn(today)} {
		if got := actionSummary(acts); got != "A: first: open\nB: second: open" {
			t.Errorf("order:\n%s\nwant A (from 2026-09-01) before B", got)
		}
	}
	if f, _ := p.appendStaleActions(nil, today, 1); len(f) != 1 || f[0].File != "alice/2026-09-01.md" {
		t.Errorf("the oldest stale item: %v, want A's (alice/2026-09-01.md)", f)
	}
}
