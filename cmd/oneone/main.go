// Command oneone keeps an engineering manager's 1:1 notes first class.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
