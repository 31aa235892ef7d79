// Package benchgen generates deterministic notes repositories for benchmarks:
// N reports x Y years of weekly or biweekly 1:1 notes with realistic bodies
// (feedback, topics, themes with ratings, action items carried over and
// checked, some skipped notes and goals 1:1s) and a real git history, one
// commit per day of notes, written through `git fast-import`.
//
// The same Spec always gives the same files and the same commits.
package benchgen

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Today is the day the generated history ends on; run oneone with
// ONEONE_TODAY set to it.
const Today = "2026-11-25"

// Version changes whenever the generated content changes, so that cached
// repositories are rebuilt.
const Version = "2"

// Spec describes a repository to generate.
type Spec struct {
	Name    string // small, medium, large
	Reports int
	Years   int
	Seed    uint64
	// NeverClose makes the never-closed-items variant (issue 19): besides
	// what the spec's repository holds, every note adds one or two action
	// items of its own that are never checked, and the newest note of each
	// report carries every one of them over ("(from DATE)"), so that they all
	// stay open: about 52,000 open items on 100 x 10 years. Only the newest
	// note lists them all (a linear repository, not one where every note
	// repeats every item before it).
	NeverClose bool
}

// Sizes are the standard benchmark repositories.
var Sizes = []Spec{
	{Name: "small", Reports: 10, Years: 1, Seed: 1},
	{Name: "medium", Reports: 30, Years: 5, Seed: 2},
	{Name: "large", Reports: 100, Years: 10, Seed: 3},
}

// Items is the never-closed-items variant of large (issue 19): the same
// notes, plus about 52,000 action items that stay open.
var Items = Spec{Name: "large-items", Reports: 100, Years: 10, Seed: 3, NeverClose: true}

