package notes

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed templates/*.md
var builtinTemplates embed.FS

// TemplateDir is the repository folder whose regular.md and goals.md override the built-in templates.
const TemplateDir = "templates"

// TemplateData is what a note template sees.
type TemplateData struct {
	Date      string
	Kind      string
	Manager   string
	Slug      string
	Name      string
	FirstName string
	Role      string
	Themes    []Theme
	Actions   []CarryItem
	Previous  string // date of the previous note, if any
}

// CarryItem is an open action item copied into a new note.
type CarryItem struct {
	Text string
	From string // date of the note it first appeared in
}

// Scaffold is a note prepared by `new`, not yet written.
type Scaffold struct {
	Path     string // repository-relative
	Content  []byte
	Kind     string
	GoalsDue bool   // a goals 1:1 was due, so the goals template was used
	Carried  int    // open action items carried over
	Template string // which template: built-in or templates/NAME.md
}

// ErrNoteExists is returned when `new` would overwrite a note.
var ErrNoteExists = errors.New("note already exists")

// ScaffoldNote prepares slug's note for day; kind "" picks goals when a goals 1:1 is due.
func (r *Repo) ScaffoldNote(p *Person, day time.Time, kind string) (*Scaffold, error) {
	goalsDue, _ := GoalsDue(p, r.Config, day)
	if kind == "" {
		kind = KindRegular
		if goalsDue {
			kind = KindGoals
		}
	}
	if kind != KindRegular && kind != KindGoals {
		return nil, fmt.Errorf("unknown kind %q: use regular or goals", kind)
	}
	data := TemplateData{
		Date: FormatDate(day), Kind: kind, Manager: r.Config.Manager, Slug: p.Slug,
		Name: p.Profile.Name, FirstName: p.Profile.FirstName(), Role: p.Profile.Role,
		Themes: p.Profile.ActiveThemes(),
	}
	if prev := p.Before(day); prev != nil {
		data.Previous = FormatDate(prev.Date)
		data.Actions = carryOver(p, prev)
	}
	src, name, err := r.template(kind)
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New(name).Funcs(template.FuncMap{"yaml": yamlString}).Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("%s: %s: fix the template or delete it to use the built-in one", name, err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("%s: %s: fix the template or delete it to use the built-in one", name, err)
	}
	path := NotePath(p.Slug, day)
	if _, err := ParseNote(p.Slug, FormatDate(day)+".md", buf.Bytes()); err != nil {
		if strings.HasPrefix(name, "built-in") {
			// the built-in templates are valid: what breaks the note is what it carries over
			return nil, fmt.Errorf("%s: the new note would not be readable (%s): check the action items of %s", path, err, NotePath(p.Slug, ParseDateOr(data.Previous)))
		}
		return nil, fmt.Errorf("%s does not produce a valid note (%s): fix the template", name, err)
	}
	return &Scaffold{Path: path, Content: buf.Bytes(), Kind: kind, GoalsDue: goalsDue, Carried: len(data.Actions), Template: name}, nil
}

// template returns the override in templates/KIND.md, else the built-in one.
func (r *Repo) template(kind string) ([]byte, string, error) {
	rel := TemplateDir + "/" + kind + ".md"
	if err := CheckNoLinks(r.Root, rel); err != nil {
		return nil, rel, err
	}
	data, err := readLimited(filepath.Join(r.Root, TemplateDir, kind+".md"), 1<<20)
	if err == nil {
		return normalizeText(data), rel, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, rel, fmt.Errorf("%s: %w", rel, err)
	}
	b, err := builtinTemplates.ReadFile("templates/" + kind + ".md")
	return b, "built-in " + kind + " template", err
}

// carryOver returns the open items of the previous note, marked with the note they first appeared in.
func carryOver(p *Person, prev *Note) []CarryItem {
	first := map[string]time.Time{}
	open := map[string]bool{}
	for _, a := range p.Actions() {
		first[a.Key] = a.First
		open[a.Key] = a.Open
	}
	seen := map[string]bool{}
	var out []CarryItem
	for _, t := range prev.Tasks {
		if t.Checked || seen[t.Key] || !open[t.Key] {
			continue
		}
		seen[t.Key] = true
		from := first[t.Key]
		if from.IsZero() {
			from = prev.Date
		}
		out = append(out, CarryItem{Text: TaskBase(t.Text), From: FormatDate(from)})
	}
	return out
}

// yamlString writes s as a YAML scalar, quoted when it needs to be.
func yamlString(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}
