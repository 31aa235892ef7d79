package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// remoteKindsBench measures a sync of one hand-written note on the two other
// kinds of remote (issue 19: faster than git on every kind): a bare
// repository on a local path (oneone in process, git through
// git-upload-pack/git-receive-pack) and smart http (`git http-backend`
// behind net/http/cgi on 127.0.0.1, served by this harness), each against
// `git add + commit + push` and `git push` alone on an identical copy. The
// copies' origin is put back afterwards (the git daemon cases that follow use it).
func remoteKindsBench(tmp, label, ours, theirs string, slugs []string) error {
	remotes := filepath.Join(tmp, "kinds")
	if err := os.MkdirAll(remotes, 0o755); err != nil {
		return err
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return err
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	abs, err := filepath.Abs(remotes)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + abs, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1"}}}
	go srv.Serve(l)
	defer srv.Close()
	// new + commit interleaved with git add FILE && git commit of the same file.
	const day = "2026-12-26"
	newNote := func(i int) string { return slugs[(i+20)%len(slugs)] + "/" + day + ".md" }
	nw := interleaved(
		bcase{label + ": oneone new + commit, interleaved", nil, func(i int) *exec.Cmd {
			return oneone(ours, "new", strings.Split(newNote(i), "/")[0], "--date", day)
		}},
		bcase{label + ": git add FILE && git commit, interleaved", func(i int) {
			data, _ := os.ReadFile(filepath.Join(ours, newNote(i)))
			os.WriteFile(filepath.Join(theirs, newNote(i)), data, 0o600)
		}, func(i int) *exec.Cmd {
			return gitCmd(theirs, "sh", "-c", `git add "$1" && git commit -q -m "new note $1"`, "sh", newNote(i))
		}},
	)
	nw[0].vs(nw[1], "git add+commit")

	// The reference is the git binary doing sync's whole job, which
	// includes finding the hand edit: `git add -A`, a scan of the work tree
	// like sync's. First on git daemon, where the copies' origin is now,
	// interleaved with oneone's sync of one note.
	daemon := interleaved(
		bcase{label + ": oneone sync of one new note, git daemon, interleaved", func(i int) {
			os.WriteFile(filepath.Join(ours, slugs[(i+5)%len(slugs)]+fmt.Sprintf("/2027-10-%02d.md", i+1)), []byte(fmt.Sprintf("- run %d\n", i)), 0o600)
		}, func(int) *exec.Cmd { return oneone(ours, "sync") }},
		bcase{label + ": git add -A+commit+push of one note, git daemon", func(i int) {
			os.WriteFile(filepath.Join(theirs, slugs[(i+5)%len(slugs)]+fmt.Sprintf("/2030-10-%02d.md", i+1)), []byte(fmt.Sprintf("- run %d\n", i)), 0o600)
		}, func(int) *exec.Cmd {
			return gitCmd(theirs, "sh", "-c", `git add -A && git commit -q -m "sync" && git push -q origin main`)
		}},
	)
	daemon[0].vs(daemon[1], "git add -A+commit+push")
	kinds := []struct{ name, url string }{
		{"local bare path", abs},
		{"http (git http-backend)", "http://" + l.Addr().String()},
	}
	for k, kind := range kinds {
		urls := map[string]string{}
		for _, d := range []string{ours, theirs} {
			name := fmt.Sprintf("%s-%d.git", filepath.Base(d), k)
			bare := filepath.Join(remotes, name)
			if err := sh("", "git", "clone", "-q", "--bare", d, bare); err != nil {
				return err
			}
			if err := sh(bare, "git", "config", "http.receivepack", "true"); err != nil {
				return err
			}
			old, err := exec.Command("git", "-C", d, "remote", "get-url", "origin").Output()
			if err != nil {
				return err
			}
			urls[d] = strings.TrimSpace(string(old))
			if err := sh(d, "git", "remote", "set-url", "origin", kind.url+"/"+name); err != nil {
				return err
			}
			if err := sh(d, "git", "fetch", "-q", "origin"); err != nil {
				return err
			}
		}
		// a note of its own per run and kind: slugs after those of the git daemon case, February or March
		note := func(i int) string { return slugs[(i+11+7*k)%len(slugs)] + fmt.Sprintf("/2027-%02d-%02d.md", 2+k, i+1) }
		body := func(i int) []byte {
			return []byte(fmt.Sprintf("---\ndate: 2027-%02d-%02d\n---\n# 1:1\n\n## Feedback\n- Positive: run %d.\n", 2+k, i+1, i))
		}
		gitNote := func(i int) string { return strings.Replace(note(i), "/2027-", "/2028-", 1) }
		// Interleaved, run by run: on a shared machine a burst of load hits all four alike.
		rs := interleaved(
			bcase{label + ": oneone sync of one new note, " + kind.name, func(i int) {
				os.WriteFile(filepath.Join(ours, note(i)), body(i), 0o600)
			}, func(int) *exec.Cmd { return oneone(ours, "sync") }},
			bcase{label + ": git add+commit+push of one note, " + kind.name, func(i int) {
				os.WriteFile(filepath.Join(theirs, gitNote(i)), body(i), 0o600)
			}, func(i int) *exec.Cmd {
				return gitCmd(theirs, "sh", "-c", `git add "$1" && git commit -q -m "note $1" && git push -q origin main`, "sh", gitNote(i))
			}},
			bcase{label + ": git add -A+commit+push of one note, " + kind.name, func(i int) {
				os.WriteFile(filepath.Join(theirs, strings.Replace(gitNote(i), "/2028-", "/2030-", 1)), body(i), 0o600)
			}, func(int) *exec.Cmd {
				return gitCmd(theirs, "sh", "-c", `git add -A && git commit -q -m "sync" && git push -q origin main`)
			}},
			bcase{label + ": git push of one new note, " + kind.name, func(i int) {
				p := strings.Replace(gitNote(i), "/2028-", "/2029-", 1)
				os.WriteFile(filepath.Join(theirs, p), body(i), 0o600)
				run1(gitCmd(theirs, "sh", "-c", `git add "$1" && git commit -q -m "note $1"`, "sh", p))
			}, func(int) *exec.Cmd { return gitCmd(theirs, "git", "push", "-q", "origin", "main") }},
		)
		rs[0].vs(rs[2], "git add -A+commit+push")
		rs[0].vs(rs[1], "git add+commit+push")
		rs[0].vs(rs[3], "git push")
		for d, u := range urls {
			if err := sh(d, "git", "remote", "set-url", "origin", u); err != nil {
				return err
			}
		}
	}
	// the git daemon cases go on from where their remotes are
	for _, d := range []string{ours, theirs} {
		if err := sh(d, "git", "fetch", "-q", "origin"); err != nil {
			return err
		}
	}
	return run1(oneone(ours, "sync"))
}

// bcase is one command of an interleaved measurement.
type bcase struct {
	name  string
	setup func(i int)
	mk    func(i int) *exec.Cmd
}

// interleaved measures cases (measure is one case): a warm-up, then *runs runs
// each, run by run in turn: case 1, case 2, ..., case 1, ...
func interleaved(cases ...bcase) []*result {
	out := make([]*result, len(cases))
	for i := range cases {
		out[i] = &result{name: cases[i].name}
		fmt.Fprintf(os.Stderr, "bench: %s\n", cases[i].name)
	}
	for i := 0; i <= *runs; i++ {
		for k, c := range cases {
			if c.setup != nil {
				c.setup(i)
			}
			cmd := c.mk(i)
			rssFile := wrapTime(cmd)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			d := time.Since(start)
			if err != nil && !isFindings(err) {
				fmt.Fprintf(os.Stderr, "bench: %s: %v: %s\n", c.name, err, strings.TrimSpace(stderr.String()))
			}
			kb := peakKB(cmd, rssFile)
			if i == 0 {
				continue // warm-up
			}
			out[k].times = append(out[k].times, d)
			out[k].peakKB = max(out[k].peakKB, kb)
		}
	}
	results = append(results, out...)
	return out
}
