package notes

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func statsDay(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// awaySpan reads "2026-11-03..2026-11-23".
func awaySpan(s string) Absence {
	from, to, _ := strings.Cut(s, "..")
	return Absence{From: statsDay(from), To: statsDay(to)}
}

func awaySpans(list ...string) []Absence {
	var out []Absence
	for _, s := range list {
		out = append(out, awaySpan(s))
	}
	return out
}

// statsPerson builds a weekly report with held notes on the given days.
func statsPerson(away []Absence, held ...string) *Person {
	p := &Person{Slug: "alice", Profile: &Profile{Slug: "alice", Name: "Alice", CadenceDays: 7, Away: away}}
	for _, h := range held {
		p.Notes = append(p.Notes, &Note{Slug: "alice", Date: statsDay(h), Kind: KindRegular})
	}
	return p
}

func orNone(p *string) string {
	if p == nil {
		return "-"
	}
	return *p
}

func TestComputeStatsAway(t *testing.T) {
	cfg := DefaultConfig() // weekly, grace 2d
	cases := []struct {
		name      string
		report    []Absence
		manager   []Absence
		held      []string
		today     string
		nextDue   string
		overdueBy int
		overdue   bool
		gap       int
		awayUntil string
	}{
		{name: "no absence", held: []string{"2026-11-02"}, today: "2026-11-24",
			nextDue: "2026-11-09", overdueBy: 15, overdue: true, gap: 22, awayUntil: "-"},
		{name: "three weeks away: return day is not overdue", report: awaySpans("2026-11-03..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-11-24",
			nextDue: "2026-11-30", overdueBy: 0, gap: 1, awayUntil: "-"},
		{name: "due after return", report: awaySpans("2026-11-03..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-11-30",
			nextDue: "2026-11-30", overdueBy: 0, gap: 7, awayUntil: "-"},
		{name: "in grace", report: awaySpans("2026-11-03..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-12-02",
			nextDue: "2026-11-30", overdueBy: 2, gap: 9, awayUntil: "-"},
		{name: "overdue once cadence plus grace non-away days passed", report: awaySpans("2026-11-03..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-12-03",
			nextDue: "2026-11-30", overdueBy: 3, overdue: true, gap: 10, awayUntil: "-"},
		{name: "manager away counts for the report", manager: awaySpans("2026-11-03..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-11-24",
			nextDue: "2026-11-30", overdueBy: 0, gap: 1, awayUntil: "-"},
		{name: "both away, overlapping: a day counts once", report: awaySpans("2026-11-03..2026-11-15"), manager: awaySpans("2026-11-10..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-11-24",
			nextDue: "2026-11-30", overdueBy: 0, gap: 1, awayUntil: "-"},
		{name: "back to back absences of both", report: awaySpans("2026-11-03..2026-11-12"), manager: awaySpans("2026-11-13..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-11-20",
			nextDue: "2026-11-30", overdueBy: 0, gap: 0, awayUntil: "-"}, // the manager's absence is not the report's
		{name: "during the absence", report: awaySpans("2026-11-03..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-11-10",
			nextDue: "2026-11-30", overdueBy: 0, gap: 0, awayUntil: "2026-11-23"},
		{name: "absence before the last 1:1 does not matter", report: awaySpans("2026-10-01..2026-10-20"), held: []string{"2026-11-02"}, today: "2026-11-24",
			nextDue: "2026-11-09", overdueBy: 15, overdue: true, gap: 22, awayUntil: "-"},
		{name: "absence over the due day pushes it to the first day back", report: awaySpans("2026-11-09..2026-11-15"), held: []string{"2026-11-02"}, today: "2026-11-16",
			nextDue: "2026-11-16", overdueBy: 0, gap: 7, awayUntil: "-"},
		{name: "absence after the due day stops the count", report: awaySpans("2026-11-12..2026-11-30"), held: []string{"2026-11-02"}, today: "2026-12-01",
			nextDue: "2026-11-09", overdueBy: 3, overdue: true, gap: 10, awayUntil: "-"},
		{name: "away on the day of the last 1:1", report: awaySpans("2026-11-02..2026-11-05"), held: []string{"2026-11-02"}, today: "2026-11-12",
			nextDue: "2026-11-12", overdueBy: 0, gap: 7, awayUntil: "-"},
		{name: "absence in the future changes nothing yet", report: awaySpans("2026-12-20..2027-01-06"), held: []string{"2026-11-18"}, today: "2026-11-25",
			nextDue: "2026-11-25", overdueBy: 0, gap: 7, awayUntil: "-"},
		{name: "never met: no due date, but away is shown", report: awaySpans("2026-11-20..2026-11-30"), today: "2026-11-25",
			nextDue: "-", awayUntil: "2026-11-30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := cfg
			cfg.Away = c.manager
			s := ComputeStats(statsPerson(c.report, c.held...), cfg, statsDay(c.today))
			if got := orNone(s.NextDue); got != c.nextDue {
				t.Errorf("next_due = %s, want %s", got, c.nextDue)
			}
			if s.DaysOverdue != c.overdueBy {
				t.Errorf("days_overdue = %d, want %d", s.DaysOverdue, c.overdueBy)
			}
			if s.Overdue != c.overdue {
				t.Errorf("overdue = %v, want %v", s.Overdue, c.overdue)
			}
			if s.GapDays != c.gap {
				t.Errorf("gap = %d, want %d", s.GapDays, c.gap)
			}
			if got := orNone(s.AwayUntil); got != c.awayUntil {
				t.Errorf("away_until = %s, want %s", got, c.awayUntil)
			}
		})
	}
}

func TestOnCadence90dAway(t *testing.T) {
	cfg := DefaultConfig()
	cases := []struct {
		name    string
		report  []Absence
		manager []Absence
		held    []string
		today   string
		want    float64
		held90  int
	}{
		// gaps 7, 30, open 7: the 30-day gap is too long
		{name: "no absence", held: []string{"2026-10-12", "2026-10-19", "2026-11-18"}, today: "2026-11-25", want: 0.67, held90: 3},
		// the 30-day gap holds 21 away days: 9 non-away days, within 7 + 2
		{name: "report away inside a gap", report: awaySpans("2026-10-22..2026-11-11"), held: []string{"2026-10-12", "2026-10-19", "2026-11-18"}, today: "2026-11-25", want: 1, held90: 3},
		{name: "manager away inside a gap", manager: awaySpans("2026-10-22..2026-11-11"), held: []string{"2026-10-12", "2026-10-19", "2026-11-18"}, today: "2026-11-25", want: 1, held90: 3},
		// the open gap: 22 calendar days, 21 of them away
		{name: "open gap", report: awaySpans("2026-11-03..2026-11-23"), held: []string{"2026-11-02"}, today: "2026-11-24", want: 1, held90: 1},
		{name: "open gap without absence", held: []string{"2026-11-02"}, today: "2026-11-24", want: 0, held90: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := cfg
			cfg.Away = c.manager
			s := ComputeStats(statsPerson(c.report, c.held...), cfg, statsDay(c.today))
			if s.OnCadence90d != c.want {
				t.Errorf("on_cadence_90d = %v, want %v", s.OnCadence90d, c.want)
			}
			if s.Held90d != c.held90 {
				t.Errorf("held_90d = %d, want %d", s.Held90d, c.held90)
			}
		})
	}
}

func TestAway(t *testing.T) {
	a := AwayFor(&Profile{Away: awaySpans("2026-11-03..2026-11-05")}, Config{Away: awaySpans("2026-11-06..2026-11-08", "2026-12-24..2026-12-26")})
	for _, c := range []struct {
		day  string
		on   bool
		till string
	}{
		{"2026-11-02", false, ""},
		{"2026-11-03", true, "2026-11-08"}, // the report's then the manager's: one stretch
		{"2026-11-08", true, "2026-11-08"},
		{"2026-11-09", false, ""},
		{"2026-12-25", true, "2026-12-26"},
	} {
		if got := a.On(statsDay(c.day)); got != c.on {
			t.Errorf("On(%s) = %v, want %v", c.day, got, c.on)
		}
		got := ""
		if u := a.Until(statsDay(c.day)); !u.IsZero() {
			got = FormatDate(u)
		}
		if got != c.till {
			t.Errorf("Until(%s) = %q, want %q", c.day, got, c.till)
		}
	}
	for _, c := range []struct {
		from, to string
		want     int
	}{
		{"2026-11-01", "2026-11-02", 1},
		{"2026-11-02", "2026-11-09", 1}, // 3..8 away
		{"2026-11-02", "2026-11-02", 0},
		{"2026-11-04", "2026-11-12", 4},
		{"2026-11-09", "2026-11-01", 0}, // backwards
	} {
		if got := a.Gap(statsDay(c.from), statsDay(c.to)); got != c.want {
			t.Errorf("Gap(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-01", 1, "2026-11-02"},
		{"2026-11-02", 1, "2026-11-09"},
		{"2026-11-02", 0, "2026-11-02"},
		{"2026-11-02", 7, "2026-11-15"},
	} {
		if got := FormatDate(a.After(statsDay(c.from), c.n)); got != c.want {
			t.Errorf("After(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
		}
	}
	// no absence at all: plain calendar arithmetic
	none := AwayFor(nil, Config{})
	if got := none.Gap(statsDay("2026-11-01"), statsDay("2026-11-25")); got != 24 {
		t.Errorf("Gap without absences = %d, want 24", got)
	}
	if got := FormatDate(none.After(statsDay("2026-11-01"), 7)); got != "2026-11-08" {
		t.Errorf("After without absences = %s", got)
	}
}

// A very long absence must not stop the count early.
func TestAwayLongAbsence(t *testing.T) {
	a := AwayFor(&Profile{Away: awaySpans("2026-01-02..2099-12-31")}, Config{})
	if got := FormatDate(a.After(statsDay("2026-01-01"), 1)); got != "2100-01-01" {
		t.Errorf("After over a long absence = %s, want 2100-01-01", got)
	}
	if got := FormatDate(a.Until(statsDay("2026-06-01"))); got != "2099-12-31" {
		t.Errorf("Until in a long absence = %s, want 2099-12-31", got)
	}
}

// Gap counts span by span; it must agree with counting day by day, for
// overlapping, touching and nested absences alike.
func TestGapAgreesWithDayByDay(t *testing.T) {
	base := ParseDateOr("2026-01-01")
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 500; round++ {
		var a Away
		for i := rng.IntN(5); i > 0; i-- {
			from := AddDays(base, rng.IntN(120))
			a.spans = append(a.spans, Absence{From: from, To: AddDays(from, rng.IntN(20))})
		}
		from := AddDays(base, rng.IntN(100))
		to := AddDays(from, rng.IntN(60)-5)
		want := 0
		for d := AddDays(from, 1); !d.After(to); d = AddDays(d, 1) {
			if !a.On(d) {
				want++
			}
		}
		if got := a.Gap(from, to); got != want {
			t.Fatalf("Gap(%s, %s) with %+v = %d, want %d", FormatDate(from), FormatDate(to), a.spans, got, want)
		}
	}
}

func TestDaysBetweenLongSpans(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-11-18", "2026-11-25", 7},
		{"2026-11-25", "2026-11-18", -7},
		{"2024-02-28", "2024-03-01", 2},
		{"1970-01-01", "2000-01-01", 10957},
		{"2026-10-01", "2400-01-01", 136327}, // past time.Duration's 292 years
		{"0206-11-18", "2026-11-25", 664749},
		{"0001-01-01", "9999-12-31", 3652058},
	}
	for _, tt := range tests {
		if got := DaysBetween(ParseDateOr(tt.a), ParseDateOr(tt.b)); got != tt.want {
			t.Errorf("DaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
