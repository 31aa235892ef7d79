// Package org reads the summaries that managers publish to an organisation's
// repository (managers/NAME.json, each one `oneone health --json`) and rolls
// them up: a row per manager and the organisation's answer to "how do 1:1s
// work around here?", as numbers only. Summary files are untrusted input:
// each is bounded in size and shape, and one that is not a valid summary is
// named and skipped, never a crash.
package org

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oneone/oneone/health"
	"github.com/oneone/oneone/notes"
)

// Dir is the folder of the organisation's repository that holds the summaries.
const Dir = "managers"

// MaxSummarySize is the largest summary file read: a manager of 1,000 reports publishes about 500 KB.
const MaxSummarySize = 1 << 20

// MaxReports is the most reports one summary may list.
const MaxReports = 5000

// MaxSummaries is the most summary files read from one repository.
const MaxSummaries = 10000

// StaleDays: a summary whose as_of is more than this many days before today is stale.
const StaleDays = 14

// File is one file of the organisation's repository's managers folder.
type File struct {
	Path string // repository-relative: managers/NAME.json
	Data []byte
	// Problem, when not empty, says why the file could not be read (too
	// large, a link, ...): it is skipped with that reason.
	Problem string
}

// SummaryName returns NAME of a path managers/NAME.json, and whether the path is one.
func SummaryName(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, Dir+"/")
	if !ok || strings.Contains(rest, "/") {
		return "", false
	}
	return strings.CutSuffix(rest, ".json")
}

// Manager is one manager's row, from their summary.
type Manager struct {
	Name         string  `json:"name"`
	AsOf         string  `json:"as_of"`
	Stale        bool    `json:"stale"`
	Reports      int     `json:"reports"`
	OnCadence    int     `json:"on_cadence"`
	Overdue      int     `json:"overdue"`
	GoalsDue     int     `json:"goals_due"`
	Prepared     float64 `json:"prepared"`
	ReportTopics float64 `json:"report_topics"`

	// Summary is the file as read; OnCadenceOf tells which of its reports are on cadence.
	Summary     *health.Summary `json:"-"`
	OnCadenceOf []bool          `json:"-"`
	OverdueOf   []bool          `json:"-"`
	DaysOld     int             `json:"-"` // days from as_of to today (negative: ahead of today)
}

// Totals are the organisation's figures over every fresh summary.
type Totals struct {
	Reports          int `json:"reports"`
	OnCadenceReports int `json:"on_cadence_reports"`
	Managers         int `json:"managers"`
	Stale            int `json:"stale"`
}

// Skipped is a file that is not a valid summary.
type Skipped struct {
	Path    string
	Problem string
}

// Rollup is `oneone org --json`.
type Rollup struct {
	AsOf     string    `json:"as_of"`
	Managers []Manager `json:"managers"`
	Org      Totals    `json:"org"`

	Skipped []Skipped `json:"-"`
	// Windows lists the window lengths of the fresh summaries, smallest first, once each.
	Windows []int `json:"-"`
}

// Fine reports whether nothing needs acting on: every report on cadence,
// every summary fresh and valid (org's exit status 0; otherwise 1).
func (r *Rollup) Fine() bool {
	return r.Org.OnCadenceReports == r.Org.Reports && r.Org.Stale == 0 && len(r.Skipped) == 0
}

// Roll reads the files of the managers folder and rolls them up as of today.
// Files that are not managers/NAME.json are no summaries and are ignored.
func Roll(files []File, today time.Time) *Rollup {
	today = notes.Day(today)
	r := &Rollup{AsOf: notes.FormatDate(today), Managers: []Manager{}}
	windows := map[int]bool{}
	read := 0
	for _, f := range files {
		name, ok := SummaryName(f.Path)
		if !ok {
			continue
		}
		if read++; read > MaxSummaries {
			r.Skipped = append(r.Skipped, Skipped{f.Path, fmt.Sprintf("more than %d summaries in %s/: only the first %d are read", MaxSummaries, Dir, MaxSummaries)})
			continue
		}
		if f.Problem != "" {
			r.Skipped = append(r.Skipped, Skipped{f.Path, f.Problem})
			continue
		}
		if err := notes.ValidateSlug(name); err != nil {
			r.Skipped = append(r.Skipped, Skipped{f.Path, "the name is not a manager's name (lowercase letters, digits, single hyphens): rename it managers/NAME.json"})
			continue
		}
		s, err := Parse(f.Data)
		if err != nil {
			r.Skipped = append(r.Skipped, Skipped{f.Path, "not a summary: " + err.Error()})
			continue
		}
		m := row(name, s, today)
		r.Org.Managers++
		if m.Stale {
			r.Org.Stale++
		} else {
			r.Org.Reports += m.Reports
			r.Org.OnCadenceReports += m.OnCadence
			windows[s.WindowDays] = true
		}
		r.Managers = append(r.Managers, m)
	}
	sort.Slice(r.Managers, func(i, j int) bool { return r.Managers[i].Name < r.Managers[j].Name })
	sort.Slice(r.Skipped, func(i, j int) bool { return r.Skipped[i].Path < r.Skipped[j].Path })
	for w := range windows {
		r.Windows = append(r.Windows, w)
	}
	sort.Ints(r.Windows)
	return r
}

