package notes

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Feedback kinds of an item of a note's Feedback section.
const (
	FeedbackOther     = ""           // neither kind: "- the demo", "- Note: ..."
	FeedbackPositive  = "positive"   // "Positive: ..." or "+ ..."
	FeedbackToImprove = "to-improve" // "To improve:", "Improve:", "Negative:", "Constructive:" or "Δ ..."
)

// feedbackWords are the prefixes of a kind that need a colon after them,
// lower case, in the order they are tried ("to improve" before "improve").
var feedbackWords = []struct{ word, kind string }{
	{"positive", FeedbackPositive},
	{"to improve", FeedbackToImprove},
	{"improve", FeedbackToImprove},
	{"negative", FeedbackToImprove},
	{"constructive", FeedbackToImprove},
}

// FeedbackKind classifies the text of one feedback item (without its list
// marker): positive when it starts with "Positive:" or "+", to improve when it
// starts with "To improve:", "Improve:", "Negative:", "Constructive:" or "Δ"
// (any letter case; emphasis around the word is allowed, "**Positive:**").
// Nothing but the prefix ("Positive:" alone, a template's empty prompt) is of
// neither kind: nothing was said.
func FeedbackKind(text string) string {
	kind, rest := cutFeedbackPrefix(text)
	if kind == FeedbackOther || strings.TrimSpace(strings.Trim(strings.TrimSpace(rest), "*_")) == "" {
		return FeedbackOther
	}
	return kind
}

// cutFeedbackPrefix returns the kind a text's prefix names and the text after it.
func cutFeedbackPrefix(text string) (kind, rest string) {
	t := strings.TrimLeft(text, " \t")
	switch r, w := utf8.DecodeRuneInString(t); r {
	case '+':
		return FeedbackPositive, t[w:]
	case 'Δ', 'δ', '∆': // GREEK CAPITAL DELTA, its lower case ("any letter case"), and the INCREMENT sign a Mac types for it
		return FeedbackToImprove, t[w:]
	}
	t = strings.TrimLeft(t, "*_ \t")
	for _, fw := range feedbackWords {
		if !hasFoldPrefixWords(t, fw.word) {
			continue
		}
		after := strings.TrimLeft(dropFoldPrefixWords(t, fw.word), "*_ \t")
		if strings.HasPrefix(after, ":") {
			return fw.kind, after[1:]
		}
	}
	return FeedbackOther, text
}

// hasFoldPrefixWords reports whether s starts with the words of w (lower
// case, single spaces), ignoring letter case, with any run of spaces between
// words, and not followed by a letter ("Positively:" is not "Positive:").
func hasFoldPrefixWords(s, w string) bool { return foldPrefixLen(s, w) >= 0 }

func dropFoldPrefixWords(s, w string) string { return s[foldPrefixLen(s, w):] }

// foldPrefixLen returns the length of the prefix of s that matches w, or -1.
func foldPrefixLen(s, w string) int {
	i := 0
	for _, word := range strings.Split(w, " ") {
		if i > 0 {
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if j == i {
				return -1
			}
			i = j
		}
		if len(s)-i < len(word) || !strings.EqualFold(s[i:i+len(word)], word) {
			return -1
		}
		i += len(word)
	}
	if r, _ := utf8.DecodeRuneInString(s[i:]); i < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return -1
	}
	return i
}

// CountFeedback counts the items of each kind in the text of a Feedback
// section (its content below the heading). An item is a line of text: a list
// item's first line after its marker, or a line of a paragraph; HTML comments
// (the template's prompts) and code blocks are left out. A "+" list marker
// ("+ shipped on time", the plus/delta habit) makes an item positive unless
// its text names another kind. Under a level-3 (or deeper) heading that names
// a kind ("### Positive", "### To improve"), items of neither kind are of
// that kind.
func CountFeedback(section []byte) (positive, toImprove int) {
	doc := md.Parser().Parse(text.NewReader(section))
	var nodes []ast.Node
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		nodes = append(nodes, n)
	}
	return countFeedback(section, 0, codeSpans(nodes))
}

// countFeedback is CountFeedback for a section at offset base of a body whose
// code blocks are at code (offsets in the body).
func countFeedback(section []byte, base int, code []span) (positive, toImprove int) {
	if len(code) > 0 { // blank the code out, keeping line breaks
		b := append([]byte(nil), section...)
		for _, c := range code {
			for i := max(c.from-base, 0); i < min(c.to-base, len(b)); i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
		}
		section = b
	}
	// Read in place, not copied: nothing below keeps a byte of it (the
	// counts are all that is returned). The copy was an allocation per
	// note of a cold audit (BenchmarkParseNote: 31 -> 30 allocs, 1737 -> 1449 B
	// per note).
	text := unsafe.String(unsafe.SliceData(section), len(section))
	if strings.Contains(text, "<!--") { // else StripComments changes nothing: skip its regular expression
		text = StripComments(text)
	}
	var fence string
	under := FeedbackOther // the kind of the sub-heading the items are under
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimLeft(line, " \t")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = trimmed[:3]
			continue
		}
		if strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t") {
			if !startsListItem(trimmed) {
				continue // an indented code block, or a paragraph's continuation: not a new item
			}
		}
		if strings.HasPrefix(trimmed, "#") {
			h := strings.TrimSpace(strings.Trim(strings.TrimSpace(strings.TrimLeft(trimmed, "#")), "#"))
			under = headingKind(h)
			continue
		}
		plus := false
		rest := trimmed
		for {
			marker, after, ok := cutListMarker(rest)
			if !ok {
				break
			}
			plus = plus || marker == "+"
			rest = after
		}
		rest = strings.TrimSpace(rest)
		if rest == "" {
			continue
		}
		kind := FeedbackKind(rest)
		if kind == FeedbackOther && plus {
			kind = FeedbackPositive
		}
		if kind == FeedbackOther {
			kind = under
		}
		switch kind {
		case FeedbackPositive:
			positive++
		case FeedbackToImprove:
			toImprove++
		}
	}
	return positive, toImprove
}

