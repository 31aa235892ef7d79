package notes

import (
	"fmt"
	"sort"
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

// Closest returns the candidate nearest to s by edit distance, or "" when none is close.
func Closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		d := editDistance(s, c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > (len(s)+2)/2+1 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
