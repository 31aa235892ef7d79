package main

import (
	"flag"
	"fmt"
	"os/exec"

	"github.com/oneone/oneone/internal/benchgen"
)

var itemsCase = flag.Bool("items", true, "also audit the never-closed-items variant of large (issue 19: about 52,000 open items)")

// itemsBench measures the warm audit of the never-closed-items repository
// (benchgen.Items: large, where every note adds an action item that is never
// checked) against find, in the same run. Target (issue 19): within 5x of find.
func itemsBench() error {
	if !*itemsCase {
		return nil
	}
	spec := benchgen.Items
	dir, err := ensure(spec)
	if err != nil || *genOnly {
		return err
	}
	notes, err := listNotes(dir)
	if err != nil {
		return err
	}
	label := fmt.Sprintf("%s (%s, never-closed items)", spec.Name, describe(spec, len(notes)))
	find := measure(label+": find -name '*.md'", nil, func(int) *exec.Cmd { return exec.Command("find", dir, "-name", "*.md") })
	// the first run (the warm-up) writes the cache: every measured run is warm
	audit := measure(label+": oneone audit", nil, func(int) *exec.Cmd { return oneone(dir, "audit") })
	js := measure(label+": oneone audit --json", nil, func(int) *exec.Cmd { return oneone(dir, "audit", "--json") })
	acts := measure(label+": oneone actions", nil, func(int) *exec.Cmd { return oneone(dir, "actions") })
	for _, r := range []*result{audit, js, acts} {
		r.vs(find, "find")
	}
	if large := lookup("large (", "oneone audit"); large != nil {
		audit.vs(large, "large")
	}
	return nil
}
