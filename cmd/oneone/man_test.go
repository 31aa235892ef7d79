package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneone/oneone/internal/manpage"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The manual is generated from the command tree: a page for every command a
// user can run, with its synopsis, description, every flag and the examples,
// the version and date given, and the same bytes for the same commit.
func TestManPagesCoverEveryCommand(t *testing.T) {
	root := (&App{Getenv: func(string) string { return "" }}).rootCmd()
	dir := t.TempDir()
	date := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	if err := manpage.Write(root, dir, "v1.4.0", date); err != nil {
		t.Fatal(err)
	}
	var walk func(c *cobra.Command)
	pages := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if !c.IsAvailableCommand() && c != root {
			return
		}
		pages++
		name := strings.ReplaceAll(c.CommandPath(), " ", "-")
		b, err := os.ReadFile(filepath.Join(dir, name+".1"))
		if err != nil {
			t.Errorf("no page for %q: %v", c.CommandPath(), err)
			return
		}
		page := string(b)
		for _, want := range []string{
			`.TH "ONEONE" "1" "Nov 2026" "oneone v1.4.0" "oneone manual"`,
			".SH NAME\n" + name + " - " + c.Short,
			".SH SYNOPSIS",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s.1 lacks %q", name, want)
			}
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && !strings.Contains(page, `\fB--`+f.Name+`\fP`) {
				t.Errorf("%s.1 lacks its flag --%s", name, f.Name)
			}
		})
		if c.Example != "" && !strings.Contains(page, ".SH EXAMPLE") {
			t.Errorf("%s.1 lacks its examples", name)
		}
		if strings.Contains(page, "Auto generated") {
			t.Errorf("%s.1 carries a generation stamp: not reproducible", name)
		}
	}
	walk(root)
	entries, _ := os.ReadDir(dir)
	if pages < 20 || len(entries) != pages {
		t.Errorf("%d pages written for %d commands", len(entries), pages)
	}
	for _, must := range []string{"oneone.1", "oneone-audit.1", "oneone-theme-done.1"} {
		if _, err := os.Stat(filepath.Join(dir, must)); err != nil {
			t.Errorf("missing %s", must)
		}
	}

	again := t.TempDir()
	if err := manpage.Write((&App{Getenv: func(string) string { return "" }}).rootCmd(), again, "v1.4.0", date); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b, _ := os.ReadFile(filepath.Join(again, e.Name()))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", e.Name())
		}
	}
}
