//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package shells

import "golang.org/x/sys/unix"

// A session is the session of a program a PtyShell started: its ID, the
// process ID of the program, which leads it. Without /proc, only its
// first process group, the program's, is within reach.
type session int

// prepareSessions readies the server to start a session: every
// descriptor above 2 gets close-on-exec.
func prepareSessions() error { return closeOnExecAll("/dev/fd") }

// signal sends sig to the program's process group, and returns 1 if it
// has a process left, 0 if not.
func (s session) signal(sig unix.Signal) int {
	if unix.Kill(-int(s), sig) == nil {
		return 1
	}
	return 0
}

// reap does nothing: the processes left are not the server's children.
func (s session) reap() {}
