package render

import (
	"io"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/oneone/oneone/notes"
)

// ProdID names oneone as the calendar's producer.
const ProdID = "-//oneone//oneone calendar//EN"

// ICalendar writes meetings as an RFC 5545 calendar: CRLF line endings, lines
// folded at 75 octets, one all-day event per meeting with a stable UID, its
// title and nothing else (no note content). stamp is the DTSTAMP of every
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
		ev.SetAllDayStartAt(m.Date)
		ev.SetAllDayEndAt(notes.AddDays(m.Date, 1))
		ev.SetSummary(m.Title())
		ev.SetTimeTransparency(ics.TransparencyTransparent)
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}
