package main

import (
	"fmt"
	"strings"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(syncCmd) }

// syncJSON is the JSON shape of `oneone sync --json`.
type syncJSON struct {
	Remote    string         `json:"remote"`
	Committed []string       `json:"committed"`
	Pulled    bool           `json:"pulled"`
	Merged    bool           `json:"merged"`
	Pushed    bool           `json:"pushed"`
	UpToDate  bool           `json:"up_to_date"`
	Conflicts []conflictJSON `json:"conflicts"`
	Shares    []shareJSON    `json:"shares"` // one per report who shares (shareserve.go)
}

type conflictJSON struct {
	Path string `json:"path"`
	Copy string `json:"copy"`
}

func syncCmd(a *App) *cobra.Command {
	var branch string
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Commit pending edits, merge the remote's notes and push",
		Long: `Commit every note edited by hand (new, changed and deleted files), fetch
origin, bring its changes in and push yours. When both sides changed, notes
are merged file by file and line by line. When the same lines changed on both
sides, your file stays as it is and the remote's version is kept beside it as
<name>.conflict-<hash>.md: compare the two, keep what you want in the
original, delete the copy and run sync again. No text is ever lost.

Credentials: ssh-agent or ~/.ssh keys for ssh URLs (host keys are checked
against ~/.ssh/known_hosts); ONEONE_GIT_TOKEN and ONEONE_GIT_USERNAME, or
~/.git-credentials, for https.

Branches: your branch syncs with origin's branch of the same name, else with
origin's default branch (or its only branch), which oneone then remembers.
When that is ambiguous, sync names origin's branches: choose one with
--branch NAME, remembered too.

Shared agendas (oneone share): sync also serves every report who shares,
with or without origin: it fetches their repository, brings their topics and
ticked action items into the notes (committed and pushed to origin), and
publishes the shareable agenda. A shared agenda that cannot be served is named
on stderr, one line each, and sync exits 2 once everything else is done.
Inside a shared agenda a report joined (oneone join), sync pulls and pushes it.`,
		Example: `  oneone remote git@github.com:dana/oneone-notes.git
  oneone sync
  ONEONE_GIT_TOKEN=ghp_... oneone sync
  oneone sync --json
  oneone sync --branch master`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir := a.joinedDir(); dir != "" { // the report's side of a shared agenda
				return runJoinedSync(a, dir, branch)
			}
			r, err := a.Repo()
			if err != nil {
				return err
			}
			st, err := gitstore.Open(r.Root)
			if err != nil {
				return err
			}
			opts := a.syncOpts(st, r.Config.Manager)
			opts.Branch = branch
			probes := a.probeShares(r, st, opts) // every report's shared agenda (shareserve.go), asked meanwhile
			res, err := st.Sync(opts)
			syncWarnings(a, res)
			shares, err := a.syncShares(r, st, opts, probes, res, err)
			for _, o := range shares {
				for _, l := range o.Lines {
					a.infof("%s", shownPath(l)) // names from the report's repository: no control character reaches the terminal
				}
			}
			publishAfterSync(a, r, err != nil) // the organisation's summary, origin or not (org.go)
			if err != nil {
				if res != nil && len(res.Committed) > 0 && !a.JSON {
					a.infof("committed %s: %s", syncPlural(len(res.Committed), "file"), strings.Join(res.Committed, ", "))
				}
				if !a.JSON {
					for _, line := range shareLines(shares) {
						fmt.Fprintln(a.Stdout, line)
					}
				}
				if serr := shareErrors(a, shares); serr != nil {
					a.infof("oneone: %s", a.scrub(oneLine(serr.Error())))
				}
				return err
			}
			if a.JSON {
				out := syncJSON{Remote: res.Remote, Committed: res.Committed, Pulled: res.Pulled, Merged: res.Merged,
					Pushed: res.Pushed, UpToDate: res.UpToDate, Conflicts: []conflictJSON{}, Shares: []shareJSON{}}
				if out.Committed == nil {
					out.Committed = []string{}
				}
				for _, c := range res.Conflicts {
					out.Conflicts = append(out.Conflicts, conflictJSON{c.Path, c.Copy})
				}
				for _, o := range shares {
					out.Shares = append(out.Shares, o.json(a))
					for _, c := range o.Copies {
						out.Conflicts = append(out.Conflicts, conflictJSON{c.Of, c.Copy})
					}
				}
				if err := a.printJSON(out); err != nil {
					return err
				}
				return shareErrors(a, shares)
			}
			for _, line := range syncReport(res) {
				fmt.Fprintln(a.Stdout, line)
			}
			for _, line := range shareLines(shares) {
				fmt.Fprintln(a.Stdout, line)
			}
			return shareErrors(a, shares)
		},
	}
	cmd.Flags().StringVar(&branch, "branch", "", "origin's branch to sync with, remembered for the next syncs")
	return cmd
}

