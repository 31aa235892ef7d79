package gitstore

import (
	"strings"
	"testing"
)

// remoteCommit makes branch in bare a commit holding one file (on top of the branch when it exists).
func remoteCommit(t *testing.T, bare, branch, file, content string) {
	t.Helper()
	blob := gitIn(t, bare, content, "hash-object", "-w", "--stdin")
	tree := gitIn(t, bare, "100644 blob "+blob+"\t"+file+"\n", "mktree")
	gitIn(t, bare, "", "update-ref", "refs/heads/"+branch, gitIn(t, bare, "", "commit-tree", tree, "-m", "notes on "+branch))
}

// remoteBranches lists the branches of bare.
func remoteBranches(t *testing.T, bare string) string {
	t.Helper()
	return strings.Join(strings.Fields(gitIn(t, bare, "", "for-each-ref", "--format=%(refname:short)", "refs/heads")), " ")
}

// TestSyncFollowsTheRemotesBranch: a local main with no upstream yet syncs with origin's
// default (or only) branch instead of pushing a second branch beside it, remembers it,
// and an ambiguous origin is one clear error until --branch chooses.
func TestSyncFollowsTheRemotesBranch(t *testing.T) {
	tests := []struct {
		name     string
		head     string   // origin's HEAD
		branches []string // origin's branches, each holding <branch>.md
		option   string   // SyncOptions.Branch
		want     string   // the branch synced with; "" when ambiguous
		errWants []string
	}{
		{name: "only master", head: "master", branches: []string{"master"}, want: "master"},
		{name: "default branch among several", head: "master", branches: []string{"master", "old"}, want: "master"},
		{name: "only branch, HEAD unborn", head: "nothing", branches: []string{"notes"}, want: "notes"},
		{name: "same name", head: "nothing", branches: []string{"main", "other"}, want: "main"},
		{name: "same name is the default", head: "main", branches: []string{"main", "master"}, want: "main"},
		{name: "no default", head: "nothing", branches: []string{"a", "b"},
			errWants: []string{"has the branches a, b and no default branch", "oneone sync --branch NAME"}},
		{name: "ours and another default", head: "master", branches: []string{"main", "master"},
			errWants: []string{"has both a main branch and its default branch master", "oneone sync --branch master"}},
		{name: "chosen", head: "nothing", branches: []string{"a", "b"}, option: "b", want: "b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			isolate(t)
			root, bare := newBare(t)
			for _, b := range tc.branches {
				remoteCommit(t, bare, b, b+".md", "from "+b+"\n")
			}
			gitIn(t, bare, "", "symbolic-ref", "HEAD", "refs/heads/"+tc.head)
			url := daemonRemote(t, root)
			m := newMachine(t, url)
			m.write("mine.md", "mine\n")
			sync := func(option string) (*SyncResult, error) {
				return m.st.Sync(SyncOptions{Author: Author{"Dana", "d@x"}, Getenv: func(string) string { return "" }, Branch: option})
			}
			before := remoteBranches(t, bare)
			res, err := sync(tc.option)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("sync succeeded: %+v", res)
				}
				for _, w := range tc.errWants {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				if got := remoteBranches(t, bare); got != before {
					t.Fatalf("origin's branches changed: %s, were %s", got, before)
				}
				return
			}
			if err != nil {
				t.Fatalf("sync: %v", err)
			}
			if !res.Pushed || res.Upstream != tc.want || !res.NewUpstream {
				t.Fatalf("sync: %+v", res)
			}
			if got := remoteBranches(t, bare); got != before {
				t.Fatalf("origin's branches: %s, want %s", got, before)
			}
			if got := lsTree(t, bare, tc.want); !contains(got, "mine.md") || !contains(got, tc.want+".md") {
				t.Fatalf("origin's %s holds %q", tc.want, got)
			}
			if got := strings.TrimSpace(runGit(t, m.dir, "config", "branch.main.merge")); got != "refs/heads/"+tc.want {
				t.Fatalf("upstream %q", got)
			}
			// Remembered: the next syncs, without an option, follow the same branch.
			remoteCommit(t, bare, "zz-new", "zz.md", "zz\n")
			m.write("more.md", "more\n")
			if res := m.mustSync(); !res.Pushed || res.Upstream != tc.want || res.NewUpstream {
				t.Fatalf("second sync: %+v", res)
			}
			if res := m.mustSync(); !res.UpToDate {
				t.Fatalf("third sync: %+v", res)
			}
			// A second computer, on main too, gets the same notes (choosing the branch
			// when origin's HEAD does not name it: zz-new made origin ambiguous).
			m2 := newMachine(t, url)
			option := ""
			if tc.head != tc.want && tc.want != "main" {
				option = tc.want
			}
			if _, err := m2.st.Sync(SyncOptions{Author: Author{"Dana", "d@x"}, Branch: option}); err != nil {
				t.Fatalf("second computer: %v", err)
			}
			if got := m2.files(); got["mine.md"] != "mine\n" || got["more.md"] != "more\n" {
				t.Fatalf("second computer has %s", dump(got))
			}
			// Another remote may name its branches otherwise: the choice is made again.
			if err := m.st.SetRemote("git://127.0.0.1:9/other.git"); err != nil {
				t.Fatal(err)
			}
			if b, ok := m.st.upstream(m.st.branch()); ok {
				t.Fatalf("upstream %s kept after the URL changed", b)
			}
		})
	}
}