// headingKind is the kind a sub-heading of the Feedback section names:
// "Positive", "To improve", "Δ", with or without a colon.
func headingKind(h string) string {
	h = strings.TrimSpace(strings.TrimSuffix(strings.Trim(h, "*_ \t"), ":"))
	switch h {
	case "+":
		return FeedbackPositive
	case "Δ", "∆":
		return FeedbackToImprove
	}
	for _, fw := range feedbackWords {
		if n := foldPrefixLen(h, fw.word); n == len(h) {
			return fw.kind
		}
	}
	return FeedbackOther
}

// thematicBreak reports whether s, blanks aside, is three or more of "-" or
// of "*" (without building s's copy without blanks: this runs on every line
// of every Feedback section).
func thematicBreak(s string) bool {
	n, c := 0, byte(0)
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b == ' ' || b == '\t':
		case n == 0:
			c, n = b, 1
		case b != c:
			return false
		default:
			n++
		}
	}
	return n >= 3 && (c == '-' || c == '*')
}

func startsListItem(s string) bool { _, _, ok := cutListMarker(s); return ok }

// cutListMarker cuts a list marker ("-", "*", "+", "1.", "1)") and the
// blanks after it from s; the marker must be followed by a blank or end s.
func cutListMarker(s string) (marker, rest string, ok bool) {
	n := 0
	switch {
	case s == "":
		return "", s, false
	case s[0] == '-' || s[0] == '*' || s[0] == '+':
		n = 1
	default:
		for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(s) || (s[n] != '.' && s[n] != ')') {
			return "", s, false
		}
		n++
	}
	if n < len(s) && s[n] != ' ' && s[n] != '\t' {
		return "", s, false
	}
	// a thematic break ("---", "* * *") is no list item
	if thematicBreak(s) {
		return "", s, false
	}
	return s[:n], strings.TrimLeft(s[n:], " \t"), true
}

// HasPositiveFeedback reports whether the note's Feedback section holds a positive item.
func (n *Note) HasPositiveFeedback() bool { return n.Positive > 0 }

// HasToImproveFeedback reports whether the note's Feedback section holds an item to improve.
func (n *Note) HasToImproveFeedback() bool { return n.ToImprove > 0 }

// FeedbackBoth reports whether the note's Feedback holds both kinds: what
// "feedback means both negative and positive" asks of a 1:1.
func (n *Note) FeedbackBoth() bool { return n.Positive > 0 && n.ToImprove > 0 }

// FeedbackOfAKind reports whether the note's Feedback holds an item of either kind.
func (n *Note) FeedbackOfAKind() bool { return n.Positive > 0 || n.ToImprove > 0 }

// FeedbackBalanceCount is how many held 1:1s with feedback of a kind
// feedback-unbalanced looks back over.
const FeedbackBalanceCount = 4

// Balance is how the feedback of a report's last held 1:1s leans.
type Balance struct {
	// Kind is FeedbackPositive when the last FeedbackBalanceCount held 1:1s
	// with feedback of a kind held only positive items, FeedbackToImprove when
	// they held only items to improve, FeedbackOther otherwise (both kinds,
	// or fewer such 1:1s).
	Kind  string
	Since time.Time // the oldest of those 1:1s
	Last  *Note     // the newest of them
}

// Unbalanced reports whether the feedback was of one kind only: "feedback means both".
func (b Balance) Unbalanced() bool { return b.Kind != FeedbackOther }

// FeedbackBalance looks at the last FeedbackBalanceCount held 1:1s (as of
// today) whose Feedback holds an item of a kind, positive or to improve.
func FeedbackBalance(p *Person, today time.Time) Balance {
	var recent []*Note // newest first
	for i := len(p.Notes) - 1; i >= 0 && len(recent) < FeedbackBalanceCount; i-- {
		if n := p.Notes[i]; n.Held(today) && n.FeedbackOfAKind() {
			recent = append(recent, n)
		}
	}
	if len(recent) < FeedbackBalanceCount {
		return Balance{}
	}
	positive, toImprove := false, false
	for _, n := range recent {
		positive = positive || n.HasPositiveFeedback()
		toImprove = toImprove || n.HasToImproveFeedback()
	}
	b := Balance{Since: recent[len(recent)-1].Date, Last: recent[0]}
	switch {
	case !toImprove:
		b.Kind = FeedbackPositive
	case !positive:
		b.Kind = FeedbackToImprove
	}
	return b
}
