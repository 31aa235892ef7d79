// Package share is the shared agenda of one report: what oneone publishes to
// the report's own repository from the shareable parts of the notes (the
// projection), and how what the report wrote there comes back into the
// manager's notes (the merge-back rules). Pure functions over the notes
// domain: no git, no files, no network.
package share

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/oneone/oneone/notes"
	"gopkg.in/yaml.v3"
)

// Files are the files of a shared repository (or of one commit of it), by path.
type Files map[string][]byte

// Paths returns the paths in order.
func (f Files) Paths() []string {
	out := make([]string, 0, len(f))
	for p := range f {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// The files oneone writes besides one per note.
const (
	ReadmeFile = "README.md"
	StateFile  = "share.yaml"
	ThemesFile = "themes.md"
)

// When the Feedback of a note is published (share_feedback in oneone.yaml).
const (
	FeedbackAfter  = "after"  // a note's Feedback from its day on (the default)
	FeedbackAlways = "always" // also before the 1:1
	FeedbackNever  = "never"  // never
)

// Settings are the sharing keys of oneone.yaml.
type Settings struct {
	Feedback string // after, always or never
}

// ParseSettings reads share_feedback from the content of oneone.yaml.
func ParseSettings(data []byte) (Settings, error) {
	s := Settings{Feedback: FeedbackAfter}
	var m map[string]yaml.Node
	if err := yaml.Unmarshal(data, &m); err != nil {
		return s, nil // oneone.yaml's own reader reports a broken file
	}
	n, ok := m["share_feedback"]
	if !ok || n.Tag == "!!null" {
		return s, nil
	}
	v := strings.ToLower(strings.TrimSpace(n.Value))
	switch {
	case n.Kind != yaml.ScalarNode:
		return s, errors.New("share_feedback must be one of after, always or never")
	case v == FeedbackAfter || v == FeedbackAlways || v == FeedbackNever:
		s.Feedback = v
		return s, nil
	case v == "false" || v == "no" || v == "off":
		s.Feedback = FeedbackNever
		return s, nil
	}
	return s, fmt.Errorf("share_feedback: unknown value %q: use after (the Feedback of a note is published from its day on), always or never", n.Value)
}

// Source is everything a shared agenda is made from.
type Source struct {
	Config   notes.Config
	Settings Settings
	Person   *notes.Person // read with the notes' bodies
	Profile  []byte        // profile.md as written (for the slot)
	Today    time.Time
	Pending  []Topic // topics in next.md that wait for a 1:1
}

// Project returns the files of the shared repository: README.md, share.yaml,
// next.md, themes.md and one file per note, as `oneone agenda` prints it. It
// holds nothing else: no Private section, no HTML comment, no frontmatter, no
// profile text, no setting but the figures of share.yaml.
func Project(src Source) Files {
	p := src.Person
	f := Files{
		ReadmeFile: readme(src),
		StateFile:  stateFile(src),
		NextFile:   NextContent(src.Config.Manager, src.Pending),
		ThemesFile: themesFile(src),
	}
	for _, n := range p.Notes {
		f[path.Base(n.Path)] = Agenda(p.Profile.Name, n, HideFeedback(n, src.Settings, src.Today))
	}
	return f
}

// HideFeedback reports whether a note's Feedback stays out of the shared agenda today.
func HideFeedback(n *notes.Note, s Settings, today time.Time) bool {
	switch s.Feedback {
	case FeedbackAlways:
		return false
	case FeedbackNever:
		return true
	}
	return n.Date.After(today)
}

// Agenda is the shareable Markdown of a note exactly as `oneone agenda` prints
// it: no frontmatter, no Private section, no HTML comment, a title when the
// note has none; without its Feedback sections when hideFeedback is set.
func Agenda(name string, n *notes.Note, hideFeedback bool) []byte {
	body, secs := n.Body, n.Sections
	if hideFeedback {
		if cut := notes.HeadingRanges(body, isFeedbackHeading); len(cut) > 0 {
			var b []byte
			pos := 0
			for _, r := range cut {
				b = append(b, body[pos:r[0]]...)
				pos = r[1]
			}
			b = append(b, body[pos:]...)
			if bn, err := notes.ParseNote(n.Slug, path.Base(n.Path), b); err == nil {
				body, secs = bn.Body, bn.Sections
			} else {
				body, secs = nil, nil // cannot be read without its Feedback: nothing of it, rather than too much
			}
		}
	}
	md := notes.ShareableBody(body, secs)
	end := notes.TitleEnd(md)
	if end < 0 {
		title := fmt.Sprintf("# 1:1 with %s — %s\n", name, notes.FormatDate(n.Date))
		if n.Kind == notes.KindGoals {
			title = "# Goals" + title[1:]
		}
		end = len(title)
		if len(md) > 0 {
			title += "\n"
		}
		md = append([]byte(title), md...)
	}
	if line := StatusLine(n.Status); line != "" {
		// under the title: a report who reads the file with git alone learns
		// that this 1:1 does not take place
		rest := bytes.TrimLeft(md[end:], "\r\n")
		out := append(append([]byte(nil), md[:end]...), "\n"+line+"\n"...)
		if len(rest) > 0 {
			out = append(append(out, '\n'), rest...)
		}
		md = out
	}
	return md
}

// isFeedbackHeading reports whether a heading names feedback, which waits for
// the note's day: "Feedback" in any letter case, with emphasis, a colon or a
// comment, and any heading holding the word ("Positive feedback", "Feedback
// for Alice"), but never the report's topics section.
func isFeedbackHeading(h string) bool {
	h = strings.ToLower(strings.TrimSpace(notes.StripComments(h)))
	if strings.HasSuffix(strings.Trim(h, "*_: \t"), "topics") {
		return false
	}
	for _, w := range strings.FieldsFunc(h, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if w == "feedback" {
			return true
		}
	}
	return false
}

// StatusLine is the line an agenda carries under its title when the 1:1 is
// skipped or cancelled ("" for a held or planned one); the report's side
// reads it to find the next 1:1 that takes place.
func StatusLine(status string) string {
	switch status {
	case notes.StatusCancelled:
		return "_Cancelled: no 1:1 on this day._"
	case notes.StatusSkipped:
		return "_Skipped: no 1:1 on this day._"
	}
	return ""
}

// DoesNotTakePlace reports whether a published agenda says its 1:1 is
// skipped or cancelled (StatusLine under its title).
func DoesNotTakePlace(agenda []byte) bool {
	for _, l := range bytes.SplitN(agenda, []byte("\n"), 8) { // the title, a blank line, the status
		switch strings.TrimSpace(string(l)) {
		case StatusLine(notes.StatusCancelled), StatusLine(notes.StatusSkipped):
			return true
		}
	}
	return false
}

// readme tells a report who has never heard of oneone what this is and what to do.
func readme(src Source) []byte {
	mgr := oneLineText(src.Config.Manager)
	if mgr == "" {
		mgr = "your manager"
	}
	name := oneLineText(src.Person.Profile.Name)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Shared agenda: %s's 1:1s with %s\n\n", name, mgr)
	b.WriteString("1. Clone this repository (`git clone URL`), or `oneone join URL`.\n")
	b.WriteString("2. `git pull`, then write your topics for the next 1:1 in `next.md`, one line each, starting with `- `.\n")
	b.WriteString("3. Commit and push (`git commit -am topics && git push`; refused? `git pull --rebase`, keep every topic line, push): they land in the 1:1's agenda.\n")
	b.WriteString("4. Before the 1:1, `git pull` and read its agenda, `YYYY-MM-DD.md` (`share.yaml` says when it is due).\n")
	b.WriteString("5. After it, tick the action items you did (`- [x]`) in that file, commit and push.\n\n")
	fmt.Fprintf(&b, "What comes back to %s: the topics in `next.md`, edits of the topics section\n", mgr)
	b.WriteString("of a 1:1's file, and the ticks of its action items. Anything else you change\n")
	b.WriteString("here is kept aside for a conversation, never applied, never lost; the files\n")
	b.WriteString("are written again at each sync. `themes.md` lists your active themes.\n\n")
	b.WriteString("This repository holds the shareable part of your 1:1 notes only. It never\n")
	fmt.Fprintf(&b, "holds %s's private notes, nor anything about anyone else.\n\n", mgr)
	guide := notes.Guide(src.Config)
	// The guide's headings one level down, under this file's title.
	var out []string
	for _, l := range strings.SplitAfter(guide, "\n") {
		if strings.HasPrefix(l, "#") {
			l = "#" + l
		}
		out = append(out, l)
	}
	b.WriteString(strings.Join(out, ""))
	return b.Bytes()
}

// State is share.yaml: figures only.
type State struct {
	Manager     string  `yaml:"manager"`
	Report      string  `yaml:"report"`
	CadenceDays int     `yaml:"cadence_days"`
	LastHeld    *string `yaml:"last_held"`
	NextDue     *string `yaml:"next_due"`
	Slot        *string `yaml:"slot"`
}

func stateFile(src Source) []byte {
	st := notes.ComputeStats(src.Person, src.Config, src.Today)
	s := State{
		Manager: oneLineText(src.Config.Manager), Report: oneLineText(src.Person.Profile.Name),
		CadenceDays: src.Person.Profile.CadenceDays, LastHeld: st.LastHeld, NextDue: st.NextDue,
		Slot: Slot(src.Profile),
	}
	var b bytes.Buffer
	b.WriteString("# Written by oneone at each sync of your manager's notes; edits here are not kept.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	_ = enc.Encode(s)
	_ = enc.Close()
	return b.Bytes()
}

// ParseState reads share.yaml.
func ParseState(data []byte) (State, error) {
	var s State
	err := yaml.Unmarshal(newDoc(data).norm, &s)
	return s, err
}

var slotRE = regexp.MustCompile(`^(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+\d{1,2}:\d{2}(?:\s+\d{1,3}m)?$`)

// Slot returns the profile's recurring time (`slot: mon 10:00`), or nil when it
// has none or it is not a time: nothing but a figure leaves the profile.
func Slot(profile []byte) *string {
	parts, err := notes.SplitFrontmatter(newDoc(profile).norm)
	if err != nil || !parts.HasFront {
		return nil
	}
	var m map[string]yaml.Node
	if yaml.Unmarshal(parts.Front, &m) != nil {
		return nil
	}
	n, ok := m["slot"]
	if !ok || n.Kind != yaml.ScalarNode {
		return nil
	}
	v := strings.Join(strings.Fields(n.Value), " ")
	if !slotRE.MatchString(v) {
		return nil
	}
	return &v
}

// themesFile lists the active themes: title, started, due and the latest rating.
func themesFile(src Source) []byte {
	p := src.Person
	var b strings.Builder
	fmt.Fprintf(&b, "# %s's active themes\n\n", oneLineText(p.Profile.FirstName()))
	active := p.Profile.ActiveThemes()
	if len(active) == 0 {
		b.WriteString("No active theme yet: the next goals 1:1 picks one.\n")
	}
	held := p.Held(src.Today)
	for _, t := range active {
		fmt.Fprintf(&b, "## %s\n\n", oneLineText(t.Title))
		if !t.Started.IsZero() {
			fmt.Fprintf(&b, "- started: %s\n", notes.FormatDate(t.Started))
		}
		if !t.Due.IsZero() {
			fmt.Fprintf(&b, "- due: %s\n", notes.FormatDate(t.Due))
		}
		rating := "not rated yet"
		for i := len(held) - 1; i >= 0; i-- {
			if r, ok := held[i].Rating(t.Title); ok {
				rating = fmt.Sprintf("%s (%s)", r, notes.FormatDate(held[i].Date))
				break
			}
		}
		fmt.Fprintf(&b, "- latest rating: %s\n\n", rating)
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// ProfileKey is the key of a profile's frontmatter that holds the URL of the
// report's shared repository (without credentials), or "off" once stopped.
const ProfileKey = "share"

// Stopped is the value of ProfileKey after `oneone share SLUG --stop`.
const Stopped = "off"

// RemoteOf returns the shared repository's URL a profile names ("" when the report does not share).
func RemoteOf(profile []byte) string {
	if !bytes.Contains(profile, []byte(ProfileKey+":")) {
		return "" // the common case, without parsing
	}
	parts, err := notes.SplitFrontmatter(newDoc(profile).norm)
	if err != nil || !parts.HasFront {
		return ""
	}
	var m map[string]yaml.Node
	if yaml.Unmarshal(parts.Front, &m) != nil {
		return ""
	}
	n, ok := m[ProfileKey]
	if !ok || n.Kind != yaml.ScalarNode {
		return ""
	}
	v := strings.TrimSpace(n.Value)
	if v == "" || strings.EqualFold(v, Stopped) || n.Tag == "!!bool" || n.Tag == "!!null" {
		return ""
	}
	return v
}
