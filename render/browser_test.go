package render

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/oneone/oneone/notes"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium on a file with extra flags and returns its stdout.
func chromium(t *testing.T, file string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	args = append(args, extra...)
	args = append(args, "file://"+filepath.ToSlash(file))
	cmd := exec.CommandContext(ctx, chromiumPath, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, stderr.String())
	}
	return string(out)
}

// hitServer counts the requests it gets: nothing in the report may reach it.
type hitServer struct {
	mu   sync.Mutex
	hits []string
	url  string
}

func startHitServer(t *testing.T) *hitServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback listener: %v", err)
	}
	s := &hitServer{url: "http://" + ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits = append(s.hits, r.URL.Path)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "image/png")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *hitServer) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hits...)
}

// TestBrowser opens the fixture team's report in headless Chromium from disk:
// the timeline has one row per report with the expected cells, a screenshot
// is made, and no request leaves the page.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("no " + chromiumPath + ": install Debian's chromium to run the browser test")
	}
	srv := startHitServer(t)

	// the fixture team, plus a note that tries to load things from the server
	rep := fixtureReport(t, 26, false, false)
	hostile := fmt.Sprintf("## Feedback\n![pixel](%[1]s/markdown-image.png)\n\n<img src=\"%[1]s/raw-img.png\">\n\n"+
		"<link rel=\"stylesheet\" href=\"%[1]s/raw.css\">\n\n- <iframe src=\"%[1]s/frame\"></iframe> [a link](%[1]s/link)\n", srv.url)
	n, err := notes.ParseNote("alice", "2026-11-20.md", []byte(hostile))
	if err != nil {
		t.Fatal(err)
	}
	var alice *notes.Person
	for _, p := range rep.Team.People {
		if p.Slug == "alice" {
			alice = p
		}
	}
	alice.Notes = append(alice.Notes, n)

	dir := t.TempDir()
	pages, err := rep.Pages()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		path := filepath.Join(dir, filepath.FromSlash(p.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, p.Data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// a control page without the report's defences proves the server can be reached
	control := filepath.Join(dir, "control.html")
	if err := os.WriteFile(control, []byte(`<!DOCTYPE html><title>c</title><img src="`+srv.url+`/control.png">`), 0o600); err != nil {
		t.Fatal(err)
	}

	// the timeline as the browser sees it
	dom := chromium(t, filepath.Join(dir, "index.html"), "--dump-dom")
	doc, err := html.Parse(strings.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Week{}
	for _, p := range rep.people() {
		want[p.Slug] = Timeline(p, rep.Config, rep.Today, 26).Weeks
	}
	var rows []string
	var timeline, checkins *html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "svg" && hasClass(n, "timeline") {
			timeline = n
		}
		if n.Type == html.ElementNode && n.Data == "svg" && hasClass(n, "checkins") {
			checkins = n
		}
	})
	if timeline == nil || checkins == nil {
		t.Fatalf("the index lacks the timeline (%v) or the check-ins chart (%v)", timeline != nil, checkins != nil)
	}
	walk(timeline, func(g *html.Node) {
		if g.Type != html.ElementNode || g.Data != "g" || !hasClass(g, "row") {
			return
		}
		slug, _ := attr(g, "data-slug")
		rows = append(rows, slug)
		var cells []*html.Node
		walk(g, func(c *html.Node) {
			if c.Type == html.ElementNode && c.Data == "rect" && hasClass(c, "cell") {
				cells = append(cells, c)
			}
		})
		if len(cells) != len(want[slug]) {
			t.Errorf("row %s: %d cells in the browser, want %d", slug, len(cells), len(want[slug]))
			return
		}
		for i, c := range cells {
			w := want[slug][i]
			week, _ := attr(c, "data-week")
			if !hasClass(c, w.State) || week != notes.FormatDate(w.Start) {
				class, _ := attr(c, "class")
				t.Errorf("row %s cell %d: class %q week %s, want %s %s", slug, i, class, week, w.State, notes.FormatDate(w.Start))
			}
		}
	})
	if got := strings.Join(rows, ","); got != "alice,bob,carol" {
		t.Errorf("timeline rows in the browser: %s, want alice,bob,carol", got)
	}
	// the check-ins chart: the same rows and weeks, each week's mood and feedback as computed
	rows = nil
	walk(checkins, func(g *html.Node) {
		if g.Type != html.ElementNode || g.Data != "g" || !hasClass(g, "row") {
			return
		}
		slug, _ := attr(g, "data-slug")
		rows = append(rows, slug)
		var p *notes.Person
		for _, q := range rep.people() {
			if q.Slug == slug {
				p = q
			}
		}
		wantWeeks := Checkins(p, rep.Today, 26).Weeks
		var got []string
		for c := g.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.Data != "g" && c.Data != "rect") {
				continue
			}
			week, _ := attr(c, "data-week")
			desc := week
			walk(c, func(m *html.Node) {
				if m.Type == html.ElementNode && m.Data == "rect" {
					class, _ := attr(m, "class")
					desc += " " + class
				}
			})
			got = append(got, desc)
		}
		if len(got) != len(wantWeeks) {
			t.Errorf("check-ins row %s: %d weeks in the browser, want %d", slug, len(got), len(wantWeeks))
			return
		}
		for i, w := range wantWeeks {
			want := notes.FormatDate(w.Start)
			switch {
			case w.Mood == 0 && w.Feedback == "":
				want += " mood none"
			case w.Mood == 0:
				want += " mood unknown fb " + w.Feedback
			default:
				want += fmt.Sprintf(" mood m%d", w.Mood)
				if w.Feedback != "" {
					want += " fb " + w.Feedback
				}
			}
			if got[i] != want {
				t.Errorf("check-ins row %s week %d: %q, want %q", slug, i, got[i], want)
			}
		}
	})
	if got := strings.Join(rows, ","); got != "alice,bob,carol" {
		t.Errorf("check-ins rows in the browser: %s, want alice,bob,carol", got)
	}
	for _, class := range []string{"mood m2", "mood m4", "fb both", "fb to-improve"} {
		if !strings.Contains(dom, `class="`+class+`"`) {
			t.Errorf("the fixture should show a %q mark", class)
		}
	}
	for _, state := range []string{CellGoals, CellHeld, CellMissed, CellOverdue, CellPlanned, CellNone} {
		if !strings.Contains(dom, `class="cell `+state+`"`) {
			t.Errorf("the fixture should show a %s cell", state)
		}
	}

	// the person page with the hostile note, and a screenshot of the index
	chromium(t, filepath.Join(dir, "people", "alice.html"), "--dump-dom")
	shot := filepath.Join(dir, "report.png")
	chromium(t, filepath.Join(dir, "index.html"), "--screenshot="+shot, "--window-size=1280,1600", "--hide-scrollbars")
	checkScreenshot(t, shot)

	if hits := srv.paths(); len(hits) > 0 {
		t.Errorf("the report made requests: %v", hits)
	}
	chromium(t, control, "--dump-dom")
	if hits := srv.paths(); len(hits) == 0 {
		t.Logf("the control page reached no server either: this browser blocks file:// pages from the network, so the no-request check proves little here")
	}
}

// checkScreenshot asserts a 1280x1600 PNG that shows the timeline's colours.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 1600 {
		t.Errorf("screenshot is %dx%d, want 1280x1600", b.Dx(), b.Dy())
	}
	// held (#2da44e) and overdue (#cf222e) appear in the timeline
	for _, c := range []struct {
		name    string
		r, g, b int
	}{{"held green", 0x2d, 0xa4, 0x4e}, {"overdue red", 0xcf, 0x22, 0x2e}} {
		if !hasColour(img, c.r, c.g, c.b) {
			t.Errorf("the screenshot shows no %s: is the timeline drawn?", c.name)
		}
	}
}

func hasColour(img image.Image, r, g, b int) bool {
	near := func(a uint32, want int) bool { d := int(a>>8) - want; return d > -12 && d < 12 }
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if near(cr, r) && near(cg, g) && near(cb, b) {
				return true
			}
		}
	}
	return false
}
