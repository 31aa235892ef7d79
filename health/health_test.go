package health

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/share"
	"github.com/rogpeppe/go-internal/txtar"
)

// openFixture writes a txtar archive of testdata as a notes repository.
func openFixture(t *testing.T, name string) *notes.Repo {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r, err := notes.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func ptr(s string) *string { return &s }

// sharesFn tells who shares an agenda by the shared agenda's own rule (share.RemoteOf).
func sharesFn(r *notes.Repo) func(string) bool {
	return func(slug string) bool {
		data, err := os.ReadFile(filepath.Join(r.Root, slug, notes.ProfileFile))
		return err == nil && share.RemoteOf(data) != ""
	}
}

// TestSmallFixtureByHand checks every figure of testdata/small.txtar against
// numbers computed by hand. Today is 2026-11-25; the 90-day window runs from
// 2026-08-28 to 2026-11-25; weekly cadence with 2d grace is a limit of 9
// days, biweekly one of 16.
func TestSmallFixtureByHand(t *testing.T) {
	r := openFixture(t, "small.txtar")
	team, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	today := notes.ParseDateOr("2026-11-25")
	got := Compute(team, r.Config, today, Options{Shares: sharesFn(r)})

	want := &Summary{Manager: "Dana Reyes", AsOf: "2026-11-25", WindowDays: 90, Reports: []Report{
		// alice: held 10-28, 11-04, 11-18 in the window (08-01 is before it,
		// 11-20 skipped, 11-27 planned) = 3.
		// gaps 10-28→11-04 7d ok, 11-04→11-18 14d > 9, open 11-18→11-25 7d ok: 2/3 = 0.67; longest 14.
		// next due 11-18 + 7 = 11-25, not past: 0 days overdue. last goals 11-18: not due.
		// themes: 10-28 has A (started 10-01) and B (done, finished 11-01, so
		// active that day), A rated; 11-04 has A only, unrated; 11-18 has A,
		// rated: 2 of 4 pairs = 0.5. Feedback on 10-28 and 11-04 (11-18 holds
		// only a comment): 2/3; topics on 10-28 and 11-18: 2/3; both kinds on
		// 10-28 only: 1/3. Open: the 08-01 item (carried, 116 days: stale)
		// and the 11-18 one: 2, 1 stale. Profile says share: URL.
		{Slug: "alice", Name: "Alice Chen", CadenceDays: 7, LastHeld: ptr("2026-11-18"), NextDue: ptr("2026-11-25"),
			Held: 3, OnCadence: 0.67, LongestGapDays: 14, LastGoals: ptr("2026-11-18"), ActiveThemes: 1,
			ThemesRated: 0.5, Prepared: 0.67, ReportTopics: 0.67, FeedbackBoth: 0.33, OpenActions: 2, StaleActions: 1, Shares: true,
			gaps: 3, gapsOK: 2, prepared: 2, topics: 2},
		// bob: biweekly, away 11-01..11-10. Held 09-23 (goals), 10-14 = 2.
		// gaps 21d > 16; open 10-14→11-25 is 42 days less 10 away = 32 > 16: 0/2 = 0; longest 32 (away days not counted).
		// next due 10-14 + 14 non-away days = 10-28; from there to 11-25
		// 28 days less 10 away = 18 overdue, past the 2d grace: overdue.
		// last goals 09-23, 63 days ago > 56, none planned: goals due.
		// no theme: 0 pairs, 0. Feedback on 09-23 only: 1/2; topics on 10-14 only: 1/2; never both kinds.
		{Slug: "bob", Name: "Bob Martin", CadenceDays: 14, LastHeld: ptr("2026-10-14"), NextDue: ptr("2026-10-28"),
			DaysOverdue: 18, Held: 2, OnCadence: 0, LongestGapDays: 32, LastGoals: ptr("2026-09-23"), GoalsDue: true,
			Prepared: 0.5, ReportTopics: 0.5, Overdue: true,
			gaps: 2, gapsOK: 0, prepared: 1, topics: 1},
		// carol is archived on 11-01: left out.
		// dan: never met, one active theme (started after today's pairs: none).
		{Slug: "dan", Name: "Dan Never", CadenceDays: 7, ActiveThemes: 1},
		// eve: 11-04, 11-11, 11-18, 11-25 held (today counts), 7d gaps and
		// an open gap of 0: 4/4 = 1; longest 7; next due 12-02; no goals 1:1
		// yet, the first was 21 days ago: not due. Feedback and topics in
		// all 4, only positive feedback.
		{Slug: "eve", Name: "Eve Steady", CadenceDays: 7, LastHeld: ptr("2026-11-25"), NextDue: ptr("2026-12-02"),
			Held: 4, OnCadence: 1, LongestGapDays: 7, Prepared: 1, ReportTopics: 1,
			gaps: 4, gapsOK: 4, prepared: 4, topics: 4},
	},
		// team: 4 current reports; gaps 3+2+0+4 = 9 of which 2+0+0+4 = 6 ok:
		// 0.67; bob overdue and goals due; 9 held 1:1s, feedback in
		// 2+1+0+4 = 7 of them (0.78), topics in 2+1+0+4 = 7 (0.78). On
		// cadence (80% and not overdue): eve only.
		Team: Team{Reports: 4, OnCadence: 0.67, Overdue: 1, GoalsDue: 1, Prepared: 0.78, ReportTopics: 0.78, OnCadenceReports: 1}}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Fatalf("got\n%s", g)
	}
	for i := range got.Reports {
		if !reflect.DeepEqual(got.Reports[i], want.Reports[i]) {
			t.Errorf("%s:\n got %+v\nwant %+v", want.Reports[i].Slug, got.Reports[i], want.Reports[i])
		}
	}

	// a shorter window: the last 14 days (11-12..11-25)
	short := Compute(team, r.Config, today, Options{Days: 14})
	a := short.Reports[0]
	// alice: only 11-18 held in it; the open gap 11-18→11-25 (7d ok): 1/1
	if a.Held != 1 || a.OnCadence != 1 || a.LongestGapDays != 7 || a.Prepared != 0 || a.ReportTopics != 1 || a.Shares {
		t.Errorf("alice over 14 days: %+v", a)
	}
}

