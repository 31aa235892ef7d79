package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/render"
	"github.com/oneone/oneone/sealed"
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..." (`make
// build` and `make release` set it to `git describe --tags --always --dirty`);
// otherwise it comes from what the go command stamped into the binary.
var version = "dev"

func init() {
	bi, ok := debug.ReadBuildInfo()
	version = buildVersion(version, bi, ok)
}

// pseudoVersion matches the versions the go command makes up for a commit
// that has no tag of its own (v0.0.0-20261126020408-c805d9409796).
var pseudoVersion = regexp.MustCompile(`-(?:[0-9A-Za-z.-]*\.)?\d{14}-[0-9a-f]{12}(?:\+dirty)?$`)

// buildVersion is what `oneone --version` prints: the version set with
// -ldflags; else, for a `go build` in a git checkout (the go command stamps
// the commit, in a clone but not in a `git worktree`, and not with
// -buildvcs=false), the tag when the commit has one, else "dev (c805d94)",
// with ", modified" for uncommitted changes; else the module version of a
// `go install ...@version`; else "dev".
func buildVersion(ldflags string, bi *debug.BuildInfo, ok bool) string {
	if ldflags != "dev" && ldflags != "" {
		return ldflags
	}
	if !ok || bi == nil {
		return "dev"
	}
	var rev string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	v := bi.Main.Version
	tagged := v != "" && v != "(devel)" && !pseudoVersion.MatchString(v)
	switch {
	case rev != "" && tagged: // a checkout of a tag: "v1.4.0", "v1.4.0+dirty"
		return v
	case len(rev) >= 7:
		if modified {
			return "dev (" + rev[:7] + ", modified)"
		}
		return "dev (" + rev[:7] + ")"
	case v != "" && v != "(devel)": // go install ...@v1.4.0 or @commit
		return v
	}
	return "dev"
}

// App carries what every command needs: streams, environment, clock and the global flags.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string

	// rawStdout is the real standard output (for terminal checks and the editor);
	// Stdout wraps it so that control characters from notes never reach the terminal.
	rawStdout io.Writer

	Dir     string // --dir
	JSON    bool   // --json
	NoColor bool   // --no-color

	now  func() time.Time
	repo *notes.Repo

	noEmail, emailWarned bool // git knows no user.email; said once per command
}

// registry holds the constructors of every subcommand; each command file adds its own in init.
var registry []func(*App) *cobra.Command

func register(f func(*App) *cobra.Command) { registry = append(registry, f) }

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// errFindings makes a command exit 1 without a message (audit findings, no search match).
var errFindings = errors.New("findings")

// Main runs oneone with args and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (code int) {
	a := &App{Stdin: stdin, Stdout: stdout, rawStdout: stdout, Stderr: stderr, Getenv: getenv, now: time.Now}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "oneone: internal error: %v (please report it)\n", r)
			code = exitError
		}
	}()
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	default:
		msg := oneLine(err.Error())
		if m := unknownCommand.FindStringSubmatch(msg); m != nil { // cobra's, at the top level: our suggestion rule
			msg = fmt.Sprintf("unknown command %s for %q", m[1], root.CommandPath())
			if name, err := strconv.Unquote(m[1]); err == nil {
				if near := nearestCommand(root, name); near != "" {
					msg += ": did you mean " + near + "?"
				}
			}
			msg += " (see `oneone --help` for the commands)"
		}
		fmt.Fprintln(stderr, "oneone: "+a.scrub(msg))
		return exitError
	}
}

// noticeLockWaits makes a command that waits for another oneone's lock say so
// on stderr once (after a second), so a wait of up to 30 s never looks like a hang.
// Set once per process, by main.
func noticeLockWaits(stderr io.Writer) {
	gitstore.LockNotice = func(pid, dir string) {
		fmt.Fprintf(stderr, "oneone: waiting for another oneone process (pid %s) working in %s...\n", pid, dir)
	}
}

