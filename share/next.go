package share

import (
	"fmt"
	"regexp"
	"strings"
)

// NextFile is the name of the file in the shared repository where the report
// writes topics for the next 1:1.
const NextFile = "next.md"

// Topic is one topic the report wrote: its first line without the list
// marker, and the lines that continue it (indented, as written).
type Topic struct {
	Text string   // the first line's text, trimmed
	More []string // continuation lines, without their line endings
}

// Key identifies a topic: its text in lower case with spaces collapsed, so that
// a topic already on the agenda is not added twice.
func (t Topic) Key() string { return topicKey(t.Text) }

func topicKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Markdown returns the topic as a list item: "- text" and its continuation lines.
func (t Topic) Markdown() string {
	var b strings.Builder
	b.WriteString("- " + t.Text + "\n")
	for _, l := range t.More {
		if strings.TrimSpace(l) == "" {
			b.WriteString("\n")
			continue
		}
		if !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") {
			l = "  " + l
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

// nextIntro is what oneone writes at the top of next.md under its heading.
// Lines equal to one of these (any version oneone ever wrote) are never topics.
var nextIntro = []string{
	`Write each topic on a line of its own starting with "- ", then commit and`,
	`push. At your manager's next sync they move into the agenda of your next 1:1`,
	`(its YYYY-MM-DD.md file here) and leave this file.`,
}

// NextContent returns next.md: a heading, how to use it, and the topics that
// wait for a 1:1 (an empty item to write after when there are none).
func NextContent(manager string, pending []Topic) []byte {
	var b strings.Builder
	if manager = strings.TrimSpace(manager); manager != "" {
		fmt.Fprintf(&b, "# Topics for your next 1:1 with %s\n\n", oneLineText(manager))
	} else {
		b.WriteString("# Topics for your next 1:1\n\n")
	}
	for _, l := range nextIntro {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	for _, t := range pending {
		b.WriteString(t.Markdown())
	}
	if len(pending) == 0 {
		b.WriteString("- \n")
	}
	return []byte(b.String())
}

var (
	listMarker = regexp.MustCompile(`^(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)`)
	atxHeading = regexp.MustCompile(`^#{1,6}(?:[ \t]|$)`)
)

// ParseNext reads the topics of next.md: every line but headings, oneone's own
// instructions and blank lines. A list item starts a topic and the indented
// lines under it continue it; any other line is a topic of its own (a report
// who does not write Markdown is still heard).
func ParseNext(data []byte) []Topic {
	var out []Topic
	for _, t := range parseNextLines(strings.Split(string(newDoc(data).norm), "\n")) {
		out = append(out, t.Topic)
	}
	return out
}

// placedTopic is a topic and the lines [from, to) it was read from.
type placedTopic struct {
	Topic
	from, to int
}

func parseNextLines(lines []string) []placedTopic {
	var out []placedTopic
	var cur *placedTopic
	intro := map[string]bool{}
	for _, l := range nextIntro {
		intro[l] = true
	}
	flush := func() {
		if cur == nil {
			return
		}
		for len(cur.More) > 0 && strings.TrimSpace(cur.More[len(cur.More)-1]) == "" {
			cur.More = cur.More[:len(cur.More)-1]
		}
		cur.to = cur.from + 1 + len(cur.More)
		if cur.Text == "" && len(cur.More) > 0 { // "-" alone, then an indented line: that line is the topic
			cur.Text, cur.More = strings.TrimSpace(cur.More[0]), cur.More[1:]
		}
		if len(cur.More) == 0 {
			cur.More = nil
		}
		if cur.Text != "" {
			out = append(out, *cur)
		}
		cur = nil
	}
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			if cur != nil {
				cur.More = append(cur.More, "")
			}
		case cur != nil && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")):
			cur.More = append(cur.More, strings.TrimRight(line, " \t"))
		case atxHeading.MatchString(trimmed) || intro[trimmed]:
			flush()
		default:
			flush()
			cur = &placedTopic{Topic: Topic{Text: strings.TrimSpace(listMarker.ReplaceAllString(trimmed, ""))}, from: i}
		}
	}
	flush()
	return out
}

// mergeNext merges the report's next.md (ours) with a newer one of oneone's
// (theirs, where topics placed on an agenda are gone): theirs, less the topics
// the report deleted since base, plus the topics the report added. It never
// conflicts and never drops a topic the report wrote.
func mergeNext(base, ours, theirs []byte) []byte {
	keys := func(ts []Topic) map[string]bool {
		m := map[string]bool{}
		for _, t := range ts {
			m[t.Key()] = true
		}
		return m
	}
	bt, ot := ParseNext(base), ParseNext(ours)
	inBase, inOurs := keys(bt), keys(ot)
	lines := strings.Split(string(newDoc(theirs).norm), "\n")
	drop := map[int]bool{}
	inTheirs := map[string]bool{}
	for _, t := range parseNextLines(lines) {
		inTheirs[t.Key()] = true
		if inBase[t.Key()] && !inOurs[t.Key()] {
			for i := t.from; i < t.to; i++ {
				drop[i] = true
			}
		}
	}
	var kept []string
	for i, l := range lines {
		if !drop[i] {
			kept = append(kept, l)
		}
	}
	text := strings.TrimRight(strings.Join(kept, "\n"), "\n") + "\n"
	var add strings.Builder
	for _, t := range ot {
		if !inBase[t.Key()] && !inTheirs[t.Key()] {
			add.WriteString(t.Markdown())
			inTheirs[t.Key()] = true
		}
	}
	if add.Len() > 0 {
		text = strings.TrimSuffix(text, "- \n") // the empty item oneone leaves to write after
		if !strings.HasSuffix(text, "\n\n") && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		text += add.String()
	}
	return []byte(text)
}

// oneLineText makes a name safe inside one Markdown line.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// AddToNext appends a topic at the end of next.md, in place of the empty item
// oneone leaves there, keeping the rest of the file (and its line endings) as
// written; with no next.md, oneone's is made.
func AddToNext(data []byte, t Topic) []byte {
	if len(strings.TrimSpace(string(data))) == 0 {
		return NextContent("", []Topic{t})
	}
	d := newDoc(data)
	text := string(d.raw)
	for _, empty := range []string{"- " + d.nl, "-" + d.nl, "- ", "-"} {
		if strings.HasSuffix(text, empty) {
			if rest := strings.TrimSuffix(text, empty); rest == "" || strings.HasSuffix(rest, "\n") {
				text = rest
				break
			}
		}
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += d.nl
	}
	return []byte(text + strings.ReplaceAll(t.Markdown(), "\n", d.nl))
}

// AgendaTopics returns the report's topics on a published agenda file.
func AgendaTopics(name string, data []byte, report string) []string {
	n, err := parseFile("report", name, data)
	if err != nil {
		return nil
	}
	first := ""
	if f := strings.Fields(report); len(f) > 0 {
		first = f[0]
	}
	s := topicsSection(n, first)
	if s == nil {
		return nil
	}
	var out []string
	for _, t := range ParseNext(n.Body[s.ContentStart:s.End]) {
		out = append(out, t.Text)
	}
	return out
}
