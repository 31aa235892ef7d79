package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oneone/oneone/notes"
)

// The hostile-repository corpus: each case breaks a repository in one way and
// every reading command (and new) must answer with a clear one-line error
// (exit 2, stderr one line "oneone: ...") or report the file (an invalid-note
// finding), never panic, hang, read outside the repository or eat memory.
// Static cases are also spelled out in testdata/hostile_*.txtar.

// result is one run of the oneone binary.
type result struct {
	args           []string
	stdout, stderr string
	code           int
	maxRSSKiB      int64
	elapsed        time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("oneone %s: exit %d in %s, max RSS %d MiB\nstdout:\n%s\nstderr:\n%s",
		strings.Join(r.args, " "), r.code, r.elapsed.Round(time.Millisecond), r.maxRSSKiB>>10, clip(r.stdout), clip(r.stderr))
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// testEnv is the environment of a oneone run: a private HOME, a pinned day and a git identity.
func testEnv(home string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"ONEONE_TODAY=2026-11-25",
		"NO_COLOR=1",
		"TMPDIR=" + os.TempDir(),
	}
	return append(env, extra...)
}

// oneoneCmd prepares a run of the oneone binary (put in PATH by testscript.Main) in dir.
func oneoneCmd(ctx context.Context, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "oneone", args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// run runs oneone with a timeout; a hang fails the test.
func run(t *testing.T, dir string, env []string, timeout time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := oneoneCmd(ctx, dir, env, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := result{args: args, stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("oneone %s hung: killed after %s\nstderr: %s", strings.Join(args, " "), timeout, clip(r.stderr))
	}
	if cmd.ProcessState == nil {
		t.Fatalf("oneone %s did not start: %v", strings.Join(args, " "), err)
	}
	r.code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSSKiB = ru.Maxrss
	}
	return r
}

// mustRun runs oneone and fails unless it exits 0.
func mustRun(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	r := run(t, dir, env, 30*time.Second, args...)
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	return r
}

// checkSane asserts the contract every run keeps, whatever the input.
func checkSane(t *testing.T, r result) {
	t.Helper()
	for _, bad := range []string{"panic", "goroutine ", "internal error", "runtime error", "fatal error"} {
		if strings.Contains(r.stderr, bad) || strings.Contains(r.stdout, bad) {
			t.Fatalf("%q in the output of %s", bad, r)
		}
	}
	switch r.code {
	case 0, 1:
	case 2:
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "oneone: ") || !strings.HasSuffix(r.stderr, "\n") {
			t.Fatalf("exit 2 must come with exactly one stderr line starting with \"oneone: \": %s", r)
		}
		if len(lines[0]) < 20 {
			t.Fatalf("error too short to be clear: %s", r)
		}
	default:
		t.Fatalf("unexpected exit status: %s", r)
	}
	if r.maxRSSKiB > 200<<10 {
		t.Fatalf("used %d MiB of memory: %s", r.maxRSSKiB>>10, r)
	}
}

