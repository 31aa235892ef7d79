package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/health"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/org"
	"github.com/oneone/oneone/render"
	"github.com/spf13/cobra"
)

func init() { register(newOrgCmd) }

type orgOptions struct {
	html string
}

func newOrgCmd(a *App) *cobra.Command {
	var o orgOptions
	cmd := &cobra.Command{
		Use:   "org [DIR] [--html DIR]",
		Short: "Every manager's 1:1 health, as numbers only, from the organisation's repository",
		Long: `org reads an organisation's repository, where every manager publishes the
numbers-only summary of ` + "`oneone health`" + ` as managers/NAME.json, and shows a row
per manager (reports, on cadence, overdue, goals due, prepared, the reports'
own topics, as of) and the answer to "how do 1:1s work around here?":

  N of M reports had their 1:1s on cadence over the last 90 days

A report is on cadence when at least 80% of the gaps between its 1:1s were
within cadence + grace and it is not overdue today. A summary more than 14
days old is stale: marked, and left out of N and M. A file that is not a valid
summary is named on stderr and skipped.

DIR is a clone of the organisation's repository (or a bare repository);
without it, org fetches the one ` + "`oneone org join`" + ` set up. --html DIR writes a
self-contained page (DIR/index.html: no network, printable) with a cadence
strip per manager.

Subcommands: ` + "`org join URL [--as NAME]`" + ` records the organisation's repository
in oneone.yaml; ` + "`org publish`" + ` publishes your summary now (sync does it too).

Exit status: 0 every report on cadence and every summary fresh and valid;
1 a report is not on cadence (overdue, or under 80%), a summary is stale, or
a file was skipped; 2 usage or repository error.`,
		Example: `  oneone org join https://git.example.com/eng/one-on-ones.git --as dana
  oneone org
  oneone org ~/src/one-on-ones --json
  oneone org --html /tmp/org && open /tmp/org/index.html`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveFilterDirs // a clone of the organisation's repository
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := ""
			if len(args) == 1 {
				dir = args[0]
			}
			return runOrg(a, cmd, dir, o)
		},
	}
	cmd.Flags().StringVar(&o.html, "html", "", "write a self-contained page into `DIR`")
	_ = cmd.MarkFlagDirname("html")
	cmd.AddCommand(newOrgJoinCmd(a), newOrgPublishCmd(a))
	return cmd
}

func runOrg(a *App, cmd *cobra.Command, dir string, o orgOptions) error {
	today, err := a.Today()
	if err != nil {
		return err
	}
	var files []org.File
	if dir != "" {
		if _, serr := os.Stat(dir); errors.Is(serr, os.ErrNotExist) && !strings.ContainsAny(dir, "/.") {
			if near := nearestCommand(cmd, dir); near != "" {
				return fmt.Errorf("no folder %s: did you mean `oneone org %s`?", dir, near)
			}
		}
		files, err = orgFilesFromDir(dir)
	} else {
		files, err = orgFilesFetched(a)
	}
	if err != nil {
		return err
	}
	roll := org.Roll(files, today)
	for _, s := range roll.Skipped {
		a.infof("oneone: warning: %s: %s: skipped", shownPath(s.Path), s.Problem)
	}
	for _, m := range roll.Managers {
		if m.Stale {
			a.infof("oneone: %s's summary is stale (as of %s, %d days ago): left out of the count; ask %s to run `oneone sync`", m.Name, m.AsOf, m.DaysOld, m.Name)
		}
	}
	if o.html != "" {
		page, err := render.OrgPage(roll, orgLine(roll))
		if err != nil {
			return err
		}
		index, err := writeOrgPage(o.html, page)
		if err != nil {
			return err
		}
		if !a.JSON {
			a.infof("wrote %s", index)
		}
	}
	if a.JSON {
		if err := a.printJSON(roll); err != nil {
			return err
		}
	} else if o.html == "" {
		if err := writeOrg(a, roll); err != nil {
			return err
		}
	}
	if !roll.Fine() {
		return errFindings
	}
	return nil
}

