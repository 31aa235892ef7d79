package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
)

func init() { register(newInitCmd) }

type initOptions struct {
	Manager string
	Cadence string
}

func newInitCmd(a *App) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a notes repository: git init, oneone.yaml, a first commit",
		Long: `Create a notes repository in DIR (default: --dir, $ONEONE_DIR, the nearest
folder holding oneone.yaml, or ~/oneone): a git repository with oneone.yaml and
a first commit. An oneone.yaml already there is kept and committed as it is;
running init again on a repository changes nothing. A bare git repository is
refused: make it the remote instead.`,
		Example: `  oneone init ~/oneone --manager "Dana Reyes"
  oneone init notes --cadence biweekly`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := ""
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(a, dir, o)
		},
	}
	cmd.Flags().StringVar(&o.Manager, "manager", "", "your name, used in templates and commits")
	cmd.Flags().StringVar(&o.Cadence, "cadence", "weekly", "default cadence: weekly, biweekly, monthly or a duration (10d, 3w)")
	return cmd
}

func runInit(a *App, dir string, o initOptions) error {
	if dir == "" {
		dir = a.Root() // --dir, $ONEONE_DIR, the nearest folder holding oneone.yaml, ~/oneone
		if err := a.homeDefault(dir, "init"); err != nil {
			return err
		}
	}
	if isBareRepo(dir) {
		return fmt.Errorf("%s is a bare git repository (no work tree for notes): init a notes folder elsewhere and use %s as its remote with `oneone remote`", dir, dir)
	}
	if _, err := notes.ParseCadence(o.Cadence); err != nil {
		return fmt.Errorf("--cadence: %w", err)
	}
	if strings.ContainsAny(o.Manager, "\n\r") {
		return errors.New("--manager: a name must fit on one line")
	}
	if err := notes.MkdirPrivate(dir); err != nil {
		return err
	}
	st, err := gitstore.Init(dir)
	if err != nil {
		return err
	}
	unlock, err := st.Lock(lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	if err := st.CanCommit(); err != nil {
		return err
	}
	cfgPath := filepath.Join(dir, notes.ConfigFile)
	if _, err := os.Lstat(cfgPath); errors.Is(err, os.ErrNotExist) {
		if err := notes.WriteFileAtomic(cfgPath, []byte(configText(o))); err != nil {
			return err
		}
	} else if _, err := notes.LoadConfig(dir); err != nil {
		return err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Lstat(ignore); errors.Is(err, os.ErrNotExist) {
		if err := notes.WriteFileAtomic(ignore, []byte("# temporary files of an interrupted oneone\n.*"+notes.TempMarker+"*\n")); err != nil {
			return err
		}
	}
	cfg, err := notes.LoadConfig(dir)
	if err != nil {
		return err
	}
	// Both files are committed when the current commit lacks them, whether
	// oneone just wrote them or found them there (an oneone.yaml copied in by
	// hand); once committed, editing them is yours and `sync` commits it.
	var commit []string
	for _, p := range []string{notes.ConfigFile, ".gitignore"} {
		if !st.InHead(p) {
			commit = append(commit, p)
		}
	}
	if len(commit) == 0 {
		if a.JSON {
			return a.printJSON(map[string]any{"dir": dir, "created": false})
		}
		fmt.Fprintf(a.Stdout, "%s is already a oneone repository\n", dir)
		return nil
	}
	if _, err := st.Commit(gitstore.InitMessage, a.author(st, cfg.Manager), commit...); err != nil && !errors.Is(err, gitstore.ErrNothingChanged) {
		return err
	}
	a.warnNoEmail()
	if a.JSON {
		return a.printJSON(map[string]any{"dir": dir, "created": true})
	}
	fmt.Fprintf(a.Stdout, "initialized notes repository in %s\n", dir)
	a.infof("next: oneone --dir %s add SLUG --name \"Full Name\"", dir)
	return nil
}

func configText(o initOptions) string {
	manager := o.Manager
	if manager == "" {
		manager = `""`
	} else {
		manager = yamlQuote(manager)
	}
	return fmt.Sprintf(`# oneone settings: https://github.com/oneone/oneone#settings
manager: %s        # your name, used in templates and commits
cadence: %s        # default cadence for new reports: weekly, biweekly, monthly, or 10d, 3w
grace: 2d              # slack before a 1:1 counts as overdue
goals_every: 8w        # a goals 1:1 every couple of months
theme_length: 8w       # default length of a growth theme
prepare_ahead: 2d      # unprepared: a 1:1 today or up to 2 days ahead with no feedback written
# sync: auto           # sync with the remote after every command that commits
`, manager, o.Cadence)
}

// isBareRepo reports whether dir looks like a bare git repository: HEAD and
// objects/ at its top and no .git.
func isBareRepo(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return false
	}
	head, err1 := os.Stat(filepath.Join(dir, "HEAD"))
	objects, err2 := os.Stat(filepath.Join(dir, "objects"))
	return err1 == nil && err2 == nil && head.Mode().IsRegular() && objects.IsDir()
}
