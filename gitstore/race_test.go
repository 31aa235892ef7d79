package gitstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// words asserts that every one of words is in some file of m's work tree.
func words(t *testing.T, m *machine, words ...string) {
	t.Helper()
	all := strings.Join(mapValues(m.files()), "\n")
	for _, w := range words {
		if !strings.Contains(all, w) {
			t.Errorf("%q is in no file of %s:%s", w, m.dir, dump(m.files()))
		}
	}
}

// settle syncs both machines until they agree, then checks that every word
// is on both, git fsck is clean everywhere and no lock is held.
func settle(t *testing.T, a, b *machine, bare string, ws ...string) {
	t.Helper()
	b.mustSync()
	a.mustSync()
	b.mustSync()
	a.check(b.files())
	b.check(a.files())
	words(t, a, ws...)
	words(t, b, ws...)
	fsck(t, bare)
	lockFree(t, a)
	lockFree(t, b)
}

// conflictCopies returns the conflict copies in m's work tree.
func conflictCopies(m *machine) []string {
	var out []string
	for p := range m.files() {
		if strings.Contains(p, ".conflict-") {
			out = append(out, p)
		}
	}
	return out
}

// An edit saved while sync runs, between its scan and its checkout, is never
// overwritten: the checkout re-checks each file right before it writes, keeps
// the edit and puts origin's version beside it. The hook plays the editor at
// both points: before the check and between the check and the rename.
func TestSyncKeepsEditsSavedDuringCheckout(t *testing.T) {
	const path = "alice/2026-11-25.md"
	edited := func(old, repl string) string { return strings.Replace(note, old, repl, 1) }
	for _, tc := range []struct {
		name   string
		stage  string // where the editor saves: "check" or "rename"
		remote func(a *machine)
		local  func(b *machine) // b's own change before the sync (a merge)
	}{
		{name: "fast-forward/before the check", stage: "check", remote: func(a *machine) { a.write(path, edited("- one\n", "- one from a\n")) }},
		{name: "fast-forward/before the rename", stage: "rename", remote: func(a *machine) { a.write(path, edited("- one\n", "- one from a\n")) }},
		{name: "deleted on origin", stage: "check", remote: func(a *machine) { a.remove(path); a.write("x.md", "x\n") }},
		{name: "merge/before the rename", stage: "rename", remote: func(a *machine) { a.write(path, edited("- one\n", "- one from a\n")) },
			local: func(b *machine) { b.write("bob/profile.md", "---\nname: Bob\n---\n") }},
		{name: "new file there and here", stage: "rename", remote: func(a *machine) { a.write("alice/2026-12-02.md", "from a\n") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b, bare := pair(t, "daemon")
			tc.remote(a)
			a.mustSync()
			if tc.local != nil {
				tc.local(b)
			}
			saved := edited("- three\n", "- three, saved in b's editor during the sync\n")
			target := path
			if tc.name == "new file there and here" {
				target, saved = "alice/2026-12-02.md", "from b's editor\n"
			}
			fired := false
			testHookCheckout = func(stage, rel string) {
				if stage == tc.stage && rel == target && !fired {
					fired = true
					b.write(target, saved)
				}
			}
			defer func() { testHookCheckout = nil }()
			res := b.mustSync()
			testHookCheckout = nil
			if !fired {
				t.Fatal("the checkout never reached the note")
			}
			if got := b.files()[target]; got != saved {
				t.Fatalf("the edit saved during the sync was replaced: %q", got)
			}
			if tc.name == "deleted on origin" {
				if len(res.Revived) != 1 || res.Revived[0].Path != path {
					t.Fatalf("the kept edit is not reported: %+v", res)
				}
			} else if len(res.Conflicts) != 1 || res.Conflicts[0].Path != target || res.Conflicts[0].Kind != ConflictDuringSync {
				t.Fatalf("the conflict is not reported: %+v", res)
			}
			ws := []string{"saved in b's editor", "from b's editor"}
			if tc.name == "new file there and here" {
				ws = []string{"from a", "from b's editor"}
			} else if tc.name != "deleted on origin" {
				ws = []string{"- one from a", "saved in b's editor"}
			} else {
				ws = ws[:1]
			}
			settle(t, a, b, bare, ws...)
		})
	}
}

