package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/notes"
	"github.com/oneone/oneone/sealed"
	"github.com/spf13/cobra"
)

func init() { register(newRecipientsCmd) }

// recipientsKey is the key of oneone.yaml that lists who may read an encrypted remote.
const recipientsKey = "recipients"

// recipientJSON is one key of `oneone recipients --json`.
type recipientJSON struct {
	Key          string `json:"key"`
	ThisComputer bool   `json:"this_computer"`
}

func newRecipientsCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "recipients [add|remove AGE-KEY]",
		Short: "List, add or remove the age keys that may read an encrypted remote",
		Long: `The recipients: list of oneone.yaml names the age public keys (age1..., one per
computer) that an encrypted remote is encrypted to (see ` + "`oneone remote --encrypt`" + `).

  oneone recipients              list them (this computer's is marked)
  oneone recipients add KEY      add a computer's key (` + "`oneone key`" + ` prints it there)
  oneone recipients remove KEY   remove one

Each change is committed; the next ` + "`oneone sync`" + ` re-encrypts everything for the
new list: a computer added reads the whole history (set it up with
` + "`oneone clone URL`" + `), a computer removed cannot read what is pushed after (what
it already had, it keeps). Only public keys are written: a secret key
(AGE-SECRET-KEY-...) is refused, and never leaves its computer.`,
		Example: `  oneone key                       # on the new computer: prints age1...
  oneone recipients add age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
  oneone sync
  oneone recipients --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return listRecipients(a) },
	}
	for _, verb := range []string{"add", "remove"} {
		cmd.AddCommand(&cobra.Command{
			Use:   verb + " AGE-KEY",
			Short: map[string]string{"add": "Add a computer's age public key to the recipients; committed", "remove": "Remove an age public key from the recipients; committed"}[verb],
			Example: map[string]string{
				"add":    "  oneone recipients add age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq && oneone sync",
				"remove": "  oneone recipients remove age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq && oneone sync",
			}[verb],
			Args: cobra.ExactArgs(1),
			ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if verb != "remove" || len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				r, err := a.Repo()
				if err != nil {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				keys, _ := checkedKeys(r.Config.Recipients, notes.ConfigFile) // never a secret key pasted there
				return keys, cobra.ShellCompDirectiveNoFileComp
			},
			RunE: func(cmd *cobra.Command, args []string) error { return changeRecipients(a, verb, args[0]) },
		})
	}
	return cmd
}

func listRecipients(a *App) error {
	r, err := a.Repo()
	if err != nil {
		return err
	}
	mine := a.ownKey()
	list := []recipientJSON{}
	keys, bad := checkedKeys(r.Config.Recipients, notes.ConfigFile+": "+recipientsKey)
	for _, k := range keys {
		list = append(list, recipientJSON{k, k == mine})
	}
	if a.JSON {
		if err := a.printJSON(list); err != nil {
			return err
		}
		return keyProblems(a, bad)
	}
	if len(list) == 0 && len(bad) > 0 {
		return keyProblems(a, bad)
	}
	if len(list) == 0 {
		a.infof("%s lists no recipients: `oneone remote URL --encrypt` adds this computer's key and encrypts origin", notes.ConfigFile)
		return nil
	}
	for _, e := range list {
		line := e.Key
		if e.ThisComputer {
			line += "  (this computer)"
		}
		fmt.Fprintln(a.Stdout, line)
	}
	return keyProblems(a, bad)
}

// checkedKeys returns the age public keys of list and, for every other
// entry, a line naming it (where[N]) and what is wrong. An entry that holds a
// secret key is said to be one, never repeated.
func checkedKeys(list []string, where string) (keys, problems []string) {
	for i, k := range list {
		key, err := sealed.ParseRecipient(k)
		if err != nil {
			msg := fmt.Sprintf("%s[%d]: %v; fix it by hand", where, i+1, err)
			if errors.Is(err, sealed.ErrSecretKey) {
				msg += fmt.Sprintf(" (a secret key in %s is never committed)", strings.SplitN(where, ":", 2)[0])
			}
			problems = append(problems, msg)
			continue
		}
		keys = append(keys, key)
	}
	return keys, problems
}

// keyProblems says every problem but the last on stderr and returns the last (exit 2).
func keyProblems(a *App, problems []string) error {
	for i, p := range problems {
		if i == len(problems)-1 {
			return errors.New(p)
		}
		a.infof("oneone: %s", p)
	}
	return nil
}

func changeRecipients(a *App, verb, arg string) error {
	key, err := sealed.ParseRecipient(arg)
	if err != nil {
		return fmt.Errorf("recipients %s: %w", verb, err)
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	have, err := configRecipients(r)
	if err != nil {
		return err
	}
	mine := a.ownKey()
	var want []string
	switch verb {
	case "add":
		if slices.Contains(have, key) {
			a.infof("%s is a recipient already: nothing to change", key)
			return printRecipients(a, have, key, false)
		}
		want = append(slices.Clone(have), key)
	default:
		if !slices.Contains(have, key) {
			return fmt.Errorf("%s is not among the recipients of %s: `oneone recipients` lists them", key, notes.ConfigFile)
		}
		if key == mine {
			return fmt.Errorf("%s is this computer's own key: removed here, this computer could not push the change (it could not read back what it pushes); run `oneone recipients remove %s` on another computer that is listed", key, key)
		}
		if len(have) == 1 {
			return fmt.Errorf("%s is the only recipient: without it nobody could read the encrypted remote; add another first", key)
		}
		for _, k := range have {
			if k != key {
				want = append(want, k)
			}
		}
	}
	if err := writeRecipients(a, r, st, verb, key); err != nil {
		return err
	}
	switch {
	case verb == "add":
		a.infof("added %s to the recipients in %s (committed)", key, notes.ConfigFile)
	default:
		a.infof("removed %s from the recipients in %s (committed); what that computer already has, it keeps", key, notes.ConfigFile)
	}
	if st.Encrypted() {
		a.infof("next: `oneone sync` re-encrypts origin for %s", syncPlural(len(want), "recipient"))
	} else {
		a.infof("note: origin is not encrypted: `oneone remote URL --encrypt` makes it so")
	}
	return printRecipients(a, want, key, true)
}

func printRecipients(a *App, keys []string, key string, changed bool) error {
	if !a.JSON {
		return nil
	}
	return a.printJSON(map[string]any{"recipients": nonNil(keys), "key": key, "changed": changed, "file": notes.ConfigFile})
}

// configRecipients reads the recipients of oneone.yaml as they are on disk, each checked.
func configRecipients(r *notes.Repo) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(r.Root, notes.ConfigFile))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", notes.ConfigFile, err)
	}
	cfg, err := notes.ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", notes.ConfigFile, err)
	}
	var out []string
	for _, k := range cfg.Recipients {
		if _, err := sealed.ParseRecipient(k); err != nil {
			return nil, fmt.Errorf("%s: recipients: %w: fix it by hand", notes.ConfigFile, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// writeRecipients adds or removes key in oneone.yaml (every other byte kept) and commits it.
func writeRecipients(a *App, r *notes.Repo, st *gitstore.Store, verb, key string) error {
	rel := notes.ConfigFile
	path := filepath.Join(r.Root, rel)
	if fi, err := os.Lstat(path); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a link?): replace it with the file itself", rel)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	var out []byte
	if verb == "add" {
		out, err = notes.AddConfigListItem(data, recipientsKey, key)
	} else {
		out, err = notes.RemoveConfigListItem(data, recipientsKey, key)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if _, err := notes.ParseConfig(out); err != nil {
		return fmt.Errorf("%s: the edit would leave an unreadable file (%v); nothing was changed", rel, err)
	}
	if err := notes.ReplaceFileAtomic(path, out); err != nil {
		return err
	}
	msg := gitstore.RecipientsCommitPrefix + verb + " " + key
	if err := a.commit(r, st, msg, rel); err != nil {
		if errors.Is(err, gitstore.ErrNothingChanged) {
			return nil
		}
		return fmt.Errorf("%s was changed but not committed: %w (run `oneone sync` to commit it)", rel, err)
	}
	return nil
}
