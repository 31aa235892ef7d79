package notes

import (
	"sort"
	"strings"
	"time"
	"unsafe"
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
	Done      bool      `json:"-"` // its newest occurrence is checked
	// Dropped: written "- [-]" where it last appears, or deleted since then
	// from a later held note that lists other action items (DroppedPath).
	Dropped     bool   `json:"-"`
	DroppedPath string `json:"-"` // the note that no longer lists it; "" for "- [-]"
	// Private: its newest occurrence is in a Private section.
	Private bool `json:"-"`
}

// Age returns the action's age in days as of today, counted from its first occurrence.
func (a Action) Age(today time.Time) int { return max(DaysBetween(a.First, today), 0) } // 0 for an item of a planned note

// Owner returns the item's owner among names (the manager's and the report's
// first names): the word before its first colon, as written, when it is one
// of them in any letter case ("Dana: share the roadmap"); "" otherwise.
func (a Action) Owner(names ...string) string { return ItemOwner(a.Text, names...) }

// ItemOwner returns the word before the first colon of an action item text,
// as written (emphasis around it left out: "**Dana**:"), when it equals one
// of names ignoring letter case; "" when there is none or it names no one of them.
func ItemOwner(text string, names ...string) string {
	i := strings.IndexByte(text, ':')
	if i < 0 {
		return ""
	}
	w := strings.Trim(strings.TrimSpace(text[:i]), "*_")
	if w == "" || strings.ContainsAny(w, " \t*_") {
		return ""
	}
	for _, n := range names {
		if n != "" && strings.EqualFold(w, n) {
			return w
		}
	}
	return ""
}

// Never is a day after every note: Actions and OpenActions follow the items
// as if every note not skipped or cancelled were held.
var Never = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Actions follows every action item through the person's notes as if every
// note not skipped or cancelled were held, oldest first; ActionsOn says how
// they stand on a day.
func (p *Person) Actions() []Action { return p.ActionsOn(Never) }

// OpenActions returns the open action items, as Actions does, oldest first.
func (p *Person) OpenActions() []Action { return p.OpenActionsOn(Never) }

// ActionsOn follows every action item through the person's notes as of
// today, oldest first (by first occurrence). An item is open when its newest
// occurrence is unchecked, done when it is checked, dropped when it is
// written "- [-]"; an open item is dropped too once a later held note (as of
// today) has at least one action item but no longer lists it. A later note
// with no action items at all (a cancelled 1:1) drops nothing.
func (p *Person) ActionsOn(today time.Time) []Action {
	states, order := p.followedInOrder()
	out := make([]Action, len(order))
	for i, k := range order {
		out[i] = p.action(&states[k], today)
	}
	return out
}

// OpenActionsOn returns the action items open as of today, oldest first.
func (p *Person) OpenActionsOn(today time.Time) []Action {
	states, order := p.followedInOrder()
	n := 0
	for i := range states {
		if p.openOn(&states[i], today) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Action, 0, n) // one allocation, however many items stay open
	for _, k := range order {
		if s := &states[k]; p.openOn(s, today) {
			out = append(out, p.action(s, today))
		}
	}
	return out
}

// actionMemo is what followActions and followedInOrder computed last, with
// the signature of the notes it was computed from: commands ask for the
// action items many times (report --html asks 3 times per report, audit,
// health and next once each), and following them costs a map entry and an
// allocation per task. On a report with 25,000 items (a 2 MiB note) the
// recomputation was 177 MB of the 508 MB report --html allocated.
type actionMemo struct {
	sig    uint64        // notesSignature of p.Notes when computed; 0 for the cache's actions
	states []actionState // as followActions returns them
	order  []int32       // states' indexes stably sorted by first occurrence
}

// notesSignature sums up everything followActions reads from p.Notes: each
// note's identity, date, status and every field of its tasks (strings by
// address and length: a string's bytes never change). A Person whose notes
// were appended, replaced, re-sorted or edited in place gets another
// signature, so the memo is never used stale. It reads every task but
// allocates nothing: about 1 ns per task, against ~150 ns to follow one.
func (p *Person) notesSignature() uint64 {
	h := uint64(14695981039346656037)
	mix := func(v uint64) { h = (h ^ v) * 1099511628211 }
	str := func(s string) { mix(uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))); mix(uint64(len(s))) }
	mix(uint64(len(p.Notes)))
	for _, n := range p.Notes {
		mix(uint64(uintptr(unsafe.Pointer(n))))
		if n == nil {
			continue
		}
		mix(uint64(n.Date.Unix()))
		str(n.Status)
		str(n.Path)
		mix(uint64(len(n.Tasks)))
		for i := range n.Tasks {
			t := &n.Tasks[i]
			str(t.Key)
			str(t.Text)
			mix(uint64(t.From.Unix()))
			mix(uint64(boolBits(t.Checked) | boolBits(t.Dropped)<<1 | boolBits(t.Private)<<2))
		}
	}
	return h | 1 // never 0, the cache's mark
}

