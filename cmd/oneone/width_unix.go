//go:build unix

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// termWidth returns the width of stdout's terminal, or 0 when stdout is not a terminal.
func (a *App) termWidth() int {
	f, ok := a.rawStdout.(*os.File)
	if !ok || !a.isTerminal() {
		return 0
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 0
	}
	return int(ws.Col)
}