// The scenario of the report: a slow server, the user saves during the
// fetch. The proxy holds the pack mid-way while the edit is saved.
func TestSyncKeepsEditsSavedDuringASlowFetch(t *testing.T) {
	const path = "alice/2026-11-25.md"
	a, b, bare := pair(t, "daemon")
	a.write(path, strings.Replace(note, "- one\n", "- one from a\n", 1)+bigNote(256<<10))
	a.mustSync()
	p, url := startProxy(t, remoteURL(t, b), func(int, string) stall { return stall{32 << 10, -1} })
	runGit(t, b.dir, "remote", "set-url", "origin", url)
	done := make(chan error, 1)
	go func() { _, err := b.sync(); done <- err }()
	<-p.stalled // the scan is over, the pack is on its way
	b.write(path, strings.Replace(note, "- three\n", "- three, saved during the fetch\n", 1))
	p.letGo()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := b.files()[path]; !strings.Contains(got, "saved during the fetch") {
		t.Fatalf("the edit saved during the fetch was replaced: %q", got)
	}
	settle(t, a, b, bare, "- one from a", "saved during the fetch")
}

// A file listed in .git/info/exclude (or ignored by .gitignore) is never
// overwritten by a pulled file of the same name: the local one is kept as a
// conflict copy, still ignored, so it never leaves this computer.
func TestSyncKeepsIgnoredFiles(t *testing.T) {
	for _, how := range []string{"info/exclude", ".gitignore"} {
		t.Run(how, func(t *testing.T) {
			a, b, bare := pair(t, "daemon")
			const path = "alice/draft.md"
			if how == "info/exclude" {
				writeFile(t, filepath.Join(b.dir, ".git", "info", "exclude"), "draft.md\n")
			} else {
				b.write(".gitignore", "draft.md\n")
				b.mustSync()
				a.mustSync()
			}
			b.write(path, "b's private draft\n")
			if res := b.mustSync(); len(res.Committed) != 0 {
				t.Fatalf("the ignored file was committed: %+v", res)
			}
			a.write(path, "a's draft, committed\n")
			if how == ".gitignore" {
				runGit(t, a.dir, "add", "-f", path) // ignored there too: added by force
			}
			a.mustSync()
			res := b.mustSync()
			if got := b.files()[path]; got != "a's draft, committed\n" {
				t.Fatalf("%s on b: %q", path, got)
			}
			cps := conflictCopies(b)
			if len(cps) != 1 || b.files()[cps[0]] != "b's private draft\n" || len(res.Conflicts) != 1 || res.Conflicts[0].Kind != ConflictIgnored {
				t.Fatalf("b's ignored file is not kept beside it: %v %+v", cps, res)
			}
			b.mustSync()
			out := runGit(t, bare, "cat-file", "--batch-all-objects", "--batch-check")
			for _, l := range strings.Split(out, "\n") {
				if f := strings.Fields(l); len(f) == 3 && f[1] == "blob" {
					if c := runGit(t, bare, "cat-file", "blob", f[0]); strings.Contains(c, "private draft") {
						t.Fatal("b's ignored file reached the remote")
					}
				}
			}
			fsck(t, bare)
			lockFree(t, b)
		})
	}
}