func boolBits(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// followedInOrder returns the followed items and their order by first
// occurrence, both memoized on p.
func (p *Person) followedInOrder() ([]actionState, []int32) {
	states := p.followActions()
	m := p.memo.Load()
	same := m != nil && len(m.states) == len(states) && (len(states) == 0 || &m.states[0] == &states[0])
	if same && m.order != nil {
		return states, m.order
	}
	order := make([]int32, len(states))
	for i := range order {
		order[i] = int32(i)
	}
	// a stable sort keeps first appearance among equals: OpenActionsOn is
	// ActionsOn filtered. Items nearly always come in order of first
	// occurrence already (only a "(from DATE)" naming an older note moves
	// one): checking is a pass, sorting 53,000 items ~5 ms.
	sorted := true
	for i := 1; i < len(states) && sorted; i++ {
		sorted = !states[i].first.Before(states[i-1].first)
	}
	if !sorted {
		sort.SliceStable(order, func(i, j int) bool { return states[order[i]].first.Before(states[order[j]].first) })
	}
	sig := uint64(0) // the cache's actions: known, not computed
	if same {
		sig = m.sig
	}
	p.memo.Store(&actionMemo{sig: sig, states: states, order: order})
	return states, order
}

// States of an action item at its newest occurrence.
const (
	itemOpen uint8 = iota
	itemDone
	itemDropped
)

// actionState is an action item followed through the notes, small enough to
// keep for every item of a long history; action turns it into an Action.
// Nothing in it depends on the day: what a day changes (which later note is
// held already) is read from dropAfter.
type actionState struct {
	key       string // TaskKey(text); "" when decoded from the cache (see actionKey)
	first     time.Time
	firstPath string // "" for NotePath(slug, first)
	last      int    // index in p.Notes of the newest note naming it
	text      string // its newest occurrence, as written
	state     uint8  // itemOpen, itemDone or itemDropped at its newest occurrence
	private   bool   // its newest occurrence is in a Private section
	// dropAfter is the index in p.Notes of the first note after last that has
	// action items and is neither skipped nor cancelled, -1 when there is none:
	// once that note is held, an item still open there is dropped by deletion.
	dropAfter int
}

// actionKey returns the item's key: TaskKey of its text, which every
// occurrence shares. The cache does not store it (decodeMeta leaves key "").
func (s *actionState) actionKey() string {
	if s.key == "" {
		return TaskKey(s.text)
	}
	return s.key
}

// openOn reports whether the item is open on day today.
func (p *Person) openOn(s *actionState, today time.Time) bool {
	return s.state == itemOpen && (s.dropAfter < 0 || p.Notes[s.dropAfter].Date.After(today))
}

// followActions follows every action item through the notes, in order of
// first appearance: the cache's when LoadSummaries read them (the notes have
// no tasks then), else memoized on p until its notes change.
func (p *Person) followActions() []actionState {
	if p.actionsKnown {
		return p.actions
	}
	sig := p.notesSignature()
	if m := p.memo.Load(); m != nil && m.sig == sig {
		return m.states
	}
	states := p.computeActions()
	p.memo.Store(&actionMemo{sig: sig, states: states})
	return states
}

// computeActions follows every action item through the notes (see followActions).
func (p *Person) computeActions() []actionState {
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
			st := itemOpen
			switch {
			case t.Dropped:
				st = itemDropped
			case t.Checked:
				st = itemDone
			}
			if a.last != ni {
				a.state, a.private = st, t.Private
			} else {
				// several occurrences in one note: an unchecked one keeps it
				// open, else a checked one makes it done; any in Private makes it private
				a.state = min(a.state, st)
				a.private = a.private || t.Private
			}
			a.last = ni
		}
	}
	// the first note after each note that could drop an item by deletion
	next := make([]int, len(p.Notes))
	following := -1
	for i := len(p.Notes) - 1; i >= 0; i-- {
		next[i] = following
		if n := p.Notes[i]; len(n.Tasks) > 0 && n.Status != StatusSkipped && n.Status != StatusCancelled {
			following = i
		}
	}
	for i := range out {
		out[i].dropAfter = next[out[i].last]
	}
	return out
}

func (p *Person) action(s *actionState, today time.Time) Action {
	last := p.Notes[s.last]
	firstPath := s.firstPath
	if firstPath == "" {
		firstPath = NotePath(p.Slug, s.first)
	}
	a := Action{Slug: p.Slug, Text: TaskBase(s.text), Key: s.actionKey(), First: s.first, FirstPath: firstPath,
		Last: last.Date, LastPath: last.Path, Private: s.private}
	switch {
	case s.state == itemDone:
		a.Done = true
	case s.state == itemDropped:
		a.Dropped = true
	case p.openOn(s, today):
		a.Open = true
	default:
		a.Dropped, a.DroppedPath = true, p.Notes[s.dropAfter].Path
	}
	return a
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

// PlannedGoals returns the first goals note dated after today that is neither
// cancelled nor skipped: a goals 1:1 on the calendar already, which silences
// goals-due. Nil when there is none.
func (p *Person) PlannedGoals(today time.Time) *Note {
	for _, n := range p.Notes {
		if n.Planned(today) && n.Kind == KindGoals && n.Status != StatusCancelled && n.Status != StatusSkipped {
			return n
		}
	}
	return nil
}
