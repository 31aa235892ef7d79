package notes

import (
	"strings"
	"testing"
)

func TestFeedbackKind(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"Positive: clear write-up", FeedbackPositive},
		{"positive: clear", FeedbackPositive},
		{"POSITIVE : clear", FeedbackPositive},
		{"**Positive:** clear", FeedbackPositive},
		{"**Positive**: clear", FeedbackPositive},
		{"_Positive_: clear", FeedbackPositive},
		{"+ shipped on time", FeedbackPositive},
		{"+1 for the demo", FeedbackPositive},
		{"To improve: start with the data", FeedbackToImprove},
		{"to  IMPROVE: x", FeedbackToImprove},
		{"Improve: x", FeedbackToImprove},
		{"Negative: x", FeedbackToImprove},
		{"Constructive: x", FeedbackToImprove},
		{"constructive: x", FeedbackToImprove},
		{"Δ late review", FeedbackToImprove},
		{"∆ late review", FeedbackToImprove}, // the increment sign a Mac types
		{"Δlate", FeedbackToImprove},
		{"δ late review", FeedbackToImprove}, // Δ in lower case: the spec's "any letter case"
		// neither kind
		{"Positive", FeedbackOther},              // no colon
		{"Positive - great", FeedbackOther},      // no colon
		{"Positively: surprised", FeedbackOther}, // another word
		{"Improvement: x", FeedbackOther},
		{"Note: positive: x", FeedbackOther},
		{"the demo was great", FeedbackOther},
		{"", FeedbackOther},
		{"Positive:", FeedbackOther}, // nothing said
		{"Positive:   ", FeedbackOther},
		{"**Positive:**", FeedbackOther},
		{"+", FeedbackOther},
		{"Δ ", FeedbackOther},
		{"To: improve x", FeedbackOther},
		{"Toimprove: x", FeedbackOther},
	}
	for _, tt := range tests {
		if got := FeedbackKind(tt.text); got != tt.want {
			t.Errorf("FeedbackKind(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestCountFeedback(t *testing.T) {
	tests := []struct {
		name              string
		section           string
		positive, improve int
	}{
		{"prefixes", "- Positive: a\n- To improve: b\n- c\n", 1, 1},
		{"both kinds twice", "- Positive: a\n- positive: b\n- Negative: c\n* Δ d\n1. Constructive: e\n", 2, 3},
		{"prompts in comments do not count", "<!-- Positive: something specific. -->\n<!--\n- To improve: one thing\n-->\n", 0, 0},
		{"empty prompts do not count", "- Positive:\n- To improve: \n", 0, 0},
		{"a plus list is praise", "+ shipped on time\n+ To improve: the review\n- neither\n", 1, 1},
		{"a plus inside an item", "- + shipped\n- +also\n", 2, 0},
		{"paragraph lines", "Positive: the demo.\nTo improve: the review.\n", 1, 1},
		{"code is not feedback", "```\n- Positive: in code\n```\n    - To improve: indented code\n", 0, 0},
		{"nested items", "- Positive: a\n  - To improve: nested\n", 1, 1},
		{"continuation lines are no item", "- Positive: a\n    To improve: continues the item\n", 1, 0},
		{"sub-headings name the kind", "### Positive\n- the demo\n- the write-up\n### To improve:\n- the review\n- Positive: still praise\n", 3, 1},
		{"other sub-headings reset", "### Positive\n- a\n### Context\n- b\n", 1, 0},
		{"a thematic break is no item", "---\n* * *\n", 0, 0},
		{"crlf", "- Positive: a\r\n- To improve: b\r\n", 1, 1},
	}
	for _, tt := range tests {
		p, i := CountFeedback([]byte(tt.section))
		if p != tt.positive || i != tt.improve {
			t.Errorf("%s: CountFeedback(%q) = %d positive, %d to improve; want %d, %d", tt.name, tt.section, p, i, tt.positive, tt.improve)
		}
	}
}

func TestNoteFeedbackAccessors(t *testing.T) {
	tests := []struct {
		name                                string
		note                                string
		empty, positive, improve, both, any bool
	}{
		{"both", "## Feedback\n- Positive: a\n- To improve: b\n", false, true, true, true, true},
		{"praise only", "## Feedback\n- Positive: a\n- thanks\n", false, true, false, false, true},
		{"neither kind", "## Feedback\n- the demo\n", false, false, false, false, false},
		{"empty", "## Feedback\n<!-- Positive: ... -->\n- \n", true, false, false, false, false},
		{"missing", "## Alice's topics\n- Positive: not feedback\n", true, false, false, false, false},
		{"only the first Feedback section", "## Feedback\n- Positive: a\n## Themes\n- To improve: b\n", false, true, false, false, true},
		{"case-insensitive heading", "## FEEDBACK\n- Negative: a\n", false, false, true, false, true},
	}
	for _, tt := range tests {
		n, err := ParseNote("alice", "2026-11-25.md", []byte(tt.note))
		if err != nil {
			t.Fatal(err)
		}
		if n.FeedbackEmpty() != tt.empty || n.HasPositiveFeedback() != tt.positive || n.HasToImproveFeedback() != tt.improve ||
			n.FeedbackBoth() != tt.both || n.FeedbackOfAKind() != tt.any {
			t.Errorf("%s: empty %v positive %v improve %v both %v any %v; want %v %v %v %v %v", tt.name,
				n.FeedbackEmpty(), n.HasPositiveFeedback(), n.HasToImproveFeedback(), n.FeedbackBoth(), n.FeedbackOfAKind(),
				tt.empty, tt.positive, tt.improve, tt.both, tt.any)
		}
	}
}

func TestParseMood(t *testing.T) {
	for _, tt := range []struct {
		front string
		want  int
		err   string
	}{
		{"mood: 1", 1, ""},
		{"mood: 5", 5, ""},
		{"mood: 3   # ok-ish", 3, ""},
		{`mood: "4"`, 4, ""},
		{"mood:", 0, ""},
		{"mood: ~", 0, ""},
		{"", 0, ""},
		{"mood: 0", 0, `mood "0"`},
		{"mood: 6", 0, `mood "6"`},
		{"mood: 10", 0, `mood "10"`},
		{"mood: -1", 0, `mood "-1"`},
		{"mood: 3.5", 0, `mood "3.5"`},
		{"mood: +3", 0, `mood "+3"`},
		{"mood: 03", 0, `mood "03"`},
		{"mood: good", 0, `mood "good"`},
		{"mood: [3]", 0, "mood must be a single value"},
	} {
		n, err := ParseNote("alice", "2026-11-25.md", []byte("---\n"+tt.front+"\n---\n## Feedback\n- x\n"))
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.front, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.front, err)
		case n.Mood != tt.want || n.HasMood() != (tt.want > 0):
			t.Errorf("%q: mood %d, want %d", tt.front, n.Mood, tt.want)
		}
	}
}

