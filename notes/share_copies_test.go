package notes

import (
	"testing"
	"time"
)

// The copies sync keeps of a report's edits of their shared agenda are
// sync-conflict findings, whatever kind of file the report added; they are
// never read as notes (nor reported as invalid ones).
func TestSharedAgendaCopiesAreConflicts(t *testing.T) {
	r := writeRepo(t, map[string]string{
		"oneone.yaml":         "manager: Dana\n",
		"alice/profile.md":    "---\nname: Alice\n---\n",
		"alice/2026-11-18.md": "## Feedback\n- Positive: x\n",
		"alice/2026-11-18.conflict-share-abc1234.md": "## Feedback\n- I disagree\n",
		"alice/shared-ideas.txt":                     "my ideas\n",
		"alice/shared-notes-x.md":                    "x\n",
	})
	for _, load := range []func() (*Team, error){func() (*Team, error) { return r.Load() }, func() (*Team, error) { return r.LoadSummaries() }} {
		team, err := load()
		if err != nil {
			t.Fatal(err)
		}
		rep := Audit(team, r.Config, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), AuditOptions{})
		got := map[string]string{}
		for _, f := range rep.Findings {
			if f.Code == FindInvalidNote {
				t.Errorf("invalid-note %s: %s", f.File, f.Message)
			}
			if f.Code == FindSyncConflict {
				got[f.File] = f.Message
			}
		}
		for file, msg := range map[string]string{
			"alice/2026-11-18.conflict-share-abc1234.md": "the report's edit of the shared agenda, not applied: merge what you need into alice/2026-11-18.md, then delete it",
			"alice/shared-ideas.txt":                     "a file the report added to the shared agenda: move what you need into a note, then delete it",
			"alice/shared-notes-x.md":                    "a file the report added to the shared agenda: move what you need into a note, then delete it",
		} {
			if got[file] != msg {
				t.Errorf("%s: %q, want %q", file, got[file], msg)
			}
		}
		if n := len(team.People[0].Notes); n != 1 {
			t.Errorf("%d notes read, want 1", n)
		}
	}
}
