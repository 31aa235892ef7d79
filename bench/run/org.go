package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/oneone/oneone/health"
	"github.com/oneone/oneone/internal/benchgen"
	"github.com/oneone/oneone/notes"
)

// orgManagers is how many managers' summaries the organisation benchmark rolls up.
const orgManagers = 200

// orgBench measures `oneone org DIR` over the summaries of 200 generated
// managers (4 to 16 reports each, a few stale), against `cat` of the files.
func orgBench() error {
	dir := filepath.Join(*cache, "org200")
	if err := writeSummaries(dir); err != nil {
		return err
	}
	label := fmt.Sprintf("org (%d managers' summaries)", orgManagers)
	cat := measure(label+": cat every summary", nil, func(int) *exec.Cmd {
		return exec.Command("sh", "-c", `cat "$1"/managers/*.json`, "sh", dir)
	})
	for _, args := range [][]string{{"org", dir}, {"org", dir, "--json"}} {
		r := measure(label+": oneone "+args[0]+" DIR"+map[bool]string{true: " --json"}[len(args) == 3], nil,
			func(int) *exec.Cmd { return oneone(dir, args...) })
		r.vs(cat, "cat")
	}
	return nil
}

// writeSummaries writes the managers' summaries deterministically (seed 18).
func writeSummaries(dir string) error {
	mdir := filepath.Join(dir, "managers")
	if err := os.MkdirAll(mdir, 0o700); err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(18))
	today := notes.ParseDateOr(benchgen.Today)
	share := func() float64 { return float64(rng.Intn(101)) / 100 }
	for m := 0; m < orgManagers; m++ {
		asOf := today
		if m%25 == 7 {
			asOf = notes.AddDays(today, -20-rng.Intn(40)) // a few managers stopped syncing
		}
		s := health.Summary{Manager: fmt.Sprintf("Manager %03d", m), AsOf: notes.FormatDate(asOf), WindowDays: 90}
		n := 4 + rng.Intn(13)
		for i := 0; i < n; i++ {
			last := notes.FormatDate(notes.AddDays(asOf, -rng.Intn(30)))
			next := notes.FormatDate(notes.AddDays(asOf, rng.Intn(14)))
			r := health.Report{Slug: fmt.Sprintf("r-%08x", rng.Uint32()), CadenceDays: 7 + 7*rng.Intn(2), LastHeld: &last, NextDue: &next,
				DaysOverdue: max(rng.Intn(20)-14, 0), Held: rng.Intn(14), OnCadence: share(), LongestGapDays: 7 + rng.Intn(30),
				ActiveThemes: rng.Intn(3), ThemesRated: share(), Prepared: share(), ReportTopics: share(), FeedbackBoth: share(),
				OpenActions: rng.Intn(6), StaleActions: rng.Intn(2), Shares: rng.Intn(2) == 0}
			r.Name = r.Slug
			if r.DaysOverdue > 2 {
				s.Team.Overdue++
			}
			s.Reports = append(s.Reports, r)
		}
		s.Team.Reports, s.Team.OnCadence, s.Team.Prepared, s.Team.ReportTopics = n, share(), share(), share()
		data, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(mdir, fmt.Sprintf("manager-%03d.json", m)), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
