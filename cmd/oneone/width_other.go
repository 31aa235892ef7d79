//go:build !unix

package main

// termWidth returns 0: tables are not fitted to the terminal on this system.
func (a *App) termWidth() int { return 0 }
