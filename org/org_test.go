package org

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/oneone/oneone/health"
	"github.com/oneone/oneone/notes"
)

func summary(asOf string, overdue int, reports ...health.Report) []byte {
	s := health.Summary{Manager: "M", AsOf: asOf, WindowDays: 90, Reports: reports,
		Team: health.Team{Reports: len(reports), Overdue: overdue, OnCadence: 0.5, Prepared: 0.5, ReportTopics: 0.5}}
	b, _ := json.Marshal(s)
	return b
}

func r(share float64, daysOverdue int) health.Report {
	d := "2026-11-20"
	return health.Report{Slug: "x", Name: "x", CadenceDays: 7, LastHeld: &d, OnCadence: share, DaysOverdue: daysOverdue}
}

// TestOverdueOf: the team.overdue reports with the most days overdue are the overdue ones.
func TestOverdueOf(t *testing.T) {
	for _, c := range []struct {
		days    []int
		overdue int
		want    string
	}{
		{[]int{0, 0, 0}, 0, "---"},
		{[]int{0, 5, 3}, 1, "-o-"},     // grace between 3 and 4
		{[]int{0, 5, 3}, 2, "-oo"},     // grace under 3
		{[]int{4, 4, 1}, 2, "oo-"},     // a tie, both
		{[]int{4, 4, 1}, 1, "---"},     // a count that splits a tie marks fewer, never more
		{[]int{2, 9, 9, 9}, 4, "oooo"}, // all of them
		{[]int{2, 9}, 7, "oo"},         // more than there are (refused by Parse anyway)
	} {
		var reps []health.Report
		for _, d := range c.days {
			reps = append(reps, r(1, d))
		}
		got := ""
		for _, o := range overdueOf(reps, c.overdue) {
			if o {
				got += "o"
			} else {
				got += "-"
			}
		}
		if got != c.want {
			t.Errorf("days %v, %d overdue: %s, want %s", c.days, c.overdue, got, c.want)
		}
	}
}

// TestRoll: N and M count fresh summaries only; 80% of gaps and not overdue is on cadence.
func TestRoll(t *testing.T) {
	today := notes.ParseDateOr("2026-11-25")
	files := []File{
		{Path: "managers/dana.json", Data: summary("2026-11-25", 1, r(0.8, 0), r(0.79, 0), r(1, 9), r(0.9, 2))},
		{Path: "managers/lee.json", Data: summary("2026-11-11", 0, r(1, 0))},          // 14 days: still fresh
		{Path: "managers/old.json", Data: summary("2026-11-10", 0, r(1, 0), r(1, 0))}, // 15: stale
		{Path: "managers/ahead.json", Data: summary("2026-11-27", 0, r(1, 0))},        // a clock ahead: fresh
		{Path: "managers/big.json", Problem: "too large"},
		{Path: "managers/sub/x.json", Data: []byte("{")}, // not a summary's place
		{Path: "README.md", Data: []byte("x")},
	}
	roll := Roll(files, today)
	// dana: 0.8 yes, 0.79 no, the 9-day one overdue (team.overdue 1), 0.9 with 2 days in grace yes: 2 of 4
	want := map[string][2]int{"ahead": {1, 1}, "dana": {4, 2}, "lee": {1, 1}, "old": {2, 2}}
	if len(roll.Managers) != 4 {
		t.Fatalf("%+v", roll.Managers)
	}
	for _, m := range roll.Managers {
		if w := want[m.Name]; m.Reports != w[0] || m.OnCadence != w[1] || m.Stale != (m.Name == "old") {
			t.Errorf("%s: %+v", m.Name, m)
		}
	}
	if roll.Org != (Totals{Reports: 6, OnCadenceReports: 4, Managers: 4, Stale: 1}) {
		t.Errorf("org %+v", roll.Org)
	}
	if len(roll.Skipped) != 1 || roll.Skipped[0].Path != "managers/big.json" || roll.Fine() {
		t.Errorf("skipped %+v", roll.Skipped)
	}
	if fine := Roll(files[1:2], today); !fine.Fine() {
		t.Errorf("one fresh summary, all on cadence: %+v", fine)
	}
}