func TestDroppedAndPrivateTasks(t *testing.T) {
	body := "## Action items\n- [ ] Alice: open\n- [x] Dana: done\n- [-] Dana: dropped\n- [-]\n- [-]x not a task\n* [-]  spaced  out \n\n## Private\n- [ ] Dana: mine\n- [-] Dana: dropped mine\n\n## Later\n- [ ] after private\n"
	n, err := ParseNote("alice", "2026-11-25.md", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range n.Tasks {
		s := tk.Text
		if tk.Checked {
			s += " checked"
		}
		if tk.Dropped {
			s += " dropped"
		}
		if tk.Private {
			s += " private"
		}
		got = append(got, s)
	}
	want := []string{"Alice: open", "Dana: done checked", "Dana: dropped dropped", "spaced  out dropped", "Dana: mine private", "Dana: dropped mine dropped private", "after private"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tasks:\n got %q\nwant %q", got, want)
	}
	// an empty dropped item is an empty list item
	e, _ := ParseNote("alice", "2026-11-25.md", []byte("## Action items\n- [-]\n- [ ]\n"))
	if !e.Sections[0].Empty || !e.Blank {
		t.Errorf("empty items: section empty %v, blank %v", e.Sections[0].Empty, e.Blank)
	}
}

func TestNoteEmpty(t *testing.T) {
	for _, tt := range []struct {
		note  string
		empty bool
	}{
		{"", true}, // (the empty file itself is refused; see below)
		{"---\nstatus: held\n---\n", true},
		{"---\nkind: regular\n# themes: commented\n---\n# 1:1 with Alice\n\n## Feedback\n<!-- Positive: ... -->\n\n## Alice's topics\n-\n\n### Sub\n## Action items\n- [ ] \n", true},
		{"---\nmood: 2\n---\n## Feedback\n", true}, // a check-in alone: nothing written (the spec's rule)
		{"---\nthemes:\n  Grow: on-track\n---\n## Feedback\n", false},
		{"## Feedback\n- Positive: a\n", false},
		{"Just a line.\n", false},
		{"## Action items\n- [x] done\n", false},
		{"Heading\n=======\n", true},
	} {
		if tt.note == "" {
			continue
		}
		n, err := ParseNote("alice", "2026-11-18.md", []byte(tt.note))
		if err != nil {
			t.Fatalf("%q: %v", tt.note, err)
		}
		if n.Empty() != tt.empty {
			t.Errorf("%q: Empty() = %v, want %v", tt.note, n.Empty(), tt.empty)
		}
	}
}