// row is a manager's row from their summary.
func row(name string, s *health.Summary, today time.Time) Manager {
	asOf := notes.ParseDateOr(s.AsOf)
	m := Manager{Name: name, AsOf: s.AsOf, Reports: s.Team.Reports, Overdue: s.Team.Overdue, GoalsDue: s.Team.GoalsDue,
		Prepared: s.Team.Prepared, ReportTopics: s.Team.ReportTopics, Summary: s, DaysOld: notes.DaysBetween(asOf, today)}
	m.Stale = m.DaysOld > StaleDays
	m.OverdueOf = overdueOf(s.Reports, s.Team.Overdue)
	m.OnCadenceOf = make([]bool, len(s.Reports))
	for i, rep := range s.Reports {
		if health.IsOnCadence(rep.OnCadence, m.OverdueOf[i]) {
			m.OnCadenceOf[i] = true
			m.OnCadence++
		}
	}
	return m
}

// overdueOf tells which reports are overdue. A summary gives days_overdue
// per report and, in team.overdue, how many have the overdue finding; since
// one grace applies to the whole team, those are the reports with the most
// days overdue: every report with more days overdue than the largest of the
// others. (Without the grace in the summary, this is the only exact reading;
// a summary whose count splits a tie marks fewer, never more.)
func overdueOf(reports []health.Report, overdue int) []bool {
	out := make([]bool, len(reports))
	if overdue <= 0 {
		return out
	}
	days := make([]int, len(reports))
	for i, r := range reports {
		days[i] = r.DaysOverdue
	}
	sort.Sort(sort.Reverse(sort.IntSlice(days)))
	limit := -1 // overdue: more days than this
	if overdue < len(days) {
		limit = days[overdue]
	}
	for i, r := range reports {
		out[i] = r.DaysOverdue > limit
	}
	return out
}

