package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/oneone/oneone/render"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of cols columns: the terminal side for the
// command's stdout, and the side that reads what it printed.
func openPTY(t *testing.T, cols int) (term, screen *os.File) {
	t.Helper()
	screen, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	fd := int(screen.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	term, err = os.OpenFile(filepath.Join("/dev/pts", strconv.Itoa(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(term.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 50, Col: uint16(cols)}); err != nil {
		t.Fatal(err)
	}
	return term, screen
}

// onTerminal runs oneone with stdout on a terminal of cols columns and returns what it showed.
func onTerminal(t *testing.T, cols int, env map[string]string, args ...string) string {
	t.Helper()
	term, screen := openPTY(t, cols)
	done := make(chan []byte)
	go func() {
		var b bytes.Buffer
		_, err := io.Copy(&b, screen)
		if err != nil && !errors.Is(err, syscall.EIO) { // EIO: the terminal side is closed
			t.Errorf("reading the terminal: %v", err)
		}
		done <- b.Bytes()
	}()
	var stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), term, &stderr, func(k string) string { return env[k] })
	term.Close()
	out := <-done
	screen.Close()
	if code == exitError {
		t.Fatalf("oneone %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n") // the terminal's own line endings
}

// column returns the text of each line between the cells from and to (to < 0: the end), trimmed.
func column(lines []string, from, to int) []string {
	var out []string
	for _, l := range lines {
		var b strings.Builder
		cell := 0
		for _, r := range l {
			if cell >= from && (to < 0 || cell < to) {
				b.WriteRune(r)
			}
			cell += render.Width(string(r))
		}
		out = append(out, strings.TrimSpace(b.String()))
	}
	return out
}

// On a 60-column terminal, audit, actions and next wrap a long message under
// itself instead of cutting it; nothing is wider than the terminal.
func TestNarrowTerminalWrapsInsteadOfCutting(t *testing.T) {
	team, err := filepath.Abs("../../examples/team")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ONEONE_TODAY": "2026-11-25", "TERM": "xterm", "HOME": t.TempDir()}
	plain := strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "", "\x1b[31m", "", "\x1b[33m", "")
	tests := []struct {
		args          []string
		header, until string // the wrapped column: from its header to the next one ("" : to the end)
		whole         string
	}{
		{[]string{"audit"}, "MESSAGE", "FILE", `theme "Hand over on-call ownership to the SRE team" was due 2026-11-10, 15 days ago: mark it done or dropped`},
		{[]string{"actions"}, "ACTION ITEM", "FROM", "Priya: shrink the decision meeting to the deciders, others get the notes"},
		{[]string{"next"}, "", "", "Take over on-call ownership from the platform team (due 2026-12-23, last at-risk)"},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			out := onTerminal(t, 60, env, append([]string{"--dir", team}, tt.args...)...)
			out = plain.Replace(out)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for _, l := range lines {
				if w := render.Width(l); w > 60 {
					t.Errorf("a line of %d cells on a 60-column terminal: %q", w, l)
				}
			}
			if strings.Contains(out, "…") {
				t.Errorf("nothing is cut:\n%s", out)
			}
			var text []string
			if tt.header != "" {
				var head string
				for _, l := range lines {
					if strings.Contains(l, tt.header) {
						head = l
						break
					}
				}
				from, to := strings.Index(head, tt.header), strings.Index(head, tt.until)
				if from < 0 || to < 0 {
					t.Fatalf("no %s header:\n%s", tt.header, out)
				}
				text = column(lines, from, to)
			} else { // next: a value continues under itself, 14 cells in
				for _, l := range lines {
					if strings.HasPrefix(l, "  ") && len(l) > 14 {
						text = append(text, strings.TrimSpace(l[min(14, len(l)):]))
					}
				}
			}
			if !strings.Contains(strings.Join(text, " "), tt.whole) {
				t.Errorf("%q should be there whole, under itself:\n%s", tt.whole, out)
			}
			// piped, the same command prints each message on its own one line
			var piped, stderr bytes.Buffer
			Main(append([]string{"--dir", team}, tt.args...), strings.NewReader(""), &piped, &stderr, func(k string) string { return env[k] })
			found := false
			for _, l := range strings.Split(piped.String(), "\n") {
				found = found || strings.Contains(l, tt.whole)
			}
			if !found {
				t.Errorf("piped: %q should be on one line:\n%s", tt.whole, piped.String())
			}
		})
	}
}
