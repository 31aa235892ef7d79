package notes

import (
	"fmt"
	"strings"
	"time"
)

// ValidateSlug checks that s is a report slug: lowercase ASCII letters, digits
// and single hyphens, 1–40 characters, starting with a letter.
func ValidateSlug(s string) error {
	bad := func(why string) error {
		return fmt.Errorf("invalid slug %q: %s (use lowercase letters, digits and single hyphens, starting with a letter, e.g. alice or bob-smith)", s, why)
	}
	if s == "" {
		return bad("it is empty")
	}
	if len(s) > 40 {
		return bad("longer than 40 characters")
	}
	if s == "templates" {
		return bad("the name is reserved for templates")
	}
	if s[0] < 'a' || s[0] > 'z' {
		return bad("it must start with a lowercase letter")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if i == len(s)-1 || s[i+1] == '-' {
				return bad("hyphens must be single and inside the name")
			}
		default:
			return bad(fmt.Sprintf("character %q is not allowed", rune(c)))
		}
	}
	return nil
}

// Closest returns the candidate nearest to s, or "" when none is close: a
// close match is at most one edit (a letter added, removed, changed, or two
// letters swapped) for every three letters of the longer word, so "alcie"
// finds "alice" and "alicia" finds "alice", but "zed" finds no "bob". Letter
// case and runs of spaces do not count. On a tie the earlier candidate wins.
// Every suggestion oneone makes (slugs, theme titles) goes through it.
func Closest(s string, candidates []string) string {
	best, bestD := "", -1
	key := []rune(fold(s))
	for _, c := range candidates {
		ck := []rune(fold(c))
		d := editDistance(key, ck)
		if d*3 > max(len(key), len(ck)) {
			continue
		}
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// fold is the form suggestions compare: lower case, spaces collapsed.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of two neighbours each cost one.
func editDistance(a, b []rune) int {
	if len(a) > 200 || len(b) > 200 { // no suggestion is that long: bound the work
		return max(len(a), len(b))
	}
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}

// closeDays is how far apart a note's date may be from the day asked for to be suggested.
const closeDays = 3

// ClosestDate returns the date among dates to suggest for day, or the zero
// time: dates are close by the calendar, not by spelling (2026-10-14 is two
// characters from 2026-11-19 and a month away), so the suggestion is the
// nearest date within 3 days, or else one typo away (a digit changed or two
// swapped: 2026-12-18 for 2026-11-18); the nearer in time wins a tie.
func ClosestDate(day time.Time, dates []time.Time) time.Time {
	var best time.Time
	bestDays := -1
	key := []rune(FormatDate(day))
	for _, d := range dates {
		days := DaysBetween(day, d)
		if days < 0 {
			days = -days
		}
		if days > closeDays && editDistance(key, []rune(FormatDate(d))) > 1 {
			continue
		}
		if bestDays < 0 || days < bestDays {
			best, bestDays = d, days
		}
	}
	return best
}

// Neighbours returns the latest of dates before day and the earliest after
// it, each the zero time when there is none.
func Neighbours(day time.Time, dates []time.Time) (before, after time.Time) {
	for _, d := range dates {
		switch {
		case d.Before(day) && (before.IsZero() || d.After(before)):
			before = d
		case d.After(day) && (after.IsZero() || d.Before(after)):
			after = d
		}
	}
	return before, after
}

// DateHint says which of dates to try instead of day, for an error about a
// missing note: "did you mean 2026-11-18?", else the nearest dates on either
// side ("the nearest notes are 2026-11-11 and 2026-11-25"), else "".
func DateHint(day time.Time, dates []time.Time) string {
	if c := ClosestDate(day, dates); !c.IsZero() {
		return fmt.Sprintf("did you mean %s?", FormatDate(c))
	}
	var near []string
	before, after := Neighbours(day, dates)
	for _, d := range []time.Time{before, after} {
		if !d.IsZero() {
			near = append(near, FormatDate(d))
		}
	}
	switch len(near) {
	case 1:
		return "the nearest note is " + near[0]
	case 2:
		return "the nearest notes are " + near[0] + " and " + near[1]
	}
	return ""
}