// orgFilesFromDir reads managers/*.json of a clone of the organisation's
// repository, or of a bare one, each bounded in size; links are refused.
func orgFilesFromDir(dir string) ([]org.File, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no folder %s: give a clone of the organisation's repository", dir)
		}
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder: give a clone of the organisation's repository", dir)
	}
	mdir := filepath.Join(dir, org.Dir)
	mfi, err := os.Lstat(mdir)
	if err != nil || !mfi.IsDir() {
		if isBareRepo(dir) {
			bare, err := gitstore.OpenBareOrgRepo(dir)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", dir, err)
			}
			return orgFilesOf(bare)
		}
		if err == nil && mfi.Mode()&os.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is a symbolic link; oneone does not follow links: give the real repository", mdir)
		}
		return nil, fmt.Errorf("%s has no %s/ folder, so it is not an organisation's repository: give the clone where managers publish %s/NAME.json", dir, org.Dir, org.Dir)
	}
	entries, err := os.ReadDir(mdir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", mdir, err)
	}
	var out []org.File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		f := org.File{Path: org.Dir + "/" + name}
		if len(out) > org.MaxSummaries {
			f.Problem = "too many summaries"
			out = append(out, f)
			continue
		}
		data, err := notes.ReadFileLimited(filepath.Join(mdir, name), org.MaxSummarySize)
		if err != nil {
			f.Problem = err.Error()
		} else {
			f.Data = data
		}
		out = append(out, f)
	}
	return out, nil
}

func orgFilesOf(o *gitstore.OrgRepo) ([]org.File, error) {
	gf, err := o.Files(o.Tip().Commit, org.Dir, org.MaxSummarySize)
	if err != nil {
		return nil, fmt.Errorf("read the organisation's repository %s: %w", o.Dir(), err)
	}
	out := make([]org.File, len(gf))
	for i, f := range gf {
		out[i] = org.File{Path: f.Path, Data: f.Data, Problem: f.Problem}
	}
	return out, nil
}

// orgContext bounds the organisation repository's network work.
func orgContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Minute)
}

// orgSetUp returns the org settings of the notes repository, or says how to set them.
func orgSetUp(a *App) (*notes.Repo, notes.OrgSettings, error) {
	r, err := a.Repo()
	if err != nil {
		return nil, notes.OrgSettings{}, err
	}
	o, ok, err := notes.LoadOrgSettings(r.Root)
	if err != nil {
		return nil, o, err
	}
	if !ok {
		return nil, o, fmt.Errorf("no organisation's repository in %s: run `oneone org join URL` (or give the folder of a clone: `oneone org DIR`)", filepath.Join(r.Root, notes.ConfigFile))
	}
	return r, o, nil
}

// orgFilesFetched fetches the organisation's repository `org join` set up and
// reads its summaries; offline, the copy fetched last time is read, said so.
func orgFilesFetched(a *App) ([]org.File, error) {
	r, set, err := orgSetUp(a)
	if err != nil {
		return nil, err
	}
	st, err := gitstore.Open(r.Root)
	if err != nil {
		return nil, err
	}
	mirror, err := st.OrgRepo()
	if err != nil {
		return nil, err
	}
	ctx, cancel := orgContext()
	defer cancel()
	opts := a.syncOpts(st, r.Config.Manager)
	tip, err := mirror.Probe(ctx, set.Remote, opts)
	if err == nil {
		err = mirror.Fetch(ctx, set.Remote, tip, opts)
	}
	if err != nil {
		if mirror.Tip().Commit == "" {
			return nil, err
		}
		a.infof("oneone: warning: %s; showing the copy fetched %s", a.scrub(oneLine(err.Error())), mirror.FetchedAt().Local().Format("2006-01-02 15:04"))
	}
	return orgFilesOf(mirror)
}

