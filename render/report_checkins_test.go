package render

import (
	"strings"
	"testing"

	"github.com/oneone/oneone/notes"
)

func TestCheckins(t *testing.T) {
	prof, err := notes.ParseProfile("alice", []byte("---\nname: Alice Chen\n---\n"), notes.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	p := &notes.Person{Slug: "alice", Profile: prof}
	for name, text := range map[string]string{
		"2026-11-02.md": "---\nmood: 4\n---\n## Feedback\n- Positive: a\n",
		"2026-11-04.md": "---\nmood: 2\n---\n## Feedback\n- To improve: b\n",     // the same week: the lowest mood, both kinds
		"2026-11-10.md": "## Feedback\n- the demo\n",                             // held, no check-in, feedback of no kind
		"2026-11-17.md": "---\nmood: 1\nstatus: skipped\n---\n",                  // not held: not shown
		"2026-11-27.md": "---\nmood: 5\n---\n## Feedback\n- Positive: planned\n", // planned: not held yet
	} {
		n, err := notes.ParseNote("alice", name, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		p.Notes = append(p.Notes, n)
	}
	sortByDate(p.Notes)
	today := notes.ParseDateOr("2026-11-25")
	row := Checkins(p, today, 4)
	var got []string
	for _, w := range row.Weeks {
		got = append(got, notes.FormatDate(w.Start)+" "+string(rune('0'+w.Mood))+" "+w.Feedback)
	}
	want := []string{"2026-11-02 2 both", "2026-11-09 0 neither", "2026-11-16 0 ", "2026-11-23 0 "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("weeks:\n got %q\nwant %q", got, want)
	}
	if s := checkinSummary(row); s != "Alice Chen: check-ins 4, 2 (the last on 2026-11-04); feedback over 3 held 1:1s: only praise in 1, only points to improve in 1, neither kind in 1." {
		t.Errorf("summary %q", s)
	}
	svg := string(CheckinsSVG([]CheckinRow{row}, today, 4))
	for _, want := range []string{`<rect class="mood m2"`, `<text class="mood-digit" x="178" y="12">2</text>`, `<rect class="fb both"`, `<rect class="mood unknown"`, `<rect class="fb neither"`, `role="img"`, `<desc id="checkins-desc">Alice Chen: check-ins 4, 2`} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "m1") || strings.Contains(svg, "m5") {
		t.Errorf("a skipped or planned 1:1's check-in is drawn:\n%s", svg)
	}
}

func sortByDate(ns []*notes.Note) {
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && ns[j].Date.Before(ns[j-1].Date); j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
}
