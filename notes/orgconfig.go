package notes

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// OrgKey is the key of oneone.yaml that names the organisation's repository.
const OrgKey = "org"

// OrgSettings are the `org:` settings of oneone.yaml: the organisation's
// repository this manager publishes a numbers-only summary to.
type OrgSettings struct {
	Remote string // the organisation repository's URL, never with credentials
	As     string // the summary's name there: managers/AS.json
	// Anonymous publishes pseudonyms instead of the reports' slugs and names.
	Anonymous bool
	// Key is the secret the pseudonyms are made with (hex); "" when none is kept here.
	Key string
}

// LoadOrgSettings reads the org settings of the repository at root; ok is
// false when oneone.yaml has none.
func LoadOrgSettings(root string) (o OrgSettings, ok bool, err error) {
	path := filepath.Join(root, ConfigFile)
	data, err := readLimited(path, 1<<20)
	if err != nil {
		return o, false, fmt.Errorf("read %s: %w", path, err)
	}
	o, ok, err = ParseOrgSettings(data)
	if err != nil {
		return o, false, fmt.Errorf("%s: %w", path, err)
	}
	return o, ok, nil
}

// ParseOrgSettings reads the org key of the content of oneone.yaml.
func ParseOrgSettings(data []byte) (o OrgSettings, ok bool, err error) {
	if err := checkText(data, 1<<20); err != nil {
		return o, false, err
	}
	m, err := decodeFront(normalizeText(data), 0)
	if err != nil || m == nil {
		return o, false, err
	}
	v := mapGet(m, OrgKey)
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return o, false, nil
	}
	if v.Kind != yaml.MappingNode {
		return o, false, errors.New("org must be {remote: URL, as: NAME}: run `oneone org join URL` to write it")
	}
	if o.Remote, err = scalar(mapGet(v, "remote"), "org remote"); err != nil {
		return o, false, err
	}
	if o.As, err = scalar(mapGet(v, "as"), "org as"); err != nil {
		return o, false, err
	}
	anon, err := scalar(mapGet(v, "anonymous"), "org anonymous")
	if err != nil {
		return o, false, err
	}
	switch strings.ToLower(anon) {
	case "", "false", "no", "off":
	case "true", "yes", "on":
		o.Anonymous = true
	default:
		return o, false, fmt.Errorf("org anonymous: %q is not true or false", anon)
	}
	if o.Key, err = scalar(mapGet(v, "key"), "org key"); err != nil {
		return o, false, err
	}
	if o.Remote == "" {
		return o, false, errors.New("org has no remote: run `oneone org join URL` to set it")
	}
	if err := ValidateSlug(o.As); err != nil {
		return o, false, fmt.Errorf("org as: %w", err)
	}
	if o.Key != "" && !validKey(o.Key) {
		return o, false, errors.New("org key must be 32 to 128 hex digits: delete the line and run `oneone org join` again")
	}
	return o, true, nil
}

func validKey(k string) bool {
	if len(k) < 32 || len(k) > 128 {
		return false
	}
	for _, c := range k {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// SetOrgSettings writes o as the org key of the content of oneone.yaml (a
// block mapping replacing any org key there), keeping every other byte.
func SetOrgSettings(data []byte, o OrgSettings) ([]byte, error) {
	if err := ValidateSlug(o.As); err != nil {
		return nil, fmt.Errorf("--as: %w", err)
	}
	d, err := openYAML(data, true)
	if err != nil {
		return nil, err
	}
	fields := []field{{"remote", o.Remote, true}, {"as", o.As, true}}
	if o.Anonymous {
		fields = append(fields, field{"anonymous", "true", false})
	}
	if o.Key != "" {
		fields = append(fields, field{"key", o.Key, true})
	}
	want := cloneMap(d.old)
	item, err := decodeFields(fields)
	if err != nil {
		return nil, err
	}
	want[OrgKey] = item
	indent := 0
	if d.root != nil {
		indent = d.root.Column - 1
	}
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	b.WriteString(pad + OrgKey + ":" + d.nl)
	for _, f := range fields {
		v, err := scalarText(f.value, f.str)
		if err != nil {
			return nil, err
		}
		b.WriteString(pad + "  " + f.key + ": " + v + d.nl)
	}
	var out []byte
	if k, _ := d.entry(OrgKey); k == nil {
		out = d.insertAt(d.end, b.String())
	} else {
		from := d.lines[k.Line-1]
		to := d.blockEnd(k.Line, k.Column-1, false)
		text := b.String()
		if to == d.end && to > from && d.src[to-1] != '\n' { // an unterminated last line stays unterminated
			text = strings.TrimSuffix(text, d.nl)
		}
		out = d.replace(from, to, text)
	}
	return d.verify(out, want)
}

// NameSlug turns a name into a slug: "Dana Reyes" -> "dana-reyes", "Sofía
// Álvarez" -> "sofia-alvarez"; "" when nothing of it is usable.
func NameSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		if b.Len() >= 40 {
			break
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // the accent of a decomposed letter
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	for s != "" && !unicode.IsLetter(rune(s[0])) { // a slug starts with a letter
		s = strings.TrimLeft(s[1:], "-")
	}
	if ValidateSlug(s) != nil {
		return ""
	}
	return s
}

// GoalsDueFinding reports whether audit gives the report a goals-due finding
// on today: a goals 1:1 is due (GoalsDue) and none is planned; lastGoals is
// the last held goals 1:1 (zero when none).
func GoalsDueFinding(p *Person, cfg Config, today time.Time) (finding bool, lastGoals time.Time) {
	due, last := GoalsDue(p, cfg, today)
	return due && p.PlannedGoals(today) == nil, last
}

// ActiveOn reports whether the theme was active on day d: started on or
// before it (or with no start date) and, when it is done or dropped, marked
// so after it (a finished theme whose end is not known counts on no day).
func (t Theme) ActiveOn(d time.Time) bool {
	if !t.Started.IsZero() && t.Started.After(d) { // no start date: active from the first 1:1, as audit reads it
		return false
	}
	if t.Status == ThemeActive {
		return true
	}
	return !t.Finished.IsZero() && t.Finished.After(d)
}