// Size returns the standard spec of that name.
func Size(name string) (Spec, bool) {
	for _, s := range Sizes {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// File is one generated file of the repository.
type File struct {
	Path string // repository-relative, forward slashes
	Data []byte
	Day  time.Time // the day it is committed
}

// Files returns every file of the repository, in commit order (by day, then path).
func Files(spec Spec) []File {
	today, _ := time.Parse(time.DateOnly, Today)
	start := today.AddDate(-spec.Years, 0, 0)
	rng := rand.New(rand.NewPCG(spec.Seed, 0x1e1e))
	files := []File{{Path: "oneone.yaml", Data: []byte(configText), Day: start.AddDate(0, 0, -1)},
		{Path: ".gitignore", Data: []byte("# temporary files of an interrupted oneone\n.*.oneone-tmp-*\n"), Day: start.AddDate(0, 0, -1)}}
	for i := 0; i < spec.Reports; i++ {
		// what version 2 added (check-ins, "- [-]", praise-only feedback, slots,
		// finished themes) draws from its own source, so that the rest of the
		// files stay exactly as version 1 wrote them
		extra := rand.New(rand.NewPCG(spec.Seed, 0x7700+uint64(i)))
		var never *rand.Rand // the never-closed items draw from their own source too
		if spec.NeverClose {
			never = rand.New(rand.NewPCG(spec.Seed, 0x9900+uint64(i)))
		}
		files = append(files, genReport(rng, extra, never, i, start, today)...)
	}
	sort.SliceStable(files, func(i, j int) bool {
		if !files[i].Day.Equal(files[j].Day) {
			return files[i].Day.Before(files[j].Day)
		}
		return files[i].Path < files[j].Path
	})
	return files
}

const configText = `manager: Dana Reyes
cadence: weekly
grace: 2d
goals_every: 8w
theme_length: 8w
`

type theme struct {
	title          string
	started, due   time.Time
	status         string
	onTrackPercent int
}

type action struct {
	text  string
	first time.Time
}

func genReport(rng, extra, never *rand.Rand, i int, start, today time.Time) []File {
	first := firstNames[i%len(firstNames)]
	last := lastNames[(i/len(firstNames)+i*7)%len(lastNames)]
	slug := fmt.Sprintf("%s-%03d", strings.ToLower(first), i)
	cadence := 7
	cadenceName := "weekly"
	if rng.IntN(10) < 3 {
		cadence, cadenceName = 14, "biweekly"
	}
	// Reports join over the first tenth of the history.
	joined := start.AddDate(0, 0, rng.IntN(max(int(today.Sub(start).Hours()/24)/10, 1)))

	// Themes: a new one every ~8 weeks, the last one or two active.
	var themes []theme
	for d := joined; d.Before(today); d = d.AddDate(0, 0, 49+rng.IntN(28)) {
		title := themeTitles[rng.IntN(len(themeTitles))]
		for _, t := range themes { // keep titles unique per report
			if t.title == title {
				title = fmt.Sprintf("%s (%s)", title, d.Format("Jan 2006"))
				break
			}
		}
		t := theme{title: title, started: d, due: d.AddDate(0, 0, 56), status: "done", onTrackPercent: 50 + rng.IntN(45)}
		if rng.IntN(8) == 0 {
			t.status = "dropped"
		}
		themes = append(themes, t)
	}
	for k := range themes {
		if themes[k].due.After(today.AddDate(0, 0, -30)) {
			themes[k].status = "active"
		}
	}

	var files []File
	var open []action
	var kept []action // the never-closed items (Spec.NeverClose)
	lastGoals := joined
	var prevDate time.Time
	for d := joined; !d.After(today.AddDate(0, 0, 7)); d = d.AddDate(0, 0, cadence) {
		day := d.AddDate(0, 0, rng.IntN(3)-1) // a day earlier or later now and then
		if !day.After(prevDate) {
			day = prevDate.AddDate(0, 0, 1)
		}
		prevDate = day
		status := ""
		switch r := rng.IntN(100); {
		case r < 6:
			status = "skipped"
		case r < 7:
			status = "cancelled"
		}
		kind := "regular"
		if day.Sub(lastGoals) > 52*24*time.Hour && status == "" {
			kind, lastGoals = "goals", day
		}
		var active []theme
		for _, t := range themes {
			if !t.started.After(day) && t.due.AddDate(0, 0, 14).After(day) && t.status != "dropped" {
				active = append(active, t)
			}
		}
		planned := day.After(today)
		var body []byte
		body, open = noteBody(rng, extra, i%10, first, day, today, kind, status, planned, active, open)
		files = append(files, File{Path: slug + "/" + day.Format(time.DateOnly) + ".md", Data: body, Day: minDay(day, today)})
		if never != nil { // one or two items of its own, never checked
			var items []byte
			for k := 1 + boolInt(never.IntN(4) == 0); k > 0; k-- {
				who := []string{first, "Dana"}[never.IntN(2)]
				what := strings.ToLower(strings.TrimSuffix(sentence(never, 3+never.IntN(5)), "."))
				a := action{text: fmt.Sprintf("%s: %s %s (%s, %d)", who, verbs[never.IntN(len(verbs))], what, day.Format("Jan 2 2006"), k), first: day}
				kept = append(kept, a)
				items = fmt.Appendf(items, "- [ ] %s\n", a.text)
			}
			files[len(files)-1].Data = addItems(files[len(files)-1].Data, items)
		}
	}
	if n := len(files); n > 0 && len(kept) > 0 { // the newest note carries every never-closed item over
		last := &files[n-1]
		var items []byte
		for _, a := range kept {
			if !a.first.Equal(prevDate) { // the newest note's own are written already
				items = fmt.Appendf(items, "- [ ] %s (from %s)\n", a.text, a.first.Format(time.DateOnly))
			}
		}
		last.Data = addItems(last.Data, items)
	}
	files = append(files, File{Path: slug + "/profile.md", Data: profileText(rng, extra, first, last, cadenceName, themes), Day: joined})
	return files
}

// addItems writes action items at the end of a note's Action items section
// (before a Private section, which the generator writes last).
func addItems(note, items []byte) []byte {
	at := bytes.LastIndex(note, []byte("\n## Private\n"))
	if at < 0 || !bytes.Contains(note, []byte("## Action items\n")) {
		at = len(note)
	}
	out := make([]byte, 0, len(note)+len(items))
	out = append(out, note[:at]...)
	out = append(out, items...)
	return append(out, note[at:]...)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func minDay(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}

func profileText(rng, extra *rand.Rand, first, last, cadence string, themes []theme) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\nname: %s %s\nrole: %s\ncadence: %s\n", first, last, roles[rng.IntN(len(roles))], cadence)
	if extra.IntN(3) == 0 {
		fmt.Fprintf(&b, "slot: %s %02d:%02d\n", []string{"mon", "tue", "wed", "thu", "fri"}[extra.IntN(5)], 9+extra.IntN(8), 30*extra.IntN(2))
	}
	if len(themes) > 0 {
		b.WriteString("themes:\n")
		for _, t := range themes {
			fmt.Fprintf(&b, "  - title: %s\n    started: %s\n    due: %s\n    status: %s\n",
				t.title, t.started.Format(time.DateOnly), t.due.Format(time.DateOnly), t.status)
			if t.status != "active" {
				fmt.Fprintf(&b, "    finished: %s\n", t.due.Format(time.DateOnly))
			}
		}
	}
	fmt.Fprintf(&b, "---\n%s wants to grow toward %s. %s\n", first, ambitions[rng.IntN(len(ambitions))], sentence(rng, 20))
	return b.Bytes()
}

// noteBody writes one note and returns the action items still open after it.
// persona shapes some reports: 3 gives praise only, 5 has a bad last month,
// 7 leaves a held note blank now and then.
func noteBody(rng, extra *rand.Rand, persona int, first string, day, today time.Time, kind, status string, planned bool, active []theme, open []action) ([]byte, []action) {
	held := !planned && status == ""
	blank := held && persona == 7 && extra.IntN(30) == 0
	body, still := noteText(rng, extra, persona, first, day, today, kind, status, planned, active, open)
	if blank { // written as the template left it: nothing said, no item listed
		t := fmt.Sprintf("---\ndate: %s\nkind: %s\n---\n# 1:1 with %s\n\n## Feedback\n<!-- Positive: ... -->\n\n## %s's topics\n\n## Action items\n- [ ] \n", day.Format(time.DateOnly), kind, first, first)
		return []byte(t), open
	}
	return body, still
}

func noteText(rng, extra *rand.Rand, persona int, first string, day, today time.Time, kind, status string, planned bool, active []theme, open []action) ([]byte, []action) {
	var b bytes.Buffer
	date := day.Format(time.DateOnly)
	fmt.Fprintf(&b, "---\ndate: %s\nkind: %s\n", date, kind)
	if status != "" {
		fmt.Fprintf(&b, "status: %s\n", status)
	}
	badMonth := persona == 5 && today.Sub(day) < 30*24*time.Hour
	if !planned && status == "" && (extra.IntN(2) == 0 || badMonth) {
		mood := 3 + extra.IntN(3)
		if extra.IntN(10) == 0 || badMonth {
			mood = 1 + extra.IntN(2) // a bad week
		}
		fmt.Fprintf(&b, "mood: %d\n", mood)
	}
	if len(active) > 0 {
		b.WriteString("themes:\n")
		for _, t := range active {
			if planned || status != "" || rng.IntN(12) == 0 {
				fmt.Fprintf(&b, "  # %s: on-track\n", t.title) // not rated
				continue
			}
			rating := "on-track"
			if r := rng.IntN(100); r >= t.onTrackPercent {
				rating = "at-risk"
				if r > 95 {
					rating = "off-track"
				}
			}
			fmt.Fprintf(&b, "  %s: %s\n", t.title, rating)
		}
	}
	b.WriteString("---\n")
	title := "1:1"
	if kind == "goals" {
		title = "Goals 1:1"
	}
	fmt.Fprintf(&b, "# %s with %s — %s\n\n", title, first, date)

	b.WriteString("## Feedback\n")
	switch {
	case planned && rng.IntN(2) == 0, rng.IntN(25) == 0:
		b.WriteString("<!-- Positive: something specific. To improve: one thing to do differently. -->\n")
	default:
		fmt.Fprintf(&b, "- Positive: %s\n", sentence(rng, 18+rng.IntN(20)))
		if improve := sentence(rng, 14+rng.IntN(20)); extra.IntN(5) > 0 && (persona != 3 || extra.IntN(20) == 0) {
			fmt.Fprintf(&b, "- To improve: %s\n", improve)
		}
		if rng.IntN(3) == 0 {
			fmt.Fprintf(&b, "- %s\n", sentence(rng, 12+rng.IntN(12)))
		}
	}

	fmt.Fprintf(&b, "\n## %s's topics\n", first)
	if planned || rng.IntN(6) == 0 {
		fmt.Fprintf(&b, "<!-- %s's platform: ask for topics before the 1:1. -->\n", first)
	} else {
		for k := 1 + rng.IntN(3); k > 0; k-- {
			fmt.Fprintf(&b, "- %s\n", sentence(rng, 10+rng.IntN(25)))
		}
	}

	b.WriteString("\n## Themes\n")
	for _, t := range active {
		fmt.Fprintf(&b, "\n### %s\n%s\n", t.title, sentence(rng, 25+rng.IntN(40)))
	}
	if kind == "goals" {
		fmt.Fprintf(&b, "\n## Goals\n%s\n\n%s\n", sentence(rng, 40+rng.IntN(30)), sentence(rng, 30+rng.IntN(30)))
	}

	b.WriteString("\n## Action items\n")
	var still []action
	held := !planned && status == ""
	for _, a := range open {
		switch r := rng.IntN(100); {
		case held && r < 55: // done
			fmt.Fprintf(&b, "- [x] %s (from %s)\n", a.text, a.first.Format(time.DateOnly))
		case r < 56: // dropped: deleted from the list, or now and then marked "- [-]"
			if extra.IntN(2) == 0 {
				fmt.Fprintf(&b, "- [-] %s (from %s)\n", a.text, a.first.Format(time.DateOnly))
			}
		default:
			fmt.Fprintf(&b, "- [ ] %s (from %s)\n", a.text, a.first.Format(time.DateOnly))
			still = append(still, a)
		}
	}
	if held || planned {
		for k := 1 + rng.IntN(3); k > 0; k-- {
			who := first
			if rng.IntN(2) == 0 {
				who = "Dana"
			}
			a := action{text: fmt.Sprintf("%s: %s %s", who, verbs[rng.IntN(len(verbs))], strings.ToLower(sentence(rng, 4+rng.IntN(6)))), first: day}
			a.text = strings.TrimSuffix(a.text, ".")
			fmt.Fprintf(&b, "- [ ] %s\n", a.text)
			still = append(still, a)
		}
	}
	if rng.IntN(4) == 0 {
		fmt.Fprintf(&b, "\n## Private\n%s\n", sentence(rng, 15+rng.IntN(20)))
	}
	return b.Bytes(), still
}

func sentence(rng *rand.Rand, words int) string {
	var b strings.Builder
	for i := 0; i < words; i++ {
		w := vocabulary[rng.IntN(len(vocabulary))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

// Generate writes the repository into dir (which must not exist): the files
// of the newest state in the worktree and one commit per day in history.
func Generate(dir string, spec Spec) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("%s exists: remove it first", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := run(dir, nil, "git", "init", "-q", "-b", "main"); err != nil {
		return err
	}
	files := Files(spec)
	cmd := exec.Command("git", "fast-import", "--quiet", "--done")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(in, 1<<20)
	mark := 0
	for i := 0; i < len(files); {
		day := files[i].Day
		j := i
		for j < len(files) && files[j].Day.Equal(day) {
			j++
		}
		mark++
		when := day.Add(17*time.Hour + time.Duration(mark%3600)*time.Second).Unix()
		msg := fmt.Sprintf("notes of %s (%d files)", day.Format(time.DateOnly), j-i)
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\nauthor Dana Reyes <dana@example.com> %d +0000\ncommitter Dana Reyes <dana@example.com> %d +0000\ndata %d\n%s\n",
			mark, when, when, len(msg), msg)
		if mark > 1 {
			fmt.Fprintf(w, "from :%d\n", mark-1)
		}
		for _, f := range files[i:j] {
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", f.Path, len(f.Data))
			w.Write(f.Data)
			w.WriteByte('\n')
		}
		w.WriteByte('\n')
		i = j
	}
	w.WriteString("done\n")
	if err := w.Flush(); err != nil {
		return fmt.Errorf("git fast-import: %w: %s", err, stderr.String())
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %w: %s", err, stderr.String())
	}
	// Check the newest state out: the worktree and an index with stat data.
	return run(dir, nil, "git", "reset", "-q", "--hard", "main")
}

func run(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// WriteFiles writes the newest state of the repository into dir as plain
// files, without git (for tests and in-memory benchmarks).
func WriteFiles(dir string, spec Spec) error {
	for _, f := range Files(spec) {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

var firstNames = []string{"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
	"Kemi", "Liam", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara",
	"Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Carla", "Dmitri"}

var lastNames = []string{"Okafor", "Chen", "Novak", "Silva", "Kowalski", "Haddad", "Tanaka", "Moreau",
	"Schmidt", "Ivanova", "Patel", "Garcia", "Larsen", "Nguyen", "Rossi", "Dubois", "Mensah"}

var roles = []string{"Backend engineer", "Frontend engineer", "Senior software engineer", "Staff engineer",
	"Engineering manager", "Data engineer", "Site reliability engineer", "Mobile engineer"}

var ambitions = []string{"management", "a staff role", "data science", "product management", "architecture", "security"}

var themeTitles = []string{"Better communication with non-technical people", "Mentor a new employee",
	"Take the lead on a big feature", "Run the team's sprint planning", "Own the on-call process",
	"Write design documents before coding", "Present at the engineering all-hands", "Improve test coverage of billing",
	"Lead the hiring loop", "Learn the data platform", "Delegate more", "Give feedback to peers",
	"Drive the migration to the new queue", "Reduce incident response time", "Run a cross-team project"}

var verbs = []string{"share", "draft", "review", "schedule", "write", "follow up on", "ask about", "prepare", "send", "book"}

var vocabulary = strings.Fields(`the team release design review incident customer roadmap migration deadline
planning feedback quality service database latency queue meeting support sales engineering
clear fast late early careful thoughtful detailed concrete specific shared agreed missed improved
wrote presented led helped asked explained fixed shipped reviewed mentored planned tested measured
project estimate scope risk dependency stakeholder summary proposal experiment metric dashboard alert
on-call rotation handover documentation onboarding interview candidate hiring budget quarter goal
with for about from into after before during while because since although and but so then
a an this that our their his her next last every each more less better worse new old`)