// Parse reads one summary file: a JSON object of the shape `health --json`
// prints, every figure within its range. Unknown keys are allowed (a newer
// oneone may publish more); everything the roll-up reads is checked.
func Parse(data []byte) (*health.Summary, error) {
	if len(data) > MaxSummarySize {
		return nil, fmt.Errorf("%d bytes, more than the %d KiB a summary may have", len(data), MaxSummarySize>>10)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8 text")
	}
	var raw struct {
		Manager    *string          `json:"manager"`
		AsOf       *string          `json:"as_of"`
		WindowDays *int             `json:"window_days"`
		Reports    *[]health.Report `json:"reports"`
		Team       *health.Team     `json:"team"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	switch {
	case raw.AsOf == nil:
		return nil, errors.New("no as_of")
	case raw.WindowDays == nil:
		return nil, errors.New("no window_days")
	case raw.Reports == nil:
		return nil, errors.New("no reports list")
	case raw.Team == nil:
		return nil, errors.New("no team")
	}
	if err := checkPresent(data); err != nil {
		return nil, err
	}
	s := &health.Summary{AsOf: *raw.AsOf, WindowDays: *raw.WindowDays, Reports: *raw.Reports, Team: *raw.Team}
	if raw.Manager != nil {
		s.Manager = *raw.Manager
	}
	if _, err := notes.ParseDate(s.AsOf); err != nil {
		return nil, fmt.Errorf("as_of %q is not a date (YYYY-MM-DD)", clip(s.AsOf))
	}
	if s.WindowDays < 1 || s.WindowDays > 100000 {
		return nil, fmt.Errorf("window_days %d is out of range", s.WindowDays)
	}
	if len(s.Reports) > MaxReports {
		return nil, fmt.Errorf("%d reports, more than the %d a summary may list", len(s.Reports), MaxReports)
	}
	if len(s.Manager) > 200 {
		return nil, errors.New("the manager's name is longer than 200 bytes")
	}
	t := s.Team
	n := len(s.Reports)
	switch {
	case t.Reports != n:
		return nil, fmt.Errorf("team.reports is %d but %d reports are listed", t.Reports, n)
	case t.Overdue < 0 || t.Overdue > n:
		return nil, fmt.Errorf("team.overdue %d is out of range", t.Overdue)
	case t.GoalsDue < 0 || t.GoalsDue > n:
		return nil, fmt.Errorf("team.goals_due %d is out of range", t.GoalsDue)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"team.on_cadence", t.OnCadence}, {"team.prepared", t.Prepared}, {"team.report_topics", t.ReportTopics}} {
		if !isShare(f.v) {
			return nil, fmt.Errorf("%s %v is not a share from 0 to 1", f.name, f.v)
		}
	}
	for i, r := range s.Reports {
		if err := checkReport(r); err != nil {
			return nil, fmt.Errorf("reports[%d]: %w", i, err)
		}
	}
	return s, nil
}

// The figures of the spec's summary shape: each must be there, a missing one
// (or null) is no figure — read as 0 it would count a report off cadence or a
// team unprepared. Dates may be null (never held, no goals 1:1 yet).
var (
	reportFields = []string{"slug", "name", "cadence_days", "days_overdue", "held", "on_cadence", "longest_gap_days",
		"goals_due", "active_themes", "themes_rated", "prepared", "report_topics", "feedback_both", "open_actions",
		"stale_actions", "shares"}
	reportDates = []string{"last_held", "next_due", "last_goals"}
	teamFields  = []string{"reports", "on_cadence", "overdue", "goals_due", "prepared", "report_topics"}
)

// checkPresent refuses a summary that leaves out a figure of the shape.
func checkPresent(data []byte) error {
	var keys struct {
		Reports []map[string]json.RawMessage `json:"reports"`
		Team    map[string]json.RawMessage   `json:"team"`
	}
	if err := json.Unmarshal(data, &keys); err != nil {
		return jsonProblem(err)
	}
	missing := func(m map[string]json.RawMessage, names []string, nullable bool) string {
		for _, k := range names {
			v, ok := m[k]
			switch {
			case !ok:
				return "no " + k
			case !nullable && string(bytes.TrimSpace(v)) == "null":
				return k + " is null"
			}
		}
		return ""
	}
	if p := missing(keys.Team, teamFields, false); p != "" {
		return fmt.Errorf("team: %s", p)
	}
	for i, r := range keys.Reports {
		p := missing(r, reportFields, false)
		if p == "" {
			p = missing(r, reportDates, true)
		}
		if p != "" {
			return fmt.Errorf("reports[%d]: %s", i, p)
		}
	}
	return nil
}

func checkReport(r health.Report) error {
	if len(r.Slug) > 100 || len(r.Name) > 200 {
		return errors.New("slug or name too long")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"on_cadence", r.OnCadence}, {"themes_rated", r.ThemesRated}, {"prepared", r.Prepared}, {"report_topics", r.ReportTopics}, {"feedback_both", r.FeedbackBoth}} {
		if !isShare(f.v) {
			return fmt.Errorf("%s %v is not a share from 0 to 1", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"cadence_days", r.CadenceDays}, {"days_overdue", r.DaysOverdue}, {"held", r.Held}, {"longest_gap_days", r.LongestGapDays},
		{"active_themes", r.ActiveThemes}, {"open_actions", r.OpenActions}, {"stale_actions", r.StaleActions}} {
		if f.v < 0 {
			return fmt.Errorf("%s %d is negative", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"last_held", r.LastHeld}, {"next_due", r.NextDue}, {"last_goals", r.LastGoals}} {
		if f.v != nil {
			if _, err := notes.ParseDate(*f.v); err != nil {
				return fmt.Errorf("%s %q is not a date", f.name, clip(*f.v))
			}
		}
	}
	return nil
}

func isShare(f float64) bool { return !math.IsNaN(f) && f >= 0 && f <= 1 }

// jsonProblem says in one line what is wrong with the JSON, without echoing it.
func jsonProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case strings.Contains(err.Error(), "exceeded max depth"):
		return errors.New("nested too deeply")
	case errors.As(err, &syn):
		return fmt.Errorf("bad JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the summary"
		}
		return fmt.Errorf("%s must be %s, not a JSON %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("empty or cut short")
	}
	return errors.New("bad JSON")
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64":
		return "a whole number"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "ptr":
		return "a date or null"
	case "struct", "map":
		return "a JSON object"
	case "slice":
		return "a list"
	case "string":
		return "a string"
	}
	return "a " + k
}

// clip shortens a value for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
