package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Concurrency: oneone processes started at once serialise on the repository
// lock; every commit lands, the index stays consistent, nothing is lost.

// startAll starts one oneone per argument list at the same moment and waits for all.
func startAll(t *testing.T, dir string, envs [][]string, argss [][]string) []result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	results := make([]result, len(argss))
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, args := range argss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := oneoneCmd(ctx, dir, envs[i], args...)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			<-gate
			err := cmd.Run()
			results[i] = result{args: args, stdout: out.String(), stderr: errb.String(), code: -1}
			if cmd.ProcessState != nil {
				results[i].code = cmd.ProcessState.ExitCode()
			} else {
				results[i].stderr += err.Error()
			}
		}()
	}
	close(gate)
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("oneone processes hung")
	}
	return results
}

func TestConcurrentNew(t *testing.T) {
	base, env := newTeam(t)
	root := base
	env = append(env[:len(env):len(env)], "ONEONE_DIR="+root)
	var argss, envs [][]string
	for i := range 16 {
		slug := fmt.Sprintf("report-%02d", i)
		mustRun(t, root, env, "add", slug, "--name", "Report "+slug)
		argss = append(argss, []string{"new", slug})
		envs = append(envs, env)
	}
	before := strings.Count(git(t, root, "log", "--oneline"), "\n")
	for _, r := range startAll(t, root, envs, argss) {
		if r.code != 0 {
			t.Errorf("concurrent run failed: %s", r)
		}
	}
	log := git(t, root, "log", "--format=%s")
	if n := strings.Count(log, "\n") - before; n != 16 {
		t.Errorf("%d commits landed, want 16:\n%s", n, log)
	}
	for i := range 16 {
		slug := fmt.Sprintf("report-%02d", i)
		if !strings.Contains(log, slug+": new") {
			t.Errorf("no commit for %s:\n%s", slug, log)
		}
		git(t, root, "cat-file", "-e", "HEAD:"+slug+"/2026-11-25.md")
	}
	checkRepo(t, root)
}

func TestSyncRacesEdit(t *testing.T) {
	base, env := newTeam(t)
	dir := t.TempDir()
	remote := filepath.Join(dir, "remote.git")
	git(t, dir, "init", "-q", "--bare", "-b", "main", remote)
	root := filepath.Join(dir, "notes")
	copyTree(t, base, root)
	editor := filepath.Join(dir, "editor")
	writeFile(t, editor, "#!/bin/sh\nsleep 0.2\nprintf -- '- added in the editor %s\\n' \"$ROUND\" >> \"$1\"\n")
	if err := os.Chmod(editor, 0o700); err != nil {
		t.Fatal(err)
	}
	env = append(env[:len(env):len(env)], "ONEONE_DIR="+root, "EDITOR="+editor)
	mustRun(t, dir, env, "remote", "file://"+remote)
	mustRun(t, dir, env, "sync")
	bobNote := filepath.Join(root, "bob/2026-11-20.md")
	writeFile(t, bobNote, "## Feedback\n")
	for round := range 3 {
		// A hand edit for sync to commit, while edit changes another note through the editor.
		f, err := os.OpenFile(bobNote, os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(f, "- hand edit %d\n", round)
		f.Close()
		editEnv := append(env[:len(env):len(env)], fmt.Sprintf("ROUND=%d", round))
		argss := [][]string{{"edit", "alice", "2026-11-11"}, {"sync"}}
		if round == 1 {
			argss = [][]string{{"sync"}, {"edit", "alice", "2026-11-11"}}
		}
		for _, r := range startAll(t, dir, [][]string{editEnv, editEnv}, argss) {
			if r.code != 0 {
				t.Fatalf("round %d: %s", round, r)
			}
		}
	}
	mustRun(t, dir, env, "sync")
	checkRepo(t, root)
	head := git(t, root, "rev-parse", "HEAD")
	if got := git(t, remote, "rev-parse", "main"); got != head {
		t.Fatalf("remote at %s, local at %s", got, head)
	}
	for round := range 3 {
		if !strings.Contains(git(t, root, "show", "HEAD:alice/2026-11-11.md"), fmt.Sprintf("added in the editor %d", round)) {
			t.Errorf("editor change %d lost", round)
		}
		if !strings.Contains(git(t, root, "show", "HEAD:bob/2026-11-20.md"), fmt.Sprintf("hand edit %d", round)) {
			t.Errorf("hand edit %d lost", round)
		}
	}
	if n := strings.Count(git(t, root, "log", "--format=%s"), "edit 1:1 note 2026-11-11"); n != 3 {
		t.Errorf("%d edit commits, want 3", n)
	}
}