var unknownCommand = regexp.MustCompile(`^unknown command ("(?:[^"\\]|\\.)*") for "`)

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// scrub removes credentials from a message: passwords and tokens in URLs, and the token's value.
func (a *App) scrub(s string) string {
	s = gitstore.RedactText(s)
	s = ageSecret.ReplaceAllString(s, "AGE-SECRET-KEY-...")
	for _, sec := range a.secrets() {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

// flagName finds the flag that pflag names in its error about a value.
var flagName = regexp.MustCompile(`for "(-[-A-Za-z0-9, ]*)" flag`)

// ageSecret is an age secret key in a message (an argument echoed back): never printed.
var ageSecret = regexp.MustCompile(`(?i)AGE-SECRET-KEY-[0-9A-Z]+`)

// secrets lists the credential values from the environment, to scrub from any message.
func (a *App) secrets() []string {
	var out []string
	if t := a.Getenv("ONEONE_GIT_TOKEN"); t != "" {
		out = append(out, t)
	}
	return out
}

func (a *App) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "oneone",
		Short: "Keep your 1:1s first class: prepared, on cadence, written down",
		Long: `oneone keeps an engineering manager's 1:1 notes as plain Markdown files in a
git repository: one folder per report, one dated file per 1:1. It scaffolds
prepared notes, tells you who is overdue and which goals and growth themes are
slipping, and syncs the notes to a private remote.

Exit status: 0 ok, 1 findings (audit) or no match (search), 2 usage or data error.`,
		Example: `  oneone init ~/oneone --manager "Dana Reyes"
  oneone add alice --name "Alice Chen" --role "Backend engineer"
  oneone new alice -e
  oneone audit
  ONEONE_TODAY=2026-11-25 oneone --dir examples/team audit`,
		Version:           version,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{},
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			a.Stdout = render.NewSafeWriter(a.rawStdout, a.Color())
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if sealed.HasSecretKey(err.Error()) { // a flag's value that cobra cannot read, echoed whole: never a secret key
			if f := flagName.FindStringSubmatch(err.Error()); f != nil {
				return fmt.Errorf("%s: %w", f[1], sealed.ErrSecretKey)
			}
			return sealed.ErrSecretKey
		}
		use := strings.TrimSuffix(c.UseLine(), " [flags]")
		return fmt.Errorf("%s: usage: %s (see `%s --help`)", plainFlagError(err.Error()), use, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.Dir, "dir", "", "notes repository (default $ONEONE_DIR, the nearest folder holding oneone.yaml, or ~/oneone)")
	pf.BoolVar(&a.JSON, "json", false, "print JSON for scripts")
	pf.BoolVar(&a.NoColor, "no-color", false, "never colour the output (also NO_COLOR)")
	for _, f := range registry {
		root.AddCommand(f(a))
	}
	setupHelpAndCompletion(root)
	explainArgErrors(root)
	return root
}

// Today returns ONEONE_TODAY or the current day.
func (a *App) Today() (time.Time, error) {
	if s := a.Getenv("ONEONE_TODAY"); s != "" {
		d, err := notes.ParseDate(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("ONEONE_TODAY: %w", err)
		}
		return d, nil
	}
	return notes.Day(a.now().Local()), nil
}

// Root returns the notes repository's folder, from --dir, $ONEONE_DIR, the working directory or ~/oneone.
func (a *App) Root() string {
	cwd, _ := os.Getwd()
	home := a.Getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return notes.Locate(a.Dir, a.Getenv("ONEONE_DIR"), cwd, home)
}

// homeDefault refuses to write the notes at ~/oneone when there is no HOME
// (or a relative one): dir would be a folder relative to wherever oneone runs.
func (a *App) homeDefault(dir, cmd string) error {
	if filepath.IsAbs(dir) || a.Dir != "" || a.Getenv("ONEONE_DIR") != "" { // a folder given is the user's choice
		return nil
	}
	return fmt.Errorf("HOME is not set (or not an absolute path), so ~/oneone has no fixed place: give the folder, `oneone %s DIR`, or set HOME or ONEONE_DIR", cmd)
}

// Repo opens the notes repository for reading.
func (a *App) Repo() (*notes.Repo, error) {
	if a.repo != nil {
		return a.repo, nil
	}
	r, err := notes.Open(a.Root())
	if err != nil {
		if d := a.joinedDir(); d != "" {
			// the report's clone of a shared agenda: no notes of a manager's here
			return nil, fmt.Errorf("%s is a shared agenda you joined (share.yaml, no %s), not a notes repository: in it `oneone topic`, `oneone sync`, `oneone next` and `oneone agenda` work; this command is for a manager's notes (--dir DIR)", d, notes.ConfigFile)
		}
		return nil, err
	}
	a.repo = r
	a.warnUnknownKeys(r.Config)
	return r, nil
}

// warnUnknownKeys says, once per command, which keys of oneone.yaml oneone does
// not read: a misspelt setting, or a secret pasted there, is never silently ignored.
func (a *App) warnUnknownKeys(c notes.Config) {
	for _, k := range c.Unknown {
		a.infof("oneone: warning: %s:%d: unknown key %q, ignored: oneone reads %s; fix its spelling or remove it",
			notes.ConfigFile, k.Line, shownPath(k.Name), strings.Join(notes.ConfigKeys, ", "))
	}
}

// Config returns the repository settings.
func (a *App) Config() (notes.Config, error) {
	r, err := a.Repo()
	if err != nil {
		return notes.Config{}, err
	}
	return r.Config, nil
}

// Store opens the repository's git store for writing.
func (a *App) Store() (*gitstore.Store, error) {
	r, err := a.Repo()
	if err != nil {
		return nil, err
	}
	return gitstore.Open(r.Root)
}

// lockTimeout is how long a command waits for another oneone to finish.
const lockTimeout = 5 * time.Second

// Writer opens the repository and its git store and takes the lock; call done when finished.
func (a *App) Writer() (*notes.Repo, *gitstore.Store, func(), error) {
	r, err := a.Repo()
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := gitstore.Open(r.Root)
	if err != nil {
		return nil, nil, nil, err
	}
	unlock, err := st.Lock(lockTimeout)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := st.CanCommit(); err != nil { // before anything is written
		unlock()
		return nil, nil, nil, err
	}
	return r, st, unlock, nil
}

// author is who commits: the manager (else git's user.name) with git's
// user.email; with no email git knows, the commits say so (warnNoEmail).
func (a *App) author(st *gitstore.Store, manager string) gitstore.Author {
	au, ok := st.AuthorFor(manager, a.Getenv)
	if !ok {
		a.noEmail = true
	}
	return au
}

// warnNoEmail says, once per command and only after a commit, that the commits
// carry no email of the user's.
func (a *App) warnNoEmail() {
	if a.noEmail && !a.emailWarned {
		a.emailWarned = true
		a.infof("oneone: warning: git knows no user.email: commits are authored %s; set yours with `git config --global user.email you@example.com`", gitstore.NoEmail)
	}
}

// commit records paths in one commit by the manager and syncs when `sync: auto` is set.
func (a *App) commit(r *notes.Repo, st *gitstore.Store, msg string, paths ...string) error {
	if _, err := st.Commit(msg, a.author(st, r.Config.Manager), paths...); err != nil {
		if errors.Is(err, gitstore.ErrNothingChanged) {
			return nil
		}
		return err
	}
	a.warnNoEmail()
	if r.Config.Sync == "auto" {
		autoSync(a, st)
	}
	return nil
}

// commitCreated commits files this command has just created. When the commit
// fails they are removed again, with the folder made for them if it is left
// empty, so that a failed command changes nothing and can simply run again;
// a file the current commit already holds is never removed.
func (a *App) commitCreated(r *notes.Repo, st *gitstore.Store, msg string, created []string, madeDir string) error {
	err := a.commit(r, st, msg, created...)
	if err == nil {
		return nil
	}
	for _, rel := range created {
		if !st.InHead(rel) {
			_ = os.Remove(filepath.Join(r.Root, filepath.FromSlash(rel)))
		}
	}
	if madeDir != "" {
		_ = os.Remove(madeDir) // only when empty
	}
	return err
}

// Color reports whether output to stdout may use colour.
func (a *App) Color() bool {
	return colorAllowed(a.NoColor, a.JSON, a.Getenv) && a.isTerminal()
}

// colorAllowed applies the colour rules other than the terminal check:
// never with --no-color, NO_COLOR (any value), --json or TERM=dumb.
func colorAllowed(noColor, json bool, getenv func(string) string) bool {
	return !noColor && !json && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// isTerminal reports whether stdout is a terminal.
func (a *App) isTerminal() bool {
	if f, ok := a.rawStdout.(*os.File); ok {
		return isatty.IsTerminal(f.Fd())
	}
	return false
}

// printJSON writes v as indented JSON on stdout.
func (a *App) printJSON(v any) error {
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// infof talks to the user on stderr; data goes to stdout.
// No age secret key is ever said, whatever the message quotes (a file's line, an argument).
func (a *App) infof(format string, args ...any) {
	fmt.Fprint(a.Stderr, ageSecret.ReplaceAllString(fmt.Sprintf(format, args...), "AGE-SECRET-KEY-...")+"\n")
}

// slugsArg validates slug arguments before any file is touched.
func slugsArg(args []string) error {
	for _, s := range args {
		if err := notes.ValidateSlug(s); err != nil {
			return err
		}
	}
	return nil
}
