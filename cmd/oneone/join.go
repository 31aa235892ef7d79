package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/sealed"
	"github.com/oneone/oneone/share"
	"github.com/spf13/cobra"
)

// The report's side of a shared agenda: a clone of the repository the manager
// publishes to (`oneone join`), where the report adds topics (`oneone topic`),
// syncs (`oneone sync`) and reads when the next 1:1 is and what is on it
// (`oneone next`, `oneone agenda`). Git and an editor do the same.

func init() {
	register(newJoinCmd)
	register(newTopicCmd)
}

// isJoined reports whether dir is a clone of a shared agenda: share.yaml and a
// .git folder, and no oneone.yaml (which would make it a notes repository).
func isJoined(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, notes.ConfigFile)); err == nil {
		return false
	}
	fi, err := os.Lstat(filepath.Join(dir, share.StateFile))
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	gi, err := os.Lstat(filepath.Join(dir, ".git"))
	return err == nil && gi.IsDir()
}

// joinedDir returns the clone of a shared agenda the command works in (from
// --dir, $ONEONE_DIR, or the nearest folder at or above the working directory
// before any notes repository), or "".
func (a *App) joinedDir() string {
	if d := a.Dir; d != "" {
		return joinedOr(d)
	}
	if d := a.Getenv("ONEONE_DIR"); d != "" {
		return joinedOr(d)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := cwd; ; {
		if _, err := os.Lstat(filepath.Join(d, notes.ConfigFile)); err == nil {
			return ""
		}
		if isJoined(d) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func joinedOr(d string) string {
	if isJoined(d) {
		return filepath.Clean(d)
	}
	return ""
}

// joinedState reads share.yaml of a clone.
func joinedState(dir string) (share.State, error) {
	data, err := notes.ReadFileLimited(filepath.Join(dir, share.StateFile), 1<<20)
	if err != nil {
		return share.State{}, fmt.Errorf("%s: %w", filepath.Join(dir, share.StateFile), err)
	}
	st, err := share.ParseState(data)
	if err != nil {
		return st, fmt.Errorf("%s: %v: run `oneone sync` to get it again", filepath.Join(dir, share.StateFile), err)
	}
	return st, nil
}

// reportStore opens the clone for a sync: the report's commits are theirs
// (git's user.name, else the name in share.yaml), and next.md and the notes'
// files merge by the shared agenda's rules.
func reportStore(a *App, dir string) (*gitstore.Store, gitstore.SyncOptions, error) {
	st, err := gitstore.Open(dir)
	if err != nil {
		return nil, gitstore.SyncOptions{}, err
	}
	state, _ := joinedState(dir)
	first := ""
	if f := strings.Fields(state.Report); len(f) > 0 {
		first = f[0]
	}
	st.SetMergeDriver(share.ReportMerge(first))
	author := st.DefaultAuthor("")
	if author.Name == "oneone" && state.Report != "" {
		author.Name = state.Report
	}
	return st, gitstore.SyncOptions{Author: author, Getenv: a.Getenv, Home: a.Getenv("HOME"), SharedAgenda: true}, nil
}

// runJoinedSync is `oneone sync` in a clone of a shared agenda.
func runJoinedSync(a *App, dir, branch string) error {
	st, opts, err := reportStore(a, dir)
	if err != nil {
		return err
	}
	opts.Branch = branch
	res, err := st.Sync(opts)
	syncTalk(a, res)
	if err != nil {
		if res != nil && len(res.Committed) > 0 && !a.JSON {
			for _, line := range committedLines(res) {
				a.infof("%s", line)
			}
		}
		return reportError(err)
	}
	if a.JSON {
		if err := a.printJSON(syncJSONOf(a, res, nil)); err != nil {
			return err
		}
		return refusedError(a, res)
	}
	for _, line := range syncReport(res) {
		fmt.Fprintln(a.Stdout, line)
	}
	return refusedError(a, res)
}

func newJoinCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "join URL [DIR]",
		Short: "The report's side: clone the shared agenda of your 1:1s into DIR",
		Long: `Clone the shared agenda your manager publishes for you (the URL they gave you)
into DIR (default: the repository's name). Inside DIR:

  oneone topic TEXT   add a topic for your next 1:1 to next.md (committed)
  oneone sync         send your topics and ticks, get the newest agenda
  oneone next         when the next 1:1 is due and what is on it
  oneone agenda       the agenda of the next 1:1 (or of DATE)

git and an editor do the same: write in next.md, commit, push. Credentials
are those of sync: ssh-agent or ~/.ssh keys (host keys checked), or
ONEONE_GIT_TOKEN / ~/.git-credentials for https.`,
		Example: `  oneone join git@github.com:dana/alice-1on1.git
  oneone join https://gitlab.com/dana/alice-1on1.git ~/1on1
  cd alice-1on1 && oneone topic "Can I lead the Q1 migration?" && oneone sync`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error { return runJoin(a, args) },
	}
}

// reportError words a sync error for the report: their clone holds no notes
// of theirs to be "committed locally", and `oneone remote` is the manager's.
func reportError(err error) error {
	if err == nil {
		return nil
	}
	if ke := reportKeyError(err); ke != err {
		return ke
	}
	msg := reworded(err.Error())
	return &reportErr{msg, err}
}

// reworded replaces the manager's words in a message.
func reworded(msg string) string {
	for _, r := range []struct{ from, to string }{
		{" (your notes are committed locally)", ""},
		{"check the URL with `oneone remote`", "check the URL your manager gave you"},
		{"run `oneone sync` again to merge the remote changes", "run `oneone sync` again"},
	} {
		msg = strings.ReplaceAll(msg, r.from, r.to)
	}
	return msg
}

// reportErr is an error reworded for the report; errors.Is still sees the cause.
type reportErr struct {
	msg string
	err error
}

func (e *reportErr) Error() string { return e.msg }
func (e *reportErr) Unwrap() error { return e.err }

func runJoin(a *App, args []string) error {
	url := args[0]
	if err := gitstore.CheckRemoteURL(url); err != nil {
		return err
	}
	if gitstore.Redact(url) != url {
		a.infof("the credentials in the URL are not used nor saved: put the token in ONEONE_GIT_TOKEN (and ONEONE_GIT_USERNAME) or ~/.git-credentials")
	}
	dir := ""
	if len(args) > 1 {
		dir = args[1]
	} else {
		base := path.Base(strings.TrimSuffix(strings.TrimRight(filepath.ToSlash(gitstore.Redact(url)), "/"), ".git"))
		if i := strings.LastIndex(base, ":"); i >= 0 {
			base = base[i+1:]
		}
		if notes.ValidateSlug(strings.ToLower(base)) != nil && !safeDirName(base) {
			base = "shared-agenda"
		}
		dir = base
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	created := true
	if fi, err := os.Lstat(abs); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a folder: give another DIR", abs)
		}
		ents, err := os.ReadDir(abs)
		if err != nil {
			return err
		}
		if len(ents) > 0 {
			return fmt.Errorf("%s exists and is not empty: give another DIR (or `oneone sync` inside it if it is your shared agenda already)", abs)
		}
		created = false
	}
	cleanup := func() {
		if created {
			_ = os.RemoveAll(abs)
		} else if ents, _ := os.ReadDir(abs); len(ents) > 0 {
			_ = os.RemoveAll(filepath.Join(abs, ".git"))
		}
	}
	st, err := gitstore.Init(abs)
	if err != nil {
		cleanup()
		return err
	}
	if err := st.SetRemote(url); err != nil {
		cleanup()
		return err
	}
	st, opts, err := reportStore(a, abs)
	if err != nil {
		cleanup()
		return err
	}
	if _, err := st.DetectEncryption(opts); err != nil { // an encrypted shared agenda says so by itself
		cleanup()
		return reportError(err)
	}
	res, err := st.Sync(opts)
	if err != nil {
		cleanup()
		return reportError(err)
	}
	syncWarnings(a, res)
	state, serr := joinedState(abs)
	if a.JSON {
		out := map[string]any{"dir": abs, "url": gitstore.Redact(url), "manager": nil, "report": nil, "next_due": nil}
		if serr == nil {
			out["manager"], out["report"], out["next_due"] = state.Manager, state.Report, state.NextDue
		}
		if err := a.printJSON(out); err != nil {
			return err
		}
	}
	if serr != nil {
		a.infof("cloned %s into %s, but it holds no shared agenda yet: ask your manager to run `oneone sync` (after `oneone share SLUG URL`), then run `oneone sync` in %s", gitstore.Redact(url), abs, dir)
		return nil
	}
	who := state.Manager
	if who == "" {
		who = "your manager"
	}
	a.infof("joined the shared agenda of your 1:1s with %s in %s", who, abs)
	a.infof("  add a topic:  cd %s && oneone topic \"what you want to talk about\"", dir)
	if st.Encrypted() {
		a.infof("  send it:      oneone sync   (it is end-to-end encrypted: git alone sees only ciphertext)")
	} else {
		a.infof("  send it:      oneone sync   (or edit next.md, commit and push with git)")
	}
	a.infof("  what is next: oneone next, oneone agenda")
	return nil
}

