package notes

import (
	"sort"
	"time"
)

// Action is an action item followed across a report's notes.
type Action struct {
	Slug      string    `json:"slug"`
	Text      string    `json:"text"`
	Key       string    `json:"-"`
	First     time.Time `json:"-"`
	FirstPath string    `json:"-"`
	Last      time.Time `json:"-"`
	LastPath  string    `json:"-"`
	Open      bool      `json:"-"`
}

// Age returns the action's age in days as of today, counted from its first occurrence.
func (a Action) Age(today time.Time) int { return DaysBetween(a.First, today) }

// Actions follows every action item through the person's notes, oldest first.
func (p *Person) Actions() []Action {
	byKey := map[string]*Action{}
	var order []string
	for _, n := range p.Notes { // oldest first
		for _, t := range n.Tasks {
			a, ok := byKey[t.Key]
			if !ok {
				a = &Action{Slug: p.Slug, Key: t.Key, First: n.Date, FirstPath: n.Path}
				byKey[t.Key] = a
				order = append(order, t.Key)
			}
			if !t.From.IsZero() && t.From.Before(a.First) {
				a.First = t.From
				a.FirstPath = NotePath(p.Slug, t.From)
			}
			a.Text = TaskBase(t.Text)
			// several occurrences in one note: any unchecked one keeps it open
			if n.Date.After(a.Last) || a.Last.IsZero() {
				a.Open = !t.Checked
			} else if n.Date.Equal(a.Last) && !t.Checked {
				a.Open = true
			}
			a.Last, a.LastPath = n.Date, n.Path
		}
	}
	out := make([]Action, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].First.Before(out[j].First) })
	return out
}

// OpenActions returns the open action items, oldest first.
func (p *Person) OpenActions() []Action {
	var out []Action
	for _, a := range p.Actions() {
		if a.Open {
			out = append(out, a)
		}
	}
	return out
}

// GoalsDue reports whether a goals 1:1 is due on day: none held within
// goals_every, counted from the first held 1:1 when there has been none.
func GoalsDue(p *Person, cfg Config, day time.Time) (due bool, lastGoals time.Time) {
	var first time.Time
	for _, n := range p.Held(day) {
		if first.IsZero() {
			first = n.Date
		}
		if n.Kind == KindGoals {
			lastGoals = n.Date
		}
	}
	if first.IsZero() {
		return false, time.Time{}
	}
	from := lastGoals
	if from.IsZero() {
		from = first
	}
	return DaysBetween(from, day) > cfg.GoalsEveryDays, lastGoals
}
