// Command prof profiles the audit of a repository in-process:
//
//	go run ./bench/prof -dir .bench/large/repo -cpu cpu.prof -mem mem.prof
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/oneone/oneone/internal/benchgen"
	"github.com/oneone/oneone/notes"
)

func main() {
	dir := flag.String("dir", ".bench/large/repo", "repository")
	cpu := flag.String("cpu", "", "write a CPU profile")
	mem := flag.String("mem", "", "write a heap profile")
	n := flag.Int("n", 3, "audits to run")
	full := flag.Bool("full", false, "parse every note (Load) instead of the summary cache (LoadSummaries)")
	flag.Parse()
	if *cpu != "" {
		f, _ := os.Create(*cpu)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	today, _ := notes.ParseDate(benchgen.Today)
	for i := 0; i < *n; i++ {
		start := time.Now()
		r, err := notes.Open(*dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		load := r.LoadSummaries
		if *full {
			load = r.Load
		}
		team, err := load()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		loaded := time.Since(start)
		rep := notes.Audit(team, r.Config, today, notes.AuditOptions{})
		json.NewEncoder(io.Discard).Encode(rep)
		fmt.Printf("load %v, total %v, %d findings\n", loaded, time.Since(start), len(rep.Findings))
	}
	if *mem != "" {
		f, _ := os.Create(*mem)
		runtime.GC()
		pprof.WriteHeapProfile(f)
		f.Close()
	}
}