// safeDirName accepts a folder name taken from a URL: letters, digits, - _ and dots, not hidden.
func safeDirName(s string) bool {
	if s == "" || strings.HasPrefix(s, ".") || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func newTopicCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "topic TEXT",
		Short: "The report's side: add a topic for the next 1:1 to next.md, committed",
		Long: `Append "- TEXT" to next.md of the shared agenda you joined (oneone join) and
commit it; ` + "`oneone sync`" + ` sends it. At your manager's next sync it moves into the
agenda of your next 1:1 (once), and leaves next.md.

It works inside a clone of a shared agenda only: a manager writes topics in the note.`,
		Example: `  oneone topic "Can I lead the Q1 migration?"
  oneone topic On-call load is too high && oneone sync`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runTopic(a, args) },
	}
}

func runTopic(a *App, args []string) error {
	dir := a.joinedDir()
	if dir == "" {
		return errors.New("topic works in a shared agenda a report joined (`oneone join URL DIR`, then run it inside DIR); in your own notes, write topics in the note: `oneone edit SLUG`")
	}
	text := strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.Join(args, " "))), " ")
	if text == "" {
		return errors.New("TEXT is empty: usage: oneone topic TEXT")
	}
	topic := share.Topic{Text: text}
	p := filepath.Join(dir, share.NextFile)
	data, err := notes.ReadFileLimited(p, 1<<20)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: %w", p, err)
	}
	for _, t := range share.ParseNext(data) {
		if t.Key() == topic.Key() {
			a.infof("next.md already lists %q", t.Text)
			if a.JSON {
				return a.printJSON(map[string]any{"file": share.NextFile, "topic": text, "added": false})
			}
			return nil
		}
	}
	out := share.AddToNext(data, topic)
	st, opts, err := reportStore(a, dir)
	if err != nil {
		return err
	}
	if err := notes.WriteFileAtomic(p, out); err != nil {
		return err
	}
	if _, err := st.Commit("topic: "+text, opts.Author, share.NextFile); err != nil && !errors.Is(err, gitstore.ErrNothingChanged) {
		return fmt.Errorf("next.md was changed but not committed: %w", err)
	}
	if a.JSON {
		return a.printJSON(map[string]any{"file": share.NextFile, "topic": text, "added": true})
	}
	a.infof("added to next.md: - %s (run `oneone sync` to send it)", text)
	return nil
}

