package notes

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
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
	Actions   []CarryItem // open action items carried over
	// PrivateActions are the open items written in a Private section: they
	// are carried into the new note's Private section, never into Action items.
	PrivateActions []CarryItem
	Previous       string // date of the previous note, if any
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
	var err error
	data := TemplateData{
		Date: FormatDate(day), Kind: kind, Manager: r.Config.Manager, Slug: p.Slug,
		Name: p.Profile.Name, FirstName: p.Profile.FirstName(), Role: p.Profile.Role,
		Themes: p.Profile.ActiveThemes(),
	}
	if prev := p.Before(day); prev != nil {
		data.Previous = FormatDate(prev.Date)
		if data.Actions, data.PrivateActions, err = r.carryOver(p, day); err != nil {
			return nil, err
		}
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
	// Carried items the template did not write (a template of the user's
	// without .Actions or .PrivateActions, or one that prints them nowhere) go
	// under its own heading for them, else in a section added at the end.
	// Carried items are never dropped.
	content := buf.Bytes()
	content = placeItems(content, "Action items", func(h string) bool { return strings.EqualFold(h, "Action items") }, missing(content, data.Actions))
	content = placeItems(content, "Private", IsPrivateHeading, missing(content, data.PrivateActions))
	buf = *bytes.NewBuffer(content)
	path := NotePath(p.Slug, day)
	if _, err := ParseNote(p.Slug, FormatDate(day)+".md", buf.Bytes()); err != nil {
		if strings.HasPrefix(name, "built-in") {
			// the built-in templates are valid: what breaks the note is what it carries over
			return nil, fmt.Errorf("%s: the new note would not be readable (%s): check the action items of %s", path, err, NotePath(p.Slug, ParseDateOr(data.Previous)))
		}
		return nil, fmt.Errorf("%s does not produce a valid note (%s): fix the template", name, err)
	}
	return &Scaffold{Path: path, Content: buf.Bytes(), Kind: kind, GoalsDue: goalsDue, Carried: len(data.Actions) + len(data.PrivateActions), Template: name}, nil
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

// carryOver returns every action item still open in the notes before day,
// oldest first, marked with the note it first appeared in: an item left open
// in any earlier note is carried, not only those of the previous note (a
// cancelled 1:1 must not lose them). Items written in a Private section (of
// any note, PrivateTaskKeys) come apart, for the new note's Private section.
//
// p's notes may be summaries (LoadPersonTasks: no Body, Tasks kept). Only the
// open items' privacy needs a body: it is looked up in the notes that list an
// open item, read again when they are summaries, instead of PrivateRanges'
// goldmark parse of every note (issue 19: on the large bench repository that
// was a quarter of `new`, 18 ms for a report's ~500 notes).
func (r *Repo) carryOver(p *Person, day time.Time) (shared, private []CarryItem, err error) {
	before := &Person{Slug: p.Slug, Profile: p.Profile}
	for _, n := range p.Notes {
		if n.Date.Before(day) {
			before.Notes = append(before.Notes, n)
		}
	}
	open := before.OpenActions()
	if len(open) == 0 {
		return nil, nil, nil
	}
	wanted := make(map[string]bool, len(open))
	for _, a := range open {
		wanted[a.Key] = true
	}
	priv := map[string]bool{}
	for _, n := range before.Notes {
		if !slices.ContainsFunc(n.Tasks, func(t Task) bool { return wanted[t.Key] && !priv[t.Key] }) {
			continue
		}
		full := n
		if len(n.Body) == 0 { // a summary: read it with its body
			if full, err = r.readNote(p.Slug, path.Base(n.Path)); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", n.Path, err)
			}
		}
		for _, rg := range full.PrivateRanges() {
			for _, t := range full.Tasks {
				if off := lineOffset(full.Body, t.Line); wanted[t.Key] && off >= rg[0] && off < rg[1] {
					priv[t.Key] = true
				}
			}
		}
	}
	for _, a := range open {
		item := CarryItem{Text: TaskBase(a.Text), From: FormatDate(a.First)}
		if priv[a.Key] {
			private = append(private, item)
		} else {
			shared = append(shared, item)
		}
	}
	return shared, private, nil
}

// yamlString writes s as a YAML scalar, quoted when it needs to be.
func yamlString(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// missing returns the items whose text the note, as the template wrote it, lacks.
func missing(note []byte, items []CarryItem) []CarryItem {
	var out []CarryItem
	for _, a := range items {
		if !bytes.Contains(note, []byte(a.Text)) {
			out = append(out, a)
		}
	}
	return out
}

// placeItems puts items as unchecked tasks right under the first level-2
// heading of note that is accepts (a real one: not inside a fenced code
// block or an HTML comment), or in a section titled heading at its end.
func placeItems(note []byte, heading string, accepts func(string) bool, items []CarryItem) []byte {
	if len(items) == 0 {
		return note
	}
	var lines bytes.Buffer
	for _, a := range items {
		fmt.Fprintf(&lines, "- [ ] %s (from %s)\n", a.Text, a.From)
	}
	var fence string   // the opening fence of the code block we are in
	inComment := false // inside a multi-line HTML comment
	for off := 0; off < len(note); {
		end := bytes.IndexByte(note[off:], '\n')
		if end < 0 {
			end = len(note) - off
		}
		line := strings.TrimRight(string(note[off:off+end]), "\r")
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			off += end + 1
			continue
		case inComment:
			inComment = !strings.Contains(line, "-->")
			off += end + 1
			continue
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
			off += end + 1
			continue
		case strings.Contains(line, "<!--"):
			inComment = !strings.Contains(line[strings.LastIndex(line, "<!--"):], "-->")
			if strings.HasPrefix(trimmed, "<!--") { // a heading after it is no heading
				off += end + 1
				continue
			}
		}
		if level, h, ok := atxHeading([]byte(line)); ok && level == 2 && accepts(h) {
			at := min(off+end+1, len(note))
			out := append([]byte(nil), note[:at]...)
			if at == len(note) && (at == 0 || note[at-1] != '\n') {
				out = append(out, '\n') // the heading ends the file without a line break
			}
			out = append(out, lines.Bytes()...)
			return append(out, note[at:]...)
		}
		off += end + 1
	}
	out := append([]byte(nil), note...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	out = append(out, "\n## "+heading+"\n"...)
	return append(out, lines.Bytes()...)
}
