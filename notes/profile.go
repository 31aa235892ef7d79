package notes

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ProfileFile is the name of a report's profile inside its folder.
const ProfileFile = "profile.md"

// Theme statuses.
const (
	ThemeActive  = "active"
	ThemeDone    = "done"
	ThemeDropped = "dropped"
)

// Profile is a report's profile.md: who they are, their cadence and themes.
type Profile struct {
	Slug        string
	Path        string // repository-relative, with forward slashes
	Name        string
	Role        string
	Cadence     string // as written; empty means the repository's
	CadenceDays int    // effective cadence
	Themes      []Theme
	Archived    time.Time // zero when the report is current
	Away        []Absence
	Slot        Slot // the recurring 1:1 time; zero without one
	Body        string
}

// Theme is a two-month growth increment from a profile.
type Theme struct {
	Title   string    `json:"title"`
	Started time.Time `json:"-"`
	Due     time.Time `json:"-"`
	Status  string    `json:"status"`
	// Finished is the day the theme was marked done or dropped (theme done|drop write it), zero when not known.
	Finished time.Time `json:"-"`
}

// FirstName returns the first word of the report's name.
func (p *Profile) FirstName() string {
	if f := strings.Fields(p.Name); len(f) > 0 {
		return f[0]
	}
	return p.Slug
}

// ArchivedBy reports whether the report had left on or before day.
func (p *Profile) ArchivedBy(day time.Time) bool {
	return !p.Archived.IsZero() && !p.Archived.After(day)
}

// HasTheme reports whether the profile has a theme (of any status) titled exactly title.
func (p *Profile) HasTheme(title string) bool {
	for _, t := range p.Themes {
		if t.Title == title {
			return true
		}
	}
	return false
}

// ActiveThemes returns the themes whose status is active, in file order.
func (p *Profile) ActiveThemes() []Theme {
	var out []Theme
	for _, t := range p.Themes {
		if t.Status == ThemeActive {
			out = append(out, t)
		}
	}
	return out
}

// ParseProfile reads the content of slug/profile.md with the repository's settings.
func ParseProfile(slug string, data []byte, cfg Config) (*Profile, error) {
	if err := checkText(data, 1<<20); err != nil {
		return nil, err
	}
	p := &Profile{Slug: slug, Path: slug + "/" + ProfileFile}
	parts, err := SplitFrontmatter(normalizeText(data))
	if err != nil {
		return nil, err
	}
	if !parts.HasFront {
		return nil, errors.New("no frontmatter: start the file with ---, a line `name: Full Name`, and ---")
	}
	p.Body = string(parts.Body)
	m, err := decodeFront(parts.Front, 1)
	if err != nil {
		return nil, err
	}
	if p.Name, err = scalar(mapGet(m, "name"), "name"); err != nil {
		return nil, err
	}
	if p.Name == "" {
		return nil, errors.New("name is missing: add a line `name: Full Name` to the frontmatter")
	}
	if p.Role, err = scalar(mapGet(m, "role"), "role"); err != nil {
		return nil, err
	}
	if p.Cadence, err = scalar(mapGet(m, "cadence"), "cadence"); err != nil {
		return nil, err
	}
	p.CadenceDays = cfg.CadenceDays
	if p.Cadence != "" {
		if p.CadenceDays, err = ParseCadence(p.Cadence); err != nil {
			return nil, fmt.Errorf("cadence: %w", err)
		}
	}
	if p.Archived, err = dateValue(mapGet(m, "archived"), "archived"); err != nil {
		return nil, err
	}
	if p.Away, err = parseAway(mapGet(m, "away")); err != nil {
		return nil, err
	}
	if p.Themes, err = parseThemes(mapGet(m, "themes"), cfg.ThemeLengthDays); err != nil {
		return nil, err
	}
	if slot, err := scalar(mapGet(m, "slot"), "slot"); err != nil {
		return nil, err
	} else if slot != "" {
		if p.Slot, err = ParseSlot(slot); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func parseThemes(n *yaml.Node, length int) ([]Theme, error) {
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errors.New("themes must be a list of {title, started, due, status}")
	}
	var out []Theme
	seen := map[string]bool{}
	for i, item := range n.Content {
		item = resolveAlias(item)
		if item.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("themes[%d] must be {title: ..., started: YYYY-MM-DD}", i+1)
		}
		var t Theme
		var err error
		if t.Title, err = scalar(mapGet(item, "title"), "theme title"); err != nil {
			return nil, err
		}
		if t.Title == "" {
			return nil, fmt.Errorf("themes[%d] has no title", i+1)
		}
		key := strings.ToLower(t.Title)
		if seen[key] {
			return nil, fmt.Errorf("theme %q appears twice: rename or remove one", t.Title)
		}
		seen[key] = true
		if t.Started, err = dateValue(mapGet(item, "started"), "theme started"); err != nil {
			return nil, fmt.Errorf("theme %q: %w", t.Title, err)
		}
		if t.Due, err = dateValue(mapGet(item, "due"), "theme due"); err != nil {
			return nil, fmt.Errorf("theme %q: %w", t.Title, err)
		}
		if t.Finished, err = dateValue(mapGet(item, "finished"), "theme finished"); err != nil {
			return nil, fmt.Errorf("theme %q: %w", t.Title, err)
		}
		if t.Due.IsZero() && !t.Started.IsZero() {
			t.Due = AddDays(t.Started, length)
		}
		if t.Status, err = scalar(mapGet(item, "status"), "theme status"); err != nil {
			return nil, err
		}
		switch t.Status = strings.ToLower(t.Status); t.Status { // "Done" is done, as kind and status of notes
		case "":
			t.Status = ThemeActive
		case ThemeActive, ThemeDone, ThemeDropped:
		default:
			return nil, fmt.Errorf("theme %q: unknown status %q: use active, done or dropped", t.Title, t.Status)
		}
		out = append(out, t)
	}
	return out, nil
}
