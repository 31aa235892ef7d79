package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/oneone/oneone/notes"
)

var fixtureToday = notes.ParseDateOr("2026-11-25")

// fixtureReport loads testdata/team as `oneone report` does.
func fixtureReport(t *testing.T, weeks int, all, shareable bool) *Report {
	t.Helper()
	r, err := notes.Open("testdata/team")
	if err != nil {
		t.Fatal(err)
	}
	team, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	audit := notes.Audit(team, r.Config, fixtureToday, notes.AuditOptions{All: all})
	return &Report{Team: team, Audit: audit, Config: r.Config, Today: fixtureToday, Weeks: weeks, All: all, Shareable: shareable}
}

func pagesByPath(t *testing.T, rep *Report) map[string]string {
	t.Helper()
	pages, err := rep.Pages()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range pages {
		out[p.Path] = string(p.Data)
	}
	return out
}

var styleBlock = regexp.MustCompile(`(?s)<style>.*?</style>`)

// TestReportGolden pins the HTML of the fixture team's report (without the
// stylesheet, which is the same on every page).
func TestReportGolden(t *testing.T) {
	pages, err := fixtureReport(t, 8, false, false).Pages()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range pages {
		paths = append(paths, p.Path)
		golden(t, "report/"+p.Path+".golden", styleBlock.ReplaceAll(p.Data, []byte("<style>/* report.css */</style>")))
	}
	if got, want := strings.Join(paths, " "), "index.html people/alice.html people/bob.html people/carol.html"; got != want {
		t.Errorf("pages: got %s, want %s (dave has left: only with All)", got, want)
	}
}

func TestReportDeterministic(t *testing.T) {
	a, _ := fixtureReport(t, 26, true, false).Pages()
	b, _ := fixtureReport(t, 26, true, false).Pages()
	if len(a) != len(b) || len(a) != 5 {
		t.Fatalf("pages: %d and %d, want 5 with All", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two runs", a[i].Path)
		}
	}
}

// parse returns the page's DOM, failing the test on a parse error.
func parse(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// checkInert fails when a page could run code or make a request: script
// elements, event handler attributes, javascript: URLs, external resources.
func checkInert(t *testing.T, name, page string) {
	t.Helper()
	walk(parse(t, page), func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "script", "iframe", "object", "embed", "base", "form":
			t.Errorf("%s: has a <%s> element", name, n.Data)
		case "link":
			if rel, _ := attr(n, "rel"); rel != "icon" {
				t.Errorf("%s: has <link rel=%q>", name, rel)
			}
		}
		for _, a := range n.Attr {
			key, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(key, "on") {
				t.Errorf("%s: <%s> has an event handler %s=%q", name, n.Data, a.Key, a.Val)
			}
			if strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:") {
				t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
			}
			if (key == "src" || key == "srcset" || key == "poster" || key == "data") && !strings.HasPrefix(val, "data:") {
				t.Errorf("%s: <%s %s=%q> would load something", name, n.Data, a.Key, a.Val)
			}
			if key == "href" && n.Data != "a" && !strings.HasPrefix(val, "data:") {
				t.Errorf("%s: <%s href=%q> would load something", name, n.Data, a.Val)
			}
		}
	})
	if strings.Contains(page, "@import") || regexp.MustCompile(`url\(\s*['"]?(https?:|//)`).MatchString(page) {
		t.Errorf("%s: the stylesheet loads something", name)
	}
	csp := ""
	walk(parse(t, page), func(n *html.Node) {
		if v, _ := attr(n, "http-equiv"); n.Data == "meta" && strings.EqualFold(v, "Content-Security-Policy") {
			csp, _ = attr(n, "content")
		}
	})
	if csp != CSP {
		t.Errorf("%s: Content-Security-Policy meta is %q, want %q", name, csp, CSP)
	}
}

func TestReportPagesAreInert(t *testing.T) {
	for path, page := range pagesByPath(t, fixtureReport(t, 26, true, false)) {
		checkInert(t, path, page)
	}
}

// hostileNote is a note that tries to run code and to load things.
const hostileNote = `---
date: 2026-11-18
---
# 1:1 <em>title</em>

## Feedback
<script>alert(1)</script>

- An image: <img src=x onerror=alert(1)>
- [click](javascript:alert(1)) and ![pixel](https://tracker.example/p.png)
- <a href="https://evil.example" onclick="alert(1)">raw link</a>

<iframe src="https://evil.example"></iframe>
`

