package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// orgToken is the token the organisation's test remote accepts (user "org").
const orgToken = "orgtok-5b1e90c3d7"

// orgServer serves an empty bare repository org.git through git http-backend
// behind basic auth on 127.0.0.1; it returns its URL and folder.
func orgServer(t *testing.T) (url, bare string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not installed")
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git --exec-path failed")
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Skip("git-http-backend not installed")
	}
	root := t.TempDir()
	bare = filepath.Join(root, "org.git")
	gitT(t, root, "init", "-q", "--bare", "-b", "main", bare)
	gitT(t, bare, "config", "http.receivepack", "true")
	h := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + root}, Stderr: io.Discard}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != "org" || p != orgToken {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		r.Header.Set("Remote-User", u)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/org.git", bare
}

// gitT runs the git binary (to set up and check only).
func gitT(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// directorTeam is a manager of managers: their reports are managers.
const directorTeam = `-- oneone.yaml --
manager: Morgan Diaz
cadence: weekly
away:
  - from: 2026-08-01   # CANARY-DIRECTOR-AWAY-COMMENT
    to: 2026-08-14
    reason: CANARY-DIRECTOR-AWAY-REASON
-- dana/profile.md --
---
name: Dana Reyes
role: CANARY-ROLE Engineering manager
themes:
  - title: CANARY-DIRECTOR-THEME hire two seniors
    started: 2026-10-01
---
CANARY-DIRECTOR-PROFILE-BODY
-- lee/profile.md --
---
name: Lee Park
---
-- sam/profile.md --
---
name: Sam Ortiz
away:
  - from: 2026-09-01
    to: 2026-09-05
    reason: CANARY-SAM-AWAY-REASON
---
`

// directorNote is a held 1:1 of the director with one of their managers.
func directorNote(slug, day string) string {
	return fmt.Sprintf("-- %s/%s.md --\n---\ndate: %s\nthemes:\n  CANARY-DIRECTOR-THEME hire two seniors: on-track\n---\n## Feedback\n- Positive: CANARY-D-POS-%s\n- To improve: CANARY-D-IMP-%s\n\n## Topics\n- CANARY-D-TOPIC\n\n## Action items\n- [ ] Morgan: CANARY-D-ACTION\n\n## Private\nCANARY-D-PRIVATE\n", slug, day, day, slug, slug)
}

// newManagerRepo makes a notes repository for manager name from a txtar
// fixture (its oneone.yaml's manager replaced), everything committed.
func newManagerRepo(t *testing.T, base, dirName, name string, fixture []byte, env []string) string {
	t.Helper()
	root := filepath.Join(base, dirName)
	mustRun(t, base, env, "init", root, "--manager", name)
	for _, f := range txtar.Parse(fixture).Files {
		data := f.Data
		if f.Name == "oneone.yaml" {
			data = regexp.MustCompile(`(?m)^manager: .*$`).ReplaceAll(data, []byte("manager: "+name))
		}
		writeFile(t, filepath.Join(root, filepath.FromSlash(f.Name)), string(data))
	}
	r := run(t, base, append(env, "ONEONE_DIR="+root), time.Minute, "sync") // commits; exit 2: no origin
	if !strings.Contains(r.stderr, "no remote") {
		t.Fatalf("%s", r)
	}
	return root
}

// TestOrgThreeLevels: three managers and their director publish to one
// organisation repository on git http-backend with auth; the director reads
// it. Every figure comes from the notes, and no text from them (each holds
// CANARY), no token and no slug of an anonymous manager reaches any output
// or any object of the organisation's repository.
func TestOrgThreeLevels(t *testing.T) {
	url, bare := orgServer(t)
	base := t.TempDir()
	home := filepath.Join(base, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := testEnv(home, "ONEONE_GIT_USERNAME=org", "ONEONE_GIT_TOKEN="+orgToken)
	small, err := os.ReadFile("../../health/testdata/small.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dirTeam := directorTeam
	for _, slug := range []string{"dana", "lee", "sam"} {
		for _, day := range []string{"2026-11-04", "2026-11-11", "2026-11-18", "2026-11-25"} {
			dirTeam += directorNote(slug, day)
		}
	}
	var outputs []result // everything printed, scanned at the end
	do := func(root string, want int, args ...string) result {
		t.Helper()
		r := run(t, base, append(env, "ONEONE_DIR="+root), time.Minute, args...)
		outputs = append(outputs, r)
		if r.code != want {
			t.Fatalf("want exit %d: %s", want, r)
		}
		checkSane(t, r)
		return r
	}

	dana := newManagerRepo(t, base, "dana", "Dana Reyes", small, env)
	lee := newManagerRepo(t, base, "lee", "Lee Park", small, env)
	sam := newManagerRepo(t, base, "sam", "Sam Ortiz", small, env)
	director := newManagerRepo(t, base, "director", "Morgan Diaz", []byte(dirTeam), env)
	for _, root := range []string{dana, lee, sam, director} {
		do(root, 0, "health")
		do(root, 0, "health", "--json")
	}
	do(sam, 0, "health", "--anonymous")

	// dana joins with the token in the URL: it is not stored
	withToken := strings.Replace(url, "http://", "http://org:"+orgToken+"@", 1)
	r := do(dana, 0, "org", "join", withToken, "--as", "dana")
	if !strings.Contains(r.stderr, "credentials in the URL were not saved") {
		t.Fatalf("%s", r)
	}
	cfg, _ := os.ReadFile(filepath.Join(dana, "oneone.yaml"))
	// as `oneone remote` stores it: neither the user name nor the token
	stored := url
	if !strings.Contains(string(cfg), "org:\n  remote: "+stored+"\n  as: dana\n") || strings.Contains(string(cfg), orgToken) {
		t.Fatalf("oneone.yaml:\n%s", cfg)
	}
	if log := gitT(t, dana, "log", "-1", "--format=%s", "--name-only"); !strings.Contains(log, "oneone.yaml") {
		t.Fatalf("join not committed: %s", log)
	}
	// sync publishes, origin or not; it exits 2 here because alice's shared agenda cannot be reached
	r = run(t, base, append(env, "ONEONE_DIR="+dana), time.Minute, "sync") // also says alice's shared agenda cannot be reached
	outputs = append(outputs, r)
	if r.code != 2 || !strings.Contains(r.stderr, "no remote") || !strings.Contains(gitT(t, bare, "ls-tree", "-r", "--name-only", "main"), "managers/dana.json") {
		t.Fatalf("%s", r)
	}

	do(lee, 0, "org", "join", url, "--as", "lee")
	r = run(t, base, append(env, "ONEONE_DIR="+lee, "ONEONE_TODAY=2026-11-01"), time.Minute, "org", "publish")
	outputs = append(outputs, r)
	if r.code != 0 || !strings.Contains(r.stdout, "published managers/lee.json") {
		t.Fatalf("%s", r)
	}
	do(sam, 0, "org", "join", url, "--as", "sam", "--anonymous")
	do(director, 0, "org", "join", url) // as morgan-diaz

	// sam and the director publish at the same moment: both land
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i, root := range []string{sam, director} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := append(append([]string(nil), env...), "ONEONE_DIR="+root) // not append(env, ...): both would share its array
			results[i] = run(t, base, own, time.Minute, "org", "publish")
		}()
	}
	wg.Wait()
	for _, r := range results {
		outputs = append(outputs, r)
		if r.code != 0 {
			t.Fatalf("%s", r)
		}
	}
	if got := gitT(t, bare, "ls-tree", "-r", "--name-only", "main"); got != "managers/dana.json\nmanagers/lee.json\nmanagers/morgan-diaz.json\nmanagers/sam.json\n" {
		t.Fatalf("organisation tree:\n%s\n%s\n%s", got, results[0], results[1])
	}
	if merges := gitT(t, bare, "rev-list", "--merges", "main"); merges != "" {
		t.Fatalf("merge commits: %s", merges)
	}
	if n := strings.Count(gitT(t, bare, "rev-list", "main"), "\n"); n != 4 {
		t.Fatalf("%d commits, want one per publish", n)
	}
	gitT(t, bare, "fsck", "--strict")
	samJSON := gitT(t, bare, "show", "main:managers/sam.json")
	for _, s := range []string{`"alice"`, `"bob"`, `"dan"`, `"eve"`, "Alice", "Chen", "Bob", "Martin", "Eve", "Never"} {
		if strings.Contains(samJSON, s) {
			t.Errorf("sam's anonymous summary names %s:\n%s", s, samJSON)
		}
	}
	if !regexp.MustCompile(`"slug": "r-[0-9a-f]{8}"`).MatchString(samJSON) {
		t.Errorf("no pseudonyms in sam's summary:\n%s", samJSON)
	}
	// publishing again changes nothing
	if r := do(sam, 0, "org", "publish"); !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("%s", r)
	}
	if got := gitT(t, bare, "show", "main:managers/sam.json"); got != samJSON {
		t.Fatal("the pseudonyms changed")
	}

	// the director reads the organisation: dana and sam 1 of 4 each (the
	// small fixture), the director's own 3 of 3, lee stale (as of 11-01)
	r = do(director, 1, "org")
	want := "5 of 11 reports had their 1:1s on cadence over the last 90 days\n"
	if !strings.HasSuffix(r.stdout, want) || !regexp.MustCompile(`(?m)^lee +4 .* 2026-11-01 stale$`).MatchString(r.stdout) {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(r.stderr, "lee's summary is stale (as of 2026-11-01, 24 days ago)") {
		t.Fatalf("%s", r)
	}
	r = do(director, 1, "org", "--json")
	if !strings.Contains(r.stdout, `"org": {
    "reports": 11,
    "on_cadence_reports": 5,
    "managers": 4,
    "stale": 1
  }`) {
		t.Fatalf("%s", r)
	}
	page := filepath.Join(base, "orgpage")
	do(director, 1, "org", "--html", page)
	html, err := os.ReadFile(filepath.Join(page, "index.html"))
	if err != nil || !bytes.Contains(html, []byte(want[:len(want)-1])) {
		t.Fatalf("page: %v", err)
	}
	outputs = append(outputs, result{stdout: string(html)})

	// garbage in the organisation's repository: named and skipped, bounded memory
	clone := filepath.Join(base, "orgclone")
	gitT(t, base, "clone", "-q", bare, clone)
	writeFile(t, filepath.Join(clone, "managers", "huge.json"), `{"manager":"`+strings.Repeat("x", 3<<20)+`"}`)
	writeFile(t, filepath.Join(clone, "managers", "deep.json"), strings.Repeat("[", 1<<20))
	writeFile(t, filepath.Join(clone, "managers", "junk.json"), "\x00\x01\x02 not json")
	gitT(t, clone, "add", "-A")
	gitT(t, clone, "commit", "-qm", "garbage")
	gitT(t, clone, "push", "-q", "origin", "HEAD:main")
	r = do(director, 1, "org")
	for _, f := range []string{"huge.json", "deep.json", "junk.json"} {
		if !strings.Contains(r.stderr, "managers/"+f+": ") {
			t.Errorf("%s not named: %s", f, r)
		}
	}
	if !strings.HasSuffix(r.stdout, want) || r.maxRSSKiB > 200<<10 {
		t.Fatalf("%s", r)
	}
	// a clone is read as well as the fetched copy
	r = do(director, 1, "org", clone)
	if !strings.HasSuffix(r.stdout, want) {
		t.Fatalf("%s", r)
	}
	// a publish after the garbage keeps it: oneone touches only its own file
	do(dana, 0, "org", "publish")
	if got := gitT(t, bare, "ls-tree", "-r", "--name-only", "main"); !strings.Contains(got, "managers/huge.json") || !strings.Contains(got, "managers/deep.json") {
		t.Fatalf("other files dropped:\n%s", got)
	}

	// nothing of oneone's organisation copy shows in the notes' git status
	for _, root := range []string{dana, lee, sam, director} {
		if st := gitT(t, root, "status", "--porcelain"); st != "" {
			t.Errorf("%s: git status:\n%s", root, st)
		}
	}

	// the attacker's scan: every object of the organisation's repository and
	// of every manager's copy of it, and every byte printed
	scan := []string{}
	for _, dir := range []string{bare, filepath.Join(dana, ".git", "oneone", "org"), filepath.Join(director, ".git", "oneone", "org")} {
		cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("cat-file in %s: %v", dir, err)
		}
		scan = append(scan, string(out))
	}
	objects := len(scan)
	for _, r := range outputs {
		scan = append(scan, r.stdout, r.stderr)
	}
	for i, text := range scan {
		canaries := []string{"CANARY", "canary", orgToken}
		if i < objects {
			canaries = append(canaries, "alice-agenda") // the shared agenda's URL: sync's own talk names it, the organisation never sees it
		}
		for _, canary := range canaries {
			if strings.Contains(text, canary) {
				at := strings.Index(text, canary)
				t.Errorf("%q found in scanned text %d: ...%s...", canary, i, text[max(at-80, 0):min(at+80, len(text))])
			}
		}
	}
}

