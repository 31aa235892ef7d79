package notes

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// ThemeStatus is a theme of a report with how it went so far; field names are the JSON contract.
type ThemeStatus struct {
	Slug       string  `json:"slug"`
	Title      string  `json:"title"`
	Status     string  `json:"status"`
	Started    *string `json:"started"`
	Due        *string `json:"due"`
	DaysLeft   *int    `json:"days_left"` // negative when overdue; null without a due date or once done or dropped
	Revisited  int     `json:"revisited"`
	LastRating *string `json:"last_rating"`
	LastRated  *string `json:"last_rated"`
}

// Themes lists every theme of the people, in slug then profile order, as of today:
// revisited counts the held 1:1s whose themes map rates the theme by its exact title.
func Themes(people []*Person, today time.Time) []ThemeStatus {
	out := []ThemeStatus{}
	sorted := append([]*Person(nil), people...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Slug < sorted[j].Slug })
	for _, p := range sorted {
		held := p.Held(today)
		for _, t := range p.Profile.Themes {
			ts := ThemeStatus{Slug: p.Slug, Title: t.Title, Status: t.Status}
			ts.Started = DatePtr(t.Started)
			ts.Due = DatePtr(t.Due)
			if !t.Due.IsZero() && t.Status == ThemeActive { // a finished theme has no days left
				d := DaysBetween(today, t.Due)
				ts.DaysLeft = &d
			}
			for _, n := range held {
				if r, ok := n.Rating(t.Title); ok {
					ts.Revisited++
					rv, dv := r, FormatDate(n.Date)
					ts.LastRating, ts.LastRated = &rv, &dv
				}
			}
			out = append(out, ts)
		}
	}
	return out
}

func DatePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := FormatDate(t)
	return &s
}

// FindTheme returns the index of the theme titled title (case-insensitive, spaces collapsed).
// No match or several matches give a *ThemeMatchError listing the candidates.
func FindTheme(themes []Theme, title string) (int, error) {
	key := themeKey(title)
	var hits []int
	for i, t := range themes {
		if themeKey(t.Title) == key {
			hits = append(hits, i)
		}
	}
	if len(hits) == 1 {
		return hits[0], nil
	}
	e := &ThemeMatchError{Title: title}
	if len(hits) == 0 {
		for _, t := range themes {
			e.Candidates = append(e.Candidates, t.Title)
		}
		e.Closest = Closest(title, e.Candidates)
	} else {
		e.Ambiguous = true
		for _, i := range hits {
			e.Candidates = append(e.Candidates, themes[i].Title)
		}
	}
	return -1, e
}

func themeKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// ThemeMatchError is a theme title that names no theme, or more than one.
type ThemeMatchError struct {
	Title      string
	Ambiguous  bool
	Candidates []string
	Closest    string // a close match among the candidates, suggested instead of the list
}

func (e *ThemeMatchError) Error() string {
	switch {
	case e.Ambiguous:
		return fmt.Sprintf("theme %q is ambiguous: it matches %s; edit the profile so titles differ", e.Title, quoteList(e.Candidates))
	case len(e.Candidates) == 0:
		return fmt.Sprintf("no theme %q: the profile has no themes yet; add one with `oneone theme add`", e.Title)
	case e.Closest != "":
		return fmt.Sprintf("no theme %q: did you mean %q?", e.Title, e.Closest)
	}
	return fmt.Sprintf("no theme %q: the themes are %s", e.Title, quoteList(e.Candidates))
}
