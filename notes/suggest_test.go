package notes

import (
	"testing"
	"time"
)

// A suggestion is made only for a close match: at most one edit per three
// letters of the longer word (a swap of two letters is one edit).
func TestClosestOnlyCloseMatches(t *testing.T) {
	slugs := []string{"alice", "bob", "carol", "dave-smith"}
	tests := []struct{ in, want string }{
		{"alcie", "alice"},  // a swap
		{"alicia", "alice"}, // two edits in six letters
		{"alic", "alice"},   // one letter missing
		{"Alice", "alice"},  // letter case does not count
		{"bbo", "bob"},      // a swap in three letters
		{"rob", "bob"},      // one edit in three letters
		{"dave-smiht", "dave-smith"},
		{"zed", ""},   // three edits in three letters: no suggestion, the list instead
		{"bobby", ""}, // two edits in five letters
		{"dave", ""},  // six letters short of dave-smith
		{"x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.in, slugs); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	themes := []string{"Better communication with non-technical people", "Mentor a new employee", "Take the lead on a big feature"}
	for in, want := range map[string]string{
		"mentor a new employe":     "Mentor a new employee",
		"Mentor  a new  Employee!": "Mentor a new employee",
		"Mentor":                   "",
		"Lead a big feature":       "",
		"Finish":                   "",
	} {
		if got := Closest(in, themes); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDateHint(t *testing.T) {
	d := func(s string) time.Time { v, _ := ParseDate(s); return v }
	dates := []time.Time{d("2026-10-14"), d("2026-10-28"), d("2026-11-18"), d("2026-12-02")}
	tests := []struct{ day, want string }{
		{"2026-11-19", "did you mean 2026-11-18?"},                        // a day off
		{"2026-11-16", "did you mean 2026-11-18?"},                        // two days off
		{"2026-12-18", "did you mean 2026-11-18?"},                        // one typo: the month
		{"2026-11-07", "the nearest notes are 2026-10-28 and 2026-11-18"}, // two typos from 2026-11-18, eleven days
		{"2026-11-24", "the nearest notes are 2026-11-18 and 2026-12-02"}, // 2026-10-14 is two characters away, but a month
		{"2026-01-05", "the nearest note is 2026-10-14"},
		{"2027-03-01", "the nearest note is 2026-12-02"},
	}
	for _, tt := range tests {
		if got := DateHint(d(tt.day), dates); got != tt.want {
			t.Errorf("DateHint(%s) = %q, want %q", tt.day, got, tt.want)
		}
	}
	if got := DateHint(d("2026-11-19"), nil); got != "" {
		t.Errorf("no notes: %q", got)
	}
}
