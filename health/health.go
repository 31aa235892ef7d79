// Package health is one manager's 1:1 practice as numbers and dates only:
// the summary `oneone health` prints and `oneone org publish` sends to the
// organisation's repository. It is computed from the same rules as audit and
// people (notes.ComputeStats, notes.HeldWindow, the findings' own tests), and
// carries no text written in any note or profile: no theme title, no action
// item, nothing of a Private section, no free text.
package health

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"github.com/oneone/oneone/notes"
)

// DefaultDays is the window of the summary when --days is not given.
const DefaultDays = 90

// OnCadenceShare is the share of a report's gaps that must be within cadence
// plus grace for the report to count as on cadence (and not overdue today).
const OnCadenceShare = 0.8

// Summary is `oneone health --json`: the field names are the contract.
type Summary struct {
	Manager    string   `json:"manager"`
	AsOf       string   `json:"as_of"`
	WindowDays int      `json:"window_days"`
	Reports    []Report `json:"reports"`
	Team       Team     `json:"team"`
}

// Report is one current report's figures over the window.
type Report struct {
	Slug           string  `json:"slug"`
	Name           string  `json:"name"`
	CadenceDays    int     `json:"cadence_days"`
	LastHeld       *string `json:"last_held"`
	NextDue        *string `json:"next_due"`
	DaysOverdue    int     `json:"days_overdue"`
	Held           int     `json:"held"`
	OnCadence      float64 `json:"on_cadence"`
	LongestGapDays int     `json:"longest_gap_days"`
	LastGoals      *string `json:"last_goals"`
	GoalsDue       bool    `json:"goals_due"`
	ActiveThemes   int     `json:"active_themes"`
	ThemesRated    float64 `json:"themes_rated"`
	Prepared       float64 `json:"prepared"`
	ReportTopics   float64 `json:"report_topics"`
	FeedbackBoth   float64 `json:"feedback_both"`
	OpenActions    int     `json:"open_actions"`
	StaleActions   int     `json:"stale_actions"`
	Shares         bool    `json:"shares"`

	// Overdue is audit's overdue finding (the gap is past cadence + grace).
	Overdue bool `json:"-"`
	// the counts the shares are made of, pooled for the team
	gaps, gapsOK, prepared, topics int
}

// Team pools the team's figures: on_cadence, prepared and report_topics over
// every gap and held 1:1 of the window; overdue and goals_due count reports.
type Team struct {
	Reports      int     `json:"reports"`
	OnCadence    float64 `json:"on_cadence"`
	Overdue      int     `json:"overdue"`
	GoalsDue     int     `json:"goals_due"`
	Prepared     float64 `json:"prepared"`
	ReportTopics float64 `json:"report_topics"`

	// OnCadenceReports counts the reports on cadence (see IsOnCadence).
	OnCadenceReports int `json:"-"`
}

// IsOnCadence is the rule for a report on cadence: at least 80% of its gaps
// in the window within cadence plus grace (share, as published: rounded to
// two decimals), and not overdue today.
func IsOnCadence(share float64, overdue bool) bool { return share >= OnCadenceShare && !overdue }

// Options tune a summary.
type Options struct {
	Days int // the window, today included; DefaultDays when 0
	// Key, when not nil, replaces slugs and names with pseudonyms made with it.
	Key []byte
	// Shares tells whether a report shares an agenda (nil: none does).
	Shares func(slug string) bool
}

// Compute returns the summary of the team's current reports as of today.
func Compute(t *notes.Team, cfg notes.Config, today time.Time, o Options) *Summary {
	today = notes.Day(today)
	days := o.Days
	if days <= 0 {
		days = DefaultDays
	}
	s := &Summary{Manager: cfg.Manager, AsOf: notes.FormatDate(today), WindowDays: days, Reports: []Report{}}
	var gaps, gapsOK, held, prepared, topics int
	for _, p := range t.People {
		if p.Profile.ArchivedBy(today) {
			continue
		}
		r := compute(p, cfg, today, days)
		if o.Shares != nil {
			r.Shares = o.Shares(p.Slug)
		}
		if o.Key != nil {
			r.Slug = Pseudonym(o.Key, cfg.Manager, p.Slug)
			r.Name = r.Slug
		}
		gaps, gapsOK = gaps+r.gaps, gapsOK+r.gapsOK
		held, prepared, topics = held+r.Held, prepared+r.prepared, topics+r.topics
		if r.Overdue {
			s.Team.Overdue++
		}
		if r.GoalsDue {
			s.Team.GoalsDue++
		}
		if IsOnCadence(r.OnCadence, r.Overdue) {
			s.Team.OnCadenceReports++
		}
		s.Reports = append(s.Reports, r)
	}
	// by slug, or by pseudonym: the order says nothing of the slugs behind them
	sort.Slice(s.Reports, func(i, j int) bool { return s.Reports[i].Slug < s.Reports[j].Slug })
	s.Team.Reports = len(s.Reports)
	s.Team.OnCadence = notes.Share(gapsOK, gaps)
	s.Team.Prepared = notes.Share(prepared, held)
	s.Team.ReportTopics = notes.Share(topics, held)
	return s
}

// compute is one report's figures: the cadence ones as audit computes them,
// over the window.
func compute(p *notes.Person, cfg notes.Config, today time.Time, days int) Report {
	st := notes.ComputeStats(p, cfg, today)
	prof := p.Profile
	r := Report{Slug: p.Slug, Name: prof.Name, CadenceDays: st.CadenceDays, LastHeld: st.LastHeld, NextDue: st.NextDue,
		DaysOverdue: st.DaysOverdue, Overdue: st.Overdue}
	held := p.Held(today)
	w := notes.HeldWindow(p, cfg, notes.AwayFor(prof, cfg), held, today, days)
	r.Held = len(w.Held)
	r.gaps, r.gapsOK = w.Gaps, w.GapsOK
	r.OnCadence = w.OnCadence()
	r.LongestGapDays = w.LongestGapDays
	var lastGoals time.Time
	r.GoalsDue, lastGoals = notes.GoalsDueFinding(p, cfg, today)
	r.LastGoals = notes.DatePtr(lastGoals)
	r.ActiveThemes = len(prof.ActiveThemes())

	pairs, rated, both := 0, 0, 0
	first := prof.FirstName()
	for _, n := range w.Held {
		if !n.FeedbackEmpty() {
			r.prepared++
		}
		if !n.TopicsEmpty(first) {
			r.topics++
		}
		if n.FeedbackBoth() {
			both++
		}
		for _, t := range prof.Themes {
			if !t.ActiveOn(n.Date) {
				continue
			}
			pairs++
			if _, ok := n.Rating(t.Title); ok {
				rated++
			}
		}
	}
	r.ThemesRated = notes.Share(rated, pairs)
	r.Prepared = notes.Share(r.prepared, r.Held)
	r.ReportTopics = notes.Share(r.topics, r.Held)
	r.FeedbackBoth = notes.Share(both, r.Held)
	for _, a := range p.OpenActionsOn(today) {
		r.OpenActions++
		if a.Age(today) > notes.StaleActionDays {
			r.StaleActions++
		}
	}
	return r
}

// Pseudonym is the stable pseudonym of a report of manager: "r-" and 8 hex
// digits of an HMAC-SHA256 keyed with a secret that never leaves the
// manager's repository, so that nobody can find the slug behind it by trying
// every first name (as a plain hash of manager and slug would allow).
func Pseudonym(key []byte, manager, slug string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(manager))
	m.Write([]byte{0})
	m.Write([]byte(slug))
	return "r-" + hex.EncodeToString(m.Sum(nil)[:4])
}
