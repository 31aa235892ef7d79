package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newReportCmd) }

type reportOptions struct {
	html      string
	weeks     int
	force     bool
	shareable bool
	all       bool
}

// maxWeeks bounds --weeks: five years of weekly cells.
const maxWeeks = 260

func newReportCmd(a *App) *cobra.Command {
	o := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report --html DIR",
		Short: "A static HTML report: team cadence timeline, per-report pages",
		Long: `Write a static, self-contained HTML report into DIR: index.html with the team
summary, a cadence timeline (one row per report, one square per week), the
audit findings and the open action items; and people/SLUG.html for each report
with the profile, the themes and every note. The pages load nothing from the
network (inline CSS and SVG, no JavaScript) and open from disk.

The report holds the notes in clear: DIR must be outside the notes repository
(--force to write there anyway); DIR is created with mode 0700 and the files
with 0600. --shareable leaves every Private section of the notes out.
Pages of reports no longer in the report are removed from DIR/people.
Prints the path of index.html.`,
		Example: `  oneone report --html ~/oneone-report
  oneone report --html /tmp/team --weeks 52 --all
  oneone report --html /tmp/share --shareable
  ONEONE_TODAY=2026-11-25 oneone --dir examples/team report --html /tmp/report`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return a.runReport(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.html, "html", "", "write the HTML report into `DIR` (required)")
	f.IntVar(&o.weeks, "weeks", render.DefaultWeeks, "weeks shown in the cadence timeline")
	f.BoolVar(&o.force, "force", false, "write the report even inside the notes repository")
	f.BoolVar(&o.shareable, "shareable", false, "leave every Private section of the notes out")
	f.BoolVar(&o.all, "all", false, "include reports who have left (archived)")
	_ = cmd.MarkFlagDirname("html")
	return cmd
}

func (a *App) runReport(o *reportOptions) error {
	if o.html == "" {
		return errors.New("report needs a folder to write to: `oneone report --html DIR`")
	}
	if o.weeks < 1 || o.weeks > maxWeeks {
		return fmt.Errorf("--weeks %d is out of range: use 1 to %d", o.weeks, maxWeeks)
	}
	today, err := a.Today()
	if err != nil {
		return err
	}
	r, err := a.Repo()
	if err != nil {
		return err
	}
	dir, err := filepath.Abs(o.html)
	if err != nil {
		return fmt.Errorf("report folder %s: %w", o.html, err)
	}
	if !o.force {
		inside, err := within(dir, r.Root)
		if err != nil {
			return err
		}
		if inside {
			return fmt.Errorf("%s is inside the notes repository %s, and the report holds the notes in clear: choose a folder outside it, or pass --force", o.html, r.Root)
		}
	}
	team, err := r.Load()
	if err != nil {
		return err
	}
	audit := notes.Audit(team, r.Config, today, notes.AuditOptions{All: o.all})
	rep := &render.Report{Team: team, Audit: audit, Config: r.Config, Today: today, Weeks: o.weeks,
		All: o.all, Shareable: o.shareable}
	pages, err := rep.Pages()
	if err != nil {
		return err
	}
	if err := writeReport(dir, pages); err != nil {
		return err
	}
	index := filepath.Join(filepath.Clean(o.html), "index.html")
	if a.JSON {
		files := make([]string, len(pages))
		for i, p := range pages {
			files[i] = filepath.Join(filepath.Clean(o.html), filepath.FromSlash(p.Path))
		}
		return a.printJSON(struct {
			Index string   `json:"index"`
			Files []string `json:"files"`
		}{index, files})
	}
	_, err = fmt.Fprintln(a.Stdout, index)
	return err
}

// writeReport writes the pages into dir (created 0700), each file atomically
// with mode 0600, never outside dir, and removes the pages of reports that are
// no longer in the report.
func writeReport(dir string, pages []render.Page) error {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("report folder %s is a symbolic link; oneone does not write through links: give the real folder", dir)
	}
	if err := notes.MkdirPrivate(dir); err != nil {
		return fmt.Errorf("report folder: %w: choose another folder", err)
	}
	// Check every file before writing any: a file of the user's (or a link)
	// where a page goes stops the report with nothing changed.
	for _, p := range pages {
		path, err := pagePath(dir, p)
		if err != nil {
			return err
		}
		fi, err := notes.RegularOrMissing(path)
		if err != nil {
			return err
		}
		if fi != nil && !generatedByOneone(path) {
			return fmt.Errorf("%s was not written by oneone: choose an empty folder (or remove the file)", path)
		}
	}
	written := map[string]bool{}
	for _, p := range pages {
		path, err := pagePath(dir, p) // again: a folder made since must not lead out
		if err != nil {
			return err
		}
		parent := filepath.Dir(path)
		if err := notes.MkdirPrivate(parent); err != nil {
			return fmt.Errorf("report folder: %w: remove it or choose another folder", err)
		}
		if err := notes.WriteFileAtomic(path, p.Data); err != nil {
			return err
		}
		written[path] = true
	}
	people := filepath.Join(dir, "people")
	entries, _ := os.ReadDir(people)
	for _, e := range entries {
		name := e.Name()
		slug, ok := strings.CutSuffix(name, ".html")
		path := filepath.Join(people, name)
		if !ok || notes.ValidateSlug(slug) != nil || !e.Type().IsRegular() || written[path] || !generatedByOneone(path) {
			continue // never remove what oneone did not write
		}
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("remove the old page %s: %w", path, err)
		}
	}
	notes.CleanTemp(dir)
	notes.CleanTemp(people)
	return nil
}

// pagePath is where page p goes in dir, refused when it would lead out of dir.
func pagePath(dir string, p render.Page) (string, error) {
	path := filepath.Join(dir, filepath.FromSlash(p.Path))
	if inside, err := within(path, dir); err != nil {
		return "", err
	} else if !inside || path == dir {
		return "", fmt.Errorf("refusing to write %s: it is outside the report folder %s", path, dir)
	}
	return path, nil
}

// generatedByOneone reports whether the HTML file at path is a page oneone wrote.
func generatedByOneone(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2048)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], []byte(`<meta name="generator" content="oneone">`))
}

// within reports whether path is root or inside it, after resolving the
// symbolic links of the parts that exist.
func within(path, root string) (bool, error) {
	p, err := realPath(path)
	if err != nil {
		return false, err
	}
	r, err := realPath(root)
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(r, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)), nil
}

// realPath makes path absolute and resolves the symbolic links of its longest existing prefix.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(real, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}
