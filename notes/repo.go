package notes

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Repo is a notes repository: a folder holding oneone.yaml.
type Repo struct {
	Root   string
	Config Config
}

// Locate finds the notes repository: dir, else envDir, else the nearest folder
// at or above cwd holding oneone.yaml, else home/oneone.
func Locate(dir, envDir, cwd, home string) string {
	if dir != "" {
		return filepath.Clean(dir)
	}
	if envDir != "" {
		return filepath.Clean(envDir)
	}
	for d := cwd; d != ""; {
		if _, err := os.Lstat(filepath.Join(d, ConfigFile)); err == nil {
			return d // whatever it is: reading it says what is wrong with it
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return filepath.Join(home, "oneone")
}

// Open reads the repository at root.
func Open(root string) (*Repo, error) {
	fi, err := os.Stat(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no notes repository at %s: run `oneone init %s` or pass --dir", root, root)
		}
		return nil, fmt.Errorf("open %s: %w", root, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder: pass --dir with the notes repository", root)
	}
	cfg, err := LoadConfig(root)
	if err != nil {
		return nil, err
	}
	return &Repo{Root: root, Config: cfg}, nil
}

// Problem is a file oneone could not read, reported rather than fatal.
type Problem struct {
	Slug    string
	Path    string // repository-relative
	Message string
}

// Person is a report: profile, notes (oldest first) and the files that went wrong.
type Person struct {
	Slug      string
	Profile   *Profile
	Notes     []*Note
	Problems  []Problem
	Conflicts []string // conflict copies left by sync, repository-relative

	// actions, when known, are the action items followed through Notes, read
	// from the summary cache instead of the notes' tasks (see LoadSummaries).
	actions      []actionState
	actionsKnown bool
	memo         atomic.Pointer[actionMemo] // followActions' last result (actions.go)
}

// Team is everything read from a repository.
type Team struct {
	People   []*Person // sorted by slug; only folders with a readable profile
	Problems []Problem // unreadable profiles and report folders with bad names
	// Conflicts are the conflict copies sync left outside report folders
	// (GUIDE.conflict-HASH.md, oneone.conflict-HASH.yaml, templates/...).
	Conflicts []string
}

// Slugs lists the folders that are reports (holding profile.md), valid slugs only.
func (r *Repo) Slugs() ([]string, error) {
	entries, err := os.ReadDir(r.Root)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.Root, err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || ValidateSlug(e.Name()) != nil {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(r.Root, e.Name(), ProfileFile)); err == nil && fi.Mode().IsRegular() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// Load reads every report, or only the named ones; an unknown slug is an error.
func (r *Repo) Load(only ...string) (*Team, error) { return r.load(only, nil) }

// load reads the reports, through the summary cache c when it is not nil.
func (r *Repo) load(only []string, c *noteCache) (*Team, error) {
	entries, err := os.ReadDir(r.Root)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.Root, err)
	}
	want := map[string]bool{}
	for _, s := range only {
		want[s] = true
	}
	team := &Team{}
	var dirs []string
	if len(only) == 0 { // the whole team's files: only when the whole team is read
		team.Conflicts = conflictCopies(entries, "")
		if tmpl, err := os.ReadDir(filepath.Join(r.Root, TemplateDir)); err == nil {
			team.Conflicts = append(team.Conflicts, conflictCopies(tmpl, TemplateDir+"/")...)
		}
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || name == "templates" {
			continue
		}
		if e.Type()&os.ModeSymlink != 0 {
			if _, err := os.Stat(filepath.Join(r.Root, name, ProfileFile)); err == nil {
				team.Problems = append(team.Problems, Problem{Slug: name, Path: name, Message: "report folder is a symbolic link; oneone does not follow links: replace it with a real folder"})
			}
			continue
		}
		if !e.IsDir() {
			continue
		}
		if _, err := os.Lstat(filepath.Join(r.Root, name, ProfileFile)); err != nil {
			continue // not a report
		}
		if err := ValidateSlug(name); err != nil {
			team.Problems = append(team.Problems, Problem{Slug: name, Path: name + "/" + ProfileFile, Message: fmt.Sprintf("folder name %q is not a valid slug: rename the folder (lowercase letters, digits, single hyphens)", name)})
			continue
		}
		if len(want) > 0 && !want[name] {
			continue
		}
		dirs = append(dirs, name)
	}
	for _, s := range only {
		if !contains(dirs, s) {
			return nil, r.unknownSlug(s)
		}
	}
	people := make([]*Person, len(dirs))
	errs := make([]*Problem, len(dirs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, slug := range dirs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			people[i], errs[i] = r.loadPerson(slug, c)
		}()
	}
	wg.Wait()
	for i := range dirs {
		if errs[i] != nil {
			team.Problems = append(team.Problems, *errs[i])
			continue
		}
		team.People = append(team.People, people[i])
	}
	return team, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// UnknownSlugError is returned for a slug that names no report.
type UnknownSlugError struct {
	Slug    string
	Closest string   // a close match, suggested
	Slugs   []string // every report, listed when none is close
}

// maxListed is how many slugs an error lists before it says how many more.
const maxListed = 10

func (e *UnknownSlugError) Error() string {
	msg := fmt.Sprintf("no report %q", e.Slug)
	switch {
	case e.Closest != "":
		msg += fmt.Sprintf(": did you mean %q? (or add one with `oneone add %s --name NAME`)", e.Closest, e.Slug)
	case len(e.Slugs) > 0:
		list := e.Slugs
		more := ""
		if len(list) > maxListed {
			list, more = list[:maxListed], fmt.Sprintf(" and %d more (`oneone people --all`)", len(list)-maxListed)
		}
		msg += fmt.Sprintf(": the reports are %s%s (or add one with `oneone add %s --name NAME`)", strings.Join(list, ", "), more, e.Slug)
	default:
		msg += fmt.Sprintf(": add one with `oneone add %s --name NAME`", e.Slug)
	}
	return msg
}

func (r *Repo) unknownSlug(s string) error {
	if err := ValidateSlug(s); err != nil {
		return err
	}
	slugs, _ := r.Slugs()
	if c := Closest(s, slugs); c != "" {
		return &UnknownSlugError{Slug: s, Closest: c}
	}
	return &UnknownSlugError{Slug: s, Slugs: slugs}
}

// LoadProfile reads one report's profile.
func (r *Repo) LoadProfile(slug string) (*Profile, error) {
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	if err := CheckNoLinks(r.Root, slug+"/"+ProfileFile); err != nil {
		return nil, err
	}
	path := filepath.Join(r.Root, slug, ProfileFile)
	data, err := readLimited(path, 1<<20)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, r.unknownSlug(slug)
		}
		return nil, fmt.Errorf("%s/%s: %w", slug, ProfileFile, err)
	}
	p, err := ParseProfile(slug, data, r.Config)
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", slug, ProfileFile, err)
	}
	return p, nil
}

