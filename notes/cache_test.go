package notes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oneone/oneone/internal/benchgen"
)

// auditJSON audits the team as `oneone audit --json` does.
func auditJSON(t *testing.T, r *Repo, team *Team) []byte {
	t.Helper()
	today, _ := ParseDate(benchgen.Today)
	out, err := json.MarshalIndent(Audit(team, r.Config, today, AuditOptions{}), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fullAudit audits a full scan through goldmark and yaml.v3 only: the
// reference the cached and fast paths must match byte for byte.
func fullAudit(t *testing.T, r *Repo) []byte {
	t.Helper()
	fastParsing = false
	defer func() { fastParsing = true }()
	team, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	return auditJSON(t, r, team)
}

func summaryAudit(t *testing.T, r *Repo, only ...string) ([]byte, *Team) {
	t.Helper()
	team, err := r.LoadSummaries(only...)
	if err != nil {
		t.Fatal(err)
	}
	out := auditJSON(t, r, team) // while the cache is written in the background
	WaitCache()
	return out, team
}

// fastReads reports whether the fast parser reads the note at path, frontmatter and body.
func fastReads(t *testing.T, path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := SplitFrontmatter(normalizeText(data))
	if err != nil {
		t.Fatal(err)
	}
	_, front := fastFront(parts.Front, nil)
	_, body := fastBody(parts.Body)
	return front && body
}

// noRacyWindow lets a test cache the files it has just written.
func noRacyWindow(t *testing.T) {
	old := racyWindow
	racyWindow = -time.Hour
	t.Cleanup(func() { racyWindow = old })
}

// TestSummaryCacheMatchesFullScan: the fast path gives a byte-identical audit
// to a full scan on generated repositories, with no cache, a cold cache, a
// warm cache, a damaged cache and after a partial load.
func TestSummaryCacheMatchesFullScan(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: needed to generate repositories")
	}
	noRacyWindow(t)
	for _, name := range []string{"small", "medium"} {
		t.Run(name, func(t *testing.T) {
			spec, _ := benchgen.Size(name)
			if name == "medium" && testing.Short() {
				spec.Years = 2 // smaller, still a few thousand notes
			}
			dir := filepath.Join(t.TempDir(), "repo")
			if err := benchgen.Generate(dir, spec); err != nil {
				t.Fatal(err)
			}
			r, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			want := fullAudit(t, r)
			// the cold load below parses every note with the fast parser (issue 19)
			if paths, _ := filepath.Glob(filepath.Join(dir, "*", "20*.md")); len(paths) == 0 || !fastReads(t, paths[len(paths)/2]) {
				t.Fatal("the fast parser does not read the generated notes")
			}
			if bytes.Count(want, []byte(`"code"`)) < 10 {
				t.Fatalf("generated repository gives too few findings to compare:\n%s", want)
			}
			cache := filepath.Join(dir, ".git", CacheFile)
			got, _ := summaryAudit(t, r)
			if !bytes.Equal(got, want) {
				t.Fatalf("cold cache: audit differs from a full scan:\n%s", firstDiff(got, want))
			}
			if _, err := os.Stat(cache); err != nil {
				t.Fatalf("no cache written: %v", err)
			}
			got, team := summaryAudit(t, r)
			if !bytes.Equal(got, want) {
				t.Fatalf("warm cache: audit differs from a full scan:\n%s", firstDiff(got, want))
			}
			for _, p := range team.People {
				if !p.actionsKnown {
					t.Fatalf("warm cache: %s was not read from the index alone", p.Slug)
				}
			}
			// what the other users of LoadSummaries (actions, themes) read is the same too
			full, err := r.Load()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := digest(team), digest(full); got != want {
				t.Fatalf("warm cache: people differ from a full scan:\n%s", firstDiff([]byte(got), []byte(want)))
			}
			// a partial load keeps the other folders' entries
			slug := team.People[len(team.People)/2].Slug
			if _, err := r.LoadSummaries(slug); err != nil {
				t.Fatal(err)
			}
			if got, _ := summaryAudit(t, r); !bytes.Equal(got, want) {
				t.Fatalf("after a partial load: audit differs from a full scan:\n%s", firstDiff(got, want))
			}
			// a damaged cache is ignored and rebuilt
			data, _ := os.ReadFile(cache)
			data[len(data)/2] ^= 0xff
			if err := os.WriteFile(cache, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if got, _ := summaryAudit(t, r); !bytes.Equal(got, want) {
				t.Fatalf("damaged cache: audit differs from a full scan:\n%s", firstDiff(got, want))
			}
			if got, _ := summaryAudit(t, r); !bytes.Equal(got, want) {
				t.Fatalf("rebuilt cache: audit differs from a full scan:\n%s", firstDiff(got, want))
			}
		})
	}
}

// TestSummaryCacheSeesHandEdit: closing an action item in place, same size,
// new mtime, is seen on the next load.
func TestSummaryCacheSeesHandEdit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: needed to generate repositories")
	}
	noRacyWindow(t)
	spec, _ := benchgen.Size("small")
	dir := filepath.Join(t.TempDir(), "repo")
	if err := benchgen.Generate(dir, spec); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	before, team := summaryAudit(t, r)
	summaryAudit(t, r) // warm
	// close a stale action item where it last appears
	var rep AuditReport
	if err := json.Unmarshal(before, &rep); err != nil {
		t.Fatal(err)
	}
	var path string
	var old, edited []byte
	for _, f := range rep.Findings {
		if f.Code != FindStaleAction || path != "" {
			continue
		}
		for _, p := range team.People {
			if p.Slug != f.Slug {
				continue
			}
			for _, a := range p.OpenActions() {
				if strings.Contains(f.Message, a.Text) {
					path = filepath.Join(dir, filepath.FromSlash(a.LastPath))
					old, _ = os.ReadFile(path)
					edited = bytes.Replace(old, []byte("- [ ] "+a.Text), []byte("- [x] "+a.Text), 1)
					break
				}
			}
		}
	}
	if path == "" || bytes.Equal(old, edited) {
		t.Fatal("no stale action item to close")
	}
	fi, _ := os.Stat(path)
	if err := os.WriteFile(path, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime().Add(time.Second), fi.ModTime().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	got, _ := summaryAudit(t, r)
	want := fullAudit(t, r)
	if !bytes.Equal(got, want) {
		t.Fatalf("after a hand edit: audit differs from a full scan:\n%s", firstDiff(got, want))
	}
	if bytes.Equal(got, before) {
		t.Fatalf("the edit of %s changed nothing in the audit: pick another edit", path)
	}
}

// TestSummariesWithoutGit: a plain folder has no cache and gives the same audit.
func TestSummariesWithoutGit(t *testing.T) {
	dir := t.TempDir()
	if err := benchgen.WriteFiles(dir, benchgen.Spec{Name: "tiny", Reports: 3, Years: 1, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := fullAudit(t, r)
	got, _ := summaryAudit(t, r)
	if !bytes.Equal(got, want) {
		t.Fatalf("plain folder: audit differs from a full scan:\n%s", firstDiff(got, want))
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		t.Fatal("LoadSummaries wrote into a plain folder")
	}
}

// TestCutFromMarker: the hand-written matcher agrees with the regular expression it replaces.
func TestCutFromMarker(t *testing.T) {
	re := `\s*\(from (\d{4}-\d{2}-\d{2})\)\s*$`
	for _, s := range []string{
		"", "x", "(from 2026-01-02)", "a (from 2026-01-02)", "a(from 2026-01-02)", "a (from 2026-01-02) \t\n",
		"a  \t(from 2026-01-02)", "a (from 2026-1-02)", "a (from 2026-01-02", "a (From 2026-01-02)",
		"a (from 2026-01-02) b", "a (from 2026-01-02) (from 2025-12-31)", "a (from 2026-01-0x)",
		"a\u00a0(from 2026-01-02)", "(from 2026-01-02)(from 2026-01-03)", " (from 2026-01-02)",
	} {
		wantRest := regexpReplace(re, s)
		rest, date := cutFromMarker(s)
		if rest != wantRest {
			t.Errorf("cutFromMarker(%q) rest = %q, want %q", s, rest, wantRest)
		}
		if (date != "") != (wantRest != s) || (date != "" && !strings.Contains(s, "(from "+date+")")) {
			t.Errorf("cutFromMarker(%q) date = %q", s, date)
		}
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return "line " + itoa(i+1) + ":\n got: " + g[i] + "\nwant: " + w[i]
		}
	}
	return "lengths differ: " + itoa(len(g)) + " vs " + itoa(len(w)) + " lines"
}

func regexpReplace(re, s string) string { return regexp.MustCompile(re).ReplaceAllString(s, "") }

func itoa(i int) string { return strconv.Itoa(i) }

// digest writes down what summaries promise to keep of a team: profiles,
// notes' metadata and section emptiness, action items.
func digest(team *Team) string {
	var b strings.Builder
	for _, p := range team.People {
		fmt.Fprintf(&b, "%s %+v\n", p.Slug, *p.Profile)
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "%s %s %s %s %v feedback-empty=%v topics-empty=%v mood=%d positive=%d to-improve=%d blank=%v empty=%v\n",
				n.Path, FormatDate(n.Date), n.Kind, n.Status, n.Ratings, n.FeedbackEmpty(), n.TopicsEmpty(p.Profile.FirstName()),
				n.Mood, n.Positive, n.ToImprove, n.Blank, n.Empty())
		}
		for _, a := range p.Actions() {
			fmt.Fprintf(&b, "%+v\n", a)
		}
		for _, a := range p.ActionsOn(ParseDateOr(benchgen.Today)) {
			fmt.Fprintf(&b, "%+v\n", a)
		}
		fmt.Fprintf(&b, "%v %v\n", p.Problems, p.Conflicts)
	}
	return b.String()
}