func writeOrg(a *App, roll *org.Rollup) error {
	pal := render.Palette{Enabled: a.Color()}
	if len(roll.Managers) == 0 {
		a.infof("no summaries yet: managers publish theirs with `oneone org join URL` and `oneone sync`")
	} else {
		t := render.Table{Header: []string{"MANAGER", "REPORTS", "ON CADENCE", "OVERDUE", "GOALS DUE", "PREPARED", "REPORT TOPICS", "AS OF"}, MaxWidth: a.termWidth(), Flex: 0}
		for _, m := range roll.Managers {
			asOf := m.AsOf
			if m.Stale {
				asOf += " " + pal.Yellow("stale")
			}
			onCad := fmt.Sprintf("%d", m.OnCadence)
			if m.OnCadence < m.Reports {
				onCad = pal.Yellow(onCad)
			}
			over := strconv.Itoa(m.Overdue)
			if m.Overdue > 0 {
				over = pal.Red(over)
			}
			t.Add(m.Name, strconv.Itoa(m.Reports), onCad, over, strconv.Itoa(m.GoalsDue), percent(m.Prepared), percent(m.ReportTopics), asOf)
		}
		if err := t.Write(a.Stdout, pal); err != nil {
			return err
		}
		fmt.Fprintln(a.Stdout)
	}
	_, err := fmt.Fprintln(a.Stdout, orgLine(roll))
	return err
}

// orgLine is the answer to the advisor's question.
func orgLine(roll *org.Rollup) string {
	window := strconv.Itoa(health.DefaultDays)
	switch n := len(roll.Windows); {
	case n == 1:
		window = strconv.Itoa(roll.Windows[0])
	case n > 1:
		window = fmt.Sprintf("%d to %d", roll.Windows[0], roll.Windows[n-1])
	}
	return fmt.Sprintf("%d of %d reports had their 1:1s on cadence over the last %s days", roll.Org.OnCadenceReports, roll.Org.Reports, window)
}

// writeOrgPage writes the page as DIR/index.html (DIR made 0700, the page 0600, atomically).
func writeOrgPage(dir string, page []byte) (string, error) {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return "", fmt.Errorf("%s is a symbolic link; oneone does not write through links: give the real folder", dir)
	}
	if err := notes.MkdirPrivate(dir); err != nil {
		return "", fmt.Errorf("--html folder: %w: choose another folder", err)
	}
	index := filepath.Join(filepath.Clean(dir), "index.html")
	if fi, err := notes.RegularOrMissing(index); err != nil {
		return "", err
	} else if fi != nil && !generatedByOneone(index) {
		return "", fmt.Errorf("%s was not written by oneone: choose an empty folder (or remove the file)", index)
	}
	if err := notes.WriteFileAtomic(index, page); err != nil {
		return "", err
	}
	return index, nil
}

// --- org join ----------------------------------------------------------------

func newOrgJoinCmd(a *App) *cobra.Command {
	var as string
	var anonymous bool
	cmd := &cobra.Command{
		Use:   "join URL [--as NAME]",
		Short: "Publish your numbers-only summary to an organisation's repository",
		Long: `join records the organisation's repository in oneone.yaml
(org: {remote: URL, as: NAME}, committed). From then on every ` + "`oneone sync`" + `
(and ` + "`oneone org publish`" + `) writes your ` + "`oneone health --json`" + ` to managers/NAME.json
there, commits and pushes that one file, touching no other file. NAME is a
slug, by default your name in oneone.yaml as a slug ("Dana Reyes" -> dana-reyes).

The URL forms and credentials are those of ` + "`oneone remote`" + ` and sync: a token
or password in the URL is never stored (use ONEONE_GIT_TOKEN); ssh host keys
are checked. The repository's copy lives in .git/oneone/org, outside your
notes. --anonymous publishes pseudonyms (r- and 8 hex digits) instead of your
reports' slugs and names, made with a random key kept in oneone.yaml so that
every computer of yours publishes the same ones.`,
		Example: `  oneone org join https://git.example.com/eng/one-on-ones.git
  oneone org join git@git.example.com:eng/one-on-ones.git --as dana
  oneone org join https://git.example.com/advisor/acme.git --anonymous`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOrgJoin(a, args[0], as, anonymous)
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "your name in the organisation's repository: managers/`NAME`.json")
	cmd.Flags().BoolVar(&anonymous, "anonymous", false, "publish pseudonyms instead of your reports' slugs and names")
	return cmd
}

