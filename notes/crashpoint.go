package notes

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CrashEnv names the test-only environment variable that makes oneone kill
// itself at a named point of its write path, to prove that a crash there
// never loses text nor corrupts the repository (cmd/oneone/crash_test.go).
// The value is a point name, optionally with ":N" to die at its Nth passage.
const CrashEnv = "ONEONE_TEST_CRASH_AT"

var crashHits struct {
	sync.Mutex
	n map[string]int
}

// CrashPoint kills the process with SIGKILL (no deferred cleanup, no flush)
// when ONEONE_TEST_CRASH_AT names this point. It does nothing otherwise.
func CrashPoint(name string) {
	v := os.Getenv(CrashEnv)
	if v == "" {
		return
	}
	want, nth := v, 1
	if i := strings.LastIndexByte(v, ':'); i > 0 {
		if n, err := strconv.Atoi(v[i+1:]); err == nil && n > 0 {
			want, nth = v[:i], n
		}
	}
	if want != name {
		return
	}
	crashHits.Lock()
	if crashHits.n == nil {
		crashHits.n = map[string]int{}
	}
	crashHits.n[name]++
	hit := crashHits.n[name] == nth
	crashHits.Unlock()
	if !hit {
		return
	}
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		_ = p.Kill()
		time.Sleep(time.Minute) // the signal is on its way
	}
	os.Exit(137)
}
