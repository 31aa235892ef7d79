package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An editor left open while a sync pulls a change to the same note: when the
// editor saves its stale buffer, edit notices that the note changed under it
// and merges the two as sync does, or keeps the pulled version as a conflict
// copy; it never commits over the other computer's text.
func TestEditWhileSyncPullsTheSameNote(t *testing.T) {
	const rel = "alice/2026-11-11.md"
	for _, tc := range []struct {
		name       string
		there      func(string) string // the other computer's edit
		editor     string              // what the editor does to its buffer (sh, on $BUF)
		wantInNote []string
		conflict   bool
	}{{
		name: "apart",
		there: func(s string) string {
			return strings.Replace(s, "- Positive: good.", "- Positive: good, from the other computer.", 1)
		},
		editor:     `printf -- '- [ ] Dana: added in the editor\n' >> "$BUF"`,
		wantInNote: []string{"from the other computer", "added in the editor"},
	}, {
		name: "same line",
		there: func(s string) string {
			return strings.Replace(s, "- Roadmap.", "- Roadmap, from the other computer.", 1)
		},
		editor:     `sed -i 's/- Roadmap\./- Roadmap, from the editor./' "$BUF"`,
		wantInNote: []string{"from the editor"},
		conflict:   true,
	}, {
		name: "saved unchanged",
		there: func(s string) string {
			return strings.Replace(s, "- Roadmap.", "- Roadmap, from the other computer.", 1)
		},
		editor:     `:`,
		wantInNote: []string{"from the other computer"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			a, env := newTeam(t)
			dir := filepath.Dir(a)
			remote := filepath.Join(dir, "remote.git")
			git(t, dir, "init", "-q", "--bare", "-b", "main", remote)
			mustRun(t, dir, env, "remote", "file://"+remote)
			mustRun(t, dir, env, "sync")
			// the other computer
			b := filepath.Join(dir, "b")
			envB := append(env[:len(env):len(env)], "ONEONE_DIR="+b)
			mustRun(t, dir, envB, "clone", "file://"+remote, b)
			note := filepath.Join(b, rel)
			data, err := os.ReadFile(note)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, note, tc.there(string(data)))
			mustRun(t, dir, envB, "sync")

			// The editor copies the note into its buffer, says it is open, waits,
			// then changes its buffer and saves it over the note.
			ready, goOn := filepath.Join(dir, "ready"), filepath.Join(dir, "go")
			for _, f := range []string{ready, goOn} {
				if err := syscall.Mkfifo(f, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			buf := filepath.Join(dir, "buffer")
			editor := filepath.Join(dir, "editor")
			writeFile(t, editor, "#!/bin/sh\nBUF="+buf+"\ncp \"$1\" \"$BUF\"\necho open > "+ready+"\nread x < "+goOn+"\n"+tc.editor+"\ncp \"$BUF\" \"$1\"\n")
			if err := os.Chmod(editor, 0o700); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := oneoneCmd(ctx, dir, append(env[:len(env):len(env)], "EDITOR="+editor), "edit", "alice", "2026-11-11")
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if b, err := os.ReadFile(ready); err != nil || !strings.Contains(string(b), "open") {
				t.Fatalf("editor: %q %v", b, err)
			}
			// the editor is open: a sync pulls the other computer's edit of the same note
			if r := mustRun(t, dir, env, "sync"); !strings.Contains(r.stdout, "pulled") {
				t.Fatalf("sync did not pull: %s", r)
			}
			if err := os.WriteFile(goOn, []byte("go\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			r := result{args: []string{"edit"}, stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
			if err != nil && r.code != 0 {
				t.Fatalf("edit: %s", r)
			}
			checkSane(t, r)
			got, _ := os.ReadFile(filepath.Join(a, rel))
			for _, w := range tc.wantInNote {
				if !strings.Contains(string(got), w) {
					t.Errorf("%q is not in the note:\n%s\n%s\n%s\n%s", w, got, r, r.stdout, r.stderr)
				}
			}
			copies, _ := filepath.Glob(filepath.Join(a, "alice", "2026-11-11.conflict-*.md"))
			if tc.conflict {
				if len(copies) != 1 || !strings.Contains(r.stderr, filepath.Base(copies[0])) {
					t.Fatalf("conflict copy %v not named on stderr: %s", copies, r)
				}
				if c, _ := os.ReadFile(copies[0]); !strings.Contains(string(c), "from the other computer") {
					t.Fatalf("the pulled version is not in the copy:\n%s", c)
				}
			} else if len(copies) != 0 {
				t.Fatalf("unexpected conflict copy %v: %s", copies, r)
			}
			if tc.name == "apart" && !strings.Contains(r.stderr, "merged") {
				t.Errorf("edit does not say it merged: %s", r)
			}
			// committed: nothing pending, HEAD holds what is on disk, history holds both
			if s := git(t, a, "status", "--porcelain"); s != "" {
				t.Fatalf("not committed:\n%s", s)
			}
			checkRepo(t, a)
			mustRun(t, dir, env, "sync")
		})
	}
}