func (a *App) syncOpts(st *gitstore.Store, manager string) gitstore.SyncOptions {
	return gitstore.SyncOptions{Author: st.DefaultAuthor(manager), Getenv: a.Getenv, Home: a.Getenv("HOME")}
}

// syncReport describes a sync in plain lines.
func syncReport(res *gitstore.SyncResult) []string {
	var out []string
	if res.NewUpstream && res.Upstream != res.Branch {
		out = append(out, fmt.Sprintf("your branch %s now syncs with origin's branch %s", res.Branch, res.Upstream))
	}
	if n := len(res.Committed); n > 0 {
		out = append(out, fmt.Sprintf("committed %s: %s", syncPlural(n, "file"), strings.Join(res.Committed, ", ")))
	}
	switch {
	case res.UpToDate:
		out = append(out, "up to date with origin ("+res.Remote+")")
	default:
		if res.Merged {
			out = append(out, "merged the changes from origin ("+res.Remote+")")
		} else if res.Pulled {
			out = append(out, "pulled the changes from origin ("+res.Remote+")")
		}
		if res.Pushed {
			out = append(out, "pushed to origin ("+res.Remote+")")
		}
		if !res.Pulled && !res.Pushed {
			out = append(out, "origin already has everything ("+res.Remote+")")
		}
	}
	for _, c := range res.Conflicts {
		out = append(out,
			fmt.Sprintf("conflict: %s was changed on both sides; yours is kept, the remote version is in %s", c.Path, c.Copy),
			fmt.Sprintf("  to resolve: compare the two files, keep what you want in %s, delete %s, then run `oneone sync`", c.Path, c.Copy))
	}
	return out
}

// syncWarnings says, once per file, which files sync left alone because of their names.
func syncWarnings(a *App, res *gitstore.SyncResult) {
	if res == nil {
		return
	}
	for _, p := range res.Skipped {
		a.infof("oneone: warning: %s: not synced: %s: rename it, then run `oneone sync`", shownPath(p), gitstore.UnsafeReason(p))
	}
	for _, p := range res.Unwritten {
		a.infof("oneone: warning: %s: from origin, kept in git but not written to disk: %s: rename it on the computer that added it", shownPath(p), gitstore.UnsafeReason(p))
	}
}

// shownPath is a repository path safe to print on one terminal line.
func shownPath(p string) string {
	p = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return '\uFFFD'
		}
		return r
	}, p)
	return string(render.Sanitize([]byte(p), false))
}

func syncPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// autoSync syncs after a command committed, when oneone.yaml says `sync: auto`. It fails
// soft: the local commit is kept and a sync error is only a warning.
func autoSync(a *App, st *gitstore.Store) {
	manager := ""
	if cfg, err := a.Config(); err == nil {
		manager = cfg.Manager
	}
	r, rerr := a.Repo()
	opts := a.syncOpts(st, manager)
	res, err := st.Sync(opts)
	syncWarnings(a, res)
	var shares []shareOutcome
	if rerr == nil {
		shares, err = a.syncShares(r, st, opts, nil, res, err)
	}
	for _, o := range shares {
		if o.Err != nil {
			a.infof("oneone: warning: shared agenda of %s: %s", o.Slug, a.scrub(oneLine(o.Err.Error())))
		}
		for _, l := range o.Lines {
			a.infof("%s", shownPath(l)) // names from the report's repository: no control character reaches the terminal
		}
	}
	if rerr == nil {
		publishAfterSync(a, r, err != nil) // the organisation's summary (org.go)
	}
	if err != nil {
		msg := a.scrub(oneLine(err.Error()))
		if !strings.Contains(msg, "committed locally") {
			msg += " (your notes are committed locally)"
		}
		a.infof("oneone: warning: sync: %s", msg)
		return
	}
	if res.Pulled || res.Pushed {
		a.infof("synced with origin (%s)", res.Remote)
	}
	for _, c := range res.Conflicts {
		a.infof("conflict: %s was changed on both sides; the remote version is in %s: keep what you want in %s, delete %s, then run `oneone sync`", c.Path, c.Copy, c.Path, c.Copy)
	}
}
