package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/oneone/oneone/gitstore"
	"github.com/spf13/cobra"
)

func init() { register(newCloneCmd) }

// cloneInfo is the JSON shape of `oneone clone --json`.
type cloneInfo struct {
	Dir       string `json:"dir"`
	Remote    string `json:"remote"`
	Commits   int    `json:"commits"`
	Encrypted bool   `json:"encrypted"`
}

func newCloneCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "clone URL [DIR]",
		Short: "Set up the notes repository on another computer from its remote",
		Long: `Clone the notes repository from URL into DIR (default: --dir, $ONEONE_DIR,
else ~/oneone) and set origin, so that ` + "`oneone sync`" + ` works at once: the way to
bring your notes to a second computer. DIR must not exist or be empty; a clone
that fails leaves nothing behind.

Credentials as for sync: ssh-agent or ~/.ssh keys for ssh URLs,
ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME) or ~/.git-credentials for https.
A token written into the URL serves this clone only: it is never stored.

An encrypted remote (oneone remote URL --encrypt) is recognised by itself:
this computer's key (` + "`oneone key`" + `) must be among its recipients first (on a
computer that reads it: ` + "`oneone recipients add KEY`" + ` and ` + "`oneone sync`" + `).`,
		Example: `  oneone clone git@github.com:dana/oneone-notes.git
  oneone clone https://github.com/dana/oneone-notes.git ~/notes
  oneone clone /media/usb/notes.git`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := a.Dir
			if len(args) == 2 {
				dir = args[1]
			}
			if dir == "" {
				dir = a.Getenv("ONEONE_DIR")
			}
			if dir == "" {
				home := a.Getenv("HOME")
				if home == "" {
					home, _ = os.UserHomeDir()
				}
				dir = filepath.Join(home, "oneone")
				if err := a.homeDefault(dir, "clone URL"); err != nil {
					return err
				}
			}
			opts := gitstore.SyncOptions{Getenv: a.Getenv, Home: a.Getenv("HOME")}
			done := func() {}
			if f, ok := a.Stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
				opts.Progress, done = progressLine(f, "receiving")
			}
			st, res, err := gitstore.Clone(args[0], dir, opts)
			done()
			if err != nil {
				return cloneError{err}
			}
			shown := gitstore.Redact(args[0])
			if shown != args[0] {
				a.infof("oneone: the credentials in the URL served this clone only and were not saved: for sync set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME if your host needs your user name), or put them in ~/.git-credentials")
			}
			syncTalk(a, res)
			if a.JSON {
				return a.printJSON(cloneInfo{Dir: st.Dir(), Remote: shown, Commits: res.PulledCommits, Encrypted: st.Encrypted()})
			}
			what := ""
			if st.Encrypted() {
				what = ", end-to-end encrypted"
			}
			fmt.Fprintf(a.Stdout, "cloned %s into %s (%s%s)\n", shown, st.Dir(), syncPlural(res.PulledCommits, "commit"), what)
			if a.Dir == "" && len(args) == 2 {
				a.infof("next: oneone --dir %s people (or set ONEONE_DIR=%s)", st.Dir(), st.Dir())
			} else {
				a.infof("next: oneone people; `oneone sync` keeps both computers in step")
			}
			return nil
		},
	}
}

// cloneError words sync's errors for a clone: there are no notes on this
// computer yet to be "committed locally", and the fix is the same clone again
// (or the URL), not `oneone sync` or `oneone remote`.
type cloneError struct{ err error }

var cloneWording = strings.NewReplacer(
	"your notes are committed locally; run `oneone sync` again", "nothing was cloned; run the same `oneone clone` again",
	"(your notes are committed locally)", "(nothing was cloned)",
	"then run `oneone sync` again", "then run the same `oneone clone` again",
	"check the URL with `oneone remote`", "check the URL",
)

func (e cloneError) Error() string {
	if errors.Is(e.err, gitstore.ErrOriginShared) { // a report's repository: theirs to join, not notes to clone
		return strings.Replace(e.err.Error(), "give origin an empty private repository of its own (`oneone remote URL`); nothing was pushed nor applied",
			"a report sets it up with `oneone join URL`; nothing was cloned", 1)
	}
	return cloneWording.Replace(e.err.Error())
}
func (e cloneError) Unwrap() error { return e.err }

// progressLine returns a progress callback that rewrites one line of w (a
// terminal) at most ten times a second, and a function that clears it.
func progressLine(w io.Writer, what string) (func(int64), func()) {
	var mu sync.Mutex
	var last time.Time
	shown := false
	return func(n int64) {
			mu.Lock()
			defer mu.Unlock()
			if time.Since(last) < 100*time.Millisecond {
				return
			}
			last, shown = time.Now(), true
			fmt.Fprintf(w, "\r%s %.1f MiB ", what, float64(n)/(1<<20))
		}, func() {
			mu.Lock()
			defer mu.Unlock()
			if shown {
				fmt.Fprint(w, "\r\x1b[K")
			}
		}
}