func hostileReport(t *testing.T, shareable bool) map[string]string {
	t.Helper()
	cfg := notes.DefaultConfig()
	prof, err := notes.ParseProfile("eve", []byte("---\nname: Eve <script>alert(2)</script>\n---\n<style>body{display:none}</style>\n\n## Private\nsecret profile text\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	old, err := notes.ParseNote("eve", "2026-10-01.md", []byte("## Private\n- [ ] Dana: secret stale task\n\n## Action items\n- [ ] Eve: shared stale task\n"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := notes.ParseNote("eve", "2026-11-18.md", []byte(hostileNote+"\n## PRIVATE\nsecret note text\n- [ ] Dana: secret new task\n- [ ] Dana: secret stale task (from 2026-10-01)\n\n## Action items\n- [ ] <b>bold</b> task\n- [ ] Eve: shared stale task (from 2026-10-01)\n"))
	if err != nil {
		t.Fatal(err)
	}
	team := &notes.Team{People: []*notes.Person{{Slug: "eve", Profile: prof, Notes: []*notes.Note{old, n}}}}
	rep := &Report{Team: team, Audit: notes.Audit(team, cfg, fixtureToday, notes.AuditOptions{}), Config: cfg,
		Today: fixtureToday, Weeks: 4, Shareable: shareable}
	return pagesByPath(t, rep)
}

func TestReportEscapesRawHTML(t *testing.T) {
	pages := hostileReport(t, false)
	page := pages["people/eve.html"]
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"&lt;img src=x onerror=alert(1)&gt;",
		"&lt;iframe src=&#34;https://evil.example&#34;&gt;&lt;/iframe&gt;",
		"Eve &lt;script&gt;alert(2)&lt;/script&gt;",
		"&lt;style&gt;body{display:none}&lt;/style&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	for path, p := range pages {
		checkInert(t, path, p)
	}
	doc := parse(t, page)
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "img" || n.Data == "style" && n.Parent.Data != "head") {
			t.Errorf("a <%s> element made it from the note into the page", n.Data)
		}
	})
	if !strings.Contains(page, `class="image-link">image: pixel</a>`) {
		t.Errorf("a remote image should become a link")
	}
	for _, secret := range []string{"secret note text", "secret profile text", "secret new task", "secret stale task"} {
		if !strings.Contains(page, secret) {
			t.Errorf("the private report should hold %q from a Private section", secret)
		}
	}
	if !strings.Contains(pages["index.html"], `&#34;Dana: secret stale task&#34;`) {
		t.Errorf("the private index should list the stale private action item")
	}
}

func TestReportShareableLeavesPrivateOut(t *testing.T) {
	pages := hostileReport(t, true)
	page := pages["people/eve.html"]
	for path, p := range pages {
		for _, secret := range []string{"secret", "PRIVATE", "Private</h"} {
			if strings.Contains(p, secret) {
				t.Errorf("the shareable %s holds %q", path, secret)
			}
		}
	}
	if !strings.Contains(page, "bold") || !strings.Contains(page, "Action items") || !strings.Contains(pages["index.html"], "Eve: shared stale task") {
		t.Errorf("the shareable report lost what is not private")
	}
	fixture := pagesByPath(t, fixtureReport(t, 8, false, true))
	for path, p := range fixture {
		for _, secret := range []string{"Flight risk", "Thinks about leaving"} {
			if strings.Contains(p, secret) {
				t.Errorf("%s: shareable page holds %q", path, secret)
			}
		}
	}
	if !strings.Contains(fixture["index.html"], "shareable") {
		t.Errorf("the shareable index should say so")
	}
}

