// Command run is the benchmark harness behind `make bench`: it generates the
// benchmark repositories once (cached under .bench/), runs oneone against
// them next to reference commands measured in the same run, and prints a
// table of medians with min, max and peak memory.
//
//	go run ./bench/run -bin bin/oneone
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/oneone/oneone/internal/benchgen"
)

var (
	bin     = flag.String("bin", "bin/oneone", "the oneone binary to measure")
	cache   = flag.String("dir", ".bench", "where generated repositories are cached")
	runs    = flag.Int("runs", 5, "measured runs per case (after one warm-up run)")
	sizes   = flag.String("sizes", "small,medium,large", "repositories to audit")
	years   = flag.Bool("years", true, "also audit large with half the years (the history-growth check)")
	genOnly = flag.Bool("gen", false, "only generate the repositories")
	audits  = flag.Bool("audit", true, "measure audit (false: only new and sync on large)")
	write   = flag.String("write", "large", "the repository (one of -sizes) on which new and sync are measured")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
}

// result is one measured case.
type result struct {
	name    string
	times   []time.Duration
	peakKB  int64
	compare []string // "x1.2 of <reference>"
}

func (r *result) median() time.Duration {
	s := slices.Clone(r.times)
	slices.Sort(s)
	return s[len(s)/2]
}

var results []*result

func run() error {
	abs, err := filepath.Abs(*bin)
	if err != nil {
		return err
	}
	*bin = abs
	specs := map[string]benchgen.Spec{}
	var order []string
	for _, name := range strings.Split(*sizes, ",") {
		s, ok := benchgen.Size(name)
		if !ok {
			return fmt.Errorf("unknown size %q: use small, medium, large", name)
		}
		specs[name], order = s, append(order, name)
	}
	if *years {
		specs["large-5y"] = benchgen.Spec{Name: "large-5y", Reports: 100, Years: 5, Seed: 3}
		order = append(order, "large-5y")
	}
	repos := map[string]string{}
	for _, name := range order {
		dir, err := ensure(specs[name])
		if err != nil {
			return err
		}
		repos[name] = dir
	}
	if *genOnly {
		return itemsBench() // generates it only
	}
	rss := "peak RSS by GNU time"
	if gnuTime == "" {
		rss = "peak RSS by rusage (includes the harness's ~10 MB: apt-get install time for exact figures)"
	}
	fmt.Printf("oneone benchmarks: %d runs per case after a warm-up, ONEONE_TODAY=%s, %s, %s\n\n", *runs, benchgen.Today, machine(), rss)

	for _, name := range order {
		if !*audits {
			break
		}
		dir := repos[name]
		notes, err := listNotes(dir)
		if err != nil {
			return err
		}
		label := fmt.Sprintf("%s (%s)", name, describe(specs[name], len(notes)))
		find := measure(label+": find -name '*.md'", nil, func(int) *exec.Cmd { return exec.Command("find", dir, "-name", "*.md") })
		// The floor of seeing every hand edit: one lstat per note, as git status does.
		stat := measure(label+": find -printf size,mtime,ctime,inode", nil, func(int) *exec.Cmd {
			return exec.Command("find", dir, "-name", "*.md", "-printf", "%s %T@ %C@ %i\n")
		})
		cat := measure(label+": cat every file", nil, func(int) *exec.Cmd {
			return exec.Command("sh", "-c", `find "$1" -name '*.md' -print0 | xargs -0 cat`, "sh", dir)
		})
		cold := measure(label+": oneone audit, no cache", func(int) { os.Remove(filepath.Join(dir, ".git", "oneone-cache")) },
			func(int) *exec.Cmd { return oneone(dir, "audit") })
		audit := measure(label+": oneone audit", nil, func(int) *exec.Cmd { return oneone(dir, "audit") })
		js := measure(label+": oneone audit --json", nil, func(int) *exec.Cmd { return oneone(dir, "audit", "--json") })
		acts := measure(label+": oneone actions", nil, func(int) *exec.Cmd { return oneone(dir, "actions") })
		hl := measure(label+": oneone health", nil, func(int) *exec.Cmd { return oneone(dir, "health") })
		hj := measure(label+": oneone health --json", nil, func(int) *exec.Cmd { return oneone(dir, "health", "--json") })
		hl.vs(audit, "audit")
		hj.vs(js, "audit --json")
		for _, r := range []*result{cold, audit, js, acts} {
			r.vs(find, "find")
			r.vs(cat, "cat")
		}
		audit.vs(stat, "stat floor")
	}
	if *years {
		if a, b := lookup("large-5y", "oneone audit"), lookup("large (", "oneone audit"); a != nil && b != nil {
			b.vs(a, "large-5y")
		}
		// what doubling the years costs the stat floor itself
		if a, b := lookup("large-5y", "find -printf size,mtime,ctime,inode"), lookup("large (", "find -printf size,mtime,ctime,inode"); a != nil && b != nil {
			b.vs(a, "large-5y")
		}
	}
	if *audits {
		if err := orgBench(); err != nil {
			return err
		}
		if err := itemsBench(); err != nil { // bench/run/items.go
			return err
		}
	}
	if _, ok := repos[*write]; ok {
		if err := writeBench(repos[*write], *write); err != nil {
			return err
		}
	}
	printTable()
	return nil
}

