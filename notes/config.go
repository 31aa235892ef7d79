package notes

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of the settings file at the root of a notes repository.
const ConfigFile = "oneone.yaml"

// Config holds the repository settings from oneone.yaml, defaults filled in.
type Config struct {
	Manager         string
	Cadence         string // as written, e.g. "weekly"
	CadenceDays     int
	GraceDays       int
	GoalsEveryDays  int
	ThemeLengthDays int
	// PrepareAheadDays: a note dated this many days ahead (or today) with no feedback is unprepared.
	PrepareAheadDays int
	Away             []Absence // the manager's own absences
	Sync             string    // "auto" to sync after every commit
	// Recipients are the age public keys an encrypted remote is encrypted to
	// (as written; package sealed checks them): nil when oneone.yaml has no
	// recipients key, empty when it lists none.
	Recipients []string
	// Unknown lists the keys oneone does not read, with their lines, so that a
	// misspelt setting (or a secret pasted there) is not silently ignored.
	Unknown []ConfigKey
}

// ConfigKey is a key of oneone.yaml and the line it is on.
type ConfigKey struct {
	Name string
	Line int
}

// ConfigKeys are the keys of oneone.yaml that oneone reads (some by features
// described in the spec's later sections).
var ConfigKeys = []string{"manager", "cadence", "grace", "goals_every", "theme_length", "prepare_ahead", "away", "sync", "recipients", "org", "share_feedback"}

// Absence is a stretch of days, both ends included, on which someone is away.
type Absence struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether day d falls inside the absence.
func (a Absence) Contains(d time.Time) bool { return !d.Before(a.From) && !d.After(a.To) }

// DefaultConfig returns the settings used when oneone.yaml is silent.
func DefaultConfig() Config {
	return Config{Cadence: "weekly", CadenceDays: 7, GraceDays: 2, GoalsEveryDays: 56, ThemeLengthDays: 56, PrepareAheadDays: 2}
}

// LoadConfig reads root/oneone.yaml.
func LoadConfig(root string) (Config, error) {
	path := filepath.Join(root, ConfigFile)
	data, err := readLimited(path, 1<<20)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Config{}, fmt.Errorf("%s not found: run `oneone init %s` to create a notes repository", path, root)
		}
		return Config{}, fmt.Errorf("read %s: %w", path, err)
	}
	c, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig reads the content of oneone.yaml.
func ParseConfig(data []byte) (Config, error) {
	c := DefaultConfig()
	if err := checkText(data, 1<<20); err != nil {
		return c, err
	}
	m, err := decodeFront(normalizeText(data), 0)
	if err != nil {
		return c, err
	}
	if m == nil {
		return c, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if !slices.Contains(ConfigKeys, k.Value) {
			c.Unknown = append(c.Unknown, ConfigKey{Name: k.Value, Line: k.Line})
		}
	}
	if c.Manager, err = scalar(mapGet(m, "manager"), "manager"); err != nil {
		return c, err
	}
	if s, err := scalar(mapGet(m, "cadence"), "cadence"); err != nil {
		return c, err
	} else if s != "" {
		if c.CadenceDays, err = ParseCadence(s); err != nil {
			return c, fmt.Errorf("cadence: %w", err)
		}
		c.Cadence = s
	}
	for _, d := range []struct {
		key string
		dst *int
		pos bool
	}{{"grace", &c.GraceDays, false}, {"goals_every", &c.GoalsEveryDays, true}, {"theme_length", &c.ThemeLengthDays, true}, {"prepare_ahead", &c.PrepareAheadDays, false}} {
		s, err := scalar(mapGet(m, d.key), d.key)
		if err != nil {
			return c, err
		}
		if s == "" {
			continue
		}
		n, err := ParseDuration(s)
		if err != nil {
			return c, fmt.Errorf("%s: %w", d.key, err)
		}
		if d.pos && n <= 0 {
			return c, fmt.Errorf("%s: must be at least 1d, got %q", d.key, s)
		}
		*d.dst = n
	}
	if c.Away, err = parseAway(mapGet(m, "away")); err != nil {
		return c, err
	}
	if c.Sync, err = scalar(mapGet(m, "sync"), "sync"); err != nil {
		return c, err
	}
	if c.Sync != "" && c.Sync != "auto" && c.Sync != "manual" && c.Sync != "off" {
		return c, fmt.Errorf("sync: unknown value %q: use auto or manual", c.Sync)
	}
	if c.Recipients, err = stringList(mapGet(m, "recipients"), "recipients"); err != nil {
		return c, fmt.Errorf("%w: list the age public keys (age1...) that may read an encrypted remote, one per line", err)
	}
	return c, nil
}

// parseAway reads a list of {from, to} absences.
func parseAway(n *yaml.Node) ([]Absence, error) {
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errors.New("away must be a list of {from: YYYY-MM-DD, to: YYYY-MM-DD}")
	}
	var out []Absence
	for i, item := range n.Content {
		item = resolveAlias(item)
		if item.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("away[%d] must be {from: YYYY-MM-DD, to: YYYY-MM-DD}", i+1)
		}
		from, err := dateValue(mapGet(item, "from"), "away from")
		if err != nil {
			return nil, err
		}
		to, err := dateValue(mapGet(item, "to"), "away to")
		if err != nil {
			return nil, err
		}
		if from.IsZero() || to.IsZero() {
			return nil, fmt.Errorf("away[%d] needs both from and to dates", i+1)
		}
		if to.Before(from) {
			return nil, fmt.Errorf("away[%d]: to %s is before from %s", i+1, FormatDate(to), FormatDate(from))
		}
		out = append(out, Absence{From: from, To: to})
	}
	return out, nil
}

// readLimited reads a regular file of at most max bytes, refusing symlinks and huge files.
func readLimited(path string, max int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, errors.New("is a symbolic link; oneone does not follow links, replace it with the file itself")
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("is not a regular file")
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("is %d bytes, larger than the %d MiB oneone reads; split or shrink it", fi.Size(), max>>20)
	}
	return os.ReadFile(path)
}
