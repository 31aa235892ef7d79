package notes

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneone/oneone/internal/benchgen"
)

// TestScaffoldFromSummariesMatches: `oneone new`'s fast path
// (LoadPersonTasks: summaries with their tasks, from the cache or parsed on
// every core, and the open items' privacy read from the notes that list them)
// scaffolds byte for byte the note that LoadPerson's full parse gives, with
// no cache, a warm cache and a cache one note behind, on examples/team, on
// generated notes and on items under a Private heading of another level.
func TestScaffoldFromSummariesMatches(t *testing.T) {
	noRacyWindow(t)
	repos := map[string]string{}
	team := filepath.Join(t.TempDir(), "team")
	if err := os.CopyFS(team, os.DirFS("../examples/team")); err != nil {
		t.Fatal(err)
	}
	repos["team"] = team
	gen := filepath.Join(t.TempDir(), "gen")
	if err := benchgen.WriteFiles(gen, benchgen.Spec{Reports: 6, Years: 2, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	repos["benchgen"] = gen
	priv := filepath.Join(t.TempDir(), "private")
	for name, text := range map[string]string{
		"oneone.yaml":         "manager: Dana Reyes\n",
		"alice/profile.md":    "---\nname: Alice Chen\nrole: Engineer\n---\n",
		"alice/2026-09-01.md": "---\ndate: 2026-09-01\n---\n# 1:1\n\n## Notes\n### Private\n- [ ] Dana: check in with HR\n\n## Action items\n- [ ] Alice: write the RFC\n",
		"alice/2026-09-15.md": "---\ndate: 2026-09-15\n---\n# 1:1\n\n## Action items\n- [ ] Alice: write the RFC (from 2026-09-01)\n- [ ] Dana: check in with HR (from 2026-09-01)\n\nPrivate\n-------\n- [ ] Dana: talk to Lee\n",
		"alice/2026-09-29.md": "---\ndate: 2026-09-29\nstatus: cancelled\n---\n",
		"alice/2026-10-13.md": "---\ndate: 2026-10-13\n---\n## Action items\n- [ ] Alice: write the RFC (from 2026-09-01)\n- [ ] Dana: check in with HR (from 2026-09-01)\n- [ ] Dana: talk to Lee (from 2026-09-15)\n\n## Private\n- [ ] Dana: raise the budget\n",
		"alice/2026-10-27.md": "---\ndate: 2026-10-27\n---\n## Action items\n- [x] Alice: write the RFC (from 2026-09-01)\n- [ ] Dana: check in with HR (from 2026-09-01)\n- [ ] Dana: talk to Lee (from 2026-09-15)\n- [ ] Dana: raise the budget (from 2026-10-13)\n",
		"alice/2026-11-10.md": "---\ndate: 2026-11-10\nstatus: skipped\n---\n",
		"alice/2026-11-24.md": "---\ndate: 2026-11-24\n---\n## Action items\n- [ ] Alice: plan Q1\n- [ ] Dana: check in with HR (from 2026-09-01)\n",
		"alice/2026-12-08.md": "---\ndate: 2026-12-08\n---\n",
		"bob/profile.md":      "---\nname: Bob Stone\n---\n",
		"bob/2026-11-03.md":   "---\ndate: 2026-11-03\n---\n## Action items\n- [ ] Bob: ship it\n",
	} {
		p := filepath.Join(priv, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	repos["private"] = priv
	days := []string{"2026-06-01", "2026-10-20", "2026-11-01", "2026-11-30", "2027-01-05"}
	carriedPrivate := 0
	for name, dir := range repos {
		if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o700); err != nil {
			t.Fatal(err)
		}
		r, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		slugs, err := r.Slugs()
		if err != nil {
			t.Fatal(err)
		}
		scaffolds := func(load func(string) (*Person, error)) map[string][]byte {
			out := map[string][]byte{}
			for _, slug := range slugs {
				p, err := load(slug)
				if err != nil {
					t.Fatalf("%s: %s: %v", name, slug, err)
				}
				for _, d := range days {
					day := ParseDateOr(d)
					if p.Note(day) != nil {
						continue
					}
					for _, kind := range []string{"", KindRegular, KindGoals} {
						sc, err := r.ScaffoldNote(p, day, kind)
						if err != nil {
							t.Fatalf("%s: %s %s: %v", name, slug, d, err)
						}
						out[slug+" "+d+" "+kind] = sc.Content
					}
				}
			}
			return out
		}
		want := scaffolds(r.LoadPerson)
		check := func(stage string) {
			t.Helper()
			got := scaffolds(r.LoadPersonTasks)
			if len(got) != len(want) {
				t.Fatalf("%s, %s: %d scaffolds, want %d", name, stage, len(got), len(want))
			}
			for k, w := range want {
				if i := bytes.Index(w, []byte("\n## Private\n")); i >= 0 && bytes.Contains(w[i:], []byte("- [ ] Dana: check in with HR (from 2026-09-01)")) {
					carriedPrivate++
				}
				if !bytes.Equal(got[k], w) {
					t.Errorf("%s, %s: %s:\n%s\nwant:\n%s", name, stage, k, got[k], w)
				}
			}
		}
		check("no cache")
		if _, err := os.Stat(filepath.Join(dir, ".git", CacheFile)); err == nil {
			t.Fatalf("%s: LoadPersonTasks wrote the cache", name)
		}
		if _, err := r.LoadSummaries(); err != nil {
			t.Fatal(err)
		}
		WaitCache()
		check("warm cache")
		// one note added and one edited since the cache was written: parsed, the others' tasks from the cache
		for _, slug := range slugs {
			p, err := r.LoadPerson(slug)
			if err != nil || len(p.Notes) == 0 {
				continue
			}
			last := filepath.Join(dir, filepath.FromSlash(p.Latest().Path))
			data, _ := os.ReadFile(last)
			os.WriteFile(last, append(data, []byte("\n## Action items\n- [ ] Dana: follow up "+slug+"\n")...), 0o600)
			os.WriteFile(filepath.Join(dir, slug, "2026-12-15.md"), []byte("---\ndate: 2026-12-15\nstatus: cancelled\n---\n"), 0o600)
		}
		want = scaffolds(r.LoadPerson)
		check("cache behind")
	}
	if carriedPrivate == 0 {
		t.Fatal("no scaffold carried a private item: the test misses the privacy path")
	}
}
