package notes

import "time"

// MoodWindowDays is how far back before a report's two newest check-ins
// their average is taken.
const MoodWindowDays = 90

// MoodDropMargin is how far below that average both newest check-ins must be for a mood-drop.
const MoodDropMargin = 2

// MoodDrop is the comparison of a report's two newest check-ins with their average before.
type MoodDrop struct {
	// Dropped: the two newest held 1:1s with a mood both rate at least
	// MoodDropMargin below the average of the held 1:1s with a mood in the
	// MoodWindowDays days before the older of them.
	Dropped       bool
	Older, Newest *Note   // the two newest held 1:1s with a mood; nil when there are fewer
	Average       float64 // the average before them; 0 when there is none
	Before        int     // how many check-ins that average counts
}

// MoodDropOf compares the report's two newest check-ins (held 1:1s as of
// today with a mood) with the report's average over the 90 days before them.
func MoodDropOf(p *Person, today time.Time) MoodDrop {
	var withMood []*Note
	for _, n := range p.Notes {
		if n.HasMood() && n.Held(today) {
			withMood = append(withMood, n)
		}
	}
	var m MoodDrop
	if len(withMood) < 2 {
		return m
	}
	m.Older, m.Newest = withMood[len(withMood)-2], withMood[len(withMood)-1]
	from := AddDays(m.Older.Date, -MoodWindowDays)
	sum := 0
	for _, n := range withMood[:len(withMood)-2] {
		if !n.Date.Before(from) {
			sum += n.Mood
			m.Before++
		}
	}
	if m.Before == 0 {
		return m
	}
	m.Average = float64(sum) / float64(m.Before)
	// in whole numbers: mood <= average - margin  <=>  mood*count <= sum - margin*count
	limit := sum - MoodDropMargin*m.Before
	m.Dropped = m.Older.Mood*m.Before <= limit && m.Newest.Mood*m.Before <= limit
	return m
}
