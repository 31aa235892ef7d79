package notes

import (
	"strings"
	"testing"

	"github.com/oneone/oneone/internal/benchgen"
)

// memTeam parses a generated repository in memory, without touching the disk.
func memTeam(b *testing.B, spec benchgen.Spec) (*Team, Config) {
	b.Helper()
	cfg := DefaultConfig()
	people := map[string]*Person{}
	var order []string
	for _, f := range benchgen.Files(spec) {
		slug, name, ok := strings.Cut(f.Path, "/")
		if !ok {
			continue
		}
		p := people[slug]
		if p == nil {
			p = &Person{Slug: slug}
			people[slug] = p
			order = append(order, slug)
		}
		if name == ProfileFile {
			prof, err := ParseProfile(slug, f.Data, cfg)
			if err != nil {
				b.Fatal(err)
			}
			p.Profile = prof
			continue
		}
		n, err := ParseNote(slug, name, f.Data)
		if err != nil {
			b.Fatal(err)
		}
		p.Notes = append(p.Notes, n)
	}
	team := &Team{}
	for _, slug := range order {
		p := people[slug]
		sortNotes(p.Notes)
		team.People = append(team.People, p)
	}
	return team, cfg
}

func sortNotes(ns []*Note) {
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && ns[j].Date.Before(ns[j-1].Date); j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
}

// BenchmarkParseNote parses one realistic note (frontmatter, sections, tasks).
func BenchmarkParseNote(b *testing.B) {
	var name, slug string
	var data []byte
	for _, f := range benchgen.Files(benchgen.Spec{Reports: 1, Years: 1, Seed: 1}) {
		if s, n, ok := strings.Cut(f.Path, "/"); ok && n != ProfileFile && len(f.Data) > len(data) && strings.Contains(string(f.Data), "(from ") {
			slug, name, data = s, n, f.Data
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseNote(slug, name, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAudit audits an in-memory repository of 30 reports x 5 years (the medium size).
func BenchmarkAudit(b *testing.B) {
	spec, _ := benchgen.Size("medium")
	team, cfg := memTeam(b, spec)
	today, _ := ParseDate(benchgen.Today)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Audit(team, cfg, today, AuditOptions{})
	}
}
