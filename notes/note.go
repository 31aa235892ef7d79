package notes

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Note kinds, statuses and theme ratings.
const (
	KindRegular     = "regular"
	KindGoals       = "goals"
	StatusHeld      = "held"
	StatusSkipped   = "skipped"
	StatusCancelled = "cancelled"
)

// Ratings lists the ratings a theme can get in a note, best first.
var Ratings = []string{"on-track", "at-risk", "off-track"}

// MaxNoteSize is the largest note oneone reads.
const MaxNoteSize = 2 << 20

// Note is one 1:1: a dated Markdown file in a report's folder.
type Note struct {
	Slug     string
	Path     string // repository-relative, with forward slashes
	Date     time.Time
	Kind     string   // regular or goals
	Status   string   // as written: "", held, skipped or cancelled
	Ratings  []Rating // the frontmatter's themes map, in file order
	Body     []byte   // the Markdown after the frontmatter, LF endings
	Sections []Section
	Tasks    []Task

	// Mood is the report's own check-in, 1 to 5 (the frontmatter's mood), 0 when there is none.
	Mood int
	// Positive and ToImprove count the items of each kind in the Feedback
	// section (see FeedbackKind); HasPositiveFeedback, HasToImproveFeedback
	// and FeedbackBoth read them.
	Positive, ToImprove int
	// Blank is true when nothing is written below the frontmatter: nothing but
	// headings, whitespace, HTML comments and empty list items.
	Blank bool
}

// MinMood and MaxMood bound a note's mood: the report's "how are you, 1 to 5?".
const (
	MinMood = 1
	MaxMood = 5
)

// Rating is one entry of a note's themes map.
type Rating struct {
	Theme  string `json:"theme"`
	Rating string `json:"rating"`
}