// LoadPerson reads one report with all their notes.
func (r *Repo) LoadPerson(slug string) (*Person, error) {
	if _, err := r.LoadProfile(slug); err != nil {
		return nil, err
	}
	p, prob := r.loadPerson(slug, nil)
	if prob != nil {
		return nil, fmt.Errorf("%s: %s", prob.Path, prob.Message)
	}
	return p, nil
}

func (r *Repo) loadPerson(slug string, c *noteCache) (*Person, *Problem) {
	var old, fresh *cachedFolder
	var prof *Profile
	var err error
	if c != nil {
		old, fresh = c.folder(slug), &cachedFolder{}
		prof, err = r.cachedProfile(c, slug, old, fresh)
	} else {
		prof, err = r.LoadProfile(slug)
	}
	if err != nil {
		c.keep(slug)
		msg := err.Error()
		msg = strings.TrimPrefix(msg, slug+"/"+ProfileFile+": ")
		return nil, &Problem{Slug: slug, Path: slug + "/" + ProfileFile, Message: msg}
	}
	p := &Person{Slug: slug, Profile: prof}
	dir := filepath.Join(r.Root, slug)
	var listed []string
	var isDir func(i int) bool // known only without the cache
	if c != nil {
		listed, err = readDirNames(dir) // the cache's stat tells folders apart
		isDir = func(int) bool { return false }
	} else {
		var entries []os.DirEntry
		entries, err = os.ReadDir(dir)
		listed = make([]string, len(entries))
		for i, e := range entries {
			listed[i] = e.Name()
		}
		isDir = func(i int) bool { return entries[i].IsDir() }
	}
	if err != nil {
		c.keep(slug)
		return nil, &Problem{Slug: slug, Path: slug, Message: err.Error()}
	}
	var names []string // candidate notes, sorted
	for i, name := range listed {
		if IsSharedCopy(name) && !isDir(i) { // any kind of file the report added
			p.Conflicts = append(p.Conflicts, slug+"/"+name)
			continue
		}
		if name == ProfileFile || strings.HasPrefix(name, ".") || !strings.HasSuffix(strings.ToLower(name), ".md") {
			continue
		}
		if IsConflictCopy(name) {
			p.Conflicts = append(p.Conflicts, slug+"/"+name)
			continue
		}
		if isDir(i) {
			p.Problems = append(p.Problems, folderNamedLikeNote(slug, name))
			continue
		}
		names = append(names, name)
	}
	if c != nil {
		c.notes(r, p, dir, names, old, fresh)
	} else {
		for _, name := range names {
			n, err := r.readNote(slug, name)
			if err != nil {
				p.Problems = append(p.Problems, Problem{Slug: slug, Path: slug + "/" + name, Message: err.Error()})
				continue
			}
			p.Notes = append(p.Notes, n)
		}
	}
	sort.Slice(p.Notes, func(i, j int) bool { return p.Notes[i].Date.Before(p.Notes[j].Date) })
	if c != nil {
		c.done(p, old, fresh)
	}
	return p, nil
}

