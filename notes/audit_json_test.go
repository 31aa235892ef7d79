package notes

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestAuditJSONFindings: the report's findings encode exactly as each
// Finding's own MarshalJSON does (a team finding's slug null, HTML
// characters and control characters escaped the same way).
func TestAuditJSONFindings(t *testing.T) {
	rep := &AuditReport{AsOf: "2026-11-25", People: []Stats{}, Findings: []Finding{
		{Slug: "", Code: FindSyncConflict, Message: "conflict copy <GUIDE.md> & more", File: "GUIDE.conflict-ab12.md"},
		{Slug: "alice", Code: FindStaleAction, Message: "\"Dana: <b>bold</b> & \u2028 \x01 café 🎉\" open for 30 days (since 2026-10-26)", File: "alice/2026-10-26.md"},
		{Slug: "bob", Code: FindOverdue, Message: "", File: ""},
	}}
	got, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(struct {
		AsOf     string    `json:"as_of"`
		People   []Figures `json:"people"`
		Findings []Finding `json:"findings"`
	}{rep.AsOf, []Figures{}, rep.Findings})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("audit JSON:\n%s\nwant (Finding.MarshalJSON):\n%s", got, want)
	}
	// what audit --json prints: the plain value through an indenting encoder
	// (HTML escaping on) against the old Marshaler path through printJSON's
	var enc, old bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetIndent("", "  ")
	if err := e.Encode(rep.JSON()); err != nil {
		t.Fatal(err)
	}
	o := json.NewEncoder(&old)
	o.SetIndent("", "  ")
	o.SetEscapeHTML(false)
	if err := o.Encode(json.RawMessage(want)); err != nil {
		t.Fatal(err)
	}
	if enc.String() != old.String() {
		t.Errorf("audit --json:\n%s\nwant:\n%s", enc.String(), old.String())
	}
	if !bytes.Contains(got, []byte(`{"slug":null,"code":"sync-conflict"`)) {
		t.Errorf("a team finding's slug is not null: %s", got)
	}
}