var noteName = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\.md$`)
var conflictName = regexp.MustCompile(`^[^/]+\.conflict-(?:share-)?[0-9a-zA-Z]+\.md$`)

// IsConflictCopy reports whether a file name is a conflict copy left by sync
// (2026-11-25.conflict-1a2b3c4.md, profile.conflict-1a2b3c4.md), or the copy
// of a report's edit of their shared agenda (2026-11-25.conflict-share-1a2b3c4.md).
func IsConflictCopy(name string) bool { return conflictName.MatchString(name) }

// IsSharedCopy reports whether a file name in a report's folder is a file the
// report added to their shared agenda, kept by sync as shared-NAME.
func IsSharedCopy(name string) bool {
	return strings.HasPrefix(name, "shared-") && len(name) > len("shared-")
}

var anyConflictName = regexp.MustCompile(`^[^/]+\.conflict-[0-9a-zA-Z]+\.(md|yaml)$`)

// IsSyncConflictCopy reports whether name is a conflict copy of any file sync
// merges: a note, GUIDE.md, a template or oneone.yaml.
func IsSyncConflictCopy(name string) bool { return anyConflictName.MatchString(name) }

// NoteDate returns the date carried by a note's file name.
func NoteDate(name string) (time.Time, error) {
	m := noteName.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, fmt.Errorf("file name %q is not a note name: name notes YYYY-MM-DD.md", name)
	}
	d, err := ParseDate(m[1])
	if err != nil {
		return time.Time{}, fmt.Errorf("file name %q is not a real date", name)
	}
	return d, nil
}

// ParseNote reads the content of slug/name as a 1:1 note.
func ParseNote(slug, name string, data []byte) (*Note, error) {
	return parseNote(slug, name, data, fastParsing)
}

// fastParsing is false in tests that need the full path's results as the reference.
var fastParsing = true

// parseNote is ParseNote, with the fast parser of plain notes (fastparse.go)
// when fast is set: the tests compare the two.
func parseNote(slug, name string, data []byte, fast bool) (*Note, error) {
	date, err := NoteDate(name)
	if err != nil {
		return nil, err
	}
	if err := checkText(data, MaxNoteSize); err != nil {
		return nil, err
	}
	if err := checkStructure(data); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 { // no copy of the note (bytes and strings trim alike on UTF-8)
		return nil, errors.New("file is empty: delete it or run `oneone new` to scaffold a note")
	}
	n := &Note{Slug: slug, Path: slug + "/" + name, Date: date, Kind: KindRegular}
	parts, err := SplitFrontmatter(normalizeText(data))
	if err != nil {
		return nil, err
	}
	n.Body = parts.Body
	if parts.HasFront {
		if err := n.readFront(parts.Front, fast); err != nil {
			return nil, err
		}
	}
	var b parsedBody
	if fast {
		b = parseMarkdown(n.Body)
	} else {
		b = slowBody(n.Body)
	}
	n.Sections, n.Tasks, n.Blank, n.Positive, n.ToImprove = b.sections, b.tasks, b.blank, b.positive, b.toImprove
	return n, nil
}

// readFront reads the frontmatter's keys: through fastFront when fast is set
// and it is certain, else yaml.v3 (and yaml.v3 again for any error, so that
// every message is the one the full path gives).
func (n *Note) readFront(front []byte, fast bool) error {
	if fast {
		scratch := frontScratch.Get().(*[]yaml.Node)
		m, ok := fastFront(front, scratch)
		err := errNotRead
		if ok {
			if err = nil; m != nil {
				err = n.readFrontNode(m)
			}
		}
		frontScratch.Put(scratch) // no node is used past here
		if err == nil {
			return nil
		}
		n.Kind, n.Status, n.Mood, n.Ratings = KindRegular, "", 0, nil
	}
	m, err := decodeFront(front, 1)
	if err != nil || m == nil {
		return err
	}
	return n.readFrontNode(m)
}

var errNotRead = errors.New("not read by the fast path")

// readFrontNode reads the frontmatter's mapping node.
func (n *Note) readFrontNode(m *yaml.Node) error {
	if s, err := scalar(mapGet(m, "date"), "date"); err != nil {
		return err
	} else if s != "" {
		d, err := ParseDate(s)
		if err != nil {
			if t, err2 := time.Parse(time.RFC3339, s); err2 == nil {
				d, err = Day(t), nil
			}
		}
		if err != nil {
			return fmt.Errorf("date: %w", err)
		}
		if !d.Equal(n.Date) {
			return fmt.Errorf("date %s disagrees with the file name: rename the file to %s.md or fix the date", s, FormatDate(d))
		}
	}
	kind, err := scalar(mapGet(m, "kind"), "kind")
	if err != nil {
		return err
	}
	switch strings.ToLower(kind) { // "Goals" is goals, as on-track is any case
	case "", KindRegular:
		n.Kind = KindRegular
	case KindGoals:
		n.Kind = KindGoals
	default:
		return fmt.Errorf("unknown kind %q: use regular or goals", kind)
	}
	if n.Status, err = scalar(mapGet(m, "status"), "status"); err != nil {
		return err
	}
	n.Status = strings.ToLower(n.Status)
	switch n.Status {
	case "", StatusHeld, StatusSkipped, StatusCancelled:
	default:
		return fmt.Errorf("unknown status %q: use held, skipped or cancelled", n.Status)
	}
	if n.Mood, err = parseMood(mapGet(m, "mood")); err != nil {
		return err
	}
	return n.readRatings(mapGet(m, "themes"))
}

// parseMood reads the mood key: a whole number from 1 to 5, or nothing.
func parseMood(v *yaml.Node) (int, error) {
	s, err := scalar(v, "mood")
	if err != nil || s == "" {
		return 0, err
	}
	if len(s) == 1 && s[0] >= '0'+MinMood && s[0] <= '0'+MaxMood {
		return int(s[0] - '0'), nil
	}
	return 0, fmt.Errorf("mood %q: the check-in is a whole number from %d to %d (how are you, 1 to 5?); leave the key out when there was none", s, MinMood, MaxMood)
}

func (n *Note) readRatings(t *yaml.Node) error {
	if t == nil || (t.Kind == yaml.ScalarNode && t.Tag == "!!null") {
		return nil
	}
	if t.Kind != yaml.MappingNode {
		return errors.New("themes must map each theme title to on-track, at-risk or off-track")
	}
	for i := 0; i+1 < len(t.Content); i += 2 {
		title := strings.TrimSpace(t.Content[i].Value)
		r, err := scalar(resolveAlias(t.Content[i+1]), "rating of theme "+title)
		if err != nil {
			return err
		}
		if r == "" {
			continue // not rated: not revisited
		}
		r = strings.ToLower(r)
		if !validRating(r) {
			return fmt.Errorf("theme %q has rating %q: use on-track, at-risk or off-track", title, r)
		}
		n.Ratings = append(n.Ratings, Rating{Theme: title, Rating: r})
	}
	return nil
}

func validRating(r string) bool {
	for _, v := range Ratings {
		if r == v {
			return true
		}
	}
	return false
}

// Held reports whether the 1:1 took place: dated today or earlier and not skipped or cancelled.
func (n *Note) Held(today time.Time) bool {
	return !n.Date.After(today) && n.Status != StatusSkipped && n.Status != StatusCancelled
}

// Planned reports whether the note is dated after today.
func (n *Note) Planned(today time.Time) bool { return n.Date.After(today) }

// EffectiveStatus returns held, skipped, cancelled or planned as of today.
func (n *Note) EffectiveStatus(today time.Time) string {
	switch {
	case n.Status == StatusSkipped || n.Status == StatusCancelled:
		return n.Status
	case n.Planned(today):
		return "planned"
	}
	return StatusHeld
}

// Rating returns the rating the note gives a theme, by its exact title.
func (n *Note) Rating(title string) (string, bool) {
	for _, r := range n.Ratings {
		if r.Theme == title {
			return r.Rating, true
		}
	}
	return "", false
}

// Feedback returns the note's Feedback section, or nil.
func (n *Note) Feedback() *Section {
	for i := range n.Sections {
		if n.Sections[i].Is("feedback") {
			return &n.Sections[i]
		}
	}
	return nil
}

// Topics returns the report's topics section (a heading ending in "topics"), or nil.
func (n *Note) Topics() *Section {
	for i := range n.Sections {
		if strings.HasSuffix(strings.ToLower(n.Sections[i].Heading), "topics") {
			return &n.Sections[i]
		}
	}
	return nil
}

// HasMood reports whether the note records the report's check-in.
func (n *Note) HasMood() bool { return n.Mood > 0 }

// Empty reports whether nothing was written in the note: no theme rated and,
// below the frontmatter, nothing but headings, whitespace, HTML comments and
// empty list items (an empty-note finding when it is dated before today and
// neither skipped nor cancelled).
func (n *Note) Empty() bool { return len(n.Ratings) == 0 && n.Blank }

// FeedbackEmpty reports whether the Feedback section is missing or empty.
func (n *Note) FeedbackEmpty() bool { s := n.Feedback(); return s == nil || s.Empty }

// TopicsEmpty reports whether the report's topics section is missing or
// empty. It is any level-2 heading ending in "topics"; when several are and
// some start with the report's first name ("Alice's topics"), only those
// count, so that a "Dana's topics" of the manager's does not fill it.
func (n *Note) TopicsEmpty(firstName string) bool {
	var all, named []*Section
	for i := range n.Sections {
		h := strings.ToLower(n.Sections[i].Heading)
		if !strings.HasSuffix(h, "topics") {
			continue
		}
		all = append(all, &n.Sections[i])
		if firstName != "" && strings.HasPrefix(h, strings.ToLower(firstName)) {
			named = append(named, &n.Sections[i])
		}
	}
	if len(named) > 0 {
		all = named
	}
	for _, s := range all {
		if !s.Empty {
			return false
		}
	}
	return true
}

func validUTF8(b []byte) bool { return utf8.Valid(b) }
