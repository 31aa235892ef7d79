package gitstore

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// TestIndexUpdateApplySorted: the binary-search update of a sorted index
// gives the entries a full merge and sort gives, for inserts, replacements
// and removals anywhere (first, last, missing paths), and leaves an index
// with a name twice (conflict stages) to the full merge.
func TestIndexUpdateApplySorted(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 300; round++ {
		idx := &index.Index{Version: 2}
		for i := 0; i < rng.Intn(40); i++ {
			idx.Entries = append(idx.Entries, &index.Entry{Name: fmt.Sprintf("r%02d/%03d.md", rng.Intn(5), rng.Intn(50))})
		}
		sort.Slice(idx.Entries, func(i, j int) bool { return idx.Entries[i].Name < idx.Entries[j].Name })
		dedup := idx.Entries[:0]
		for i, e := range idx.Entries {
			if i == 0 || e.Name != idx.Entries[i-1].Name {
				dedup = append(dedup, e)
			}
		}
		idx.Entries = dedup
		u := indexUpdate{}
		for i := 0; i < 1+rng.Intn(6); i++ {
			name := fmt.Sprintf("r%02d/%03d.md", rng.Intn(6), rng.Intn(50))
			if len(idx.Entries) > 0 && rng.Intn(2) == 0 {
				name = idx.Entries[rng.Intn(len(idx.Entries))].Name
			}
			if rng.Intn(3) == 0 {
				u[name] = nil
			} else {
				u[name] = &index.Entry{Name: name, Size: uint32(round)}
			}
		}
		want := map[string]*index.Entry{}
		for _, e := range idx.Entries {
			want[e.Name] = e
		}
		for name, e := range u {
			if e == nil {
				delete(want, name)
			} else {
				want[name] = e
			}
		}
		var names []string
		for name := range want {
			names = append(names, name)
		}
		sort.Strings(names)
		if !u.applySorted(idx) {
			t.Fatalf("round %d: a sorted index not updated in place", round)
		}
		if len(idx.Entries) != len(names) {
			t.Fatalf("round %d: %d entries, want %d", round, len(idx.Entries), len(names))
		}
		for i, e := range idx.Entries {
			if e.Name != names[i] || e != want[names[i]] {
				t.Fatalf("round %d: entry %d is %s, want %s", round, i, e.Name, names[i])
			}
		}
	}
	conflict := &index.Index{Version: 2, Entries: []*index.Entry{{Name: "a.md", Stage: 1}, {Name: "a.md", Stage: 2}, {Name: "b.md"}}}
	u := indexUpdate{"a.md": {Name: "a.md"}}
	if u.applySorted(conflict) {
		t.Fatal("an index with a name twice updated in place")
	}
	u.apply(conflict)
	if len(conflict.Entries) != 2 || conflict.Entries[0].Stage != 0 || conflict.Entries[1].Name != "b.md" {
		t.Fatalf("conflict stages not replaced: %+v", conflict.Entries)
	}
}
