package notes

import (
	"strings"
	"testing"
	"time"
)

func TestParseSlot(t *testing.T) {
	for _, tt := range []struct {
		in, want, err string
	}{
		{"mon 10:00", "mon 10:00 30m", ""},
		{"Monday 9:05", "mon 09:05 30m", ""},
		{"THU 14:30 45m", "thu 14:30 45m", ""},
		{"fri 16:00 1h", "fri 16:00 1h", ""},
		{"tue 08:00 1h30m", "tue 08:00 1h30m", ""},
		{"sun 23:59 90m", "sun 23:59 1h30m", ""},
		{"  wed   11:15  ", "wed 11:15 30m", ""},
		{"mon", "", "expected 2 or 3 words"},
		{"mon 10:00 30m extra", "", "expected 2 or 3 words"},
		{"mond 10:00", "", `"mond" is not a weekday`},
		{"mon 24:00", "", "is not a time"},
		{"mon 10:60", "", "is not a time"},
		{"mon 10", "", "is not a time"},
		{"mon 10:0", "", "is not a time"},
		{"mon -1:00", "", "is not a time"},
		{"mon 100:00", "", "is not a time"},
		{"mon 10:00 30", "", "is not a length"},
		{"mon 10:00 2m", "", "is not a length"},
		{"mon 10:00 9h", "", "is not a length"},
		{"mon 10:00 30m1h", "", "is not a length"},
		{"mon 10:00 h", "", "is not a length"},
		{"mon 10:00 99999999999999m", "", "is not a length"},
	} {
		s, err := ParseSlot(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSlot(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || s.String() != tt.want {
			t.Errorf("ParseSlot(%q) = %q, %v; want %q", tt.in, s.String(), err, tt.want)
		}
	}
}

func TestSlotOnOrAfter(t *testing.T) {
	mon, _ := ParseSlot("mon 10:00")
	for _, tt := range []struct{ day, want string }{
		{"2026-11-23", "2026-11-23"}, // a Monday
		{"2026-11-24", "2026-11-30"},
		{"2026-11-29", "2026-11-30"}, // a Sunday
	} {
		if got := FormatDate(mon.OnOrAfter(ParseDateOr(tt.day))); got != tt.want {
			t.Errorf("OnOrAfter(%s) = %s, want %s", tt.day, got, tt.want)
		}
	}
	if got := (Slot{}).OnOrAfter(ParseDateOr("2026-11-24")); FormatDate(got) != "2026-11-24" {
		t.Errorf("no slot moves the day: %s", FormatDate(got))
	}
}

func TestNextDueWithSlot(t *testing.T) {
	today := ParseDateOr("2026-11-25") // a Wednesday
	for _, tt := range []struct {
		name, front, held string
		due               string
		overdue           int
		isOverdue         bool
	}{
		{"no slot", "name: A", "2026-11-18", "2026-11-25", 0, false},
		{"held on the slot day", "name: A\nslot: wed 10:00", "2026-11-18", "2026-11-25", 0, false},
		{"held off the slot day: the next slot day after the cadence", "name: A\nslot: mon 10:00", "2026-11-18", "2026-11-30", 0, false},
		{"snapped past an absence", "name: A\nslot: mon 10:00\naway:\n  - from: 2026-11-30\n    to: 2026-12-01", "2026-11-18", "2026-12-07", 0, false},
		{"overdue counts from next_due", "name: A\nslot: fri 10:00", "2026-11-11", "2026-11-20", 5, true},
		{"in grace from next_due", "name: A\nslot: mon 10:00", "2026-11-16", "2026-11-23", 2, false},
	} {
		p := testPerson(t, "a", tt.front, map[string]string{tt.held: heldNote})
		s := ComputeStats(p, DefaultConfig(), today)
		if FormatDate(s.Due) != tt.due || s.DaysOverdue != tt.overdue || s.Overdue != tt.isOverdue {
			t.Errorf("%s: next_due %s, days_overdue %d, overdue %v; want %s %d %v", tt.name, FormatDate(s.Due), s.DaysOverdue, s.Overdue, tt.due, tt.overdue, tt.isOverdue)
		}
		if (s.Slot != nil) != strings.Contains(tt.front, "slot:") {
			t.Errorf("%s: slot %v", tt.name, s.Slot)
		}
	}
}

func TestScheduleWithSlot(t *testing.T) {
	today := ParseDateOr("2026-11-25") // a Wednesday
	p := testPerson(t, "alice", "name: Alice\ncadence: biweekly\nslot: thu 14:30 45m", map[string]string{
		"2026-11-19": heldNote, // a Thursday: due 12-03
	})
	got := Schedule(p, DefaultConfig(), today, 35, false)
	var days []string
	for _, m := range got {
		days = append(days, FormatDate(m.Date)+" "+m.Date.Weekday().String()[:3])
		if m.Slot.String() != "thu 14:30 45m" {
			t.Errorf("meeting %s without the slot", FormatDate(m.Date))
		}
	}
	if want := "2026-12-03 Thu,2026-12-17 Thu"; strings.Join(days, ",") != want {
		t.Errorf("schedule %v, want %s", days, want)
	}
	// overdue: the first slot day from today, not today
	late := testPerson(t, "bob", "name: Bob\nslot: mon 09:00", map[string]string{"2026-11-02": heldNote})
	if m := Schedule(late, DefaultConfig(), today, 14, false); len(m) == 0 || FormatDate(m[0].Date) != "2026-11-30" {
		t.Errorf("overdue with a slot: %+v", m)
	}
	// a planned note keeps its day
	planned := testPerson(t, "cy", "name: Cy\nslot: mon 09:00", map[string]string{"2026-11-23": heldNote, "2026-12-02": heldNote})
	if m := Schedule(planned, DefaultConfig(), today, 21, false); len(m) < 2 || FormatDate(m[0].Date) != "2026-12-02" || FormatDate(m[1].Date) != "2026-12-14" {
		t.Errorf("planned note then slot days: %+v", m)
	}
	start := got[0].Slot.Start(got[0].Date, time.Local)
	if start.Hour() != 14 || start.Minute() != 30 || start.Location() != time.Local {
		t.Errorf("start %v", start)
	}
}

func TestProfileSlotAndFinished(t *testing.T) {
	cfg := DefaultConfig()
	p, err := ParseProfile("a", []byte("---\nname: A\nslot: Tue 11:00\nthemes:\n  - title: Grow\n    started: 2026-09-01\n    status: done\n    finished: 2026-10-20\n---\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if p.Slot.String() != "tue 11:00 30m" || FormatDate(p.Themes[0].Finished) != "2026-10-20" {
		t.Errorf("slot %q finished %v", p.Slot.String(), p.Themes[0].Finished)
	}
	for front, want := range map[string]string{
		"name: A\nslot: someday":                          `slot "someday"`,
		"name: A\nslot: [mon, 10:00]":                     "slot must be a single value",
		"name: A\nthemes:\n  - title: G\n    finished: x": `theme "G": theme finished: bad date`,
	} {
		if _, err := ParseProfile("a", []byte("---\n"+front+"\n---\n"), cfg); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", front, err, want)
		}
	}
}

func TestConfigPrepareAhead(t *testing.T) {
	c, err := ParseConfig([]byte("prepare_ahead: 0d\n"))
	if err != nil || c.PrepareAheadDays != 0 {
		t.Errorf("0d: %d %v", c.PrepareAheadDays, err)
	}
	c, _ = ParseConfig([]byte("manager: Dana\n"))
	if c.PrepareAheadDays != 2 {
		t.Errorf("default %d, want 2", c.PrepareAheadDays)
	}
	c, _ = ParseConfig([]byte("prepare_ahead: 1w\n"))
	if c.PrepareAheadDays != 7 {
		t.Errorf("1w: %d", c.PrepareAheadDays)
	}
	if _, err := ParseConfig([]byte("prepare_ahead: soon\n")); err == nil || !strings.Contains(err.Error(), "prepare_ahead") {
		t.Errorf("bad prepare_ahead: %v", err)
	}
}
