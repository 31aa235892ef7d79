package notes

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseDuration reads a duration written as Nd (days) or Nw (weeks) and returns days.
func ParseDuration(s string) (int, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	if len(t) < 2 {
		return 0, fmt.Errorf("bad duration %q: write it as Nd (days) or Nw (weeks), e.g. 2d or 8w", s)
	}
	unit := t[len(t)-1]
	n, err := strconv.Atoi(t[:len(t)-1])
	if err != nil || (unit != 'd' && unit != 'w') || strings.ContainsAny(t[:len(t)-1], "+-") {
		return 0, fmt.Errorf("bad duration %q: write it as Nd (days) or Nw (weeks), e.g. 2d or 8w", s)
	}
	if unit == 'w' && n <= 3650 {
		n *= 7
	}
	if n > 3650 {
		return 0, fmt.Errorf("bad duration %q: longer than ten years", s)
	}
	return n, nil
}

// ParseCadence reads weekly, biweekly, monthly or a positive duration and returns days.
func ParseCadence(s string) (int, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "weekly":
		return 7, nil
	case "biweekly":
		return 14, nil
	case "monthly":
		return 30, nil
	}
	n, err := ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad cadence %q: use weekly, biweekly, monthly or a duration such as 10d or 3w", s)
	}
	if n <= 0 {
		return 0, fmt.Errorf("bad cadence %q: a cadence must be at least one day", s)
	}
	return n, nil
}

// FormatDays writes a number of days the way the files do: 14 -> "14d".
func FormatDays(n int) string { return strconv.Itoa(n) + "d" }
