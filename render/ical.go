package render

import (
	"io"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"github.com/oneone/oneone/notes"
)

// ProdID names oneone as the calendar's producer.
const ProdID = "-//oneone//oneone calendar//EN"

// ICalendar writes meetings as an RFC 5545 calendar: CRLF line endings, lines
// folded at 75 octets, one event per meeting with a stable UID, its title and
// nothing else (no note content). A meeting with a slot is a timed event at
// the slot's time, in local time (RFC 5545's floating time, "DATE WITH LOCAL
// TIME": 10:00 is 10:00 wherever the calendar is), for the slot's length, and
// busy; one without is an all-day event, free. stamp is the DTSTAMP of every
// event, so that the same day gives the same file.
func ICalendar(w io.Writer, meetings []notes.Meeting, stamp time.Time) error {
	cal := ics.NewCalendarFor("oneone")
	cal.SetProductId(ProdID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName("1:1s")
	for _, m := range meetings {
		ev := cal.AddEvent(m.UID())
		ev.SetDtStampTime(stamp.UTC())
		// a later file's version of the same event wins in calendar apps
		ev.SetSequence(int(stamp.Unix() / 86400))
		transp := ics.TransparencyTransparent
		if m.Slot.IsZero() {
			ev.SetAllDayStartAt(m.Date)
			ev.SetAllDayEndAt(notes.AddDays(m.Date, 1))
		} else {
			start := m.Slot.Start(m.Date, time.UTC) // the wall clock of the day: written without a zone
			ev.SetProperty(ics.ComponentPropertyDtStart, start.Format(localTime))
			ev.SetProperty(ics.ComponentPropertyDtEnd, start.Add(time.Duration(m.Slot.Minutes)*time.Minute).Format(localTime))
			transp = ics.TransparencyOpaque // the slot is time taken
		}
		ev.SetSummary(strings.Map(plainChar, m.Title()))
		ev.SetTimeTransparency(transp)
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// localTime is RFC 5545's "date with local time" (floating time): no zone.
const localTime = "20060102T150405"

// plainChar turns a control character (a carriage return, a tab, an escape)
// into a space: RFC 5545 text has no room for them.
func plainChar(r rune) rune {
	if unicode.IsControl(r) {
		return ' '
	}
	return r
}
