package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestCalendarParses runs `oneone calendar` on the fixture of
// testdata/calendar_team.txtar and reads the output back with golang-ical.
func TestCalendarParses(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "calendar_team.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var noteText []string
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name, ".md") && !strings.HasSuffix(f.Name, "profile.md") {
			noteText = append(noteText, string(f.Data))
		}
	}
	run := func(args ...string) string {
		var out, errb bytes.Buffer
		env := map[string]string{"ONEONE_TODAY": "2026-11-25", "HOME": dir}
		code := Main(append([]string{"--dir", dir, "calendar"}, args...), strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
		if code != 0 {
			t.Fatalf("calendar %v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	first := run()
	if second := run(); second != first {
		t.Fatalf("two runs differ:\n%s\n---\n%s", first, second)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 20 {
		t.Errorf("got %d events, want 20", len(evs))
	}
	type want struct{ summary, start string }
	wants := map[string]want{
		"alice-1@oneone": {"1:1 with Alice Chen", "2026-11-27"},       // the planned note's date
		"alice-2@oneone": {"Goals 1:1 with Alice Chen", "2026-12-04"}, // goals due: > 56 days since 2026-10-01
		"alice-8@oneone": {"1:1 with Alice Chen", "2027-01-15"},
		"bob-1@oneone":   {"1:1 with Bob Stone", "2026-11-25"},  // overdue: today
		"bob-2@oneone":   {"1:1 with Bob Stone", "2026-12-09"},  // biweekly
		"carol-1@oneone": {"1:1 with Carol Diaz", "2026-11-25"}, // never met: today
	}
	seen := map[string]bool{}
	for _, ev := range evs {
		uid := ev.Id()
		if seen[uid] {
			t.Errorf("UID %s appears twice", uid)
		}
		seen[uid] = true
		if strings.HasPrefix(uid, "dan-") {
			t.Errorf("archived report on the calendar: %s", uid)
		}
		summary := ev.GetProperty(ics.ComponentPropertySummary).Value
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDescription, ics.ComponentPropertyLocation, ics.ComponentPropertyComment, ics.ComponentPropertyAttach} {
			if ev.GetProperty(p) != nil {
				t.Errorf("%s carries %s: titles only", uid, p)
			}
		}
		for _, text := range noteText {
			for _, line := range strings.Split(text, "\n") {
				if l := strings.TrimSpace(strings.TrimLeft(line, "#-")); len(l) > 8 && strings.Contains(first, l) {
					t.Errorf("note text %q in the calendar", l)
				}
			}
		}
		start, err := ev.GetAllDayStartAt()
		if err != nil {
			t.Errorf("%s: %v", uid, err)
		}
		if w, ok := wants[uid]; ok {
			if summary != w.summary || start.Format("2006-01-02") != w.start {
				t.Errorf("%s: %q on %s, want %q on %s", uid, summary, start.Format("2006-01-02"), w.summary, w.start)
			}
			delete(wants, uid)
		}
	}
	for uid := range wants {
		t.Errorf("missing event %s", uid)
	}
	// a shorter window keeps the same UIDs for the same 1:1s
	short, err := ics.ParseCalendar(strings.NewReader(run("--weeks", "1")))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range short.Events() {
		if !seen[ev.Id()] {
			t.Errorf("UID %s of --weeks 1 is not in the 8-week calendar", ev.Id())
		}
	}
}

// TestCalendarSlotParses: a report with a slot gets timed events that a real
// iCalendar parser reads as local (floating) times of the slot's length on the
// slot's weekday, in any time zone of the computer that imports them.
func TestCalendarSlotParses(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "practice_slot.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "team/") {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(f.Name, "team/")))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	env := map[string]string{"ONEONE_TODAY": "2026-11-25", "HOME": dir}
	if code := Main([]string{"--dir", dir, "calendar", "--weeks", "4"}, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	cal, err := ics.ParseCalendar(strings.NewReader(out.String()))
	if err != nil {
		t.Fatal(err)
	}
	timed := 0
	for _, ev := range cal.Events() {
		uid := ev.Id()
		if strings.HasPrefix(uid, "bob-") {
			if _, err := ev.GetAllDayStartAt(); err != nil {
				t.Errorf("%s: not an all-day event: %v", uid, err)
			}
			continue
		}
		start, err := ev.GetStartAt()
		if err != nil {
			t.Fatalf("%s: %v", uid, err)
		}
		end, err := ev.GetEndAt()
		if err != nil {
			t.Fatalf("%s: %v", uid, err)
		}
		if start.Location() != time.Local {
			t.Errorf("%s: start in %v, want local (floating) time", uid, start.Location())
		}
		want := map[string]struct {
			wd   time.Weekday
			h, m int
			len  time.Duration
		}{"alice": {time.Monday, 10, 0, 45 * time.Minute}, "cleo": {time.Wednesday, 9, 30, 30 * time.Minute}}[strings.SplitN(uid, "-", 2)[0]]
		if start.Weekday() != want.wd || start.Hour() != want.h || start.Minute() != want.m || end.Sub(start) != want.len {
			t.Errorf("%s: %v to %v, want %v %02d:%02d for %v", uid, start, end, want.wd, want.h, want.m, want.len)
		}
		timed++
	}
	if timed < 6 {
		t.Errorf("only %d timed events in 4 weeks", timed)
	}
}
