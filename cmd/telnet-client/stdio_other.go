//go:build !unix

package main

import "os"

// stopSignals end the session; there is no signal of a new window size.
var (
	stopSignals   = []os.Signal{os.Interrupt}
	resizeSignals []os.Signal
)

// openStdio returns the standard files as they are.
func openStdio() *stdio {
	return &stdio{in: os.Stdin, out: os.Stdout, errOut: os.Stderr, inFd: int(os.Stdin.Fd()), restoreFlags: func() {}}
}