func runOrgJoin(a *App, url, as string, anonymous bool) error {
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	if as == "" {
		if as = notes.NameSlug(r.Config.Manager); as == "" {
			if strings.TrimSpace(r.Config.Manager) != "" {
				return fmt.Errorf("org join needs a name for your summary: pass --as NAME, lowercase letters, digits and hyphens (the manager name %q in oneone.yaml has no letters a to z to make one from)", r.Config.Manager)
			}
			return errors.New("org join needs a name for your summary: pass --as NAME (oneone.yaml has no manager name to make one from)")
		}
	} else if err := notes.ValidateSlug(as); err != nil {
		return fmt.Errorf("--as %q: %w", as, err)
	}
	if err := gitstore.CheckRemoteURL(url); err != nil {
		return err
	}
	if err := orgNotPrivate(r, st, url); err != nil {
		return err
	}
	mirror, err := st.OrgRepo()
	if err != nil {
		return err
	}
	if err := mirror.SetRemote(url); err != nil { // the checks and the redaction of `oneone remote`
		return err
	}
	shown := gitstore.Redact(url)
	if shown != url {
		a.infof("oneone: the credentials in the URL were not saved; set ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME) instead")
	}
	set := notes.OrgSettings{Remote: shown, As: as, Anonymous: anonymous}
	if old, ok, _ := notes.LoadOrgSettings(r.Root); ok && old.Key != "" {
		set.Key = old.Key // the same pseudonyms as before
	}
	if anonymous && set.Key == "" {
		set.Key = newKey()
	}
	path := filepath.Join(r.Root, notes.ConfigFile)
	data, err := notes.ReadFileLimited(path, 1<<20)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	out, err := notes.SetOrgSettings(data, set)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := notes.ReplaceFileAtomic(path, out); err != nil {
		return err
	}
	if err := a.commit(r, st, "oneone.yaml: publish to the organisation's repository as "+as, notes.ConfigFile); err != nil {
		return err
	}
	if a.JSON {
		return a.printJSON(struct {
			Remote    string `json:"remote"`
			As        string `json:"as"`
			File      string `json:"file"`
			Anonymous bool   `json:"anonymous"`
		}{shown, as, org.Dir + "/" + as + ".json", anonymous})
	}
	a.infof("oneone.yaml: org: {remote: %s, as: %s}, committed; `oneone sync` (or `oneone org publish`) publishes %s/%s.json", shown, as, org.Dir, as)
	return nil
}

// --- org publish ---------------------------------------------------------------

func newOrgPublishCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "publish",
		Short: "Publish your numbers-only summary to the organisation's repository now",
		Long: `publish writes your ` + "`oneone health --json`" + ` (the last 90 days) to
managers/NAME.json in the organisation's repository that ` + "`oneone org join`" + ` set up,
commits that one file on top of what the other managers published, and
pushes it (a lost race with another manager is fetched and tried again).
` + "`oneone sync`" + ` does the same after syncing your notes.

Exit status: 0 published (or already there as it is), 2 error.`,
		Example: `  oneone org publish
  oneone org publish --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := publishOrg(a)
			if err != nil {
				return err
			}
			if a.JSON {
				return a.printJSON(res)
			}
			fmt.Fprintln(a.Stdout, res.line())
			return nil
		},
	}
}

// orgPublishJSON is the JSON shape of `oneone org publish --json`.
type orgPublishJSON struct {
	Remote string `json:"remote"`
	File   string `json:"file"`
	AsOf   string `json:"as_of"`
	Pushed bool   `json:"pushed"`
	Commit string `json:"commit"`
}

func (p orgPublishJSON) line() string {
	if !p.Pushed {
		return fmt.Sprintf("%s is up to date in %s (as of %s)", p.File, p.Remote, p.AsOf)
	}
	return fmt.Sprintf("published %s to %s (as of %s)", p.File, p.Remote, p.AsOf)
}

// publishOrg publishes this manager's summary to the organisation's repository.
func publishOrg(a *App) (orgPublishJSON, error) {
	var out orgPublishJSON
	r, set, err := orgSetUp(a)
	if err != nil {
		return out, err
	}
	if set.Anonymous && set.Key == "" {
		return out, fmt.Errorf("%s: org says anonymous but holds no key: run `oneone org join %s --as %s --anonymous` again", notes.ConfigFile, set.Remote, set.As)
	}
	st, err := gitstore.Open(r.Root)
	if err != nil {
		return out, err
	}
	s, err := computeHealth(a, healthOptions{days: health.DefaultDays, anonymous: set.Anonymous})
	if err != nil {
		return out, err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return out, err
	}
	data = append(data, '\n')
	mirror, err := st.OrgRepo()
	if err != nil {
		return out, err
	}
	ctx, cancel := orgContext()
	defer cancel()
	out = orgPublishJSON{Remote: gitstore.Redact(set.Remote), File: org.Dir + "/" + set.As + ".json", AsOf: s.AsOf}
	// a summary another manager published under the same name is theirs: never overwritten
	guard := func(current []byte) error {
		theirs, err := org.Parse(current)
		if err != nil || theirs.Manager == "" || s.Manager == "" || theirs.Manager == s.Manager {
			return nil // not a summary (replaced by a valid one), or this manager's own
		}
		return fmt.Errorf("%s in %s is the summary of %q, not yours (%q): publish under a name of your own with `oneone org join %s --as NAME` (if it is yours from before you changed your name in %s, delete it there first)",
			out.File, out.Remote, theirs.Manager, s.Manager, out.Remote, notes.ConfigFile)
	}
	res, err := mirror.PublishFileIf(ctx, set.Remote, out.File, data, fmt.Sprintf("%s: summary as of %s", set.As, s.AsOf),
		st.DefaultAuthor(r.Config.Manager), a.syncOpts(st, r.Config.Manager), guard)
	if err != nil {
		return out, err
	}
	out.Pushed, out.Commit = res.Pushed, res.Commit
	return out, nil
}

// publishAfterSync publishes the summary when the repository has joined an
// organisation: after every sync, whether or not origin is set. A failure is
// a warning on stderr and never changes sync's exit status; a success is said
// on stderr unless quiet (the sync failed and says so in its one line).
func publishAfterSync(a *App, r *notes.Repo, quiet bool) {
	a.repo = nil // sync may have brought a new oneone.yaml: read it again
	if _, ok, err := notes.LoadOrgSettings(r.Root); err != nil {
		a.infof("oneone: warning: org publish: %s", a.scrub(oneLine(err.Error())))
		return
	} else if !ok {
		return
	}
	res, err := publishOrg(a)
	if err != nil {
		a.infof("oneone: warning: org publish: %s (your notes sync is not affected; `oneone org publish` tries again)", a.scrub(oneLine(err.Error())))
		return
	}
	if res.Pushed && !quiet {
		a.infof("%s", res.line())
	}
}

// orgNotPrivate refuses, as the organisation's repository, origin (the notes)
// and a report's shared agenda: every manager of the organisation reads it,
// and a report must never read the team's figures.
func orgNotPrivate(r *notes.Repo, st *gitstore.Store, url string) error {
	shown := gitstore.Redact(url)
	if origin, ok, _ := st.RemoteURL(); ok && gitstore.SameRemote(origin, url) {
		return fmt.Errorf("%s is origin, the repository of all your notes: the organisation's repository is another one, shared with the other managers", shown)
	}
	if why := shareOrigin(r, st, url); why != "" && !strings.Contains(why, "organisation's repository") {
		return fmt.Errorf("%s", strings.Replace(why, "not a repository for all your notes: give origin an empty private repository of its own", "not the organisation's repository: the report would read every summary published there", 1))
	}
	return nil
}
