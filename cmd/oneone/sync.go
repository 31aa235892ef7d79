package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(syncCmd) }

// syncJSON is the JSON shape of `oneone sync --json`, exactly the spec's.
type syncJSON struct {
	Committed []string    `json:"committed"` // repository-relative paths committed by this sync (deletions too)
	Pulled    int         `json:"pulled"`    // commits integrated
	Pushed    bool        `json:"pushed"`
	Conflicts []string    `json:"conflicts"` // conflict copies this sync left (of notes and of shared agendas)
	Shares    []shareJSON `json:"shares"`    // one per report who shares (shareserve.go)
}

// syncJSONOf is what `sync --json` prints: lists are [] rather than null.
func syncJSONOf(a *App, res *gitstore.SyncResult, shares []shareOutcome) syncJSON {
	out := syncJSON{Committed: nonNil(res.Committed), Pulled: res.PulledCommits, Pushed: res.Pushed, Conflicts: []string{}, Shares: []shareJSON{}}
	for _, c := range res.Conflicts {
		out.Conflicts = append(out.Conflicts, c.Copy)
	}
	for _, o := range shares {
		out.Shares = append(out.Shares, o.json(a))
		for _, c := range o.Copies {
			out.Conflicts = append(out.Conflicts, c.Copy)
		}
	}
	return out
}

// firstError returns the first of errs that is not nil, saying the others on stderr.
func firstError(a *App, errs ...error) error {
	var first error
	for _, err := range errs {
		switch {
		case err == nil:
		case first == nil:
			first = err
		default:
			a.infof("oneone: %s", a.scrub(oneLine(err.Error())))
		}
	}
	return first
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
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
original, delete the copy and run sync again. Each copy is named on stderr.
No text is ever lost: a file saved while sync runs is never overwritten, and
a file deleted on one side and edited on the other comes back, said so.

Without origin, sync commits and says that nothing is backed up (exit 0).
--json prints {"committed": [...], "pulled": N, "pushed": bool,
"conflicts": [...], "shares": [...]}. A second computer gets the notes with
` + "`oneone clone URL`" + `.

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
			if err := checkOriginNotShare(r, st, &opts); err != nil {
				return err
			}
			probes := a.probeShares(r, st, opts) // every report's shared agenda (shareserve.go), asked meanwhile
			res, err := st.Sync(opts)
			r = a.reloadAfterPull(r, st, &opts, res)
			shares, err := a.syncShares(r, st, opts, probes, res, err)
			syncTalk(a, res)
			for _, o := range shares {
				for _, l := range o.Lines {
					a.infof("%s", shownPath(l)) // names from the report's repository: no control character reaches the terminal
				}
			}
			publishAfterSync(a, r, err != nil) // the organisation's summary, origin or not (org.go)
			if err != nil {
				if res != nil && len(res.Committed) > 0 && !a.JSON {
					for _, line := range committedLines(res) {
						a.infof("%s", line)
					}
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
				if err := a.printJSON(syncJSONOf(a, res, shares)); err != nil {
					return err
				}
				return firstError(a, refusedError(a, res), shareErrors(a, shares))
			}
			for _, line := range syncReport(res) {
				fmt.Fprintln(a.Stdout, line)
			}
			for _, line := range shareLines(shares) {
				fmt.Fprintln(a.Stdout, line)
			}
			return firstError(a, refusedError(a, res), shareErrors(a, shares))
		},
	}
	cmd.Flags().StringVar(&branch, "branch", "", "origin's branch to sync with, remembered for the next syncs")
	return cmd
}

func (a *App) syncOpts(st *gitstore.Store, manager string) gitstore.SyncOptions {
	return gitstore.SyncOptions{Author: a.author(st, manager), Getenv: a.Getenv, Home: a.Getenv("HOME")}
}

// committedLines says what sync committed: the files added or changed, and the deletions as deletions.
func committedLines(res *gitstore.SyncResult) []string {
	deleted := map[string]bool{}
	for _, p := range res.Deleted {
		deleted[p] = true
	}
	var files, gone []string
	for _, p := range res.Committed {
		if deleted[p] {
			gone = append(gone, shownPath(p))
		} else {
			files = append(files, shownPath(p))
		}
	}
	var out []string
	if len(files) > 0 {
		out = append(out, fmt.Sprintf("committed %s: %s", syncPlural(len(files), "file"), strings.Join(files, ", ")))
	}
	if len(gone) > 0 {
		out = append(out, fmt.Sprintf("committed the deletion of %s: %s", syncPlural(len(gone), "file"), strings.Join(gone, ", ")))
	}
	return out
}

// syncReport describes a sync in plain lines.
func syncReport(res *gitstore.SyncResult) []string {
	var out []string
	if res.NewUpstream && res.Upstream != res.Branch {
		out = append(out, fmt.Sprintf("your branch %s now syncs with origin's branch %s", res.Branch, res.Upstream))
	}
	out = append(out, committedLines(res)...)
	switch {
	case res.NoRemote:
	case res.UpToDate:
		out = append(out, "up to date with origin ("+res.Remote+")")
	default:
		if res.Adopted {
			out = append(out, "this repository held only init's commit: it took origin's history, its oneone.yaml included ("+res.Remote+")")
		} else if res.Merged {
			out = append(out, "merged the changes from origin ("+res.Remote+")")
		} else if res.Pulled && !res.Adopted {
			out = append(out, "pulled the changes from origin ("+res.Remote+")")
		}
		if res.Pushed {
			out = append(out, "pushed to origin ("+res.Remote+")")
		}
		if !res.Pulled && !res.Pushed {
			out = append(out, "origin already has everything ("+res.Remote+")")
		}
	}
	return out
}

