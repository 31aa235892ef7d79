package notes

import (
	"fmt"
	"time"
)

// DateLayout is how oneone writes dates: 2026-11-25.
const DateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date as midnight UTC. A date written right
// that names no day (2026-02-30, 2026-13-01) is "no such day", anything
// else a format error.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err == nil && len(s) == len(DateLayout) {
		return t, nil
	}
	if y, m, d, ok := dateFields(s); ok {
		switch {
		case m < 1 || m > 12:
			return time.Time{}, fmt.Errorf("no such day %q: there is no month %d; months go from 01 to 12", s, m)
		case d < 1:
			return time.Time{}, fmt.Errorf("no such day %q: days start at 01", s)
		default:
			last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			return time.Time{}, fmt.Errorf("no such day %q: %s %d has %d days", s, time.Month(m), y, last)
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q: write it as YYYY-MM-DD, e.g. 2026-11-25", s)
}

// dateFields reads the numbers of a date written as four, two and two digits.
func dateFields(s string) (y, m, d int, ok bool) {
	if len(s) != len(DateLayout) || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	num := func(t string) int {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return -1
			}
			n = n*10 + int(t[i]-'0')
		}
		return n
	}
	y, m, d = num(s[:4]), num(s[5:7]), num(s[8:])
	return y, m, d, y >= 0 && m >= 0 && d >= 0
}

// Day truncates t to its calendar day, as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DaysBetween returns the number of calendar days from a to b (negative when b is earlier).
func DaysBetween(a, b time.Time) int {
	// whole days from the dates themselves: time.Sub saturates past 292 years
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(civilDays(by, bm, bd) - civilDays(ay, am, ad))
}

// civilDays is the number of days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (H. Hinnant's days_from_civil).
func civilDays(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// AddDays returns t moved by n calendar days.
func AddDays(t time.Time, n int) time.Time { return Day(t).AddDate(0, 0, n) }

// FormatDate writes t as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.Format(DateLayout) }

// ParseDateOr parses s, returning the zero time when it is not a date.
func ParseDateOr(s string) time.Time {
	t, _ := ParseDate(s)
	return t
}