// TestWarmLoadRaisesGOGC: a load through an existing cache sets GOGC 400
// and a 128 MiB soft memory limit (warmGC); a load without one does not.
func TestWarmLoadRaisesGOGC(t *testing.T) {
	noRacyWindow(t)
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	prevPercent, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(prevPercent); debug.SetMemoryLimit(prevLimit) })
	r := writeRepo(t, map[string]string{
		"ada/profile.md":    "---\nname: Ada\n---\n",
		"ada/2026-01-05.md": "---\ndate: 2026-01-05\n---\n## Action items\n- [ ] send the plan\n",
	})
	if err := os.Mkdir(filepath.Join(r.Root, ".git"), 0o700); err != nil { // where the cache lives
		t.Fatal(err)
	}
	if _, err := r.LoadSummaries(); err != nil { // no cache yet: writes it
		t.Fatal(err)
	}
	WaitCache()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Fatalf("GOGC after a load without a cache: %d, want 100", p)
	}
	if l := debug.SetMemoryLimit(-1); l != prevLimit {
		t.Fatalf("memory limit after a load without a cache: %d, want %d (put back)", l, prevLimit)
	}
	if _, err := r.LoadSummaries(); err != nil {
		t.Fatal(err)
	}
	WaitCache()
	if p := debug.SetGCPercent(100); p != 400 {
		t.Fatalf("GOGC after a warm load: %d, want 400", p)
	}
	if l := debug.SetMemoryLimit(-1); l != 128<<20 {
		t.Fatalf("memory limit after a warm load: %d, want 128 MiB", l)
	}
}
