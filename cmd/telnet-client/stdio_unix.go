//go:build unix

package main

import (
	"os"
	"syscall"
	"time"
)

// stopSignals end the session; resizeSignals say the terminal's size
// changed.
var (
	stopSignals   = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}
	resizeSignals = []os.Signal{syscall.SIGWINCH}
)

// openStdio returns the standard files, with standard input made
// non-blocking when it can block (a terminal, a pipe), so that the
// runtime polls it and the session can interrupt a read of it when the
// server closes. The restore method makes it blocking again.
func openStdio() *stdio {
	s := &stdio{in: os.Stdin, out: os.Stdout, errOut: os.Stderr, inFd: 0, restoreFlags: func() {}}
	if os.Stdin.SetReadDeadline(time.Time{}) == nil {
		return s // already polled
	}
	if fi, err := os.Stdin.Stat(); err != nil || fi.Mode().IsRegular() {
		return s // a file never blocks
	}
	if err := syscall.SetNonblock(0, true); err != nil {
		return s
	}
	// Standard output and error often share standard input's open file,
	// the terminal, and are now non-blocking too: files made afresh over
	// the same descriptors let the runtime wait for a slow terminal where
	// the old ones would fail with EAGAIN.
	s.in = os.NewFile(0, "/dev/stdin")
	s.out = os.NewFile(1, "/dev/stdout")
	s.errOut = os.NewFile(2, "/dev/stderr")
	s.restoreFlags = func() { syscall.SetNonblock(0, false) }
	return s
}
