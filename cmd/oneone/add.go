package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/oneone/oneone/notes"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

func init() { register(newAddCmd) }

type addOptions struct {
	Name    string
	Cadence string
	Role    string
}

func newAddCmd(a *App) *cobra.Command {
	var o addOptions
	cmd := &cobra.Command{
		Use:   "add SLUG --name NAME [--cadence C] [--role R]",
		Short: "Add a report: SLUG/profile.md, committed",
		Long: `Add a direct report. SLUG names their folder: lowercase letters, digits and
single hyphens, starting with a letter (alice, bob-smith).`,
		Example: `  oneone add alice --name "Alice Chen" --role "Backend engineer"
  oneone add bob-smith --name "Bob Smith" --cadence biweekly`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runAdd(a, args[0], o) },
	}
	cmd.Flags().StringVar(&o.Name, "name", "", "the report's full name (required)")
	cmd.Flags().StringVar(&o.Cadence, "cadence", "", "1:1 cadence: weekly, biweekly, monthly or a duration (default: oneone.yaml's)")
	cmd.Flags().StringVar(&o.Role, "role", "", "the report's role")
	return cmd
}

func runAdd(a *App, slug string, o addOptions) error {
	if err := notes.ValidateSlug(slug); err != nil {
		return err
	}
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		return errors.New("--name is required: oneone add " + slug + ` --name "Full Name"`)
	}
	if strings.ContainsAny(o.Name+o.Role, "\n\r") {
		return errors.New("--name and --role must fit on one line")
	}
	if o.Cadence != "" {
		if _, err := notes.ParseCadence(o.Cadence); err != nil {
			return fmt.Errorf("--cadence: %w", err)
		}
	}
	r, st, unlock, err := a.Writer()
	if err != nil {
		return err
	}
	defer unlock()
	dir := filepath.Join(r.Root, slug)
	path := filepath.Join(dir, notes.ProfileFile)
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s/%s already exists: report %q is already there", slug, notes.ProfileFile, slug)
	}
	madeDir := ""
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		madeDir = dir
	}
	if err := notes.MkdirPrivate(dir); err != nil {
		return err
	}
	content := profileText(o, r.Config)
	if _, err := notes.ParseProfile(slug, content, r.Config); err != nil {
		return fmt.Errorf("internal: generated profile is invalid: %w", err)
	}
	if err := notes.CreateFileAtomic(path, content); err != nil {
		return err
	}
	rel := slug + "/" + notes.ProfileFile
	if err := a.commitCreated(r, st, fmt.Sprintf("%s: add %s", slug, o.Name), []string{rel}, madeDir); err != nil {
		return err
	}
	if a.JSON {
		return a.printJSON(map[string]string{"slug": slug, "name": o.Name, "file": rel})
	}
	fmt.Fprintf(a.Stdout, "added %s (%s)\n", o.Name, rel)
	a.infof("next: oneone new %s", slug)
	return nil
}

func profileText(o addOptions, cfg notes.Config) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("name: " + yamlQuote(o.Name) + "\n")
	if o.Role != "" {
		b.WriteString("role: " + yamlQuote(o.Role) + "\n")
	}
	if o.Cadence != "" {
		b.WriteString("cadence: " + yamlQuote(o.Cadence) + "\n")
	} else {
		// no cadence key: the report follows oneone.yaml's, also when it changes later
		b.WriteString("# cadence: " + cfg.Cadence + "    # the repository's default; set one for this report only\n")
	}
	b.WriteString("themes: []\n")
	b.WriteString("---\n")
	first := strings.Fields(o.Name)[0]
	fmt.Fprintf(&b, "\n<!-- Who %s is, what %s wants (\"move into management\", \"do data science\"), context worth remembering. -->\n", first, first)
	return []byte(b.String())
}

// yamlQuote writes s as a YAML scalar, quoted only when it has to be.
func yamlQuote(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}
