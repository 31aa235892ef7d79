//go:build !linux

package gitstore

import "syscall"

// syncFS flushes to disk everything written (all file systems: no syncfs here).
func syncFS(string) error {
	syscall.Sync()
	return nil
}
