package render

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/oneone/oneone/notes"
)

func TestICalendar(t *testing.T) {
	long := "Alice Chen, the; \"very\" long name\\ that goes on and on — with ünïcödé, and more and more and more text"
	ms := []notes.Meeting{
		{Slug: "alice", Name: long, Date: notes.ParseDateOr("2026-12-02"), Kind: notes.KindGoals, Seq: 1},
		{Slug: "bob", Name: "Bob\r\tStone\x1b", Date: notes.ParseDateOr("2026-12-31"), Kind: notes.KindRegular, Seq: 3},
	}
	stamp := notes.ParseDateOr("2026-11-25")
	var buf bytes.Buffer
	if err := ICalendar(&buf, ms, stamp); err != nil {
		t.Fatal(err)
	}
	out := buf.String()

	// RFC 5545 3.1: CRLF, at most 75 octets per line, folds never split a UTF-8 sequence.
	if !strings.HasSuffix(out, "\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Errorf("not CRLF throughout:\n%q", out)
	}
	folded := false
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("fold split a character: %q", l)
		}
		folded = folded || strings.HasPrefix(l, " ")
	}
	if !folded {
		t.Errorf("long summary not folded:\n%s", out)
	}
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "PRODID:" + ProdID + "\r\n", "CALSCALE:GREGORIAN\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}

	// Parse it back with the library.
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("got %d events, want 2", len(evs))
	}
	tests := []struct {
		uid, summary, start, end string
	}{
		{"alice-1@oneone", "Goals 1:1 with " + long, "2026-12-02", "2026-12-03"},
		{"bob-3@oneone", "1:1 with Bob  Stone ", "2026-12-31", "2027-01-01"}, // control characters are spaces
	}
	for i, tt := range tests {
		ev := evs[i]
		if ev.Id() != tt.uid {
			t.Errorf("event %d: UID %q, want %q", i, ev.Id(), tt.uid)
		}
		if s := ev.GetProperty(ics.ComponentPropertySummary); s == nil || unescapeText(s.Value) != tt.summary {
			t.Errorf("event %d: summary %v, want %q", i, s, tt.summary)
		}
		start, err := ev.GetAllDayStartAt()
		if err != nil || notes.FormatDate(start) != tt.start {
			t.Errorf("event %d: start %v %v, want %s", i, start, err, tt.start)
		}
		end, err := ev.GetAllDayEndAt()
		if err != nil || notes.FormatDate(end) != tt.end {
			t.Errorf("event %d: end %v %v, want %s", i, end, err, tt.end)
		}
		if p := ev.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["VALUE"][0] != "DATE" {
			t.Errorf("event %d: DTSTART is not a DATE: %v", i, p)
		}
		st, err := ev.GetDtStampTime()
		if err != nil || !st.Equal(stamp) {
			t.Errorf("event %d: DTSTAMP %v %v", i, st, err)
		}
	}
}

func TestICalendarEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := ICalendar(&buf, nil, notes.ParseDateOr("2026-11-25")); err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != 0 {
		t.Errorf("got %d events", n)
	}
}

// unescapeText undoes RFC 5545 TEXT escaping, in case the parser leaves it.
func unescapeText(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\;`, `;`, `\,`, `,`, `\n`, "\n", `\N`, "\n")
	return r.Replace(s)
}
