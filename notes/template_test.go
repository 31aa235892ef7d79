package notes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScaffoldNote(t *testing.T) {
	root := t.TempDir()
	write := fileWriter(t, root)
	write("oneone.yaml", "manager: Dana\n")
	write("alice/profile.md", "---\nname: Alice Chen\nthemes:\n  - title: \"Lead: the big feature\"\n    started: 2026-10-01\n  - title: Old\n    started: 2026-01-01\n    status: done\n---\n")
	write("alice/2026-09-01.md", "---\nkind: goals\n---\n## Action items\n- [ ] Alice: write the RFC\n")
	write("alice/2026-11-18.md", "## Action items\n- [ ] Alice: write the RFC (from 2026-09-01)\n- [x] Dana: done thing\n- [ ] Dana: book room\n")
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.LoadPerson("alice")
	if err != nil {
		t.Fatal(err)
	}
	day := ParseDateOr("2026-11-25")
	sc, err := r.ScaffoldNote(p, day, "")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Kind != KindGoals || !sc.GoalsDue {
		t.Errorf("goals 1:1 due since 2026-09-01 (85 days): kind = %s due = %v", sc.Kind, sc.GoalsDue)
	}
	text := string(sc.Content)
	for _, want := range []string{"date: 2026-11-25", "kind: goals", "## Feedback", "## Alice's topics", "### Lead: the big feature",
		"- [ ] Alice: write the RFC (from 2026-09-01)", "- [ ] Dana: book room (from 2026-11-18)", "## Private"} {
		if !strings.Contains(text, want) {
			t.Errorf("note lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "done thing") || strings.Contains(text, "### Old") {
		t.Errorf("note carries closed items or inactive themes:\n%s", text)
	}
	n, err := ParseNote("alice", "2026-11-25.md", sc.Content)
	if err != nil {
		t.Fatal(err)
	}
	if !n.FeedbackEmpty() || !n.TopicsEmpty("") || len(n.Ratings) != 0 {
		t.Errorf("a fresh note must have empty feedback and topics and no ratings: %+v", n)
	}
	sc, err = r.ScaffoldNote(p, day, KindRegular)
	if err != nil || sc.Kind != KindRegular || !strings.Contains(string(sc.Content), "kind: regular") {
		t.Errorf("forced regular: %v %+v", err, sc)
	}

	write("templates/regular.md", "---\ndate: {{.Date}}\n---\nHello {{.Name}} {{.Nope}}\n")
	if _, err := r.ScaffoldNote(p, day, KindRegular); err == nil || !strings.Contains(err.Error(), "templates/regular.md") {
		t.Errorf("broken override: err = %v", err)
	}
	write("templates/regular.md", "---\ndate: {{.Date}}\n---\nHello {{.Name}}\n")
	// a template that names .Actions but prints nothing still gets them
	write("templates/regular.md", "---\ndate: {{.Date}}\n---\n## Action items\n{{with .Actions}}{{end}}")
	if sc, err := r.ScaffoldNote(p, day, KindRegular); err != nil || !strings.Contains(string(sc.Content), "## Action items\n- [ ] Alice: write the RFC (from 2026-09-01)\n") {
		t.Errorf("template printing nothing: %v %q", err, sc.Content)
	}
	// an override without {{.Actions}} still gets the open items, in a section of their own
	write("templates/regular.md", "---\ndate: {{.Date}}\n---\nHello {{.Name}}\n")
	if sc, err := r.ScaffoldNote(p, day, KindRegular); err != nil || string(sc.Content) != "---\ndate: 2026-11-25\n---\nHello Alice Chen\n\n## Action items\n- [ ] Alice: write the RFC (from 2026-09-01)\n- [ ] Dana: book room (from 2026-11-18)\n" {
		t.Errorf("override: %v %q", err, sc.Content)
	}
	// ... and under its own heading when it has one
	write("templates/regular.md", "---\ndate: {{.Date}}\n---\n## Action items\n<!-- none -->\n\n## Notes\n")
	if sc, err := r.ScaffoldNote(p, day, KindRegular); err != nil || string(sc.Content) != "---\ndate: 2026-11-25\n---\n## Action items\n- [ ] Alice: write the RFC (from 2026-09-01)\n- [ ] Dana: book room (from 2026-11-18)\n<!-- none -->\n\n## Notes\n" {
		t.Errorf("override with the heading: %v %q", err, sc.Content)
	}
}

// Every item still open is carried, not only the previous note's; items
// written in a Private section stay private.
func TestScaffoldCarriesEveryOpenItem(t *testing.T) {
	root := t.TempDir()
	write := fileWriter(t, root)
	write("oneone.yaml", "manager: Dana\n")
	write("bob/profile.md", "---\nname: Bob Martin\n---\n")
	write("bob/2026-11-01.md", "## Action items\n- [ ] Bob: draft the RFC\n- [ ] Dana: intro to Sam\n\n## Private\n- [ ] Dana: talk to HR about Bob's raise\n")
	// a cancelled 1:1 and a held one with no action items drop nothing
	write("bob/2026-11-08.md", "---\nstatus: cancelled\n---\nCancelled: offsite.\n- [x] Dana: intro to Sam\n")
	write("bob/2026-11-15.md", "## Feedback\n- Positive: the RFC draft\n")
	write("bob/2026-11-30.md", "## Action items\n- [ ] Bob: later item\n")
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.LoadPerson("bob")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := r.ScaffoldNote(p, ParseDateOr("2026-11-22"), KindRegular)
	if err != nil {
		t.Fatal(err)
	}
	text := string(sc.Content)
	actions := text[strings.Index(text, "## Action items"):strings.Index(text, "## Private")]
	private := text[strings.Index(text, "## Private"):]
	if !strings.Contains(actions, "- [ ] Bob: draft the RFC (from 2026-11-01)") {
		t.Errorf("an item open since before a cancelled 1:1 is not carried:\n%s", text)
	}
	if strings.Contains(text, "intro to Sam") || strings.Contains(text, "later item") {
		t.Errorf("a closed item or one from a later note is carried:\n%s", text)
	}
	if strings.Contains(actions, "HR") || !strings.Contains(private, "- [ ] Dana: talk to HR about Bob's raise (from 2026-11-01)") {
		t.Errorf("a Private item must be carried into Private only:\n%s", text)
	}
	if sc.Carried != 2 {
		t.Errorf("Carried = %d, want 2", sc.Carried)
	}
	n, err := ParseNote("bob", "2026-11-22.md", sc.Content)
	if err != nil {
		t.Fatal(err)
	}
	if agenda := string(n.Shareable()); strings.Contains(agenda, "HR") {
		t.Errorf("the agenda shows a private item:\n%s", agenda)
	}

	// a template of the user's without .PrivateActions: a Private section is added at the end
	write("templates/regular.md", "---\ndate: {{.Date}}\n---\n## Action items\n{{range .Actions}}- [ ] {{.Text}} (from {{.From}})\n{{end}}")
	sc, err = r.ScaffoldNote(p, ParseDateOr("2026-11-22"), KindRegular)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(sc.Content), "\n## Private\n- [ ] Dana: talk to HR about Bob's raise (from 2026-11-01)\n") {
		t.Errorf("custom template: private items lost:\n%s", sc.Content)
	}
	// ... or under its own Private heading, never a second one
	write("templates/regular.md", "---\ndate: {{.Date}}\n---\n## Action items\n{{range .Actions}}- [ ] {{.Text}} (from {{.From}})\n{{end}}\n## Private\nmine\n")
	sc, err = r.ScaffoldNote(p, ParseDateOr("2026-11-22"), KindRegular)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(sc.Content); strings.Count(got, "## Private") != 1 || !strings.HasSuffix(got, "## Private\n- [ ] Dana: talk to HR about Bob's raise (from 2026-11-01)\nmine\n") {
		t.Errorf("custom template with a Private heading:\n%s", got)
	}
}

// fileWriter returns a function writing repository-relative files under root.
func fileWriter(t *testing.T, root string) func(rel, s string) {
	return func(rel, s string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPlaceItems(t *testing.T) {
	items := []CarryItem{{Text: "Dana: call", From: "2026-11-01"}}
	is := func(h string) bool { return h == "Action items" }
	tests := []struct{ in, want string }{
		{"# N\n## Action items\n## Next\n", "# N\n## Action items\n- [ ] Dana: call (from 2026-11-01)\n## Next\n"},
		{"# N\n## Action items", "# N\n## Action items\n- [ ] Dana: call (from 2026-11-01)\n"},
		{"# N\n", "# N\n\n## Action items\n- [ ] Dana: call (from 2026-11-01)\n"},
		{"# N", "# N\n\n## Action items\n- [ ] Dana: call (from 2026-11-01)\n"},
		// headings in a comment or a code block are no headings; closing #s are
		{"# N\n<!--\n## Action items\n-->\n", "# N\n<!--\n## Action items\n-->\n\n## Action items\n- [ ] Dana: call (from 2026-11-01)\n"},
		{"# N\n```\n## Action items\n```\n", "# N\n```\n## Action items\n```\n\n## Action items\n- [ ] Dana: call (from 2026-11-01)\n"},
		{"# N\n## Action items ##\nx\n", "# N\n## Action items ##\n- [ ] Dana: call (from 2026-11-01)\nx\n"},
		// a comment opened on the heading line: the items would land inside it, so a section at the end
		{"## Action items <!-- prompt\nmore -->\n", "## Action items <!-- prompt\nmore -->\n\n## Action items\n- [ ] Dana: call (from 2026-11-01)\n"},
	}
	for _, tt := range tests {
		if got := string(placeItems([]byte(tt.in), "Action items", is, items)); got != tt.want {
			t.Errorf("placeItems(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