// TestParseHostile: whatever a summary file holds, Parse answers with an
// error or a summary, quickly and within bounded memory.
func TestParseHostile(t *testing.T) {
	ok := summary("2026-11-25", 0, r(1, 0))
	cases := map[string][]byte{
		"empty":       {},
		"null":        []byte("null"),
		"array":       []byte("[]"),
		"string":      []byte(`"x"`),
		"not utf-8":   append([]byte(`{"manager": "`), 0xff, '"', '}'),
		"deep":        []byte(strings.Repeat("[", 1<<19)),
		"deep object": []byte(`{"team": ` + strings.Repeat(`{"a":`, 100000)),
		"huge":        bytes.Repeat([]byte(" "), MaxSummarySize+1),
		"many":        []byte(`{"as_of":"2026-11-25","window_days":90,"team":{"reports":6000},"reports":[` + strings.Repeat(`{},`, 5999) + `{}]}`),
		"bad date":    bytes.Replace(ok, []byte(`"2026-11-25"`), []byte(`"2026-02-30"`), 1),
		"no team":     []byte(`{"as_of":"2026-11-25","window_days":90,"reports":[]}`),
		"big number":  bytes.Replace(ok, []byte(`"held":0`), []byte(`"held":1e400`), 1),
		"negative":    bytes.Replace(ok, []byte(`"held":0`), []byte(`"held":-1`), 1),
		"float count": bytes.Replace(ok, []byte(`"held":0`), []byte(`"held":1.5`), 1),
		"window 0":    bytes.Replace(ok, []byte(`"window_days":90`), []byte(`"window_days":0`), 1),
		"trailing":    append(append([]byte{}, ok...), []byte(" x")...),
		"last_held":   bytes.Replace(ok, []byte(`"last_held":"2026-11-20"`), []byte(`"last_held":"yesterday"`), 1),
		// a figure left out (or null) is no figure: read as 0 it would count a report off cadence
		"no on_cadence":      bytes.Replace(ok, []byte(`"on_cadence":1,`), nil, 1),
		"null on_cadence":    bytes.Replace(ok, []byte(`"on_cadence":1,`), []byte(`"on_cadence":null,`), 1),
		"no days_overdue":    bytes.Replace(ok, []byte(`"days_overdue":0,`), nil, 1),
		"no team prepared":   bytes.Replace(ok, []byte(`"prepared":0.5,`), nil, 1),
		"null team overdue":  bytes.Replace(ok, []byte(`"overdue":0,`), []byte(`"overdue":null,`), 1),
		"no slug":            bytes.Replace(ok, []byte(`"slug":"x",`), nil, 1),
		"reports not a list": []byte(`{"as_of":"2026-11-25","window_days":90,"reports":{},"team":{}}`),
	}
	for name, data := range cases {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := Parse(data)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: accepted: %+v", name, s)
			continue
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s: allocated %d MiB", name, grew>>20)
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 200 {
			t.Errorf("%s: message %q", name, msg)
		}
	}
	if _, err := Parse(ok); err != nil {
		t.Fatalf("a valid summary: %v", err)
	}
	// the message says what was expected, in JSON's words
	for data, want := range map[string]string{
		`[]`: "the summary must be a JSON object, not a JSON array",
		string(bytes.Replace(ok, []byte(`"held":0`), []byte(`"held":1.5`), 1)): "reports.held must be a whole number, not a JSON number 1.5",
		`{"as_of":"2026-11-25","window_days":90,"reports":{},"team":{}}`:       "reports must be a list, not a JSON object",
	} {
		if _, err := Parse([]byte(data)); err == nil || err.Error() != want {
			t.Errorf("Parse(%.40s…) = %v, want %q", data, err, want)
		}
	}
	// a date that is not known yet is null
	if _, err := Parse(bytes.Replace(ok, []byte(`"last_held":"2026-11-20"`), []byte(`"last_held":null`), 1)); err != nil {
		t.Errorf("null last_held: %v", err)
	}
	// unknown keys, from a newer oneone, are allowed
	if _, err := Parse(bytes.Replace(ok, []byte(`{"manager"`), []byte(`{"future":{"x":[1,2]},"manager"`), 1)); err != nil {
		t.Errorf("unknown key: %v", err)
	}
}

// TestParseWhatHealthPrints: every summary health computes reads back as it was.
func TestParseWhatHealthPrints(t *testing.T) {
	r, err := notes.Open("../examples/team")
	if err != nil {
		t.Fatal(err)
	}
	team, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, days := range []int{1, 14, 90, 365} {
		s := health.Compute(team, r.Config, notes.ParseDateOr("2026-11-25"), health.Options{Days: days})
		b, _ := json.MarshalIndent(s, "", "  ")
		got, err := Parse(b)
		if err != nil {
			t.Fatalf("%d days: %v\n%s", days, err, b)
		}
		if fmt.Sprint(got.Team) != fmt.Sprint(health.Team{Reports: s.Team.Reports, OnCadence: s.Team.OnCadence, Overdue: s.Team.Overdue,
			GoalsDue: s.Team.GoalsDue, Prepared: s.Team.Prepared, ReportTopics: s.Team.ReportTopics}) {
			t.Errorf("%d days: team %+v, want %+v", days, got.Team, s.Team)
		}
		// the roll-up finds the same reports on cadence as health itself
		m := row("dana", got, notes.ParseDateOr("2026-11-25"))
		if m.OnCadence != s.Team.OnCadenceReports {
			t.Errorf("%d days: roll-up says %d on cadence, health %d", days, m.OnCadence, s.Team.OnCadenceReports)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(summary("2026-11-25", 1, r(0.5, 3), r(1, 0)))
	f.Add([]byte(`{"as_of":"2026-11-25","window_days":90,"reports":[],"team":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		m := row("x", s, notes.ParseDateOr("2026-11-25"))
		if m.OnCadence > m.Reports || m.Overdue > m.Reports {
			t.Fatalf("%+v", m)
		}
	})
}