// conflictLine says where each version of a conflict is and what to do, on one line.
func conflictLine(c gitstore.Conflict) string {
	p, cp := shownPath(c.Path), shownPath(c.Copy)
	resolve := fmt.Sprintf("compare the two, keep what you want in %s, delete %s, then run `oneone sync`", p, cp)
	switch c.Kind {
	case gitstore.ConflictDuringSync:
		return fmt.Sprintf("conflict: %s was saved while sync ran: yours is kept, origin's version is in %s; %s", p, cp, resolve)
	case gitstore.ConflictIgnored:
		return fmt.Sprintf("conflict: your %s is ignored by git and origin has a file of that name: origin's is now at %s, yours is kept in %s (ignored too: it stays on this computer); keep what you need, then delete %s", p, p, cp, cp)
	case gitstore.ConflictFileFolder:
		return fmt.Sprintf("conflict: %s is a file on one side and a folder on the other: the folder is kept, the file is in %s; move what you need into the folder, delete %s, then run `oneone sync`", p, cp, cp)
	}
	return fmt.Sprintf("conflict: %s was changed on both sides: yours is kept, origin's version is in %s; %s", p, cp, resolve)
}

// revivedLine says that a file deleted on one side and edited on the other is kept.
func revivedLine(r gitstore.Revived) string {
	p := shownPath(r.Path)
	if r.DeletedHere {
		return fmt.Sprintf("%s, which you deleted, is back: it was edited on another computer; delete it again and run `oneone sync` if it should go", p)
	}
	return fmt.Sprintf("%s was deleted on another computer but edited here: your edit is kept; delete it and run `oneone sync` if it should go", p)
}

// syncTalk says on stderr what a sync needs the user to know: files left
// alone, every conflict copy and what to do with it, files deleted on one side
// and edited on the other, a remote that backs nothing up or that git clone
// cannot check out, commits without the user's email.
func syncTalk(a *App, res *gitstore.SyncResult) {
	if res == nil {
		return
	}
	syncWarnings(a, res)
	for _, c := range res.Conflicts {
		a.infof("oneone: %s", conflictLine(c))
	}
	for _, r := range res.Revived {
		a.infof("oneone: %s", revivedLine(r))
	}
	if res.RemoteHeadMissing {
		a.infof("oneone: warning: origin's HEAD names a branch it does not have (plain `git init --bare` points it at master), so a plain `git clone` of origin checks out nothing: on the server run `git symbolic-ref HEAD refs/heads/%s` (create the next one with `git init --bare -b %s`), or make %s the default branch in your host's settings", res.Upstream, res.Upstream, res.Upstream)
	}
	if len(res.Committed) > 0 || res.Merged {
		a.warnNoEmail()
	}
	if res.NoRemote {
		a.infof("oneone: no remote: your notes are committed on this computer only, nothing is backed up: set one with `oneone remote URL`, then run `oneone sync`")
	}
}

// syncWarnings says, once per file, which files sync left alone because of their names.
func syncWarnings(a *App, res *gitstore.SyncResult) {
	if res == nil {
		return
	}
	for _, p := range res.Skipped {
		a.infof("oneone: warning: %s: not synced: %s: rename it, then run `oneone sync`", shownPath(p), gitstore.UnsafeReason(p))
	}
	if len(res.MadePrivate) > 0 {
		shown := make([]string, len(res.MadePrivate))
		for i, p := range res.MadePrivate {
			shown[i] = shownPath(p)
		}
		a.infof("oneone: made private before committing, as every note is (others could read them; now 0600 files, 0700 folders): %s", strings.Join(shown, ", "))
	}
	for _, p := range res.Unwritten {
		a.infof("oneone: warning: %s: from origin, kept in git but not written to disk: %s: rename it on the computer that added it", shownPath(p), gitstore.UnsafeReason(p))
	}
}

// refusedError names every file sync did not commit because a line looks like a
// credential; the command then exits 2 (the rest was synced).
func refusedError(a *App, res *gitstore.SyncResult) error {
	var last error
	for i, ce := range res.Refused {
		msg := fmt.Sprintf("%s, then run `oneone sync` again; %s is kept as it is, not committed", ce.Error(), shownPath(ce.Path))
		if i < len(res.Refused)-1 {
			a.infof("oneone: %s", msg)
			continue
		}
		last = errors.New(msg)
	}
	return last
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
	if rerr == nil {
		if err := checkOriginNotShare(r, st, &opts); err != nil {
			a.infof("oneone: warning: sync: %s (your notes are committed locally)", a.scrub(oneLine(err.Error())))
			return
		}
	}
	res, err := st.Sync(opts)
	if rerr == nil {
		r = a.reloadAfterPull(r, st, &opts, res)
	}
	var shares []shareOutcome
	if rerr == nil {
		shares, err = a.syncShares(r, st, opts, nil, res, err)
	}
	syncTalk(a, res)
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
	if err := refusedError(a, res); err != nil {
		a.infof("oneone: warning: %s", err)
	}
}

// reloadAfterPull reads oneone.yaml again when the sync brought origin's
// changes in (a fresh folder that adopted origin's history took its
// settings), so that the rest of the run (the shared agendas, the commits it
// makes) uses origin's settings, not the ones read before. When the new file
// cannot be read, the run goes on with what it had, said on stderr.
func (a *App) reloadAfterPull(r *notes.Repo, st *gitstore.Store, opts *gitstore.SyncOptions, res *gitstore.SyncResult) *notes.Repo {
	if res == nil || !res.Pulled {
		return r
	}
	a.repo = nil
	nr, err := a.Repo()
	if err != nil {
		a.repo = r
		a.infof("oneone: warning: %s from origin: %s", notes.ConfigFile, a.scrub(oneLine(err.Error())))
		return r
	}
	opts.Author = a.author(st, nr.Config.Manager)
	return nr
}