// newTeam creates a git notes repository with alice (a theme, two notes, an open action) and bob.
func newTeam(t *testing.T) (root string, env []string) {
	t.Helper()
	base := t.TempDir()
	home := filepath.Join(base, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env = testEnv(home)
	root = filepath.Join(base, "notes")
	mustRun(t, base, env, "init", root, "--manager", "Dana Reyes")
	env = append(env, "ONEONE_DIR="+root)
	mustRun(t, base, env, "add", "alice", "--name", "Alice Chen")
	mustRun(t, base, env, "add", "bob", "--name", "Bob Stone", "--cadence", "biweekly")
	mustRun(t, base, env, "theme", "add", "alice", "Mentor a new employee", "--started", "2026-10-01")
	writeFile(t, filepath.Join(root, "alice", "2026-11-11.md"), "---\ndate: 2026-11-11\nthemes:\n  Mentor a new employee: on-track\n---\n## Feedback\n- Positive: good.\n\n## Alice's topics\n- Roadmap.\n\n## Action items\n- [ ] Alice: write the summary\n")
	run(t, base, env, 30*time.Second, "sync") // commits the hand-written note; exits 2: no remote
	return root, env
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
}

const aliasBomb = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
themes: &t {x: *i}
`

// secret is text outside the repository that must never show up anywhere.
const secret = "TOPSECRET-outside-the-repository"

type hostileCase struct {
	name  string
	setup func(t *testing.T, root, outside string)
	// invalid lists files that audit must report as invalid-note.
	invalid []string
	// fatal: the repository itself is unreadable, every command exits 2 naming this text.
	fatal string
	// slug is the report `new` and `show` are run for (default alice).
	slug string
	// few runs only audit, show and report (slow cases).
	few bool
}

var hostileCases = []hostileCase{
	{name: "malformed-yaml", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "---\ndate: [2026-11-18\nkind: : :\n\t- x\n---\n## Feedback\n- ok\n")
	}},
	{name: "alias-bomb-note", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "---\n"+aliasBomb+"---\n## Feedback\n- ok\n")
	}},
	{name: "alias-bomb-profile", invalid: []string{"bob/profile.md"}, slug: "alice", setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "bob/profile.md"), "---\nname: Bob\n"+strings.Replace(aliasBomb, "themes: &t {x: *i}", "themes: [*i]", 1)+"---\n")
	}},
	{name: "alias-bomb-config", fatal: "oneone.yaml", setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "oneone.yaml"), aliasBomb+"away: [*i]\n")
	}},
	{name: "huge-note", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		// 100 MB of plausible text, generated here and never committed.
		f, err := os.Create(filepath.Join(root, "alice/2026-11-18.md"))
		if err != nil {
			t.Fatal(err)
		}
		line := []byte("- [ ] Alice: an action item that goes on and on\n")
		chunk := bytes.Repeat(line, (1<<20)/len(line))
		for written := 0; written < 100<<20; written += len(chunk) {
			if _, err := f.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "big-note-under-limit", few: true, setup: func(t *testing.T, root, _ string) {
		// Just under the size limit, with as many Markdown nodes as can be: read, parsed, and still fast.
		var b strings.Builder
		b.WriteString("---\ndate: 2026-11-18\n---\n## Feedback\n")
		for i := 0; b.Len() < notes.MaxNoteSize-200; i++ {
			fmt.Fprintf(&b, "- [ ] item %d with **bold** and `code` and a [link](https://example.com/%d)\n", i, i)
		}
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), b.String())
	}},
	{name: "quadratic-links", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		// goldmark takes quadratic time on this: 120 KB would cost every command seconds.
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "## Feedback\n"+strings.Repeat("[a](", 30000)+"\n")
	}},
	{name: "deep-nesting", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "## Feedback\n"+strings.Repeat("> ", 20000)+"x\n"+strings.Repeat("[", 50000)+"\n"+strings.Repeat("  ", 5000)+"- deep\n")
	}},
	{name: "deep-yaml", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "---\nthemes: "+strings.Repeat("[", 100000)+"\n---\n")
	}},
	{name: "binary-md", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"+strings.Repeat("\x00\xff", 4096))
	}},
	{name: "invalid-utf8", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "---\ndate: 2026-11-18\n---\n## Feedback\n- caf\xe9 \xc3\x28 \xff\n")
	}},
	{name: "february-30", invalid: []string{"alice/2026-02-30.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-02-30.md"), "---\ndate: 2026-02-30\n---\n## Feedback\n- ok\n")
	}},
	{name: "date-disagrees", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "---\ndate: 2026-11-17\n---\n## Feedback\n- ok\n")
	}},
	{name: "folder-spaces-capitals", invalid: []string{"Carol Smith/profile.md", "Dave/profile.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "Carol Smith/profile.md"), "---\nname: Carol\n---\n")
		writeFile(t, filepath.Join(root, "Carol Smith/2026-11-18.md"), "## Feedback\n- ok\n")
		writeFile(t, filepath.Join(root, "Dave/profile.md"), "---\nname: Dave\n---\n")
	}},
	{name: "symlinked-note", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, outside string) {
		link(t, filepath.Join(outside, "secret.md"), filepath.Join(root, "alice/2026-11-18.md"))
	}},
	{name: "symlinked-report-folder", slug: "carol", invalid: []string{"carol"}, setup: func(t *testing.T, root, outside string) {
		link(t, outside, filepath.Join(root, "carol"))
	}},
	{name: "symlinked-profile", slug: "dave", invalid: []string{"dave/profile.md"}, setup: func(t *testing.T, root, outside string) {
		writeFile(t, filepath.Join(root, "dave/2026-11-18.md"), "## Feedback\n- ok\n")
		link(t, filepath.Join(outside, "profile.md"), filepath.Join(root, "dave/profile.md"))
	}},
	{name: "zero-cadence", fatal: "oneone.yaml", setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "oneone.yaml"), "manager: Dana\ncadence: 0d\n")
	}},
	{name: "negative-cadence", fatal: "oneone.yaml", setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "oneone.yaml"), "manager: Dana\ncadence: -1w\n")
	}},
	{name: "profile-zero-cadence", invalid: []string{"bob/profile.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "bob/profile.md"), "---\nname: Bob\ncadence: 0w\n---\n")
	}},
	{name: "duplicate-theme-titles", invalid: []string{"bob/profile.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "bob/profile.md"), "---\nname: Bob\nthemes:\n  - title: Mentor\n    started: 2026-10-01\n  - title: mentor\n    started: 2026-10-02\n---\n")
	}},
	{name: "frontmatter-only", setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "---\ndate: 2026-11-18\nkind: regular\n---\n")
	}},
	{name: "empty-file", invalid: []string{"alice/2026-11-18.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "alice/2026-11-18.md"), "")
	}},
	{name: "empty-profile", invalid: []string{"bob/profile.md"}, setup: func(t *testing.T, root, _ string) {
		writeFile(t, filepath.Join(root, "bob/profile.md"), "")
	}},
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// auditJSON is the part of `audit --json` the hostile tests read.
type auditJSON struct {
	Findings []struct {
		Slug, Code, Message, File string
	} `json:"findings"`
}

func TestHostileRepositories(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary ~150 times")
	}
	base, env := newTeam(t)
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			root := filepath.Join(dir, "notes")
			copyTree(t, base, root)
			outside := filepath.Join(dir, "outside")
			writeFile(t, filepath.Join(outside, "secret.md"), "---\ndate: 2026-11-18\n---\n## Feedback\n- "+secret+"\n")
			writeFile(t, filepath.Join(outside, "profile.md"), "---\nname: "+secret+"\n---\n"+secret+"\n")
			writeFile(t, filepath.Join(outside, "2026-11-18.md"), "## Feedback\n- "+secret+"\n")
			tc.setup(t, root, outside)
			outsideBefore := snapshot(t, outside)
			env := append(append([]string(nil), env...), "ONEONE_DIR="+root)
			slug := tc.slug
			if slug == "" {
				slug = "alice"
			}
			html := filepath.Join(dir, "html")
			cmds := [][]string{
				{"--json", "audit"}, {"audit"}, {"people"}, {"themes"}, {"actions"},
				{"show", slug}, {"show", slug, "2026-11-18"}, {"report", "--html", html},
				{"new", slug, "--date", "2026-11-18"}, {"new", slug},
			}
			for _, args := range cmds {
				if tc.few && args[0] != "--json" && args[0] != "report" && (args[0] != "show" || len(args) > 2) {
					continue
				}
				r := run(t, dir, env, 20*time.Second, args...)
				if testing.Verbose() {
					t.Logf("%s: exit %d, %s, %d MiB %s", strings.Join(args, " "), r.code, r.elapsed.Round(time.Millisecond), r.maxRSSKiB>>10, strings.TrimSpace(r.stderr))
				}
				checkSane(t, r)
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Fatalf("read outside the repository: %s", r)
				}
				if tc.fatal != "" {
					if r.code != 2 || !strings.Contains(r.stderr, tc.fatal) {
						t.Fatalf("want exit 2 naming %s: %s", tc.fatal, r)
					}
					continue
				}
				if r.elapsed > 10*time.Second {
					t.Errorf("too slow: %s", r)
				}
				if args[0] == "--json" {
					var a auditJSON
					if err := json.Unmarshal([]byte(r.stdout), &a); err != nil {
						t.Fatalf("audit --json: %v: %s", err, r)
					}
					for _, want := range tc.invalid {
						found := false
						for _, f := range a.Findings {
							found = found || (f.Code == "invalid-note" && (f.File == want || f.File == want+"/"+"profile.md"))
						}
						if !found {
							t.Errorf("audit: no invalid-note finding for %s: %s", want, r)
						}
					}
					if len(tc.invalid) > 0 && r.code != 1 {
						t.Errorf("audit with findings must exit 1: %s", r)
					}
				}
			}
			if got := snapshot(t, outside); got != outsideBefore {
				t.Fatalf("oneone changed files outside the repository:\nbefore %s\nafter  %s", outsideBefore, got)
			}
			if _, err := os.Stat(filepath.Join(html, "index.html")); tc.fatal == "" && err != nil {
				if b, _ := os.ReadDir(html); len(b) == 0 {
					t.Logf("no report written (%v)", err)
				}
			}
			if b, err := exec.Command("grep", "-rl", secret, html).Output(); err == nil && len(b) > 0 {
				t.Fatalf("the HTML report holds text from outside the repository: %s", b)
			}
		})
	}
}

// snapshot lists the files under dir with their size and content digest.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		data := []byte{}
		if fi.Mode().IsRegular() {
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		fmt.Fprintf(&b, "%s %v %d %x;", strings.TrimPrefix(p, dir), fi.Mode(), fi.Size(), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
