package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/oneone/oneone/health"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/org"
)

// orgFixture rolls up three managers: dana 4 reports (one overdue, one under
// 80%, one never met, one on cadence), lee 2 on cadence, sam stale; plus a
// file that is not a summary.
func orgFixture(t *testing.T) *org.Rollup {
	t.Helper()
	held := "2026-11-20"
	rep := func(share float64, days int, met bool) health.Report {
		r := health.Report{Slug: "SECRET-SLUG", Name: "SECRET NAME", CadenceDays: 7, OnCadence: share, DaysOverdue: days, Held: 5}
		if met {
			r.LastHeld = &held
		}
		return r
	}
	sum := func(asOf string, overdue int, reps ...health.Report) []byte {
		b, err := json.Marshal(health.Summary{Manager: "M", AsOf: asOf, WindowDays: 90, Reports: reps,
			Team: health.Team{Reports: len(reps), Overdue: overdue, Prepared: 0.75, ReportTopics: 0.5}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	files := []org.File{
		{Path: "managers/dana.json", Data: sum("2026-11-25", 1, rep(1, 12, true), rep(0.5, 0, true), rep(0, 0, false), rep(0.9, 0, true))},
		{Path: "managers/lee.json", Data: sum("2026-11-24", 0, rep(1, 0, true), rep(0.85, 1, true))},
		{Path: "managers/sam.json", Data: sum("2026-10-01", 0, rep(1, 0, true))},
		{Path: "managers/junk.json", Data: []byte("<script>alert(1)</script>")},
	}
	return org.Roll(files, notes.ParseDateOr("2026-11-25"))
}

func TestOrgPageSelfContained(t *testing.T) {
	roll := orgFixture(t)
	page, err := OrgPage(roll, "3 of 6 reports had their 1:1s on cadence over the last 90 days")
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{`http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`, `<meta name="generator" content="oneone">`, "3 of 6 reports had their 1:1s on cadence",
		`class="stale"`, "managers/junk.json", `aria-label="1 of 4 reports on cadence"`, "@media print"} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "SECRET", "src=", "href=", "url(", "@import"} {
		if strings.Contains(s, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
}

// TestOrgPageBrowser opens the organisation's page in headless Chromium from
// disk: a row per manager, a square per report in its strip with the right
// colour, a screenshot and a PDF (printable), and no request leaves the page.
func TestOrgPageBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("no " + chromiumPath + ": install Debian's chromium to run the browser test")
	}
	srv := startHitServer(t)
	roll := orgFixture(t)
	page, err := OrgPage(roll, "3 of 6 reports had their 1:1s on cadence over the last 90 days")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	index := filepath.Join(dir, "index.html")
	if err := os.WriteFile(index, page, 0o600); err != nil {
		t.Fatal(err)
	}
	dom := chromium(t, index, "--dump-dom")
	doc, err := html.Parse(strings.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	strips := map[string][]string{} // manager -> the squares' classes
	walk(doc, func(tr *html.Node) {
		if tr.Type != html.ElementNode || tr.Data != "tr" {
			return
		}
		var name string
		walk(tr, func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "th" && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
				if v, _ := attr(n, "scope"); v == "row" {
					name = n.FirstChild.Data
				}
			}
			if n.Type == html.ElementNode && n.Data == "rect" {
				c, _ := attr(n, "class")
				strips[name] = append(strips[name], c)
			}
		})
	})
	want := map[string]string{"dana": "s-overdue s-under s-never s-on", "lee": "s-on s-on", "sam": "s-on"}
	for name, w := range want {
		if got := strings.Join(strips[name], " "); got != w {
			t.Errorf("%s's strip in the browser: %q, want %q", name, got, w)
		}
	}
	if len(strips) != len(want) {
		t.Errorf("rows in the browser: %v", strips)
	}
	shot := filepath.Join(dir, "org.png")
	if keep := os.Getenv("ONEONE_KEEP_SHOT"); keep != "" {
		defer func() { b, _ := os.ReadFile(shot); _ = os.WriteFile(keep, b, 0o600) }()
	}
	chromium(t, index, "--screenshot="+shot, "--window-size=1280,1600", "--hide-scrollbars")
	checkScreenshot(t, shot) // on cadence green and overdue red are drawn
	pdf := filepath.Join(dir, "org.pdf")
	chromium(t, index, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") || len(b) < 1000 {
		t.Errorf("no printable PDF: %v", err)
	}
	if hits := srv.paths(); len(hits) > 0 {
		t.Errorf("the page made requests: %v", hits)
	}
}
