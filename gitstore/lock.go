package gitstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// DefaultLockTimeout is how long Commit, CommitAll and Sync wait for the repository lock:
// long enough for another command's sync over a slow network to finish.
const DefaultLockTimeout = 30 * time.Second

// LockNotice, when set, is told once that a command waits for the lock (after
// lockNoticeAfter): the pid holding it and the folder; cmd prints it on stderr.
var LockNotice func(pid, dir string)

const lockNoticeAfter = time.Second

// held locks of this process, re-entrant by lock path.
var (
	locksMu sync.Mutex
	locks   = map[string]*heldLock{}
)

type heldLock struct {
	fl    *flock.Flock
	count int
}

// LockPath returns the path of the repository lock file.
func (s *Store) LockPath() string { return filepath.Join(s.gitDir, "oneone.lock") }

// Lock takes the repository lock (.git/oneone.lock), waiting up to timeout; the lock is
// re-entrant within a process and released by the kernel if the process dies.
func (s *Store) Lock(timeout time.Duration) (unlock func(), err error) {
	path := s.LockPath()
	locksMu.Lock()
	defer locksMu.Unlock()
	if h, ok := locks[path]; ok {
		h.count++
		return s.unlocker(path), nil
	}
	fl := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o600))
	start := time.Now()
	deadline := start.Add(timeout)
	noticed := false
	wait := 5 * time.Millisecond
	for {
		ok, err := fl.TryLock()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			break
		}
		if !noticed && LockNotice != nil && time.Since(start) >= lockNoticeAfter && time.Now().Before(deadline) {
			noticed = true
			LockNotice(lockHolder(path), s.dir)
		}
		if !time.Now().Before(deadline) {
			pid := lockHolder(path)
			return nil, fmt.Errorf("another oneone process (pid %s) is working in %s: lock %s still held after %s; wait for it to finish and try again",
				pid, s.dir, path, timeout.Round(time.Millisecond))
		}
		time.Sleep(wait)
		if wait < 100*time.Millisecond {
			wait *= 2
		}
	}
	_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	locks[path] = &heldLock{fl: fl, count: 1}
	// We own the repository now: temp files of dead processes in .git are garbage.
	cleanTemp(s.gitDir)
	cleanTemp(filepath.Join(s.gitDir, "refs", "heads"))
	cleanTemp(filepath.Join(s.gitDir, "refs", "remotes", RemoteName))
	s.cleanPackTemp() // what a killed fetch left: on a small disk it would pile up
	return s.unlocker(path), nil
}

func (s *Store) unlocker(path string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			locksMu.Lock()
			defer locksMu.Unlock()
			h, ok := locks[path]
			if !ok {
				return
			}
			h.count--
			if h.count > 0 {
				return
			}
			delete(locks, path)
			_ = os.Truncate(path, 0)
			_ = h.fl.Unlock()
		})
	}
}

// lockHolder returns the pid written in the lock file, or "unknown".
func lockHolder(path string) string {
	if b, err := os.ReadFile(path); err == nil && strings.TrimSpace(string(b)) != "" {
		return strings.TrimSpace(string(b))
	}
	return "unknown"
}