func TestWithoutPrivate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\n\n## Private\nsecret\n\n## Next\nb\n", "a\n\n## Next\nb\n"},
		{"## private:\nsecret\n# Top\nkept\n", "# Top\nkept\n"},
		{"a\n## **Private**\nsecret\n### sub\nsecret too\n", "a\n"},
		{"a <!-- c -->\n", "a\n"},
		{"no sections\n", "no sections\n"},
		{"a\n### Private\nsecret\n## Next\nb\n", "a\n## Next\nb\n"},
		{"a\n## Private <!-- mine -->\nsecret\n", "a\n"},
	}
	for _, tc := range tests {
		if got := string(withoutPrivate([]byte(tc.in))); got != tc.want {
			t.Errorf("withoutPrivate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTimelineStructure checks the SVG: one row per report, one cell per week, a text alternative.
func TestTimelineStructure(t *testing.T) {
	for _, weeks := range []int{1, 8, 26} {
		pages := pagesByPath(t, fixtureReport(t, weeks, false, false))
		doc := parse(t, pages["index.html"])
		var svg *html.Node
		walk(doc, func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "svg" && hasClass(n, "timeline") {
				svg = n
			}
		})
		if svg == nil {
			t.Fatal("no timeline svg")
		}
		if role, _ := attr(svg, "role"); role != "img" {
			t.Errorf("timeline role = %q, want img", role)
		}
		var rows []string
		var desc string
		walk(svg, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			if n.Data == "desc" {
				desc = textOf(n)
			}
			if n.Data == "g" && hasClass(n, "row") {
				slug, _ := attr(n, "data-slug")
				rows = append(rows, slug)
				cells := 0
				walk(n, func(c *html.Node) {
					if c.Type == html.ElementNode && c.Data == "rect" && hasClass(c, "cell") {
						cells++
						if title := textOf(c); !strings.Contains(title, "week of") {
							t.Errorf("cell without a tooltip: %q", title)
						}
					}
				})
				if cells != weeks {
					t.Errorf("%d weeks: row %s has %d cells", weeks, slug, cells)
				}
			}
		})
		if got := strings.Join(rows, ","); got != "alice,bob,carol" {
			t.Errorf("rows = %s, want alice,bob,carol", got)
		}
		if !strings.Contains(desc, "Bob Smith: ") || !strings.Contains(desc, "overdue in") {
			t.Errorf("desc does not describe the rows: %q", desc)
		}
	}
}

func TestTimelineStates(t *testing.T) {
	cfg := notes.DefaultConfig()             // weekly, grace 2d
	today := notes.ParseDateOr("2026-11-25") // a Wednesday
	mk := func(date, front string) *notes.Note {
		n, err := notes.ParseNote("x", date+".md", []byte("---\n"+front+"\n---\n# n\n"))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	prof, err := notes.ParseProfile("x", []byte("---\nname: X\naway:\n  - from: 2026-10-19\n    to: 2026-10-25\n---\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &notes.Person{Slug: "x", Profile: prof, Notes: []*notes.Note{
		mk("2026-09-30", "kind: goals"),
		mk("2026-10-07", "status: held"),
		mk("2026-10-14", "status: cancelled"),
		mk("2026-11-04", "kind: regular"),
		mk("2026-11-27", "kind: regular"),
	}}
	row := Timeline(p, cfg, today, 10)
	want := map[string]string{
		"2026-09-21": CellNone,
		"2026-09-28": CellGoals,
		"2026-10-05": CellHeld,
		"2026-10-12": CellMissed, // cancelled; also overdue from the 17th
		"2026-10-19": CellAway,
		"2026-10-26": CellOverdue,
		"2026-11-02": CellHeld,
		"2026-11-09": CellOverdue, // the gap passes cadence plus grace on the 14th
		"2026-11-16": CellOverdue,
		"2026-11-23": CellOverdue, // overdue before the planned 1:1 on the 27th
	}
	if len(row.Weeks) != 10 {
		t.Fatalf("%d weeks", len(row.Weeks))
	}
	for _, w := range row.Weeks {
		if w.Start.Weekday() != time.Monday {
			t.Errorf("week %s does not start on a Monday", notes.FormatDate(w.Start))
		}
		if s, ok := want[notes.FormatDate(w.Start)]; ok && s != w.State {
			t.Errorf("week of %s: %s, want %s (%s)", notes.FormatDate(w.Start), w.State, s, w.Title)
		}
	}
	// a report who left shows as such
	prof.Archived = notes.ParseDateOr("2026-11-10")
	row = Timeline(p, cfg, today, 2)
	if row.Weeks[1].State != CellLeft {
		t.Errorf("after leaving: %s, want %s", row.Weeks[1].State, CellLeft)
	}
}

// The manager's absence greys the week like the report's, but the tooltip says whose it was.
func TestTimelineSaysWhoWasAway(t *testing.T) {
	cfg := notes.DefaultConfig()
	cfg.Away = []notes.Absence{{From: notes.ParseDateOr("2026-11-09"), To: notes.ParseDateOr("2026-11-15")}}
	today := notes.ParseDateOr("2026-11-25")
	prof, err := notes.ParseProfile("x", []byte("---\nname: X\naway:\n  - from: 2026-11-16\n    to: 2026-11-22\n---\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	row := Timeline(&notes.Person{Slug: "x", Profile: prof}, cfg, today, 3)
	titles := map[string]string{}
	for _, w := range row.Weeks {
		titles[notes.FormatDate(w.Start)] = w.Title
	}
	if !strings.Contains(titles["2026-11-09"], "you were away 7 days") {
		t.Errorf("manager's week: %q", titles["2026-11-09"])
	}
	if !strings.Contains(titles["2026-11-16"], "away 7 days") || strings.Contains(titles["2026-11-16"], "you") {
		t.Errorf("report's week: %q", titles["2026-11-16"])
	}
}