// folderNamedLikeNote is the problem of a folder whose name ends in .md in a report's folder.
func folderNamedLikeNote(slug, name string) Problem {
	return Problem{Slug: slug, Path: slug + "/" + name, Message: "is a folder, not a note: move its content out and remove it"}
}

func (r *Repo) readNote(slug, name string) (*Note, error) {
	if _, err := NoteDate(name); err != nil {
		return nil, err
	}
	data, err := readLimited(filepath.Join(r.Root, slug, name), MaxNoteSize)
	if err != nil {
		return nil, err
	}
	return ParseNote(slug, name, data)
}

// NotePath returns the repository-relative path of slug's note on day.
func NotePath(slug string, day time.Time) string { return slug + "/" + FormatDate(day) + ".md" }

// Note returns the person's note on day, or nil.
func (p *Person) Note(day time.Time) *Note {
	for _, n := range p.Notes {
		if n.Date.Equal(day) {
			return n
		}
	}
	return nil
}

// Held returns the held notes as of today, oldest first.
func (p *Person) Held(today time.Time) []*Note {
	var out []*Note
	for _, n := range p.Notes {
		if n.Held(today) {
			out = append(out, n)
		}
	}
	return out
}

// LastHeld returns the newest held note as of today, or nil.
func (p *Person) LastHeld(today time.Time) *Note {
	for i := len(p.Notes) - 1; i >= 0; i-- {
		if p.Notes[i].Held(today) {
			return p.Notes[i]
		}
	}
	return nil
}

// Latest returns the newest note of any status, or nil.
func (p *Person) Latest() *Note {
	if len(p.Notes) == 0 {
		return nil
	}
	return p.Notes[len(p.Notes)-1]
}

// Before returns the newest note dated before day, or nil.
func (p *Person) Before(day time.Time) *Note {
	for i := len(p.Notes) - 1; i >= 0; i-- {
		if p.Notes[i].Date.Before(day) {
			return p.Notes[i]
		}
	}
	return nil
}

// conflictCopies lists the conflict copies among a folder's entries (prefix is
// the folder, repository-relative, with its slash).
func conflictCopies(entries []os.DirEntry, prefix string) []string {
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && IsSyncConflictCopy(e.Name()) {
			out = append(out, prefix+e.Name())
		}
	}
	return out
}
