package notes

import (
	"strings"
	"testing"
)

func TestSchedule(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	cfg := DefaultConfig() // weekly, goals every 56 days
	goals := "---\nkind: goals\n---\n"
	tests := []struct {
		name  string
		front string
		notes map[string]string
		days  int
		want  string // date:kind, space separated; G for goals
	}{
		{"due in two days, then weekly", "name: A", map[string]string{"2026-10-30": goals, "2026-11-20": heldNote}, 21,
			"2026-11-27 2026-12-04 2026-12-11"},
		{"overdue: today first", "name: A", map[string]string{"2026-11-02": goals}, 14,
			"2026-11-25 2026-12-02"},
		{"never met: today, then cadence, no goals", "name: A\ncadence: biweekly", nil, 90,
			"2026-11-25 2026-12-09 2026-12-23 2027-01-06 2027-01-20 2027-02-03:G 2027-02-17"}, // first 1:1 on 11-25, 70 days later goals
		{"goals due on the first 1:1 past goals_every, then every goals_every", "name: A", map[string]string{"2026-10-01": goals, "2026-11-20": heldNote}, 70,
			"2026-11-27:G 2026-12-04 2026-12-11 2026-12-18 2026-12-25 2027-01-01 2027-01-08 2027-01-15 2027-01-22 2027-01-29:G"}, // 01-22 is exactly 56 days: not yet,
		{"planned note moves the next 1:1", "name: A", map[string]string{"2026-11-20": heldNote, "2026-11-30": heldNote}, 14,
			"2026-11-30 2026-12-07"},
		{"planned goals note keeps its kind", "name: A", map[string]string{"2026-11-20": heldNote, "2026-11-26": goals}, 8,
			"2026-11-26:G"},
		{"a note dated today is today's 1:1, then cadence", "name: A", map[string]string{"2026-11-18": heldNote, "2026-11-25": heldNote}, 8,
			"2026-11-25 2026-12-02"},
		{"a cancelled 1:1 today is none", "name: A", map[string]string{"2026-11-20": heldNote, "2026-11-25": "---\nstatus: cancelled\n---\n"}, 8,
			"2026-11-27"},
		{"cancelled planned note does not count", "name: A", map[string]string{"2026-11-20": heldNote, "2026-11-26": "---\nstatus: cancelled\n---\n"}, 8,
			"2026-11-27"},
		{"away: moved past the absence, away days do not count", "name: A\naway:\n  - from: 2026-11-26\n    to: 2026-12-06", map[string]string{"2026-11-20": heldNote}, 21,
			"2026-12-08 2026-12-15"}, // 5 days before the absence + 2 after: the next_due of audit
		{"archived later: stops before the archive day", "name: A\narchived: 2026-12-04", map[string]string{"2026-11-20": heldNote}, 21,
			"2026-11-27"},
		{"archived already: nothing", "name: A\narchived: 2026-11-25", map[string]string{"2026-11-20": heldNote}, 21,
			""},
		{"window of zero days", "name: A", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPerson(t, "alice", tt.front, tt.notes)
			var got []string
			for _, m := range Schedule(p, cfg, today, tt.days, false) {
				s := FormatDate(m.Date)
				if m.Kind == KindGoals {
					s += ":G"
				}
				got = append(got, s)
				if m.Slug != "alice" || m.Name != "A" {
					t.Errorf("meeting %+v lacks slug or name", m)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("Schedule:\n got %s\nwant %s", g, tt.want)
			}
		})
	}
}

// calendar --all: an archived report is scheduled as if it had not left.
func TestScheduleAll(t *testing.T) {
	today := ParseDateOr("2026-11-25")
	p := testPerson(t, "alice", "name: A\narchived: 2026-11-01", map[string]string{"2026-11-20": heldNote})
	if got := Schedule(p, DefaultConfig(), today, 14, false); len(got) != 0 {
		t.Errorf("archived: %d meetings", len(got))
	}
	got := Schedule(p, DefaultConfig(), today, 14, true)
	if len(got) != 2 || FormatDate(got[0].Date) != "2026-11-27" || got[0].UID() != "alice-1@oneone" {
		t.Errorf("with all: %+v", got)
	}
}

func TestMeetingTitleUID(t *testing.T) {
	m := Meeting{Slug: "alice", Name: "Alice Chen", Date: ParseDateOr("2026-12-02"), Kind: KindGoals, Seq: 2}
	if m.Title() != "Goals 1:1 with Alice Chen" || m.UID() != "alice-2@oneone" {
		t.Errorf("got %q %q", m.Title(), m.UID())
	}
	m.Kind = KindRegular
	if m.Title() != "1:1 with Alice Chen" {
		t.Errorf("got %q", m.Title())
	}
}