// A file replaced by a folder on one side while it was edited on the other,
// and the reverse, in both directions: the folder keeps the name, the file is
// kept beside it as a conflict copy, and sync says so.
func TestSyncFileFolderClashes(t *testing.T) {
	const file, inside = "alice/attachments", "alice/attachments/x.txt"
	for _, tc := range []struct {
		name         string
		base         func(m *machine)
		first, later func(m *machine) // first syncs first, later merges
		ws           []string
	}{{
		name:  "folder there, file edited here",
		base:  func(m *machine) { m.write(file, "the file\n") },
		first: func(m *machine) { m.remove(file); m.write(inside, "in the folder\n") },
		later: func(m *machine) { m.write(file, "the file, edited\n") },
		ws:    []string{"in the folder", "the file, edited"},
	}, {
		name:  "file there, folder edited here",
		base:  func(m *machine) { m.write(inside, "in the folder\n") },
		first: func(m *machine) { m.removeAll(file); m.write(file, "the file\n") },
		later: func(m *machine) { m.write(inside, "in the folder, edited\n") },
		ws:    []string{"the file", "in the folder, edited"},
	}, {
		name:  "folder here, file edited there",
		base:  func(m *machine) { m.write(file, "the file\n") },
		first: func(m *machine) { m.write(file, "the file, edited\n") },
		later: func(m *machine) { m.remove(file); m.write(inside, "in the folder\n") },
		ws:    []string{"in the folder", "the file, edited"},
	}, {
		name:  "file here, folder edited there",
		base:  func(m *machine) { m.write(inside, "in the folder\n") },
		first: func(m *machine) { m.write(inside, "in the folder, edited\n") },
		later: func(m *machine) { m.removeAll(file); m.write(file, "the file\n") },
		ws:    []string{"the file", "in the folder, edited"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			a, b, bare := pair(t, "daemon")
			tc.base(a)
			a.mustSync()
			b.mustSync()
			tc.first(a)
			a.mustSync()
			tc.later(b)
			res := b.mustSync()
			if !res.Merged || len(res.Conflicts) != 1 || res.Conflicts[0].Kind != ConflictFileFolder || res.Conflicts[0].Path != file {
				t.Fatalf("b sync: %+v", res)
			}
			if fi, err := os.Stat(filepath.Join(b.dir, file)); err != nil || !fi.IsDir() {
				t.Fatalf("%s is not the folder: %v", file, err)
			}
			if cp := res.Conflicts[0].Copy; !strings.HasPrefix(cp, file+".conflict-") {
				t.Fatalf("conflict copy %q", cp)
			}
			settle(t, a, b, bare, tc.ws...)
		})
	}
}

// A note deleted on one computer and edited on the other comes back with the
// edit; each side says so at its next sync: the one that merges, and the other
// when it pulls that merge.
func TestSyncSaysDeleteVersusEdit(t *testing.T) {
	const path = "alice/2026-11-25.md"
	for _, deleterFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("deleter first %v", deleterFirst), func(t *testing.T) {
			del, ed, bare := pair(t, "daemon")
			del.remove(path)
			ed.write(path, strings.Replace(note, "- two\n", "- two, edited\n", 1))
			first, second := del, ed
			if !deleterFirst {
				first, second = ed, del
			}
			first.mustSync()
			res := second.mustSync()
			if !res.Merged || len(res.Revived) != 1 || res.Revived[0].Path != path || res.Revived[0].DeletedHere != (second == del) {
				t.Fatalf("the merging side: %+v", res.Revived)
			}
			res = first.mustSync()
			if len(res.Revived) != 1 || res.Revived[0].Path != path || res.Revived[0].DeletedHere != (first == del) {
				t.Fatalf("the other side, pulling the merge: %+v (pulled %d)", res.Revived, res.PulledCommits)
			}
			if res := first.mustSync(); len(res.Revived) != 0 {
				t.Fatalf("said twice: %+v", res.Revived)
			}
			settle(t, del, ed, bare, "- two, edited")
		})
	}
}

// sync counts the commits it integrates.
func TestSyncCountsPulledCommits(t *testing.T) {
	a, b, _ := pair(t, "daemon")
	for i := range 3 {
		a.write(fmt.Sprintf("alice/2026-12-0%d.md", i+1), "n\n")
		a.mustSync()
	}
	if res := b.mustSync(); res.PulledCommits != 3 {
		t.Fatalf("fast-forward: pulled %d, want 3", res.PulledCommits)
	}
	a.write("a.md", "a\n")
	a.mustSync()
	a.write("b.md", "b\n")
	a.mustSync()
	b.write("c.md", "c\n")
	if res := b.mustSync(); res.PulledCommits != 2 || !res.Merged {
		t.Fatalf("merge: pulled %d, want 2", res.PulledCommits)
	}
	c := newMachine(t, remoteURL(t, a))
	if res, err := c.sync(); err != nil || res.PulledCommits != 8 {
		t.Fatalf("into an empty repository: %+v, %v; want 8 commits", res, err)
	}
}
