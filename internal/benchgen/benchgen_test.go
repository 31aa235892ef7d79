package benchgen_test

import (
	"strings"
	"testing"

	"github.com/oneone/oneone/internal/benchgen"
	"github.com/oneone/oneone/notes"
)

// TestNeverClose: the never-closed-items variant is the same repository plus
// action items only, and every one of them stays open (issue 19).
func TestNeverClose(t *testing.T) {
	plain := benchgen.Spec{Name: "t", Reports: 4, Years: 1, Seed: 3}
	items := plain
	items.NeverClose = true
	pf, vf := benchgen.Files(plain), benchgen.Files(items)
	if len(pf) != len(vf) {
		t.Fatalf("%d files, want %d as without never-closed items", len(vf), len(pf))
	}
	people := map[string]*notes.Person{}
	added := map[string]int{}
	for i := range pf {
		if pf[i].Path != vf[i].Path || !pf[i].Day.Equal(vf[i].Day) {
			t.Fatalf("file %d: %s, want %s", i, vf[i].Path, pf[i].Path)
		}
		// the plain file's lines, in order, with only unchecked items added
		pl, vl := strings.Split(string(pf[i].Data), "\n"), strings.Split(string(vf[i].Data), "\n")
		j := 0
		for _, l := range vl {
			if j < len(pl) && l == pl[j] {
				j++
				continue
			}
			if !strings.HasPrefix(l, "- [ ] ") {
				t.Fatalf("%s: line %q added, want only open action items", vf[i].Path, l)
			}
			added[vf[i].Path]++
		}
		if j != len(pl) {
			t.Fatalf("%s: the plain file's lines are not all there, in order", vf[i].Path)
		}
		slug, name, _ := strings.Cut(vf[i].Path, "/")
		if name == "" || name == notes.ProfileFile || !strings.HasSuffix(name, ".md") {
			continue
		}
		if added[vf[i].Path] == 0 {
			t.Errorf("%s: no action item added", vf[i].Path)
		}
		n, err := notes.ParseNote(slug, name, vf[i].Data)
		if err != nil {
			t.Fatal(err)
		}
		if people[slug] == nil {
			people[slug] = &notes.Person{Slug: slug, Profile: &notes.Profile{}}
		}
		people[slug].Notes = append(people[slug].Notes, n)
	}
	today := notes.ParseDateOr(benchgen.Today)
	for slug, p := range people {
		open := p.OpenActionsOn(today)
		if len(open) < len(p.Notes) {
			t.Errorf("%s: %d open items for %d notes, want at least one per note", slug, len(open), len(p.Notes))
		}
	}
}