// TestNoTextLeaves: nothing written in a note or a profile reaches the summary.
func TestNoTextLeaves(t *testing.T) {
	r := openFixture(t, "small.txtar")
	team, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range [][]byte{nil, []byte("0123456789abcdef0123456789abcdef")} {
		s := Compute(team, r.Config, notes.ParseDateOr("2026-11-25"), Options{Key: key, Shares: sharesFn(r)})
		b, _ := json.Marshal(s)
		if bytes.Contains(bytes.ToUpper(b), []byte("CANARY")) || bytes.Contains(b, []byte("alice-agenda")) {
			t.Fatalf("text in the summary: %s", b)
		}
		if key != nil {
			for _, slug := range []string{"alice", "bob", "dan", "eve", "Alice", "Bob", "Chen"} {
				if bytes.Contains(b, []byte(slug)) {
					t.Errorf("--anonymous summary names %q: %s", slug, b)
				}
			}
			for _, rep := range s.Reports {
				if !regexp.MustCompile(`^r-[0-9a-f]{8}$`).MatchString(rep.Slug) || rep.Name != rep.Slug {
					t.Errorf("pseudonym %q / %q", rep.Slug, rep.Name)
				}
			}
		}
	}
}

func TestPseudonym(t *testing.T) {
	k := []byte("a key of sixteen")
	a := Pseudonym(k, "Dana Reyes", "alice")
	if a != Pseudonym(k, "Dana Reyes", "alice") {
		t.Fatal("not stable")
	}
	for _, other := range []string{Pseudonym(k, "Dana Reyes", "bob"), Pseudonym(k, "Lee Park", "alice"), Pseudonym([]byte("another key here"), "Dana Reyes", "alice")} {
		if other == a {
			t.Errorf("%s twice", a)
		}
	}
	if strings.Contains(a, "alice") || len(a) != 10 {
		t.Errorf("pseudonym %q", a)
	}
}

// TestSameFiguresAsAudit: over 90 days the cadence figures are audit's own.
func TestSameFiguresAsAudit(t *testing.T) {
	for _, dir := range []string{"../examples/team"} {
		r, err := notes.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		team, err := r.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, day := range []string{"2026-11-25", "2026-10-01", "2026-12-31", "2027-03-01"} {
			today := notes.ParseDateOr(day)
			rep := notes.Audit(team, r.Config, today, notes.AuditOptions{})
			s := Compute(team, r.Config, today, Options{})
			if len(rep.People) != len(s.Reports) {
				t.Fatalf("%s: audit has %d people, health %d", day, len(rep.People), len(s.Reports))
			}
			finding := map[string]bool{}
			for _, f := range rep.Findings {
				finding[f.Slug+" "+f.Code] = true
			}
			overdue, goals := 0, 0
			for i, p := range rep.People {
				h := s.Reports[i]
				if p.Slug != h.Slug || !reflect.DeepEqual(p.LastHeld, h.LastHeld) || !reflect.DeepEqual(p.NextDue, h.NextDue) ||
					p.DaysOverdue != h.DaysOverdue || p.Held90d != h.Held || p.OnCadence90d != h.OnCadence || p.CadenceDays != h.CadenceDays {
					t.Errorf("%s %s: audit %+v, health %+v", day, p.Slug, p.Figures, h)
				}
				if finding[p.Slug+" overdue"] != h.Overdue || finding[p.Slug+" goals-due"] != h.GoalsDue {
					t.Errorf("%s %s: findings overdue %v goals-due %v, health %v %v", day, p.Slug, finding[p.Slug+" overdue"], finding[p.Slug+" goals-due"], h.Overdue, h.GoalsDue)
				}
				if h.Overdue {
					overdue++
				}
				if h.GoalsDue {
					goals++
				}
			}
			if s.Team.Overdue != overdue || s.Team.GoalsDue != goals {
				t.Errorf("%s: team %+v", day, s.Team)
			}
		}
	}
}
