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
func (a Action) Age(today time.Time) int { return max(DaysBetween(a.First, today), 0) } // 0 for an item of a planned note

// Actions follows every action item through the person's notes, oldest first.
func (p *Person) Actions() []Action {
	states := p.followActions()
	out := make([]Action, len(states))
	for i := range states {
		out[i] = p.action(&states[i])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].First.Before(out[j].First) })
	return out
}

// OpenActions returns the open action items, oldest first.
func (p *Person) OpenActions() []Action {
	var out []Action
	states := p.followActions()
	for i := range states {
		if states[i].open {
			out = append(out, p.action(&states[i]))
		}
	}
	// the same order as Actions filtered: a stable sort keeps first appearance among equals
	sort.SliceStable(out, func(i, j int) bool { return out[i].First.Before(out[j].First) })
	return out
}

// actionState is an action item followed through the notes, small enough to
// keep for every item of a long history; action turns it into an Action.
type actionState struct {
	key       string
	first     time.Time
	firstPath string // "" for NotePath(slug, first)
	last      int    // index in p.Notes of the newest note naming it
	text      string // its newest occurrence, as written
	open      bool
}

// followActions follows every action item through the notes, in order of first appearance.
func (p *Person) followActions() []actionState {
	if p.actionsKnown {
		return p.actions
	}
	var out []actionState
	byKey := map[string]int{}
	// a carry-over marker counts only when it names one of the report's notes
	dates := make(map[time.Time]bool, len(p.Notes))
	for _, n := range p.Notes {
		dates[n.Date] = true
	}
	for ni, n := range p.Notes { // oldest first
		for _, t := range n.Tasks {
			i, ok := byKey[t.Key]
			if !ok {
				i = len(out)
				out = append(out, actionState{key: t.Key, first: n.Date, firstPath: n.Path, last: -1})
				byKey[t.Key] = i
			}
			a := &out[i]
			if !t.From.IsZero() && t.From.Before(a.first) && dates[t.From] {
				a.first = t.From
				a.firstPath = NotePath(p.Slug, t.From)
			}
			a.text = t.Text
			// several occurrences in one note: any unchecked one keeps it open
			if a.last < 0 || n.Date.After(p.Notes[a.last].Date) {
				a.open = !t.Checked
			} else if n.Date.Equal(p.Notes[a.last].Date) && !t.Checked {
				a.open = true
			}
			a.last = ni
		}
	}
	return out
}

func (p *Person) action(s *actionState) Action {
	last := p.Notes[s.last]
	firstPath := s.firstPath
	if firstPath == "" {
		firstPath = NotePath(p.Slug, s.first)
	}
	return Action{Slug: p.Slug, Text: TaskBase(s.text), Key: s.key, First: s.first, FirstPath: firstPath,
		Last: last.Date, LastPath: last.Path, Open: s.open}
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