// joinedFiles lists the agenda files of a clone by date.
func joinedFiles(dir string) []time.Time {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []time.Time
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		if d, err := notes.NoteDate(e.Name()); err == nil {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// nextAgenda returns the date of the agenda of the next 1:1 (the first dated
// today or later that is not skipped or cancelled, as the manager's sync
// chooses where the report's topics go), or zero.
func nextAgenda(dir string, days []time.Time, today time.Time) time.Time {
	for _, d := range days {
		if d.Before(today) {
			continue
		}
		data, err := notes.ReadFileLimited(filepath.Join(dir, notes.FormatDate(d)+".md"), notes.MaxNoteSize)
		if err == nil && share.DoesNotTakePlace(data) {
			continue
		}
		return d
	}
	return time.Time{}
}

// joinedNextJSON is `oneone next --json` on the report's side.
type joinedNextJSON struct {
	Manager      string   `json:"manager"`
	Report       string   `json:"report"`
	CadenceDays  int      `json:"cadence_days"`
	LastHeld     *string  `json:"last_held"`
	NextDue      *string  `json:"next_due"`
	DaysUntilDue *int     `json:"days_until_due"` // negative when overdue
	Slot         *string  `json:"slot"`
	Agenda       *string  `json:"agenda"`        // the next 1:1's file, when one is published
	AgendaTopics []string `json:"agenda_topics"` // the topics on it
	Waiting      []string `json:"waiting"`       // the topics in next.md, not on an agenda yet
}

func runJoinedNext(a *App, dir string) error {
	state, err := joinedState(dir)
	if err != nil {
		return err
	}
	today, err := a.Today()
	if err != nil {
		return err
	}
	out := joinedNextJSON{Manager: state.Manager, Report: state.Report, CadenceDays: state.CadenceDays, LastHeld: state.LastHeld,
		NextDue: state.NextDue, Slot: state.Slot, AgendaTopics: []string{}, Waiting: []string{}}
	if state.NextDue != nil {
		if d, err := notes.ParseDate(*state.NextDue); err == nil {
			n := notes.DaysBetween(today, d)
			out.DaysUntilDue = &n
		}
	}
	if d := nextAgenda(dir, joinedFiles(dir), today); !d.IsZero() {
		name := notes.FormatDate(d) + ".md"
		out.Agenda = &name
		if data, err := notes.ReadFileLimited(filepath.Join(dir, name), notes.MaxNoteSize); err == nil {
			if ts := share.AgendaTopics(name, data, state.Report); ts != nil {
				out.AgendaTopics = ts
			}
		}
	}
	if data, err := notes.ReadFileLimited(filepath.Join(dir, share.NextFile), 1<<20); err == nil {
		for _, t := range share.ParseNext(data) {
			out.Waiting = append(out.Waiting, t.Text)
		}
	}
	if a.JSON {
		return a.printJSON(out)
	}
	who := state.Manager
	if who == "" {
		who = "your manager"
	}
	when := "no 1:1 held yet: the first one is due"
	if out.DaysUntilDue != nil {
		switch n := *out.DaysUntilDue; {
		case n == 0:
			when = "due today (" + *out.NextDue + ")"
		case n > 0:
			when = fmt.Sprintf("due %s (in %s)", *out.NextDue, daysWord(n))
		default:
			when = fmt.Sprintf("overdue since %s (%s)", *out.NextDue, daysWord(-n))
		}
	}
	if out.Slot != nil {
		when += ", usually " + *out.Slot
	}
	w := a.Stdout
	fmt.Fprintf(w, "Next 1:1 with %s: %s\n", who, when)
	if out.Agenda != nil {
		fmt.Fprintf(w, "  agenda:   %s, %s of yours on it\n", *out.Agenda, plural(len(out.AgendaTopics), "topic"))
	} else {
		fmt.Fprintf(w, "  agenda:   not prepared yet\n")
	}
	if len(out.Waiting) > 0 {
		fmt.Fprintf(w, "  waiting:  %s in next.md, on the agenda at %s's next sync:\n", plural(len(out.Waiting), "topic"), who)
		for _, t := range out.Waiting {
			fmt.Fprintf(w, "            - %s\n", t)
		}
	} else {
		fmt.Fprintf(w, "  topics:   add yours: oneone topic \"...\" (it is your 1:1)\n")
	}
	if out.LastHeld != nil {
		fmt.Fprintf(w, "  last 1:1: %s\n", *out.LastHeld)
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// runJoinedAgenda is `oneone agenda [DATE]` on the report's side.
func runJoinedAgenda(a *App, dir string, args []string, o agendaOptions) error {
	today, err := a.Today()
	if err != nil {
		return err
	}
	days := joinedFiles(dir)
	var day time.Time
	switch {
	case len(args) > 0:
		if day, err = notes.ParseDate(args[0]); err != nil {
			return fmt.Errorf("DATE: %w", err)
		}
	case !nextAgenda(dir, days, today).IsZero():
		day = nextAgenda(dir, days, today)
	case len(days) > 0:
		day = days[len(days)-1]
	}
	name := ""
	var md []byte
	if !day.IsZero() {
		name = notes.FormatDate(day) + ".md"
		md, err = notes.ReadFileLimited(filepath.Join(dir, name), notes.MaxNoteSize)
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no agenda %s in %s: `oneone sync` gets the newest, `ls %s` shows the published ones", name, dir, dir)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if day.IsZero() || !day.Before(today) {
		// the next 1:1: with the topics still waiting in next.md
		if data, err := notes.ReadFileLimited(filepath.Join(dir, share.NextFile), 1<<20); err == nil {
			if ts := share.ParseNext(data); len(ts) > 0 {
				if len(md) > 0 {
					md = append(md, '\n')
				}
				md = append(md, "## Your topics in next.md (on the agenda at the next sync)\n"...)
				for _, t := range ts {
					md = append(md, t.Markdown()...)
				}
			}
		}
	}
	if len(md) == 0 {
		return fmt.Errorf("no agenda in %s yet: add topics with `oneone topic TEXT`, and `oneone sync` to get the agenda once it is prepared", dir)
	}
	switch {
	case a.JSON:
		var date *string
		if name != "" {
			d := notes.FormatDate(day)
			date = &d
		}
		return a.printJSON(map[string]any{"date": date, "file": name, "markdown": string(md), "html": agendaHTML(md)})
	case o.HTML:
		_, err = a.Stdout.Write([]byte(agendaHTML(md)))
	default:
		_, err = a.Stdout.Write(md)
	}
	return err
}

// reportKeyError says to the report what to do when their key cannot read an
// encrypted shared agenda: the manager lists it.
func reportKeyError(err error) error {
	var nr *gitstore.NotRecipientError
	if !errors.As(err, &nr) {
		return err
	}
	return &keyError{fmt.Sprintf("%s is encrypted, and this computer's key %s is not among its recipients: send your manager this key (`oneone key` prints it); they run `oneone share YOUR-SLUG URL --encrypt --to %s` and `oneone sync`, then run this again (nothing was changed)",
		nr.URL, nr.Key, nr.Key)}
}

// keyError is an error of a key not listed, in words of its own.
type keyError struct{ msg string }

func (e *keyError) Error() string { return e.msg }
func (e *keyError) Unwrap() error { return sealed.ErrNotRecipient }