// writeBench measures new + commit and sync on copies of a repository (large by default).
func writeBench(src, label string) error {
	tmp := filepath.Join(*cache, "tmp")
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ours, theirs := filepath.Join(tmp, "oneone"), filepath.Join(tmp, "git")
	for _, d := range []string{ours, theirs} {
		if err := sh("", "cp", "-a", src, d); err != nil {
			return err
		}
	}
	slugs, err := reportDirs(src)
	if err != nil {
		return err
	}
	const day = "2026-12-24" // after every generated note
	newNote := func(i int) string { return slugs[(i+1)%len(slugs)] + "/" + day + ".md" }
	nw := measure(label+": oneone new + commit", nil, func(i int) *exec.Cmd {
		return oneone(ours, "new", strings.Split(newNote(i), "/")[0], "--date", day)
	})
	gitNew := measure(label+": git add FILE && git commit", func(i int) {
		data, _ := os.ReadFile(filepath.Join(ours, newNote(i)))
		os.WriteFile(filepath.Join(theirs, newNote(i)), data, 0o600)
	}, func(i int) *exec.Cmd {
		return gitCmd(theirs, "sh", "-c", `git add "$1" && git commit -q -m "new note $1"`, "sh", newNote(i))
	})
	nw.vs(gitNew, "git add+commit")

	// A bare remote for each copy, served by git daemon on 127.0.0.1.
	remotes := filepath.Join(tmp, "remotes")
	os.MkdirAll(remotes, 0o755)
	for _, d := range []string{ours, theirs} {
		if err := sh("", "git", "clone", "-q", "--bare", d, filepath.Join(remotes, filepath.Base(d)+".git")); err != nil {
			return err
		}
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	daemon := exec.Command("git", "daemon", "--reuseaddr", "--listen=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--base-path="+remotes, "--export-all", "--enable=receive-pack", remotes)
	// Its own process group: `git daemon` runs git-daemon as a child, which
	// must end with it.
	daemon.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := daemon.Start(); err != nil {
		return err
	}
	defer func() {
		syscall.Kill(-daemon.Process.Pid, syscall.SIGTERM)
		daemon.Wait()
	}()
	if err := waitPort(port); err != nil {
		return err
	}
	for _, d := range []string{ours, theirs} {
		url := fmt.Sprintf("git://127.0.0.1:%d/%s.git", port, filepath.Base(d))
		if err := sh(d, "git", "remote", "add", "origin", url); err != nil {
			return err
		}
		if err := sh(d, "git", "fetch", "-q", "origin"); err != nil {
			return err
		}
		if err := sh(d, "git", "branch", "-q", "-u", "origin/main", "main"); err != nil {
			return err
		}
	}
	if err := run1(oneone(ours, "sync")); err != nil {
		return fmt.Errorf("first sync: %w", err)
	}
	syncNote := func(i int) string { return slugs[(i+3)%len(slugs)] + fmt.Sprintf("/2027-01-%02d.md", i+1) }
	body := func(i int) []byte {
		return []byte(fmt.Sprintf("---\ndate: 2027-01-%02d\n---\n# 1:1\n\n## Feedback\n- Positive: run %d.\n", i+1, i))
	}
	sy := measure(label+": oneone sync of one new note", func(i int) {
		os.WriteFile(filepath.Join(ours, syncNote(i)), body(i), 0o600)
	}, func(int) *exec.Cmd { return oneone(ours, "sync") })
	push := measure(label+": git push of one new note", func(i int) {
		os.WriteFile(filepath.Join(theirs, syncNote(i)), body(i), 0o600)
		run1(gitCmd(theirs, "sh", "-c", `git add "$1" && git commit -q -m "note $1"`, "sh", syncNote(i)))
	}, func(int) *exec.Cmd { return gitCmd(theirs, "git", "push", "-q", "origin", "main") })
	all := measure(label+": git add+commit+push of one note", func(i int) {
		os.WriteFile(filepath.Join(theirs, syncNote(i+100)), body(i+100), 0o600)
	}, func(i int) *exec.Cmd {
		return gitCmd(theirs, "sh", "-c", `git add "$1" && git commit -q -m "note $1" && git push -q origin main`, "sh", syncNote(i+100))
	})
	sy.vs(push, "git push")
	sy.vs(all, "git add+commit+push")
	noop := measure(label+": oneone sync, nothing to do", nil, func(int) *exec.Cmd { return oneone(ours, "sync") })
	gitNoop := measure(label+": git status && fetch && push, nothing to do", nil, func(int) *exec.Cmd {
		return gitCmd(theirs, "sh", "-c", `git status --porcelain >/dev/null && git fetch -q origin && git push -q origin main`)
	})
	noop.vs(gitNoop, "git")
	if err := remoteKindsBench(tmp, label, ours, theirs, slugs); err != nil { // write.go: a local path and http
		return err
	}

	if err := encryptedBench(tmp, src, label, remotes, port, sy, noop, syncNote, body); err != nil {
		return err
	}

	// Ten reports share an agenda (issue 16): a sync with nothing to do asks
	// each shared remote where it is, and stops there.
	for i := 0; i < 10 && i < len(slugs); i++ {
		name := fmt.Sprintf("share-%s.git", slugs[i])
		if err := sh("", "git", "init", "-q", "--bare", "-b", "main", filepath.Join(remotes, name)); err != nil {
			return err
		}
		url := fmt.Sprintf("git://127.0.0.1:%d/%s", port, name)
		if err := run1(oneone(ours, "share", slugs[i], url)); err != nil {
			return fmt.Errorf("share: %w", err)
		}
	}
	if err := run1(oneone(ours, "sync")); err != nil {
		return fmt.Errorf("sync after share: %w", err)
	}
	shares := measure(label+": oneone sync, nothing to do, 10 shared agendas", nil, func(int) *exec.Cmd { return oneone(ours, "sync") })
	shares.vs(noop, "no-op sync without shares")
	shares.vs(gitNoop, "git")
	return nil
}

// encryptedBench measures an end-to-end encrypted origin (issue 17) on
// another copy of the repository, against the same plain cases measured just
// before: a sync of one new note, a sync with nothing to do, and a clone of
// the whole repository on a new computer (against git clone of the plain one).
func encryptedBench(tmp, src, label, remotes string, port int, plainSync, plainNoop *result, syncNote func(int) string, body func(int) []byte) error {
	enc := filepath.Join(tmp, "encrypted")
	if err := sh("", "cp", "-a", src, enc); err != nil {
		return err
	}
	if err := sh("", "git", "init", "-q", "--bare", "-b", "main", filepath.Join(remotes, "encrypted.git")); err != nil {
		return err
	}
	url := fmt.Sprintf("git://127.0.0.1:%d/encrypted.git", port)
	if err := run1(oneone(enc, "remote", url, "--encrypt")); err != nil {
		return err
	}
	start := time.Now()
	if err := run1(oneone(enc, "sync")); err != nil {
		return fmt.Errorf("first encrypted sync: %w", err)
	}
	fmt.Fprintf(os.Stderr, "bench: first push of %s to an encrypted remote (everything encrypted once): %s\n", label, time.Since(start).Round(time.Millisecond))
	sy := measure(label+": oneone sync of one new note, encrypted remote", func(i int) {
		os.WriteFile(filepath.Join(enc, syncNote(i)), body(i), 0o600)
	}, func(int) *exec.Cmd { return oneone(enc, "sync") })
	sy.vs(plainSync, "plain remote")
	noop := measure(label+": oneone sync, nothing to do, encrypted remote", nil, func(int) *exec.Cmd { return oneone(enc, "sync") })
	noop.vs(plainNoop, "plain remote")

	into, err := filepath.Abs(filepath.Join(tmp, "clone"))
	if err != nil {
		return err
	}
	clean := func(int) { os.RemoveAll(into) }
	gitClone := measure(label+": git clone of the plain remote", clean, func(int) *exec.Cmd {
		return gitCmd(tmp, "git", "clone", "-q", fmt.Sprintf("git://127.0.0.1:%d/git.git", port), into)
	})
	plainClone := measure(label+": oneone clone of the plain remote", clean, func(int) *exec.Cmd {
		return oneone(tmp, "clone", fmt.Sprintf("git://127.0.0.1:%d/oneone.git", port), into)
	})
	encClone := measure(label+": oneone clone of the encrypted remote", clean, func(int) *exec.Cmd {
		return oneone(tmp, "clone", url, into)
	})
	plainClone.vs(gitClone, "git clone")
	encClone.vs(gitClone, "git clone")
	encClone.vs(plainClone, "oneone clone, plain")
	os.RemoveAll(into)
	return nil
}

// measure runs a command once to warm up, then *runs times, with setup(i) before each run.
func measure(name string, setup func(i int), mk func(i int) *exec.Cmd) *result {
	return interleaved(bcase{name: name, setup: setup, mk: mk})[0]
}

// gnuTime is GNU time, when installed (apt-get install time): it forks the
// measured command from a small process, so that the command's peak memory
// is its own. A child forked by this harness starts with the harness's peak
// RSS as its own (Linux keeps ru_maxrss across fork and exec), so without
// GNU time the figures include the harness's (about 10 MB).
var gnuTime = func() string {
	if p, err := exec.LookPath("/usr/bin/time"); err == nil {
		if exec.Command(p, "-f", "%M", "true").Run() == nil {
			return p
		}
	}
	return ""
}()

// wrapTime runs cmd under GNU time, when installed, and returns the file its peak RSS goes to.
func wrapTime(cmd *exec.Cmd) string {
	if gnuTime == "" {
		return ""
	}
	f, err := os.CreateTemp("", "bench-rss-")
	if err != nil {
		return ""
	}
	f.Close()
	cmd.Args = append([]string{gnuTime, "-f", "%M", "-o", f.Name(), "--"}, cmd.Args...)
	cmd.Path = gnuTime
	return f.Name()
}

// peakKB returns the command's peak RSS in KiB.
func peakKB(cmd *exec.Cmd, rssFile string) int64 {
	if rssFile != "" {
		defer os.Remove(rssFile)
		data, _ := os.ReadFile(rssFile)
		fields := strings.Fields(string(data))
		if len(fields) > 0 {
			var kb int64
			if _, err := fmt.Sscan(fields[len(fields)-1], &kb); err == nil {
				return kb
			}
		}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}

func (r *result) vs(ref *result, label string) {
	r.compare = append(r.compare, fmt.Sprintf("%.2fx %s", float64(r.median())/float64(ref.median()), label))
}

func lookup(prefix, suffix string) *result {
	for _, r := range results {
		if strings.HasPrefix(r.name, prefix) && strings.HasSuffix(r.name, ": "+suffix) {
			return r
		}
	}
	return nil
}

func isFindings(err error) bool {
	ee, ok := err.(*exec.ExitError)
	return ok && ee.ExitCode() == 1
}

func printTable() {
	w := 0
	for _, r := range results {
		w = max(w, len(r.name))
	}
	fmt.Printf("%-*s  %9s  %9s  %9s  %8s  %s\n", w, "case", "median", "min", "max", "peak MB", "compared (median / median)")
	for _, r := range results {
		s := slices.Clone(r.times)
		slices.Sort(s)
		fmt.Printf("%-*s  %9s  %9s  %9s  %8.1f  %s\n", w, r.name, ms(r.median()), ms(s[0]), ms(s[len(s)-1]),
			float64(r.peakKB)/1024, strings.Join(r.compare, ", "))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func oneone(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(*bin, append([]string{"--dir", dir, "--no-color"}, args...)...)
	cmd.Env = benchEnv()
	return cmd
}

func gitCmd(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = benchEnv()
	return cmd
}

func benchEnv() []string {
	home, _ := filepath.Abs(filepath.Join(*cache, "home"))
	os.MkdirAll(home, 0o755)
	return append(os.Environ(), "ONEONE_TODAY="+benchgen.Today, "HOME="+home, "NO_COLOR=1",
		"GIT_AUTHOR_NAME=Dana Reyes", "GIT_AUTHOR_EMAIL=dana@example.com",
		"GIT_COMMITTER_NAME=Dana Reyes", "GIT_COMMITTER_EMAIL=dana@example.com",
		"GIT_CONFIG_NOSYSTEM=1")
}

func run1(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(cmd.Args, " "), err, out)
	}
	return nil
}

func sh(dir, name string, args ...string) error { return run1(gitCmd(dir, name, args...)) }

// ensure generates the repository of spec unless a current one is cached.
func ensure(spec benchgen.Spec) (string, error) {
	base := filepath.Join(*cache, spec.Name)
	dir := filepath.Join(base, "repo")
	stamp := filepath.Join(base, "stamp")
	want := fmt.Sprintf("benchgen %s %d reports %d years seed %d\n", benchgen.Version, spec.Reports, spec.Years, spec.Seed)
	if got, err := os.ReadFile(stamp); err == nil && string(got) == want {
		return dir, nil
	}
	fmt.Fprintf(os.Stderr, "bench: generating %s (%d reports x %d years) in %s\n", spec.Name, spec.Reports, spec.Years, dir)
	start := time.Now()
	os.RemoveAll(base)
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", err
	}
	if err := benchgen.Generate(dir, spec); err != nil {
		return "", err
	}
	if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "bench: generated %s in %s\n", spec.Name, time.Since(start).Round(time.Millisecond))
	return dir, nil
}

func listNotes(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*", "*.md"))
	return m, err
}

func reportDirs(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*", "profile.md"))
	var out []string
	for _, p := range m {
		out = append(out, filepath.Base(filepath.Dir(p)))
	}
	slices.Sort(out)
	return out, err
}

func describe(s benchgen.Spec, files int) string {
	return fmt.Sprintf("%d x %dy, %d files", s.Reports, s.Years, files)
}

func machine() string {
	out, _ := exec.Command("nproc").Output()
	return fmt.Sprintf("%s cores", strings.TrimSpace(string(out)))
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitPort(port int) error {
	for i := 0; i < 100; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("git daemon did not start on port %d", port)
}
