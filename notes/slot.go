package notes

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Slot is a report's recurring 1:1 time from the profile's `slot: mon 10:00 30m`:
// a weekday, a 24-hour local time and a length. The zero Slot is no slot.
type Slot struct {
	Weekday time.Weekday
	Hour    int
	Minute  int
	Minutes int // the length; 0 only for the zero Slot
}

// DefaultSlotMinutes is a slot's length when the profile gives none.
const DefaultSlotMinutes = 30

// maxSlotMinutes bounds a slot's length: a 1:1 is not a workshop.
const maxSlotMinutes = 8 * 60

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// ParseSlot reads a slot: a weekday (mon, Monday, ... any case), a 24-hour
// time (10:00, 9:30) and an optional length (30m, 1h, 1h30m; default 30m).
func ParseSlot(s string) (Slot, error) {
	bad := func(why string) (Slot, error) {
		return Slot{}, fmt.Errorf("slot %q: %s; write a weekday, a 24-hour time and an optional length, e.g. \"mon 10:00\" or \"thu 14:30 45m\"", s, why)
	}
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 3 {
		return bad("expected 2 or 3 words")
	}
	wd, ok := weekdays[strings.ToLower(strings.TrimSuffix(f[0], ","))]
	if !ok {
		return bad(fmt.Sprintf("%q is not a weekday", f[0]))
	}
	hh, mm, ok := strings.Cut(f[1], ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 || strings.ContainsAny(f[1], "+-") || h > 23 || m > 59 {
		return bad(fmt.Sprintf("%q is not a time from 00:00 to 23:59", f[1]))
	}
	sl := Slot{Weekday: wd, Hour: h, Minute: m, Minutes: DefaultSlotMinutes}
	if len(f) == 3 {
		n, ok := parseLength(f[2])
		if !ok || n < 5 || n > maxSlotMinutes {
			return bad(fmt.Sprintf("%q is not a length from 5m to 8h (30m, 1h, 1h30m)", f[2]))
		}
		sl.Minutes = n
	}
	return sl, nil
}

// parseLength reads 30m, 1h or 1h30m as minutes.
func parseLength(s string) (int, bool) {
	s = strings.ToLower(s)
	total, num := 0, -1
	seen := ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if num < 0 {
				num = 0
			}
			if num > 10000 {
				return 0, false
			}
			num = num*10 + int(c-'0')
		case (c == 'h' || c == 'm') && num >= 0 && !strings.ContainsRune(seen, rune(c)) && !(c == 'h' && seen != ""):
			if c == 'h' {
				total += 60 * num
			} else {
				total += num
			}
			seen += string(c)
			num = -1
		default:
			return 0, false
		}
	}
	return total, num < 0 && seen != ""
}

// IsZero reports whether there is no slot.
func (s Slot) IsZero() bool { return s.Minutes == 0 }

// String writes the slot as the profile would: "mon 10:00 30m".
func (s Slot) String() string {
	if s.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s %02d:%02d %s", strings.ToLower(s.Weekday.String()[:3]), s.Hour, s.Minute, lengthText(s.Minutes))
}

// Label writes the slot for people: "Mon 10:00".
func (s Slot) Label() string {
	if s.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s %02d:%02d", s.Weekday.String()[:3], s.Hour, s.Minute)
}

func lengthText(min int) string {
	switch {
	case min%60 == 0:
		return strconv.Itoa(min/60) + "h"
	case min > 60:
		return fmt.Sprintf("%dh%dm", min/60, min%60)
	}
	return strconv.Itoa(min) + "m"
}

// OnOrAfter returns the first slot day on or after day (day itself without a slot).
func (s Slot) OnOrAfter(day time.Time) time.Time {
	if s.IsZero() {
		return day
	}
	return AddDays(day, (int(s.Weekday)-int(day.Weekday())+7)%7)
}

// Start returns the slot's start on day, in loc.
func (s Slot) Start(day time.Time, loc *time.Location) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, s.Hour, s.Minute, 0, 0, loc)
}

// nextSlotDay returns the first slot day on or after day that is not an away day.
func nextSlotDay(s Slot, away Away, day time.Time) time.Time {
	d := s.OnOrAfter(day)
	for i := 0; i < 1000 && away.On(d); i++ { // each step leaves an away stretch
		d = s.OnOrAfter(AddDays(away.Until(d), 1))
	}
	return d
}
