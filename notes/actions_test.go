package notes

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

func actionSummary(acts []Action) string {
	var out []string
	for _, a := range acts {
		st := "open"
		switch {
		case a.Done:
			st = "done"
		case a.Dropped && a.DroppedPath != "":
			st = "deleted in " + a.DroppedPath
		case a.Dropped:
			st = "dropped"
		}
		if a.Private {
			st += " private"
		}
		out = append(out, a.Text+": "+st)
	}
	return strings.Join(out, "\n")
}

func TestActionsDroppedAndDeleted(t *testing.T) {
	notes := map[string]string{
		"2026-11-02": "## Action items\n- [ ] A: carried and checked\n- [ ] B: dropped with [-]\n- [ ] C: deleted in a held note\n- [ ] D: kept through a cancelled 1:1\n- [ ] E: deleted, then written again\n\n## Private\n- [ ] F: private, carried\n",
		// a cancelled 1:1 that lists nothing drops nothing
		"2026-11-09": "---\nstatus: cancelled\n---\nOffsite.\n",
		// a held 1:1 with no action items drops nothing either
		"2026-11-10": "## Feedback\n- Positive: the demo\n",
		"2026-11-16": "## Action items\n- [x] A: carried and checked (from 2026-11-02)\n- [-] B: dropped with [-] (from 2026-11-02)\n- [ ] D: kept through a cancelled 1:1 (from 2026-11-02)\n\n## Private\n- [ ] F: private, carried (from 2026-11-02)\n",
		"2026-11-23": "## Action items\n- [ ] D: kept through a cancelled 1:1 (from 2026-11-02)\n- [ ] E: deleted, then written again\n- [ ] G: new\n- [ ] F: private, carried (from 2026-11-02)\n\n## PRIVATE\n- [ ] H: private now\n",
		// planned: it does not list G, but it is not held yet
		"2026-11-30": "## Action items\n- [ ] D: kept through a cancelled 1:1 (from 2026-11-02)\n",
	}
	p := testPerson(t, "alice", "name: Alice Chen", notes)
	today := ParseDateOr("2026-11-25")
	got := actionSummary(p.ActionsOn(today))
	want := strings.Join([]string{
		"A: carried and checked: done",
		"B: dropped with [-]: dropped",
		"C: deleted in a held note: deleted in alice/2026-11-16.md",
		"D: kept through a cancelled 1:1: open",
		"E: deleted, then written again: open", // written again in 11-23: its newest occurrence is open
		"F: private, carried: open",            // moved out of Private in 11-23
		"G: new: open",
		"H: private now: open private",
	}, "\n")
	if got != want {
		t.Errorf("ActionsOn(%s):\n%s\nwant:\n%s", FormatDate(today), got, want)
	}
	var open []string
	for _, a := range p.OpenActionsOn(today) {
		open = append(open, a.Text[:1])
	}
	if strings.Join(open, "") != "DEFGH" {
		t.Errorf("OpenActionsOn = %v, want D E F G H", open)
	}
	if a := p.OpenActionsOn(today); a[0].First != ParseDateOr("2026-11-02") || a[1].First != ParseDateOr("2026-11-02") {
		t.Errorf("ages count from the first occurrence: %v %v", a[0].First, a[1].First)
	}
	// once the planned note is held, it drops what it no longer lists
	later := ParseDateOr("2026-11-30")
	if got := actionSummary(p.OpenActionsOn(later)); got != "D: kept through a cancelled 1:1: open" {
		t.Errorf("OpenActionsOn(%s) = %q", FormatDate(later), got)
	}
	// Actions and OpenActions count every note as held
	if got, want := actionSummary(p.OpenActions()), actionSummary(p.OpenActionsOn(later)); got != want {
		t.Errorf("OpenActions() = %q, want %q", got, want)
	}
}

