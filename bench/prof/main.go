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
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/oneone/oneone/gitstore"
	"github.com/oneone/oneone/internal/benchgen"
	"github.com/oneone/oneone/notes"
)

func main() {
	dir := flag.String("dir", ".bench/large/repo", "repository")
	cpu := flag.String("cpu", "", "write a CPU profile")
	mem := flag.String("mem", "", "write a heap profile")
	n := flag.Int("n", 3, "audits to run")
	syncs := flag.Bool("sync", false, "profile sync (writing a new note before each when -note is set) instead of audit")
	note := flag.String("note", "", "with -sync: a slug to write a new note for before each sync")
	status := flag.Bool("status", false, "profile a no-op commit of pending edits (the status scan of sync) instead of audit")
	full := flag.Bool("full", false, "parse every note (Load) instead of the summary cache (LoadSummaries)")
	cold := flag.Bool("cold", false, "remove the summary cache before each audit (the first audit after a clone: parse every note, write the cache)")
	shown := flag.Int("shown", 0, "stale-action findings per report, as the audit table asks (3); above 0 also skips the JSON encode")
	clone := flag.String("clone", "", "profile `oneone clone URL` into -dir (which must not exist) instead of audit")
	flag.Parse()
	if *cpu != "" {
		f, _ := os.Create(*cpu)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	today, _ := notes.ParseDate(benchgen.Today)
	if *clone != "" {
		start := time.Now()
		_, res, err := gitstore.Clone(*clone, *dir, gitstore.SyncOptions{Author: gitstore.Author{Name: "Bench", Email: "bench@example.com"}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("clone: %v, %d commits\n", time.Since(start), res.PulledCommits)
		return
	}
	for i := 0; *syncs && i < *n; i++ {
		if *note != "" {
			p := fmt.Sprintf("%s/%s/2027-02-%02d.md", *dir, *note, i+1)
			os.WriteFile(p, []byte(fmt.Sprintf("---\ndate: 2027-02-%02d\n---\n# 1:1\n", i+1)), 0o600)
		}
		start := time.Now()
		st, err := gitstore.Open(*dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		_, err = st.Sync(gitstore.SyncOptions{Author: gitstore.Author{Name: "Bench", Email: "bench@example.com"}})
		fmt.Printf("sync: %v (%v)\n", time.Since(start), err)
	}
	for i := 0; *status && i < *n; i++ {
		start := time.Now()
		st, err := gitstore.Open(*dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		_, _, err = st.CommitAll(gitstore.Author{Name: "Bench", Email: "bench@example.com"})
		fmt.Printf("commit all: %v (%v)\n", time.Since(start), err)
	}
	for i := 0; !*status && !*syncs && i < *n; i++ {
		if *cold {
			os.Remove(filepath.Join(*dir, ".git", notes.CacheFile))
		}
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
		rep := notes.Audit(team, r.Config, today, notes.AuditOptions{StaleShown: *shown})
		if *shown == 0 {
			json.NewEncoder(io.Discard).Encode(rep)
		}
		notes.WaitCache()
		fmt.Printf("load %v, total %v, %d findings\n", loaded, time.Since(start), len(rep.Findings))
		if *mem != "" && i == *n-1 { // while the team is still held: what an audit keeps
			f, _ := os.Create(*mem)
			runtime.GC()
			pprof.WriteHeapProfile(f)
			f.Close()
			runtime.KeepAlive(team)
			*mem = ""
		}
	}
	if *mem != "" {
		f, _ := os.Create(*mem)
		runtime.GC()
		pprof.WriteHeapProfile(f)
		f.Close()
	}
}