// TestOrgPublishFailureKeepsSync: when the organisation's repository cannot
// be reached, sync still syncs the notes, says so on stderr, and its exit
// status is the notes sync's.
func TestOrgPublishFailureKeepsSync(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not installed")
	}
	root, env := newTeam(t)
	base := filepath.Dir(root)
	srv := filepath.Join(base, "srv")
	gitT(t, base, "init", "-q", "--bare", "-b", "main", filepath.Join(srv, "notes.git"))
	notesURL, stop, err := serveGitDaemon(srv)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	mustRun(t, base, env, "remote", notesURL)
	mustRun(t, base, env, "org", "join", "http://127.0.0.1:1/org.git", "--as", "dana")
	r := run(t, base, env, time.Minute, "sync")
	if r.code != 0 || !strings.Contains(r.stderr, "oneone: warning: org publish: cannot reach the organisation's repository http://127.0.0.1:1/org.git") ||
		!strings.Contains(r.stdout, "pushed to origin") {
		t.Fatalf("%s", r)
	}
	if log := gitT(t, filepath.Join(srv, "notes.git"), "log", "--format=%s", "-1"); !strings.Contains(log, "oneone.yaml") {
		t.Fatalf("notes not pushed: %s", log)
	}
	// org publish itself fails: 2, one line
	r = run(t, base, env, time.Minute, "org", "publish")
	if r.code != 2 {
		t.Fatalf("%s", r)
	}
	checkSane(t, r)
}