func TestItemOwner(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"Dana: share the roadmap", "Dana"},
		{"dana: lower case", "dana"},
		{"ALICE: upper case", "ALICE"},
		{"**Dana**: emphasis", "Dana"},
		{"**Alice:** emphasis", "Alice"},
		{"Dana Reyes: full name", ""},
		{"ask Dana: about it", ""},
		{"Bob: another person", ""},
		{"Dana share: no colon after the name", ""},
		{"no colon at all", ""},
		{": empty", ""},
		{"Tomás: accents", "Tomás"},
		{"TOMÁS: accents, upper case", "TOMÁS"},
	} {
		if got := ItemOwner(tt.text, "Dana", "Alice", "Tomás"); got != tt.want {
			t.Errorf("ItemOwner(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if got := ItemOwner("Dana: x", "", "Alice"); got != "" {
		t.Errorf("no manager name: %q", got)
	}
}

// TestActionsAgainstModel: over random histories of carries, checks, drops
// and deletions (and skipped, cancelled and planned notes), the actions
// followed through the parsed notes equal a simple reference model that
// applies the spec's rules literally.
func TestActionsAgainstModel(t *testing.T) {
	tally := map[string]int{}
	defer func() {
		// the histories must exercise every rule, or the test proves little
		for _, k := range []string{"open", "done", "dropped", "deleted", "deleted-later"} {
			if tally[k] < 20 {
				t.Errorf("only %d items %s over all histories: %v", tally[k], k, tally)
			}
		}
	}()
	for seed := uint64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		h := randomHistory(rng)
		p := testPerson(t, "alice", "name: Alice Chen", h.files)
		for _, today := range []time.Time{h.today, Never} {
			want := h.model(today)
			got := map[string]string{}
			for _, a := range p.ActionsOn(today) {
				st := "open"
				switch {
				case a.Done:
					st = "done"
				case a.Dropped:
					st = "dropped"
				}
				got[a.Key] = fmt.Sprintf("%s first %s", st, FormatDate(a.First))
				switch {
				case a.DroppedPath != "" && today.Equal(Never) && !p.Notes[len(p.Notes)-1].Date.After(h.today):
				case a.DroppedPath != "" && today.Equal(Never):
					if acts := p.ActionsOn(h.today); len(acts) > 0 {
						for _, b := range acts {
							if b.Key == a.Key && b.Open {
								tally["deleted-later"]++ // open today, deleted by a planned note once held
							}
						}
					}
				case a.DroppedPath != "":
					tally["deleted"]++
				default:
					tally[st]++
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				var dates []string
				for d := range h.files {
					dates = append(dates, d)
				}
				sort.Strings(dates)
				var b strings.Builder
				for _, d := range dates {
					fmt.Fprintf(&b, "== %s\n%s", d, h.files[d])
				}
				t.Fatalf("seed %d, today %s:\n got %v\nwant %v\n%s", seed, FormatDate(today), got, want, b.String())
			}
			var open []string
			for _, a := range p.OpenActionsOn(today) {
				open = append(open, a.Key)
			}
			var wantOpen []string
			for _, a := range p.ActionsOn(today) {
				if a.Open {
					wantOpen = append(wantOpen, a.Key)
				}
			}
			if strings.Join(open, "|") != strings.Join(wantOpen, "|") {
				t.Fatalf("seed %d: OpenActionsOn %v is not ActionsOn filtered %v", seed, open, wantOpen)
			}
		}
	}
}

// history is a generated series of notes and what was written in each.
type history struct {
	files map[string]string // date -> note
	notes []modelNote
	today time.Time
}

type modelNote struct {
	date   time.Time
	status string
	items  map[string]byte // key -> ' ', 'x' or '-'
}

func randomHistory(rng *rand.Rand) history {
	h := history{files: map[string]string{}}
	day := ParseDateOr("2026-01-05")
	type item struct {
		text  string
		first time.Time
	}
	var open []item
	next := 0
	n := 3 + rng.IntN(10)
	for i := 0; i < n; i++ {
		day = AddDays(day, 1+rng.IntN(10))
		status := ""
		switch rng.IntN(8) {
		case 0:
			status = StatusSkipped
		case 1:
			status = StatusCancelled
		}
		mn := modelNote{date: day, status: status, items: map[string]byte{}}
		var b strings.Builder
		if status != "" {
			fmt.Fprintf(&b, "---\nstatus: %s\n---\n", status)
		}
		b.WriteString("## Feedback\n- Positive: fine\n")
		empty := rng.IntN(6) == 0 // a note with no action items at all
		var still []item
		if !empty {
			b.WriteString("\n## Action items\n")
		}
		for _, it := range open {
			box := byte(' ')
			switch r := rng.IntN(10); {
			case empty || r < 2: // deleted: not listed
				if !empty {
					continue
				}
				still = append(still, it) // (a note without items keeps them all in play)
				continue
			case r < 4:
				box = 'x'
			case r < 5:
				box = '-'
			}
			key := TaskKey(it.text)
			mn.items[key] = box
			marker := ""
			if rng.IntN(3) > 0 {
				marker = " (from " + FormatDate(it.first) + ")"
			}
			text := it.text
			if rng.IntN(4) == 0 {
				text = strings.ReplaceAll(strings.ToUpper(text), " ", "  ") // the same item, spaced and cased differently
			}
			fmt.Fprintf(&b, "- [%c] %s%s\n", box, text, marker)
			if box == ' ' {
				still = append(still, it)
			}
		}
		if !empty {
			for k := rng.IntN(3); k > 0; k-- {
				it := item{text: fmt.Sprintf("item %d", next), first: day}
				next++
				mn.items[TaskKey(it.text)] = ' '
				fmt.Fprintf(&b, "- [ ] %s\n", it.text)
				still = append(still, it)
			}
			// an old item written again now and then
			if next > 0 && rng.IntN(5) == 0 {
				k := rng.IntN(next)
				key := TaskKey(fmt.Sprintf("item %d", k))
				if _, listed := mn.items[key]; !listed {
					mn.items[key] = ' '
					fmt.Fprintf(&b, "- [ ] item %d\n", k)
				}
			}
		}
		open = still
		h.files[FormatDate(day)] = b.String()
		h.notes = append(h.notes, mn)
	}
	h.today = AddDays(h.notes[rng.IntN(len(h.notes))].date, rng.IntN(3)-1)
	return h
}

// model applies the spec's rules to the history, note by note, as of today.
func (h history) model(today time.Time) map[string]string {
	out := map[string]string{}
	keys := map[string]bool{}
	for _, n := range h.notes {
		for k := range n.items {
			keys[k] = true
		}
	}
	for k := range keys {
		var first time.Time
		newest := -1
		for i, n := range h.notes {
			if _, ok := n.items[k]; ok {
				if first.IsZero() {
					first = n.date
				}
				newest = i
			}
		}
		state := map[byte]string{' ': "open", 'x': "done", '-': "dropped"}[h.notes[newest].items[k]]
		if state == "open" {
			for _, later := range h.notes[newest+1:] {
				held := !later.date.After(today) && later.status != StatusSkipped && later.status != StatusCancelled
				if held && len(later.items) > 0 {
					state = "dropped" // deleted where it had been carried
					break
				}
			}
		}
		out[k] = fmt.Sprintf("%s first %s", state, FormatDate(first))
	}
	return out
}
