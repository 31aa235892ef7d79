package gitstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestSharedRepoPublishAndFetch: the manager's copy of a shared agenda publishes
// to an empty remote, the report (the git binary alone) pushes a change, the
// manager fetches it, finds the last publish under it and publishes on top: a
// fast-forward that keeps the report's commit. Over git daemon and http-backend.
func TestSharedRepoPublishAndFetch(t *testing.T) {
	for _, kind := range []string{"daemon", "http"} {
		t.Run(kind, func(t *testing.T) {
			isolate(t)
			root, bare := newBare(t)
			url := daemonRemote(t, root)
			opts := SyncOptions{}
			if kind == "http" {
				url = httpRemote(t, root, "dana", "tok-123456")
				opts.Getenv = func(k string) string {
					return map[string]string{"ONEONE_GIT_TOKEN": "tok-123456", "ONEONE_GIT_USERNAME": "dana"}[k]
				}
			}
			m := newMachine(t, "")
			m.write("oneone.yaml", "manager: Dana\n")
			if _, _, err := m.st.CommitAll(Author{"Dana", "d@x"}); err != nil {
				t.Fatal(err)
			}
			b, err := m.st.SharedRepo("alice")
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			tip, err := b.Probe(ctx, url, "", opts)
			if err != nil || tip != (SharedTip{Branch: "main"}) {
				t.Fatalf("probe of an empty remote: %+v %v", tip, err)
			}
			files := map[string][]byte{"README.md": []byte("# hello\n"), "next.md": []byte("# next\n\n- \n")}
			pub, err := b.Publish(ctx, url, tip, files, "oneone: publish", Author{"Dana", "d@x"}, false, opts)
			if err != nil || !pub.Pushed || !reflect.DeepEqual(pub.Changed, []string{"README.md", "next.md"}) {
				t.Fatalf("first publish: %+v %v", pub, err)
			}
			if got := runGit(t, bare, "log", "--format=%s%n%b", "main"); !strings.Contains(got, publishTrailer) {
				t.Fatalf("log:\n%s", got)
			}
			// the report, with git alone
			clone := filepath.Join(t.TempDir(), "alice")
			runGit(t, root, "clone", "-q", bare, clone)
			if err := os.WriteFile(filepath.Join(clone, "next.md"), []byte("# next\n\n- my topic\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			runGit(t, clone, "commit", "-qam", "topic")
			runGit(t, clone, "push", "-q", "origin", "main")

			tip, err = b.Probe(ctx, url, "main", opts)
			if err != nil || tip.Commit == "" || b.Known(tip) {
				t.Fatalf("probe: %+v known=%v %v", tip, b.Known(tip), err)
			}
			if tip, err = b.Fetch(ctx, url, tip, opts); err != nil || !b.Known(tip) {
				t.Fatalf("fetch: %+v %v", tip, err)
			}
			last, err := b.LastPublished(tip.Commit)
			if err != nil || last != pub.Commit {
				t.Fatalf("last published %s, want %s (%v)", last, pub.Commit, err)
			}
			got, _, err := b.Files(tip.Commit)
			if err != nil || string(got["next.md"]) != "# next\n\n- my topic\n" {
				t.Fatalf("files: %q %v", got, err)
			}
			// nothing changed and not forced: no commit
			if p, err := b.Publish(ctx, url, tip, got, "x", Author{"Dana", "d@x"}, false, opts); err != nil || p.Pushed || p.Commit != tip.Commit {
				t.Fatalf("unchanged publish: %+v %v", p, err)
			}
			files["next.md"] = []byte("# next\n\n- \n")
			files["2026-11-25.md"] = []byte("# 1:1\n\n## Alice's topics\n- my topic\n")
			pub2, err := b.Publish(ctx, url, tip, files, "oneone: publish", Author{"Dana", "d@x"}, false, opts)
			if err != nil || !reflect.DeepEqual(pub2.Changed, []string{"2026-11-25.md", "next.md"}) {
				t.Fatalf("second publish: %+v %v", pub2, err)
			}
			if got := runGit(t, bare, "rev-list", "--count", "main"); strings.TrimSpace(got) != "3" {
				t.Fatalf("history: %s commits", got)
			}
			if last, _ := b.LastPublished(pub2.Commit); last != pub2.Commit {
				t.Fatalf("last published %s", last)
			}
			// a lost race: the report pushed after the fetch
			runGit(t, clone, "pull", "-q", "origin", "main")
			os.WriteFile(filepath.Join(clone, "next.md"), []byte("# next\n\n- again\n"), 0o600)
			runGit(t, clone, "commit", "-qam", "again")
			runGit(t, clone, "push", "-q", "origin", "main")
			stale := SharedTip{Branch: "main", Commit: pub2.Commit}
			if _, err := b.Publish(ctx, url, stale, files, "oneone: publish", Author{"Dana", "d@x"}, true, opts); !errors.Is(err, ErrSharedMoved) {
				t.Fatalf("race: %v", err)
			}
			for _, dir := range []string{bare, b.Dir(), m.dir, clone} {
				fsck(t, dir)
			}
			if s := runGit(t, m.dir, "status", "--porcelain"); s != "" {
				t.Fatalf("the notes repository is not clean:\n%s", s)
			}
			// state survives a reopen
			if err := b.SetState(SharedState{Published: pub2.Commit, Key: "k", Branch: "main"}); err != nil {
				t.Fatal(err)
			}
			b2, _ := m.st.SharedRepo("alice")
			if st := b2.State(); st.Published != pub2.Commit || st.Key != "k" {
				t.Fatalf("state %+v", st)
			}
		})
	}
}

func TestSharedRepoErrors(t *testing.T) {
	isolate(t)
	root, _ := newBare(t)
	url := httpRemote(t, root, "dana", "tok-123456")
	m := newMachine(t, "")
	b, err := m.st.SharedRepo("alice")
	if err != nil {
		t.Fatal(err)
	}
	opts := SyncOptions{Getenv: func(k string) string { return map[string]string{"ONEONE_GIT_TOKEN": "wrong-tok-999"}[k] }}
	_, err = b.Probe(context.Background(), url, "", opts)
	if err == nil || !strings.Contains(err.Error(), "the credentials from ONEONE_GIT_TOKEN were refused") || strings.Contains(err.Error(), "wrong-tok-999") || strings.Contains(err.Error(), "origin") {
		t.Fatalf("wrong token: %v", err)
	}
	_, err = b.Probe(context.Background(), "git://127.0.0.1:1/alice.git", "", SyncOptions{})
	if !IsOffline(err) || !strings.HasPrefix(err.Error(), "cannot reach git://127.0.0.1:1/alice.git (") {
		t.Fatalf("offline: %v", err)
	}
	if _, err := m.st.SharedRepo("../x"); err == nil {
		t.Fatal("a bad slug opened a repository")
	}
}

func TestSameRemoteAndCheck(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://github.com/dana/notes.git", "https://GitHub.com/dana/notes", true},
		{"https://dana:tok@github.com/dana/notes.git", "https://github.com/dana/notes.git", true},
		{"git@github.com:dana/notes.git", "ssh://git@github.com/dana/notes.git", true},
		{"https://github.com/dana/notes.git", "https://github.com/dana/alice.git", false},
		{"/srv/notes.git", "/srv/notes.git/", true},
	} {
		if got := SameRemote(tc.a, tc.b); got != tc.same {
			t.Errorf("SameRemote(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
	for _, bad := range []string{"ext::sh -c x", "../x.git", "https://h/x.git?token=abc", ""} {
		if err := CheckRemoteURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := CheckRemoteURL("https://github.com/dana/alice.git"); err != nil {
		t.Error(err)
	}
}

// TestMergeDriver: sync consults the merge driver for a file both sides changed.
func TestMergeDriver(t *testing.T) {
	isolate(t)
	root, _ := newBare(t)
	url := daemonRemote(t, root)
	a, b := newMachine(t, url), newMachine(t, url)
	a.write("next.md", "- one\n")
	a.mustSync()
	b.mustSync()
	a.write("next.md", "- one\n- a\n")
	a.mustSync()
	b.write("next.md", "- one\n- b\n")
	b.st.SetMergeDriver(func(p string, base, ours, theirs []byte) ([]byte, bool) {
		if p != "next.md" {
			return nil, false
		}
		return []byte(string(theirs) + strings.TrimPrefix(string(ours), string(base))), true
	})
	res := b.mustSync()
	if len(res.Conflicts) != 0 {
		t.Fatalf("conflicts %v", res.Conflicts)
	}
	b.check(map[string]string{"next.md": "- one\n- a\n- b\n"})
}

// TestSharedFilesOddNames: a report can push trees git itself would never
// check out (an entry named "../x.md", one with a slash in its name, an empty
// name). Reading them never fails the shared agenda: every file with a name
// is read under its path as written (Receive then keeps it under a flat name
// inside the report's folder), an entry without a name is left out.
func TestSharedFilesOddNames(t *testing.T) {
	isolate(t)
	m := newMachine(t, "")
	b, err := m.st.SharedRepo("alice")
	if err != nil {
		t.Fatal(err)
	}
	s := b.st
	blob := func(text string) plumbing.Hash {
		h, err := s.writeObject(plumbing.BlobObject, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	tree := func(entries ...any) plumbing.Hash {
		var raw []byte
		for i := 0; i < len(entries); i += 3 {
			h := entries[i+2].(plumbing.Hash)
			raw = append(raw, entries[i].(string)+" "+entries[i+1].(string)+"\x00"...)
			raw = append(raw, h[:]...)
		}
		h, err := s.writeObject(plumbing.TreeObject, raw)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	sub := tree("100644", "config", blob("[core]\n"))
	nameless := tree("100644", "", blob("nameless\n"))
	root := tree("100644", "../evil.md", blob("dotdot\n"), "40000", "..", sub, "100644", "a/b.md", blob("slash\n"),
		"40000", "bad", nameless, "100644", "next.md", blob("- topic\n"))
	c, err := s.writeCommit(root, nil, "hostile\n", Author{"Alice", "a@x"})
	if err != nil {
		t.Fatal(err)
	}
	files, big, err := b.Files(c.String())
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	want := map[string][]byte{"../evil.md": []byte("dotdot\n"), "../config": []byte("[core]\n"), "a/b.md": []byte("slash\n"), "next.md": []byte("- topic\n")}
	if !reflect.DeepEqual(files, want) || len(big) != 1 || big[0].Path != "bad" || !strings.Contains(big[0].Why, "cannot be read") {
		t.Fatalf("files %q skipped %v", files, big)
	}
	// a root tree git cannot read: one clear error, no panic
	c, err = s.writeCommit(nameless, nil, "hostile\n", Author{"Alice", "a@x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Files(c.String()); err == nil || !strings.Contains(err.Error(), "the report must push a commit without it") {
		t.Fatalf("unreadable root: %v", err)
	}
}

// TestShareURLSecrets: a token given as the user part of a URL is never kept,
// though short and without a known prefix; a fragment (which git never uses)
// is refused like a query string, since it can only hold a secret by mistake.
func TestShareURLSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"http://tok-5d1e88c0a4@127.0.0.1:8080/alice.git": "http://127.0.0.1:8080/alice.git",
		"https://a1B2c3D4e5@host/x.git":                  "https://host/x.git",
		"https://9f8e7d6c5b4a@host/x.git":                "https://host/x.git",
		"https://dana@host/x.git":                        "https://dana@host/x.git",
		"https://dana.reyes@host/x.git":                  "https://dana.reyes@host/x.git",
		"https://oauth2@host/x.git":                      "https://oauth2@host/x.git",
		"https://x-access-token@host/x.git":              "https://x-access-token@host/x.git",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"https://host/x.git#tok-5d1e88c0a4", "http://127.0.0.1/alice.git#"} {
		if err := CheckRemoteURL(bad); err == nil || strings.Contains(err.Error(), "tok-5d1e88c0a4") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