// TestOrgPublishKeepsAnotherManagersFile: two managers who join under the same
// name do not overwrite each other's summary: the second publish is refused
// (exit 2, one line naming the file, whose it is, and the fix), the first
// manager's file stays as it was; a publish under another name lands; and a
// manager publishing their own file again updates it.
func TestOrgPublishKeepsAnotherManagersFile(t *testing.T) {
	url, bare := orgServer(t)
	base := t.TempDir()
	home := filepath.Join(base, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := testEnv(home, "ONEONE_GIT_USERNAME=org", "ONEONE_GIT_TOKEN="+orgToken)
	small, err := os.ReadFile("../../health/testdata/small.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dana := newManagerRepo(t, base, "dana", "Dana Reyes", small, env)
	dani := newManagerRepo(t, base, "dani", "Dani Rey", small, env)
	in := func(root string, args ...string) result {
		t.Helper()
		r := run(t, base, append(env, "ONEONE_DIR="+root), time.Minute, args...)
		checkSane(t, r)
		return r
	}
	if r := in(dana, "org", "join", url, "--as", "dr"); r.code != 0 {
		t.Fatalf("%s", r)
	}
	if r := in(dana, "org", "publish"); r.code != 0 {
		t.Fatalf("%s", r)
	}
	before := gitT(t, bare, "show", "main:managers/dr.json")

	if r := in(dani, "org", "join", url, "--as", "dr"); r.code != 0 {
		t.Fatalf("%s", r)
	}
	r := in(dani, "org", "publish")
	if r.code != 2 || !strings.Contains(r.stderr, `managers/dr.json`) || !strings.Contains(r.stderr, `"Dana Reyes"`) ||
		!strings.Contains(r.stderr, "--as NAME") {
		t.Fatalf("want a refusal naming the file, its manager and the fix: %s", r)
	}
	if after := gitT(t, bare, "show", "main:managers/dr.json"); after != before {
		t.Fatalf("Dana's summary was overwritten:\n%s", after)
	}
	// sync publishes too: it warns the same way (it exits 2 here because alice's
	// shared agenda in the fixture cannot be reached)
	r = run(t, base, append(env, "ONEONE_DIR="+dani), time.Minute, "sync")
	if !strings.Contains(r.stderr, "oneone: warning: org publish: managers/dr.json in ") || !strings.Contains(r.stderr, `"Dana Reyes"`) {
		t.Fatalf("%s", r)
	}
	if after := gitT(t, bare, "show", "main:managers/dr.json"); after != before {
		t.Fatalf("Dana's summary was overwritten by sync:\n%s", after)
	}

	// under a name of their own, Dani's summary lands beside Dana's
	if r := in(dani, "org", "join", url, "--as", "dani"); r.code != 0 {
		t.Fatalf("%s", r)
	}
	if r := in(dani, "org", "publish"); r.code != 0 {
		t.Fatalf("%s", r)
	}
	// and Dana's next day replaces Dana's own file
	r = run(t, base, append(env, "ONEONE_DIR="+dana, "ONEONE_TODAY=2026-11-26"), time.Minute, "org", "publish")
	if r.code != 0 || !strings.Contains(r.stdout, "published managers/dr.json") {
		t.Fatalf("%s", r)
	}
	files := gitT(t, bare, "ls-tree", "-r", "--name-only", "main")
	if !strings.Contains(files, "managers/dr.json") || !strings.Contains(files, "managers/dani.json") {
		t.Fatalf("files:\n%s", files)
	}
	if got := gitT(t, bare, "show", "main:managers/dr.json"); !strings.Contains(got, `"manager": "Dana Reyes"`) || got == before {
		t.Fatalf("managers/dr.json:\n%s", got)
	}
}
